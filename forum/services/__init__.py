"""Actions that change the forum's state. Each is one transaction with one audit record, and
schedules its e-mails for after the commit. Views, the admin and the demo loader call these."""

from .issues import (
    add_comment,
    add_support,
    change_issue_status,
    delete_comment,
    dismiss_flag,
    edit_comment,
    edit_issue,
    flag_content,
    follow_issue,
    hide_comment,
    hide_issue,
    lock_issue,
    merge_issue_into,
    post_issue,
    rename_tag,
    withdraw_support,
)
from .membership import (
    accept_invitation,
    apply_for_membership,
    approve_application,
    decline_application,
    invite_person,
    open_invitation,
    set_membership_active,
)
from .notifications import notify, send_digests

__all__ = [
    "accept_invitation",
    "add_comment",
    "add_support",
    "apply_for_membership",
    "approve_application",
    "change_issue_status",
    "decline_application",
    "delete_comment",
    "dismiss_flag",
    "edit_comment",
    "edit_issue",
    "flag_content",
    "follow_issue",
    "hide_comment",
    "hide_issue",
    "invite_person",
    "lock_issue",
    "merge_issue_into",
    "notify",
    "open_invitation",
    "post_issue",
    "rename_tag",
    "send_digests",
    "set_membership_active",
    "withdraw_support",
]
