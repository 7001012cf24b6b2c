"""The inbox room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.inbox import views

urlpatterns = [
    path(localized("profiil/"), views.profile, name="profile"),
    path(localized("teated/"), views.notification_list, name="notifications"),
    path(localized("jalgimine/"), views.subject_follow, name="subject_follow"),
    path(
        localized("jalgimine/<id:pk>/lopeta/"),
        views.subject_unfollow,
        name="subject_unfollow",
    ),
    path(localized("loobu/<str:token>/"), views.unsubscribe_view, name="unsubscribe"),
]
