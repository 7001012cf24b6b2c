"""The database failing in the middle of an action: the person gets a 503 page saying in their
language that nothing was saved, not one row of the action is left behind, and the same form
sent again is stored exactly once (koda/db_faults.py, the services' transactions).

- Injected faults: a cursor wrapper (connection.execute_wrapper) fails the 1st, then the 2nd,
  ... write statement of each main action in turn, until the action gets through without
  reaching one: "database is locked" (OperationalError) and "connection already closed"
  (InterfaceError) at every write of raising an issue, editing it, commenting, editing a
  comment, "we see this too", escalating, merging and replying in a discussion. After each,
  every row of every table is compared with before.
- Pages that only read are tried once more on a fresh connection; forms never are.
- Real faults, on the database the suite runs on: the connection lost in the middle of a write
  (PostgreSQL: the server ends the request's backend; SQLite: the storage turns read-only, as a
  file system does after a disk error) and between requests (PostgreSQL: CONN_HEALTH_CHECKS
  reconnects; SQLite: the database file out of reach for a moment); a write lock held by another
  connection, released within the timeout and held past it (SQLite: a file database, as other
  processes can lock it, not the in-memory test one; PostgreSQL: a table lock, lock_timeout).
"""

import itertools
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing, contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
)
from django.test import RequestFactory
from django.urls import reverse, translate_url
from django.utils.crypto import get_random_string
from wagtail.models import ModelLogEntry, ReferenceIndex

from forum import services
from forum.models import (
    AgeGroup,
    Comment,
    CommentRevision,
    County,
    Issue,
    IssueRevision,
    IssueTag,
    Reply,
    Support,
    Theme,
    TopicIssue,
)

ESTONIAN_SENT = (
    "Meie andmebaas ei vastanud just praegu, seega midagi sinu saadetust ei salvestatud."
)
ESTONIAN_READ = "Meie andmebaas ei vastanud just praegu, seega lehte ei saanud näidata."
ENGLISH_SENT = "Our database did not answer just now, so nothing you sent was saved."
WRITES = ("INSERT", "UPDATE", "DELETE")
REFERENCE_INDEX = ReferenceIndex._meta.db_table
ERRORS = {
    "locked": lambda: OperationalError("database is locked"),
    "connection-closed": lambda: InterfaceError("connection already closed"),
}


def every_row() -> dict[str, list]:
    """Every row of every table of the test database, to compare before and after."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in after if before.get(table) != after[table])


def is_write(sql: str) -> bool:
    return sql.lstrip().upper().startswith(WRITES)


def is_action_write(sql: str) -> bool:
    """A write of the action itself. Wagtail's reference index is written by its own task (run
    at once by django-tasks' immediate backend, in a savepoint) whose failure is recorded on
    the task and never raised into the action: derived data, rebuilt by `manage.py
    rebuild_references_index` (test_a_reference_index_failure_does_not_fail_the_action)."""
    return is_write(sql) and REFERENCE_INDEX not in sql


class FaultAtWrite:
    """A cursor wrapper that fails the `at`-th write statement of whatever runs under it (the
    statement never reaches the database) by raising `error()`."""

    def __init__(self, at: int, error: Callable[[], Exception]):
        self.at, self.error = at, error
        self.writes = 0
        self.failed: str | None = None

    def __call__(self, execute, sql, params, many, context):
        if is_action_write(sql):
            self.writes += 1
            if self.writes == self.at:
                self.failed = sql
                raise self.error()
        return execute(sql, params, many, context)


class FailingReads:
    """Fails every read (`times` of them at most) by raising OperationalError."""

    def __init__(self, times: int | None = None):
        self.times, self.failed = times, 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and (
            self.times is None or self.failed < self.times
        ):
            self.failed += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def assert_unavailable(response, text=ESTONIAN_SENT, context=""):
    page = response.content.decode()
    assert response.status_code == 503, f"{context}\n{page[:500]}"
    assert response["Retry-After"] == "5"
    assert text in page
    assert "no-store" in response["Cache-Control"]


# The main write actions, each as the form a person sends -------------------------------------


@dataclass
class Action:
    user: object
    url: str
    data: dict
    done: Callable[[], int]  # how many times the action took effect: 0, then 1
    audit: str  # the action's record in the audit log, once per success


def issue_form(organization, **fields) -> dict:
    return {
        "organization": organization.pk,
        "title": "Mänguväljak on pärast tunde lukus",
        "body": "Kooli mänguväljak on pärast tunde **lukus** ja lapsed mängivad tänaval.",
        "theme": Theme.objects.get(slug="haridus").pk,
        "county": County.objects.get(slug="harjumaa").pk,
        "age_groups": [AgeGroup.objects.order_by("pk").first().pk],
        "tags": "mänguväljak, vaba aeg",
        "seen_similar": "1",
        **fields,
    }


@pytest.fixture
def scene(roles, organizations, make_issue, make_member, make_discussion):
    """An issue of liige's organisation with a comment; a duplicate of it raised by another
    organisation, with another organisation's "we see this too", a follower and tags (so that
    merging has everything to move); a discussion to reply to."""
    liige, liige2 = roles["liige"], roles["liige2"]
    issue = make_issue(author=liige, tags=["koolitransport"])
    comment = services.add_comment(author=liige, issue=issue, body="Esimene kommentaar.")
    duplicate = make_issue("Koolibuss hilineb iga päev", author=liige2, tags=["buss", "maal"])
    supporter = make_member(organization="vorumaa-lapsed")
    services.add_support(
        user=supporter,
        issue=duplicate,
        organization=organizations["vorumaa-lapsed"],
        note="Võrumaal sama.",
    )
    services.add_comment(author=make_member(organization="narva-pered"), issue=duplicate, body="+")
    return {
        **roles,
        "organizations": organizations,
        "issue": issue,
        "comment": comment,
        "duplicate": duplicate,
        "discussion": make_discussion(author=liige2),
    }


def raise_an_issue(s) -> Action:
    data = issue_form(s["organizations"]["paikesekiir"])
    return Action(
        s["liige"],
        reverse("forum:issue_create"),
        data,
        lambda: Issue.objects.filter(title=data["title"]).count(),
        "forum.issue.post",
    )


def edit_an_issue(s) -> Action:
    issue = s["issue"]
    data = issue_form(
        s["organizations"]["paikesekiir"], title="Koolibuss ei sobi tunniplaaniga", tags="buss"
    )
    return Action(
        s["liige"],
        reverse("forum:issue_edit", args=[issue.pk]),
        data,
        lambda: IssueRevision.objects.filter(issue=issue).count(),
        "forum.issue.edit",
    )


def comment(s) -> Action:
    issue, body = s["issue"], "Meil Tartus on täpselt sama mure."
    return Action(
        s["liige2"],
        reverse("forum:issue_comment", args=[issue.pk]),
        {"body": body},
        lambda: Comment.objects.filter(issue=issue, body=body).count(),
        "forum.comment.add",
    )


def edit_a_comment(s) -> Action:
    target = s["comment"]
    return Action(
        s["liige"],
        reverse("forum:comment_edit", args=[target.pk]),
        {"body": "Parandatud kommentaar."},
        lambda: CommentRevision.objects.filter(comment=target).count(),
        "forum.comment.edit",
    )


def we_see_this_too(s) -> Action:
    issue, organization = s["issue"], s["organizations"]["emajoe-noored"]
    return Action(
        s["liige2"],
        reverse("forum:issue_support", args=[issue.pk]),
        {
            "organization": organization.pk,
            "note": "Tartus sama.",
            "county": County.objects.get(slug="tartumaa").pk,
        },
        lambda: Support.objects.filter(issue=issue, organization=organization).count(),
        "forum.support.add",
    )


def escalate(s) -> Action:
    issue = s["issue"]
    return Action(
        s["koordinaator"],
        reverse("forum:issue_escalate", args=[issue.pk]),
        {
            "reason": "Üle riigi sama mure.",
            "title": "Koolitransport maapiirkondades",
            "summary": "Maal elavad lapsed jäävad koolibussi tõttu huviringidest ilma.",
            "problem": "Bussid ei sobi **koolipäevaga**.",
        },
        lambda: TopicIssue.objects.filter(issue=issue).count(),
        "forum.issue.escalate",
    )


def merge(s) -> Action:
    duplicate, original = s["duplicate"], s["issue"]
    return Action(
        s["koordinaator"],
        reverse("forum:issue_merge", args=[duplicate.pk]),
        {"original": original.pk, "reason": "Sama mure."},
        lambda: Issue.objects.filter(pk=duplicate.pk, status=Issue.Status.DUPLICATE).count(),
        "forum.issue.merge",
    )


def reply(s) -> Action:
    discussion, body = s["discussion"], "Meil aitas see, et infotund oli õhtul."
    return Action(
        s["liige"],
        reverse("forum:discussion_reply", args=[discussion.pk]),
        {"body": body},
        lambda: Reply.objects.filter(discussion=discussion, body=body).count(),
        "forum.reply.add",
    )


ACTIONS = {
    f.__name__.replace("_", "-"): f
    for f in (
        raise_an_issue,
        edit_an_issue,
        comment,
        edit_a_comment,
        we_see_this_too,
        escalate,
        merge,
        reply,
    )
}


def audit_entries(action: str) -> int:
    return ModelLogEntry.objects.filter(action=action).count()


@pytest.mark.django_db
@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("name", ACTIONS)
def test_a_write_failing_at_any_statement_stores_nothing_and_succeeds_once_sent_again(
    client, scene, name, error
):
    action = ACTIONS[name](scene)
    client.force_login(action.user)
    start, audited = every_row(), audit_entries(action.audit)
    assert action.done() == 0
    failed = []
    for at in itertools.count(1):
        before = every_row()
        fault = FaultAtWrite(at, ERRORS[error])
        with connection.execute_wrapper(fault):
            response = client.post(action.url, action.data)
        if fault.failed is None:
            break  # the action ran out of writes before the fault: sent without one
        failed.append(fault.failed.split("(")[0].strip())
        assert_unavailable(response, context=fault.failed)
        after = every_row()
        assert not changed_tables(before, after), f"left behind by failing {fault.failed}"
        assert action.done() == 0
    # Sent again, it got through: stored exactly once, with one audit record.
    assert response.status_code == 302, response.content.decode()[:2000]
    assert action.done() == 1
    assert audit_entries(action.audit) == audited + 1
    assert changed_tables(start, every_row())
    # The fault hit in the middle of the action: writes had gone before the last ones failed.
    assert len(failed) >= 3, failed


@pytest.mark.django_db
def test_a_reference_index_failure_does_not_fail_the_action(client, scene):
    """Wagtail's reference index task failing is recorded on the task; the action is stored
    whole, everything but that derived row."""
    action = raise_an_issue(scene)
    client.force_login(action.user)
    audited = audit_entries(action.audit)

    def fail_reference_index(execute, sql, params, many, context):
        if is_write(sql) and REFERENCE_INDEX in sql:
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_reference_index):
        response = client.post(action.url, action.data)
    assert response.status_code == 302
    issue = Issue.objects.get(title=action.data["title"])
    assert sorted(issue.tags.names()) == ["mänguväljak", "vaba aeg"]
    assert issue.follows.filter(user=action.user).exists()
    assert audit_entries(action.audit) == audited + 1


@pytest.mark.django_db
def test_an_error_that_is_not_the_database_being_unavailable_is_not_hidden(client, scene):
    """A constraint violated is a bug to see, not a moment to wait: it stays a server error."""
    action = raise_an_issue(scene)
    client.force_login(action.user)
    with (
        connection.execute_wrapper(FaultAtWrite(1, lambda: IntegrityError("duplicate key"))),
        pytest.raises(IntegrityError),
    ):
        client.post(action.url, action.data)


@pytest.mark.django_db
def test_the_page_is_in_the_persons_language(client, scene):
    action = comment(scene)
    client.force_login(action.user)
    with connection.execute_wrapper(FaultAtWrite(1, ERRORS["locked"])):
        response = client.post(translate_url(action.url, "en"), action.data)
    assert_unavailable(response, ENGLISH_SENT)
    assert '<html lang="en">' in response.content.decode()
    assert 'href="/en/"' in response.content.decode()


# Reading again, never sending again (outside the test's transaction, as a server runs) -------


@pytest.fixture
def member(transactional_db, make_member):
    return make_member("lugeja")


@pytest.fixture
def fresh_connection_after():
    """PostgreSQL tests here end the request's backend: the test ends on a fresh connection."""
    yield
    connection.close()


def test_a_page_is_read_again_when_the_database_fails_once(member, client, caplog):
    client.force_login(member)
    reads = FailingReads(times=1)
    with connection.execute_wrapper(reads):
        response = client.get(reverse("forum:issue_list"))
    assert response.status_code == 200
    assert reads.failed == 1
    assert "trying once more" in caplog.text


def test_a_page_the_database_keeps_failing_is_answered_503_after_two_tries(member, client, caplog):
    client.force_login(member)
    reads = FailingReads()
    with connection.execute_wrapper(reads):
        response = client.get(reverse("forum:issue_list"))
    assert_unavailable(response, ESTONIAN_READ)
    assert reads.failed == 2
    assert "answered 503" in caplog.text


def test_a_form_is_never_sent_again_on_the_persons_behalf(member, client, organizations):
    client.force_login(member)
    data = issue_form(organizations["paikesekiir"])
    before = every_row()
    fault = FaultAtWrite(2, ERRORS["connection-closed"])  # once: a second try would get through
    with connection.execute_wrapper(fault):
        response = client.post(reverse("forum:issue_create"), data)
    assert_unavailable(response)
    assert fault.writes == 2  # the writes of one attempt, none of a second
    assert not changed_tables(before, every_row())
    assert client.post(reverse("forum:issue_create"), data).status_code == 302
    assert Issue.objects.filter(title=data["title"]).count() == 1


# Real faults ----------------------------------------------------------------------------------


@contextmanager
def second_connection():
    """Another PostgreSQL session on the test database, as another process would have."""
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    ) as other:
        yield other


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def terminate(pid: int) -> None:
    """End a PostgreSQL backend as a server restart or a failover does, waiting until it is
    gone."""
    with second_connection() as other:
        assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]


@contextmanager
def sqlite_file(path, **options):
    """Run the test's requests on a copy of the in-memory test database in a file, which other
    connections can lock and the file system can take away, as a site's koda.sqlite3."""
    original = connections[DEFAULT_DB_ALIAS]
    original.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        original.connection.backup(copy)
    settings_dict = {
        **original.settings_dict,
        "NAME": str(path),
        "OPTIONS": {**original.settings_dict["OPTIONS"], **options},
    }
    on_file = type(original)(settings_dict, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = on_file
    try:
        yield on_file
    finally:
        on_file.close()
        connections[DEFAULT_DB_ALIAS] = original


class LostAtWrite:
    """A cursor wrapper that makes the database really fail the first write statement that
    matches `match`, then lets the statement run into it: PostgreSQL ends the backend from
    another session; SQLite's storage turns read-only for the statement."""

    def __init__(self, match: str):
        self.match = match
        self.hit = False

    def __call__(self, execute, sql, params, many, context):
        if self.hit or not (is_write(sql) and self.match in sql):
            return execute(sql, params, many, context)
        self.hit = True
        if connection.vendor == "postgresql":
            terminate(context["connection"].connection.info.backend_pid)
            return execute(sql, params, many, context)
        raw = context["connection"].connection
        raw.execute("PRAGMA query_only = ON")
        try:
            return execute(sql, params, many, context)
        finally:
            raw.execute("PRAGMA query_only = OFF")


def test_the_connection_lost_in_the_middle_of_raising_an_issue_leaves_nothing(
    member, client, organizations, fresh_connection_after
):
    client.force_login(member)
    data = issue_form(organizations["paikesekiir"])
    before = every_row()
    # After the issue row, its age group and its new tags: on the insert of its tag links.
    lost = LostAtWrite(IssueTag._meta.db_table)
    with connection.execute_wrapper(lost):
        response = client.post(reverse("forum:issue_create"), data)
    assert lost.hit
    assert_unavailable(response)
    assert not changed_tables(before, every_row())
    response = client.post(reverse("forum:issue_create"), data)
    assert response.status_code == 302
    issue = Issue.objects.get(title=data["title"])
    assert sorted(issue.tags.names()) == ["mänguväljak", "vaba aeg"]


class Server:
    """Requests through Django's WSGI handler as a server runs them: the test client leaves out
    what a server does around each request (closing or checking the database connection)."""

    def __init__(self, user_client):
        self.cookies = {
            settings.SESSION_COOKIE_NAME: user_client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: get_random_string(32),
        }
        self.handler = WSGIHandler()

    def __call__(self, method: str, path: str, data=None) -> tuple[int, str]:
        request = getattr(RequestFactory(), method.lower())(
            path,
            data or {},
            HTTP_COOKIE="; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            HTTP_X_CSRFTOKEN=self.cookies[settings.CSRF_COOKIE_NAME],
        )
        status = []
        response = self.handler(request.environ, lambda s, headers: status.append(s))
        try:
            body = b"".join(response).decode()
        finally:
            response.close()  # request_finished: Django closes or keeps the connection
        return int(status[0].split()[0]), body


def test_the_connection_lost_between_requests_is_replaced_or_answered_503(
    member, client, organizations, tmp_path, caplog, fresh_connection_after
):
    data = issue_form(organizations["paikesekiir"])
    issue_list, issue_create = reverse("forum:issue_list"), reverse("forum:issue_create")
    if connection.vendor == "postgresql":
        client.force_login(member)
        serve = Server(client)
        assert serve("GET", issue_list)[0] == 200
        # The server ends the idle connection: CONN_HEALTH_CHECKS finds it dead when the next
        # request first uses it, and connects anew before the request's first query.
        assert connection.settings_dict["CONN_HEALTH_CHECKS"]
        lost = backend_pid()
        terminate(lost)
        assert serve("GET", issue_list)[0] == 200
        terminate(backend_pid())
        assert serve("POST", issue_create, data)[0] == 302
        assert backend_pid() != lost
        assert Issue.objects.filter(title=data["title"]).count() == 1
        # Without the health check the request meets the dead connection: a page is read again
        # on a new one; a form is answered 503 and stores nothing; the next request works.
        connection.settings_dict["CONN_HEALTH_CHECKS"] = False
        connection.close()
        try:
            assert serve("GET", issue_list)[0] == 200
            terminate(backend_pid())
            assert serve("GET", issue_list)[0] == 200
            assert "trying once more" in caplog.text
            again = {**data, "title": "Teine mure pärast katkestust"}
            before = every_row()
            terminate(backend_pid())
            status, page = serve("POST", issue_create, again)
            assert status == 503 and ESTONIAN_SENT in page
            assert not changed_tables(before, every_row())
            assert serve("POST", issue_create, again)[0] == 302
            assert Issue.objects.filter(title=again["title"]).count() == 1
        finally:
            connection.settings_dict["CONN_HEALTH_CHECKS"] = True
        return
    # SQLite has no connection to lose: a request opens the file (CONN_MAX_AGE 0). Its fault is
    # the file out of reach for a moment (a network mount gone, a volume being moved).
    folder = tmp_path / "database"
    folder.mkdir()
    with sqlite_file(folder / "koda.sqlite3"):
        client.force_login(member)
        serve = Server(client)
        assert serve("GET", issue_list)[0] == 200
        before = every_row()
        connection.close()
        folder.rename(tmp_path / "away")
        try:
            status, page = serve("GET", issue_list)
            assert status == 503 and ESTONIAN_READ in page
            status, page = serve("POST", issue_create, data)
            assert status == 503 and ESTONIAN_SENT in page
        finally:
            (tmp_path / "away").rename(folder)
        assert not changed_tables(before, every_row())
        assert serve("GET", issue_list)[0] == 200
        assert serve("POST", issue_create, data)[0] == 302
        assert Issue.objects.filter(title=data["title"]).count() == 1


@contextmanager
def write_lock_held(path=None):
    """Another connection holding the write lock the request needs: SQLite's database lock on
    the file at `path`; PostgreSQL's lock on the table of the issue's tag links, which the
    request reaches after writing the issue row. Yields a function that releases it."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release = other.rollback
    else:
        import psycopg

        s = connection.settings_dict
        other = psycopg.connect(
            dbname=s["NAME"], user=s["USER"] or None, host=s["HOST"] or None, port=s["PORT"]
        )
        other.execute(f'LOCK TABLE "{IssueTag._meta.db_table}" IN EXCLUSIVE MODE')
        release = other.rollback
    try:
        yield release
    finally:
        release()
        other.close()


@contextmanager
def lock_timeout_of(seconds: float, tmp_path):
    """The test's database with a lock timeout shortened to `seconds` (SQLite: a file copy)."""
    if connection.vendor == "sqlite":
        with sqlite_file(tmp_path / "koda.sqlite3", timeout=seconds) as on_file:
            yield on_file.settings_dict["NAME"]
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(seconds * 1000)}ms'")
    try:
        yield None
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def test_a_write_waits_for_a_lock_released_in_time_and_is_stored_once(
    transactional_db, make_member, client, organizations, tmp_path
):
    with lock_timeout_of(5, tmp_path) as path:
        client.force_login(make_member("kirjutaja"))
        data = issue_form(organizations["paikesekiir"])
        with write_lock_held(path) as release:
            threading.Timer(0.5, release).start()
            started = time.monotonic()
            response = client.post(reverse("forum:issue_create"), data)
            waited = time.monotonic() - started
        assert response.status_code == 302
        assert waited >= 0.5
        assert Issue.objects.filter(title=data["title"]).count() == 1


def test_a_write_blocked_past_the_lock_timeout_is_answered_503_and_stores_nothing(
    transactional_db, make_member, client, organizations, tmp_path
):
    with lock_timeout_of(1, tmp_path) as path:
        client.force_login(make_member("kirjutaja"))
        data = issue_form(organizations["paikesekiir"])
        before = every_row()
        with write_lock_held(path):
            started = time.monotonic()
            response = client.post(reverse("forum:issue_create"), data)
            waited = time.monotonic() - started
        assert_unavailable(response)
        assert waited >= 1
        assert not changed_tables(before, every_row())
        assert client.post(reverse("forum:issue_create"), data).status_code == 302
        assert Issue.objects.filter(title=data["title"]).count() == 1


def test_a_database_failing_outside_the_view_is_answered_503_too(client, roles, monkeypatch):
    """Saving the session after a sign-in runs in SessionMiddleware, after the view: Django's
    handler500 (koda.urls.server_error) gives it the same 503."""
    from django.contrib.sessions.backends.db import SessionStore

    def broken_save(self, must_create=False):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", broken_save)
    client.raise_request_exception = False
    response = client.post(reverse("login"), {"username": "liige", "password": "demo"})
    assert_unavailable(response)
    monkeypatch.undo()
    assert "_auth_user_id" not in client.session
