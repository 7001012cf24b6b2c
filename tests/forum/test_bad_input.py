"""Bad input to the forum's forms: over-long and empty text, unknown ids, a flood of tags, HTML
and JavaScript, personal identification codes, double submission, someone else's issue by URL
and a missing CSRF token. Each gets a clear refusal, nothing is half-saved, and never a 500.

Pages are read with html.parser (not by substring) so that escaped text such as
"&lt;img onerror=…&gt;" is told apart from a live element."""

import json
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from forum import services
from forum.core.markdown import render_markdown
from forum.core.tags import normalize_tags
from forum.models import (
    AgeGroup,
    Comment,
    CommentRevision,
    County,
    Flag,
    Follow,
    ForumTag,
    Issue,
    IssueRevision,
    IssueTag,
    Municipality,
    Notification,
    Support,
    Theme,
)

pytestmark = pytest.mark.django_db

ISIKUKOODID = ["37605030299", "49403136515"]
# Codes as an attacker disguised them (tests/privacy/data/disguises.json).
DISGUISED = [
    d["text"]
    for d in json.loads(
        (Path(__file__).parents[1] / "privacy" / "data" / "disguises.json").read_text("utf-8")
    )["refuse"]
]
NAME_WITH_AGE = "Mari, 7-aastane, ei saa pärast tunde koju."
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klikk](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">klikk</a>',
    "[klikk](JaVaScRiPt:alert(1))",
    "[klikk](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[klikk](vbscript:msgbox(1))",
    '"><svg onload=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '[klikk](https://example.org "x\\" onmouseover=\\"alert(1)")',
]


# Reading pages ---------------------------------------------------------------------------------

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class Page(HTMLParser):
    """Every element of a page with its attributes, its text and the ids of its ancestors."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = {
            "tag": tag,
            "attrs": dict(attrs),
            "attr_names": [name for name, _value in attrs],
            "text": [],
            "ancestors": [e["attrs"].get("id") for e in self._open],
        }
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self._open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"].append(data)

    def by_id(self, element_id: str) -> dict | None:
        return next((e for e in self.elements if e["attrs"].get("id") == element_id), None)

    def text(self, element_id: str) -> str:
        element = self.by_id(element_id)
        assert element is not None, f"no element #{element_id} on the page"
        return "".join(element["text"])

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())
        ]

    def errors(self, field: str) -> str:
        """The error messages shown for a form field: under the field, or in the summary for a
        hidden field."""
        under = self.by_id(f"id_{field}_error")
        if under is not None:
            return "".join(under["text"])
        return " ".join("".join(a["text"]) for a in self.find("a", href=f"#id_{field}"))

    def summary(self) -> str:
        return " ".join(
            "".join(e["text"])
            for e in self.elements
            if "error-summary" in (e["attrs"].get("class") or "")
        )

    def selected(self, field: str) -> list[str]:
        """Values chosen in a select or among checkboxes, as the form shows them."""
        options = [
            e["attrs"].get("value")
            for e in self.elements
            if e["tag"] == "option"
            and "selected" in e["attr_names"]
            and f"id_{field}" in e["ancestors"]
        ]
        boxes = [
            e["attrs"].get("value")
            for e in self.find("input", name=field)
            if "checked" in e["attr_names"]
        ]
        return options + boxes


def page_of(response) -> Page:
    return Page(response.content.decode())


def _scheme(url: str) -> str:
    # Browsers drop control characters and spaces inside a scheme ("java\tscript:").
    return "".join(ch for ch in url if ch > " ").lower()


def _same_site(url: str) -> bool:
    return url.startswith("//testserver/") or (url.startswith("/") and not url.startswith("//"))


def assert_inert(html: str) -> None:
    """No element on the page can run script: no <script> carrying the payload or loaded from
    another site, no frame, no event handler attribute, no javascript:/data:/vbscript: URL."""
    problems = []
    for element in Page(html).elements:
        tag, attrs = element["tag"], element["attrs"]
        src = attrs.get("src") or ""
        if tag == "script" and (
            "alert" in "".join(element["text"]) or (src and not _same_site(src))
        ):
            problems.append(f"<script> {attrs} {''.join(element['text'])[:80]!r}")
        if tag in ("iframe", "object", "embed"):
            problems.append(f"<{tag}> {attrs}")
        for name in element["attr_names"]:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…>")
        for name in URL_ATTRIBUTES & set(attrs):
            if _scheme(attrs[name] or "").startswith(DANGEROUS_SCHEMES):
                problems.append(f"<{tag} {name}={attrs[name]!r}>")
    assert not problems, f"live markup on the page: {problems}"


def test_the_page_checker_catches_live_markup():
    for live in (
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<svg onload=alert(1)>",
        '<script src="//example.org/x.js"></script>',
    ):
        with pytest.raises(AssertionError):
            assert_inert(f"<p>{live}</p>")
    assert_inert("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img onerror=alert(1)&gt;</p>")


# Requests --------------------------------------------------------------------------------------


def _short(data) -> dict:
    def shorten(value):
        if isinstance(value, list):
            return [shorten(v) for v in value]
        if isinstance(value, str) and len(value) > 120:
            return f"{value[:100]!r}… ({len(value)} characters)"
        return value

    return {key: shorten(value) for key, value in data.items()}


def send(client, url, data=None, *, method="post"):
    """A request whose crash (an exception out of a view: a 500 in production) fails the test
    showing the input, instead of ending it with a traceback."""
    try:
        response = getattr(client, method)(url, data or {})
    except Exception as error:  # any exception out of a view is the bug we report
        raise AssertionError(
            f"{method.upper()} {url} with {_short(data or {})} raised {error!r} (a 500)"
        ) from error
    assert response.status_code != 500, f"{method.upper()} {url} with {_short(data or {})}: 500"
    return response


COUNTED = (
    Issue,
    IssueRevision,
    IssueTag,
    Comment,
    CommentRevision,
    Support,
    Flag,
    Follow,
    Notification,
    ModelLogEntry,
    ForumTag,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def changes(before: dict[str, int], *, ignore=("ForumTag", "Notification")) -> dict[str, int]:
    """Rows added (or removed) since `before`, by model. Tags (which may already exist) and
    notifications (which depend on who follows) are left out unless `ignore` says otherwise."""
    after = counts()
    return {
        name: after[name] - before[name]
        for name in after
        if after[name] != before[name] and name not in ignore
    }


def describe(issue: Issue) -> dict:
    issue = Issue.objects.get(pk=issue.pk)
    return {
        "title": issue.title,
        "body": issue.body,
        "body_html": issue.body_html,
        "theme": issue.theme_id,
        "county": issue.county_id,
        "municipality": issue.municipality_id,
        "age_groups": sorted(issue.age_groups.values_list("pk", flat=True)),
        "tags": sorted(issue.tags.names()),
        "support_count": issue.support_count,
        "comment_count": issue.comment_count,
    }


# Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def member(make_member):
    return make_member()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return logged_in(member)


@pytest.fixture
def issue_data(organizations):
    return {
        "organization": str(organizations["paikesekiir"].pk),
        "title": "Mänguväljak on õhtuti valgustamata",
        "body": "Lasteaia kõrval olev mänguväljak on õhtuti **täiesti pime**.",
        "theme": str(Theme.objects.get(slug="turvalisus").pk),
        "county": str(County.objects.get(slug="harjumaa").pk),
        "municipality": str(Municipality.objects.get(name="Kose vald").pk),
        "age_groups": [str(a.pk) for a in AgeGroup.objects.filter(slug__in=["3-6", "7-12"])],
        "tags": "mänguväljak, valgustus",
    }


@pytest.fixture
def other_issue(make_issue, make_member):
    """An issue raised by another person of paikesekiir."""
    return make_issue(author=make_member())


CREATE = "forum:issue_create"
ESTONIAN_LABELS = {"title": "Pealkiri", "body": "Kirjeldus"}


# 1. Raising an issue ---------------------------------------------------------------------------


def test_a_valid_issue_is_stored_complete(member, member_client, issue_data):
    before = counts()
    response = send(member_client, reverse(CREATE), issue_data)
    assert response.status_code == 302
    issue = Issue.objects.get(title=issue_data["title"])
    assert response.url == issue.get_absolute_url()
    assert issue.author == member
    assert issue.body_html == render_markdown(issue_data["body"])
    assert "<strong>täiesti pime</strong>" in issue.body_html
    assert sorted(issue.tags.names()) == ["mänguväljak", "valgustus"]
    assert sorted(str(a.pk) for a in issue.age_groups.all()) == sorted(issue_data["age_groups"])
    assert Follow.objects.filter(user=member, issue=issue).exists()
    assert changes(before) == {"Issue": 1, "IssueTag": 2, "Follow": 1, "ModelLogEntry": 1}


def assert_refused(response, field: str, before: dict, *, status=200) -> Page:
    assert response.status_code == status
    page = page_of(response)
    assert page.errors(field).strip(), f"no error shown for {field!r}"
    assert changes(before, ignore=()) == {}, "something was stored"
    return page


def assert_kept(page: Page, data: dict) -> None:
    """The form came back with everything typed in it."""
    assert page.by_id("id_title")["attrs"].get("value") == data["title"]
    assert page.text("id_body").removeprefix("\n") == data["body"]
    assert page.by_id("id_tags")["attrs"].get("value") == data["tags"]
    assert page.selected("theme") == [data["theme"]]
    assert page.selected("county") == [data["county"]]
    assert page.selected("municipality") == [data["municipality"]]
    assert sorted(page.selected("age_groups")) == sorted(data["age_groups"])


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "K" * 201),
        ("title", "Õ" * 1000),
        ("body", "x" * 20_001),
        ("tags", ", ".join(["silt"] * 100)),  # 598 characters
        ("tags", "a" * 51),
    ],
    ids=["title-201", "title-1000", "body-20001", "tags-field-598", "one-tag-51"],
)
def test_over_long_fields_are_refused(member_client, issue_data, field, value):
    data = {**issue_data, field: value}
    before = counts()
    page = assert_refused(send(member_client, reverse(CREATE), data), field, before)
    assert_kept(page, data)


def test_the_longest_allowed_title_is_accepted(member_client, issue_data):
    response = send(member_client, reverse(CREATE), {**issue_data, "title": "K" * 200})
    assert response.status_code == 302
    assert Issue.objects.filter(title="K" * 200).exists()


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028", "\x85"])
def test_a_line_break_in_a_title_is_refused_and_nothing_is_stored(
    member_client, issue_data, line_break
):
    """A title goes into mail subjects (a header: a line break there would add headers or jam
    the outbox) and feeds: it is one line, refused at input with a sentence to act on."""
    data = {**issue_data, "title": f"Koolibuss{line_break}Bcc: keegi@example.org"}
    before = counts()
    page = assert_refused(send(member_client, reverse(CREATE), data), "title", before)
    assert "Kirjuta see ühele reale" in page.errors("title")


@pytest.mark.parametrize("field", ["title", "body"])
@pytest.mark.parametrize("value", ["", "   ", "\t\r\n  \n", "\u00a0\u3000"])
def test_empty_or_whitespace_only_text_is_refused(member_client, issue_data, field, value):
    before = counts()
    assert_refused(
        send(member_client, reverse(CREATE), {**issue_data, field: value}), field, before
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("theme", ""),
        ("theme", "999999"),
        ("theme", "haridus"),
        ("theme", "-1"),
        ("theme", "²"),
        ("theme", "99999999999999999999"),
        ("county", "999999"),
        ("county", "harjumaa"),
        ("municipality", "999999"),
        ("municipality", "1.5"),
        ("age_groups", ["999999"]),
        ("age_groups", ["abc"]),
        ("organization", "999999"),
    ],
)
def test_unknown_ids_in_selects_are_refused(member_client, issue_data, field, value):
    before = counts()
    data = {**issue_data, field: value}
    assert_refused(send(member_client, reverse(CREATE), data), field, before)


@pytest.mark.parametrize("field", ["title", "body", "tags"])
def test_a_nul_character_is_refused(member_client, issue_data, field):
    """NUL cannot be stored in PostgreSQL text; it must be refused, not crash a query."""
    data = {**issue_data, field: f"{issue_data[field][:5]}\x00{issue_data[field][5:]}"}
    before = counts()
    assert_refused(send(member_client, reverse(CREATE), data), field, before)


def test_an_inactive_theme_is_refused(member_client, issue_data):
    Theme.objects.filter(pk=issue_data["theme"]).update(active=False)
    before = counts()
    assert_refused(send(member_client, reverse(CREATE), issue_data), "theme", before)


def test_another_organisations_name_cannot_be_used(member_client, issue_data, organizations):
    data = {**issue_data, "organization": str(organizations["emajoe-noored"].pk)}
    before = counts()
    assert_refused(send(member_client, reverse(CREATE), data), "organization", before)


def test_a_municipality_outside_the_chosen_county_is_refused(member_client, issue_data):
    tartu = Municipality.objects.get(name="Tartu linn")
    data = {**issue_data, "municipality": str(tartu.pk)}
    before = counts()
    page = assert_refused(send(member_client, reverse(CREATE), data), "municipality", before)
    assert "Tartu linn" in page.errors("municipality")


def test_a_municipality_alone_brings_its_county(member_client, issue_data):
    data = {**issue_data, "county": ""}
    assert send(member_client, reverse(CREATE), data).status_code == 302
    issue = Issue.objects.get(title=issue_data["title"])
    assert issue.municipality.name == "Kose vald"
    assert issue.county.slug == "harjumaa"


def test_more_than_eight_tags_are_refused(member_client, issue_data):
    data = {**issue_data, "tags": ", ".join(f"silt{n}" for n in range(9))}
    before = counts()
    page = assert_refused(send(member_client, reverse(CREATE), data), "tags", before)
    assert "8" in page.errors("tags")
    assert_kept(page, data)


def test_eight_tags_after_normalising_are_accepted(member_client, issue_data):
    tags = ", ".join(f"silt{n}" for n in range(8)) + ", SILT0,  silt1 "
    response = send(member_client, reverse(CREATE), {**issue_data, "tags": tags})
    assert response.status_code == 302
    issue = Issue.objects.get(title=issue_data["title"])
    assert sorted(issue.tags.names()) == [f"silt{n}" for n in range(8)]


def test_tags_are_normalised(member_client, issue_data):
    data = {**issue_data, "tags": " Kool ,kool, VAIMNE  tervis"}
    assert send(member_client, reverse(CREATE), data).status_code == 302
    issue = Issue.objects.get(title=issue_data["title"])
    assert sorted(issue.tags.names()) == ["kool", "vaimne tervis"]


@pytest.mark.parametrize(
    "tag",
    ["!!!", "🙂", "—", "#", "школа", "中文", "١"],
    ids=["punctuation", "emoji", "dash", "hash", "cyrillic", "chinese", "arabic-digit"],
)
def test_a_tag_without_a_slug_does_not_break_the_pages(member_client, issue_data, tag):
    """A tag's link needs a slug (Latin letters and digits: TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING).
    A tag that gives none is either refused or stored in a way every page can still show."""
    tags = f"kool, {tag}"
    response = send(member_client, reverse(CREATE), {**issue_data, "tags": tags})
    if response.status_code == 200:
        assert page_of(response).errors("tags").strip()
        assert not Issue.objects.filter(title=issue_data["title"]).exists()
        return
    assert response.status_code == 302
    assert send(member_client, response.url, method="get").status_code == 200
    assert send(member_client, reverse("forum:issue_list"), method="get").status_code == 200


@pytest.mark.parametrize("field", ["title", "body"])
@pytest.mark.parametrize(
    "code", [*ISIKUKOODID, "376 0503 0299"], ids=["man-1976", "woman-1994", "grouped"]
)
def test_an_isikukood_is_refused_naming_the_field(member_client, issue_data, field, code):
    data = {**issue_data, field: f"{issue_data[field]} Lapse isikukood on {code}."}
    before = counts()
    page = assert_refused(send(member_client, reverse(CREATE), data), field, before)
    assert "isikukood" in page.errors(field)
    assert ESTONIAN_LABELS[field] in page.errors(field)
    assert_kept(page, data)


def test_the_english_ui_names_the_field_in_english(member_client, issue_data):
    # The request switches the language; override() switches it back afterwards.
    with translation.override("en"):
        url = reverse(CREATE)
        assert url.startswith("/en/")
        data = {**issue_data, "body": f"Kood {ISIKUKOODID[1]}"}
        before = counts()
        page = assert_refused(send(member_client, url, data), "body", before)
        assert "Description" in page.errors("body")


def test_eleven_digits_failing_the_checksum_are_accepted(member_client, issue_data):
    data = {**issue_data, "body": "Vallavalitsuse telefon 37605030298, kirjanumber 12345678901."}
    assert send(member_client, reverse(CREATE), data).status_code == 302


def test_a_name_with_an_age_must_be_confirmed(member_client, issue_data):
    data = {**issue_data, "body": NAME_WITH_AGE}
    before = counts()
    page = assert_refused(send(member_client, reverse(CREATE), data), "confirm_privacy", before)
    assert [e["attrs"].get("type") for e in page.find("input", name="confirm_privacy")] == [
        "checkbox"
    ]
    assert_kept(page, data)

    response = send(member_client, reverse(CREATE), {**data, "confirm_privacy": "on"})
    assert response.status_code == 302
    assert Issue.objects.get(title=issue_data["title"]).body == NAME_WITH_AGE


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_html_and_javascript_are_stored_but_never_run(member_client, issue_data, payload):
    data = {**issue_data, "title": payload, "body": f"Enne.\n\n{payload}\n\nPärast."}
    response = send(member_client, reverse(CREATE), data)
    assert response.status_code == 302
    issue = Issue.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    assert (issue.title, issue.body) == (data["title"], data["body"])

    detail = send(member_client, response.url, method="get").content.decode()
    assert_inert(detail)
    assert [("".join(h["text"])) for h in Page(detail).find("h1")] == [payload]

    assert_inert(send(member_client, reverse("forum:issue_list"), method="get").content.decode())
    edit = send(member_client, reverse("forum:issue_edit", args=[issue.pk]), method="get")
    assert_inert(edit.content.decode())
    assert page_of(edit).by_id("id_title")["attrs"]["value"] == payload

    preview = send(member_client, reverse(CREATE), {**data, "preview": "1"})
    assert preview.status_code == 200
    assert_inert(preview.content.decode())


def test_safe_links_still_work(member_client, issue_data):
    """The control for the test above: ordinary links survive, so "no dangerous href" is not
    simply "no links at all"."""
    data = {**issue_data, "body": "Vaata [valla otsust](https://example.org/otsus)."}
    response = send(member_client, reverse(CREATE), data)
    links = page_of(send(member_client, response.url, method="get")).find(
        "a", href="https://example.org/otsus"
    )
    assert len(links) == 1
    assert "nofollow" in links[0]["attrs"]["rel"]


def test_html_in_comments_notes_and_flags_is_never_run(
    other_issue, member_client, make_member, coordinator, organizations
):
    payload = "\n\n".join(XSS_PAYLOADS)
    url = reverse("forum:issue_comment", args=[other_issue.pk])
    assert send(member_client, url, {"body": payload}).status_code == 302
    supporter = logged_in(make_member(organization="emajoe-noored"))
    note = {"organization": str(organizations["emajoe-noored"].pk), "note": payload}
    support_url = reverse("forum:issue_support", args=[other_issue.pk])
    assert send(supporter, support_url, note).status_code == 302
    flag_url = reverse("forum:issue_flag", args=[other_issue.pk])
    assert send(member_client, flag_url, {"reason": payload}).status_code == 302

    assert_inert(send(member_client, other_issue.get_absolute_url(), method="get").content.decode())
    moderator = logged_in(coordinator)
    assert_inert(send(moderator, other_issue.get_absolute_url(), method="get").content.decode())
    triage = send(moderator, reverse("forum:triage"), method="get")
    assert triage.status_code == 200
    assert_inert(triage.content.decode())


# Someone else's issue or comment by URL --------------------------------------------------------


@pytest.mark.parametrize("organization", ["paikesekiir", "emajoe-noored"])
def test_someone_elses_issue_cannot_be_edited_by_url(
    other_issue, make_member, issue_data, organization
):
    client = logged_in(make_member(organization=organization))
    url = reverse("forum:issue_edit", args=[other_issue.pk])
    before, described = counts(), describe(other_issue)
    assert send(client, url, method="get").status_code == 403
    data = {**issue_data, "organization": str(other_issue.organization.pk), "title": "Muudetud"}
    response = send(client, url, data)
    assert response.status_code == 403
    assert "autor" in response.content.decode()  # "Only the author or a coordinator ..."
    assert describe(other_issue) == described
    assert changes(before, ignore=()) == {}


def test_an_unknown_issue_number_is_not_found(member_client, issue_data):
    for pk in (999_999, 2**63 + 1, 10**30):
        for name, method in [
            ("issue_detail", "get"),
            ("issue_edit", "post"),
            ("issue_comment", "post"),
            ("issue_support", "post"),
            ("issue_flag", "post"),
        ]:
            # Beyond 2**63 no URL can be reversed; the typed address is what matters.
            url = reverse(f"forum:{name}", args=[999_999]).replace("999999", str(pk))
            assert send(member_client, url, issue_data, method=method).status_code == 404, url


def test_someone_elses_comment_cannot_be_edited_by_url(other_issue, member_client):
    comment = services.add_comment(author=other_issue.author, issue=other_issue, body="Algne.")
    before = counts()
    url = reverse("forum:comment_edit", args=[comment.pk])
    assert send(member_client, url, method="get").status_code == 403
    assert send(member_client, url, {"body": "Muudetud"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Algne."
    assert changes(before, ignore=()) == {}


# 2. Comments and "we see this too" -------------------------------------------------------------


@pytest.mark.parametrize("body", [None, "", "   ", "\n\t\r\n", "\u00a0"])
def test_an_empty_comment_is_refused(other_issue, member_client, body):
    before = counts()
    data = {} if body is None else {"body": body}
    response = send(member_client, reverse("forum:issue_comment", args=[other_issue.pk]), data)
    assert_refused(response, "body", before, status=400)
    assert describe(other_issue)["comment_count"] == 0


def test_a_comment_with_an_isikukood_is_refused(other_issue, member_client):
    text = f"Pere ütles, et lapse isikukood on {ISIKUKOODID[1]}; palun aidake."
    before = counts()
    response = send(
        member_client, reverse("forum:issue_comment", args=[other_issue.pk]), {"body": text}
    )
    page = assert_refused(response, "body", before, status=400)
    assert "isikukood" in page.errors("body")
    assert "Kommentaar" in page.errors("body")
    assert page.text("id_body").removeprefix("\n") == text
    assert describe(other_issue)["comment_count"] == 0


@pytest.mark.parametrize("who", ["the same person", "a colleague"])
def test_we_see_this_too_twice_from_one_organisation_counts_once(
    other_issue, make_member, organizations, who
):
    emajoe = organizations["emajoe-noored"]
    first_person = make_member(organization="emajoe-noored")
    second_person = (
        first_person if who == "the same person" else make_member(organization="emajoe-noored")
    )
    url = reverse("forum:issue_support", args=[other_issue.pk])
    data = {"organization": str(emajoe.pk), "note": "Ka Tartus.", "county": ""}
    assert send(logged_in(first_person), url, data).status_code == 302
    before = counts()
    response = send(logged_in(second_person), url, data)
    assert response.status_code == 400
    assert emajoe.name in page_of(response).summary()
    assert changes(before, ignore=()) == {}
    assert Support.objects.filter(issue=other_issue).count() == 1
    assert describe(other_issue)["support_count"] == 1


def test_an_organisation_cannot_say_we_see_this_too_to_its_own_issue(
    other_issue, member_client, organizations
):
    page = page_of(send(member_client, other_issue.get_absolute_url(), method="get"))
    support_url = reverse("forum:issue_support", args=[other_issue.pk])
    assert page.find("form", action=support_url) == []
    before = counts()
    data = {"organization": str(organizations["paikesekiir"].pk), "note": ""}
    response = send(member_client, support_url, data)
    assert response.status_code == 403
    assert changes(before, ignore=()) == {}
    assert describe(other_issue)["support_count"] == 0


def test_we_see_this_too_cannot_speak_for_another_organisation(
    other_issue, make_member, organizations
):
    client = logged_in(make_member(organization="emajoe-noored"))
    data = {"organization": str(organizations["vorumaa-lapsed"].pk), "note": ""}
    before = counts()
    response = send(client, reverse("forum:issue_support", args=[other_issue.pk]), data)
    assert_refused(response, "organization", before, status=400)


@pytest.mark.parametrize("comment", ["999999", "abc", "-1", "²", "١", "99999999999999999999"])
def test_a_flag_on_an_unknown_comment_is_not_found(other_issue, member_client, comment):
    before = counts()
    url = reverse("forum:issue_flag", args=[other_issue.pk])
    response = send(member_client, url, {"reason": "Vale.", "comment": comment})
    assert response.status_code == 404
    assert changes(before, ignore=()) == {}


def test_a_flag_on_a_comment_of_another_issue_is_not_found(other_issue, make_issue, member_client):
    elsewhere = make_issue(title="Teine mure")
    comment = services.add_comment(author=elsewhere.author, issue=elsewhere, body="Siin.")
    before = counts()
    url = reverse("forum:issue_flag", args=[other_issue.pk])
    response = send(member_client, url, {"reason": "Vale.", "comment": str(comment.pk)})
    assert response.status_code == 404
    assert changes(before, ignore=()) == {}


def test_a_flag_without_a_reason_is_refused(other_issue, member_client):
    before = counts()
    response = send(
        member_client, reverse("forum:issue_flag", args=[other_issue.pk]), {"reason": " "}
    )
    assert_refused(response, "reason", before)


# 3. CSRF ---------------------------------------------------------------------------------------


def test_a_missing_csrf_token_is_refused(member, issue_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    before = counts()
    response = send(client, reverse(CREATE), issue_data)
    assert response.status_code == 403
    assert changes(before, ignore=()) == {}

    # The control: the same post with the form's token goes through.
    form = page_of(send(client, reverse(CREATE), method="get"))
    token = form.find("input", name="csrfmiddlewaretoken")[0]["attrs"]["value"]
    response = send(client, reverse(CREATE), {**issue_data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_missing_csrf_token_on_a_comment_is_refused(member, other_issue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    before = counts()
    url = reverse("forum:issue_comment", args=[other_issue.pk])
    assert send(client, url, {"body": "Tere."}).status_code == 403
    assert changes(before, ignore=()) == {}


# 4. Random input to every form (Hypothesis) ----------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A real id of `kind`, picked by position once the test has read the ids."""

    kind: str
    index: int = 0


JUNK = st.one_of(
    st.just(""),
    st.text(max_size=40),  # any character but surrogates: control characters and NUL too
    st.text(st.characters(categories=["Cc", "Zs", "Zl", "Zp"]), max_size=8),
    st.from_regex(r"-?[0-9]{1,25}", fullmatch=True),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=4),
    st.sampled_from(
        [*XSS_PAYLOADS, *ISIKUKOODID, *DISGUISED, NAME_WITH_AGE, "Tamme tn 5"]
        + ["on", "false", "0", "1"]
    ),
    st.integers(min_value=190, max_value=20_050).map(lambda n: "ä" * n),
)
TEXT = st.one_of(JUNK, st.text(min_size=1, max_size=300))
TAGS = st.one_of(JUNK, st.lists(st.text(max_size=60), max_size=10).map(",".join))


def pick(kind: str):
    """Mostly a real id, sometimes junk."""
    real = st.builds(Known, st.just(kind), st.integers(0, 99))
    return st.integers(0, 4).flatmap(lambda n: JUNK if n == 0 else real)


def resolve(post: dict, ids: dict) -> dict:
    """The post with real ids in place of Known. An even-numbered municipality is taken from
    the county chosen, so that a valid place is drawn as often as a mismatched one."""

    def one(key, value):
        if isinstance(value, list):
            return [one(key, v) for v in value]
        if not isinstance(value, Known):
            return value
        choices = ids[value.kind]
        if value.kind == "municipality" and value.index % 2 == 0:
            county = resolved.get("county")
            choices = ids["municipality_by_county"].get(county) or choices
        return str(choices[value.index % len(choices)])

    resolved = {}
    for key in sorted(post, key=lambda k: k == "municipality"):  # the county first
        resolved[key] = one(key, post[key])
    return {key: resolved[key] for key in post}


def place_ids(**more) -> dict:
    by_county = {}
    for pk, county in Municipality.objects.values_list("pk", "county_id"):
        by_county.setdefault(str(county), []).append(pk)
    return {
        "theme": list(Theme.objects.filter(active=True).values_list("pk", flat=True)),
        "county": list(County.objects.values_list("pk", flat=True)),
        "municipality": list(Municipality.objects.values_list("pk", flat=True)),
        "municipality_by_county": by_county,
        "age_group": list(AgeGroup.objects.values_list("pk", flat=True)),
        **more,
    }


ISSUE_POST = st.fixed_dictionaries(
    {
        "organization": pick("organization"),
        "title": TEXT,
        "body": TEXT,
        "theme": pick("theme"),
    },
    optional={
        "county": pick("county"),
        "municipality": pick("municipality"),
        "age_groups": st.lists(pick("age_group"), max_size=4),
        "tags": TAGS,
        "confirm_privacy": JUNK,
    },
)
VALID_ISSUE_POST = {
    "organization": Known("organization"),
    "title": "Pealkiri",
    "body": "Tekst",
    "theme": Known("theme"),
    "tags": "a, B",
}
# The fuzz tests' settings are the loaded Hypothesis profile's (tests/conftest.py).
FUZZ = settings()


def as_stored(text: str, *, single_line: bool = False) -> str:
    """What a form stores of `text` (DESIGN.md): trimmed, with control and invisible format
    characters removed except zero-width (non-)joiners and spaces of every width, and in
    multi-line text line breaks (as \\n) and tabs kept. Written out here, not taken from the
    guard, so that it can disagree."""
    text = text.strip()
    if not single_line:
        text = text.replace("\r\n", "\n")
        for line_break in "\r\v\f\x85\u2028\u2029":
            text = text.replace(line_break, "\n")
    kept = {"\u200c", "\u200d"} | (set() if single_line else {"\n", "\t"})
    return "".join(
        c for c in text if c.isprintable() or c in kept or unicodedata.category(c) == "Zs"
    ).strip()


def assert_issue_matches(issue: Issue, data: dict) -> None:
    assert issue.title == as_stored(data["title"], single_line=True)
    assert issue.body == as_stored(data["body"])
    assert issue.body_html == render_markdown(issue.body)
    # An id is read as Python reads a number: any script's digits ("൫" is theme 5).
    assert issue.theme_id == int(data["theme"])
    if data.get("municipality"):
        assert issue.municipality_id == int(data["municipality"])
        assert issue.county_id == issue.municipality.county_id
    assert sorted(issue.tags.names()) == sorted(normalize_tags(data.get("tags", "")))
    wanted_ages = {int(a) for a in data.get("age_groups", [])}
    assert set(issue.age_groups.values_list("pk", flat=True)) == wanted_ages


@FUZZ
@given(post=ISSUE_POST)
@example(post=VALID_ISSUE_POST)
@example(post={**VALID_ISSUE_POST, "theme": "\u0d6b"})  # found: a Malayalam digit as the id
def test_random_input_to_the_issue_form(member, member_client, organizations, post):
    data = resolve(post, place_ids(organization=[organizations["paikesekiir"].pk]))
    before = counts()
    response = send(member_client, reverse(CREATE), data)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        issue = Issue.objects.latest("pk")
        assert response.url == issue.get_absolute_url()
        assert_issue_matches(issue, data)
        assert Follow.objects.filter(user=member, issue=issue).exists()
        assert changes(before) == {
            "Issue": 1,
            "Follow": 1,
            "ModelLogEntry": 1,
            **({"IssueTag": issue.tags.count()} if issue.tags.exists() else {}),
        }
        assert send(member_client, response.url, method="get").status_code == 200
    else:
        assert response.status_code == 200
        # Refused with a reason, or held back once to show similar issues first.
        assert page_of(response).summary() or response.context.get("check_similar"), (
            "refused without saying why"
        )
        assert changes(before, ignore=()) == {}


@FUZZ
@given(post=ISSUE_POST)
@example(post=VALID_ISSUE_POST)
def test_random_input_to_the_issue_edit_form(member, member_client, make_issue, post):
    issue = Issue.objects.filter(author=member).first() or make_issue(author=member)
    data = resolve(post, place_ids(organization=[issue.organization_id]))
    before, described = counts(), describe(issue)
    response = send(member_client, reverse("forum:issue_edit", args=[issue.pk]), data)
    event(f"answered {response.status_code}")
    after = describe(issue)
    if response.status_code == 302:
        assert_issue_matches(Issue.objects.get(pk=issue.pk), data)
        edited = {k for k in described if described[k] != after[k]} - {"body_html"}
        delta = changes(before)
        delta.pop("IssueTag", None)  # tags swapped
        assert delta == ({"IssueRevision": 1, "ModelLogEntry": 1} if edited else {})
        if edited:
            revision = issue.revisions.latest("pk")
            assert set(revision.changes) == edited - {"county", "municipality"} | (
                {"place"} if edited & {"county", "municipality"} else set()
            )
        assert send(member_client, response.url, method="get").status_code == 200
    else:
        assert response.status_code == 200
        assert after == described
        assert changes(before, ignore=()) == {}


COMMENT_POST = st.fixed_dictionaries({}, optional={"body": TEXT, "confirm_privacy": JUNK})


@FUZZ
@given(post=COMMENT_POST)
@example(post={"body": "Meil ka."})
def test_random_input_to_the_comment_form(member, member_client, other_issue, post):
    before, described = counts(), describe(other_issue)
    following = Follow.objects.filter(user=member, issue=other_issue).exists()
    url = reverse("forum:issue_comment", args=[other_issue.pk])
    response = send(member_client, url, post)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        comment = Comment.objects.latest("pk")
        assert (comment.issue, comment.author) == (other_issue, member)
        assert comment.body == as_stored(post["body"])
        assert comment.body_html == render_markdown(comment.body)
        assert describe(other_issue)["comment_count"] == described["comment_count"] + 1
        assert changes(before) == {
            "Comment": 1,
            "ModelLogEntry": 1,
            **({} if following else {"Follow": 1}),
        }
        assert send(member_client, other_issue.get_absolute_url(), method="get").status_code == 200
    else:
        assert response.status_code == 400
        assert describe(other_issue) == described
        assert changes(before, ignore=()) == {}


SUPPORT_POST = st.fixed_dictionaries(
    {"organization": pick("organization")},
    optional={"note": TEXT, "county": pick("county"), "confirm_privacy": JUNK},
)


@FUZZ
@given(post=SUPPORT_POST)
@example(post={"organization": Known("organization", 0), "note": "Ka meil."})
def test_random_input_to_we_see_this_too(other_issue, make_member, organizations, post):
    supporter = make_member(organization="emajoe-noored")
    client = logged_in(supporter)
    ids = place_ids(organization=[organizations["emajoe-noored"].pk, other_issue.organization_id])
    data = resolve(post, ids)
    before, described = counts(), describe(other_issue)
    response = send(client, reverse("forum:issue_support", args=[other_issue.pk]), data)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        support = Support.objects.get(issue=other_issue)
        assert support.organization == organizations["emajoe-noored"]
        assert support.note == as_stored(data.get("note", ""))
        county = data.get("county", "").strip()
        # An id is read as Python reads a number: any script's digits ("༤" is county 4).
        assert support.county_id == (int(county) if county else None)
        assert describe(other_issue)["support_count"] == described["support_count"] + 1
        assert changes(before) == {"Support": 1, "Follow": 1, "ModelLogEntry": 1}
        assert send(client, other_issue.get_absolute_url(), method="get").status_code == 200
        # Withdraw, so that the next example can say it again.
        services.withdraw_support(
            user=supporter, issue=other_issue, organization=support.organization
        )
    else:
        assert response.status_code in (400, 403)
        assert describe(other_issue) == described
        assert changes(before, ignore=()) == {}


FLAG_POST = st.fixed_dictionaries({}, optional={"reason": TEXT, "comment": pick("comment")})


@FUZZ
@given(post=FLAG_POST)
@example(post={"reason": "Solvav.", "comment": Known("comment")})
def test_random_input_to_the_flag_form(member, member_client, other_issue, post):
    comment = other_issue.comments.first() or services.add_comment(
        author=other_issue.author, issue=other_issue, body="Kommentaar."
    )
    data = resolve(post, {"comment": [comment.pk]})
    before = counts()
    response = send(member_client, reverse("forum:issue_flag", args=[other_issue.pk]), data)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        flag = Flag.objects.latest("pk")
        assert (flag.issue, flag.reporter) == (other_issue, member)
        assert flag.reason == as_stored(data["reason"])
        assert flag.comment == (comment if data.get("comment") else None)
        assert changes(before) == {"Flag": 1, "ModelLogEntry": 1}
    else:
        assert response.status_code in (200, 404)
        assert changes(before, ignore=()) == {}


@FUZZ
@given(post=COMMENT_POST)
@example(post={"body": "Parandatud."})
def test_random_input_to_the_comment_edit_form(member, member_client, other_issue, post):
    comment = Comment.objects.filter(author=member).first() or services.add_comment(
        author=member, issue=other_issue, body="Algne."
    )
    old = (comment.body, comment.body_html)
    before = counts()
    response = send(member_client, reverse("forum:comment_edit", args=[comment.pk]), post)
    event(f"answered {response.status_code}")
    comment.refresh_from_db()
    if response.status_code == 302:
        assert comment.body == as_stored(post["body"])
        assert comment.body_html == render_markdown(comment.body)
        assert comment.edited is not None
        assert changes(before) == {"CommentRevision": 1, "ModelLogEntry": 1}
        assert comment.revisions.latest("pk").body == old[0]
    else:
        assert response.status_code == 200
        assert (comment.body, comment.body_html) == old
        assert changes(before, ignore=()) == {}


def test_the_error_summary_adds_no_colon_after_a_label_ending_in_punctuation():
    """Issue 20: "…vastu on?: Ütle…" and "…tuvastada.: Tekstis…" in the error summaries."""
    from django import forms as django_forms
    from django.template.loader import render_to_string

    class Asked(django_forms.Form):
        objection = django_forms.CharField(label="Millele oled vastu?")
        confirmed = django_forms.CharField(label="Last ei saa tuvastada.")
        plain = django_forms.CharField(label="Pealkiri")

    form = Asked(data={})
    summary = " ".join(render_to_string("includes/form_errors.html", {"form": form}).split())
    assert "Millele oled vastu? " in summary and "vastu?:" not in summary
    assert "tuvastada. " in summary and "tuvastada.:" not in summary
    assert "Pealkiri: " in summary
