"""The search index locked or gone while members work: what they post is saved, the pages they
use keep working, search says when it cannot answer, and nothing is missing from the index
once it can be written again (the backlog of search.backends.whoosh.storage).

The lock is Whoosh's own write lock, held by a second writer as `update_index` or another
process would hold it; missing is the index directory removed."""

import os
import shutil

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.search.backends import get_search_backend

from forum.models import Issue, Theme
from search.backends.whoosh import storage

pytestmark = [pytest.mark.django_db, pytest.mark.search]


def raise_issue(client, title):
    return client.post(
        reverse("forum:issue_create"),
        {
            "title": title,
            "body": "Kirjeldus.",
            "theme": Theme.objects.get(slug="haridus").pk,
            "seen_similar": "1",
        },
    )


def search(client, query):
    return client.get("/otsing/", {"q": query})


def text(response):
    """The page as read, without the <mark> of matched words."""
    return strip_tags(response.content.decode())


@pytest.fixture
def issue_index():
    return get_search_backend().get_index_for_model(Issue)


def test_a_post_while_the_index_is_locked_is_saved_and_indexed_by_the_next_write(
    client, roles, issue_index, monkeypatch
):
    monkeypatch.setattr(storage, "WRITE_LOCK_TIMEOUT", 0.2)
    client.force_login(roles["liige"])
    holder = issue_index.open().writer()  # another writer holds the lock
    try:
        response = raise_issue(client, "Lukus indeksi mure")
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert page.status_code == 200 and "Lukus indeksi mure" in page.content.decode()
        assert "Lukus indeksi mure" in client.get(reverse("forum:issue_list")).content.decode()
        # Search still answers from the index as it was; the new issue is not in it yet.
        while_locked = search(client, "lukus indeksi")
        assert while_locked.status_code == 200
        assert "Lukus indeksi mure" not in text(while_locked)
    finally:
        holder.cancel()

    assert raise_issue(client, "Vaba indeksi mure").status_code == 302
    found = text(search(client, "indeksi mure"))
    assert "Lukus indeksi" in found and "Vaba indeksi" in found
    assert not os.path.exists(issue_index._backlog_path())


def test_an_edit_and_a_removal_in_the_backlog_end_as_the_database_has_them(
    client, roles, coordinator, issue_index, monkeypatch
):
    """The backlog keeps which objects, not what was written: each is indexed as it is when
    the backlog is taken in, so an order of failed writes cannot leave a stale document."""
    client.force_login(roles["liige"])
    raise_issue(client, "Muudetav mure")
    issue = Issue.objects.get(title="Muudetav mure")
    monkeypatch.setattr(storage, "WRITE_LOCK_TIMEOUT", 0.2)
    holder = issue_index.open().writer()
    try:
        edited = client.post(
            reverse("forum:issue_edit", args=[issue.pk]),
            {
                "title": "Ümbernimetatud mure",
                "body": "Kirjeldus.",
                "theme": issue.theme_id,
                "seen_similar": "1",
            },
        )
        assert edited.status_code == 302
        client.force_login(coordinator)
        hidden = client.post(
            reverse("forum:issue_hide", args=[issue.pk]), {"hide": "1", "reason": "Lapse andmed"}
        )
        assert hidden.status_code == 302
    finally:
        holder.cancel()

    client.force_login(roles["liige"])
    raise_issue(client, "Järgmine mure")  # the next write takes the backlog in
    client.force_login(coordinator)
    assert "Ümbernimetatud mure" in text(search(client, "ümbernimetatud"))
    client.force_login(roles["liige2"])  # of another organisation than the author's
    member_sees = text(search(client, "ümbernimetatud"))
    assert "Ümbernimetatud mure" not in member_sees and "Muudetav" not in member_sees


def test_with_the_index_gone_pages_work_posts_are_saved_and_search_says_so(client, roles):
    client.force_login(roles["liige"])
    shutil.rmtree(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"])

    unavailable = search(client, "koolibuss")
    assert unavailable.status_code == 503
    assert "Otsing ei ole praegu saadaval" in unavailable.content.decode()
    for url in ("/", reverse("forum:issue_list"), reverse("forum:topic_list")):
        assert client.get(url).status_code == 200, url
    response = raise_issue(client, "Indeksita mure")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_broken_backlog_entry_is_dropped_and_never_blocks_writing(
    client, roles, make_issue, issue_index, caplog
):
    waiting = make_issue("Ootav mure")  # indexed at once; the backlog says to index it again
    with open(issue_index._backlog_path(), "a", encoding="utf-8") as backlog:
        backlog.write('["forum.Gone", "1"]\n["forum.Issue", "12\n')  # a model gone, a line cut
        backlog.write(f'["forum.Issue", "{waiting.pk}"]\n')
    Issue.objects.filter(pk=waiting.pk).update(title="Ootav ja muudetud mure")

    client.force_login(roles["liige"])
    assert raise_issue(client, "Uus mure pärast katkist rida").status_code == 302
    found = text(search(client, "mure"))
    assert "Ootav ja muudetud mure" in found and "Uus mure pärast katkist rida" in found
    assert not os.path.exists(issue_index._backlog_path())
    assert "forum.Gone" in caplog.text and "Unreadable backlog entry" in caplog.text
