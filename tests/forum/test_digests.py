"""The daily and weekly digests: what they tell whom, and the unsubscribe links in every e-mail
the forum sends."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from forum import services
from forum.members import unsubscribe
from forum.models import (
    County,
    Discussion,
    DiscussionFollow,
    ForumTag,
    Notification,
    Profile,
    Subscription,
    Theme,
)

pytestmark = pytest.mark.django_db

DAILY, WEEKLY = Profile.Delivery.DAILY, Profile.Delivery.WEEKLY


@pytest.fixture
def tag(db):
    return ForumTag.objects.create(name="kokkuvõttetest", slug="kokkuvottetest")


@pytest.fixture
def reader(make_member):
    """A member of saarte-lapsed who reads the forum through a daily digest."""
    user = make_member("lugeja", organization="saarte-lapsed")
    Profile.objects.create(user=user, email_delivery=DAILY)
    return user


@pytest.fixture
def writer(make_member):
    return make_member("kirjutaja", organization="emajoe-noored")


def _ago(model, obj, **delta):
    """Move a row's creation time into the past (the services stamp `now`)."""
    model.objects.filter(pk=obj.pk).update(created=timezone.now() - datetime.timedelta(**delta))


def _digest_of(user):
    digests = [m for m in mail.outbox if m.to == [user.email] and "\n== " in m.body]
    assert len(digests) <= 1
    return digests[0] if digests else None


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_daily_digest_tells_new_discussions_in_followed_subjects_only(
    reader, writer, tag, make_discussion, coordinator
):
    services.follow_subject(user=reader, tag=tag)
    services.follow_subject(user=reader, kind=Discussion.Kind.PARTNERS)
    followed = make_discussion("Kuidas kaasata isasid?", author=writer, tags=[tag.name])
    by_kind = make_discussion(
        "Otsime partnerit Soomest",
        author=writer,
        kind=Discussion.Kind.PARTNERS,
        details={"partner_countries": "Soome"},
    )
    other_subject = make_discussion("Mis on hea lugemisnurk?", author=writer, tags=["muu"])
    hidden = make_discussion("Peidetud küsimus sildiga", author=writer, tags=[tag.name])
    services.hide_discussion(moderator=coordinator, discussion=hidden, reason="Isikuandmed")
    own = make_discussion("Minu enda küsimus sildiga", author=reader, tags=[tag.name])
    old = make_discussion("Vana küsimus sildiga", author=writer, tags=[tag.name])
    _ago(Discussion, old, days=2)

    assert services.send_digests(DAILY) == 1
    body = _digest_of(reader).body
    assert followed.title in body and by_kind.title in body
    assert f"/foorum/arutelud/{followed.pk}/" in body
    for absent in (other_subject, hidden, own, old):
        assert absent.title not in body


def test_weekly_digest_covers_the_week_and_accepted_answers_and_helpful_practices(
    make_member, writer, tag, make_discussion, make_issue
):
    weekly = make_member("nadalane", organization="saarte-lapsed")
    Profile.objects.create(user=weekly, email_delivery=WEEKLY)
    services.follow_subject(user=weekly, tag=tag)
    theme = Theme.objects.get(slug="haridus")
    county = County.objects.get(slug="vorumaa")
    services.follow_subject(user=weekly, county=county)
    this_week = make_discussion("Selle nädala küsimus", author=writer, tags=[tag.name])
    _ago(Discussion, this_week, days=5)
    last_month = make_discussion("Eelmise kuu küsimus", author=writer, tags=[tag.name])
    _ago(Discussion, last_month, days=20)
    # An old question in a followed subject whose answer was accepted this week.
    question = make_discussion("Kas keegi on proovinud eakaaslaste mentorlust?", author=writer)
    services.follow_discussion(user=weekly, discussion=question)
    helper = make_member(organization="vorumaa-lapsed")
    reply = services.add_reply(author=helper, discussion=question, body="Jah, meil töötab hästi.")
    services.accept_answer(user=writer, discussion=question, reply=reply)
    _ago(Discussion, question, days=30)
    Notification.objects.filter(recipient=weekly).update(emailed=timezone.now())  # told before
    # A good practice in a followed county, marked helpful this week by two others.
    practice = make_discussion(
        "Hea praktika: vanemate hommikukohv",
        author=writer,
        kind=Discussion.Kind.PRACTICE,
        county=county,
        details={"results": "Vanemad tulevad."},
    )
    _ago(Discussion, practice, days=40)
    for name in ("abi1", "abi2"):
        services.mark_helpful(
            user=make_member(name, organization="vorumaa-lapsed"), discussion=practice
        )
    unmarked = make_discussion(
        "Hea praktika ilma märketa",
        author=writer,
        kind=Discussion.Kind.PRACTICE,
        county=county,
    )
    _ago(Discussion, unmarked, days=40)
    issue = make_issue("Võrumaa koolibuss hilineb", author=writer, county=county, theme=theme)
    other_issue = make_issue("Tartu mure ilma jälgimiseta", author=writer, tags=["muu"])

    assert services.send_digests(WEEKLY) == 1
    message = _digest_of(weekly)
    body = message.body
    assert this_week.title in body and last_month.title not in body
    assert question.title in body and f"#vastus-{reply.pk}" in body
    assert reply.body in body
    assert practice.title in body and unmarked.title not in body
    assert issue.title in body and other_issue.title not in body
    helpful = ngettext(
        "Marked helpful %(counter)s time since the previous digest, %(total)s in all.",
        "Marked helpful %(counter)s times since the previous digest, %(total)s in all.",
        2,
    ) % {"counter": 2, "total": 2}
    assert helpful in body


def test_an_accepted_answer_already_notified_is_not_told_twice(
    reader, writer, make_discussion, make_member
):
    question = make_discussion("Küsimus, mida lugeja jälgib", author=writer)
    services.follow_discussion(user=reader, discussion=question)
    reply = services.add_reply(
        author=make_member(organization="vorumaa-lapsed"), discussion=question, body="Vastus."
    )
    services.accept_answer(user=writer, discussion=question, reply=reply)
    assert services.send_digests(DAILY) == 1
    body = _digest_of(reader).body
    assert body.count(f"/foorum/arutelud/{question.pk}/") == 2  # the reply and the acceptance
    assert f"#vastus-{reply.pk}" not in body


def test_nothing_is_sent_when_nothing_is_new_and_former_members_get_nothing(
    reader, writer, tag, make_discussion, roles
):
    services.follow_subject(user=reader, tag=tag)
    assert services.send_digests(DAILY) == 0
    assert _digest_of(reader) is None
    # A former member keeps a subscription and a daily digest, but is told nothing.
    former = roles["former"]
    Subscription.objects.create(user=former, tag=tag)
    Profile.objects.create(user=former, email_delivery=DAILY)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Profile.objects.filter(user__in=[reader, former]).update(last_digest_sent=an_hour_ago)
    make_discussion("Uus küsimus jälgitava sildiga", author=writer, tags=[tag.name])
    assert services.send_digests(DAILY, now=timezone.now() + datetime.timedelta(days=1)) == 1
    assert _digest_of(former) is None
    assert _digest_of(reader) is not None


def test_a_coordinator_is_told_of_hidden_discussions_a_member_is_not(
    reader, writer, tag, make_discussion, coordinator
):
    Profile.objects.create(user=coordinator, email_delivery=DAILY)
    for user in (reader, coordinator):
        services.follow_subject(user=user, tag=tag)
    hidden = make_discussion("Peidetud, aga koordinaator näeb", author=writer, tags=[tag.name])
    services.hide_discussion(moderator=coordinator, discussion=hidden, reason="Kontroll")
    services.send_digests(DAILY)
    assert hidden.title in _digest_of(coordinator).body
    assert _digest_of(reader) is None


# Unsubscribe links -----------------------------------------------------------------------------


def _subscribed_reader_with_digest(reader, writer, tag, make_discussion):
    county = County.objects.get(slug="hiiumaa")
    by_tag = services.follow_subject(user=reader, tag=tag)
    by_county = services.follow_subject(user=reader, county=county)
    by_kind = services.follow_subject(user=reader, kind=Discussion.Kind.MATERIAL)
    make_discussion("Sildiga arutelu lugejale", author=writer, tags=[tag.name])
    make_discussion("Hiiumaa arutelu lugejale", author=writer, county=county)
    services.send_digests(DAILY)
    return _digest_of(reader), by_tag, by_county, by_kind


def test_the_digest_links_stop_following_one_subject_signed_out(
    reader, writer, tag, make_discussion
):
    message, by_tag, by_county, by_kind = _subscribed_reader_with_digest(
        reader, writer, tag, make_discussion
    )
    Profile.objects.filter(user=reader).update(email_delivery=WEEKLY)
    links = [_path(url) for url in _links(message.body) if "/foorum/loobu/" in url]
    assert len(links) == 3  # one per subject with news (tag, county) and one for all e-mail
    link = next(
        path
        for path in links
        if unsubscribe.read_token(path.split("/")[-2]).subscription_id == by_tag.pk
    )
    client = Client(enforce_csrf_checks=True)  # signed out, and a real browser's CSRF rules
    page = client.get(link)
    assert page.status_code == 200
    assert Subscription.objects.filter(pk=by_tag.pk).exists()  # looking changes nothing
    token = page.cookies["csrftoken"].value
    done = client.post(link, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200
    assert not Subscription.objects.filter(pk=by_tag.pk).exists()
    assert set(Subscription.objects.filter(user=reader)) == {by_county, by_kind}
    profile = Profile.objects.get(user=reader)
    assert profile.email_delivery == WEEKLY and profile.last_digest_sent is not None
    # Again: nothing left to remove, no error.
    assert client.post(link, {"csrfmiddlewaretoken": token}).status_code == 200


def test_the_email_link_turns_off_email_only(reader, writer, tag, make_discussion):
    message, *subscriptions = _subscribed_reader_with_digest(reader, writer, tag, make_discussion)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    client = Client(enforce_csrf_checks=True)
    page = client.get(_path(url))
    assert page.status_code == 200
    client.post(_path(url), {"csrfmiddlewaretoken": page.cookies["csrftoken"].value})
    profile = Profile.objects.get(user=reader)
    assert profile.email_delivery == Profile.Delivery.NONE
    assert set(Subscription.objects.filter(user=reader)) == set(subscriptions)
    reader.refresh_from_db()
    assert reader.is_active and reader.email == "lugeja@example.org"


def test_one_click_post_from_a_mail_client_works_without_csrf(reader, writer, tag, make_discussion):
    message, *_subscriptions = _subscribed_reader_with_digest(reader, writer, tag, make_discussion)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _path(message.extra_headers["List-Unsubscribe"].strip("<>"))
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Profile.objects.get(user=reader).email_delivery == Profile.Delivery.NONE


def test_the_page_form_without_its_csrf_token_is_refused(reader, writer, tag, make_discussion):
    message, *_subscriptions = _subscribed_reader_with_digest(reader, writer, tag, make_discussion)
    url = _path(message.extra_headers["List-Unsubscribe"].strip("<>"))
    response = Client(enforce_csrf_checks=True).post(url, {})
    assert response.status_code == 403
    assert Profile.objects.get(user=reader).email_delivery == DAILY


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_token_changes_nothing(method, reader, tag, make_member):
    other = make_member(organization="vorumaa-lapsed")
    theirs = services.follow_subject(user=other, tag=tag)
    mine = services.follow_subject(user=reader, tag=tag)
    token = unsubscribe.make_token(reader, unsubscribe.subscription_preference(mine))
    client = Client()
    for bad in (token[:-2] + ("aa" if token[-2:] != "aa" else "bb"), "x", "a:b:c", "%00"):
        response = getattr(client, method)(f"/foorum/loobu/{bad}/")
        assert response.status_code == 400
    # Signed for the reader, naming someone else's subscription: it is not found, not removed.
    foreign = unsubscribe.make_token(reader, unsubscribe.subscription_preference(theirs))
    assert getattr(client, method)(reverse("forum:unsubscribe", args=[foreign])).status_code == 200
    assert Subscription.objects.filter(pk__in=[theirs.pk, mine.pk]).count() == 2
    # A token signed with another salt (another feature's signature) is no unsubscribe token.
    from django.core import signing

    other_salt = signing.dumps({"u": reader.pk, "p": "email"}, salt="something.else")
    assert getattr(client, method)(f"/foorum/loobu/{other_salt}/").status_code == 400
    assert Profile.objects.get(user=reader).email_delivery == DAILY


def test_immediate_notifications_carry_the_unsubscribe_headers_and_link(
    make_discussion, make_member, django_capture_on_commit_callbacks
):
    question = make_discussion("Kohe teavitatav küsimus")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_reply(
            author=make_member(organization="emajoe-noored"), discussion=question, body="Vastus"
        )
    (message,) = [m for m in mail.outbox if m.to == [question.author.email]]
    assert question.title in message.subject
    assert f"/foorum/arutelud/{question.pk}/" in message.body
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body and "/foorum/loobu/" in url
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    Client().post(_path(url), {"List-Unsubscribe": "One-Click"})
    assert Profile.objects.get(user=question.author).email_delivery == Profile.Delivery.NONE


def test_notification_list_shows_discussion_notifications(client, make_discussion, make_member):
    question = make_discussion("Teavituste lehe küsimus")
    services.add_reply(
        author=make_member(organization="emajoe-noored"), discussion=question, body="Vastus"
    )
    client.force_login(question.author)
    response = client.get(reverse("forum:notifications"))
    assert response.status_code == 200
    assert f'href="/foorum/arutelud/{question.pk}/"' in response.content.decode()


# Query count -----------------------------------------------------------------------------------


def _digest_queries(count, *, reader, writer, tag, make_discussion, make_issue, make_member):
    """Queries for one person's digest with `count` items in every section."""
    county = County.objects.get(slug="raplamaa")
    services.follow_subject(user=reader, tag=tag)
    services.follow_subject(user=reader, county=county)
    services.follow_subject(user=reader, kind=Discussion.Kind.TRAINING)
    marker = make_member(organization="vorumaa-lapsed")
    for n in range(count):
        make_discussion(f"Uus arutelu {count}-{n}", author=writer, tags=[tag.name])
        question = make_discussion(f"Küsimus vastusega {count}-{n}", author=writer, county=county)
        reply = services.add_reply(author=marker, discussion=question, body=f"Vastus {n}")
        services.accept_answer(user=writer, discussion=question, reply=reply)
        practice = make_discussion(
            f"Praktika {count}-{n}", author=writer, kind=Discussion.Kind.PRACTICE, tags=[tag.name]
        )
        services.mark_helpful(user=marker, discussion=practice)
        make_issue(f"Mure {count}-{n}", author=writer, tags=[tag.name])
        DiscussionFollow.objects.get_or_create(user=reader, discussion=question)
    with CaptureQueriesContext(connection) as queries:
        assert services.send_digests(DAILY) == 1
    body = _digest_of(reader).body
    assert f"Mure {count}-{count - 1}" in body and f"Praktika {count}-0" in body
    return len(queries)


def test_digest_query_count_does_not_grow_with_its_items(
    reader, writer, tag, make_discussion, make_issue, make_member
):
    fixtures = {
        "reader": reader,
        "writer": writer,
        "tag": tag,
        "make_discussion": make_discussion,
        "make_issue": make_issue,
        "make_member": make_member,
    }
    small = _digest_queries(2, **fixtures)
    # The same person again, a day later, with four times as much news.
    Subscription.objects.filter(user=reader).delete()
    Profile.objects.filter(user=reader).update(
        last_digest_sent=timezone.now() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    large = _digest_queries(8, **fixtures)
    assert large == small
