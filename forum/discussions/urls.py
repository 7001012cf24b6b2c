"""The discussions room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.discussions import knowledge_views, views

urlpatterns = [
    path(localized("arutelud/"), views.discussion_list, name="discussion_list"),
    path(localized("arutelud/uus/"), views.discussion_create, name="discussion_create"),
    path(localized("arutelud/<id:pk>/"), views.discussion_detail, name="discussion_detail"),
    path(localized("arutelud/<id:pk>/muuda/"), views.discussion_edit, name="discussion_edit"),
    path(localized("arutelud/<id:pk>/vasta/"), views.discussion_reply, name="discussion_reply"),
    path(localized("arutelud/<id:pk>/parim/"), views.discussion_accept, name="discussion_accept"),
    path(
        localized("arutelud/<id:pk>/kasulik/"), views.discussion_helpful, name="discussion_helpful"
    ),
    path(localized("arutelud/<id:pk>/jalgi/"), views.discussion_follow, name="discussion_follow"),
    path(localized("arutelud/<id:pk>/teavita/"), views.discussion_flag, name="discussion_flag"),
    path(localized("arutelud/<id:pk>/peida/"), views.discussion_hide, name="discussion_hide"),
    path(localized("arutelud/<id:pk>/lukusta/"), views.discussion_lock, name="discussion_lock"),
    path(
        localized("arutelud/<id:pk>/ajalugu/"), views.discussion_history, name="discussion_history"
    ),
    path(localized("arutelud/vastus/<id:pk>/muuda/"), views.reply_edit, name="reply_edit"),
    path(localized("arutelud/vastus/<id:pk>/kustuta/"), views.reply_delete, name="reply_delete"),
    path(localized("arutelud/vastus/<id:pk>/kasulik/"), views.reply_helpful, name="reply_helpful"),
    path(localized("arutelud/vastus/<id:pk>/teavita/"), views.reply_flag, name="reply_flag"),
    path(localized("arutelud/vastus/<id:pk>/peida/"), views.reply_hide, name="reply_hide"),
    path(localized("koolitusvajadused/"), knowledge_views.training_needs, name="training_needs"),
    path(
        localized("arutelud/<id:pk>/koolitus/"),
        knowledge_views.discussion_event_draft,
        name="discussion_event_draft",
    ),
    path(
        localized("arutelud/<id:pk>/artikkel/"),
        knowledge_views.discussion_article_draft,
        name="discussion_article_draft",
    ),
]
