"""Coordinators' views for knowledge that travels: the training-needs roll-up and the drafts on
the public site made from a training need or a good practice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.discussions import knowledge as services
from forum.discussions import permissions
from forum.members.decorators import coordinator_required


@coordinator_required
def training_needs(request):
    topics = services.training_need_rollup()
    return render(
        request,
        "forum/training_needs.html",
        {
            "topics": topics,
            "need_count": len({need.pk for topic in topics for need in topic.needs}),
            "organization_count": len(
                {need.organization_id for topic in topics for need in topic.needs}
            ),
        },
    )


def _draft(request, pk, action, success):
    discussion = get_object_or_404(permissions.visible_discussions(request.user), pk=pk)
    try:
        page = action(coordinator=request.user, discussion=discussion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(discussion)
    messages.success(request, success)
    if page.permissions_for_user(request.user).can_edit():
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    # A coordinator without page rights in the admin: the draft waits for an editor there.
    return redirect(discussion)


@coordinator_required
@require_POST
def discussion_event_draft(request, pk):
    return _draft(
        request,
        pk,
        services.create_event_draft,
        _(
            "The training draft is saved on the public site but not published: an editor "
            "reviews it and publishes it."
        ),
    )


@coordinator_required
@require_POST
def discussion_article_draft(request, pk):
    return _draft(
        request,
        pk,
        services.create_article_draft,
        _(
            "The article draft is saved on the public site but not published: an editor "
            "reviews it and publishes it."
        ),
    )
