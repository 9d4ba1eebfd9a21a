"""Kill a real `gwrkit ingest` with SIGKILL and judge what it leaves behind.

Shared by tests/robustness/test_crash.py (a few chosen kill points) and
benchmarks/crash.py (the full run of 20 seeded kills):

- ``make_input`` / ``change_input``: distinct copies of ../shared/corpus, and a
  deterministic change of some of them (the files to be replaced);
- ``start`` / ``kill_when``: an ingest subprocess, killed at a point chosen from the
  progress a reader can see (documents committed) or from the time since it started;
- ``examine_killed`` / ``check_complete``: what a killed store and a finished one must
  satisfy (SQLite and FTS5 integrity, no duplicates, every stored document whole);
- ``snapshot``: what is compared with a clean ingest (counts, per-file rows, search
  results).

Only public behaviour is read: the store's tables as any SQLite reader sees them,
the FTS5 index through its own integrity check, search through gwrkit.api.search,
and the CLI's exit status and summary line.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GWRKIT_SHARED", REPO.parent / "shared"))
SEARCH = "paragraph_texts_fts"
# one trigram phrase, one single character (read from the trigrams it starts), a boolean
QUERIES = ("营商环境", "碳", "数字经济 NOT 数字化")
TABLES = ("documents", "document_parts", "reports", "sections", "paragraphs", "segments", "figures",
          "ingest_errors")
# rows that must be unique in a store: (table, the columns that identify a row)
UNIQUE = (("documents", "path"), ("reports", "document_id, idx"), ("sections", "report_id, idx"),
          ("paragraphs", "report_id, idx"), ("figures", "report_id, idx"), ("document_parts", "document_id, idx"))


def corpus_dir() -> Path | None:
    """../shared/corpus beside the repository ($GWRKIT_SHARED overrides), if present."""
    p = SHARED / "corpus"
    return p if p.is_dir() else None


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))


def make_input(dest: Path, copies: int, corpus: Path) -> Path:
    """``copies`` copies of the corpus under dest/copyNNN, each file followed by k+1
    newlines in copy k so that no two files have the same content (as
    benchmarks/ingest.py make_copies)."""
    for k in range(copies):
        for rel in corpus_files(corpus):
            target = dest / f"copy{k:03d}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((corpus / rel).read_bytes() + b"\n" * (k + 1))
    return dest


def change_input(dest: Path, copies: Iterable[int], corpus: Path) -> dict[str, str]:
    """Change the .md and .csv files of the copies named: each takes the content of the
    next file of its folder and type in the corpus (so its reports, figures and
    paragraphs change, not only its hash), followed by 1000+k newlines (so no two
    files are equal). Other files stay as they are. Returns {resolved path: new sha256}."""
    files = corpus_files(corpus)
    groups: dict[tuple, list[Path]] = {}
    for rel in files:
        if rel.suffix.lower() in (".md", ".csv"):
            groups.setdefault((rel.parent, rel.suffix.lower()), []).append(rel)
    changed = {}
    for k in copies:
        for group in groups.values():
            if len(group) < 2:
                continue
            for i, rel in enumerate(group):
                data = (corpus / group[(i + 1) % len(group)]).read_bytes() + b"\n" * (1000 + k)
                target = dest / f"copy{k:03d}" / rel
                target.write_bytes(data)
                changed[str(target.resolve())] = hashlib.sha256(data).hexdigest()
    return changed


def input_count(dest: Path) -> int:
    return sum(1 for p in dest.rglob("*") if p.is_file() and not p.name.startswith("."))


# -- running and killing -------------------------------------------------------------

def _env() -> dict:
    """The subprocess runs the gwrkit this process imports (a worktree's src, say)."""
    import gwrkit

    src = str(Path(gwrkit.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    return env


@dataclass
class Run:
    """One `gwrkit ingest` subprocess, in a session of its own (its workers with it)."""
    proc: subprocess.Popen
    out: Path
    err: Path
    started: float

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")


def start(folder: Path, db: Path, jobs: int, logs: Path) -> Run:
    """Start `gwrkit ingest FOLDER --db DB --jobs N` (output to files: a pipe nobody
    reads could block it and stall the progress the killer waits for)."""
    logs.mkdir(parents=True, exist_ok=True)
    n = len(list(logs.glob("*.out")))
    out, err = logs / f"{n:03d}.out", logs / f"{n:03d}.err"
    # --search-index: the index is built at the end of the first run and kept in step in
    # every transaction after that, so kills land both before and after it exists
    cmd = [sys.executable, "-m", "gwrkit", "ingest", str(folder), "--db", str(db), "--jobs", str(jobs),
           "--no-progress", "--search-index"]
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen(cmd, stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=_env(),
                                start_new_session=True)
    return Run(proc, out, err, time.monotonic())


def finish(r: Run, timeout: float = 600) -> Run:
    """Wait for a started run to end."""
    try:
        r.proc.wait(timeout=timeout)
    finally:
        _kill_group(r.proc.pid)
    return r


def run(folder: Path, db: Path, jobs: int, logs: Path, timeout: float = 600) -> Run:
    """An ingest run to its end."""
    return finish(start(folder, db, jobs, logs), timeout)


def stored(db: Path, shas: Iterable[str] | None = None) -> int | None:
    """Documents committed in ``db`` as any reader sees them (read-only, never waiting
    for the writer); None while there is no store yet. With ``shas``: only documents
    with one of these contents (the replacements committed so far)."""
    if not db.is_file() or not Path(f"{db}-wal").exists():
        return None                   # the writer has not switched it to WAL yet
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            if shas is None:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            wanted = set(shas)
            return sum(1 for (sha,) in conn.execute("SELECT sha256 FROM documents") if sha in wanted)
        finally:
            conn.close()
    except sqlite3.Error:             # schema not there yet, or busy for a moment
        return None


@dataclass
class Kill:
    landed: bool                      # the process was still running when killed
    seconds: float                    # after its start
    orphans: int = 0                  # processes of its session still alive after it died


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            pids.append(int(stat.parent.name))
    return pids


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_when(r: Run, ready: Callable[[], bool], delay: float = 0.0, poll: float = 0.02,
              orphan_grace: float | None = None, timeout: float = 600) -> Kill:
    """Wait until ``ready()`` holds (or the run ends), ``delay`` seconds more, then SIGKILL
    the ingest process (only it: its workers are left as a crash would leave them).
    With ``orphan_grace``, count the processes of its session still alive that long
    after; then kill them all (cleanup). A run that neither ends nor gets ready within
    ``timeout`` seconds is killed and raises TimeoutError (a hang, not a kill point)."""
    while r.proc.poll() is None and not ready():
        if time.monotonic() - r.started > timeout:
            _kill_group(r.proc.pid)
            r.proc.wait()
            raise TimeoutError(f"the ingest neither ended nor reached the kill point in {timeout:.0f} s")
        time.sleep(poll)
    if delay and r.proc.poll() is None:
        time.sleep(delay)
    landed = r.proc.poll() is None
    if landed:
        os.kill(r.proc.pid, signal.SIGKILL)
    seconds = time.monotonic() - r.started
    r.proc.wait()
    landed = landed and r.proc.returncode == -signal.SIGKILL
    orphans = 0
    if orphan_grace is not None:
        deadline = time.monotonic() + orphan_grace
        while group_members(r.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans = len(group_members(r.proc.pid))
    _kill_group(r.proc.pid)
    return Kill(landed, seconds, orphans)


SUMMARY = re.compile(r"^(\d+) file\(s\): ([^;]*);", re.M)


def summary(stdout: str) -> dict[str, int]:
    """{'files': N, 'ingested': …, 'unchanged': …} from the CLI's summary line."""
    m = SUMMARY.search(stdout)
    if not m:
        return {}
    out = {"files": int(m.group(1))}
    for part in m.group(2).split(","):
        n, status = part.split()
        out[status] = int(n)
    return out


# -- checks ----------------------------------------------------------------------------

def copy_store(db: Path, dest: Path) -> Path:
    """The database file and its WAL copied (the -shm is rebuilt from the WAL): checks
    that write (the FTS5 integrity check) run there, and the killed store stays as
    the crash left it for the resume."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in dest.glob(db.name + "*"):
        f.unlink()
    shutil.copyfile(db, dest / db.name)
    if Path(f"{db}-wal").exists():
        shutil.copyfile(f"{db}-wal", dest / f"{db.name}-wal")
    return dest / db.name


@dataclass
class Checked:
    """What the checks of a store found, by kind (empty lists: all is well), and what it
    holds: documents committed, and how many have one of the new contents."""
    integrity: list[str] = field(default_factory=list)     # SQLite, foreign keys, FTS5
    duplicates: list[str] = field(default_factory=list)
    whole: list[str] = field(default_factory=list)         # documents stored in part or lost
    documents: int = 0
    replaced: int = 0

    @property
    def problems(self) -> list[str]:
        return self.integrity + self.duplicates + self.whole


def _check(conn: sqlite3.Connection, fts_against_content: bool, new_shas: Iterable[str] = ()) -> Checked:
    out = Checked()
    result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        out.integrity.append(f"integrity_check: {result[:5]}")
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        out.integrity.append(f"foreign_key_check: {len(fk)} rows point nowhere, e.g. {tuple(fk[0])}")
    indexed = conn.execute("SELECT 1 FROM meta WHERE key='search_index'").fetchone() is not None
    if indexed or fts_against_content:
        try:
            # rank 1: the index is intact and also equals what its content view holds
            conn.execute(f"INSERT INTO {SEARCH}({SEARCH}, rank) VALUES ('integrity-check', ?)",
                         (int(fts_against_content),))
        except sqlite3.Error as exc:
            out.integrity.append(f"FTS5 integrity-check{' against content' if fts_against_content else ''}: {exc}")
    for table, key in UNIQUE:
        dup = conn.execute(f"SELECT {key}, count(*) FROM {table} GROUP BY {key} HAVING count(*) > 1").fetchall()
        if dup:
            out.duplicates.append(f"{table}: {len(dup)} duplicate ({key}), e.g. {tuple(dup[0])}")
    new = set(new_shas)
    shas = [r[0] for r in conn.execute("SELECT sha256 FROM documents")]
    out.documents, out.replaced = len(shas), sum(s in new for s in shas)
    return out


def examine_killed(db: Path, scratch: Path, root: Path, cleans: Iterable["Snapshot"],
                   new_shas: Iterable[str] = ()) -> Checked:
    """What a killed store must satisfy, checked on a copy: SQLite and the FTS5 index
    internally intact, no row points nowhere, no duplicates, and every document it
    holds whole (as a clean ingest stores that content). The index is compared with
    its content only once the ingest has finished: an indexer may lag behind."""
    if not db.is_file():
        return Checked()              # killed before it created the database
    copy = copy_store(db, scratch)
    conn = sqlite3.connect(copy)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone() or \
                not conn.execute("SELECT 1 FROM meta WHERE key='schema_version'").fetchone():
            # killed while it created the schema: nothing stored, the store is sound
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            return Checked(integrity=[] if result == ["ok"] else [f"integrity_check: {result[:5]}"])
        out = _check(conn, fts_against_content=False, new_shas=new_shas)
    finally:
        conn.close()
    out.whole = whole_documents(copy, root, *cleans)
    return out


def check_complete(db: Path, scratch: Path, new_shas: Iterable[str] = ()) -> Checked:
    """What a finished store must satisfy: the same, and every paragraph indexed."""
    conn = sqlite3.connect(copy_store(db, scratch))
    try:
        return _check(conn, fts_against_content=True, new_shas=new_shas)
    finally:
        conn.close()


def fingerprints(db: Path, root: Path) -> dict[str, tuple]:
    """{path under root: (sha256, reports, figures, paragraphs)} of the stored documents."""
    root = root.resolve()
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT d.path, d.sha256,"
            " (SELECT count(*) FROM reports r WHERE r.document_id = d.id),"
            " (SELECT count(*) FROM figures f JOIN reports r ON r.id = f.report_id WHERE r.document_id = d.id),"
            " (SELECT count(*) FROM paragraphs p JOIN reports r ON r.id = p.report_id WHERE r.document_id = d.id)"
            " FROM documents d").fetchall()
    finally:
        conn.close()
    return {str(Path(p).relative_to(root)): tuple(rest) for p, *rest in rows}


@dataclass
class Snapshot:
    counts: dict[str, int]
    documents: dict[str, tuple]
    hits: dict[str, list[tuple]] = field(default_factory=dict)

    def differences(self, clean: "Snapshot") -> list[str]:
        """What differs from a clean ingest's snapshot, one line each."""
        out = [f"{t}: {self.counts[t]} rows, clean ingest {clean.counts[t]}"
               for t in self.counts if self.counts[t] != clean.counts.get(t)]
        paths = set(self.documents) | set(clean.documents)
        wrong = sorted(p for p in paths if self.documents.get(p) != clean.documents.get(p))
        if wrong:
            p = wrong[0]
            out.append(f"{len(wrong)} file(s) stored otherwise than by a clean ingest, e.g. {p}:"
                       f" {self.documents.get(p)} vs {clean.documents.get(p)}")
        for q in self.hits:
            if self.hits[q] != clean.hits.get(q):
                out.append(f"search {q!r}: {len(self.hits[q])} hits, clean ingest {len(clean.hits.get(q, []))}"
                           f" ({len(set(self.hits[q]) ^ set(clean.hits.get(q, [])))} differ)")
        return out


def snapshot(db: Path, root: Path, queries: Iterable[str] = QUERIES) -> Snapshot:
    """Row counts, per-file fingerprints, and every search hit for ``queries`` (as
    (path under root, paragraph span, match span), sorted)."""
    from gwrkit.api import search

    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()
    root = root.resolve()
    hits = {}
    for q in queries:
        rows = search(q, db, limit=10**9)
        hits[q] = sorted((str(Path(h["path"]).relative_to(root)), h["paragraph_start"], h["paragraph_end"],
                          h["start"], h["end"]) for h in rows)
    return Snapshot(counts, fingerprints(db, root), hits)


def whole_documents(db: Path, root: Path, *cleans: Snapshot) -> list[str]:
    """Every document a killed store holds is whole: its rows are those a clean ingest
    stores for the same content (one of the ``cleans``, matched by sha256)."""
    by_content = {}
    for clean in cleans:
        for path, fp in clean.documents.items():
            by_content[(path, fp[0])] = fp
    problems = []
    for path, fp in fingerprints(db, root).items():
        want = by_content.get((path, fp[0]))
        if want != fp:
            problems.append(f"{path}: stored {fp}, a clean ingest of that content stores {want}")
    return problems[:3] + ([f"... and {len(problems) - 3} more"] if len(problems) > 3 else [])
