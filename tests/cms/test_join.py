import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from forum.members.roles import COORDINATORS
from forum.models import Organization, Profile

pytestmark = pytest.mark.django_db

VALID = {
    "name": "MTÜ Testküla Pered",
    "registry_code": "80123456",
    "contact_name": "Mari Maasikas",
    "contact_email": "mari@example.org",
    "county": None,  # set from the harjumaa fixture
    "field_of_work": "perenõustamine",
    "motivation": "Tahame jagada kogemusi ja õppida teistelt.",
}


@pytest.fixture
def application(harjumaa):
    return {**VALID, "county": str(harjumaa.pk)}


def test_join_page_shows_why_join_and_the_form(client, join_page):
    html = client.get(join_page.url).content.decode()
    for reason in (
        "1. Huvikaitse",
        "2. Võrgustik ja koostöö",
        "3. Organisatsiooni ja liikmeskonna arendamine",
        "4. Rahvusvaheline koostöö",
    ):
        assert reason in html
    assert 'name="registry_code"' in html and 'name="motivation"' in html


def test_valid_application_is_stored_and_mailed(
    client, join_page, application, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_page.url, application)
    assert response.status_code == 302
    assert response.url == "/liitu/aitah/"
    organization = Organization.objects.get(registry_code="80123456")
    assert organization.status == Organization.Status.APPLICANT
    assert organization.name == "MTÜ Testküla Pered"
    assert organization.contact_email == "mari@example.org"
    recipients = {tuple(message.to) for message in mail.outbox}
    assert recipients == {("koordinaator@example.org",), ("mari@example.org",)}
    to_coordinators = next(m for m in mail.outbox if m.to == ["koordinaator@example.org"])
    assert "MTÜ Testküla Pered" in to_coordinators.subject
    assert "80123456" in to_coordinators.body
    assert to_coordinators.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert to_coordinators.extra_headers["List-Unsubscribe"].strip("<>") in to_coordinators.body
    thanks = client.get(response.url).content.decode()
    assert "Saatsime kinnituse" in thanks


def test_application_is_logged_in_the_audit_log(client, join_page, application):
    from wagtail.models import ModelLogEntry

    client.post(join_page.url, application)
    organization = Organization.objects.get(registry_code="80123456")
    entry = ModelLogEntry.objects.get(
        object_id=str(organization.pk), action="forum.organization.apply"
    )
    assert entry.label == "MTÜ Testküla Pered"


def test_applicant_is_answered_in_english_on_the_english_page(
    client, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/join/", application)
    assert response.status_code == 302 and response.url == "/en/join/thank-you/"
    assert mail.outbox[-1].subject == "We received your application to join Lapse Huvikaitse Koda"


@pytest.mark.parametrize(
    "field, value",
    [
        ("registry_code", "1234567"),
        ("registry_code", "123456789"),
        ("registry_code", "8012345a"),
        ("registry_code", ""),
        ("contact_email", "pole-e-post"),
        ("contact_email", ""),
        ("name", ""),
        ("name", "   "),
        ("contact_name", ""),
        ("county", ""),
        ("county", "999999"),
        ("county", "harjumaa"),
        ("field_of_work", ""),
        ("motivation", ""),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(
    client, join_page, application, field, value
):
    before = Organization.objects.count()
    response = client.post(join_page.url, {**application, field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}' in html and 'aria-invalid="true"' in html
    # What the user typed is kept.
    assert 'value="Mari Maasikas"' in html or field == "contact_name"
    assert "Tahame jagada kogemusi" in html or field == "motivation"
    assert Organization.objects.count() == before
    assert mail.outbox == []


def test_every_required_field_is_reported_when_the_form_is_empty(client, join_page):
    response = client.post(join_page.url, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "name",
        "registry_code",
        "contact_name",
        "contact_email",
        "county",
        "field_of_work",
        "motivation",
    }


def test_errors_are_in_estonian_by_default_and_in_english_under_en(client, application):
    et = client.post("/liitu/", {**application, "registry_code": "12"}).content.decode()
    en = client.post("/en/join/", {**application, "registry_code": "12"}).content.decode()
    assert "Registrikoodis on täpselt 8 numbrit" in et
    assert "A registry code has exactly 8 digits, for example 80012345." in en


def test_a_registry_code_already_known_is_refused_without_storing(client, join_page, application):
    client.post(join_page.url, application)
    count = Organization.objects.count()
    response = client.post(join_page.url, {**application, "name": "Teine nimi"})
    assert response.status_code == 200
    assert "registry_code" in response.context["form"].errors
    assert Organization.objects.count() == count


def test_two_applications_with_one_name_get_distinct_slugs(client, join_page, application):
    client.post(join_page.url, application)
    client.post(join_page.url, {**application, "registry_code": "80654321"})
    slugs = set(
        Organization.objects.filter(name="MTÜ Testküla Pered").values_list("slug", flat=True)
    )
    assert slugs == {"mtu-testkula-pered", "mtu-testkula-pered-2"}


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "x" * 10_000},
        {"county": "1 OR 1=1"},
        {"motivation": "<script>alert(1)</script>"},
        {"contact_email": "a@" + "b" * 300 + ".ee"},
        {"name": "\x00"},
    ],
)
def test_hostile_input_never_answers_500(client, join_page, application, payload):
    response = client.post(join_page.url, {**application, **payload})
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content


def test_coordinators_are_told_of_an_application_as_they_chose(
    client, join_page, application, coordinator, django_capture_on_commit_callbacks
):
    """The coordinators' mail about an application is the forum's mail like any other: one
    message each, and none for a coordinator who chose no e-mail."""

    quiet = get_user_model().objects.create_user("vaikne", email="vaikne@example.org")
    quiet.groups.add(Group.objects.get(name=COORDINATORS))
    Profile.objects.create(user=quiet, email_delivery=Profile.Delivery.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_page.url, application)
    assert sorted(m.to[0] for m in mail.outbox) == ["koordinaator@example.org", "mari@example.org"]
