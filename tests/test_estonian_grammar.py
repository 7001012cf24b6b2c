"""Estonian that reads right (issue 20, defect 12): numbers agree with their verbs, a date is
never put where Estonian would need it in another case, and "kuus" is not left ambiguous."""

from django.utils import translation
from django.utils.translation import gettext, ngettext


def test_counted_organisations_signed_in_the_plural():
    with translation.override("et"):
        text = ngettext("%(counter)s organisation signs", "%(counter)s organisations sign", 2) % {
            "counter": 2
        }
    assert text == "2 organisatsiooni allkirjastasid"


def test_an_invitation_names_its_last_day_without_declining_the_date():
    with translation.override("et"):
        text = gettext(
            "Open this link to choose your password. It works once, until %(expires)s:"
        ) % {"expires": "10. detsember 2026"}
    assert "kuni 10. detsember" not in text
    assert text.endswith("viimane kehtivuspäev on 10. detsember 2026:")


def test_the_overview_does_not_say_six():
    with translation.override("et"):
        text = gettext(
            "Issues raised per month in the last 12 months. Hidden issues and duplicates are "
            "not counted. The charts of a group share one scale."
        )
    assert not text.startswith("Kuus ") and "kuude kaupa" in text
