"""Documents: one per object under its most specific indexed class, and the schema that
holds them. Field names are paths ("title", "authors.name") with a suffix for their kind,
matched by the schema's glob fields: text is analysed as Estonian (`__et`) or English (`__en`)
by the document's language, `__ac` holds edge n-grams for autocomplete, and filter values are
`__i` (integers, dates, times and booleans as integers), `__r` (reals) or `__k` (exact strings).
`@all__et`/`@all__en` gather all text, `@ct` the model and its indexed ancestors, `@null` the
filter paths without a value and `@words` the plain words for spelling suggestions.

Also how a filter field's values are indexed and queried (`filter_kind`, `clean_filter_value`),
which the query compiler shares.
"""

import datetime
import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelsearch.backends.base import get_model_root
from modelsearch.index import AutocompleteField, FilterField, Indexed, RelatedFields, SearchField
from whoosh import columns
from whoosh import fields as wf
from whoosh.analysis import Filter, LowercaseFilter, NgramFilter, RegexTokenizer
from whoosh.util.text import utf8encode

from search.analysis import WORDS, EnglishAnalyzer, EstonianAnalyzer, fold

# Bump when the documents or the schema below change; with ANALYSIS_VERSION it names every
# generation (storage.VERSION_TAG), and an index of another version must be rebuilt.
SCHEMA_VERSION = 1

LANGUAGES = ("et", "en")
AUTOCOMPLETE_MAX = 15  # longer words are matched on their first 15 letters
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


# Analysis and field types ----------------------------------------------------------------------
# Whoosh pickles these into the index by module and name: module level, stable names (the
# package's __init__ keeps resolving the names that indexes older than this module hold).


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
                internal_type = field_internal_type(field, model)
                self.filters[f"{name}__{kind}"].extend(
                    clean_filter_value(kind, v, internal_type) for v in values
                )
            elif isinstance(field, AutocompleteField):
                self.autocomplete[prefix + field.get_attname(model)].append(
                    _text(field.get_value(obj))
                )
            elif isinstance(field, SearchField):
                self.text[prefix + field.get_attname(model)].append(_text(field.get_value(obj)))


def field_internal_type(field, model):
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
