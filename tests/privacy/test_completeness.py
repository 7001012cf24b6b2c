"""The privacy guard holds everywhere text enters, by construction: every text field of every
model carries the guard as a validator (so every ModelForm, the Wagtail admin's included, and
every page save refuses a code), and every other form a person can reach is built on the
guarded form base. A new field or form that is neither guarded nor exempted here, with the
reason, fails these tests. (DESIGN.md, "Privacy of children"; the IDOR sweep is the model.)"""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

from forum.core.privacy import UNGUARDED_MODEL_FIELDS, PrivacyGuardMixin, is_guarded, is_text_field

# Field types that cannot carry a person's words.
NOT_TEXT = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,  # and its positive, small and big kinds
    models.FloatField,
    models.DecimalField,
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.DurationField,
    models.UUIDField,
    models.GenericIPAddressField,
    models.ForeignKey,  # and OneToOneField, ParentalKey
)

# Fields that hold text but are not written from a person's input, each with the reason.
UNGUARDED_JSON = {
    "forum.IssueRevision.changes": "earlier values of an issue's fields, each guarded when typed",
    "forum.DiscussionRevision.changes": "earlier values of a discussion's fields, each guarded "
    "when typed",
    "forum.OutgoingMail.to": "addresses of accounts, each guarded when the account was made",
    "forum.OutgoingMail.cc": "filled by the forum's own mail, never from a form",
    "forum.OutgoingMail.bcc": "filled by the forum's own mail, never from a form",
    "forum.OutgoingMail.reply_to": "filled by the forum's own mail, never from a form",
    "forum.OutgoingMail.alternatives": "HTML versions rendered from guarded text",
    "forum.OutgoingMail.headers": "List-Unsubscribe and similar, built by the forum",
    "wagtailforms.FormSubmission.form_data": "the site has no form pages (asserted below)",
    "wagtailusers.UserProfile.dismissibles": "which admin tips a person closed: keys, no text",
    "wagtailcore.ModelLogEntry.data": "audit details copied from guarded fields",
    "wagtailcore.PageLogEntry.data": "audit details copied from guarded fields",
    "wagtailcore.Revision.content": "a copy of a page's or snippet's guarded fields",
}

PROJECT_PACKAGES = ("forum", "cms", "search", "koda")  # koda is site/

# Forms in the project that take no text to store, each with the reason.
UNGUARDED_FORMS = {
    "forum.threads.forms.ThreadFilterForm": "the thread lists' filters (GET): read, never stored",
    "forum.issues.forms.IssueFilterForm": "the issue list's filters (GET): read, never stored",
    "forum.discussions.forms.DiscussionFilterForm": "the discussion list's filters: never stored",
    "forum.topics.forms.TopicFilterForm": "the topic list's status filter: never stored",
    "forum.threads.forms.PlaceAndTagsForm": "an abstract base; the forms built on it are guarded",
    "koda.password_reset.PasswordResetForm": "sends a reset link (limited): stores no text",
    "koda.password_reset.AdminPasswordResetForm": "the same in Wagtail's admin",
}

# Forms of other packages' views a signed-in person can reach, each with the reason.
UNGUARDED_VIEW_FORMS = {
    "django.contrib.auth.forms.AuthenticationForm": "signs in; stores no text",
    "django.contrib.auth.forms.PasswordResetForm": "sends a reset link; stores no text",
    "django.contrib.auth.forms.SetPasswordForm": "a password is stored only as a hash",
    "wagtail.admin.forms.choosers.ExternalLinkChooserForm": (
        "builds a link in the editor; stored only with the page, whose fields are guarded"
    ),
    "wagtail.admin.forms.choosers.EmailLinkChooserForm": "as the external link chooser",
    "wagtail.admin.forms.choosers.PhoneLinkChooserForm": "as the external link chooser",
    "wagtail.admin.forms.choosers.AnchorLinkChooserForm": "as the external link chooser",
    "django.forms.forms.Form": "a confirmation with no fields (the collection delete view)",
}


def _label(model, field) -> str:
    return f"{model._meta.app_label}.{model.__name__}.{field.name}"


def _own_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.model is model:
                yield model, field


def test_every_text_field_of_every_model_is_guarded_or_exempt_with_a_reason():
    unguarded = []
    for model, field in _own_fields():
        label = _label(model, field)
        if is_text_field(field):
            if not is_guarded(field) and label not in UNGUARDED_MODEL_FIELDS:
                unguarded.append(label)
        elif (
            not isinstance(field, NOT_TEXT)
            and label not in UNGUARDED_JSON
            # On PostgreSQL the search index's lexemes, derived from guarded fields.
            and type(field).__name__ != "SearchVectorField"
        ):
            unguarded.append(f"{label} ({type(field).__name__}: can it hold text?)")
    assert unguarded == []


def test_every_exemption_names_a_field_that_exists():
    labels = {_label(model, field) for model, field in _own_fields()}
    assert set(UNGUARDED_MODEL_FIELDS) | set(UNGUARDED_JSON) <= labels


def test_the_fields_people_write_are_among_the_guarded():
    """The guard reaches third-party models too: names, page titles, document titles, tags."""
    for app_label, model_name, field_name in [
        ("auth", "User", "first_name"),
        ("auth", "User", "last_name"),
        ("auth", "User", "email"),
        ("wagtailcore", "Page", "title"),
        ("wagtailcore", "Page", "search_description"),
        ("wagtaildocs", "Document", "title"),
        ("wagtaildocs", "Document", "file"),
        ("wagtailimages", "Image", "title"),
        ("taggit", "Tag", "name"),
        ("forum", "ForumTag", "name"),
        ("cms", "ArticlePage", "body"),
        ("cms", "EventPage", "registration_info"),
        ("forum", "Organization", "description"),
    ]:
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert is_guarded(field), f"{app_label}.{model_name}.{field_name}"


def test_the_site_has_no_form_pages():
    from wagtail.contrib.forms.models import FormMixin

    assert not [m for m in apps.get_models() if issubclass(m, Page) and issubclass(m, FormMixin)]


def _project_forms():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" not in module.name and not module.name.endswith("wsgi"):
                importlib.import_module(module.name)
    pending, found = [forms.BaseForm], set()
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_PACKAGES:
                found.add(sub)
    return found


def _name(form_class) -> str:
    return f"{form_class.__module__}.{form_class.__qualname__}"


def test_every_form_of_the_project_is_built_on_the_guarded_base_or_exempt():
    project_forms = _project_forms()
    assert len(project_forms) > 20  # the enumeration found the forms at all
    unguarded = sorted(
        _name(form)
        for form in project_forms
        if not issubclass(form, PrivacyGuardMixin) and _name(form) not in UNGUARDED_FORMS
    )
    assert unguarded == []
    assert set(UNGUARDED_FORMS) <= {_name(form) for form in project_forms}


def _patterns(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_every_form_a_view_names_is_guarded_a_model_form_or_exempt():
    """Class-based views of Django and Wagtail that name their form: a ModelForm runs the
    model fields' guard; any other form is exempt here with the reason or fails."""
    named = set()
    for pattern in _patterns(get_resolver()):
        form_class = getattr(getattr(pattern.callback, "view_class", None), "form_class", None)
        if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
            named.add(form_class)
    assert len(named) >= 5
    unguarded = sorted(
        _name(form)
        for form in named
        if not issubclass(form, (PrivacyGuardMixin, forms.BaseModelForm))
        and _name(form) not in UNGUARDED_VIEW_FORMS
    )
    assert unguarded == []


@pytest.mark.parametrize(
    "page_model",
    [m for m in apps.get_models() if issubclass(m, Page) and m is not Page],
    ids=lambda m: m.__name__,
)
def test_every_page_form_is_a_model_form(page_model):
    """An editor's page form is a ModelForm, so the guard on the page's fields refuses a code
    before anything is saved or published."""
    form_class = page_model.get_edit_handler().get_form_class()
    assert issubclass(form_class, forms.BaseModelForm)
