"""Rates on the public lawtext corpus, graded against what its layout says.

    python benchmarks/lawtext_rates.py [--tarball ../shared/corpora/lawtext-reports.tar.xz]
                                       [--since 2000] [--jobs N] [--misses FILE]

Unpacks the tarball into a temporary folder, ingests it with gwrkit, and checks every
report file of a year >= --since against its path (folder = government, file = year):
a report is found, its government is the folder's, its plan year is the file's year (a
December delivery plans the next), and a headline GDP target is found. gwrkit reads
metadata from the text and front matter only; the path serves only as the grade.

Prints one line of rates and, with --misses, writes every miss with gwrkit's own
reason (from `gwrkit coverage`) to FILE.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

SUFFIX = re.compile(r"(省|市|自治区|自治州|地区|盟|特别行政区)$")
NATIONAL_FOLDER = "政府工作报告-国务院"


def _stem(name: str) -> str:
    name = (name or "").split("（")[0].split("(")[0]
    return SUFFIX.sub("", name)


def same_government(folder: str, region: str | None, level: str | None) -> bool:
    """The grader's rule (as ../shared/tools/coverage.py): names equal or one a prefix
    of the other once the level suffix is stripped; the national folder wants level
    national."""
    if folder == "国务院":
        return level == "national"
    a, b = _stem(folder), _stem(region or "")
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def rates(corpus: Path, db: Path, since: int = 2000) -> dict:
    """Grade the stored corpus ``db`` against the layout of ``corpus``."""
    from gwrkit.api import coverage, figures, reports

    by_path = collections.defaultdict(list)
    for r in reports(db):
        by_path[str(Path(r["path"]).resolve())].append(r)
    with_gdp = {f["report_id"] for f in figures(db, indicator="gdp", kind="target", headline=True)}
    reasons = {r["report_id"]: r["reasons"] for r in coverage(db).reports}
    n = collections.Counter()
    misses = collections.defaultdict(list)
    for f in sorted(corpus.rglob("*.md")):
        m = re.fullmatch(r"(\d{4})\.md", f.name)
        if not m or f.parent.name.startswith("五年") or int(m.group(1)) < since:
            continue
        year = int(m.group(1))
        folder = "国务院" if f.parent.name == NATIONAL_FOLDER else f.parent.name
        rel = str(f.relative_to(corpus))
        n["files"] += 1
        found = by_path.get(str(f.resolve()), [])
        if not found:
            misses["no_report"].append(rel)
            continue
        n["found"] += 1
        r = found[0]
        if same_government(folder, r["region"], r["level"]):
            n["government"] += 1
        else:
            misses["government"].append(f"{rel}\t{r['region']}\t{r['region_method']}")
        december = (r["delivered_on"] or "").startswith(f"{year}-12")
        if r["plan_year"] == year or (december and r["plan_year"] == year + 1):
            n["plan_year"] += 1
        else:
            misses["plan_year"].append(f"{rel}\t{r['plan_year']}\t{reasons.get(r['id'], {}).get('plan_year', '')}")
        if any(x["id"] in with_gdp for x in found):
            n["gdp_target"] += 1
        else:
            misses["gdp_target"].append(f"{rel}\t{reasons.get(r['id'], {}).get('gdp_target', '')}")
    files = n["files"] or 1
    return {"files": n["files"], **{k: n[k] / files for k in ("found", "government", "plan_year", "gdp_target")},
            "misses": dict(misses)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tarball", type=Path, default=HERE.parent.parent / "shared" / "corpora"
                    / "lawtext-reports.tar.xz")
    ap.add_argument("--since", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--misses", type=Path, help="Write every miss, with gwrkit's reason, to this file.")
    args = ap.parse_args(argv)
    if not args.tarball.is_file():
        print(f"error: {args.tarball}: no such tarball", file=sys.stderr)
        return 2
    from gwrkit.api import ingest

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        with tarfile.open(args.tarball) as tar:
            tar.extractall(corpus, filter="data")
        t1 = time.perf_counter()
        result = ingest([corpus], Path(tmp) / "lawtext.db", jobs=args.jobs)
        t2 = time.perf_counter()
        res = rates(corpus, Path(tmp) / "lawtext.db", args.since)
    print(f"unpacked in {t1 - t0:.1f} s; ingested {len(result.outcomes)} files in {t2 - t1:.1f} s "
          f"({len(result.failed)} failed)")
    print(f"{res['files']} report files since {args.since}: report found {res['found']:.3f}, "
          f"government {res['government']:.3f}, plan year {res['plan_year']:.3f}, "
          f"headline GDP target {res['gdp_target']:.3f}")
    if args.misses:
        with open(args.misses, "w", encoding="utf-8") as fh:
            for k, v in res["misses"].items():
                fh.write(f"## {k} ({len(v)})\n" + "\n".join(v) + "\n")
        print(f"misses written to {args.misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
