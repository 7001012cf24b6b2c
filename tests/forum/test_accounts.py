import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import Invitation, Membership, Organization, Profile

pytestmark = pytest.mark.django_db


def test_sign_in_and_out_with_the_sites_own_pages(client, roles):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "liige", "password": "demo"})
    assert response.status_code == 302 and response.url == reverse("forum:issue_list")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("forum:issue_list")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, roles):
    response = client.post(reverse("login"), {"username": "liige", "password": "vale"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_password_reset_sends_a_working_link(client, roles):
    response = client.post(reverse("password_reset"), {"email": "liige@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/konto/parool/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Lapsekesksus-2026", "new_password2": "Lapsekesksus-2026"},
    )
    assert done.status_code == 302
    assert get_user_model().objects.get(username="liige").check_password("Lapsekesksus-2026")


def test_representative_invites_a_person_who_sets_a_password_once(
    client, roles, organizations, django_capture_on_commit_callbacks
):
    client.force_login(roles["esindaja"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:organization_invite", args=["paikesekiir"]),
            {"email": "Uus.Inimene@Example.org", "role": "member"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="uus.inimene@example.org")
    assert invitation.organization == organizations["paikesekiir"]
    assert invitation.token in mail.outbox[-1].body
    client.logout()

    url = reverse("forum:accept_invitation", args=[invitation.token])
    mismatch = client.post(
        url,
        {
            "username": "uus",
            "first_name": "Uus",
            "last_name": "Inimene",
            "password1": "Lapsekesksus-2026",
            "password2": "teine",
        },
    )
    assert mismatch.status_code == 200 and "password2" in mismatch.context["form"].errors
    weak = client.post(
        url,
        {
            "username": "uus",
            "first_name": "Uus",
            "last_name": "Inimene",
            "password1": "123",
            "password2": "123",
        },
    )
    assert "password1" in weak.context["form"].errors
    assert not get_user_model().objects.filter(username="uus").exists()

    ok = client.post(
        url,
        {
            "username": "uus",
            "first_name": "Uus",
            "last_name": "Inimene",
            "password1": "Lapsekesksus-2026",
            "password2": "Lapsekesksus-2026",
        },
    )
    assert ok.status_code == 302
    user = get_user_model().objects.get(username="uus")
    assert user.memberships.get().organization.slug == "paikesekiir"
    assert client.get(reverse("forum:issue_list")).status_code == 200  # signed in
    client.logout()
    assert client.get(url).status_code == 410  # single use


def test_an_expired_invitation_cannot_be_used(client, roles, organizations):
    invitation = services.invite_person(
        inviter=roles["esindaja"],
        organization=organizations["paikesekiir"],
        email="hiline@example.org",
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert (
        client.get(reverse("forum:accept_invitation", args=[invitation.token])).status_code == 410
    )


def test_a_representative_cannot_make_representatives_or_manage_another_organisation(client, roles):
    client.force_login(roles["esindaja"])
    client.post(
        reverse("forum:organization_invite", args=["paikesekiir"]),
        {"email": "x@example.org", "role": "representative"},
    )
    assert not Invitation.objects.filter(email="x@example.org").exists()
    assert (
        client.get(reverse("forum:organization_manage", args=["emajoe-noored"])).status_code == 403
    )


def test_representative_edits_the_profile_and_removes_a_person(client, roles):
    client.force_login(roles["esindaja"])
    url = reverse("forum:organization_manage", args=["paikesekiir"])
    response = client.post(
        url,
        {
            "name": "MTÜ Päikesekiire Pereliit",
            "county": roles["liige"].memberships.get().organization.county_id,
            "website": "https://example.org/uus",
            "field_of_work": "perenõustamine",
            "description": "Uus kirjeldus.",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.get(slug="paikesekiir").description == "Uus kirjeldus."
    membership = Membership.objects.get(user=roles["liige"])
    client.post(reverse("forum:membership_toggle", args=["paikesekiir", membership.pk]))
    membership.refresh_from_db()
    assert not membership.active
    client.force_login(roles["liige"])
    assert client.get(reverse("forum:issue_list")).status_code == 403


def test_coordinator_approves_an_application_and_invites_its_contact(
    client, coordinator, django_capture_on_commit_callbacks
):
    applicant = Organization.objects.get(status=Organization.Status.APPLICANT)
    client.force_login(coordinator)
    assert applicant.name in client.get(reverse("forum:applications")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("forum:application_decide", args=[applicant.pk]), {"decision": "approve"}
        )
    applicant.refresh_from_db()
    assert applicant.status == Organization.Status.MEMBER and applicant.joined
    invitation = Invitation.objects.get(organization=applicant)
    assert (
        invitation.role == Membership.Role.REPRESENTATIVE
        and invitation.email == applicant.contact_email
    )
    assert mail.outbox[-1].to == [applicant.contact_email]


def test_declining_needs_a_reason(client, coordinator, harjumaa):
    applicant = services.apply_for_membership(
        name="Proov",
        registry_code="80111111",
        contact_name="A",
        contact_email="a@example.org",
        county=harjumaa,
        field_of_work="x",
        motivation="y",
    )
    client.force_login(coordinator)
    client.post(reverse("forum:application_decide", args=[applicant.pk]), {"decision": "decline"})
    applicant.refresh_from_db()
    assert applicant.status == Organization.Status.APPLICANT
    client.post(
        reverse("forum:application_decide", args=[applicant.pk]),
        {"decision": "decline", "reason": "Ei tegutse laste valdkonnas."},
    )
    applicant.refresh_from_db()
    assert applicant.status == Organization.Status.DECLINED


def test_a_declined_applicant_is_told_why_kindly(client, coordinator, harjumaa):
    """The thank-you page promised a reply: the decision reaches the contact person, with the
    coordinator's reason, in the site's language."""
    applicant = services.apply_for_membership(
        name="Proovi Selts", registry_code="80111112", contact_name="Anu", county=harjumaa,
        contact_email="anu@example.org", field_of_work="x", motivation="y",
    )  # fmt: skip
    mail.outbox.clear()
    client.force_login(coordinator)
    client.post(
        reverse("forum:application_decide", args=[applicant.pk]),
        {"decision": "decline", "reason": "Ei tegutse laste valdkonnas."},
    )
    (message,) = mail.outbox
    assert message.to == ["anu@example.org"]
    assert message.subject == "Sinu avaldus Lapse Huvikaitse Kojaga liitumiseks"
    assert message.body.startswith("Tere, Anu!\n\nAitäh, et Proovi Selts soovis")
    assert "Ei tegutse laste valdkonnas." in message.body
    assert "Proovi Selts" in message.body


def test_profile_sets_the_notification_preference(client, roles):
    client.force_login(roles["liige"])
    response = client.post(
        reverse("forum:profile"),
        {"first_name": "Mari", "last_name": "Maasikas", "email_delivery": "weekly"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=roles["liige"]).email_delivery == Profile.Delivery.WEEKLY
    bad = client.post(
        reverse("forum:profile"), {"first_name": "", "last_name": "M", "email_delivery": "hourly"}
    )
    assert set(bad.context["form"].errors) == {"first_name", "email_delivery"}
