"""The store and the command line: idempotence, atomic replacement, bad input."""
import json
import sqlite3
import subprocess
import sys

import pytest

from gwrkit.api import ingest
from tests.helpers import minimal_pdf, report_text


def gwrkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gwrkit", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "jiangmen.txt").write_text(report_text("江门市"), encoding="utf-8")
    (d / "shaoguan.txt").write_text(report_text("韶关市", speaker="李大华"), encoding="gb18030")
    return d


def rows(db, sql):
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchall()


def test_ingest_is_idempotent_and_uses_wal(tmp_path, corpus):
    db = tmp_path / "g.db"
    first = ingest([corpus], db)
    assert [o.status for o in first.outcomes] == ["ingested", "ingested"]
    again = ingest([corpus], db)
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]
    assert rows(db, "SELECT count(*) FROM reports") == [(2,)]
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]


def test_changed_file_replaces_its_rows(tmp_path, corpus):
    db = tmp_path / "g.db"
    ingest([corpus], db)
    (corpus / "jiangmen.txt").write_text(report_text("江门市", speaker="张新"), encoding="utf-8")
    out = ingest([corpus], db)
    assert [o.status for o in out.outcomes] == ["replaced", "unchanged"]
    assert rows(db, "SELECT speaker FROM reports ORDER BY speaker") == [("张新",), ("李大华",)]


def test_a_file_that_turns_bad_keeps_what_was_stored(tmp_path, corpus):
    db = tmp_path / "g.db"
    ingest([corpus], db)
    (corpus / "jiangmen.txt").write_bytes(b"")
    out = ingest([corpus], db)
    assert out.outcomes[0].status == "failed" and out.outcomes[0].reason == "empty file"
    assert rows(db, "SELECT count(*) FROM reports WHERE region='江门市'") == [(1,)]
    assert rows(db, "SELECT reason FROM ingest_errors") == [("empty file",)]


def test_same_content_under_another_name_is_not_stored_twice(tmp_path, corpus):
    db = tmp_path / "g.db"
    ingest([corpus], db)
    (tmp_path / "copy.txt").write_text(report_text("江门市"), encoding="utf-8")
    out = ingest([tmp_path / "copy.txt"], db)
    assert out.outcomes[0].status == "duplicate"


def test_same_content_twice_in_one_batch_is_stored_once_as_a_resumed_run_would(tmp_path):
    """A run killed after the first copy was stored finds the second a duplicate on
    resume; a clean run must store the same."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(report_text("江门市"), encoding="utf-8")
    db = tmp_path / "g.db"
    out = ingest([tmp_path / "a.txt", tmp_path / "b.txt"], db, jobs=2)
    assert [o.status for o in out.outcomes] == ["ingested", "duplicate"]
    assert rows(db, "SELECT count(*) FROM documents") == [(1,)]


def test_cli_batch_with_bad_files_goes_on_and_exits_nonzero(tmp_path, corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "scan.pdf").write_bytes(minimal_pdf(None))
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (corpus / "cut.pdf").write_bytes(minimal_pdf(["Report"])[:200])
    (corpus / "cut.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    db = tmp_path / "g.db"
    res = gwrkit("ingest", corpus, "--db", db, "--no-progress")
    assert res.returncode == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 5
    for name in ("empty.txt", "scan.pdf", "image.txt", "cut.pdf", "cut.docx"):
        line, = [e for e in errors if name in e]
        assert line.count("\n") == 0 and len(line) < 250
    assert "2 ingested" in res.stdout and "5 failed" in res.stdout
    assert rows(db, "SELECT count(*) FROM reports") == [(2,)]


def test_cli_reports_show_and_extract(tmp_path, corpus):
    db = tmp_path / "g.db"
    assert gwrkit("ingest", corpus, "--db", db, "--jobs", "2").returncode == 0
    listing = gwrkit("reports", "--db", db)
    assert "江门市" in listing.stdout and "韶关市" in listing.stdout
    as_json = json.loads(gwrkit("reports", "--db", db, "--format", "json").stdout)
    rid = next(r["id"] for r in as_json if r["region"] == "韶关市")
    shown = gwrkit("show", rid, "--db", db).stdout
    assert "李大华" in shown and "二、2026年工作安排  [tasks]" in shown
    doc = json.loads(gwrkit("extract", corpus / "jiangmen.txt", "--json").stdout)
    r, = doc["reports"]
    for key in ("region", "region_aliases", "province", "level", "delivered_on", "congress_term",
                "congress_session", "speaker", "title_year", "review_year", "plan_year", "begins_with",
                "targets", "actuals"):
        assert key in r
    assert r["begins_with"] == "2026年江门市政府工作"


def test_extract_of_a_bad_file_is_one_line_and_status_1(tmp_path):
    p = tmp_path / "e.txt"
    p.write_bytes(b"")
    res = gwrkit("extract", p, "--json")
    assert res.returncode == 1 and res.stderr.strip() == f"error: {p}: empty file"


def test_cli_figures_and_targets(tmp_path, corpus):
    db = tmp_path / "g.db"
    assert gwrkit("ingest", corpus, "--db", db).returncode == 0
    targets = gwrkit("targets", "--db", db).stdout.splitlines()
    assert "江门市 2026: gdp growth 5% 左右; surveyed_unemployment rate 5.5% 以内" in targets
    rows = json.loads(gwrkit("figures", "--db", db, "--region", "江门", "--headline", "--format", "json").stdout)
    kinds = {(r["indicator"], r["metric"], r["kind"], r["value"]) for r in rows}
    assert ("gdp", "growth", "target", 5.0) in kinds and ("gdp", "growth", "result", 5.2) in kinds
    for r in rows:       # every figure keeps its evidence, and the evidence its place
        assert r["evidence"] and r["section"] and r["end"] > r["start"]
    csv_out = gwrkit("figures", "--db", db, "--indicator", "gdp", "--kind", "target", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,report_id,region") and len(csv_out.splitlines()) == 3


def test_indicator_ids_are_case_insensitive_and_unknown_formats_refused(tmp_path, corpus):
    db = tmp_path / "t.db"
    assert gwrkit("ingest", str(corpus), "--db", str(db)).returncode == 0
    lower = gwrkit("figures", "--db", str(db), "--indicator", "gdp", "--format", "csv")
    upper = gwrkit("figures", "--db", str(db), "--indicator", "GDP", "--format", "csv")
    assert upper.returncode == 0 and upper.stdout == lower.stdout and "gdp" in upper.stdout
    unknown = gwrkit("figures", "--db", str(db), "--indicator", "nonsense")
    assert unknown.returncode == 2 and "unknown indicator 'nonsense'" in unknown.stderr
    for command in ("reports", "figures", "coverage"):
        res = gwrkit(command, "--db", str(db), "--format", "xlsx")
        assert res.returncode == 2 and "'xlsx' is not one of table, csv, json" in res.stderr, command


def test_targets_take_the_filters_and_formats_of_figures(tmp_path):
    import csv
    import io

    from tests.conftest import REPO

    db = tmp_path / "t.db"
    assert gwrkit("ingest", str(REPO / "examples"), "--db", str(db)).returncode == 0
    res = gwrkit("targets", "--db", str(db), "--level", "national", "--year", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert res.returncode == 0 and rows
    assert {r["region"] for r in rows} == {"国务院"} and {r["kind"] for r in rows} == {"target"}
    assert {"gdp", "surveyed_unemployment"} <= {r["indicator"] for r in rows}
    gdp_only = json.loads(gwrkit("targets", "--db", str(db), "--indicator", "GDP", "--format", "json").stdout)
    assert gdp_only and {r["indicator"] for r in gdp_only} == {"gdp"}
    table = gwrkit("targets", "--db", str(db), "--year", "2024").stdout
    assert "国务院 2024: gdp growth 5% 左右" in table and "2021" not in table


def test_a_large_table_shows_a_page_and_says_how_to_get_all(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import gwrkit.cli as cli

    monkeypatch.setattr(cli, "TABLE_MAX", 3)
    from tests.conftest import REPO

    db = tmp_path / "t.db"
    assert ingest([REPO / "examples"], db).ok
    res = CliRunner().invoke(cli.app, ["reports", "--db", str(db)])
    assert res.exit_code == 0
    assert "(showing 3 of" in res.output and "use --format csv or json for all" in res.output
