"""Published advocacy topics in the site search: everyone finds them, at their public pages in
the reader's language; unpublished ones are found by no one."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cms.models import TopicIndexPage
from forum.models import AdvocacyTopic
from forum.services import (
    change_topic_status,
    create_topic,
    publish_topic,
    set_position,
    unpublish_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.search]
T = AdvocacyTopic.Status


def search(client, q, language="et", **params):
    with translation.override(language):
        url = reverse("search")
    return client.get(url, {"q": q, **params})  # the request leaves its language active


def counts(response):
    return {t["key"]: t["count"] for t in response.context["types"]}


def hits(response):
    return [(str(hit["title"]), hit["url"]) for hit in response.context["hits"]]


@pytest.fixture
def make_topic(coordinator):
    """A topic with an adopted position, published unless told."""

    def make(title, *, summary="Maal elavad lapsed jäävad huviringidest ilma.", publish=True):
        topic = create_topic(
            coordinator=coordinator, title=title, summary=summary, problem="Sisemine."
        )
        change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="A")
        set_position(user=coordinator, topic=topic, text="Koolibuss peab sobima **tunniplaaniga**.")
        change_topic_status(
            coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="B"
        )
        if publish:
            publish_topic(coordinator=coordinator, topic=topic)
        return topic

    return make


def test_visitors_find_published_topics_at_their_public_pages(client, search_backend, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    response = search(client, "koolitransport")
    assert counts(response) == {"page": 0, "topic": 1, "organization": 0}
    assert hits(response) == [
        (
            "<mark>Koolitransport</mark> maapiirkondades",
            f"/teemad/{topic.pk}/koolitransport-maapiirkondades/",
        )
    ]
    # The summary and the position are searched and shown as the snippet.
    response = search(client, "tunniplaaniga", type="topic")
    assert counts(response)["topic"] == 1
    assert "<mark>tunniplaaniga</mark>" in response.context["hits"][0]["snippet"]


def test_nobody_finds_unpublished_topics(client, search_backend, roles, make_topic):
    make_topic("Salajane koolitransport", publish=False)
    assert counts(search(client, "koolitransport")) == {"page": 0, "topic": 0, "organization": 0}
    client.force_login(roles["liige"])
    assert counts(search(client, "koolitransport"))["topic"] == 0
    client.force_login(roles["koordinaator"])
    assert counts(search(client, "koolitransport"))["topic"] == 0


def test_an_unpublished_topic_leaves_the_search(client, search_backend, coordinator, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    assert counts(search(client, "koolitransport"))["topic"] == 1
    unpublish_topic(coordinator=coordinator, topic=topic)
    response = search(client, "koolitransport")
    assert counts(response) == {"page": 0, "topic": 0, "organization": 0}
    assert response.context["results"].paginator.count == 0


def test_members_find_topics_beside_the_issues(client, roles, make_topic, make_issue):
    make_topic("Koolitransport maapiirkondades")
    make_issue("Koolitransport puudub õhtuti")
    client.force_login(roles["liige"])
    counted = counts(search(client, "koolitransport"))
    assert counted == {
        "page": 0,
        "topic": 1,
        "organization": 0,
        "issue": 1,
        "comment": 0,
        "discussion": 0,
        "reply": 0,
    }


def test_english_readers_find_the_topic_at_its_english_address(client, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    response = search(client, "koolitransport", "en")
    assert response.context["types"][1]["label"] == "Advocacy topics"
    assert hits(response)[0][1] == f"/en/topics/{topic.pk}/koolitransport-maapiirkondades/"


def test_without_a_topics_page_the_language_has_no_topic_source(client, make_topic):
    make_topic("Koolitransport maapiirkondades")
    TopicIndexPage.objects.get(locale__language_code="en").unpublish()
    assert "topic" not in counts(search(client, "koolitransport", "en"))
    assert counts(search(client, "koolitransport"))["topic"] == 1


def test_autocomplete_suggests_published_topics_only(client, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    make_topic("Koolitoit maapiirkondades", publish=False)
    results = json.loads(client.get("/otsing/soovitused/", {"q": "Kooli"}).content)["results"]
    assert {"title": topic.title, "url": f"/teemad/{topic.pk}/koolitransport-maapiirkondades/"} in (
        results
    )
    assert all(r["title"] != "Koolitoit maapiirkondades" for r in results)


def test_searching_topics_runs_a_fixed_number_of_queries(client, make_topic):
    def queries():
        search(client, "koolitransport", type="topic")  # warm the per-request caches alike
        with CaptureQueriesContext(connection) as captured:
            response = search(client, "koolitransport", type="topic")
        return len(captured), response.context["results"].paginator.count

    for n in range(2):
        make_topic(f"Koolitransport {n}")
    few, found_few = queries()
    for n in range(2, 12):
        make_topic(f"Koolitransport {n}")
    many, found_many = queries()
    assert (found_few, found_many) == (2, 12)
    assert many == few
