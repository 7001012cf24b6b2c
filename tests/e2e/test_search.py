"""The site search in a real browser: the header box's suggestions, marked results, what a
visitor and a member each find, and axe on the results pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_member_journey import sign_in


def serious_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_visitor_searches_from_the_header_with_suggestions(page, screenshots):
    page.goto("/")
    box = page.get_by_role("combobox", name="Otsi veebilehelt")
    box.press_sequentially("liitu", delay=50)
    # The script offers titles through the box's list (progressive enhancement).
    expect(page.locator("#site-search-suggestions option[value='Miks liituda?']")).to_have_count(1)
    box.fill("liituda")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Otsi")
    first = page.locator(".search-results li").first
    expect(first.locator("mark").first).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("tulemus")
    page.screenshot(path=screenshots / "search-visitor.png", full_page=True)
    assert serious_violations(page) == []


@pytest.mark.parametrize("who", ["visitor", "liige2"])
def test_members_find_issues_and_visitors_do_not(page, who, screenshots):
    if who != "visitor":
        sign_in(page, who)
    page.goto("/otsing/?q=sõiduplaan")
    if who == "visitor":
        expect(page.get_by_role("status")).to_have_text("0 tulemust")
        types = page.get_by_role("navigation", name="Tulemuste liik")
        # all together, pages, published topics and member organisations
        expect(types.get_by_role("link")).to_have_count(4)
        expect(types).not_to_contain_text("Mured")
        return
    # Every kind in one list; the issue is there, saying what it is.
    types = page.get_by_role("navigation", name="Tulemuste liik")
    expect(types.get_by_role("link", name="Kõik (1)")).to_have_attribute("aria-current", "page")
    result = page.locator(".search-results li").first
    expect(result.get_by_role("link")).to_have_text(
        "Koolibuss ei sobi maapiirkonna laste koolipäevaga"
    )
    expect(result.locator("mark")).to_have_text("sõiduplaan")
    expect(result.locator(".search-results__noun")).to_have_text("Mure")
    # The kind as a filter, with its facets.
    types.get_by_role("link", name="Mured (1)").click()
    expect(types.get_by_role("link", name="Mured (1)")).to_have_attribute("aria-current", "page")
    facets = page.get_by_role("complementary", name="Kitsenda tulemusi")
    facets.get_by_role("link", name="Harju maakond").click()
    expect(page.get_by_role("status")).to_have_text("1 tulemus")
    page.screenshot(path=screenshots / "search-member.png", full_page=True)
    assert serious_violations(page) == []
