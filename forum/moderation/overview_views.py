"""The coordinators' overview: the triage queue, topics and their deadlines, issues over time as
charts, and the exports. The reading is in forum.moderation.overview, the drawing in
forum.moderation.charts, the files in forum.moderation.exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forum.moderation import exports
from forum.moderation.charts import monthly_charts
from forum.moderation.overview import (
    aggregate_table,
    issue_table,
    last_months,
    monthly_issues,
    topic_table,
    topics_by_status,
    triage_queue,
)
from forum.moderation.permissions import check_see_overview

# kind in the URL: the table and the file's name before its date.
EXPORTS = {
    "issues": (issue_table, "koda-mured"),
    "topics": (topic_table, "koda-teemad"),
    "aggregates": (aggregate_table, "koda-koondandmed"),
}


@login_required
def overview(request):
    check_see_overview(request.user)
    today = timezone.localdate()
    queue, waiting_count = triage_queue(today)
    statuses, urgent_topics = topics_by_status(today)
    months = last_months(today)
    total, counties, themes = monthly_issues(months)
    return render(
        request,
        "forum/overview.html",
        {
            "today": today,
            "queue": queue,
            "waiting_count": waiting_count,
            "statuses": statuses,
            "urgent_topics": urgent_topics,
            "chart_groups": [
                {"heading": "", "charts": monthly_charts([total], months, id_prefix="chart-all")},
                {
                    "heading": _("By county"),
                    "charts": monthly_charts(counties, months, id_prefix="chart-county"),
                },
                {
                    "heading": _("By theme"),
                    "charts": monthly_charts(themes, months, id_prefix="chart-theme"),
                },
            ],
        },
    )


@never_cache
@login_required
def overview_export(request, kind, fmt):
    check_see_overview(request.user)
    if kind not in EXPORTS or fmt not in exports.FORMATS:
        raise Http404
    table, basename = EXPORTS[kind]
    return exports.download(table(), basename=basename, fmt=fmt)
