"""Form parts every room uses: the length limits of texts and the reason form. Forms only
validate; every form that takes free text runs the privacy guard."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.core.privacy import PrivacyGuardMixin

MAX_BODY = 20_000
MAX_NOTE = 2_000


class ReasonForm(PrivacyGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
