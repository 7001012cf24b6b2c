"""The coordinators' forms: tag curation and bulk triage. They only validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.core.models import IssueStatus
from forum.core.privacy import PrivacyGuardMixin
from forum.issues.models import Issue
from forum.issues.permissions import visible_issues
from forum.threads.forms import ModelChoicesField


class TagRenameForm(PrivacyGuardMixin, forms.Form):
    tag = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    name = forms.CharField(label=_("New name"), max_length=50)


class TriageForm(PrivacyGuardMixin, forms.Form):
    """Several ticked issues and what to do with them all: a status, hiding, or merging them
    into one of them."""

    ACTIONS = [
        ("status", _("Change their status")),
        ("hide", _("Hide them")),
        ("merge", _("Merge them into one")),
    ]

    issues = ModelChoicesField(
        label=_("Issues"),
        queryset=Issue.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Tick the issues first.")},
    )
    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS, widget=forms.RadioSelect)
    status = forms.ChoiceField(
        label=_("New status"), required=False, choices=[("", _("Choose"))] + IssueStatus.choices
    )
    original = forms.ModelChoiceField(
        label=_("The issue the others are merged into"),
        queryset=Issue.objects.none(),
        required=False,
        empty_label=_("Choose"),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = visible_issues(user)
        # The original is one of the ticked: those posted, or those the page starts with.
        issues = self.fields["issues"]
        picked = (
            issues.widget.value_from_datadict(self.data, self.files, self.add_prefix("issues"))
            if self.is_bound
            else self.initial.get("issues", [])
        ) or []
        picked = [picked] if isinstance(picked, (str, int)) else picked
        ids = [pk for pk in picked if str(pk).isdigit() and len(str(pk)) < 10]
        self.fields["original"].queryset = visible_issues(user).filter(pk__in=ids)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "status" and not cleaned.get("status"):
            self.add_error("status", _("Choose the new status."))
        if action == "merge":
            if not cleaned.get("original"):
                self.add_error("original", _("Choose the issue the others are merged into."))
            elif len(cleaned.get("issues") or ()) < 2:
                self.add_error(None, _("Tick at least two issues to merge."))
        return cleaned
