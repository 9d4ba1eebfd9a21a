"""Inputs that are not report files get a clear outcome, and none can hang ingest:
FIFOs and devices are refused by type before any read, unsupported files are listed
as skipped with their type, and a file name with a newline stays on one line."""
import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import REPO


def _ingest(folder, db):
    return subprocess.run([sys.executable, "-m", "gwrkit", "ingest", str(folder), "--db", str(db), "--no-progress"],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_special_files_are_refused_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REPO / "examples" / "2024_state_council.md", src)
    os.mkfifo(src / "pipe.txt")                              # reading it would wait forever
    os.symlink("/dev/zero", src / "zero.txt")                # reading it would never end
    res = _ingest(src, tmp_path / "t.db")                    # the timeout fails the test if it hangs
    assert res.returncode == 1
    assert f"error: {src / 'pipe.txt'}: a FIFO, not a regular file: refused without reading it" in res.stderr
    assert f"error: {src / 'zero.txt'}: a character device, not a regular file" in res.stderr
    assert "1 ingested, 2 failed" in res.stdout


def test_unsupported_files_are_listed_as_skipped_with_their_type(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REPO / "examples" / "2024_state_council.md", src)
    for name in ("report.doc", "table.xlsx", "old.wps", "memo.rtf", "feed.xml"):
        (src / name).write_bytes(b"not read")
    res = _ingest(src, tmp_path / "t.db")
    assert res.returncode == 0
    for name, ext in (("report.doc", ".doc"), ("table.xlsx", ".xlsx"), ("old.wps", ".wps"), ("memo.rtf", ".rtf"),
                      ("feed.xml", ".xml")):
        assert f"skipped: {src / name}: unsupported file type ({ext})" in res.stderr
    assert "5 skipped" in res.stdout


def test_a_newline_in_a_file_name_keeps_messages_on_one_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad\nname.txt").write_text("just a line of text", encoding="utf-8")
    res = _ingest(src, tmp_path / "t.db")
    lines = [line for line in res.stderr.splitlines() if "bad" in line]
    assert len(lines) == 1 and "bad\\nname.txt" in lines[0]


def test_a_chinese_file_name_is_printed_as_it_is():
    from gwrkit.cli import _one_line

    assert _one_line("in/2024年　政府工作报告.doc") == "in/2024年　政府工作报告.doc"
    assert _one_line("in/a\nb\tc.txt") == "in/a\\nb\\tc.txt"


def test_a_name_with_bytes_that_are_not_utf8_is_printed_as_the_store_names_it():
    from gwrkit.cli import _one_line
    from gwrkit.store.db import path_key

    gbk = os.fsdecode("/in/".encode() + "报告".encode("gbk") + b"\n.txt")   # a GBK name, and a newline
    assert _one_line(gbk) == "/in/\\xb1\\xa8\\xb8\\xe6\\n.txt"
    assert path_key(gbk).startswith("/in/\\xb1\\xa8\\xb8\\xe6")
    assert _one_line("a\ud800b") == "a\\ud800b"           # a surrogate no file name decodes to


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    from gwrkit.api import input_files

    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    real_walk = os.walk

    def walk(top, onerror=None, **kw):          # as os.walk does for a folder it may not list
        for root, dirs, files in real_walk(top, onerror=onerror, **kw):
            if root.endswith("locked"):
                onerror(PermissionError(13, "Permission denied", root))
                continue
            yield root, dirs, files
    monkeypatch.setattr(os, "walk", walk)
    skipped = []
    assert input_files([src], skipped) == []
    assert skipped == [(str(src / "locked"), "folder cannot be read (Permission denied)")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command, option, what", [("ingest", "--lexicon", "lexicon"), ("attention", "--topics", "topics")])
def test_a_fifo_named_for_an_option_is_refused(tmp_path, command, option, what):
    report, db = REPO / "examples" / "2024_state_council.md", tmp_path / "t.db"
    subprocess.run([sys.executable, "-m", "gwrkit", "ingest", str(report), "--db", str(db)], check=True,
                   capture_output=True)
    os.mkfifo(tmp_path / "pipe.csv")                   # reading it would wait forever
    args = [command] + ([str(report)] if command == "ingest" else [])
    res = subprocess.run([sys.executable, "-m", "gwrkit", *args, "--db", str(db), option, str(tmp_path / "pipe.csv")],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert f"{what} file is a FIFO, not a regular file" in res.stderr
