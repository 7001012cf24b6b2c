"""The pages the load run reads, with the SQL queries each one runs:
`python -m tests.bench.load.measure --manifest KODA_VAR_DIR/bench-manifest.json`.

Outside the load, against the same database, through Django's test client (the same
middleware and settings as gunicorn serves), signed in as the demo member where the page is a
member's. Prints JSON: each page's name, URL, who reads it, status, queries (the second request,
as the load mostly sees it; queries_cold for the first, which fills the caches) and the member's
session key for locust.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.load.settings")

MEMBER = "liige"  # the demo member of DESIGN.md, password "demo"
LONG_QUERY = quote(
    "lapsed koolis lasteaias toetus vanemad kiusamine noortekeskuse huviringid "
    "omavalitsus tervise abi koolibuss"
)


def pages(manifest: dict) -> list[dict]:
    """(name, url, reader) for every measured page, the floor first."""
    from cms.models import TopicIndexPage
    from forum.models import AdvocacyTopic

    topic = AdvocacyTopic.objects.get(pk=manifest["published_topic"])
    topics_page = TopicIndexPage.objects.get(locale__language_code="et")
    query = quote(manifest["search_query"])
    return [
        {"name": "floor", "url": "/bench/floor/", "reader": "visitor"},
        # The same tiny page for a signed-in member: what any member page costs before its own
        # work (session, account, memberships, the header's unread count).
        {"name": "floor (member)", "url": "/bench/floor/", "reader": "member"},
        {"name": "home", "url": "/", "reader": "visitor"},
        {"name": "article index", "url": "/uudised/", "reader": "visitor"},
        {"name": "article", "url": manifest["article"], "reader": "visitor"},
        {"name": "issue list", "url": "/foorum/", "reader": "member"},
        {
            "name": "issue list by county",
            "url": f"/foorum/?county={manifest['county']}",
            "reader": "member",
        },
        {
            "name": "issue list by tag",
            "url": f"/foorum/silt/{quote(manifest['tag'])}/",
            "reader": "member",
        },
        {
            "name": f"issue, {manifest['hot_issue_comments']} comments",
            "url": f"/foorum/{manifest['hot_issue']}/",
            "reader": "member",
        },
        {"name": "published topic", "url": topics_page.topic_url(topic), "reader": "visitor"},
        {"name": "search (visitor)", "url": f"/otsing/?q={query}", "reader": "visitor"},
        {"name": "search (member)", "url": f"/otsing/?q={query}", "reader": "member"},
        # As many words as a search takes (search.views.MAX_WORDS), common and rare.
        {
            "name": "search (member, 12 words)",
            "url": f"/otsing/?q={LONG_QUERY}",
            "reader": "member",
        },
    ]


def measure(manifest: dict) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # a shared cache may hold another run's pages and fragments
    visitor, member = Client(), Client()
    account = get_user_model().objects.filter(username=MEMBER).first()
    if account is None:
        raise SystemExit(f"No account {MEMBER}: was load_demo run with DEBUG on?")
    member.force_login(account)
    session = member.cookies["sessionid"].value
    measured = []
    for page in pages(manifest):
        client = member if page["reader"] == "member" else visitor
        # The first request fills the caches (and loads templates, URL resolvers): its queries
        # are a miss's; the second's are what the load mostly sees.
        with CaptureQueriesContext(connection) as cold:
            client.get(page["url"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["url"])
        page.update(
            status=response.status_code,
            queries=len(queries),
            queries_cold=len(cold),
            bytes=len(response.content),
        )
        measured.append(page)
        print(
            f"  {page['name']:<24} {response.status_code} {len(queries):>4} queries"
            f" ({len(cold)} cold)  {page['url']}",
            file=sys.stderr,
        )
    return {"pages": measured, "session": session}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, required=True)
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    print(json.dumps(measure(manifest), ensure_ascii=False))


if __name__ == "__main__":
    main()
