"""The topics room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.topics import publishing_views, views

urlpatterns = [
    path(localized("<id:pk>/eskaleeri/"), views.issue_escalate, name="issue_escalate"),
    path(localized("eskaleeri/"), views.issues_escalate, name="issues_escalate"),
    path(localized("teemad/"), views.topic_list, name="topic_list"),
    path(localized("teemad/uus/"), views.topic_create, name="topic_create"),
    path(localized("teemad/<id:pk>/"), views.topic_detail, name="topic_detail"),
    path(localized("teemad/<id:pk>/avalda/"), publishing_views.topic_publish, name="topic_publish"),
    path(localized("teemad/<id:pk>/avalik/"), publishing_views.topic_public, name="topic_public"),
    path(localized("teemad/<id:pk>/muuda/"), views.topic_edit, name="topic_edit"),
    path(localized("teemad/<id:pk>/staatus/"), views.topic_transition, name="topic_transition"),
    path(localized("teemad/<id:pk>/seisukoht/"), views.topic_position, name="topic_position"),
    path(localized("teemad/<id:pk>/tooruhm/"), views.topic_join, name="topic_join"),
    path(localized("teemad/<id:pk>/kommenteeri/"), views.topic_comment, name="topic_comment"),
    path(localized("teemad/<id:pk>/allkiri/"), views.topic_sign, name="topic_sign"),
    path(
        localized("teemad/<id:pk>/eemalda/<id:issue_pk>/"),
        views.topic_unlink,
        name="topic_unlink",
    ),
]
