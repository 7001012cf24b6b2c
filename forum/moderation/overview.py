"""What the coordinators' overview reads: the triage queue, topics by status and deadline, issues
per month by county and theme, and the rows of the exports. Every function runs a fixed number of
queries, however many issues or topics there are."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.core.models import AgeGroup, County, Theme
from forum.issues.models import Issue, Support
from forum.members.models import Organization
from forum.topics.models import AdvocacyTopic
from forum.topics.reach import topic_reach

T = AdvocacyTopic.Status

WAITING_STATUSES = [Issue.Status.OPEN, Issue.Status.IN_REVIEW]
TRIAGE_LIMIT = 25
# Topics whose position has not gone out yet: a passed deadline is still their problem.
NOT_SUBMITTED = [T.PROPOSED, T.WORKING_GROUP, T.POSITION_ADOPTED]
# Topics still moving: a deadline ahead of them is worth seeing.
UNDER_WAY = [*NOT_SUBMITTED, T.SUBMITTED]
DEADLINE_HORIZON_DAYS = 30
MONTHS = 12


def counted_issues():
    """The issues the network counts: a hidden issue was taken out of the network's view and a
    duplicate is already counted as its original. Charts and the aggregate export share this."""
    return Issue.objects.filter(hidden=False).exclude(status=Issue.Status.DUPLICATE)


# The triage queue ------------------------------------------------------------------------------


def triage_queue(today: datetime.date, limit: int = TRIAGE_LIMIT) -> tuple[list[Issue], int]:
    """The oldest `limit` issues waiting for a coordinator (hidden ones too), each with
    `waiting_days`, and how many wait in all."""
    waiting = Issue.objects.filter(status__in=WAITING_STATUSES)
    issues = list(
        waiting.select_related("organization", "county", "municipality__county", "theme").order_by(
            "created", "pk"
        )[:limit]
    )
    for issue in issues:
        issue.waiting_days = (today - timezone.localtime(issue.created).date()).days
    return issues, waiting.count()


# Topics ----------------------------------------------------------------------------------------


@dataclass
class StatusGroup:
    status: str
    label: str
    topics: list[AdvocacyTopic] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.topics)


def deadline_days(topic: AdvocacyTopic, today: datetime.date) -> int | None:
    """Days until the topic's deadline (negative once passed) if it needs attention: within the
    horizon for a topic under way, or passed for one not yet submitted."""
    if topic.deadline is None or topic.status not in UNDER_WAY:
        return None
    days = (topic.deadline - today).days
    if 0 <= days <= DEADLINE_HORIZON_DAYS or (days < 0 and topic.status in NOT_SUBMITTED):
        return days
    return None


def deadline_note(days: int) -> str:
    if days == 0:
        return _("Deadline today")
    if days > 0:
        return ngettext("Deadline in %(days)d day", "Deadline in %(days)d days", days) % {
            "days": days
        }
    return ngettext(
        "Deadline passed %(days)d day ago", "Deadline passed %(days)d days ago", -days
    ) % {"days": -days}


def topics_by_status(today: datetime.date) -> tuple[list[StatusGroup], list[AdvocacyTopic]]:
    """Every status in workflow order with its topics, and the topics whose deadline needs
    attention (soonest first). Each topic carries `issue_count`, `deadline_days` and, when
    that is not None, `deadline_note`."""
    groups = {status: StatusGroup(status, label) for status, label in T.choices}
    topics = (
        AdvocacyTopic.objects.select_related("lead")
        .annotate(issue_count=Count("links"))
        .order_by(F("deadline").asc(nulls_last=True), "title", "pk")
    )
    urgent = []
    for topic in topics:
        topic.deadline_days = deadline_days(topic, today)
        groups[topic.status].topics.append(topic)
        if topic.deadline_days is not None:
            topic.deadline_note = deadline_note(topic.deadline_days)
            urgent.append(topic)
    return list(groups.values()), urgent


# Issues over time ------------------------------------------------------------------------------


def last_months(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, this one included, oldest first."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass
class Series:
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def _series(rows, key, months: list[datetime.date], name) -> list[Series]:
    """Monthly counts per group from (month, group, count) rows, the busiest group first."""
    index = {month: n for n, month in enumerate(months)}
    counts: dict = {}
    for row in rows:
        counts.setdefault(row[key], [0] * len(months))[index[row["month"]]] += row["issues"]
    series = [Series(name(group), monthly) for group, monthly in counts.items()]
    return sorted(series, key=lambda s: (-s.total, s.name))


def monthly_issues(months: list[datetime.date]) -> tuple[Series, list[Series], list[Series]]:
    """Issues raised per month since `months[0]`: in all, per county and per theme. One grouped
    query per breakdown, and one for the themes' names."""
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    per_month = (
        counted_issues()
        .filter(created__gte=start)
        .annotate(month=TruncMonth("created", output_field=DateField()))
    )
    by_county = list(per_month.values("month", "county__name").annotate(issues=Count("pk")))
    by_theme = list(per_month.values("month", "theme").annotate(issues=Count("pk")))
    themes = Theme.objects.in_bulk({row["theme"] for row in by_theme})
    counties = _series(by_county, "county__name", months, lambda name: name or _("All of Estonia"))
    total = Series(
        _("All issues"), [sum(s.counts[n] for s in counties) for n in range(len(months))]
    )
    return total, counties, _series(by_theme, "theme", months, lambda pk: str(themes[pk]))


# Exports ---------------------------------------------------------------------------------------


@dataclass
class Table:
    """Rows for an export: cells are str, int, date, datetime (aware) or None."""

    title: str
    header: list[str]
    rows: list[list]


def _heading(text) -> str:
    return str(capfirst(text))  # verbose names are lazy; spreadsheets want plain text


def _label(model, name) -> str:
    return _heading(model._meta.get_field(name).verbose_name)


def _yes(value) -> str:
    return _("yes") if value else _("no")


def issue_table() -> Table:
    """Every issue, hidden ones and duplicates included: for coordinators, network-internal."""
    issues = (
        Issue.objects.select_related("organization", "county", "municipality", "theme")
        .prefetch_related("age_groups", "tags")
        .annotate(topic_title=F("topic_link__topic__title"))
        .order_by("pk")
    )
    header = [
        _("ID"),
        *(_label(Issue, name) for name in ("title", "status", "organization", "county")),
        *(_label(Issue, name) for name in ("municipality", "theme", "age_groups", "tags")),
        _label(Issue, "created"),
        _label(Issue, "hidden"),
        _heading(Support._meta.verbose_name_plural),
        _("Comments"),
        _heading(AdvocacyTopic._meta.verbose_name),
    ]
    rows = [
        [
            issue.pk,
            issue.title,
            issue.get_status_display(),
            issue.organization.name,
            str(issue.county or _("All of Estonia")),
            str(issue.municipality or ""),
            str(issue.theme),
            "; ".join(str(group) for group in issue.age_groups.all()),
            "; ".join(sorted(tag.name for tag in issue.tags.all())),
            issue.created,
            _yes(issue.hidden),
            issue.support_count,
            issue.comment_count,
            issue.topic_title or "",
        ]
        for issue in issues
    ]
    return Table(_heading(Issue._meta.verbose_name_plural), header, rows)


def topic_table() -> Table:
    topics = (
        AdvocacyTopic.objects.select_related("lead")
        .annotate(issue_count=Count("links"))
        .order_by("pk")
    )
    reach = topic_reach(list(topics.values_list("pk", flat=True)))
    county_names = dict(County.objects.values_list("pk", "name"))
    header = [
        _("ID"),
        *(_label(AdvocacyTopic, name) for name in ("title", "status", "outcome", "visibility")),
        *(_label(AdvocacyTopic, name) for name in ("lead", "deadline", "issues")),
        _heading(Organization._meta.verbose_name_plural),
        _heading(County._meta.verbose_name_plural),
        _label(AdvocacyTopic, "published_at"),
    ]
    rows = []
    for topic in topics:
        counted = reach[topic.pk]
        rows.append(
            [
                topic.pk,
                topic.title,
                topic.get_status_display(),
                topic.get_outcome_display(),
                topic.get_visibility_display(),
                (topic.lead.get_full_name() or topic.lead.get_username()) if topic.lead else "",
                topic.deadline,
                topic.issue_count,
                len(counted.organizations),
                ", ".join(sorted(county_names[pk] for pk in counted.counties)),
                topic.published_at,
            ]
        )
    return Table(_heading(AdvocacyTopic._meta.verbose_name_plural), header, rows)


def aggregate_table() -> Table:
    """Counts only, for people outside the network: no titles, texts or names of people or
    organisations. Every county, theme and age group is listed, with 0 where there is none."""
    counted = Q(issues__in=counted_issues())
    # distinct: the join with age groups repeats an issue once per age group.
    totals = counted_issues().aggregate(
        issues=Count("pk", distinct=True),
        all_of_estonia=Count("pk", filter=Q(county__isnull=True), distinct=True),
        no_age_group=Count("pk", filter=Q(age_groups__isnull=True), distinct=True),
    )
    county, theme, age_group = (
        _heading(model._meta.verbose_name) for model in (County, Theme, AgeGroup)
    )
    rows = [[_("All issues"), "", totals["issues"]]]
    for item in County.objects.annotate(n=Count("issues", filter=counted)).order_by("name"):
        rows.append([county, item.name, item.n])
    rows.append([county, _("All of Estonia"), totals["all_of_estonia"]])
    for item in Theme.objects.annotate(n=Count("issues", filter=counted)):
        rows.append([theme, str(item), item.n])
    for item in AgeGroup.objects.annotate(n=Count("issues", filter=counted)):
        rows.append([age_group, str(item), item.n])
    rows.append([age_group, _("No age group given"), totals["no_age_group"]])
    return Table(_("Issues in numbers"), [_("Breakdown"), _("Name"), _("Issues")], rows)
