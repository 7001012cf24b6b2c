from django.urls import path

from . import account_views, overview_views, publishing_views, topic_views, views

app_name = "forum"

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
    path("<int:pk>/eskaleeri/", topic_views.issue_escalate, name="issue_escalate"),
    path("eskaleeri/", topic_views.issues_escalate, name="issues_escalate"),
    path("teemad/", topic_views.topic_list, name="topic_list"),
    path("teemad/uus/", topic_views.topic_create, name="topic_create"),
    path("teemad/<int:pk>/", topic_views.topic_detail, name="topic_detail"),
    path("teemad/<int:pk>/avalda/", publishing_views.topic_publish, name="topic_publish"),
    path("teemad/<int:pk>/avalik/", publishing_views.topic_public, name="topic_public"),
    path("teemad/<int:pk>/muuda/", topic_views.topic_edit, name="topic_edit"),
    path("teemad/<int:pk>/staatus/", topic_views.topic_transition, name="topic_transition"),
    path("teemad/<int:pk>/seisukoht/", topic_views.topic_position, name="topic_position"),
    path("teemad/<int:pk>/tooruhm/", topic_views.topic_join, name="topic_join"),
    path("teemad/<int:pk>/kommenteeri/", topic_views.topic_comment, name="topic_comment"),
    path("teemad/<int:pk>/allkiri/", topic_views.topic_sign, name="topic_sign"),
    path(
        "teemad/<int:pk>/eemalda/<int:issue_pk>/",
        topic_views.topic_unlink,
        name="topic_unlink",
    ),
    path("kommentaar/<int:pk>/muuda/", views.comment_edit, name="comment_edit"),
    path("kommentaar/<int:pk>/kustuta/", views.comment_delete, name="comment_delete"),
    path("kommentaar/<int:pk>/peida/", views.comment_hide, name="comment_hide"),
    path("labivaatus/", views.triage, name="triage"),
    path("ulevaade/", overview_views.overview, name="overview"),
    path(
        "ulevaade/eksport/<str:kind>.<str:fmt>",
        overview_views.overview_export,
        name="overview_export",
    ),
    path("sildid/", views.tag_list, name="tags"),
    path("teavitus/<int:pk>/lahenda/", views.flag_dismiss, name="flag_dismiss"),
    path("teated/", views.notification_list, name="notifications"),
    path("profiil/", account_views.profile, name="profile"),
    path("kutse/<str:token>/", account_views.accept_invitation, name="accept_invitation"),
    path(
        "organisatsioon/<slug:slug>/", account_views.organization_manage, name="organization_manage"
    ),
    path(
        "organisatsioon/<slug:slug>/kutsu/",
        account_views.organization_invite,
        name="organization_invite",
    ),
    path(
        "organisatsioon/<slug:slug>/inimene/<int:pk>/",
        account_views.membership_toggle,
        name="membership_toggle",
    ),
    path("avaldused/", account_views.applications, name="applications"),
    path("avaldused/<int:pk>/", account_views.application_decide, name="application_decide"),
]
