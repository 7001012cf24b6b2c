"""The writers' record of what they wrote, and its reconciliation with the database's rows.

Each write carries a marker: "soak" and 32 letters (a UUID4's hex with its digits 0–9 spelt
as the letters g–p, so that no run of digits can look like an isikukood to the privacy guard).
A writer appends one JSON line before it sends a write ("sent") and one when the server has
answered ("done", with the outcome), to a file it flushes after each line. Outcomes:

- ok: the success redirect (the write is acknowledged);
- refused: a 4xx with the form shown again (nothing may be stored);
- error, timeout: a 5xx, a broken connection or no answer in time (ambiguous: it may be stored);
- interrupted (read only): "sent" without "done", cut off when the run stopped (ambiguous).

Nothing here imports Django or locust: the locustfile writes, tests.bench.soak.check reads the
rows, and `reconcile` compares the two (tests/bench/soak/test_ledger.py).
"""

import json
import re
import time
import uuid
from collections import Counter, defaultdict

PREFIX = "soak"
MARKER = re.compile(rf"\b{PREFIX}[a-p]{{32}}\b")
KINDS = ("issue", "comment", "support", "reply")
ACKNOWLEDGED = "ok"
REFUSED = "refused"
AMBIGUOUS = ("error", "timeout", "interrupted")
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def new_marker() -> str:
    return PREFIX + uuid.uuid4().hex.translate(_LETTERS)


class Ledger:
    """Appends to the JSON-lines file at `path`, one flushed line per event. Locust runs its
    users as greenlets in one process, and a file write does not yield, so lines never mix."""

    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the whole run)

    def _write(self, **event):
        self.file.write(json.dumps({"t": round(time.time(), 3), **event}) + "\n")
        self.file.flush()

    def sent(self, kind: str, marker: str, *, user: str, org: int | None, target: int | None):
        """About to send a write of `kind` on `target` (issue or discussion pk; None for a new
        issue) by `user` for organisation `org`."""
        assert kind in KINDS, kind
        self._write(event="sent", kind=kind, marker=marker, user=user, org=org, target=target)

    def done(self, marker: str, outcome: str, *, status: int | None, pk=None, detail: str = ""):
        """The server's answer: `outcome` as above, the HTTP status (None without an answer),
        the new object's pk where the redirect names it, and what went wrong."""
        assert outcome in (ACKNOWLEDGED, REFUSED, *AMBIGUOUS), outcome
        self._write(
            event="done", marker=marker, outcome=outcome, status=status, pk=pk, detail=detail[:300]
        )


def read(lines) -> dict:
    """marker → {kind, user, org, target, outcome, status, pk, detail} from a ledger's lines."""
    writes = {}
    for line in lines:
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:  # a line cut off when the run was killed
            continue
        marker = event["marker"]
        if event["event"] == "sent":
            writes[marker] = {
                "kind": event["kind"],
                "user": event["user"],
                "org": event["org"],
                "target": event["target"],
                "outcome": "interrupted",
                "status": None,
                "pk": None,
                "detail": "",
            }
        elif marker in writes:
            writes[marker].update(
                outcome=event["outcome"],
                status=event["status"],
                pk=event.get("pk"),
                detail=event.get("detail", ""),
            )
    return writes


def reconcile(writes: dict, rows: list[dict], stray: dict | None = None) -> dict:
    """Compare the ledger (`read`'s result) with the rows written during the run.

    `rows`: one dict per new row that carries a marker: kind, marker, pk, target (the issue of
    a comment or support, the discussion of a reply; None for an issue) and org (the support's
    or issue's organisation; None where it does not apply). `stray`: kind → new rows without
    any marker (nothing but the soak's writers should have written).

    Per kind: acknowledged, verified (acknowledged and stored exactly once where it was sent),
    missing, duplicated (stored more than once, whatever the answer), misplaced (stored once,
    elsewhere), refused_stored (refused, yet stored), unacknowledged (stored, but never sent by
    a writer), ambiguous (error, timeout or interrupted) and ambiguous_stored (of those, stored
    once: reported, not a failure). `problems` lists them; `passed` is whether there were none.
    """
    stray = stray or {}
    stored = defaultdict(list)
    for row in rows:
        stored[row["marker"]].append(row)
    result = {
        kind: dict.fromkeys(
            (
                "sent",
                "acknowledged",
                "verified",
                "missing",
                "duplicated",
                "misplaced",
                "refused",
                "refused_stored",
                "unacknowledged",
                "ambiguous",
                "ambiguous_stored",
                "stray",
            ),
            0,
        )
        for kind in KINDS
    }
    problems, ambiguous = [], []

    for marker, write in writes.items():
        kind, outcome, found = write["kind"], write["outcome"], stored.get(marker, [])
        counts = result[kind]
        counts["sent"] += 1
        if outcome == ACKNOWLEDGED:
            counts["acknowledged"] += 1
        elif outcome == REFUSED:
            counts["refused"] += 1
        else:
            counts["ambiguous"] += 1
            counts["ambiguous_stored"] += len(found) == 1
            ambiguous.append(
                {
                    "kind": kind,
                    "marker": marker,
                    "outcome": outcome,
                    "status": write["status"],
                    "detail": write["detail"],
                    "stored": len(found),
                }
            )
        if len(found) > 1:
            counts["duplicated"] += 1
            problems.append(f"{kind} {marker} ({outcome}) stored {len(found)} times")
        elif outcome == ACKNOWLEDGED:
            if not found:
                counts["missing"] += 1
                problems.append(f"{kind} {marker} acknowledged but not stored")
            elif place := _misplaced(write, found[0]):
                counts["misplaced"] += 1
                problems.append(f"{kind} {marker} stored {place}")
            else:
                counts["verified"] += 1
        elif outcome == REFUSED and found:
            counts["refused_stored"] += 1
            problems.append(f"{kind} {marker} refused ({write['status']}) but stored")

    for marker, found in stored.items():
        if marker not in writes:
            kind = found[0]["kind"]
            result[kind]["unacknowledged"] += 1
            if len(found) > 1:
                result[kind]["duplicated"] += 1
            problems.append(f"{kind} {marker} stored {len(found)} time(s), never sent")
    for kind, count in stray.items():
        result[kind]["stray"] += count
        if count:
            problems.append(f"{count} new {kind} row(s) without a marker")

    return {"kinds": result, "problems": problems, "ambiguous": ambiguous, "passed": not problems}


def _misplaced(write: dict, row: dict) -> str:
    """Where the row differs from what was acknowledged ("" if it does not)."""
    differences = []
    if write["kind"] != row["kind"]:
        differences.append(f"as a {row['kind']}")
    if write["target"] is not None and row["target"] != write["target"]:
        differences.append(f"on {row['target']}, not {write['target']}")
    if write["org"] is not None and row.get("org") is not None and row["org"] != write["org"]:
        differences.append(f"for organisation {row['org']}, not {write['org']}")
    if write["pk"] is not None and row["pk"] != write["pk"]:
        differences.append(f"as {row['pk']}, not {write['pk']} (the redirect's)")
    return ", ".join(differences)


def totals(result: dict) -> dict:
    """The per-kind counts summed over the kinds."""
    total = Counter()
    for counts in result["kinds"].values():
        total.update(counts)
    return dict(total)
