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
from pathlib import Path
from urllib.parse import quote

from tests.bench.load.run import (
    BENCH,
    ROOT,
    environment,
    free_port,
    load,
    locust,
    log,
    prepare,
    recreate_postgres,
    wait_until_up,
    warm_up,
)

SPIRIT = "django-spirit==0.14.3"
PACKAGES = [
    SPIRIT, "Django>=4.2,<4.3", "gunicorn>=23,<24", "redis>=5,<6", "psycopg[binary]>=3.2,<4"
]  # fmt: skip
VENV = BENCH / "spirit-venv"
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
DATABASES = {"default": %(database)r}
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

# Run in Spirit's virtualenv: a topic per line of Koda's exported text (tests.bench.peer.export),
# the busiest first, its posts as the topic's comments, written by as many people as Koda has.
GENERATE = """
import json, random, sys
from django.contrib.auth import get_user_model
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django.utils.html import strip_tags
from spirit.category.models import Category
from spirit.comment.models import Comment
from spirit.topic.models import Topic
from spirit.user.models import UserProfile

shape = json.loads(sys.argv[1])
random.seed(1)
User = get_user_model()
# One at a time, so Spirit's signals make each profile; verified, as a member would be.
users = [User.objects.create_user(f"jasen{n}", f"jasen{n}@example.org", "demo")
         for n in range(shape["people"])]
UserProfile.objects.update(is_verified=True)
category = Category.objects.filter(is_private=False, parent=None).exclude(title="Private").first()
now = timezone.now()
hot = None
topics, posts = [], []
def flush():
    made = Topic.objects.bulk_create(topics)
    Comment.objects.bulk_create(
        (Comment(user=random.choice(users), topic=topic, comment=strip_tags(html),
                 comment_html=html)
         for topic, htmls in zip(made, posts) for html in htmls),
        batch_size=5000)
    topics.clear(); posts.clear()
    return made[0]
with open(shape["text"], encoding="utf-8") as lines:
    for line in lines:
        row = json.loads(line)
        topics.append(Topic(user=random.choice(users), category=category,
                            title=row["title"][:255], slug="teema", last_active=now,
                            comment_count=len(row["posts"])))
        posts.append(row["posts"])
        if len(topics) >= 2000:
            first = flush()
            hot = hot or first
    if topics:
        first = flush()
        hot = hot or first
session = SessionStore()
session["_auth_user_id"] = str(users[0].pk)
session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
session["_auth_user_hash"] = users[0].get_session_auth_hash()
session.create()
print(json.dumps({"hot": f"/topic/{hot.pk}/{hot.slug}/", "session": session.session_key,
                  "topics": Topic.objects.count(), "comments": Comment.objects.count()}))
"""


def spirit_env(site: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KODA_"))}
    return env | {"DJANGO_SETTINGS_MODULE": "peer.settings.bench", "PYTHONPATH": str(site)}


def spirit_manage(site: Path, *args, **kwargs):
    return subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=site, env=spirit_env(site), check=True, **kwargs
    )


def install() -> None:
    if not PYTHON.exists():
        log(f"virtualenv for Spirit: {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    log(f"installing {', '.join(PACKAGES)}")
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", *PACKAGES], check=True)


def spirit_database(vendor: str, scale: str, site: Path) -> dict:
    if vendor == "postgresql":
        user, _, address = os.environ.get("BENCH_PG", "postgres@127.0.0.1:5432").partition("@")
        host, _, port = address.partition(":")
        name = f"spirit_bench_{scale}"
        recreate_postgres(name)
        return {"ENGINE": "django.db.backends.postgresql", "NAME": name, "USER": user,
                "HOST": host, "PORT": port, "CONN_MAX_AGE": 60}  # fmt: skip
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site / "db.sqlite3"),
            "CONN_MAX_AGE": 60}  # fmt: skip


def build_site(vendor: str, scale: str, koda: dict, fresh: bool) -> tuple[Path, dict]:
    """Spirit's site on `vendor` with the text of Koda's data at `scale` (`koda`, its manifest);
    reused when it was made."""
    site = BENCH / f"spirit-{vendor}-{scale}"
    made = site / "bench-manifest.json"
    if made.exists() and not fresh:
        manifest = json.loads(made.read_text())
        if manifest.get("koda") == koda["counts"]:
            log(f"{site} holds Koda's text at {scale}: reusing it (--fresh starts over)")
            return site, manifest
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    subprocess.run(
        [str(VENV / "bin" / "spirit"), "startproject", "peer", "--path", str(site)],
        env={**spirit_env(site), "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}"},
        check=True,
    )
    settings = SETTINGS % {"redis": REDIS, "database": spirit_database(vendor, scale, site)}
    (site / "peer" / "settings" / "bench.py").write_text(settings)
    (site / "peer" / "bench_urls.py").write_text(URLS)
    floor = ROOT / "tests" / "bench" / "load" / "templates" / "bench" / "floor.html"
    (site / "bench_templates" / "bench").mkdir(parents=True)
    shutil.copy(floor, site / "bench_templates" / "bench" / "floor.html")
    spirit_manage(site, "migrate", "--no-input", "-v0")
    spirit_manage(site, "collectstatic", "--no-input", "-v0")
    text = site / "koda-text.jsonl"
    log(f"Koda's text at {vendor} {scale} for Spirit: {text}")
    koda_env = environment(vendor, scale, BENCH / f"{vendor}-{scale}")
    subprocess.run(
        [sys.executable, "-m", "tests.bench.peer.export", str(text), str(koda["hot_issue"])],
        env=koda_env, cwd=ROOT, check=True,
    )  # fmt: skip
    shape = {"people": koda["counts"]["people"], "text": str(text)}
    log("Spirit's data: a topic per issue, a comment per post")
    out = spirit_manage(site, "shell", "-c",
                        GENERATE.replace("sys.argv[1]", repr(json.dumps(shape))),
                        capture_output=True, text=True).stdout  # fmt: skip
    manifest = json.loads(out.strip().splitlines()[-1])
    manifest.update(query=koda["search_query"], koda=koda["counts"])
    log(f"Spirit's search index (haystack, Whoosh): {manifest['topics']} topics")
    spirit_manage(site, "rebuild_index", "--noinput", "-v0")
    made.write_text(json.dumps(manifest))
    return site, manifest


def spirit_pages(manifest: dict) -> list[dict]:
    query = quote(manifest["query"])
    return [
        {"name": "floor", "url": "/bench/floor/", "reader": "visitor"},
        {"name": "floor (member)", "url": "/bench/floor/", "reader": "member"},
        {"name": "topic list (visitor)", "url": "/", "reader": "visitor"},
        {"name": "topic, busiest", "url": manifest["hot"], "reader": "member"},
        {"name": "search (member)", "url": f"/search/?q={query}", "reader": "member"},
    ]


def load_spirit(site, manifest, users, duration, workers) -> list[dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(VENV / "bin" / "gunicorn"), "peer.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=site, env=spirit_env(site), start_new_session=True)
    results = []
    try:
        wait_until_up(base + "/bench/floor/")
        folder = site / "locust"
        folder.mkdir(exist_ok=True)
        for n, page in enumerate(spirit_pages(manifest)):
            warm_up(base, page, manifest["session"], requests=workers * 3)
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
    parser.add_argument("--vendor", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--duration", default="15s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, both")
    parser.add_argument("--fresh", action="store_true", help="rebuild Spirit's site and data")
    args = parser.parse_args(argv)

    koda_manifest = prepare(args.vendor, args.scale, 1, False)
    install()
    site, spirit_manifest = build_site(args.vendor, args.scale, koda_manifest, args.fresh)
    started = time.monotonic()
    spirit = load_spirit(site, spirit_manifest, args.users, args.duration, args.workers)
    koda = load(args.vendor, args.scale, koda_manifest, args.users, args.duration, args.workers,
                only=KODA_PAGES)  # fmt: skip
    report = table(spirit, koda)
    path = BENCH / f"peer-{args.vendor}-{args.scale}.json"
    path.write_text(json.dumps({"spirit": spirit, "koda": koda}, indent=2, ensure_ascii=False))
    print(f"\nKoda beside Spirit ({SPIRIT}), {args.vendor}, scale {args.scale}: {args.workers} "
          f"gunicorn workers each, {args.users} locust users, {args.duration} per page, "
          f"{time.monotonic() - started:.0f} s\n")  # fmt: skip
    print(report)
    print(f"\nReport: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
