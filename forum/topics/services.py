"""Advocacy topics: escalating issues into them, carrying them along forum.topics.workflow to an
outcome, and the working group's part (position versions, comments, signatures). Each action
is one transaction with one TopicEvent and one audit record."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.audit import log
from forum.core.markdown import render_markdown
from forum.issues.models import Issue
from forum.issues.workflow import find_transition
from forum.members.models import Organization
from forum.members.permissions import check_moderate, member_organizations, representations
from forum.notifications.models import Notification
from forum.notifications.services import notify, notify_signers
from forum.topics import permissions, workflow
from forum.topics.models import (
    AdvocacyTopic,
    TopicComment,
    TopicEvent,
    TopicIssue,
    TopicMember,
    TopicPosition,
    TopicSignature,
)

T = AdvocacyTopic.Status
POSITION_EDITABLE = workflow.POSITION_EDITABLE


def _locked(topic: AdvocacyTopic) -> AdvocacyTopic:
    return AdvocacyTopic.objects.select_for_update().get(pk=topic.pk)


def _event(topic, actor, action, **fields) -> TopicEvent:
    return TopicEvent.objects.create(topic=topic, actor=actor, action=action, **fields)


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


@transaction.atomic
def create_topic(
    *,
    coordinator,
    title: str,
    summary: str,
    problem: str,
    lead=None,
    institution_kind: str = "",
    institution: str = "",
    deadline: datetime.date | None = None,
    deadline_label: str = "",
    deadline_url: str = "",
    visibility: str = AdvocacyTopic.Visibility.NETWORK,
) -> AdvocacyTopic:
    check_moderate(coordinator)
    topic = AdvocacyTopic.objects.create(
        title=_required(title, _("Give the topic a title.")),
        summary=summary,
        problem=problem,
        problem_html=render_markdown(problem),
        lead=lead or coordinator,
        institution_kind=institution_kind,
        institution=institution,
        deadline=deadline,
        deadline_label=deadline_label,
        deadline_url=deadline_url,
        visibility=visibility,
        created_by=coordinator,
    )
    _event(topic, coordinator, TopicEvent.Action.CREATE, to_status=topic.status)
    log(topic, "forum.topic.create", user=coordinator)
    return topic


@transaction.atomic
def edit_topic(*, coordinator, topic: AdvocacyTopic, **fields) -> AdvocacyTopic:
    check_moderate(coordinator)
    topic = _locked(topic)
    unknown = set(fields) - set(AdvocacyTopic.EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(topic, name, value)
    topic.title = _required(topic.title, _("Give the topic a title."))
    topic.problem_html = render_markdown(topic.problem)
    topic.save()
    log(topic, "forum.topic.edit", user=coordinator, data={"fields": sorted(fields)})
    return topic


@transaction.atomic
def escalate_issues(
    *, coordinator, issues: list[Issue], reason: str, topic: AdvocacyTopic | None = None, **new
) -> AdvocacyTopic:
    """Escalate issues into `topic`, or into a new topic made from `new` (create_topic's
    arguments). The issues become escalated; their authors and followers are told. An issue
    already in a topic is refused: two coordinators escalating it at once cannot both win."""
    check_moderate(coordinator)
    reason = _required(reason, _("Say why these issues belong to the topic."))
    if not issues:
        raise ValidationError(_("Choose at least one issue."))
    if topic is None:
        topic = create_topic(coordinator=coordinator, **new)
    topic = _locked(topic)
    if topic.status == T.ARCHIVED:
        raise ValidationError(_("The topic is archived; it accepts no more issues."))
    # Lock the issues in a fixed order so concurrent escalations cannot deadlock.
    locked = list(
        Issue.objects.select_for_update().filter(pk__in=[i.pk for i in issues]).order_by("pk")
    )
    for issue in locked:
        if issue.hidden:
            raise ValidationError(
                _("“%(title)s” is hidden; show it again first.") % {"title": issue.title}
            )
        linked = TopicIssue.objects.filter(issue=issue).select_related("topic").first()
        if linked is not None:
            raise ValidationError(
                _("“%(title)s” is already in the topic “%(topic)s”.")
                % {"title": issue.title, "topic": linked.topic.title}
            )
        if find_transition(issue.status, Issue.Status.ESCALATED) is None:
            raise ValidationError(
                _("“%(title)s” is “%(status)s” and cannot be escalated.")
                % {"title": issue.title, "status": issue.get_status_display()}
            )
        try:
            with transaction.atomic():
                TopicIssue.objects.create(
                    topic=topic, issue=issue, linked_by=coordinator, reason=reason
                )
        except IntegrityError:
            # Another coordinator linked it between our check and our insert.
            raise ValidationError(
                _("“%(title)s” was just escalated by someone else.") % {"title": issue.title}
            ) from None
        issue.status, issue.last_activity = Issue.Status.ESCALATED, timezone.now()
        issue.save(update_fields=["status", "last_activity", "updated"])
        _event(topic, coordinator, TopicEvent.Action.LINK, issue=issue, note=reason)
        log(
            issue,
            "forum.issue.escalate",
            user=coordinator,
            data={"topic": topic.pk, "topic_title": topic.title},
        )
        notify(
            issue,
            Notification.Kind.ESCALATED,
            actor=coordinator,
            topic=topic,
            topic_readable=lambda user: permissions.can_view_topic(user, topic),
        )
    topic.save(update_fields=["updated"])
    return topic


@transaction.atomic
def unlink_issue(*, coordinator, topic: AdvocacyTopic, issue: Issue, reason: str) -> None:
    """Take an issue out of the topic; it goes back to review. Recorded with the reason."""
    check_moderate(coordinator)
    reason = _required(reason, _("Say why the issue leaves the topic."))
    topic = _locked(topic)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    deleted, _rows = TopicIssue.objects.filter(topic=topic, issue=issue).delete()
    if not deleted:
        raise ValidationError(_("The issue is not in this topic."))
    if issue.status == Issue.Status.ESCALATED:
        issue.status = Issue.Status.IN_REVIEW
        issue.save(update_fields=["status", "updated"])
    _event(topic, coordinator, TopicEvent.Action.UNLINK, issue=issue, note=reason)
    log(
        issue,
        "forum.issue.unlink",
        user=coordinator,
        data={"topic": topic.pk, "topic_title": topic.title},
    )


@transaction.atomic
def change_topic_status(
    *, coordinator, topic: AdvocacyTopic, status: str, note: str, outcome: str = ""
) -> AdvocacyTopic:
    """A step along the topic's workflow, with a note; an illegal step is refused."""
    check_moderate(coordinator)
    topic = _locked(topic)
    if status not in T.values:
        raise ValidationError(_("Unknown status."))
    if workflow.find_topic_transition(topic.status, status) is None:
        raise ValidationError(
            _("A topic that is “%(source)s” cannot become “%(target)s”.")
            % {"source": topic.get_status_display(), "target": T(status).label}
        )
    note = _required(note, _("Write a note on this step."))
    if status == T.POSITION_ADOPTED and not topic.position.strip():
        raise ValidationError(_("Write the position before adopting it."))
    if status == T.OUTCOME:
        if outcome not in AdvocacyTopic.Outcome.values:
            raise ValidationError(_("Choose the outcome."))
        topic.outcome = outcome
    source, was_open = topic.status, workflow.signing_open(topic)
    topic.status = status
    topic.save(update_fields=["status", "outcome", "updated"])
    if workflow.signing_open(topic) and not was_open:
        _ask_for_answers(topic, actor=coordinator)
    _event(
        topic,
        coordinator,
        TopicEvent.Action.TRANSITION,
        from_status=source,
        to_status=status,
        note=note,
    )
    log(topic, "forum.topic.status", user=coordinator, data={"from": source, "to": status})
    return topic


@transaction.atomic
def set_position(*, user, topic: AdvocacyTopic, text: str) -> TopicPosition:
    """A new version of the position, by a coordinator or a member of the working group."""
    permissions.check_write_position(user, topic)
    topic = _locked(topic)
    if topic.status not in POSITION_EDITABLE:
        raise ValidationError(_("The position is adopted; reopen it to change it."))
    text = _required(text, _("Write the position."))
    if text == topic.position:
        return topic.positions.first()
    was_open = workflow.signing_open(topic)
    topic.position, topic.position_html = text, render_markdown(text)
    topic.save(update_fields=["position", "position_html", "updated"])
    if workflow.signing_open(topic) and not was_open:
        _ask_for_answers(topic, actor=user)
    version = TopicPosition.objects.create(topic=topic, text=text, author=user)
    _event(topic, user, TopicEvent.Action.POSITION)
    log(topic, "forum.topic.position", user=user)
    return version


def _ask_for_answers(topic: AdvocacyTopic, *, actor) -> None:
    """Signing has opened: tell the representatives of organisations that have not answered
    and may read the topic."""
    waiting = (
        representations()
        .exclude(organization__topic_signatures__topic=topic)
        .select_related("user__forum_profile")
        .order_by("user_id")
    )
    users = {m.user_id: m.user for m in waiting}.values()
    notify_signers(topic, [u for u in users if permissions.can_view_topic(u, topic)], actor=actor)


@transaction.atomic
def join_working_group(*, user, topic: AdvocacyTopic, join: bool = True) -> None:
    permissions.check_take_part(user, topic)
    if join:
        TopicMember.objects.get_or_create(topic=topic, user=user)
    else:
        TopicMember.objects.filter(topic=topic, user=user).delete()


@transaction.atomic
def add_topic_comment(*, author, topic: AdvocacyTopic, body: str) -> TopicComment:
    permissions.check_take_part(author, topic)
    body = _required(body, _("Write the comment."))
    organizations = member_organizations(author)
    comment = TopicComment.objects.create(
        topic=topic,
        author=author,
        organization=organizations[0] if organizations else None,
        body=body,
        body_html=render_markdown(body),
    )
    log(topic, "forum.topic.comment", user=author)
    return comment


@transaction.atomic
def answer_position(
    *, user, topic: AdvocacyTopic, organization: Organization, stance: str, note: str = ""
) -> TopicSignature:
    """The organisation signs the proposed position or objects to it (with a reason); its
    representative may change the answer, and it always refers to the current version."""
    permissions.check_sign_topic(user, topic, organization)
    topic = _locked(topic)
    if not workflow.signing_open(topic):
        raise ValidationError(_("The position is not open for signing now."))
    if stance not in TopicSignature.Stance.values:
        raise ValidationError(_("Choose whether the organisation signs or objects."))
    if stance == TopicSignature.Stance.OBJECT:
        note = _required(note, _("Say what the organisation objects to."))
    signature, _created = TopicSignature.objects.update_or_create(
        topic=topic,
        organization=organization,
        defaults={
            "user": user,
            "stance": stance,
            "note": note if stance == TopicSignature.Stance.OBJECT else "",
            "position": topic.positions.first(),
            "created": timezone.now(),
        },
    )
    log(
        topic,
        f"forum.topic.{stance}",
        user=user,
        data={"organization": organization.pk, "organization_name": organization.name},
    )
    return signature
