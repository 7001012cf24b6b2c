"""The load benchmark's report (tests/bench/load/run.py) survives a page that completed no
request in its window: locust writes "N/A" for its percentiles; the page is reported as failed
and the others are reported as measured."""

from tests.bench.load.run import locust_stats, table

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


def _csv(tmp_path, name, row):
    path = tmp_path / f"{name}_stats.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    return path


def _result(name, stats):
    return {"name": name, "reader": "member", "queries": 5, "floor_ratio": 0.5,
            "worker_peak_rss_mb": [150.0], **stats}  # fmt: skip


def test_a_page_without_a_completed_request_is_reported_failed_and_the_run_goes_on(tmp_path):
    empty = locust_stats(
        _csv(tmp_path, "empty", ",Aggregated,0,12,0,0,0,0,0,0.0,0.8," + ",".join(["N/A"] * 11))
    )
    assert empty["failed"] and empty["p95_ms"] is None and empty["failures"] == 12
    measured = locust_stats(
        _csv(
            tmp_path,
            "ok",
            ",Aggregated,300,0,20,22,5,90,4000,20.0,0.0,20,22,24,25,30,41,50,60,80,90,90",
        )  # fmt: skip
    )
    assert not measured["failed"] and measured["p95_ms"] == 41.0 and measured["rps"] == 20.0
    assert locust_stats(tmp_path / "never-written_stats.csv")["failed"]

    report = table([_result("issue list", empty), _result("thread", measured)])
    assert "| issue list | member | – | – | – |" in report
    assert "**failed**: no request completed (12 failures)" in report
    assert "| thread | member | 20.0 | 20 | 41 |" in report


def test_a_page_that_redirects_is_refused_before_it_is_measured():
    """A member's page answered by a redirect to the sign-in (an expired or foreign session)
    would measure the redirect: the peer's member pages once did."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import pytest

    from tests.bench.load.run import warm_up

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            if self.path == "/forum/" and "sessionid=good" not in self.headers.get("Cookie", ""):
                self.send_response(302)
                self.send_header("Location", "/login/?next=/forum/")
                self.end_headers()
                return
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = {"name": "issue list", "url": "/forum/", "reader": "member"}
    try:
        warm_up(base, page, "good", requests=2)  # the page itself: measured
        with pytest.raises(SystemExit, match="led to .*/login/"):
            warm_up(base, page, "expired", requests=2)
    finally:
        server.shutdown()
