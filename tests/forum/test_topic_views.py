"""Advocacy topics through their pages: the list, the topic page and its forms, the position's
versions and escalating issues, for the roles that use them. Refused forms keep what was typed
and store nothing; list and page run a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, translate_url
from django.utils import timezone

from forum import services
from forum.models import (
    AdvocacyTopic,
    AgeGroup,
    County,
    Issue,
    Membership,
    Organization,
    Theme,
    TopicComment,
    TopicEvent,
    TopicIssue,
    TopicPosition,
    TopicSignature,
)

from .test_bad_input import ISIKUKOODID, page_of

pytestmark = pytest.mark.django_db
T = AdvocacyTopic.Status

NEW_TOPIC = {
    "title": "Koolitransport maapiirkondades",
    "summary": "Maal elavad lapsed jäävad koolibussi tõttu huviringidest ilma.",
    "problem": "Bussid ei sobi **koolipäevaga**.",
}


@pytest.fixture
def topic(coordinator):
    return services.create_topic(coordinator=coordinator, **NEW_TOPIC)


def logged_in(client, user):
    client.force_login(user)
    return client


def queries(client, url) -> int:
    client.get(url)  # process-wide caches (content types, the site) warm up first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def typed(response, name: str) -> list[str]:
    """What the page's fields called `name` hold: inputs' values and textareas' text."""
    values = []
    for element in page_of(response).elements:
        if element["attrs"].get("name") != name:
            continue
        if element["tag"] == "textarea":
            values.append("".join(element["text"]).removeprefix("\n"))
        elif element["tag"] == "input":
            values.append(element["attrs"].get("value") or "")
    return values


def en(path: str) -> str:
    """The English page: the topic msgids are new, so the text is checked in English (the
    Estonian catalogue gets them separately)."""
    # A request under /en/ leaves English active, and reverse() then gives /en/ itself.
    return path if path.startswith("/en/") else translate_url(path, "en")


def detail(topic) -> str:
    return reverse("forum:topic_detail", args=[topic.pk])


def to_working_group(topic, coordinator, position="Koolibuss peab sobima koolipäevaga."):
    services.change_topic_status(
        coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Alustame."
    )
    if position:
        services.set_position(user=coordinator, topic=topic, text=position)
    topic.refresh_from_db()
    return topic


_codes = iter(range(1, 10_000))


def make_organization(county="harjumaa") -> Organization:
    n = next(_codes)
    return Organization.objects.create(
        name=f"MTÜ Testlapsed {n}",
        slug=f"testlapsed-{n}",
        registry_code=f"8{n:07d}",
        county=County.objects.get(slug=county),
        status=Organization.Status.MEMBER,
    )


# The list --------------------------------------------------------------------------------------


def test_the_list_shows_what_each_role_may_see_with_counts(
    client, roles, coordinator, make_issue, make_member, organizations
):
    network = services.create_topic(coordinator=coordinator, **NEW_TOPIC)
    hidden = services.create_topic(
        coordinator=coordinator,
        **{**NEW_TOPIC, "title": "Koordinaatorite sisearutelu"},
        visibility=AdvocacyTopic.Visibility.COORDINATORS,
    )
    first = make_issue("Buss tuleb liiga vara")
    second = make_issue("Õhtul bussi pole", author=make_member(organization="emajoe-noored"))
    services.add_support(
        user=make_member(organization="vorumaa-lapsed"),
        issue=first,
        organization=organizations["vorumaa-lapsed"],
    )
    services.escalate_issues(
        coordinator=coordinator, issues=[first, second], reason="Sama mure.", topic=network
    )
    response = logged_in(client, roles["liige"]).get(reverse("forum:topic_list"))
    assert response.status_code == 200
    listed = {t.title: t for t in response.context["topics"]}
    assert set(listed) == {network.title}
    assert (listed[network.title].issue_count, listed[network.title].organization_count) == (2, 3)
    html = response.content.decode()
    assert "2 muret" in html and "3 organisatsiooni" in html
    assert reverse("forum:topic_create") not in html

    response = logged_in(client, coordinator).get(reverse("forum:topic_list"))
    assert {t.title for t in response.context["topics"]} == {network.title, hidden.title}
    assert reverse("forum:topic_create") in response.content.decode()


def test_the_list_filters_by_status_and_ignores_an_unknown_one(client, roles, coordinator):
    proposed = services.create_topic(coordinator=coordinator, **NEW_TOPIC)
    working = to_working_group(
        services.create_topic(coordinator=coordinator, **{**NEW_TOPIC, "title": "Teine"}),
        coordinator,
    )
    client = logged_in(client, roles["liige"])
    url = reverse("forum:topic_list")
    response = client.get(url, {"status": "working_group"})
    assert [t.pk for t in response.context["topics"]] == [working.pk]
    for junk in ("tundmatu", "<script>", "\x00"):
        response = client.get(url, {"status": junk, "page": junk})
        assert response.status_code == 200
        assert {t.pk for t in response.context["topics"]} == {proposed.pk, working.pk}


def test_the_list_marks_near_and_passed_deadlines_in_words(client, roles, coordinator):
    today = timezone.localdate()
    for title, deadline in (
        ("Lähenev", today + datetime.timedelta(days=5)),
        ("Möödunud", today - datetime.timedelta(days=1)),
        ("Kauge", today + datetime.timedelta(days=90)),
    ):
        services.create_topic(
            coordinator=coordinator,
            **{**NEW_TOPIC, "title": title},
            deadline=deadline,
            deadline_label="kooskõlastusring lõpeb",
        )
    response = logged_in(client, roles["liige"]).get(en(reverse("forum:topic_list")))
    states = {t.title: t.deadline_state for t in response.context["topics"]}
    assert states == {"Lähenev": "soon", "Möödunud": "passed", "Kauge": ""}
    html = response.content.decode()
    assert "Deadline approaching" in html and "Deadline passed" in html
    assert "kooskõlastusring lõpeb" in html


def test_the_list_paginates(client, roles, coordinator):
    for n in range(23):
        services.create_topic(coordinator=coordinator, **{**NEW_TOPIC, "title": f"Teema {n}"})
    client = logged_in(client, roles["liige"])
    first = client.get(reverse("forum:topic_list"))
    assert len(first.context["topics"]) == 20
    second = client.get(reverse("forum:topic_list"), {"page": "2"})
    assert len(second.context["topics"]) == 3


def _grow_topics(coordinator, make_issue, make_member, organizations, count):
    supporter = make_member(organization="vorumaa-lapsed")
    for n in range(count):
        topic = services.create_topic(
            coordinator=coordinator,
            **{**NEW_TOPIC, "title": f"Teema {n}"},
            deadline=timezone.localdate() + datetime.timedelta(days=n),
        )
        issues = [make_issue(f"Mure {n}.{k}") for k in range(2)]
        services.add_support(
            user=supporter, issue=issues[0], organization=organizations["vorumaa-lapsed"]
        )
        services.escalate_issues(coordinator=coordinator, issues=issues, reason="x", topic=topic)


def test_the_list_runs_a_fixed_number_of_queries(
    client, roles, coordinator, make_issue, make_member, organizations
):
    client = logged_in(client, roles["liige"])
    _grow_topics(coordinator, make_issue, make_member, organizations, 2)
    small = queries(client, reverse("forum:topic_list"))
    _grow_topics(coordinator, make_issue, make_member, organizations, 10)
    large = queries(client, reverse("forum:topic_list"))
    assert len(client.get(reverse("forum:topic_list")).context["topics"]) == 12
    assert small == large
    assert small <= 20


# Creating and editing --------------------------------------------------------------------------


def topic_post(**changes) -> dict:
    return {
        **NEW_TOPIC,
        "institution_kind": "ministry",
        "institution": "Haridus- ja Teadusministeerium",
        "deadline": "2031-05-20",
        "deadline_label": "Eelnõu kooskõlastus lõpeb",
        "deadline_url": "https://eelnoud.valitsus.ee/main#abc",
        "visibility": "network",
        **changes,
    }


def test_a_coordinator_creates_a_topic(client, coordinator):
    response = logged_in(client, coordinator).post(en(reverse("forum:topic_create")), topic_post())
    topic = AdvocacyTopic.objects.latest("pk")
    assert response.status_code == 302 and response.url == en(detail(topic))
    assert (topic.title, topic.lead, topic.institution_kind, topic.deadline) == (
        NEW_TOPIC["title"],
        coordinator,
        "ministry",
        datetime.date(2031, 5, 20),
    )
    assert "<strong>koolipäevaga</strong>" in topic.problem_html
    assert list(topic.events.values_list("action", flat=True)) == ["create"]
    page = client.get(response.url).content.decode()
    assert "The advocacy topic has been created." in page
    assert "Haridus- ja Teadusministeerium" in page and "20 May 2031" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "This field is required."),
        ("summary", f"Laps {ISIKUKOODID[0]} ei jõua kooli.", "personal identification code"),
        ("problem", f"Isikukood {ISIKUKOODID[1]}.", "personal identification code"),
        ("deadline", "31.31.2030", "Enter a valid date."),
        ("deadline_url", "javascript:alert(1)", "Enter a valid URL."),
        ("visibility", "everyone", "Select a valid choice."),
        ("institution_kind", "church", "Select a valid choice."),
    ],
)
def test_a_refused_topic_keeps_what_was_typed(client, coordinator, field, value, message):
    before = AdvocacyTopic.objects.count()
    data = topic_post(**{field: value})
    response = logged_in(client, coordinator).post(en(reverse("forum:topic_create")), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert message in html
    for kept in ("title", "deadline_label", "summary"):
        if kept != field:
            assert typed(response, kept) == [data[kept]]
    assert AdvocacyTopic.objects.count() == before


def test_a_coordinator_edits_a_topic(client, coordinator, roles, topic):
    client = logged_in(client, coordinator)
    url = reverse("forum:topic_edit", args=[topic.pk])
    form = client.get(url).context["form"]
    assert form.initial["title"] == topic.title
    data = topic_post(title="Uus pealkiri", lead=str(coordinator.pk), visibility="coordinators")
    response = client.post(url, data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.visibility) == ("Uus pealkiri", "coordinators")
    # Without a lead the edit is refused: "me" would silently take the topic over.
    response = client.post(url, topic_post(title="Kolmas", lead=""))
    assert response.status_code == 200 and "lead" in response.context["form"].errors
    topic.refresh_from_db()
    assert topic.title == "Uus pealkiri"
    # A member cannot reach the form at all.
    assert logged_in(client, roles["liige"]).post(url, data).status_code == 403


# The topic page --------------------------------------------------------------------------------


@pytest.fixture
def busy_topic(topic, coordinator, roles, make_issue, make_member, organizations):
    """A topic in its working group with two issues from two counties, a "we see this too"
    from a third, a hidden issue, a position, an answer of each stance and a comment."""
    ages = list(AgeGroup.objects.order_by("sort_order"))
    harju = make_issue(
        "Buss tuleb liiga vara",
        county=County.objects.get(slug="harjumaa"),
        age_groups=ages[1:3],
        theme=Theme.objects.get(slug="haridus"),
    )
    tartu = make_issue(
        "Õhtul bussi pole",
        author=make_member(organization="emajoe-noored"),
        county=County.objects.get(slug="tartumaa"),
        age_groups=ages[2:3],
        theme=Theme.objects.get(slug="huvitegevus"),
    )
    nationwide = make_issue(
        "Koolibussi reeglid on segased",
        author=make_member(organization="emajoe-noored"),
        theme=Theme.objects.get(slug="haridus"),
    )
    services.add_support(
        user=make_member(organization="vorumaa-lapsed"),
        issue=harju,
        organization=organizations["vorumaa-lapsed"],
        county=County.objects.get(slug="vorumaa"),
    )
    services.escalate_issues(
        coordinator=coordinator, issues=[harju], reason="Esimene märk.", topic=topic
    )
    services.escalate_issues(
        coordinator=coordinator, issues=[tartu, nationwide], reason="Sama mure.", topic=topic
    )
    services.hide_issue(moderator=coordinator, issue=nationwide, reason="Isikuandmed.")
    to_working_group(topic, coordinator)
    services.answer_position(
        user=roles["esindaja"],
        topic=topic,
        organization=organizations["paikesekiir"],
        stance="sign",
    )
    services.answer_position(
        user=make_member(organization="emajoe-noored", role=Membership.Role.REPRESENTATIVE),
        topic=topic,
        organization=organizations["emajoe-noored"],
        stance="object",
        note="Õhtused bussid on olulisemad.",
    )
    services.join_working_group(user=roles["liige2"], topic=topic)
    services.add_topic_comment(author=roles["liige"], topic=topic, body="Meil on **andmed**.")
    return topic


def test_the_page_shows_the_topic_its_evidence_and_its_people(client, roles, busy_topic):
    response = logged_in(client, roles["liige"]).get(detail(busy_topic))
    assert response.status_code == 200
    context, html = response.context, response.content.decode()
    # Organisations that raised or see the (readable) issues; counties named in them.
    assert (context["organization_count"], context["county_count"]) == (3, 3)
    assert "3 organisatsiooni 3 maakonnas" in html
    assert [(t.slug, n) for t, n in context["themes"]] == [("haridus", 1), ("huvitegevus", 1)]
    ages = {a.slug: a.issue_count for a in context["age_groups"]}
    assert ages == {"3-6": 1, "7-12": 2}
    # The timeline: the links in the order they came, with who and why; the hidden one left out.
    assert [link.issue.title for link in context["links"]] == [
        "Buss tuleb liiga vara",
        "Õhtul bussi pole",
    ]
    assert "Esimene märk." in html and "Sama mure." in html
    assert "Koolibussi reeglid on segased" not in html
    assert "<strong>koolipäevaga</strong>" in html
    assert "Koolibuss peab sobima koolipäevaga." in html
    assert "Õhtused bussid on olulisemad." in html
    assert "<strong>andmed</strong>" in html
    assert "liige2" in html  # in the working group
    assert "Alustame." in html  # the transition's note in the log
    # A member takes part but neither moves the topic nor answers for an organisation.
    assert context["can_take_part"] and context["comment_form"] is not None
    assert "steps" not in context and context["sign_form"] is None
    assert "{# publishing #}" not in html


def test_the_coordinator_sees_the_hidden_issue_and_the_controls(client, busy_topic, coordinator):
    response = logged_in(client, coordinator).get(detail(busy_topic))
    context, html = response.context, response.content.decode()
    assert len(context["links"]) == 3
    assert context["county_count"] == 3 and context["nationwide_count"] == 1
    assert [t.target for t, _form in context["steps"]] == [T.POSITION_ADOPTED, T.PROPOSED]
    for link in context["links"]:
        assert reverse("forum:topic_unlink", args=[busy_topic.pk, link.issue_id]) in html
    assert reverse("forum:topic_edit", args=[busy_topic.pk]) in html
    # Each step's note has its own id: a label points at exactly one field.
    ids = [e["attrs"].get("id") for e in page_of(response).elements if e["tag"] == "textarea"]
    assert len(ids) == len(set(ids))


def test_the_representative_gets_the_answer_form_with_the_current_answer(client, roles, busy_topic):
    response = logged_in(client, roles["esindaja"]).get(detail(busy_topic))
    form = response.context["sign_form"]
    assert form is not None and form.initial == {"stance": "sign", "note": ""}
    assert reverse("forum:topic_sign", args=[busy_topic.pk]) in response.content.decode()


def test_a_coordinator_only_topic_is_not_found_by_members(client, roles, coordinator, make_issue):
    topic = services.create_topic(
        coordinator=coordinator, **NEW_TOPIC, visibility=AdvocacyTopic.Visibility.COORDINATORS
    )
    issue = make_issue()
    services.escalate_issues(coordinator=coordinator, issues=[issue], reason="x", topic=topic)
    client = logged_in(client, roles["liige"])
    assert client.get(detail(topic)).status_code == 404
    # The issue's own page does not name the topic either.
    html = client.get(issue.get_absolute_url()).content.decode()
    assert topic.title not in html and detail(topic) not in html
    html = logged_in(client, coordinator).get(issue.get_absolute_url()).content.decode()
    assert detail(topic) in html


def _grow_page(topic, coordinator, make_issue, make_member, n):
    for k in range(n):
        organization = make_organization(county="tartumaa" if k % 2 else "harjumaa")
        author = make_member(organization=organization)
        issue = make_issue(f"Mure {k}", author=author, age_groups=list(AgeGroup.objects.all()[:2]))
        services.add_support(
            user=make_member(organization="vorumaa-lapsed"),
            issue=issue,
            organization=Organization.objects.get(slug="vorumaa-lapsed"),
        )
        services.escalate_issues(coordinator=coordinator, issues=[issue], reason="x", topic=topic)
        services.add_topic_comment(author=author, topic=topic, body=f"Kommentaar {k}")
        services.join_working_group(user=author, topic=topic)
        services.answer_position(
            user=make_member(organization=organization, role=Membership.Role.REPRESENTATIVE),
            topic=topic,
            organization=organization,
            stance="object" if k % 3 else "sign",
            note="Vastuväide",
        )


@pytest.mark.parametrize("role", ["liige", "esindaja", "koordinaator"])
def test_the_page_runs_a_fixed_number_of_queries(
    client, roles, coordinator, make_issue, make_member, role
):
    small = to_working_group(
        services.create_topic(coordinator=coordinator, **NEW_TOPIC), coordinator
    )
    large = to_working_group(
        services.create_topic(coordinator=coordinator, **{**NEW_TOPIC, "title": "Suur"}),
        coordinator,
    )
    _grow_page(small, coordinator, make_issue, make_member, 2)
    _grow_page(large, coordinator, make_issue, make_member, 12)
    client = logged_in(client, roles[role])
    counts = queries(client, detail(small)), queries(client, detail(large))
    response = client.get(detail(large))
    assert len(response.context["links"]) == 12 and len(response.context["signatures"]) == 12
    assert counts[0] == counts[1], counts
    assert counts[0] <= 25, counts


# The page's forms ------------------------------------------------------------------------------


def test_a_coordinator_moves_the_topic_along_with_a_note(client, coordinator, topic):
    client = logged_in(client, coordinator)
    url = en(reverse("forum:topic_transition", args=[topic.pk]))
    response = client.post(url, {"status": "working_group", "note": "Töörühm alustab."})
    assert response.status_code == 302 and response.url == en(detail(topic))
    topic.refresh_from_db()
    assert topic.status == T.WORKING_GROUP
    event = topic.events.get(action=TopicEvent.Action.TRANSITION)
    assert (event.actor, event.note) == (coordinator, "Töörühm alustab.")
    assert "The topic is now “working group”." in client.get(response.url).content.decode()


def test_a_step_without_a_note_is_refused_on_the_page(client, coordinator, topic):
    response = logged_in(client, coordinator).post(
        en(reverse("forum:topic_transition", args=[topic.pk])), {"status": "working_group"}
    )
    assert response.status_code == 400
    assert "Write a note on this step." in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == T.PROPOSED and topic.events.count() == 1


def test_adopting_without_a_position_keeps_the_note(client, coordinator, topic):
    to_working_group(topic, coordinator, position="")
    response = logged_in(client, coordinator).post(
        en(reverse("forum:topic_transition", args=[topic.pk])),
        {"status": "position_adopted", "note": "Võtame vastu."},
    )
    assert response.status_code == 400
    assert "Write the position before adopting it." in response.content.decode()
    assert "Võtame vastu." in typed(response, "note")
    topic.refresh_from_db()
    assert topic.status == T.WORKING_GROUP


def test_a_step_no_longer_possible_is_explained_and_the_note_offered_again(
    client, coordinator, topic
):
    response = logged_in(client, coordinator).post(
        en(reverse("forum:topic_transition", args=[topic.pk])),
        {"status": "submitted", "note": "Saatsime ministeeriumile."},
    )
    assert response.status_code == 400
    assert "The topic cannot take this step now" in response.content.decode()
    # Offered again with each step the topic can take now.
    assert typed(response, "note") == ["Saatsime ministeeriumile."] * 2
    topic.refresh_from_db()
    assert topic.status == T.PROPOSED


def test_the_outcome_step_asks_for_the_outcome(client, coordinator, topic):
    to_working_group(topic, coordinator)
    for status in (T.POSITION_ADOPTED, T.SUBMITTED):
        services.change_topic_status(coordinator=coordinator, topic=topic, status=status, note="x")
    client = logged_in(client, coordinator)
    url = reverse("forum:topic_transition", args=[topic.pk])
    assert client.post(url, {"status": "outcome", "note": "Määrus muutus."}).status_code == 400
    response = client.post(
        url, {"status": "outcome", "note": "Määrus muutus.", "outcome": "partly_achieved"}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.status, topic.outcome) == (T.OUTCOME, "partly_achieved")


def test_members_join_and_leave_the_working_group(client, roles, topic):
    client = logged_in(client, roles["liige"])
    url = reverse("forum:topic_join", args=[topic.pk])
    assert client.post(url, {"join": "1"}).status_code == 302
    assert client.post(url, {"join": "1"}).status_code == 302  # a double click is one member
    assert list(topic.working_group.all()) == [roles["liige"]]
    assert "Leave the working group" in client.get(en(detail(topic))).content.decode()
    client.post(url, {"join": "0"})
    assert topic.working_group.count() == 0


def test_a_member_comments_and_a_refused_comment_keeps_its_text(client, roles, topic):
    client = logged_in(client, roles["liige"])
    url = en(reverse("forum:topic_comment", args=[topic.pk]))
    text = f"Lapse isikukood on {ISIKUKOODID[0]}, tema olukord on raske."
    response = client.post(url, {"body": text})
    assert response.status_code == 400
    assert "personal identification code" in response.content.decode()
    assert typed(response, "body") == [text]
    assert not TopicComment.objects.filter(topic=topic).exists()
    response = client.post(url, {"body": "Meil on sama **mure**."})
    assert response.status_code == 302 and response.url.endswith("#comments")
    comment = TopicComment.objects.get(topic=topic)
    assert (comment.author, comment.organization.slug) == (roles["liige"], "paikesekiir")


def test_a_representative_signs_and_then_objects(client, roles, coordinator, topic):
    to_working_group(topic, coordinator)
    client = logged_in(client, roles["esindaja"])
    url = en(reverse("forum:topic_sign", args=[topic.pk]))
    assert client.post(url, {"stance": "sign"}).status_code == 302
    response = client.post(url, {"stance": "object"})  # an objection needs its reason
    assert response.status_code == 400
    assert "Say what the organisation objects to." in response.content.decode()
    assert TopicSignature.objects.get(topic=topic).stance == "sign"
    response = client.post(url, {"stance": "object", "note": "Liiga nõrk."})
    assert response.status_code == 302
    signature = TopicSignature.objects.get(topic=topic)
    assert (signature.stance, signature.note, signature.organization.slug) == (
        "object",
        "Liiga nõrk.",
        "paikesekiir",
    )
    assert signature.position == TopicPosition.objects.filter(topic=topic).first()


def test_signing_is_refused_before_the_position_and_to_plain_members(
    client, roles, coordinator, topic
):
    client = logged_in(client, roles["esindaja"])
    url = en(reverse("forum:topic_sign", args=[topic.pk]))
    response = client.post(url, {"stance": "sign"})
    assert response.status_code == 400
    assert "The position is not open for signing now." in response.content.decode()
    to_working_group(topic, coordinator)
    assert logged_in(client, roles["liige"]).post(url, {"stance": "sign"}).status_code == 403
    assert not TopicSignature.objects.filter(topic=topic).exists()


def test_a_coordinator_unlinks_an_issue_with_a_reason(client, coordinator, topic, make_issue):
    issue = make_issue()
    services.escalate_issues(coordinator=coordinator, issues=[issue], reason="x", topic=topic)
    client = logged_in(client, coordinator)
    url = en(reverse("forum:topic_unlink", args=[topic.pk, issue.pk]))
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the issue leaves the topic." in response.content.decode()
    assert TopicIssue.objects.filter(topic=topic, issue=issue).exists()
    response = client.post(url, {"reason": "Ei kuulu siia."})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.IN_REVIEW and not topic.issues.exists()
    # Unlinked already: there is nothing to unlink.
    assert client.post(url, {"reason": "Veel kord."}).status_code == 404


# The position ----------------------------------------------------------------------------------


def test_the_working_group_writes_versions_of_the_position(client, roles, coordinator, topic):
    to_working_group(topic, coordinator, position="")
    member = roles["liige"]
    client = logged_in(client, member)
    url = reverse("forum:topic_position", args=[topic.pk])
    response = client.get(url)
    assert response.status_code == 200 and not response.context["may_write"]
    assert client.post(url, {"text": "Minu versioon"}).status_code == 403
    services.join_working_group(user=member, topic=topic)
    assert client.post(url, {"text": "Esimene versioon"}).status_code == 302
    logged_in(client, coordinator).post(url, {"text": "Teine **versioon**"})
    response = logged_in(client, member).get(url)
    versions = response.context["versions"]
    assert [(v.text, v.author) for v in versions] == [
        ("Teine **versioon**", coordinator),
        ("Esimene versioon", member),
    ]
    html = response.content.decode()
    assert "<strong>versioon</strong>" in html and "koordinaator-test" in html
    assert typed(response, "text") == ["Teine **versioon**"]


def test_a_refused_position_keeps_its_text(client, coordinator, topic):
    to_working_group(topic, coordinator)
    client = logged_in(client, coordinator)
    url = en(reverse("forum:topic_position", args=[topic.pk]))
    text = f"Uus seisukoht: laps {ISIKUKOODID[1]}."
    response = client.post(url, {"text": text})
    assert response.status_code == 200 and typed(response, "text") == [text]
    services.change_topic_status(
        coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="Vastu võetud."
    )
    response = client.post(url, {"text": "Hiline muudatus"})
    assert response.status_code == 200
    assert "The position is adopted; reopen it to change it." in response.content.decode()
    assert typed(response, "text") == ["Hiline muudatus"]
    assert TopicPosition.objects.filter(topic=topic).count() == 1


# Escalation ------------------------------------------------------------------------------------


def test_escalating_an_issue_into_a_new_topic_from_its_page(client, coordinator, make_issue):
    issue = make_issue()
    client = logged_in(client, coordinator)
    url = reverse("forum:issue_escalate", args=[issue.pk])
    assert url in client.get(issue.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(en(url), {"reason": "Üle riigi sama.", **NEW_TOPIC})
    topic = AdvocacyTopic.objects.get(title=NEW_TOPIC["title"])
    assert response.status_code == 302 and response.url == en(detail(topic))
    assert list(topic.issues.all()) == [issue]
    page = client.get(response.url).content.decode()
    assert "1 issue has been escalated into “Koolitransport maapiirkondades”." in page
    # The issue's page now names its topic and offers no second escalation.
    html = client.get(issue.get_absolute_url()).content.decode()
    assert detail(topic) in html and url not in html
    response = client.get(url)
    assert (
        response.context["linked"].topic == topic
        and '<form method="post"'
        not in (response.content.decode().split("<main", 1)[1].split("</main>")[0])
    )


def test_escalating_into_an_existing_topic(client, coordinator, topic, make_issue):
    issue = make_issue()
    response = logged_in(client, coordinator).post(
        reverse("forum:issue_escalate", args=[issue.pk]),
        {"topic": str(topic.pk), "reason": "Kuulub siia."},
    )
    assert response.status_code == 302 and response.url == detail(topic)
    assert TopicIssue.objects.get(issue=issue).topic == topic


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"reason": "", **NEW_TOPIC}, "reason"),
        ({"reason": "Miks", "title": "", "summary": "Kokkuvõte", "problem": "P"}, "title"),
        ({"reason": "Miks", "title": "Teema", "summary": "", "problem": "P"}, "summary"),
        ({"reason": "Miks", "topic": "999999", **NEW_TOPIC}, "topic"),
        ({"reason": f"Isikukood {ISIKUKOODID[0]}", **NEW_TOPIC}, "reason"),
    ],
)
def test_a_refused_escalation_keeps_what_was_typed(client, coordinator, make_issue, post, field):
    issue = make_issue()
    before = AdvocacyTopic.objects.count(), TopicIssue.objects.count()
    response = logged_in(client, coordinator).post(
        reverse("forum:issue_escalate", args=[issue.pk]), post
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert page_of(response).summary()
    for name in ("title", "reason"):
        if post.get(name):
            assert typed(response, name) == [post[name]]
    assert (AdvocacyTopic.objects.count(), TopicIssue.objects.count()) == before
    issue.refresh_from_db()
    assert issue.status == Issue.Status.OPEN


def test_an_issue_that_cannot_go_is_refused_with_the_services_reason(
    client, coordinator, topic, make_issue
):
    issue = make_issue()
    services.change_issue_status(
        moderator=coordinator, issue=issue, status=Issue.Status.CLOSED, reason="Lahendatud."
    )
    response = logged_in(client, coordinator).post(
        en(reverse("forum:issue_escalate", args=[issue.pk])),
        {"topic": str(topic.pk), "reason": "Kuulub siia."},
    )
    assert response.status_code == 200
    assert "is “closed” and cannot be escalated" in response.content.decode()
    assert not TopicIssue.objects.filter(issue=issue).exists()


def test_escalating_several_issues_from_the_list(client, coordinator, roles, make_issue):
    issues = [make_issue(f"Mure {n}") for n in range(3)]
    client = logged_in(client, coordinator)
    listing = client.get(reverse("forum:issue_list")).content.decode()
    assert 'form="escalate-issues"' in listing
    url = reverse("forum:issues_escalate")
    chosen = [str(issues[0].pk), str(issues[2].pk)]
    response = client.post(url, {"issues": chosen})
    assert response.status_code == 200
    assert [i.pk for i in response.context["issues"]] == sorted(
        (int(pk) for pk in chosen), reverse=True
    )
    hidden = [
        e["attrs"]["value"]
        for e in page_of(response).elements
        if e["tag"] == "input" and e["attrs"].get("name") == "issues"
    ]
    assert sorted(hidden) == sorted(chosen)
    assert not AdvocacyTopic.objects.filter(title=NEW_TOPIC["title"]).exists()
    # The confirmation refused for want of a reason keeps the issues and the text.
    response = client.post(url, {"issues": chosen, "escalate": "1", **NEW_TOPIC})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert len(response.context["issues"]) == 2
    assert typed(response, "title") == [NEW_TOPIC["title"]]
    response = client.post(
        url, {"issues": chosen, "escalate": "1", "reason": "Üks teema.", **NEW_TOPIC}
    )
    topic = AdvocacyTopic.objects.get(title=NEW_TOPIC["title"])
    assert response.status_code == 302 and response.url == detail(topic)
    assert {i.pk for i in topic.issues.all()} == {issues[0].pk, issues[2].pk}
    assert "2 muret on tõstetud huvikaitseteemaks" in client.get(en(response.url)).content.decode()
    # Members get the plain list.
    listing = logged_in(client, roles["liige"]).get(reverse("forum:issue_list")).content.decode()
    assert 'form="escalate-issues"' not in listing


@pytest.mark.parametrize("issues", [[], ["abc"], ["999999"], ["-1"]])
def test_escalating_nothing_sends_the_coordinator_back_to_the_list(client, coordinator, issues):
    response = logged_in(client, coordinator).post(
        en(reverse("forum:issues_escalate")), {"issues": issues}
    )
    assert response.status_code == 302 and response.url == en(reverse("forum:issue_list"))
    assert "Tick the issues to escalate first." in client.get(response.url).content.decode()


def test_the_forum_navigation_links_to_the_topics(client, roles):
    client = logged_in(client, roles["liige"])
    html = client.get(en(reverse("forum:issue_list"))).content.decode()
    assert f'href="{en(reverse("forum:topic_list"))}">Topics<' in html


def test_the_topic_pages_speak_english_under_en(client, roles, busy_topic):
    client = logged_in(client, roles["liige"])
    response = client.get(en(detail(busy_topic)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What the network sees" in html and "3 organisations in 3 counties" in html
