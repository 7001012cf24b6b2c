"""`<id:pk>`: Django's `<int:pk>` for database ids, which are at most 2**63 - 1. A longer number
matched `int` and reached the database, where SQLite cannot hold it (OverflowError: a 500);
here it matches no URL (404). Registered when imported: every urls module that takes an id
imports this first (tests/security/test_ids_in_urls.py proves no `int` is left)."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
