import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_rss_feed_is_valid_xml_listing_the_articles_of_the_language(client, make_article):
    make_article("Värske uudis", tags=["perepoliitika"])
    response = client.get("/uudised.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles[0] == "Värske uudis"
    assert "Koja seisukoht: lapse arvamus peab kõlama igas teda puudutavas otsuses" in titles
    assert "Three new organisations joined the Chamber" not in titles
    first = channel.find("item")
    assert first.findtext("link").endswith("/uudised/varske-uudis/")
    assert first.findtext("category") == "perepoliitika"


def test_atom_feed_is_valid_xml_and_english_under_en(client):
    response = client.get("/en/news.atom")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert "Three new organisations joined the Chamber" in titles
    assert all("Koja" not in title for title in titles)


def test_feeds_leave_out_unpublished_articles(client, make_article):
    make_article("Salajane mustand").unpublish()
    assert b"Salajane mustand" not in client.get("/uudised.rss").content


def test_sitemap_is_valid_xml_listing_public_pages_in_both_languages(client, make_article):
    make_article("Mustand").unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    assert "http://127.0.0.1:8000/" in urls
    assert "http://127.0.0.1:8000/liitu/" in urls
    assert "http://127.0.0.1:8000/uudised/seisukoht-lapse-arvamus/" in urls
    assert "http://127.0.0.1:8000/en/about/" in urls
    assert not any("mustand" in url for url in urls)


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
