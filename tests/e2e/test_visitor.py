"""A public visitor's journeys through the site, in a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect


def test_visitor_goes_from_home_to_why_join_and_applies(page, live_site, screenshots):
    page.goto("/")
    page.get_by_role("navigation", name="Peamenüü").get_by_role(
        "link", name="Miks liituda?"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Miks liituda?")
    expect(page.get_by_role("heading", name="4. Rahvusvaheline koostöö")).to_be_visible()

    page.get_by_label("Organisatsiooni nimi").fill("MTÜ Brauseri Pered")
    page.get_by_label("Registrikood").fill("1234")  # too short
    page.get_by_label("Kontaktisik").fill("Mari Maasikas")
    page.get_by_label("E-post").fill("mari@example.org")
    page.get_by_label("Maakond").select_option(label="Tartu maakond")
    page.get_by_label("Tegevusvaldkond").fill("perenõustamine")
    page.get_by_label("Miks soovid liituda?").fill("Tahame õppida teistelt.")
    page.get_by_role("button", name="Saada avaldus").click()

    # Refused field by field, with everything typed still there.
    expect(page.get_by_role("alert")).to_contain_text("Registrikood")
    expect(page.get_by_label("Registrikood")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Organisatsiooni nimi")).to_have_value("MTÜ Brauseri Pered")
    expect(page.get_by_label("Miks soovid liituda?")).to_have_value("Tahame õppida teistelt.")
    assert live_site.query(
        "SELECT count(*) FROM forum_organization WHERE name = ?", "MTÜ Brauseri Pered"
    ) == [(0,)]
    page.screenshot(path=screenshots / "join-errors.png", full_page=True)

    page.get_by_label("Registrikood").fill("80777777")
    page.get_by_role("button", name="Saada avaldus").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aitäh")
    assert live_site.query(
        "SELECT status FROM forum_organization WHERE registry_code = ?", "80777777"
    ) == [("applicant",)]
    mails = "\n".join(live_site.mails())
    assert "To: mari@example.org" in mails
    assert "To: koordinaator@example.org" in mails


def test_visitor_reads_an_article_and_follows_its_tag(page):
    page.goto("/")
    page.get_by_role("link", name="Koolikiusamise ennetamise töörühm alustas tööd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Koolikiusamise ennetamise töörühm alustas tööd"
    )
    expect(page.locator(".lead")).to_contain_text("Töörühm koondab liikmete kogemused")
    expect(page.get_by_role("navigation", name="Asukoht")).to_contain_text("Uudised ja seisukohad")
    page.get_by_role("link", name="koolikiusamine").click()
    expect(page).to_have_url(re.compile(r"/uudised/\?tag=koolikiusamine$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Uudised ja seisukohad: koolikiusamine"
    )


def test_visitor_switches_to_english_and_back(page):
    page.goto("/organisatsioonist/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/about/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About us")
    page.get_by_role("link", name="Eesti").click()
    expect(page).to_have_url(re.compile(r"/organisatsioonist/$"))


def test_skip_link_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Liigu sisule")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


AXE_PAGES = {
    "home": "/",
    "standard": "/organisatsioonist/",
    "article-index": "/uudised/",
    "article": "/uudised/seisukoht-lapse-arvamus/",
    "event": "/koolitused/koolitus-lapse-kaasamine/",
    "join": "/liitu/",
    "english-home": "/en/",
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_page_has_no_serious_accessibility_violations(page, name, screenshots):
    page.goto(AXE_PAGES[name])
    if name == "join":  # the form with its error messages showing
        page.get_by_role("button", name="Saada avaldus").click()
        expect(page.get_by_role("alert")).to_be_visible()
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.screenshot(path=screenshots / f"axe-{name}.png", full_page=True)
    print(
        f"axe {name}: {len(results.response['violations'])} violations, "
        f"{len(results.response['passes'])} rules passed"
    )
    assert serious == []
