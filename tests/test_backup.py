"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh instance gives back
every row and every file; a backup taken while the site writes is consistent; a damaged backup,
one of another database vendor, or a restore over data is refused.

Each test runs on the database the suite runs on (SQLite, then PostgreSQL in CI). A fresh
instance is a second `manage.py` process with its own KODA_VAR_DIR (and on PostgreSQL its own
database, created and dropped here), as an operator's new server would be."""

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import override_settings
from koda.backup import BackupError, pg_tool
from wagtail.models import Collection

from forum.models import Discussion, Issue

MANAGE = Path(settings.BASE_DIR) / "manage.py"


@dataclass
class Instance:
    """A site instance another process can run: its KODA_VAR_DIR and its database."""

    var_dir: Path
    database: dict
    env: dict = field(default_factory=dict)

    @property
    def media(self) -> Path:
        return self.var_dir / "media"

    def connect(self):
        """A Django connection of the test's own backend to this instance's database."""
        return type(connections["default"])(self.database, alias="instance")

    def manage(self, *args) -> subprocess.CompletedProcess:
        env = {**os.environ, **self.env, "KODA_VAR_DIR": str(self.var_dir)}
        return subprocess.run(
            [sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip


def _database_url(database: dict) -> str:
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


def _instance(var_dir: Path, database: dict) -> Instance:
    if connection.vendor == "sqlite":
        # No DATABASE_URL: the site's own default, koda.sqlite3 in KODA_VAR_DIR.
        return Instance(var_dir, {**database, "NAME": str(var_dir / "koda.sqlite3")},
                        env={"DATABASE_URL": ""})  # fmt: skip
    return Instance(var_dir, database, env={"DATABASE_URL": _database_url(database)})


@pytest.fixture
def fresh_instance(transactional_db, tmp_path):
    """An instance with nothing in it yet: an empty SQLite file, or a new PostgreSQL database."""
    database = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        database["NAME"] = f"{database['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
    yield _instance(tmp_path / "fresh", database)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


@pytest.fixture
def live_instance(transactional_db, tmp_path):
    """The test database made reachable from other processes, as a running site's is: on
    PostgreSQL the test database itself; SQLite's in-memory one is copied into a file first."""
    var_dir = tmp_path / "live"
    var_dir.mkdir()
    instance = _instance(var_dir, dict(connection.settings_dict))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(instance.database["NAME"])) as copy:
            connection.connection.backup(copy)
    return instance


def table_rows(db) -> dict[str, list[tuple]]:
    """Every row of every table, in primary key order."""
    rows = {}
    with db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            pk = db.introspection.get_primary_key_columns(cursor, table)
            order = ", ".join(db.ops.quote_name(column) for column in pk or ())
            cursor.execute(
                f"SELECT * FROM {db.ops.quote_name(table)}" + (f" ORDER BY {order}" if pk else "")
            )
            rows[table] = cursor.fetchall() if pk else sorted(cursor.fetchall(), key=repr)
    return rows


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _attachment(name="juhend.txt", text="Juhend vanematele infotunniks."):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


# A whole round trip --------------------------------------------------------------------------


def test_restore_into_a_fresh_instance_gives_back_every_row_and_file(
    fresh_instance, make_issue, make_discussion, make_image, tmp_path
):
    # Transactional tests run last and each empties the database when it ends, migrations'
    # rows and demo pages with it: this one puts back Wagtail's root collection (which the
    # forum's attachments hang under) and uses an image, not an article, for the media.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    make_issue("Koolibuss ei sobi koolipäevaga")
    make_discussion(kind=Discussion.Kind.MATERIAL, files=[_attachment()])
    make_image("Koolimaja")
    live_media = media_files(Path(settings.MEDIA_ROOT))
    assert any(name.startswith("documents/") for name in live_media)
    assert any(name.startswith("original_images/") for name in live_media)

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    assert "Backed up" in out.getvalue()
    result = fresh_instance.manage("restore", str(tmp_path / "backup"))
    assert result.returncode == 0, result.stderr

    restored_db = fresh_instance.connect()
    try:
        live, restored = table_rows(connection), table_rows(restored_db)
    finally:
        restored_db.close()
    assert sorted(restored) == sorted(live)
    for table, rows in live.items():
        assert restored[table] == rows, f"{table} differs after the restore"
    assert live["forum_issue"] and live["wagtaildocs_document"] and live["wagtailimages_image"]
    assert media_files(fresh_instance.media) == live_media
    # The search index is rebuilt from the restored rows.
    assert (fresh_instance.var_dir / "search" / "forum.issue").is_dir()


# Consistency while the site writes ----------------------------------------------------------

# A second process writing as the site does: each transaction adds a user and a group of the same
# name, so a backup holding one without the other would be torn.
WRITER = """
import itertools, os, pathlib
from django.contrib.auth.models import Group, User
from django.db import transaction
stop = pathlib.Path(os.environ["WRITER_STOP"])
for n in itertools.count():
    last = stop.exists()  # this write then comes after the backup had finished
    with transaction.atomic():
        User.objects.create(username=f"kirjutaja-{n}")
        Group.objects.create(name=f"kirjutaja-{n}")
    if n == 20:
        print("writing", flush=True)
    if last:
        break
"""


def _writer_rows(db) -> tuple[set, set]:
    with db.cursor() as cursor:
        cursor.execute("SELECT username FROM auth_user WHERE username LIKE 'kirjutaja-%'")
        users = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT name FROM auth_group WHERE name LIKE 'kirjutaja-%'")
        groups = {row[0] for row in cursor.fetchall()}
    return users, groups


def test_backup_while_the_site_writes_is_consistent(live_instance, fresh_instance, tmp_path):
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", WRITER],
        env={
            **os.environ,
            **live_instance.env,
            "KODA_VAR_DIR": str(live_instance.var_dir),
            "WRITER_STOP": str(stop),
        },
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        backup = live_instance.manage("backup", str(tmp_path / "backup"))
    finally:
        stop.touch()
        writer.wait(timeout=120)
    assert backup.returncode == 0, backup.stderr
    assert writer.returncode == 0

    if connection.vendor == "sqlite":
        copy = tmp_path / "backup" / "database.sqlite3"
        with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    result = fresh_instance.manage("restore", str(tmp_path / "backup"))
    assert result.returncode == 0, result.stderr
    restored_db, live_db = fresh_instance.connect(), live_instance.connect()
    try:
        users, groups = _writer_rows(restored_db)
        live_users, _ = _writer_rows(live_db)
    finally:
        restored_db.close()
        live_db.close()
    assert users == groups, "the backup holds half of a transaction"
    # The snapshot fell amid the writes: some were in before it, more came after.
    assert len(users) > 20 and len(live_users) > len(users)


# Refusals -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made_backup(tmp_path_factory, django_db_setup, django_db_blocker):
    """One backup of the test database with a document in its media, copied by each test."""
    media = tmp_path_factory.mktemp("media")
    (media / "documents").mkdir()
    (media / "documents" / "juhend.txt").write_bytes(b"Juhend vanematele.")
    path = tmp_path_factory.mktemp("made") / "backup"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("backup", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def backup_copy(made_backup, tmp_path):
    return Path(shutil.copytree(made_backup, tmp_path / "backup"))


def _restore(path, *args):
    call_command("restore", str(path), *args, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("media/documents/juhend.txt", "changed: media/documents/juhend.txt"),
        ("database", "changed: database."),
        ("remove media/documents/juhend.txt", "missing: media/documents/juhend.txt"),
        ("add media/documents/muu.txt", "not listed: media/documents/muu.txt"),
    ],
)
def test_restore_refuses_a_backup_that_does_not_match_its_manifest(
    db, backup_copy, damage, problem
):
    if damage == "database":
        [damage] = [p.name for p in backup_copy.glob("database.*")]
    if damage.startswith("remove "):
        (backup_copy / damage.removeprefix("remove ")).unlink()
    elif damage.startswith("add "):
        (backup_copy / damage.removeprefix("add ")).write_bytes(b"Lisatud.")
    else:
        with open(backup_copy / damage, "r+b") as file:
            file.seek(-1, os.SEEK_END)
            last = file.read(1)
            file.seek(-1, os.SEEK_END)
            file.write(bytes([last[0] ^ 1]))
    issues = Issue.objects.count()
    with pytest.raises(CommandError, match="does not match its manifest") as refused:
        _restore(backup_copy, "--force")
    assert problem in str(refused.value)
    assert Issue.objects.count() == issues


def test_restore_refuses_a_backup_of_another_database_vendor(db, backup_copy):
    manifest = (backup_copy / "manifest.json").read_text()
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (backup_copy / "manifest.json").write_text(
        manifest.replace(f'"vendor": "{connection.vendor}"', f'"vendor": "{other}"')
    )
    with pytest.raises(CommandError, match="This is a backup of a .* database, but this site"):
        _restore(backup_copy, "--force")


def test_restore_refuses_to_replace_a_database_with_data_without_force(db, backup_copy, make_issue):
    issue = make_issue()
    with pytest.raises(CommandError, match="already has .* tables.*--force"):
        _restore(backup_copy)
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_restore_with_force_replaces_the_database_and_the_media(
    transactional_db, make_issue, tmp_path, settings
):
    kept = make_issue("Enne varukoopiat")
    media = Path(settings.MEDIA_ROOT)
    demo = media_files(media)  # the demo's images
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "vana.txt").write_bytes(b"Enne.")
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    later = make_issue("Pärast varukoopiat")
    (media / "documents" / "uus.txt").write_bytes(b"Hiljem.")

    _restore(tmp_path / "backup", "--force")
    assert Issue.objects.filter(pk=kept.pk).exists()
    assert not Issue.objects.filter(pk=later.pk).exists()
    assert media_files(media) == {**demo, "documents/vana.txt": b"Enne."}


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "other.txt").write_text("Other.")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())


def test_postgresql_tools_older_than_needed_are_refused_with_what_to_install(tmp_path, monkeypatch):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.16'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(BackupError, match="pg_dump 13 cannot dump a PostgreSQL 15 server.*15"):
        pg_tool("pg_dump", 15, "dump a PostgreSQL 15 server")
    assert pg_tool("pg_dump", 13, "dump a PostgreSQL 13 server") == (str(fake), 13)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(BackupError, match="pg_restore was not found on PATH"):
        pg_tool("pg_restore", 15, "read an archive")


def test_backup_refuses_a_folder_inside_media(db, settings):
    with pytest.raises(CommandError, match="outside MEDIA_ROOT"):
        call_command("backup", str(Path(settings.MEDIA_ROOT) / "backup"), stdout=io.StringIO())
