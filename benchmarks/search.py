"""Search latency on the lawtext corpus and on N distinct copies of it.

    python benchmarks/search.py [--tarball ../shared/corpora/lawtext-reports.tar.xz | --db BASE.db]
                                [--copies 20] [--queries 240] [--workdir DIR]

1. The base database: the lawtext corpus ingested with gwrkit (or --db, one already built).
2. The scaled database: N copies of the base's documents, reports and paragraphs, each
   copy's text made distinct (every digit shifted by the copy number, so figures,
   years and dates differ while the vocabulary stays that of real reports), and the
   search index rebuilt over all of them.
3. A fixed, seeded mix of queries (one- and two-character terms, dictionary terms of
   the attention topics, phrases, AND / OR / NOT, and the same with filters on level
   and plan years) run through gwrkit.analysis.search.search (limit 20, snippets
   included) on both databases; p50/p95/max per kind of query and overall.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from gwrkit.analysis.attention import load_topics  # noqa: E402
from gwrkit.analysis.search import search  # noqa: E402
from gwrkit.store.db import SEARCH, Store, text_encoding  # noqa: E402

SHORT = ["碳", "氢", "粮", "煤", "稀土", "营商", "民生", "就业", "养老", "医保", "芯片", "算力", "水", "桥", "港",
         "债", "房", "疫", "汛", "旱", "茶", "酒", "桑", "棉", "铁", "钢", "锂", "光伏", "风电", "海洋"]
LEVELS = ["province", "prefecture", "national"]


def queries(n: int, seed: int = 7) -> list[tuple[str, str, dict]]:
    """(kind, query, filters), seeded: a mix of short terms, dictionary terms, phrases,
    boolean queries, and filtered ones."""
    rng = random.Random(seed)
    terms = sorted(t for t, topic in load_topics().terms.items() if topic and len(t) >= 3)
    out = []
    for i in range(n):
        kind = ["short", "term", "term", "boolean", "phrase", "filtered"][i % 6]
        if kind == "short":
            out.append((kind, rng.choice(SHORT), {}))
        elif kind == "term":
            out.append((kind, rng.choice(terms), {}))
        elif kind == "phrase":
            out.append((kind, f'"{rng.choice(terms)}"', {}))
        elif kind == "boolean":
            a, b = rng.sample(terms, 2)
            op = rng.choice(["AND", "OR", "NOT"])
            out.append((kind, f"{a} {op} {b}", {}))
        else:
            year = rng.randrange(2005, 2025)
            out.append((kind, rng.choice(terms + SHORT), {"level": rng.choice(LEVELS), "year_from": year,
                                                          "year_to": year + 4}))
    return out


def shift_digits(text: str, k: int) -> str:
    table = str.maketrans({str(d): str((d + k) % 10) for d in range(10)})
    return text.translate(table)


def scale(base: Path, target: Path, copies: int) -> None:
    """``copies`` distinct copies of the base's searchable tables, indexed."""
    if target.exists():
        target.unlink()
    # ATTACH needs one text encoding on both sides: the copies take the base's
    fresh = sqlite3.connect(target)
    fresh.execute(f"PRAGMA encoding='{text_encoding(sqlite3.connect(base))}'")
    fresh.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    fresh.commit()
    fresh.close()
    with Store(target) as store:
        store.build_search_index()        # empty: filled by the rebuild below
    conn = sqlite3.connect(target, isolation_level=None)
    conn.create_function("shift_digits", 2, shift_digits, deterministic=True)
    conn.execute("ATTACH ? AS base", (str(base),))
    span = conn.execute("SELECT max(id) FROM base.documents").fetchone()[0] + 1
    rspan = conn.execute("SELECT max(id) FROM base.reports").fetchone()[0] + 1
    pspan = conn.execute("SELECT max(id) FROM base.paragraphs").fetchone()[0] + 1
    conn.execute("BEGIN")
    for k in range(copies):
        conn.execute("INSERT INTO documents (id, path, sha256, format, encoding, size, n_parts, pipeline_version,"
                     " ingested_at, warnings) SELECT id + ?, path || '#copy' || ?, sha256 || ?, format, encoding,"
                     " size, n_parts, pipeline_version, ingested_at, warnings FROM base.documents", (k * span, k, k))
        conn.execute("INSERT INTO document_texts SELECT document_id + ?, shift_digits(text, ?) FROM base.document_texts",
                     (k * span, k))
        conn.execute("INSERT INTO reports (id, document_id, idx, start, end, body_start, region, region_code,"
                     " province, level, plan_year, review_year) SELECT id + ?, document_id + ?, idx, start, end,"
                     " body_start, region, region_code, province, level, plan_year, review_year FROM base.reports",
                     (k * rspan, k * span))
        conn.execute("INSERT INTO paragraphs (id, report_id, idx, section_idx, start, end, kind) SELECT id + ?,"
                     " report_id + ?, idx, section_idx, start, end, kind FROM base.paragraphs", (k * pspan, k * rspan))
    conn.execute("COMMIT")
    conn.execute(f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('rebuild')")
    conn.close()


def run(db: Path, mix) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    search(db, "营商环境")                            # warm the page cache once
    for kind, query, filters in mix:
        t = time.perf_counter()
        search(db, query, limit=20, **filters)
        times.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
    times["all"] = [x for k, v in times.items() for x in v]
    return times


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def report(label: str, db: Path, times: dict[str, list[float]]) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    print(f"{label}: {n} reports, {db.stat().st_size / 2**20:.0f} MiB")
    for kind, values in times.items():
        print(f"  {kind:9} n={len(values):4}  p50 {statistics.median(values):7.1f} ms  "
              f"p95 {pct(values, 0.95):7.1f} ms  max {max(values):8.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarball", type=Path, default=HERE.parent.parent / "shared/corpora/lawtext-reports.tar.xz")
    ap.add_argument("--db", type=Path, help="a database of the corpus already built")
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="gwrkit-search-"))
    work.mkdir(parents=True, exist_ok=True)
    base = args.db
    if base is None:
        from gwrkit.api import ingest

        corpus = work / "corpus"
        with tarfile.open(args.tarball) as tar:
            tar.extractall(corpus, filter="data")
        base = work / "base.db"
        t = time.perf_counter()
        ingest([corpus], base, jobs=2, search_index=True)
        print(f"ingested and indexed the corpus in {time.perf_counter() - t:.0f} s")
    mix = queries(args.queries)
    report("whole corpus", base, run(base, mix))
    if args.copies > 1:
        big = work / f"x{args.copies}.db"
        t = time.perf_counter()
        scale(base, big, args.copies)
        print(f"built {args.copies} distinct copies and their index in {time.perf_counter() - t:.0f} s")
        report(f"{args.copies} copies", big, run(big, mix))


if __name__ == "__main__":
    main()
