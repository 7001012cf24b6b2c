"""The soak's users: `locust -f tests/bench/soak/locustfile.py`, started by
tests/bench/soak/run.py with the plan (tests.bench.soak.check plan) in SOAK_PLAN, the ledger to
append to in SOAK_LEDGER and how many of each user in SOAK_WRITERS, SOAK_MEMBERS, SOAK_VISITORS.

- Writer: a member of one organisation (each writer another), signed in through the sign-in
  form, who raises issues, comments, says "we see this too" and replies in discussions through
  the real forms: the page with the form first, its CSRF token, the POST, and when the page asks
  (similar issues exist; the text might identify a child) the same POST again as a member would
  send it. Every write carries a new marker (tests.bench.soak.ledger), recorded before it is
  sent and again with the server's answer; only the success redirect acknowledges it. After
  the redirect the writer reads the page it was sent to and expects its marker there.
- Member: a signed-in member reading the issue list (also filtered), issues (the soak's new
  ones too), discussions and the search.
- Visitor: the public site: home, news, an article, a published topic, the search.

Request names start with what they are part of ("sign-in", "read:", "write:"), so the report
can give p50 and p95 per kind. When locust quits, the final numbers go to SOAK_STATS as JSON.
"""

import itertools
import json
import os
import random
import re
import time
from urllib.parse import quote

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import StatsEntry

from tests.bench.corpus import PLACES, Corpus
from tests.bench.soak.ledger import Ledger, new_marker

PLAN = json.loads(open(os.environ["SOAK_PLAN"], encoding="utf-8").read())  # noqa: SIM115
LEDGER = Ledger(os.environ["SOAK_LEDGER"])
WRITER_ACCOUNTS = iter(PLAN["writers"])
MEMBER_ACCOUNTS = itertools.cycle(PLAN["members"] or [None])
# The issues the soak's writers raised, as (pk, organisation pk): everyone reads, comments on
# and supports them too. Locust's users are greenlets in one process, so one list serves all.
RAISED: list[tuple[int, int]] = []

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERRORS = re.compile(r'<div class="error-summary".*?</div>', re.S)
TAGS = re.compile(r"<[^>]+>")
# The privacy guard's checkbox, shown only when the text looks like it identifies a child.
CONFIRM_PRIVACY = 'type="checkbox" name="confirm_privacy"'


def _token(text: str) -> str:
    match = TOKEN.search(text or "")
    return match.group(1) if match else ""


def _errors(text: str) -> str:
    """The form's error summary as text, for the failure's message."""
    match = ERRORS.search(text or "")
    return " ".join(TAGS.sub(" ", match.group()).split()) if match else ""


def _location(response) -> str:
    headers = response.headers or {}
    return headers.get("Location") or headers.get("location") or ""


def sign_in(user, username: str) -> None:
    """The sign-in form, as a person fills it; a refusal ends this user."""
    with user.client.get("/konto/sisene/", name="sign-in: form", catch_response=True) as r:
        if r.status_code != 200:
            r.failure(f"status {r.status_code}")
            raise StopUser()
        token = _token(r.text)
    data = {"csrfmiddlewaretoken": token, "username": username, "password": PLAN["password"]}
    with user.client.post(
        "/konto/sisene/", data=data, name="sign-in", allow_redirects=False, catch_response=True
    ) as r:
        if r.status_code != 302:
            r.failure(f"{username}: status {r.status_code} {_errors(r.text)}")
            raise StopUser()


def read(user, url: str, name: str, expect: str = "") -> str:
    """GET `url`; status 200 (and `expect` in the page, if given) or a failure."""
    with user.client.get(url, name=name, catch_response=True) as r:
        if r.status_code != 200:
            r.failure(f"status {r.status_code} for {url}")
            return ""
        if expect and expect not in (r.text or ""):
            r.failure(f"{expect} not on {url}")
        return r.text or ""


class Writer(FastHttpUser):
    fixed_count = int(os.environ.get("SOAK_WRITERS", "0"))
    wait_time = between(1, 4)

    def on_start(self):
        account = next(WRITER_ACCOUNTS)
        self.username, self.org = account["username"], account["org"]
        self.county = account["county"]
        self.rng = random.Random(f"{self.username}-{time.time()}")
        self.corpus = Corpus(self.rng.randrange(2**32))
        self.supportable = list(account["supportable"])
        self.rng.shuffle(self.supportable)
        self.supported: set[int] = set()
        sign_in(self, self.username)

    # Text ----------------------------------------------------------------------------------

    def _sentences(self, low: int, high: int) -> str:
        where = self.rng.choice(PLACES)
        return " ".join(self.corpus.sentence(where) for _ in range(self.rng.randint(low, high)))

    # One write -----------------------------------------------------------------------------

    def _submit(self, kind, marker, url, data, *, target, expect: re.Pattern) -> str | None:
        """POST the form to `url` until the server answers with the redirect `expect`
        matches (returned), sending again what a member would when the page asks: the similar
        issues have been seen, the text identifies no child. Records the write in the ledger."""
        LEDGER.sent(kind, marker, user=self.username, org=self.org, target=target)
        name = f"write: {kind}"
        for _ in range(3):
            with self.client.post(
                url, data=data, name=name, allow_redirects=False, catch_response=True
            ) as r:
                status, text = r.status_code, r.text or ""
                if status == 302 and (match := expect.match(_location(r))):
                    pk = int(match.group(1)) if match.groups() else None
                    LEDGER.done(marker, "ok", status=status, pk=pk)
                    return _location(r)
                if not status:  # no answer: the connection broke or the timeout passed
                    error = repr(r.error)
                    outcome = "timeout" if "timeout" in error.lower() else "error"
                    r.failure(f"{kind}: {error}")
                    LEDGER.done(marker, outcome, status=None, detail=error)
                    return None
                if status >= 500:
                    r.failure(f"{kind}: status {status}")
                    LEDGER.done(marker, "error", status=status, detail=text[:300])
                    return None
                token = _token(text) or data["csrfmiddlewaretoken"]
                if status == 200 and 'name="seen_similar"' in text and "seen_similar" not in data:
                    data = {**data, "seen_similar": "1", "csrfmiddlewaretoken": token}
                    r.success()
                    continue
                if CONFIRM_PRIVACY in text and "confirm_privacy" not in data:
                    data = {**data, "confirm_privacy": "on", "csrfmiddlewaretoken": token}
                    r.success()
                    continue
                detail = _errors(text) or _location(r)
                r.failure(f"{kind}: status {status} {detail}")
                LEDGER.done(marker, "refused", status=status, detail=detail)
                return None
        LEDGER.done(marker, "refused", status=status, detail="asked again after three rounds")
        return None

    def _read_back(self, location: str, marker: str, kind: str) -> None:
        """The page the success redirect names, with the new text on it (a write is never
        followed by a stale read, whichever worker answers)."""
        read(self, location.split("#")[0], f"write: read back {kind}", expect=marker)

    # What members do -----------------------------------------------------------------------

    @task(2)
    def raise_issue(self):
        page = read(self, "/foorum/uus/", "write: form page")
        if not page:
            return
        marker = new_marker()
        where = self.rng.choice(PLACES)
        data = {
            "csrfmiddlewaretoken": _token(page),
            "organization": "",  # hidden: a person in one organisation speaks for it
            "title": f"{self.corpus.title(where)} – {marker}"[:200],
            "body": f"{self._sentences(2, 6)}\n\n{self._sentences(1, 3)}\n\nViide: {marker}",
            "theme": str(self.rng.choice(PLAN["themes"])),
            "county": str(self.county or ""),
            "municipality": "",
            "age_groups": str(self.rng.choice(PLAN["age_groups"])),
            "tags": self.rng.choice(["", "", "koormustest", "koolibuss, vaimne tervis"]),
        }
        location = self._submit(
            "issue",
            marker,
            "/foorum/uus/",
            data,
            target=None,
            expect=re.compile(r"/foorum/(\d+)/$"),
        )
        if location:
            RAISED.append((int(location.rstrip("/").rsplit("/", 1)[1]), self.org))
            self._read_back(location, marker, "issue")

    @task(5)
    def comment(self):
        if RAISED and self.rng.random() < 0.4:
            pk = self.rng.choice(RAISED)[0]
        else:
            pk = self.rng.choice(PLAN["issues"])
        self._write_text(
            "comment",
            pk,
            f"/foorum/{pk}/",
            f"/foorum/{pk}/kommenteeri/",
            re.compile(rf"/foorum/{pk}/#comments$"),
        )

    def _write_text(self, kind, pk, page_url, post_url, expect):
        """A comment or a reply: the form's page, the post with a marker, the page read back."""
        page = read(self, page_url, "write: form page")
        if not page:
            return
        marker = new_marker()
        data = {"csrfmiddlewaretoken": _token(page), "body": f"{self._sentences(1, 3)} ({marker})"}
        location = self._submit(kind, marker, post_url, data, target=pk, expect=expect)
        if location:
            self._read_back(location, marker, kind)

    @task(3)
    def support(self):
        """ "We see this too" for an issue another organisation raised that this writer's has
        not supported yet: the soak's own new issues first, else the plan's."""
        fresh = [pk for pk, org in RAISED if org != self.org and pk not in self.supported]
        if fresh:
            pk = self.rng.choice(fresh)
        elif self.supportable:
            pk = self.supportable.pop()
        else:
            return
        self.supported.add(pk)  # whatever the answer: an ambiguous one is not sent again
        page = read(self, f"/foorum/{pk}/", "write: form page", expect=f"/foorum/{pk}/meil-ka/")
        if not page:
            return
        marker = new_marker()
        data = {
            "csrfmiddlewaretoken": _token(page),
            "organization": "",
            "note": f"{self._sentences(1, 2)} ({marker})",
            "county": str(self.county or ""),
        }
        location = self._submit(
            "support",
            marker,
            f"/foorum/{pk}/meil-ka/",
            data,
            target=pk,
            expect=re.compile(rf"/foorum/{pk}/$"),
        )
        if location:
            self._read_back(location, marker, "support")

    @task(1)
    def reply(self):
        if not PLAN["discussions"]:
            return
        pk = self.rng.choice(PLAN["discussions"])
        self._write_text(
            "reply",
            pk,
            f"/foorum/arutelud/{pk}/",
            f"/foorum/arutelud/{pk}/vasta/",
            re.compile(rf"/foorum/arutelud/{pk}/#vastus-(\d+)$"),
        )


class Member(FastHttpUser):
    fixed_count = int(os.environ.get("SOAK_MEMBERS", "0"))
    wait_time = between(0.5, 2)
    pages = [page for page in PLAN["pages"] if page["reader"] == "member"]

    def on_start(self):
        username = next(MEMBER_ACCOUNTS)
        if username is None:
            raise StopUser()
        self.rng = random.Random(f"{username}-{time.time()}")
        sign_in(self, username)

    @task(5)
    def issue_lists(self):
        page = self.rng.choice([p for p in self.pages if p["name"].startswith("issue list")])
        read(self, page["url"], f"read: {page['name']}")

    @task(5)
    def issue(self):
        if RAISED and self.rng.random() < 0.3:
            pk = self.rng.choice(RAISED)[0]
        else:
            pk = self.rng.choice(PLAN["issues"])
        read(self, f"/foorum/{pk}/", "read: issue")

    @task(1)
    def hot_issue(self):
        page = next(p for p in self.pages if p["name"].startswith("issue,"))
        read(self, page["url"], f"read: {page['name']}")

    @task(1)
    def discussions(self):
        read(self, "/foorum/arutelud/", "read: discussion list")

    @task(3)
    def search(self):
        word = self.rng.choice(PLAN["search_words"])
        read(self, f"/otsing/?q={quote(word)}", "read: search (member)")


class Visitor(FastHttpUser):
    fixed_count = int(os.environ.get("SOAK_VISITORS", "0"))
    wait_time = between(0.5, 2)
    pages = [page for page in PLAN["pages"] if page["reader"] == "visitor"]

    def on_start(self):
        self.rng = random.Random(time.time())

    @task(6)
    def page(self):
        page = self.rng.choice([p for p in self.pages if not p["name"].startswith("search")])
        read(self, page["url"], f"read: {page['name']}")

    @task(3)
    def search(self):
        word = self.rng.choice(PLAN["search_words"])
        read(self, f"/otsing/?q={quote(word)}", "read: search (visitor)")


# The final numbers ------------------------------------------------------------------------------


def _numbers(entry: StatsEntry, name: str, method: str) -> dict:
    return {
        "name": name,
        "method": method,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.total_rps, 2),
        "p50_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else 0,
        "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
        "max_ms": round(entry.max_response_time or 0),
    }


@events.quitting.add_listener
def _write_stats(environment, **_kwargs):
    """Every request name's numbers, the same per kind (reads; a write's form pages and read
    backs; its POSTs; the sign-in) and in all, with the failures and the locustfile's own
    exceptions. Written once the users have stopped: locust's CSV is written every few seconds
    and misses what the last writes did during --stop-timeout."""
    stats = environment.runner.stats
    names, kinds = [], {}
    for (name, method), entry in sorted(stats.entries.items()):
        names.append(_numbers(entry, name, method))
        kind = f"{name.split(':')[0]} ({method})"
        kinds.setdefault(kind, StatsEntry(stats, kind, method)).extend(entry)
    report = {
        "names": names,
        "kinds": [_numbers(entry, kind, entry.method) for kind, entry in sorted(kinds.items())],
        "total": _numbers(stats.total, "all", ""),
        "failures": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
        "exceptions": [
            {"error": e["msg"], "count": e["count"], "where": e["traceback"][-300:]}
            for e in environment.runner.exceptions.values()
        ],
    }
    with open(os.environ["SOAK_STATS"], "w", encoding="utf-8") as file:
        json.dump(report, file, ensure_ascii=False, indent=1)
