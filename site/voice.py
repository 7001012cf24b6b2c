"""Django's and Wagtail's own strings that members, editors and coordinators read, listed here so
that `makemessages` keeps them in the project's catalogue, which Django reads before theirs
(LOCALE_PATHS): there they speak as the rest of the site does, "sina" rather than the formal
"teie", "parool" rather than "salasõna". Nothing imports this module.

tests/test_voice.py reads Django's Estonian catalogues and fails on any formal string of theirs
that is neither said again here nor exempt with a reason."""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

DJANGO_FORMS = [
    _("Enter a valid value."),
    _("Enter a valid domain name."),
    _("Enter a valid URL."),
    _("Enter a valid integer."),
    _("Enter a valid email address."),
    _("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    _("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
    _("Enter a valid %(protocol)s address."),
    _("Enter only digits separated by commas."),
    _("Enter a number."),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    _("Enter a whole number."),
    _("Enter a valid date."),
    _("Enter a valid time."),
    _("Enter a valid date/time."),
    _("Enter a valid duration."),
    _("No file was submitted. Check the encoding type on the form."),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    _("Please either submit a file or check the clear checkbox, not both."),
    _("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Enter a list of values."),
    _("Enter a complete value."),
    _("Enter a valid UUID."),
    _("Enter a valid JSON."),
    ngettext_lazy(
        "Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"
    ),
    ngettext_lazy(
        "Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num"
    ),
    _("Please correct the duplicate data for %(field)s."),
    _("Please correct the duplicate data for %(field)s, which must be unique."),
    _("Please correct the duplicate values below."),
    _("Select a valid choice. That choice is not one of the available choices."),
]

# The page a browser without cookies (or Referer headers) gets when it sends a form.
DJANGO_CSRF_PAGE = [
    _(
        "You are seeing this message because this HTTPS site requires a “Referer header” to be "
        "sent by your web browser, but none was sent. This header is required for security "
        "reasons, to ensure that your browser is not being hijacked by third parties."
    ),
    _(
        "If you have configured your browser to disable “Referer” headers, please re-enable "
        "them, at least for this site, or for HTTPS connections, or for “same-origin” requests."
    ),
    _(
        'If you are using the <meta name="referrer" content="no-referrer"> tag or including the '
        "“Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires "
        "the “Referer” header to do strict referer checking. If you’re concerned about privacy, "
        'use alternatives like <a rel="noreferrer" …> for links to third-party sites.'
    ),
    _(
        "You are seeing this message because this site requires a CSRF cookie when submitting "
        "forms. This cookie is required for security reasons, to ensure that your browser is "
        "not being hijacked by third parties."
    ),
    _(
        "If you have configured your browser to disable cookies, please re-enable them, at "
        "least for this site, or for “same-origin” requests."
    ),
]

DJANGO_ACCOUNTS = [
    _("Email"),
    _("Conflicting form data submitted. Please try again."),
    _("Password changed successfully."),
    _("password"),
    _("Password"),
    _("Password confirmation"),
    _("Enter the same password as before, for verification."),
    _(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    _("New password"),
    _("New password confirmation"),
    _("Your old password was entered incorrectly. Please enter it again."),
    _("Old password"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),
    _("Password reset on %(site_name)s"),
    _("Password reset"),
    _("Password reset sent"),
    _("Enter new password"),
    _("Password reset unsuccessful"),
    _("Password reset complete"),
    _("Password change"),
    _("Password change successful"),
]

# Wagtail's admin, as editors and coordinators read it ("Live" is published, not a broadcast).
WAGTAIL_ADMIN = [
    _("Live"),
    _("View live"),
    _("live revision"),
    _("approved go live at"),
    _("Editing %(page_type)s"),
    _("Remember me"),
    _("More actions"),
]
