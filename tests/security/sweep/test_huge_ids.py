"""Ids beyond what the database holds: every forum URL, with each of its number arguments
replaced by 2**63 or 10**20, is answered (404), never a 500 (red team, issue 18: the topic's
"unlink" answered OverflowError on SQLite). The rule sits in one converter (`<id:…>`,
forum/core/converters.py); the first test proves no project URL takes a plain `int`."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from cms.models import TopicIndexPage
from forum.core.converters import IdConverter

from .test_permission_matrix import REQUESTS

pytestmark = pytest.mark.django_db

PROJECT = ("forum", "cms", "search", "koda")


def _patterns(patterns, route=""):
    """(route, pattern) of every URL; under /admin/ the patterns are Wagtail's (an admin API
    viewset of the forum's included), whose ids were tried at 20 digits by the red team."""
    for pattern in patterns:
        here = route + str(pattern.pattern)
        if here.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, here)
        elif isinstance(pattern, URLPattern):
            yield pattern


def _plain_ints(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", {})
    return [
        name
        for name, converter in converters.items()
        if isinstance(converter, IntConverter) and not isinstance(converter, IdConverter)
    ]


def test_no_project_url_takes_a_plain_int():
    ours = [
        p for p in _patterns(get_resolver().url_patterns)
        if getattr(p.callback, "__module__", "").startswith(PROJECT)
    ]  # fmt: skip
    assert len(ours) > 60
    offending = [str(p.pattern) for p in ours if _plain_ints(p)]
    routes = TopicIndexPage().get_subpage_urls()
    offending += [str(p.pattern) for p in routes if _plain_ints(p)]
    assert not offending, f"use <id:…> for database ids: {offending}"
    assert any(isinstance(c, IdConverter) for p in routes for c in p.pattern.converters.values())


HUGE = (2**63, 10**20)


def _cases():
    for name, (_method, arguments, _data) in REQUESTS.items():
        for position, _argument in enumerate(arguments):
            yield pytest.param(name, position, id=f"{name}-{position}")


@pytest.mark.parametrize(("name", "position"), list(_cases()))
def test_a_huge_id_is_not_found(client, world, name, position):
    method, arguments, data = REQUESTS[name]
    values = [getattr(world, a) for a in arguments]
    if not isinstance(values[position], int):
        return  # a slug or token: no number to overflow
    client.force_login(world.users["koordinaator"])
    for huge in HUGE:
        # reverse() refuses what the converter does not match: the number goes in afterwards.
        marker = 987654321987654321
        args = [*values[:position], marker, *values[position + 1 :]]
        path = reverse(f"forum:{name}", args=args).replace(str(marker), str(huge))
        response = client.post(path, data) if method == "POST" else client.get(path)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
