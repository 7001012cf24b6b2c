"""Member organisations in the site search, for everyone, by what the public directory shows of
them, found at their own page in the member directory (issue 19)."""

import pytest

from forum.models import Organization
from forum.services import apply_for_membership, decline_application

from .test_site_search import counts, search

pytestmark = [pytest.mark.django_db, pytest.mark.search]


def test_visitors_find_a_member_organisation_and_open_its_page(client, search_backend):
    response = search(client, "Noortekeskus", type="organization")
    hit = next(h for h in response.context["hits"] if h["object"].slug == "emajoe-noored")
    assert str(hit["title"]) == "MTÜ Emajõe <mark>Noortekeskus</mark>"
    assert hit["url"] == "/liikmed/emajoe-noored/"
    assert hit["kind"] == "Tartu maakond"
    page = client.get(hit["url"])
    assert page.status_code == 200
    assert "MTÜ Emajõe Noortekeskus" in page.content.decode()
    assert "Avatud noorsootöö ja huviringid" in page.content.decode()


def test_an_organisation_is_found_by_any_form_of_its_words(client):
    # "noortekeskuse" (of the youth centre), "noorsootööd" (youth work, partitive)
    for query in ("noortekeskuse", "noortekeskustes", "noorsootööd", "keskus"):
        assert "MTÜ Emajõe Noortekeskus" in [
            str(h["object"].name)
            for h in search(client, query, type="organization").context["hits"]
        ], query


def names(response):
    return [hit["object"].name for hit in response.context["hits"]]


def test_organisations_are_found_by_field_of_work_and_county(client):
    assert "Võrumaa Laste Tugiühing" in names(search(client, "lastekaitse", type="organization"))
    assert "MTÜ Narva Perede Maja" in names(
        search(client, "Ida-Virumaa pered", type="organization")
    )


def test_applicants_declined_and_former_organisations_are_not_found(client, roles, harjumaa):
    def apply(name, code):
        return apply_for_membership(
            name=name,
            registry_code=code,
            contact_name="Mari Maasikas",
            contact_email="mari@example.org",
            county=harjumaa,
            field_of_work="huviharidus",
            motivation="Tahame kaasa rääkida Salajõe laste huvihariduses.",
        )

    applicant = apply("MTÜ Salajõe Lastering", "80991234")
    declined = apply("MTÜ Kuusiku Lastering", "80991235")
    decline_application(coordinator=roles["koordinaator"], organization=declined, reason="Test.")
    for name in ("Salajõe", "Kuusiku", "Läänemaa Pere"):
        assert counts(search(client, name))["organization"] == 0, name
    assert counts(search(client, "Lastering", type="organization"))["organization"] == 0
    for slug in (applicant.slug, declined.slug, "laanemaa-pere", "ei-ole-olemas"):
        assert client.get(f"/liikmed/{slug}/").status_code == 404, slug


def test_a_member_is_not_found_by_its_application(client, harjumaa):
    member = apply_for_membership(
        name="MTÜ Salajõe Lastering",
        registry_code="80991234",
        contact_name="Mari Maasikas",
        contact_email="mari@example.org",
        county=harjumaa,
        field_of_work="huviharidus",
        motivation="Tahame kaasa rääkida laste huvihariduses.",
    )
    member.status = Organization.Status.MEMBER
    member.save(update_fields=["status"])
    assert counts(search(client, "Salajõe Lastering"))["organization"] == 1
    for private in ("Maasikas", "mari@example.org", "kaasa rääkida"):
        assert counts(search(client, private))["organization"] == 0, private


def test_the_english_directory_shows_an_organisation_too(client):
    response = client.get("/en/members/paikesekiir/")
    assert response.status_code == 200
    assert "MTÜ Päikesekiire Pereliit" in response.content.decode()
