"""The discussion pages: list, start and edit (each kind's own fields), the page with replies,
the accepted answer, helpful marks, following, flags and moderation. Bad input keeps what was
typed and stores nothing; the list and the page run a fixed number of queries."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from forum import services
from forum.models import (
    AgeGroup,
    County,
    Discussion,
    DiscussionDocument,
    DiscussionFollow,
    Flag,
    HelpfulMark,
    Municipality,
    Notification,
    Reply,
    Theme,
)

from .test_bad_input import ISIKUKOODID, NAME_WITH_AGE, XSS_PAYLOADS, assert_inert, page_of

pytestmark = pytest.mark.django_db

KIND = Discussion.Kind
LIST = "forum:discussion_list"
CREATE = "forum:discussion_create"


def _url(name, *args):
    return reverse(f"forum:{name}", args=args)


@pytest.fixture
def member(roles):
    return roles["liige"]


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def other(roles):
    return roles["liige2"]


@pytest.fixture
def question(make_discussion, member):
    return make_discussion("Kuidas kaasata isasid?", author=member, tags=["isad"])


def titles(response):
    return [d.title for d in response.context["discussions"]]


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _txt(name="juhend.txt", text="Juhend vanematele."):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def _future(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# The list -----------------------------------------------------------------------------------------


def test_the_forum_navigation_links_to_the_discussions(member_client):
    page = page_of(member_client.get(reverse("forum:issue_list")))
    assert page.by_id("nav-discussions")["attrs"]["href"] == reverse(LIST)


def test_the_list_filters_by_every_facet(member_client, make_discussion, make_member):
    tartu = make_member(organization="emajoe-noored")
    a = make_discussion(
        "Harjumaa küsimus", county=County.objects.get(slug="harjumaa"), tags=["kool"]
    )
    b = make_discussion(
        "Tartu hea praktika",
        kind=KIND.PRACTICE,
        author=tartu,
        municipality=Municipality.objects.get(name="Tartu linn"),
        theme=Theme.objects.get(slug="vaimne-tervis"),
    )
    url = reverse(LIST)
    assert sorted(titles(member_client.get(url))) == sorted([a.title, b.title])
    assert titles(member_client.get(url, {"kind": "practice"})) == [b.title]
    assert titles(member_client.get(url, {"kind": "question"})) == [a.title]
    assert titles(member_client.get(url, {"county": "harjumaa"})) == [a.title]
    assert titles(member_client.get(url, {"county": "tartumaa"})) == [b.title]
    assert titles(member_client.get(url, {"theme": "vaimne-tervis"})) == [b.title]
    assert titles(member_client.get(url, {"organization": "emajoe-noored"})) == [b.title]
    assert titles(member_client.get(url, {"tag": "kool"})) == [a.title]
    assert titles(member_client.get(url, {"q": "praktika"})) == [b.title]
    # Unknown values are ignored rather than answered with an error page.
    junk = {"county": "atlantis", "kind": "x", "sort": "y", "page": "zz", "tag": "<b>"}
    assert member_client.get(url, junk).status_code == 200


def test_the_kind_tabs_count_what_the_other_filters_leave(member_client, make_discussion):
    harju = County.objects.get(slug="harjumaa")
    make_discussion("Küsimus 1", county=harju)
    make_discussion("Küsimus 2")
    make_discussion(
        "Materjal", kind=KIND.MATERIAL, county=harju, details={"material_type": "guide"}
    )
    response = member_client.get(reverse(LIST), {"county": "harjumaa", "kind": "material"})
    tabs = {tab["kind"]: tab for tab in response.context["tabs"]}
    assert (tabs[""]["count"], tabs["question"]["count"], tabs["material"]["count"]) == (2, 1, 1)
    assert tabs["partners"]["count"] == 0
    assert tabs["material"]["current"] and not tabs[""]["current"]
    # Each tab keeps the other filters and sets only its kind.
    assert "county=harjumaa" in tabs["question"]["query"]
    assert "kind=question" in tabs["question"]["query"]
    assert "kind=" not in tabs[""]["query"]
    assert titles(response) == ["Materjal"]


def test_the_list_sorts_by_activity_newness_and_helpfulness(member_client, make_discussion, other):
    old = make_discussion("Vana praktika", kind=KIND.PRACTICE)
    new = make_discussion("Uus küsimus")
    Discussion.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=9))
    services.add_reply(author=other, discussion=old, body="Elustan")  # latest activity
    services.mark_helpful(user=other, discussion=old)
    url = reverse(LIST)
    assert titles(member_client.get(url))[:2] == [old.title, new.title]
    assert titles(member_client.get(url, {"sort": "new"}))[:2] == [new.title, old.title]
    assert titles(member_client.get(url, {"sort": "helpful"}))[0] == old.title


def test_the_list_shows_each_items_facts(member_client, make_discussion, other):
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    partners = make_discussion(
        "Partnerid",
        kind=KIND.PARTNERS,
        details={"partner_countries": "Soome", "deadline": deadline},
    )
    asked = make_discussion("Vastatud küsimus")
    reply = services.add_reply(author=other, discussion=asked, body="Vastus")
    services.accept_answer(user=asked.author, discussion=asked, reply=reply)
    page = page_of(member_client.get(reverse(LIST)))
    item = page.text(f"discussion-{partners.pk}")
    assert page.find("time", datetime=deadline.isoformat())
    assert partners.organization.name in item and partners.get_kind_display() in item.lower()
    answered = [e for e in page.elements if "accepted-mark" in (e["attrs"].get("class") or "")]
    assert [f"discussion-{asked.pk}" in e["ancestors"] for e in answered] == [True]


def test_the_list_pages_by_twenty(member_client, make_discussion, member):
    for n in range(21):
        services.post_discussion(
            author=member,
            organization=member.memberships.get().organization,
            kind=KIND.QUESTION,
            title=f"Küsimus {n}",
            body=f"Tekst {n}",
        )
    first = member_client.get(reverse(LIST))
    second = member_client.get(reverse(LIST), {"page": "2"})
    assert len(titles(first)) == 20 and len(titles(second)) == 1
    assert not set(titles(first)) & set(titles(second))


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(make_discussion, make_member, count):
    authors = [make_member(organization=s) for s in ("paikesekiir", "emajoe-noored")]
    for n in range(count):
        kind = list(KIND)[n % len(KIND)]
        details = {
            KIND.MATERIAL: {"material_type": "guide"},
            KIND.PARTNERS: {"partner_countries": "Läti", "deadline": timezone.localdate()},
        }.get(kind, {})
        make_discussion(
            f"Arutelu {n}",
            kind=kind,
            author=authors[n % 2],
            tags=[f"silt{n}", "ühine"],
            municipality=Municipality.objects.get(name="Tartu linn"),
            theme=Theme.objects.get(slug="haridus"),
            details=details,
        )


def test_the_list_runs_a_fixed_number_of_queries(member_client, make_discussion, make_member):
    _grow(make_discussion, make_member, 2)
    small = _queries(member_client, reverse(LIST))
    _grow(make_discussion, make_member, 12)
    large = _queries(member_client, reverse(LIST))
    assert small == large
    assert small <= 25


# Starting a discussion ----------------------------------------------------------------------------


def _names(response):
    return {e["attrs"].get("name") for e in page_of(response).elements if e["attrs"].get("name")}


@pytest.mark.parametrize(
    ("kind", "own"),
    [
        ("question", set()),
        ("practice", {"results"}),
        ("material", {"material_type"}),
        ("training", {"participants"}),
        ("partners", {"partner_countries", "programme", "deadline"}),
    ],
)
def test_the_form_shows_the_fields_of_the_kind_asked_for(member_client, kind, own):
    response = member_client.get(reverse(CREATE), {"kind": kind})
    assert response.status_code == 200
    names = _names(response)
    every = {"results", "material_type", "participants", "partner_countries", "programme"}
    assert names & (every | {"deadline"}) == own
    assert {"title", "body", "theme", "county", "municipality", "tags", "files"} <= names
    page = page_of(response)
    (kind_input,) = page.find("input", name="kind")
    assert kind_input["attrs"]["value"] == kind
    (form,) = page.find("form", id="discussion-form")
    assert form["attrs"]["enctype"] == "multipart/form-data"
    assert not [e for e in page.elements if e["tag"] == "script" and not e["attrs"].get("src")]


def test_an_unknown_kind_opens_a_question(member_client):
    response = member_client.get(reverse(CREATE), {"kind": "<script>"})
    assert response.status_code == 200 and response.context["form"].kind == "question"


@pytest.fixture
def base_post():
    return {"title": "Kuidas kaasata isasid?", "body": "Kuidas **teised** seda teevad?"}


def test_a_member_starts_a_question(member_client, member, base_post):
    post = {
        **base_post,
        "kind": "question",
        "theme": str(Theme.objects.get(slug="haridus").pk),
        "municipality": str(Municipality.objects.get(name="Tartu linn").pk),
        "age_groups": [str(a.pk) for a in AgeGroup.objects.all()[:2]],
        "tags": "Isad, vanemad,  isad",
    }
    response = member_client.post(reverse(CREATE), post)
    discussion = Discussion.objects.get()
    assert response.status_code == 302 and response.url == discussion.get_absolute_url()
    assert (discussion.kind, discussion.title, discussion.author) == (
        "question",
        base_post["title"],
        member,
    )
    assert "<strong>teised</strong>" in discussion.body_html
    assert discussion.county.slug == "tartumaa"
    assert sorted(discussion.tags.names()) == ["isad", "vanemad"]
    assert discussion.age_groups.count() == 2
    assert member_client.get(response.url).status_code == 200


def test_a_partner_search_stores_its_fields(member_client, base_post):
    post = {
        **base_post,
        "kind": "partners",
        "partner_countries": "Soome, Läti",
        "programme": "Erasmus+",
        "deadline": _future(),
        "results": "ei kuulu sellesse vormi",
    }
    assert member_client.post(reverse(CREATE), post).status_code == 302
    stored = Discussion.objects.get()
    assert (stored.kind, stored.partner_countries, stored.programme) == (
        "partners",
        "Soome, Läti",
        "Erasmus+",
    )
    assert stored.deadline.isoformat() == post["deadline"] and stored.results == ""


@pytest.mark.parametrize(
    ("kind", "fields", "missing"),
    [
        ("partners", {"programme": "Erasmus+"}, {"partner_countries", "deadline"}),
        ("partners", {"partner_countries": "Soome", "deadline": "2001-01-01"}, {"deadline"}),
        ("partners", {"partner_countries": "Soome", "deadline": "homme"}, {"deadline"}),
        ("material", {}, {"material_type"}),
        ("material", {"material_type": "poem"}, {"material_type"}),
        ("training", {"participants": "-3"}, {"participants"}),
        ("question", {"title": ""}, {"title"}),
    ],
)
def test_a_refused_form_keeps_what_was_typed_and_stores_nothing(
    member_client, base_post, kind, fields, missing
):
    post = {**base_post, "kind": kind, "tags": "isad, kool", **fields}
    response = member_client.post(reverse(CREATE), post)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == missing
    page = page_of(response)
    assert page.summary()
    for name in ("body", "tags"):
        (element,) = page.find("textarea" if name == "body" else "input", name=name)
        shown = "".join(element["text"]) if name == "body" else element["attrs"]["value"]
        assert shown.strip() == post[name]
    assert form.kind == kind  # the same kind's form again
    assert not Discussion.objects.exists()


@pytest.mark.parametrize("field", ["title", "body", "tags", "results"])
def test_an_isikukood_is_refused_naming_the_field(member_client, base_post, field):
    post = {**base_post, "kind": "practice", "results": "Toimis."}
    post[field] = f"{post.get(field, '')} {ISIKUKOODID[0]}".strip()
    response = member_client.post(reverse(CREATE), post)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert str(form.fields[field].label) in page_of(response).errors(field)
    assert not Discussion.objects.exists()


def test_an_identifying_text_needs_the_authors_confirmation(member_client, base_post):
    post = {**base_post, "kind": "practice", "results": NAME_WITH_AGE}
    response = member_client.post(reverse(CREATE), post)
    assert response.status_code == 200 and "confirm_privacy" in response.context["form"].errors
    assert page_of(response).find("input", name="confirm_privacy", type="checkbox")
    assert not Discussion.objects.exists()
    response = member_client.post(reverse(CREATE), {**post, "confirm_privacy": "on"})
    assert response.status_code == 302
    assert Discussion.objects.get().results == NAME_WITH_AGE


def test_coordinators_without_an_organisation_cannot_start_one(client, coordinator, base_post):
    client.force_login(coordinator)
    assert client.get(reverse(CREATE)).status_code == 403
    assert client.post(reverse(CREATE), {**base_post, "kind": "question"}).status_code == 403
    assert not Discussion.objects.exists()


def test_a_material_with_a_document(member_client, base_post):
    post = {**base_post, "kind": "material", "material_type": "guide", "files": [_txt()]}
    response = member_client.post(reverse(CREATE), post)
    assert response.status_code == 302
    (attachment,) = DiscussionDocument.objects.filter(discussion=Discussion.objects.get())
    assert attachment.document.title == "juhend"
    page = page_of(member_client.get(response.url))
    (link,) = page.find("a", href=attachment.document.url)
    assert "juhend" in "".join(link["text"])
    assert "TXT" in page.text("attachments")


def test_a_document_with_an_isikukood_is_refused_and_nothing_is_stored(member_client, base_post):
    bad = _txt("nimekiri.txt", f"Laps {ISIKUKOODID[1]}")
    post = {**base_post, "kind": "material", "material_type": "study", "files": [bad]}
    response = member_client.post(reverse(CREATE), post)
    assert response.status_code == 200 and "files" in response.context["form"].errors
    assert not Discussion.objects.exists() and not DiscussionDocument.objects.exists()


def test_script_in_any_field_stays_inert_on_every_page(member_client, other, coordinator):
    payload = " ".join(XSS_PAYLOADS)
    for kind, fields in (
        ("practice", {"results": payload}),
        ("partners", {"partner_countries": payload[:200], "programme": payload[:200]}),
    ):
        post = {"kind": kind, "title": payload[:200], "body": f"{kind} {payload}"}
        post["deadline"] = _future()
        assert member_client.post(reverse(CREATE), {**post, **fields}).status_code == 302
    discussion = Discussion.objects.latest("pk")
    services.add_reply(author=other, discussion=discussion, body=payload)
    for url in (
        reverse(LIST),
        discussion.get_absolute_url(),
        _url("discussion_edit", discussion.pk),
    ):
        assert_inert(member_client.get(url).content.decode())
    member_client.force_login(coordinator)
    practice = Discussion.objects.get(kind="practice")
    for url in (practice.get_absolute_url(), discussion.get_absolute_url()):
        assert_inert(member_client.get(url).content.decode())


@pytest.mark.parametrize("kind", ["practice", "training", "question"])
def test_the_coordinator_sees_the_moderation_tools_on_every_kind(
    client, make_discussion, coordinator, kind
):
    discussion = make_discussion("Arutelu", kind=kind)
    client.force_login(coordinator)
    page = page_of(client.get(discussion.get_absolute_url()))
    assert page.find("a", href=_url("discussion_hide", discussion.pk))
    assert page.find("form", action=_url("discussion_lock", discussion.pk))
    # Practices and training needs can become drafts on the public site.
    assert bool(page.by_id("public-drafts")) == (kind != "question")


# Editing ------------------------------------------------------------------------------------------


def test_the_author_edits_and_the_kind_stays(member_client, make_discussion, member):
    practice = make_discussion(
        "Praktika", kind=KIND.PRACTICE, author=member, details={"results": "Hea."}
    )
    url = _url("discussion_edit", practice.pk)
    page = page_of(member_client.get(url))
    assert page.find("textarea", name="results")
    post = {
        "kind": "partners",  # ignored: a discussion keeps its kind
        "title": "Parem praktika",
        "body": "Uus tekst",
        "results": "Veel parem.",
        "files": [_txt("lisa.txt")],
    }
    assert member_client.post(url, post).status_code == 302
    stored = _fresh(practice)
    assert (stored.kind, stored.title, stored.results) == (
        "practice",
        "Parem praktika",
        "Veel parem.",
    )
    assert stored.attachments.count() == 1


def test_another_member_cannot_edit(client, other, question):
    client.force_login(other)
    url = _url("discussion_edit", question.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Võetud", "body": "x"}).status_code == 403
    assert _fresh(question).title == question.title


def test_a_refused_edit_changes_nothing(member_client, question):
    url = _url("discussion_edit", question.pk)
    response = member_client.post(url, {"title": question.title, "body": ISIKUKOODID[0]})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["body"]
    assert _fresh(question).body == question.body


# The page -----------------------------------------------------------------------------------------


def test_the_accepted_answer_comes_first_and_only_the_asker_may_choose(
    client, member, other, question, make_member
):
    early = services.add_reply(author=other, discussion=question, body="Esimene vastus")
    best = services.add_reply(
        author=make_member(organization="vorumaa-lapsed"), discussion=question, body="Parim"
    )
    services.accept_answer(user=member, discussion=question, reply=best)
    client.force_login(member)
    page = page_of(client.get(question.get_absolute_url()))
    order = [
        e["attrs"]["id"]
        for e in page.elements
        if (e["attrs"].get("id") or "").startswith("vastus-")
    ]
    assert order == [f"vastus-{best.pk}", f"vastus-{early.pk}"]
    assert "accepted-answer" in page.by_id(f"vastus-{best.pk}")["ancestors"]
    assert page.by_id(f"accept-{early.pk}") and page.by_id(f"accept-{best.pk}")
    assert best.organization.name in page.text(f"vastus-{best.pk}")
    client.force_login(other)
    page = page_of(client.get(question.get_absolute_url()))
    assert page.by_id(f"accept-{early.pk}") is None


def test_accepting_by_post(member_client, member, other, question, client):
    reply = services.add_reply(author=other, discussion=question, body="Vastus")
    url = _url("discussion_accept", question.pk)
    response = member_client.post(url, {"reply": str(reply.pk)})
    assert response.status_code == 302 and response.url == reply.get_absolute_url()
    assert _fresh(question).accepted_reply == reply
    assert member_client.post(url, {"reply": "abc"}).status_code == 404
    assert member_client.post(url, {"reply": ""}).status_code == 302
    assert _fresh(question).accepted_reply is None
    client.force_login(other)
    assert client.post(url, {"reply": str(reply.pk)}).status_code == 403
    assert _fresh(question).accepted_reply is None


def test_a_hidden_reply_cannot_be_accepted_by_post(member_client, other, question, coordinator):
    reply = services.add_reply(author=other, discussion=question, body="Vastus")
    services.hide_reply(moderator=coordinator, reply=reply, reason="Vale")
    response = member_client.post(_url("discussion_accept", question.pk), {"reply": reply.pk})
    assert response.status_code == 302 and _fresh(question).accepted_reply is None


def test_helpful_marks_show_their_state_and_count_once(client, member, other, question):
    reply = services.add_reply(author=other, discussion=question, body="Vastus")
    client.force_login(member)
    button = f"helpful-reply-{reply.pk}"
    page = page_of(client.get(question.get_absolute_url()))
    assert page.by_id(button)["attrs"]["data-marked"] == "0"
    url = _url("reply_helpful", reply.pk)
    assert client.post(url, {"helpful": "1"}).status_code == 302
    assert client.post(url, {"helpful": "1"}).status_code == 302  # twice: told, counted once
    assert _fresh(reply).helpful_count == 1
    page = page_of(client.get(question.get_absolute_url()))
    assert page.by_id(button)["attrs"]["data-marked"] == "1"
    assert client.post(url, {"helpful": "0"}).status_code == 302
    assert _fresh(reply).helpful_count == 0 and not HelpfulMark.objects.exists()
    # The author sees the count, never a button for their own text.
    services.mark_helpful(user=member, discussion=question, reply=reply)
    client.force_login(other)
    page = page_of(client.get(question.get_absolute_url()))
    assert page.by_id(button) is None
    assert client.post(url, {"helpful": "1"}).status_code == 403
    assert _fresh(reply).helpful_count == 1


def test_a_good_practice_itself_is_marked_helpful(client, make_discussion, member, other):
    practice = make_discussion("Praktika", kind=KIND.PRACTICE, author=member)
    client.force_login(other)
    page = page_of(client.get(practice.get_absolute_url()))
    assert page.by_id(f"helpful-discussion-{practice.pk}")
    assert client.post(_url("discussion_helpful", practice.pk)).status_code == 302
    assert _fresh(practice).helpful_count == 1
    question = make_discussion("Küsimus", author=member)
    assert client.post(_url("discussion_helpful", question.pk)).status_code == 403
    assert _fresh(question).helpful_count == 0


def test_following_by_post(client, other, question):
    client.force_login(other)
    url = _url("discussion_follow", question.pk)
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert DiscussionFollow.objects.filter(user=other, discussion=question).exists()
    assert client.post(url, {"follow": "0"}).status_code == 302
    assert not DiscussionFollow.objects.filter(user=other, discussion=question).exists()


def test_opening_the_page_reads_its_notifications(member_client, member, other, question):
    services.add_reply(author=other, discussion=question, body="Vastus")
    assert Notification.objects.filter(recipient=member, read__isnull=True).count() == 1
    member_client.get(question.get_absolute_url())
    assert not Notification.objects.filter(recipient=member, read__isnull=True).exists()


# Replies ------------------------------------------------------------------------------------------


def test_a_reply_is_added_and_bad_replies_are_refused(client, other, question):
    client.force_login(other)
    url = _url("discussion_reply", question.pk)
    response = client.post(url, {"body": "Meil aitas see."})
    reply = Reply.objects.get()
    assert response.status_code == 302 and response.url == reply.get_absolute_url()
    for body in ("", "  ", f"Laps {ISIKUKOODID[0]}", "ä" * 20_001):
        response = client.post(url, {"body": body})
        assert response.status_code == 400
        assert "body" in response.context["reply_form"].errors
        if body.strip():
            (textarea,) = page_of(response).find("textarea", name="body")
            assert "".join(textarea["text"]).strip() == body.strip()
    assert Reply.objects.count() == 1 and _fresh(question).reply_count == 1


def test_a_locked_discussion_refuses_replies(client, other, question, coordinator):
    client.force_login(coordinator)
    assert client.post(_url("discussion_lock", question.pk), {"lock": "1"}).status_code == 302
    assert _fresh(question).locked
    client.force_login(other)
    page = page_of(client.get(question.get_absolute_url()))
    assert page.by_id("reply-form") is None
    assert client.post(_url("discussion_reply", question.pk), {"body": "Hilja"}).status_code == 403
    assert not Reply.objects.exists()


def test_the_author_edits_and_deletes_a_reply(client, member, other, question):
    reply = services.add_reply(author=other, discussion=question, body="Algne")
    client.force_login(member)
    assert client.get(_url("reply_edit", reply.pk)).status_code == 403
    assert client.post(_url("reply_delete", reply.pk)).status_code == 403
    client.force_login(other)
    edit = _url("reply_edit", reply.pk)
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"body": ""})
    assert response.status_code == 200 and _fresh(reply).body == "Algne"
    assert client.post(edit, {"body": "Parandatud"}).status_code == 302
    assert _fresh(reply).body == "Parandatud"
    assert client.post(_url("reply_delete", reply.pk)).status_code == 302
    assert _fresh(reply).deleted and _fresh(question).reply_count == 0
    assert client.post(_url("reply_delete", reply.pk)).status_code == 404


# Hidden things ------------------------------------------------------------------------------------


def test_a_hidden_discussion_is_gone_for_members_and_bannered_for_coordinators(
    client, member, other, question, coordinator
):
    client.force_login(coordinator)
    hide = _url("discussion_hide", question.pk)
    assert client.get(hide).status_code == 200
    response = client.post(hide, {"hide": "1", "reason": ""})
    assert response.status_code == 200 and not _fresh(question).hidden  # a reason is needed
    assert client.post(hide, {"hide": "1", "reason": "Isikuandmed"}).status_code == 302
    page = page_of(client.get(question.get_absolute_url()))
    assert "Isikuandmed" in page.text("hidden-banner")
    assert question.title in titles(client.get(reverse(LIST)))
    for person in (member, other):
        client.force_login(person)
        assert client.get(question.get_absolute_url()).status_code == 404
        assert client.get(_url("discussion_flag", question.pk)).status_code == 404
        assert question.title not in titles(client.get(reverse(LIST)))
    client.force_login(coordinator)
    assert client.post(hide, {"hide": "0"}).status_code == 302
    assert not _fresh(question).hidden


def test_a_hidden_reply_shows_its_reason_to_coordinators_only(
    client, member, other, question, coordinator
):
    reply = services.add_reply(author=other, discussion=question, body="Mari Tamm, 7 a")
    client.force_login(coordinator)
    url = _url("reply_hide", reply.pk)
    assert client.post(url, {"hide": "1", "reason": "Lapse nimi"}).status_code == 302
    text = page_of(client.get(question.get_absolute_url())).text(f"vastus-{reply.pk}")
    assert "Lapse nimi" in text and "Mari Tamm" in text
    client.force_login(member)
    text = page_of(client.get(question.get_absolute_url())).text(f"vastus-{reply.pk}")
    assert "Lapse nimi" not in text and "Mari Tamm" not in text
    assert gettext("A coordinator hid this reply.") in text
    client.force_login(coordinator)
    assert client.post(url, {"hide": "0"}).status_code == 302
    assert not _fresh(reply).hidden


def test_members_cannot_moderate(client, member, other, question):
    reply = services.add_reply(author=other, discussion=question, body="Vastus")
    client.force_login(member)
    data = {"hide": "1", "reason": "x"}
    assert client.post(_url("discussion_hide", question.pk), data).status_code == 403
    assert client.post(_url("reply_hide", reply.pk), data).status_code == 403
    assert client.post(_url("discussion_lock", question.pk), {"lock": "1"}).status_code == 403
    stored = _fresh(question)
    assert (stored.hidden, stored.locked, _fresh(reply).hidden) == (False, False, False)


# Flags and triage ---------------------------------------------------------------------------------


def test_flags_on_a_discussion_and_a_reply_reach_triage_and_are_dismissed(
    client, member, other, question, coordinator
):
    reply = services.add_reply(author=other, discussion=question, body="Vastus")
    client.force_login(member)
    assert client.get(_url("reply_flag", reply.pk)).status_code == 200
    assert client.post(_url("reply_flag", reply.pk), {"reason": ""}).status_code == 200
    assert not Flag.objects.exists()
    assert client.post(_url("reply_flag", reply.pk), {"reason": "Solvav"}).status_code == 302
    assert client.post(_url("discussion_flag", question.pk), {"reason": "Nimi"}).status_code == 302
    reply_flag = Flag.objects.get(reply=reply)
    flag = Flag.objects.get(reply__isnull=True)
    assert (flag.discussion, flag.issue, reply_flag.discussion) == (question, None, question)
    client.force_login(coordinator)
    page = page_of(client.get(reverse("forum:triage")))
    assert page.by_id(f"flag-{flag.pk}")["attrs"]["href"] == question.get_absolute_url()
    assert page.by_id(f"flag-{reply_flag.pk}")["attrs"]["href"].endswith(f"#vastus-{reply.pk}")
    assert page.find("a", href=_url("reply_hide", reply.pk))
    assert page.find("a", href=_url("discussion_hide", question.pk))
    assert client.post(reverse("forum:flag_dismiss", args=[flag.pk])).status_code == 302
    assert _fresh(flag).resolved is not None
    # Hiding the reply resolves its flag.
    client.post(_url("reply_hide", reply.pk), {"hide": "1", "reason": "Solvav"})
    assert _fresh(reply_flag).resolved is not None


# Query counts -------------------------------------------------------------------------------------


def _thread(make_discussion, make_member, viewer, replies, files):
    author = make_member(organization="paikesekiir")
    discussion = make_discussion(
        f"Arutelu {replies}",
        kind=KIND.MATERIAL,
        author=author,
        tags=["a", "b"],
        age_groups=list(AgeGroup.objects.all()[:2]),
        theme=Theme.objects.get(slug="haridus"),
        details={"material_type": "guide"},
        files=[_txt(f"fail{n}.txt") for n in range(files)],
    )
    people = [make_member(organization=s) for s in ("emajoe-noored", "vorumaa-lapsed")]
    services.add_reply(author=viewer, discussion=discussion, body="Minu vastus")
    for n in range(replies):
        reply = services.add_reply(author=people[n % 2], discussion=discussion, body=f"Vastus {n}")
        services.mark_helpful(user=viewer, discussion=discussion, reply=reply)
        services.mark_helpful(user=author, discussion=discussion, reply=reply)
    return discussion


@pytest.mark.parametrize("role", ["liige", "koordinaator"])
def test_the_page_runs_a_fixed_number_of_queries(client, roles, make_discussion, make_member, role):
    viewer = roles[role]
    small = _thread(make_discussion, make_member, viewer, 2, 1)
    large = _thread(make_discussion, make_member, viewer, 12, 3)
    client.force_login(viewer)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())
    assert _queries(client, small.get_absolute_url()) <= 30


def test_switching_the_kind_keeps_what_was_typed_and_stores_nothing(member_client, member):
    """Issue 20, defect 5: the kinds are buttons of the form, so what was typed goes along
    (without a script too) and comes back in the chosen kind's form; nothing is checked or
    stored."""
    form_page = member_client.get(reverse(CREATE)).content.decode()
    assert (
        'name="switch_kind" value="practice"' in form_page and 'form="discussion-form"' in form_page
    )
    harju = County.objects.get(slug="harjumaa")
    response = member_client.post(
        reverse(CREATE),
        {
            "kind": "question",
            "switch_kind": "practice",
            "title": "Kuidas toetada ärevaid noori?",
            "body": "Meie noortekeskuses on üha rohkem ärevaid noori.",
            "county": harju.pk,
            "age_groups": [a.pk for a in AgeGroup.objects.all()[:2]],
            "tags": "ärevus, noorsootöö",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.kind == KIND.PRACTICE and "results" in form.fields  # the practice's own fields
    assert not form.is_bound  # no errors shown for a form not yet sent
    html = response.content.decode()
    assert "Kuidas toetada ärevaid noori?" in html and "üha rohkem ärevaid noori" in html
    assert "ärevus, noorsootöö" in html
    assert f'value="{harju.pk}" selected' in html
    checked = re.findall(
        r'<input type="checkbox" name="age_groups" value="(\d+)"[^>]*checked', html
    )
    assert checked == [str(a.pk) for a in AgeGroup.objects.all()[:2]]
    assert 'value="practice"' in html and 'aria-current="page" data-kind="practice"' in html
    assert not Discussion.objects.exists()
