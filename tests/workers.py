"""Each pytest-xdist worker gets a KODA_VAR_DIR of its own (as pytest-django gives it a test
database of its own, suffixed _gw0, _gw1 ...), so that no two workers share a file the site
writes. Loaded with `-p tests.workers` (pyproject.toml), before Django's settings are read:
xdist names the worker in the environment before the worker's pytest starts.
"""

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _base = Path(os.environ.get("KODA_VAR_DIR") or Path(__file__).resolve().parents[1] / "var")
    os.environ["KODA_VAR_DIR"] = str(_base / "test-workers" / _worker)


def redis_url() -> str:
    """The Redis database of this worker's cache tests: KODA_TEST_REDIS_URL's (15 unless told),
    counting down one per worker (gw1 gets 14), since Django's RedisCache.clear() empties a whole
    database and workers must not empty each other's."""
    url = os.environ.get("KODA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    server, _, database = url.rpartition("/")
    number = int(_worker.removeprefix("gw")) if _worker else 0
    return f"{server}/{int(database) - number}"


def pytest_xdist_make_scheduler(config, log):
    """Whole files to a worker, so that a module's world is built once, and the browser tests all
    to one, so that one site is served and one browser started; the largest first."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "tests/e2e/" if path.startswith("tests/e2e/") else path

    return Scheduling(config, log)
