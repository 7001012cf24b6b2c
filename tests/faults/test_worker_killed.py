"""A gunicorn worker killed (SIGKILL: out of memory, a node lost) in the middle of raising an
issue, after the issue row, its tags and their links were written and before its transaction
ended: not one row of the issue remains, the master starts a new worker, and the same form sent
again is stored exactly once.

The site runs as in production, in other processes: gunicorn (tests/faults/gunicorn_hang.py,
which makes the first post stop midway) on a scratch database of the suite's vendor. The scratch
database is a copy of the test database, made and migrated by the suite already (a second
`manage.py migrate` costs ~25 s here): SQLite's in-memory one copied into a file, PostgreSQL's
cloned with CREATE DATABASE ... TEMPLATE (dropped at the end). The test takes the `db` fixture so
that it runs with the suite's other database tests, before transactional tests empty the test
database."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
CONFIG = Path(__file__).with_name("gunicorn_hang.py")
TITLE = "Noortekeskus on õhtuti suletud"
TAGS = ["noortekeskus", "õhtune aeg"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Scratch:
    """The scratch site's folder (KODA_VAR_DIR), database and environment."""

    var_dir: Path
    vendor: str
    database: dict  # SQLite: {"path"}; PostgreSQL: psycopg's connect() arguments
    env: dict

    @contextmanager
    def cursor(self):
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.database["path"])) as db:
                yield db.cursor()
        else:
            import psycopg

            with psycopg.connect(**self.database, autocommit=True) as db:
                yield db.cursor()

    def query(self, sql: str, *params) -> list[tuple]:
        if self.vendor == "postgresql":
            sql = sql.replace("?", "%s")
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def every_row(self) -> dict[str, list]:
        tables_sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if self.vendor == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        rows = {}
        with self.cursor() as cursor:
            cursor.execute(tables_sql)
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT * FROM "{table}"')
                rows[table] = sorted(cursor.fetchall(), key=repr)
        return rows

    def manage(self, *args) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout


def _admin_connection():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("worker-killed")
    base_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "KODA_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "true",
        "KODA_FAULT_ARMED": str(var_dir / "armed"),
        "KODA_FAULT_MARKER": str(var_dir / "stopped.json"),
    }
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = var_dir / "koda.sqlite3"  # the site's default name in KODA_VAR_DIR
            connection.ensure_connection()
            with closing(sqlite3.connect(path)) as copy:
                connection.connection.backup(copy)
        else:
            s = connection.settings_dict
            template, name = s["NAME"], f"{s['NAME']}_worker_killed"
            connection.close()  # a template database must have no other session
            with _admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if connection.vendor == "sqlite":
        yield Scratch(var_dir, "sqlite", {"path": path}, base_env)
        return
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    try:
        yield Scratch(
            var_dir,
            "postgresql",
            {"dbname": name, "user": s["USER"], "host": host, "port": port},
            {**base_env, "DATABASE_URL": f"postgres://{credentials}@{host}:{port}/{name}"},
        )
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
        self.url = f"http://127.0.0.1:{_free_port()}"
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
    assert scratch.query("SELECT COUNT(*) FROM taggit_tag WHERE name IN (?, ?)", *TAGS) == [(0,)]
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
