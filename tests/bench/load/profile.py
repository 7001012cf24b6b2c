"""Where one page's time goes: `python -m tests.bench.load.profile --scale small "issue list"`.

Reads the data `make bench-load` generated (var/bench/<vendor>-<scale>), in-process through
Django's test client with the benchmark's production settings, and prints pyinstrument's tree
for N requests of the named page (as in the load table), after one warm-up request.
"""

import argparse
import json
import os
import sys
import time

from tests.bench.load.run import BENCH, environment


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help="a page name of the load table, e.g. 'issue list'")
    parser.add_argument("--vendor", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--flat", action="store_true", help="self time per function, not a tree")
    args = parser.parse_args(argv)

    var_dir = BENCH / f"{args.vendor}-{args.scale}"
    manifest = json.loads((var_dir / "bench-manifest.json").read_text(encoding="utf-8"))
    os.environ.update(environment(args.vendor, args.scale, var_dir))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    from tests.bench.load.measure import MEMBER, pages

    page = next((p for p in pages(manifest) if p["name"].startswith(args.page)), None)
    if page is None:
        sys.exit(f"No page {args.page!r}: {[p['name'] for p in pages(manifest)]}")
    client = Client()
    if page["reader"] == "member":
        client.force_login(get_user_model().objects.get(username=MEMBER))
    client.get(page["url"])
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.requests):
            response = client.get(page["url"])
    assert response.status_code == 200, response.status_code
    print(f"{page['name']}: {args.requests} requests of {page['url']}")
    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(page["url"])
    elapsed = (time.perf_counter() - started) / args.requests * 1000
    print(f"{elapsed:.1f} ms per request without the profiler")
    print(profiler.output_text(unicode=True, color=False, flat=args.flat, show_all=True))


if __name__ == "__main__":
    main()
