"""The inbox room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.inbox import views

urlpatterns = [
    path("profiil/", views.profile, name="profile"),
    path("teated/", views.notification_list, name="notifications"),
    path("jalgimine/", views.subject_follow, name="subject_follow"),
    path(
        "jalgimine/<id:pk>/lopeta/",
        views.subject_unfollow,
        name="subject_unfollow",
    ),
    path("loobu/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
