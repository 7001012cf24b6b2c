"""Invitations waiting (issue 20): a representative sees them, sends one again with a new link
or revokes it; inviting someone already in the organisation says so and sends nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import Invitation

pytestmark = pytest.mark.django_db
INVITE = reverse("forum:organization_invite", args=["paikesekiir"])
MANAGE = reverse("forum:organization_manage", args=["paikesekiir"])


def _invite(client, email="uus@example.org", role="member"):
    return client.post(INVITE, {"email": email, "role": role})


def test_a_waiting_invitation_is_listed_sent_again_with_a_new_link_and_revoked(
    client, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles["esindaja"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client)
    invitation = Invitation.objects.get(email="uus@example.org")
    old_link = reverse("forum:accept_invitation", args=[invitation.token])
    page = client.get(MANAGE).content.decode()
    assert "Ootel kutsed" in page and "uus@example.org" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"resend": invitation.pk})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token in mail.outbox[-1].body
    assert client.get(old_link).status_code == 410  # the old link no longer works
    new_link = reverse("forum:accept_invitation", args=[invitation.token])
    client.post(INVITE, {"revoke": invitation.pk})
    page = client.get(MANAGE).content.decode()
    assert "on tühistatud" in page and 'id="invitations"' not in page
    client.logout()
    assert client.get(new_link).status_code == 410


def test_inviting_an_address_again_sends_the_waiting_invitation_again(client, roles):
    client.force_login(roles["esindaja"])
    _invite(client)
    _invite(client, "UUS@example.org")
    assert Invitation.objects.filter(email="uus@example.org").count() == 1


def test_inviting_someone_already_in_the_organisation_says_so_and_keeps_the_address(client, roles):
    client.force_login(roles["esindaja"])
    mail.outbox.clear()
    response = _invite(client, "Liige@example.org")
    assert response.status_code == 400
    page = response.content.decode()
    assert "liige@example.org on juba organisatsioonis" in page
    assert 'value="Liige@example.org"' in page  # what was typed stays
    assert not Invitation.objects.exists() and not mail.outbox


def test_nobody_else_resends_or_revokes_an_invitation(client, roles, make_member):
    client.force_login(roles["esindaja"])
    _invite(client)
    invitation = Invitation.objects.get()
    other = make_member("esindaja-muu", organization="emajoe-noored", role="representative")
    client.force_login(other)
    other_invite = reverse("forum:organization_invite", args=["emajoe-noored"])
    for action in ("resend", "revoke"):
        assert client.post(other_invite, {action: invitation.pk}).status_code == 404
        assert client.post(INVITE, {action: invitation.pk}).status_code == 403
    client.force_login(roles["liige"])  # a member, not the representative
    assert client.post(INVITE, {"revoke": invitation.pk}).status_code == 403
    for value in ("x", "", "99999999999999"):
        client.force_login(roles["esindaja"])
        assert client.post(INVITE, {"revoke": value}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.expires > invitation.created
