"""The forum's actions, gathered for the public site, the demo loader and the tests;
the rooms' own code imports each room's services directly. Each action is one
transaction with one audit record, and writes its e-mails to the outbox in it."""

from forum.discussions.knowledge import (
    create_article_draft,
    create_event_draft,
    training_need_rollup,
)
from forum.discussions.services import (
    accept_answer,
    add_reply,
    delete_reply,
    edit_discussion,
    edit_reply,
    flag_discussion,
    follow_discussion,
    hide_discussion,
    hide_reply,
    lock_discussion,
    mark_helpful,
    post_discussion,
)
from forum.inbox.digests import send_digests
from forum.inbox.subscriptions import (
    follow_subject,
    remove_subscription,
    stop_emails,
    unfollow_subject,
)
from forum.issues.services import (
    add_comment,
    add_support,
    change_issue_status,
    delete_comment,
    edit_comment,
    edit_issue,
    flag_content,
    follow_issue,
    hide_comment,
    hide_issue,
    lock_issue,
    merge_issue_into,
    post_issue,
    withdraw_support,
)
from forum.members.services import (
    accept_invitation,
    account_for_invitation,
    apply_for_membership,
    approve_application,
    decline_application,
    invite_person,
    join_by_invitation,
    open_invitation,
    set_membership_active,
)
from forum.moderation.services import (
    rename_tag,
)
from forum.notifications.services import notify
from forum.threads.services import (
    dismiss_flag,
)
from forum.topics.publishing import (
    publish_topic,
    unpublish_topic,
)
from forum.topics.services import (
    add_topic_comment,
    answer_position,
    change_topic_status,
    create_topic,
    edit_topic,
    escalate_issues,
    join_working_group,
    set_position,
    unlink_issue,
)

__all__ = [
    "accept_answer",
    "accept_invitation",
    "account_for_invitation",
    "add_comment",
    "add_reply",
    "add_support",
    "add_topic_comment",
    "answer_position",
    "apply_for_membership",
    "approve_application",
    "change_issue_status",
    "change_topic_status",
    "create_article_draft",
    "create_event_draft",
    "create_topic",
    "decline_application",
    "delete_comment",
    "delete_reply",
    "dismiss_flag",
    "edit_comment",
    "edit_discussion",
    "edit_issue",
    "edit_reply",
    "edit_topic",
    "escalate_issues",
    "flag_content",
    "flag_discussion",
    "follow_discussion",
    "follow_issue",
    "follow_subject",
    "hide_comment",
    "hide_discussion",
    "hide_issue",
    "hide_reply",
    "invite_person",
    "join_by_invitation",
    "join_working_group",
    "lock_discussion",
    "lock_issue",
    "mark_helpful",
    "merge_issue_into",
    "notify",
    "open_invitation",
    "post_discussion",
    "post_issue",
    "publish_topic",
    "remove_subscription",
    "rename_tag",
    "send_digests",
    "set_membership_active",
    "set_position",
    "stop_emails",
    "training_need_rollup",
    "unfollow_subject",
    "unlink_issue",
    "unpublish_topic",
    "withdraw_support",
]
