"""The forum's audit entries in people's words: Wagtail shows an entry's `message` (and its
`comment`) on the forum's history pages and in the admin's reports; these formatters add what the
entry's data says with names and labels instead of ids and codes. Part of the composition (it
reads every room's models); forum.wagtail_hooks registers it."""

from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from forum.core.audit import field_label
from forum.core.models import IssueStatus
from forum.members.models import Membership, Organization
from forum.topics.models import AdvocacyTopic

# Actions whose "from" and "to" are statuses, with the labels of their values.
STATUSES = {"forum.issue.status": IssueStatus, "forum.topic.status": AdvocacyTopic.Status}


def _label(choices, value) -> str:
    return str(choices(value).label) if choices and value in choices.values else str(value)


def _name(model, pk, field: str) -> str:
    """The name of what an older entry points to (newer ones carry it); a query."""
    name = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    return name or f"{capfirst(model._meta.verbose_name)} {pk}"


def details(entry) -> list[str]:
    """What the entry's data says, in phrases; nothing of the bookkeeping (flag ids)."""
    data, said = entry.data or {}, []
    if "from" in data and "to" in data:
        choices = STATUSES.get(entry.action)
        said.append(f"„{_label(choices, data['from'])}“ → „{_label(choices, data['to'])}“")
    if "into" in data:
        said.append(_("original: issue no. %(number)s") % {"number": data["into"]})
    if "merged" in data:
        said.append(_("issue no. %(number)s merged into this one") % {"number": data["merged"]})
    if "topic" in data:
        title = data.get("topic_title") or _name(AdvocacyTopic, data["topic"], "title")
        said.append(_("topic “%(title)s”") % {"title": title})
    if "organization" in data:
        said.append(
            data.get("organization_name") or _name(Organization, data["organization"], "name")
        )
    if data.get("fields"):
        model = entry.content_type.model_class()
        said.append(", ".join(field_label(model, name) for name in data["fields"]))
    if data.get("files"):
        count = data["files"] if isinstance(data["files"], int) else len(data["files"])
        said.append(
            ngettext("%(count)s file attached", "%(count)s files attached", count)
            % {"count": count}
        )
    if data.get("reply"):
        said.append(_("reply no. %(number)s") % {"number": data["reply"]})
    if "page" in data:
        said.append(_("page “%(title)s”") % {"title": _name(Page, data["page"], "title")})
    if "comments" in data:
        said.append(
            ngettext("%(count)s comment", "%(count)s comments", data["comments"])
            % {"count": data["comments"]}
        )
    if "role" in data:
        said.append(_label(Membership.Role, data["role"]))
    if "user" in data and "active" in data:
        person = get_user_model().objects.filter(pk=data["user"]).first()
        said.append(
            (_("%(person)s restored") if data["active"] else _("%(person)s removed"))
            % {"person": (person.get_full_name() or person.username) if person else "—"}
        )
    if "recipients" in data:
        count = len(data["recipients"])
        said.append(
            ngettext("%(count)s recipient", "%(count)s recipients", count) % {"count": count}
        )
    if "registry_code" in data:
        said.append(_("registry code %(code)s") % {"code": data["registry_code"]})
    return said


class ForumLogFormatter(LogFormatter):
    def format_message(self, log_entry):
        said = details(log_entry)
        return f"{self.message}: {'; '.join(said)}" if said else str(self.message)

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


def formatter(label, message) -> type[LogFormatter]:
    return type("ForumAction", (ForumLogFormatter,), {"label": label, "message": message})
