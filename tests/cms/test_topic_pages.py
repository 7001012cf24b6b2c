"""Published advocacy topics on the public site: the topics page, each topic's page in both
language trees, the feed and the sitemap. The public sees the summary, the position, who
signed it, its milestones and how widely it was raised, and nothing of the network's issues
and discussion."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import TopicIndexPage
from forum.models import AdvocacyTopic, County, Membership, Organization, TopicSignature
from forum.services import (
    add_comment,
    add_support,
    answer_position,
    change_topic_status,
    create_topic,
    escalate_issues,
    publish_topic,
    set_position,
    unpublish_topic,
    withdraw_support,
)

pytestmark = pytest.mark.django_db
T = AdvocacyTopic.Status
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

SUMMARY = "Maal elavad lapsed jäävad koolibussi graafiku tõttu huviringidest ilma."
POSITION = "Koolibussi graafik peab **arvestama** koolipäeva ja huviringidega."
# Words that live only in the network's internal texts: none may reach the public.
INTERNAL = ("Kaelkirjak", "Sinilind", "Varjulill", "Probleemikirjeldus", "Koosolekumärge")


@pytest.fixture
def make_representative(make_member, harjumaa):
    """The representative of a new member organisation (in `county`, Harju unless told)."""
    counter = iter(range(1, 1000))

    def make(county=None):
        n = next(counter)
        organization = Organization.objects.create(
            name=f"MTÜ Allkirjastaja {n:02d}",
            slug=f"allkirjastaja-{n}",
            registry_code=f"8077{n:04d}",
            county=county or harjumaa,
            status=Organization.Status.MEMBER,
        )
        return make_member(
            f"esindaja-{n}", organization=organization, role=Membership.Role.REPRESENTATIVE
        )

    return make


ADOPTED_ON = [T.POSITION_ADOPTED, T.SUBMITTED, T.OUTCOME]


@pytest.fixture
def make_topic(coordinator, make_issue, make_representative, harjumaa):
    """A topic through the real services: escalated from `issues` new issues, `signers`
    organisations sign its position, it is adopted and (unless told) published."""
    counter = iter(range(1, 1000))

    def make(title=None, *, issues=1, signers=1, publish=True, status=T.POSITION_ADOPTED):
        title = title or f"Huvikaitseteema {next(counter)}"
        topic = create_topic(
            coordinator=coordinator,
            title=title,
            summary=SUMMARY,
            problem="Probleemikirjeldus: vallad ei arvesta laste päevaga.",
            institution_kind=AdvocacyTopic.Institution.MINISTRY,
            institution="Haridus- ja Teadusministeerium",
        )
        if issues:
            escalate_issues(
                coordinator=coordinator,
                issues=[make_issue(f"{title}: mure {n}", county=harjumaa) for n in range(issues)],
                reason="Sama mure.",
                topic=topic,
            )
        step(coordinator, topic, T.WORKING_GROUP)
        set_position(user=coordinator, topic=topic, text=POSITION)
        for _ in range(signers):
            representative = make_representative()
            answer_position(
                user=representative,
                topic=topic,
                organization=representative.memberships.get().organization,
                stance=TopicSignature.Stance.SIGN,
            )
        for target in ADOPTED_ON[: ADOPTED_ON.index(status) + 1] if status in ADOPTED_ON else []:
            step(coordinator, topic, target)
        if publish:
            publish_topic(coordinator=coordinator, topic=topic)
        topic.refresh_from_db()
        return topic

    return make


def step(coordinator, topic, status):
    change_topic_status(
        coordinator=coordinator,
        topic=topic,
        status=status,
        note="Koosolekumärge: arutasime.",
        outcome=AdvocacyTopic.Outcome.PARTLY_ACHIEVED if status == T.OUTCOME else "",
    )


def url(topic, language="et"):
    index = TopicIndexPage.objects.get(locale__language_code=language)
    return index.url + index.reverse_subpage("topic", args=[topic.pk, slug(topic)])


def slug(topic):
    from django.utils.text import slugify

    return slugify(topic.title)


def page_text(response):
    """The page's own content: the header's search box echoes nothing of interest."""
    return response.content.decode().split('<main id="main"')[1]


def test_the_demo_has_a_topics_page_in_both_trees_in_the_main_menu(client):
    pages = {p.locale.language_code: p for p in TopicIndexPage.objects.select_related("locale")}
    assert (pages["et"].title, pages["et"].slug) == ("Huvikaitseteemad", "teemad")
    assert (pages["en"].title, pages["en"].slug) == ("Advocacy topics", "topics")
    assert pages["et"].translation_key == pages["en"].translation_key
    assert all(page.show_in_menus and page.intro for page in pages.values())
    assert '<a href="/teemad/"' in client.get("/").content.decode()
    assert '<a href="/en/topics/"' in client.get("/en/").content.decode()


def test_the_topics_page_lists_only_published_topics_newest_first(client, coordinator, make_topic):
    older = make_topic("Koolitransport maapiirkondades")
    newer = make_topic("Noorte vaimse tervise järjekorrad", status=T.SUBMITTED)
    make_topic("Adopted but not published", publish=False)
    withdrawn = make_topic("Published and withdrawn")
    unpublish_topic(coordinator=coordinator, topic=withdrawn)

    response = client.get("/teemad/")
    assert response.status_code == 200
    assert [t.title for t in response.context["topics"]] == [newer.title, older.title]
    html = page_text(response)
    assert f'<a href="/teemad/{older.pk}/koolitransport-maapiirkondades/">' in html
    assert SUMMARY in html
    assert "withdrawn" not in html and "not published" not in html

    english = page_text(client.get("/en/topics/"))
    assert f'<a href="/en/topics/{newer.pk}/noorte-vaimse-tervise-jarjekorrad/">' in english
    assert "Submitted" in english and "Position adopted" in english
    assert english.count("Raised by 1 organisation in 1 county.") == 2


def test_the_topics_page_paginates_and_says_when_there_is_nothing(client, make_topic):
    assert "not published any advocacy topics yet" in page_text(client.get("/en/topics/"))
    for n in range(11):
        make_topic(f"Teema {n}", issues=0, signers=0)
    first = client.get("/teemad/")
    assert len(first.context["topics"]) == 10
    last = client.get("/teemad/", {"page": "2"})
    assert [t.title for t in last.context["topics"]] == ["Teema 0"]
    assert client.get("/teemad/", {"page": "abc"}).status_code == 200


def test_the_topic_page_shows_summary_position_signatories_milestones_and_reach(
    client, coordinator, make_topic, make_member, make_representative, organizations
):
    topic = make_topic("Koolitransport maapiirkondades", issues=2, signers=2, status=T.OUTCOME)
    tartu, voru = County.objects.get(slug="tartumaa"), County.objects.get(slug="vorumaa")
    issue = topic.issues.first()
    # Another organisation sees it too, in another county; the issues' own are in Harjumaa.
    supporter = make_member(organization="emajoe-noored")
    add_support(
        user=supporter, issue=issue, organization=organizations["emajoe-noored"], county=tartu
    )
    supporter2 = make_member(organization="vorumaa-lapsed")
    add_support(
        user=supporter2, issue=issue, organization=organizations["vorumaa-lapsed"], county=voru
    )

    response = client.get(url(topic, "en"))
    assert response.status_code == 200
    html = page_text(response)
    assert f'<h1 lang="et">{topic.title}</h1>' in html
    assert SUMMARY in html
    assert "<strong>arvestama</strong>" in html  # the rendered position
    signatories = html.split('id="topic-signatories"')[1].split("</section>")[0]
    assert "MTÜ Allkirjastaja 01" in signatories and "MTÜ Allkirjastaja 02" in signatories
    milestones = html.split('id="topic-milestones"')[1].split("</section>")[0]
    for text in (
        "Position adopted",
        "Position submitted: Haridus- ja Teadusministeerium (ministry)",
        "Outcome: partly achieved",
        "Published on this site",
    ):
        assert text in milestones
    # The issues' organisation (paikesekiir, Harjumaa) and two that see it too elsewhere.
    assert "Raised by 3 organisations in 3 counties." in html


def test_the_topic_page_maps_its_reach_by_county_without_leading_into_the_forum(
    client, make_topic, make_member, organizations
):
    """The map counts organisations per county named in the topic's issues and their "we see
    this too"; the table says the same; no tile or row is a link (the public cannot follow one
    into the forum)."""
    topic = make_topic("Koolitransport maapiirkondades", issues=2)
    tartu = County.objects.get(slug="tartumaa")
    for slug in ("emajoe-noored", "vorumaa-lapsed"):
        add_support(
            user=make_member(organization=slug),
            issue=topic.issues.first(),
            organization=organizations[slug],
            county=tartu,
        )

    section = page_text(client.get(url(topic))).split('id="topic-reach"')[1].split("</section>")[0]
    assert 'role="img"' in section and "<a " not in section and "/foorum/" not in section
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', section)
    assert rows == [("Harju maakond", "1"), ("Tartu maakond", "2")]


def test_a_topic_of_all_of_estonia_has_no_map(client, coordinator, make_topic, make_issue):
    topic = make_topic("Üleriigiline mure", issues=0)
    escalate_issues(
        coordinator=coordinator, issues=[make_issue("Kogu Eesti mure")], reason="R", topic=topic
    )
    html = page_text(client.get(url(topic)))
    assert 'class="seen-too"' in html  # the reach is said in words
    assert 'id="topic-reach"' not in html


def test_an_objecting_organisation_is_not_listed_as_a_signatory(
    client, coordinator, make_topic, make_representative
):
    topic = make_topic(signers=1, publish=False, status=T.WORKING_GROUP)
    objector = make_representative()
    answer_position(
        user=objector,
        topic=topic,
        organization=objector.memberships.get().organization,
        stance=TopicSignature.Stance.OBJECT,
        note="Sinilind: me ei nõustu.",
    )
    step(coordinator, topic, T.POSITION_ADOPTED)
    publish_topic(coordinator=coordinator, topic=topic)
    html = page_text(client.get(url(topic)))
    assert "MTÜ Allkirjastaja 01" in html
    assert objector.memberships.get().organization.name not in html
    assert "Sinilind" not in html


def test_only_signatures_of_the_adopted_text_are_listed(client, coordinator, make_topic):
    topic = make_topic(signers=2, publish=False, status=T.WORKING_GROUP)
    # The working group rewrites the position after both signed; one signs again.
    set_position(user=coordinator, topic=topic, text="Uus sõnastus: **graafik** ja ringid.")
    again = Organization.objects.get(name="MTÜ Allkirjastaja 02")
    answer_position(
        user=again.memberships.get(role=Membership.Role.REPRESENTATIVE).user,
        topic=topic,
        organization=again,
        stance=TopicSignature.Stance.SIGN,
    )
    step(coordinator, topic, T.POSITION_ADOPTED)
    publish_topic(coordinator=coordinator, topic=topic)
    response = client.get(url(topic))
    assert [o.name for o in response.context["signatories"]] == ["MTÜ Allkirjastaja 02"]


def test_the_public_never_sees_the_issues_their_authors_or_the_discussion(
    client, coordinator, make_topic, make_member
):
    topic = make_topic("Koolitransport maapiirkondades", issues=1, publish=False)
    issue = topic.issues.get()
    issue.title, issue.body = "Kaelkirjak bussipeatuses", "Sinilind ootab bussi tund aega."
    issue.save(update_fields=["title", "body"])
    author = issue.author
    author.first_name, author.last_name = "Vello", "Varjulind"
    author.save(update_fields=["first_name", "last_name"])
    add_comment(author=make_member(organization="emajoe-noored"), issue=issue, body="Varjulill.")
    publish_topic(coordinator=coordinator, topic=topic)

    pages = [url(topic), url(topic, "en"), "/teemad/", "/en/topics/", "/teemad.rss"]
    for address in pages:
        html = client.get(address).content.decode()
        for word in (*INTERNAL, "Varjulind", author.username, f"/foorum/{issue.pk}/"):
            assert word not in html, (address, word)


def test_unpublished_and_never_published_topics_answer_404(client, coordinator, make_topic):
    draft = make_topic(publish=False)
    assert client.get(url(draft)).status_code == 404
    topic = make_topic()
    assert client.get(url(topic)).status_code == 200
    unpublish_topic(coordinator=coordinator, topic=topic)
    assert client.get(url(topic)).status_code == 404
    assert client.get(url(topic, "en")).status_code == 404
    assert client.get(f"/teemad/{topic.pk + 1000}/x/").status_code == 404


def test_a_reopened_position_leaves_the_public_site_until_adopted_again(
    client, coordinator, make_topic
):
    topic = make_topic()
    step(coordinator, topic, T.WORKING_GROUP)
    set_position(user=coordinator, topic=topic, text="Töörühma mustand, mitte avalik.")
    assert client.get(url(topic)).status_code == 404
    assert "mustand" not in client.get("/teemad/").content.decode()
    step(coordinator, topic, T.POSITION_ADOPTED)
    assert client.get(url(topic)).status_code == 200


def test_a_wrong_or_old_slug_redirects_permanently_to_the_canonical_address(client, make_topic):
    topic = make_topic("Õhtune buss huviringist koju")
    response = client.get(f"/teemad/{topic.pk}/vana-pealkiri/")
    assert response.status_code == 301
    assert response["Location"] == f"/teemad/{topic.pk}/ohtune-buss-huviringist-koju/"
    response = client.get(f"/en/topics/{topic.pk}/vana/")
    assert response["Location"] == f"/en/topics/{topic.pk}/ohtune-buss-huviringist-koju/"


def test_the_english_tree_shows_the_estonian_topic_with_english_labels(client, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    html = client.get(url(topic, "en")).content.decode()
    assert '<html lang="en">' in html
    assert "Signed by" in html and "The network's position" in html
    assert f'<h1 lang="et">{topic.title}</h1>' in html
    assert f'<p class="lead" lang="et">{SUMMARY}</p>' in html
    breadcrumbs = html.split('class="breadcrumbs')[1].split("</nav>")[0]
    assert 'href="/en/topics/">Advocacy topics</a>' in breadcrumbs
    assert f'aria-current="page">{topic.title}</span>' in breadcrumbs


def test_the_topic_page_has_its_own_title_description_and_canonical(client, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    html = client.get(url(topic)).content.decode()
    head = html.split("</head>")[0]
    assert f"<title>{topic.title} | Lapse Huvikaitse Koda</title>" in head
    assert f'<meta name="description" content="{SUMMARY}">' in head
    canonical = f"http://127.0.0.1:8000/teemad/{topic.pk}/koolitransport-maapiirkondades/"
    assert f'<link rel="canonical" href="{canonical}">' in head
    assert f'<meta property="og:url" content="{canonical}">' in head
    assert 'href="/teemad.rss"' in head


def test_the_topics_page_advertises_its_feed(client):
    head = client.get("/en/topics/").content.decode().split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Advocacy topics (RSS)" '
        'href="/en/topics.rss">' in head
    )


def _count_queries(client, address):
    client.get(address)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_topics_page_runs_a_constant_number_of_queries(client, make_topic):
    for _ in range(2):
        make_topic(issues=2, signers=1)
    few = _count_queries(client, "/teemad/")
    for _ in range(8):
        make_topic(issues=2, signers=1)
    many = _count_queries(client, "/teemad/")
    assert len(client.get("/teemad/").context["topics"]) == 10
    assert many == few
    assert few <= 20


def test_the_topic_page_runs_a_constant_number_of_queries(client, make_topic):
    small = make_topic(issues=2, signers=2)
    # ...and with more milestones: each is read from the same query.
    large = make_topic(issues=10, signers=10, status=T.OUTCOME)
    few = _count_queries(client, url(small))
    many = _count_queries(client, url(large))
    assert len(client.get(url(large)).context["signatories"]) == 10
    assert many == few
    assert few <= 20


def test_the_feed_lists_published_topics_in_the_language_of_the_site(
    client, coordinator, make_topic
):
    topic = make_topic("Koolitransport maapiirkondades")
    make_topic("Avaldamata teema", publish=False)
    withdrawn = make_topic("Tagasi võetud teema")
    unpublish_topic(coordinator=coordinator, topic=withdrawn)

    response = client.get("/teemad.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [topic.title]
    assert items[0].findtext("description") == SUMMARY
    assert items[0].findtext("link") == f"http://testserver{url(topic)}"
    assert channel.findtext("link") == "http://testserver/teemad/"

    english = ET.fromstring(client.get("/en/topics.rss").content).find("channel")
    assert english.find("item").findtext("link") == f"http://testserver{url(topic, 'en')}"


def test_the_sitemap_lists_published_topics_in_both_languages(client, coordinator, make_topic):
    topic = make_topic("Koolitransport maapiirkondades")
    draft = make_topic("Avaldamata teema", publish=False)
    withdrawn = make_topic("Tagasi võetud teema")
    unpublish_topic(coordinator=coordinator, topic=withdrawn)

    urls = {
        loc.text for loc in ET.fromstring(client.get("/sitemap.xml").content).iter(f"{SITEMAP}loc")
    }
    base = "http://127.0.0.1:8000"
    assert f"{base}/teemad/" in urls and f"{base}/en/topics/" in urls
    assert f"{base}{url(topic)}" in urls and f"{base}{url(topic, 'en')}" in urls
    for hidden in (draft, withdrawn):
        assert not any(f"/{hidden.pk}/" in u for u in urls)


@pytest.fixture
def page_cache_on(settings):
    from django.core.cache import cache

    settings.KODA_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_a_cached_topic_page_shows_a_new_we_see_this_too_at_once(
    client,
    page_cache_on,
    make_topic,
    make_member,
    organizations,
    django_capture_on_commit_callbacks,
):
    """Found by a red team on two servers: the visitors' cached topic pages kept the reach they
    were first rendered with, as a support names no public model."""
    topic = make_topic("Koolitransport maapiirkondades", issues=1)
    index = TopicIndexPage.objects.get(locale__language_code="et").url
    pages = [url(topic), url(topic, "en"), index]
    assert "Raised by 1 organisation in 1 county." in page_text(client.get(pages[1]))
    for page in pages:
        client.get(page)  # cached as they are now
    supporter, emajoe = make_member(organization="emajoe-noored"), organizations["emajoe-noored"]
    issue, tartu = topic.issues.get(), County.objects.get(slug="tartumaa")
    with django_capture_on_commit_callbacks(execute=True):  # as the write's commit would
        add_support(user=supporter, issue=issue, organization=emajoe, county=tartu)

    et, en, listed = (page_text(client.get(page)) for page in pages)
    assert "Sellest on teada andnud 2 organisatsiooni 2 maakonnast." in et
    assert '<th scope="row">Tartu maakond</th><td>1</td>' in et
    assert "Raised by 2 organisations in 2 counties." in en
    assert "2 organisatsiooni 2 maakonnast" in listed

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_support(user=supporter, issue=issue, organization=emajoe)
    assert "Raised by 1 organisation in 1 county." in page_text(client.get(pages[1]))


def test_a_cached_topic_page_follows_its_issue_to_another_county(
    client, page_cache_on, make_topic, django_capture_on_commit_callbacks
):
    """A write that sends no signal (a queryset update) moves the reach on the cached page too."""
    topic = make_topic("Koolitransport maapiirkondades", issues=1)
    assert "Harju maakond" in page_text(client.get(url(topic)))
    with django_capture_on_commit_callbacks(execute=True):
        topic.issues.update(county=County.objects.get(slug="vorumaa"), municipality=None)
    html = page_text(client.get(url(topic)))
    assert '<th scope="row">Võru maakond</th><td>1</td>' in html
    assert "Harju maakond" not in html
