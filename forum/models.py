"""Every model of the forum, for Django and for code outside the forum. Each lives in its
room (forum/<room>/models.py); the rooms import each other's models directly."""

from forum.core.models import (
    AgeGroup,
    BilingualName,
    County,
    Municipality,
    Theme,
)
from forum.discussions.models import (
    Discussion,
    DiscussionDocument,
    DiscussionFollow,
    DiscussionQuerySet,
    DiscussionRevision,
    DiscussionTag,
    HelpfulMark,
    Reply,
    ReplyRevision,
)
from forum.issues.models import (
    Comment,
    CommentRevision,
    Follow,
    Issue,
    IssueQuerySet,
    IssueRevision,
    IssueTag,
    Support,
)
from forum.members.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationQuerySet,
    Profile,
    registry_code_validator,
)
from forum.notifications.models import (
    Notification,
    OutgoingMail,
    Subscription,
)
from forum.threads.models import (
    EditRevision,
    Flag,
)
from forum.topics.models import (
    PUBLISHABLE,
    AdvocacyTopic,
    AdvocacyTopicQuerySet,
    TopicComment,
    TopicEvent,
    TopicIssue,
    TopicMember,
    TopicPosition,
    TopicSignature,
)

__all__ = [
    "AdvocacyTopic",
    "AdvocacyTopicQuerySet",
    "AgeGroup",
    "BilingualName",
    "Comment",
    "CommentRevision",
    "County",
    "Discussion",
    "DiscussionDocument",
    "DiscussionFollow",
    "DiscussionQuerySet",
    "DiscussionRevision",
    "DiscussionTag",
    "EditRevision",
    "Flag",
    "Follow",
    "HelpfulMark",
    "Invitation",
    "Issue",
    "IssueQuerySet",
    "IssueRevision",
    "IssueTag",
    "Membership",
    "Municipality",
    "Notification",
    "Organization",
    "OrganizationQuerySet",
    "OutgoingMail",
    "PUBLISHABLE",
    "Profile",
    "Reply",
    "ReplyRevision",
    "Subscription",
    "Support",
    "Theme",
    "TopicComment",
    "TopicEvent",
    "TopicIssue",
    "TopicMember",
    "TopicPosition",
    "TopicSignature",
    "registry_code_validator",
]
