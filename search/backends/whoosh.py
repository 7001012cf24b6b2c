"""A Whoosh backend for modelsearch, the search framework Wagtail is built on.

Configure it like any other backend:

    WAGTAILSEARCH_BACKENDS = {"default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": "var/search",       # a directory; one Whoosh index per root model under it
        "LANGUAGE": "et",           # the analysis of documents without a language of their own
    }}

Layout on disk: PATH/<app>.<model>/CURRENT names the live generation, a sibling directory
holding a Whoosh index. A rebuild fills a fresh generation and then swaps CURRENT, so searches
keep answering from the old one while it runs. A generation's name carries SCHEMA_VERSION and
the analyser's version; an index of another version is unavailable until `update_index`.

Documents: one per object under its most specific indexed class. Field names are paths
("title", "authors.name") with a suffix for their kind, matched by the schema's glob fields:
text is analysed as Estonian (`__et`) or English (`__en`) by the document's language, `__ac`
holds edge n-grams for autocomplete, and filter values are `__i` (integers, dates, times and
booleans as integers), `__r` (reals) or `__k` (exact strings). `@all__et`/`@all__en` gather
all text, `@ct` the model and its indexed ancestors, `@null` the filter paths without a value
and `@words` the plain words for spelling suggestions.

This module imports nothing from the project beyond `search.analysis`, so it runs in a
settings module without the project's apps (modelsearch's conformance suite does).
"""

import datetime
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import uuid
from collections import Counter, OrderedDict, defaultdict
from contextlib import contextmanager
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import OrderBy, Subquery
from django.db.models.sql import Query
from django.db.models.sql.constants import MULTI, SINGLE
from django.utils import timezone
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
    OrderByFieldError,
    SearchFieldError,
    get_model_root,
)
from modelsearch.index import (
    AutocompleteField,
    FilterField,
    Indexed,
    RelatedFields,
    SearchField,
    get_indexed_instance,
)
from modelsearch.query import (
    And,
    Boost,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    PlainText,
)
from whoosh import columns, sorting
from whoosh import fields as wf
from whoosh import index as wi
from whoosh import query as wq
from whoosh import writing as whoosh_writing
from whoosh.analysis import Filter, LowercaseFilter, NgramFilter, RegexTokenizer
from whoosh.codec import base as whoosh_codec_base
from whoosh.filedb.filestore import FileStorage
from whoosh.util import IDCHARS
from whoosh.util.text import utf8encode

from search.analysis import (
    ANALYSIS_VERSION,
    WORDS,
    EnglishAnalyzer,
    EstonianAnalyzer,
    analyzer_for,
    fold,
)

logger = logging.getLogger(__name__)


def _unique_name(size=28):
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


# Whoosh names new segments from the global `random` module. Anything that seeds it (Hypothesis
# does, for every example) makes two writers pick the same segment name, and the second commit
# fails; names from the operating system's generator cannot repeat that way.
whoosh_codec_base.random_name = _unique_name
whoosh_writing.random_name = _unique_name

# Bump when the documents or the schema below change; with ANALYSIS_VERSION it names every
# generation, and an index of another version must be rebuilt.
SCHEMA_VERSION = 1
VERSION_TAG = f"s{SCHEMA_VERSION}a{ANALYSIS_VERSION}"

LANGUAGES = ("et", "en")
AUTOCOMPLETE_MAX = 15  # longer words are matched on their first 15 letters
WRITE_LOCK_TIMEOUT = 30.0  # seconds a writer waits for another process's write lock
SPELLING_MIN_LENGTH = 3

INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "NullBooleanField",
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
}
REAL_TYPES = {"FloatField", "DecimalField"}


class SearchIndexUnavailable(Exception):
    """The index is missing, unreadable or of another version: run `update_index`."""


# Analysis and field types ----------------------------------------------------------------------
# Whoosh pickles these into the index: module level, stable names.


class FoldFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def AutocompleteAnalyzer():  # noqa: N802 (Whoosh names analyser factories like classes)
    """Edge n-grams of lower-cased, folded words: unaffected by stemming."""
    return (
        RegexTokenizer(WORDS)
        | LowercaseFilter()
        | FoldFilter()
        | NgramFilter(1, AUTOCOMPLETE_MAX, at="start")
    )


class KEYWORDS(wf.ID):
    """Exact string values, each one term, any number of them per document."""

    def index(self, value, **kwargs):
        values = value if isinstance(value, (list, tuple)) else [value]
        counts = Counter(str(v) for v in values)
        return [(utf8encode(v)[0], n, 1.0, b"") for v, n in sorted(counts.items())]


def make_schema() -> wf.Schema:
    schema = wf.Schema()
    schema.add("@id", wf.ID(stored=True, unique=True))
    for name in ("@ct", "@null", "@words"):
        schema.add(name, KEYWORDS())
    schema.add("*__et", wf.TEXT(analyzer=EstonianAnalyzer()), glob=True)
    schema.add("*__en", wf.TEXT(analyzer=EnglishAnalyzer()), glob=True)
    schema.add("*__ac", wf.TEXT(analyzer=AutocompleteAnalyzer(), phrase=False), glob=True)
    schema.add("*__i", wf.NUMERIC(int, 64, signed=True, sortable=True), glob=True)
    schema.add("*__r", wf.NUMERIC(float, sortable=True), glob=True)
    schema.add("*__k", KEYWORDS(sortable=columns.VarBytesColumn()), glob=True)
    return schema


# Values ----------------------------------------------------------------------------------------


def content_type(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def content_types(model) -> list[str]:
    """The model and its indexed concrete ancestors ("cms.ArticlePage", "wagtailcore.Page")."""
    found = [content_type(model)]
    for parent in model._meta.get_parent_list():
        if issubclass(parent, Indexed):
            found.append(content_type(parent))
    return found


def filter_kind(field: FilterField, model, value=None) -> str:
    """`i`, `r` or `k`: how a filter field's values are indexed and queried."""
    try:
        internal_type = field.get_type(model)
    except Exception:  # a relation without a plain target field (taggit's manager)
        internal_type = None
    if internal_type in INTEGER_TYPES:
        return "i"
    if internal_type in REAL_TYPES:
        return "r"
    if (
        internal_type is None
        or internal_type == "CharField"
        and field.field_name not in {f.name for f in model._meta.get_fields()}
    ):
        # Not a model field (a method, or a relation): go by the value.
        sample = value[0] if isinstance(value, (list, tuple)) and value else value
        if isinstance(sample, (bool, int, datetime.date, datetime.time, datetime.timedelta)):
            return "i"
        if isinstance(sample, (float, Decimal)):
            return "r"
    return "k"


def pk_kind(model) -> str:
    pk = get_model_root(model)._meta.pk  # a child's pk is a link to its parent's
    return "i" if pk.get_internal_type() in INTEGER_TYPES else "k"


def _as_number(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return (value - datetime.datetime(1970, 1, 1)) // datetime.timedelta(microseconds=1)
    if isinstance(value, datetime.date):
        return value.toordinal()
    if isinstance(value, datetime.time):
        return (
            (value.hour * 60 + value.minute) * 60 + value.second
        ) * 1_000_000 + value.microsecond
    if isinstance(value, datetime.timedelta):
        return value // datetime.timedelta(microseconds=1)
    return value


def clean_filter_value(kind: str, value, internal_type: str | None = None):
    """A Python value as the index stores it for a filter of this kind."""
    if isinstance(value, models.Model):
        value = value.pk
    if kind == "i":
        if internal_type == "DateTimeField" and type(value) is datetime.date:
            value = datetime.datetime.combine(value, datetime.time())
            if settings.USE_TZ:
                value = timezone.make_aware(value)
        return int(_as_number(value))
    if kind == "r":
        return float(value)
    return str(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, (models.Manager, models.QuerySet)):
        return "\n".join(str(v) for v in value.all())
    return str(value)


def _related_objects(value) -> list:
    if isinstance(value, (models.Manager, models.QuerySet)):
        return list(value.all())
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _filter_values(value) -> list:
    if isinstance(value, (models.Manager, models.QuerySet)):
        return list(value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple)):
        return [v.pk if isinstance(v, models.Model) else v for v in value]
    if value is None or value == "":
        return [] if value is None else [value]
    return [value]


def _filter_names(fields, model, prefix=""):
    """Every filter path under `fields` (for marking them all null)."""
    for field in fields:
        if isinstance(field, RelatedFields):
            related = field.get_field(model).related_model
            yield from _filter_names(field.fields, related, f"{prefix}{field.field_name}.")
        elif isinstance(field, FilterField):
            yield prefix + field.get_attname(model)


class Document:
    """The Whoosh document of one object."""

    def __init__(self, obj, language: str):
        self.language = language
        self.text = defaultdict(list)
        self.autocomplete = defaultdict(list)
        self.filters = defaultdict(list)
        self.nulls = []
        model = type(obj)
        self._walk(model.get_search_fields(), obj, model, "")
        self.fields = {
            "@id": str(obj.pk),
            f"@pk__{pk_kind(model)}": obj.pk if pk_kind(model) == "i" else str(obj.pk),
            "@ct": content_types(model),
            "@null": self.nulls,
        }
        everything = []
        for path, texts in self.text.items():
            joined = "\n".join(t for t in texts if t)
            self.fields[f"{path}__{language}"] = joined
            everything.append(joined)
        self.fields[f"@all__{language}"] = "\n".join(everything)
        everything_ac = []
        for path, texts in self.autocomplete.items():
            joined = "\n".join(t for t in texts if t)
            self.fields[f"{path}__ac"] = joined
            everything_ac.append(joined)
        self.fields["@all__ac"] = "\n".join(everything_ac)
        self.fields.update({name: values for name, values in self.filters.items() if values})
        self.fields["@words"] = sorted(
            {
                w
                for w in re.findall(r"[^\W\d_]+", " ".join(everything).lower())
                if len(w) >= SPELLING_MIN_LENGTH
            }
        )

    def _walk(self, fields, obj, model, prefix):
        for field in fields:
            if isinstance(field, RelatedFields):
                path = prefix + field.field_name + "."
                related = _related_objects(field.get_value(obj))
                if not related:
                    self.nulls.extend(
                        _filter_names(field.fields, field.get_field(model).related_model, path)
                    )
                for item in related:
                    self._walk(field.fields, item, type(item), path)
            elif isinstance(field, FilterField):
                name = prefix + field.get_attname(model)
                values = _filter_values(field.get_value(obj))
                if not values:
                    self.nulls.append(name)
                    continue
                kind = filter_kind(field, model, values)
                internal_type = _internal_type(field, model)
                self.filters[f"{name}__{kind}"].extend(
                    clean_filter_value(kind, v, internal_type) for v in values
                )
            elif isinstance(field, AutocompleteField):
                self.autocomplete[prefix + field.get_attname(model)].append(
                    _text(field.get_value(obj))
                )
            elif isinstance(field, SearchField):
                self.text[prefix + field.get_attname(model)].append(_text(field.get_value(obj)))


def _internal_type(field, model):
    try:
        return field.get_type(model)
    except Exception:
        return None


class DocumentLanguage:
    """The analysis language of each object: its Wagtail locale's, else the backend's."""

    def __init__(self, default: str):
        self.default = default
        self._by_locale = {}

    def __call__(self, obj) -> str:
        locale_id = getattr(obj, "locale_id", None)
        if locale_id is None:
            return self.default
        if locale_id not in self._by_locale:
            code = (
                type(obj)
                ._meta.get_field("locale")
                .related_model.objects.filter(pk=locale_id)
                .values_list("language_code", flat=True)
                .first()
                or self.default
            )
            self._by_locale[locale_id] = "en" if code.lower().startswith("en") else self.default
        return self._by_locale[locale_id]


# Storage ---------------------------------------------------------------------------------------

_searchers = threading.local()


def _abandon(writer):
    """Cancel a failed write; whatever happened, the lock is released for the next writer."""
    try:
        writer.cancel()
    except Exception:
        pass
    finally:
        lock = writer.writelock
        if lock is not None and getattr(lock, "fd", None) is not None:
            lock.release()


class WhooshIndex(BaseIndex):
    """The index of one root model: a directory of generations and a CURRENT pointer."""

    def __init__(self, backend, model):
        super().__init__(backend)
        self.model = model
        self.name = f"{model._meta.app_label}.{model._meta.model_name}"
        self.directory = os.path.join(backend.path, self.name)

    def get_key(self):
        return self.name

    def __str__(self):
        return self.name

    # Generations

    def _current_path(self):
        return os.path.join(self.directory, "CURRENT")

    def current_generation(self) -> str | None:
        try:
            with open(self._current_path(), encoding="utf-8") as f:
                return f.read().strip() or None
        except FileNotFoundError:
            return None

    def new_generation(self) -> tuple[str, wi.Index]:
        name = f"{VERSION_TAG}-{time.time_ns()}-{uuid.uuid4().hex[:6]}"
        path = os.path.join(self.directory, name)
        os.makedirs(path)
        return name, FileStorage(path).create_index(make_schema())

    @contextmanager
    def _generations_lock(self):
        """Serialises creating and swapping generations across processes."""
        os.makedirs(self.directory, exist_ok=True)
        lock = FileStorage(self.directory).lock("GENERATIONS")
        lock.acquire(blocking=True)
        try:
            yield
        finally:
            lock.release()

    def swap_to(self, generation: str):
        """Make `generation` the live one, atomically, and remove the others."""
        with self._generations_lock():
            self._swap_to(generation)

    def _swap_to(self, generation: str):
        tmp = f"{self._current_path()}.{uuid.uuid4().hex}"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(generation)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self._current_path())
        for entry in os.listdir(self.directory):
            path = os.path.join(self.directory, entry)
            if entry != generation and os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)

    def open(self, create=False) -> wi.Index:
        """The live Whoosh index; with `create`, a first one is made when there is none."""
        generation = self.current_generation()
        if generation is None:
            if not create:
                if os.path.isdir(self.backend.path):
                    return None  # nothing of this model indexed yet: empty, not broken
                raise SearchIndexUnavailable(f"No search index at {self.backend.path}")
            with self._generations_lock():
                generation = self.current_generation()  # another process may have made it
                if generation is None:
                    generation, ix = self.new_generation()
                    self._swap_to(generation)
                    return ix
        if not generation.startswith(VERSION_TAG + "-"):
            raise SearchIndexUnavailable(
                f"The search index {self.name} is of another version ({generation}); "
                "run update_index"
            )
        try:
            return FileStorage(os.path.join(self.directory, generation)).open_index()
        except Exception as e:
            raise SearchIndexUnavailable(f"The search index {self.name} cannot be read: {e}") from e

    def searcher(self):
        """A searcher kept open per thread and reopened when the index has changed, or None
        for an index with nothing in it yet."""
        cache = getattr(_searchers, "cache", None)
        if cache is None:
            cache = _searchers.cache = {}
        generation = self.current_generation()
        key = (self.directory, generation)
        try:
            if key not in cache:
                for old_key in [k for k in cache if k[0] == self.directory]:
                    cache.pop(old_key)[1].close()
                ix = self.open()
                if ix is None:
                    return None
                cache[key] = (ix, ix.searcher(), ix.latest_generation())
            ix, searcher, toc = cache[key]
            # Whoosh's own up_to_date() fails on an index without segments; the TOC's
            # generation is what a commit changes.
            if ix.latest_generation() != toc:
                searcher.close()
                cache[key] = (ix, ix.searcher(), ix.latest_generation())
                searcher = cache[key][1]
        except SearchIndexUnavailable:
            raise
        except Exception as e:
            cache.pop(key, None)
            raise SearchIndexUnavailable(f"The search index {self.name} cannot be read: {e}") from e
        return searcher

    # Writing

    def _write(self, prepare, objects):
        """Write to the live index after the database transaction commits, so a rolled-back
        save leaves no trace and documents are read in their committed state (tags included);
        `prepare()` reads the database and returns the work to do with the writer. Should the
        write fail (the index locked by another writer for longer than WRITE_LOCK_TIMEOUT, the
        disk full), `objects` go to the backlog, which the next write that succeeds takes in."""

        def write():
            try:
                work = prepare()
                ix = self.open(create=True)
                writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
            except BaseException:
                self._add_to_backlog(objects)
                raise
            backlog = []
            try:
                backlog = self._take_backlog()  # the write lock keeps other writers out
                work(writer)
                self._catch_up(writer, backlog)
                writer.commit()
            except BaseException:
                _abandon(writer)
                self._add_to_backlog(objects + backlog)
                raise

        if self.backend.after_commit:
            transaction.on_commit(write, robust=self.backend.catch_indexing_errors)
        else:
            write()

    def add_model(self, model):
        pass

    def refresh(self):
        pass

    def reset(self):
        os.makedirs(self.directory, exist_ok=True)
        generation, _ = self.new_generation()
        self.swap_to(generation)

    def documents(self, model, items):
        language = DocumentLanguage(self.backend.language)
        return [Document(obj, language(obj)).fields for obj in items]

    def add_items(self, model, items):
        items = list(items)

        def prepare():
            documents = self.documents(model, items)
            return lambda writer: [writer.update_document(**doc) for doc in documents]

        if items:
            self._write(prepare, [(item._meta.label, str(item.pk)) for item in items])

    def delete_item(self, item):
        pk = str(item.pk)
        self._write(
            lambda: lambda writer: writer.delete_by_term("@id", pk), [(item._meta.label, pk)]
        )

    # The backlog: objects whose write failed, as JSON lines (model label, pk) in one file per
    # index. Appending a short line is atomic, so writers in several processes may add at once.

    def _backlog_path(self):
        return os.path.join(self.directory, "BACKLOG")

    def _add_to_backlog(self, objects):
        if not objects:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            with open(self._backlog_path(), "a", encoding="utf-8") as f:
                f.write("".join(json.dumps(entry) + "\n" for entry in objects))
            logger.error("%d object(s) wait in the backlog of search index %s", len(objects), self)
        except OSError:
            logger.exception("Objects not indexed and not kept for later: %s", objects)

    def _take_backlog(self) -> list:
        """The backlog's entries, taken out of it; a file moved aside first, so that lines
        added meanwhile go to a new backlog instead of being lost."""
        path = self._backlog_path()
        taken = f"{path}.{uuid.uuid4().hex}"
        try:
            os.replace(path, taken)
        except FileNotFoundError:
            return []
        entries = []
        with open(taken, encoding="utf-8") as f:
            for line in f:
                try:
                    entries.append(tuple(json.loads(line)))
                except ValueError:  # a line cut short by a full disk
                    logger.error("Unreadable backlog entry in %s: %r", self, line)
        os.remove(taken)
        return list(dict.fromkeys(entries))

    def _catch_up(self, writer, backlog):
        """Index each object of the backlog as it is now, or remove it if it is gone. An entry
        that fails is logged and dropped: kept, it would fail every write after it."""
        language = DocumentLanguage(self.backend.language)
        for label, pk in backlog:
            try:
                obj = apps.get_model(label)._default_manager.filter(pk=pk).first()
                obj = obj and get_indexed_instance(obj)
                if obj is None:
                    writer.delete_by_term("@id", pk)
                else:
                    writer.update_document(**Document(obj, language(obj)).fields)
            except Exception:
                logger.exception("Backlog entry %s %s of %s not indexed", label, pk, self)


class WhooshRebuildingIndex(WhooshIndex):
    """A fresh generation filled by `update_index` through one writer, swapped in at the end."""

    def __init__(self, index):
        super().__init__(index.backend, index.model)
        os.makedirs(self.directory, exist_ok=True)
        self.generation, ix = self.new_generation()
        self.writer = ix.writer(procs=1, limitmb=256)

    def add_items(self, model, items):
        for doc in self.documents(model, items):
            self.writer.add_document(**doc)

    def delete_item(self, item):
        self.writer.delete_by_term("@id", str(item.pk))


class WhooshIndexRebuilder:
    def __init__(self, index):
        self.index = index
        self.rebuilding = None

    def start(self):
        self.rebuilding = WhooshRebuildingIndex(self.index)
        return self.rebuilding

    def finish(self):
        self.rebuilding.writer.commit(optimize=True)
        self.index.swap_to(self.rebuilding.generation)


# Queries ---------------------------------------------------------------------------------------


# Whoosh's own normalisation drops a NullQuery from Not() and And() in ways that invert their
# meaning (Not(nothing) would match nothing), so these settle MATCH_ALL and MATCH_NONE first.


def _not(query):
    if query is wq.NullQuery:
        return wq.Every()
    if isinstance(query, wq.Every):
        return wq.NullQuery
    return wq.And([wq.Every(), wq.Not(query)])


def _and(queries):
    queries = [q for q in queries if not isinstance(q, wq.Every)]
    if any(q is wq.NullQuery for q in queries):
        return wq.NullQuery
    if not queries:
        return wq.Every()
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _or(queries):
    queries = [q for q in queries if q is not wq.NullQuery]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _boosted(query, boost):
    if boost != 1 and query is not wq.NullQuery and not isinstance(query, wq.Every):
        query = query.with_boost(query.boost * boost)
    return query


class TextField:
    """A searchable field of the index: its path and boost."""

    def __init__(self, path, boost=1.0):
        self.path = path
        self.boost = float(boost or 1.0)


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "or"
    HANDLES_ORDER_BY_EXPRESSIONS = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = self.queryset.model

    # Filters

    def _field_path_name(self, field_path):
        model = self.model
        prefix = ""
        for related in field_path[:-1]:
            prefix += related.field_name + "."
            model = related.get_field(model).related_model
        field = field_path[-1]
        return prefix + field.get_attname(model), field, model

    def _subquery_values(self, value, many):
        db_alias = self.queryset._db or DEFAULT_DB_ALIAS
        query = value.query if isinstance(value, Subquery) else value
        if many:
            rows = query.get_compiler(db_alias).execute_sql(result_type=MULTI)
            return [row[0] for chunk in rows for row in chunk]
        row = query.get_compiler(db_alias).execute_sql(result_type=SINGLE)
        return row[0] if row else None

    def _process_lookup(self, field_path, lookup, value):
        name, field, model = self._field_path_name(field_path)
        if lookup == "isnull":
            query = wq.Term("@null", name)
            return query if value else _not(query)

        if isinstance(value, (Query, Subquery)):
            value = self._subquery_values(value, many=lookup == "in")
        values = value if lookup in ("in", "range") else [value]
        kind = filter_kind(field, model, list(values) or None)
        internal_type = _internal_type(field, model)
        fieldname = f"{name}__{kind}"

        def clean(v):
            return clean_filter_value(kind, v, internal_type)

        def term(v):
            if v is None:
                return wq.Term("@null", name)
            if kind == "k":
                return wq.Term(fieldname, clean(v))
            return wq.NumericRange(fieldname, clean(v), clean(v))

        def between(start, end, startexcl=False, endexcl=False):
            start = None if start is None else clean(start)
            end = None if end is None else clean(end)
            if kind == "k":
                return wq.TermRange(fieldname, start, end, startexcl, endexcl)
            return wq.NumericRange(fieldname, start, end, startexcl, endexcl)

        if lookup == "exact":
            return term(value)
        if lookup == "in":
            return _or([term(v) for v in values])
        if lookup in ("startswith", "prefix") and kind == "k":
            return wq.Prefix(fieldname, clean(value))
        if lookup == "gt":
            return between(value, None, startexcl=True)
        if lookup == "gte":
            return between(value, None)
        if lookup == "lt":
            return between(None, value, endexcl=True)
        if lookup == "lte":
            return between(None, value)
        if lookup == "range":
            lower, upper = values
            return between(lower, upper)
        return None

    def _process_match_none(self):
        return wq.NullQuery

    def _connect_filters(self, filters, connector, negated):
        filters = [f for f in filters if f is not None]
        if not filters:
            return None
        query = _and(filters) if connector == "AND" else _or(filters)
        return _not(query) if negated else query

    def get_filter(self):
        # Every document of a root model's index is of that model; a subclass is asked for.
        is_root = get_model_root(self.model) is self.model
        filters = [] if is_root else [wq.Term("@ct", content_type(self.model))]
        queryset_filter = self._get_filters_from_queryset()
        if queryset_filter is not None:
            filters.append(queryset_filter)
        return _and(filters)

    # Text

    def text_fields(self) -> list[TextField]:
        """Where the query looks: the named fields, or all text plus the boosted fields."""
        searchable = {f.field_name: f for f in self.model.get_searchable_search_fields()}
        if self.fields:
            return [
                TextField(searchable[name].get_attname(self.model), searchable[name].boost)
                for name in self.fields
            ]
        fields = [TextField("@all")]
        fields.extend(
            TextField(path, boost) for path, boost in _boosted_paths(self.model) if boost != 1
        )
        return fields

    def word_query(self, word: str, field: TextField) -> wq.Query:
        """One word in one field, in both analyses; a compound matches itself or its parts."""
        per_language = []
        for language in LANGUAGES:
            fieldname = f"{field.path}__{language}"
            found = [t.text for t in analyzer_for(language)(word)]
            if not found:
                continue
            if len(found) > 1 and language == "et":
                whole, *parts = found
                per_language.append(
                    wq.Or([wq.Term(fieldname, whole), _and([wq.Term(fieldname, p) for p in parts])])
                )
            else:
                per_language.append(_and([wq.Term(fieldname, t) for t in found]))
        return _boosted(_or(per_language), field.boost)

    def phrase_query(self, text: str, field: TextField) -> wq.Query:
        per_language = []
        for language in LANGUAGES:
            fieldname = f"{field.path}__{language}"
            analyzer = analyzer_for(language)
            terms = []
            for match in re.finditer(WORDS, text):
                found = [t.text for t in analyzer(match.group())]
                if found:
                    terms.append(found[0])  # the whole word, not a compound's parts
            if len(terms) == 1:
                per_language.append(wq.Term(fieldname, terms[0]))
            elif terms:
                per_language.append(wq.Phrase(fieldname, terms))
        return _boosted(_or(per_language), field.boost)

    def fuzzy_query(self, word: str, field: TextField) -> wq.Query:
        per_language = []
        for language in LANGUAGES:
            fieldname = f"{field.path}__{language}"
            found = [t.text for t in analyzer_for(language)(word)]
            if found:
                per_language.append(wq.FuzzyTerm(fieldname, found[0], maxdist=2, prefixlength=1))
        return _boosted(_or(per_language), field.boost)

    def words_query(self, text, operator, fields, per_word):
        words = re.findall(WORDS, text)
        queries = [_or([per_word(word, field) for field in fields]) for word in words]
        queries = [q for q in queries if q is not wq.NullQuery] if operator == "or" else queries
        if not queries:
            return wq.NullQuery
        return _and(queries) if operator == "and" else _or(queries)

    def compile(self, query, fields, boost=1.0) -> wq.Query:
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            return _boosted(
                self.words_query(query.query_string, query.operator, fields, self.word_query),
                boost * query.boost,
            )
        if isinstance(query, Phrase):
            return _boosted(_or([self.phrase_query(query.query_string, f) for f in fields]), boost)
        if isinstance(query, Fuzzy):
            return _boosted(
                self.words_query(query.query_string, query.operator, fields, self.fuzzy_query),
                boost,
            )
        if isinstance(query, Boost):
            return self.compile(query.subquery, fields, boost * query.boost)
        if isinstance(query, And):
            return _and([self.compile(q, fields, boost) for q in query.subqueries])
        if isinstance(query, Or):
            return _or([self.compile(q, fields, boost) for q in query.subqueries])
        if isinstance(query, Not):
            return _not(self.compile(query.subquery, fields, boost))
        raise NotImplementedError(
            f"`{type(query).__name__}` is not supported by the Whoosh search backend."
        )

    def get_text_query(self) -> wq.Query:
        return self.compile(self.query, self.text_fields())

    def get_query(self) -> wq.Query:
        return _and([self.get_text_query(), self.get_filter()])

    # Order

    def _order_by(self):
        """(field, reverse, nulls) for each ordering of the queryset; nulls is "first", "last"
        or None. Plain names are checked by the base class; expressions (F("title").asc())
        are read here."""
        for item in self.queryset.query.order_by:
            if isinstance(item, OrderBy):
                name = getattr(item.expression, "name", None)
                field = self._get_filterable_field(name) if name else None
                if field is None:
                    raise OrderByFieldError(
                        f'Sorting search results with "{item}" is not supported by this '
                        "search backend.",
                        field_name=str(item),
                    )
                nulls = "first" if item.nulls_first else "last" if item.nulls_last else None
                yield field, item.descending, nulls
            else:
                reverse = item.startswith("-")
                field = self._get_filterable_field(item.lstrip("-"))
                if field is None:
                    raise OrderByFieldError(
                        f'Cannot sort search results with field "{item.lstrip("-")}". Please '
                        f'add index.FilterField("{item.lstrip("-")}") to '
                        f"{self.model.__name__}.search_fields.",
                        field_name=item,
                    )
                yield field, reverse, None

    def get_sort(self):
        """None for relevance, else a Whoosh facet over the queryset's ordering (by primary
        key, newest first, when it has none)."""
        if self.order_by_relevance:
            return None
        facets = []
        for field, reverse, nulls in self._order_by():
            name = field.get_attname(self.model)
            if nulls:
                null = wq.Term("@null", name)
                first, rest = ("0", "1") if nulls == "first" else ("1", "0")
                facets.append(sorting.QueryFacet({first: null}, other=rest))
            kind = filter_kind(field, self.model)
            facets.append(sorting.FieldFacet(f"{name}__{kind}", reverse=reverse))
        if not facets:
            facets.append(sorting.FieldFacet(f"@pk__{pk_kind(self.model)}", reverse=True))
        return facets[0] if len(facets) == 1 else sorting.MultiFacet(facets)

    def __repr__(self):
        return repr(self.get_query())


def _boosted_paths(model, fields=None, prefix=""):
    """(path, boost) of every searchable field of the model and its relations."""
    for field in model.get_search_fields() if fields is None else fields:
        if isinstance(field, RelatedFields):
            related = field.get_field(model).related_model
            yield from _boosted_paths(related, field.fields, f"{prefix}{field.field_name}.")
        elif isinstance(field, SearchField):
            yield prefix + field.get_attname(model), float(field.boost or 1.0)


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    def text_fields(self):
        if self.fields:
            autocomplete = {f.field_name: f for f in self.model.get_autocomplete_search_fields()}
            return [
                TextField(autocomplete[name].get_attname(self.model))
                for name in self.fields
                if name in autocomplete
            ]
        return [TextField("@all")]

    def check(self):
        if self.fields:
            allowed = {f.field_name for f in self.model.get_autocomplete_search_fields()}
            for name in self.fields:
                if name not in allowed:
                    raise SearchFieldError(
                        f'Cannot autocomplete with field "{name}". Please add '
                        f'index.AutocompleteField("{name}") to '
                        f"{self.model.__name__}.search_fields.",
                        field_name=name,
                    )
        self._get_filters_from_queryset(check_only=True)
        list(self._order_by())

    def get_text_query(self):
        if not isinstance(self.query, PlainText):
            raise NotImplementedError("Autocomplete takes plain text only.")
        fields = self.text_fields()

        def prefix(word, field):
            text = fold(word.lower())[:AUTOCOMPLETE_MAX]
            return wq.Term(f"{field.path}__ac", text)

        return self.words_query(self.query.query_string, self.query.operator, fields, prefix)


# Results ---------------------------------------------------------------------------------------


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _index(self):
        return self.backend.get_index_for_model(self.query_compiler.queryset.model)

    def _run(self, **kwargs):
        searcher = self._index().searcher()
        if searcher is None:
            return None, None
        return searcher, searcher.search(self.query_compiler.get_query(), **kwargs)

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        sort = self.query_compiler.get_sort()
        kwargs = {"limit": self.stop}
        if sort is not None:
            kwargs["sortedby"] = sort
        searcher, results = self._run(**kwargs)
        if results is None:
            return []
        hits = results[self.start : self.stop]
        scores = OrderedDict((hit["@id"], hit.score) for hit in hits)
        objects = {
            str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=list(scores))
        }
        found = []
        for pk, score in scores.items():
            obj = objects.get(pk)
            if obj is None:  # indexed, since deleted
                continue
            if self._score_field:
                setattr(obj, self._score_field, score)
            found.append(obj)
        if self.prefetch_related:
            models.prefetch_related_objects(found, *self.prefetch_related)
        return found

    def _do_count(self):
        searcher, results = self._run(limit=None, scored=False)
        total = 0 if results is None else len(results)
        total -= self.start
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return max(total, 0)

    def facet(self, field_name):
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f'index.FilterField("{field_name}") to '
                f"{self.query_compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        model = self.query_compiler.model
        name = field.get_attname(model)
        kind = filter_kind(field, model)
        facet = sorting.FieldFacet(f"{name}__{kind}", allow_overlap=True)
        searcher, results = self._run(limit=None, scored=False, groupedby={"f": facet})
        counts = Counter()
        if results is not None:
            for key, docnums in results.groups("f").items():
                if kind == "i" and isinstance(key, bytes):
                    key = searcher.schema[f"{name}__i"].from_bytes(key)
                counts[key] += len(docnums)
            null_count = len(
                searcher.search(
                    _and([self.query_compiler.get_query(), wq.Term("@null", name)]),
                    limit=None,
                    scored=False,
                )
            )
            if null_count:
                counts[None] = null_count
        return OrderedDict(counts.most_common())

    def suggestion(self, word):
        return self.backend.suggest(self.query_compiler.model, word)


# Backend ---------------------------------------------------------------------------------------


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    rebuilder_class = WhooshIndexRebuilder
    # An index write that fails (a lock held too long, a full disk) is logged; the save that
    # caused it stands, and `update_index` repairs the index.
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        self.path = os.path.abspath(params.get("PATH") or os.path.join("var", "search"))
        self.language = params.get("LANGUAGE", "et")
        self.after_commit = params.get("AFTER_COMMIT", True)

    def get_index_for_model(self, model):
        return WhooshIndex(self, get_model_root(model))

    def suggest(self, model, word: str) -> str | None:
        """The indexed word closest to `word` (for "did you mean"), or None."""
        searcher = self.get_index_for_model(model).searcher()
        if searcher is None:
            return None
        word = word.lower()
        found = searcher.corrector("@words").suggest(word, limit=1, maxdist=2, prefix=1)
        return found[0] if found and found[0] != word else None

    def add(self, obj):
        self.get_index_for_object(obj).add_items(type(obj), [obj])


SearchBackend = WhooshSearchBackend
