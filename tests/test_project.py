"""The project as a whole: production checks, migrations, and the settings' environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env=None, tmp_path=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env or {})
    if tmp_path:
        environment["KODA_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "koda.example.org",
    "WAGTAILADMIN_BASE_URL": "https://koda.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/15",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_a_cache_each_process_keeps_alone(tmp_path):
    """Rate limits and the sign-in limit count in the cache: with DEBUG off it must be shared."""
    alone = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = run_manage("check", env=alone, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "koda.E001" in result.stderr
    assert "CACHE_URL" in result.stderr
    debugging = run_manage("check", env={**alone, "DJANGO_DEBUG": "true"}, tmp_path=tmp_path)
    assert debugging.returncode == 0, debugging.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", env={"DJANGO_DEBUG": "false"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required" in result.stderr
    without_address = {k: v for k, v in PRODUCTION.items() if k != "WAGTAILADMIN_BASE_URL"}
    result = run_manage("check", env=without_address, tmp_path=tmp_path)
    assert "WAGTAILADMIN_BASE_URL is required" in result.stderr


def test_var_dir_holds_what_the_site_writes(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['NAME']); print(s.MEDIA_ROOT)",
        tmp_path=tmp_path,
        env={"DATABASE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    database, media = result.stdout.split()[-2:]
    assert Path(database).parent == tmp_path and Path(media).parent == tmp_path


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_cache_url_selects_a_real_redis_cache(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            if os.environ.get("CI"):
                pytest.fail("Redis is not listening on 127.0.0.1:6379 in CI.")
            pytest.skip("No Redis on 127.0.0.1:6379.")
    script = (
        "from django.core.cache import caches; import uuid; cache = caches['default']; "
        "key = uuid.uuid4().hex; cache.set(key, 'lapsekesksus', 30); "
        "print(type(cache).__name__, cache.get(key)); cache.delete(key)"
    )
    result = run_manage(
        "shell", "-c", script, env={"CACHE_URL": "redis://127.0.0.1:6379/15"}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["RedisCache", "lapsekesksus"]


def test_sessions_come_from_a_shared_cache_and_persist_in_the_database(tmp_path):
    """With CACHE_URL, a signed-in request reads its session from the cache (written through to
    the database, so a restart of the cache signs nobody out); without it, from the database
    alone, as a per-process cache would serve another worker's stale copy. A database
    connection is kept between requests on both databases."""
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_ENGINE.rsplit('.', 1)[1], s.DATABASES['default']['CONN_MAX_AGE'])"
    )
    shared = run_manage(
        "shell", "-c", script, env={"CACHE_URL": "redis://127.0.0.1:6379/15"}, tmp_path=tmp_path
    )
    alone = run_manage("shell", "-c", script, tmp_path=tmp_path)  # no CACHE_URL here
    assert shared.stdout.split()[-2:] == ["cached_db", "60"], shared.stderr
    assert alone.stdout.split()[-2:] == ["db", "60"], alone.stderr
