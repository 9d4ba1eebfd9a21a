"""Ingest speed and memory, measured against cntext's word_count in the same run.

    python benchmarks/ingest.py [--copies 10] [--jobs 2] [--repeat 3] [--peer-python PATH]
                                [--baseline-python PATH]

gwrkit side: whole `gwrkit ingest` processes (start-up, reading, splitting,
metadata, SQLite writes) over N distinct copies of ../shared/corpus (each file
gets trailing blank lines so its sha256 differs), with gwrkit's bytecode written first
as an installed package has it. Peer side: cntext.word_count
(jieba + stop words + Counter) over the texts of one copy, timed after import.
Both sides run --repeat times, interleaved, and the best time of each is compared
(the machines are noisy; interleaving exposes both to the same noise). Prints
characters per second for both and their ratio, and the peak RSS of the ingest
process at 1x and 10x copies (memory should stay flat as input grows).

With --baseline-python (a Python with another gwrkit installed, e.g. a worktree of an
earlier commit), that gwrkit's ingest runs too, interleaved with the others, and the
ratio of the two gwrkits' speeds is printed: "speed does not fall" is measured in one
run, on one machine's noise.

cntext pins numpy<2 and pandas<3, so it lives in its own virtualenv
(benchmarks/.peer-venv, created on first use from PyPI) and runs as a subprocess.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("GWRKIT_SHARED", REPO.parent / "shared"))
PEER_VENV = HERE / ".peer-venv"
PEER_PACKAGES = ["cntext==2.2.1", "ipython"]

PEER_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
texts = json.load(open(sys.argv[1], encoding="utf-8"))
import cntext, jieba
jieba.setLogLevel(60)
jieba.initialize()
start = time.perf_counter()
for t in texts:
    cntext.word_count(t)
elapsed = time.perf_counter() - start
print(json.dumps({"chars": sum(map(len, texts)), "seconds": elapsed}))
"""


def peer_python(path: str | None) -> str:
    if path:
        return path
    py = PEER_VENV / "bin" / "python"
    if not py.exists():
        print("creating the cntext virtualenv (once) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return str(py)


def make_copies(dest: Path, copies: int) -> None:
    corpus = SHARED / "corpus"
    for k in range(copies):
        target = dest / f"copy{k:03d}"
        shutil.copytree(corpus, target)
        for f in target.rglob("*"):
            if f.is_file():
                with open(f, "ab") as fh:
                    fh.write(b"\n" * (k + 1))     # distinct content, same text


def corpus_texts() -> list[str]:
    from gwrkit.api import input_files
    from gwrkit.ingest.readers import read_document

    return [read_document(p).text for p in input_files([SHARED / "corpus"])]


def run_ingest(folder: Path, db: Path, jobs: int, python: str = sys.executable) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system, its workers
    included) of one `gwrkit ingest` process."""
    cmd = [python, "-m", "gwrkit", "ingest", str(folder), "--db", str(db),
           "--jobs", str(jobs), "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"gwrkit ingest failed: {proc.stderr.read().decode()[:500]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def compile_package(python: str) -> None:
    """Write gwrkit's bytecode once, as an installed package has it (pip compiles on
    install; an editable install writes it on first use). Where PYTHONDONTWRITEBYTECODE
    is set, as in some sandboxes, every start would otherwise compile every module again,
    which is start-up a user does not pay."""
    subprocess.run([python, "-c", "import compileall, os, gwrkit; "
                    "compileall.compile_dir(os.path.dirname(gwrkit.__file__), quiet=1)"], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--peer-python", help="a Python that has cntext installed")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side; the best counts")
    ap.add_argument("--baseline-python", help="a Python with an earlier gwrkit, run interleaved to compare")
    args = ap.parse_args()
    if not (SHARED / "corpus").is_dir():
        raise SystemExit(f"no corpus at {SHARED / 'corpus'} (set GWRKIT_SHARED)")

    texts = corpus_texts()
    chars_per_copy = sum(map(len, texts))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        peer_py = peer_python(args.peer_python)
        for python in filter(None, (sys.executable, args.baseline_python)):
            compile_package(python)
        sizes = sorted({1, args.copies, 10})
        for copies in sizes:
            make_copies(tmp / f"in{copies}", copies)
        peer_runs, ours_runs, base_runs, results = [], [], [], {}
        for r in range(args.repeat):
            if args.baseline_python:
                base_runs.append(run_ingest(tmp / f"in{args.copies}", tmp / f"b{args.copies}-{r}.db", args.jobs,
                                            args.baseline_python))
            peer = subprocess.run([peer_py, "-c", PEER_SCRIPT, str(tmp / "texts.json")],
                                  capture_output=True, text=True, check=True)
            peer_runs.append(json.loads(peer.stdout.strip().splitlines()[-1]))
            db = tmp / f"g{args.copies}-{r}.db"
            ours_runs.append(run_ingest(tmp / f"in{args.copies}", db, args.jobs))
        for copies in sizes:        # memory: one run per size
            results[copies] = run_ingest(tmp / f"in{copies}", tmp / f"m{copies}.db", args.jobs)

    peer_stats = min(peer_runs, key=lambda p: p["seconds"])
    peer_rate = peer_stats["chars"] / peer_stats["seconds"]
    seconds = min(s for s, _, _ in ours_runs)
    cpu = min(c for _, _, c in ours_runs)
    ours = chars_per_copy * args.copies / seconds
    print(f"corpus: {len(texts)} files, {chars_per_copy:,} characters per copy")
    peer_times = ", ".join(f"{p['seconds']:.2f}" for p in peer_runs)
    our_times = ", ".join(f"{t:.2f}" for t, _, _ in ours_runs)
    print(f"best of {args.repeat} interleaved runs each")
    print(f"cntext.word_count, 1 copy:          {peer_stats['seconds']:7.2f} s  {peer_rate:12,.0f} chars/s"
          f"  (runs: {peer_times})")
    print(f"gwrkit ingest, {args.copies} copies, {args.jobs} jobs: {seconds:7.2f} s  {ours:12,.0f} chars/s"
          f"  (runs: {our_times})")
    print(f"ratio gwrkit / cntext:             {ours / peer_rate:7.1f}x")
    print(f"gwrkit per CPU second (user+sys):  {cpu:7.2f} s  {chars_per_copy * args.copies / cpu:12,.0f} chars/s"
          "  (workers and any writer thread included)")
    if base_runs:
        base_seconds = min(s for s, _, _ in base_runs)
        base_cpu = min(c for _, _, c in base_runs)
        base = chars_per_copy * args.copies / base_seconds
        base_times = ", ".join(f"{t:.2f}" for t, _, _ in base_runs)
        print(f"baseline gwrkit ({args.baseline_python}): {base_seconds:7.2f} s  {base:12,.0f} chars/s"
              f"  (runs: {base_times})")
        print(f"ratio gwrkit / baseline:           {ours / base:7.2f}x   (baseline / cntext {base / peer_rate:.1f}x)")
        print(f"baseline per CPU second:           {base_cpu:7.2f} s  {chars_per_copy * args.copies / base_cpu:12,.0f}"
              f" chars/s  (ratio {base_cpu / cpu:.2f}x)")
    for copies in sorted(results):
        secs, rss, _ = results[copies]
        print(f"peak RSS, {copies:3d}x copies: {rss / 1024:7.1f} MiB  ({secs:.2f} s)")


if __name__ == "__main__":
    main()
