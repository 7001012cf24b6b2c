"""Discussion pages: questions, good practices, materials, training needs and partner searches.
As everywhere in the forum: find through the visibility rule, validate a form, call one
service, redirect or render."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from koda import ratelimit

from forum.core.models import ForumTag
from forum.core.views import PAGE_SIZE, _apply, _pk, _posted
from forum.discussions import permissions, services
from forum.discussions.forms import DiscussionFilterForm, DiscussionForm, ReplyForm, kind_from
from forum.discussions.models import Discussion, DiscussionFollow, HelpfulMark, Reply
from forum.members.decorators import coordinator_required, member_required
from forum.members.permissions import is_coordinator, member_organizations
from forum.notifications.services import mark_read
from forum.threads import views as thread_views
from forum.threads.forms import ListFilters

KIND = Discussion.Kind


def _discussion(request, pk) -> Discussion:
    return get_object_or_404(
        permissions.visible_discussions(request.user).select_related(
            "organization", "county", "municipality__county", "theme", "author"
        ),
        pk=pk,
    )


def _reply(request, pk) -> Reply:
    """A reply that is not withdrawn, in a discussion the user may read (else 404)."""
    reply = get_object_or_404(
        Reply.objects.select_related("discussion", "author", "organization"),
        pk=pk,
        deleted__isnull=True,
    )
    permissions.check_view_discussion(request.user, reply.discussion)
    return reply


# The list --------------------------------------------------------------------------------------


@member_required
def discussion_list(request):
    filters = ListFilters(DiscussionFilterForm, request.GET)
    discussions = filters.narrow(
        permissions.visible_discussions(request.user),
        {
            "county": "county",
            "theme": "theme",
            "organization": "organization",
            "tag": "tags__slug",
            "q": "title__icontains",
        },
    )
    counts = dict(discussions.order_by().values_list("kind").annotate(n=Count("pk")))
    kind = filters.cleaned.get("kind") or ""
    if kind:
        discussions = discussions.filter(kind=kind)
    discussions = (
        discussions.order_by(*filters.order)
        .select_related("organization", "county", "municipality__county", "theme")
        .prefetch_related("tags")
    )
    page = Paginator(discussions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("kind", None)
    base = query.urlencode()
    tabs = [("", _("All"), sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in KIND.choices
    ]
    tabs = [
        {
            "kind": value,
            "label": label,
            "count": count,
            "query": "&".join(p for p in (base, f"kind={value}" if value else "") if p),
            "current": value == kind,
        }
        for value, label, count in tabs
    ]
    if kind:
        query["kind"] = kind
    return render(
        request,
        "forum/discussion_list.html",
        {
            "form": filters.form,
            "filters": filters,
            "discussions": page,
            "tabs": tabs,
            "kind": kind,
            "query": query.urlencode(),
        },
    )


# Starting and editing ----------------------------------------------------------------------------


def _tag_suggestions(user):
    visible = permissions.visible_discussions(user)
    return (
        ForumTag.objects.filter(forum_discussiontag_items__content_object__in=visible)
        .distinct()
        .order_by("name")[:200]
    )


# What a form posts that is not the person's writing.
NOT_TYPED = {"csrfmiddlewaretoken", "switch_kind", "kind"}


def _form_page(request, form, *, discussion=None, status=200):
    kinds = [
        {"kind": value, "label": label, "current": value == form.kind}
        for value, label in KIND.choices
    ]
    context = {
        "form": form,
        "discussion": discussion,
        "kinds": kinds,
        "tag_suggestions": _tag_suggestions(request.user),
    }
    return render(request, "forum/discussion_form.html", context, status=status)


def _shared(data) -> dict:
    return {
        "title": data["title"],
        "body": data["body"],
        "theme": data["theme"],
        "county": data["county"],
        "municipality": data["municipality"],
        "age_groups": data["age_groups"],
        "tags": data["tags"],
        "files": data.get("files") or [],
    }


def _files(request, posted):
    """The files posted, if this person and address may have more read now (the limit comes
    before reading them, see koda.ratelimit.allow_reading_files)."""
    if posted is None or not request.FILES:
        return None
    return request.FILES if ratelimit.allow_reading_files(request) else None


def _refuse_unread_files(request, form):
    if getattr(request, "rate_limited_for", 0):
        form.add_error("files", ratelimit.MESSAGE)


@member_required
def discussion_create(request):
    """Start a discussion of the kind in ?kind= (or the submitted one; a question if none)."""
    permissions.check_post_discussion(request.user)
    posted = _posted(request)
    if posted is not None and posted.get("switch_kind"):
        # Another kind chosen while writing: its form, keeping what was typed (nothing is
        # checked or stored yet; a browser cannot carry chosen files over).
        typed = {name: values for name, values in posted.lists() if name not in NOT_TYPED}
        form = DiscussionForm(
            initial={name: v if len(v) > 1 else v[0] for name, v in typed.items()},
            kind=kind_from(posted["switch_kind"]),
            organizations=member_organizations(request.user),
        )
        return _form_page(request, form)
    kind = kind_from((posted or request.GET).get("kind"))
    form = DiscussionForm(
        posted,
        _files(request, posted),
        kind=kind,
        organizations=member_organizations(request.user),
    )
    _refuse_unread_files(request, form)
    if posted is not None and form.is_valid() and ratelimit.allow(request, "discussion", form):
        data = form.cleaned_data
        discussion = _apply(
            form,
            services.post_discussion,
            author=request.user,
            organization=data["organization"],
            kind=data["kind"],
            details=form.details(),
            **_shared(data),
        )
        if discussion:
            messages.success(request, _("Your discussion has been published to the network."))
            return redirect(discussion)
    return _form_page(request, form)


@member_required
def discussion_edit(request, pk):
    discussion = _discussion(request, pk)
    permissions.check_edit_discussion(request.user, discussion)
    posted = _posted(request)
    form = DiscussionForm(
        posted,
        _files(request, posted),
        initial=DiscussionForm.initial_for(discussion),
        kind=discussion.kind,
        organizations=[discussion.organization],
        discussion=discussion,
    )
    _refuse_unread_files(request, form)
    if (
        posted is not None
        and form.is_valid()
        and ratelimit.allow(request, "edit", form)
        and _apply(
            form,
            services.edit_discussion,
            editor=request.user,
            discussion=discussion,
            details=form.details(),
            **_shared(form.cleaned_data),
        )
    ):
        messages.success(request, _("The discussion has been updated."))
        return redirect(discussion)
    return _form_page(request, form, discussion=discussion)


# The page --------------------------------------------------------------------------------------


def _detail_context(request, discussion, *, reply_form=None):
    """Everything the page shows, in a fixed number of queries whatever the number of replies,
    marks and attachments."""
    user = request.user
    coordinator = is_coordinator(user)
    replies = list(
        discussion.replies.filter(deleted__isnull=True).select_related("author", "organization")
    )
    marked = set(
        HelpfulMark.objects.filter(user=user, discussion=discussion).values_list(
            "reply_id", flat=True
        )
    )
    # The helpful mark differs only by whose reply it is: one check for another's reply stands
    # for all of them.
    others = next((r for r in replies if r.author_id != user.pk and not r.hidden), None)
    may_mark = others is not None and permissions.can_mark_helpful(user, discussion, others)
    editable = thread_views.editable_posts(user, replies, permissions.can_edit_reply)
    accepted = None
    for reply in replies:
        reply.marked = reply.pk in marked
        reply.markable = may_mark and reply.author_id != user.pk and not reply.hidden
        reply.editable = reply.pk in editable
        reply.accepted = reply.pk == discussion.accepted_reply_id and not reply.hidden
        if reply.accepted:
            accepted = reply
    context = {
        "discussion": discussion,
        "accepted": accepted,
        "replies": [r for r in replies if r is not accepted],
        "reply_total": len([r for r in replies if not r.hidden]),
        "attachments": list(discussion.attachments.select_related("document")),
        "tags": list(discussion.tags.all()),
        "age_groups": list(discussion.age_groups.all()),
        "following": DiscussionFollow.objects.filter(user=user, discussion=discussion).exists(),
        "marked_discussion": None in marked,
        "can_mark_discussion": discussion.kind == KIND.PRACTICE
        and permissions.can_mark_helpful(user, discussion),
        "can_edit": permissions.can_edit_discussion(user, discussion),
        "can_reply": permissions.can_reply_discussion(user, discussion),
        "can_accept": discussion.kind == KIND.QUESTION
        and permissions.can_accept_answer(user, discussion),
        "is_coordinator": coordinator,
        "reply_form": reply_form or ReplyForm(),
    }
    if coordinator:
        context["open_flags"] = discussion.flags.filter(resolved__isnull=True).count()
    return context


@member_required
def discussion_detail(request, pk):
    discussion = _discussion(request, pk)
    mark_read(user=request.user, thread=discussion)
    return render(request, "forum/discussion_detail.html", _detail_context(request, discussion))


# Replies ---------------------------------------------------------------------------------------


@member_required
@require_POST
def discussion_reply(request, pk):
    discussion = _discussion(request, pk)
    permissions.check_reply_discussion(request.user, discussion)
    form = ReplyForm(request.POST)
    reply = (
        form.is_valid()
        and ratelimit.allow(request, "reply", form)
        and _apply(
            form,
            services.add_reply,
            author=request.user,
            discussion=discussion,
            body=form.cleaned_data["body"],
        )
    )
    if reply:
        messages.success(request, _("Your reply has been added."))
        return redirect(reply.get_absolute_url())
    context = _detail_context(request, discussion, reply_form=form)
    return render(request, "forum/discussion_detail.html", context, status=400)


@member_required
def reply_edit(request, pk):
    reply = _reply(request, pk)
    permissions.check_edit_reply(request.user, reply)
    return thread_views.post_edit_page(
        request,
        reply,
        form_class=ReplyForm,
        action=partial(services.edit_reply, reply=reply),
        template="forum/reply_form.html",
        done=_("Your reply has been updated."),
    )


@member_required
def reply_delete(request, pk):
    reply = _reply(request, pk)
    permissions.check_edit_reply(request.user, reply)
    return thread_views.post_delete_page(
        request,
        reply,
        action=partial(services.delete_reply, reply=reply),
        heading=_("Delete your reply?"),
        edit_url="forum:reply_edit",
        done=_("Your reply has been deleted."),
    )


@member_required
@require_POST
def discussion_accept(request, pk):
    """The asker (or a coordinator) marks the reply that answered the question; an empty
    `reply` takes the mark back."""
    discussion = _discussion(request, pk)
    reply = None
    if request.POST.get("reply"):
        reply = get_object_or_404(discussion.replies, pk=_pk(request.POST["reply"]) or 0)
    try:
        services.accept_answer(user=request.user, discussion=discussion, reply=reply)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(discussion)
    if reply:
        messages.success(request, _("The reply is marked as the best answer."))
        return redirect(reply.get_absolute_url())
    messages.success(request, _("The question has no accepted answer now."))
    return redirect(discussion)


def _mark(request, discussion, reply, back):
    helpful = request.POST.get("helpful", "1") != "0"
    try:
        services.mark_helpful(
            user=request.user, discussion=discussion, reply=reply, helpful=helpful
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you: you marked this as helpful.")
            if helpful
            else _("You took back your helpful mark."),
        )
    return redirect(back)


@member_required
@require_POST
def discussion_helpful(request, pk):
    """A good practice itself is marked as helpful (helpful=0 takes the mark back)."""
    discussion = _discussion(request, pk)
    return _mark(request, discussion, None, discussion.get_absolute_url())


@member_required
@require_POST
def reply_helpful(request, pk):
    reply = _reply(request, pk)
    return _mark(request, reply.discussion, reply, reply.get_absolute_url())


@member_required
@require_POST
def discussion_follow(request, pk):
    discussion = _discussion(request, pk)
    return thread_views.toggle(
        request,
        discussion,
        field="follow",
        action=lambda follow: services.follow_discussion(
            user=request.user, discussion=discussion, follow=follow
        ),
        done=(_("You now follow this discussion."), _("You no longer follow this discussion.")),
    )


# Flags and moderation ----------------------------------------------------------------------------


@member_required
def discussion_flag(request, pk):
    discussion = _discussion(request, pk)
    return thread_views.flag_page(
        request,
        discussion,
        action=partial(services.flag_discussion, discussion=discussion),
        template="forum/discussion_flag.html",
    )


@member_required
def reply_flag(request, pk):
    reply = _reply(request, pk)
    return thread_views.flag_page(
        request,
        reply.discussion,
        reply,
        action=partial(services.flag_discussion, discussion=reply.discussion, reply=reply),
        template="forum/discussion_flag.html",
    )


@coordinator_required
def discussion_hide(request, pk):
    discussion = _discussion(request, pk)
    return thread_views.hide_page(
        request,
        discussion,
        action=partial(services.hide_discussion, discussion=discussion),
        template="forum/discussion_hide.html",
        done=(_("The discussion has been hidden."), _("The discussion is visible again.")),
    )


@coordinator_required
def reply_hide(request, pk):
    reply = _reply(request, pk)
    return thread_views.hide_page(
        request,
        reply.discussion,
        reply,
        action=partial(services.hide_reply, reply=reply),
        template="forum/discussion_hide.html",
        done=(_("The reply has been hidden."), _("The reply is visible again.")),
    )


@coordinator_required
@require_POST
def discussion_lock(request, pk):
    discussion = _discussion(request, pk)
    return thread_views.toggle(
        request,
        discussion,
        field="lock",
        action=lambda lock: services.lock_discussion(
            moderator=request.user, discussion=discussion, locked=lock
        ),
        done=(_("The discussion is locked."), _("The discussion is unlocked.")),
    )


@coordinator_required
def discussion_history(request, pk):
    return thread_views.history_page(request, _discussion(request, pk))
