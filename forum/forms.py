"""Forum forms: they only validate. Every form that takes free text runs the privacy guard."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import (
    AgeGroup,
    County,
    Issue,
    Membership,
    Municipality,
    Organization,
    Profile,
    Theme,
)
from .privacy import PrivacyGuardMixin
from .tags import normalize_tags

MAX_BODY = 20_000
MAX_NOTE = 2_000


class OrganizationChoiceField(forms.ModelChoiceField):
    """Whom the person speaks for: asked only of people in several organisations; for the rest
    it is their one organisation."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("On behalf of"),
            queryset=Organization.objects.none(),
            empty_label=None,
            **kwargs,
        )

    def clean(self, value):
        if value in self.empty_values and self.only is not None:
            return self.only
        return super().clean(value)


def limit_to_organizations(field: OrganizationChoiceField, organizations) -> None:
    field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
    field.only = organizations[0] if len(organizations) == 1 else None
    if field.only is not None:
        field.required = False
        field.widget = forms.HiddenInput()


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Several rows by id; an id beyond the database's integers is an unknown choice (SQLite
    raises OverflowError for it in an `__in` lookup, a 500 otherwise)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # Django's own check refuses it with the right message
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PlaceAndTagsForm(forms.Form):
    """Where, for whom and under which tags: the fields issues and discussions share, with
    their checks. Subclasses list their whole `field_order`, as these come first otherwise."""

    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All of Estonia"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related("county"),
        required=False,
        empty_label=_("The whole county"),
    )
    age_groups = ModelChoicesField(
        label=_("Age groups"),
        queryset=AgeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Up to 8, separated by commas, for example: koolikiusamine, vaimne tervis."),
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )

    def clean_tags(self):
        return normalize_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned = super().clean()
        county, municipality = cleaned.get("county"), cleaned.get("municipality")
        if municipality and county and municipality.county_id != county.pk:
            self.add_error(
                "municipality",
                _("%(municipality)s is not in %(county)s.")
                % {"municipality": municipality, "county": county},
            )
        return cleaned

    @staticmethod
    def place_initial(thread) -> dict:
        """The shared fields' initial values from an issue or a discussion."""
        return {
            "county": thread.county,
            "municipality": thread.municipality,
            "age_groups": list(thread.age_groups.all()),
            "tags": ", ".join(sorted(thread.tags.names())),
        }


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


class ReasonForm(PrivacyGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


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


class TagRenameForm(PrivacyGuardMixin, forms.Form):
    tag = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    name = forms.CharField(label=_("New name"), max_length=50)


class InviteForm(PrivacyGuardMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class AcceptInvitationForm(PrivacyGuardMixin, forms.Form):
    unguarded = {
        "password1": "a password is stored only as a hash and never shown",
        "password2": "a password is stored only as a hash and never shown",
    }

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            user = get_user_model()(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(cleaned["password1"], user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(PrivacyGuardMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email_delivery = forms.ChoiceField(
        label=_("E-mail me about what I follow"),
        choices=Profile.Delivery.choices,
        widget=forms.RadioSelect,
    )


class OrganizationForm(PrivacyGuardMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "county", "website", "field_of_work", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
