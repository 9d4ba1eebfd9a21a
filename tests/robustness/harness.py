"""Runs the real CLI in a child process under a memory limit and a deadline, and reads
back what it did: exit status, output, peak RSS, and the database it wrote."""
from __future__ import annotations

import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..conftest import REPO

SRC = REPO / "src"
AS_LIMIT = 1536 * 2**20      # address space of every process of the run (a normal ingest needs about 100 MB)
RSS_CAP_MB = 500             # the goal: peak RSS of any process of an ingest, for any input

# The child runs the CLI in its own process and, on the way out, writes its own peak
# RSS and the largest peak among the workers it waited for (ru_maxrss of
# RUSAGE_CHILDREN is the largest of them, not a sum), to a file the test names. Its
# own peak is VmHWM, which starts afresh at exec: ru_maxrss of RUSAGE_SELF would keep
# the peak of the forked test process from before the exec.
WRAPPER = """
import json, os, re, resource, runpy, sys
out = os.environ.pop("GWRKIT_TEST_RUSAGE")
sys.argv = ["gwrkit"] + sys.argv[1:]
try:
    runpy.run_module("gwrkit", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as f:
        hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1))
    with open(out, "w") as f:
        json.dump({"self": hwm, "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, f)
"""


@dataclass
class Run:
    args: list
    returncode: int | None
    stdout: str
    stderr: str
    peak_kb: int               # largest peak RSS among the processes of the run
    timed_out: bool = False

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def _session_peaks(sid: int) -> int:
    """Largest VmHWM (peak RSS, kB) among the live processes of session ``sid``."""
    peak = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getsid(int(pid)) != sid:
                continue
            status = Path(f"/proc/{pid}/status").read_text()
        except (OSError, ValueError):
            continue
        m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        peak = max(peak, int(m.group(1)) if m else 0)
    return peak


def run_cli(args: list, timeout: float, cwd: Path | None = None) -> Run:
    """``gwrkit ARGS`` in a new session under the memory limit. On the deadline, the
    peak RSS of the processes still alive is read before the whole session is killed."""
    args = [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args]
    fd, rusage = tempfile.mkstemp(prefix="rusage-", suffix=".json")
    os.close(fd)
    env = dict(os.environ, PYTHONPATH=str(SRC), GWRKIT_TEST_RUSAGE=rusage)
    env.pop("GWRKIT_LEXICON", None)
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=cwd, preexec_fn=_limit_memory, start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
        peak = 0
    except subprocess.TimeoutExpired:
        timed_out = True
        peak = _session_peaks(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    try:
        usage = json.loads(Path(rusage).read_text() or "{}")
        peak = max(peak, usage.get("self", 0), usage.get("children", 0))
    except (OSError, ValueError):
        pass
    finally:
        os.unlink(rusage)
    return Run(args, None if timed_out else proc.returncode, out.decode("utf-8", "backslashreplace"),
               err.decode("utf-8", "backslashreplace"), peak, timed_out)


# --- the database, read-only ----------------------------------------------------------

def connect_ro(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


@dataclass
class Snapshot:
    counts: dict            # rows per table
    documents: dict         # path -> (sha256, format, reports, digest of the figures)
    integrity: str


def snapshot(db: Path) -> Snapshot:
    import hashlib

    con = connect_ro(db)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "reports", "figures", "paragraphs", "ingest_errors")}
        documents = {}
        for d in con.execute("SELECT id, path, sha256, format FROM documents ORDER BY path"):
            reports = tuple(tuple(r) for r in con.execute(
                "SELECT idx, start, end, region, province, level, review_year, plan_year, title FROM reports"
                " WHERE document_id=? ORDER BY idx", (d["id"],)))
            figures = con.execute(
                "SELECT r.idx, f.idx, f.indicator, f.metric, f.value, f.value_high, f.unit, f.modifier, f.kind,"
                " f.year, f.start, f.end FROM figures f JOIN reports r ON r.id=f.report_id"
                " WHERE r.document_id=? ORDER BY r.idx, f.idx", (d["id"],)).fetchall()
            digest = hashlib.sha256(repr([tuple(f) for f in figures]).encode()).hexdigest()
            documents[d["path"]] = (d["sha256"], d["format"], reports, len(figures), digest)
        integrity = con.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        con.close()
    return Snapshot(counts, documents, integrity)


def reports_of(db: Path, path) -> list[sqlite3.Row]:
    """Stored reports of the file at ``path`` (stored under its resolved path; a large
    file in pieces, one document a piece)."""
    con = connect_ro(db)
    try:
        return con.execute("SELECT r.* FROM reports r JOIN documents d ON d.id=r.document_id WHERE d.file=?"
                           " ORDER BY d.piece, r.idx", (str(Path(path).resolve()),)).fetchall()
    finally:
        con.close()


def figures_of(db: Path, path) -> list[sqlite3.Row]:
    con = connect_ro(db)
    try:
        return con.execute("SELECT f.* FROM figures f JOIN reports r ON r.id=f.report_id JOIN documents d"
                           " ON d.id=r.document_id WHERE d.file=? ORDER BY d.piece, r.idx, f.idx",
                           (str(Path(path).resolve()),)).fetchall()
    finally:
        con.close()


SUMMARY = re.compile(r"(?P<files>\d+) file\(s\): (?P<counts>[^;]*); (?P<reports>\d+) report\(s\) stored in (?P<db>.+?)"
                     r"(?:; (?P<skipped>\d+) skipped \(listed above\))?")


def summary(stdout: str) -> dict:
    """The counts of the last line of ``gwrkit ingest``: {ingested: 2, failed: 1, …}."""
    lines = stdout.strip().splitlines()
    m = SUMMARY.fullmatch(lines[-1]) if lines else None
    assert m, f"no summary line in {stdout!r}"
    counts = {}
    for part in filter(None, m.group("counts").split(", ")):
        n, status = part.split(" ", 1)
        counts[status] = int(n)
    if m.group("skipped"):
        counts["skipped"] = int(m.group("skipped"))
    counts["files"] = int(m.group("files"))
    counts["reports"] = int(m.group("reports"))
    return counts
