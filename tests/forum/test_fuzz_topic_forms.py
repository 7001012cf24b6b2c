"""Hypothesis against every form of advocacy topics and escalation: never a 500, a refusal
says why and changes nothing, an acceptance stores exactly what was sent. The strategies and
helpers are test_bad_input.py's."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from forum import services
from forum.core.markdown import render_markdown
from forum.models import (
    AdvocacyTopic,
    Issue,
    Membership,
    Notification,
    TopicComment,
    TopicEvent,
    TopicIssue,
    TopicMember,
    TopicPosition,
    TopicSignature,
)
from forum.topics import workflow

from .test_bad_input import (
    FUZZ,
    JUNK,
    TEXT,
    Known,
    as_stored,
    assert_inert,
    logged_in,
    page_of,
    pick,
    send,
)
from .test_bad_input import resolve as resolve_known

pytestmark = pytest.mark.django_db
T = AdvocacyTopic.Status

COUNTED = (
    AdvocacyTopic,
    TopicIssue,
    TopicEvent,
    TopicPosition,
    TopicSignature,
    TopicComment,
    TopicMember,
    Issue,
    ModelLogEntry,
    Notification,
)
NEW_TOPIC = {"title": "Koolitransport", "summary": "Kokkuvõte.", "problem": "Probleem."}


def mostly(valid):
    """Valid two times in three, so that acceptance is explored as well as refusal (one_of
    would draw each of JUNK's many branches as often as the valid one)."""
    return st.integers(0, 2).flatmap(lambda n: JUNK if n == 0 else valid)


PROSE = mostly(
    st.one_of(
        st.sampled_from(["Koolitransport", "Lapsed jäävad **huviringist** ilma.", "<b>x</b>"]),
        st.text(min_size=1, max_size=300),
    )
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def changes(before: dict[str, int], *, ignore=("Notification",)) -> dict[str, int]:
    after = counts()
    return {
        name: after[name] - before[name]
        for name in after
        if after[name] != before[name] and name not in ignore
    }


def refused(response, before, *, status) -> None:
    """Refused with a reason shown, and nothing stored."""
    assert response.status_code == status
    assert page_of(response).summary().strip(), "refused without saying why"
    assert changes(before, ignore=()) == {}


def topic_in(status, coordinator, **fields) -> AdvocacyTopic:
    topic = services.create_topic(coordinator=coordinator, **{**NEW_TOPIC, **fields})
    path = {
        T.PROPOSED: [],
        T.WORKING_GROUP: [T.WORKING_GROUP],
        T.SUBMITTED: [T.WORKING_GROUP, T.POSITION_ADOPTED, T.SUBMITTED],
    }[status]
    for step in path:
        if step == T.POSITION_ADOPTED:
            services.set_position(user=coordinator, topic=topic, text="Seisukoht.")
        services.change_topic_status(coordinator=coordinator, topic=topic, status=step, note="x")
    topic.refresh_from_db()
    return topic


# Creating and editing --------------------------------------------------------------------------

TOPIC_POST = st.fixed_dictionaries(
    {
        "title": PROSE,
        "summary": PROSE,
        "problem": PROSE,
        "visibility": mostly(st.sampled_from(AdvocacyTopic.Visibility.values)),
    },
    optional={
        "lead": mostly(st.just(Known("lead"))),
        "institution_kind": mostly(st.sampled_from(AdvocacyTopic.Institution.values)),
        "institution": TEXT,
        "deadline": mostly(st.dates().map(datetime.date.isoformat)),
        "deadline_label": TEXT,
        "deadline_url": mostly(st.just("https://eelnoud.valitsus.ee/main#x")),
        "confirm_privacy": JUNK,
    },
)
VALID_TOPIC_POST = {
    **NEW_TOPIC,
    "visibility": "network",
    "lead": Known("lead"),
    "deadline": "2031-05-20",
    "deadline_url": "https://eelnoud.valitsus.ee/main#x",
}


def assert_topic_matches(topic: AdvocacyTopic, data: dict) -> None:
    assert topic.title == as_stored(data["title"], single_line=True)
    assert topic.summary == as_stored(data["summary"])
    assert topic.problem == as_stored(data["problem"])
    assert topic.problem_html == render_markdown(topic.problem)
    assert topic.visibility == data["visibility"]
    assert topic.institution_kind == data.get("institution_kind", "")
    deadline = (data.get("deadline") or "").strip()
    assert (topic.deadline.isoformat() if topic.deadline else "") == deadline


@FUZZ
@given(post=TOPIC_POST)
@example(post=VALID_TOPIC_POST)
def test_random_input_to_the_topic_form(coordinator, post):
    client = logged_in(coordinator)
    data = resolve_known(post, {"lead": [coordinator.pk]})
    before = counts()
    response = send(client, reverse("forum:topic_create"), data)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        topic = AdvocacyTopic.objects.latest("pk")
        assert response.url == topic.get_absolute_url()
        assert_topic_matches(topic, data)
        assert topic.lead == coordinator
        assert changes(before) == {"AdvocacyTopic": 1, "TopicEvent": 1, "ModelLogEntry": 1}
        page = send(client, response.url, method="get")
        assert page.status_code == 200
        assert_inert(page.content.decode())
    else:
        refused(response, before, status=200)


@FUZZ
@given(post=TOPIC_POST, lead=mostly(st.just(Known("lead"))))
@example(post=VALID_TOPIC_POST, lead="")
def test_random_input_to_the_topic_edit_form(coordinator, post, lead):
    topic = services.create_topic(coordinator=coordinator, **NEW_TOPIC)
    client = logged_in(coordinator)
    # A topic keeps its lead: the edit form asks for one, so it is sent more often than not.
    data = resolve_known({"lead": lead, **post}, {"lead": [coordinator.pk]})
    before = counts()
    response = send(client, reverse("forum:topic_edit", args=[topic.pk]), data)
    event(f"answered {response.status_code}")
    topic.refresh_from_db()
    if response.status_code == 302:
        assert_topic_matches(topic, data)
        assert changes(before) == {"ModelLogEntry": 1}
        assert_inert(send(client, response.url, method="get").content.decode())
    else:
        refused(response, before, status=200)
        assert (topic.title, topic.summary, topic.problem) == tuple(NEW_TOPIC.values())


# The topic page's forms ------------------------------------------------------------------------


@FUZZ
@given(
    post=st.fixed_dictionaries(
        {},
        optional={
            # NEXT: a step the topic can take now.
            "status": mostly(st.sampled_from([*T.values, "NEXT", "NEXT"])),
            "note": PROSE,
            "outcome": mostly(st.sampled_from(AdvocacyTopic.Outcome.values)),
        },
    ),
    start=st.sampled_from([T.PROPOSED, T.WORKING_GROUP, T.SUBMITTED]),
)
@example(post={"status": "working_group", "note": "Algab."}, start=T.PROPOSED)
@example(post={"status": "outcome", "note": "Tulemus.", "outcome": "achieved"}, start=T.SUBMITTED)
def test_random_input_to_the_transition_forms(coordinator, post, start):
    topic = topic_in(start, coordinator)
    if post.get("status") == "NEXT":
        post = {**post, "status": workflow.topic_transitions(topic)[0].target}
    before = counts()
    url = reverse("forum:topic_transition", args=[topic.pk])
    response = send(logged_in(coordinator), url, post)
    event(f"answered {response.status_code}")
    topic.refresh_from_db()
    if response.status_code == 302:
        assert workflow.find_topic_transition(start, topic.status) is not None
        assert topic.status == post["status"]
        step = topic.events.latest("pk")
        assert (step.from_status, step.to_status, step.note) == (
            start,
            post["status"],
            as_stored(post["note"]),
        )
        assert changes(before) == {"TopicEvent": 1, "ModelLogEntry": 1}
    else:
        refused(response, before, status=400)
        assert topic.status == start


@FUZZ
@given(reason=st.one_of(st.none(), PROSE))
@example(reason="Ei kuulu siia.")
def test_random_input_to_the_unlink_form(coordinator, make_issue, reason):
    topic = topic_in(T.PROPOSED, coordinator)
    issue = make_issue()
    services.escalate_issues(coordinator=coordinator, issues=[issue], reason="x", topic=topic)
    before = counts()
    url = reverse("forum:topic_unlink", args=[topic.pk, issue.pk])
    response = send(logged_in(coordinator), url, {} if reason is None else {"reason": reason})
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        assert not TopicIssue.objects.filter(issue=issue).exists()
        assert topic.events.latest("pk").note == as_stored(reason)
        assert changes(before) == {"TopicIssue": -1, "TopicEvent": 1, "ModelLogEntry": 1}
    else:
        refused(response, before, status=400)
        assert TopicIssue.objects.filter(issue=issue, topic=topic).exists()


@FUZZ
@given(
    post=st.fixed_dictionaries({}, optional={"text": PROSE, "confirm_privacy": JUNK}),
    adopted=st.booleans(),
)
@example(post={"text": "Uus seisukoht."}, adopted=False)
def test_random_input_to_the_position_form(coordinator, post, adopted):
    topic = topic_in(T.SUBMITTED if adopted else T.WORKING_GROUP, coordinator)
    position = topic.position
    before = counts()
    url = reverse("forum:topic_position", args=[topic.pk])
    response = send(logged_in(coordinator), url, post)
    event(f"answered {response.status_code}")
    topic.refresh_from_db()
    if response.status_code == 302:
        assert not adopted and topic.position == as_stored(post["text"])
        assert topic.positions.first().text == topic.position
        assert changes(before) == {"TopicPosition": 1, "TopicEvent": 1, "ModelLogEntry": 1}
    else:
        refused(response, before, status=200)
        assert topic.position == position


@FUZZ
@given(post=st.fixed_dictionaries({}, optional={"body": PROSE, "confirm_privacy": JUNK}))
@example(post={"body": "Meil ka."})
def test_random_input_to_the_topic_comment_form(coordinator, make_member, post):
    topic = topic_in(T.PROPOSED, coordinator)
    client = logged_in(make_member())
    before = counts()
    response = send(client, reverse("forum:topic_comment", args=[topic.pk]), post)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        comment = TopicComment.objects.get(topic=topic)
        assert comment.body == as_stored(post["body"])
        assert changes(before) == {"TopicComment": 1, "ModelLogEntry": 1}
        assert_inert(send(client, response.url, method="get").content.decode())
    else:
        refused(response, before, status=400)


@FUZZ
@given(
    post=st.fixed_dictionaries(
        {},
        optional={
            "organization": pick("organization"),
            "stance": mostly(st.sampled_from(TopicSignature.Stance.values)),
            "note": PROSE,
        },
    )
)
@example(post={"stance": "object", "note": "Liiga nõrk."})
def test_random_input_to_the_signature_form(coordinator, make_member, organizations, post):
    topic = topic_in(T.WORKING_GROUP, coordinator)
    services.set_position(user=coordinator, topic=topic, text="Seisukoht.")
    representative = make_member(role=Membership.Role.REPRESENTATIVE)
    data = resolve_known(post, {"organization": [organizations["paikesekiir"].pk]})
    before = counts()
    client = logged_in(representative)
    response = send(client, reverse("forum:topic_sign", args=[topic.pk]), data)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        signature = TopicSignature.objects.get(topic=topic)
        assert signature.organization.slug == "paikesekiir"
        assert signature.stance == data["stance"]
        if signature.stance == "object":
            assert signature.note == as_stored(data["note"]) != ""
        assert changes(before) == {"TopicSignature": 1, "ModelLogEntry": 1}
        assert_inert(send(client, response.url, method="get").content.decode())
    else:
        refused(response, before, status=400)


@FUZZ
@given(join=st.one_of(st.none(), JUNK))
def test_random_input_to_the_working_group_button(coordinator, make_member, join):
    topic = topic_in(T.PROPOSED, coordinator)
    member = make_member()
    url = reverse("forum:topic_join", args=[topic.pk])
    response = send(logged_in(member), url, {} if join is None else {"join": join})
    assert response.status_code == 302
    assert topic.working_group.filter(pk=member.pk).exists() == (join == "1")


# Escalation ------------------------------------------------------------------------------------

ESCALATE_POST = st.fixed_dictionaries(
    {"reason": PROSE},
    optional={
        "topic": mostly(st.just(Known("topic"))),
        "title": PROSE,
        "summary": PROSE,
        "problem": PROSE,
        "confirm_privacy": JUNK,
    },
)


def as_pks(values) -> set[int]:
    """The issue ids the form accepts: what int() reads (" 7", "٧"), as the database lookup."""
    return {int(value) for value in values}


def assert_escalated(pks: set[int], data, before, response) -> None:
    """Exactly these issues went into one topic: the chosen one or a new one from the form."""
    links = TopicIssue.objects.filter(issue__in=pks).select_related("topic", "issue")
    topic = links[0].topic
    assert response.url == topic.get_absolute_url()
    assert {link.topic_id for link in links} == {topic.pk} and len(links) == len(pks)
    for link in links:
        assert link.issue.status == Issue.Status.ESCALATED
        assert link.reason == as_stored(data["reason"])
    n = len(pks)
    if AdvocacyTopic.objects.count() > before["AdvocacyTopic"]:
        assert topic.title == as_stored(data["title"], single_line=True)
        expected = {"AdvocacyTopic": 1, "TopicIssue": n, "TopicEvent": n + 1}
        expected["ModelLogEntry"] = n + 1
    else:
        assert topic.pk == int(data["topic"])
        expected = {"TopicIssue": n, "TopicEvent": n, "ModelLogEntry": n}
    assert changes(before) == expected


@FUZZ
@given(post=ESCALATE_POST)
@example(post={"reason": "Sama mure.", **NEW_TOPIC})
@example(post={"reason": "Sama mure.", "topic": Known("topic")})
def test_random_input_to_the_escalation_form(coordinator, make_issue, post):
    topic = topic_in(T.PROPOSED, coordinator)
    issue = make_issue()
    data = resolve_known(post, {"topic": [topic.pk]})
    before = counts()
    response = send(logged_in(coordinator), reverse("forum:issue_escalate", args=[issue.pk]), data)
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        assert_escalated({issue.pk}, data, before, response)
    else:
        refused(response, before, status=200)
        issue.refresh_from_db()
        assert issue.status == Issue.Status.OPEN


@FUZZ
@given(
    post=ESCALATE_POST,
    issues=st.lists(pick("issue"), max_size=4),
    confirm=st.booleans(),
)
@example(post={"reason": "Sama mure.", **NEW_TOPIC}, issues=[Known("issue", 1)], confirm=True)
def test_random_input_to_the_escalation_of_several_issues(
    coordinator, make_issue, post, issues, confirm
):
    topic = topic_in(T.PROPOSED, coordinator)
    fresh = [make_issue(f"Mure {n}") for n in range(3)]
    ids = {"topic": [topic.pk], "issue": [i.pk for i in fresh]}
    data = resolve_known({**post, "issues": issues}, ids)
    if confirm:
        data["escalate"] = "1"
    before = counts()
    response = send(logged_in(coordinator), reverse("forum:issues_escalate"), data)
    event(f"answered {response.status_code} {'confirm' if confirm else 'pick'}")
    if response.status_code == 302 and confirm:
        assert_escalated(as_pks(data["issues"]), data, before, response)
    elif response.status_code == 302:
        assert response.url == reverse("forum:issue_list")
        assert changes(before, ignore=()) == {}
    else:
        assert response.status_code == 200
        if confirm:
            refused(response, before, status=200)
        else:
            # The confirmation page lists what was ticked and has stored nothing yet.
            listed = {i.pk for i in response.context["issues"]}
            assert listed == as_pks(data["issues"])
            assert changes(before, ignore=()) == {}


@FUZZ
@given(query=st.fixed_dictionaries({}, optional={"status": JUNK, "page": JUNK}))
def test_random_filters_on_the_topic_list(make_member, query):
    response = send(logged_in(make_member()), reverse("forum:topic_list"), query, method="get")
    assert response.status_code == 200
