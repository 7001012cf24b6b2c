"""Forum fragments cached for everyone who would see the same thing.

The issue list and an issue's comment thread are the forum's most read and most costly parts.
Their rendered HTML is kept in Django's cache. The key names everything the fragment depends on:
the forum's generation, the reader's role and language, and the fragment's own inputs, such as
the query's SQL or the list's filters. A fragment holds nothing personal: forms with a CSRF token
stay outside, or the key names the reader.

Invalidation is by generation (forum/members/generation.py). Any write request (any method but
GET, HEAD or OPTIONS, through the forum, the admin or a sign-in) bumps it, and so does every
statement that writes the forum's tables, however it was made (a save, a queryset update, a bulk
insert, from a request or a command). A write is therefore never followed by a stale read.
KODA_FORUM_CACHE_SECONDS bounds the rest and is 0 (off) unless the cache is shared (CACHE_URL). A
local-memory cache in one worker would not see another worker's writes.
"""

import hashlib

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils.translation import get_language

from forum.members import permissions
from forum.members.generation import generation, read_facts
from forum.members.generation import personal as personal_fact

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def fragment(request, *vary, personal=None) -> dict:
    """Template context for `{% cache forum_cache.seconds name forum_cache.key %}`; a queryset
    in `vary` stands for its SQL, and `personal()`, if given, returns what names the reader in
    the key. With the cache off nothing of the key is worked out."""
    seconds = settings.KODA_FORUM_CACHE_SECONDS
    if not seconds:
        return {"seconds": 0, "key": ""}
    role = "coordinator" if permissions.is_coordinator(request.user) else "member"
    key = [generation.current(), role, get_language(), *vary, *(personal() if personal else ())]
    return {"seconds": seconds, "key": "|".join(map(key_text, key))}


def listing(request, queryset) -> str:
    """What names the list at the request's address for its reader in a fragment key: a digest
    of its SQL, kept with the reader's facts. The SQL depends on nothing else (the reader's
    visibility, the address's filters, the forum's rows they name), and building the queryset
    and compiling it costs a tenth of the list's page."""
    if not settings.KODA_FORUM_CACHE_SECONDS:
        return ""
    return personal_fact(
        request.user,
        f"listing {request.get_full_path()}",
        lambda: hashlib.sha256(key_text(queryset).encode()).hexdigest(),
    )


def fragments():
    """The cache rendered fragments are kept in, as Django's {% cache %} tag chooses it."""
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


def key_text(value) -> str:
    """`value` as a part of a fragment key."""
    if isinstance(value, QuerySet):
        # The rows it chooses, in their order, name it: compiling their ids alone costs a
        # third of compiling every selected column.
        try:
            return str(value.values_list("pk").query)
        except EmptyResultSet:  # e.g. filtered by an empty list: matches nothing
            return "none"
    return str(value)


class WriteInvalidatesMiddleware:
    """Reads a signed-in person's facts before the view, with every generation in the same
    round trip, and bumps the forum's generation after every request that may have written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.KODA_FORUM_CACHE_SECONDS and request.user.is_authenticated:
            read_facts(request.user)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and settings.KODA_FORUM_CACHE_SECONDS:
            generation.bump()
        return response
