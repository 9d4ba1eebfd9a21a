"""Take the README's screenshots of the dashboard (docs/*.png) with Debian's Chromium.

    python docs/screenshots.py DB [--report ID] [--region 河南省]

Serves DB read-only on a free port, opens the report page (a figure clicked, its span
marked) and the scorecard (one government over the years, all provinces in one year),
and writes docs/report.png and docs/scorecard.png.
"""
from __future__ import annotations

import argparse
import socket
import sqlite3
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from gwrkit.web.app import create_app

    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--region", default="河南省")
    ap.add_argument("--report", type=int)
    args = ap.parse_args()
    report = args.report or sqlite3.connect(args.db).execute(
        "SELECT id FROM reports WHERE region = ? ORDER BY plan_year DESC LIMIT 1", (args.region,)).fetchone()[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/reports/{report}")
        page.wait_for_load_state("networkidle")
        page.locator("tr.figrow").first.click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(HERE / "report.png"))
        page.goto(f"{base}/scorecard?indicator=gdp&metric=growth&level=province&region={quote(args.region)}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(HERE / "scorecard.png"), full_page=True)
        browser.close()
    srv.should_exit = True
    print(f"wrote {HERE / 'report.png'} and {HERE / 'scorecard.png'}")


if __name__ == "__main__":
    main()
