"""The moderation room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

import forum.core.converters  # noqa: F401 (registers <id:…>)
from forum.moderation import overview_views, views

urlpatterns = [
    path(localized("labivaatus/"), views.triage, name="triage"),
    path(localized("labivaatus/koos/"), views.issues_triage, name="issues_triage"),
    path(localized("ulevaade/"), overview_views.overview, name="overview"),
    path(
        localized("ulevaade/eksport/<str:kind>.<str:fmt>"),
        overview_views.overview_export,
        name="overview_export",
    ),
    path(localized("sildid/"), views.tag_list, name="tags"),
    path(localized("teavitus/<id:pk>/lahenda/"), views.flag_dismiss, name="flag_dismiss"),
]
