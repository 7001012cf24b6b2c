"""Everyday use in a real browser (issue 20): the forms keep what was typed and offer only what
fits, at a desktop width and on a phone."""

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from .test_member_journey import sign_in
from .test_search import serious_violations

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_municipality_list_follows_the_county(page, width):
    """Defect 7: only the chosen county's municipalities are offered; a municipality chosen
    first fills in its county; changing the county clears a municipality that no longer fits."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "liige")
    page.goto("/foorum/uus/")
    county, municipality = page.locator("#id_county"), page.locator("#id_municipality")
    county.select_option(label="Tartu maakond")
    offered = municipality.locator("option:not([disabled])").all_inner_texts()
    assert "Tartu linn" in offered and "Elva vald" in offered
    assert "Tallinn" not in offered and "Narva linn" not in offered
    municipality.select_option(label="Tartu linn")
    county.select_option(label="Harju maakond")
    expect(municipality).to_have_value("")
    offered = municipality.locator("option:not([disabled])").all_inner_texts()
    assert "Tallinn" in offered and "Tartu linn" not in offered
    # Choosing the municipality first fills in its county.
    county.select_option(value="")
    municipality.select_option(label="Narva linn")
    expect(county.locator("option:checked")).to_have_text("Ida-Viru maakond")
    assert serious_violations(page) == []


def test_the_issue_filters_follow_the_county_too(page):
    sign_in(page, "liige")
    page.goto("/foorum/")
    page.locator("form.filters #id_county").select_option(label="Pärnu maakond")
    offered = page.locator("form.filters #id_municipality option:not([disabled])").all_inner_texts()
    assert "Pärnu linn" in offered and "Tartu linn" not in offered


def test_tag_suggestions_complete_the_tag_being_typed(page):
    """Defect 14: the browser matched suggestions against the whole value, so only the first
    tag was ever completed."""
    sign_in(page, "liige")
    page.goto("/foorum/uus/")
    known = page.locator("#tag-suggestions option").evaluate_all("os => os.map(o => o.value)")
    assert len(known) >= 2
    first, second = known[0], known[1]
    tags = page.locator("#id_tags")
    tags.fill(f"{first}, ")
    tags.press_sequentially(second[:2])
    offered = page.locator("#tag-suggestions option").evaluate_all("os => os.map(o => o.value)")
    assert f"{first}, {second}" in offered
    assert all(value.startswith(f"{first}, ") for value in offered)
    assert f"{first}, {first}" not in offered  # a tag already written is not offered again


def test_on_a_phone_the_first_issue_is_in_the_first_screen(page, screenshots):
    """Defect 15: the first issue started about 1,780 px down, after two menus and nine filters;
    the menus and filters fold on a phone and open with a tap."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "liige")
    page.goto("/foorum/")
    first = page.locator(".issue-list li").first
    assert first.bounding_box()["y"] < 844
    menu = page.get_by_role("navigation", name="Peamenüü")
    expect(menu.get_by_role("link", name="Avaleht")).to_be_hidden()
    menu.get_by_text("Menüü").click()
    expect(menu.get_by_role("link", name="Avaleht")).to_be_visible()
    filters = page.locator("form.filters")
    expect(filters.locator("#id_county")).to_be_hidden()
    filters.get_by_text("Filtrid", exact=True).click()
    expect(filters.locator("#id_county")).to_be_visible()
    page.screenshot(path=screenshots / "issue-list-phone.png", full_page=False)
    # Filters in use stay open, counted.
    page.goto("/foorum/?county=harjumaa")
    expect(page.locator("form.filters summary")).to_have_text("Filtrid (1)")
    expect(page.locator("form.filters #id_county")).to_be_visible()
    assert serious_violations(page) == []


def test_on_a_laptop_the_menus_are_open_and_the_main_menu_is_one_line(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    menu = page.get_by_role("navigation", name="Peamenüü")
    expect(menu.get_by_text("Menüü", exact=True)).to_be_hidden()
    tops = menu.get_by_role("link").evaluate_all("links => links.map(a => a.offsetTop)")
    assert len(tops) >= 5 and len(set(tops)) == 1


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_map_leads_from_a_county_to_its_issues(page, width, screenshots):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "liige")
    page.goto("/foorum/kaart/")
    expect(page.get_by_role("heading", name="Mured maakonniti")).to_be_visible()
    assert page.locator(".county-map__svg a").count() == 15
    page.screenshot(path=screenshots / f"map-{width}.png", full_page=True)
    assert serious_violations(page) == []
    page.locator(".county-map__svg a[aria-label^='Harju maakond']").click()
    expect(page).to_have_url(re.compile(r"/foorum/\?county=harjumaa$"))
    expect(page.locator("form.filters #id_county option:checked")).to_have_text("Harju maakond")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_topic_page_maps_where_its_problem_is_seen(page, width, screenshots):
    """A topic's reach on its public page: a map of the counties with a table of the same
    numbers, nothing of it a way into the forum."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/teemad/")
    page.locator("main h2 a, main h3 a").first.click()
    reach = page.locator("section[aria-labelledby='topic-reach']")
    expect(reach.get_by_role("heading", name="Kus seda nähakse")).to_be_visible()
    expect(reach.get_by_role("img", name="Liikmesorganisatsioonid maakonniti")).to_be_visible()
    rows = reach.locator("tbody tr")
    assert rows.count() >= 1
    assert reach.locator("a").count() == 0
    svg = reach.locator("svg").bounding_box()
    assert svg["x"] >= 0 and svg["x"] + svg["width"] <= width  # the map fits the screen
    page.screenshot(path=screenshots / f"topic-{width}.png", full_page=True)
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_home_page_is_warm_and_installable(page, width, screenshots):
    """A hero with an illustration, pictures with alternative text on the cards, the site's
    own web font (served from the site, no font host) and a web app manifest whose icons load."""
    page.set_viewport_size({"width": width, "height": 900})
    fonts = []
    page.on(
        "request", lambda request: fonts.append(request.url) if ".woff2" in request.url else None
    )
    page.goto("/")
    hero = page.locator(".hero__picture")
    expect(hero).to_be_visible()
    assert "kaskede" in hero.get_attribute("alt")
    pictures = page.locator("main .card__image")
    assert pictures.count() >= 3
    assert all(alt.strip() for alt in pictures.evaluate_all("els => els.map(e => e.alt)"))
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Source Sans 3\"')")
    family = page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Source Sans 3"')
    assert fonts and all(url.startswith(page.url.rstrip("/")) for url in fonts)
    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(manifest_url).json()
    assert manifest["name"] == "Lapse Huvikaitse Koda" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert page.request.get(urljoin(urljoin(page.url, manifest_url), icon["src"])).ok, icon
    page.screenshot(path=screenshots / f"home-{width}.png", full_page=False)
    assert serious_violations(page) == []
