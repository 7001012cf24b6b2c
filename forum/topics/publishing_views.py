"""Publishing a topic on the public site: the coordinators' buttons on the topic page
(forum/includes/topic_publish.html), and the way from the forum to the public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.core.public_site import public_site
from forum.members.decorators import coordinator_required, member_required
from forum.topics import publishing as services
from forum.topics.models import AdvocacyTopic

ACTIONS = {"publish": services.publish_topic, "unpublish": services.unpublish_topic}


@coordinator_required
@require_POST
def topic_publish(request, pk):
    topic = get_object_or_404(AdvocacyTopic, pk=pk)
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        messages.error(request, _("Choose whether to publish the topic or take it off the site."))
        return redirect("forum:topic_detail", pk=topic.pk)
    try:
        topic = action(coordinator=request.user, topic=topic)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("forum:topic_detail", pk=topic.pk)
    if not topic.is_published:
        messages.success(request, _("The topic is no longer on the public site."))
    elif public_site().topic_url(topic, request) is None:
        messages.warning(
            request,
            _(
                "The topic is published, but the public site has no page for advocacy topics "
                "yet: ask an editor to add one."
            ),
        )
    else:
        messages.success(request, _("The topic is published on the public site."))
    return redirect("forum:topic_detail", pk=topic.pk)


@member_required
def topic_public(request, pk):
    """The published topic's page on the public site, in the reader's language: the forum's
    way there, which need not know where editors put the topics page."""
    topic = get_object_or_404(AdvocacyTopic.objects.published(), pk=pk)
    url = public_site().topic_url(topic, request)
    if url is None:
        raise Http404
    return redirect(url)
