"""The members room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.members import views

urlpatterns = [
    path(localized("kutse/<str:token>/"), views.accept_invitation, name="accept_invitation"),
    path(
        localized("organisatsioon/<slug:slug>/"),
        views.organization_manage,
        name="organization_manage",
    ),
    path(
        localized("organisatsioon/<slug:slug>/kutsu/"),
        views.organization_invite,
        name="organization_invite",
    ),
    path(
        localized("organisatsioon/<slug:slug>/inimene/<id:pk>/"),
        views.membership_toggle,
        name="membership_toggle",
    ),
    path(localized("avaldused/"), views.applications, name="applications"),
    path(localized("avaldused/<id:pk>/"), views.application_decide, name="application_decide"),
]
