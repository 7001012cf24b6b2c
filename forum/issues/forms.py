"""Forms of issues, comments, "we see this too", status changes and merging. They only validate;
every form that takes free text runs the privacy guard."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forum.core.forms import MAX_BODY, MAX_NOTE
from forum.core.markdown import MARKDOWN_HELP
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.core.privacy import PrivacyGuardMixin
from forum.issues import workflow
from forum.issues.models import Issue
from forum.members.forms import OrganizationChoiceField, limit_to_organizations
from forum.threads.forms import (
    MunicipalitySelect,
    PlaceAndTagsForm,
    ThreadFilterForm,
    slug_filter,
)


class IssueForm(PrivacyGuardMixin, PlaceAndTagsForm):
    field_order = [
        "organization",
        "title",
        "body",
        "theme",
        "county",
        "municipality",
        "age_groups",
        "tags",
    ]

    organization = OrganizationChoiceField()
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Description"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=format_lazy("{} {}", _("What do you see, where and how often?"), MARKDOWN_HELP),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.filter(active=True), empty_label=_("Choose")
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_organizations(self.fields["organization"], organizations)
        self.add_privacy_confirmation()

    @classmethod
    def initial_for(cls, issue: Issue) -> dict:
        return {
            "organization": issue.organization,
            "title": issue.title,
            "body": issue.body,
            "theme": issue.theme,
            **cls.place_initial(issue),
        }


class SupportForm(PrivacyGuardMixin, forms.Form):
    organization = OrganizationChoiceField()
    note = forms.CharField(
        label=_("What do you see locally? (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    county = forms.ModelChoiceField(
        label=_("Where"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All of Estonia"),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_organizations(self.fields["organization"], organizations)
        if len(organizations) == 1:
            self.fields["county"].initial = organizations[0].county_id
        self.add_privacy_confirmation()


class CommentForm(PrivacyGuardMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_confirmation()


class StatusForm(PrivacyGuardMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (t.target, t.label) for t in workflow.status_changes(issue)
        ]


class MergeForm(PrivacyGuardMixin, forms.Form):
    original = forms.IntegerField(
        label=_("Number of the original issue"), min_value=1, max_value=2**31 - 1
    )
    reason = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueFilterForm(ThreadFilterForm):
    """The issue list's filters (GET). Unknown values are ignored rather than refused."""

    SORTS = {
        "new": (("-created", "-pk"), _("Newest")),
        "activity": (("-last_activity", "-pk"), _("Latest activity")),
        "organizations": (("-support_count", "-pk"), _("Most organisations")),
    }

    municipality = slug_filter(
        _("Municipality"),
        Municipality.objects.select_related("county"),
        widget=MunicipalitySelect(county_field="slug"),
    )
    age_group = slug_filter(_("Age group"), AgeGroup.objects.all())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Issue.Status.choices
    )
    tag = forms.SlugField(label=_("Tag"), required=False, widget=forms.HiddenInput)

    field_order = [
        "q",
        "county",
        "municipality",
        "theme",
        "age_group",
        "status",
        "organization",
        "tag",
        "sort",
    ]
