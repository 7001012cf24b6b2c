"""The thread core's pages, shared by issues and discussions: flagging a thread or a post, hiding
and showing it again, editing a post, following and locking a thread, and the coordinators'
history of a thread. Each kind's room finds the object through its visibility rule, checks its
own permission and calls these with its service, its template and its words."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from koda import ratelimit
from wagtail.models import ModelLogEntry

from forum.core.forms import ReasonForm
from forum.core.views import _apply, _posted
from forum.threads.models import Post, Thread


def editable_posts(user, posts, can_edit) -> set[int]:
    """The ids of the posts that carry edit and delete buttons for `user`: their own, neither
    withdrawn nor hidden, where the kind's rule (`can_edit`) lets them edit. The rule differs
    only by whose post it is, so one check stands for all of them."""
    own = [p for p in posts if p.author_id == user.pk and not p.deleted and not p.hidden]
    return {p.pk for p in own} if own and can_edit(user, own[0]) else set()


def _back(thread: Thread, post: Post | None) -> str:
    return post.get_absolute_url() if post else thread.get_absolute_url()


def flag_page(request, thread: Thread, post: Post | None = None, *, action, template: str):
    """A member tells the coordinators what is wrong with the thread or one of its posts;
    `action(reporter=, reason=)` is the kind's flag service, bound to the target."""
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid() and ratelimit.allow(request, "flag", form):
        action(reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A coordinator will look at it."))
        return redirect(_back(thread, post))
    return render(request, template, {"form": form, "thread": thread, "post": post})


def hide_page(
    request, thread: Thread, post: Post | None = None, *, action, template: str, done: tuple
):
    """A coordinator hides a thread or a post (with a reason) or shows it again;
    `action(moderator=, hidden=, reason=)` is the kind's service bound to the target and `done`
    the messages (hidden, shown). The state wanted comes from the form, so a double submit
    cannot undo itself."""
    form = ReasonForm(_posted(request))
    hide = request.POST.get("hide") == "1"
    if request.method == "POST" and (not hide or form.is_valid()):
        reason = form.cleaned_data["reason"] if hide else ""
        action(moderator=request.user, hidden=hide, reason=reason)
        messages.success(request, done[0] if hide else done[1])
        return redirect(_back(thread, post))
    return render(request, template, {"form": form, "thread": thread, "post": post})


def post_edit_page(request, post: Post, *, form_class, action, template: str, done: str):
    """The author edits a post; `action(editor=, body=)` is the kind's service bound to it."""
    form = form_class(_posted(request), initial={"body": post.body})
    if (
        request.method == "POST"
        and form.is_valid()
        and ratelimit.allow(request, "edit", form)
        and _apply(form, action, editor=request.user, body=form.cleaned_data["body"])
    ):
        messages.success(request, done)
        return redirect(post.get_absolute_url())
    return render(request, template, {"form": form, "thread": post.thread, "post": post})


def post_delete_page(request, post: Post, *, action, heading: str, edit_url: str, done: str):
    """The author withdraws a post after confirming on a page of its own (a form, no script
    dialog), which says that it cannot be undone; `action(user=)` is the kind's delete service
    bound to the post, and the kind's view has checked its edit permission."""
    if request.method == "POST":
        action(user=request.user)
        messages.success(request, done)
        return redirect(post.thread)
    context = {"post": post, "thread": post.thread, "heading": heading, "edit_url": edit_url}
    return render(request, "forum/post_delete.html", context)


def toggle(request, thread: Thread, *, field: str, action, done: tuple):
    """Follow or lock the thread (POST `field`=1) or undo it (0): `action(value)` is the
    kind's service bound to the thread and the person, `done` the messages (on, off)."""
    value = request.POST.get(field) == "1"
    action(value)
    messages.success(request, done[0] if value else done[1])
    return redirect(thread)


def history_page(request, thread: Thread):
    """The coordinators' page of a thread's revisions and its audit trail, its posts' included."""
    post_ids = [str(pk) for pk in getattr(thread, thread.posts_name).values_list("pk", flat=True)]
    log = (
        ModelLogEntry.objects.filter(
            Q(content_type__model=thread._meta.model_name, object_id=str(thread.pk))
            | Q(content_type__model=thread.post_kind, object_id__in=post_ids),
            content_type__app_label="forum",
        )
        .select_related("user")
        .order_by("-timestamp")
    )
    return render(
        request,
        "forum/thread_history.html",
        {"thread": thread, "revisions": thread.revisions.select_related("editor"), "log": log},
    )
