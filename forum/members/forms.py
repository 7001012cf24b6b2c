"""Forms of people and organisations: the organisation chooser, invitations, the profile and
the organisation's page. They only validate; free text runs the privacy guard."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.core.privacy import PrivacyGuardMixin
from forum.members.models import Membership, Organization, Profile


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
