"""Discussions and their replies in the site search: network-internal like issues and comments,
so found by members only and by each reader only as far as they may read them. Each test runs on
the Whoosh backend and on modelsearch's database backend."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import County, Discussion
from forum.services import add_reply, delete_reply, hide_discussion, hide_reply

pytestmark = [pytest.mark.django_db, pytest.mark.search]

PUBLIC = {"page": 0, "topic": 0, "organization": 0}
NOTHING = {
    "page": 0,
    "topic": 0,
    "organization": 0,
    "issue": 0,
    "comment": 0,
    "discussion": 0,
    "reply": 0,
}


def search(client, q, **params):
    return client.get("/otsing/", {"q": q, **params})


def titles(response):
    return [str(hit["title"]) for hit in response.context["hits"]]


def counts(response):
    return {t["key"]: t["count"] for t in response.context["types"]}


@pytest.fixture
def question(make_discussion, roles):
    return make_discussion(
        "Kuidas Vahtramäe noortekeskus tugiisikuid värbas?",
        author=roles["liige"],
        body="Otsime tugiisikuid ja tahaksime kuulda, kuidas teised on värbamise korraldanud.",
    )


@pytest.fixture
def reply(question, roles):
    return add_reply(
        author=roles["liige2"],
        discussion=question,
        body="Vahtramäe kogemus: kuulutus kohalikus lehes ja infotund vanematele.",
    )


def test_visitors_find_nothing_of_the_discussions(client, search_backend, reply):
    response = search(client, "Vahtramäe")
    assert counts(response) == PUBLIC
    assert response.context["results"].paginator.count == 0
    body = response.content.decode().split("</header>")[1].replace('value="Vahtramäe"', "")
    assert "Vahtramäe" not in body
    # Asking for discussions or replies by name changes nothing.
    for kind in ("discussion", "reply"):
        response = search(client, "Vahtramäe", type=kind)
        assert counts(response) == PUBLIC
        assert response.context["results"].paginator.count == 0


def test_members_find_the_discussion_and_its_reply(client, search_backend, roles, reply):
    client.force_login(roles["esindaja"])
    response = search(client, "Vahtramäe")
    assert counts(response) == {**NOTHING, "discussion": 1, "reply": 1}
    # Every kind in one list, each hit saying its kind (issue 20, defect 14).
    assert response.context["selected_type"] == ""
    assert [hit["noun"] for hit in response.context["hits"]] == ["arutelu", "vastus"]
    response = search(client, "Vahtramäe", type="discussion")
    (hit,) = response.context["hits"]
    assert str(hit["title"]) == "Kuidas <mark>Vahtramäe</mark> noortekeskus tugiisikuid värbas?"
    assert hit["url"] == reply.discussion.get_absolute_url()
    assert hit["kind"] == Discussion.Kind.QUESTION.label
    assert hit["organization"] == reply.discussion.organization.name
    page = response.content.decode()
    assert f'href="{hit["url"]}"' in page
    assert reply.discussion.organization.name in page

    response = search(client, "Vahtramäe", type="reply")
    (hit,) = response.context["hits"]
    assert hit["url"] == reply.get_absolute_url()
    assert str(hit["title"]) == "Kuidas <mark>Vahtramäe</mark> noortekeskus tugiisikuid värbas?"
    assert "<mark>Vahtramäe</mark> kogemus" in hit["snippet"]
    assert hit["organization"] == reply.organization.name
    assert reply.organization.name != reply.discussion.organization.name
    assert f'href="{reply.get_absolute_url()}"' in response.content.decode()


def test_hidden_discussions_and_their_replies_only_for_coordinators(
    client, search_backend, roles, reply
):
    hide_discussion(moderator=roles["koordinaator"], discussion=reply.discussion, reason="Test")
    client.force_login(roles["liige"])
    assert counts(search(client, "Vahtramäe")) == NOTHING
    assert counts(search(client, "Vahtramäe", type="reply")) == NOTHING
    client.force_login(roles["koordinaator"])
    assert counts(search(client, "Vahtramäe")) == {**NOTHING, "discussion": 1, "reply": 1}


def test_hidden_replies_only_for_coordinators(client, search_backend, roles, reply):
    hide_reply(moderator=roles["koordinaator"], reply=reply, reason="Isikuandmed")
    client.force_login(roles["liige"])
    assert counts(search(client, "Vahtramäe")) == {**NOTHING, "discussion": 1}
    client.force_login(roles["koordinaator"])
    assert counts(search(client, "Vahtramäe")) == {**NOTHING, "discussion": 1, "reply": 1}


def test_deleted_replies_are_found_by_nobody(client, search_backend, roles, question):
    reply = add_reply(
        author=roles["liige2"], discussion=question, body="Proovige Kuuseküla mudelit."
    )
    client.force_login(roles["liige"])
    assert counts(search(client, "Kuuseküla"))["reply"] == 1
    delete_reply(user=roles["liige2"], reply=reply)
    for who in ("liige", "liige2", "koordinaator"):
        client.force_login(roles[who])
        assert counts(search(client, "Kuuseküla")) == NOTHING


def test_former_members_find_nothing(client, search_backend, roles, reply):
    client.force_login(roles["former"])
    response = search(client, "Vahtramäe", type="discussion")
    assert counts(response) == PUBLIC
    assert response.context["results"].paginator.count == 0


def test_discussions_are_found_by_their_tags(client, search_backend, roles, make_discussion):
    make_discussion(
        "Koolitus õpetajatele",
        kind=Discussion.Kind.TRAINING,
        author=roles["liige"],
        body="Meie töötajad sooviksid õppida rühmatöö juhtimist.",
        tags=["kiusamise ennetus"],
        details={"participants": 6},
    )
    client.force_login(roles["liige2"])
    response = search(client, "kiusamise", type="discussion")
    assert titles(response) == ["Koolitus õpetajatele"]
    assert response.context["hits"][0]["kind"] == Discussion.Kind.TRAINING.label


def test_the_kind_facet_counts_and_narrows_discussions(
    client, search_backend, roles, make_discussion
):
    harju = County.objects.get(slug="harjumaa")
    make_discussion("Lõkkeõhtu kogemus", author=roles["liige"], county=harju)
    make_discussion(
        "Lõkkeõhtu juhend",
        kind=Discussion.Kind.MATERIAL,
        author=roles["liige"],
        details={"material_type": Discussion.MaterialType.GUIDE},
    )
    make_discussion(
        "Lõkkeõhtu tulemused",
        kind=Discussion.Kind.PRACTICE,
        author=roles["liige2"],
        details={"results": "Osales kolmkümmend peret."},
    )
    client.force_login(roles["liige"])
    response = search(client, "lõkkeõhtu", type="discussion")
    facets = {f["facet"].name: f for f in response.context["facets"]}
    kinds = {v["id"]: (str(v["label"]), v["count"]) for v in facets["kind"]["values"]}
    assert kinds == {
        "question": (str(Discussion.Kind.QUESTION.label), 1),
        "material": (str(Discussion.Kind.MATERIAL.label), 1),
        "practice": (str(Discussion.Kind.PRACTICE.label), 1),
    }
    assert {str(v["label"]) for v in facets["county"]["values"]} == {"Harju maakond"}

    narrowed = search(client, "lõkkeõhtu", type="discussion", kind="material")
    assert titles(narrowed) == ["<mark>Lõkkeõhtu</mark> juhend"]
    assert counts(narrowed)["discussion"] == 1
    selected = {f["facet"].name: f["selected"] for f in narrowed.context["facets"]}
    assert selected["kind"] == "material"
    # A kind that does not exist selects nothing rather than failing.
    response = search(client, "lõkkeõhtu", type="discussion", kind="<script>")
    assert response.status_code == 200
    assert counts(response)["discussion"] == 3


def test_autocomplete_offers_discussion_titles_to_members_only(
    client, search_backend, roles, reply
):
    results = json.loads(client.get("/otsing/soovitused/", {"q": "Vahtram"}).content)["results"]
    assert results == []
    client.force_login(roles["liige"])
    results = json.loads(client.get("/otsing/soovitused/", {"q": "Vahtram"}).content)["results"]
    assert [(r["title"], r["url"]) for r in results] == [
        (reply.discussion.title, reply.discussion.get_absolute_url())
    ]


@pytest.mark.parametrize(("who", "kind"), [("liige", "discussion"), ("koordinaator", "reply")])
def test_the_search_page_runs_a_fixed_number_of_queries_for_discussions(
    client, search_backend, roles, make_discussion, make_member, who, kind
):
    client.force_login(roles[who])
    other = make_member(organization="emajoe-noored")

    def add(n):
        discussion = make_discussion(
            f"Jalgrattaretk {n} noortega",
            kind=Discussion.Kind.PRACTICE if n % 2 else Discussion.Kind.QUESTION,
            tags=[f"retk{n}"],
            details={"results": "Jalgrattaretk õnnestus."},
        )
        add_reply(author=other, discussion=discussion, body=f"Jalgrattaretk {n} oli ka meil.")

    def queries():
        search(client, "jalgrattaretk", type=kind)  # warm the per-request caches alike
        with CaptureQueriesContext(connection) as captured:
            response = search(client, "jalgrattaretk", type=kind)
        assert response.status_code == 200
        return len(captured), response.context["results"].paginator.count

    for n in range(2):
        add(n)
    few, found_few = queries()
    for n in range(2, 12):
        add(n)
    many, found_many = queries()
    assert found_many > found_few
    assert many == few
