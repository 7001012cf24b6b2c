"""Who may read and write threads and their posts, for both kinds: the rules issues and
discussions share. Each kind's permissions module applies them to its models in its own words;
lists, pages, feeds, search and exports all go through them.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates;
`visible_*` is the one visibility rule of its objects."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum.members.permissions import _can, check_use_forum, is_coordinator, is_member
from forum.members.permissions import member_organizations as organizations_of


def visible_threads(user, queryset):
    """Threads are network-internal: coordinators read all, members those not hidden, everyone
    else none."""
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.filter(hidden=False)
    return queryset.none()


def visible_posts(user, queryset):
    """Posts the user may read: not withdrawn, and for members not hidden, in threads they may
    read. Written as filters the search index can apply too."""
    if is_coordinator(user):
        return queryset.filter(deleted__isnull=True)
    if is_member(user):
        field = queryset.model.thread_field
        threads = queryset.model._meta.get_field(field).related_model
        return queryset.filter(deleted__isnull=True, hidden=False).exclude(
            **{f"{field}__in": threads.objects.filter(hidden=True)}
        )
    return queryset.none()


def check_view_thread(user, thread):
    """Http404 where the thread is not the user's to read: even its existence is not theirs.
    A yes is kept on the instance for its reader: a page asks several times (may they edit,
    comment, support), and what decides it (the thread's hidden flag, the reader's role) is not
    changed by a request between its asks; a locked re-read of the row is asked anew."""
    if getattr(thread, "_koda_readable_by", None) == user.pk:
        return
    if not visible_threads(user, type(thread).objects.filter(pk=thread.pk)).exists():
        raise Http404
    known_readable(user, thread)


def known_readable(user, thread):
    """Note on `thread` that `user` may read it (found through `visible_threads`), for
    `check_view_thread` to answer without a query; returns the thread."""
    thread._koda_readable_by = user.pk
    return thread


def check_view_post(user, post):
    """Http404 where the post is not the user's to read (hidden, withdrawn, in a hidden
    thread)."""
    if not visible_posts(user, type(post).objects.filter(pk=post.pk)).exists():
        raise Http404


def check_post_thread(user, organization, *, nobody: str, not_yours: str):
    """Threads are started for a member organisation of the user's; `nobody` and `not_yours`
    say why not in the kind's words."""
    check_use_forum(user)
    organizations = organizations_of(user)
    if not organizations:
        raise PermissionDenied(nobody)
    if organization is not None and organization not in organizations:
        raise PermissionDenied(not_yours)


def can_start_thread(user) -> bool:
    """Whether the user may raise an issue or start a discussion at all (what the forum's
    menus offer)."""
    return _can(check_post_thread, user, None, nobody="", not_yours="")


def check_edit_thread(user, thread, *, not_author: str, locked: str):
    """The author edits until a coordinator locks the thread; coordinators always."""
    check_view_thread(user, thread)
    if is_coordinator(user):
        return
    if thread.author_id != user.pk:
        raise PermissionDenied(not_author)
    if thread.locked:
        raise PermissionDenied(locked)


def check_add_post(user, thread, *, locked: str, nobody: str):
    """Posts are written for a member organisation (or by a coordinator), in threads not
    locked."""
    check_view_thread(user, thread)
    if thread.locked and not is_coordinator(user):
        raise PermissionDenied(locked)
    if not organizations_of(user) and not is_coordinator(user):
        raise PermissionDenied(nobody)


def check_edit_post(user, post, *, not_yours: str, locked: str):
    """The author edits or withdraws their own post, neither withdrawn nor hidden, while the
    thread is not locked."""
    check_view_thread(user, post.thread)
    if post.author_id != user.pk or post.deleted or post.hidden:
        raise PermissionDenied(not_yours)
    if post.thread.locked and not is_coordinator(user):
        raise PermissionDenied(locked)
