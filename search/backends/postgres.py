"""modelsearch's PostgreSQL backend, fed the Estonian analysis (search/estonian.py): the search
backend for several app servers sharing one database (`SEARCH_BACKEND=search.backends.postgres`).

The index stores each text as a tsvector of the same terms the Whoosh index holds, at the
word's position (a lemma, its compound parts and its base all at one position, as Whoosh has
them, so phrases still work), written as a tsvector literal rather than parsed by a text
search configuration; a search asks for each word's query terms, any of them, every word
needed. Autocomplete keeps modelsearch's own prefix search over the plain words.

Only what differs from modelsearch 1.3 is here: the indexer's vector, and `add_items`, which
names its indexer class directly and so is modelsearch's own, restated with this indexer.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db.models import TextField, Value
from django.db.models.functions import Cast
from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from search.analysis import WORDS, phrase_term, query_terms, terms

IndexEntry = postgres.IndexEntry

MAX_POSITION = 16383  # PostgreSQL's: later words share the last position
MAX_TERM = 255  # bytes enough for any word; PostgreSQL refuses lexemes over 2 kB


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(texts: list[tuple[str, str]]) -> str:
    """The tsvector of (text, weight) pairs: each word's Estonian index terms at its position,
    with the weight of the text it is in."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in texts:
        for match in re.finditer(WORDS, text):
            position = min(position + 1, MAX_POSITION)
            for term in terms(match.group()):
                term = term[:MAX_TERM]
                if term:
                    positions.setdefault(term, []).append(f"{position}{weight}")
        position = min(position + 1, MAX_POSITION)  # no phrase across two texts
    return " ".join(f"{_quote(term)}:{','.join(at)}" for term, at in positions.items())


class ObjectIndexer(postgres.ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        if for_autocomplete:
            return super().as_vector(texts, for_autocomplete)
        texts = [(text, weight) for text, weight in texts if text.strip()]
        if not texts:
            return postgres.EMPTY_VECTOR
        return Cast(
            Value(tsvector_literal(texts), output_field=TextField()),
            output_field=SearchVectorField(),
        )


class PostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        """modelsearch's add_items (1.3) with this module's indexer: one upsert of every object's
        vectors and plain texts, then the title norms refreshed."""
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
                    autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0,
                    autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,
                    title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
                """,
                params,
            )
        self._refresh_title_norms()


class PostgresSearchQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, PlainText):
            words = []
            for word in re.findall(WORDS, query.query_string):
                found = [t[:MAX_TERM] for t in query_terms(word) if t]
                if not found:
                    continue
                lexemes = Lexeme(found[0], invert=invert)
                for term in found[1:]:
                    lexemes |= Lexeme(term, invert=invert)
                words.append(lexemes)
            if not words:
                return None
            combined = words[0]
            for lexemes in words[1:]:
                combined = combined & lexemes if query.operator == "and" else combined | lexemes
            return SearchQuery(combined, search_type="raw", config=config)
        if isinstance(query, Phrase):
            found = [phrase_term(w) for w in re.findall(WORDS, query.query_string)]
            found = [_quote(t[:MAX_TERM]) for t in found if t]
            if not found:
                return None
            return SearchQuery(" <-> ".join(found), search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)


class PostgresSearchBackend(postgres.PostgresSearchBackend):
    query_compiler_class = PostgresSearchQueryCompiler
    index_class = PostgresIndex

    def __init__(self, params):
        # The terms are the analysis's; PostgreSQL only lower-cases them (they already are).
        super().__init__({**params, "SEARCH_CONFIG": "simple"})


SearchBackend = PostgresSearchBackend
