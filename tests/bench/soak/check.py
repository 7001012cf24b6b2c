"""The soak's database side, run by tests/bench/soak/run.py in its own process before and after
the load (DJANGO_SETTINGS_MODULE=tests.bench.soak.settings, DATABASE_URL and KODA_VAR_DIR of
the soak's copy). Each step prints JSON:

- `plan --manifest M --writers N --members N`: who writes and reads, and what: one writer per
  organisation (so that two writers never say "we see this too" for the same organisation),
  signed in with the generated people's password; the issues they may comment on and, per
  writer, the ones their organisation may still support; the discussions they may reply in; the
  pages readers read (tests.bench.load.measure's). Empties the soak's cache.
- `snapshot`: the highest pk of issues, comments, supports and replies (every row above it is
  the soak's), and where a counter (support_count, comment_count, reply_count) already differs
  from its rows.
- `verify --ledger L --snapshot S`: the new rows, by marker, reconciled with the writers'
  ledger (tests.bench.soak.ledger.reconcile); the rule of one "we see this too" per
  organisation per issue over the whole table; and the counters of every issue and discussion,
  which must differ from their rows exactly as they did before.
"""

import argparse
import json
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.soak.settings")

PASSWORD = "demo"  # every generated person's (tests.bench.load.generate)
SAMPLE = 500  # issues offered to the writers
SUPPORTABLE = 200  # per writer


def plan(manifest: dict, writers: int, members: int, seed: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db.models import Count

    from forum.models import AgeGroup, Discussion, Issue, Membership, Support, Theme
    from tests.bench.load.measure import pages

    cache.clear()  # the soak's own Redis database: nothing of an earlier run is served
    rng = random.Random(seed)
    User = get_user_model()
    # Generated people in exactly one organisation, that organisation a member.
    single = (
        User.objects.filter(username__startswith="bench", is_active=True)
        .annotate(n=Count("memberships"))
        .filter(n=1)
        .values_list("pk", flat=True)
    )
    memberships = (
        Membership.objects.filter(user__in=list(single), active=True, organization__status="member")
        .select_related("user", "organization")
        .order_by("organization_id", "user_id")
    )
    by_organization = {}
    for membership in memberships:
        by_organization.setdefault(membership.organization, []).append(membership.user)
    if len(by_organization) < writers:
        raise SystemExit(
            f"{writers} writers need as many organisations with people; "
            f"the data has {len(by_organization)}."
        )
    writer_rows = []
    for organization, people in list(by_organization.items())[:writers]:
        writer_rows.append(
            {
                "username": people[0].username,
                "org": organization.pk,
                "county": organization.county_id,
            }
        )
    # Readers are the others: reading writes nothing, so any organisation will do.
    readers = [user.username for people in by_organization.values() for user in people[1:]]
    if len(readers) < members:
        raise SystemExit(f"{members} member readers, but only {len(readers)} people are left.")

    open_issues = list(
        Issue.objects.filter(hidden=False, locked=False)
        .exclude(status=Issue.Status.DUPLICATE)
        .values_list("pk", "organization_id")
    )
    sample = rng.sample(open_issues, min(SAMPLE, len(open_issues)))
    supported = set(
        Support.objects.filter(issue__in=[pk for pk, _ in sample]).values_list(
            "issue_id", "organization_id"
        )
    )
    for writer in writer_rows:
        writer["supportable"] = [
            pk
            for pk, organization in sample
            if organization != writer["org"] and (pk, writer["org"]) not in supported
        ][:SUPPORTABLE]
    return {
        "password": PASSWORD,
        "writers": writer_rows,
        "members": readers[:members],
        "issues": [pk for pk, _ in sample],
        "discussions": list(
            Discussion.objects.filter(hidden=False, locked=False).values_list("pk", flat=True)
        ),
        "themes": list(Theme.objects.filter(active=True).values_list("pk", flat=True)),
        "age_groups": list(AgeGroup.objects.values_list("pk", flat=True)),
        "pages": [
            {"name": page["name"], "url": page["url"], "reader": page["reader"]}
            for page in pages(manifest)
            if not page["name"].startswith("floor")
        ],
        "search_words": [
            manifest["search_query"],
            "kool",
            "lasteaed",
            "koolikiusamine",
            "noortekeskus",
            "huviring",
        ],
    }


def _counters() -> dict:
    """Issues and discussions whose counters differ from their rows: {"issue:pk": [supports,
    comments], "discussion:pk": [replies]} (stored minus counted; only where not zero)."""
    from django.db.models import Count

    from forum.models import Comment, Discussion, Issue, Reply, Support

    def counted(queryset, field):
        return dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))

    supports = counted(Support.objects.all(), "issue")
    comments = counted(Comment.objects.filter(deleted__isnull=True, hidden=False), "issue")
    replies = counted(Reply.objects.filter(deleted__isnull=True, hidden=False), "discussion")
    drift = {}
    for pk, support_count, comment_count in Issue.objects.values_list(
        "pk", "support_count", "comment_count"
    ):
        off = [support_count - supports.get(pk, 0), comment_count - comments.get(pk, 0)]
        if any(off):
            drift[f"issue:{pk}"] = off
    for pk, reply_count in Discussion.objects.values_list("pk", "reply_count"):
        if reply_count != replies.get(pk, 0):
            drift[f"discussion:{pk}"] = [reply_count - replies.get(pk, 0)]
    return drift


def _highest() -> dict:
    from django.db.models import Max

    from forum.models import Comment, Issue, Reply, Support

    models = {"issue": Issue, "comment": Comment, "support": Support, "reply": Reply}
    return {
        kind: model.objects.aggregate(top=Max("pk"))["top"] or 0 for kind, model in models.items()
    }


def snapshot() -> dict:
    return {"highest": _highest(), "counters": _counters()}


def new_rows(highest: dict) -> tuple[list[dict], dict]:
    """The rows above the snapshot's pks with their markers, and how many carry none."""
    from forum.models import Comment, Issue, Reply, Support

    from .ledger import MARKER

    sources = {
        # kind: (rows as (pk, text, target, org))
        "issue": Issue.objects.filter(pk__gt=highest["issue"]).values_list(
            "pk", "title", "pk", "organization_id"
        ),
        "comment": Comment.objects.filter(pk__gt=highest["comment"]).values_list(
            "pk", "body", "issue_id", "organization_id"
        ),
        "support": Support.objects.filter(pk__gt=highest["support"]).values_list(
            "pk", "note", "issue_id", "organization_id"
        ),
        "reply": Reply.objects.filter(pk__gt=highest["reply"]).values_list(
            "pk", "body", "discussion_id", "organization_id"
        ),
    }
    rows, stray = [], dict.fromkeys(sources, 0)
    for kind, values in sources.items():
        for pk, text, target, organization in values.iterator():
            match = MARKER.search(text or "")
            if match is None:
                stray[kind] += 1
                continue
            rows.append(
                {
                    "kind": kind,
                    "marker": match.group(),
                    "pk": pk,
                    # A new issue has no target; comments and replies are checked for where
                    # they are, not whose (a writer's one organisation is theirs anyway).
                    "target": None if kind == "issue" else target,
                    "org": organization if kind in ("issue", "support") else None,
                }
            )
    return rows, stray


def verify(writes: dict, before: dict) -> dict:
    from django.db.models import Count

    from forum.models import OutgoingMail, Support

    from .ledger import reconcile

    rows, stray = new_rows(before["highest"])
    result = reconcile(writes, rows, stray)
    pairs = Support.objects.values("issue", "organization").annotate(n=Count("pk")).filter(n__gt=1)
    duplicate_pairs = [(p["issue"], p["organization"], p["n"]) for p in pairs]
    if duplicate_pairs:
        result["problems"].append(
            f"{len(duplicate_pairs)} (issue, organisation) pairs with more than one "
            f"“we see this too”: {duplicate_pairs[:5]}"
        )
    after = _counters()
    drifted = sorted(
        key
        for key in set(before["counters"]) | set(after)
        if before["counters"].get(key) != after.get(key)
    )
    if drifted:
        result["problems"].append(
            f"{len(drifted)} counters no longer match their rows as before: "
            + ", ".join(f"{k} {before['counters'].get(k)} → {after.get(k)}" for k in drifted[:5])
        )
    # Every notification's mail went through the outbox (forum.notifications.outbox) to the dummy
    # backend; a row left behind is mail that a delivery lost track of.
    mail_waiting = OutgoingMail.objects.count()
    if mail_waiting:
        result["problems"].append(f"{mail_waiting} e-mails left undelivered in the outbox")
    result.update(
        mail_waiting=mail_waiting,
        support_pairs_duplicated=len(duplicate_pairs),
        counters_drifted=len(drifted),
        rows_new=len(rows) + sum(stray.values()),
        passed=not result["problems"],
    )
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    planning = steps.add_parser("plan")
    planning.add_argument("--manifest", type=Path, required=True)
    planning.add_argument("--writers", type=int, required=True)
    planning.add_argument("--members", type=int, required=True)
    planning.add_argument("--seed", type=int, default=1)
    steps.add_parser("snapshot")
    verifying = steps.add_parser("verify")
    verifying.add_argument("--ledger", type=Path, required=True)
    verifying.add_argument("--snapshot", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.step == "plan":
        manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
        output = plan(manifest, args.writers, args.members, args.seed)
    elif args.step == "snapshot":
        output = snapshot()
    else:
        from .ledger import read

        with open(args.ledger, encoding="utf-8") as lines:
            writes = read(lines)
        before = json.loads(args.snapshot.read_text(encoding="utf-8"))
        output = verify(writes, before)
    json.dump(output, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
