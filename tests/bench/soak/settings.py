"""The load benchmark's production-like settings (tests.bench.load.settings: DEBUG off, WhiteNoise,
Redis cache), for the soak test, with the rate limits off."""

import os

# Its own Redis database: the soak adds rows to a copy of the load benchmark's data, and the
# copy's cached fragments must not be served to the load benchmark (database 14), or theirs here.
os.environ.setdefault("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
# Notifications are still rendered, stored in the outbox and delivered (check.py finds the
# outbox empty afterwards), to a backend that drops them: a thousand e-mails printed to the
# console would bury what the server logs.
os.environ.setdefault("EMAIL_URL", "dummymail://")

from tests.bench.load.settings import *  # noqa: E402, F403

# The soak's few writers post far more often than a person would (a comment every few seconds
# for ten minutes, all from 127.0.0.1), so koda.ratelimit would answer 429 within a minute and
# every refusal would count as an error. The limits are measured by tests/security; here they
# are off, explicitly.
KODA_RATE_LIMITS = {}
