"""The coordinators' tag curation form. It only validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.core.privacy import PrivacyGuardMixin


class TagRenameForm(PrivacyGuardMixin, forms.Form):
    tag = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    name = forms.CharField(label=_("New name"), max_length=50)
