"""A real browser (Debian's Chromium, driven by Playwright) on every page: no console
errors, charts drawn, search finds a phrase, a clicked figure marks its span, and an
XSS payload in a report stays inert. Screenshots go to $GWRKIT_ARTIFACTS (default
test-artifacts/)."""
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from ..conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
ARTIFACTS = Path(os.environ.get("GWRKIT_ARTIFACTS", REPO / "test-artifacts"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
# a chart is drawn: its canvas has painted pixels and its series hold data points
CANVAS_DRAWN = """(sel) => {
    const node = document.querySelector(sel);
    const chart = node && window.echarts && echarts.getInstanceByDom(node);
    if (!chart) return false;
    const points = chart.getOption().series.reduce((n, s) => n + s.data.filter(v => v !== null &&
        (typeof v !== 'object' || v.value !== null)).length, 0);
    return points > 0 && [...node.querySelectorAll('canvas')].some(c => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
      return false; }); }"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type in ("error",) or "gwrkit:" in m.text else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()


def _ids(db):
    return {region: rid for rid, region in sqlite3.connect(db).execute("SELECT id, region FROM reports")}


def _shot(pg, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


PAGES = [("overview", "/", ["#chart-years"]), ("reports", "/reports", []),
         ("scorecard", "/scorecard?indicator=gdp&metric=growth&level=prefecture&region=江门市",
          ["#chart-series", "#chart-grid"]),
         ("attention", "/attention?topic=就业", ["#chart-trend", "#chart-heat"]),
         ("search", "/search?q=营商环境", []), ("reuse", "/reuse", [])]


@pytest.mark.parametrize("name, path, charts", PAGES)
def test_every_page_renders_without_errors_and_draws_its_charts(server, page, name, path, charts):
    res = page.goto(server + path)
    assert res.status == 200
    page.wait_for_load_state("networkidle")
    for sel in charts:
        page.wait_for_function(CANVAS_DRAWN, arg=sel, timeout=10000)
    _shot(page, name)
    assert page.problems == []


def test_report_page_marks_the_clicked_figure(server, page, web_db):
    rid = _ids(web_db)["国务院"]
    page.goto(f"{server}/reports/{rid}")
    page.wait_for_load_state("networkidle")
    row = page.locator("tr.figrow").first
    evidence = row.locator("td").last.inner_text()
    row.click()
    marked = page.locator(".report-text .fig.active")
    assert marked.count() >= 1
    assert "".join(marked.all_inner_texts()) in evidence or evidence in "".join(marked.all_inner_texts())
    assert marked.first.is_visible()
    _shot(page, "report")
    # and the other way: a figure clicked in the text marks its row
    page.locator(".report-text .fig").nth(3).click()
    assert page.locator("tr.figrow.active").count() >= 1
    assert page.problems == []


IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
    const header = document.querySelector('header.top').getBoundingClientRect();
    const box = document.querySelector('#report-text').getBoundingClientRect();
    const top = Math.max(header.bottom, box.top, 0);
    return r.top >= top - 1 && r.bottom <= Math.min(window.innerHeight, box.bottom) + 1; }"""


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_search_finds_a_known_phrase_and_shows_it_in_its_report(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(server + "/search?q=" + "加快建设现代化产业体系")
    assert int(page.locator("#search-total").inner_text().split()[0]) >= 1
    assert "加快建设现代化产业体系" in page.locator(".snippet mark").first.inner_text()
    page.locator(".hits a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#hit").inner_text().startswith("加快建设现代化产业体系")
    page.wait_for_timeout(300)
    assert page.evaluate(IN_VIEW, "#hit"), "the hit is not visible"
    context.close()
    assert problems == []


def test_an_outline_entry_moves_the_text_to_its_heading(server, page, web_db):
    rid = _ids(web_db)["国务院"]
    page.goto(f"{server}/reports/{rid}")
    page.wait_for_load_state("networkidle")
    link = page.locator("[data-goto]").nth(2)
    at = int(link.get_attribute("data-goto"))
    link.click()
    page.wait_for_timeout(300)
    # where the heading's first character is drawn, relative to the top of the text box
    offset = page.evaluate("""(at) => { const text = document.getElementById('report-text');
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT); let seen = 0, node;
        while ((node = walker.nextNode())) { if (seen + node.length > at) break; seen += node.length; }
        const range = document.createRange(); range.setStart(node, at - seen); range.setEnd(node, at - seen + 1);
        return { top: range.getBoundingClientRect().top - text.getBoundingClientRect().top,
                 char: range.toString(), scrolled: text.scrollTop }; }""", at)
    assert offset["scrolled"] > 0 and 0 <= offset["top"] < 60, offset
    assert offset["char"] == link.inner_text()[0]
    assert page.problems == []


def test_api_docs_render_from_this_origin(server, page):
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=10000)
    assert "gwrkit" in page.locator(".swagger-ui .info").inner_text()
    assert page.locator(".opblock").count() >= 10
    assert page.problems == []


def test_a_choice_without_data_says_so(server, page):
    page.goto(server + "/scorecard?indicator=gdp&metric=growth&region=火星")
    page.wait_for_load_state("networkidle")
    assert "火星" in page.locator("#chart-series").inner_text()
    assert page.problems == []


def test_compare_page(server, page, web_db):
    ids = _ids(web_db)
    page.goto(f"{server}/compare?a={ids['国务院']}&b={ids['新郑市']}")
    assert page.locator("table").count() == 5
    _shot(page, "compare")
    assert page.problems == []


def test_an_xss_payload_in_a_report_stays_inert(server, page, web_db):
    rid = _ids(web_db)["珠海市"]
    for path in (f"/reports/{rid}", "/search?q=window.__xss", "/reports"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss") is None
        assert page.locator("img[src=x]").count() == 0
    page.goto(f"{server}/reports/{rid}")
    assert "<script>window.__xss = 1</script>" in page.locator("#report-text").inner_text()
    assert page.problems == []


@pytest.mark.parametrize("name, path", [(n, p) for n, p, _ in PAGES] + [("report", "/reports/{rid}")])
def test_pages_fit_a_phone(server, browser, web_db, name, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.goto(server + path.format(rid=_ids(web_db)["国务院"]))
    pg.wait_for_load_state("networkidle")
    width = pg.evaluate("document.documentElement.scrollWidth")
    _shot(pg, f"{name}-phone")
    context.close()
    assert width <= 390 + 2
