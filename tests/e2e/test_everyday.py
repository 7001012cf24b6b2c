"""Everyday use in a real browser (issue 20): the forms keep what was typed and offer only what
fits, at a desktop width and on a phone."""

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
