"""Backups of a running site (`manage.py backup PATH`) and putting one back (`manage.py restore
PATH`).

A backup is a folder: `database.sqlite3` (SQLite's backup API) or `database.pgdump`
(`pg_dump --format=custom`), `media/` (a copy of MEDIA_ROOT: Wagtail's images and documents,
the forum's attachments) and `manifest.json` (when, which database vendor, the applied
migrations, and every file's size and SHA-256). It is written under a temporary name beside PATH
and renamed when complete, so a folder named PATH is always a whole backup.

The database is copied first, as one snapshot taken while the site keeps writing; the media
after it, so every file the snapshot names is in the backup (a file is stored before the row
naming it commits). The search index is not backed up: it is derived from the database, and
`restore` rebuilds it (`update_index`) so that it matches the restored rows exactly.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """Why a backup or a restore was not made, in a sentence for the operator."""


# Backup ---------------------------------------------------------------------------------------


def backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write a backup of the database and MEDIA_ROOT into the new folder `path` (it may exist
    if empty) and return its manifest."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    path = Path(path).absolute()
    _check_outside_media(path)
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise BackupError(f"{path} already exists and is not an empty folder; choose a new one.")
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
    try:
        database_file = DATABASE_FILES[connection.vendor]
        if connection.vendor == "sqlite":
            database = _dump_sqlite(connection, work / database_file)
        else:
            database = _dump_postgresql(connection, work / database_file)
        database["file"] = database_file
        files = {database_file: _checksum(work / database_file)}
        files.update(_copy_media(Path(settings.MEDIA_ROOT), work / MEDIA))
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "koda": version("koda"),
            "vendor": connection.vendor,
            "database": database,
            "migrations": _applied_migrations(connection),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if path.exists():
            path.rmdir()
        work.rename(path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _dump_sqlite(connection, target: Path) -> dict:
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be made inside a transaction.")
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # All pages in one step: one read transaction, so one consistent snapshot. In WAL mode
        # the site's writers go on meanwhile; a step-wise copy would restart on each write.
        connection.connection.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        [(result,)] = copy.execute("PRAGMA integrity_check").fetchall()
    if result != "ok":
        raise BackupError(f"The copy of the database fails SQLite's integrity check: {result}")
    return {"sqlite_version": sqlite3.sqlite_version}


def _dump_postgresql(connection, target: Path) -> dict:
    connection.ensure_connection()
    server = connection.pg_version // 10000
    pg_dump, client = pg_tool("pg_dump", server, f"dump a PostgreSQL {server} server")
    args, env = _pg_connection(connection.settings_dict)
    # pg_dump reads every table in one repeatable-read transaction: a consistent snapshot.
    _run(
        [pg_dump, *args, "--format=custom", f"--file={target}", connection.settings_dict["NAME"]],
        env,
    )
    return {"server_version": server, "pg_dump_version": client}


# Restore --------------------------------------------------------------------------------------


def restore(path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS, stdout=None) -> dict:
    """Put the backup in `path` back: the database, MEDIA_ROOT, and a rebuilt search index.
    Everything is checked before anything is changed; without `force` only into an empty
    database and an empty MEDIA_ROOT. Stop the site's other processes first."""
    connection = connections[using]
    path = Path(path).absolute()
    _check_outside_media(path)
    manifest = read_manifest(path)
    vendor = manifest["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This is a backup of a {VENDOR_NAMES.get(vendor, vendor)} database, but this site "
            f"uses {VENDOR_NAMES.get(connection.vendor, connection.vendor)}. Restore it into a "
            f"site configured for {VENDOR_NAMES.get(vendor, vendor)} (DATABASE_URL)."
        )
    _check_migrations_known(connection, manifest["migrations"])
    verify(path, manifest)
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        _check_empty(connection, media_root)
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be restored inside a transaction.")

    database = path / manifest["database"]["file"]
    if vendor == "sqlite":
        _restore_sqlite(connection, database)
    else:
        _restore_postgresql(connection, database, manifest["database"]["pg_dump_version"])
    _restore_media(path / MEDIA, media_root, manifest["files"])

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # ids in memory may name other rows now
    if _pending_migrations(connection):
        # The backup is older than this code: bring its schema up to date before indexing.
        call_command("migrate", database=using, interactive=False, stdout=stdout)
    call_command("update_index", stdout=stdout, verbosity=0)
    for cache in caches.all():
        cache.clear()  # pages and fragments of the data that was replaced
    return manifest


def _restore_sqlite(connection, database: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as source:
        # Replaces every page of the site's database in one step, under its write lock.
        source.backup(connection.connection, pages=-1)
    connection.close()


def _restore_postgresql(connection, archive: Path, dumped_by: int) -> None:
    pg_restore, _ = pg_tool("pg_restore", dumped_by, f"read an archive of pg_dump {dumped_by}")
    args, env = _pg_connection(connection.settings_dict)
    connection.close()  # holds no lock on what pg_restore drops
    # One transaction: a restore that fails leaves the database as it was. Objects and grants
    # belong to the configured user, whoever owned them where the backup was made.
    _run(
        [
            pg_restore,
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(archive),
        ],
        env,
    )


def _restore_media(source: Path, media_root: Path, files: dict) -> None:
    """Replace what MEDIA_ROOT holds by the backup's media. The copy is staged inside MEDIA_ROOT
    (which may be the mount point of shared storage, so it is never renamed itself) and moved
    into place only once it is whole."""
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=media_root))
    prefix = f"{MEDIA}/"
    for name in files:
        if name.startswith(prefix):
            target = staging / name.removeprefix(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name.removeprefix(prefix), target)
    for entry in media_root.iterdir():
        if entry == staging:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        entry.rename(media_root / entry.name)
    staging.rmdir()


def _check_outside_media(path: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if path == media_root or media_root in path.parents:
        raise BackupError(f"Keep backups outside MEDIA_ROOT ({media_root}); choose another folder.")


# Checks ---------------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} is not a Koda backup: it has no {MANIFEST}.") from None
    except ValueError as error:
        raise BackupError(f"The {MANIFEST} of {path} cannot be read: {error}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is a backup in format {manifest.get('format')!r}; this version of Koda "
            f"reads format {FORMAT}."
        )
    return manifest


def verify(path: Path, manifest: dict) -> None:
    """Refuse a backup whose files differ from its manifest: changed, missing or added."""
    listed = manifest["files"]
    present = {
        file.relative_to(path).as_posix()
        for file in path.rglob("*")
        if file.is_file() and file.relative_to(path).as_posix() != MANIFEST
    }
    missing = sorted(listed.keys() - present)
    added = sorted(present - listed.keys())
    changed = sorted(
        name for name in listed.keys() & present if _checksum(path / name) != listed[name]
    )
    if missing or added or changed:
        problems = [
            f"{what}: {', '.join(names)}"
            for what, names in (("changed", changed), ("missing", missing), ("not listed", added))
            if names
        ]
        raise BackupError(
            f"The backup in {path} does not match its manifest, so nothing was restored "
            f"({'; '.join(problems)}). Use an intact copy of the backup."
        )


def _check_empty(connection, media_root: Path) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already has {len(tables)} tables. "
            "Restore into an empty database, or add --force to replace its contents."
        )
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(
            f"{media_root} already holds files. Restore into an empty MEDIA_ROOT, or add "
            "--force to replace them."
        )


def _check_migrations_known(connection, migrations: dict) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations.keys()
    unknown = [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of Koda: this code lacks its migrations "
            f"{', '.join(unknown)}. Restore it with the version that made it "
            "(or a newer one)."
        )


def _applied_migrations(connection) -> dict:
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _pending_migrations(connection) -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


# Files and tools ------------------------------------------------------------------------------


def _copy_media(media_root: Path, target: Path) -> dict:
    files = {}
    if not media_root.is_dir():
        return files
    for source in sorted(media_root.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(media_root)
        copy = target / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            files[f"{MEDIA}/{relative.as_posix()}"] = _copy_file(source, copy)
        except FileNotFoundError:
            continue  # deleted by the site since the listing: its row is gone too
    return files


def _copy_file(source: Path, target: Path) -> dict:
    """Copy and checksum in one read, so the manifest describes exactly the copy."""
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return {"size": size, "sha256": digest.hexdigest()}


def _checksum(file: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    with open(file, "rb") as reader:
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def pg_tool(name: str, needed: int, purpose: str) -> tuple[str, int]:
    """The path and major version of PostgreSQL's `name` (pg_dump, pg_restore) on PATH,
    refused unless its major version is at least `needed`."""
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL {needed} client tools "
            f"(Debian: postgresql-client-{needed})."
        )
    output = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    if not match:
        raise BackupError(f"{found} --version did not say its version: {output.strip()!r}.")
    major = int(match.group(1))
    if major < needed:
        raise BackupError(
            f"{name} {major} cannot {purpose}. Install the PostgreSQL {needed} client tools "
            f"(Debian: postgresql-client-{needed}) and put them first on PATH "
            f"(e.g. /usr/lib/postgresql/{needed}/bin)."
        )
    return found, major


def _pg_connection(settings_dict: dict) -> tuple[list[str], dict]:
    """Command-line options and environment (password, SSL) for the configured server."""
    from django.db.backends.postgresql.client import DatabaseClient

    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = ["--no-password"]  # never wait for a prompt: the password comes from the settings
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    return args, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
