"""A member's rights over their own data: download it, erase the account. Each view acts on the
signed-in person only; there is no id in the URL to point at anyone else."""

import io
import zipfile

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
    document_path,
    readable_sections,
    uploaded_documents,
)


def _attachment(content: str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}.{extension}"'
    return response


@login_required
def personal_data_json(request):
    data = collect_personal_data(request.user)
    return _attachment(as_json(data), "application/json; charset=utf-8", "json")


def _page(data) -> str:
    return render_to_string(
        "forum/personal_data.html",
        {"data": data, "sections": readable_sections(data), "language": get_language()},
    )


@login_required
def personal_data_html(request):
    return _attachment(
        _page(collect_personal_data(request.user)), "text/html; charset=utf-8", "html"
    )


@login_required
def personal_data_zip(request):
    """Both forms of the data and every file the person uploaded, in one archive."""
    data = collect_personal_data(request.user)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr(f"{FILENAME}.json", as_json(data))
        zip_file.writestr(f"{FILENAME}.html", _page(data))
        for document in uploaded_documents(request.user):
            try:
                with document.file.open("rb") as stored:
                    zip_file.writestr(document_path(document), stored.read())
            except OSError:
                continue  # a file lost from storage: the data still lists it
    return _attachment(archive.getvalue(), "application/zip", "zip")


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
