"""The soak's verdict (tests.bench.soak.ledger): a ledger written as the writers write it,
reconciled with rows as tests.bench.soak.check reads them from the database. No database here:
the soak itself (`make bench-soak`) runs the database side."""

from tests.bench.soak.ledger import MARKER, Ledger, new_marker, read, reconcile, totals


def _ledger(tmp_path, writes):
    """Write `writes` [(kind, target, org, outcome, status, pk)] through Ledger; an outcome of
    None is a write cut off before its answer. Returns the markers and `read`'s result."""
    path = tmp_path / "ledger.jsonl"
    ledger, markers = Ledger(path), []
    for kind, target, org, outcome, status, pk in writes:
        marker = new_marker()
        markers.append(marker)
        ledger.sent(kind, marker, user="bench000001", org=org, target=target)
        if outcome is not None:
            ledger.done(marker, outcome, status=status, pk=pk)
    ledger.file.close()
    with open(path, encoding="utf-8") as lines:
        return markers, read(lines)


def _row(kind, marker, pk, target=None, org=None):
    return {"kind": kind, "marker": marker, "pk": pk, "target": target, "org": org}


def test_markers_are_unique_and_carry_no_digits():
    markers = {new_marker() for _ in range(1000)}
    assert len(markers) == 1000
    for marker in markers:
        assert MARKER.fullmatch(marker)
        # A run of 11 digits could be taken for an isikukood and the write refused.
        assert not any(character.isdigit() for character in marker)
    assert MARKER.search(f"Koolibuss hilineb – {marker}.").group() == marker


def test_every_acknowledged_write_stored_once_where_it_was_sent_passes(tmp_path):
    (issue, comment, support, reply), writes = _ledger(
        tmp_path,
        [
            ("issue", None, 7, "ok", 302, 501),
            ("comment", 40, 7, "ok", 302, None),
            ("support", 41, 7, "ok", 302, None),
            ("reply", 3, 7, "ok", 302, 90),
        ],
    )
    rows = [
        _row("issue", issue, 501, org=7),
        _row("comment", comment, 9001, target=40),
        _row("support", support, 77, target=41, org=7),
        _row("reply", reply, 90, target=3),
    ]
    result = reconcile(writes, rows, {"issue": 0, "comment": 0})
    assert result["passed"], result["problems"]
    assert totals(result)["acknowledged"] == totals(result)["verified"] == 4
    assert {kind: counts["verified"] for kind, counts in result["kinds"].items()} == {
        "issue": 1,
        "comment": 1,
        "support": 1,
        "reply": 1,
    }


def test_missing_duplicated_misplaced_and_unsent_rows_fail(tmp_path):
    markers, writes = _ledger(
        tmp_path,
        [
            ("comment", 40, 7, "ok", 302, None),  # not stored
            ("comment", 40, 7, "ok", 302, None),  # stored twice
            ("comment", 40, 7, "ok", 302, None),  # stored on another issue
            ("support", 41, 7, "ok", 302, None),  # stored for another organisation
            ("issue", None, 7, "ok", 302, 501),  # stored under another pk than redirected to
            ("reply", 3, 7, "refused", 400, None),  # refused, yet stored
        ],
    )
    lost, twice, elsewhere, other_org, renumbered, refused = markers
    never_sent = new_marker()
    rows = [
        _row("comment", twice, 1, target=40),
        _row("comment", twice, 2, target=40),
        _row("comment", elsewhere, 3, target=55),
        _row("support", other_org, 4, target=41, org=8),
        _row("issue", renumbered, 502, org=7),
        _row("reply", refused, 5, target=3),
        _row("comment", never_sent, 6, target=40),
    ]
    result = reconcile(writes, rows, {"comment": 2})
    kinds = result["kinds"]
    assert not result["passed"]
    assert kinds["comment"]["missing"] == 1
    assert kinds["comment"]["duplicated"] == 1
    assert kinds["comment"]["misplaced"] == 1
    assert kinds["comment"]["unacknowledged"] == 1
    assert kinds["comment"]["stray"] == 2
    assert kinds["support"]["misplaced"] == 1
    assert kinds["issue"]["misplaced"] == 1
    assert kinds["reply"]["refused_stored"] == 1
    assert totals(result)["verified"] == 0
    problems = "\n".join(result["problems"])
    for marker in (lost, twice, elsewhere, other_org, renumbered, refused, never_sent):
        assert marker in problems


def test_ambiguous_writes_are_reported_not_failed_unless_stored_twice(tmp_path):
    (timed_out, errored, cut_off, twice), writes = _ledger(
        tmp_path,
        [
            ("comment", 40, 7, "timeout", None, None),
            ("support", 41, 7, "error", 502, None),
            ("reply", 3, 7, None, None, None),  # the run stopped before the answer
            ("comment", 40, 7, "timeout", None, None),
        ],
    )
    assert writes[cut_off]["outcome"] == "interrupted"
    rows = [_row("comment", timed_out, 1, target=40)]
    result = reconcile(writes, rows)
    assert result["passed"], result["problems"]
    assert totals(result)["ambiguous"] == 4
    assert totals(result)["ambiguous_stored"] == 1
    assert {(a["marker"], a["stored"]) for a in result["ambiguous"]} == {
        (timed_out, 1),
        (errored, 0),
        (cut_off, 0),
        (twice, 0),
    }

    rows += [_row("comment", twice, 2, target=40), _row("comment", twice, 3, target=40)]
    result = reconcile(writes, rows)
    assert not result["passed"]
    assert result["kinds"]["comment"]["duplicated"] == 1


def test_a_line_cut_off_when_the_run_was_killed_is_skipped(tmp_path):
    (marker,), writes = _ledger(tmp_path, [("comment", 40, 7, "ok", 302, None)])
    path = tmp_path / "ledger.jsonl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '{"event": "sent", "kind": "comm', encoding="utf-8")
    with open(path, encoding="utf-8") as lines:
        assert read(lines) == writes
    assert writes[marker]["outcome"] == "ok"
