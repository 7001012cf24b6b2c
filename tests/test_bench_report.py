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
