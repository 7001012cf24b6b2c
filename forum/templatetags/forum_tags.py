from django import template
from wagtail.models import Page

from forum.core import privacy

register = template.Library()


@register.filter
def page_editable_by(page_id, user) -> bool:
    """Whether the user may open the page in Wagtail's editor (a coordinator without page
    rights may not: the draft waits for an editor there)."""
    page = Page.objects.filter(pk=page_id).first()
    return page is not None and page.permissions_for_user(user).can_edit()


@register.filter
def shorten(text, limit):
    """`text` cut to about `limit` characters, never inside a number (privacy.shorten)."""
    return privacy.shorten(str(text), int(limit))
