"""A member's rights over their own data: download it, erase the account. Each view acts on the
signed-in person only; there is no id in the URL to point at anyone else."""

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from forum.core.privacy import PrivacyGuardMixin
from forum.core.views import _posted
from forum.personal_data.erasure import erase_member
from forum.personal_data.services import (
    FILENAME,
    as_json,
    collect_personal_data,
    readable_sections,
)


def _attachment(content: str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}.{extension}"'
    return response


@login_required
def personal_data_json(request):
    data = collect_personal_data(request.user)
    return _attachment(as_json(data), "application/json; charset=utf-8", "json")


@login_required
def personal_data_html(request):
    data = collect_personal_data(request.user)
    page = render_to_string(
        "forum/personal_data.html",
        {"data": data, "sections": readable_sections(data), "language": get_language()},
    )
    return _attachment(page, "text/html; charset=utf-8", "html")


class EraseAccountForm(PrivacyGuardMixin, forms.Form):
    unguarded = {"password": "checked against the account, never stored"}

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        # Through authenticate(), as signing in is: a wrong password counts towards the sign-in
        # lockout, and a locked-out account is refused here too.
        password = self.cleaned_data["password"]
        username = self.request.user.get_username()
        if authenticate(self.request, username=username, password=password) is None:
            raise ValidationError(_("The password is not right. Type it again."))
        return password


@login_required
def account_erase(request):
    form = EraseAccountForm(_posted(request), request=request)
    if request.method == "POST" and form.is_valid():
        try:
            erase_member(member=request.user, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been erased."))
            return redirect("/")
    return render(request, "forum/account_erase.html", {"form": form})
