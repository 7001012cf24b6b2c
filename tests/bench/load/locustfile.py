"""One page, as fast as the users can ask for it: `locust -f tests/bench/load/locustfile.py`.

The runner (tests/bench/load/run.py) starts one headless locust per page, naming the page in
BENCH_PAGE_NAME and BENCH_PAGE_URL, and for a member's page the session cookie of a signed-in
member in BENCH_SESSION. No waiting between requests: the number of users is the concurrency.
"""

import os

from locust import FastHttpUser, constant, task


class PageReader(FastHttpUser):
    wait_time = constant(0)
    name = os.environ.get("BENCH_PAGE_NAME", "floor")
    url = os.environ.get("BENCH_PAGE_URL", "/bench/floor/")
    session = os.environ.get("BENCH_SESSION", "")

    @task
    def read(self):
        headers = {"Cookie": f"sessionid={self.session}"} if self.session else {}
        with self.client.get(self.url, name=self.name, headers=headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
