from django import forms
from django.utils.translation import gettext_lazy as _

from forum.core.privacy import PrivacyGuardMixin
from forum.models import County, registry_code_validator


class MembershipApplicationForm(PrivacyGuardMixin, forms.Form):
    """The join page's application; forum.services.apply_for_membership stores it."""

    name = forms.CharField(label=_("Organisation name"), max_length=200)
    registry_code = forms.CharField(
        label=_("Registry code"),
        max_length=8,
        validators=[registry_code_validator],
        help_text=_("The 8-digit code in the Estonian Business Register."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), empty_label=_("Choose a county")
    )
    field_of_work = forms.CharField(
        label=_("Field of work"),
        max_length=255,
        help_text=_("For example: family counselling, youth work, child protection."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
