from difflib import SequenceMatcher

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from wagtail.models import Page

from forum.core import privacy
from forum.core.audit import field_label

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


# Unchanged words kept around each change in a word diff; longer unchanged runs are elided.
DIFF_CONTEXT = 12


@register.simple_tag
def word_diff(old, new):
    """The old and the new text as one, removed words in <del>, added words in <ins>, long
    unchanged stretches shortened to their ends (escaped; cut only between words)."""
    before, after = str(old).split(), str(new).split()
    parts = []
    opcodes = SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = before[i1:i2]
            head = words[:DIFF_CONTEXT] if n else []
            tail = words[-DIFF_CONTEXT:] if n < len(opcodes) - 1 else []
            if len(words) > len(head) + len(tail):
                words = [*head, "…", *tail]
            parts.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(before[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(after[j1:j2])))
    return mark_safe(" ".join(p for p in parts if p))  # noqa: S308 - every part is escaped


@register.simple_tag
def field_name(obj, name):
    """A changed field's name as people read it (forum.core.audit.field_label)."""
    return field_label(type(obj), name)
