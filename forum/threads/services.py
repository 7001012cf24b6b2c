"""The thread core's actions: what posting, editing, following, flagging, hiding and locking do to
an issue or a discussion and to their posts (comments, replies), written once. Each kind's room
checks its own permission, then calls these inside its transaction; what differs (supports and
status; kinds, answers and helpful marks) stays in the room. Audit actions are named by the kind
("forum.issue.hide", "forum.reply.edit")."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.search.index import insert_or_update_object

from forum.core.audit import log
from forum.core.markdown import render_markdown
from forum.members.permissions import check_moderate, member_organizations
from forum.notifications.services import notify, notify_mentioned
from forum.threads.models import Flag, Post, Thread
from forum.threads.permissions import check_view_post

# The same text from the same person this soon is a double submission, not a new post.
RESUBMISSION_WINDOW = datetime.timedelta(minutes=10)


def _kind(instance) -> str:
    """ "issue", "comment", "discussion" or "reply": the audit's and the flags' name for it."""
    return instance._meta.model_name


def locked_row(thread: Thread) -> Thread:
    """The thread re-read under a row lock: call inside a transaction before a read decides a
    write (counters, status, the accepted answer)."""
    return type(thread).objects.select_for_update().get(pk=thread.pk)


def _refuse_resubmission(posts, *, author, body: str, message: str, **same) -> None:
    recent = timezone.now() - RESUBMISSION_WINDOW
    if posts.filter(author=author, body=body, created__gte=recent, **same).exists():
        raise ValidationError(message)


def describe(thread: Thread, fields=()) -> dict:
    """A thread as its history shows it (its kind's own `fields` too)."""
    return {
        "title": thread.title,
        "body": thread.body,
        "theme": str(thread.theme or ""),
        "place": str(thread.place),
        "age_groups": ", ".join(sorted(str(a) for a in thread.age_groups.all())),
        "tags": ", ".join(sorted(thread.tags.names())),
        **{name: str(getattr(thread, name) or "") for name in fields},
    }


def changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for each field that changed."""
    return {key: [before[key], after[key]] for key in before if before[key] != after[key]}


def follow(user, thread: Thread) -> None:
    thread.follows.get_or_create(user=user)


def set_following(*, user, thread: Thread, following: bool) -> None:
    """Follow the thread or stop following it; call after the kind's view permission."""
    if following:
        follow(user, thread)
    else:
        thread.follows.filter(user=user).delete()


def post_thread(
    model: type[Thread],
    *,
    author,
    title: str,
    body: str,
    county=None,
    municipality=None,
    age_groups=(),
    tags=(),
    resubmitted: str,
    **fields,
) -> Thread:
    """Create a thread of `model` with its kind's own `fields`; the author follows it. The same
    title and text from the same person within the window is refused with `resubmitted`."""
    _refuse_resubmission(
        model.objects.all(), author=author, body=body, title=title, message=resubmitted
    )
    thread = model.objects.create(
        title=title,
        body=body,
        body_html=render_markdown(body),
        author=author,
        county=municipality.county if municipality is not None else county,
        municipality=municipality,
        **fields,
    )
    thread.age_groups.set(age_groups)
    thread.tags.set(list(tags))
    insert_or_update_object(thread)  # again: the search index reads the tags set after saving
    follow(author, thread)
    log(thread, f"forum.{_kind(thread)}.post", user=author)
    notify_mentioned(thread, body, actor=author, actor_organization=fields.get("organization"))
    return thread


def edit_thread(
    thread: Thread,
    *,
    editor,
    title: str,
    body: str,
    county=None,
    municipality=None,
    age_groups=(),
    tags=(),
    own_fields=(),
    attached: int = 0,
    **fields,
) -> Thread:
    """Change a locked thread and keep what it was as a revision (who, when, what changed);
    `own_fields` are the kind's fields its history shows, `attached` the number of files the
    same edit added (discussions), which the audit records too."""
    before = describe(thread, own_fields)
    notify_mentioned(thread, body, actor=editor, before=thread.body)
    thread.title, thread.body, thread.body_html = title, body, render_markdown(body)
    thread.county = municipality.county if municipality is not None else county
    thread.municipality = municipality
    for name, value in fields.items():
        setattr(thread, name, value)
    thread.save(
        update_fields=["title", "body", "body_html", "county", "municipality", "updated", *fields]
    )
    thread.age_groups.set(age_groups)
    thread.tags.set(list(tags))
    insert_or_update_object(thread)
    changed = changes(before, describe(thread, own_fields))
    if changed:
        thread.revisions.create(editor=editor, changes=changed)
        thread.edited = timezone.now()
        type(thread).objects.filter(pk=thread.pk).update(edited=thread.edited)
    if changed or attached:
        data = {"fields": sorted(changed), **({"files": attached} if attached else {})}
        log(thread, f"forum.{_kind(thread)}.edit", user=editor, data=data)
    return thread


def _count_posts(thread: Thread, change: int, **also) -> None:
    count = f"{thread.post_kind}_count"
    type(thread).objects.filter(pk=thread.pk).update(**{count: F(count) + change}, **also)


def add_post(thread: Thread, *, author, body: str, notice: str, resubmitted: str) -> Post:
    """A comment or reply by `author` for their organisation; the thread's followers are told
    (`notice`, a Notification.Kind) and the author follows it from now on."""
    posts = getattr(thread, thread.posts_name)
    _refuse_resubmission(posts, author=author, body=body, message=resubmitted)
    organizations = member_organizations(author)
    post = posts.create(
        author=author,
        organization=organizations[0] if organizations else None,
        body=body,
        body_html=render_markdown(body),
    )
    _count_posts(thread, +1, last_activity=post.created)
    follow(author, thread)
    log(post, f"forum.{_kind(post)}.add", user=author)
    told = notify(thread, notice, actor=author, actor_organization=post.organization)
    notify_mentioned(thread, body, actor=author, actor_organization=post.organization, told=told)
    return post


def edit_post(post: Post, *, editor, body: str) -> Post:
    """Change the text and keep the old one as a revision; people it newly mentions are told."""
    post.revisions.create(editor=editor, body=post.body)
    notify_mentioned(
        post.thread, body, actor=editor, actor_organization=post.organization, before=post.body
    )
    post.body, post.body_html, post.edited = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "body_html", "edited"])
    log(post, f"forum.{_kind(post)}.edit", user=editor)
    return post


def delete_post(post: Post, *, user) -> Thread:
    """The author withdraws a post: it stays for the audit and shows as deleted. Returns its
    thread, locked."""
    thread = locked_row(post.thread)
    post.deleted = timezone.now()
    post.save(update_fields=["deleted"])
    # The count is of posts people can read; a deleted one leaves only a placeholder.
    _count_posts(thread, -1)
    log(post, f"forum.{_kind(post)}.delete", user=user)
    return thread


def _resolve_flags(moderator, **lookup) -> None:
    Flag.objects.filter(resolved__isnull=True, **lookup).update(
        resolved=timezone.now(), resolved_by=moderator
    )


def flag(thread: Thread, post: Post | None = None, *, reporter, reason: str) -> Flag:
    """A note to the moderators about the thread or one of its posts; call after the kind's
    view permission on the thread. A post the reporter may not read is not there to flag."""
    if post is not None:
        check_view_post(reporter, post)
    about = {_kind(thread): thread, **({_kind(post): post} if post else {})}
    flag = Flag.objects.create(reporter=reporter, reason=reason, **about)
    log(post or thread, "forum.flag", user=reporter, data={"flag": flag.pk})
    return flag


@transaction.atomic
def dismiss_flag(*, moderator, flag: Flag) -> None:
    check_moderate(moderator)
    _resolve_flags(moderator, pk=flag.pk)
    log(flag.target, "forum.flag.dismiss", user=moderator)


def hide_thread(thread: Thread, *, moderator, reason: str, hidden: bool) -> Thread:
    """Hide the thread from members (coordinators still read it) or show it again; the flags
    on the thread itself are resolved."""
    check_moderate(moderator)
    thread = locked_row(thread)
    thread.hidden, thread.hidden_reason = hidden, reason if hidden else ""
    thread.save(update_fields=["hidden", "hidden_reason", "updated"])
    insert_or_update_object(thread)  # now, not when a task queue gets to it: search filters it
    _resolve_flags(moderator, **{_kind(thread): thread, f"{thread.post_kind}__isnull": True})
    action = "hide" if hidden else "unhide"
    log(thread, f"forum.{_kind(thread)}.{action}", user=moderator, data={"reason": reason})
    return thread


def hide_post(post: Post, *, moderator, reason: str, hidden: bool) -> Thread:
    """Hide a post or show it again; the count follows and its flags are resolved. Returns its
    thread, locked."""
    check_moderate(moderator)
    thread = locked_row(post.thread)
    post = type(post).objects.get(pk=post.pk)
    if post.hidden != hidden and not post.deleted:
        _count_posts(thread, -1 if hidden else +1)
    post.hidden, post.hidden_reason = hidden, reason if hidden else ""
    post.save(update_fields=["hidden", "hidden_reason"])
    insert_or_update_object(post)
    _resolve_flags(moderator, **{_kind(post): post})
    action = "hide" if hidden else "unhide"
    log(post, f"forum.{_kind(post)}.{action}", user=moderator, data={"reason": reason})
    return thread


def lock_thread(thread: Thread, *, moderator, locked: bool, reason: str = "") -> None:
    """Close the thread to new posts, or open it again."""
    check_moderate(moderator)
    type(thread).objects.filter(pk=thread.pk).update(locked=locked)
    action = "lock" if locked else "unlock"
    log(thread, f"forum.{_kind(thread)}.{action}", user=moderator, data={"reason": reason})
