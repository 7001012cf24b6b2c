import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.search]


def titles(response):
    return [hit["object"].title for hit in response.context["hits"]]


def test_search_finds_public_pages_in_the_current_language(client):
    assert "Miks liituda?" in titles(client.get("/otsing/", {"q": "liituda"}))
    assert "Why join?" in titles(client.get("/en/search/", {"q": "join"}))
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


def test_query_words_are_deduplicated_and_capped(client):
    """Issue 19: 100 short words cost seconds. A word counts once, whatever its case; at most
    12 different words are searched for, and the page says the rest were left out."""
    from search.views import MAX_WORDS, _words

    assert _words("Liituda liituda LIITUDA miks") == ("Liituda miks", 0)
    many = " ".join(f"sõna{n}" for n in range(20))
    words, left_out = _words(many)
    assert words.split() == [f"sõna{n}" for n in range(MAX_WORDS)] and left_out == 8
    response = client.get("/otsing/", {"q": "liituda Liituda " * 3 + many})
    assert response.status_code == 200
    page = response.content.decode()
    # 21 different words: 12 searched, 9 left out.
    assert "esimese 12 erineva sõna järgi; 9 sõna jäi välja" in page
    assert response.context["words_left_out"] == 9


def test_the_backend_answers_any_word(client):
    """Issue 19: suggest(model, "") raised IndexError, and so did a fuzzy query on a character
    that folding removes."""
    from modelsearch.query import Fuzzy
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for word in ("", " ", "\u0301", "ˇ", "_", "x", "a\u0301"):
        assert backend.suggest(Page, word) is None or backend.suggest(Page, word).strip()
        assert list(backend.search(Fuzzy(word), Page.objects.all())) is not None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.one_of(
        st.text(max_size=60),
        st.lists(st.text(st.characters(categories=["L", "Mn", "Nd"]), max_size=4), max_size=40).map(
            " ".join
        ),
    )
)
@example(query="")
@example(query="\u0301")
@example(query=" ".join("a" * n for n in range(1, 60)))
def test_any_query_is_answered_by_the_page_the_suggestions_and_the_backend(client, roles, query):
    from modelsearch.query import Fuzzy
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    client.force_login(roles["liige"])
    assert client.get("/otsing/", {"q": query}).status_code == 200
    assert client.get("/otsing/soovitused/", {"q": query}).status_code == 200
    backend = get_search_backend()
    backend.suggest(Page, query)
    list(backend.search(Fuzzy(query), Page.objects.all())[:5])
