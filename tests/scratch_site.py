"""A scratch copy of the test database for the site run as in production, in other processes
(gunicorn), by tests/faults/test_worker_killed.py and tests/security/test_document_bombs.py.

The copy is of the test database the suite already made and migrated (a second
`manage.py migrate` costs ~25 s here): SQLite's in-memory one copied into a file, PostgreSQL's
cloned with CREATE DATABASE ... TEMPLATE and dropped at the end. A test using it takes the `db`
fixture, so that it runs with the suite's other database tests, before transactional tests
empty the test database."""

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
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
        """Rows of `sql`, written with ? placeholders for either database."""
        if self.vendor == "postgresql":
            sql = sql.replace("?", "%s")
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, sql: str, *params) -> int:
        return self.query(sql, *params)[0][0]

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


@contextmanager
def scratch_site(var_dir: Path, name: str, django_db_blocker, **env) -> Iterator[Scratch]:
    """A copy of the test database (PostgreSQL: "<test database>_<name>") for a site whose
    folder is `var_dir`, with the environment's DJANGO_ settings replaced and `env` added."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "KODA_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "true",
        **env,
    }
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = var_dir / "koda.sqlite3"  # the site's default name in KODA_VAR_DIR
            connection.ensure_connection()
            with closing(sqlite3.connect(path)) as copy:
                connection.connection.backup(copy)
        else:
            s = connection.settings_dict
            template, name = s["NAME"], f"{s['NAME']}_{name}"
            connection.close()  # a template database must have no other session
            with _admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if connection.vendor == "sqlite":
        yield Scratch(var_dir, "sqlite", {"path": path}, env)
        return
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    try:
        yield Scratch(
            var_dir,
            "postgresql",
            {"dbname": name, "user": s["USER"], "host": host, "port": port},
            {**env, "DATABASE_URL": f"postgres://{credentials}@{host}:{port}/{name}"},
        )
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
