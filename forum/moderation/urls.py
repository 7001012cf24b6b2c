"""The moderation room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.moderation import overview_views, views

urlpatterns = [
    path("labivaatus/", views.triage, name="triage"),
    path("ulevaade/", overview_views.overview, name="overview"),
    path(
        "ulevaade/eksport/<str:kind>.<str:fmt>",
        overview_views.overview_export,
        name="overview_export",
    ),
    path("sildid/", views.tag_list, name="tags"),
    path("teavitus/<id:pk>/lahenda/", views.flag_dismiss, name="flag_dismiss"),
]
