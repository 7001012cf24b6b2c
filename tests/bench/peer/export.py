"""Koda's load data as text for the peer: `python -m tests.bench.peer.export OUT.jsonl HOT`, run
with the load benchmark's environment (KODA_VAR_DIR, DATABASE_URL) of one database and scale.

One JSON line per visible issue, the busiest (HOT) first: its title, and the rendered HTML of
its description and of each visible comment in order. Spirit gets the very words Koda holds (a
topic per issue, the description its first comment), so both search the same vocabulary and
render the same paragraphs; made-up text of a few words flatters a full-text index.
"""

import json
import os
import sys
from itertools import groupby

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.load.settings")


def export(path: str, hot_issue: int) -> int:
    import django

    django.setup()
    from forum.models import Comment, Issue

    comments = Comment.objects.filter(hidden=False, deleted__isnull=True)
    issues = Issue.objects.filter(hidden=False)

    def line(title, body, replies):
        return json.dumps({"title": title, "posts": [body, *replies]}, ensure_ascii=False) + "\n"

    written = 0
    with open(path, "w", encoding="utf-8") as out:
        hot = issues.get(pk=hot_issue)
        replies = comments.filter(issue=hot).order_by("created", "pk")
        out.write(line(hot.title, hot.body_html, replies.values_list("body_html", flat=True)))
        # Issues and their comments are both read in issue order, merged as they stream.
        threads = groupby(
            comments.exclude(issue=hot)
            .order_by("issue_id", "created", "pk")
            .values_list("issue_id", "body_html")
            .iterator(chunk_size=5_000),
            key=lambda row: row[0],
        )
        thread = next(threads, None)
        rows = issues.exclude(pk=hot.pk).order_by("pk").values_list("pk", "title", "body_html")
        for pk, title, body in rows.iterator(chunk_size=5_000):
            while thread is not None and thread[0] < pk:  # a hidden issue's comments
                thread = next(threads, None)
            replies = []
            if thread is not None and thread[0] == pk:
                replies = [html for _, html in thread[1]]
                thread = next(threads, None)
            out.write(line(title, body, replies))
            written += 1
    return written + 1


if __name__ == "__main__":
    print(export(sys.argv[1], int(sys.argv[2])))
