"""Everyday use in a real browser (issue 20): the forms keep what was typed and offer only what
fits, at a desktop width and on a phone."""

import re

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
