"""The personal data room's addresses, part of the forum's URL namespace (forum/urls.py)."""

from django.urls import path
from koda.english_paths import localized

from forum.personal_data import views

urlpatterns = [
    path(
        localized("profiil/minu-andmed.json"),
        views.personal_data_json,
        name="personal_data_json",
    ),
    path(
        localized("profiil/minu-andmed.html"),
        views.personal_data_html,
        name="personal_data_html",
    ),
    path(
        localized("profiil/minu-andmed.zip"),
        views.personal_data_zip,
        name="personal_data_zip",
    ),
    path(localized("profiil/kustuta/"), views.account_erase, name="account_erase"),
]
