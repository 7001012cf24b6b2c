"""A member downloads their own data (GDPR right of access) from their profile, as JSON and as a
readable web page: everything about them, nothing about anyone else, in a fixed number of
queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from forum import services
from forum.inbox.subscriptions import follow_subject
from forum.models import Discussion

pytestmark = pytest.mark.django_db


@pytest.fixture
def mari(make_member):
    return make_member("mari", first_name="Mari", last_name="Kasemägi")


@pytest.fixture
def jaan(make_member):
    return make_member("jaan", organization="emajoe-noored", first_name="Jaan", last_name="Tamm")


def _write(mari, jaan, make_issue, organizations, n=1, start=0):
    """`n` of each thing Mari can do, amid Jaan's own writing (which must never be exported)."""
    theirs = make_issue(f"Jaani mure {start}", author=jaan, body=f"JAANI-KIRJELDUS-{start}")
    practice = services.post_discussion(
        author=jaan,
        organization=organizations["emajoe-noored"],
        kind=Discussion.Kind.PRACTICE,
        title=f"Jaani hea tava {start}",
        body=f"JAANI-TAVA-{start}",
    )
    services.add_support(
        user=mari, issue=theirs, organization=organizations["paikesekiir"], note="MARI-MÄRKUS"
    )
    services.mark_helpful(user=mari, discussion=practice)
    follow_subject(user=mari, kind=Discussion.Kind.TRAINING)
    for i in range(start, start + n):
        own = make_issue(f"Mari mure {i}", author=mari, body=f"MARI-KIRJELDUS-{i}", tags=["buss"])
        services.add_comment(author=mari, issue=theirs, body=f"MARI-KOMMENTAAR-{i}")
        # Jaan comments on Mari's issue: Mari is notified; Jaan's text is his.
        services.add_comment(author=jaan, issue=own, body=f"JAANI-KOMMENTAAR-{i}")
        question = services.post_discussion(
            author=mari,
            organization=organizations["paikesekiir"],
            kind=Discussion.Kind.QUESTION,
            title=f"Mari küsimus {i}",
            body=f"MARI-KÜSIMUS-{i}",
        )
        services.add_reply(author=mari, discussion=practice, body=f"MARI-VASTUS-{i}")
        services.add_reply(author=jaan, discussion=question, body=f"JAANI-VASTUS-{i}")
        services.flag_content(reporter=mari, issue=theirs, reason=f"MARI-TEAVITUS-{i}")
        services.flag_discussion(
            reporter=mari,
            discussion=question,
            reply=question.replies.get(),
            reason=f"MARI-VASTUSE-TEAVITUS-{i}",
        )


@pytest.fixture
def written(mari, jaan, make_issue, organizations):
    _write(mari, jaan, make_issue, organizations)


def _download(client, user, fmt):
    client.force_login(user)
    return client.get(reverse(f"forum:personal_data_{fmt}"))


def test_the_json_holds_the_members_own_data(client, mari, written, organizations):
    response = _download(client, mari, "json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="koda-minu-andmed.json"'
    data = json.loads(response.content)
    assert data["account"]["username"] == "mari"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == ("Mari", "Kasemägi")
    assert data["account"]["email"] == "mari@example.org"
    assert [m["organization"] for m in data["memberships"]] == [organizations["paikesekiir"].name]
    assert [i["body"] for i in data["issues"]] == ["MARI-KIRJELDUS-0"]
    assert data["issues"][0]["tags"] == ["buss"]
    assert [c["body"] for c in data["comments"]] == ["MARI-KOMMENTAAR-0"]
    assert data["comments"][0]["issue"]["title"] == "Jaani mure 0"
    assert [s["note"] for s in data["supports"]] == ["MARI-MÄRKUS"]
    assert [d["body"] for d in data["discussions"]] == ["MARI-KÜSIMUS-0"]
    assert [r["body"] for r in data["replies"]] == ["MARI-VASTUS-0"]
    assert [m["discussion"]["title"] for m in data["helpful_marks"]] == ["Jaani hea tava 0"]
    assert [f["reason"] for f in data["flags"]] == ["MARI-TEAVITUS-0", "MARI-VASTUSE-TEAVITUS-0"]
    assert data["flags"][1]["reply"] is not None
    followed = {(f.get("issue") or f.get("discussion"))["title"] for f in data["follows"]}
    assert followed == {"Jaani mure 0", "Mari mure 0", "Mari küsimus 0", "Jaani hea tava 0"}
    assert len(data["subscriptions"]) == 1
    # Jaan's comment and reply told Mari; the notifications name his organisation, not him.
    about = sorted(n["about"]["title"] for n in data["notifications"])
    assert about == ["Mari küsimus 0", "Mari mure 0"]
    senders = {n["from_organization"] for n in data["notifications"]}
    assert senders == {organizations["emajoe-noored"].name}


def test_the_export_holds_nothing_of_anyone_else(client, mari, written):
    for fmt in ("json", "html"):
        text = _download(client, mari, fmt).content.decode()
        assert "MARI-KIRJELDUS-0" in text  # the control: Mari's own text is there
        for theirs in ("JAANI-", "jaan@example.org", "Tamm", '"jaan"'):
            assert theirs not in text, (fmt, theirs)


def test_the_html_is_a_standalone_page_in_the_readers_language(client, mari, written):
    response = _download(client, mari, "html")
    assert response["Content-Disposition"] == 'attachment; filename="koda-minu-andmed.html"'
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert page.startswith("<!doctype html>")
    assert '<html lang="et">' in page
    assert "<link" not in page and "<script" not in page and "src=" not in page
    for text in ("MARI-KIRJELDUS-0", "MARI-KOMMENTAAR-0", "MARI-MÄRKUS", "Kasemägi"):
        assert text in page
    with translation.override("en"):
        url = reverse("forum:personal_data_html")
    assert url.startswith("/en/")
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english
    assert "Issues I raised" in english


def test_the_html_escapes_what_the_member_wrote(client, mari, make_issue):
    make_issue("Skript", author=mari, body="<script>alert(1)</script>")
    page = _download(client, mari, "html").content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_each_person_downloads_only_their_own(client, mari, jaan, written):
    data = json.loads(_download(client, jaan, "json").content)
    assert data["account"]["username"] == "jaan"
    text = json.dumps(data, ensure_ascii=False)
    assert "JAANI-KIRJELDUS" in text
    assert "MARI-" not in text and "Kasemägi" not in text


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_signed_out_visitors_are_sent_to_sign_in(client, fmt):
    url = reverse(f"forum:personal_data_{fmt}")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/konto/sisene/")


def test_the_profile_page_offers_the_download(client, mari):
    client.force_login(mari)
    page = client.get(reverse("forum:profile")).content.decode()
    assert reverse("forum:personal_data_json") in page
    assert reverse("forum:personal_data_html") in page
    assert reverse("forum:account_erase") in page


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_the_export_takes_the_same_queries_however_much_was_written(
    client, mari, jaan, make_issue, organizations, django_assert_num_queries, fmt
):
    _write(mari, jaan, make_issue, organizations, n=1)
    client.force_login(mari)
    url = reverse(f"forum:personal_data_{fmt}")
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _write(mari, jaan, make_issue, organizations, n=4, start=1)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("MARI-KOMMENTAAR-") == 5
