"""The Content-Security-Policy in a real browser: the public site, the forum and Wagtail's admin
load without a single violation, and their JavaScript still works under it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_member_journey import sign_in

# Chromium reports a blocked script, style or image on the console; the page's own
# securitypolicyviolation event is reported there too, so one listener hears both.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI}`
        + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def violations(page):
    found = []
    page.context.add_init_script(REPORT_VIOLATIONS)

    def hear(message):
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            found.append(f"{page.url}: {message.text}")

    page.on("console", hear)
    return found


def search_suggestions_work(page):
    """suggestions.js fills the header search box's list as one types."""
    page.locator("#site-search-q").fill("")
    page.locator("#site-search-q").press_sequentially("koo", delay=50)
    expect(page.locator("#site-search-suggestions option").first).to_have_attribute(
        "value", re.compile("Koo", re.IGNORECASE)
    )


def test_public_site_runs_under_the_policy(page, violations):
    for url in ["/", "/uudised/seisukoht-lapse-arvamus/", "/otsing/?q=laps"]:
        policy = page.goto(url).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        search_suggestions_work(page)
    expect(page.locator("main")).to_contain_text("laps")
    assert violations == []


def test_forum_runs_under_the_policy(page, violations):
    sign_in(page, "liige")  # lands on the issue list
    search_suggestions_work(page)
    links = page.locator("main a[href]").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    page.goto(next(link for link in links if re.fullmatch(r"/foorum/\d+/", link)))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    search_suggestions_work(page)
    assert violations == []


def test_admin_runs_under_its_policy(page, violations):
    page.goto("/konto/sisene/")
    page.locator("#id_username").fill("toimetaja")
    page.locator("#id_password").fill("demo")
    page.locator("main form[method=post] button[type=submit]").click()
    page.goto("/admin/")
    # The sidebar is drawn by Wagtail's JavaScript; its page explorer opens on a click.
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="Lehed").click()
    expect(page.locator(".c-page-explorer")).to_be_visible()
    # An editor with chooser widgets and date pickers, started by Wagtail's inline scripts.
    page.goto("/admin/pages/")
    page.locator("a[href*='/admin/pages/'][href$='/edit/']").first.click()
    expect(page.locator("form[data-edit-form]")).to_be_visible()
    assert violations == []
