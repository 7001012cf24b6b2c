"""Build the search index, whole or in part: `python -m tests.bench.load.index [--limit N]`.

Whoosh indexes some 300 documents a second here, so the full index of scale medium (about
350,000 issues, comments, topics and pages) would take some twenty minutes. With --limit, each
model contributes at most its newest N objects: the search page then runs over a realistic
but smaller index, which the report says. Without it, this is `update_index`.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.load.settings")


def build(limit: int | None) -> dict:
    import django

    django.setup()
    from modelsearch.backends import get_search_backend
    from modelsearch.index import get_indexed_models
    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

    backend = get_search_backend("default")
    counts, started = {}, time.monotonic()
    for index, models in group_models_by_index(backend, get_indexed_models()).items():
        rebuilder = backend.rebuilder_class(index)
        index = rebuilder.start()
        for model in models:
            index.add_model(model)
        for model in models:
            objects = model.get_indexed_objects().order_by("-pk")
            if limit:
                objects = objects[:limit]
            ids = list(objects.values_list("pk", flat=True))
            for start in range(0, len(ids), 1000):
                chunk = model.get_indexed_objects().filter(pk__in=ids[start : start + 1000])
                index.add_items(model, list(chunk))
            counts[model._meta.label] = len(ids)
            print(
                f"  indexed {model._meta.label:<28} {len(ids):>8,}  "
                f"elapsed {time.monotonic() - started:6.1f}s",
                file=sys.stderr,
                flush=True,
            )
        rebuilder.finish()
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="at most this many newest objects per model")
    args = parser.parse_args(argv)
    build(args.limit)


if __name__ == "__main__":
    main()
