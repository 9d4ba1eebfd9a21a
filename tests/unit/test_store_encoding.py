"""A new store keeps its text in UTF-16 (CJK takes 2 bytes there, 3 in UTF-8); every
string reads back as it was written, offsets count characters as Python does, and a
store made as UTF-8 by an earlier gwrkit stays UTF-8 and keeps working."""
import sqlite3

from gwrkit.api import figures, ingest, search

from ..helpers import empty_store, report_text

# a character outside the BMP (a surrogate pair in UTF-16) before the report, so that a
# character offset and a UTF-16 code-unit offset would differ from there on
ASTRAL = "𠀀"


def _ingest(tmp_path, db):
    text = f"{ASTRAL}{report_text()}"
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "report.txt").write_text(text, encoding="utf-8")
    result = ingest([tmp_path / "in"], db, search_index=True)
    assert result.ok
    return text


def test_a_new_store_is_utf16_and_reads_back_what_was_written(tmp_path):
    db = tmp_path / "new.db"
    text = _ingest(tmp_path, db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-16be"
    assert conn.execute("SELECT text FROM document_texts").fetchone()[0] == text
    # offsets are characters: SQL's substr and Python's slice agree past the surrogate pair
    for start, end, sql_span in conn.execute(
            "SELECT f.start, f.end, substr(t.text, f.start + 1, f.end - f.start) FROM figures f"
            " JOIN reports r ON r.id = f.report_id JOIN document_texts t ON t.document_id = r.document_id"):
        assert sql_span == text[start:end]
    gdp = [f for f in figures(db) if f["indicator"] == "gdp" and f["kind"] == "target"]
    assert gdp and text[gdp[0]["start"]:gdp[0]["end"]] in gdp[0]["evidence"]
    hits = search("地区生产总值", db)
    assert hits and all(text[h["start"]:h["end"]] == "地区生产总值" for h in hits)


def test_cjk_text_takes_less_room_than_in_utf8(tmp_path):
    sizes = {}
    for encoding in ("UTF-8", "UTF-16be"):
        db = tmp_path / f"{encoding}.db"
        if encoding == "UTF-8":            # a store as an earlier gwrkit made it
            empty_store(db, "UTF-8")
        _ingest(tmp_path, db)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA encoding").fetchone()[0] == encoding     # never converted
        sizes[encoding] = conn.execute("SELECT length(CAST(text AS BLOB)) FROM document_texts").fetchone()[0]
    assert sizes["UTF-16be"] < 0.75 * sizes["UTF-8"], sizes


def test_an_earlier_utf8_store_stays_utf8_and_is_read(tmp_path):
    db = tmp_path / "old.db"
    empty_store(db, "UTF-8")
    text = _ingest(tmp_path, db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"
    assert conn.execute("SELECT text FROM document_texts").fetchone()[0] == text
    assert any(f["indicator"] == "gdp" for f in figures(db))


def test_text_sorts_in_code_point_order_as_in_utf8(tmp_path):
    """SQLite compares text byte by byte: a UTF-16BE store orders Chinese names as a UTF-8
    store and Python do (上海市 中国 云南省 北京市 …), so listings do not depend on which
    gwrkit made the store."""
    from gwrkit.store.db import NEW_STORE_ENCODING

    names = ["北京市", "上海市", "中国", "云南省", "浙江省", "（附件）", "ａ", "z", "１２", "江门市"]
    orders = {}
    for encoding in ("UTF-8", NEW_STORE_ENCODING):
        conn = sqlite3.connect(":memory:")
        conn.execute(f"PRAGMA encoding='{encoding}'")
        conn.execute("CREATE TABLE t (name TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in names])
        orders[encoding] = [n for (n,) in conn.execute("SELECT name FROM t ORDER BY name")]
    assert orders["UTF-8"] == orders[NEW_STORE_ENCODING] == sorted(names)
