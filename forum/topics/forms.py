"""Forms of advocacy topics and escalation. They only validate; every free-text field goes
through the privacy guard, because topic texts are read by the whole network and, once
published, by the public."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forum.core.forms import MAX_BODY, MAX_NOTE
from forum.core.markdown import MARKDOWN_HELP
from forum.core.privacy import PrivacyGuardMixin
from forum.issues.models import Issue
from forum.issues.permissions import visible_issues
from forum.members.forms import OrganizationChoiceField, limit_to_organizations
from forum.members.roles import COORDINATORS
from forum.threads.forms import ModelChoicesField
from forum.topics import permissions, workflow
from forum.topics.models import AdvocacyTopic, TopicSignature

T = AdvocacyTopic.Status


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CoordinatorChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        queryset = (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=COORDINATORS), is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class TopicForm(PrivacyGuardMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_NOTE,
        widget=_textarea(3),
        help_text=_("In plain language; shown on the public site when published."),
    )
    problem = forms.CharField(
        label=_("Problem statement"),
        max_length=MAX_BODY,
        widget=_textarea(8),
        help_text=format_lazy(
            "{} {}", _("What goes wrong for children, where and why."), MARKDOWN_HELP
        ),
    )
    lead = CoordinatorChoiceField(label=_("Lead coordinator"), required=False, empty_label=_("Me"))
    institution_kind = forms.ChoiceField(
        label=_("Target institution"),
        required=False,
        choices=[("", _("Not decided yet"))] + AdvocacyTopic.Institution.choices,
    )
    institution = forms.CharField(
        label=_("Institution's name"),
        required=False,
        max_length=200,
        help_text=_("Who the position goes to, for example: Haridus- ja Teadusministeerium."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_label = forms.CharField(
        label=_("What the deadline is for"),
        required=False,
        max_length=200,
        help_text=_("For example: the public consultation closes."),
    )
    deadline_url = forms.URLField(
        label=_("Link to the consultation or draft"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=AdvocacyTopic.Visibility.choices,
        initial=AdvocacyTopic.Visibility.NETWORK,
        widget=forms.RadioSelect,
        help_text=_("The public sees the topic only once it is published."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # An existing topic keeps a lead; "me" would silently take it over.
            self.fields["lead"].required = True
            self.fields["lead"].empty_label = None
        self.add_privacy_confirmation()

    @classmethod
    def initial_for(cls, topic: AdvocacyTopic) -> dict:
        return {name: getattr(topic, name) for name in AdvocacyTopic.EDITABLE_FIELDS}

    def topic_fields(self) -> dict:
        """The cleaned data as the topic services take it."""
        return {
            name: value for name, value in self.cleaned_data.items() if name != "confirm_privacy"
        }


class TopicFilterForm(forms.Form):
    """The topic list's filter (GET); an unknown status is ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + T.choices
    )


class TransitionForm(PrivacyGuardMixin, forms.Form):
    """One step along forum.topics.workflow's TOPIC_TRANSITIONS, with the coordinator's note. The
    page shows one such form per step the topic can take now."""

    status = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_NOTE,
        widget=_textarea(2),
        help_text=_("Why now; kept in the topic's log."),
        error_messages={"required": _("Write a note on this step.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose"))] + AdvocacyTopic.Outcome.choices,
        error_messages={"required": _("Choose the outcome.")},
    )

    def __init__(self, data=None, *, topic: AdvocacyTopic, target: str | None = None, **kwargs):
        transitions = {t.target: t for t in workflow.topic_transitions(topic)}
        if target is None and data is not None:
            target = data.get("status")
        self.transition = transitions.get(target)
        # Several of these forms share the topic page: each step gets its own element ids.
        step = self.transition.target if self.transition else "step"
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(data, **kwargs)
        self.fields["status"].initial = self.transition.target if self.transition else ""
        if self.transition is None or self.transition.target != T.OUTCOME:
            del self.fields["outcome"]

    def clean(self):
        cleaned = super().clean()
        if self.transition is None:
            self.add_error(
                None,
                _("The topic cannot take this step now; choose one of the steps shown."),
            )
        return cleaned


class UnlinkForm(PrivacyGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why does the issue leave the topic?"),
        max_length=MAX_NOTE,
        widget=_textarea(2),
        error_messages={"required": _("Say why the issue leaves the topic.")},
    )

    def __init__(self, data=None, *, issue_pk: int, **kwargs):
        # One of these per linked issue on the topic page: ids must not collide.
        self.issue_pk = issue_pk
        super().__init__(data, auto_id=f"id_unlink{issue_pk}_%s", **kwargs)


class PositionForm(PrivacyGuardMixin, forms.Form):
    text = forms.CharField(
        label=_("Position"),
        max_length=MAX_BODY,
        widget=_textarea(14),
        help_text=format_lazy(
            "{} {} {}",
            _("What the network asks for, and why."),
            MARKDOWN_HELP,
            _("Saving keeps the earlier version in the history."),
        ),
        error_messages={"required": _("Write the position.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_confirmation()


class SignatureForm(PrivacyGuardMixin, forms.Form):
    """An organisation's answer to the position, given by its representative."""

    organization = OrganizationChoiceField()
    stance = forms.ChoiceField(
        label=_("Your organisation's answer"),
        choices=[
            (TopicSignature.Stance.SIGN, _("We sign the position")),
            (TopicSignature.Stance.OBJECT, _("We object to it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the organisation signs or objects.")},
    )
    note = forms.CharField(
        label=_("What does your organisation object to?"),
        required=False,
        max_length=MAX_NOTE,
        widget=_textarea(3),
        help_text=_("Needed only when you object; the working group reads it."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_organizations(self.fields["organization"], organizations)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stance") == TopicSignature.Stance.OBJECT and not cleaned.get("note"):
            self.add_error("note", _("Say what the organisation objects to."))
        return cleaned


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_status_display()})"


class EscalateForm(PrivacyGuardMixin, forms.Form):
    """Escalate issues into an existing topic, or into a new one described here."""

    topic = TopicChoiceField(
        label=_("Advocacy topic"),
        queryset=AdvocacyTopic.objects.none(),
        required=False,
        empty_label=_("A new topic (describe it below)"),
    )
    reason = forms.CharField(
        label=_("Why do these issues belong to the topic?"),
        max_length=MAX_NOTE,
        widget=_textarea(3),
        error_messages={"required": _("Say why these issues belong to the topic.")},
    )
    title = forms.CharField(label=_("Title of the new topic"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=MAX_NOTE,
        widget=_textarea(3),
        help_text=_("In plain language; shown on the public site when published."),
    )
    problem = forms.CharField(
        label=_("Problem statement"),
        required=False,
        max_length=MAX_BODY,
        widget=_textarea(6),
        help_text=format_lazy(
            "{} {}", _("What goes wrong for children, where and why."), MARKDOWN_HELP
        ),
    )

    NEW_TOPIC_FIELDS = ("title", "summary", "problem")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = (
            permissions.visible_topics(user).exclude(status=T.ARCHIVED).order_by("title")
        )
        self.add_privacy_confirmation()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("topic") is None and "topic" not in self.errors:
            needed = {
                "title": _("Give the topic a title."),
                "summary": _("Summarise the new topic in plain language."),
                "problem": _("Describe the problem the new topic is about."),
            }
            for name, message in needed.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def new_topic(self) -> dict:
        """create_topic's arguments when no existing topic was chosen."""
        if self.cleaned_data["topic"] is not None:
            return {}
        return {name: self.cleaned_data[name] for name in self.NEW_TOPIC_FIELDS}


class IssuesField(ModelChoicesField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Issues"),
            queryset=Issue.objects.none(),
            widget=forms.MultipleHiddenInput,
            error_messages={
                "required": _("Choose at least one issue."),
                "invalid_choice": _("One of the chosen issues no longer exists; choose again."),
                "invalid_pk_value": _("One of the chosen issues no longer exists; choose again."),
            },
            **kwargs,
        )


class IssuePickForm(PrivacyGuardMixin, forms.Form):
    """The issues ticked on the issue list."""

    issues = IssuesField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = visible_issues(user)


class EscalateIssuesForm(EscalateForm):
    """The escalation form for several issues at once; they travel as hidden fields."""

    issues = IssuesField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["issues"].queryset = visible_issues(user)
