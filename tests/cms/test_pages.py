import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError

from cms.blocks import CallToActionBlock, ImageBlock
from cms.models import (
    ArticlePage,
    ArticleRelatedLink,
    EventPage,
    MemberDirectoryPage,
    Partner,
    StandardPage,
)
from forum.models import Organization

pytestmark = pytest.mark.django_db


def get(client, page_or_url, **params):
    url = page_or_url if isinstance(page_or_url, str) else page_or_url.url
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response


def test_home_page_shows_introduction_news_events_positions_and_call_to_join(client, home):
    html = get(client, "/").content.decode()
    assert "laste ja perede valdkonna ühenduste koostöövõrgustik" in html
    assert "Kojaga liitus kolm uut organisatsiooni" in html  # latest news
    assert "Koolitus: lapse kaasamine otsuste tegemisse" in html  # upcoming training
    assert "Sügisseminar: perede toetamine" not in html  # a past event is not upcoming
    assert "Koja seisukoht: lapse arvamus" in html  # published position
    assert 'href="/liitu/"' in html  # call to join


def test_home_page_lists_only_live_articles(client, make_article):
    draft = make_article("Mustand, mida ei tohi näha")
    draft.unpublish()
    assert "Mustand, mida ei tohi näha" not in get(client, "/").content.decode()


def test_standard_page_renders_every_body_block(client, home, make_image):
    image = make_image()
    page = StandardPage(
        title="Meie lugu",
        lead="Lühidalt meist.",
        body=json.dumps(
            [
                {"type": "heading", "value": {"text": "Alguses", "level": "h2"}},
                {"type": "paragraph", "value": "<p>Esimene <b>lõik</b>.</p>"},
                {
                    "type": "image",
                    "value": {
                        "image": image.pk,
                        "alt_text": "Lapsed mängivad õues",
                        "caption": "Suvelaager",
                    },
                },
                {"type": "quote", "value": {"text": "Iga laps loeb.", "attribution": "Liige"}},
                {
                    "type": "call_to_action",
                    "value": {
                        "title": "Tule appi",
                        "text": "",
                        "button_label": "Liitu",
                        "page": home.pk,
                        "url": "",
                    },
                },
            ]
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    html = get(client, page).content.decode()
    assert "<h2>Alguses</h2>" in html
    assert "Esimene <b>lõik</b>." in html
    assert 'alt="Lapsed mängivad õues"' in html and "Suvelaager" in html
    assert "Iga laps loeb." in html and "— Liige" in html
    assert "Tule appi" in html and 'class="button button--primary" href="/"' in html


def test_image_block_requires_alternative_text(make_image):
    with pytest.raises(StructBlockValidationError) as error:
        ImageBlock().clean({"image": make_image(), "alt_text": "", "caption": ""})
    assert "alt_text" in error.value.block_errors


def test_call_to_action_needs_exactly_one_target(home):
    block = CallToActionBlock()
    base = {"title": "T", "text": "", "button_label": "B"}
    with pytest.raises(StructBlockValidationError):
        block.clean({**base, "page": None, "url": ""})
    with pytest.raises(StructBlockValidationError):
        block.clean({**base, "page": home, "url": "https://example.org"})
    assert block.clean({**base, "page": None, "url": "https://example.org"})["url"]


def test_page_image_requires_alternative_text(news_index, make_image):
    article = ArticlePage(title="Pildiga", lead="L", image=make_image(), image_alt=" ")
    article.locale = news_index.locale
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "image_alt" in error.value.message_dict


def test_article_index_filters_by_tag(client, news_index, make_article):
    make_article("Kiusamisest koolis", tags=["koolikiusamine"])
    make_article("Hoopis muust", tags=["muu"])
    html = get(client, news_index, tag="koolikiusamine").content.decode()
    assert "Kiusamisest koolis" in html
    assert "Hoopis muust" not in html
    assert "Koolikiusamise ennetamise töörühm alustas tööd" in html  # demo article, same tag


def test_article_index_unknown_tag_and_bad_page_number_are_answered(client, news_index):
    html = get(client, news_index, tag="pole-olemas").content.decode()
    assert "Kojaga liitus kolm uut organisatsiooni" not in html
    for page in ("abc", "-1", "99999", "1e9"):
        get(client, news_index, page=page)


def test_article_index_cannot_tell_a_forum_tag_from_no_tag(
    client, news_index, make_issue, make_image
):
    """The public news page answers a tag only the forum uses (or only a picture does) exactly
    as it answers a word nobody uses: nobody outside can learn the forum's words from it."""
    make_issue("Peidetud mure", tags=["foorumisona"])
    image = make_image()
    image.tags.add("pildisona")

    def answer(slug):
        html = get(client, news_index, tag=slug).content.decode()
        return html.replace(slug, "SLUG")

    nowhere = answer("pole-olemas")
    assert answer("foorumisona") == nowhere
    assert answer("pildisona") == nowhere


def test_article_index_paginates(client, news_index, make_article):
    for n in range(12):
        make_article(
            f"Uudis number {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
        )
    first = get(client, news_index).content.decode()
    second = get(client, news_index, page=2).content.decode()
    assert "Uudis number 11" in first and "Uudis number 11" not in second
    assert "Uudis number 0" in second and 'rel="prev"' in second


def test_article_page_shows_date_lead_tags_and_related_articles(client, make_article):
    first = make_article("Esimene lugu", tags=["perepoliitika"])
    second = make_article("Teine lugu", tags=["perepoliitika"])
    html = get(client, second).content.decode()
    assert "Teine lugu: juhtlõik." in html
    assert "?tag=perepoliitika" in html
    assert "Esimene lugu" in html  # related by a shared tag
    assert '<meta property="og:type" content="article">' in html
    assert first.url in html


def test_article_page_prefers_related_articles_chosen_by_the_editor(client, make_article):
    chosen = make_article("Toimetaja valik")
    make_article("Sama sildiga", tags=["x"])
    article = make_article("Põhilugu", tags=["x"])
    article.related_links.add(ArticleRelatedLink(related=chosen))
    article.save_revision().publish()
    html = get(client, article).content.decode()
    assert "Toimetaja valik" in html and "Sama sildiga" not in html


def test_event_index_separates_upcoming_and_past(client, events_index):
    response = get(client, events_index)
    upcoming = [e.title for e in response.context["upcoming_events"]]
    past = [e.title for e in response.context["past_events"]]
    assert upcoming == [
        "Koolitus: lapse kaasamine otsuste tegemisse",
        "Veebiseminar: Euroopa koostööprojektid",
    ]
    assert past == ["Sügisseminar: perede toetamine maapiirkondades"]


def test_event_page_shows_time_place_and_registration(client, events_index):
    event = EventPage.objects.get(slug="koolitus-lapse-kaasamine")
    html = get(client, event).content.decode()
    assert "Tallinn, Koja seminariruum" in html
    assert "Registreeru e-posti teel" in html
    assert timezone.localtime(event.start).strftime("%H:%M") in html


def test_event_must_not_end_before_it_starts_and_needs_a_place(events_index):
    start = timezone.now()
    event = EventPage(title="Vale", lead="L", start=start, end=start - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert {"end", "location"} <= set(error.value.message_dict)


def test_partners_page_lists_the_partners_of_its_language(client):
    et = get(client, "/partnerid/").content.decode()
    en = get(client, "/en/partners/").content.decode()
    assert "Baltic Families Forum" in et and "Läti" in et
    assert "Latvia" in en and "Läti" not in en
    assert Partner.objects.count() == 6


def test_member_directory_lists_members_only_and_filters_by_county(client):
    directory = MemberDirectoryPage.objects.get(locale__language_code="et")
    response = get(client, directory)
    names = [org.name for org in response.context["organizations"]]
    assert "MTÜ Emajõe Noortekeskus" in names
    assert "MTÜ Rapla Noorte Hääl" not in names  # an applicant
    assert len(names) == Organization.objects.members().count()
    tartu = [
        org.name for org in get(client, directory, maakond="tartumaa").context["organizations"]
    ]
    assert tartu == ["MTÜ Emajõe Noortekeskus"]
    assert get(client, directory, maakond="<script>").context["county"] is None


def test_english_site_lives_under_en_with_a_language_switcher(client):
    html = get(client, "/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Estonian Child Advocacy Chamber" in html
    assert 'href="/en/about/"' in html  # English menu
    about = get(client, "/en/about/").content.decode()
    assert 'hreflang="et" href="http://testserver/organisatsioonist/"' in about
    assert '<a href="/organisatsioonist/" lang="et"' in about


def test_estonian_is_the_default_language(client):
    html = get(client, "/organisatsioonist/").content.decode()
    assert '<html lang="et">' in html
    assert '<a href="/en/about/" lang="en"' in html


def test_navigation_and_breadcrumbs(client):
    html = get(client, "/uudised/seisukoht-lapse-arvamus/").content.decode()
    for title in (
        "Organisatsioonist",
        "Miks liituda?",
        "Uudised ja seisukohad",
        "Koolitused ja seminarid",
        "Liikmed",
        "Välispartnerid",
    ):
        assert f">{title}</a>" in html
    assert 'aria-current="true">Uudised ja seisukohad</a>' in html
    breadcrumbs = html.split('class="breadcrumbs')[1].split("</nav>")[0]
    assert 'href="/uudised/">Uudised ja seisukohad</a>' in breadcrumbs
    assert 'aria-current="page">Koja seisukoht' in breadcrumbs


def test_every_page_has_title_description_open_graph_and_canonical(client):
    html = get(client, "/uudised/seisukoht-lapse-arvamus/").content.decode()
    assert (
        "<title>Koja seisukoht: lapse arvamus peab kõlama igas teda puudutavas otsuses"
        " | Lapse Huvikaitse Koda</title>" in html
    )
    assert '<meta name="description" content="Võrgustik kutsub omavalitsusi' in html
    assert (
        '<link rel="canonical" href="http://127.0.0.1:8000/uudised/seisukoht-lapse-arvamus/">'
        in html
    )
    assert '<meta property="og:title" content="Koja seisukoht' in html
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html


def test_footer_shows_contact_details_from_site_settings(client, home):
    from cms.models import ContactSettings

    settings = ContactSettings.objects.get()
    settings.phone = "+372 555 0000"
    settings.save()
    html = get(client, "/").content.decode()
    assert "+372 555 0000" in html and "info@example.org" in html and "116 111" in html


def test_unknown_page_answers_404_in_estonian(client):
    response = client.get("/pole-sellist-lehte/")
    assert response.status_code == 404
    assert "Lehte ei leitud" in response.content.decode()


def test_server_error_page_is_in_estonian(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Midagi läks valesti" in response.content.decode()


QUERY_PAGES = [
    "/",
    "/uudised/",
    "/uudised/seisukoht-lapse-arvamus/",
    "/koolitused/",
    "/liikmed/",
    "/liikmed/paikesekiir/",
    "/partnerid/",
    "/liitu/",
    "/organisatsioonist/",
    "/en/",
]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return len(queries)


@pytest.mark.parametrize("url", QUERY_PAGES)
def test_public_pages_run_a_constant_number_of_queries(
    client, url, make_article, make_image, events_index, harjumaa
):
    get(client, url)  # warm per-process caches (site root paths, content types)
    before = _count_queries(client, url)
    for n in range(15):
        image = make_image(f"Pilt {n}")
        make_article(
            f"Lisauudis {n}", tags=["perepoliitika", f"silt-{n}"], image=image, image_alt="Pilt"
        )
        start = timezone.now() + datetime.timedelta(days=n + 1)
        event = EventPage(
            title=f"Koolitus {n}",
            lead="L",
            start=start,
            end=start,
            location="Tartu",
            locale=events_index.locale,
            image=image,
            image_alt="Pilt",
        )
        events_index.add_child(instance=event)
        event.save_revision().publish()
        Organization.objects.create(
            name=f"Ühing {n}",
            slug=f"uhing-{n}",
            registry_code=f"8{n:07d}",
            county=harjumaa,
            status=Organization.Status.MEMBER,
        )
    get(client, url)  # the new images' renditions are made once
    after = _count_queries(client, url)
    assert after == before
    assert before <= 25
