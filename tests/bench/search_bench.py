"""Search benchmark: the Whoosh backend against modelsearch's SQLite FTS5 backend.

    python -m tests.bench.search_bench [--docs 20000] [--seed 1] [--timeout 2] [--profile]

(`make bench`, `make bench BENCH_DOCS=100000`). In one run, on one SQLite file under
var/bench (BENCH_DIR), it generates --docs synthetic Estonian documents (tests/bench/corpus.py)
and for each backend measures:

- build: `rebuild_modelsearch_index` for the backend, over every document;
- latency: what a paginated results page does (`.count()`, then the first 10 results) for a
  fixed query set mixing common and rare terms, each query REPEATS times after a warm-up pass;
  ranked by relevance with the operator "and" (the same semantics on both), ranked with "or"
  (Whoosh's default, which the site's search view uses), and unranked with "and";
- size: the Whoosh index directory; for FTS5 the pages of modelsearch's index tables (the
  IndexEntry rows and the FTS5 shadow tables) by SQLite's dbstat;
- recall and precision on the labelled Estonian set (tests/search/estonian_queries.py), each
  query as PlainText with the operator "and". Micro-averaged over all (query, document) pairs
  like tests/search/test_estonian_analysis.py; macro-averages are reported beside them.

modelsearch's FTS5 backend reaches the FTS5 table through every IndexEntry row of the model,
so even an unranked page grows with the number of documents, and it ranks with a correlated
subquery that runs the MATCH again for every matching row, so a ranked page costs about the
square of its matches (seconds at a few thousand). A page still running after --timeout
seconds (2: no one waits longer for a results page) is interrupted and counts as the timeout;
percentiles it reaches are lower bounds, marked ≥.

It prints a markdown table and writes var/bench/search.json. The aims (reported, not asserted):
Whoosh recall and precision ≥ 0.95, and its ranked p95 latency ("and") within 2× of FTS5's.
"""

import argparse
import contextlib
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

# This module runs only under its own settings, whatever the environment says.
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"

BACKENDS = ("whoosh", "fts5")
# Latency modes: (operator, ordered by relevance).
MODES = {"and": ("and", True), "or": ("or", True), "and_unranked": ("and", False)}
MODE_LABELS = {"and": '"and"', "or": '"or"', "and_unranked": '"and", unranked'}
REPEATS = 7
BATCH = 2000

# Common words first, then compounds and mid-frequency phrases, then rare words and places,
# then words the corpus never uses.
QUERIES = [
    "laps",
    "lapsed",
    "kool",
    "toetus",
    "lasteaed",
    "vallas",
    "lastekaitse",
    "koolikiusamine",
    "lasteaiakohad",
    "vaimse tervise abi",
    "huviringid",
    "tugiisik",
    "lapsed Tallinnas",
    "Rae vallas lasteaiakohti",
    "logopeed",
    "kergliiklustee",
    "hallituse tõttu",
    "öine lapsehoid",
    "Ruhnu",
    "ujumisõpetus Setomaa vallas",
    "vanglateenistus",
]
AIMS = {"recall": 0.95, "precision": 0.95, "p95_ratio": 2.0}


def log(message=""):
    print(message, flush=True)


def percentile(values, p):
    """The p-th percentile, interpolated (statistics.quantiles' inclusive method)."""
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# Steps -----------------------------------------------------------------------------------------


def reset(bench_dir: Path):
    """Remove what an earlier run left (only this bench's files: others may share the dir)."""
    bench_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(bench_dir / "whoosh", ignore_errors=True)
    for suffix in ("", "-journal", "-wal", "-shm"):
        (bench_dir / f"search.sqlite3{suffix}").unlink(missing_ok=True)


def generate(n: int, seed: int) -> dict:
    from tests.bench.benchapp.models import Document
    from tests.bench.corpus import Corpus

    corpus = Corpus(seed)
    started = time.perf_counter()
    words = 0
    for done in range(0, n, BATCH):
        docs = [corpus.document() for _ in range(min(BATCH, n - done))]
        words += sum(len(d["body"].split()) + len(d["title"].split()) for d in docs)
        Document.objects.bulk_create(Document(**d) for d in docs)
        log(f"generated {done + len(docs):,}/{n:,} documents")
    return {
        "documents": n,
        "words": words,
        "words_per_document": round(words / n, 1),
        "seconds": round(time.perf_counter() - started, 2),
    }


def build(name: str) -> float:
    from django.core.management import call_command

    log(f"\nindexing with {name}")
    started = time.perf_counter()
    call_command("rebuild_modelsearch_index", backend_name=name, verbosity=1)
    return time.perf_counter() - started


def whoosh_size(backend) -> dict:
    from tests.bench.benchapp.models import Document

    directory = Path(backend.get_index_for_model(Document).directory)
    return {"index_bytes": dir_size(directory), "directory": str(directory)}


def fts5_size(db_path: Path) -> dict:
    """Pages of modelsearch's tables: the IndexEntry rows (title, body and autocomplete again,
    plus their indexes) and the FTS5 virtual table's shadow tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.tbl_name, SUM(d.pgsize) FROM dbstat d JOIN sqlite_master m "
            "ON m.name = d.name GROUP BY m.tbl_name"
        )
        by_table = dict(cursor.fetchall())
    fts = sum(v for k, v in by_table.items() if k.startswith("modelsearch_indexentry_fts"))
    entries = by_table.get("modelsearch_indexentry", 0)
    return {
        "index_bytes": fts + entries,
        "fts5_tables_bytes": fts,
        "index_entries_bytes": entries,
        "documents_table_bytes": by_table.get("searchbench_document", 0),
        "database_file_bytes": db_path.stat().st_size,
    }


class Timeout(Exception):
    pass


@contextlib.contextmanager
def deadline(backend_name, seconds):
    """Interrupts the SQLite statement still running after `seconds` (FTS5's ranked search
    grows with the square of the matches: see the module docstring). Whoosh runs in Python
    and cannot be interrupted; it stays well below the timeout."""
    if backend_name != "fts5":
        yield
        return
    from django.db import OperationalError, connection

    connection.ensure_connection()
    timer = threading.Timer(seconds, connection.connection.interrupt)
    timer.start()
    try:
        yield
    except OperationalError as e:
        if "interrupted" not in str(e):
            raise
        raise Timeout from e
    finally:
        timer.cancel()


def results_page(backend, query, operator, ranked) -> int:
    """What a paginated results page asks: the count, then the first page."""
    from tests.bench.benchapp.models import Document

    results = backend.search(query, Document, operator=operator, order_by_relevance=ranked)
    total = results.count()
    list(results[:10])
    return total


def timed_page(name, backend, query, mode, timeout):
    """(milliseconds, hits), or (None, None) when the page ran out of time."""
    operator, ranked = MODES[mode]
    started = time.perf_counter()
    try:
        with deadline(name, timeout):
            hits = results_page(backend, query, operator, ranked)
    except Timeout:
        return None, None
    return (time.perf_counter() - started) * 1000, hits


def latency(name, backend, timeout) -> dict:
    timeout_ms = timeout * 1000
    summary = {}
    for mode in MODES:
        timings = {q: [] for q in QUERIES}
        hits, timed_out = {}, set()
        for q in QUERIES:  # warm-up: open the searcher, fill the OS and SQLite caches
            ms, hits[q] = timed_page(name, backend, q, mode, timeout)
            if ms is None:
                timed_out.add(q)
        # Round robin, so no query runs twice in a row. A query out of time in the warm-up
        # is not run again: each of its samples counts as the timeout, a lower bound.
        for _ in range(REPEATS):
            for q in QUERIES:
                ms = None if q in timed_out else timed_page(name, backend, q, mode, timeout)[0]
                timings[q].append(timeout_ms if ms is None else ms)
        every = [t for ts in timings.values() for t in ts]
        summary[mode] = {
            "p50_ms": round(percentile(every, 50), 2),
            "p95_ms": round(percentile(every, 95), 2),
            "mean_ms": round(statistics.fmean(every), 2),
            "max_ms": round(max(every), 2),
            "samples": len(every),
            "timeouts": sum(t >= timeout_ms for t in every),
            "per_query": {
                q: {"hits": hits[q], "median_ms": round(statistics.median(ts), 2)}
                for q, ts in timings.items()
            },
        }
    return summary


def profile_queries(backend, bench_dir: Path) -> str:
    """The query set, in every mode, under cProfile; the top of the profile."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REPEATS):
        for operator, ranked in MODES.values():
            for q in QUERIES:
                results_page(backend, q, operator, ranked)
    profiler.disable()
    profiler.dump_stats(bench_dir / "whoosh-queries.prof")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def add_labelled_set():
    from tests.bench.benchapp.models import LabelledDocument
    from tests.search.estonian_queries import DOCUMENTS

    LabelledDocument.objects.bulk_create(
        LabelledDocument(key=key, body=text) for key, text in DOCUMENTS.items()
    )
    return list(LabelledDocument.objects.order_by("pk"))


def labelled_scores(backend, objects) -> dict:
    from modelsearch.query import PlainText

    from tests.bench.benchapp.models import LabelledDocument
    from tests.search.estonian_queries import QUERIES as LABELLED

    # The ordinary update path (what saving an object does), after the bulk build.
    backend.add_bulk(LabelledDocument, objects)
    relevant = retrieved = correct = 0
    recalls, precisions, per_query = [], [], []
    for text, expected in LABELLED:
        got = {d.key for d in backend.search(PlainText(text, operator="and"), LabelledDocument)}
        hit = got & expected
        relevant += len(expected)
        retrieved += len(got)
        correct += len(hit)
        # Retrieving nothing shows nothing wrong (precision 1); an empty expectation is met
        # only by retrieving nothing.
        recalls.append(len(hit) / len(expected) if expected else float(not got))
        precisions.append(len(hit) / len(got) if got else 1.0)
        per_query.append(
            {
                "query": text,
                "missed": sorted(expected - got),
                "wrong": sorted(got - expected),
            }
        )
    return {
        "micro": {
            "recall": round(correct / relevant, 3),
            "precision": round(correct / retrieved, 3) if retrieved else 1.0,
        },
        "macro": {
            "recall": round(statistics.fmean(recalls), 3),
            "precision": round(statistics.fmean(precisions), 3),
        },
        "queries": len(LABELLED),
        "documents": len(objects),
        "per_query": per_query,
    }


# Report ----------------------------------------------------------------------------------------


def table(report) -> str:
    w, f = report["backends"]["whoosh"], report["backends"]["fts5"]
    timeout_ms = report["timeout_seconds"] * 1000

    def ms(value):
        return f"≥ {value:,.0f}" if value >= timeout_ms else f"{value:,.2f}"

    def row(label, key, fmt="{:,.2f}".format):
        return f"| {label} | {fmt(key(w))} | {fmt(key(f))} |"

    mb = 1024 * 1024
    lines = [
        f"## Search: {report['corpus']['documents']:,} documents "
        f"({report['corpus']['words_per_document']} words each on average, seed "
        f"{report['seed']})",
        "",
        "| | Whoosh | SQLite FTS5 |",
        "|---|---:|---:|",
        row("build time (s)", lambda b: b["build"]["seconds"]),
        row(
            "build rate (documents/s)",
            lambda b: b["build"]["documents_per_second"],
            "{:,.0f}".format,
        ),
        row("index size (MB)", lambda b: b["size"]["index_bytes"] / mb),
    ]
    for mode, label in MODE_LABELS.items():
        for p in ("p50", "p95"):
            lines.append(
                row(
                    f"query {p} (ms), {label}",
                    lambda b, m=mode, p=p: b["latency"][m][f"{p}_ms"],
                    ms,
                )
            )
    lines.append(
        row(
            "samples at the timeout",
            lambda b: sum(m["timeouts"] for m in b["latency"].values()),
            str,
        )
    )
    for avg in ("micro", "macro"):
        for measure in ("recall", "precision"):
            lines.append(
                row(
                    f"Estonian {measure} ({avg})",
                    lambda b, avg=avg, m=measure: b["labelled"][avg][m],
                    "{:.3f}".format,
                )
            )
    samples = REPEATS * len(QUERIES)
    lines += [
        "",
        f"Latency: `.count()` then the first 10 results; {REPEATS} runs of each of "
        f"{len(QUERIES)} queries after a warm-up ({samples} samples a mode); pages out of time "
        f"after {report['timeout_seconds']:g} s count as that (≥). FTS5 size: "
        f"{f['size']['fts5_tables_bytes'] / mb:,.1f} MB of FTS5 tables and "
        f"{f['size']['index_entries_bytes'] / mb:,.1f} MB of IndexEntry rows (the documents "
        f"themselves take {f['size']['documents_table_bytes'] / mb:,.1f} MB). Estonian: "
        f"{w['labelled']['queries']} labelled queries over {w['labelled']['documents']} "
        'documents, operator "and".',
        "",
        'Median milliseconds per query, operator "and", ranked and unranked (hits "?": every '
        "page of the query ran out of time):",
        "",
        "| query | hits Whoosh | hits FTS5 | Whoosh | FTS5 | Whoosh unranked | FTS5 unranked |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def hits(b, q):
        found = b["latency"]["and"]["per_query"][q]["hits"]
        if found is None:  # ranked ran out of time; the unranked count is the same
            found = b["latency"]["and_unranked"]["per_query"][q]["hits"]
        return "?" if found is None else f"{found:,}"

    for q in QUERIES:
        medians = [
            ms(b["latency"][mode]["per_query"][q]["median_ms"])
            for mode in ("and", "and_unranked")
            for b in (w, f)
        ]
        lines.append(f"| {q} | {hits(w, q)} | {hits(f, q)} | {' | '.join(medians)} |")
    lines += ["", "Aims (not asserted):"]
    for aim, met in report["aims"].items():
        lines.append(f"- {aim}: {'met' if met else 'NOT met'}")
    return "\n".join(lines)


def aims(report) -> dict:
    w, f = report["backends"]["whoosh"], report["backends"]["fts5"]
    w95, f95 = w["latency"]["and"]["p95_ms"], f["latency"]["and"]["p95_ms"]
    # An FTS5 p95 at the timeout is a lower bound, so the ratio is an upper bound.
    bound = "≤ " if f95 >= report["timeout_seconds"] * 1000 else ""
    ratio = w95 / f95
    return {
        f"Whoosh recall (micro) ≥ {AIMS['recall']}": w["labelled"]["micro"]["recall"]
        >= AIMS["recall"],
        f"Whoosh precision (micro) ≥ {AIMS['precision']}": w["labelled"]["micro"]["precision"]
        >= AIMS["precision"],
        f'Whoosh ranked p95 ("and") within {AIMS["p95_ratio"]:g}× of FTS5\'s '
        f"(Whoosh/FTS5 = {bound}{ratio:.2f})": ratio <= AIMS["p95_ratio"],
    }


# Main ------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000, help="synthetic documents")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus")
    parser.add_argument("--json", type=Path, help="report path (default BENCH_DIR/search.json)")
    parser.add_argument(
        "--timeout", type=float, default=2.0, help="seconds before an FTS5 page is interrupted"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile Whoosh's queries with cProfile"
    )
    args = parser.parse_args(argv)
    run_started = time.perf_counter()

    import django
    from django.conf import settings

    bench_dir = Path(settings.BENCH_DIR)
    reset(bench_dir)  # before the first connection opens the database file
    django.setup()

    from django.core.management import call_command
    from modelsearch.backends import get_search_backend

    call_command("migrate", verbosity=0)
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "corpus": generate(args.docs, args.seed),
        "queries": QUERIES,
        "repeats": REPEATS,
        "timeout_seconds": args.timeout,
        "backends": {},
    }
    for name in BACKENDS:
        backend = get_search_backend(name)
        seconds = build(name)
        size = (
            whoosh_size(backend)
            if name == "whoosh"
            else fts5_size(Path(settings.DATABASES["default"]["NAME"]))
        )
        log(f"{name}: measuring query latency")
        report["backends"][name] = {
            "build": {
                "seconds": round(seconds, 2),
                "documents_per_second": round(args.docs / seconds, 1),
            },
            "size": size,
            "latency": latency(name, backend, args.timeout),
        }
    # The labelled set goes in only now, so it is neither in the build nor in the sizes.
    objects = add_labelled_set()
    for name in BACKENDS:
        report["backends"][name]["labelled"] = labelled_scores(get_search_backend(name), objects)
    report["aims"] = aims(report)
    report["seconds"] = round(time.perf_counter() - run_started, 1)

    log()
    log(table(report))
    path = args.json or bench_dir / "search.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"\nWrote {path} ({report['seconds']} s in all)")

    if args.profile:
        log("\nProfile of Whoosh's queries (also in whoosh-queries.prof):")
        log(profile_queries(get_search_backend("whoosh"), bench_dir))
    elif not all(report["aims"].values()):
        log("An aim is not met; `make bench BENCH_PROFILE=1` profiles Whoosh's queries.")


if __name__ == "__main__":
    sys.exit(main())
