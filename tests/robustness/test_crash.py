"""Crash test (issue 9): a real `gwrkit ingest` killed with SIGKILL, then resumed.

Input: 3 distinct copies of ../shared/corpus (141 files, 2.75 M characters).
Kill points, chosen from the progress a reader sees (documents committed), not
from fixed times, so that a slow or noisy machine moves them but cannot skip them:

1. early: the schema is there and the first batch is being parsed and written,
   nothing of it committed;
2. mid: the resumed run has committed its first batch and is writing the next;
3. replacement: after a full ingest, 129 files change content; the re-ingest is
   killed once its first batch of replacements is committed.

After each kill, on a copy of the store as the crash left it: PRAGMA integrity_check,
foreign keys, the FTS5 index's integrity check, no duplicate documents, reports,
sections, paragraphs or figures, and every stored document whole (its rows are those
a clean ingest stores for that content; during replacement no document is missing).
Resuming (the same command again) exits 0, reads again exactly the files not
committed, and leaves a store whose row counts, per-file rows and search results
equal those of a clean ingest of the same input, with its FTS5 index equal to its
content. Both --jobs 1 and --jobs 2 are run.

(The full run of 20 seeded kills is benchmarks/crash.py.)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from .crash_helpers import (Checked, Snapshot, change_input, check_complete, corpus_dir, examine_killed, finish,
                            group_members, input_count, kill_when, make_input, run, snapshot, start, stored,
                            summary)

COPIES = 3
DELAY = 0.3       # seconds after the progress point: into the batch being written


@pytest.fixture(scope="module")
def corpus() -> Path:
    found = corpus_dir()
    if found is None:
        pytest.skip("../shared/corpus is not present beside the repository (set GWRKIT_SHARED)")
    return found


@dataclass
class Clean:
    base: Snapshot         # a clean ingest of the copies
    changed: Snapshot      # a clean ingest of the copies after change_input


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> Clean:
    """Clean ingests of the input before and after the change, to compare with (both
    at once, one process each)."""
    tmp = tmp_path_factory.mktemp("clean")
    runs = []
    for name, change in (("base", False), ("changed", True)):
        folder = make_input(tmp / name, COPIES, corpus)
        if change:
            change_input(folder, range(COPIES), corpus)
        runs.append((folder, tmp / f"{name}.db", start(folder, tmp / f"{name}.db", 1, tmp / "logs")))
    snaps = []
    for folder, db, r in runs:
        assert finish(r).proc.returncode == 0, r.stderr()[-2000:]
        snaps.append(snapshot(db, folder))
    return Clean(*snaps)


def killed(db: Path, tmp: Path, folder: Path, clean: Clean, kill, new_shas=()) -> Checked:
    """The kill landed while the ingest ran; the store it left passes every check."""
    assert kill.landed, "the ingest ended before the kill point (nothing was tested)"
    k = examine_killed(db, tmp / "scratch", folder, (clean.base, clean.changed), new_shas)
    assert not k.problems, "\n".join(k.problems)
    return k


def resumed(folder: Path, db: Path, jobs: int, tmp: Path, expect: dict) -> Snapshot:
    """The same command again exits 0, reads again exactly what was not committed, and
    leaves a complete store."""
    r = run(folder, db, jobs, tmp / "logs")
    assert r.proc.returncode == 0, r.stderr()[-2000:]
    assert "error:" not in r.stderr()
    assert summary(r.stdout()) == {k: v for k, v in expect.items() if v or k == "files"}, r.stdout()
    problems = check_complete(db, tmp / "scratch").problems
    assert not problems, "\n".join(problems)
    return snapshot(db, folder)


@pytest.mark.parametrize("jobs", [1, 2])
def test_killed_ingest_and_reingest_resume_to_what_a_clean_ingest_stores(corpus, clean, tmp_path, jobs):
    """A kill at any point of an ingest or a replacement must leave an intact store that
    the next run completes into exactly what an uninterrupted run stores."""
    folder = make_input(tmp_path / "in", COPIES, corpus)
    n = input_count(folder)
    db = tmp_path / "g.db"

    # 1. early: schema committed, first batch in progress
    r = start(folder, db, jobs, tmp_path / "logs")
    k = killed(db, tmp_path, folder, clean, kill_when(r, lambda: stored(db) is not None, DELAY))
    early = k.documents
    assert early < n

    # 2. mid: the resumed run is killed as soon as it has committed a batch of its own
    # (no delay: with the writes off the parsing path the rest can be committed within
    # DELAY on a fast machine, and the kill would land after the last document)
    r = start(folder, db, jobs, tmp_path / "logs")
    k = killed(db, tmp_path, folder, clean, kill_when(r, lambda: (stored(db) or 0) > early))
    assert early < k.documents < n

    after = resumed(folder, db, jobs, tmp_path, {"files": n, "ingested": n - k.documents, "unchanged": k.documents})
    diffs = after.differences(clean.base)
    assert not diffs, "\n".join(diffs)

    # 3. replacement: files change; the re-ingest is killed after its first batch of them
    new = change_input(folder, range(COPIES), corpus)
    r = start(folder, db, jobs, tmp_path / "logs")
    k = killed(db, tmp_path, folder, clean, kill_when(r, lambda: (stored(db, new.values()) or 0) > 0),
               new.values())
    assert k.documents == n, "a document went missing while being replaced"
    assert 0 < k.replaced < len(new)

    left = len(new) - k.replaced
    after = resumed(folder, db, jobs, tmp_path, {"files": n, "replaced": left, "unchanged": n - left})
    diffs = after.differences(clean.changed)
    assert not diffs, "\n".join(diffs)


def test_resume_after_a_kill_stores_same_content_files_as_a_clean_ingest(corpus, tmp_path):
    """Whether a file whose content is already stored under another name is kept must not
    depend on whether the ingest was interrupted between the two."""
    folder = make_input(tmp_path / "in", 2, corpus)
    first = min(folder.joinpath("copy000").glob("*.txt"))       # read first; the copy is read last
    (folder / "zz").mkdir()
    (folder / "zz" / "same-as-the-first.txt").write_bytes(first.read_bytes())
    ref, db = tmp_path / "clean.db", tmp_path / "g.db"
    reference = start(folder, ref, 1, tmp_path / "logs")          # at the same time
    r = start(folder, db, 1, tmp_path / "logs")
    k = kill_when(r, lambda: (stored(db) or 0) > 0, DELAY)
    assert k.landed, "the ingest ended before the kill point (nothing was tested)"
    assert finish(reference).proc.returncode == 0
    want = snapshot(ref, folder)
    r = run(folder, db, 1, tmp_path / "logs")
    assert r.proc.returncode == 0, r.stderr()[-2000:]
    diffs = snapshot(db, folder).differences(want)
    assert not diffs, "\n".join([r.stdout().strip(), *diffs])


def test_workers_do_not_outlive_a_killed_ingest(corpus, tmp_path):
    """kill -9 of `gwrkit ingest --jobs 2` (the OOM killer, a user) must not leave its
    parsing workers running: they hold memory and the database's files forever."""
    folder = make_input(tmp_path / "in", 2, corpus)
    db = tmp_path / "g.db"
    r = start(folder, db, 2, tmp_path / "logs")
    k = kill_when(r, lambda: stored(db) is not None and len(group_members(r.proc.pid)) > 1, DELAY,
                  orphan_grace=3.0)
    assert k.landed, "the ingest ended before the kill point (nothing was tested)"
    assert k.orphans == 0, f"{k.orphans} worker process(es) still running 3 s after the ingest was killed"
