"""`manage.py scan_personal_codes` finds personal identification codes stored before the guard
was hardened: in text and JSON fields (revisions too), stored documents and the search index.
It names object, field and position, never the code or the text around it; exits 1 when it
finds something; with --hide --as <coordinator>, hides the forum posts among the hits through
the moderation services and leaves the rest to a person. Codes are planted through the ORM,
past the guard, as old data would have got in."""

import io
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents.models import Document
from wagtail.models import Revision
from wagtail.search.index import insert_or_update_object

from forum import services
from forum.core import privacy
from forum.models import Comment, Issue, IssueRevision, Organization, Reply
from forum.moderation.scan import Scan, scan_database, stored_texts

pytestmark = pytest.mark.django_db

CODES = ("37605030299", "49403136515", "60001019906", "50001010006")
REASON_ET = "Sisaldab isikukoodi (leitud automaatse kontrolliga)."


def _scan(*args) -> tuple[str, int]:
    """The command's output and exit status."""
    out = io.StringIO()
    try:
        call_command("scan_personal_codes", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def _assert_no_code_shown(out: str):
    for code in CODES:
        assert code not in out
    assert "Lapse kood" not in out and "Sünniaeg" not in out  # nor the text around one


@pytest.fixture
def planted(make_issue, make_member, make_discussion, organizations, home):
    """A code in each kind of place, written past the guard."""
    author = make_member("vana-liige")
    issue = make_issue(author=author, body="Kirjeldus.")
    Issue.objects.filter(pk=issue.pk).update(body="Kirjeldus. Lapse kood 37605030299")
    comment = services.add_comment(author=author, issue=issue, body="Kommentaar.")
    Comment.objects.filter(pk=comment.pk).update(body="Lapse kood 4940313 6515.")
    discussion = make_discussion(author=author)
    reply = services.add_reply(author=author, discussion=discussion, body="Vastus.")
    Reply.objects.filter(pk=reply.pk).update(body="Lapse kood: <b>600010</b>19906")
    revision = IssueRevision.objects.create(
        issue=issue, changes={"body": ["Sünniaeg 50001010006", "Kirjeldus."]}
    )
    type(author).objects.filter(pk=author.pk).update(last_name="60001019906")
    organization = organizations["paikesekiir"]
    Organization.objects.filter(pk=organization.pk).update(description="Lapse kood 50001010006")
    # A page revision keeps its StreamField as a JSON string inside the revision's JSON.
    page_revision = home.save_revision()
    content = page_revision.content
    blocks = json.loads(content["body"]) if content.get("body") else []
    blocks.append(
        {"type": "paragraph", "value": "<p>Lapse kood 37605030299</p>", "id": str(uuid.uuid4())}
    )
    content["body"] = json.dumps(blocks)
    Revision.objects.filter(pk=page_revision.pk).update(content=content)
    document = Document.objects.create(
        title="Juhend",
        file=ContentFile("Sünniaeg ja isikukood: 49403136515".encode(), name="juhend.txt"),
    )
    return {
        "issue": issue,
        "comment": comment,
        "reply": reply,
        "revision": revision,
        "user": author,
        "organization": organization,
        "page_revision": page_revision,
        "document": document,
        "blocks": len(blocks),
    }


def test_each_planted_code_is_reported_by_object_field_and_position(planted):
    out, status = _scan()
    assert status == 1
    p = planted
    expected = [
        f"forum.Issue {p['issue'].pk}, field body, at character 22",
        f"forum.Comment {p['comment'].pk}, field body, at character 11",
        f"forum.Reply {p['reply'].pk}, field body, at character 12",
        f"forum.IssueRevision {p['revision'].pk}, field changes.body.0, at character 9",
        f"auth.User {p['user'].pk}, field last_name, at character 0",
        f"forum.Organization {p['organization'].pk}, field description, at character 11",
        f"wagtailcore.Revision {p['page_revision'].pk}, field content.body.{p['blocks'] - 1}.value",
        f"document {p['document'].pk} (documents/juhend.txt), field content, at character 23",
    ]
    for line in expected:
        assert line in out
    assert "personal identification code" in out
    assert "8 hits, 0 not checked" in out
    assert "Read " in out and " documents, " in out
    _assert_no_code_shown(out)
    # Without --hide, nothing changes.
    assert not Issue.objects.get(pk=p["issue"].pk).hidden


def test_what_cannot_be_hidden_says_where_a_person_fixes_it(planted):
    out, _status = _scan()
    lines = {line.split(",")[0]: line for line in out.splitlines()}
    org = planted["organization"].pk
    assert f"/admin/snippets/forum/organization/edit/{org}/" in lines[f"forum.Organization {org}"]
    user = planted["user"].pk
    assert f"/admin/users/edit/{user}/" in lines[f"auth.User {user}"]
    page_revision = lines[f"wagtailcore.Revision {planted['page_revision'].pk}"]
    assert "/admin/pages/" in page_revision and "purge_revisions" in page_revision
    document = planted["document"].pk
    assert (
        f"/admin/documents/edit/{document}/" in lines[f"document {document} (documents/juhend.txt)"]
    )
    revision = lines[f"forum.IssueRevision {planted['revision'].pk}"]
    assert "an administrator corrects it" in revision
    assert planted["issue"].get_absolute_url() in revision
    assert "(or run with --hide)" in lines[f"forum.Issue {planted['issue'].pk}"]


def test_hide_hides_the_posts_through_moderation_and_leaves_the_rest(planted, coordinator):
    out, status = _scan("--hide", "--as", coordinator.username)
    assert status == 1
    for model, key in ((Issue, "issue"), (Comment, "comment"), (Reply, "reply")):
        post = model.objects.get(pk=planted[key].pk)
        assert post.hidden and post.hidden_reason == REASON_ET
        assert f"{model._meta.label} {post.pk}, field body" in out
    assert out.count("Hidden for a coordinator's review.") == 3
    assert out.count("Needs a person:") == 5
    _assert_no_code_shown(out)
    # Through the services: the audit log records the coordinator.
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="forum.issue.hide", object_id=str(planted["issue"].pk))
    assert entry.user == coordinator
    # Run again: still reported (the text still has the code), already hidden.
    again, status = _scan()
    assert status == 1
    assert "hidden; a coordinator reviews it at" in again


def test_hide_needs_an_acting_coordinator(planted, make_member):
    with pytest.raises(CommandError, match="--as"):
        call_command("scan_personal_codes", "--hide", stdout=io.StringIO())
    member = make_member("tavaliige")
    with pytest.raises(CommandError, match="not an active coordinator"):
        call_command("scan_personal_codes", "--hide", "--as", member.username, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("scan_personal_codes", "--hide", "--as", "keegi", stdout=io.StringIO())
    assert not Issue.objects.get(pk=planted["issue"].pk).hidden


def test_a_clean_database_reports_nothing_and_exits_0(make_issue, make_member, coordinator):
    issue = make_issue(body="Kooli telefon 5123 4567, tuba 101, aasta 2024.")
    services.add_comment(author=make_member(), issue=issue, body="Meil ka 12 last.")
    out, status = _scan("--hide", "--as", coordinator.username)
    assert status == 0
    assert "0 hits, 0 not checked" in out
    assert not Issue.objects.get(pk=issue.pk).hidden


def test_unreadable_and_missing_documents_are_reported_not_fatal(make_issue):
    broken = Document.objects.create(
        title="Katki", file=ContentFile(b"not a pdf at all", name="katki.pdf")
    )
    missing = Document.objects.create(title="Kadunud", file=ContentFile(b"x", name="kadunud.txt"))
    missing.file.storage.delete(missing.file.name)
    out, status = _scan()
    assert status == 1  # a file that could not be read could hold a code
    assert (
        f"document {broken.pk} (documents/katki.pdf), field content: file could not be read" in out
    )
    assert f"document {missing.pk} (documents/kadunud.txt): the file is missing" in out
    assert "0 hits, 1 not checked" in out


def test_text_with_too_many_numbers_is_reported_unchecked(make_issue, monkeypatch):
    issue = make_issue()
    Issue.objects.filter(pk=issue.pk).update(body="37605030290 37605030291 37605030292")
    monkeypatch.setattr(privacy, "MAX_CANDIDATES", 2)
    out, status = _scan()
    assert status == 1
    assert f"forum.Issue {issue.pk}, field body: too many numbers to check." in out


def test_stored_texts_walks_json_and_skips_names_and_uuids():
    value = {
        "title": "Pealkiri",
        "body": json.dumps(
            [{"type": "paragraph", "value": "<p>Tekst</p>", "id": str(uuid.uuid4())}]
        ),
        "pk": 12,
        "live": True,
        "translation_key": str(uuid.uuid4()),
    }
    assert list(stored_texts(value, "content")) == [
        ("content.title", "Pealkiri"),
        ("content.body.0.type", "paragraph"),
        ("content.body.0.value", "<p>Tekst</p>"),
        ("content.pk", "12"),
    ]


def test_scan_database_is_usable_on_its_own(planted):
    scan = Scan()
    scan_database(scan)
    issue_hits = [h for h in scan.hits if h.model is Issue]
    assert [(h.pk, h.field, h.position) for h in issue_hits] == [(planted["issue"].pk, "body", 22)]
    assert scan.objects > 0 and scan.fields > 0


def test_without_a_whoosh_index_the_scan_says_so():
    out, status = _scan()
    assert status == 0
    assert "is not a Whoosh index: not read here" in out


@pytest.mark.search
def test_the_search_index_is_read_and_a_stale_entry_is_found(make_issue):
    issue = make_issue(body="Kirjeldus.")
    Issue.objects.filter(pk=issue.pk).update(body="Kirjeldus 37605030299.")
    insert_or_update_object(Issue.objects.get(pk=issue.pk))
    # Corrected in the database without reindexing: the index still holds the code.
    Issue.objects.filter(pk=issue.pk).update(body="Kirjeldus.")
    out, status = _scan()
    assert status == 1
    assert f"search index forum.issue, document of object {issue.pk}, field body__et" in out
    assert "manage.py update_index" in out
    assert "stores no text, only each document's object id" in out
    assert f"forum.Issue {issue.pk}," not in out
    _assert_no_code_shown(out)


@pytest.mark.search
def test_the_demo_data_has_no_code(settings):
    """The whole demo (accounts, issues, discussions and their document, as `make demo` loads
    it in DEBUG) with its search index: nothing is found."""
    settings.DEBUG = True
    indexed = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {"default": {**indexed["default"], "AUTO_UPDATE": False}}
    call_command("load_demo", stdout=io.StringIO())
    settings.WAGTAILSEARCH_BACKENDS = indexed
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert Document.objects.exists() and Issue.objects.exists()
    out, status = _scan()
    assert status == 0, out
    assert "0 hits, 0 not checked" in out
    assert f"{Document.objects.count()} documents" in out
    assert "its terms were checked" in out
