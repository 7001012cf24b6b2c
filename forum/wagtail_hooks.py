from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organization


@hooks.register("register_log_actions")
def register_forum_log_actions(actions):
    actions.register_action(
        "forum.organization.apply", _("Apply for membership"), _("Applied for membership")
    )


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "registry_code", "county", "status", "created"]
    list_filter = ["status", "county"]
    search_fields = ["name", "registry_code"]
    ordering = ["name"]


register_snippet(OrganizationViewSet)
