"""The coordinators' pages for moderation: the triage queue of flags and new issues, dismissing
a flag, and the tags with their curation."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forum.core.models import ForumTag
from forum.core.views import _apply, _posted
from forum.issues import services as issue_services
from forum.issues.models import Issue
from forum.members.decorators import coordinator_required
from forum.moderation import services
from forum.moderation.forms import TagRenameForm, TriageForm
from forum.threads.models import Flag
from forum.threads.services import dismiss_flag


@coordinator_required
def triage(request):
    new = (
        Issue.objects.filter(status=Issue.Status.OPEN)
        .select_related("organization", "theme", "county", "municipality__county")
        .prefetch_related("tags")
        .order_by("created")[:50]
    )
    flags = (
        Flag.objects.filter(resolved__isnull=True)
        .select_related("issue", "comment__issue", "discussion", "reply__discussion", "reporter")
        .order_by("created")[:50]
    )
    return render(request, "forum/triage.html", {"new_issues": new, "flags": flags})


@coordinator_required
@require_POST
def flag_dismiss(request, pk):
    flag = get_object_or_404(Flag, pk=pk)
    dismiss_flag(moderator=request.user, flag=flag)
    messages.success(request, _("The flag has been dismissed."))
    return redirect("forum:triage")


@coordinator_required
def tag_list(request):
    """Coordinators curate tags: rename one, or merge it into another by giving that name."""
    tags = (
        ForumTag.objects.filter(forum_issuetag_items__isnull=False)
        .annotate(issue_count=Count("forum_issuetag_items"))
        .order_by("name")
    )
    form = TagRenameForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        tag = ForumTag.objects.filter(pk=form.cleaned_data["tag"]).first()
        if tag is None:
            form.add_error("tag", _("There is no such tag."))
        elif target := _apply(
            form,
            services.rename_tag,
            moderator=request.user,
            tag=tag,
            new_name=form.cleaned_data["name"],
        ):
            messages.success(request, _("The tag is now “%(name)s”.") % {"name": target.name})
            return redirect("forum:tags")
    return render(request, "forum/tag_list.html", {"tags": tags, "form": form})


@coordinator_required
@require_POST
def issues_triage(request):
    """Several issues ticked on the issue list: a page listing them with what to do to them all
    (a status, hiding, merging into one), then (with `apply`) that, all or nothing."""
    form = TriageForm(request.POST, user=request.user)
    form.is_valid()
    issues = list(form.cleaned_data.get("issues") or ())
    if not issues:
        messages.error(request, _("Tick the issues first."))
        return redirect("forum:issue_list")
    if "apply" not in request.POST:
        form = TriageForm(
            initial={"issues": [i.pk for i in issues], "action": request.POST.get("action")},
            user=request.user,
        )
    elif form.is_valid():
        data = form.cleaned_data
        done = _apply(
            form,
            issue_services.triage_issues,
            moderator=request.user,
            issues=issues,
            action=data["action"],
            reason=data["reason"],
            status=data["status"],
            original=data["original"],
        )
        if done:
            messages.success(
                request,
                ngettext("Done for %(count)s issue.", "Done for %(count)s issues.", len(done))
                % {"count": len(done)},
            )
            return redirect("forum:issue_list")
    return render(request, "forum/issues_triage.html", {"form": form, "issues": issues})
