"""Finding personal identification codes that are already stored (issue 16).

The guard (forum.core.privacy) keeps codes out of what is written from now on; this reads what got
in before it was hardened: every text and JSON field of every model (Wagtail's revisions and the
forum's own among them), the stored documents' contents, and the Whoosh search index. A hit
names where the code is (object, field, position), never the code or the text around it.
`manage.py scan_personal_codes` runs it; `hide_hits` hides the forum posts among the hits for a
coordinator's review through the moderation services."""

import json
import os
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.documents import get_document_model

from forum.core.documents import ALLOWED_TYPES, extract_text
from forum.core.privacy import UNGUARDED_MODEL_FIELDS, TooManyNumbers, find_isikukood, is_text_field

HIDE_REASON = _("Contains a personal identification code (found by an automatic scan).")

CODE = "personal identification code"
TOO_MANY_NUMBERS = "too many numbers to check"
UNREADABLE = "file could not be read"

# StreamField block ids and translation keys are UUIDs: their hyphenated digit groups could
# pass for a code written with separators, and no person typed them.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Hit:
    where: str  # "forum.Issue 12", "document 4 (juhend.txt)", "search index forum.issue, …"
    field: str  # a model field, with the path inside JSON ("content.body.2.value")
    position: int | None  # in the text as a reader sees it; None when the text was not checked
    problem: str = CODE
    model: type[models.Model] | None = None  # with pk: the stored object, for hiding and fixing
    pk: object = None
    source: str = "database"  # "database", "document" or "index"


@dataclass
class Scan:
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not read, and why
    objects: int = 0
    fields: int = 0
    documents: int = 0
    index_terms: int = 0

    def check(self, text: str, **where) -> None:
        try:
            found = find_isikukood(text)
        except TooManyNumbers:
            self.hits.append(Hit(position=None, problem=TOO_MANY_NUMBERS, **where))
        else:
            if found:
                self.hits.append(Hit(position=found.position, **where))


def scan_all() -> Scan:
    scan = Scan()
    scan_database(scan)
    scan_documents(scan)
    scan_search_index(scan)
    return scan


# The database -----------------------------------------------------------------------------------


def stored_texts(value, path: str):
    """(path, text) for every piece of text in a stored value: JSON and StreamField data walked
    (keys are names, not text), strings holding JSON parsed (a revision keeps a StreamField so),
    numbers as digits (a code may have been stored as one)."""
    if hasattr(value, "raw_data"):  # a StreamValue: the blocks as stored
        value = list(value.raw_data)
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if isinstance(parsed, (list, dict)):
                yield from stored_texts(parsed, path)
                return
        if value and not _UUID.fullmatch(value):
            yield path, value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, str(value)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from stored_texts(item, f"{path}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from stored_texts(item, f"{path}.{key}")


def scanned_fields(model) -> list:
    """The model's own text fields (file fields by their names) and JSON fields; a child model
    of multi-table inheritance leaves its parent's to the parent."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.model is model
        and f"{model._meta.label}.{f.name}" not in UNGUARDED_MODEL_FIELDS
        and (is_text_field(f) or isinstance(f, models.JSONField))
    ]


def scan_database(scan: Scan) -> None:
    for model in apps.get_models():
        fields = scanned_fields(model)
        if not fields:
            continue
        # The base manager: a default manager may leave out hidden or deleted rows.
        rows = model._base_manager.order_by("pk").values_list("pk", *(f.attname for f in fields))
        try:
            with transaction.atomic():  # a table that cannot be read must not end the scan
                for pk, *values in rows.iterator(chunk_size=1000):
                    scan.objects += 1
                    for f, value in zip(fields, values, strict=True):
                        for path, text in stored_texts(value, f.name):
                            scan.fields += 1
                            where = {"where": f"{model._meta.label} {pk}", "field": path}
                            scan.check(text, **where, model=model, pk=pk)
        except DatabaseError as error:
            scan.notes.append(f"Table of {model._meta.label} could not be read: {error}")


# Stored documents -------------------------------------------------------------------------------


def _file_label(document) -> str:
    name = document.file.name or ""
    try:
        shown = name if not find_isikukood(name) else "name withheld: it carries a code"
    except TooManyNumbers:
        shown = "name withheld"
    return f"document {document.pk} ({shown})"


def scan_documents(scan: Scan) -> None:
    """Each Wagtail document's file, read through its storage."""
    Document = get_document_model()
    for document in Document.objects.order_by("pk").iterator():
        where = {
            "where": _file_label(document),
            "field": "content",
            "model": Document,
            "pk": document.pk,
            "source": "document",
        }
        name = document.file.name
        ext = os.path.splitext(name or "")[1].lower().lstrip(".")
        try:
            if not name or not document.file.storage.exists(name):
                # Nothing stored, nothing to leak: a note, not a hit.
                scan.notes.append(f"{where['where']}: the file is missing from the storage.")
                continue
            if ext not in ALLOWED_TYPES:
                scan.hits.append(Hit(position=None, problem="file of a type not read", **where))
                continue
            with document.file.storage.open(name, "rb") as f:
                data = f.read()
            text = extract_text(ext, data)
        except Exception:  # a damaged, encrypted or unreachable file: reported, never fatal
            scan.hits.append(Hit(position=None, problem=UNREADABLE, **where))
            continue
        scan.documents += 1
        scan.check(text, **where)


# The search index -------------------------------------------------------------------------------


def scan_search_index(scan: Scan) -> None:
    """The Whoosh indexes of the configured search backends. Only an object id is stored per
    document, so what could hold a code is the lexicon: every indexed term with at least eleven
    digits is checked (a code written with spaces is several terms, and read in the database)."""
    from modelsearch.backends import get_search_backend

    from search.backends.whoosh import WhooshSearchBackend

    for alias in settings.WAGTAILSEARCH_BACKENDS:
        backend = get_search_backend(alias)
        if not isinstance(backend, WhooshSearchBackend):
            scan.notes.append(
                f"Search backend “{alias}” is not a Whoosh index: not read here (a database "
                "backend's entries were read with the database)."
            )
            continue
        if not os.path.isdir(backend.path):
            scan.notes.append(f"Search index “{alias}”: nothing at {backend.path}.")
            continue
        stored = set()
        for name in sorted(os.listdir(backend.path)):
            directory = os.path.join(backend.path, name)
            # Every generation: one a rebuild left behind holds text as much as the live one.
            for generation in sorted(os.listdir(directory)) if os.path.isdir(directory) else ():
                path = os.path.join(directory, generation)
                if os.path.isdir(path):
                    stored |= _scan_whoosh(scan, path, f"search index {name}")
        if stored <= {"@id"}:
            scan.notes.append(
                f"Search index “{alias}” stores no text, only each document's object id; "
                "its terms were checked."
            )


def _scan_whoosh(scan: Scan, path: str, label: str) -> set:
    from whoosh import fields as wf
    from whoosh import index as wi

    if not wi.exists_in(path):
        return set()
    try:
        ix = wi.open_dir(path)
    except Exception:
        scan.hits.append(Hit(label, "", None, "index could not be read", source="index"))
        return set()
    with ix.reader() as reader:
        for docnum, values in reader.iter_docs():
            for name, value in values.items():
                if name != "@id":
                    scan.fields += 1
                    scan.check(str(value), where=f"{label}, document {docnum}", field=name)
        for fieldname in sorted(reader.indexed_field_names()):
            if isinstance(ix.schema[fieldname], wf.NUMERIC):
                continue  # numbers of filter fields (ids, dates), encoded, not typed text
            for term in reader.lexicon(fieldname):
                scan.index_terms += 1
                text = term.decode("utf-8", "replace")
                if len(_DIGIT.findall(text)) >= 11:
                    try:
                        problem = CODE if find_isikukood(text) else None
                    except TooManyNumbers:
                        problem = TOO_MANY_NUMBERS
                    if problem:
                        scan.hits += _term_hits(reader, label, fieldname, term, problem)
    return set(ix.schema.stored_names())


def _term_hits(reader, label: str, fieldname: str, term: bytes, problem: str) -> list[Hit]:
    """A term's hit for each live document that holds it, at its word position; a term only
    deleted documents held is still on disk until the index is rebuilt."""
    hits = []
    matcher = reader.postings(fieldname, term)
    while matcher.is_active():
        positions = matcher.value_as("positions") if matcher.supports("positions") else [None]
        where = f"{label}, document of object {reader.stored_fields(matcher.id()).get('@id')}"
        hits.append(Hit(where, fieldname, positions[0], problem, source="index"))
        matcher.next()
    return hits or [Hit(f"{label}, a deleted document", fieldname, None, problem, source="index")]


# Acting on hits ---------------------------------------------------------------------------------


def _hiding_services():
    from forum.discussions.models import Discussion, Reply
    from forum.discussions.services import hide_discussion, hide_reply
    from forum.issues.models import Comment, Issue
    from forum.issues.services import hide_comment, hide_issue

    return {
        Issue: (hide_issue, "issue"),
        Comment: (hide_comment, "comment"),
        Discussion: (hide_discussion, "discussion"),
        Reply: (hide_reply, "reply"),
    }


def can_hide(hit: Hit) -> bool:
    return hit.source == "database" and hit.problem == CODE and hit.model in _hiding_services()


def hide_hits(hits: list[Hit], moderator) -> dict[tuple, str]:
    """Hide each post among the hits for a coordinator's review, through the moderation
    service a coordinator would use; the outcome by (model, pk). An already hidden post keeps
    the reason it was hidden for."""
    services = _hiding_services()
    with translation.override(settings.LANGUAGE_CODE):  # stored, so in the site's language
        reason = str(HIDE_REASON)
    outcomes = {}
    for hit in filter(can_hide, hits):
        key = (hit.model, hit.pk)
        if key in outcomes:
            continue
        obj = hit.model._base_manager.filter(pk=hit.pk).first()
        if obj is None or obj.hidden:
            outcomes[key] = "already hidden" if obj else "gone"
            continue
        service, argument = services[hit.model]
        try:
            service(moderator=moderator, reason=reason, **{argument: obj})
        except (PermissionDenied, ValidationError) as error:
            outcomes[key] = f"could not be hidden: {error}"
        else:
            outcomes[key] = "hidden for a coordinator's review"
    return outcomes


def where_to_fix(hit: Hit) -> str:
    """Where a person removes the code: the admin page that edits the object, if any."""
    if hit.source == "index":
        return "correct the source, then rebuild the index: manage.py update_index"
    if hit.model is None:
        return "an administrator looks at it"
    obj = hit.model._base_manager.filter(pk=hit.pk).first()
    if obj is None:
        return "the object is gone; run the scan again"
    if can_hide(hit):  # a forum post: a coordinator edits or hides it on its page
        page = _absolute(_page_of(obj))
        if obj.hidden:
            return f"hidden; a coordinator reviews it at {page}"
        return f"a coordinator hides it at {page} (or run with --hide)"
    if hit.model._meta.app_label == "wagtailsearch":
        return "rebuild the search index: manage.py update_index"
    finder = AdminURLFinder()
    if hit.model._meta.label == "wagtailcore.Revision":
        target = obj.content_object
        url = finder.get_edit_url(target) if target else None
        edit = f"edit {_absolute(url)}, then " if url else ""
        return f"{edit}remove old revisions: manage.py purge_revisions"
    url = finder.get_edit_url(obj)
    attachment = getattr(obj, "forum_attachment", None)  # a document attached in the forum
    if attachment:
        discussion = _absolute(attachment.discussion.get_absolute_url())
        return f"replace the file at {_absolute(url)}, or hide the discussion {discussion}"
    if url:
        return f"edit {_absolute(url)}"
    page = _page_of(obj)
    shown = f" (it belongs to {_absolute(page)})" if page else ""
    return f"no page edits it: an administrator corrects it in the database{shown}"


def _page_of(obj, depth: int = 2) -> str | None:
    """The forum page the object belongs to: its own, or that of what it refers to (a comment's
    revision: the comment's issue)."""
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    if depth:
        for f in obj._meta.concrete_fields:
            target = getattr(obj, f.name) if f.many_to_one else None
            if target is not None and (page := _page_of(target, depth - 1)):
                return page
    return None


def _absolute(url: str) -> str:
    if url and url.startswith("/") and settings.WAGTAILADMIN_BASE_URL:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url
