"""The issues room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

from forum.issues import views

urlpatterns = [
    path("", views.issue_list, name="issue_list"),
    path("uus/", views.issue_create, name="issue_create"),
    path("silt/<str:tag>/", views.issue_list, name="tag"),
    path("<int:pk>/", views.issue_detail, name="issue_detail"),
    path("<int:pk>/muuda/", views.issue_edit, name="issue_edit"),
    path("<int:pk>/meil-ka/", views.issue_support, name="issue_support"),
    path(
        "<int:pk>/meil-ka/<slug:organization>/tagasi/",
        views.issue_support_withdraw,
        name="issue_support_withdraw",
    ),
    path("<int:pk>/kommenteeri/", views.issue_comment, name="issue_comment"),
    path("<int:pk>/jalgi/", views.issue_follow, name="issue_follow"),
    path("<int:pk>/teavita/", views.issue_flag, name="issue_flag"),
    path("<int:pk>/staatus/", views.issue_status, name="issue_status"),
    path("<int:pk>/duplikaat/", views.issue_merge, name="issue_merge"),
    path("<int:pk>/peida/", views.issue_hide, name="issue_hide"),
    path("<int:pk>/lukusta/", views.issue_lock, name="issue_lock"),
    path("<int:pk>/ajalugu/", views.issue_history, name="issue_history"),
    path("kommentaar/<int:pk>/muuda/", views.comment_edit, name="comment_edit"),
    path("kommentaar/<int:pk>/kustuta/", views.comment_delete, name="comment_delete"),
    path("kommentaar/<int:pk>/peida/", views.comment_hide, name="comment_hide"),
]
