"""The forum's generation, and what every page of a signed-in person needs, kept under it.

The generation is a number in the shared cache that every save or delete of a forum row bumps
(and every write request, forum/members/cache.py): a key naming it is orphaned by any change.

A person's facts (whether they coordinate, their memberships, their unread count) are asked on
every page they open and cost several queries and a costly one for the count. They are kept in
one cache entry per person, read once per request, whose key names the forum's generation, the
person's own version and their account's flags. The version is bumped for changes that concern
one person and send no forum signal: their groups, notifications created in bulk or marked
read. Off, like the forum's fragments, unless the cache is shared (KODA_FORUM_CACHE_SECONDS): a
per-process cache would not see another worker's writes.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from koda.generations import Generation

generation = Generation("koda:forum:generation")


def _version_key(user_id) -> str:
    return f"koda:person:version:{user_id}"


def personal(user, name: str, compute):
    """`compute()` about `user`, from their cached facts while nothing it depends on changed."""
    seconds = settings.KODA_FORUM_CACHE_SECONDS
    if not seconds:
        return compute()
    if not hasattr(user, "_koda_facts"):
        user._koda_facts = _read_facts(user)
    stamp, facts = user._koda_facts
    if name not in facts:
        facts[name] = compute()
        cache.set(_facts_key(user.pk), (stamp, facts), seconds)
    return facts[name]


def _facts_key(user_id) -> str:
    return f"koda:person:{user_id}"


def _read_facts(user) -> tuple:
    """The person's facts and the stamp they must carry to be current: one read of the cache
    for the forum's generation, the person's version and the facts together."""
    keys = [generation.key, _version_key(user.pk), _facts_key(user.pk)]
    found = cache.get_many(keys)
    stamp = (
        found.get(generation.key) or generation.current(),
        found.get(_version_key(user.pk), 0),
        user.is_active,
        user.is_superuser,
    )
    kept = found.get(_facts_key(user.pk))
    facts = kept[1] if kept and kept[0] == stamp else {}
    return stamp, facts


def forget_people(user_ids) -> None:
    """After the transaction commits, the cached facts of these people are orphaned (a reader
    who computed them before the commit stored them under the version this leaves behind)."""
    keys = [_version_key(pk) for pk in set(user_ids)]

    def bump():
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # never bumped: any number orphans version 0
                cache.set(key, 1, timeout=None)

    if keys:
        transaction.on_commit(bump)


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label == "forum" or sender is Group:  # groups name the coordinators
        transaction.on_commit(generation.bump)  # a reader between save and commit re-reads


def _on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A person joins or leaves a group (the coordinators): their facts change."""
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...)
        forget_people([instance.pk])
    elif pk_set is not None:  # group.user_set.add(...)
        forget_people(pk_set)
    else:  # group.user_set.clear(): who they were is gone
        transaction.on_commit(generation.bump)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="koda-forum-cache-save")
    post_delete.connect(_on_change, dispatch_uid="koda-forum-cache-delete")
    m2m_changed.connect(
        _on_groups_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="koda-forum-cache-groups",
    )
