"""Following tags, counties, themes and kinds of discussion: the service and its views."""

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from forum import services
from forum.members import unsubscribe
from forum.models import County, Discussion, ForumTag, Profile, Subscription, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag(db):
    return ForumTag.objects.create(name="jälgimistest", slug="jalgimistest")


def test_following_each_kind_of_subject_is_idempotent(roles, tag):
    member = roles["liige"]
    county = County.objects.get(slug="harjumaa")
    theme = Theme.objects.get(slug="haridus")
    subjects = [
        {"tag": tag},
        {"county": county},
        {"theme": theme},
        {"kind": Discussion.Kind.PRACTICE},
    ]
    first = [services.follow_subject(user=member, **subject) for subject in subjects]
    again = [services.follow_subject(user=member, **subject) for subject in subjects]
    assert first == again
    assert Subscription.objects.filter(user=member).count() == 4
    # Following is personal: another member's subscription is their own row.
    services.follow_subject(user=roles["liige2"], tag=tag)
    assert Subscription.objects.filter(tag=tag).count() == 2


@pytest.mark.parametrize(
    "subject",
    [{}, {"kind": "poem"}, {"kind": Discussion.Kind.QUESTION, "theme": "county-and-theme"}],
)
def test_following_needs_exactly_one_real_subject(roles, subject):
    if subject.get("theme"):
        subject["theme"] = Theme.objects.get(slug="haridus")
    with pytest.raises(ValidationError):
        services.follow_subject(user=roles["liige"], **subject)
    assert not Subscription.objects.filter(user=roles["liige"]).exists()


@pytest.mark.parametrize("role", ["former", "deactivated", "toimetaja"])
def test_only_members_follow(roles, tag, role):
    with pytest.raises(PermissionDenied):
        services.follow_subject(user=roles[role], tag=tag)
    assert not Subscription.objects.filter(user=roles[role]).exists()


def test_unfollowing_is_idempotent_and_only_ones_own(roles, tag):
    mine = services.follow_subject(user=roles["liige"], tag=tag)
    theirs = services.follow_subject(user=roles["liige2"], tag=tag)
    with pytest.raises(PermissionDenied):
        services.unfollow_subject(user=roles["liige"], subscription=theirs)
    assert services.unfollow_subject(user=roles["liige"], subscription=mine) is True
    assert services.unfollow_subject(user=roles["liige"], subscription=mine) is False
    assert list(Subscription.objects.filter(tag=tag)) == [theirs]


# Views -----------------------------------------------------------------------------------------


def test_follow_view_follows_a_tag_by_name_and_returns(client, roles, tag):
    client.force_login(roles["liige"])
    for _twice in range(2):
        response = client.post(
            reverse("forum:subject_follow"),
            {"tag": "Jälgimistest ", "next": reverse("forum:tag", args=[tag.slug])},
        )
        assert response.status_code == 302
        assert response.url == reverse("forum:tag", args=[tag.slug])
    assert Subscription.objects.filter(user=roles["liige"], tag=tag).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"county": "harjumaa"},
        {"theme": "haridus"},
        {"kind": "partners"},
    ],
)
def test_follow_view_follows_county_theme_and_kind(client, roles, data):
    client.force_login(roles["liige"])
    response = client.post(reverse("forum:subject_follow"), data)
    assert response.status_code == 302 and response.url == reverse("forum:profile")
    (subscription,) = Subscription.objects.filter(user=roles["liige"])
    field, value = next(iter(data.items()))
    stored = getattr(subscription, field)
    assert (stored if field == "kind" else stored.slug) == value


@pytest.mark.parametrize(
    "data",
    [
        {"tag": "sellist-silti-pole"},
        {"county": "atlantis"},
        {"theme": "\x00"},
        {"kind": "poem"},
        {},
        {"county": "harjumaa", "kind": "question"},
        {"tag": "x" * 500},
    ],
)
def test_follow_view_answers_bad_input_with_a_message_and_stores_nothing(client, roles, data):
    client.force_login(roles["liige"])
    response = client.post(reverse("forum:subject_follow"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert 'id="subject-follow"' in content
    assert not Subscription.objects.filter(user=roles["liige"]).exists()


def test_follow_view_keeps_the_typed_tag_and_names_the_problem(client, roles):
    client.force_login(roles["liige"])
    response = client.post(reverse("forum:subject_follow"), {"tag": "kirjaviga"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="kirjaviga"' in content
    expected = gettext(
        "There is no tag “%(name)s” in the forum. Check the spelling, or pick one from the list."
    ) % {"name": "kirjaviga"}
    assert expected.replace("“", "&ldquo;") in content or expected in content


def test_follow_view_is_for_members_only(client, roles, tag):
    response = client.post(reverse("forum:subject_follow"), {"tag": tag.name})
    assert response.status_code == 302 and "/konto/" in response.url  # sign in first
    for role in ("toimetaja", "former"):
        client.force_login(roles[role])
        response = client.post(reverse("forum:subject_follow"), {"tag": tag.name})
        assert response.status_code == 403
    client.force_login(roles["liige"])
    assert client.get(reverse("forum:subject_follow")).status_code == 405
    assert not Subscription.objects.exists()


def test_follow_view_never_returns_to_another_site(client, roles, tag):
    client.force_login(roles["liige"])
    response = client.post(
        reverse("forum:subject_follow"), {"tag": tag.name, "next": "https://evil.example/"}
    )
    assert response.url == reverse("forum:profile")


def test_unfollow_view_removes_only_ones_own(client, roles, tag):
    mine = services.follow_subject(user=roles["liige"], tag=tag)
    theirs = services.follow_subject(user=roles["liige2"], tag=tag)
    client.force_login(roles["liige"])
    response = client.post(reverse("forum:subject_unfollow", args=[theirs.pk]))
    assert response.status_code == 302
    assert Subscription.objects.filter(pk=theirs.pk).exists()
    response = client.post(reverse("forum:subject_unfollow", args=[mine.pk]), {"next": "/foorum/"})
    assert response.status_code == 302 and response.url == "/foorum/"
    assert not Subscription.objects.filter(pk=mine.pk).exists()
    # A second click on a removed one is no error.
    assert client.post(reverse("forum:subject_unfollow", args=[mine.pk])).status_code == 302


def test_the_tag_page_offers_to_follow_and_unfollow_its_tag(client, roles, make_issue):
    make_issue("Sildiga mure", tags=["jälgitav silt"])
    tag = ForumTag.objects.get(name="jälgitav silt")
    client.force_login(roles["liige"])
    page = client.get(reverse("forum:tag", args=[tag.slug])).content.decode()
    assert f'action="{reverse("forum:subject_follow")}"' in page
    assert f'name="tag" value="{tag.name}"' in page
    client.post(
        reverse("forum:subject_follow"),
        {"tag": tag.name, "next": reverse("forum:tag", args=[tag.slug])},
    )
    subscription = Subscription.objects.get(user=roles["liige"], tag=tag)
    page = client.get(reverse("forum:tag", args=[tag.slug])).content.decode()
    assert f'action="{reverse("forum:subject_unfollow", args=[subscription.pk])}"' in page


def _profile_queries(client):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("forum:profile"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_profile_lists_what_i_follow_with_remove_buttons(client, roles, tag):
    member = roles["liige"]
    client.force_login(member)
    _profile_queries(client)  # the first visit creates the profile
    _page, empty = _profile_queries(client)
    subscriptions = [
        services.follow_subject(user=member, tag=tag),
        services.follow_subject(user=member, county=County.objects.get(slug="tartumaa")),
        services.follow_subject(user=member, theme=Theme.objects.get(slug="haridus")),
        *(services.follow_subject(user=member, kind=kind) for kind in Discussion.Kind.values),
    ]
    page, full = _profile_queries(client)
    assert full == empty  # the list costs the same queries however long it is
    for subscription in subscriptions:
        assert f'id="subscription-{subscription.pk}"' in page
        assert reverse("forum:subject_unfollow", args=[subscription.pk]) in page
    assert f'action="{reverse("forum:subject_follow")}"' in page
    for name in ("tag", "county", "theme", "kind"):
        assert f'name="{name}"' in page


def test_profile_of_someone_outside_the_forum_has_no_following_section(client, roles):
    client.force_login(roles["toimetaja"])
    page = client.get(reverse("forum:profile")).content.decode()
    assert 'id="following"' not in page


def test_saving_the_profile_keeps_subscriptions(client, roles, tag):
    member = roles["liige"]
    subscription = services.follow_subject(user=member, tag=tag)
    client.force_login(member)
    client.post(
        reverse("forum:profile"),
        {"first_name": "Liis", "last_name": "Liige", "email_delivery": "weekly"},
    )
    assert Profile.objects.get(user=member).email_delivery == "weekly"
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_link_signed_before_the_forum_was_reorganised_still_unsubscribes(make_member):
    """Mail already sent carries tokens signed under the salt the module had then; moving the
    module must not break its links (RFC 8058 clients may use them at any time)."""
    member = make_member()
    old = signing.dumps({"u": member.pk, "p": "email"}, salt="forum.unsubscribe", compress=True)
    assert unsubscribe.read_token(old) == unsubscribe.Unsubscribe(user=member, preference="email")
