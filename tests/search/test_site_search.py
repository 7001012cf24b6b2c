"""The site search as its readers use it: what each role finds, counts, facets, marked words,
suggestions, and what happens when the index is gone. Each test runs on the Whoosh backend and
on modelsearch's database backend unless it is about Whoosh itself."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from forum.models import County, Theme
from forum.services import add_comment, delete_comment, hide_issue

pytestmark = [pytest.mark.django_db, pytest.mark.search]

SECRET = "Salajõe külas puudub koolibuss"


def search(client, q, **params):
    return client.get("/otsing/", {"q": q, **params})


def titles(response):
    return [str(hit["title"]) for hit in response.context["hits"]]


def counts(response):
    return {t["key"]: t["count"] for t in response.context["types"]}


@pytest.fixture
def member_issue(make_issue, roles):
    return make_issue(SECRET, body="Salajõe lapsed kõnnivad koolini viis kilomeetrit.")


def test_visitors_find_nothing_of_the_members_issues(client, search_backend, member_issue):
    response = search(client, "Salajõe")
    assert counts(response) == {"page": 0, "topic": 0, "organization": 0}
    assert response.context["results"].paginator.count == 0
    assert "Salajõe" not in response.content.decode().split("</header>")[1].replace(
        'value="Salajõe"', ""
    )
    # Asking for issues by name changes nothing.
    assert counts(search(client, "Salajõe", type="issue")) == {
        "page": 0,
        "topic": 0,
        "organization": 0,
    }


def test_members_find_issues(client, search_backend, roles, make_issue):
    make_issue("Lasteaias on rühmad ülerahvastatud")
    client.force_login(roles["liige"])
    response = search(client, "ülerahvastatud", type="issue")
    assert titles(response) == ["Lasteaias on rühmad <mark>ülerahvastatud</mark>"]
    assert counts(response) == {
        "page": 0,
        "topic": 0,
        "organization": 0,
        "issue": 1,
        "comment": 0,
        "discussion": 0,
        "reply": 0,
    }


def test_members_find_issues_by_word_forms_and_place(client, roles, make_issue, harjumaa):
    make_issue("Lasteaias on rühmad ülerahvastatud", county=harjumaa)
    client.force_login(roles["liige"])
    response = search(client, "lasteaed", type="issue")
    assert titles(response) == ["<mark>Lasteaias</mark> on rühmad ülerahvastatud"]
    # The county by the name people use, in the form they type it.
    assert counts(search(client, "Harjumaal lasteaed")) == {
        "page": 0,
        "topic": 0,
        "organization": 0,
        "issue": 1,
        "comment": 0,
        "discussion": 0,
        "reply": 0,
    }


def test_hidden_issues_and_their_comments_only_for_coordinators(
    client, search_backend, roles, member_issue
):
    add_comment(author=roles["liige2"], issue=member_issue, body="Salajõe buss on meilgi mure.")
    hide_issue(moderator=roles["koordinaator"], issue=member_issue, reason="Isikuandmed")
    client.force_login(roles["liige"])
    assert counts(search(client, "Salajõe")) == {
        "page": 0,
        "topic": 0,
        "organization": 0,
        "issue": 0,
        "comment": 0,
        "discussion": 0,
        "reply": 0,
    }
    client.force_login(roles["koordinaator"])
    assert counts(search(client, "Salajõe")) == {
        "page": 0,
        "topic": 0,
        "organization": 0,
        "issue": 1,
        "comment": 1,
        "discussion": 0,
        "reply": 0,
    }


def test_deleted_comments_are_not_found(client, search_backend, roles, member_issue):
    comment = add_comment(author=roles["liige"], issue=member_issue, body="Tõstke bussipeatus.")
    client.force_login(roles["liige"])
    assert counts(search(client, "bussipeatus"))["comment"] == 1
    delete_comment(user=roles["liige"], comment=comment)
    assert counts(search(client, "bussipeatus"))["comment"] == 0


def test_facets_count_and_narrow_the_issues(client, search_backend, roles, make_issue):
    harju = County.objects.get(slug="harjumaa")
    tartu = County.objects.get(slug="tartumaa")
    make_issue("Mänguväljak on katki", county=harju, tags=["mänguväljak"])
    make_issue("Mänguväljak puudub", county=harju)
    make_issue("Mänguväljak on lukus", county=tartu, theme=Theme.objects.get(slug="huvitegevus"))
    client.force_login(roles["liige"])

    response = search(client, "mänguväljak", type="issue")
    facets = {f["facet"].name: f for f in response.context["facets"]}
    county_counts = {str(v["label"]): v["count"] for v in facets["county"]["values"]}
    assert county_counts == {"Harju maakond": 2, "Tartu maakond": 1}
    assert [str(v["label"]) for v in facets["tag"]["values"]] == ["mänguväljak"]

    narrowed = search(client, "mänguväljak", type="issue", county=harju.pk)
    assert narrowed.context["results"].paginator.count == 2
    assert sorted(titles(narrowed)) == [
        "<mark>Mänguväljak</mark> on katki",
        "<mark>Mänguväljak</mark> puudub",
    ]
    # Links keep the query and the other selections.
    theme = next(iter(facets["theme"]["values"]))
    assert f"county={harju.pk}" in narrowed.context["facets"][1]["values"][0]["query"]
    assert theme["count"] >= 1


def test_snippets_mark_the_words_found(client, search_backend, make_article):
    make_article("Koolitee ohutus", lead="Iga laps vajab turvalist koolitee lõiku.")
    response = search(client, "turvalist")
    (hit,) = [h for h in response.context["hits"] if "Koolitee" in str(h["title"])]
    assert "<mark>turvalist</mark>" in hit["snippet"]
    assert "<mark>turvalist</mark>" in response.content.decode()


def test_the_page_escapes_what_it_marks(client, search_backend, make_article):
    make_article("Ohutus <script>", lead="Ohutus & <b>turvalisus</b> koolis.")
    body = search(client, "ohutus").content.decode().split("</header>")[1]
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body  # the title, escaped


def test_a_misspelt_word_finds_the_word_meant_and_the_page_offers_its_spelling(
    client, make_article
):
    make_article("Lastekaitse seadus", lead="Seadus kaitseb lapsi.")
    response = search(client, "lastekaitze")
    assert "<mark>Lastekaitse</mark> seadus" in titles(response)
    assert response.context["suggestion"] == "lastekaitse"
    assert 'href="?q=lastekaitse"' in response.content.decode()
    # A word the speller knows is not second-guessed, even where it finds nothing.
    assert search(client, "Lastekaitse").context["suggestion"] is None


def test_a_suggestion_from_the_index_when_nothing_is_found(client, make_article):
    # A made-up name: neither Vabamorf nor its speller knows it.
    make_article("Xqvorpi raamatukogu avati")
    response = search(client, "Xqvorpu")
    assert response.context["results"].paginator.count == 0
    assert response.context["suggestion"] == "xqvorpi"


def test_no_suggestion_from_words_the_reader_may_not_read(client, member_issue):
    response = search(client, "salajöe")
    assert response.context["suggestion"] is None


def test_autocomplete_suggests_titles_the_reader_may_read(
    client, search_backend, roles, member_issue, make_article
):
    make_article("Salajõe raamatukogu avati")
    results = json.loads(client.get("/otsing/soovitused/", {"q": "Salaj"}).content)["results"]
    assert [r["title"] for r in results] == ["Salajõe raamatukogu avati"]
    client.force_login(roles["liige"])
    results = json.loads(client.get("/otsing/soovitused/", {"q": "Salaj"}).content)["results"]
    assert {r["title"] for r in results} == {"Salajõe raamatukogu avati", SECRET}


def test_a_missing_index_makes_search_unavailable_and_update_index_restores_it(
    client, make_article
):
    make_article("Taastatav uudis")
    shutil.rmtree(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"])
    response = search(client, "taastatav")
    assert response.status_code == 503
    assert "Otsing ei ole praegu saadaval" in response.content.decode()
    assert client.get("/").status_code == 200  # the rest of the site works

    call_command("update_index", stdout=io.StringIO())
    assert "<mark>Taastatav</mark> uudis" in titles(search(client, "taastatav"))


def test_a_corrupt_index_makes_search_unavailable(client, make_article):
    make_article("Katkine indeks")
    root = Path(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"]) / "wagtailcore.page"
    generation = (root / "CURRENT").read_text()
    for f in (root / generation).iterdir():
        f.write_bytes(b"not an index")
    assert search(client, "katkine").status_code == 503


@pytest.mark.parametrize(
    ("who", "kind"), [("visitor", "page"), ("liige", "page"), ("liige", "issue")]
)
def test_the_search_page_runs_a_fixed_number_of_queries(
    client, search_backend, roles, make_issue, make_article, who, kind
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if who != "visitor":
        client.force_login(roles[who])

    def queries():
        search(client, "jalgratas", type=kind)  # warm the per-request caches alike
        with CaptureQueriesContext(connection) as captured:
            response = search(client, "jalgratas", type=kind)
        assert response.status_code == 200
        return len(captured), response.context["results"].paginator.count

    for n in range(2):
        make_issue(f"Jalgratas {n} ei mahu bussi", tags=[f"ratas{n}"])
        make_article(f"Jalgratas uudis {n}")
    few, found_few = queries()
    for n in range(2, 12):
        make_issue(f"Jalgratas {n} ei mahu bussi", tags=[f"ratas{n}"])
        make_article(f"Jalgratas uudis {n}")
    many, found_many = queries()
    assert found_many > found_few
    assert many == few


def test_a_page_made_private_leaves_the_search_at_once(client, search_backend, make_article):
    """The search remembers the site's private sections per process until a page changes
    (koda.generations): adding a view restriction is such a change."""
    from wagtail.models import PageViewRestriction

    article = make_article("Koolitee ohutus", lead="Iga laps vajab turvalist koolitee lõiku.")
    assert "Koolitee ohutus" in titles(search(client, "turvalist"))
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert "Koolitee ohutus" not in titles(search(client, "turvalist"))


def test_every_kind_in_one_list_by_relevance_with_the_kinds_as_filters(
    client, search_backend, roles, make_issue, make_article
):
    """Issue 20, defect 14: the search opened on the first kind with results, so a member
    looking for an issue's words saw a page or a topic and the issue waited behind its tab."""
    make_article("Koolitee ohutus", lead="Turvaline koolitee: ohutus algab kodu lähedalt.")
    for n in range(11):
        make_issue(f"Koolitee ohutus {n}", body="Koolitee ohutus on meie vallas probleem.")
    client.force_login(roles["liige"])
    response = search(client, "ohutus")
    assert response.context["selected_type"] == ""
    kinds = counts(response)
    assert kinds["issue"] == 11 and kinds["page"] >= 1
    total = sum(kinds.values())
    assert response.context["all"]["count"] == total
    first = response.context["hits"]
    assert {hit["noun"] for hit in first} >= {"mure"}  # the issues are not behind a tab
    second = search(client, "ohutus", page=2).context["hits"]
    pages = [hit["url"] for hit in first + second]
    assert len(pages) == len(set(pages)) == min(total, 20)
    html = response.content.decode()
    assert 'aria-current="page">Kõik' in html and "Mured <span" in html
    # A kind chosen: its results alone, with its facets.
    issues = search(client, "ohutus", type="issue")
    assert {hit["noun"] for hit in issues.context["hits"]} == {""}
    assert issues.context["results"].paginator.count == 11 and issues.context["facets"]


def test_the_list_of_every_kind_holds_each_kinds_best_and_says_so(
    client, search_backend, roles, make_issue, monkeypatch
):
    from search import views

    monkeypatch.setattr(views, "RANKED_PER_KIND", 5)
    for n in range(8):
        make_issue(f"Koolitee ohutus {n}", body="Koolitee ohutus on meie vallas probleem.")
    client.force_login(roles["liige"])
    response = search(client, "koolitee")
    issues = counts(response)["issue"]
    assert issues == 8
    listed = response.context["results"].paginator.count
    assert listed == sum(min(count, 5) for count in counts(response).values())
    assert "parimad" in response.content.decode()  # the page says that some are left out
    assert search(client, "koolitee", type="issue").context["results"].paginator.count == 8
