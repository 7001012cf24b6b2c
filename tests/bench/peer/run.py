"""`make bench-peer`: Koda beside Spirit, a Django forum, one page at a time, on one machine.

Spirit 0.14.3 is installed from the registry with Django 4.2 into its own virtualenv under
var/bench/spirit-venv (its code is never copied here); `spirit startproject` makes its site in
var/bench/spirit-site, given a settings module and a floor view written by this script. Its data
has the shape of Koda's load data at the same scale: as many topics as issues, as many comments,
one topic with as many comments as Koda's busiest issue. Both are served by the same gunicorn
(sync workers, same count) on SQLite with Redis as the cache, and read by the same locust
(tests/bench/load/locustfile.py), one page after another. Prints one table: each page's
requests per second for Spirit and for Koda and their ratio.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from tests.bench.load.run import (
    BENCH,
    ROOT,
    free_port,
    load,
    locust,
    log,
    prepare,
    wait_until_up,
)

SPIRIT = "django-spirit==0.14.3"
PACKAGES = [SPIRIT, "Django>=4.2,<4.3", "gunicorn>=23,<24", "redis>=5,<6"]
VENV = BENCH / "spirit-venv"
SITE = BENCH / "spirit-site"
PYTHON = VENV / "bin" / "python"
REDIS = "redis://127.0.0.1:6379/11"
# The pages of Koda's load table compared, and Spirit's page for each (reader as in Koda's).
KODA_PAGES = ["floor", "floor (member)", "issue list", "issue, ", "search (member)"]

SETTINGS = '''"""Written by tests/bench/peer/run.py: Spirit's production settings, served as
Koda's are."""
import os

from .prod import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = "spirit-bench-only-" + "x" * 40
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BASE_DIR, "db.sqlite3"),
        "CONN_MAX_AGE": 60,
    }
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "%(redis)s"},
    "st_rate_limit": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": "%(redis)s", "KEY_PREFIX": "rl", "TIMEOUT": None},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # only to make the data
ROOT_URLCONF = "peer.bench_urls"
TEMPLATES[0]["DIRS"] = [os.path.join(BASE_DIR, "bench_templates")]
STATIC_ROOT = os.path.join(BASE_DIR, "static")
'''

URLS = '''"""Written by tests/bench/peer/run.py: Spirit's addresses and the same floor view
as Koda's."""
from django.shortcuts import render
from django.urls import path

from .urls import urlpatterns as spirit


def floor(request):
    return render(request, "bench/floor.html", {"title": "Spirit"})


urlpatterns = [path("bench/floor/", floor), *spirit]
'''

# Run in Spirit's virtualenv: its users, topics and comments in the shape of Koda's data.
GENERATE = """
import json, random, sys
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from spirit.category.models import Category
from spirit.comment.models import Comment
from spirit.topic.models import Topic

shape = json.loads(sys.argv[1])
random.seed(1)
User = get_user_model()
users = [User.objects.create_user(f"jasen{n}", f"jasen{n}@example.org", "demo")
         for n in range(shape["people"])]
category = Category.objects.filter(is_private=False, parent=None).exclude(title="Private").first()
words = shape["words"]
def text(n):
    return " ".join(random.choice(words) for _ in range(n))
now = timezone.now()
topics = Topic.objects.bulk_create(
    Topic(user=random.choice(users), category=category, title=text(6)[:200], slug="teema",
          last_active=now, comment_count=0)
    for _ in range(shape["threads"]))
hot = topics[0]
counts = {hot.pk: shape["hot_comments"]}
for _ in range(shape["comments"] - shape["hot_comments"]):
    topic = random.choice(topics)
    counts[topic.pk] = counts.get(topic.pk, 0) + 1
batch = []
for topic in topics:
    for _ in range(counts.get(topic.pk, 0)):
        body = text(30)
        batch.append(Comment(user=random.choice(users), topic=topic, comment=body,
                             comment_html=f"<p>{body}</p>"))
    if len(batch) > 5000:
        Comment.objects.bulk_create(batch); batch = []
Comment.objects.bulk_create(batch)
for topic in topics:
    topic.comment_count = counts.get(topic.pk, 0)
Topic.objects.bulk_update(topics, ["comment_count"], batch_size=1000)
session = SessionStore()
session["_auth_user_id"] = str(users[0].pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = users[0].get_session_auth_hash()
session.create()
print(json.dumps({"hot": f"/topic/{hot.pk}/{hot.slug}/", "session": session.session_key,
                  "query": words[0]}))
"""


def spirit_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KODA_"))}
    return env | {"DJANGO_SETTINGS_MODULE": "peer.settings.bench", "PYTHONPATH": str(SITE)}


def spirit_manage(*args, **kwargs):
    return subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=SITE, env=spirit_env(), check=True, **kwargs
    )


def install() -> None:
    if not PYTHON.exists():
        log(f"virtualenv for Spirit: {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    log(f"installing {', '.join(PACKAGES)}")
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", *PACKAGES], check=True)


def build_site(koda: dict, fresh: bool) -> dict:
    """Spirit's site with data shaped as Koda's `koda` manifest; reused when it was made."""
    made = SITE / "bench-manifest.json"
    if made.exists() and not fresh:
        log(f"{SITE} exists: reusing it (--fresh starts over)")
        return json.loads(made.read_text())
    shutil.rmtree(SITE, ignore_errors=True)
    SITE.mkdir(parents=True)
    subprocess.run(
        [str(VENV / "bin" / "spirit"), "startproject", "peer", "--path", str(SITE)],
        env={**spirit_env(), "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}"},
        check=True,
    )
    (SITE / "peer" / "settings" / "bench.py").write_text(SETTINGS % {"redis": REDIS})
    (SITE / "peer" / "bench_urls.py").write_text(URLS)
    floor = ROOT / "tests" / "bench" / "load" / "templates" / "bench" / "floor.html"
    (SITE / "bench_templates" / "bench").mkdir(parents=True)
    shutil.copy(floor, SITE / "bench_templates" / "bench" / "floor.html")
    spirit_manage("migrate", "--no-input", "-v0")
    spirit_manage("collectstatic", "--no-input", "-v0")
    counts = koda["counts"]
    shape = {
        "people": counts["people"],
        "threads": counts["issues"],
        "comments": counts["comments"],
        "hot_comments": koda["hot_issue_comments"],
        "words": koda["search_query"].split() + ["lapsed", "kool", "pere", "toetus", "abi"] * 3,
    }
    log(f"Spirit's data: {shape['threads']} topics, {shape['comments']} comments")
    out = spirit_manage("shell", "-c", GENERATE.replace("sys.argv[1]", repr(json.dumps(shape))),
                        capture_output=True, text=True).stdout  # fmt: skip
    manifest = json.loads(out.strip().splitlines()[-1])
    log("Spirit's search index (haystack, Whoosh)")
    spirit_manage("rebuild_index", "--noinput", "-v0")
    made.write_text(json.dumps(manifest))
    return manifest


def spirit_pages(manifest: dict) -> list[dict]:
    return [
        {"name": "floor", "url": "/bench/floor/", "reader": "visitor"},
        {"name": "floor (member)", "url": "/bench/floor/", "reader": "member"},
        {"name": "topic list (visitor)", "url": "/", "reader": "visitor"},
        {"name": "topic, busiest", "url": manifest["hot"], "reader": "member"},
        {"name": "search (member)", "url": f"/search/?q={manifest['query']}", "reader": "member"},
    ]


def load_spirit(manifest, users, duration, workers) -> list[dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(VENV / "bin" / "gunicorn"), "peer.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=SITE, env=spirit_env(), start_new_session=True)
    results = []
    try:
        wait_until_up(base + "/bench/floor/")
        folder = SITE / "locust"
        folder.mkdir(exist_ok=True)
        for n, page in enumerate(spirit_pages(manifest)):
            log(f"locust on Spirit: {page['name']} ({page['url']})")
            stats = locust(base, page, manifest["session"], users, duration,
                           folder / f"page{n:02d}", dict(os.environ))  # fmt: skip
            results.append({**page, **stats})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def table(spirit: list[dict], koda: list[dict]) -> str:
    lines = [
        "| Spirit's page | reader | Spirit req/s | Koda's page | reader | Koda req/s "
        "| Koda ÷ Spirit |",
        "|---|---|--:|---|---|--:|--:|",
    ]
    for theirs, prefix in zip(spirit, KODA_PAGES, strict=True):
        ours = next(r for r in koda if r["name"] == prefix or (
            prefix.endswith(", ") and r["name"].startswith(prefix)))  # fmt: skip
        ratio = ours["rps"] / theirs["rps"] if theirs["rps"] else float("nan")
        lines.append(
            f"| {theirs['name']} | {theirs['reader']} | {theirs['rps']:.1f} | {ours['name']} | "
            f"{ours['reader']} | {ours['rps']:.1f} | {ratio:.2f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--duration", default="15s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, both")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)

    koda_manifest = prepare("sqlite", args.scale, 1, False)
    install()
    spirit_manifest = build_site(koda_manifest, args.fresh)
    started = time.monotonic()
    spirit = load_spirit(spirit_manifest, args.users, args.duration, args.workers)
    koda = load("sqlite", args.scale, koda_manifest, args.users, args.duration, args.workers,
                only=KODA_PAGES)  # fmt: skip
    report = table(spirit, koda)
    path = BENCH / f"peer-sqlite-{args.scale}.json"
    path.write_text(json.dumps({"spirit": spirit, "koda": koda}, indent=2, ensure_ascii=False))
    print(f"\nKoda beside Spirit ({SPIRIT}), SQLite, scale {args.scale}: {args.workers} gunicorn "
          f"workers each, {args.users} locust users, {args.duration} per page, "
          f"{time.monotonic() - started:.0f} s\n")  # fmt: skip
    print(report)
    print(f"\nReport: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
