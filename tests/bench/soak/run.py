"""The soak test: `python -m tests.bench.soak.run --scale tiny --duration 10m`.

Readers and writers at once for a long while against gunicorn on PostgreSQL, then a count of
what was written. For one scale it:

1. prepares the load benchmark's data (tests.bench.load.run.prepare: var/bench/<vendor>-<scale>
   and the database koda_bench_<scale>, made once and reused) and copies both, so the soak's
   writes never reach the load benchmark: the database as koda_soak_<scale> (PostgreSQL's
   CREATE DATABASE … TEMPLATE; the SQLite file with the folder), the folder (search index,
   static files) as var/bench/soak-<vendor>-<scale>;
2. plans the users and notes the highest pks and the counters (tests.bench.soak.check);
3. serves the copy with gunicorn (--workers sync workers, DEBUG off, WhiteNoise, Redis, the rate
   limits off: tests.bench.soak.settings) and runs one headless locust for --duration with
   writers, signed-in readers and visitors (tests/bench/soak/locustfile.py), each writer
   recording its writes in a ledger;
4. stops gunicorn (in-flight requests finish) and reconciles the ledger with the database:
   every acknowledged write stored exactly once where it was sent, nothing stored twice or
   without a writer, no refused write stored, one "we see this too" per organisation per
   issue, every counter as true as before;
5. prints the table (requests, failures, p50 and p95 per kind of request; objects written,
   verified, missing, duplicated), writes var/bench/soak-<vendor>-<scale>.json and exits 1
   if any request failed, anything is missing or duplicated, or the server logged an error.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.load.run import (
    BENCH,
    PYTHON,
    ROOT,
    SCALES,
    free_port,
    machine,
    prepare,
    wait_until_up,
)
from tests.bench.load.run import environment as load_environment

from .ledger import KINDS, read, totals

SERVER_ERRORS = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback|Internal Server Error|WORKER TIMEOUT")


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def soak_database(vendor: str, scale: str, var_dir: Path) -> str:
    if vendor == "postgresql":
        return (
            f"postgres://{os.environ.get('BENCH_PG', 'postgres@127.0.0.1:5432')}/koda_soak_{scale}"
        )
    return f"sqlite:///{var_dir / 'koda.sqlite3'}"


def copy(vendor: str, scale: str) -> Path:
    """A fresh copy of the load benchmark's folder and database for this run."""
    source, target = BENCH / f"{vendor}-{scale}", BENCH / f"soak-{vendor}-{scale}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("locust"))
    if vendor == "postgresql":
        import psycopg

        server = os.environ.get("BENCH_PG", "postgres@127.0.0.1:5432")
        with psycopg.connect(f"postgresql://{server}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "koda_soak_{scale}"')
            # Needs no one connected to the template: not while the load benchmark runs.
            db.execute(f'CREATE DATABASE "koda_soak_{scale}" TEMPLATE "koda_bench_{scale}"')
    return target


def environment(vendor: str, scale: str, var_dir: Path, **extra) -> dict:
    """The load benchmark's environment, on the soak's copy of the data and its settings."""
    env = load_environment(vendor, scale, var_dir)
    env.update(
        DATABASE_URL=soak_database(vendor, scale, var_dir),
        DJANGO_SETTINGS_MODULE="tests.bench.soak.settings",
        **extra,
    )
    return env


def check(step: list, env: dict) -> dict:
    """One step of tests.bench.soak.check, its JSON."""
    command = [PYTHON, "-m", "tests.bench.soak.check", *map(str, step)]
    output = subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE)
    return json.loads(output.stdout)


def locust(base, duration, counts, paths, env) -> int:
    users = sum(counts.values())
    command = [
        str(Path(PYTHON).with_name("locust")), "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "-H", base, "-u", str(users), "-r", str(users), "-t", duration,
        # Users finish the write in hand when the time is up, so few writes end ambiguous.
        "--stop-timeout", "60", "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    users_env = dict(
        env,
        SOAK_PLAN=str(paths["plan"]),
        SOAK_LEDGER=str(paths["ledger"]),
        SOAK_STATS=str(paths["stats"]),
        SOAK_WRITERS=str(counts["writers"]),
        SOAK_MEMBERS=str(counts["members"]),
        SOAK_VISITORS=str(counts["visitors"]),
    )
    with open(paths["locust_log"], "w", encoding="utf-8") as output:
        done = subprocess.run(command, env=users_env, cwd=ROOT, stdout=output, stderr=output)
    if not paths["stats"].exists():
        raise SystemExit(f"locust wrote no statistics: see {paths['locust_log']}")
    return done.returncode


def server_errors(path: Path) -> list[str]:
    """What gunicorn and Django logged at ERROR or worse (DJANGO_LOG_LEVEL is WARNING)."""
    if not path.exists():
        return []
    return [
        line for line in path.read_text(errors="replace").splitlines() if SERVER_ERRORS.search(line)
    ]


def table(report: dict) -> str:
    lines = [
        "| request | method | requests | failures | p50 ms | p95 ms | max ms |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    rows = [
        *report["requests_by_name"],
        *({**r, "name": f"**{r['name']}**"} for r in report["requests_by_kind"]),
        {**report["requests_total"], "name": "**all**"},
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['method']} | {r['requests']} | {r['failures']} | "
            f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['max_ms']} |"
        )
    columns = [
        "sent", "acknowledged", "verified", "missing", "duplicated", "misplaced", "refused",
        "refused_stored", "unacknowledged", "ambiguous", "ambiguous_stored", "stray",
    ]  # fmt: skip
    lines += ["", "| object | " + " | ".join(columns) + " |", "|---|" + "--:|" * len(columns)]
    for kind in [*KINDS, "all"]:
        counts = report["objects"]["totals"] if kind == "all" else report["objects"]["kinds"][kind]
        lines.append(f"| {kind} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendor", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--scale", choices=SCALES, default="tiny")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", default="10m", help="locust's run time (10m, 60s, …)")
    parser.add_argument("--writers", type=int, default=6, help="members who write, one per org")
    parser.add_argument("--members", type=int, default=4, help="members who read")
    parser.add_argument("--visitors", type=int, default=4, help="visitors who read")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--fresh", action="store_true", help="regenerate the load bench's data")
    args = parser.parse_args(argv)
    counts = {"writers": args.writers, "members": args.members, "visitors": args.visitors}

    manifest = prepare(args.vendor, args.scale, args.seed, args.fresh)
    log(f"copying {args.vendor}-{args.scale} for the soak")
    var_dir = copy(args.vendor, args.scale)
    env = environment(args.vendor, args.scale, var_dir)
    paths = {
        name: var_dir / f"soak-{file}"
        for name, file in [
            ("plan", "plan.json"),
            ("snapshot", "snapshot.json"),
            ("ledger", "ledger.jsonl"),
            ("stats", "locust.json"),
            ("locust_log", "locust.log"),
            ("server_log", "gunicorn.log"),
        ]
    }
    server_log = paths["server_log"]
    plan = check(
        ["plan", "--manifest", var_dir / "bench-manifest.json", "--writers", args.writers,
         "--members", args.members, "--seed", args.seed],
        env,
    )  # fmt: skip
    paths["plan"].write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    before = check(["snapshot"], env)
    paths["snapshot"].write_text(json.dumps(before), encoding="utf-8")
    paths["ledger"].write_text("", encoding="utf-8")
    paths["stats"].unlink(missing_ok=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [
        str(Path(PYTHON).with_name("gunicorn")), "koda.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--worker-class", "sync",
        "--log-level", "warning", "--timeout", "120", "--graceful-timeout", "60",
    ]  # fmt: skip
    log(f"gunicorn: {args.workers} sync workers on {base}, log {server_log.relative_to(ROOT)}")
    with open(server_log, "w", encoding="utf-8") as output:
        server = subprocess.Popen(
            gunicorn, env=env, cwd=ROOT, start_new_session=True, stdout=output, stderr=output
        )
    started = time.monotonic()
    try:
        wait_until_up(base + "/bench/floor/")
        log(f"locust: {counts} for {args.duration}")
        locust_exit = locust(base, args.duration, counts, paths, env)
    finally:
        # SIGTERM is gunicorn's graceful stop: requests in hand are answered and committed
        # before the database is counted.
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=90)
    ran_seconds = round(time.monotonic() - started)

    log("verifying the writes in the database")
    result = check(["verify", "--ledger", paths["ledger"], "--snapshot", paths["snapshot"]], env)
    with open(paths["ledger"], encoding="utf-8") as lines:
        writes = read(lines)
    measured = json.loads(paths["stats"].read_text(encoding="utf-8"))
    errors_logged = server_errors(server_log)
    total = measured["total"]
    exceptions = sum(e["count"] for e in measured["exceptions"])
    result["totals"] = totals(result)
    problems = list(result["problems"])
    if total["failures"]:
        problems.append(f"{total['failures']} requests failed")
    if exceptions:
        problems.append(f"{exceptions} exceptions in the locustfile")
    if errors_logged:
        problems.append(f"{len(errors_logged)} error lines in {server_log.name}")
    if not result["totals"]["acknowledged"]:
        problems.append("no write was acknowledged")

    report = {
        "vendor": args.vendor,
        "scale": args.scale,
        "seed": args.seed,
        "counts": manifest["counts"],
        "duration": args.duration,
        "ran_seconds": ran_seconds,
        "users": counts,
        "workers": args.workers,
        "machine": machine(),
        "ran": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "requests": total["requests"],
        "errors": total["failures"] + exceptions,
        "requests_total": total,
        "requests_by_kind": measured["kinds"],
        "requests_by_name": measured["names"],
        "failures": measured["failures"],
        "exceptions": measured["exceptions"],
        "locust_exit_code": locust_exit,
        "writes_sent": len(writes),
        "objects": {
            "kinds": result["kinds"],
            "totals": result["totals"],
            "ambiguous": result["ambiguous"],
            "support_pairs_duplicated": result["support_pairs_duplicated"],
            "counters_drifted": result["counters_drifted"],
            "mail_waiting": result["mail_waiting"],
            "rows_new": result["rows_new"],
        },
        "server_log_errors": len(errors_logged),
        "server_log_examples": errors_logged[:20],
        "problems": problems,
        "passed": not problems,
    }
    path = BENCH / f"soak-{args.vendor}-{args.scale}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    t = result["totals"]
    print(f"\nSoak test: {args.vendor}, scale {args.scale} ({manifest['counts']})")
    print(
        f"{args.workers} gunicorn workers; {counts['writers']} writers, {counts['members']} "
        f"member readers, {counts['visitors']} visitors for {args.duration} ({ran_seconds} s)\n"
    )
    print(table(report))
    print(
        f"\n{total['requests']} requests, {report['errors']} errors; {len(writes)} writes sent, "
        f"{t['acknowledged']} acknowledged, {t['verified']} verified, {t['missing']} missing, "
        f"{t['duplicated']} duplicated, {t['ambiguous']} ambiguous "
        f"({t['ambiguous_stored']} of them stored); {result['counters_drifted']} counters "
        f"drifted; {result['mail_waiting']} e-mails left in the outbox; "
        f"{len(errors_logged)} server errors logged"
    )
    for item in result["ambiguous"][:10]:
        print(f"  ambiguous {item['kind']} {item['marker']}: {item['outcome']} {item['status']}, "
              f"stored {item['stored']}×")  # fmt: skip
    for failure in measured["failures"][:10]:
        print(f"  failed {failure['count']}× {failure['name']}: {failure['error'][:200]}")
    for problem in problems[:20]:
        print(f"  PROBLEM: {problem}")
    print(f"\n{'PASSED' if report['passed'] else 'FAILED'}. Report: {path.relative_to(ROOT)}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
