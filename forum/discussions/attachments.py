"""Documents attached to discussions: stored as Wagtail documents in the forum's private
collection and served to members only (the `before_serve_document` hook in wagtail_hooks.py,
Wagtail's serve view, never /media/); in Wagtail's admin, out of reach of everyone but the
coordinators. What a file may contain is decided before, by the reader (forum.core.documents)."""

import os

from django.db import IntegrityError, transaction
from django.db.models import Q
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from forum.core.documents import FORUM_COLLECTION_NAME
from forum.core.privacy import shorten
from forum.discussions.models import DiscussionDocument
from forum.members.permissions import is_coordinator


def _in_forum_collection() -> Q:
    # The forum collection is the root's child of that name (see forum_collection). By its id:
    # a search filters only on the document's own indexed fields (its collection), never on the
    # collection's name or depth (FilterFieldError, a 500 on the editors' document search).
    forum = Collection.objects.filter(name=FORUM_COLLECTION_NAME, depth=2)
    return Q(collection__in=list(forum.values_list("pk", flat=True)))


class ForumDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for documents, except that the forum's attachments are out of reach in
    the admin for everyone but coordinators: editors' rights on the root collection would
    otherwise cover the forum collection below it (list, choose, edit, delete, upload into)."""

    def _hide_forum(self, user) -> bool:
        return not is_coordinator(user)

    def instances_user_has_any_permission_for(self, user, actions):
        documents = super().instances_user_has_any_permission_for(user, actions)
        return documents.exclude(_in_forum_collection()) if self._hide_forum(user) else documents

    def user_has_any_permission_for_instance(self, user, actions, instance):
        collection = instance.collection
        in_forum = collection.name == FORUM_COLLECTION_NAME and collection.depth == 2
        if in_forum and self._hide_forum(user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def collections_user_has_any_permission_for(self, user, actions):
        collections = super().collections_user_has_any_permission_for(user, actions)
        if self._hide_forum(user):
            collections = collections.exclude(name=FORUM_COLLECTION_NAME, depth=2)
        return collections


def document_permission_policy():
    from wagtail.documents import get_document_model_string

    return ForumDocumentPermissionPolicy(
        get_document_model_string(),
        auth_model="wagtaildocs.Document",
        owner_field_name="uploaded_by_user",
    )


def forum_collection():
    """The private collection under the root that holds every forum attachment, signed-in
    readers only (a LOGIN restriction: Wagtail itself sends visitors to sign in); which
    members may read a file is decided by the before_serve_document hook."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=FORUM_COLLECTION_NAME).first()
    if collection is None:
        try:
            with transaction.atomic():
                collection = root.add_child(instance=Collection(name=FORUM_COLLECTION_NAME))
        except IntegrityError:
            # Another request created it at the same moment (the tree path is unique).
            collection = root.get_children().get(name=FORUM_COLLECTION_NAME)
    if not CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=BaseViewRestriction.LOGIN
    ).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.LOGIN
        )
    return collection


def attach_documents(*, discussion, files, user) -> list:
    """Store accepted uploads (AttachmentField's list) as documents of `discussion`. Call inside
    the service's transaction: a failure stores none of them."""
    if not files:
        return []
    from wagtail.documents import get_document_model

    Document = get_document_model()
    collection = forum_collection()
    attachments = []
    for upload in files:
        upload.seek(0)
        title = os.path.splitext(os.path.basename(upload.name))[0] or upload.name
        document = Document(
            title=shorten(title, 255, ellipsis=""),
            file=upload,
            collection=collection,
            uploaded_by_user=user,
        )
        document._set_document_file_metadata()
        document.save()
        attachments.append(
            DiscussionDocument.objects.create(
                discussion=discussion, document=document, uploaded_by=user
            )
        )
    return attachments
