"""The dashboard's pages: server-rendered HTML (Jinja2, autoescaped) with one script,
static/app.js, that draws the charts from the API. No page carries inline script."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

HERE = Path(__file__).resolve().parent
LEVELS = ("province", "prefecture", "county", "national")
KIND_NAMES = {"target": "目标 target", "result": "结果 result", "multi_year_target": "多年目标",
              "multi_year_result": "多年结果", "ranking": "排名", "other": "其他"}


def render_text(text: str, offset: int, figures: list[dict], hit: tuple[int, int] | None = None) -> Markup:
    """The report text, escaped, with every figure's span (and a search hit) marked.
    Spans may overlap: the text is cut at every span boundary and each piece carries
    the ids of the figures that cover it (data-fig); the hit's first piece has id "hit"."""
    spans = [(f["start"] - offset, f["end"] - offset, f["id"]) for f in figures
             if 0 <= f["start"] - offset < f["end"] - offset <= len(text)]
    if hit and 0 <= hit[0] - offset < hit[1] - offset <= len(text):
        spans.append((hit[0] - offset, hit[1] - offset, "hit"))
    cuts = sorted({0, len(text), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    starts: dict[int, list] = {}
    for a, b, ident in spans:
        starts.setdefault(a, []).append((b, ident))
    open_spans: list[tuple[int, object]] = []
    out = []
    for a, b in zip(cuts, cuts[1:]):
        opened = starts.get(a, [])
        open_spans = [(e, i) for e, i in open_spans if e > a] + opened
        piece = escape(text[a:b])
        if not open_spans:
            out.append(piece)
            continue
        figs = [i for _, i in open_spans if i != "hit"]
        classes = ["fig"] if figs else []
        if any(i == "hit" for _, i in open_spans):
            classes.append("hit")
        ident = ' id="hit"' if any(i == "hit" for _, i in opened) else ""
        data = f' data-fig="{" ".join(map(str, figs))}"' if figs else ""
        out.append(Markup(f'<span{ident} class="{" ".join(classes)}"{data}>') + piece + Markup("</span>"))
    return Markup("").join(out)


def add_pages(app: FastAPI, db: str) -> None:
    from .. import api
    from .data import overview, report_detail

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["kind_names"] = KIND_NAMES

    def page(request: Request, name: str, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"page": name.split(".")[0], **context})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        return page(request, "overview.html", data=app.state.cache.get(("overview",), lambda: overview(db)))

    @app.get("/reports", response_class=HTMLResponse, include_in_schema=False)
    def report_list(request: Request, region: Optional[str] = Query(None, max_length=100),
                    level: Optional[str] = Query(None, max_length=20),
                    year: Optional[int] = Query(None, ge=0, le=9999)):
        rows = api.reports(db, region=region, year=year, level=level if level in LEVELS else None)
        return page(request, "reports.html", rows=rows[:2000], total=len(rows), region=region or "",
                    level=level or "", year=year or "", levels=LEVELS)

    @app.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, report_id: int = PathParam(..., ge=0, le=2**63 - 1), at: Optional[str] = Query(None, max_length=40)):
        try:
            detail = report_detail(db, report_id)
        except LookupError:
            raise HTTPException(404, f"no report {report_id}") from None
        hit = _span(at)
        body = render_text(detail["text"], detail["offset"], detail["figures"], hit)
        targets = [f for f in detail["figures"] if f["kind"] == "target" and f["headline"]]
        results = [f for f in detail["figures"] if f["kind"] == "result" and f["headline"]]
        return page(request, "report.html", r=detail["metadata"], outline=detail["outline"], body=body,
                    figures=detail["figures"], targets=targets, results=results, hit=hit is not None)

    @app.get("/scorecard", response_class=HTMLResponse, include_in_schema=False)
    def scorecard_page(request: Request, indicator: str = Query("gdp", max_length=60),
                       metric: str = Query("growth", max_length=20), region: str = Query("", max_length=100),
                       year: Optional[int] = Query(None, ge=0, le=9999), level: str = Query("province", max_length=20),
                       province: str = Query("", max_length=100)):
        from ..extract.lexicon import default_lexicon

        indicators = sorted(default_lexicon().indicators)
        return page(request, "scorecard.html", indicator=indicator, metric=metric, region=region, year=year or "",
                    level=level if level in LEVELS else "province", province=province, indicators=indicators,
                    levels=LEVELS)

    @app.get("/attention", response_class=HTMLResponse, include_in_schema=False)
    def attention_page(request: Request, topic: str = Query("数字经济", max_length=60)):
        from ..analysis.attention import load_topics

        topics = load_topics().names
        return page(request, "attention.html", topic=topic if topic in topics else topics[0], topics=topics)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=500), level: str = Query("", max_length=20),
                    region: str = Query("", max_length=100), year_from: Optional[int] = Query(None, ge=0, le=9999),
                    year_to: Optional[int] = Query(None, ge=0, le=9999), section: str = Query("", max_length=20),
                    offset: int = Query(0, ge=0, le=10**6)):
        from ..analysis.search import QueryError, count, search
        from ..store.db import StoreOutdated

        hits, total, error = [], 0, None
        filters = dict(region=region or None, level=level if level in LEVELS else None, year_from=year_from,
                       year_to=year_to, section=section or None)
        if q.strip():
            try:
                hits = search(db, q, limit=20, offset=offset, mark=("\x02", "\x03"), **filters)
                total = count(db, q, **filters)
            except (QueryError, StoreOutdated) as exc:
                error = str(exc)
        for h in hits:            # escape the text, then turn the markers into <mark>
            h["snippet_html"] = Markup(str(escape(h["snippet"])).replace("\x02", "<mark>").replace("\x03", "</mark>"))
        return page(request, "search.html", q=q, hits=hits, total=total, error=error, level=level, region=region,
                    year_from=year_from or "", year_to=year_to or "", section=section, offset=offset,
                    levels=LEVELS, sections=("review", "targets", "tasks", "livelihood", "self_building", "other"))

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request, a: Optional[int] = Query(None, ge=0, le=2**63 - 1),
                     b: Optional[int] = Query(None, ge=0, le=2**63 - 1)):
        result, error = None, None
        if a is not None and b is not None:
            try:
                result = api.compare(a, b, db)
            except LookupError as exc:
                error = str(exc)
        return page(request, "compare.html", a=a or "", b=b or "", result=result, error=error)

    @app.get("/reuse", response_class=HTMLResponse, include_in_schema=False)
    def reuse_page(request: Request, scope: str = Query("all", max_length=20)):
        return page(request, "reuse.html", scope=scope if scope in ("all", "governments", "years") else "all")

    @app.exception_handler(404)
    async def not_found(request: Request, exc):
        from fastapi.responses import JSONResponse

        message = getattr(exc, "detail", "not found")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=404)
        return templates.TemplateResponse(request, "error.html", {"page": "error", "message": message},
                                          status_code=404)


def _span(at: str | None) -> tuple[int, int] | None:
    """``at=START-END`` (offsets into the stored text), or None."""
    if not at:
        return None
    try:
        a, b = (int(x) for x in at.split("-", 1))
    except ValueError:
        return None
    return (a, b) if 0 <= a < b else None
