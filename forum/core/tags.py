from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_TAGS = 8
MAX_TAG_LENGTH = 50


def normalize_tags(raw: str | list[str]) -> list[str]:
    """Tags as the forum stores them: lower case, single spaces, no control or invisible
    characters, no duplicates, at most 8."""
    parts = raw.split(",") if isinstance(raw, str) else raw
    tags = []
    for part in parts:
        visible = "".join(c if c.isprintable() or c.isspace() else "" for c in str(part))
        tag = " ".join(visible.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            ngettext("Use at most %(max)d tag.", "Use at most %(max)d tags.", MAX_TAGS)
            % {"max": MAX_TAGS}
        )
    if any(not any(ch.isalnum() for ch in tag) for tag in tags):
        raise ValidationError(_("A tag needs at least one letter or digit."))
    if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        raise ValidationError(
            _("A tag can be at most %(max)d characters long.") % {"max": MAX_TAG_LENGTH}
        )
    return tags
