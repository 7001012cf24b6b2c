"""The coordinators' overview: who may open it, the triage queue, topics and deadlines, the
charts and their tables, the exports."""

import csv
import datetime
import html
import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from forum.models import (
    AdvocacyTopic,
    AgeGroup,
    County,
    Issue,
    Municipality,
    Theme,
    TopicIssue,
)
from forum.moderation import exports
from forum.moderation.charts import bar_chart
from forum.moderation.overview import last_months, triage_queue
from forum.services import add_comment, add_support

pytestmark = pytest.mark.django_db

T = AdvocacyTopic.Status
SIGN_IN = "/konto/sisene/"


@pytest.fixture(autouse=True)
def _empty_forum(db):
    """Start from no issues and no topics, so that every number below is the test's own."""
    Issue.objects.all().delete()
    AdvocacyTopic.objects.all().delete()


def _url(name, *args, language="en"):
    # English pages, so that the assertions on text hold whatever the Estonian catalogue says.
    with translation.override(language):
        return reverse(f"forum:{name}", args=args)


def _created(issue, when):
    Issue.objects.filter(pk=issue.pk).update(created=when)


def _in_month(month: datetime.date, day=2):
    return timezone.make_aware(datetime.datetime.combine(month.replace(day=day), datetime.time(12)))


def _topic(title="Teema", **fields):
    return AdvocacyTopic.objects.create(
        title=title, summary="Kokkuvõte.", problem="Mure.", **fields
    )


@pytest.fixture
def coordinator_client(client, roles):
    client.force_login(roles["koordinaator"])
    return client


# Who may see it --------------------------------------------------------------------------------

PAGES = [("overview", ()), ("overview_export", ("issues", "csv"))]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_visitors_are_sent_to_sign_in(client, name, args):
    path = _url(name, *args, language="et")
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next={quote(path, safe='/')}"


@pytest.mark.parametrize("role", ["liige", "liige2", "esindaja", "toimetaja", "former"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_only_coordinators_see_the_overview(client, roles, role, name, args):
    client.force_login(roles[role])
    response = client.get(_url(name, *args))
    assert response.status_code == 403
    assert "for the network's coordinators" in html.unescape(response.content.decode())


@pytest.mark.parametrize("role", ["koordinaator", "admin"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_coordinators_and_the_administrator_see_it(client, roles, role, name, args):
    client.force_login(roles[role])
    assert client.get(_url(name, *args)).status_code == 200


# The triage queue ------------------------------------------------------------------------------


def test_the_triage_queue_lists_waiting_issues_oldest_first(
    coordinator_client, make_issue, coordinator
):
    now = timezone.now()
    recent = make_issue("Uus mure")
    old = make_issue("Vana mure")
    _created(old, now - datetime.timedelta(days=10))
    reviewed = make_issue("Läbivaatusel")
    _created(reviewed, now - datetime.timedelta(days=3))
    Issue.objects.filter(pk=reviewed.pk).update(status=Issue.Status.IN_REVIEW, hidden=True)
    done = make_issue("Lahendatud")
    _created(done, now - datetime.timedelta(days=30))
    Issue.objects.filter(pk=done.pk).update(status=Issue.Status.RESOLVED)

    response = coordinator_client.get(_url("overview"))

    queue = response.context["queue"]
    assert [(i.title, i.waiting_days) for i in queue] == [
        ("Vana mure", 10),
        ("Läbivaatusel", 3),
        ("Uus mure", 0),
    ]
    assert response.context["waiting_count"] == 3
    page = response.content.decode()
    assert "waiting 10 days" in page and "waiting 3 days" in page and "raised today" in page
    with translation.override("en"):
        assert f'<a href="{old.get_absolute_url()}">Vana mure</a>' in page
        assert f'<a href="{recent.get_absolute_url()}">Uus mure</a>' in page
    assert "Lahendatud" not in page


def test_the_triage_queue_shows_the_oldest_and_counts_them_all(make_issue):
    for days in (5, 9, 1):
        _created(make_issue(f"{days} päeva"), timezone.now() - datetime.timedelta(days=days))
    queue, waiting = triage_queue(timezone.localdate(), limit=2)
    assert [issue.title for issue in queue] == ["9 päeva", "5 päeva"]
    assert waiting == 3


def test_the_triage_queue_says_waiting_in_estonian_days(coordinator_client, make_issue):
    old = make_issue("Vana mure")
    _created(old, timezone.now() - datetime.timedelta(days=1))
    page = coordinator_client.get(_url("overview", language="et")).content.decode()
    assert "ootab 1 päev<" in page or "ootab 1 päev " in page, "singular: päev, not päeva"


# Topics ----------------------------------------------------------------------------------------


def test_topics_are_counted_by_status_and_pressing_deadlines_stand_out(coordinator_client):
    today = timezone.localdate()
    days = datetime.timedelta
    soon = _topic(
        "Töörühm, tähtaeg 5 päeva pärast", status=T.WORKING_GROUP, deadline=today + days(5)
    )
    late = _topic("Ettepanek, tähtaeg möödas", status=T.PROPOSED, deadline=today - days(2))
    sent_late = _topic("Esitatud, tähtaeg möödas", status=T.SUBMITTED, deadline=today - days(2))
    sent_soon = _topic("Esitatud, tähtaeg tulekul", status=T.SUBMITTED, deadline=today + days(10))
    _topic("Töörühm, tähtaeg kaugel", status=T.WORKING_GROUP, deadline=today + days(40))
    _topic("Tulemus", status=T.OUTCOME, outcome="achieved", deadline=today + days(3))
    _topic("Arhiivis", status=T.ARCHIVED)
    due_today = _topic("Seisukoht, tähtaeg täna", status=T.POSITION_ADOPTED, deadline=today)

    response = coordinator_client.get(_url("overview"))

    counts = {group.status: group.count for group in response.context["statuses"]}
    assert counts == {
        T.PROPOSED: 1,
        T.WORKING_GROUP: 2,
        T.POSITION_ADOPTED: 1,
        T.SUBMITTED: 2,
        T.OUTCOME: 1,
        T.ARCHIVED: 1,
    }
    urgent = response.context["urgent_topics"]
    assert [t.pk for t in urgent] == [late.pk, due_today.pk, soon.pk, sent_soon.pk]
    assert sent_late not in urgent
    page = response.content.decode()
    assert "Deadline passed 2 days ago" in page
    assert "Deadline today" in page
    assert "Deadline in 5 days" in page
    assert "Deadline in 10 days" in page
    assert page.count("deadline--passed") == 2  # in the deadline list and in its status list


# Charts ----------------------------------------------------------------------------------------


def _figures(page):
    """Each chart figure as (caption text, SVG bar values, table numbers)."""
    figures = []
    for chunk in page.split('<figure class="chart-figure">')[1:]:
        chunk = chunk.split("</figure>")[0]
        caption_id, caption = re.search(r'<figcaption id="([^"]+)">([^<]*)<', chunk).groups()
        assert f'role="img" aria-labelledby="{caption_id}"' in chunk
        bars = [int(v) for v in re.findall(r'data-value="(\d+)"', chunk)]
        table = [int(v) for v in re.findall(r"<td>(\d+)</td>", chunk)]
        figures.append((caption.strip(), bars, table))
    return figures


def test_charts_show_issues_per_month_by_county_and_theme(coordinator_client, make_issue, harjumaa):
    months = last_months(timezone.localdate())
    school = Theme.objects.get(slug="haridus")
    health = Theme.objects.get(slug="vaimne-tervis")
    for n in range(3):
        _created(make_issue(f"Harju {n}", county=harjumaa, theme=school), _in_month(months[-1]))
    _created(make_issue("Harju varem", county=harjumaa, theme=health), _in_month(months[8]))
    for n in range(2):
        _created(make_issue(f"Kogu Eesti {n}", theme=health), _in_month(months[0]))
    # Not counted: hidden, a duplicate, and older than twelve months.
    hidden = make_issue("Peidetud", county=harjumaa)
    Issue.objects.filter(pk=hidden.pk).update(hidden=True)
    duplicate = make_issue("Duplikaat", county=harjumaa)
    Issue.objects.filter(pk=duplicate.pk).update(status=Issue.Status.DUPLICATE)
    _created(make_issue("Ammune", county=harjumaa), _in_month(months[0]) - datetime.timedelta(40))

    page = coordinator_client.get(_url("overview")).content.decode()

    figures = {caption: (bars, table) for caption, bars, table in _figures(page)}
    expected = {
        "All issues": [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3],
        "Harju maakond": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3],
        "All of Estonia": [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        "Education and school": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3],
        "Health and mental health": [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    }
    assert figures == {caption: (counts, counts) for caption, counts in expected.items()}
    # The busiest first within each group, and the charts of a group share one scale.
    assert list(figures) == [
        "All issues",
        "Harju maakond",
        "All of Estonia",
        "Education and school",
        "Health and mental health",
    ]
    heights = dict(re.findall(r'height="([\d.]+)" data-value="(\d+)"', page.split("By county")[1]))
    assert {value: float(height) for height, value in heights.items()} == {
        "0": 0,
        "1": pytest.approx(88 / 3, abs=0.1),
        "2": pytest.approx(88 * 2 / 3, abs=0.1),
        "3": 88,
    }
    assert "<caption>Issues per month: Harju maakond</caption>" in page
    assert '<th scope="row">' in page


def test_a_chart_scales_its_bars_and_escapes_its_labels():
    svg = bar_chart(
        [0, 5, 10], ["<b>a</b>", "b", "c"], labelled_by="x", top=10, ends=("a & b", "c")
    )
    heights = [float(h) for h in re.findall(r'<rect[^>]* height="([\d.]+)"', svg)]
    assert heights[0] == 0 and heights[2] == 2 * heights[1]
    assert "<b>" not in svg and "&lt;b&gt;a&lt;/b&gt;: 0" in svg and "a &amp; b" in svg
    assert 'role="img" aria-labelledby="x"' in svg


# Queries ---------------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(make_issue, make_member, count):
    """`count` issues over counties, themes and months, with supports, comments and topics."""
    months = last_months(timezone.localdate())
    counties = list(County.objects.all()[:5])
    themes = list(Theme.objects.all())
    ages = list(AgeGroup.objects.all()[:2])
    supporter = make_member(organization="emajoe-noored")
    start = Issue.objects.count()
    for n in range(start, start + count):
        issue = make_issue(
            f"Mure {n}",
            county=counties[n % len(counties)],
            theme=themes[n % len(themes)],
            age_groups=ages,
            tags=[f"silt{n}", "ühine"],
        )
        _created(issue, _in_month(months[n % len(months)]))
        add_support(
            user=supporter, issue=issue, organization=supporter.memberships.get().organization
        )
        add_comment(author=supporter, issue=issue, body="Meil ka.")
        if n % 3 == 0:
            topic = _topic(f"Teema {n}", status=T.WORKING_GROUP, deadline=timezone.localdate())
            TopicIssue.objects.create(topic=topic, issue=issue, reason="Sama mure.")


def test_the_overview_runs_a_fixed_number_of_queries(coordinator_client, make_issue, make_member):
    url = _url("overview")
    _grow(make_issue, make_member, 3)
    small = _queries(coordinator_client, url)
    _grow(make_issue, make_member, 27)
    large = _queries(coordinator_client, url)
    assert small == large
    assert small <= 20


@pytest.mark.parametrize("kind", ["issues", "topics", "aggregates"])
def test_each_export_runs_a_fixed_number_of_queries(
    coordinator_client, make_issue, make_member, kind
):
    url = _url("overview_export", kind, "csv")
    _grow(make_issue, make_member, 3)
    small = _queries(coordinator_client, url)
    _grow(make_issue, make_member, 27)
    assert _queries(coordinator_client, url) == small


# Exports ---------------------------------------------------------------------------------------


def _csv_rows(response):
    content = response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def _as_csv(value):
    """An XLSX cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A date column comes back as midnight.
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def _download(client, kind, fmt):
    response = client.get(_url("overview_export", kind, fmt))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    basename = {"issues": "koda-mured", "topics": "koda-teemad", "aggregates": "koda-koondandmed"}
    assert response["Content-Disposition"] == (
        f'attachment; filename="{basename[kind]}-{today}.{fmt}"'
    )
    assert response["Content-Type"] == exports.FORMATS[fmt]
    return response


@pytest.fixture
def exported(make_issue, make_member, harjumaa, roles, organizations):
    """An escalated issue with a "we see this too" and a comment, and a hidden one."""
    issue = make_issue(
        "Koolibuss ei sobi koolipäevaga",
        body="Saladuslik kirjeldus.",
        municipality=Municipality.objects.get(name="Rae vald"),
        age_groups=list(AgeGroup.objects.filter(slug__in=["7-12", "13-17"])),
        tags=["koolitransport", "buss"],
    )
    add_support(user=roles["liige2"], issue=issue, organization=organizations["emajoe-noored"])
    add_comment(author=roles["liige2"], issue=issue, body="Meil ka.")
    topic = _topic(
        "Koolitransport",
        status=T.WORKING_GROUP,
        lead=roles["koordinaator"],
        deadline=datetime.date(2030, 5, 1),
        visibility=AdvocacyTopic.Visibility.PUBLIC,
    )
    TopicIssue.objects.create(topic=topic, issue=issue, reason="Sama mure.")
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.ESCALATED)
    hidden = make_issue("Peidetud mure", body="Isiklik lugu.", county=harjumaa)
    Issue.objects.filter(pk=hidden.pk).update(hidden=True)
    issue.refresh_from_db()
    return issue, topic, hidden


def test_the_issue_export_has_every_issue_with_its_facts(coordinator_client, exported):
    issue, topic, hidden = exported
    rows = _csv_rows(_download(coordinator_client, "issues", "csv"))
    assert rows[0] == [
        "ID",
        "Title",
        "Status",
        "Organisation",
        "County",
        "Municipality",
        "Theme",
        "Age groups",
        "Tags",
        "Created",
        "Hidden",
        "“we see this too”",
        "Comments",
        "Advocacy topic",
    ]
    created = timezone.localtime(issue.created)
    assert rows[1] == [
        str(issue.pk),
        "Koolibuss ei sobi koolipäevaga",
        "escalated",
        issue.organization.name,
        "Harju County",
        "Rae vald",
        "Education and school",
        "7–12 (primary school age); 13–17 (adolescents)",
        "buss; koolitransport",
        f"{created:%Y-%m-%d %H:%M}",
        "no",
        "1",
        "1",
        "Koolitransport",
    ]
    assert rows[2][:2] == [str(hidden.pk), "Peidetud mure"] and rows[2][10] == "yes"
    assert len(rows) == 3


def test_the_topic_export_counts_issues_organisations_and_counties(
    coordinator_client, exported, make_issue, make_member
):
    issue, topic, _hidden = exported
    other = make_issue("Teine mure", author=make_member(organization="vorumaa-lapsed"))
    TopicIssue.objects.create(topic=topic, issue=other, reason="Sama.")
    rows = _csv_rows(_download(coordinator_client, "topics", "csv"))
    assert rows[0] == [
        "ID",
        "Title",
        "Status",
        "Outcome",
        "Visible to",
        "Lead coordinator",
        "Deadline",
        "Issues",
        "Member organisations",
        "Counties",
        "Published",
    ]
    # The counties named: the issue's own; the others named none, and their organisations'
    # own counties are no claim (forum.topics.reach, tests/forum/test_reach.py).
    assert rows[1] == [
        str(topic.pk),
        "Koolitransport",
        "working group",
        "",
        "the public",
        "koordinaator-test",
        "2030-05-01",
        "2",
        "3",
        "Harju maakond",
        "",
    ]


def test_the_aggregate_export_has_counts_only(coordinator_client, exported, make_issue):
    issue, _topic_, hidden = exported
    duplicate = make_issue("Dubleeritud mure", body="Veel üks lugu.")
    Issue.objects.filter(pk=duplicate.pk).update(status=Issue.Status.DUPLICATE)
    response = _download(coordinator_client, "aggregates", "csv")
    rows = _csv_rows(response)
    assert rows[0] == ["Breakdown", "Name", "Issues"]
    assert rows[1] == ["All issues", "", "1"]  # neither the hidden nor the duplicate
    counts = {(kind, name): int(n) for kind, name, n in rows[2:]}
    assert counts[("County", "Harju maakond")] == 1
    assert counts[("County", "Tartu maakond")] == 0
    assert counts[("County", "All of Estonia")] == 0
    assert counts[("Theme", "Education and school")] == 1
    assert counts[("Age group", "7–12 (primary school age)")] == 1
    assert counts[("Age group", "0–2 (babies and toddlers)")] == 0
    assert counts[("Age group", "No age group given")] == 0
    assert len([key for key in counts if key[0] == "County"]) == County.objects.count() + 1
    text = response.content.decode("utf-8-sig")
    for private in [issue, hidden, duplicate]:
        assert private.title not in text and private.body not in text
    assert issue.organization.name not in text and "koordinaator" not in text


@pytest.mark.parametrize("kind", ["issues", "topics", "aggregates"])
def test_the_xlsx_has_the_rows_of_the_csv(coordinator_client, exported, kind):
    csv_rows = _csv_rows(_download(coordinator_client, kind, "csv"))
    xlsx_rows = _xlsx_rows(_download(coordinator_client, kind, "xlsx"))
    assert [[_as_csv(value) for value in row] for row in xlsx_rows] == csv_rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_formulas_from_running(coordinator_client, make_issue, fmt):
    titles = ['=HYPERLINK("http://example.org","x")', "+1+1", "-2+3", "@SUM(A1)", "Tavaline"]
    for title in titles:
        make_issue(title)
    response = _download(coordinator_client, "issues", fmt)
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    exported_titles = sorted(row[1] for row in rows[1:])
    assert exported_titles == sorted(["'" + t for t in titles[:-1]] + ["Tavaline"])
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_defuse_leaves_plain_text_alone():
    assert exports.defuse("Tartu") == "Tartu"
    assert exports.defuse("a=b") == "a=b"
    assert exports.defuse("=1+2") == "'=1+2"
    assert exports.defuse("＝HYPERLINK(1)") == "'＝HYPERLINK(1)"  # full width
    assert exports.defuse("＋1") == "'＋1"


@pytest.mark.parametrize(("kind", "fmt"), [("murad", "csv"), ("issues", "pdf"), ("issues", "")])
def test_unknown_exports_are_not_found(coordinator_client, kind, fmt):
    with translation.override("en"):
        path = reverse("forum:overview_export", args=["issues", "csv"])
    path = path.replace("issues.csv", f"{kind}.{fmt}")
    assert coordinator_client.get(path).status_code == 404


def test_the_page_links_every_export(coordinator_client):
    page = coordinator_client.get(_url("overview")).content.decode()
    for kind in ("issues", "topics", "aggregates"):
        for fmt in ("csv", "xlsx"):
            assert f'href="{_url("overview_export", kind, fmt)}"' in page
