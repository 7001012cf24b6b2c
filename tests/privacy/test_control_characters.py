"""Control and invisible characters: a right-to-left override made a title read backwards on
the public site and in feeds, and a title with a line break jammed outgoing mail. Titles, names
and tags keep no control characters; single-line fields refuse line breaks, saying so."""

import pytest
from django.urls import reverse

from forum.core.privacy import clean_text
from forum.models import Issue, Organization, Profile

from ..forum.test_bad_input import logged_in


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Koolibuss \u202ehcuor\u202c hilineb", "Koolibuss hcuor hilineb"),  # RLO … PDF
        ("Mängu\u200bväljak", "Mänguväljak"),  # zero-width space
        ("Lasteaia\u00adkohad", "Lasteaiakohad"),  # soft hyphen
        ("\ufeffPealkiri\u2066x\u2069", "Pealkirix"),  # BOM, isolates
        ("Pere 👨\u200d👩\u200d👧", "Pere 👨\u200d👩\u200d👧"),  # an emoji keeps its joiners
    ],
)
def test_titles_keep_no_invisible_or_bidi_characters(member_client, issue_data, typed, stored):
    response = member_client.post(reverse("forum:issue_create"), {**issue_data, "title": typed})
    assert response.status_code == 302
    assert Issue.objects.get(pk=response.url.strip("/").split("/")[-1]).title == stored


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\u2028", "\x85"])
def test_a_title_with_a_line_break_is_refused_saying_so_and_kept(
    member_client, issue_data, line_break
):
    before = Issue.objects.count()
    title = f"Pealkiri{line_break}Bcc: kõik@example.org"
    response = member_client.post(reverse("forum:issue_create"), {**issue_data, "title": title})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kirjuta see ühele reale" in html
    assert Issue.objects.count() == before


def test_multi_line_text_keeps_its_lines_and_tabs(member_client, issue_data):
    body = "Esimene rida\r\n\tTaandega teine rida\u202e"
    response = member_client.post(reverse("forum:issue_create"), {**issue_data, "body": body})
    assert response.status_code == 302
    issue = Issue.objects.latest("pk")
    assert issue.body == "Esimene rida\n\tTaandega teine rida"


def test_names_and_organisation_names_are_cleaned_too(make_member):
    person = make_member()
    client = logged_in(person)
    client.get(reverse("forum:profile"))
    response = client.post(
        reverse("forum:profile"),
        {"first_name": "Ma\u202eri", "last_name": "Maa\u200bsikas", "email_delivery": "daily"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Mari", "Maasikas")
    assert Profile.objects.get(user=person).email_delivery == "daily"
    assert not Organization.objects.filter(name__contains="\u202e").exists()


def test_tags_keep_no_invisible_characters(member_client, issue_data):
    response = member_client.post(
        reverse("forum:issue_create"), {**issue_data, "tags": "mängu\u200bväljak, \u202evalgus"}
    )
    assert response.status_code == 302
    assert sorted(Issue.objects.latest("pk").tags.names()) == ["mänguväljak", "valgus"]


def test_clean_text_is_what_the_forms_store():
    assert clean_text("a\u202eb\x00c", single_line=True) == "abc"
    assert clean_text("a\r\nb\tc\x07\u2028d", single_line=False) == "a\nb\tc\nd"
    assert clean_text("10\u00a0000 last", single_line=True) == "10\u00a0000 last"
