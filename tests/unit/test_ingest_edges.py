"""Edges a second read of issue 9's change found: the writer thread's shutdown, a twin
whose first copy fails, text SQLite cannot store, UTF-16 byte orders, HTML that libxml2
cannot nest, DOCX archives that are encrypted, and `gwrkit index` on a foreign file."""
import io
import json
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile

import pytest

from gwrkit.api import _InlineWriter, _Writer, ingest
from gwrkit.ingest.readers import InputError, _tags_stripped, decode_bytes, read_docx

from ..helpers import report_text


def test_an_aborted_writer_finishes_the_record_it_writes_and_drops_the_rest():
    started, done = threading.Event(), []

    def slow_store(name):
        started.set()
        time.sleep(0.2)
        done.append(name)

    writer = _Writer(slow_store)
    for name in ("a", "b", "c"):
        writer.put(name)
    started.wait()
    writer.close(abort=True)
    assert done == ["a"]


def test_a_single_job_writes_in_its_own_thread(tmp_path):
    """No writer thread beside a single parsing thread (it would wait on the GIL for
    every SQLite call)."""
    (tmp_path / "r.txt").write_text(report_text(place="江门市"), encoding="utf-8")
    threads = []
    ingest([tmp_path], tmp_path / "g.db", jobs=1, on_file=lambda o: threads.append(threading.current_thread()))
    assert threads == [threading.main_thread()]


def test_the_inline_writer_keeps_a_store_failure_apart_from_a_file_failure():
    def full_disk(record):
        raise sqlite3.OperationalError("database or disk is full")

    writer = _InlineWriter(full_disk)
    with pytest.raises(sqlite3.OperationalError):
        writer.call(full_disk, "piece 1")
    assert isinstance(writer.error, sqlite3.OperationalError)    # the pieces reader re-raises it
    fine = _InlineWriter(print)
    assert fine.ask(len, "abc") == 3 and fine.error is None


def test_finishing_a_file_read_in_pieces_is_all_or_nothing(tmp_path):
    """A Ctrl-C between marking a file's pieces complete and forgetting its old error
    (a single job now writes in the thread that receives it) leaves neither done."""
    from gwrkit.store.db import Store, path_key

    (tmp_path / "r.txt").write_text(report_text(place="江门市"), encoding="utf-8")
    db = tmp_path / "g.db"
    ingest([tmp_path / "r.txt"], db)
    file = path_key(tmp_path / "r.txt")

    class InterruptedBeforeTheDelete:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if sql.startswith("DELETE FROM ingest_errors"):
                raise KeyboardInterrupt
            return self.conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    with Store(db) as store:
        store.record_error(file, "an earlier failure")
        store.commit()
        real, store.conn = store.conn, InterruptedBeforeTheDelete(store.conn)
        with pytest.raises(KeyboardInterrupt):
            store.finish_file(file, 3)
        store.conn = real
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT pieces FROM documents WHERE file=?", (file,)).fetchone() == (None,)
    assert conn.execute("SELECT count(*) FROM ingest_errors WHERE path=?", (file,)).fetchone() == (1,)


def test_ingest_called_while_handling_an_error_stores_everything(tmp_path):
    """The writer learns of an abort from the caller, not from sys.exc_info()."""
    for k in range(12):
        (tmp_path / f"r{k}.txt").write_text(report_text(place="江门市", plan=2010 + k, review=2009 + k),
                                            encoding="utf-8")
    try:
        raise KeyError("an error being handled")
    except KeyError:
        result = ingest([tmp_path], tmp_path / "g.db", jobs=1)
    assert result.count("ingested") == 12
    assert sqlite3.connect(tmp_path / "g.db").execute("SELECT count(*) FROM documents").fetchone() == (12,)


def test_a_twin_whose_first_copy_fails_is_stored(tmp_path):
    """The same bytes as a.json (which fails: not JSON) and as b.txt (a report): b.txt is
    stored, not called a duplicate of a file that was never stored."""
    data = report_text().encode("utf-8")
    (tmp_path / "a.json").write_bytes(data)
    (tmp_path / "b.txt").write_bytes(data)
    result = ingest([tmp_path], tmp_path / "g.db")
    assert [(o.path.rsplit("/", 1)[-1], o.status) for o in result.outcomes] == [("a.json", "failed"),
                                                                                ("b.txt", "ingested")]


def test_a_lone_surrogate_from_a_json_escape_is_replaced_one_for_one(tmp_path):
    text = report_text().replace("建成一批重点项目", "建成一批\\ud800重点项目")
    (tmp_path / "r.json").write_text(json.dumps({"full_text": text}, ensure_ascii=False).replace("\\\\ud800", "\\ud800"),
                                     encoding="utf-8")
    result = ingest([tmp_path], tmp_path / "g.db")
    assert result.count("ingested") == 1
    assert any("surrogate" in w for w in result.outcomes[0].warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_is_read_in_its_own_byte_order(encoding):
    for text in ("Government work report 2026\nGDP grew 5.2%\n", "各位代表：2026年地区生产总值增长5%左右。\n"):
        assert decode_bytes(text.encode(encoding))[:2] == (text, encoding)


def test_binary_that_looks_like_neither_byte_order_stays_binary():
    with pytest.raises(InputError, match="binary file"):
        decode_bytes(bytes(range(256)) * 100)


def test_stripped_html_drops_comments_scripts_and_unclosed_marks():
    assert _tags_stripped("<p>各位代表</p><!-- 隐藏的全文 --><script>var a = 1;</script>今年 &amp; 明年") == "各位代表今年 & 明年"
    assert _tags_stripped("<p>正文</p><script>" * 3) == "正文"
    assert _tags_stripped("正文 < 未闭合") == "正文 < 未闭合"


def test_a_report_hidden_in_an_html_comment_is_not_stored(tmp_path):
    page = f"<html><body><p>本页面内容已下线。</p><!--\n{report_text()}\n--></body></html>"
    (tmp_path / "gone.html").write_text(page, encoding="utf-8")
    result = ingest([tmp_path], tmp_path / "g.db")
    assert sum(o.reports for o in result.outcomes) == 0


def _encrypted_docx() -> bytes:
    """A DOCX whose members carry the 'encrypted' flag (bit 0 of the general flags)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(signature)
        while pos >= 0:
            data[pos + flag_at] |= 1
            pos = data.find(signature, pos + 4)
    return bytes(data)


def test_an_encrypted_docx_says_so():
    with pytest.raises(InputError, match="encrypted DOCX"):
        read_docx(_encrypted_docx())


def test_index_refuses_a_database_that_is_not_gwrkits(tmp_path):
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    res = subprocess.run([sys.executable, "-m", "gwrkit", "index", "--db", str(foreign)], capture_output=True, text=True)
    assert res.returncode == 1 and res.stderr.strip() == f"error: {foreign}: not a gwrkit database (it has no reports table)"
    tables = {r[0] for r in sqlite3.connect(foreign).execute("SELECT name FROM sqlite_master")}
    assert tables == {"t"}                    # nothing written into someone else's file

