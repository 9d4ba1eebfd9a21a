"""Text reuse (gwrkit.analysis.reuse): quality on planted copies, speed on a whole corpus.

    python benchmarks/reuse.py [--corpus DIR | --tarball FILE] [--reports 200] [--plants 300]
                               [--db /work/dbs/lawtext.db] [--ready FILE] [--jobs 2] [--seed 0]
                               [--repeat 2] [--skip-quality] [--skip-speed]

Quality. --reports real reports of distinct governments are taken from the lawtext corpus
(folder = government, file = year; --corpus, else the tarball unpacked to a temporary
folder). --plants times, a real paragraph of >= 80 characters of one report is copied
into another government's report as a new paragraph, with 3-8% of its characters
edited (substituted, deleted or inserted). The copies are ingested into a temporary
database and `reuse` runs on it with its default options. Recall: planted pairs found
among the paragraph pairs. Precision: a detected pair is correct when it is planted or,
checked independently of gwrkit's measure, a near-duplicate by difflib
(SequenceMatcher ratio >= 0.8 on the raw paragraph texts); otherwise it is false.

Speed. `reuse` runs in a fresh process (so its peak RSS is its own) on --db, a store of the
whole corpus, and on random quarter and half subsets of it (copied with SQL), --repeat
times each, interleaved, keeping the fastest (the machine may be shared). The total
is projected to 70,000 reports linearly, and by the growth measured across the three
sizes (time ~ reports^k, fitted per step, each step projected with its own k).
With the default --db, the run waits until --ready (the ingest's `time` output) exists
and is not empty.
"""
from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

SHARED = Path(os.environ.get("GWRKIT_SHARED", HERE.parent.parent / "shared"))
DEFAULT_DB = "/work/dbs/lawtext.db"
TARGET_REPORTS = 70_000
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- quality

def corpus_files(root: Path) -> dict[str, list[Path]]:
    """Government (folder name) -> its report files (named by year)."""
    govs = defaultdict(list)
    for p in sorted(root.rglob("*.md")):
        if re.fullmatch(r"\d{4}", p.stem):
            govs[p.parent.name].append(p)
    return govs


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


def is_paragraph(block: str) -> bool:
    b = block.strip()
    return len(b) >= 80 and "\n" not in b and not b.startswith(("#", "---", "title:", "|"))


def edit(text: str, rng: random.Random, pool: str) -> str:
    """3-8% of the characters substituted, deleted or inserted, at random places."""
    chars = list(text)
    for _ in range(max(1, round(len(text) * rng.uniform(0.03, 0.08)))):
        i, op = rng.randrange(len(chars)), rng.random()
        if op < 0.4:
            chars[i] = rng.choice(pool)
        elif op < 0.7 and len(chars) > 1:
            del chars[i]
        else:
            chars.insert(i, rng.choice(pool))
    return "".join(chars)


def plant(root: Path, out: Path, n_reports: int, n_plants: int, seed: int) -> tuple[list[dict], list[str]]:
    """Write n_reports files (one per government) to ``out`` with n_plants edited copies."""
    rng = random.Random(seed)
    govs = corpus_files(root)
    chosen = rng.sample(sorted(g for g, files in govs.items() if any(int(f.stem) >= 2000 for f in files)),
                        n_reports)
    picked = {g: rng.choice([f for f in govs[g] if int(f.stem) >= 2000]) for g in chosen}
    texts = {g: f.read_text(encoding="utf-8") for g, f in picked.items()}
    pool = "".join(sorted(set(CJK.findall("".join(texts.values())))))
    parts = {g: blocks(t) for g, t in texts.items()}
    inserts = defaultdict(list)
    plants, used = [], set()
    while len(plants) < n_plants:
        src, dst = rng.sample(chosen, 2)
        options = [b.strip() for b in parts[src] if is_paragraph(b) and b.strip() not in used]
        if not options:
            continue
        original = rng.choice(options)
        used.add(original)
        copy = edit(original, rng, pool)
        plants.append({"source": src, "target": dst, "original": original, "copy": copy})
        inserts[dst].append(copy)
    for g, f in picked.items():
        body = list(parts[g])
        for copy in inserts[g]:       # inside the body: between 30% and 90% of its blocks
            body.insert(rng.randint(int(len(body) * 0.3), int(len(body) * 0.9)), copy)
        path = out / g / f.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(body), encoding="utf-8")
    return plants, chosen


def similarity(a: str, b: str, n: int = 5) -> float:
    """gwrkit's verified similarity of two normalised texts (to explain a miss)."""
    import numpy as np

    from gwrkit.analysis.reuse import _covered, ngram_hashes
    ha, hb = ngram_hashes(a, n), ngram_hashes(b, n)
    return (_covered(ha, np.unique(hb), n) + _covered(hb, np.unique(ha), n)) / max(1, len(a) + len(b))


def quality(root: Path, n_reports: int, n_plants: int, jobs: int, seed: int) -> None:
    from gwrkit.analysis.reuse import ReuseOptions, normalize, reuse
    from gwrkit.api import ingest
    from gwrkit.store.db import Reader

    with tempfile.TemporaryDirectory(prefix="reuse-bench-") as tmp:
        tmp = Path(tmp)
        plants, chosen = plant(root, tmp / "in", n_reports, n_plants, seed)
        db = tmp / "q.db"
        t0 = time.perf_counter()
        ingest([tmp / "in"], db, jobs=jobs)
        t_ingest = time.perf_counter() - t0
        result = reuse(db, ReuseOptions(jobs=jobs))
        with Reader(db) as r:
            report_of = defaultdict(list)
            for row in r.conn.execute("SELECT r.id, d.path FROM reports r JOIN documents d ON d.id = r.document_id"):
                report_of[Path(row["path"]).parent.name].append(row["id"])
            raw, norm = {}, {}
            for row in r.conn.execute(
                    "SELECT p.report_id, p.idx, substr(t.text, p.start + 1, p.end - p.start) AS text"
                    " FROM paragraphs p JOIN reports r ON r.id = p.report_id"
                    " JOIN document_texts t ON t.document_id = r.document_id"):
                raw[row[0], row[1]] = row[2]
                norm[row[0], row[1]] = normalize(row[2])

        def rows_with(gov: str, text: str) -> set:
            """The stored paragraphs of gov's report that hold ``text`` (or a part of it)."""
            t = normalize(text)
            return {k for k in norm if k[0] in report_of[gov] and len(norm[k]) >= 20
                    and (t in norm[k] or norm[k] in t)}

        as_target, as_source = defaultdict(set), defaultdict(set)
        lost = 0
        for k, p in enumerate(plants):
            p["target_rows"] = rows_with(p["target"], p["copy"])
            p["source_rows"] = rows_with(p["source"], p["original"])
            if not p["target_rows"] or not p["source_rows"]:
                lost += 1             # the ingest did not keep it as a paragraph of a report
            for row in p["target_rows"]:
                as_target[row].add(k)
            for row in p["source_rows"]:
                as_source[row].add(k)

        found, planted_pairs, natural, false = set(), 0, 0, []
        for pp in result.paragraph_pairs:
            a, b = (pp["report_a"], pp["paragraph_a"]), (pp["report_b"], pp["paragraph_b"])
            hits = (as_target[a] & as_source[b]) | (as_target[b] & as_source[a])
            if hits:
                found |= hits
                planted_pairs += 1
                continue
            ratio = difflib.SequenceMatcher(None, raw[a], raw[b], autojunk=False).ratio()
            if ratio >= 0.8:
                natural += 1
            else:
                false.append((ratio, pp["similarity"], raw[a][:60], raw[b][:60]))
        detected = len(result.paragraph_pairs)
        findable = [k for k, p in enumerate(plants) if p["target_rows"] and p["source_rows"]]
        recall = len(found) / max(1, len(findable))
        precision = (planted_pairs + natural) / max(1, detected)
        print(f"quality: {len(chosen)} reports of {len(chosen)} governments (lawtext, years >= 2000), "
              f"{len(plants)} planted copies with 3-8% of characters edited")
        print(f"  ingest {t_ingest:.1f} s, reuse {result.stats['seconds']:.1f} s "
              f"({result.stats['paragraphs']} paragraphs, {result.stats['candidates']} LSH candidates, "
              f"{result.stats['verified']} verified)")
        print(f"  recall    {recall:.3f}  ({len(found)}/{len(findable)} planted pairs found; "
              f"{lost} plants not stored as a paragraph by the ingest, left out)")
        print(f"  precision {precision:.3f}  ({detected} paragraph pairs detected: {planted_pairs} planted, "
              f"{natural} natural near-duplicates (difflib ratio >= 0.8), {len(false)} false)")
        print(f"  formula families (not paired): {len(result.common)}")
        for k in sorted(set(findable) - found)[:10]:
            p = plants[k]
            sims = [(similarity(norm[t], norm[s]), len(norm[t]), len(norm[s]))
                    for t in p["target_rows"] for s in p["source_rows"]]
            sim, lt, ls = max(sims)
            print(f"  missed: {p['source']} -> {p['target']}: similarity {sim:.2f} of stored paragraphs of "
                  f"{lt} and {ls} characters (the copy {len(normalize(p['copy']))}): {p['original'][:40]}")
        for ratio, sim, a, b in sorted(false)[:10]:
            print(f"  false (difflib {ratio:.2f}, similarity {sim:.2f}): {a} | {b}")


# ---------------------------------------------------------------- speed

def subset_db(src: Path, dst: Path, fraction: float, seed: int) -> None:
    """A random ``fraction`` of the documents of ``src``, with what reuse reads."""
    from gwrkit.store.db import text_encoding

    conn = sqlite3.connect(dst)
    # ATTACH needs one text encoding on both sides: the copy takes the source's
    conn.execute(f"PRAGMA encoding='{text_encoding(sqlite3.connect(f'file:{src}?mode=ro', uri=True))}'")
    conn.execute("ATTACH DATABASE ? AS src", (f"file:{src}?mode=ro",))
    docs = [d for (d,) in conn.execute("SELECT id FROM src.documents ORDER BY id")]
    random.Random(seed).shuffle(docs)
    conn.execute("CREATE TEMP TABLE keep (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO keep VALUES (?)", [(d,) for d in docs[:round(len(docs) * fraction)]])
    for table, key in (("documents", "id"), ("document_texts", "document_id"), ("reports", "document_id")):
        conn.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table} WHERE {key} IN (SELECT id FROM keep)")
    conn.execute("CREATE TABLE paragraphs AS SELECT p.* FROM src.paragraphs p JOIN reports r ON r.id = p.report_id")
    conn.execute("CREATE INDEX paragraphs_report ON paragraphs(report_id)")
    conn.execute("CREATE INDEX reports_document ON reports(document_id)")
    conn.commit()
    conn.close()


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not carried over from the parent
    across exec)."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(db: str, jobs: int) -> None:
    """Run reuse once and print what it took, as JSON (run in a fresh process)."""
    from gwrkit.analysis.reuse import ReuseOptions, reuse
    baseline = peak_rss_mb()
    start = time.perf_counter()
    result = reuse(db, ReuseOptions(jobs=jobs))
    seconds = time.perf_counter() - start
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    print(json.dumps({"reports": n, "seconds": seconds, "stats": result.stats, "pairs": len(result.pairs),
                      "paragraph_pairs": len(result.paragraph_pairs), "common": len(result.common),
                      "rss_mb": peak_rss_mb(), "baseline_mb": baseline,
                      "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def run_child(db: Path, jobs: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(db), "--jobs", str(jobs)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_ready(ready: Path, timeout: float) -> None:
    start = time.time()
    while not (ready.exists() and ready.stat().st_size > 0):
        if time.time() - start > timeout:
            sys.exit(f"{ready} did not appear within {timeout:.0f} s")
        time.sleep(10)
    print(f"ingest of the store ({ready}): " + " ".join(ready.read_text().split()))


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares exponent k of y ~ x^k."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-3)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def speed(db: Path, jobs: int, seed: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="reuse-speed-") as tmp:
        dbs = []
        for fraction in (0.25, 0.5):
            dbs.append(Path(tmp) / f"part{fraction}.db")
            subset_db(db, dbs[-1], fraction, seed)
        dbs.append(db)
        best: list[dict | None] = [None] * len(dbs)
        for _ in range(repeat):          # interleaved, best of: the machine is shared and noisy
            for k, path in enumerate(dbs):
                run = run_child(path, jobs)
                if best[k] is None or run["seconds"] < best[k]["seconds"]:
                    best[k] = run
        runs = best
    load = os.getloadavg()[0]
    print(f"speed: reuse with jobs={jobs} on {db} and random subsets, best of {repeat} (load average {load:.1f} on "
          f"{os.cpu_count()} cores; other work on the machine makes times noisy)")
    print("  reports  paragraphs  candidates  verified  pairs  seconds (sketch / lsh / verify)"
          "  peak RSS MB (main / worker)")
    for r in runs:
        s = r["stats"]
        print(f"  {r['reports']:7d}  {s['paragraphs']:10d}  {s['candidates']:10d}  {s['verified']:8d}  {r['pairs']:5d}"
              f"  {r['seconds']:7.1f} ({s['seconds_sketch']:.1f} / {s['seconds_lsh']:.1f} / {s['seconds_verify']:.1f})"
              f"  {r['rss_mb']:.0f} / {r['worker_rss_mb']:.0f}")
    full, n = runs[-1], [r["reports"] for r in runs]
    scale = TARGET_REPORTS / full["reports"]
    k_total = slope(n, [r["seconds"] for r in runs])
    steps = {}
    for step in ("sketch", "lsh", "estimate", "verify", "pairs"):
        ys = [r["stats"][f"seconds_{step}"] for r in runs]
        steps[step] = (slope(n, ys), full["stats"][f"seconds_{step}"])
    per_step = sum(t * scale ** k for k, t in steps.values())
    k_cand = slope(n, [r["stats"]["candidates"] for r in runs])
    print(f"  whole corpus: {full['reports']} reports in {full['seconds']:.1f} s")
    print(f"  projected to {TARGET_REPORTS:,} reports: linear {full['seconds'] * scale / 60:.0f} min; "
          f"measured growth (time ~ reports^{k_total:.2f}) {full['seconds'] * scale ** k_total / 60:.0f} min; "
          f"per step ({', '.join(f'{s} ^{k:.2f}' for s, (k, _) in steps.items())}) {per_step / 60:.0f} min")
    print(f"  candidates grow as reports^{k_cand:.2f}: about {full['stats']['candidates'] * scale ** k_cand:,.0f} "
          f"at {TARGET_REPORTS:,} reports")
    base = full["baseline_mb"]
    k_main = slope(n, [r["rss_mb"] - base for r in runs])
    nodes = full["stats"]["nodes"] * scale
    index_gb = max(4_000_000, 2 * nodes) * 80 / 1e9      # ReuseOptions.lsh_entries, >= 2 bands; ~80 B each
    print(f"  peak RSS: main {full['rss_mb']:.0f} MB ({base:.0f} MB of it after the imports), largest worker "
          f"{full['worker_rss_mb']:.0f} MB")
    print(f"  memory at {TARGET_REPORTS:,} reports: main {(base + (full['rss_mb'] - base) * scale ** k_main) / 1024:.1f}"
          f" GB by its growth (^{k_main:.2f}), {(base + (full['rss_mb'] - base) * scale) / 1024:.1f} GB linearly;"
          f" a worker's LSH index holds max(lsh_entries, 2 bands x {nodes:,.0f} nodes) keys: about {index_gb:.1f} GB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="an unpacked lawtext corpus (folders of <year>.md)")
    ap.add_argument("--tarball", type=Path, default=SHARED / "corpora" / "lawtext-reports.tar.xz")
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--plants", type=int, default=300)
    ap.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help="a store of the whole corpus")
    ap.add_argument("--ready", type=Path, help="wait for this file to be non-empty (default with the default "
                                               "--db: its folder's ingest.time)")
    ap.add_argument("--wait", type=float, default=7200, help="seconds to wait for --ready")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each size; the fastest counts")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.jobs)
    if not args.skip_quality:
        if args.corpus:
            quality(args.corpus, args.reports, args.plants, args.jobs, args.seed)
        else:
            with tempfile.TemporaryDirectory(prefix="lawtext-") as tmp:
                with tarfile.open(args.tarball) as tar:
                    tar.extractall(tmp, filter="data")
                quality(Path(tmp), args.reports, args.plants, args.jobs, args.seed)
    if not args.skip_speed:
        ready = args.ready or (args.db.parent / "ingest.time" if str(args.db) == DEFAULT_DB else None)
        if ready:
            wait_ready(ready, args.wait)
        speed(args.db, args.jobs, args.seed, args.repeat)


if __name__ == "__main__":
    main()
