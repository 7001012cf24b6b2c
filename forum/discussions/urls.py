"""The discussions room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.discussions import knowledge_views, views

urlpatterns = [
    path("arutelud/", views.discussion_list, name="discussion_list"),
    path("arutelud/uus/", views.discussion_create, name="discussion_create"),
    path("arutelud/<id:pk>/", views.discussion_detail, name="discussion_detail"),
    path("arutelud/<id:pk>/muuda/", views.discussion_edit, name="discussion_edit"),
    path("arutelud/<id:pk>/vasta/", views.discussion_reply, name="discussion_reply"),
    path("arutelud/<id:pk>/parim/", views.discussion_accept, name="discussion_accept"),
    path("arutelud/<id:pk>/kasulik/", views.discussion_helpful, name="discussion_helpful"),
    path("arutelud/<id:pk>/jalgi/", views.discussion_follow, name="discussion_follow"),
    path("arutelud/<id:pk>/teavita/", views.discussion_flag, name="discussion_flag"),
    path("arutelud/<id:pk>/peida/", views.discussion_hide, name="discussion_hide"),
    path("arutelud/<id:pk>/lukusta/", views.discussion_lock, name="discussion_lock"),
    path("arutelud/<id:pk>/ajalugu/", views.discussion_history, name="discussion_history"),
    path("arutelud/vastus/<id:pk>/muuda/", views.reply_edit, name="reply_edit"),
    path("arutelud/vastus/<id:pk>/kustuta/", views.reply_delete, name="reply_delete"),
    path("arutelud/vastus/<id:pk>/kasulik/", views.reply_helpful, name="reply_helpful"),
    path("arutelud/vastus/<id:pk>/teavita/", views.reply_flag, name="reply_flag"),
    path("arutelud/vastus/<id:pk>/peida/", views.reply_hide, name="reply_hide"),
    path("koolitusvajadused/", knowledge_views.training_needs, name="training_needs"),
    path(
        "arutelud/<id:pk>/koolitus/",
        knowledge_views.discussion_event_draft,
        name="discussion_event_draft",
    ),
    path(
        "arutelud/<id:pk>/artikkel/",
        knowledge_views.discussion_article_draft,
        name="discussion_article_draft",
    ),
]
