"""`gwrkit coverage` and api.coverage: what every stored report has and lacks, and why."""
import csv
import io
import json
import subprocess
import sys

from gwrkit.api import coverage, coverage_frame, ingest
from tests.helpers import report_text

FIVE_YEAR = report_text("韶关市", speaker="李大华").replace(
    "全市经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%以内。",
    "“十五五”时期的主要目标是：地区生产总值年均增长5%左右，到2030年突破2000亿元。")


def build(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(report_text("江门市"), encoding="utf-8")
    (d / "b.txt").write_text(FIVE_YEAR, encoding="utf-8")
    db = tmp_path / "g.db"
    assert ingest([d], db).ok
    return db


def test_coverage_lists_what_each_report_lacks_with_the_reason(tmp_path):
    db = build(tmp_path)
    cov = coverage(db)
    assert cov.totals["reports"] == 2
    assert cov.totals["gdp_target"] == {"found": 1, "missing": 1, "rate": 0.5}
    lacking, = cov.missing
    assert lacking["region"] == "韶关市" and lacking["missing"] == ["targets", "gdp_target"]
    assert lacking["reasons"]["gdp_target"].startswith("the plan part sets five-year goals only")
    assert list(coverage_frame(db)["missing"]) == ["", "targets,gdp_target"]


def test_coverage_command_and_a_read_only_database(tmp_path):
    db = build(tmp_path)
    before = db.read_bytes()
    run = subprocess.run([sys.executable, "-m", "gwrkit", "coverage", "--db", str(db), "--format", "csv"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["region"] for r in rows] == ["韶关市"]
    assert "five-year goals only" in rows[0]["reasons"]
    out = json.loads(subprocess.run([sys.executable, "-m", "gwrkit", "coverage", "--db", str(db), "--all",
                                     "--format", "json"], capture_output=True, text=True).stdout)
    assert out["totals"]["region"]["rate"] == 1.0 and len(out["reports"]) == 2
    assert db.read_bytes() == before          # reading wrote nothing
    missing = subprocess.run([sys.executable, "-m", "gwrkit", "coverage", "--db", str(tmp_path / "none.db")],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "no database" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_read_paths_read_while_an_ingest_holds_the_write_lock(tmp_path):
    import sqlite3

    import pytest

    from gwrkit.api import figures, reports, show

    db = build(tmp_path)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")          # an ingest in progress
    try:
        before = db.read_bytes()
        listed = reports(db)
        assert len(listed) == 2 and show(listed[0]["id"], db)["region"] == listed[0]["region"]
        assert any(f["indicator"] == "gdp" for f in figures(db))
        assert coverage(db).totals["reports"] == 2
        assert db.read_bytes() == before
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with pytest.raises(FileNotFoundError):
        reports(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_coverage_of_a_store_written_by_an_earlier_gwrkit(tmp_path):
    import sqlite3

    db = build(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE reports DROP COLUMN gaps")      # as an earlier gwrkit wrote it
    conn.commit()
    conn.close()
    lacking, = coverage(db).missing
    assert lacking["reasons"]["gdp_target"].startswith("the plan part sets five-year goals only")
    assert lacking["reasons"]["targets"] == lacking["reasons"]["gdp_target"]


def test_coverage_lists_the_pieces_of_a_file_in_their_order(tmp_path):
    from gwrkit.ingest.pieces import StreamOptions
    from tests.unit.test_pieces import compilation

    (tmp_path / "huibian.txt").write_text(compilation(36), encoding="utf-8")
    db = tmp_path / "g.db"
    tiny = StreamOptions(stream_bytes=1000, piece_chars=1200, max_piece_chars=6000, read_chars=700)
    assert ingest([tmp_path / "huibian.txt"], db, stream=tiny).ok
    pieces = [int(r["path"].rsplit("#", 1)[1]) for r in coverage(db).reports]
    assert max(pieces) >= 10 and pieces == sorted(pieces)
