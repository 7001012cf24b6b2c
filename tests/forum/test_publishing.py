"""Publishing advocacy topics: the services (who may, from which status, what they record) and
the coordinators' buttons on the topic page."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from wagtail.models import ModelLogEntry

from forum.models import PUBLISHABLE, AdvocacyTopic, TopicEvent
from forum.services import (
    change_topic_status,
    create_topic,
    edit_topic,
    publish_topic,
    set_position,
    unpublish_topic,
)
from forum.topics import publishing_views

pytestmark = pytest.mark.django_db
T = AdvocacyTopic.Status


# ---------------------------------------------------------------------------------------------

STEPS = {
    T.WORKING_GROUP: [T.WORKING_GROUP],
    T.POSITION_ADOPTED: [T.WORKING_GROUP, T.POSITION_ADOPTED],
    T.SUBMITTED: [T.WORKING_GROUP, T.POSITION_ADOPTED, T.SUBMITTED],
    T.OUTCOME: [T.WORKING_GROUP, T.POSITION_ADOPTED, T.SUBMITTED, T.OUTCOME],
    T.ARCHIVED: [T.WORKING_GROUP, T.POSITION_ADOPTED, T.SUBMITTED, T.OUTCOME, T.ARCHIVED],
}


@pytest.fixture
def make_topic(coordinator):
    """A topic carried along the workflow to `status` through the real services."""

    def make(status=T.POSITION_ADOPTED, **fields):
        topic = create_topic(
            coordinator=coordinator,
            title=fields.pop("title", "Koolitransport maapiirkondades"),
            summary=fields.pop("summary", "Maal elavad lapsed jäävad huviringidest ilma."),
            problem="Bussid ei sobi koolipäevaga.",
            **fields,
        )
        for step in STEPS.get(status, []):
            if step == T.POSITION_ADOPTED:
                set_position(user=coordinator, topic=topic, text="Koolibuss peab sobima.")
            change_topic_status(
                coordinator=coordinator,
                topic=topic,
                status=step,
                note="Edasi.",
                outcome=AdvocacyTopic.Outcome.ACHIEVED if step == T.OUTCOME else "",
            )
        topic.refresh_from_db()
        return topic

    return make


def audit_actions(topic):
    return list(
        ModelLogEntry.objects.filter(
            content_type__app_label="forum",
            content_type__model="advocacytopic",
            object_id=str(topic.pk),
            action__in=["forum.topic.publish", "forum.topic.unpublish"],
        )
        .order_by("timestamp", "pk")
        .values_list("action", "user__username")
    )


def events(topic):
    return list(
        topic.events.filter(
            action__in=[TopicEvent.Action.PUBLISH, TopicEvent.Action.UNPUBLISH]
        ).values_list("action", "actor__username")
    )


# Services ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(PUBLISHABLE))
def test_publishing_from_position_adopted_on_makes_the_topic_public(
    coordinator, make_topic, status
):
    topic = make_topic(status, visibility=AdvocacyTopic.Visibility.COORDINATORS)
    publish_topic(coordinator=coordinator, topic=topic)
    topic.refresh_from_db()
    assert topic.visibility == AdvocacyTopic.Visibility.PUBLIC
    assert topic.published_at is not None and topic.is_published
    assert AdvocacyTopic.objects.published().filter(pk=topic.pk).exists()
    assert events(topic) == [("publish", coordinator.username)]
    assert audit_actions(topic) == [("forum.topic.publish", coordinator.username)]


@pytest.mark.parametrize("status", [T.PROPOSED, T.WORKING_GROUP])
def test_publishing_before_the_position_is_adopted_is_refused(coordinator, make_topic, status):
    topic = make_topic(status)
    with pytest.raises(ValidationError, match="võta kõigepealt selle seisukoht vastu"):
        publish_topic(coordinator=coordinator, topic=topic)
    topic.refresh_from_db()
    assert topic.published_at is None and topic.visibility == AdvocacyTopic.Visibility.NETWORK
    assert events(topic) == [] and audit_actions(topic) == []


def test_publishing_needs_the_plain_language_summary(coordinator, make_topic):
    topic = make_topic(summary="  ")
    with pytest.raises(ValidationError, match="kokkuvõte"):
        publish_topic(coordinator=coordinator, topic=topic)
    assert not AdvocacyTopic.objects.published().exists()


@pytest.mark.parametrize("who", ["liige", "esindaja", "toimetaja", "deactivated"])
def test_only_coordinators_publish_and_unpublish(roles, make_topic, who):
    topic = make_topic()
    with pytest.raises(PermissionDenied):
        publish_topic(coordinator=roles[who], topic=topic)
    publish_topic(coordinator=roles["koordinaator"], topic=topic)
    with pytest.raises(PermissionDenied):
        unpublish_topic(coordinator=roles[who], topic=topic)
    topic.refresh_from_db()
    assert topic.is_published
    assert events(topic) == [("publish", "koordinaator-test")]


def test_unpublishing_clears_the_date_and_is_recorded(coordinator, make_topic):
    topic = publish_topic(coordinator=coordinator, topic=make_topic())
    unpublish_topic(coordinator=coordinator, topic=topic)
    topic.refresh_from_db()
    assert topic.published_at is None and not topic.is_published
    assert not AdvocacyTopic.objects.published().exists()
    assert events(topic) == [("publish", coordinator.username), ("unpublish", coordinator.username)]
    assert audit_actions(topic) == [
        ("forum.topic.publish", coordinator.username),
        ("forum.topic.unpublish", coordinator.username),
    ]
    # Published again, it gets a new date.
    first = topic.events.get(action="publish").created
    topic = publish_topic(coordinator=coordinator, topic=topic)
    assert topic.published_at >= first


def test_publishing_twice_or_unpublishing_an_unpublished_topic_changes_nothing(
    coordinator, make_topic
):
    topic = make_topic()
    unpublish_topic(coordinator=coordinator, topic=topic)
    published = publish_topic(coordinator=coordinator, topic=topic)
    again = publish_topic(coordinator=coordinator, topic=topic)
    assert again.published_at == published.published_at
    assert events(topic) == [("publish", coordinator.username)]
    assert len(audit_actions(topic)) == 1


def test_a_topic_hidden_through_its_visibility_keeps_its_first_publication_date(
    coordinator, make_topic
):
    topic = publish_topic(coordinator=coordinator, topic=make_topic())
    first = topic.published_at
    edit_topic(coordinator=coordinator, topic=topic, visibility=AdvocacyTopic.Visibility.NETWORK)
    assert not AdvocacyTopic.objects.published().exists()
    topic = publish_topic(coordinator=coordinator, topic=topic)
    assert topic.is_published and topic.published_at == first


# The view ------------------------------------------------------------------------------------


def publish_url(topic):
    return f"/foorum/teemad/{topic.pk}/avalda/"


def test_coordinator_publishes_and_unpublishes_from_the_topic_page(client, coordinator, make_topic):
    topic = make_topic()
    client.force_login(coordinator)
    response = client.post(publish_url(topic), {"action": "publish"})
    assert response.status_code == 302 and response["Location"] == f"/foorum/teemad/{topic.pk}/"
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    topic.refresh_from_db()
    assert topic.is_published
    response = client.post(publish_url(topic), {"action": "unpublish"})
    assert response.status_code == 302 and response["Location"] == f"/foorum/teemad/{topic.pk}/"
    # (the first message waits for the topic page to show it)
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success", "success"]
    topic.refresh_from_db()
    assert not topic.is_published
    assert events(topic) == [("publish", coordinator.username), ("unpublish", coordinator.username)]


def test_a_refused_publication_is_a_message_not_an_error(coordinator, make_topic, rf):
    topic = make_topic(T.WORKING_GROUP)
    request = rf.post(publish_url(topic), {"action": "publish"})
    request.user, request.session = coordinator, SessionStore()
    request._messages = FallbackStorage(request)
    response = publishing_views.topic_publish(request, pk=topic.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/foorum/teemad/{topic.pk}/"
    (message,) = get_messages(request)
    assert message.level_tag == "error" and "võta kõigepealt selle seisukoht vastu" in str(message)
    topic.refresh_from_db()
    assert not topic.is_published


def test_publishing_asks_for_an_action_and_a_post(client, coordinator, make_topic):
    topic = make_topic()
    client.force_login(coordinator)
    assert client.get(publish_url(topic)).status_code == 405
    response = client.post(publish_url(topic), {"action": "delete"})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    topic.refresh_from_db()
    assert not topic.is_published
    assert client.post(f"/foorum/teemad/{topic.pk + 1000}/avalda/").status_code == 404


@pytest.mark.parametrize("who", ["liige", "esindaja", "toimetaja"])
def test_only_coordinators_may_use_the_publish_view(client, roles, make_topic, who):
    topic = make_topic()
    client.force_login(roles[who])
    assert client.post(publish_url(topic), {"action": "publish"}).status_code == 403
    topic.refresh_from_db()
    assert not topic.is_published


def test_visitors_are_sent_to_sign_in(client, make_topic):
    topic = make_topic()
    response = client.post(publish_url(topic), {"action": "publish"})
    assert response.status_code == 302 and "?next=" in response["Location"]
    topic.refresh_from_db()
    assert not topic.is_published


def test_the_public_page_link_leads_to_the_topic_in_the_readers_language(
    client, roles, coordinator, make_topic
):
    topic = make_topic(title="Õhtune buss huviringist koju")
    client.force_login(roles["liige"])
    assert client.get(f"/foorum/teemad/{topic.pk}/avalik/").status_code == 404
    publish_topic(coordinator=coordinator, topic=topic)
    response = client.get(f"/foorum/teemad/{topic.pk}/avalik/")
    assert response["Location"] == f"/teemad/{topic.pk}/ohtune-buss-huviringist-koju/"
    response = client.get(f"/en/forum/topics/{topic.pk}/public/")
    assert response["Location"] == f"/en/topics/{topic.pk}/ohtune-buss-huviringist-koju/"


def test_the_publishing_controls_show_coordinators_the_state_and_the_public_page(
    coordinator, make_topic
):
    topic = make_topic()
    html = render_to_string(
        "forum/includes/topic_publish.html", {"topic": topic, "forum_coordinator": True}
    )
    assert f'action="/foorum/teemad/{topic.pk}/avalda/"' in html
    assert 'name="action" value="publish"' in html and "/avalik/" not in html
    publish_topic(coordinator=coordinator, topic=topic)
    topic.refresh_from_db()
    html = render_to_string(
        "forum/includes/topic_publish.html", {"topic": topic, "forum_coordinator": True}
    )
    assert 'name="action" value="unpublish"' in html
    assert f'href="/foorum/teemad/{topic.pk}/avalik/"' in html
    # Members see no controls.
    assert render_to_string("forum/includes/topic_publish.html", {"topic": topic}).strip() == ""
