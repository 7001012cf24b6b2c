"""Hypothesis against the discussion forms: the start and edit forms of every kind (with
files), the reply form and the list's filters. Never a 500; a refused submission says why
and changes nothing; an accepted one stores exactly what was sent."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from forum import services
from forum.core.markdown import render_markdown
from forum.core.tags import normalize_tags
from forum.models import (
    Discussion,
    DiscussionDocument,
    DiscussionFollow,
    DiscussionTag,
    Flag,
    HelpfulMark,
    Notification,
    Reply,
)

from .test_bad_input import (
    FUZZ,
    ISIKUKOODID,
    JUNK,
    TAGS,
    TEXT,
    Known,
    as_stored,
    logged_in,
    page_of,
    pick,
    place_ids,
    resolve,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_member):
    return make_member()


KIND = Discussion.Kind
COUNTED = (
    Discussion,
    DiscussionTag,
    DiscussionFollow,
    DiscussionDocument,
    Reply,
    HelpfulMark,
    Flag,
    Notification,
    ModelLogEntry,
)


def counts() -> dict[str, int]:
    found = {model.__name__: model.objects.count() for model in COUNTED}
    found["Document"] = get_document_model().objects.count()
    return found


def changes(before: dict[str, int]) -> dict[str, int]:
    after = counts()
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


# Files drawn by name and made for each example (an upload is read once).
FILES = {
    "juhend.txt": b"Juhend vanematele.",
    "kood.txt": f"Laps {ISIKUKOODID[0]}".encode(),
    "tyhi.txt": b"",
    "pilt.exe": b"MZ\x90\x00",
    "vale.pdf": b"not a pdf",
}


def _uploads(names):
    return [SimpleUploadedFile(name, FILES[name], content_type="text/plain") for name in names]


DATES = st.one_of(
    JUNK,
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2099-12-31", "2001-01-01", "31.12.2099", "2099-02-30", "2099-06-01"]),
)
KIND_VALUES = st.one_of(JUNK, st.sampled_from(KIND.values))
# Half the time a plain valid text, so that accepted submissions are drawn too.
SANE = st.one_of(TEXT, st.sampled_from(["Pealkiri", "Soome ja Läti", "**Tekst** reas"]))
DISCUSSION_POST = st.fixed_dictionaries(
    {"kind": KIND_VALUES, "title": SANE, "body": SANE},
    optional={
        "theme": pick("theme"),
        "county": pick("county"),
        "municipality": pick("municipality"),
        "age_groups": st.lists(pick("age_group"), max_size=4),
        "tags": TAGS,
        "results": TEXT,
        "material_type": st.one_of(JUNK, st.sampled_from(Discussion.MaterialType.values)),
        "participants": JUNK,
        "partner_countries": SANE,
        "programme": TEXT,
        "deadline": DATES,
        "confirm_privacy": JUNK,
        "organization": pick("organization"),
    },
)
FILE_NAMES = st.lists(st.sampled_from(sorted(FILES)), max_size=3)
VALID_PARTNERS = {
    "kind": "partners",
    "title": "Otsime partnereid",
    "body": "Noorsoovahetus",
    "partner_countries": "Soome",
    "deadline": "2099-12-31",
    "tags": "erasmus+, Noored",
    "municipality": Known("municipality", 2),
}


def assert_stored(discussion: Discussion, data: dict, kind: str, files: list[str]) -> None:
    assert discussion.kind == kind
    assert discussion.title == as_stored(data["title"], single_line=True)
    assert discussion.body == as_stored(data["body"])
    assert discussion.body_html == render_markdown(discussion.body)
    assert str(discussion.theme_id or "") == (data.get("theme") or "").strip()
    if data.get("municipality"):
        assert str(discussion.municipality_id) == data["municipality"].strip()
        assert discussion.county_id == discussion.municipality.county_id
    assert sorted(discussion.tags.names()) == sorted(normalize_tags(data.get("tags", "")))
    wanted_ages = {int(a) for a in data.get("age_groups", [])}
    assert set(discussion.age_groups.values_list("pk", flat=True)) == wanted_ages
    own = Discussion.KIND_FIELDS[KIND(kind)]
    for name in ("results", "partner_countries", "programme"):
        single_line = name != "results"
        expected = as_stored(data.get(name) or "", single_line=single_line) if name in own else ""
        assert getattr(discussion, name) == expected, name
    if kind == KIND.PARTNERS:
        assert discussion.deadline is not None and discussion.partner_countries
    else:
        assert discussion.deadline is None
    if kind == KIND.MATERIAL:
        assert discussion.material_type == data["material_type"]
    else:
        assert discussion.material_type == ""
    assert sorted(a.document.title for a in discussion.attachments.all()) == sorted(
        name.rsplit(".", 1)[0] for name in files
    )


@FUZZ
@given(post=DISCUSSION_POST, files=FILE_NAMES)
@example(post=VALID_PARTNERS, files=["juhend.txt"])
@example(post={**VALID_PARTNERS, "deadline": "2001-01-01"}, files=[])
@example(post={"kind": "material", "title": "Juhend", "body": "Tekst"}, files=["kood.txt"])
def test_random_input_to_the_discussion_form(member, organizations, post, files):
    client = logged_in(member)
    data = resolve(post, place_ids(organization=[organizations["paikesekiir"].pk]))
    before = counts()
    response = send(client, reverse("forum:discussion_create"), {**data, "files": _uploads(files)})
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        discussion = Discussion.objects.latest("pk")
        assert response.url == discussion.get_absolute_url()
        assert discussion.author == member
        assert_stored(discussion, data, data["kind"], files)
        delta = changes(before)
        assert delta.pop("Discussion") == 1 and delta.pop("DiscussionFollow") == 1
        assert delta.pop("ModelLogEntry") == 1
        assert delta.pop("DiscussionTag", 0) == discussion.tags.count()
        assert delta.pop("DiscussionDocument", 0) == delta.pop("Document", 0) == len(files)
        assert delta == {}
        assert send(client, response.url, method="get").status_code == 200
    else:
        assert response.status_code == 200
        assert page_of(response).summary(), "refused without saying why"
        assert changes(before) == {}


@FUZZ
@given(post=DISCUSSION_POST, files=FILE_NAMES)
@example(post={**VALID_PARTNERS, "kind": "question"}, files=[])
def test_random_input_to_the_discussion_edit_form(member, make_discussion, post, files):
    discussion = Discussion.objects.filter(author=member).first() or make_discussion(
        "Partnerid",
        kind=KIND.PARTNERS,
        author=member,
        details={"partner_countries": "Läti", "deadline": datetime.date(2099, 1, 1)},
    )
    client = logged_in(member)
    data = resolve(post, place_ids(organization=[discussion.organization_id]))
    before, attached = counts(), discussion.attachments.count()
    stored_before = Discussion.objects.filter(pk=discussion.pk).values().get()
    url = reverse("forum:discussion_edit", args=[discussion.pk])
    response = send(client, url, {**data, "files": _uploads(files)})
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        stored = Discussion.objects.get(pk=discussion.pk)
        # The kind never changes, whatever was sent; new files are added to the earlier ones.
        assert stored.kind == KIND.PARTNERS
        assert stored.title == as_stored(data["title"], single_line=True)
        assert stored.body == as_stored(data["body"])
        assert stored.partner_countries == as_stored(data["partner_countries"], single_line=True)
        assert stored.attachments.count() == attached + len(files)
        delta = changes(before)
        delta.pop("DiscussionTag", None)  # tags swapped
        assert delta.pop("ModelLogEntry") == 1
        assert delta.pop("DiscussionDocument", 0) == delta.pop("Document", 0) == len(files)
        assert delta == {}
    else:
        assert response.status_code == 200
        assert page_of(response).summary(), "refused without saying why"
        assert changes(before) == {}
        assert Discussion.objects.filter(pk=discussion.pk).values().get() == stored_before


REPLY_POST = st.fixed_dictionaries({}, optional={"body": TEXT, "confirm_privacy": JUNK})


@FUZZ
@given(post=REPLY_POST)
@example(post={"body": "Meil toimis nii."})
def test_random_input_to_the_reply_form(member, make_discussion, make_member, post):
    discussion = Discussion.objects.filter(title="Vastatav").first() or make_discussion(
        "Vastatav", author=make_member(organization="emajoe-noored")
    )
    client = logged_in(member)
    before, replies = counts(), discussion.replies.count()
    response = send(client, reverse("forum:discussion_reply", args=[discussion.pk]), post)
    event(f"answered {response.status_code}")
    stored = Discussion.objects.get(pk=discussion.pk)
    if response.status_code == 302:
        reply = Reply.objects.latest("pk")
        assert (reply.discussion, reply.author) == (discussion, member)
        assert reply.body == as_stored(post["body"])
        assert reply.body_html == render_markdown(reply.body)
        assert stored.reply_count == replies + 1
    else:
        assert response.status_code == 400
        assert page_of(response).summary()
        assert changes(before) == {} and stored.reply_count == replies


@FUZZ
@given(post=st.fixed_dictionaries({}, optional={"reply": JUNK, "helpful": JUNK, "lock": JUNK}))
def test_random_input_to_the_discussion_buttons(member, make_discussion, make_member, post):
    """Accept, helpful, follow and flag take any junk without a 500 and keep the counts
    true."""
    other = make_member(organization="emajoe-noored")
    discussion = make_discussion("Nupud", author=member, body=f"Tekst {make_member().pk}")
    reply = services.add_reply(author=other, discussion=discussion, body="Vastus")
    client = logged_in(member)
    for name, target in (
        ("discussion_accept", discussion.pk),
        ("reply_helpful", reply.pk),
        ("discussion_follow", discussion.pk),
        ("discussion_flag", discussion.pk),
        ("reply_flag", reply.pk),
    ):
        response = send(client, reverse(f"forum:{name}", args=[target]), post)
        assert response.status_code in (200, 302, 404), name
    reply.refresh_from_db()
    assert reply.helpful_count == HelpfulMark.objects.filter(reply=reply).count() <= 1
    discussion.refresh_from_db()
    assert discussion.accepted_reply_id in (None, reply.pk)


@FUZZ
@given(
    query=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ("q", "kind", "county", "theme", "organization", "tag", "sort", "page"), JUNK
        ),
    )
)
def test_random_filters_on_the_discussion_list(member, query):
    response = send(logged_in(member), reverse("forum:discussion_list"), query, method="get")
    assert response.status_code == 200


# Issue 18: a good practice's Markdown made an article draft Wagtail's editor could not open.
MARKDOWN = st.lists(
    st.one_of(
        TEXT,
        st.sampled_from(
            ["  \n", "\n", "\n\n", "<br>", "<br/>", "**", "_", "# ", "- ", "1. ", "> ", "`",
             "```\n", "[x](https://example.org)", "![alt](https://example.org/a.png)",
             "<p>", "</p>", "<b>", "&nbsp;", "|a|b|\n|-|-|\n", "---\n", "<script>", "\t"]
        ),
    ),
    min_size=1,
    max_size=12,
).map("".join)  # fmt: skip


@FUZZ
@given(body=MARKDOWN, results=MARKDOWN)
@example(body="Esimene rida  \nteine rida.", results="Üks.\nTeine.")
def test_any_good_practice_makes_an_article_draft_the_editor_opens(member, roles, body, results):
    """Any practice the form accepts becomes a draft Wagtail's editor opens (titles repeat:
    each draft gets a free slug)."""
    post = {"kind": "practice", "title": "Praktika", "body": body, "results": results}
    response = send(logged_in(member), reverse("forum:discussion_create"), post)
    event(f"answered {response.status_code}")
    if response.status_code != 302:
        return  # refused with a message, as other tests here prove
    practice = Discussion.objects.filter(author=member).latest("pk")
    page = services.create_article_draft(coordinator=roles["admin"], discussion=practice)
    editor = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert send(logged_in(roles["admin"]), editor, method="get").status_code == 200
