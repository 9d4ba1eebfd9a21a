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
import socket
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    import httpx
    import uvicorn

    from benchmarks.search import queries
    from gwrkit.web.app import create_app

    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    rng = random.Random(11)
    ids = [r[0] for r in sqlite3.connect(f"file:{args.db}?mode=ro", uri=True).execute("SELECT id FROM reports")]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
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
    with httpx.Client(base_url=base, timeout=120) as client:
        client.get("/api/reports", params={"limit": 1})
        for name, calls in endpoints.items():
            times = []
            for path, params in calls:
                t = time.perf_counter()
                res = client.get(path, params=params)
                times.append((time.perf_counter() - t) * 1000)
                assert res.status_code < 500, (path, params, res.status_code)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            print(f"  {name:34} n={len(times):4}  p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms"
                  f"  max {times[-1]:8.1f} ms")
    srv.should_exit = True


if __name__ == "__main__":
    main()
