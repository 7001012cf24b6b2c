"""Issue 18: the editors' document search in the admin and in the chooser answered 500 (the
forum collection's filter could not run inside a search). Both answer, and neither lists the
forum's attachments."""

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.models import Collection

from forum.discussions.attachments import forum_collection
from tests.forum.test_bad_input import JUNK, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(db):
    Document = get_document_model()
    public = Document.objects.create(
        title="Aastaaruanne avalik",
        file=ContentFile(b"Aruanne.", name="aruanne.txt"),
        collection=Collection.get_first_root_node(),
    )
    private = Document.objects.create(
        title="Aastaaruanne foorumist",
        file=ContentFile(b"Lisa.", name="lisa.txt"),
        collection=forum_collection(),
    )
    return public, private


@pytest.mark.search
@pytest.mark.parametrize(
    "url", ["/admin/documents/?q=aastaaruanne", "/admin/documents/chooser/results/?q=aastaaruanne"]
)
def test_an_editors_document_search_answers_without_the_forums_files(
    client, editor, documents, url
):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aastaaruanne avalik" in page
    assert "Aastaaruanne foorumist" not in page


@pytest.mark.search
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    url=st.sampled_from(["/admin/documents/", "/admin/documents/chooser/results/"]),
    query=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(("q", "collection_id", "ordering", "p", "tag"), JUNK),
    ),
)
@example(url="/admin/documents/", query={"q": "aastaaruanne"})
@example(url="/admin/documents/chooser/results/", query={"q": "aastaaruanne", "collection_id": "2"})
def test_any_document_search_answers_an_editor_without_the_forums_files(
    client, editor, documents, url, query
):
    response = send(client, url, query, method="get")
    assert response.status_code in (200, 302, 400, 404)
    assert "Aastaaruanne foorumist" not in response.content.decode()
