from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_list_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions import (
    AddTagsBulkAction,
    AddToCollectionBulkAction,
)
from wagtail.documents.views.bulk_actions import DeleteBulkAction as DocumentDeleteBulkAction
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from forum import audit_words
from forum.core.models import Theme
from forum.discussions.attachments import _in_forum_collection, document_permission_policy
from forum.discussions.models import Discussion
from forum.issues.models import Issue
from forum.members.models import Membership, Organization
from forum.notifications.models import OutgoingMail

# The forum's audit actions, as Wagtail's log (and its admin history) names them.
LOG_ACTIONS = {
    "forum.organization.apply": (_("Apply for membership"), _("Applied for membership")),
    "forum.organization.approve": (_("Approve an application"), _("Approved the application")),
    "forum.organization.decline": (_("Decline an application"), _("Declined the application")),
    "forum.organization.edit": (_("Edit the organisation's profile"), _("Edited the profile")),
    "forum.organization.invite": (_("Invite a person"), _("Invited a person")),
    "forum.organization.invite_resend": (
        _("Send an invitation again"),
        _("Sent an invitation again"),
    ),
    "forum.organization.invite_revoke": (_("Revoke an invitation"), _("Revoked an invitation")),
    "forum.organization.join": (_("Join by invitation"), _("Joined by invitation")),
    "forum.organization.person": (
        _("Remove or restore a person"),
        _("Removed or restored a person"),
    ),
    "forum.issue.post": (_("Raise an issue"), _("Raised the issue")),
    "forum.issue.edit": (_("Edit an issue"), _("Edited the issue")),
    "forum.issue.status": (_("Change the status"), _("Changed the status")),
    "forum.issue.merge": (_("Close as a duplicate"), _("Closed as a duplicate")),
    "forum.issue.merged_in": (_("Take in a duplicate"), _("Took in a duplicate")),
    "forum.issue.hide": (_("Hide an issue"), _("Hid the issue")),
    "forum.issue.unhide": (_("Show an issue again"), _("Showed the issue again")),
    "forum.issue.lock": (_("Lock an issue"), _("Locked the issue")),
    "forum.issue.unlock": (_("Unlock an issue"), _("Unlocked the issue")),
    "forum.support.add": (_("Say “we see this too”"), _("Said “we see this too”")),
    "forum.support.withdraw": (_("Withdraw “we see this too”"), _("Withdrew “we see this too”")),
    "forum.comment.add": (_("Comment"), _("Commented")),
    "forum.comment.edit": (_("Edit a comment"), _("Edited a comment")),
    "forum.comment.delete": (_("Delete a comment"), _("Deleted a comment")),
    "forum.comment.hide": (_("Hide a comment"), _("Hid a comment")),
    "forum.comment.unhide": (_("Show a comment again"), _("Showed a comment again")),
    "forum.discussion.post": (_("Start a discussion"), _("Started the discussion")),
    "forum.discussion.edit": (_("Edit a discussion"), _("Edited the discussion")),
    "forum.discussion.accept": (_("Accept an answer"), _("Accepted an answer")),
    "forum.discussion.unaccept": (
        _("Take back an accepted answer"),
        _("Took back the accepted answer"),
    ),
    "forum.discussion.hide": (_("Hide a discussion"), _("Hid the discussion")),
    "forum.discussion.unhide": (_("Show a discussion again"), _("Showed the discussion again")),
    "forum.discussion.lock": (_("Lock a discussion"), _("Locked the discussion")),
    "forum.discussion.unlock": (_("Unlock a discussion"), _("Unlocked the discussion")),
    "forum.discussion.event_draft": (
        _("Draft a training"),
        _("Drafted a training on the public site"),
    ),
    "forum.discussion.article_draft": (
        _("Draft an article"),
        _("Drafted an article on the public site"),
    ),
    "forum.reply.add": (_("Reply"), _("Replied")),
    "forum.reply.edit": (_("Edit a reply"), _("Edited a reply")),
    "forum.reply.delete": (_("Delete a reply"), _("Deleted a reply")),
    "forum.reply.hide": (_("Hide a reply"), _("Hid a reply")),
    "forum.reply.unhide": (_("Show a reply again"), _("Showed a reply again")),
    "forum.helpful": (_("Mark as helpful"), _("Marked as helpful")),
    "forum.helpful.withdraw": (_("Take back “helpful”"), _("Took back “helpful”")),
    "forum.flag": (_("Flag to a coordinator"), _("Flagged to a coordinator")),
    "forum.flag.dismiss": (_("Dismiss a flag"), _("Dismissed a flag")),
    "forum.tag.rename": (_("Rename a tag"), _("Renamed the tag")),
    "forum.tag.merge": (_("Merge tags"), _("Merged a tag into this one")),
    "forum.issue.escalate": (_("Escalate into a topic"), _("Escalated into a topic")),
    "forum.issue.unlink": (_("Unlink from a topic"), _("Unlinked from a topic")),
    "forum.topic.create": (_("Create a topic"), _("Created the topic")),
    "forum.topic.edit": (_("Edit a topic"), _("Edited the topic")),
    "forum.topic.status": (_("Change the topic's status"), _("Changed the topic's status")),
    "forum.topic.position": (_("Change the position"), _("Changed the position")),
    "forum.topic.comment": (_("Comment on a topic"), _("Commented on the topic")),
    "forum.topic.sign": (_("Sign the position"), _("Signed the position")),
    "forum.topic.object": (_("Object to the position"), _("Objected to the position")),
    "forum.topic.publish": (_("Publish a topic"), _("Published the topic")),
    "forum.topic.unpublish": (_("Unpublish a topic"), _("Unpublished the topic")),
    "forum.topic.remind": (
        _("Remind of the deadline"),
        _("Reminded the working group of the deadline"),
    ),
    "forum.member.erase": (_("Erase an account"), _("Erased the account")),
    "forum.issue.retention": (
        _("Remove text after the retention period"),
        _("Removed the text after the retention period"),
    ),
}


@hooks.register("register_log_actions")
def register_forum_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action)(audit_words.formatter(label, message))


@hooks.register("before_serve_document")
def serve_discussion_documents_to_readers_only(document, request):
    """A discussion's attachment is served only to those who may read the discussion; for
    anyone else it does not exist (404). Other documents are left to Wagtail's own checks."""
    from django.http import Http404

    from forum.discussions.models import DiscussionDocument
    from forum.discussions.permissions import visible_discussions

    discussion_id = (
        DiscussionDocument.objects.filter(document=document)
        .values_list("discussion_id", flat=True)
        .first()
    )
    if discussion_id is None:
        return None
    if not visible_discussions(request.user).filter(pk=discussion_id).exists():
        raise Http404
    return None


# Editors' rights on the root collection must not reach the forum's attachments in the admin.
# exact_class: this module is imported before wagtail.documents' ready() registers its own
# policy, which would otherwise replace this one.
register_permission_policy(get_document_model(), document_permission_policy(), exact_class=True)


class ForumDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """Wagtail's admin API lists and describes every document whose collection lets the
    request in, and the forum's asks only for a sign-in: an editor would read the forum's
    attachments (title, download link) by id. As in the admin's own listings, they are the
    coordinators'."""

    def get_queryset(self):
        from forum.members.permissions import is_coordinator

        documents = super().get_queryset()
        return (
            documents
            if is_coordinator(self.request.user)
            else documents.exclude(_in_forum_collection())
        )


@hooks.register("construct_admin_api", order=100)  # after wagtail.documents registers its own
def forum_documents_in_the_admin_api(router):
    router.register_endpoint("documents", ForumDocumentsAdminAPIViewSet)


class ForumChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet choosers answer anyone with access to the admin, whatever their rights
    on the model: an editor would list the forum's issues and discussions (hidden ones too),
    memberships and outgoing mail, and read any of them by id. The forum's choosers are for
    those with a right on the model (coordinators; outgoing mail, administrators)."""

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = self._permission_checked(pattern.callback)
        return patterns

    def _permission_checked(self, view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            policy = policy_registry.get_by_type(self.model)
            if not policy.user_has_any_permission(
                request.user, ["add", "change", "delete", "view"]
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked


class ForumSnippetViewSet(SnippetViewSet):
    chooser_viewset_class = ForumChooserViewSet


class OrganizationViewSet(ForumSnippetViewSet):
    """Applications are approved or declined in the forum (/foorum/avaldused/), which invites
    the representative and records the decision; here the status is shown, not changed."""

    model = Organization
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("registry_code"),
        FieldPanel("county"),
        FieldPanel("website"),
        FieldPanel("field_of_work"),
        FieldPanel("description"),
        FieldPanel("status", read_only=True),
        FieldPanel("joined", read_only=True),
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("motivation"),
    ]
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "registry_code", "county", "status", "created"]
    list_filter = ["status", "county"]
    search_fields = ["name", "registry_code"]
    # The database, not the site's search index: the index holds only what the public
    # directory shows (no registry code), and applicants are found here too.
    search_backend_name = None
    ordering = ["name"]


class MembershipViewSet(ForumSnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organization", "role", BooleanColumn("active", label=_("active"))]
    list_filter = ["role", "active"]


class ThemeViewSet(ForumSnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    list_display = ["name", "name_en", BooleanColumn("active", label=_("active")), "sort_order"]


class InspectOnlyPolicy(ModelPermissionPolicy):
    """Issues change only through the forum's services (revisions, notifications, audit); in
    the admin they are listed and inspected."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(
            user, action
        )


register_permission_policy(Issue, InspectOnlyPolicy(Issue))
register_permission_policy(Discussion, InspectOnlyPolicy(Discussion))
register_permission_policy(OutgoingMail, InspectOnlyPolicy(OutgoingMail))


class IssueViewSet(ForumSnippetViewSet):
    model = Issue
    icon = "warning"
    menu_label = _("Issues")
    list_display = ["title", "organization", "county", "status", "support_count", "created"]
    list_filter = ["status", "theme", "county", "hidden", "locked"]
    search_fields = ["title"]
    inspect_view_enabled = True


class DiscussionViewSet(ForumSnippetViewSet):
    model = Discussion
    icon = "help"
    menu_label = _("Discussions")
    list_display = ["title", "kind", "organization", "reply_count", "helpful_count", "created"]
    list_filter = ["kind", "theme", "county", "hidden", "locked"]
    search_fields = ["title"]
    inspect_view_enabled = True


class OutgoingMailViewSet(ForumSnippetViewSet):
    """The mail the server has not taken yet (forum.notifications.outbox): an outage or a refused
    address shows here, with the attempts and the last error. Administrators only (the model's
    view permission), as it holds the text of others' mail."""

    model = OutgoingMail
    icon = "mail"
    menu_label = _("Outgoing e-mail")
    list_display = ["subject", "to", "attempts", "next_attempt", "last_error"]
    inspect_view_enabled = True
    inspect_view_fields = ["subject", "to", "created", "attempts", "next_attempt", "last_error"]


class ForumViewSetGroup(ViewSetGroup):
    menu_label = _("Forum")
    menu_icon = "group"
    menu_order = 250
    items = (
        OrganizationViewSet,
        MembershipViewSet,
        ThemeViewSet,
        IssueViewSet,
        DiscussionViewSet,
        OutgoingMailViewSet,
    )


register_snippet(ForumViewSetGroup)


class OnlyObjectsTheUserMayHandle:
    """Wagtail's bulk-action pages (/admin/bulk/<app>/<model>/<action>/?id=…) list every
    object whose id is in the query string, those the person may not act on too ("you don't
    have permission to…", with their titles): an editor would read the titles of any issue,
    discussion, application, outgoing mail or forum attachment by its id. Here an object the
    person has no right on at all does not exist for the page (404 when none is left)."""

    ANY_RIGHT = ("add", "change", "delete", "view", "choose")

    def get_queryset(self, model, object_ids):
        policy = policy_registry.get_by_type(model)
        handled = policy.instances_user_has_any_permission_for(self.request.user, self.ANY_RIGHT)
        return get_list_or_404(handled, pk__in=object_ids)


def _handling_only_permitted(action_class, models):
    return type(
        f"Forum{action_class.__name__}",
        (OnlyObjectsTheUserMayHandle, action_class),
        {"models": models, "__module__": __name__},
    )


# Registered after Wagtail's own (order), which they replace for these models.
for action_class, models in (
    (SnippetDeleteBulkAction, [viewset.model for viewset in ForumViewSetGroup.items]),
    (DocumentDeleteBulkAction, [get_document_model()]),
    (AddTagsBulkAction, [get_document_model()]),
    (AddToCollectionBulkAction, [get_document_model()]),
):
    hooks.register(
        "register_bulk_action", _handling_only_permitted(action_class, models), order=100
    )
