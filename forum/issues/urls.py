"""The issues room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.issues import views

urlpatterns = [
    path("", views.issue_list, name="issue_list"),
    path("uus/", views.issue_create, name="issue_create"),
    path("silt/<str:tag>/", views.issue_list, name="tag"),
    path("<id:pk>/", views.issue_detail, name="issue_detail"),
    path("<id:pk>/muuda/", views.issue_edit, name="issue_edit"),
    path("<id:pk>/meil-ka/", views.issue_support, name="issue_support"),
    path(
        "<id:pk>/meil-ka/<slug:organization>/tagasi/",
        views.issue_support_withdraw,
        name="issue_support_withdraw",
    ),
    path("<id:pk>/kommenteeri/", views.issue_comment, name="issue_comment"),
    path("<id:pk>/jalgi/", views.issue_follow, name="issue_follow"),
    path("<id:pk>/teavita/", views.issue_flag, name="issue_flag"),
    path("<id:pk>/staatus/", views.issue_status, name="issue_status"),
    path("<id:pk>/duplikaat/", views.issue_merge, name="issue_merge"),
    path("<id:pk>/peida/", views.issue_hide, name="issue_hide"),
    path("<id:pk>/lukusta/", views.issue_lock, name="issue_lock"),
    path("<id:pk>/ajalugu/", views.issue_history, name="issue_history"),
    path("kommentaar/<id:pk>/muuda/", views.comment_edit, name="comment_edit"),
    path("kommentaar/<id:pk>/kustuta/", views.comment_delete, name="comment_delete"),
    path("kommentaar/<id:pk>/peida/", views.comment_hide, name="comment_hide"),
]
