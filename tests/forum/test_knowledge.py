"""Knowledge that travels: the coordinators' roll-up of training needs, and drafts on the public
site made from a training need (EventPage) or a good practice (ArticlePage)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Locale, ModelLogEntry, Page

from cms.models import ArticleIndexPage, ArticlePage, EventIndexPage, EventPage
from forum.models import Discussion, Theme
from forum.services import (
    create_article_draft,
    create_event_draft,
    hide_discussion,
    training_need_rollup,
)

pytestmark = pytest.mark.django_db
K = Discussion.Kind


@pytest.fixture
def need(make_discussion, make_member):
    """A training need from a person called Mari Maasikas of paikesekiir, in Tartu county."""
    from forum.models import County

    author = make_member("mari", organization="paikesekiir", first_name="Mari", last_name="Mets")
    return make_discussion(
        "Koolitus kaasava hariduse kohta",
        kind=K.TRAINING,
        author=author,
        body="Meie töötajad soovivad õppida, kuidas **kaasata** erivajadustega lapsi.",
        tags=["kaasav haridus"],
        county=County.objects.get(slug="tartumaa"),
        details={"participants": 6},
    )


@pytest.fixture
def practice(make_discussion, make_member):
    author = make_member(
        "kertu", organization="emajoe-noored", first_name="Kertu", last_name="Kuusemets"
    )
    return make_discussion(
        "Noortekogu, mis päriselt otsustab",
        kind=K.PRACTICE,
        author=author,
        body="Meie noortekogu sai **oma eelarve**.\n\nTeine lõik jutust.",
        tags=["noorte osalus", "kaasamine"],
        details={"results": "Kolm noorte algatust said rahastuse.\nOsalus kasvas."},
    )


def _topic(topics, tag):
    return next(topic for topic in topics if topic.key == f"tag:{tag}")


def _training(make_discussion, make_member, org, tag, participants=None, **fields):
    return make_discussion(
        f"Koolitusvajadus {org} {tag} {fields.pop('n', '')}".strip(),
        kind=K.TRAINING,
        author=make_member(organization=org),
        tags=[tag] if tag else [],
        details={"participants": participants},
        **fields,
    )


# The roll-up ---------------------------------------------------------------------------------


def test_rollup_counts_organisations_needs_and_people(make_discussion, make_member):
    # Three organisations ask for "zz-digi" (paikesekiir twice), one for "zz-rahastus".
    _training(make_discussion, make_member, "paikesekiir", "zz-digi", 5, n=1)
    _training(make_discussion, make_member, "paikesekiir", "zz-digi", 3, n=2)
    _training(make_discussion, make_member, "emajoe-noored", "zz-digi", None)
    _training(make_discussion, make_member, "narva-pered", "zz-digi", 10)
    latest = _training(make_discussion, make_member, "parnu-tugi", "zz-rahastus", 2)
    # A question with the same tag is no training need.
    make_discussion("Küsimus", tags=["zz-digi"])

    topics = training_need_rollup()
    digi, money = _topic(topics, "zz-digi"), _topic(topics, "zz-rahastus")
    assert (digi.organization_count, digi.need_count, digi.participants) == (3, 4, 18)
    assert (money.organization_count, money.need_count, money.participants) == (1, 1, 2)
    assert money.latest == latest.created
    assert topics.index(digi) < topics.index(money)
    counts = [topic.organization_count for topic in topics]
    assert counts == sorted(counts, reverse=True)
    assert {need.organization.slug for need in digi.needs} == {
        "paikesekiir",
        "emajoe-noored",
        "narva-pered",
    }


def test_rollup_groups_untagged_needs_by_theme_or_other(make_discussion, make_member):
    theme = Theme.objects.get(slug="haridus")
    with_theme = _training(make_discussion, make_member, "paikesekiir", None, 4, theme=theme)
    without = _training(make_discussion, make_member, "emajoe-noored", None, 1)
    topics = training_need_rollup()
    by_theme = next(topic for topic in topics if topic.key == f"theme:{theme.pk}")
    other = next(topic for topic in topics if topic.key == "other")
    assert with_theme in by_theme.needs and without not in by_theme.needs
    assert without in other.needs
    assert by_theme.name == str(theme)


def test_rollup_normalises_tag_names(make_discussion, make_member):
    _training(make_discussion, make_member, "paikesekiir", "zz-digi")
    other = _training(make_discussion, make_member, "emajoe-noored", "zz-muu")
    # A tag made outside the forum's forms (the admin, an import) in another spelling.
    other.tags.set(["ZZ-Digi "])
    topic = _topic(training_need_rollup(), "zz-digi")
    assert topic.organization_count == 2


def test_hidden_needs_are_not_counted(make_discussion, make_member, coordinator):
    _training(make_discussion, make_member, "paikesekiir", "zz-peidus", 3)
    hidden = _training(make_discussion, make_member, "emajoe-noored", "zz-peidus", 7)
    hide_discussion(moderator=coordinator, discussion=hidden, hidden=True, reason="Reklaam.")
    topic = _topic(training_need_rollup(), "zz-peidus")
    assert (topic.organization_count, topic.need_count, topic.participants) == (1, 1, 3)
    assert hidden not in topic.needs


# The roll-up page ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # process-wide caches warm up first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_training_needs_page_only_for_coordinators(client, roles):
    url = reverse("forum:training_needs")
    assert url.endswith("/koolitusvajadused/")
    for name in ("liige", "esindaja", "toimetaja"):
        client.force_login(roles[name])
        assert client.get(url).status_code == 403, name
    client.logout()
    assert client.get(url).status_code in (302, 403)
    client.force_login(roles["koordinaator"])
    assert client.get(url).status_code == 200


def test_training_needs_page_lists_topics_and_drafts(client, coordinator, need, make_discussion):
    drafted = _training(make_discussion, lambda **kw: need.author, "paikesekiir", "zz-leht")
    create_event_draft(coordinator=coordinator, discussion=drafted)
    drafted.refresh_from_db()
    client.force_login(coordinator)
    response = client.get(reverse("forum:training_needs"))
    html = response.content.decode()
    assert 'data-topic="tag:kaasav haridus"' in html
    assert need.get_absolute_url() in html
    assert reverse("forum:discussion_event_draft", args=[need.pk]) in html
    # The drafted need points to its draft instead of offering a second one.
    assert f'href="{drafted.get_absolute_url()}#public-drafts"' in html
    assert reverse("forum:discussion_event_draft", args=[drafted.pk]) not in html


def test_training_needs_page_query_count_is_constant(
    client, coordinator, make_discussion, make_member
):
    client.force_login(coordinator)
    url = reverse("forum:training_needs")
    _training(make_discussion, make_member, "paikesekiir", "zz-a", 2)
    small = _queries(client, url)
    for n, org in enumerate(["emajoe-noored", "narva-pered", "parnu-tugi", "saarte-lapsed"]):
        _training(make_discussion, make_member, org, f"zz-b{n}", 3, n=n)
        _training(make_discussion, make_member, org, "zz-a", 1, n=n)
    drafted = _training(make_discussion, make_member, "viljandi-kasvame", "zz-a", 1)
    create_event_draft(coordinator=coordinator, discussion=drafted)
    assert _queries(client, url) == small


def test_overview_links_to_training_needs(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("forum:overview"))
    assert reverse("forum:training_needs") in response.content.decode()


# Event drafts --------------------------------------------------------------------------------


def _events_index():
    return EventIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()


def test_event_draft_is_an_unpublished_event_under_the_events_page(
    coordinator, need, make_discussion, make_member
):
    # Another organisation asks for the same topic: the lead counts both.
    _training(make_discussion, make_member, "narva-pered", "kaasav haridus", 4)
    page = create_event_draft(coordinator=coordinator, discussion=need)

    assert isinstance(page, EventPage)
    page = EventPage.objects.get(pk=page.pk)
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().pk == _events_index().pk
    assert page.locale == Locale.get_default()
    assert page.title == need.title
    assert "2" in page.lead and "10" in page.lead  # two organisations, ten people
    assert "<strong>kaasata</strong>" in str(page.body)
    assert page.body[0].block_type == "paragraph"
    start = timezone.localtime(page.start)
    assert start.date() == timezone.localdate() + datetime.timedelta(days=30)
    assert (start.hour, start.minute) == (10, 0)
    assert page.end - page.start == datetime.timedelta(hours=3)
    assert page.location and not page.online  # the need's county
    assert page.get_latest_revision().user == coordinator
    need.refresh_from_db()
    assert need.event_page_id == page.pk
    assert ModelLogEntry.objects.filter(
        action="forum.discussion.event_draft", object_id=str(need.pk)
    ).exists()
    # Not on the public site until an editor publishes it.
    assert page not in EventPage.objects.live()


def test_event_draft_for_all_of_estonia_is_online(coordinator, make_discussion, make_member):
    estonia_wide = _training(make_discussion, make_member, "paikesekiir", "zz-veeb")
    page = create_event_draft(coordinator=coordinator, discussion=estonia_wide)
    assert page.online and page.location == ""


def test_event_draft_is_idempotent(coordinator, need):
    first = create_event_draft(coordinator=coordinator, discussion=need)
    count = EventPage.objects.count()
    again = create_event_draft(coordinator=coordinator, discussion=need)
    assert again.pk == first.pk
    assert EventPage.objects.count() == count
    assert EventPage.objects.filter(title=need.title).count() == 1
    assert (
        ModelLogEntry.objects.filter(
            action="forum.discussion.event_draft", object_id=str(need.pk)
        ).count()
        == 1
    )


def test_event_draft_refuses_other_kinds_and_non_coordinators(coordinator, need, practice, roles):
    count = Page.objects.count()
    with pytest.raises(ValidationError):
        create_event_draft(coordinator=coordinator, discussion=practice)
    for name in ("liige", "esindaja", "toimetaja"):
        with pytest.raises(PermissionDenied):
            create_event_draft(coordinator=roles[name], discussion=need)
    assert Page.objects.count() == count
    need.refresh_from_db()
    assert need.event_page_id is None


def test_event_draft_refuses_hidden_needs(coordinator, need):
    hide_discussion(moderator=coordinator, discussion=need, hidden=True, reason="Vale koht.")
    with pytest.raises(ValidationError):
        create_event_draft(coordinator=coordinator, discussion=need)


def test_event_draft_without_events_page(coordinator, need):
    EventIndexPage.objects.filter(locale=Locale.get_default()).delete()
    with pytest.raises(ValidationError):
        create_event_draft(coordinator=coordinator, discussion=need)
    need.refresh_from_db()
    assert need.event_page_id is None


# Article drafts ------------------------------------------------------------------------------


def test_article_draft_copies_the_practice_and_credits_the_organisation(coordinator, practice):
    page = create_article_draft(coordinator=coordinator, discussion=practice)
    page = ArticlePage.objects.get(pk=page.pk)
    index = ArticleIndexPage.objects.filter(locale=Locale.get_default()).order_by("path")[0]
    assert page.get_parent().pk == index.pk
    assert not page.live and page.has_unpublished_changes
    assert page.title == practice.title
    assert page.lead.startswith("Meie noortekogu sai oma eelarve")
    body = str(page.body)
    assert "<strong>oma eelarve</strong>" in body and "Teine lõik jutust." in body
    assert "Kolm noorte algatust said rahastuse." in body
    assert [block.block_type for block in page.body] == [
        "paragraph",
        "heading",
        "paragraph",
        "paragraph",
    ]
    assert practice.organization.name in body
    revision_text = str(page.get_latest_revision().content)
    for personal in ("Kertu", "Kuusemets", "kertu@example.org"):
        assert personal not in body and personal not in page.lead
        assert personal not in revision_text
    assert set(page.tags.names()) == {"noorte osalus", "kaasamine"}
    practice.refresh_from_db()
    assert practice.article_page_id == page.pk
    assert ModelLogEntry.objects.filter(
        action="forum.discussion.article_draft", object_id=str(practice.pk)
    ).exists()


def test_an_editor_publishes_the_article_draft(client, coordinator, practice):
    page = create_article_draft(coordinator=coordinator, discussion=practice)
    assert client.get(page.url).status_code == 404
    page.get_latest_revision().publish()
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert practice.organization.name in html
    assert "Kuusemets" not in html
    assert set(page.tags.names()) == {"noorte osalus", "kaasamine"}


def test_an_editor_publishes_the_event_draft(client, coordinator, need):
    page = create_event_draft(coordinator=coordinator, discussion=need)
    page.get_latest_revision().publish()
    page = EventPage.objects.get(pk=page.pk)
    assert page.live
    assert client.get(page.url).status_code == 200


def test_article_draft_is_idempotent_and_refuses_other_kinds(coordinator, practice, need):
    first = create_article_draft(coordinator=coordinator, discussion=practice)
    count = Page.objects.count()
    assert create_article_draft(coordinator=coordinator, discussion=practice).pk == first.pk
    with pytest.raises(ValidationError):
        create_article_draft(coordinator=coordinator, discussion=need)
    assert Page.objects.count() == count


def test_article_draft_refuses_non_coordinators(roles, practice):
    count = Page.objects.count()
    for name in ("liige", "liige2", "toimetaja"):
        with pytest.raises(PermissionDenied):
            create_article_draft(coordinator=roles[name], discussion=practice)
    assert Page.objects.count() == count


def test_article_draft_without_results_has_no_results_heading(
    coordinator, make_discussion, make_member
):
    practice = make_discussion(
        "Lühike praktika",
        kind=K.PRACTICE,
        author=make_member(organization="narva-pered"),
        body="Tegime nii.",
    )
    page = create_article_draft(coordinator=coordinator, discussion=practice)
    assert [block.block_type for block in page.body] == ["paragraph", "paragraph"]
    assert page.lead == "Tegime nii."


# Views ---------------------------------------------------------------------------------------


def test_event_draft_view_redirects_to_the_admin_editor(client, roles, need):
    admin = roles["admin"]
    client.force_login(admin)
    url = reverse("forum:discussion_event_draft", args=[need.pk])
    assert url.endswith(f"/arutelud/{need.pk}/koolitus/")
    assert client.get(url).status_code == 405
    response = client.post(url)
    need.refresh_from_db()
    assert need.event_page_id
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[need.event_page_id])
    # A double click leads to the same draft.
    assert client.post(url)["Location"] == response["Location"]
    assert EventPage.objects.filter(title=need.title).count() == 1


def test_article_draft_view_redirects_to_the_admin_editor(client, roles, practice):
    client.force_login(roles["admin"])
    url = reverse("forum:discussion_article_draft", args=[practice.pk])
    assert url.endswith(f"/arutelud/{practice.pk}/artikkel/")
    response = client.post(url)
    practice.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[practice.article_page_id]
    )


def test_coordinator_without_page_rights_returns_to_the_discussion(client, coordinator, need):
    client.force_login(coordinator)
    response = client.post(reverse("forum:discussion_event_draft", args=[need.pk]))
    need.refresh_from_db()
    assert need.event_page_id
    assert response.status_code == 302
    page = need.event_page
    expected = (
        reverse("wagtailadmin_pages:edit", args=[page.pk])
        if page.permissions_for_user(coordinator).can_edit()
        else need.get_absolute_url()
    )
    assert response["Location"] == expected


def test_draft_view_with_the_wrong_kind_goes_back_with_a_message(client, coordinator, practice):
    client.force_login(coordinator)
    response = client.post(reverse("forum:discussion_event_draft", args=[practice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == practice.get_absolute_url()
    texts = [str(message) for message in response.context["messages"]]
    assert gettext("Only a training need can become a training on the public site.") in texts
    practice.refresh_from_db()
    assert practice.event_page_id is None


def test_draft_views_refuse_members(client, roles, need, practice):
    client.force_login(roles["liige"])
    count = Page.objects.count()
    assert client.post(reverse("forum:discussion_event_draft", args=[need.pk])).status_code == 403
    assert (
        client.post(reverse("forum:discussion_article_draft", args=[practice.pk])).status_code
        == 403
    )
    assert client.post(reverse("forum:discussion_event_draft", args=[999999])).status_code == 403
    assert Page.objects.count() == count


def test_draft_view_of_a_missing_discussion_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("forum:discussion_event_draft", args=[999999])).status_code == 404


def test_public_drafts_panel(client, coordinator, roles, need, practice):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = coordinator
    html = render_to_string(
        "forum/includes/discussion_public_drafts.html",
        {"discussion": need, "forum_coordinator": True},
        request=request,
    )
    assert reverse("forum:discussion_event_draft", args=[need.pk]) in html
    html = render_to_string(
        "forum/includes/discussion_public_drafts.html",
        {"discussion": practice, "forum_coordinator": True},
        request=request,
    )
    assert reverse("forum:discussion_article_draft", args=[practice.pk]) in html
    page = create_article_draft(coordinator=coordinator, discussion=practice)
    practice.refresh_from_db()
    html = render_to_string(
        "forum/includes/discussion_public_drafts.html",
        {"discussion": practice, "forum_coordinator": True},
        request=request,
    )
    assert reverse("forum:discussion_article_draft", args=[practice.pk]) not in html
    # A coordinator without page rights in the admin is told the draft waits for an editor;
    # someone who may edit it there gets the link.
    assert 'id="article-draft-waiting"' in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in html
    request.user = roles["admin"]
    html = render_to_string(
        "forum/includes/discussion_public_drafts.html",
        {"discussion": practice, "forum_coordinator": True},
        request=request,
    )
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    # Members see nothing of it.
    request.user = roles["liige"]
    html = render_to_string(
        "forum/includes/discussion_public_drafts.html",
        {"discussion": need, "forum_coordinator": False},
        request=request,
    )
    assert "<form" not in html and "public-drafts" not in html


def test_discussion_page_shows_the_draft_buttons_to_coordinators_only(
    client, coordinator, roles, need, practice
):
    event_action = reverse("forum:discussion_event_draft", args=[need.pk])
    article_action = reverse("forum:discussion_article_draft", args=[practice.pk])
    client.force_login(coordinator)
    assert event_action in client.get(need.get_absolute_url()).content.decode()
    assert article_action in client.get(practice.get_absolute_url()).content.decode()
    page = create_event_draft(coordinator=coordinator, discussion=need)
    html = client.get(need.get_absolute_url()).content.decode()
    assert event_action not in html
    assert 'id="event-draft-waiting"' in html
    client.force_login(roles["admin"])
    html = client.get(need.get_absolute_url()).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    client.force_login(roles["liige"])
    html = client.get(practice.get_absolute_url()).content.decode()
    assert article_action not in html and 'id="public-drafts"' not in html


def test_an_article_draft_with_line_breaks_opens_in_the_editor(client, roles, make_discussion):
    """Issue 18: Markdown line breaks (and the results' lines) made <br> tags that Wagtail's
    editor could not read: opening the draft answered 500."""
    practice = make_discussion(
        "Reavahetustega praktika",
        kind=K.PRACTICE,
        body="Esimene rida  \nteine rida.",
        details={"results": "Üks tulemus.\nTeine tulemus."},
    )
    page = create_article_draft(coordinator=roles["admin"], discussion=practice)
    client.force_login(roles["admin"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "teine rida" in response.content.decode()


def test_two_practices_of_one_title_make_two_drafts(roles, make_discussion):
    """Wagtail refuses a slug a sibling has: the second draft of the same title gets its own."""
    first, second = (
        make_discussion("Sama pealkiri", kind=K.PRACTICE, details={"results": "Toimib."})
        for _ in range(2)
    )
    pages = [
        create_article_draft(coordinator=roles["admin"], discussion=d) for d in (first, second)
    ]
    assert [p.slug for p in pages] == ["sama-pealkiri", "sama-pealkiri-2"]
