"""A gunicorn worker killed (SIGKILL: out of memory, a node lost) in the middle of raising an
issue, after the issue row, its tags and their links were written and before its transaction
ended: not one row of the issue remains, the master starts a new worker, and the same form sent
again is stored exactly once.

The site runs as in production, in other processes: gunicorn (tests/faults/gunicorn_hang.py,
which makes the first post stop midway) on a scratch database of the suite's vendor, a copy of
the test database (tests/scratch_site.py)."""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.scratch_site import ROOT, Scratch, free_port, scratch_site

CONFIG = Path(__file__).with_name("gunicorn_hang.py")
TITLE = "Noortekeskus on õhtuti suletud"
TAGS = ["noortekeskus", "õhtune aeg"]


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("worker-killed")
    with scratch_site(
        var_dir,
        "worker_killed",
        django_db_blocker,
        KODA_FAULT_ARMED=str(var_dir / "armed"),
        KODA_FAULT_MARKER=str(var_dir / "stopped.json"),
    ) as site:
        yield site


@pytest.fixture(scope="module")
def member(scratch):
    """A member of paikesekiir in the scratch site, made by its own `manage.py shell`, and the
    choices the issue form needs."""
    code = """
import json
from django.contrib.auth import get_user_model
from forum.models import AgeGroup, County, Membership, Organization, Theme
user = get_user_model().objects.create_user("tapetud", "tapetud@example.org", "parool-123")
organization = Organization.objects.members().get(slug="paikesekiir")
Membership.objects.create(user=user, organization=organization)
print(json.dumps({
    "organization": organization.pk,
    "theme": Theme.objects.get(slug="haridus").pk,
    "county": County.objects.get(slug="tartumaa").pk,
    "age_groups": AgeGroup.objects.order_by("pk").first().pk,
}))
"""
    return json.loads(scratch.manage("shell", "-c", code).strip().splitlines()[-1])


class Site:
    """gunicorn's master serving the scratch site, and a browser's cookies for it."""

    def __init__(self, scratch: Scratch):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = (scratch.var_dir / "gunicorn.log").open("w")
        self.master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "koda.wsgi", "-c", str(CONFIG)]
            + ["--bind", self.url.removeprefix("http://")],
            cwd=ROOT,
            env=scratch.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.log_path = scratch.var_dir / "gunicorn.log"

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def wait_until_serving(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.master.poll() is None, self.log_path.read_text()[-3000:]
            try:
                if self.get("/robots.txt")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail("The site did not answer: " + self.log_path.read_text()[-3000:])

    def get(self, path: str) -> tuple[int, str]:
        with self.browser.open(self.url + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        """Sends the form at `path` as a browser does: with the CSRF token from the page."""
        status, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(self.url + path, data=data.encode(), method="POST")
        try:
            with self.browser.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # 302 and errors alike
            return answer.code, answer.headers.get("Location", "")

    def stop(self):
        if self.master.poll() is None:
            os.killpg(self.master.pid, signal.SIGTERM)
            try:
                self.master.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.master.pid, signal.SIGKILL)
                self.master.wait(timeout=10)
        self.log.close()


@pytest.fixture
def site(scratch, member):
    site = Site(scratch)
    try:
        site.wait_until_serving()
        yield site
    finally:
        site.stop()


def _wait_for(path: Path, seconds=60) -> dict:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.05)
    return json.loads(path.read_text())


def test_a_worker_killed_in_the_middle_of_raising_an_issue_leaves_nothing_of_it(
    db, scratch, member, site
):
    status, _ = site.post("/konto/sisene/", {"username": "tapetud", "password": "parool-123"})
    assert status == 302
    form = {
        "organization": member["organization"],
        "title": TITLE,
        "body": "Noortekeskus suletakse kell 18 ja **noored** jäävad õhtuks tänavale.",
        "theme": member["theme"],
        "county": member["county"],
        "age_groups": member["age_groups"],
        "tags": ", ".join(TAGS),
        "seen_similar": "1",
    }
    posted = "SELECT COUNT(*) FROM wagtailcore_modellogentry WHERE action = 'forum.issue.post'"
    (audited,) = scratch.query(posted)
    before = scratch.every_row()
    (scratch.var_dir / "armed").touch()
    first_try = {}

    def send():
        try:
            first_try["answer"] = site.post("/foorum/uus/", form)
        except OSError as error:  # the connection closed with no answer: the worker died
            first_try["error"] = error

    sending = threading.Thread(target=send)
    sending.start()
    stopped = _wait_for(scratch.var_dir / "stopped.json")
    # Midway: the issue row and both tag links were written in the worker's transaction.
    assert stopped["issue"] and stopped["tag_links"] == len(TAGS)
    worker = stopped["pid"]
    assert site.workers() == {worker}
    os.kill(worker, signal.SIGKILL)
    sending.join(timeout=30)
    assert "error" in first_try, first_try

    # The master starts another worker; nothing of the killed request is in the database.
    deadline = time.monotonic() + 60
    while not site.workers() - {worker}:
        assert time.monotonic() < deadline, "no new worker: " + site.log_path.read_text()[-3000:]
        time.sleep(0.1)
    site.wait_until_serving()
    issue = stopped["issue"]
    for table, column in [
        ("forum_issue", "id"),
        ("forum_issuetag", "content_object_id"),
        ("forum_issue_age_groups", "issue_id"),
        ("forum_issuerevision", "issue_id"),
        ("forum_support", "issue_id"),
        ("forum_follow", "issue_id"),
    ]:
        assert scratch.query(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", issue) == [(0,)]
    assert scratch.query(posted) == [audited]
    assert scratch.query("SELECT COUNT(*) FROM forum_forumtag WHERE name IN (?, ?)", *TAGS) == [
        (0,)
    ]
    after = scratch.every_row()
    assert [table for table in after if before.get(table) != after[table]] == []

    # Sent again, to the new worker: stored once, whole.
    status, location = site.post("/foorum/uus/", form)
    assert status == 302, location
    (stored,) = scratch.query("SELECT id FROM forum_issue WHERE title = ?", TITLE)
    assert location == f"/foorum/{stored[0]}/"
    assert scratch.query(
        "SELECT COUNT(*) FROM forum_issuetag WHERE content_object_id = ?", stored[0]
    ) == [(len(TAGS),)]
    assert scratch.query(posted) == [(audited[0] + 1,)]
    assert scratch.query("SELECT COUNT(*) FROM forum_follow WHERE issue_id = ?", stored[0]) == [
        (1,)
    ]
