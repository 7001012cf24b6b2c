"""Decompression bombs sent to the live site leave other visitors' pages unaffected (issue 16:
three 100 KB DOCX files that unpacked to 100 MB of digits, sent at once, held every gunicorn
worker until it timed out).

The site runs as in production, in other processes: gunicorn with three sync workers on a
scratch database of the suite's vendor, a copy of the test database with the demo loaded
(tests/scratch_site.py). A demo member
signs in; the home page is timed for a visitor 60 times before and 60 times while the member
sends three bombs at once to the discussion form. Each bomb must be refused with its reason and
leave nothing stored, and no visitor's request may fail; the home page's 95th percentile
before and during the attack is printed (a test judges no wall-clock time). The test
takes the `db` fixture so that it runs with the suite's other database tests, before
transactional tests empty the test database."""

import http.cookiejar
import io
import math
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
import uuid
import zipfile

import pytest

from tests.scratch_site import ROOT, free_port, scratch_site

WORKERS = 3
REQUESTS = 60
TITLE = "Pommiga materjal"
# The refusal as the Estonian page says it (forum/core/documents.py, file_too_large_unpacked).
REFUSAL = "lahtipakitud sisu on suurem kui"


def _bomb() -> bytes:
    """About 100 KB of DOCX that unpacks to 100 MB of digits."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            part.write(b"<w:document><w:body><w:p><w:r><w:t>")
            block = b"0" * 1_000_000
            for _ in range(100):
                part.write(block)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("document-bombs")
    with scratch_site(var_dir, "document_bombs", django_db_blocker) as site:
        yield site


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies for the site."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def open(self, path: str, data: bytes | None = None, headers=None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # 302 and errors alike
            return answer.code, answer.headers.get("Location", "")

    def token(self, path: str) -> str:
        status, page = self.open(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(
        self, path: str, fields: dict, files: dict | None = None, token: str | None = None
    ) -> tuple[int, str]:
        """Sends the form at `path` as a browser does (multipart when there are files), with
        the CSRF token of the form's page (read now unless given)."""
        fields = {**fields, "csrfmiddlewaretoken": token or self.token(path)}
        if not files:
            return self.open(path, urllib.parse.urlencode(fields).encode())
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/vnd.openxmlformats-'
                "officedocument.wordprocessingml.document\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body.write(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.open(path, body.getvalue(), headers)


# The demo member who sends the bombs, made as `make demo` makes the demo accounts (in DEBUG
# only: the test database has none), by the site's own code and password hasher.
DEMO_MEMBER = """
from koda.demo import forum as demo
demo.ACCOUNTS = {"liige": demo.ACCOUNTS["liige"]}
demo.load_accounts(demo.load_organizations())
"""


@pytest.fixture(scope="module")
def site(scratch):
    """gunicorn serving the scratch site with WORKERS sync workers, as in production."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DEMO_MEMBER],
        cwd=ROOT,
        env=scratch.env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    log_path = scratch.var_dir / "gunicorn.log"
    with log_path.open("w") as log:
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "koda.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "30"]
            + ["--graceful-timeout", "5", "--preload"],
            cwd=ROOT,
            env=scratch.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert master.poll() is None, log_path.read_text()[-3000:]
            try:
                if Browser(url).open("/robots.txt")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.2)
        yield url
    finally:
        if master.poll() is None:
            os.killpg(master.pid, signal.SIGTERM)
            try:
                master.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(master.pid, signal.SIGKILL)
                master.wait(timeout=10)


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def _time_home_page(url: str, times: list[float], failures: list) -> None:
    visitor = Browser(url)
    for _ in range(REQUESTS):
        started = time.perf_counter()
        try:
            status, _page = visitor.open("/")
        except OSError as error:  # refused, reset or timed out: the site did not answer
            failures.append(repr(error))
            continue
        times.append(time.perf_counter() - started)
        if status != 200:
            failures.append(status)


def _in_parallel(*calls) -> None:
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request did not end"


def test_three_bombs_at_once_leave_other_visitors_pages_unaffected(db, scratch, site):
    member = Browser(site)
    status, _ = member.post("/konto/sisene/", {"username": "liige", "password": "demo"})
    assert status == 302, "the demo member could not sign in"
    form = "/foorum/arutelud/uus/?kind=material"
    fields = {
        "kind": "material",
        "material_type": "guide",
        "title": TITLE,
        "body": "Juhend vanematele, lisatud failina.",
    }
    # Every worker reads its templates and settles once, before anything is timed.
    warm_up = Browser(site)
    _in_parallel(*[lambda: [warm_up.open("/") for _ in range(5)]] * WORKERS)
    _in_parallel(*[lambda: member.post(form, {**fields, "title": ""})] * WORKERS)
    documents = "SELECT COUNT(*) FROM wagtaildocs_document"
    stored_documents = scratch.count(documents)

    before, failures_before = [], []
    _time_home_page(site, before, failures_before)

    bomb = _bomb()
    token = member.token(form)  # the form as the member's browser has it, ready to send
    during, failures, answers = [], [], []
    start = threading.Barrier(WORKERS + 1)

    def attack(number):
        start.wait()
        started = time.perf_counter()
        status, page = member.post(
            form, fields, {"files": (f"pomm{number}.docx", bomb)}, token=token
        )
        answers.append((number, status, page, time.perf_counter() - started))

    def visit():
        start.wait()
        _time_home_page(site, during, failures)

    _in_parallel(*[lambda n=n: attack(n) for n in range(1, WORKERS + 1)], visit)

    for number, status, page, _seconds in answers:
        assert status == 200, (number, status, page[:300])
        assert f"pomm{number}.docx" in page and REFUSAL in page, page[:3000]
    assert len(answers) == WORKERS
    assert scratch.count("SELECT COUNT(*) FROM forum_discussion WHERE title = ?", TITLE) == 0
    assert scratch.count(documents) == stored_documents
    assert not list((scratch.var_dir / "media").glob("documents/**/pomm*"))

    p95_before, p95_during = _p95(before), _p95(during)
    print(
        f"\n{scratch.vendor}: home page p95 {p95_before * 1000:.1f} ms before, "
        f"{p95_during * 1000:.1f} ms during three bombs (each answered in "
        + ", ".join(f"{seconds * 1000:.0f}" for *_, seconds in sorted(answers))
        + " ms); slowest during: "
        + ", ".join(f"{seconds * 1000:.1f}" for seconds in sorted(during)[-5:])
        + " ms"
    )
    # Every visitor was answered while the bombs were read; how fast is printed above, not
    # asserted: a test does not judge wall-clock time (a loaded CI machine failed it once).
    assert not failures_before and not failures, (failures_before, failures)
    assert len(during) == REQUESTS
