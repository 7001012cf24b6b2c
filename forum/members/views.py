"""People and organisations: profile, invitations, the organisation's page, applications."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from koda import ratelimit

from forum.core.forms import ReasonForm
from forum.core.views import _apply, _pk, _posted
from forum.members import permissions, services
from forum.members.decorators import coordinator_required
from forum.members.forms import AcceptInvitationForm, InviteForm, OrganizationForm
from forum.members.models import Membership, Organization


def accept_invitation(request, token):
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "forum/invitation_invalid.html", status=410)
    existing = services.account_for_invitation(invitation)
    if existing is not None:
        # The address has an account: its owner signs in and joins; the link opens nothing.
        if request.user.is_authenticated and request.user.pk == existing.pk:
            if request.method == "POST":
                services.join_by_invitation(token=token, user=request.user)
                messages.success(request, _("Welcome to the forum of Lapse Huvikaitse Koda!"))
                return redirect("forum:issue_list")
            return render(request, "forum/invitation_join.html", {"invitation": invitation})
        return redirect_to_login(request.get_full_path())
    form = AcceptInvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(
                token=token,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to the forum of Lapse Huvikaitse Koda!"))
            return redirect("forum:issue_list")
    return render(request, "forum/invitation_accept.html", {"form": form, "invitation": invitation})


def _organization(request, slug) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    permissions.check_manage_organization(request.user, organization)
    return organization


@login_required
def organization_manage(request, slug):
    organization = _organization(request, slug)
    form = OrganizationForm(_posted(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        services.update_organization(
            user=request.user, organization=organization, **form.cleaned_data
        )
        messages.success(request, _("The organisation's profile has been saved."))
        return redirect("forum:organization_manage", slug=organization.slug)
    return _manage_page(request, organization, form, _invite_form(request))


def _invite_form(request, data=None) -> InviteForm:
    form = InviteForm(data)
    allowed = permissions.roles_to_invite(request.user)
    form.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in allowed]
    return form


def _manage_page(request, organization, form, invite_form, status=200):
    people = organization.memberships.select_related("user").order_by("-active", "user__last_name")
    context = {
        "organization": organization,
        "form": form,
        "people": people,
        "invite_form": invite_form,
        "invitations": services.pending_invitations(organization).order_by("-created"),
    }
    return render(request, "forum/organization_manage.html", context, status=status)


@login_required
@require_POST
def organization_invite(request, slug):
    """Invite a person; or send a waiting invitation again (`resend`) or revoke it (`revoke`)."""
    organization = _organization(request, slug)
    for action in ("resend", "revoke"):
        if action in request.POST:
            return _invitation_action(request, organization, action)
    form = _invite_form(request, request.POST)
    if form.is_valid() and not ratelimit.allow(request, "invitation", form):
        # The page again with the address typed and the refusal (429), nothing sent.
        return _manage_page(request, organization, OrganizationForm(instance=organization), form)
    if form.is_valid() and _apply(
        form,
        services.invite_person,
        inviter=request.user,
        organization=organization,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
    ):
        messages.success(
            request,
            _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("forum:organization_manage", slug=organization.slug)
    # What was typed stays, with what is wrong with it.
    page = OrganizationForm(instance=organization)
    return _manage_page(request, organization, page, form, status=400)


def _invitation_action(request, organization, action):
    invitation = get_object_or_404(
        services.pending_invitations(organization), pk=_pk(request.POST[action]) or 0
    )
    if action == "resend":
        services.resend_invitation(manager=request.user, invitation=invitation)
        done = _("The invitation was sent to %(email)s again.")
    else:
        services.revoke_invitation(manager=request.user, invitation=invitation)
        done = _("The invitation to %(email)s was revoked; its link no longer works.")
    messages.success(request, done % {"email": invitation.email})
    return redirect("forum:organization_manage", slug=organization.slug)


@login_required
@require_POST
def membership_toggle(request, slug, pk):
    organization = _organization(request, slug)
    membership = get_object_or_404(organization.memberships, pk=pk)
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot remove yourself."))
    else:
        services.set_membership_active(
            manager=request.user, membership=membership, active=not membership.active
        )
        messages.success(request, _("Saved."))
    return redirect("forum:organization_manage", slug=organization.slug)


@coordinator_required
def applications(request):
    pending = Organization.objects.filter(status=Organization.Status.APPLICANT).select_related(
        "county"
    )
    return render(
        request, "forum/applications.html", {"applications": pending, "form": ReasonForm()}
    )


@coordinator_required
@require_POST
def application_decide(request, pk):
    organization = get_object_or_404(Organization, pk=pk, status=Organization.Status.APPLICANT)
    if request.POST.get("decision") == "approve":
        services.approve_application(coordinator=request.user, organization=organization)
        messages.success(
            request,
            _("%(name)s is now a member; its contact person was invited.")
            % {"name": organization.name},
        )
    else:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for declining."))
            return redirect("forum:applications")
        services.decline_application(
            coordinator=request.user, organization=organization, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The application was declined."))
    return redirect("forum:applications")
