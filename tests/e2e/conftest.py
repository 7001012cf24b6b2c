"""Browser tests: Playwright drives Debian's Chromium against the site served by gunicorn from
a fresh KODA_VAR_DIR (its own SQLite database, media and mail folder), as a newcomer runs it.

Where /usr/bin/chromium is missing the tests skip with the reason, except in CI (CI=true),
where a missing browser is a failure.

The site and the browser are shared by every browser test and stopped after the last of them
(package scope): one pytest-xdist worker runs them all, first (tests/workers.py), and its
later tests must not run inside Playwright's event loop (Django refuses database calls there)."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


# `make demo`'s load_demo and update_index, with the index written once at the end instead of
# once per object as well (a Whoosh commit per save: most of load_demo's time).
LOAD_DEMO = """
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

backends = settings.WAGTAILSEARCH_BACKENDS
with override_settings(
    WAGTAILSEARCH_BACKENDS={name: {**conf, "AUTO_UPDATE": False} for name, conf in backends.items()}
):
    call_command("load_demo")
call_command("update_index", verbosity=0)
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveSite:
    def __init__(self, url, var_dir, env):
        self.url = url
        self.var_dir = var_dir
        self.env = env

    def shell(self, code: str) -> str:
        """Run Python in the site's Django (the services, as a person would through a page)
        to set up what a journey starts from; returns what it prints."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def query(self, sql, *params):
        with sqlite3.connect(self.var_dir / "koda.sqlite3") as connection:
            return connection.execute(sql, params).fetchall()

    def mails(self):
        folder = self.var_dir / "mail"
        return (
            [path.read_text() for path in sorted(folder.glob("*.log"))] if folder.exists() else []
        )


@pytest.fixture(scope="package")
def live_site(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "KODA_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "true",
        "EMAIL_URL": f"filemail:///{var_dir / 'mail'}",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["shell", "-c", LOAD_DEMO]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    log = (var_dir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "koda.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        pytest.fail("The site did not start: " + (var_dir / "gunicorn.log").read_text()[-2000:])
    yield LiveSite(url, var_dir, env)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(reason + " CI must run the browser tests.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_site):
    context = browser.new_context(base_url=live_site.url, locale="et-EE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    folder = ROOT / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
