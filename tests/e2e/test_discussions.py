"""Discussions in a real browser (issue 6): a member asks a question, a member of another
organisation answers, the asker accepts the answer; a representative shares a material with a
document that members can download and a visitor cannot; axe on the new pages."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from .test_member_journey import sign_in, sign_out
from .test_search import serious_violations
from .test_topics import sign_in_as


def submit(page):
    page.locator("#discussion-form button[type=submit]:not([name=preview])").last.click()


def test_member_asks_another_answers_and_the_asker_accepts(page, live_site, screenshots):
    title = f"Kuidas kutsuda isasid lastevanemate õhtule {uuid.uuid4().hex[:6]}?"
    answer = "Meil aitas kutse, mille laps ise isale joonistas, ja õhtu algus kell 18."

    sign_in(page, "liige")
    page.goto("/foorum/arutelud/uus/?kind=question")
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("Meie õhtutele tulevad peamiselt emad. Mis on teil toiminud?")
    page.locator("#id_tags").fill("vanemlus, isad")
    submit(page)
    expect(page.locator("h1")).to_have_text(title)
    url = page.url
    assert re.search(r"/foorum/arutelud/\d+/$", url)
    sign_out(page)

    # A member of another organisation answers.
    sign_in(page, "liige2")
    page.goto(url)
    page.locator("#reply-form textarea").fill(answer)
    page.locator("#reply-form button[type=submit]").click()
    reply = page.locator("#replies .comment", has_text=answer)
    expect(reply).to_be_visible()
    # Only the asker (or a coordinator) may accept: liige2 sees no accept button.
    expect(page.locator("button[id^=accept-]")).to_have_count(0)
    sign_out(page)

    # The asker accepts it; the answer is shown as the accepted one.
    sign_in(page, "liige")
    page.goto(url)
    page.locator("button[id^=accept-]").first.click()
    expect(page.locator("#accepted-answer")).to_contain_text(answer)
    page.screenshot(path=screenshots / "discussion-accepted.png", full_page=True)
    [(accepted,)] = live_site.query(
        "SELECT r.body FROM forum_discussion d JOIN forum_reply r ON r.id = d.accepted_reply_id "
        "WHERE d.title = ?",
        title,
    )
    assert accepted == answer


def test_material_is_downloadable_by_members_only(page, live_site, tmp_path):
    marker = f"juhendimarker{uuid.uuid4().hex[:6]}"
    guide = tmp_path / "infotunni-juhend.txt"
    guide.write_text(f"Infotunni kava ja meelespea. {marker}\n", encoding="utf-8")

    sign_in(page, "liige")
    page.goto("/foorum/arutelud/uus/?kind=material")
    page.locator("#id_title").fill(f"Infotunni juhend {marker}")
    page.locator("#id_body").fill("Lühike juhend lastevanemate infotunni korraldamiseks.")
    page.locator("#id_material_type").select_option("guide")
    page.locator("#id_files").set_input_files(str(guide))
    submit(page)
    link = page.locator("#attachments a").first
    expect(link).to_have_text("infotunni-juhend")
    href = link.get_attribute("href")

    # The member downloads it: an attachment, never shown inline.
    response = page.request.get(href)
    assert response.status == 200
    assert marker in response.text()
    assert response.headers["content-disposition"].startswith("attachment")
    sign_out(page)

    # A visitor gets neither the file nor the discussion.
    response = page.request.get(href, max_redirects=0)
    assert response.status in (302, 403, 404)
    assert marker not in response.text()
    page.goto("/foorum/arutelud/")
    expect(page).to_have_url(re.compile(r"/konto/sisene/"))


AXE_PAGES = ["discussion-list", "discussion-detail", "discussion-create", "training-needs"]


@pytest.mark.parametrize("name", AXE_PAGES)
def test_discussion_pages_have_no_serious_accessibility_violations(
    page, live_site, name, screenshots
):
    sign_in_as(page, "koordinaator" if name == "training-needs" else "liige")
    if name == "discussion-list":
        page.goto("/foorum/arutelud/")
        expect(page.locator("main h1")).to_be_visible()
    elif name == "discussion-detail":
        [(pk,)] = live_site.query(
            "SELECT id FROM forum_discussion WHERE accepted_reply_id IS NOT NULL "
            "ORDER BY id LIMIT 1"
        )
        page.goto(f"/foorum/arutelud/{pk}/")
        expect(page.locator("#accepted-answer")).to_be_visible()
    elif name == "discussion-create":
        page.goto("/foorum/arutelud/uus/?kind=partners")
        submit(page)  # with the error messages showing
        expect(page.get_by_role("alert").first).to_be_visible()
    else:
        page.goto("/foorum/koolitusvajadused/")
        expect(page.locator("main h1")).to_be_visible()
    page.screenshot(path=screenshots / f"axe-{name}.png", full_page=True)
    violations = serious_violations(page)
    assert not violations, violations
