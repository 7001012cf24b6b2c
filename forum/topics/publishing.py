"""Publishing advocacy topics on the public site and taking them off it. The public sees a
published topic's summary, position, signatories and milestones, never its issues or its
discussion (cms.models.TopicIndexPage). Each action is one transaction with one TopicEvent
and one audit record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forum.members import permissions
from forum.topics.models import PUBLISHABLE, AdvocacyTopic, TopicEvent
from forum.topics.services import _event, _locked


@transaction.atomic
def publish_topic(*, coordinator, topic: AdvocacyTopic) -> AdvocacyTopic:
    """Make the topic public, from "position adopted" on. Publishing a published topic
    changes nothing (two coordinators pressing the button at once leave one event)."""
    permissions.check_moderate(coordinator)
    topic = _locked(topic)
    if topic.status not in PUBLISHABLE:
        raise ValidationError(
            _(
                "A topic that is “%(status)s” cannot be published: adopt its position first, "
                "then publish it."
            )
            % {"status": topic.get_status_display()}
        )
    if not topic.summary.strip():
        raise ValidationError(
            _("Write the plain-language summary first: it is what the public reads first.")
        )
    if topic.is_published:
        return topic
    topic.visibility = AdvocacyTopic.Visibility.PUBLIC
    # A topic published before (and later hidden through its visibility) keeps its date.
    topic.published_at = topic.published_at or timezone.now()
    topic.save(update_fields=["visibility", "published_at", "updated"])
    _event(topic, coordinator, TopicEvent.Action.PUBLISH)
    log(topic, "forum.topic.publish", user=coordinator)
    return topic


@transaction.atomic
def unpublish_topic(*, coordinator, topic: AdvocacyTopic) -> AdvocacyTopic:
    """Take the topic off the public site: its page, the topic list, the feed, the sitemap and
    the search. It stays in the forum as it was."""
    permissions.check_moderate(coordinator)
    topic = _locked(topic)
    if topic.published_at is None:
        return topic
    topic.published_at = None
    topic.save(update_fields=["published_at", "updated"])
    _event(topic, coordinator, TopicEvent.Action.UNPUBLISH)
    log(topic, "forum.topic.unpublish", user=coordinator)
    return topic
