"""DESIGN.md's journeys 2 and 3 in a real browser: a coordinator merges a duplicate, escalates
two issues into a topic, carries it to "position adopted", two organisations sign and the
coordinator publishes it; a visitor finds a published position from the home page and through
search, with its timeline. axe on the topic pages and the overview."""

import re
import uuid

from playwright.sync_api import expect

from .test_member_journey import sign_out
from .test_search import serious_violations

PASSWORD = "demo"

SETUP = """
from forum.models import Theme
from forum.members.permissions import member_organizations
from forum.services import post_issue
from django.contrib.auth.models import User
theme = Theme.objects.get(slug="huvitegevus")
for username, title in [
    ("liige", "Noortekeskus on õhtuti suletud {tag}"),
    ("liige2", "Noortekeskus on õhtuti kinni {tag}"),
    ("liige2", "Noortel pole õhtul kuhugi minna {tag}"),
]:
    user = User.objects.get(username=username)
    issue = post_issue(author=user, organization=member_organizations(user)[0], title=title,
                       body="Õhtuti pole noortel turvalist kohta, kus aega veeta.", theme=theme)
    print(issue.pk)
"""


def sign_in_as(page, username):
    page.goto("/konto/sisene/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/foorum/$"))


def step(page, label, note):
    """Open a workflow step on the topic page, write its note and take it."""
    page.locator("summary", has_text=label).click()
    details = page.locator("details", has=page.locator("summary", has_text=label))
    details.get_by_label("Märkus").fill(note)
    details.get_by_role("button", name=label).click()


def test_coordinator_escalates_and_publishes_and_organisations_sign(page, live_site, screenshots):
    tag = uuid.uuid4().hex[:6]
    output = live_site.shell(SETUP.format(tag=tag))
    first, duplicate, second = re.findall(r"^(\d+)$", output, re.M)[-3:]

    # The coordinator reviews the new issues and closes one as a duplicate of another.
    sign_in_as(page, "koordinaator")
    page.goto(f"/foorum/{duplicate}/duplikaat/")
    page.get_by_label("Algse mure number").fill(first)
    page.get_by_role("button", name="Sulge duplikaadina").click()
    expect(page.locator("main")).to_contain_text("Suletud duplikaadina")

    # Two related issues go into a new topic at once, from the issue list.
    page.goto("/foorum/")
    for pk in (first, second):
        page.locator(f"#pick-{pk}").check()
    page.get_by_role("button", name="Tõsta märgitud mured huvikaitseteemaks…").click()
    page.get_by_label("Miks need mured teemasse kuuluvad?").fill("Sama mure kahes maakonnas.")
    page.get_by_label("Uue teema pealkiri").fill(f"Noorte õhtune vaba aeg {tag}")
    page.get_by_label("Kokkuvõte").fill("Noortel pole õhtuti turvalist kohta, kus aega veeta.")
    page.get_by_label("Probleemi kirjeldus").fill("Noortekeskused on õhtuti suletud.")
    page.get_by_role("button", name="Tõsta huvikaitseteemaks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Noorte õhtune vaba aeg {tag}")
    topic_url = page.url

    # The working group starts and the coordinator writes the position.
    step(page, "Moodusta töörühm", "Töörühm alustab.")
    page.get_by_role("link", name="Kirjuta seisukohta ja vaata selle versioone").click()
    page.get_by_label("Seisukoht").fill("Iga omavalitsus hoidku noortekeskus õhtuti avatud.")
    page.get_by_role("button", name="Salvesta uue versioonina").click()
    sign_out(page)

    # Two organisations sign through their representatives.
    for representative in ("esindaja", "esindaja2"):
        sign_in_as(page, representative)
        page.goto(topic_url)
        page.get_by_label("Allkirjastame seisukoha").check()
        page.get_by_role("button", name="Saada vastus").click()
        expect(page.locator("main")).to_contain_text("allkirjastab seisukoha")
        sign_out(page)

    # The coordinator adopts the position and publishes the topic.
    sign_in_as(page, "koordinaator")
    page.goto(topic_url)
    step(page, "Võta seisukoht vastu", "Kaks organisatsiooni allkirjastasid.")
    page.get_by_role("button", name="Avalda avalikul veebilehel").click()
    expect(page.locator("main")).to_contain_text("Avaldatud avalikul veebilehel")
    page.screenshot(path=screenshots / "topic-coordinator.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Ava avalik leht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Noorte õhtune vaba aeg {tag}")
    signed = page.get_by_role("region", name="Allkirjastanud")
    expect(signed).to_contain_text("MTÜ Päikesekiire Pereliit")
    expect(signed).to_contain_text("MTÜ Emajõe Noortekeskus")

    page.goto("/foorum/ulevaade/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ülevaade")
    page.screenshot(path=screenshots / "overview.png", full_page=True)
    assert serious_violations(page) == []


def test_visitor_finds_a_published_position_from_home_and_through_search(page, screenshots):
    page.goto("/")
    page.get_by_role("navigation", name="Peamenüü").get_by_role(
        "link", name="Huvikaitseteemad"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huvikaitseteemad")
    page.get_by_role("link", name="Koolitransport maapiirkondades").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Koolitransport maapiirkondades")
    expect(page.get_by_role("heading", name="Võrgustiku seisukoht")).to_be_visible()
    expect(page.get_by_role("heading", name="Teema käik")).to_be_visible()
    # Never the internal issues' text.
    expect(page.locator("main")).not_to_contain_text("sõiduplaan")
    page.screenshot(path=screenshots / "topic-public.png", full_page=True)
    assert serious_violations(page) == []

    box = page.get_by_role("combobox", name="Otsi veebilehelt")
    box.fill("koolitransport")
    box.press("Enter")
    types = page.get_by_role("navigation", name="Tulemuste liik")
    types.get_by_role("link", name=re.compile("Huvikaitseteemad")).click()
    page.get_by_role("link", name=re.compile("Koolitransport")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Koolitransport maapiirkondades")
