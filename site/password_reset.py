"""Password-reset requests, on the site (/konto/parool/) and in Wagtail's admin alike: limited
per typed address and per requesting address, and answered with the same work whether the
address has an account or not.

Django's form looks the address up and sends the mail in the request, so an existing address
answered measurably slower than an unknown one (about 100 against 70 ms): the answer told
whether an account exists. Here the request only counts the attempt and hands the address to a
task; the task looks it up and sends. With a queue backend (TASKS_BACKEND, production) both
answers cost the same one task row; the immediate backend of `make run` runs the task in the
request.
"""

from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.utils.module_loading import import_string
from django_tasks import task
from koda.ratelimit import exceeded
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm


class LimitedPasswordReset:
    """save() for a password-reset form: count, then hand over to `send_password_reset`."""

    def save(self, *, request, domain_override=None, use_https=False, **options):
        email = self.cleaned_data["email"]
        if exceeded(request, "password_reset", account=email):
            return  # nothing sent; the same answer as any other request
        site = get_current_site(request)
        send_password_reset.enqueue(
            form=f"{type(self).__module__}.{type(self).__qualname__}",
            email=email,
            domain=domain_override or site.domain,
            site_name=domain_override or site.name,
            use_https=use_https,
            subject_template_name=options.get("subject_template_name"),
            email_template_name=options.get("email_template_name"),
            html_email_template_name=options.get("html_email_template_name"),
            from_email=options.get("from_email"),
        )


class PasswordResetForm(LimitedPasswordReset, DjangoPasswordResetForm):
    pass


class AdminPasswordResetForm(LimitedPasswordReset, WagtailPasswordResetForm):
    """Wagtail's admin form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM)."""


@task()
def send_password_reset(*, form, email, site_name, **options):
    """Django's own sending, for the accounts of `email` that may reset (none: nothing)."""
    form_class = import_string(form)
    bound = form_class(data={"email": email})
    if not bound.is_valid():
        return
    options = {name: value for name, value in options.items() if value is not None}
    DjangoPasswordResetForm.save(
        bound, domain_override=options.pop("domain"), extra_email_context={"site_name": site_name},
        **options,
    )  # fmt: skip
