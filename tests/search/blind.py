"""The blind labelled set (data/README.md): documents, queries, and their figures by class."""

import contextlib
import csv
import os
import uuid
from collections import defaultdict
from pathlib import Path

from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from search import estonian

DATA = Path(__file__).parent / "data"
CLASSES = ("inflection", "compound", "diacritics", "typo", "precision")


def rows() -> list[dict]:
    with open(DATA / "blind_documents.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def documents() -> dict[str, str]:
    return {row["id"]: f"{row['title']}. {row['body']}" for row in rows()}


def queries() -> list[dict]:
    """Each query with its class, the ids it must find and the distractors it must not."""
    with open(DATA / "blind_queries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["relevant"] = set(row["relevant"].split(";")) - {""}
        note = row["note"]
        row["distractors"] = (
            set(note.removeprefix("not:").split(";")) if note.startswith("not:") else set()
        )
    return rows


def index(analyzer):
    # A RAM index's writer pools in <tmp>/<indexname>.tmp: a unique name per index.
    ix = RamStorage().create_index(
        Schema(id=ID(stored=True), body=TEXT(analyzer=analyzer)),
        indexname=f"blind-{uuid.uuid4().hex}",
    )
    with ix.writer() as writer:
        for doc_id, text in documents().items():
            writer.add_document(id=doc_id, body=text)
    return ix


def search(query_builder):
    """A search of the index's body by `query_builder(fieldname, text)`, answering ids."""

    def run(searcher, text):
        return {hit["id"] for hit in searcher.search(query_builder("body", text), limit=None)}

    return run


def evaluate(ix, search) -> dict[str, dict]:
    """Recall and precision by class; `search(searcher, text)` answers a query with ids, and
    `ix` gives the searcher (a context manager)."""
    totals = defaultdict(
        lambda: {"queries": 0, "relevant": 0, "retrieved": 0, "correct": 0, "distractors": 0}
    )
    with ix.searcher() if ix is not None else contextlib.nullcontext() as searcher:
        for row in queries():
            got = search(searcher, row["query"])
            for key in (row["class"], "all"):
                t = totals[key]
                t["queries"] += 1
                t["relevant"] += len(row["relevant"])
                t["retrieved"] += len(got)
                t["correct"] += len(got & row["relevant"])
                t["distractors"] += len(got & row["distractors"])
    return {
        key: {
            **t,
            "recall": t["correct"] / t["relevant"] if t["relevant"] else 1.0,
            "precision": t["correct"] / t["retrieved"] if t["retrieved"] else 1.0,
        }
        for key, t in totals.items()
    }


CACHED = ("readings", "corrections", "_known_lemmas", "_as_name")


@contextlib.contextmanager
def without_vabamorf():
    """The analysis as it is where Vabamorf cannot load: snowball's stems."""
    saved = estonian._instance
    estonian._instance = (os.getpid(), None)
    _clear()
    try:
        yield
    finally:
        estonian._instance = saved
        _clear()


def _clear():
    for name in CACHED:
        getattr(estonian, name).cache_clear()
