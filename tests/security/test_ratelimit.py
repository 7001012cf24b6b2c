"""Rate limits (koda.ratelimit): posting, commenting, flagging, "we see this too", invitations
and the join form are limited per person and per address, more strictly for new members. Over
a limit the page comes back with 429, the message and what was typed, and nothing is stored.
Run on the embedded local-memory cache and on Redis (production's cache)."""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from koda import ratelimit
from koda import settings as shipped

from forum.models import (
    Comment,
    Discussion,
    Flag,
    Invitation,
    Issue,
    Membership,
    Organization,
    Reply,
    Support,
    Theme,
    TopicComment,
)
from forum.services import create_topic
from tests import workers

pytestmark = pytest.mark.django_db

REDIS_URL = workers.redis_url()
CACHES = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
}
OFFICE, HOME = "192.0.2.10", "198.51.100.30"
LIMITS = {"person": (2, 600), "new_member": (1, 600), "address": (3, 600)}


@pytest.fixture(params=sorted(CACHES), autouse=True)
def cache_backend(request, settings):
    # Its own key prefix instead of clearing: Redis' test database is shared with other runs.
    settings.CACHES = {"default": {**CACHES[request.param], "KEY_PREFIX": f"rl-{uuid.uuid4().hex}"}}
    return request.param


@pytest.fixture(autouse=True)
def limits(settings):
    settings.KODA_RATE_LIMITS = {
        **dict.fromkeys(shipped.KODA_RATE_LIMITS, LIMITS),
        "join": {"address": (2, 600)},
    }


def established(user):
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=30)
    )
    user.refresh_from_db()
    return user


def client_for(user, address=OFFICE) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


@pytest.fixture
def world(make_member, make_issue, make_discussion, coordinator):
    """A representative of paikesekiir who has been a member for a month, and what she posts on."""
    poster = established(make_member("vana", role=Membership.Role.REPRESENTATIVE))
    other = make_member("teine", organization="emajoe-noored")
    numbers = iter(range(100))
    return SimpleNamespace(
        poster=poster,
        organization=poster.memberships.get().organization,
        issue=make_issue(author=other),
        discussion=make_discussion(author=other),
        topic=create_topic(
            coordinator=coordinator,
            title="Koolitransport maapiirkondades",
            summary="Maal elavad lapsed jäävad huviringidest ilma.",
            problem="Bussid ei sobi koolipäevaga.",
        ),
        new_issue=lambda: make_issue(f"Lasteaia rühmad on täis {next(numbers)}", author=other),
        theme=Theme.objects.get(slug="haridus").pk,
        poster_discussion=lambda: make_discussion(author=poster),
    )


def typed(i: int) -> str:
    return f"Meie vallas on sama mure number {i}"


# action name in KODA_RATE_LIMITS, (url, data) of the i-th attempt, what it stores
ACTIONS = {
    "issue": (
        lambda w, i: (
            reverse("forum:issue_create"),
            {
                "title": f"Mänguväljak on lõhutud {i}",
                "body": typed(i),
                "theme": w.theme,
                "organization": w.organization.pk,
                "seen_similar": "1",
            },
        ),
        Issue.objects,
    ),
    "comment": (
        lambda w, i: (reverse("forum:issue_comment", args=[w.issue.pk]), {"body": typed(i)}),
        Comment.objects,
    ),
    "comment on a topic": (
        lambda w, i: (reverse("forum:topic_comment", args=[w.topic.pk]), {"body": typed(i)}),
        TopicComment.objects,
    ),
    "support": (
        lambda w, i: (
            reverse("forum:issue_support", args=[w.new_issue().pk]),
            {"organization": w.organization.pk, "note": typed(i)},
        ),
        Support.objects,
    ),
    "flag": (
        lambda w, i: (reverse("forum:issue_flag", args=[w.issue.pk]), {"reason": typed(i)}),
        Flag.objects,
    ),
    "flag on a discussion": (
        lambda w, i: (
            reverse("forum:discussion_flag", args=[w.discussion.pk]),
            {"reason": typed(i)},
        ),
        Flag.objects,
    ),
    "discussion": (
        lambda w, i: (
            reverse("forum:discussion_create"),
            {"kind": "question", "title": f"Kuidas kaasata isasid {i}?", "body": typed(i)},
        ),
        Discussion.objects,
    ),
    "reply": (
        lambda w, i: (
            reverse("forum:discussion_reply", args=[w.discussion.pk]),
            {"body": typed(i)},
        ),
        Reply.objects,
    ),
    "invitation": (
        lambda w, i: (
            reverse("forum:organization_invite", args=[w.organization.slug]),
            {"email": f"meie-vallas-{i}@example.org", "role": "member"},
        ),
        Invitation.objects,
    ),
}


def limit_name(case: str) -> str:
    return case.split(" on ")[0]


def assert_refused(response, text: str):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert gettext("Too many posts in a short time. Please try again in a few minutes.") in html
    assert text in html


@pytest.mark.parametrize("case", sorted(ACTIONS))
def test_a_person_over_the_limit_gets_the_page_back_and_nothing_is_stored(world, case):
    attempt, stored = ACTIONS[case]
    assert limit_name(case) in ratelimit.settings.KODA_RATE_LIMITS
    client = client_for(world.poster)
    before = stored.count()
    for i in range(2):
        url, data = attempt(world, i)
        assert client.post(url, data).status_code == 302, case
    assert stored.count() == before + 2
    url, data = attempt(world, 2)
    refused = client.post(url, data)
    assert_refused(refused, typed(2) if case != "invitation" else data["email"])
    assert stored.count() == before + 2


@pytest.mark.parametrize("case", ["comment", "support", "discussion"])
def test_a_new_member_is_limited_sooner(world, make_member, case):
    attempt, stored = ACTIONS[case]
    newcomer = make_member("uus")  # joined today
    world.organization = newcomer.memberships.get().organization
    client = client_for(newcomer)
    before = stored.count()
    assert client.post(*attempt(world, 0)).status_code == 302
    assert_refused(client.post(*attempt(world, 1)), typed(1))
    assert stored.count() == before + 1


def test_the_limit_per_person_follows_her_to_another_address(world):
    attempt, _stored = ACTIONS["comment"]
    for i in range(2):
        assert client_for(world.poster, OFFICE).post(*attempt(world, i)).status_code == 302
    assert client_for(world.poster, HOME).post(*attempt(world, 2)).status_code == 429


def test_the_limit_per_address_covers_several_accounts(world, make_member):
    """Three established members in one office may post three times between them."""
    attempt, stored = ACTIONS["comment"]
    people = [world.poster] + [established(make_member(f"kolleeg{k}")) for k in range(2)]
    for i, person in enumerate(people):
        assert client_for(person).post(*attempt(world, i)).status_code == 302
    assert_refused(client_for(people[0]).post(*attempt(world, 3)), typed(3))
    assert_refused(client_for(people[1]).post(*attempt(world, 4)), typed(4))
    # The same colleague from home is under her own limit and no other address's.
    assert client_for(people[1], HOME).post(*attempt(world, 5)).status_code == 302
    assert stored.filter(body__startswith="Meie vallas").count() == 4


def test_limits_are_separate_per_action(world):
    comment, _ = ACTIONS["comment"]
    flag, _ = ACTIONS["flag"]
    client = client_for(world.poster)
    for i in range(2):
        client.post(*comment(world, i))
    assert client.post(*comment(world, 2)).status_code == 429
    assert client.post(*flag(world, 0)).status_code == 302


def test_reading_and_previewing_are_not_counted(world):
    client = client_for(world.poster)
    url, data = ACTIONS["issue"][0](world, 0)
    for _ in range(5):
        assert client.get(url).status_code == 200
        assert client.post(url, {**data, "preview": "1"}).status_code == 200
    assert client.post(url, data).status_code == 302


def test_the_next_window_allows_again(world, monkeypatch):
    start = 1_800_000_000.0  # a window boundary for 600 s
    monkeypatch.setattr(ratelimit, "_now", lambda: start + 599)
    attempt, stored = ACTIONS["comment"]
    client = client_for(world.poster)
    for i in range(3):
        client.post(*attempt(world, i))
    assert client.post(*attempt(world, 3))["Retry-After"] == "1"
    monkeypatch.setattr(ratelimit, "_now", lambda: start + 600)
    assert client.post(*attempt(world, 4)).status_code == 302
    assert stored.filter(body__startswith="Meie vallas").count() == 3


def test_the_join_form_is_limited_per_address(client, join_page, harjumaa):
    def application(i):
        return {
            "name": f"MTÜ Testküla Pered {i}",
            "registry_code": f"8012345{i}",
            "contact_name": "Mari Maasikas",
            "contact_email": "mari@example.org",
            "county": str(harjumaa.pk),
            "field_of_work": "perenõustamine",
            "motivation": typed(i),
        }

    applicants = Organization.objects.filter(name__startswith="MTÜ Testküla Pered")
    for i in range(2):
        assert client.post(join_page.url, application(i), REMOTE_ADDR=OFFICE).status_code == 302
    refused = client.post(join_page.url, application(2), REMOTE_ADDR=OFFICE)
    assert_refused(refused, typed(2))
    assert 'value="MTÜ Testküla Pered 2"' in refused.content.decode()
    assert applicants.count() == 2
    assert client.post(join_page.url, application(3), REMOTE_ADDR=HOME).status_code == 302


def test_posting_goes_on_when_the_cache_is_down(world, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    attempt, stored = ACTIONS["comment"]
    client = client_for(world.poster)
    for i in range(4):
        assert client.post(*attempt(world, i)).status_code == 302
    assert stored.filter(body__startswith="Meie vallas").count() == 4


def test_the_shipped_limits_are_stricter_for_new_members():
    limits = shipped.KODA_RATE_LIMITS
    assert set(limits) >= {
        "issue",
        "discussion",
        "comment",
        "reply",
        "support",
        "flag",
        "invitation",
        "join",
        "signin",
    }
    for action, rules in limits.items():
        if action in ("join", "signin"):
            assert set(rules) == {"address"}  # no account yet, or none known
            continue
        if action == "password_reset":  # nobody is signed in: the typed address is the account
            assert set(rules) == {"account", "address"}
            assert (
                rules["account"][0] / rules["account"][1]
                < rules["address"][0] / rules["address"][1]
            )
            continue
        (person, window), (new, new_window) = rules["person"], rules["new_member"]
        assert new / new_window < person / window, action
        assert rules["address"][0] / rules["address"][1] > person / window, action


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "192.0.2.1", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.KODA_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


@pytest.mark.parametrize("where", ["start", "edit"])
def test_files_are_counted_before_they_are_read_refused_or_not(world, monkeypatch, where):
    """Reading documents is the costliest check: every post with files counts, even one whose
    files are refused, and over the limit the files are not read at all (issue 16's bombs)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forum.core import documents

    reads = []
    extract = documents.extract_text
    monkeypatch.setattr(
        documents, "extract_text", lambda ext, data: reads.append(ext) or extract(ext, data)
    )
    client = client_for(world.poster)
    url = (
        reverse("forum:discussion_create")
        if where == "start"
        else reverse("forum:discussion_edit", args=[world.poster_discussion().pk])
    )
    data = {"kind": "question", "title": "Kuidas kaasata isasid?", "body": typed(0)}
    coded = b"Lapse isikukood 3760503 0299."
    for _ in range(2):  # refused files, counted all the same
        upload = SimpleUploadedFile("kiri.txt", coded, "text/plain")
        assert client.post(url, {**data, "files": upload}).status_code == 200
    assert len(reads) == 2
    before = Discussion.objects.count()
    upload = SimpleUploadedFile("kiri.txt", b"Tavaline kiri.", "text/plain")
    refused = client.post(url, {**data, "files": upload})
    assert_refused(refused, typed(0))
    assert len(reads) == 2  # the third file was never read
    assert Discussion.objects.count() == before


# Editing one's own text: the i-th attempt's (url, data), and the text stored, for each kind.
def _edits(world):
    from forum.services import add_comment, add_reply

    issue = world.new_issue()
    Issue.objects.filter(pk=issue.pk).update(author=world.poster)
    comment = add_comment(author=world.poster, issue=world.issue, body="Esimene")
    discussion = world.poster_discussion()
    reply = add_reply(author=world.poster, discussion=world.discussion, body="Esimene")
    return {
        "issue": (
            lambda i: (
                reverse("forum:issue_edit", args=[issue.pk]),
                {"title": issue.title, "body": typed(i), "theme": issue.theme_id},
            ),
            lambda: Issue.objects.get(pk=issue.pk).body,
        ),
        "comment": (
            lambda i: (reverse("forum:comment_edit", args=[comment.pk]), {"body": typed(i)}),
            lambda: Comment.objects.get(pk=comment.pk).body,
        ),
        "discussion": (
            lambda i: (
                reverse("forum:discussion_edit", args=[discussion.pk]),
                {"kind": "question", "title": discussion.title, "body": typed(i)},
            ),
            lambda: Discussion.objects.get(pk=discussion.pk).body,
        ),
        "reply": (
            lambda i: (reverse("forum:reply_edit", args=[reply.pk]), {"body": typed(i)}),
            lambda: Reply.objects.get(pk=reply.pk).body,
        ),
    }


@pytest.mark.parametrize("kind", ["issue", "comment", "discussion", "reply"])
def test_edits_are_limited_and_the_refused_edit_keeps_what_was_typed(world, kind):
    """Each edit is checked by the privacy guard like a new post, so edits are counted too
    (issue 16): over the limit the page comes back with the text typed and the old text stays."""
    attempt, stored = _edits(world)[kind]
    client = client_for(world.poster)
    for i in range(2):
        url, data = attempt(i)
        assert client.post(url, data).status_code == 302, kind
    assert stored() == typed(1)
    url, data = attempt(2)
    assert_refused(client.post(url, data), typed(2))
    assert stored() == typed(1)


def test_edits_of_every_kind_share_one_limit(world):
    edits = _edits(world)
    client = client_for(world.poster)
    for i, kind in enumerate(["issue", "reply"]):
        url, data = edits[kind][0](i)
        assert client.post(url, data).status_code == 302, kind
    url, data = edits["comment"][0](2)
    assert_refused(client.post(url, data), typed(2))
