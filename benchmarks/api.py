"""Latency of the main API endpoints of `gwrkit serve` on a database (e.g. the whole
lawtext corpus), over HTTP on loopback.

    python benchmarks/api.py DB [--requests 100]

Starts the app with uvicorn on a free port and, for each endpoint, sends --requests
varied requests (random report ids and pages, the seeded query mix of
benchmarks/search.py, scorecards of each indicator and level), printing p50/p95/max.
Scorecards, figures, attention and reuse are cached per database state: the first
request of a kind is cold (computed), the rest warm; both are shown.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    from benchmarks.search import queries
    from gwrkit.web.app import serving

    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    rng = random.Random(11)
    ids = [r[0] for r in sqlite3.connect(f"file:{args.db}?mode=ro", uri=True).execute("SELECT id FROM reports")]
    mix = [q for _, q, _ in queries(args.requests)]
    n = args.requests
    endpoints = {
        "GET /api/reports": [("/api/reports", {"limit": 50, "offset": rng.randrange(0, len(ids))}) for _ in range(n)],
        "GET /api/reports?level=province": [("/api/reports", {"level": "province", "year": rng.randrange(2000, 2026)})
                                            for _ in range(n)],
        "GET /api/reports/{id}": [(f"/api/reports/{rng.choice(ids)}", {}) for _ in range(n)],
        "GET /api/search?q=": [("/api/search", {"q": q, "limit": 20}) for q in mix],
        "GET /api/scorecard (cold)": [("/api/scorecard", {"indicator": ind, "level": lvl})
                                      for ind in ("gdp", "cpi", "fixed_asset_investment", "retail_sales")
                                      for lvl in ("province", "prefecture")],
        "GET /api/scorecard (warm)": [("/api/scorecard", {"indicator": "gdp", "level": "province",
                                                          "offset": rng.randrange(0, 300)}) for _ in range(n)],
        "GET /reports/{id} (page)": [(f"/reports/{rng.choice(ids)}", {}) for _ in range(n)],
        "GET /api/figures (cold, then warm)": [("/api/figures", {"indicator": "gdp", "kind": "target",
                                                                 "offset": rng.randrange(0, 1000)}) for _ in range(n)],
        "GET /api/attention (cold, per topic)": [("/api/attention", {"topic": t, "by": "year,level"})
                                                 for t in ("数字经济", "就业", "房地产")],
        "GET /api/reuse (cold, once)": [("/api/reuse", {"limit": 50})],
        "GET /api/reuse (warm)": [("/api/reuse", {"limit": 50, "offset": rng.randrange(0, 500)}) for _ in range(n)],
    }
    print(f"{args.db}: {len(ids)} reports")
    with serving(args.db) as base:
        measure(base, endpoints)


def measure(base: str, endpoints: dict) -> None:
    """p50/p95/max of each endpoint's requests, in order, over one HTTP client."""
    import httpx

    from benchmarks.search import pct

    with httpx.Client(base_url=base, timeout=120) as client:
        client.get("/api/reports", params={"limit": 1})
        for name, calls in endpoints.items():
            times = []
            for path, params in calls:
                t = time.perf_counter()
                res = client.get(path, params=params)
                times.append((time.perf_counter() - t) * 1000)
                assert res.status_code < 500, (path, params, res.status_code)
            print(f"  {name:34} n={len(times):4}  p50 {statistics.median(times):8.1f} ms"
                  f"  p95 {pct(times, 0.95):8.1f} ms  max {max(times):8.1f} ms")


if __name__ == "__main__":
    main()
