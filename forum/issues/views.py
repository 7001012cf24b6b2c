"""Issue pages: the list, raising and editing an issue, its page with comments and "we see
this too", and the coordinators' status, merge, hide, lock and history. Find through the
visibility rule, validate a form, call one service, redirect or render."""

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from koda import ratelimit

from forum.core.county_map import county_map
from forum.core.markdown import render_markdown
from forum.core.models import ForumTag
from forum.core.views import PAGE_SIZE, _apply, _posted
from forum.issues import permissions, services
from forum.issues.forms import (
    CommentForm,
    IssueFilterForm,
    IssueForm,
    MergeForm,
    StatusForm,
    SupportForm,
)
from forum.issues.models import Comment, Follow, Issue, Support
from forum.issues.reach import issue_counties
from forum.members import cache as forum_cache
from forum.members.decorators import coordinator_required, member_required
from forum.members.permissions import is_coordinator, member_organizations
from forum.notifications.models import Subscription
from forum.notifications.services import mark_read
from forum.threads import views as thread_views
from forum.threads.forms import ListFilters
from forum.threads.permissions import known_readable

# What an issue's head shows (its place, theme, author, duplicate) besides its organisation.
HEAD_RELATED = ("county", "municipality__county", "theme", "author", "duplicate_of")


def _issue(request, pk, related=HEAD_RELATED) -> Issue:
    issue = get_object_or_404(
        permissions.visible_issues(request.user).select_related("organization", *related),
        pk=pk,
    )
    return known_readable(request.user, issue)


# Issues --------------------------------------------------------------------------------------


@member_required
def issue_list(request, tag=None):
    filters = ListFilters(IssueFilterForm, request.GET)
    if tag:
        tag = get_object_or_404(ForumTag, slug=tag)
    mine = request.GET.get("mine") == "1"
    # Built, counted and read only when the cached fragments are missing (forum.members.cache).
    issues = SimpleLazyObject(lambda: _listed_issues(request.user, filters, tag, mine))
    page = SimpleLazyObject(lambda: Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    # The tag page offers to follow its tag (forum.inbox.views).
    tag_subscription = (
        Subscription.objects.filter(user=request.user, tag=tag).first() if tag else None
    )
    return render(
        request,
        "forum/issue_list.html",
        {
            "form": filters.form,
            "filters": filters,
            "issues": page,
            "tag": tag,
            "tag_subscription": tag_subscription,
            "mine": mine,
            "query": query.urlencode(),
            "forum_cache": forum_cache.fragment(
                request, "issue-list", forum_cache.listing(request, issues), request.GET.urlencode()
            ),
        },
    )


ISSUE_FILTERS = {
    "county": "county",
    "municipality": "municipality",
    "theme": "theme",
    "organization": "organization",
    "age_group": "age_groups",
    "status": "status",
    "q": "title__icontains",
}


def _listed_issues(user, filters: ListFilters, tag, mine: bool):
    issues = permissions.visible_issues(user)
    if tag:
        issues = issues.filter(tags=tag)
    issues = filters.narrow(issues, ISSUE_FILTERS)
    if mine:
        issues = issues.filter(organization__in=member_organizations(user))
    return (
        issues.order_by(*filters.order)
        .select_related("organization", "county", "municipality__county", "theme")
        .prefetch_related("tags")
    )


@member_required
def issue_map(request):
    """The issues the reader may read, counted per county on a map of Estonia; each county
    leads to the list filtered by it. Duplicates are counted in their original."""
    counts = dict(
        permissions.visible_issues(request.user)
        .exclude(status=Issue.Status.DUPLICATE)
        .values_list("county")
        .annotate(count=Count("pk"))
        .order_by()
    )
    nationwide = counts.pop(None, 0)  # about all of Estonia, no county
    base = reverse("forum:issue_list")
    context = county_map(counts, lambda county: f"{base}?{urlencode({'county': county.slug})}")
    return render(request, "forum/issue_map.html", {**context, "nationwide": nationwide})


def _tag_suggestions(user):
    """Tags of the issues the user can read, offered while typing (a datalist: works without
    JavaScript too)."""
    visible = permissions.visible_issues(user)
    return (
        ForumTag.objects.filter(forum_issuetag_items__content_object__in=visible)
        .distinct()
        .order_by("name")[:200]
    )


def _similar(user, title: str, exclude=None):
    """Issues whose titles share a word with `title` (until the site search takes this over)."""
    words = [w for w in title.replace("\x00", "").split() if len(w) >= 4][:6]
    if not words:
        return Issue.objects.none()
    match = Q()
    for word in words:
        match |= Q(title__icontains=word[:-1] if len(word) > 5 else word)
    similar = permissions.visible_issues(user).filter(match).exclude(status=Issue.Status.DUPLICATE)
    if exclude:
        similar = similar.exclude(pk=exclude.pk)
    return similar.select_related("organization").order_by("-support_count", "-created")[:5]


@member_required
def issue_create(request):
    """Raise an issue. Before the first publish, issues with similar titles are shown so the
    member can say "we see this too" there instead of duplicating it."""
    permissions.check_post_issue(request.user)
    organizations = member_organizations(request.user)
    form = IssueForm(_posted(request), organizations=organizations)
    context = {"form": form}
    if request.method == "POST":
        similar = list(_similar(request.user, request.POST.get("title", "")[:200]))
        context["similar"] = similar
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                context["preview"] = render_markdown(data["body"])
            elif similar and not request.POST.get("seen_similar"):
                context["check_similar"] = True
            else:
                issue = ratelimit.allow(request, "issue", form) and _apply(
                    form,
                    services.post_issue,
                    author=request.user,
                    organization=data["organization"],
                    title=data["title"],
                    body=data["body"],
                    theme=data["theme"],
                    county=data["county"],
                    municipality=data["municipality"],
                    age_groups=data["age_groups"],
                    tags=data["tags"],
                )
                if issue:
                    messages.success(request, _("Your issue has been published to the network."))
                    return redirect(issue)
    context["tag_suggestions"] = _tag_suggestions(request.user)
    return render(request, "forum/issue_form.html", context)


@member_required
def issue_edit(request, pk):
    issue = _issue(request, pk)
    permissions.check_edit_issue(request.user, issue)
    form = IssueForm(
        _posted(request),
        initial=IssueForm.initial_for(issue),
        organizations=[issue.organization],
    )
    context = {"form": form, "issue": issue}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview"] = render_markdown(data["body"])
        elif ratelimit.allow(request, "edit", form) and _apply(
            form,
            services.edit_issue,
            editor=request.user,
            issue=issue,
            title=data["title"],
            body=data["body"],
            theme=data["theme"],
            county=data["county"],
            municipality=data["municipality"],
            age_groups=data["age_groups"],
            tags=data["tags"],
        ):
            messages.success(request, _("The issue has been updated."))
            return redirect(issue)
    context["tag_suggestions"] = _tag_suggestions(request.user)
    return render(request, "forum/issue_form.html", context)


def _with_issue(comments, issue) -> list:
    comments = list(comments)
    for comment in comments:
        comment.issue = issue  # already read: the permission check asks for it
    return comments


def _detail_context(request, issue, **forms):
    user = request.user
    organizations = member_organizations(user)
    supports = list(issue.supports.select_related("organization", "county"))
    supporting = {s.organization_id for s in supports}
    can_support = [
        o for o in organizations if o.pk not in supporting and o.pk != issue.organization_id
    ]
    counties = issue_counties(issue, supports)
    comments = issue.comments.select_related("author", "organization")
    if not is_coordinator(user):
        comments = comments.filter(Q(hidden=False) | Q(author=user))
    support_form = forms.get("support_form") or (
        SupportForm(organizations=can_support) if can_support else None
    )
    context = {
        "issue": issue,
        # The issue with what its cached head shows, read only when the head is missing.
        "head": SimpleLazyObject(
            lambda: Issue.objects.select_related("organization", *HEAD_RELATED).get(pk=issue.pk)
        ),
        "supports": supports,
        "county_count": len(counties),
        "withdrawable": [s for s in supports if s.organization in organizations],
        "support_form": support_form,
        # A blank support form's fields are the same for all who support with the same
        # organisations (they choose its options and the county it starts from): cached by them.
        "support_key": ["support", *(o.pk for o in can_support)],
        "comment_form": forms.get("comment_form") or CommentForm(),
        "comments": comments,
        "following": Follow.objects.filter(user=user, issue=issue).exists(),
        "can_edit": permissions.can_edit_issue(user, issue),
        "can_comment": permissions.can_comment_issue(user, issue),
        "is_coordinator": is_coordinator(user),
        # Read only when the issue's cached head is missing (issue_detail.html).
        "tags": issue.tags.all(),
        "age_groups": issue.age_groups.all(),
    }
    if context["is_coordinator"]:
        context["status_form"] = forms.get("status_form") or StatusForm(issue=issue)
        context["open_flags"] = issue.flags.filter(resolved__isnull=True).count()
    # The thread is the same for every reader of a role, but for its authors: their own
    # comments carry edit and delete buttons (with their CSRF token).
    # Read only when the cached fragment is missing (the fragment is personal for authors).
    context["editable"] = SimpleLazyObject(
        lambda: thread_views.editable_posts(
            user, _with_issue(comments.filter(author=user), issue), permissions.can_edit_comment
        )
    )
    context["forum_cache"] = forum_cache.fragment(
        request,
        "issue-comments",
        issue.pk,
        personal=lambda: (
            [user.pk, request.META.get("CSRF_COOKIE")]
            if comments.filter(author=user).exists()
            else []
        ),
    )
    return context


@member_required
def issue_detail(request, pk):
    # The head (issue_detail.html) is mostly a cached fragment: its related rows are read only
    # when it is missing. On PostgreSQL, planning the seven-table join took 4 ms of each view.
    issue = _issue(request, pk, related=())
    mark_read(user=request.user, thread=issue)
    return render(request, "forum/issue_detail.html", _detail_context(request, issue))


def _submit_on_issue_page(
    request, issue, form, *, form_key, action, success, anchor="", limit=None
):
    """Validate one of the issue page's forms and run its action (within the rate `limit`, if
    named); on success redirect back, else show the page again with that form's errors (status
    400, or 429 over the limit) and what was typed."""
    if (
        form.is_valid()
        and (limit is None or ratelimit.allow(request, limit, form))
        and _apply(form, action, form.cleaned_data)
    ):
        messages.success(request, success)
        return redirect(issue.get_absolute_url() + anchor)
    context = _detail_context(request, issue, **{form_key: form})
    return render(request, "forum/issue_detail.html", context, status=400)


@member_required
@require_POST
def issue_support(request, pk):
    issue = _issue(request, pk)
    organizations = member_organizations(request.user)
    return _submit_on_issue_page(
        request,
        issue,
        SupportForm(request.POST, organizations=organizations),
        form_key="support_form",
        limit="support",
        action=lambda data: services.add_support(
            user=request.user,
            issue=issue,
            organization=data["organization"],
            note=data["note"],
            county=data["county"],
        ),
        success=_("Thank you: your organisation now sees this too."),
    )


@member_required
@require_POST
def issue_support_withdraw(request, pk, organization):
    issue = _issue(request, pk)
    support = get_object_or_404(Support, issue=issue, organization__slug=organization)
    services.withdraw_support(user=request.user, issue=issue, organization=support.organization)
    messages.success(request, _("“We see this too” has been withdrawn."))
    return redirect(issue)


@member_required
@require_POST
def issue_comment(request, pk):
    issue = _issue(request, pk)
    permissions.check_comment_issue(request.user, issue)
    return _submit_on_issue_page(
        request,
        issue,
        CommentForm(request.POST),
        form_key="comment_form",
        limit="comment",
        action=lambda data: services.add_comment(
            author=request.user, issue=issue, body=data["body"]
        ),
        success=_("Your comment has been added."),
        anchor="#comments",
    )


@member_required
@require_POST
def issue_follow(request, pk):
    issue = _issue(request, pk)
    return thread_views.toggle(
        request,
        issue,
        field="follow",
        action=lambda follow: services.follow_issue(user=request.user, issue=issue, follow=follow),
        done=(_("You now follow this issue."), _("You no longer follow this issue.")),
    )


@member_required
def issue_flag(request, pk):
    issue = _issue(request, pk)
    comment = None
    comment_id = request.GET.get("comment") or request.POST.get("comment") or ""
    if comment_id:
        comment = get_object_or_404(
            issue.comments, pk=comment_id if comment_id.isascii() and comment_id.isdigit() else 0
        )
    return thread_views.flag_page(
        request,
        issue,
        comment,
        action=partial(services.flag_content, issue=issue, comment=comment),
        template="forum/issue_flag.html",
    )


# Comments ------------------------------------------------------------------------------------


def _comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("issue"), pk=pk)
    permissions.check_view_issue(request.user, comment.issue)
    return comment


@member_required
def comment_edit(request, pk):
    comment = _comment(request, pk)
    permissions.check_edit_comment(request.user, comment)
    return thread_views.post_edit_page(
        request,
        comment,
        form_class=CommentForm,
        action=partial(services.edit_comment, comment=comment),
        template="forum/comment_form.html",
        done=_("Your comment has been updated."),
    )


@member_required
def comment_delete(request, pk):
    comment = _comment(request, pk)
    permissions.check_edit_comment(request.user, comment)
    return thread_views.post_delete_page(
        request,
        comment,
        action=partial(services.delete_comment, comment=comment),
        heading=_("Delete your comment?"),
        edit_url="forum:comment_edit",
        done=_("Your comment has been deleted."),
    )


# Coordinators --------------------------------------------------------------------------------


@coordinator_required
@require_POST
def issue_status(request, pk):
    issue = _issue(request, pk)
    return _submit_on_issue_page(
        request,
        issue,
        StatusForm(request.POST, issue=issue),
        form_key="status_form",
        action=lambda data: services.change_issue_status(
            moderator=request.user, issue=issue, status=data["status"], reason=data["reason"]
        ),
        success=_("The status has been changed."),
    )


@coordinator_required
def issue_merge(request, pk):
    issue = _issue(request, pk)
    form = MergeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        original = (
            permissions.visible_issues(request.user)
            .filter(pk=form.cleaned_data["original"])
            .first()
        )
        if original is None:
            form.add_error("original", _("There is no issue with this number."))
        elif _apply(
            form,
            services.merge_issue_into,
            moderator=request.user,
            duplicate=issue,
            original=original,
            reason=form.cleaned_data["reason"],
        ):
            messages.success(request, _("Closed as a duplicate; everything moved to the original."))
            return redirect(original)
    return render(
        request,
        "forum/merge_form.html",
        {
            "form": form,
            "issue": issue,
            "similar": _similar(request.user, issue.title, exclude=issue),
        },
    )


@coordinator_required
def issue_hide(request, pk):
    issue = _issue(request, pk)
    return thread_views.hide_page(
        request,
        issue,
        action=partial(services.hide_issue, issue=issue),
        template="forum/issue_hide.html",
        done=(_("The issue has been hidden."), _("The issue is visible again.")),
    )


@coordinator_required
def comment_hide(request, pk):
    comment = _comment(request, pk)
    return thread_views.hide_page(
        request,
        comment.issue,
        comment,
        action=partial(services.hide_comment, comment=comment),
        template="forum/issue_hide.html",
        done=(_("The comment has been hidden."), _("The comment is visible again.")),
    )


@coordinator_required
@require_POST
def issue_lock(request, pk):
    issue = _issue(request, pk)
    return thread_views.toggle(
        request,
        issue,
        field="lock",
        action=lambda lock: services.lock_issue(moderator=request.user, issue=issue, locked=lock),
        done=(_("The issue is locked."), _("The issue is unlocked.")),
    )


@coordinator_required
def issue_history(request, pk):
    return thread_views.history_page(request, _issue(request, pk))
