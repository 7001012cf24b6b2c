"""The audit log records who did what, never the words themselves.

Wagtail's log() labels an entry with str(instance), which for members' writing is its title or
the start of its text: a copy that outlives every edit, erasure and retention of the original.
Entries about members' writing are labelled with the kind of object and its number instead."""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log as wagtail_log
from wagtail.models import ModelLogEntry


def written_by_members() -> list:
    """The models of what members write (threads and posts, forum.threads.models): titles and
    texts that may tell about a child."""
    return [m for m in apps.get_models() if getattr(m, "written_by_members", False)]


def _kind(model) -> str:
    # Stored once, so in the site's language, as the rest of the log is read.
    with translation.override(settings.LANGUAGE_CODE):
        return str(capfirst(model._meta.verbose_name))


def content_free_label(instance) -> str:
    return f"{_kind(type(instance))} {instance.pk}"


def field_label(model, name: str) -> str:
    """A changed field's name as people read it (a thread's history also says "place")."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return str(_("place")) if name == "place" else name


def log(instance, action: str, **kwargs):
    """Wagtail's log(), with a label that does not quote members' writing."""
    if getattr(instance, "written_by_members", False):
        kwargs.setdefault("title", content_free_label(instance))
    return wagtail_log(instance, action, **kwargs)


def relabel_log_entries(model, pks=None) -> int:
    """Give the entries about `model` (those of `pks` only, if given) content-free labels; one
    query. Returns how many changed (none the second time)."""
    label = Concat(Value(f"{_kind(model)} "), "object_id", output_field=CharField())
    entries = ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if pks is not None:
        entries = entries.filter(object_id__in=[str(pk) for pk in pks])
    return entries.exclude(label=label).update(label=label)
