"""Crash safety of `gwrkit ingest`: SIGKILLs at seeded random points of a fresh ingest
and of a re-ingest that replaces changed files, each followed by checks, a resume, and
a comparison with a clean ingest.

    python benchmarks/crash.py [--kills 20] [--replace-kills 5] [--jobs N] [--copies 3]
                               [--corpus PATH] [--seed 1] [--workdir DIR]

Input: --copies distinct copies of --corpus (default ../shared/corpus, or
$GWRKIT_SHARED/corpus; each file gets trailing newlines so that its sha256 differs, as
in benchmarks/ingest.py). The changed input is the same copies after
tests/robustness/crash_helpers.change_input: every .md and .csv file takes the content
of another, so a re-ingest replaces its reports, figures and paragraphs.

References, each an uninterrupted `gwrkit ingest` with the same --jobs: a clean ingest
of the input; a clean ingest of the changed input; and a re-ingest of the changed input
over a copy of the first, which must store what the second stores. What they store is
what every resumed store must equal, and their durations place the kills.

Kills: --kills minus --replace-kills during a fresh ingest (empty database), then
--replace-kills during a re-ingest of the changed input over a copy of the first
reference. Each kill falls at a seeded random fraction (2-95 %) of the duration of the
same run uninterrupted, so the kills spread over start-up, parsing and the batches of
writes whatever the machine's speed; a run that ends before its kill time is started
again with a new draw (counted as missed). Only the ingest process is killed, as a crash
or the OOM killer would; its workers are left as it leaves them. The point reported is
what a reader sees after the kill: documents committed (for a re-ingest, documents
already replaced), of the total.

After each kill, the table's columns:
- integrity: PRAGMA integrity_check, foreign_key_check and the FTS5 integrity-check on a
  copy of the store as the kill left it; after the resume the same, the FTS5 index also
  compared with its content.
- whole: every document stored at the kill is whole (its rows are those a clean ingest
  stores for that content); during a re-ingest no document is missing.
- resumed: the same command again exits as the clean one did, and its summary line says
  it read again exactly the files that were not committed.
- no dups: no duplicate documents (path), reports (document, idx), sections, paragraphs
  or figures (report, idx), after the kill and after the resume.
- equal: after the resume, the row count of every table, each file's (sha256, reports,
  figures, paragraphs) and every search hit of a few queries equal the clean ingest's.
- left: processes of the killed ingest (its parsing workers) still running 2 s after the
  kill (they are then killed); anything but 0 fails.

Exit status 1 if any check of any kill fails; the failures are printed under the table.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

from tests.robustness.crash_helpers import (QUERIES, Snapshot, change_input, check_complete,  # noqa: E402
                                            corpus_dir, examine_killed, input_count, kill_when, make_input,
                                            run, snapshot, start, summary)

ORPHAN_GRACE = 2.0
COLUMNS = ("integrity", "whole", "resumed", "no dups", "equal", "left")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


@dataclass
class Reference:
    """An uninterrupted run: how long it took, how it ended, what it stored."""
    seconds: float
    returncode: int
    summary: dict
    snapshot: Snapshot


@dataclass
class Row:
    number: int
    phase: str
    seconds: float = 0.0
    point: str = ""
    missed: int = 0
    failures: dict = field(default_factory=dict)       # column -> problems
    left: int = 0

    def cell(self, column: str) -> str:
        if column == "left":
            return str(self.left)
        return "FAIL" if self.failures.get(column) else "ok"


def reference(folder: Path, db: Path, jobs: int, work: Path) -> Reference:
    started = time.monotonic()
    r = run(folder, db, jobs, work / "logs")
    seconds = time.monotonic() - started
    problems = check_complete(db, work / "scratch").problems
    if problems:
        raise SystemExit(f"the uninterrupted ingest into {db} fails the checks: {problems}")
    return Reference(seconds, r.proc.returncode, summary(r.stdout()), snapshot(db, folder))


def copy_db(src: Path, dest: Path) -> None:
    """A fresh copy of a store (the backup API: whatever its WAL holds is included)."""
    for f in dest.parent.glob(dest.name + "*"):
        f.unlink()
    a, b = sqlite3.connect(src), sqlite3.connect(dest)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def clear(db: Path) -> None:
    for f in db.parent.glob(db.name + "*"):
        f.unlink()


def expected_resume(ref: Reference, status: str, done: int) -> dict:
    """The summary of a resume after ``done`` files of ``status`` were committed."""
    want = dict(ref.summary)
    want[status] = want.get(status, 0) - done
    want["unchanged"] = want.get("unchanged", 0) + done
    return {k: v for k, v in want.items() if v or k == "files"}


def one_kill(row: Row, rng: random.Random, folder: Path, db: Path, jobs: int, work: Path, ref: Reference,
             clean: Snapshot, prepare, cleans: tuple, new_shas: set, total: int) -> Row:
    """Kill a run (``ref``: the same run uninterrupted) at a random point, check, resume,
    compare with ``clean``; ``prepare`` sets up the store the run starts from."""
    status = "ingested" if row.phase == "ingest" else "replaced"
    while True:
        prepare()
        at = rng.uniform(0.02, 0.95) * ref.seconds
        r = start(folder, db, jobs, work / "logs")
        kill = kill_when(r, lambda: time.monotonic() - r.started >= at, orphan_grace=ORPHAN_GRACE)
        if kill.landed:
            break
        row.missed += 1
        if row.missed >= 10:
            row.failures["resumed"] = ["every run ended before its kill time"]
            return row
    row.seconds, row.left = kill.seconds, kill.orphans
    if kill.orphans:
        row.failures["left"] = [f"{kill.orphans} process(es) of the killed ingest still running"
                                f" {ORPHAN_GRACE:.0f} s after the kill"]
    k = examine_killed(db, work / "scratch", folder, cleans, new_shas)
    if row.phase == "ingest":
        row.point = f"{k.documents}/{total} stored"
    else:
        row.point = f"{k.replaced}/{len(new_shas)} replaced"
        if k.documents != total:
            k.whole.append(f"{k.documents} documents at the kill, {total} before it")
    done = k.documents if row.phase == "ingest" else k.replaced

    r = run(folder, db, jobs, work / "logs")
    resume = []
    if r.proc.returncode != ref.returncode:
        resume.append(f"exit {r.proc.returncode} (clean ingest {ref.returncode}): {r.stderr()[-300:]}")
    want = expected_resume(ref, status, done)
    if summary(r.stdout()) != want:
        resume.append(f"summary {summary(r.stdout())}, expected {want}")
    after = check_complete(db, work / "scratch", new_shas)
    row.failures.update({"integrity": k.integrity + after.integrity, "whole": k.whole, "resumed": resume,
                         "no dups": k.duplicates + after.duplicates,
                         "equal": snapshot(db, folder).differences(clean)})
    return row


def print_row(row: Row) -> None:
    cells = "".join(f"{row.cell(c):>11}" for c in COLUMNS)
    missed = f"  ({row.missed} missed)" if row.missed else ""
    print(f"{row.number:>4}  {row.phase:<8}{row.seconds:>7.2f}  {row.point:<18}{cells}{missed}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--replace-kills", type=int, help="how many of the kills fall in a re-ingest (default: a quarter)")
    ap.add_argument("--jobs", type=int, default=cores(), help="--jobs of every ingest (default: one per core)")
    ap.add_argument("--copies", type=int, default=3, help="distinct copies of the corpus")
    ap.add_argument("--corpus", type=Path, default=corpus_dir(), help="a folder of reports (default: ../shared/corpus)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="keep inputs, stores and logs here (default: a temporary folder)")
    args = ap.parse_args()
    if args.corpus is None or not args.corpus.is_dir():
        raise SystemExit("no corpus: ../shared/corpus is absent (set GWRKIT_SHARED or pass --corpus)")
    replace_kills = args.kills // 4 if args.replace_kills is None else min(args.replace_kills, args.kills)
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        if args.workdir and work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True, exist_ok=True)
        folder = make_input(work / "in", args.copies, args.corpus.resolve())
        total = input_count(folder)
        db = work / "killed.db"
        base = reference(folder, work / "clean.db", args.jobs, work)
        print(f"input: {args.copies} copies of {args.corpus}, {total} files; --jobs {args.jobs}; seed {args.seed};"
              f" search queries {', '.join(QUERIES)}")
        print(f"clean ingest: {base.seconds:.2f} s, {base.snapshot.counts['documents']} documents,"
              f" {base.snapshot.counts['reports']} reports, {base.snapshot.counts['figures']} figures,"
              f" {base.snapshot.counts['paragraphs']} paragraphs")
        print(f"\n{'kill':>4}  {'phase':<8}{'at (s)':>7}  {'point':<18}" + "".join(f"{c:>11}" for c in COLUMNS))
        rows = []
        for i in range(args.kills - replace_kills):
            rows.append(one_kill(Row(len(rows) + 1, "ingest"), rng, folder, db, args.jobs, work, base,
                                 base.snapshot, lambda: clear(db), (base.snapshot,), set(), total))
            print_row(rows[-1])

        new = set(change_input(folder, range(args.copies), args.corpus.resolve()).values())
        changed = reference(folder, work / "clean-changed.db", args.jobs, work)
        copy_db(work / "clean.db", work / "reingest.db")
        replaced = reference(folder, work / "reingest.db", args.jobs, work)
        same = replaced.snapshot.differences(changed.snapshot)
        for i in range(replace_kills):
            rows.append(one_kill(Row(len(rows) + 1, "replace"), rng, folder, db, args.jobs, work, replaced,
                                 changed.snapshot, lambda: copy_db(work / "clean.db", db), (base.snapshot, changed.snapshot), new,
                                 total))
            print_row(rows[-1])

    print(f"\nre-ingest of the changed input ({len(new)} files changed): {replaced.seconds:.2f} s uninterrupted,"
          f" {'equal to' if not same else 'NOT equal to'} a clean ingest of it")
    failed = [r for r in rows if any(r.failures.values())]
    for c in COLUMNS:
        n = sum(bool(r.failures.get(c)) for r in rows)
        print(f"{c:>10}: {len(rows) - n}/{len(rows)} ok")
    missed = sum(r.missed for r in rows)
    print(f"kills: {len(rows)} ({args.kills - replace_kills} during an ingest, {replace_kills} during a re-ingest);"
          f" {missed} run(s) ended before their kill time and were drawn again")
    seen: dict[tuple, list[int]] = {}          # the same problem after several kills: one line
    for r in failed:
        for c, problems in r.failures.items():
            for p in problems[:3]:
                seen.setdefault((c, p), []).append(r.number)
    for (c, p), kills in seen.items():
        print(f"{c}: {p} (kill{'s' if len(kills) > 1 else ''} {', '.join(map(str, kills))})")
    for p in same:
        print(f"re-ingest: {p}")
    sys.exit(1 if failed or same else 0)


if __name__ == "__main__":
    main()
