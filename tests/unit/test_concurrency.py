"""Two writers and a reader on one database at once: both writers finish, the reader
never fails, and the totals and the search index equal those of one clean ingest."""
import sqlite3
import subprocess
import sys
import time

from gwrkit.store.db import SEARCH

from ..helpers import report_text

PLACES = ["江门市", "珠海市", "佛山市", "惠州市", "肇庆市", "汕头市", "韶关市", "湛江市", "茂名市", "梅州市"]


def _folder(root, name, years):
    folder = root / name
    folder.mkdir()
    for place in PLACES:
        for year in years:
            (folder / f"{place}{year}.txt").write_text(
                report_text(place=place, plan=year, review=year - 1, date=f"{year}年1月20日"), encoding="utf-8")
    return folder


def _writer(folder, db):
    return subprocess.Popen([sys.executable, "-m", "gwrkit", "ingest", str(folder), "--db", str(db),
                             "--no-progress", "--jobs", "1", "--search-index"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_writers_and_a_reader(tmp_path):
    a = _folder(tmp_path, "a", range(2016, 2021))
    b = _folder(tmp_path, "b", range(2021, 2026))
    db = tmp_path / "shared.db"
    writers = [_writer(a, db), _writer(b, db)]            # both create the database at once
    reads = 0
    while any(w.poll() is None for w in writers):
        res = subprocess.run([sys.executable, "-m", "gwrkit", "reports", "--db", str(db), "--format", "csv"],
                             capture_output=True, text=True)
        assert res.returncode == 0 or "no database" in res.stderr, res.stderr
        reads += 1
        time.sleep(0.2)
    for w in writers:
        out, err = w.communicate()
        assert w.returncode == 0, err[-500:]
        assert "50 ingested" in out
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 100
    assert conn.execute("SELECT count(DISTINCT path) FROM documents").fetchone()[0] == 100
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 100
    conn.execute(f"INSERT INTO {SEARCH}({SEARCH}, rank) VALUES ('integrity-check', 1)")
    clean = tmp_path / "clean.db"
    subprocess.run([sys.executable, "-m", "gwrkit", "ingest", str(a), str(b), "--db", str(clean), "--no-progress",
                    "--search-index"],
                   check=True, capture_output=True)
    other = sqlite3.connect(clean)
    for table in ("reports", "figures", "paragraphs", "sections"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == \
               other.execute(f"SELECT count(*) FROM {table}").fetchone(), table
    hits = f"SELECT count(*) FROM {SEARCH} WHERE {SEARCH} MATCH '\"生产总值\"'"
    assert conn.execute(hits).fetchone() == other.execute(hits).fetchone()
    assert reads >= 1
