"""Limits on how often a person and an address may post, and the site's side of the sign-in
lockout (django-axes, configured in settings, per account and address; `SignInAddressLimit`
adds a limit per address alone).

Posting, commenting, replying, flagging, "we see this too", invitations and the join form are
counted in the cache (Redis in production) in fixed windows, per person and per address, with
the limits in settings.KODA_RATE_LIMITS. A view calls `allow(request, action, form)` just before
the service that stores: over a limit the refusal lands on the form, so the page is shown again
with what was typed, and RateLimitMiddleware answers 429 with Retry-After.
"""

import hashlib
import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.core.privacy import find_isikukood

log = logging.getLogger(__name__)

MESSAGE = _("Too many posts in a short time. Please try again in a few minutes.")

_now = time.time  # tests move the clock here


def client_address(request) -> str:
    """The client's address, the one rule for the rate limits and the sign-in lockout alike:
    REMOTE_ADDR, or behind KODA_TRUSTED_PROXIES proxies the address the outermost of them saw
    (the entries before it in X-Forwarded-For are whatever the client chose to send)."""
    proxies = settings.KODA_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _limits(request, action, account=None):
    """(scope, who, (count, seconds)) for each limit on `action` that applies to this request;
    `account` is what an anonymous request names as its account (an e-mail address), counted
    by its digest whether or not such an account exists."""
    rules = settings.KODA_RATE_LIMITS.get(action, {})
    if account and rules.get("account"):
        digest = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
        yield "account", digest, rules["account"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        new = timezone.now() - user.date_joined < timedelta(days=settings.KODA_NEW_MEMBER_DAYS)
        rule = (new and rules.get("new_member")) or rules.get("person")
        if rule:
            yield "person", user.pk, rule
    if rules.get("address"):
        yield "address", client_address(request), rules["address"]


def _count(key: str, seconds: int) -> int:
    """One more in the counter `key`, which lives for one window; returns the new count."""
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, seconds)
        return 1


def exceeded(request, action: str, *, account: str | None = None) -> int:
    """Count one attempt at `action` by this person and from this address. Returns 0 if every
    limit still allows it, else the seconds until the fullest window ends; a refused attempt
    is taken off the counts again, so that what is limited is what gets stored."""
    now = _now()
    wait = 0.0
    try:
        counted = []
        for scope, who, (count, seconds) in _limits(request, action, account):
            window = int(now // seconds)
            key = f"ratelimit:{action}:{scope}:{who}:{seconds}:{window}"
            counted.append(key)
            if _count(key, seconds) > count:
                wait = max(wait, (window + 1) * seconds - now)
        if wait:
            for key in counted:
                cache.decr(key)
    except Exception:
        # A limit protects the forum; it must not take posting down when the cache is down.
        log.warning("Rate limit for %s not checked: the cache failed.", action, exc_info=True)
        return 0
    return math.ceil(wait)


def allow(request, action: str, form) -> bool:
    """Whether the view may go on and store. Over a limit, the refusal is put on `form` and the
    request is marked for RateLimitMiddleware; nothing must be stored then."""
    wait = exceeded(request, action)
    if not wait:
        return True
    form.add_error(None, ValidationError(MESSAGE, code="rate_limited"))
    request.rate_limited_for = wait
    return False


def allow_reading_files(request) -> bool:
    """Whether the files posted with this request may be read. Reading a document is the
    costliest check the site makes, so attempts to attach files are counted before it, valid
    or not ("attachments" in KODA_RATE_LIMITS); over the limit the view leaves the files
    unread, shows the form again with what was typed, and the answer is 429."""
    wait = exceeded(request, "attachments")
    if wait:
        request.rate_limited_for = wait
    return not wait


class RateLimitMiddleware:
    """A page shown again because a rate limit refused the post is answered 429 (Too Many
    Requests), with Retry-After, so that clients and monitoring can tell it from a form error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        wait = getattr(request, "rate_limited_for", 0)
        if wait:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response


def signin_username(request, credentials=None) -> str | None:
    """The typed user name as django-axes records a failed sign-in (AXES_USERNAME_CALLABLE):
    one that carries a personal identification code is recorded by its digest, which still
    tells repeated attempts apart, so that the code is never stored."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if username and find_isikukood(username):
        return "sha256:" + hashlib.sha256(username.encode()).hexdigest()[:32]
    return username


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in refused during the cool-off (AXES_LOCKOUT_CALLABLE), on
    the site's sign-in and Wagtail's admin sign-in alike."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


# Sign-in per address ---------------------------------------------------------------------------


def _signin_failures_key(request):
    """The cache key counting this address's failed sign-ins in the current window, or None
    when KODA_RATE_LIMITS sets no "signin" limit."""
    rule = settings.KODA_RATE_LIMITS.get("signin", {}).get("address")
    if not rule:
        return None, None
    count, seconds = rule
    return f"ratelimit:signin:address:{client_address(request)}:{int(_now() // seconds)}", rule


@receiver(user_login_failed)
def _count_signin_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key, rule = _signin_failures_key(request)
    if key:
        try:
            _count(key, rule[1])
        except Exception:
            log.warning("Failed sign-in not counted: the cache failed.", exc_info=True)


class SignInAddressLimit:
    """Refuses every sign-in from an address with too many failures in the window, whatever
    the account: django-axes limits each account and address pair, so one address trying many
    accounts (password spraying) meets this limit instead. Its count is generous, as an
    office's people share one address. First in AUTHENTICATION_BACKENDS; the refusal is
    axes' locked-out page, through AxesMiddleware. No get_user(), like axes' own backend: it
    only refuses, and so is never the backend a session is signed in with."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        key, rule = _signin_failures_key(request)
        try:
            failures = key and cache.get(key, 0)
        except Exception:
            log.warning("Sign-in limit per address not checked: the cache failed.", exc_info=True)
            return None
        if failures and failures >= rule[0]:
            request.axes_locked_out = True
            raise PermissionDenied
        return None
