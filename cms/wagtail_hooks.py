from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "globe"
    menu_label = _("International partners")
    list_display = ["name", "country", "website"]
    search_fields = ["name", "country"]


register_snippet(PartnerViewSet)
