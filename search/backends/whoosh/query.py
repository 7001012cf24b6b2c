"""The query compiler: modelsearch's queries (`PlainText`, `Phrase`, `Fuzzy`, `Boost`, `And`,
`Or`, `Not`, `MATCH_ALL`, `MATCH_NONE`), the queryset's filters and its ordering, compiled
straight into Whoosh query objects and sort facets over the fields of `documents`.
"""

import re

from django.db import DEFAULT_DB_ALIAS
from django.db.models import OrderBy, Subquery
from django.db.models.sql import Query
from django.db.models.sql.constants import MULTI, SINGLE
from modelsearch.backends.base import (
    BaseSearchQueryCompiler,
    OrderByFieldError,
    SearchFieldError,
    get_model_root,
)
from modelsearch.index import RelatedFields, SearchField
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import query as wq
from whoosh import sorting

from search.analysis import WORDS, fold, phrase_term, query_terms

from .documents import (
    AUTOCOMPLETE_MAX,
    LANGUAGES,
    clean_filter_value,
    content_type,
    field_internal_type,
    filter_kind,
    pk_kind,
)

# Whoosh's own normalisation drops a NullQuery from Not() and And() in ways that invert their
# meaning (Not(nothing) would match nothing), so these settle MATCH_ALL and MATCH_NONE first.


def not_(query):
    if query is wq.NullQuery:
        return wq.Every()
    if isinstance(query, wq.Every):
        return wq.NullQuery
    return wq.And([wq.Every(), wq.Not(query)])


def and_(queries):
    queries = [q for q in queries if not isinstance(q, wq.Every)]
    if any(q is wq.NullQuery for q in queries):
        return wq.NullQuery
    if not queries:
        return wq.Every()
    return queries[0] if len(queries) == 1 else wq.And(queries)


def or_(queries):
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
            return query if value else not_(query)

        if isinstance(value, (Query, Subquery)):
            value = self._subquery_values(value, many=lookup == "in")
        values = value if lookup in ("in", "range") else [value]
        kind = filter_kind(field, model, list(values) or None)
        internal_type = field_internal_type(field, model)
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
            return or_([term(v) for v in values])
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
        query = and_(filters) if connector == "AND" else or_(filters)
        return not_(query) if negated else query

    def get_filter(self):
        # Every document of a root model's index is of that model; a subclass is asked for.
        is_root = get_model_root(self.model) is self.model
        filters = [] if is_root else [wq.Term("@ct", content_type(self.model))]
        queryset_filter = self._get_filters_from_queryset()
        if queryset_filter is not None:
            filters.append(queryset_filter)
        return and_(filters)

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
        """One word in one field, in both analyses, by any of its query terms."""
        per_language = [
            or_([wq.Term(f"{field.path}__{language}", t) for t in query_terms(word, language)])
            for language in LANGUAGES
        ]
        return _boosted(or_(per_language), field.boost)

    def phrase_query(self, text: str, field: TextField) -> wq.Query:
        per_language = []
        for language in LANGUAGES:
            fieldname = f"{field.path}__{language}"
            terms = [phrase_term(m.group(), language) for m in re.finditer(WORDS, text)]
            terms = [t for t in terms if t]
            if len(terms) == 1:
                per_language.append(wq.Term(fieldname, terms[0]))
            elif terms:
                per_language.append(wq.Phrase(fieldname, terms))
        return _boosted(or_(per_language), field.boost)

    def fuzzy_query(self, word: str, field: TextField) -> wq.Query:
        per_language = []
        for language in LANGUAGES:
            term = phrase_term(word, language)
            # A word that folding empties (a lone accent) has no letter to keep for the prefix.
            if term:
                per_language.append(
                    wq.FuzzyTerm(f"{field.path}__{language}", term, maxdist=2, prefixlength=1)
                )
        return _boosted(or_(per_language), field.boost)

    def words_query(self, text, operator, fields, per_word):
        words = re.findall(WORDS, text)
        queries = [or_([per_word(word, field) for field in fields]) for word in words]
        queries = [q for q in queries if q is not wq.NullQuery] if operator == "or" else queries
        if not queries:
            return wq.NullQuery
        return and_(queries) if operator == "and" else or_(queries)

    def compile(self, query, fields, boost=1.0) -> wq.Query:
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            return _boosted(
                self.words_query(query.query_string, query.operator, fields, self.word_query),
                boost * query.boost,
            )
        if isinstance(query, Phrase):
            return _boosted(or_([self.phrase_query(query.query_string, f) for f in fields]), boost)
        if isinstance(query, Fuzzy):
            return _boosted(
                self.words_query(query.query_string, query.operator, fields, self.fuzzy_query),
                boost,
            )
        if isinstance(query, Boost):
            return self.compile(query.subquery, fields, boost * query.boost)
        if isinstance(query, And):
            return and_([self.compile(q, fields, boost) for q in query.subqueries])
        if isinstance(query, Or):
            return or_([self.compile(q, fields, boost) for q in query.subqueries])
        if isinstance(query, Not):
            return not_(self.compile(query.subquery, fields, boost))
        raise NotImplementedError(
            f"`{type(query).__name__}` is not supported by the Whoosh search backend."
        )

    def get_text_query(self, scored: bool = True) -> wq.Query:
        """The query's words in the fields it searches; unscored (a count, a facet), only in
        the field that gathers all text: the same documents match, the boosted fields (copies
        of text in it) only rank them."""
        fields = self.text_fields()
        if not scored:
            fields = [f for f in fields if f.path == "@all"] or fields
        return self.compile(self.query, fields)

    def get_query(self) -> wq.Query:
        return and_([self.get_text_query(), self.get_filter()])

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

    # Autocomplete matches each word as the start of an indexed word. Whatever the query's
    # shape (the admin's page search sends MatchAll for an empty box, a phrase for quoted
    # words), its words are prefixes: the autocomplete field keeps no positions and no typos.
    def word_query(self, word, field):
        return wq.Term(f"{field.path}__ac", fold(word.lower())[:AUTOCOMPLETE_MAX])

    fuzzy_query = word_query

    def phrase_query(self, text, field):
        return self.words_query(text, "and", [field], self.word_query)
