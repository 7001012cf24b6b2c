"""How the suite runs on several processes (pytest-xdist, `make test`), loaded with
`-p tests.workers` (pyproject.toml) before Django's settings are read.

- Each worker gets a KODA_VAR_DIR of its own (pytest-django gives it a test database of its
  own, suffixed _gw0, _gw1 ...), so that no two workers share a file the site writes: xdist
  names the worker in the environment before the worker's pytest starts.
- Each worker's Redis cache tests use a Redis database of their own (`redis_url`).
- The scheduler (`pytest_xdist_make_scheduler`) keeps pytest-django's order and sends the
  browser tests to one worker together.
- The JUnit report names the database the run used (`pytest_sessionstart`).
"""

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _base = Path(os.environ.get("KODA_VAR_DIR") or Path(__file__).resolve().parents[1] / "var")
    os.environ["KODA_VAR_DIR"] = str(_base / "test-workers" / _worker)


def pytest_sessionstart(session):
    """CI reads the database's vendor from the JUnit report, to prove which database a run
    used. Only the process that writes the report can add to it (xdist's controller, or the one
    process): a property recorded by a worker is lost."""
    from _pytest.junitxml import xml_key
    from django.db import connection

    report = session.config.stash.get(xml_key, None)
    if report is not None:
        report.add_global_property("database_vendor", connection.vendor)


def redis_url() -> str:
    """The Redis database of this worker's cache tests: KODA_TEST_REDIS_URL's (15 unless told),
    counting down one per worker (gw1 gets 14), since Django's RedisCache.clear() empties a whole
    database and workers must not empty each other's."""
    url = os.environ.get("KODA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    server, _, database = url.rpartition("/")
    number = int(_worker.removeprefix("gw")) if _worker else 0
    return f"{server}/{int(database) - number}"


BROWSER = "tests/e2e/"


def pytest_xdist_make_scheduler(config, log):
    """Tests are handed out one at a time in pytest-django's order (the tests that empty the
    database at the end come after every test that needs its content, on each worker), except
    the browser tests: they go together to one worker (one site served, one browser started),
    first, as the longest piece of work."""
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # keep the collection's order

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return BROWSER if nodeid.startswith(BROWSER) else nodeid

        def _assign_work_unit(self, node) -> None:
            if BROWSER in self.workqueue:
                self.workqueue.move_to_end(BROWSER, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)
