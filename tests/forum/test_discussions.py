"""The discussion services: what each action stores, whom it refuses, the counters it keeps,
the accepted-answer rules and helpful marks (once per person, consistent under concurrency)."""

import datetime
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.http import Http404
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum import services
from forum.discussions import permissions
from forum.members.roles import COORDINATORS
from forum.models import (
    AgeGroup,
    County,
    Discussion,
    DiscussionFollow,
    Flag,
    HelpfulMark,
    Municipality,
    Notification,
    Reply,
    Theme,
)

pytestmark = pytest.mark.django_db

KIND = Discussion.Kind


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _logged(obj, action) -> int:
    return ModelLogEntry.objects.filter(
        content_type__model=type(obj).__name__.lower(), object_id=str(obj.pk), action=action
    ).count()


@pytest.fixture
def asker(make_member):
    return make_member("kysija", organization="paikesekiir")


@pytest.fixture
def answerer(make_member):
    return make_member("vastaja", organization="emajoe-noored")


@pytest.fixture
def question(make_discussion, asker):
    return make_discussion("Kuidas kaasata isasid?", author=asker, tags=["Vanemad", "isad"])


# Posting and editing --------------------------------------------------------------------------


def test_post_discussion_stores_the_kinds_own_fields_only(make_discussion, asker):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    partners = make_discussion(
        "Otsime partnereid noorsoovahetuseks",
        kind=KIND.PARTNERS,
        author=asker,
        theme=Theme.objects.get(slug="haridus"),
        municipality=Municipality.objects.get(name="Tartu linn"),
        age_groups=list(AgeGroup.objects.all()[:2]),
        tags=["erasmus+"],
        details={
            "partner_countries": "Soome, Läti",
            "programme": "Erasmus+",
            "deadline": deadline,
            "results": "ei kuulu siia",
            "material_type": "guide",
        },
    )
    stored = _fresh(partners)
    assert (stored.kind, stored.partner_countries, stored.programme, stored.deadline) == (
        KIND.PARTNERS,
        "Soome, Läti",
        "Erasmus+",
        deadline,
    )
    # Another kind's fields are left empty; the place is completed from the municipality.
    assert (stored.results, stored.material_type, stored.participants) == ("", "", None)
    assert stored.county == stored.municipality.county
    assert stored.organization.slug == "paikesekiir"
    assert sorted(stored.tags.names()) == ["erasmus+"]
    assert stored.age_groups.count() == 2
    assert DiscussionFollow.objects.filter(user=asker, discussion=stored).exists()
    assert _logged(stored, "forum.discussion.post") == 1


def test_only_members_post_and_only_for_their_own_organisation(roles, organizations):
    with pytest.raises(PermissionDenied):
        services.post_discussion(
            author=roles["koordinaator"],
            organization=organizations["paikesekiir"],
            kind=KIND.QUESTION,
            title="Koordinaatori küsimus",
            body="Tekst",
        )
    with pytest.raises(PermissionDenied):
        services.post_discussion(
            author=roles["liige"],
            organization=organizations["emajoe-noored"],
            kind=KIND.QUESTION,
            title="Võõra nimel",
            body="Tekst",
        )
    for outsider in ("toimetaja", "former", "deactivated"):
        with pytest.raises(PermissionDenied):
            services.post_discussion(
                author=roles[outsider],
                organization=organizations["paikesekiir"],
                kind=KIND.QUESTION,
                title="Väljastpoolt",
                body="Tekst",
            )
    assert not Discussion.objects.exists()


def test_the_same_discussion_is_not_posted_twice(make_discussion, asker):
    make_discussion("Sama", author=asker, body="Sama tekst")
    with pytest.raises(ValidationError):
        make_discussion("Sama", author=asker, body="Sama tekst")
    assert Discussion.objects.filter(title="Sama").count() == 1


def test_edit_discussion_keeps_the_kind_and_only_the_author_or_a_coordinator_edits(
    make_discussion, asker, answerer, coordinator
):
    practice = make_discussion(
        "Hea praktika", kind=KIND.PRACTICE, author=asker, details={"results": "Vanemad tulid."}
    )
    with pytest.raises(PermissionDenied):
        services.edit_discussion(editor=answerer, discussion=practice, title="Võetud", body="x")
    services.edit_discussion(
        editor=asker,
        discussion=practice,
        title="Hea praktika Tartus",
        body="Uus tekst",
        county=County.objects.get(slug="tartumaa"),
        tags=["vanemad"],
        details={"results": "Kaks korda rohkem vanemaid.", "deadline": datetime.date(2030, 1, 1)},
    )
    stored = _fresh(practice)
    assert (stored.kind, stored.title, stored.results, stored.deadline) == (
        KIND.PRACTICE,
        "Hea praktika Tartus",
        "Kaks korda rohkem vanemaid.",
        None,
    )
    assert stored.county.slug == "tartumaa"
    services.lock_discussion(moderator=coordinator, discussion=practice, locked=True)
    with pytest.raises(PermissionDenied):
        services.edit_discussion(editor=asker, discussion=practice, title="Lukus", body="x")
    services.edit_discussion(editor=coordinator, discussion=practice, title="Parandatud", body="x")
    assert _fresh(practice).title == "Parandatud"
    assert _logged(practice, "forum.discussion.edit") == 2


# Replies ---------------------------------------------------------------------------------------


def test_a_reply_counts_moves_the_activity_follows_and_tells_the_asker(question, asker, answerer):
    before = _fresh(question).last_activity
    reply = services.add_reply(author=answerer, discussion=question, body="Meil aitas **see**.")
    stored = _fresh(question)
    assert stored.reply_count == 1
    assert stored.last_activity == reply.created >= before
    assert reply.organization.slug == "emajoe-noored"
    assert "<strong>see</strong>" in reply.body_html
    assert DiscussionFollow.objects.filter(user=answerer, discussion=question).exists()
    assert Notification.objects.filter(
        recipient=asker, discussion=question, kind=Notification.Kind.REPLY
    ).exists()
    assert not Notification.objects.filter(recipient=answerer).exists()
    with pytest.raises(ValidationError):  # the same reply at once again
        services.add_reply(author=answerer, discussion=question, body="Meil aitas **see**.")
    assert _fresh(question).reply_count == 1


def test_a_locked_discussion_takes_replies_only_from_coordinators(question, answerer, coordinator):
    services.lock_discussion(moderator=coordinator, discussion=question, locked=True)
    assert _fresh(question).locked
    with pytest.raises(PermissionDenied):
        services.add_reply(author=answerer, discussion=_fresh(question), body="Hilja")
    services.add_reply(author=coordinator, discussion=_fresh(question), body="Koordinaator")
    assert _fresh(question).reply_count == 1
    services.lock_discussion(moderator=coordinator, discussion=question, locked=False)
    services.add_reply(author=answerer, discussion=_fresh(question), body="Nüüd saab")
    assert _fresh(question).reply_count == 2
    with pytest.raises(PermissionDenied):
        services.lock_discussion(moderator=answerer, discussion=question, locked=True)


def test_people_outside_the_network_cannot_reply(question, roles):
    for outsider in ("toimetaja", "former"):
        with pytest.raises((PermissionDenied, Http404)):
            services.add_reply(author=roles[outsider], discussion=question, body="Võõras")
    assert not Reply.objects.exists()


def test_only_the_author_edits_or_deletes_a_reply(question, answerer, asker, coordinator):
    reply = services.add_reply(author=answerer, discussion=question, body="Algne")
    for other in (asker, coordinator):
        with pytest.raises(PermissionDenied):
            services.edit_reply(editor=other, reply=reply, body="Võetud")
        with pytest.raises(PermissionDenied):
            services.delete_reply(user=other, reply=_fresh(reply))
    services.edit_reply(editor=answerer, reply=reply, body="Parandatud")
    stored = _fresh(reply)
    assert (stored.body, stored.edited is not None) == ("Parandatud", True)
    services.delete_reply(user=answerer, reply=stored)
    assert _fresh(reply).deleted is not None
    assert _fresh(question).reply_count == 0
    with pytest.raises(PermissionDenied):  # withdrawn is withdrawn
        services.edit_reply(editor=answerer, reply=_fresh(reply), body="Tagasi")


# The accepted answer -----------------------------------------------------------------------------


def test_the_asker_accepts_an_answer_and_takes_it_back(question, asker, answerer):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    services.accept_answer(user=asker, discussion=question, reply=reply)
    stored = _fresh(question)
    assert stored.accepted_reply == reply and stored.accepted_at is not None
    assert Notification.objects.filter(
        recipient=answerer, discussion=question, kind=Notification.Kind.ACCEPTED
    ).exists()
    assert _logged(question, "forum.discussion.accept") == 1
    services.accept_answer(user=asker, discussion=question, reply=reply)  # again: no change
    assert _logged(question, "forum.discussion.accept") == 1
    services.accept_answer(user=asker, discussion=question, reply=None)
    stored = _fresh(question)
    assert (stored.accepted_reply, stored.accepted_at) == (None, None)


def test_only_the_asker_or_a_coordinator_accepts(question, answerer, make_member, coordinator):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    colleague = make_member(organization="paikesekiir")  # same organisation, not the asker
    for other in (answerer, colleague):
        with pytest.raises(PermissionDenied):
            services.accept_answer(user=other, discussion=question, reply=reply)
    assert _fresh(question).accepted_reply is None
    services.accept_answer(user=coordinator, discussion=question, reply=reply)
    assert _fresh(question).accepted_reply == reply


def test_only_a_question_has_an_accepted_answer(make_discussion, asker, answerer):
    practice = make_discussion("Praktika", kind=KIND.PRACTICE, author=asker)
    reply = services.add_reply(author=answerer, discussion=practice, body="Hea mõte")
    with pytest.raises(PermissionDenied):
        services.accept_answer(user=asker, discussion=practice, reply=reply)
    assert _fresh(practice).accepted_reply is None


def test_a_reply_elsewhere_or_hidden_cannot_be_accepted(
    question, make_discussion, asker, answerer, coordinator
):
    elsewhere = make_discussion("Teine küsimus", author=answerer)
    foreign = services.add_reply(author=asker, discussion=elsewhere, body="Mujal")
    with pytest.raises(ValidationError):
        services.accept_answer(user=asker, discussion=question, reply=foreign)
    hidden = services.add_reply(author=answerer, discussion=question, body="Peidetud")
    services.hide_reply(moderator=coordinator, reply=hidden, reason="Isikuandmed")
    with pytest.raises(ValidationError):
        services.accept_answer(user=asker, discussion=question, reply=hidden)
    assert _fresh(question).accepted_reply is None


@pytest.mark.parametrize("how", ["deleted", "hidden"])
def test_a_withdrawn_or_hidden_accepted_answer_is_dropped(
    question, asker, answerer, coordinator, how
):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    services.add_reply(author=coordinator, discussion=question, body="Teine")
    services.accept_answer(user=asker, discussion=question, reply=reply)
    if how == "deleted":
        services.delete_reply(user=answerer, reply=reply)
    else:
        services.hide_reply(moderator=coordinator, reply=reply, reason="Vale info")
    stored = _fresh(question)
    assert (stored.accepted_reply, stored.accepted_at) == (None, None)
    assert stored.reply_count == 1
    if how == "hidden":
        # Shown again, it counts again, but it is not silently the accepted answer again.
        services.hide_reply(moderator=coordinator, reply=reply, reason="", hidden=False)
        stored = _fresh(question)
        assert (stored.reply_count, stored.accepted_reply) == (2, None)


# Helpful marks ---------------------------------------------------------------------------------


def test_a_reply_is_marked_helpful_once_per_person(question, asker, answerer, make_member):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    assert services.mark_helpful(user=asker, discussion=question, reply=reply) == 1
    with pytest.raises(ValidationError):
        services.mark_helpful(user=asker, discussion=question, reply=reply)
    assert _fresh(reply).helpful_count == 1
    other = make_member(organization="vorumaa-lapsed")
    assert services.mark_helpful(user=other, discussion=question, reply=reply) == 2
    assert services.mark_helpful(user=asker, discussion=question, reply=reply, helpful=False) == 1
    # Taking back what was never (or no longer) marked changes nothing.
    assert services.mark_helpful(user=asker, discussion=question, reply=reply, helpful=False) == 1
    assert _fresh(reply).helpful_count == HelpfulMark.objects.filter(reply=reply).count() == 1
    assert _fresh(question).helpful_count == 0  # the question itself is not counted


def test_nobody_marks_their_own_text_helpful(question, make_discussion, asker, answerer):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    with pytest.raises(PermissionDenied):
        services.mark_helpful(user=answerer, discussion=question, reply=reply)
    practice = make_discussion("Praktika", kind=KIND.PRACTICE, author=asker)
    with pytest.raises(PermissionDenied):
        services.mark_helpful(user=asker, discussion=practice)
    assert not HelpfulMark.objects.exists()


def test_a_good_practice_itself_is_marked_helpful_but_not_a_question(
    question, make_discussion, asker, answerer
):
    practice = make_discussion("Praktika", kind=KIND.PRACTICE, author=asker)
    assert services.mark_helpful(user=answerer, discussion=practice) == 1
    assert _fresh(practice).helpful_count == 1
    with pytest.raises(PermissionDenied):
        services.mark_helpful(user=answerer, discussion=question)
    assert _fresh(question).helpful_count == 0


def test_a_reply_of_another_discussion_is_refused(question, make_discussion, asker, answerer):
    elsewhere = make_discussion("Teine", author=answerer)
    foreign = services.add_reply(author=answerer, discussion=elsewhere, body="Mujal")
    with pytest.raises(ValidationError):
        services.mark_helpful(user=asker, discussion=question, reply=foreign)
    assert _fresh(foreign).helpful_count == 0


def test_outsiders_cannot_mark_helpful(question, answerer, roles):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    for outsider in ("toimetaja", "former"):
        with pytest.raises((PermissionDenied, Http404)):
            services.mark_helpful(user=roles[outsider], discussion=question, reply=reply)
    assert _fresh(reply).helpful_count == 0


# Following, flags, moderation ----------------------------------------------------------------


def test_follow_and_unfollow(question, answerer):
    services.follow_discussion(user=answerer, discussion=question)
    services.follow_discussion(user=answerer, discussion=question)  # twice is once
    assert DiscussionFollow.objects.filter(user=answerer, discussion=question).count() == 1
    services.follow_discussion(user=answerer, discussion=question, follow=False)
    assert not DiscussionFollow.objects.filter(user=answerer, discussion=question).exists()


def test_hiding_a_discussion_hides_it_from_members_and_resolves_its_flags(
    question, asker, answerer, coordinator
):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    flag = services.flag_discussion(reporter=answerer, discussion=question, reason="Nimi sees")
    reply_flag = services.flag_discussion(
        reporter=asker, discussion=question, reply=reply, reason="Solvav"
    )
    with pytest.raises(PermissionDenied):
        services.hide_discussion(moderator=answerer, discussion=question, reason="x")
    services.hide_discussion(moderator=coordinator, discussion=question, reason="Isikuandmed")
    stored = _fresh(question)
    assert (stored.hidden, stored.hidden_reason) == (True, "Isikuandmed")
    assert _fresh(flag).resolved is not None
    assert _fresh(reply_flag).resolved is None  # the reply's own flag waits for its own decision
    assert not permissions.visible_discussions(asker).filter(pk=question.pk).exists()
    assert permissions.visible_discussions(coordinator).filter(pk=question.pk).exists()
    with pytest.raises(Http404):
        services.add_reply(author=answerer, discussion=stored, body="Peidetud")
    with pytest.raises(Http404):
        services.flag_discussion(reporter=answerer, discussion=stored, reason="x")
    services.hide_discussion(moderator=coordinator, discussion=question, reason="", hidden=False)
    assert (_fresh(question).hidden, _fresh(question).hidden_reason) == (False, "")


def test_a_discussion_flag_is_dismissed_with_an_audit_record(question, answerer, coordinator):
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")
    flag = services.flag_discussion(
        reporter=coordinator, discussion=question, reply=reply, reason="Vaadake"
    )
    assert (flag.thread, flag.target) == (question, reply)
    services.dismiss_flag(moderator=coordinator, flag=flag)
    assert _fresh(flag).resolved is not None
    assert _logged(reply, "forum.flag.dismiss") == 1
    assert Flag.objects.filter(resolved__isnull=True).count() == 0


# Concurrency -------------------------------------------------------------------------------------


def _race(workers):
    """Run the callables at the same moment, each on its own database connection; return what
    each returned or the message of the ValidationError it raised."""
    barrier = threading.Barrier(len(workers))
    outcomes = [None] * len(workers)

    def run(n):
        try:
            barrier.wait(timeout=10)
            for attempt in range(100):
                try:
                    outcomes[n] = workers[n]()
                    break
                except OperationalError as error:
                    # SQLite's shared in-memory test database answers a concurrent writer
                    # "table is locked" at once instead of waiting as a database file does;
                    # the service's transaction left nothing behind, so it is tried again.
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.02 * (attempt % 5 + 1))
        except ValidationError as error:
            outcomes[n] = error.messages[0]
        except Exception as error:  # noqa: BLE001 - reported as the outcome, checked below
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_helpful_marks_at_the_same_moment_leave_a_consistent_count(make_discussion, make_member):
    """Two people marking one reply at once both count; one person marking twice at once
    counts once (PostgreSQL in CI runs these on real concurrent connections)."""
    Group.objects.get_or_create(name=COORDINATORS)
    asker = make_member(organization="paikesekiir")
    answerer = make_member(organization="emajoe-noored")
    first, second = (make_member(organization="vorumaa-lapsed") for _ in range(2))
    question = make_discussion("Üheaegsed märked", author=asker)
    reply = services.add_reply(author=answerer, discussion=question, body="Vastus")

    def mark(user):
        return lambda: services.mark_helpful(user=user, discussion=question, reply=reply)

    outcomes = _race([mark(first), mark(second)])
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert _fresh(reply).helpful_count == HelpfulMark.objects.filter(reply=reply).count() == 2

    outcomes = _race([mark(asker), mark(asker)])
    assert sorted(type(o).__name__ for o in outcomes) == ["int", "str"], outcomes
    assert _fresh(reply).helpful_count == HelpfulMark.objects.filter(reply=reply).count() == 3

    outcomes = _race(
        [lambda: services.mark_helpful(user=asker, discussion=question, reply=reply, helpful=False)]
        * 2
    )
    assert outcomes == [2, 2], outcomes
    assert _fresh(reply).helpful_count == HelpfulMark.objects.filter(reply=reply).count() == 2


def test_a_discussion_edit_keeps_what_it_was(make_discussion):
    """As an issue's edits do (issue 17): who changed which fields, from what to what."""
    from forum.models import DiscussionRevision

    question = make_discussion("Kuidas kaasata isasid?", body="Esimene sõnastus.")
    services.edit_discussion(
        editor=question.author,
        discussion=question,
        title="Kuidas kaasata isasid vanemate õhtutesse?",
        body="Esimene sõnastus.",
        tags=["isad"],
    )
    (revision,) = DiscussionRevision.objects.filter(discussion=question)
    assert revision.editor == question.author
    assert revision.changes == {
        "title": ["Kuidas kaasata isasid?", "Kuidas kaasata isasid vanemate õhtutesse?"],
        "tags": ["", "isad"],
    }


def test_an_unchanged_discussion_edit_keeps_no_revision(make_discussion):
    from forum.models import DiscussionRevision

    question = make_discussion("Kuidas kaasata isasid?", body="Sama.")
    services.edit_discussion(
        editor=question.author, discussion=question, title=question.title, body="Sama."
    )
    assert not DiscussionRevision.objects.filter(discussion=question).exists()


def test_a_reply_edit_keeps_the_text_it_replaced(make_discussion, make_member):
    from forum.models import ReplyRevision

    question = make_discussion()
    author = make_member("vastaja", organization="emajoe-noored")
    reply = services.add_reply(author=author, discussion=question, body="Esimene vastus.")
    services.edit_reply(editor=author, reply=reply, body="Parandatud vastus.")
    (revision,) = ReplyRevision.objects.filter(reply=reply)
    assert (revision.editor, revision.body) == (author, "Esimene vastus.")
