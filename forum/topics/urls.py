"""The topics room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.topics import publishing_views, views

urlpatterns = [
    path("<id:pk>/eskaleeri/", views.issue_escalate, name="issue_escalate"),
    path("eskaleeri/", views.issues_escalate, name="issues_escalate"),
    path("teemad/", views.topic_list, name="topic_list"),
    path("teemad/uus/", views.topic_create, name="topic_create"),
    path("teemad/<id:pk>/", views.topic_detail, name="topic_detail"),
    path("teemad/<id:pk>/avalda/", publishing_views.topic_publish, name="topic_publish"),
    path("teemad/<id:pk>/avalik/", publishing_views.topic_public, name="topic_public"),
    path("teemad/<id:pk>/muuda/", views.topic_edit, name="topic_edit"),
    path("teemad/<id:pk>/staatus/", views.topic_transition, name="topic_transition"),
    path("teemad/<id:pk>/seisukoht/", views.topic_position, name="topic_position"),
    path("teemad/<id:pk>/tooruhm/", views.topic_join, name="topic_join"),
    path("teemad/<id:pk>/kommenteeri/", views.topic_comment, name="topic_comment"),
    path("teemad/<id:pk>/allkiri/", views.topic_sign, name="topic_sign"),
    path(
        "teemad/<id:pk>/eemalda/<id:issue_pk>/",
        views.topic_unlink,
        name="topic_unlink",
    ),
]
