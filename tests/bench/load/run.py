"""The load benchmark: `python -m tests.bench.load.run --vendor sqlite --scale small`.

For one database (sqlite or postgresql) and one scale it:

1. prepares var/bench/<vendor>-<scale> (KODA_VAR_DIR) and the database (the SQLite file in it,
   or PostgreSQL's koda_bench_<scale> on 127.0.0.1), unless a manifest there says it holds
   this scale and seed already (--fresh starts over): migrate, load_demo, the generator
   (tests.bench.load.generate), the search index, collectstatic;
2. counts each page's SQL queries outside the load (tests.bench.load.measure);
3. serves the site with gunicorn (--workers sync workers, DEBUG off, static files through
   WhiteNoise, settings tests.bench.load.settings) and runs one headless locust per page,
   --users users for --duration each, after a short warm-up;
4. reads each worker's peak RSS (VmHWM in /proc) after every page;
5. prints a markdown table, writes var/bench/load-<vendor>-<scale>.json and, when another
   scale's report for this database exists, a growth table of p95 ratios.

One locust run per page, not one run over all pages: with several pages in one run the slow
ones hold the workers and the fast ones' throughput says more about the mix than about
themselves; one page at a time gives each page its own requests per second, comparable with
the floor's. Locust runs on the same two cores as gunicorn, so absolute numbers are lower
than on a separate load machine; the ratios to the floor are the figures to compare.
"""

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "var" / "bench"
PYTHON = sys.executable
SCALES = ["tiny", "small", "medium", "large"]
# Whoosh builds ~300 documents a second: past this many, index only the newest per model.
INDEX_LIMIT = int(os.environ.get("BENCH_INDEX_LIMIT", "60000"))


def log(message: str) -> None:
    print(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_url(vendor: str, scale: str, var_dir: Path) -> str:
    if vendor == "postgresql":
        host = os.environ.get("BENCH_PG", "postgres@127.0.0.1:5432")
        return f"postgres://{host}/koda_bench_{scale}"
    return f"sqlite:///{var_dir / 'koda.sqlite3'}"


def environment(vendor: str, scale: str, var_dir: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        KODA_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url(vendor, scale, var_dir),
        DJANGO_SETTINGS_MODULE="tests.bench.load.settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def recreate_postgres(name: str) -> None:
    """Drop and create database `name` with the client tools, or psycopg without them."""
    if shutil.which("dropdb") and shutil.which("createdb"):
        common = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *common, "--if-exists", name], check=True)
        subprocess.run(["createdb", *common, name], check=True)
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def prepare(vendor: str, scale: str, seed: int, fresh: bool) -> dict:
    var_dir = BENCH / f"{vendor}-{scale}"
    manifest_path = var_dir / "bench-manifest.json"
    if not fresh and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("seed") == seed and manifest.get("ready"):
            log(f"{var_dir} holds scale {scale}, seed {seed}: reusing it (--fresh starts over)")
            # Migrations and static files added since the data was made (new tables are empty
            # either way; a page naming a new script needs it in the manifest).
            for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
                run([PYTHON, "manage.py", *command, "-v0"], environment(vendor, scale, var_dir))
            return manifest
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    if vendor == "postgresql":
        recreate_postgres(f"koda_bench_{scale}")
    env = environment(vendor, scale, var_dir, BENCH_NO_AUTO_INDEX="1")
    started = time.monotonic()
    steps = {}

    def step(name, command, **extra):
        log(name)
        since = time.monotonic()
        run(command, {**env, **extra})
        steps[name] = round(time.monotonic() - since, 1)

    manage = [PYTHON, "manage.py"]
    step("migrate", [*manage, "migrate", "--no-input", "-v0"])
    # The demo accounts exist only when load_demo runs with DEBUG on.
    step("load_demo", [*manage, "load_demo"], DJANGO_DEBUG="true")
    step(
        "generate",
        [PYTHON, "-m", "tests.bench.load.generate", "--scale", scale, "--seed", str(seed)],
    )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    counts = manifest["counts"]
    documents = counts["issues"] + counts["comments"] + counts["topics"] + counts["pages"]
    if documents <= INDEX_LIMIT:
        step("update_index", [*manage, "update_index", "-v0"])
        manifest["index"] = "full"
    else:
        per_model = INDEX_LIMIT // 4
        step("index (partial)", [PYTHON, "-m", "tests.bench.load.index", "--limit", str(per_model)])
        manifest["index"] = f"partial: newest {per_model:,} per model of {documents:,} documents"
    step("collectstatic", [*manage, "collectstatic", "--no-input", "-v0"])
    manifest.update(
        ready=True, setup_steps=steps, setup_seconds=round(time.monotonic() - started, 1)
    )
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return manifest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """The gunicorn master's workers."""
    try:
        import psutil  # a dependency of locust

        return [child.pid for child in psutil.Process(pid).children()]
    except ImportError:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in text.split()]


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set size (VmHWM), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def warm_up(base: str, page: dict, session: str, requests: int) -> None:
    """Reads the page a few times; exits if it is not the page itself (a member's page that
    redirects to the sign-in would measure the redirect)."""
    headers = {"Cookie": f"sessionid={session}"} if page["reader"] == "member" else {}
    for _ in range(requests):
        request = urllib.request.Request(base + page["url"], headers=headers)
        with urllib.request.urlopen(request) as response:
            response.read()
            if response.geturl() != request.full_url:
                raise SystemExit(f"{page['name']}: {page['url']} led to {response.geturl()}")


def locust(base, page, session, users, duration, csv_prefix, env) -> dict:
    page_env = dict(
        env,
        BENCH_PAGE_NAME=page["name"],
        BENCH_PAGE_URL=page["url"],
        BENCH_SESSION=session if page["reader"] == "member" else "",
    )
    locust_bin = Path(PYTHON).with_name("locust")
    command = [
        str(locust_bin), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "-H", base, "-u", str(users), "-r", str(users), "-t", duration,
        "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    with open(f"{csv_prefix}.log", "w", encoding="utf-8") as output:
        subprocess.run(command, env=page_env, cwd=ROOT, check=False, stdout=output, stderr=output)
    return locust_stats(Path(f"{csv_prefix}_stats.csv"))


def locust_stats(path: Path) -> dict:
    """The aggregated row of locust's statistics. A page that completed no request in its
    window has no percentiles (locust writes "N/A"): it is reported as failed, with None for
    its times, and the run goes on to the next page."""

    def number(value):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8"))) if path.exists() else []
    row = next((r for r in rows if r["Name"] == "Aggregated"), {})
    stats = {
        "requests": int(number(row.get("Request Count")) or 0),
        "failures": int(number(row.get("Failure Count")) or 0),
        "rps": round(number(row.get("Requests/s")) or 0.0, 1),
        "p50_ms": number(row.get("50%")),
        "p95_ms": number(row.get("95%")),
    }
    stats["failed"] = not stats["requests"] or stats["p95_ms"] is None
    return stats


def _chosen(name: str, only) -> bool:
    """`only` names pages by a part of their name, or lists them: exactly, or by a prefix ending
    in ", " ("issue, " for "issue, 200 comments")."""
    if isinstance(only, str):
        return only in name
    return any(name == want or (want.endswith(", ") and name.startswith(want)) for want in only)


def load(vendor, scale, manifest, users, duration, workers, only=None) -> list[dict]:
    var_dir = BENCH / f"{vendor}-{scale}"
    env = environment(vendor, scale, var_dir)
    log("counting queries per page")
    measured = json.loads(
        run(
            [
                PYTHON,
                "-m",
                "tests.bench.load.measure",
                "--manifest",
                var_dir / "bench-manifest.json",
            ],
            env,
            stdout=subprocess.PIPE,
        ).stdout
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [
        str(Path(PYTHON).with_name("gunicorn")), "koda.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--log-level", "warning", "--timeout", "120",
    ]  # fmt: skip
    log(f"gunicorn: {workers} sync workers on {base}")
    server = subprocess.Popen(gunicorn, env=env, cwd=ROOT, start_new_session=True)
    results = []
    try:
        wait_until_up(base + "/bench/floor/")
        csv_dir = var_dir / "locust"
        csv_dir.mkdir(exist_ok=True)
        for n, page in enumerate(measured["pages"]):
            if only and page["name"] != "floor" and not _chosen(page["name"], only):
                continue
            if page["status"] != 200:
                log(f"{page['name']}: status {page['status']} outside the load; measured anyway")
            warm_up(base, page, measured["session"], requests=workers * 3)
            log(f"locust: {page['name']} ({page['url']}), {users} users, {duration}")
            stats = locust(
                base, page, measured["session"], users, duration, csv_dir / f"page{n:02d}", env
            )
            if stats["failed"]:
                log(f"{page['name']}: no request completed in {duration}; reported as failed")
            rss = {pid: peak_rss_mb(pid) for pid in children(server.pid)}
            results.append(
                {**page, **stats, "worker_peak_rss_mb": sorted(v for v in rss.values() if v)}
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    floor = next(r for r in results if r["name"] == "floor")["rps"] or 1
    for result in results:
        result["floor_ratio"] = round(result["rps"] / floor, 2)
    return results


def table(results: list[dict]) -> str:
    lines = [
        "| page | reader | req/s | p50 ms | p95 ms | queries (cold) | × floor |"
        " worker peak RSS MB | failures |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        rss = max(r["worker_peak_rss_mb"], default=0)
        if r.get("failed"):
            times = "– | – | –"
            failures = f"**failed**: no request completed ({r['failures']} failures)"
        else:
            times = f"{r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f}"
            failures = str(r["failures"])
        lines.append(
            f"| {r['name']} | {r['reader']} | {times} | "
            f"{r['queries']} ({r.get('queries_cold', '?')}) | "
            f"{r['floor_ratio']:.2f} | {rss:.0f} | {failures} |"
        )
    return "\n".join(lines)


def growth(vendor: str) -> str | None:
    """p95(larger) / p95(smaller) per page for the two largest scales reported for `vendor`, and
    the same divided by its floor's (the visitors' floor for visitors' pages, the member's for
    members'): runs minutes apart on a shared machine differ by more than the data does, and
    the floors, which read no data, show by how much."""
    reports = {}
    for scale in SCALES:
        path = BENCH / f"load-{vendor}-{scale}.json"
        if path.exists():
            reports[scale] = json.loads(path.read_text(encoding="utf-8"))
    if len(reports) < 2:
        return None
    small, large = list(reports)[-2:]
    before = {r["name"].split(",")[0]: r for r in reports[small]["pages"]}
    after = {r["name"].split(",")[0]: r for r in reports[large]["pages"]}

    def ratio(name):
        old, new = before.get(name), after.get(name)
        if not (old and new and old["p95_ms"] and new["p95_ms"]):
            return None
        return new["p95_ms"] / old["p95_ms"]

    lines = [
        f"| page | p95 {small} ms | p95 {large} ms | p95 {large} / {small} | ÷ floor's |",
        "|---|--:|--:|--:|--:|",
    ]
    for name, r in after.items():
        old, growth_ = before.get(name), ratio(name)
        if growth_ is None:
            continue
        floor = ratio("floor (member)" if r["reader"] == "member" else "floor")
        relative = f"{growth_ / floor:.2f}" if floor else "–"
        p95 = f"{old['p95_ms']:.0f} | {r['p95_ms']:.0f}"
        lines.append(f"| {r['name']} | {p95} | {growth_:.2f} | {relative} |")
    return f"Growth on {vendor}, {small} → {large}:\n\n" + "\n".join(lines)


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendor", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=6, help="concurrent locust users")
    parser.add_argument("--duration", default="30s", help="locust run time per page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--fresh", action="store_true", help="regenerate even if data exists")
    parser.add_argument("--pages", help="measure only the pages whose name contains this")
    args = parser.parse_args(argv)

    manifest = prepare(args.vendor, args.scale, args.seed, args.fresh)
    results = load(
        args.vendor, args.scale, manifest, args.users, args.duration, args.workers, args.pages
    )
    report = {
        "vendor": args.vendor,
        "scale": args.scale,
        "seed": args.seed,
        "counts": manifest["counts"],
        "index": manifest.get("index"),
        "generation_seconds": manifest.get("seconds"),
        "setup_steps_seconds": manifest.get("setup_steps"),
        "users": args.users,
        "duration": args.duration,
        "workers": args.workers,
        "machine": machine(),
        "ran": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "pages": results,
    }
    path = BENCH / f"load-{args.vendor}-{args.scale}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nLoad benchmark: {args.vendor}, scale {args.scale} ({manifest['counts']})")
    print(f"{args.workers} gunicorn workers, {args.users} locust users, {args.duration} per page\n")
    print(table(results))
    if summary := growth(args.vendor):
        print("\n" + summary)
    print(f"\nReport: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
