"""The forum's generation, and what every page of a signed-in person needs, kept under it.

The generation is a number in the shared cache that every write to the forum's tables or to the
groups moves on once it commits: a key naming it is orphaned by any change. The rule sits where
data enters the database: a wrapper on every connection sees each INSERT, UPDATE and DELETE that
Django sends (a save, a queryset update, a bulk insert, a through-table row, raw SQL through
Django's connection), so no way of writing escapes it; writes request by request are also
caught after the response (forum/members/cache.py).

A person's facts (whether they coordinate, their memberships, their unread count) are asked on
every page they open and cost several queries and a costly one for the count. They are kept in
one cache entry per person, read with the generation in one round trip, stamped with the
generation and their account's flags (read with the account on every request), and recomputed
when the stamp moved. Off, like the forum's fragments, unless the cache is shared
(KODA_FORUM_CACHE_SECONDS): a per-process cache would not see another worker's writes.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from koda.generations import Generation, read_many

generation = Generation("koda:forum:generation")


def personal(user, name: str, compute):
    """`compute()` about `user`, from their cached facts while nothing it depends on changed."""
    seconds = settings.KODA_FORUM_CACHE_SECONDS
    if not seconds:
        return compute()
    stamp, facts = read_facts(user)
    if name not in facts:
        facts[name] = compute()
        cache.set(_facts_key(user.pk), (stamp, facts), seconds)
    return facts[name]


def read_facts(user) -> tuple:
    """The person's (stamp, facts), read once per request (call it before anything reads a
    generation alone, and one round trip to the cache brings them all), and again after the
    request's own write: reading an issue marks its notifications read, and the page's header
    counts what is still unread."""
    kept = getattr(user, "_koda_facts", None)
    if kept is None or kept[0][0] != generation.current():
        user._koda_facts = _read_facts(user)
    return user._koda_facts


def _facts_key(user_id) -> str:
    return f"koda:person:{user_id}"


def _read_facts(user) -> tuple:
    """The person's facts and the stamp they must carry to be current: one read of the cache
    for the generations and the facts together."""
    kept = read_many([_facts_key(user.pk)]).get(_facts_key(user.pk))
    stamp = (generation.current(), user.is_active, user.is_superuser)
    facts = kept[1] if kept and kept[0] == stamp else {}
    return stamp, facts


# The tables whose writes move the generation: the forum's (but the mail outbox's, which no
# page shows) and the groups, which name the coordinators. "INSERT OR IGNORE" is SQLite's insert
# of a group membership.
WATCHED = re.compile(
    r'\s*(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?'
    r"(?!forum_outgoingmail\b)(?:forum_\w+|auth_group\w*|auth_user_groups)\b",
    re.IGNORECASE,
)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # An update or delete that changed no row (marking read what was read) changes nothing to
    # show. (An insert's count is unknown until its RETURNING rows are read.)
    written = WATCHED.match(sql)
    if written and (written.group(1).upper().startswith("INSERT") or context["cursor"].rowcount):
        connection = context["connection"]
        if not connection.in_atomic_block:  # written already (or a manual transaction's)
            generation.bump()
            return result
        # On commit: a reader between the write and its commit re-reads; a rolled back write
        # moves nothing. However many statements a transaction sends, it bumps once.
        connection.koda_bumped = False

        def bump():
            if not connection.koda_bumped:
                connection.koda_bumped = True
                generation.bump()

        connection.on_commit(bump)
    return result


def _watch_connection(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_signals() -> None:
    connection_created.connect(_watch_connection, dispatch_uid="koda-forum-writes")
    from django.db import connections

    for connection in connections.all(initialized_only=True):  # opened before this
        _watch_connection(None, connection)
