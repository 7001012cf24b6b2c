"""`make prod-check`: the production topology on this machine, proven through HTTP.

Two app servers (gunicorn, DEBUG off, each with its own KODA_VAR_DIR) share PostgreSQL (database
koda_prodcheck, made afresh), Redis (database 12, emptied) and one media folder; background
work (mail, search indexing) goes through django-tasks-db's queue to a `db_worker`; the site
search is modelsearch's PostgreSQL backend with the Estonian analysis. Then, as a member would:

1. a session begun on one server is the same on the other;
2. a comment written on one server shows at once on the other (its page and cached fragments);
3. the other server's search finds it, once the worker has indexed it;
4. mail leaves through the worker, not in the request: with the worker paused, a password reset
   is answered and nothing is sent; resumed, the message goes out;
5. killing one server loses nothing: comments written alternately to both, one server killed
   half-way and its share sent to the other, each acknowledged comment is there exactly once.

Prints a table of the checks and exits 1 if any failed. Work files: var/prod-check/.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "prod-check"
DATABASE = "koda_prodcheck"
REDIS = "redis://127.0.0.1:6379/12"
PASSWORD = "demo"  # the demo accounts' (load_demo with DEBUG on)


def log(message: str) -> None:
    print(f"[prod-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(var_dir: Path, base_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KODA_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="prod-check-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; the proxy would redirect
        WAGTAILADMIN_BASE_URL=base_url,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        CACHE_URL=REDIS,
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SEARCH_BACKEND="search.backends.postgres",
        EMAIL_URL=f"filemail:///{WORK / 'mail'}",
        KODA_VAR_DIR=str(var_dir),
        KODA_MEDIA_ROOT=str(WORK / "media"),
        **extra,
    )
    return env


def manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{DATABASE}"')


def empty_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


class Server:
    """A process in its own group (gunicorn's master and workers die together)."""

    def __init__(self, name, command, env, log_path):
        self.name = name
        self.log = open(log_path, "w")  # noqa: SIM115 (open while the process runs)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def signal(self, sig) -> None:
        os.killpg(self.process.pid, sig)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
        self.log.close()


def gunicorn(name, port, env) -> Server:
    command = [
        sys.executable, "-m", "gunicorn", "koda.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--timeout", "60",
    ]  # fmt: skip
    return Server(name, command, env, WORK / f"{name}.log")


class Member:
    """A browser's worth of HTTP: cookies (sent over plain HTTP although the production cookies
    are Secure: the proxy's TLS is not here) and the CSRF token."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base, method, path, form=None):
        host, port = urllib.parse.urlsplit(base).netloc.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": base + path,
                "Origin": base,
            }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text, response.getheader("Location")

    def get(self, base, path):
        return self.request(base, "GET", path)

    def post(self, base, path, form, page=None):
        """Submit `form` to `path` from `page` (by default `path`), as from its form."""
        self.get(base, page or path)  # the form's page gives the CSRF cookie
        return self.request(base, "POST", path, form)

    def sign_in(self, base, username):
        return self.post(base, "/konto/sisene/", {"username": username, "password": PASSWORD})[0]


def wait_up(base: str, seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Member().get(base, "/robots.txt")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{base} did not answer")


def eventually(check, seconds=30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def mails() -> list[str]:
    folder = WORK / "mail"
    return (
        [p.read_text(errors="replace") for p in sorted(folder.glob("*"))] if folder.exists() else []
    )


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    for folder in ("app1", "app2", "media", "mail"):
        (WORK / folder).mkdir(parents=True)
    recreate_database()
    empty_cache()
    port_a, port_b = free_port(), free_port()
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    env_a, env_b = environment(WORK / "app1", a), environment(WORK / "app2", a)

    log("migrate, demo content (its accounts need DEBUG on), search index")
    manage(env_a, "migrate", "--no-input", "-v0")
    # Loaded and indexed at once, not through the queue the worker will empty.
    immediately = {"TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    manage({**env_a, **immediately, "DJANGO_DEBUG": "true"}, "load_demo")
    manage({**env_a, **immediately}, "update_index", "-v0")
    for env in (env_a, env_b):
        manage(env, "collectstatic", "--no-input", "-v0")

    servers = {
        "A": gunicorn("A", port_a, env_a),
        "B": gunicorn("B", port_b, env_b),
        "worker": Server(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            env_a,
            WORK / "worker.log",
        ),  # fmt: skip
    }
    results = []

    def check(name, passed, detail=""):
        results.append((name, bool(passed), detail))
        log(f"{'ok  ' if passed else 'FAIL'} {name} {detail}")

    try:
        wait_up(a)
        wait_up(b)
        member = Member()
        status = member.sign_in(a, "liige")
        check("sign in on A", status == 302, f"status {status}")
        status, page, _ = member.get(b, "/foorum/")
        check("the session is the same on B", status == 200 and "Logi välja" in page)

        issue = re.search(r'href="/foorum/(\d+)/"', page).group(1)
        thread = f"/foorum/{issue}/"
        word = "prodcheck" + uuid.uuid4().hex[:8]
        status, _, _ = member.post(
            a, f"{thread}kommenteeri/", {"body": f"Kommentaar {word}."}, thread
        )
        check("a comment written on A", status == 302, f"status {status}")
        check("shows at once on B", word in member.get(b, thread)[1])
        check(
            "B's search finds it once the worker indexed it",
            eventually(lambda: word in member.get(b, f"/otsing/?q={word}")[1]),
        )

        log("pausing the worker: mail must wait for it")
        servers["worker"].signal(signal.SIGSTOP)
        before = len(mails())
        visitor = Member()
        status, _, _ = visitor.post(b, "/konto/parool/", {"email": "liige@example.org"})
        time.sleep(2)
        check(
            "a password reset is answered with the worker paused, and nothing sent",
            status == 302 and len(mails()) == before,
            f"status {status}",
        )
        servers["worker"].signal(signal.SIGCONT)
        check(
            "resumed, the worker sends it",
            eventually(lambda: any("/konto/parool/" in m for m in mails()[before:])),
        )

        log("comments to A and B in turn by two members; B is killed half-way")
        writers = [Member(), Member()]  # a person's comments are limited: two share the work
        for writer, username in zip(writers, ("liige2", "esindaja"), strict=True):
            writer.sign_in(a, username)
        acknowledged, base_of = [], {"A": a, "B": b}
        for n in range(8):
            target = "B" if n < 4 and n % 2 else "A"
            if n == 4:
                servers["B"].signal(signal.SIGKILL)
                log("B killed")
            text = f"Jada {word} nr {n}."
            writer = writers[n % 2]
            status, _, _ = writer.post(
                base_of[target], f"{thread}kommenteeri/", {"body": text}, thread
            )
            if status == 302:
                acknowledged.append(text)
        page = member.get(a, thread)[1]
        counts = {text: page.count(text) for text in acknowledged}
        check(
            "with B killed, A goes on with the same sessions",
            len(acknowledged) == 8,
            f"{len(acknowledged)} of 8 acknowledged, 2 of them by B",
        )
        check(
            "each acknowledged comment is there exactly once",
            all(count == 1 for count in counts.values()),
            f"{sum(counts.values())} found",
        )
    finally:
        for server in servers.values():
            if server.name == "worker":
                server.signal(signal.SIGCONT)
            server.stop()

    width = max(len(name) for name, _, _ in results)
    print("\n| check | result |\n|---|---|")
    for name, passed, detail in results:
        print(f"| {name.ljust(width)} | {'passed' if passed else 'FAILED'} {detail} |")
    failed = [name for name, passed, _ in results if not passed]
    print(f"\n{len(results) - len(failed)} of {len(results)} checks passed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
