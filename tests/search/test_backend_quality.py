"""The blind labelled set (data/README.md) through the site search's own path, a backend's
search with the operator "and", on every backend that has the Estonian analysis: Whoosh, and
on PostgreSQL modelsearch's PostgreSQL backend fed the same terms (search/backends/postgres.py),
whose figures must be within 0.05 of Whoosh's."""

import pytest
from django.db import connection
from django.utils.module_loading import import_string
from wagtail.search.backends import get_search_backend

from forum.members.permissions import member_organizations
from forum.models import Issue, Theme

from . import blind
from .test_blind_set import BUDGETS

pytestmark = [pytest.mark.django_db, pytest.mark.search]

MEASURES = [(kind, measure) for kind in blind.CLASSES for measure in ("recall", "precision")]


@pytest.fixture
def blind_issues(make_member):
    """The set's documents as issues of a theme of their own (the search can filter by it)."""
    author = make_member()
    theme = Theme.objects.create(name="Pimekatse", name_en="Blind test", slug="pimekatse")
    issues = Issue.objects.bulk_create(
        Issue(
            title=row["title"],
            body=row["body"],
            body_html=row["body"],
            author=author,
            organization=member_organizations(author)[0],
            theme=theme,
        )
        for row in blind.rows()
    )
    return theme, {issue.pk: row["id"] for issue, row in zip(issues, blind.rows(), strict=True)}


def figures(backend, blind_issues) -> dict:
    theme, blind_issues = blind_issues
    queryset = Issue.objects.filter(theme=theme)
    backend.add_bulk(Issue, list(queryset))

    def search(_searcher, text):
        found = backend.search(text, queryset, operator="and")
        return {blind_issues[issue.pk] for issue in found}

    return blind.evaluate(None, search)


def test_the_site_search_meets_the_budgets_on_every_backend(blind_issues):
    whoosh = figures(get_search_backend(), blind_issues)
    for (kind, measure), least in BUDGETS.items():
        assert whoosh[kind][measure] >= least, (kind, measure, whoosh[kind])
    if connection.vendor != "postgresql":
        return
    postgres = import_string("search.backends.postgres.SearchBackend")({})
    on_postgres = figures(postgres, blind_issues)
    for kind in (*blind.CLASSES, "all"):
        for measure in ("recall", "precision"):
            assert abs(on_postgres[kind][measure] - whoosh[kind][measure]) <= 0.05, (
                kind,
                measure,
                on_postgres[kind],
                whoosh[kind],
            )
