"""Forum forms: they only validate. Every form that takes free text runs the privacy guard."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.core.forms import MAX_BODY, MAX_NOTE
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.core.privacy import PrivacyGuardMixin
from forum.issues import workflow
from forum.issues.models import Issue
from forum.members.forms import OrganizationChoiceField, limit_to_organizations
from forum.members.models import Organization
from forum.threads.forms import PlaceAndTagsForm


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
        help_text=_(
            "What do you see, where and how often? Markdown works: **bold**, lists, links."
        ),
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
        label=_("Comment"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 5})
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


class IssueFilterForm(forms.Form):
    """The issue list's filters (GET). Unknown values are ignored rather than refused."""

    SORTS = {
        "new": ("-created", _("Newest")),
        "activity": ("-last_activity", _("Latest activity")),
        "organizations": ("-support_count", _("Most organisations")),
    }

    q = forms.CharField(label=_("Words in the title"), required=False, max_length=100)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )
    age_group = forms.ModelChoiceField(
        label=_("Age group"),
        queryset=AgeGroup.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Issue.Status.choices
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.members(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )
    tag = forms.SlugField(label=_("Tag"), required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(key, label) for key, (_field, label) in SORTS.items()],
    )
