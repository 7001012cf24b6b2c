"""Advocacy topics through the services: escalation, the workflow, the working group's
position and signatures, and concurrent escalations on a real database."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from forum.members.roles import COORDINATORS
from forum.models import (
    AdvocacyTopic,
    Issue,
    Notification,
    TopicEvent,
    TopicIssue,
    TopicSignature,
)
from forum.services import (
    add_support,
    add_topic_comment,
    answer_position,
    change_topic_status,
    create_topic,
    escalate_issues,
    hide_issue,
    join_working_group,
    merge_issue_into,
    set_position,
    unlink_issue,
)

pytestmark = pytest.mark.django_db
T = AdvocacyTopic.Status

NEW_TOPIC = {
    "title": "Koolitransport maapiirkondades",
    "summary": "Maal elavad lapsed jäävad koolibussi tõttu huviringidest ilma.",
    "problem": "Bussid ei sobi koolipäevaga.",
}


@pytest.fixture
def topic(roles):
    return create_topic(coordinator=roles["koordinaator"], **NEW_TOPIC)


def to_adopted(topic, coordinator):
    change_topic_status(
        coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Alustame."
    )
    set_position(user=coordinator, topic=topic, text="Koolibuss peab sobima koolipäevaga.")
    return change_topic_status(
        coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="Võeti vastu."
    )


def test_escalating_two_issues_into_a_new_topic(roles, make_issue, make_member):
    first = make_issue("Koolibuss tuleb liiga vara")
    second = make_issue("Bussi ei ole õhtul", author=make_member(organization="emajoe-noored"))
    coordinator = roles["koordinaator"]
    topic = escalate_issues(
        coordinator=coordinator, issues=[first, second], reason="Sama mure.", **NEW_TOPIC
    )
    assert topic.title == NEW_TOPIC["title"] and topic.status == T.PROPOSED
    assert set(topic.issues.all()) == {first, second}
    for issue in (first, second):
        issue.refresh_from_db()
        assert issue.status == Issue.Status.ESCALATED
        link = issue.topic_link
        assert (link.topic, link.linked_by, link.reason) == (topic, coordinator, "Sama mure.")
        # The author hears of it.
        assert Notification.objects.filter(
            recipient=issue.author, issue=issue, kind=Notification.Kind.ESCALATED
        ).exists()
    assert list(topic.events.values_list("action", flat=True)) == ["create", "link", "link"]


def test_escalation_needs_a_reason_and_refuses_what_cannot_go(roles, make_issue, topic):
    coordinator = roles["koordinaator"]
    issue = make_issue()
    with pytest.raises(ValidationError, match="Ütle, miks"):
        escalate_issues(coordinator=coordinator, issues=[issue], reason=" ", topic=topic)
    escalate_issues(coordinator=coordinator, issues=[issue], reason="Jah.", topic=topic)
    other = create_topic(coordinator=coordinator, **{**NEW_TOPIC, "title": "Teine"})
    with pytest.raises(ValidationError, match="on juba teemas"):
        escalate_issues(coordinator=coordinator, issues=[issue], reason="Ka siia.", topic=other)
    hidden = make_issue("Peidetud mure")
    hide_issue(moderator=coordinator, issue=hidden, reason="Isikuandmed")
    with pytest.raises(ValidationError, match="on peidetud"):
        escalate_issues(coordinator=coordinator, issues=[hidden], reason="Jah.", topic=other)
    with pytest.raises(PermissionDenied):
        escalate_issues(
            coordinator=roles["liige"], issues=[make_issue("X")], reason="J", topic=other
        )
    # Nothing half-done: the refused escalations changed nothing.
    assert other.issues.count() == 0
    assert TopicIssue.objects.filter(topic=other).count() == 0


def test_unlinking_returns_the_issue_to_review_and_is_recorded(roles, make_issue, topic):
    coordinator = roles["koordinaator"]
    issue = make_issue()
    escalate_issues(coordinator=coordinator, issues=[issue], reason="Jah.", topic=topic)
    unlink_issue(coordinator=coordinator, topic=topic, issue=issue, reason="Ei kuulu siia.")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.IN_REVIEW and topic.issues.count() == 0
    event = topic.events.get(action=TopicEvent.Action.UNLINK)
    assert (event.issue, event.actor, event.note) == (issue, coordinator, "Ei kuulu siia.")


def test_the_workflow_refuses_illegal_steps_and_records_legal_ones(roles, topic):
    coordinator = roles["koordinaator"]
    with pytest.raises(ValidationError, match="ei saa muuta staatuseks"):
        change_topic_status(coordinator=coordinator, topic=topic, status=T.SUBMITTED, note="Kiire")
    with pytest.raises(ValidationError, match="märkus"):
        change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="")
    change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Algab.")
    with pytest.raises(ValidationError, match="Kirjuta seisukoht enne"):
        change_topic_status(
            coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="Valmis"
        )
    set_position(user=coordinator, topic=topic, text="Seisukoht.")
    change_topic_status(
        coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="Valmis"
    )
    change_topic_status(coordinator=coordinator, topic=topic, status=T.SUBMITTED, note="Saadetud")
    with pytest.raises(ValidationError, match="Vali tulemus"):
        change_topic_status(coordinator=coordinator, topic=topic, status=T.OUTCOME, note="Tulemus")
    topic = change_topic_status(
        coordinator=coordinator,
        topic=topic,
        status=T.OUTCOME,
        note="Määrus muutus",
        outcome=AdvocacyTopic.Outcome.PARTLY_ACHIEVED,
    )
    assert topic.outcome == AdvocacyTopic.Outcome.PARTLY_ACHIEVED
    steps = topic.events.filter(action=TopicEvent.Action.TRANSITION)
    assert [(e.from_status, e.to_status, e.actor) for e in steps] == [
        (T.PROPOSED, T.WORKING_GROUP, coordinator),
        (T.WORKING_GROUP, T.POSITION_ADOPTED, coordinator),
        (T.POSITION_ADOPTED, T.SUBMITTED, coordinator),
        (T.SUBMITTED, T.OUTCOME, coordinator),
    ]
    with pytest.raises(PermissionDenied):
        change_topic_status(coordinator=roles["liige"], topic=topic, status=T.ARCHIVED, note="x")


def test_every_version_of_the_position_is_kept_and_adoption_freezes_it(roles, topic):
    coordinator, member = roles["koordinaator"], roles["liige"]
    change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Algab")
    with pytest.raises(PermissionDenied, match="liitu töörühmaga"):
        set_position(user=member, topic=topic, text="Minu versioon")
    join_working_group(user=member, topic=topic)
    set_position(user=member, topic=topic, text="Esimene versioon")
    set_position(user=coordinator, topic=topic, text="Teine versioon")
    assert [p.text for p in topic.positions.all()] == ["Teine versioon", "Esimene versioon"]
    change_topic_status(coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="Ok")
    with pytest.raises(ValidationError, match="vastu võetud"):
        set_position(user=coordinator, topic=topic, text="Kolmas")
    topic.refresh_from_db()
    assert topic.position == "Teine versioon"


def test_organisations_sign_or_object_once_through_their_representative(roles, topic):
    coordinator, representative = roles["koordinaator"], roles["esindaja"]
    organization = representative.memberships.get().organization
    with pytest.raises(ValidationError, match="ei saa praegu allkirjastada"):
        answer_position(user=representative, topic=topic, organization=organization, stance="sign")
    change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Algab")
    set_position(user=coordinator, topic=topic, text="Seisukoht.")
    with pytest.raises(PermissionDenied, match="esindaja kaudu"):
        answer_position(user=roles["liige"], topic=topic, organization=organization, stance="sign")
    with pytest.raises(ValidationError, match="mille vastu organisatsioon on"):
        answer_position(
            user=representative, topic=topic, organization=organization, stance="object"
        )
    answer_position(user=representative, topic=topic, organization=organization, stance="sign")
    answer_position(
        user=representative,
        topic=topic,
        organization=organization,
        stance="object",
        note="Liiga nõrk.",
    )
    (signature,) = TopicSignature.objects.filter(topic=topic)
    assert (signature.stance, signature.note) == ("object", "Liiga nõrk.")
    assert signature.position == topic.positions.first()


def test_members_join_leave_and_comment(roles, topic):
    member = roles["liige"]
    join_working_group(user=member, topic=topic)
    join_working_group(user=member, topic=topic)  # twice is once
    assert list(topic.working_group.all()) == [member]
    comment = add_topic_comment(author=member, topic=topic, body="Meil on **andmed**.")
    assert "<strong>andmed</strong>" in comment.body_html
    assert comment.organization == member.memberships.get().organization
    join_working_group(user=member, topic=topic, join=False)
    assert topic.working_group.count() == 0
    with pytest.raises((PermissionDenied, Http404)):  # not in the network: not even seen
        add_topic_comment(author=roles["toimetaja"], topic=topic, body="Toimetaja arvamus")


def test_coordinator_only_topics_are_invisible_to_members(roles):
    topic = create_topic(
        coordinator=roles["koordinaator"],
        visibility=AdvocacyTopic.Visibility.COORDINATORS,
        **NEW_TOPIC,
    )
    with pytest.raises(Http404):
        join_working_group(user=roles["liige"], topic=topic)


def test_merging_a_duplicate_keeps_every_supporter_and_follower(roles, make_issue, make_member):
    original = make_issue("Mänguväljak on katki")
    duplicate = make_issue("Mänguväljak lagunes", author=make_member(organization="emajoe-noored"))
    supporter = make_member(organization="vorumaa-lapsed")
    add_support(
        user=supporter, issue=duplicate, organization=supporter.memberships.get().organization
    )
    merge_issue_into(moderator=roles["koordinaator"], duplicate=duplicate, original=original)
    supporting = set(original.supports.values_list("organization__slug", flat=True))
    assert supporting == {"emajoe-noored", "vorumaa-lapsed"}
    assert original.follows.filter(user=supporter).exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_escalating_one_issue_at_once_end_consistent(
    django_db_blocker, make_issue, make_member
):
    """Real concurrent connections (PostgreSQL in CI; SQLite serialises the writers)."""
    from django.contrib.auth import get_user_model

    coordinators = []
    for name in ("k1", "k2"):
        user = get_user_model().objects.create_user(name, password="x")
        user.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
        coordinators.append(user)
    issue = make_issue("Üks mure kahele teemale")
    topics = [
        create_topic(coordinator=c, **{**NEW_TOPIC, "title": f"Teema {n}"})
        for n, c in enumerate(coordinators)
    ]
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def escalate(n):
        try:
            barrier.wait(timeout=10)
            escalate_issues(
                coordinator=coordinators[n], issues=[issue], reason="Kiire", topic=topics[n]
            )
            outcomes[n] = "ok"
        except ValidationError as e:
            outcomes[n] = e.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=escalate, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    assert TopicIssue.objects.filter(issue=issue).count() == 1
    winner = TopicIssue.objects.get(issue=issue).topic
    assert winner.events.filter(action="link").count() == 1
    loser = next(t for t in topics if t != winner)
    assert loser.events.filter(action="link").count() == 0
    issue.refresh_from_db()
    assert issue.status == Issue.Status.ESCALATED


@pytest.mark.django_db(transaction=True)
def test_two_transitions_of_one_topic_racing_end_consistent():
    """Both coordinators press "start the working group" at once: the topic row lock lets
    one step through; the other is refused, and the log holds one transition."""
    from django.contrib.auth import get_user_model

    coordinators = []
    for name in ("k3", "k4"):
        user = get_user_model().objects.create_user(name, password="x")
        user.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
        coordinators.append(user)
    topic = create_topic(coordinator=coordinators[0], **NEW_TOPIC)
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def start(n):
        try:
            barrier.wait(timeout=10)
            change_topic_status(
                coordinator=coordinators[n], topic=topic, status=T.WORKING_GROUP, note=f"{n}"
            )
            outcomes[n] = "ok"
        except ValidationError as e:
            outcomes[n] = e.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    topic.refresh_from_db()
    assert topic.status == T.WORKING_GROUP
    assert topic.events.filter(action=TopicEvent.Action.TRANSITION).count() == 1
