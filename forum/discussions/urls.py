"""The discussions room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

from forum.discussions import knowledge_views, views

urlpatterns = [
    path("arutelud/", views.discussion_list, name="discussion_list"),
    path("arutelud/uus/", views.discussion_create, name="discussion_create"),
    path("arutelud/<int:pk>/", views.discussion_detail, name="discussion_detail"),
    path("arutelud/<int:pk>/muuda/", views.discussion_edit, name="discussion_edit"),
    path("arutelud/<int:pk>/vasta/", views.discussion_reply, name="discussion_reply"),
    path("arutelud/<int:pk>/parim/", views.discussion_accept, name="discussion_accept"),
    path("arutelud/<int:pk>/kasulik/", views.discussion_helpful, name="discussion_helpful"),
    path("arutelud/<int:pk>/jalgi/", views.discussion_follow, name="discussion_follow"),
    path("arutelud/<int:pk>/teavita/", views.discussion_flag, name="discussion_flag"),
    path("arutelud/<int:pk>/peida/", views.discussion_hide, name="discussion_hide"),
    path("arutelud/<int:pk>/lukusta/", views.discussion_lock, name="discussion_lock"),
    path("arutelud/<int:pk>/ajalugu/", views.discussion_history, name="discussion_history"),
    path("arutelud/vastus/<int:pk>/muuda/", views.reply_edit, name="reply_edit"),
    path("arutelud/vastus/<int:pk>/kustuta/", views.reply_delete, name="reply_delete"),
    path("arutelud/vastus/<int:pk>/kasulik/", views.reply_helpful, name="reply_helpful"),
    path("arutelud/vastus/<int:pk>/teavita/", views.reply_flag, name="reply_flag"),
    path("arutelud/vastus/<int:pk>/peida/", views.reply_hide, name="reply_hide"),
    path("koolitusvajadused/", knowledge_views.training_needs, name="training_needs"),
    path(
        "arutelud/<int:pk>/koolitus/",
        knowledge_views.discussion_event_draft,
        name="discussion_event_draft",
    ),
    path(
        "arutelud/<int:pk>/artikkel/",
        knowledge_views.discussion_article_draft,
        name="discussion_article_draft",
    ),
]
