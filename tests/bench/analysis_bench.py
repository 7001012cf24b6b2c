"""The Estonian analysis (search/estonian.py): quality on the blind labelled set, by class, with
Vabamorf and with the snowball fallback; the cost of loading Vabamorf in a fresh process; and
the speed of analysing text for the index.

    python -m tests.bench.analysis_bench   (`make bench-analysis`, part of `make bench`)

Prints markdown tables and writes var/bench/analysis.json. The analyser that came before
Vabamorf (hand-made word families over snowball, until December 2026) measured, on the same
set: inflection 0.656, compound 0.492, diacritics 0.640, typo 0.000 recall, precision 0.913.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from search.analysis import EstonianAnalyzer, plain_text_query
from tests.search import blind

from .corpus import Corpus

COLUMNS = ("inflection", "compound", "diacritics", "typo", "precision", "all")
FRESH_PROCESS = """
import sys, time


def rss_mb():
    status = open("/proc/self/status").read()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


start, before = time.perf_counter(), rss_mb()
from search import estonian

estonian.terms("lasteaiakohtadele")
print(time.perf_counter() - start, rss_mb() - before, "estnltk" in sys.modules,
      "pandas" in sys.modules)
"""


def quality() -> dict:
    figures = {}
    for name, context in (("Vabamorf", _nothing), ("snowball (fallback)", blind.without_vabamorf)):
        with context():
            index = blind.index(EstonianAnalyzer())
            figures[name] = blind.evaluate(index, blind.search(plain_text_query))
    return figures


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def loading() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        "first_analysis_s": float(out[0]),
        "rss_mb": float(out[1]),
        "imports_estnltk": out[2] == "True",
        "imports_pandas": out[3] == "True",
    }


def speed() -> list[dict]:
    """Documents analysed per second: the blind set's 180 varied texts with cold caches, then
    the benchmark corpus's 2,000 (a narrower vocabulary, so mostly cached words)."""
    corpus = Corpus(seed=1)
    sets = {
        "blind set, cold caches": list(blind.documents().values()),
        "benchmark corpus": [
            f"{d['title']} {d['body']}" for d in (corpus.document() for _ in range(2000))
        ],
    }
    blind._clear()
    analyzer = EstonianAnalyzer()
    rates = []
    for name, texts in sets.items():
        start = time.perf_counter()
        terms = sum(1 for text in texts for _ in analyzer(text))
        seconds = time.perf_counter() - start
        rates.append(
            {
                "texts": name,
                "documents": len(texts),
                "docs_per_s": len(texts) / seconds,
                "terms": terms,
            }
        )
    return rates


def main():
    figures = quality()
    print("## Recall by class and precision on the blind set (tests/search/data)\n")
    print("| analysis | " + " | ".join(COLUMNS) + " | precision (all) |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    for name, by_class in figures.items():
        cells = [f"{by_class[c]['recall']:.3f}" for c in COLUMNS]
        print(f"| {name} | " + " | ".join(cells) + f" | {by_class['all']['precision']:.3f} |")
    load = loading()
    print("\n## Loading Vabamorf in a fresh process\n")
    print("| first analysis | added RSS | imports estnltk | imports pandas |")
    print("|---|---|---|---|")
    print(
        f"| {load['first_analysis_s']:.2f} s | {load['rss_mb']:.0f} MB | "
        f"{load['imports_estnltk']} | {load['imports_pandas']} |"
    )
    rates = speed()
    print("\n## Analysis for the index\n")
    print("| texts | documents | documents per second | terms |")
    print("|---|---|---|---|")
    for rate in rates:
        print(
            f"| {rate['texts']} | {rate['documents']} | {rate['docs_per_s']:.0f} | "
            f"{rate['terms']} |"
        )
    out = Path(os.environ.get("BENCH_DIR", "var/bench"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "analysis.json").write_text(
        json.dumps({"quality": figures, "loading": load, "speed": rates}, indent=2)
    )


if __name__ == "__main__":
    main()
