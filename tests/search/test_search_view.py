import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.search]


def titles(response):
    return [page.title for page in response.context["results"]]


def test_search_finds_public_pages_in_the_current_language(client):
    assert "Miks liituda?" in titles(client.get("/otsing/", {"q": "liituda"}))
    assert "Why join?" in titles(client.get("/en/otsing/", {"q": "join"}))
    assert "Why join?" not in titles(client.get("/otsing/", {"q": "join"}))


def test_search_leaves_out_unpublished_pages(client, make_article):
    make_article("Salajane kavand").unpublish()
    assert "Salajane kavand" not in titles(client.get("/otsing/", {"q": "kavand"}))


def test_empty_and_hostile_queries_are_answered(client):
    assert client.get("/otsing/").context.get("results_html") is None  # no query, no results
    for query in ("   ", "x" * 5000, '"', "AND OR NOT", "lapse*", "<script>"):
        response = client.get("/otsing/", {"q": query, "page": "abc"})
        assert response.status_code == 200
        assert b"<script>" not in response.content.split(b"</header>")[1]
