"""Advocacy topics in the forum: the list, the topic page with everything the network needs to
carry a topic to an outcome, the working group's position, and escalating issues into a topic.
forum.topics.permissions decides who, forum.topics.workflow what may follow what,
forum.topics.services does it."""

import datetime
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from koda import ratelimit

from forum.core.markdown import render_markdown
from forum.core.models import AgeGroup
from forum.core.views import _posted
from forum.issues.forms import CommentForm
from forum.issues.permissions import visible_issues
from forum.members import permissions as members_permissions
from forum.members.decorators import coordinator_required, member_required
from forum.members.permissions import member_organizations, representative_of
from forum.topics import permissions, services, workflow
from forum.topics.forms import (
    EscalateForm,
    EscalateIssuesForm,
    IssuePickForm,
    PositionForm,
    SignatureForm,
    TopicFilterForm,
    TopicForm,
    TransitionForm,
    UnlinkForm,
)
from forum.topics.models import AdvocacyTopic, TopicIssue, TopicSignature
from forum.topics.reach import topic_reach

T = AdvocacyTopic.Status
PAGE_SIZE = 20
# A deadline this close is marked while the network still works towards it.
DEADLINE_SOON = datetime.timedelta(days=14)
DEADLINE_MATTERS = {T.PROPOSED, T.WORKING_GROUP, T.POSITION_ADOPTED}
STATUS_LABELS = dict(T.choices)


def _topic(request, pk) -> AdvocacyTopic:
    return get_object_or_404(permissions.visible_topics(request.user).select_related("lead"), pk=pk)


def _run(form, call):
    """Run a service; a ValidationError it raises lands on the form. Returns (ran, result):
    some services succeed with None."""
    try:
        return True, call()
    except ValidationError as error:
        form.add_error(None, error)
        return False, None


def deadline_state(topic: AdvocacyTopic, today: datetime.date) -> str:
    """ "passed", "soon" or "" for a topic still worked on."""
    if topic.deadline is None or topic.status not in DEADLINE_MATTERS:
        return ""
    if topic.deadline < today:
        return "passed"
    return "soon" if topic.deadline - today <= DEADLINE_SOON else ""


def _represented_organizations(user) -> list:
    """The member organisations the user may answer a position for."""
    return [
        organization
        for organization in member_organizations(user)
        if representative_of(user, organization)
    ]


# The list ------------------------------------------------------------------------------------


def _count_evidence(user, topics: list[AdvocacyTopic]) -> None:
    """Each topic's issues and organisations (forum.topics.reach), counted over the issues the user
    may read, in two queries for the whole page."""
    reach = topic_reach([t.pk for t in topics], issues=visible_issues(user))
    today = timezone.localdate()
    for topic in topics:
        topic.issue_count = reach[topic.pk].issues
        topic.organization_count = len(reach[topic.pk].organizations)
        topic.deadline_state = deadline_state(topic, today)


@member_required
def topic_list(request):
    form = TopicFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    topics = permissions.visible_topics(request.user).select_related("lead")
    if status:
        topics = topics.filter(status=status)
    page = Paginator(topics.order_by("-updated", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _count_evidence(request.user, list(page))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "forum/topic_list.html",
        {
            "form": form,
            "topics": page,
            "query": query.urlencode(),
            "is_coordinator": members_permissions.is_coordinator(request.user),
        },
    )


# Creating and editing ------------------------------------------------------------------------


@coordinator_required
def topic_create(request):
    form = TopicForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        fields = form.topic_fields()
        ran, topic = _run(form, lambda: services.create_topic(coordinator=request.user, **fields))
        if ran:
            messages.success(request, _("The advocacy topic has been created."))
            return redirect(topic)
    return render(request, "forum/topic_form.html", {"form": form})


@coordinator_required
def topic_edit(request, pk):
    topic = _topic(request, pk)
    form = TopicForm(_posted(request), initial=TopicForm.initial_for(topic), editing=True)
    if request.method == "POST" and form.is_valid():
        fields = form.topic_fields()
        ran, _topic_saved = _run(
            form, lambda: services.edit_topic(coordinator=request.user, topic=topic, **fields)
        )
        if ran:
            messages.success(request, _("The advocacy topic has been updated."))
            return redirect(topic)
    return render(request, "forum/topic_form.html", {"form": form, "topic": topic})


# The topic page ------------------------------------------------------------------------------


def _evidence(topic, links, visible) -> dict:
    """What the topic can claim to speak for: how many organisations in how many counties
    raised its issues or see them too (forum.topics.reach), and the age groups and themes they
    concern."""
    issues = [link.issue for link in links]
    reach = topic_reach([topic.pk], issues=visible)[topic.pk]
    themes = sorted(
        Counter(issue.theme for issue in issues).items(), key=lambda item: (-item[1], str(item[0]))
    )
    # Filtered and counted over the same join: only this topic's (readable) issues count.
    age_groups = (
        AgeGroup.objects.filter(issues__topic_link__topic=topic, issues__in=visible)
        .annotate(issue_count=Count("issues"))
        .order_by("-issue_count", "sort_order")
    )
    created = [issue.created for issue in issues]
    return {
        "organization_count": len(reach.organizations),
        "county_count": len(reach.counties),
        "nationwide_count": reach.nationwide,
        "themes": themes,
        "age_groups": list(age_groups),
        "first_raised": min(created, default=None),
        "last_raised": max(created, default=None),
    }


def _topic_context(request, topic, **forms) -> dict:
    """Everything on the topic page. `forms` carries a submitted form that failed, so the page
    shows it with its errors and what was typed."""
    user = request.user
    is_coordinator = members_permissions.is_coordinator(user)
    visible = visible_issues(user)
    links = list(
        topic.links.filter(issue__in=visible).select_related(
            "issue__organization",
            "issue__county",
            "issue__municipality__county",
            "issue__theme",
            "linked_by",
        )
    )
    members = list(topic.members.select_related("user").order_by("joined", "pk"))
    current_position = topic.positions.select_related("author").first()
    signatures = list(topic.signatures.select_related("organization", "user"))
    for signature in signatures:
        signature.is_current = bool(current_position) and (
            signature.position_id == current_position.pk
        )
    comments = topic.comments.select_related("author", "organization")
    if not is_coordinator:
        comments = comments.filter(Q(hidden=False) | Q(author=user))
    events = list(
        topic.events.select_related("actor", "issue").annotate(
            issue_visible=Exists(visible.filter(pk=OuterRef("issue_id")))
        )
    )
    for event in events:
        event.from_label = STATUS_LABELS.get(event.from_status, "")
        event.to_label = STATUS_LABELS.get(event.to_status, "")
    can_take_part = permissions.can_take_part(user, topic)
    in_group = any(member.user_id == user.pk for member in members)
    context = {
        "topic": topic,
        "is_coordinator": is_coordinator,
        "links": links,
        **_evidence(topic, links, visible),
        "members": members,
        "in_group": in_group,
        "can_take_part": can_take_part,
        "may_write_position": topic.status in workflow.POSITION_EDITABLE
        and permissions.can_write_position(user, topic, in_group=in_group),
        "current_position": current_position,
        "signatures": signatures,
        "signed": [s for s in signatures if s.stance == TopicSignature.Stance.SIGN],
        "objected": [s for s in signatures if s.stance == TopicSignature.Stance.OBJECT],
        "signing_open": workflow.signing_open(topic),
        "sign_form": forms.get("sign_form"),
        "comments": comments,
        "comment_form": forms.get("comment_form") or (CommentForm() if can_take_part else None),
        "events": events,
        "deadline_state": deadline_state(topic, timezone.localdate()),
    }
    if context["sign_form"] is None and context["signing_open"]:
        represented = _represented_organizations(user)
        if represented:
            answers = {s.organization_id: s for s in signatures}
            given = answers.get(represented[0].pk) if len(represented) == 1 else None
            context["sign_form"] = SignatureForm(
                organizations=represented,
                auto_id="id_sign_%s",
                initial={"stance": given.stance, "note": given.note} if given else None,
            )
    if is_coordinator:
        context.update(_coordinator_context(topic, links, **forms))
    return context


def _coordinator_context(topic, links, transition_form=None, unlink_form=None, **_forms):
    """One form per step the topic can take now, and one unlink form per issue."""
    stale = transition_form if transition_form and transition_form.transition is None else None
    # A note typed for a step that is no longer possible is offered again with every step.
    kept_note = {"note": stale.data.get("note", "")} if stale else None
    steps = []
    for transition in workflow.topic_transitions(topic):
        if transition_form is not None and transition_form.transition == transition:
            form = transition_form
        else:
            form = TransitionForm(topic=topic, target=transition.target, initial=kept_note)
        steps.append((transition, form))
    for link in links:
        if unlink_form is not None and unlink_form.issue_pk == link.issue_id:
            link.unlink_form = unlink_form
        else:
            link.unlink_form = UnlinkForm(issue_pk=link.issue_id)
    return {"steps": steps, "stale_step": stale}


@member_required
def topic_detail(request, pk):
    topic = _topic(request, pk)
    return render(request, "forum/topic_detail.html", _topic_context(request, topic))


def _submit_on_topic_page(
    request, topic, form, *, form_key, action, success, anchor="", limit=None
):
    """Validate one of the topic page's forms and run its service (within the rate `limit`, if
    named); on success redirect back with `success` (a message, or a function of the cleaned
    data giving one), else show the page again with that form's errors and what was typed
    (status 400, or 429 over the limit)."""
    if form.is_valid() and (limit is None or ratelimit.allow(request, limit, form)):
        ran, _result = _run(form, lambda: action(form.cleaned_data))
        if ran:
            messages.success(request, success(form.cleaned_data) if callable(success) else success)
            return redirect(topic.get_absolute_url() + anchor)
    context = _topic_context(request, topic, **{form_key: form})
    return render(request, "forum/topic_detail.html", context, status=400)


@coordinator_required
@require_POST
def topic_transition(request, pk):
    topic = _topic(request, pk)
    form = TransitionForm(request.POST, topic=topic)
    return _submit_on_topic_page(
        request,
        topic,
        form,
        form_key="transition_form",
        action=lambda data: services.change_topic_status(
            coordinator=request.user,
            topic=topic,
            status=form.transition.target,
            note=data["note"],
            outcome=data.get("outcome", ""),
        ),
        success=lambda data: (
            _("The topic is now “%(status)s”.") % {"status": STATUS_LABELS[form.transition.target]}
        ),
    )


@coordinator_required
@require_POST
def topic_unlink(request, pk, issue_pk):
    topic = _topic(request, pk)
    link = get_object_or_404(topic.links.select_related("issue"), issue_id=issue_pk)
    return _submit_on_topic_page(
        request,
        topic,
        UnlinkForm(request.POST, issue_pk=link.issue_id),
        form_key="unlink_form",
        action=lambda data: services.unlink_issue(
            coordinator=request.user, topic=topic, issue=link.issue, reason=data["reason"]
        ),
        success=_("“%(title)s” has been unlinked from the topic.") % {"title": link.issue.title},
        anchor="#issues",
    )


@member_required
@require_POST
def topic_join(request, pk):
    topic = _topic(request, pk)
    join = request.POST.get("join") == "1"
    services.join_working_group(user=request.user, topic=topic, join=join)
    messages.success(
        request,
        _("You are now in the working group.")
        if join
        else _("You are no longer in the working group."),
    )
    return redirect(topic.get_absolute_url() + "#working-group")


@member_required
@require_POST
def topic_comment(request, pk):
    topic = _topic(request, pk)
    permissions.check_take_part(request.user, topic)
    return _submit_on_topic_page(
        request,
        topic,
        CommentForm(request.POST),
        form_key="comment_form",
        limit="comment",
        action=lambda data: services.add_topic_comment(
            author=request.user, topic=topic, body=data["body"]
        ),
        success=_("Your comment has been added."),
        anchor="#comments",
    )


@member_required
@require_POST
def topic_sign(request, pk):
    topic = _topic(request, pk)
    represented = _represented_organizations(request.user)
    if not represented:
        raise PermissionDenied(
            _("An organisation signs through its representative; ask yours to answer.")
        )
    return _submit_on_topic_page(
        request,
        topic,
        SignatureForm(request.POST, organizations=represented, auto_id="id_sign_%s"),
        form_key="sign_form",
        action=lambda data: services.answer_position(
            user=request.user,
            topic=topic,
            organization=data["organization"],
            stance=data["stance"],
            note=data["note"],
        ),
        success=lambda data: (
            (
                _("%(organization)s signs the position.")
                if data["stance"] == TopicSignature.Stance.SIGN
                else _("The objection of %(organization)s has been recorded.")
            )
            % {"organization": data["organization"].name}
        ),
        anchor="#signatures",
    )


# The position --------------------------------------------------------------------------------


@member_required
def topic_position(request, pk):
    """The position's versions for everyone who reads the topic; a new version from the
    working group and coordinators."""
    topic = _topic(request, pk)
    may_write = permissions.can_write_position(request.user, topic)
    form = PositionForm(_posted(request), initial={"text": topic.position})
    if request.method == "POST":
        if not may_write:
            permissions.check_write_position(request.user, topic)
        if form.is_valid():
            ran, _version = _run(
                form,
                lambda: services.set_position(
                    user=request.user, topic=topic, text=form.cleaned_data["text"]
                ),
            )
            if ran:
                messages.success(request, _("The position has been saved as a new version."))
                return redirect(topic.get_absolute_url() + "#position")
    versions = list(topic.positions.select_related("author"))
    for version in versions:
        version.html = render_markdown(version.text)
    return render(
        request,
        "forum/topic_position.html",
        {
            "topic": topic,
            "form": form,
            "versions": versions,
            "may_write": may_write,
            "editable": topic.status in workflow.POSITION_EDITABLE,
        },
    )


# Escalation ----------------------------------------------------------------------------------


def _escalate(request, form, issues) -> AdvocacyTopic | None:
    data = form.cleaned_data
    ran, topic = _run(
        form,
        lambda: services.escalate_issues(
            coordinator=request.user,
            issues=issues,
            reason=data["reason"],
            topic=data["topic"],
            **form.new_topic(),
        ),
    )
    if not ran:
        return None
    messages.success(
        request,
        ngettext(
            "%(count)d issue has been escalated into “%(topic)s”.",
            "%(count)d issues have been escalated into “%(topic)s”.",
            len(issues),
        )
        % {"count": len(issues), "topic": topic.title},
    )
    return topic


@coordinator_required
def issue_escalate(request, pk):
    issue = get_object_or_404(
        visible_issues(request.user).select_related(
            "organization", "county", "municipality__county"
        ),
        pk=pk,
    )
    form = EscalateForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        topic = _escalate(request, form, [issue])
        if topic is not None:
            return redirect(topic)
    linked = TopicIssue.objects.filter(issue=issue).select_related("topic").first()
    return render(
        request,
        "forum/topic_escalate.html",
        {"form": form, "issues": [issue], "issue": issue, "linked": linked},
    )


@coordinator_required
@require_POST
def issues_escalate(request):
    """Several issues ticked on the issue list: first a confirmation page listing them with
    the escalation form, then (with `escalate`) the escalation itself."""
    picked = IssuePickForm(request.POST, user=request.user)
    issues = (
        list(picked.cleaned_data["issues"].select_related("organization", "county"))
        if picked.is_valid()
        else []
    )
    if "escalate" not in request.POST:
        if not issues:
            messages.error(request, _("Tick the issues to escalate first."))
            return redirect("forum:issue_list")
        form = EscalateIssuesForm(user=request.user, initial={"issues": [i.pk for i in issues]})
    else:
        form = EscalateIssuesForm(request.POST, user=request.user)
        if form.is_valid():
            topic = _escalate(request, form, list(form.cleaned_data["issues"]))
            if topic is not None:
                return redirect(topic)
    return render(request, "forum/topic_escalate.html", {"form": form, "issues": issues})
