"""What a forum is expected to have (issue 20), in a real browser at a laptop's and a phone's width,
each page under axe: @mentions and #123 links, the "edited" marker, pending invitations, bulk
triage, and an event's calendar file and registration."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from .test_member_journey import sign_in, sign_out
from .test_search import serious_violations
from .test_topics import sign_in_as

WIDTHS = {"desktop": 1280, "phone": 390}
pytestmark = pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())


def _new_issues(live_site, count, title) -> list[int]:
    """Issues raised through the services (by the demo member), their ids."""
    out = live_site.shell(
        "from django.contrib.auth import get_user_model\n"
        "from forum import services\n"
        "from forum.models import Theme\n"
        "member = get_user_model().objects.get(username='liige')\n"
        f"for n in range({count}):\n"
        "    issue = services.post_issue(author=member, organization=member.memberships.get()"
        ".organization, title=f'" + title + " {n}', body='Kirjeldus.', "
        "theme=Theme.objects.first())\n"
        "    print(issue.pk)\n"
    )
    return [int(line) for line in out.splitlines() if line.isdigit()]


def test_a_mention_tells_the_member_and_a_number_links_the_issue(page, live_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    mentioned, other = _new_issues(live_site, 2, f"Mainimine {uuid.uuid4().hex[:6]}")
    sign_in(page, "liige")
    page.goto(f"/foorum/{mentioned}/")
    page.locator("#id_body").fill(f"@liige2, vaata ka #{other}.")
    page.locator("form[action$='/kommenteeri/'] button[type=submit]").click()
    comment = page.locator(".comment", has_text="vaata ka").last
    expect(comment.get_by_role("link", name=f"#{other}")).to_have_attribute(
        "href", f"/foorum/{other}/"
    )
    assert serious_violations(page) == []
    sign_out(page)
    sign_in(page, "liige2")
    expect(page.locator("header nav.account-nav .count")).to_be_visible()
    page.goto("/foorum/teated/")
    expect(page.locator("main")).to_contain_text("Mainimine")
    assert serious_violations(page) == []


def test_an_edited_comment_says_so(page, live_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    (issue,) = _new_issues(live_site, 1, f"Muudetav {uuid.uuid4().hex[:6]}")
    sign_in(page, "liige")
    page.goto(f"/foorum/{issue}/")
    page.locator("#id_body").fill("Esimene sõnastus.")
    page.locator("form[action$='/kommenteeri/'] button[type=submit]").click()
    comment = page.locator(".comment", has_text="Esimene sõnastus.")
    expect(comment).not_to_contain_text("muudetud")
    comment.get_by_role("link", name="Muuda").click()
    page.locator("#id_body").fill("Parandatud sõnastus.")
    page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page.locator(".comment", has_text="Parandatud sõnastus.")).to_contain_text("muudetud")
    assert serious_violations(page) == []


def test_a_representative_resends_and_revokes_a_pending_invitation(page, live_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    address = f"uus-{uuid.uuid4().hex[:6]}@example.org"
    sign_in_as(page, "esindaja")
    page.goto("/foorum/organisatsioon/paikesekiir/")
    invite = page.locator("form[action$='/kutsu/']", has=page.locator("#id_email"))
    invite.locator("#id_email").fill(address)
    invite.get_by_role("button", name="Saada kutse").click()
    pending = page.locator("#invitations li", has_text=address)
    expect(pending).to_be_visible()
    sent = sum(address in mail for mail in live_site.mails())
    pending.get_by_role("button", name="Saada uuesti").click()
    expect(page.locator("#invitations li", has_text=address)).to_be_visible()
    assert sum(address in mail for mail in live_site.mails()) == sent + 1
    assert serious_violations(page) == []
    page.locator("#invitations li", has_text=address).get_by_role("button", name="Tühista").click()
    expect(page.locator("#invitations li", has_text=address)).to_have_count(0)
    # Inviting someone who is already a member says so instead of sending.
    invite = page.locator("form[action$='/kutsu/']", has=page.locator("#id_email"))
    invite.locator("#id_email").fill("liige@example.org")
    invite.get_by_role("button", name="Saada kutse").click()
    expect(page.locator("main")).to_contain_text("liige@example.org")
    expect(page.locator(".error-summary, .errorlist, [role=alert]").first).to_be_visible()


def test_a_coordinator_changes_the_status_of_ticked_issues_at_once(page, live_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    title = f"Koos {uuid.uuid4().hex[:6]}"
    ids = _new_issues(live_site, 2, title)
    sign_in_as(page, "koordinaator")
    page.goto(f"/foorum/?q={title.split()[1]}")
    for pk in ids:
        page.locator(f"input[type=checkbox][value='{pk}']").check()
    page.get_by_role("button", name="Muuda nende staatust…").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for pk in ids:
        expect(page.locator("main")).to_contain_text(f"#{pk}")
    page.get_by_label("Uus staatus").select_option(index=2)
    page.get_by_label("Põhjus").fill("Vaadatud koos üle.")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Tee seda kõigiga").click()
    expect(page).to_have_url(re.compile(r"/foorum/$"))
    statuses = live_site.query(
        f"SELECT DISTINCT status FROM forum_issue WHERE id IN ({ids[0]}, {ids[1]})"
    )
    assert len(statuses) == 1 and statuses[0][0] != "open"


def test_an_event_offers_its_calendar_file_and_its_registration(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/koolitused/")
    page.locator("main .card--event a").first.click()
    link = page.get_by_role("link", name="Lisa oma kalendrisse (.ics)")
    expect(link).to_be_visible()
    answer = page.request.get(link.get_attribute("href"))
    assert answer.headers["content-type"].startswith("text/calendar")
    title = page.get_by_role("heading", level=1).inner_text()
    assert "BEGIN:VEVENT" in answer.text() and title.split(":")[0] in answer.text()
    registration = page.locator("main a[href^='mailto:']")
    expect(registration).to_be_visible()
    assert "subject=" in registration.get_attribute("href")
    assert serious_violations(page) == []
