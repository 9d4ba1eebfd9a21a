"""National scale: ingest >= 0.5 G characters of distinct lawtext variants, extrapolate to 1.8 G.

    python benchmarks/national.py [--chars 0.5e9] [--corpus DIR|TARBALL] [--work DIR] [--keep]
                                  [--replace 200] [--sample-ms 50] [--json PATH]

Every report of every Chinese government for twenty years is about 70,000 reports, or
1.8 G characters (issue 9). This builds that kind of load from the lawtext corpus
(../shared/corpora/lawtext-reports.tar.xz, 3,004 reports, 52 M characters) and measures
the real CLI on it.

Input. Variant k of the corpus is written to WORK/variant{k:03d}/<government>/<file>.md.
Each file is the original report with a closing line of the kind web copies carry
(source, editor, a note, chosen per file and variant with no numerals in it, so no
figure, date or place can be read from it) and k+1 trailing newlines: every file of
every variant has its own sha256 and its own stored text, while what the parser reads
(government, years, figures) stays that of the original. The run checks this on the
stored rows: every variant's reports must match variant000's. Variants are added until
the total reaches --chars; the last one may hold only part of the files (a seeded
sample). Characters are counted exactly, as the decoded length of each written file.
With --work DIR and --keep, a later run with the same --chars reuses the variants.

Measured, each time on the real CLI in a subprocess (`python -m gwrkit ingest`,
default --jobs, i.e. one worker per core of the CPU affinity):
  1. ingest of all variants into a fresh database: wall time, chars/s, CPU seconds of
     the process tree (wait4), and memory: the process tree (the CLI and all its
     descendants) is sampled every --sample-ms from /proc; the peak of the summed RSS
     (shared pages of forked workers counted once per process, the conservative
     figure), the peak of the summed PSS (shared pages split, what the tree really
     holds), and the largest single process (its VmHWM, exact; wait4's ru_maxrss is
     not used: a child inherits the peak of the process that started it). The CPU
     time is split into the main process (which does all the SQLite writing) and
     the workers (which parse);
  2. database size per million input characters: the file plus -wal after the run,
     and from SQLite's dbstat table the stored texts (document_texts), the search
     index (paragraph_texts_fts*) and everything else, so the size with and without
     the search index is visible;
  3. a no-op re-ingest of the same tree (every file hashed, nothing changed);
  4. replacement at that size: --replace files of variant000 get a changed closing
     line and are ingested again, named as arguments, into the big database and into
     a small one holding variant000 only, twice, interleaved. The time of a no-op
     ingest of the same paths (start-up, hashing) is subtracted; the ratio big/small
     is the test of "replacement cost flat in the size of the database".
Then extrapolates to 1.8 G characters (time linear in characters; size per
character). The CPU the rest of the machine used during the ingest is printed, and
the time is also extrapolated from CPU time, as if nothing else ran: the larger of
the tree's CPU over 2 cores and the main process's CPU (it writes alone). It grades the issue's goals: <= 5 minutes on 2 cores, peak RSS <= 500 MB,
a database no larger per character than before the search index (--size-reference,
3.65 MB per million characters: the database gwrkit made of the lawtext corpus when
issue 9 was filed, at bf4cacc, 191.07 MB for 52,319,075 characters; the issue rounds it
to 3.7). MB = 10^6 bytes throughout.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("GWRKIT_SHARED", REPO.parent / "shared"))
TARBALL = SHARED / "corpora" / "lawtext-reports.tar.xz"

NATIONAL_CHARS = 1.8e9
GOAL_SECONDS = 300.0          # on 2 cores
GOAL_RSS = 500e6
MB = 1e6
MANIFEST = "manifest.json"

# The closing line of a variant: none of these has a numeral, a date, a place or an
# indicator, so it adds a paragraph but nothing the parser reads as metadata or figures.
SOURCES = ["政府门户网站", "人民政府办公厅", "政务公开专栏", "新闻网", "新闻中心", "融媒体中心",
           "档案馆", "政策研究室"]
EDITORS = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "周琳", "吴迪", "徐航", "孙悦", "马骏"]
NOTES = ["文字稿以会议审议通过的版本为准", "本页内容经校对后重新发布", "转载请注明出处",
         "原文有删节", "标点经过重新校订", "如有出入以正式印发文本为准"]
N_TRAILERS = len(SOURCES) * len(EDITORS) * len(NOTES)       # 576
TRAILER_STEP = 365                                           # coprime with 576
REVISIONS = ["更正错别字", "补全标点", "调整段落格式", "规范引号样式"]


# -- variants --------------------------------------------------------------------------
def trailer(rel: str, k: int) -> str:
    """The closing line of variant ``k`` of file ``rel``: distinct for every k < 576."""
    base = int.from_bytes(hashlib.sha256(rel.encode()).digest()[:4], "big")
    i = (base + k * TRAILER_STEP) % N_TRAILERS
    src, rest = divmod(i, len(EDITORS) * len(NOTES))
    ed, note = divmod(rest, len(NOTES))
    return f"（来源：{SOURCES[src]}；责任编辑：{EDITORS[ed]}；{NOTES[note]}。）"


def variant_text(text: str, rel: str, k: int) -> str:
    return text.rstrip("\n") + "\n\n" + trailer(rel, k) + "\n" * (k + 1)


def variant_path(rel: str) -> Path:
    """<government>/<file>: the folder of the report (the national folder is 国务院)."""
    p = Path(rel)
    gov = p.parent.name or "misc"
    return Path(gov.removeprefix("政府工作报告-")) / p.name


def corpus_files(root: Path) -> list[tuple[str, str]]:
    """(relative path, text) of every report file of the corpus (its README is not one)."""
    out = []
    for f in sorted(root.rglob("*.md")):
        rel = f.relative_to(root).as_posix()
        if rel.lower() == "readme.md":
            continue
        out.append((rel, f.read_bytes().decode("utf-8")))
    return out


def build_variants(files: list[tuple[str, str]], dest: Path, chars: float, seed: int = 9) -> dict:
    """Write variants of ``files`` under ``dest`` until they hold >= ``chars`` characters.
    Returns the manifest: characters, files, variants and the files of variant000."""
    per_variant = sum(len(variant_text(t, r, 0)) for r, t in files)
    if not files or per_variant == 0:
        raise SystemExit("the corpus holds no report files")
    total = n = 0
    k = 0
    seen: dict[Path, str] = {}
    for rel, _ in files:
        vp = variant_path(rel)
        if vp in seen:
            raise SystemExit(f"two corpus files map to {vp}: {seen[vp]} and {rel}")
        seen[vp] = rel
    while total < chars:
        chosen = files
        if chars - total < per_variant:          # the last variant: a seeded sample
            order = list(files)
            random.Random(seed + k).shuffle(order)
            chosen, need = [], chars - total
            for rel, text in order:
                if need <= 0:
                    break
                chosen.append((rel, text))
                need -= len(variant_text(text, rel, k))
        vdir = dest / f"variant{k:03d}"
        for rel, text in chosen:
            out = vdir / variant_path(rel)
            out.parent.mkdir(parents=True, exist_ok=True)
            body = variant_text(text, rel, k)
            out.write_text(body, encoding="utf-8", newline="")
            total += len(body)
            n += 1
        k += 1
    return {"chars_target": chars, "chars": total, "files": n, "variants": k,
            "chars_per_variant": per_variant, "files_per_variant": len(files)}


# -- measuring a process tree ---------------------------------------------------------
TICK = os.sysconf("SC_CLK_TCK")


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split(None, 2)[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def tree(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def _stat(pid: int) -> tuple[int, int, float]:
    """RSS and peak RSS so far (VmHWM, bytes), and CPU seconds so far of one process.
    (Not wait4's ru_maxrss: a child started by vfork or fork inherits the peak of the
    process that started it, here this benchmark with the corpus in memory.)"""
    rss = hwm = 0
    with open(f"/proc/{pid}/status", "rb") as fh:
        for line in fh:
            if line.startswith(b"VmHWM:"):
                hwm = int(line.split()[1]) * 1024
            elif line.startswith(b"VmRSS:"):
                rss = int(line.split()[1]) * 1024
                break
    with open(f"/proc/{pid}/stat", "rb") as fh:
        f = fh.read().rsplit(b")", 1)[1].split()
    return rss, hwm, (int(f[11]) + int(f[12])) / TICK


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and all its descendants every ``interval`` until
    stopped; the PSS (costlier to read) every fifth sample; the list of descendants
    (a walk of /proc) every second. Keeps the last CPU time seen of each descendant,
    so that the CPU of the workers and of the main process can be told apart."""

    RESCAN = 1.0
    PSS_EVERY = 5

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.stop = threading.Event()
        self.peak_rss = self.peak_pss = self.peak_single = self.max_procs = self.samples = 0
        self.cpu: dict[int, float] = {}

    def run(self) -> None:
        pids, scanned = [], 0.0
        while not self.stop.is_set():
            if time.monotonic() - scanned > self.RESCAN or not pids:
                pids, scanned = tree(self.pid), time.monotonic()
            with_pss = self.samples % self.PSS_EVERY == 0
            rss = pss = single = n = 0
            for pid in pids:
                try:
                    r, hwm, self.cpu[pid] = _stat(pid)
                except (OSError, IndexError, ValueError):
                    continue
                rss += r
                single = max(single, r, hwm)
                pss += _pss(pid) if with_pss else 0
                n += 1
            if n:
                self.samples += 1
                self.peak_rss, self.peak_single = max(self.peak_rss, rss), max(self.peak_single, single)
                self.max_procs = max(self.max_procs, n)
                if with_pss:
                    self.peak_pss = max(self.peak_pss, pss)
            self.stop.wait(self.interval)


SUMMARY = re.compile(r"^(\d+) file\(s\): (.*?); (\d+) report\(s\) stored")


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy (all processes), from /proc/stat."""
    with open("/proc/stat") as fh:
        f = [int(x) for x in fh.readline().split()[1:]]
    return (sum(f[:8]) - f[3] - f[4]) / os.sysconf("SC_CLK_TCK")


def run_ingest(paths: list[Path], db: Path, log: Path, interval: float) -> dict:
    """One `gwrkit ingest PATHS --db DB` with the default jobs: wall, CPU and memory.
    ``other_cpu_seconds``: what the rest of the machine used meanwhile (noise)."""
    cmd = [sys.executable, "-m", "gwrkit", "ingest", *map(str, paths), "--db", str(db), "--no-progress"]
    busy0 = busy_cpu_seconds()
    with open(log, "ab") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        sampler = TreeSampler(proc.pid, interval)
        sampler.start()
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        sampler.join()
    busy = busy_cpu_seconds() - busy0
    text = out.decode("utf-8", "replace").strip()
    m = SUMMARY.search(text.splitlines()[-1] if text else "")
    if not m:
        tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
        raise SystemExit(f"gwrkit ingest failed (exit {proc.returncode}):\n{text}\n{tail}")
    counts = {k: int(v) for v, k in (c.split(" ", 1) for c in m.group(2).split(", "))}
    return {"seconds": seconds, "exit": proc.returncode, "summary": text.splitlines()[-1],
            "files": int(m.group(1)), "reports": int(m.group(3)), "counts": counts,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "other_cpu_seconds": max(0.0, busy - usage.ru_utime - usage.ru_stime),
            # the tree's sum is at least its largest process's peak (VmHWM), which the
            # samples see even when they missed the moment
            "peak_tree_rss": max(sampler.peak_rss, sampler.peak_single), "peak_tree_pss": sampler.peak_pss,
            "peak_single_rss": sampler.peak_single,
            "max_processes": sampler.max_procs, "samples": sampler.samples,
            # the CPU of the worker processes (last sample), the rest is the main process:
            # reading, hashing, and all SQLite writing
            "workers_cpu_seconds": sum(c for pid, c in sampler.cpu.items() if pid != proc.pid)}


# -- the database ---------------------------------------------------------------------
def db_size(db: Path) -> dict:
    files = {s or "db": (Path(str(db) + s).stat().st_size if Path(str(db) + s).exists() else 0)
             for s in ("", "-wal", "-shm")}
    out = {"file": files["db"], "wal": files["-wal"], "shm": files["-shm"],
           "total": files["db"] + files["-wal"]}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        out["pages"] = conn.execute("PRAGMA page_count").fetchone()[0] * page
        out["free"] = conn.execute("PRAGMA freelist_count").fetchone()[0] * page
        try:
            rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:
            rows = None
    finally:
        conn.close()
    if rows is not None:
        parts = {"texts": 0, "search_index": 0, "other": 0}
        for name, size in rows:
            key = ("texts" if name == "document_texts" else
                   "search_index" if name.startswith("paragraph_texts_fts") else "other")
            parts[key] += size
        out.update(parts)
        out["by_name"] = dict(sorted(rows, key=lambda r: -r[1]))
    return out


def parse_check(db: Path, work: Path) -> dict:
    """Do all variants parse as variant000? Compares, per file, its reports (region,
    level, years, date, figure count) with those of the same file in variant000."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT d.path, r.idx, r.region_code, r.level, r.plan_year, r.review_year, r.delivered_on,"
            " (SELECT count(*) FROM figures f WHERE f.report_id = r.id)"
            " FROM documents d LEFT JOIN reports r ON r.document_id = d.id").fetchall()
    finally:
        conn.close()
    root = str(work.resolve()) + os.sep
    per: dict[tuple[str, str], list] = {}
    for path, *rest in rows:
        if not path.startswith(root):
            continue
        variant, rel = path[len(root):].split(os.sep, 1)
        per.setdefault((variant, rel), []).append(tuple(rest))
    ref = {rel: sorted(v, key=repr) for (variant, rel), v in per.items() if variant == "variant000"}
    compared = differ = 0
    examples = []
    for (variant, rel), v in per.items():
        if variant == "variant000" or rel not in ref:
            continue
        compared += 1
        if sorted(v, key=repr) != ref[rel]:
            differ += 1
            if len(examples) < 5:
                examples.append(f"{variant}/{rel}")
    return {"compared": compared, "differ": differ, "examples": examples}


# -- the run --------------------------------------------------------------------------
def gwrkit_source() -> tuple[str, str]:
    """Where the subprocess imports gwrkit from, and that checkout's commit."""
    where = subprocess.run([sys.executable, "-c", "import gwrkit; print(gwrkit.__file__)"],
                           capture_output=True, text=True).stdout.strip()
    commit = "unknown"
    if where:
        d = Path(where).parent
        head = subprocess.run(["git", "-C", str(d), "rev-parse", "HEAD"], capture_output=True, text=True)
        if head.returncode == 0:
            commit = head.stdout.strip()
            dirty = subprocess.run(["git", "-C", str(d), "status", "--porcelain", "--", "."],
                                   capture_output=True, text=True).stdout.strip()
            commit += " (with uncommitted changes)" if dirty else ""
    return where, commit


def corpus_root(arg: Path | None, work: Path) -> tuple[Path, bool]:
    """The unpacked corpus, and whether this run unpacked it into ``work``."""
    src = arg or TARBALL
    if src.is_dir():
        return src, False
    if not src.is_file():
        raise SystemExit(f"no corpus at {src} (give --corpus, or set GWRKIT_SHARED)")
    dest = work / "lawtext"
    if dest.is_dir():
        shutil.rmtree(dest)
    with tarfile.open(src) as tar:
        tar.extractall(dest, filter="data")
    return dest, True


def _mb(x: float) -> str:
    return f"{x / MB:,.1f} MB"


def _secs(x: float) -> str:
    return f"{x:,.1f} s" if x < 120 else f"{x:,.0f} s ({x / 60:.1f} min)"


def replacement(work: Path, files: list[tuple[str, str]], n: int, big: Path, small: Path,
                log: Path, interval: float) -> dict:
    """Replace the same ``n`` files of variant000 in both databases, twice, interleaved."""
    present = [(rel, text) for rel, text in files if (work / "variant000" / variant_path(rel)).is_file()]
    step = max(1, len(present) // n)
    picked = present[::step][:n]
    paths = [work / "variant000" / variant_path(rel) for rel, _ in picked]
    runs = {"big": [], "small": []}
    noop = {}
    try:
        for db, name in ((big, "big"), (small, "small")):
            noop[name] = run_ingest(paths, db, log, interval)["seconds"]
        for rnd in range(2):                    # big first, then small first
            order = [(big, "big"), (small, "small")][::1 if rnd == 0 else -1]
            for (rel, text), p in zip(picked, paths):
                p.write_text(variant_text(text, rel, 0) + f"（修订说明：{REVISIONS[rnd]}。）\n",
                             encoding="utf-8", newline="")
            for db, name in order:
                res = run_ingest(paths, db, log, interval)
                if res["counts"].get("replaced", 0) != len(paths):
                    raise SystemExit(f"replacement run did not replace every file: {res['summary']}")
                runs[name].append(res["seconds"])
    finally:                                    # leave variant000 as it was built
        for (rel, text), p in zip(picked, paths):
            p.write_text(variant_text(text, rel, 0), encoding="utf-8", newline="")
    out = {"files": len(paths), "noop_seconds": noop}
    for name in runs:
        mean = sum(runs[name]) / len(runs[name])
        out[name] = {"runs": runs[name], "seconds": mean,
                     "per_doc_ms": 1000 * mean / len(paths),
                     "net_per_doc_ms": 1000 * (mean - noop[name]) / len(paths)}
    out["ratio_big_small"] = out["big"]["net_per_doc_ms"] / out["small"]["net_per_doc_ms"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=float, default=0.5e9, help="characters to ingest (default 0.5e9)")
    ap.add_argument("--corpus", type=Path, help=f"unpacked lawtext folder or its tarball (default {TARBALL})")
    ap.add_argument("--work", type=Path, help="work folder (default: a new temporary folder under /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (variants and databases)")
    ap.add_argument("--replace", type=int, default=200, help="documents replaced in the replacement test")
    ap.add_argument("--sample-ms", type=float, default=50, help="memory sampling interval")
    ap.add_argument("--size-reference", type=float, default=3.65,
                    help="MB per million characters before the search index (bf4cacc on lawtext: 3.65)")
    ap.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = ap.parse_args(argv)
    interval = args.sample_ms / 1000

    created = args.work is None or not args.work.exists()
    work = Path(tempfile.mkdtemp(prefix="gwrkit-national-")) if args.work is None else args.work
    work.mkdir(parents=True, exist_ok=True)
    manifest_path = work / MANIFEST
    old = json.loads(manifest_path.read_text()) if manifest_path.is_file() else None
    if not created and old is None and any(work.iterdir()):
        raise SystemExit(f"{work} is not empty and was not made by this benchmark")
    work = work.resolve()
    made: list[Path] = []                 # what this run created inside a work folder it did not
    cpus = len(os.sched_getaffinity(0))
    where, commit = gwrkit_source()
    R: dict = {"cpus": cpus, "gwrkit": where, "commit": commit, "python": sys.version.split()[0],
               "sqlite": sqlite3.sqlite_version, "work": str(work), "loadavg_start": os.getloadavg()}
    print(f"gwrkit {commit}\n  imported from {where}\nCPUs (affinity): {cpus}; Python {R['python']}, "
          f"SQLite {R['sqlite']}; work folder {work}", flush=True)
    try:
        t0 = time.perf_counter()
        root, unpacked = corpus_root(args.corpus, work)
        if unpacked:
            made.append(root)
        files = corpus_files(root)
        if old and old.get("chars_target") == args.chars and old.get("files_per_variant") == len(files):
            manifest = old
            print(f"reusing the variants in {work} ({manifest['files']:,} files)", flush=True)
        else:
            for v in work.glob("variant[0-9][0-9][0-9]"):
                shutil.rmtree(v)
            manifest = build_variants(files, work, args.chars)
            manifest_path.write_text(json.dumps(manifest))
            made += [work / MANIFEST, *sorted(work.glob("variant[0-9][0-9][0-9]"))]
        R["variants"] = {**manifest, "build_seconds": time.perf_counter() - t0}
        print(f"variants: {manifest['variants']} x {manifest['files_per_variant']:,} files "
              f"({manifest['chars_per_variant']:,} chars each) = {manifest['files']:,} files, "
              f"{manifest['chars']:,} characters, built in {R['variants']['build_seconds']:.0f} s", flush=True)
        chars = manifest["chars"]
        variants = sorted(work.glob("variant[0-9][0-9][0-9]"))
        big, small, log = work / "national.db", work / "small.db", work / "ingest-stderr.log"
        for p in (big, small, log):
            for q in (p, Path(str(p) + "-wal"), Path(str(p) + "-shm")):
                q.unlink(missing_ok=True)
        made += [big, small, log]

        print("ingesting everything (default jobs) ...", flush=True)
        ing = run_ingest(variants, big, log, interval)
        ing["chars_per_s"] = chars / ing["seconds"]
        ing["chars_per_cpu_s"] = chars / ing["cpu_seconds"]
        R["ingest"] = ing
        R["stderr_lines"] = sum(1 for _ in open(log, encoding="utf-8", errors="replace"))
        print(f"  {ing['summary']}\n  {_secs(ing['seconds'])}, {ing['chars_per_s']:,.0f} chars/s", flush=True)
        size = db_size(big)
        R["db"] = size
        R["parse_check"] = parse_check(big, work)
        print("no-op re-ingest ...", flush=True)
        R["noop"] = run_ingest(variants, big, log, interval)
        print(f"  {R['noop']['summary']}\n  {_secs(R['noop']['seconds'])}", flush=True)
        print("small database (variant000 only) ...", flush=True)
        sm = run_ingest([work / "variant000"], small, log, interval)
        small_chars = sum(len(p.read_text(encoding="utf-8")) for p in (work / "variant000").rglob("*.md"))
        sm["chars"], sm["chars_per_s"] = small_chars, small_chars / sm["seconds"]
        R["small_ingest"] = sm
        R["small_db"] = db_size(small)
        print(f"  {sm['summary']}\n  {_secs(sm['seconds'])}", flush=True)
        n = min(args.replace, len(files))
        print(f"replacing {n} documents in the big and the small database ...", flush=True)
        R["replacement"] = replacement(work, files, n, big, small, log, interval)
    finally:
        if not args.keep:
            if created:
                shutil.rmtree(work, ignore_errors=True)
            else:
                for p in made:
                    if p.is_dir():
                        shutil.rmtree(p, ignore_errors=True)
                    for q in (p, Path(str(p) + "-wal"), Path(str(p) + "-shm")):
                        if q.is_file():
                            q.unlink()

    # -- extrapolation and report -----------------------------------------------------
    own = resource.getrusage(resource.RUSAGE_SELF)
    R["benchmark_cpu_seconds"] = own.ru_utime + own.ru_stime
    scale = NATIONAL_CHARS / chars
    per_m = size["total"] / (chars / 1e6)
    has_parts = "texts" in size
    no_index = (size["total"] - size["search_index"]) if has_parts else None
    t_national = NATIONAL_CHARS / ing["chars_per_s"]
    main_cpu = ing["cpu_seconds"] - ing["workers_cpu_seconds"]
    t_two = t_national * cpus / 2                 # assumes linear scaling in cores
    rep = R["replacement"]
    ext = {"chars": NATIONAL_CHARS, "ingest_seconds": t_national, "ingest_seconds_2_cores": t_two,
           "db_bytes": size["total"] * scale, "db_bytes_without_search_index": no_index * scale if has_parts else None,
           # with no other load: both cores busy, but never faster than the main process,
           # which writes alone
           "ingest_seconds_2_cores_from_cpu": max(ing["cpu_seconds"] / 2, main_cpu) * scale,
           "noop_seconds": R["noop"]["seconds"] * scale, "peak_tree_rss": ing["peak_tree_rss"],
           "replacement_per_doc_ms": rep["big"]["net_per_doc_ms"]}
    goals = {
        "time": {"goal": f"time <= {GOAL_SECONDS / 60:.0f} min on 2 cores", "value": t_two, "met": t_two <= GOAL_SECONDS},
        "rss": {"goal": f"peak RSS (tree) <= {GOAL_RSS / MB:.0f} MB", "value": ing["peak_tree_rss"],
                "met": ing["peak_tree_rss"] <= GOAL_RSS},
        "size": {"goal": f"DB <= {args.size_reference} MB per M chars (pre-index)",
                 "value": per_m / MB, "met": per_m / MB <= args.size_reference},
    }
    R["extrapolation"], R["goals"] = ext, goals
    R["db_mb_per_million_chars"] = {"total": per_m / MB}
    if has_parts:
        R["db_mb_per_million_chars"].update(
            {k: size[k] / (chars / 1e6) / MB for k in ("texts", "search_index", "other")})
        R["db_mb_per_million_chars"]["without_search_index"] = no_index / (chars / 1e6) / MB

    rows = [("input", f"{manifest['files']:,} files, {chars:,} chars ({manifest['variants']} variants)"),
            ("CPUs (affinity)", f"{cpus}"),
            ("ingest wall", _secs(ing["seconds"])),
            ("chars/s", f"{ing['chars_per_s']:,.0f}  ({ing['chars_per_s'] / cpus:,.0f} per core)"),
            ("CPU seconds (tree)", f"{ing['cpu_seconds']:,.1f}  ({ing['chars_per_cpu_s']:,.0f} chars per CPU s,"
                                   f" {ing['cpu_seconds'] / ing['seconds'] / cpus:.0%} of {cpus} cores)"),
            ("  main process / workers", f"{main_cpu:,.1f} / {ing['workers_cpu_seconds']:,.1f} CPU s (the main"
                                         f" process does all the SQLite writing: at most"
                                         f" {chars / main_cpu:,.0f} chars/s however many cores)"),
            ("other processes' CPU", f"{ing['other_cpu_seconds']:,.1f} s during the ingest "
                                     f"({ing['other_cpu_seconds'] / ing['seconds'] / cpus:.0%} of {cpus} cores;"
                                     f" load average {R['loadavg_start'][0]:.2f} at the start)"),
            ("peak RSS, tree (sum)", f"{_mb(ing['peak_tree_rss'])}  (PSS {_mb(ing['peak_tree_pss'])}, "
                                     f"{ing['max_processes']} processes, {ing['samples']} samples)"),
            ("peak RSS, one process", _mb(ing["peak_single_rss"])),
            ("peak RSS, small db", f"{_mb(sm['peak_tree_rss'])} tree, {_mb(sm['peak_single_rss'])} one process "
                                   f"({sm['chars']:,} chars)"),
            ("stored", f"{ing['reports']:,} reports; {ing['summary'].split(': ', 1)[1].split(';')[0]}"),
            ("DB size", f"{_mb(size['total'])} (file {_mb(size['file'])} + wal {_mb(size['wal'])})"),
            ("DB per M chars", f"{per_m / MB:.2f} MB")]
    if has_parts:
        d = R["db_mb_per_million_chars"]
        rows += [("  stored texts", f"{d['texts']:.2f} MB per M chars ({size['texts'] / size['total']:.0%})"),
                 ("  search index", f"{d['search_index']:.2f} MB per M chars ({size['search_index'] / size['total']:.0%})"),
                 ("  everything else", f"{d['other']:.2f} MB per M chars ({size['other'] / size['total']:.0%})"),
                 ("  without search index", f"{d['without_search_index']:.2f} MB per M chars")]
    pc = R["parse_check"]
    rows += [("variants parse alike", (f"{pc['compared'] - pc['differ']:,} of {pc['compared']:,} files as in "
                                       f"variant000" + (f" (differ: {', '.join(pc['examples'])})" if pc["differ"] else ""))
              if pc["compared"] else "(one variant: nothing to compare)"),
             ("no-op re-ingest", f"{_secs(R['noop']['seconds'])}  ({R['noop']['summary'].split(': ', 1)[1].split(';')[0]})"),
             ("small db ingest", f"{_secs(sm['seconds'])}, {sm['chars_per_s']:,.0f} chars/s"),
             (f"replace {rep['files']} docs, big", f"{rep['big']['per_doc_ms']:.1f} ms/doc, "
                                                   f"{rep['big']['net_per_doc_ms']:.1f} net of start-up "
                                                   f"(runs {', '.join(f'{s:.1f}' for s in rep['big']['runs'])} s,"
                                                   f" no-op {rep['noop_seconds']['big']:.1f} s)"),
             (f"replace {rep['files']} docs, small", f"{rep['small']['per_doc_ms']:.1f} ms/doc, "
                                                     f"{rep['small']['net_per_doc_ms']:.1f} net of start-up "
                                                     f"(runs {', '.join(f'{s:.1f}' for s in rep['small']['runs'])} s,"
                                                     f" no-op {rep['noop_seconds']['small']:.1f} s)"),
             ("replacement big / small", f"{rep['ratio_big_small']:.2f}x  (db {chars / sm['chars']:.1f}x larger)")]
    rows += [("— at 1.8 G chars —", ""),
             ("ingest", f"{_secs(t_national)} on {cpus} cores" +
              ("" if cpus == 2 else f"; {_secs(t_two)} on 2 cores (if it scales linearly)")),
             ("ingest, from CPU time", f"{_secs(ext['ingest_seconds_2_cores_from_cpu'])} on 2 cores with no other"
                                       f" load (max of tree CPU / 2 and main-process CPU)"),
             ("DB size", f"{_mb(ext['db_bytes'])}" + (f" ({_mb(ext['db_bytes_without_search_index'])} without"
                                                       f" the search index)" if has_parts else "")),
             ("no-op re-ingest", _secs(ext["noop_seconds"])),
             ("peak RSS", f"as measured: {_mb(ing['peak_tree_rss'])} at {chars / 1e6:,.0f} M chars, "
                          f"{_mb(sm['peak_tree_rss'])} at {sm['chars'] / 1e6:,.0f} M chars")]
    rows += [("— goals —", "")]
    rows += [(g["goal"], ("met" if g["met"] else "NOT met") + ": " +
              (_secs(g["value"]) if k == "time" else _mb(g["value"]) if k == "rss" else f"{g['value']:.2f} MB"))
             for k, g in goals.items()]
    if has_parts:
        d = R["db_mb_per_million_chars"]
        rows.append(("  with / without the index", f"{d['total']:.2f} vs {d['without_search_index']:.2f} MB"
                                                       f" per M chars ({d['total'] / d['without_search_index']:.2f}x)"))
    width = max(len(a) for a, _ in rows)
    print()
    for a, b in rows:
        print(f"{a:<{width}}  {b}" if b else a)
    print(f"(this benchmark's own CPU, sampling included: {R['benchmark_cpu_seconds']:,.1f} s)")
    if ing["other_cpu_seconds"] > 0.1 * ing["seconds"] * cpus:
        print("NOTE: other processes used the CPUs during the ingest; the times are pessimistic")
    if R["stderr_lines"]:
        print(f"(the first ingest wrote {R['stderr_lines']:,} lines of warnings/errors to stderr)")
    if args.keep:
        print(f"kept: {work}")
    if args.json:
        args.json.write_text(json.dumps(R, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
