"""Sign-in protection (django-axes): after AXES_FAILURE_LIMIT failed attempts for one account
from one address, that pair is refused, the right password included, on the site's sign-in and
Wagtail's admin sign-in alike, until the cool-off has passed; other accounts and addresses are
not touched."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

SITE = reverse("login")
ADMIN = "/admin/login/"
ATTACKER = "203.0.113.7"


@pytest.fixture
def member(make_member):
    return make_member("mari")  # password "demo"


def sign_in(client, path, username, password, address=ATTACKER, **extra):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, path, username, times, address=ATTACKER):
    return [sign_in(client, path, username, "vale", address) for _ in range(times)]


def assert_locked_out(response):
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert gettext("Signing in is paused") in response.content.decode()
    assert response.context["minutes"] == 15


def test_the_site_locks_the_account_and_address_after_the_limit(client, member):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    before = fail(client, SITE, "mari", limit - 1)
    # Below the limit a failed sign-in is the ordinary form with its error.
    assert {r.status_code for r in before} == {200}
    assert_locked_out(fail(client, SITE, "mari", 1)[0])
    # The right password is refused too while the pair is locked.
    assert_locked_out(sign_in(client, SITE, "mari", "demo"))
    assert not signed_in(client)
    # The attempts are kept in the database: who was tried, from where, how often.
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("mari", ATTACKER)
    assert attempt.failures_since_start == limit + 1
    assert "demo" not in attempt.post_data and "vale" not in attempt.post_data


def test_wagtails_admin_sign_in_is_locked_too_and_shares_the_count(client, roles):
    fail(client, SITE, "toimetaja", 3)
    responses = fail(client, ADMIN, "toimetaja", 2)
    assert responses[0].status_code == 200
    assert_locked_out(responses[1])
    assert_locked_out(sign_in(client, ADMIN, "toimetaja", "demo"))
    assert_locked_out(sign_in(client, SITE, "toimetaja", "demo"))
    assert not signed_in(client)


def test_an_editor_signs_in_to_the_admin_below_the_limit(client, roles):
    fail(client, ADMIN, "toimetaja", settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, ADMIN, "toimetaja", "demo")
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_ends_when_the_cool_off_has_passed(client, member):
    fail(client, SITE, "mari", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(sign_in(client, SITE, "mari", "demo"))
    # The clock moves: the last attempt was longer ago than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    response = sign_in(client, SITE, "mari", "demo")
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_holds_until_the_cool_off_has_passed(client, member):
    fail(client, SITE, "mari", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    )
    assert_locked_out(sign_in(client, SITE, "mari", "demo"))


def test_the_cool_off_is_configurable(client, member, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=40)
    settings.AXES_FAILURE_LIMIT = 2
    response = fail(client, SITE, "mari", 2)[1]
    assert response.status_code == 429 and response.context["minutes"] == 40


def test_another_account_from_the_same_address_is_not_locked(client, member, make_member):
    make_member("jaan")
    fail(client, SITE, "mari", settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, SITE, "jaan", "demo")
    assert response.status_code == 302 and signed_in(client)


def test_the_same_account_from_another_address_is_not_locked(client, member):
    """Whoever guesses from elsewhere cannot lock a member out of her own office."""
    fail(client, SITE, "mari", settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, SITE, "mari", "demo", address="198.51.100.20")
    assert response.status_code == 302 and signed_in(client)


def test_a_successful_sign_in_starts_the_count_again(client, member):
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, SITE, "mari", limit - 1)
    assert sign_in(client, SITE, "mari", "demo").status_code == 302
    client.logout()
    assert {r.status_code for r in fail(client, SITE, "mari", limit - 1)} == {200}
    assert sign_in(client, SITE, "mari", "demo").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_locked(client, member, settings):
    settings.KODA_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # A forged first entry must not let an attacker rotate addresses.
        sign_in(
            client,
            SITE,
            "mari",
            "vale",
            proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{_}, {ATTACKER}",
        )
    locked = sign_in(client, SITE, "mari", "demo", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    # Mari in her office, behind the same proxy, is not the attacker.
    office = sign_in(client, SITE, "mari", "demo", proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert office.status_code == 302 and signed_in(client)


@pytest.mark.parametrize("path", [SITE, ADMIN])
def test_an_address_trying_many_accounts_is_paused_whatever_the_account(
    client, member, make_member, settings, path
):
    """Password spraying: each account is tried fewer times than axes' limit, but the address
    meets the limit on failures per address (koda.ratelimit.SignInAddressLimit)."""
    settings.KODA_RATE_LIMITS = {"signin": {"address": (3, 900)}}
    other = make_member("jaan", organization="emajoe-noored")
    other.is_staff = True  # may use Wagtail's admin sign-in too
    other.save()
    for username in ("anna", "peeter", "mari"):
        assert sign_in(client, path, username, "vale").status_code == 200
    assert_locked_out(sign_in(client, path, "jaan", "demo"))
    assert not signed_in(client)
    # Not one account reached axes' limit: the pause is the address's.
    assert max(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 1
    # Another address is not touched.
    sign_in(client, path, "jaan", "demo", address="198.51.100.4")
    assert signed_in(client)


@pytest.mark.parametrize("path", [SITE, ADMIN])
def test_a_typed_user_name_with_a_code_is_never_stored_but_still_locks(client, path):
    """Someone may type a child's code as the user name: the failed attempt is recorded by the
    name's digest (issue 16), and repeating it still ends in the lock."""
    code = "3760503 0299"
    responses = fail(client, path, code, settings.AXES_FAILURE_LIMIT)
    assert_locked_out(responses[-1])
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username.startswith("sha256:")
    stored = f"{attempt.username} {attempt.get_data} {attempt.post_data} {attempt.user_agent}"
    assert "3760503" not in stored
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
