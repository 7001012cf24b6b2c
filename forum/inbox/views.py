"""A member's inbox: the profile with the e-mail preference, the notifications, the subjects
they follow (tags, counties, themes, kinds of discussion) and the unsubscribe links of
the forum's e-mails.

Contract for buttons elsewhere (the tag page, discussion pages): POST to forum:subject_follow
with exactly one of `tag` (the tag's name), `county` (slug), `theme` (slug) or `kind` (a
Discussion.Kind value), and `next` (a path on this site to return to); POST to
forum:subject_unfollow with the subscription's pk and `next`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from forum.core.models import County, ForumTag, Theme
from forum.core.privacy import PrivacyGuardMixin
from forum.core.views import _posted
from forum.discussions.models import Discussion
from forum.discussions.permissions import visible_discussions
from forum.inbox import permissions
from forum.inbox import subscriptions as services
from forum.inbox.subscriptions import subject_label
from forum.issues.permissions import visible_issues
from forum.members import unsubscribe
from forum.members.decorators import member_required
from forum.members.forms import ProfileForm
from forum.members.mail import email_delivery
from forum.members.permissions import is_member
from forum.members.services import update_profile
from forum.notifications.models import Subscription
from forum.notifications.services import mark_read


class SubjectForm(PrivacyGuardMixin, forms.Form):
    """One subject to follow; the profile shows each field with its own button."""

    tag = forms.CharField(label=gettext_lazy("Tag"), max_length=100, required=False)
    county = forms.ModelChoiceField(
        label=gettext_lazy("County"),
        queryset=County.objects.all(),
        to_field_name="slug",
        required=False,
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        queryset=Theme.objects.filter(active=True),
        to_field_name="slug",
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of discussion"),
        choices=[("", "---------"), *Discussion.Kind.choices],
        required=False,
    )

    def clean_tag(self):
        name = self.cleaned_data["tag"].strip()
        if not name:
            return None
        tag = ForumTag.objects.filter(name__iexact=name).order_by("pk").first()
        if tag is None:
            raise ValidationError(
                _(
                    "There is no tag “%(name)s” in the forum. Check the spelling, or pick one "
                    "from the list."
                )
                % {"name": name}
            )
        return tag

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("tag", "county", "theme", "kind") if data.get(name)]
        if not self.errors and len(chosen) != 1:
            raise ValidationError(
                _("Choose one thing to follow: a tag, a county, a theme or a kind of discussion.")
            )
        return data


def subject_context(user) -> dict:
    """The profile's "What I follow" section: the person's subscriptions and the form to add
    one (two queries; nothing for someone outside the forum)."""
    if not is_member(user):
        return {}
    subscriptions = (
        Subscription.objects.filter(user=user)
        .select_related("tag", "county", "theme")
        .order_by("created", "pk")
    )
    return {
        "subscriptions": [(s, subject_label(s)) for s in subscriptions],
        "subject_form": SubjectForm(),
        # Offered while typing (a datalist): the tags of what the person can read.
        "tag_choices": ForumTag.objects.filter(
            Q(forum_issuetag_items__content_object__in=visible_issues(user))
            | Q(forum_discussiontag_items__content_object__in=visible_discussions(user))
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:300],
    }


def _next(request, default="forum:profile"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@require_POST
@member_required
def subject_follow(request):
    form = SubjectForm(request.POST)
    if form.is_valid():
        subject = {k: v for k, v in form.cleaned_data.items() if v}
        try:
            subscription = services.follow_subject(user=request.user, **subject)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("You now follow: %(subject)s. What is new there comes in your digest.")
                % {"subject": subject_label(subscription)},
            )
            return _next(request)
    # What was typed stays in the form, with the reason beside it.
    context = {**subject_context(request.user), "subject_form": form}
    context["next"] = request.POST.get("next", "")
    return render(request, "forum/subject_follow.html", context, status=400)


@require_POST
@member_required
def subject_unfollow(request, pk):
    # Someone else's subscription is not found at all; one already removed is no error.
    subscription = Subscription.objects.filter(pk=pk, user=request.user).first()
    if subscription is None:
        messages.info(request, _("You no longer follow this."))
    else:
        label = subject_label(subscription)
        services.unfollow_subject(user=request.user, subscription=subscription)
        messages.success(request, _("You no longer follow: %(subject)s.") % {"subject": label})
    return _next(request)


# Unsubscribe links -----------------------------------------------------------------------------

ONE_CLICK = "One-Click"


def _csrf_refused(request):
    """The CSRF check the middleware would make: the response refusing the request, or None."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


# CSRF-exempt so that a mail client can POST "List-Unsubscribe=One-Click" to the link (RFC 8058):
# it has no cookie and no token. The signed token in the URL is the protection: only the person
# the e-mail went to has it, and it only turns one thing off. The page's own form still goes
# through the CSRF check below.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    link = unsubscribe.read_token(token)
    if link is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    subscription = None
    if link.subscription_id is not None:
        subscription = (
            Subscription.objects.filter(pk=link.subscription_id, user=link.user)
            .select_related("tag", "county", "theme")
            .first()
        )
    context = {
        "token": token,
        "email": link.subscription_id is None,
        "subject": subject_label(subscription) if subscription else "",
        "gone": link.subscription_id is not None and subscription is None,
    }
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK
        if not one_click and (refused := _csrf_refused(request)):
            return refused
        if link.subscription_id is None:
            services.stop_emails(user=link.user)
        else:
            services.remove_subscription(user=link.user, subscription_id=link.subscription_id)
        context["done"] = True
    return render(request, "forum/unsubscribe.html", context)


# Notifications -------------------------------------------------------------------------------


@member_required
def notification_list(request):
    notifications = permissions.visible_notifications(request.user).select_related(
        "issue", "topic", "discussion", "actor_organization"
    )
    if request.method == "POST":
        mark_read(user=request.user)
        return redirect("forum:notifications")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    page.object_list = permissions.name_only_readable_topics(request.user, page.object_list)
    return render(request, "forum/notification_list.html", {"notifications": page})


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        _posted(request),
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email_delivery": email_delivery(user),
        },
    )
    if request.method == "POST" and form.is_valid():
        update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("forum:profile")
    memberships = user.memberships.filter(active=True).select_related("organization")
    return render(
        request,
        "forum/profile.html",
        {"form": form, "memberships": memberships, **subject_context(user)},
    )
