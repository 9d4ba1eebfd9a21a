"""Take the README's screenshots of the dashboard (docs/*.png) with Debian's Chromium.

    python docs/screenshots.py DB [--report ID] [--region 河南省]

Serves DB read-only on a free port, opens the report page (a figure clicked, its span
marked) and the scorecard (one government over the years, all provinces in one year),
and writes docs/report.png and docs/scorecard.png.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from gwrkit.web.app import serving

    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--region", default="河南省")
    ap.add_argument("--report", type=int)
    args = ap.parse_args()
    report = args.report or sqlite3.connect(args.db).execute(
        "SELECT id FROM reports WHERE region = ? ORDER BY plan_year DESC LIMIT 1", (args.region,)).fetchone()[0]
    with serving(args.db) as base, sync_playwright() as p:
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
    print(f"wrote {HERE / 'report.png'} and {HERE / 'scorecard.png'}")


if __name__ == "__main__":
    main()
