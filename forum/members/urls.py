"""The members room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.members import views

urlpatterns = [
    path("kutse/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("organisatsioon/<slug:slug>/", views.organization_manage, name="organization_manage"),
    path(
        "organisatsioon/<slug:slug>/kutsu/",
        views.organization_invite,
        name="organization_invite",
    ),
    path(
        "organisatsioon/<slug:slug>/inimene/<id:pk>/",
        views.membership_toggle,
        name="membership_toggle",
    ),
    path("avaldused/", views.applications, name="applications"),
    path("avaldused/<id:pk>/", views.application_decide, name="application_decide"),
]
