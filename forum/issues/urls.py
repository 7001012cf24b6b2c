"""The issues room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.issues import views

urlpatterns = [
    path(localized(""), views.issue_list, name="issue_list"),
    path(localized("kaart/"), views.issue_map, name="issue_map"),
    path(localized("uus/"), views.issue_create, name="issue_create"),
    path(localized("silt/<str:tag>/"), views.issue_list, name="tag"),
    path(localized("<id:pk>/"), views.issue_detail, name="issue_detail"),
    path(localized("<id:pk>/muuda/"), views.issue_edit, name="issue_edit"),
    path(localized("<id:pk>/meil-ka/"), views.issue_support, name="issue_support"),
    path(
        localized("<id:pk>/meil-ka/<slug:organization>/tagasi/"),
        views.issue_support_withdraw,
        name="issue_support_withdraw",
    ),
    path(localized("<id:pk>/kommenteeri/"), views.issue_comment, name="issue_comment"),
    path(localized("<id:pk>/jalgi/"), views.issue_follow, name="issue_follow"),
    path(localized("<id:pk>/teavita/"), views.issue_flag, name="issue_flag"),
    path(localized("<id:pk>/staatus/"), views.issue_status, name="issue_status"),
    path(localized("<id:pk>/duplikaat/"), views.issue_merge, name="issue_merge"),
    path(localized("<id:pk>/peida/"), views.issue_hide, name="issue_hide"),
    path(localized("<id:pk>/lukusta/"), views.issue_lock, name="issue_lock"),
    path(localized("<id:pk>/ajalugu/"), views.issue_history, name="issue_history"),
    path(localized("kommentaar/<id:pk>/muuda/"), views.comment_edit, name="comment_edit"),
    path(localized("kommentaar/<id:pk>/kustuta/"), views.comment_delete, name="comment_delete"),
    path(localized("kommentaar/<id:pk>/peida/"), views.comment_hide, name="comment_hide"),
]
