"""The web server: a read-only REST API that mirrors gwrkit.api, and a dashboard.

``create_app(db)`` builds the FastAPI app; ``gwrkit serve`` runs it with uvicorn. The
database is opened read-only (SQLite mode=ro) on every request: serving never writes,
and a missing database is refused when the app is built. Every response carries a
Content-Security-Policy that allows scripts, styles and data only from this origin, and
no inline script; report text and names are escaped wherever they are shown.
"""
from __future__ import annotations

import io
import os
import threading
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Literal, Optional

from fastapi import FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..store.db import Reader, StoreOutdated

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
       " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
MAX_LIMIT = 100_000             # rows in one page (a whole scorecard downloads at once)
MAX_ID = 2**63 - 1              # SQLite's largest integer
Level = Literal["national", "province", "prefecture", "county"]
SectionKind = Literal["review", "targets", "tasks", "livelihood", "self_building", "other"]
Metric = Literal["growth", "level", "rate", "index", "rank"]
Download = Literal["json", "csv", "parquet"]


class Cache:
    """Results of slow analyses (reuse, attention over the whole corpus), kept while the
    database file is unchanged (its size and modification time, WAL included)."""

    def __init__(self, db: str, size: int = 64):
        self.db, self.size, self.items, self.lock = db, size, {}, threading.Lock()
        self.computing: dict = {}              # key -> lock: a second request waits for the first

    def stamp(self) -> tuple:
        out = []
        for p in (self.db, self.db + "-wal"):
            try:
                st = os.stat(p)
                out.append((st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    def get(self, key, compute):
        key = (key, self.stamp())
        with self.lock:
            if key in self.items:
                return self.items[key]
            busy = self.computing.setdefault(key, threading.Lock())
        with busy:
            with self.lock:
                if key in self.items:
                    return self.items[key]
            value = compute()
            with self.lock:
                if len(self.items) >= self.size:
                    self.items.pop(next(iter(self.items)))
                self.items[key] = value
                self.computing.pop(key, None)
        return value


def _page(frame, limit: int, offset: int, fmt: str, name: str):
    """One page of a DataFrame as JSON ({total, limit, offset, items}) or a download."""
    from ..export import records

    total = len(frame)
    part = frame.iloc[offset:offset + limit]
    if fmt == "csv":
        return Response(part.to_csv(index=False), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if fmt == "parquet":
        from ..export import _plain

        buf = io.BytesIO()
        part.map(_plain).to_parquet(buf, index=False, engine="pyarrow")
        return Response(buf.getvalue(), media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.parquet"'})
    return {"total": total, "limit": limit, "offset": offset, "items": records(part)}


def _client_errors(fn):
    """Errors that the request caused become 4xx with the message, never 5xx."""
    @wraps(fn)
    def run(*args, **kwargs):
        from ..analysis.attention import TopicsError
        from ..analysis.search import QueryError

        try:
            return fn(*args, **kwargs)
        except LookupError as exc:
            raise HTTPException(404, str(exc).strip("'\"")) from None
        except StoreOutdated as exc:
            raise HTTPException(409, str(exc)) from None
        except (QueryError, TopicsError, ValueError) as exc:
            raise HTTPException(400, str(exc)) from None
    return run


def create_app(db: str | os.PathLike) -> FastAPI:
    """The app serving the store at ``db`` (read-only). A missing or foreign file is an error."""
    db = str(Path(db).resolve())
    with Reader(db):                       # refuses a missing file or one that is not a gwrkit store
        pass
    app = FastAPI(title="gwrkit", version=_version(), docs_url=None, redoc_url=None,
                  description="Chinese government work reports (政府工作报告) as traceable data: "
                              "a read-only API over one gwrkit database.")
    app.state.db = db
    app.state.cache = Cache(db)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        # a bug: say so without a traceback, with the same headers as every response
        return JSONResponse({"error": f"internal error ({type(exc).__name__})"}, status_code=500,
                            headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _api(app, db)

    @app.get("/docs", include_in_schema=False)
    def docs():
        from fastapi.responses import FileResponse

        return FileResponse(HERE / "templates" / "docs.html", media_type="text/html; charset=utf-8")
    from .pages import add_pages

    add_pages(app, db)
    return app


@contextmanager
def serving(db: str | os.PathLike, host: str = "127.0.0.1"):
    """The app for ``db`` served by uvicorn in a thread on a free port; yields its base
    URL (for tests, benchmarks and screenshots)."""
    import socket
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind((host, 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


def _version() -> str:
    from .. import __version__

    return __version__


def _api(app: FastAPI, db: str) -> None:
    from .. import api
    from ..analysis import panel as panel_mod

    cache = app.state.cache
    limit_q = Query(50, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset_q = Query(0, ge=0, le=10**9, description="Rows to skip.")
    format_q = Query("json", description="json, or a download of this page: csv | parquet")

    @app.get("/api/reports", summary="Stored reports, with filters")
    @_client_errors
    def reports(region: Optional[str] = None, year: Optional[int] = Query(None, ge=0, le=9999),
                level: Optional[Level] = None, limit: int = limit_q, offset: int = offset_q,
                format: Download = format_q):
        import pandas as pd

        from ..export import whole_numbers

        frame = whole_numbers(pd.DataFrame(api.reports(db, region=region, year=year, level=level)),
                              ["review_year", "plan_year", "congress_term", "congress_session"])
        return _page(frame, limit, offset, format, "reports")

    @app.get("/api/reports/{report_id}", summary="One report: metadata, outline, figures and text")
    @_client_errors
    def report(report_id: int = PathParam(..., ge=0, le=MAX_ID)):
        from .data import report_detail

        return report_detail(db, report_id)

    @app.get("/api/figures", summary="Stored figures with their evidence")
    @_client_errors
    def figures(region: Optional[str] = None, year: Optional[int] = Query(None, ge=0, le=9999),
                indicator: Optional[str] = None, kind: Optional[str] = None, headline: bool = False,
                limit: int = limit_q, offset: int = offset_q, format: Download = format_q):
        args = dict(region=region, year=year, indicator=_indicator(indicator), kind=kind, headline=headline)
        frame = cache.get(("figures", tuple(sorted(args.items()))), lambda: api.figures_frame(db, **args))
        return _page(frame, limit, offset, format, "figures")

    @app.get("/api/coverage", summary="What each report has and lacks, and why")
    @_client_errors
    def coverage(limit: int = limit_q, offset: int = offset_q, missing_only: bool = True,
                 format: Download = format_q):
        import pandas as pd

        cov = api.coverage(db)
        rows = [{**r, "missing": ",".join(r["missing"]),
                 "reasons": "; ".join(f"{k}: {v}" for k, v in r["reasons"].items())}
                for r in (cov.missing if missing_only else cov.reports)]
        page = _page(pd.DataFrame(rows), limit, offset, format, "coverage")
        if isinstance(page, dict):
            page["totals"] = cov.totals
        return page

    def grading(tolerance: float, range_end: str):
        return panel_mod.GradingRules(tolerance=tolerance, range_end=range_end)

    @app.get("/api/scorecard", summary="Targets against outcomes, with verdicts")
    @_client_errors
    def scorecard(indicator: Optional[str] = None, metric: Optional[Metric] = None,
                  level: Optional[Level] = None, region: Optional[str] = None, province: Optional[str] = None,
                  year_from: Optional[int] = Query(None, ge=0, le=9999),
                  year_to: Optional[int] = Query(None, ge=0, le=9999),
                  tolerance: float = Query(0.5, ge=0, le=100),
                  range_end: Literal["lenient", "low", "high"] = "lenient",
                  limit: int = limit_q, offset: int = offset_q, format: Download = format_q):
        args = dict(indicator=_indicator(indicator), metric=metric, level=level, region=region, province=province,
                    year_from=year_from, year_to=year_to)
        frame = cache.get(("scorecard", tuple(sorted(args.items())), tolerance, range_end),
                          lambda: api.scorecard(db, rules=grading(tolerance, range_end), **args))
        return _page(frame, limit, offset, format, "scorecard")

    @app.get("/api/panel", summary="The wide panel: one row per government-year")
    @_client_errors
    def panel(indicator: Optional[str] = None, metric: Optional[Metric] = None, level: Optional[Level] = None,
              region: Optional[str] = None, province: Optional[str] = None,
              year_from: Optional[int] = Query(None, ge=0, le=9999),
              year_to: Optional[int] = Query(None, ge=0, le=9999),
              limit: int = limit_q, offset: int = offset_q, format: Download = format_q):
        args = dict(indicator=_indicator(indicator), metric=metric, level=level, region=region, province=province,
                    year_from=year_from, year_to=year_to)
        frame = cache.get(("panel", tuple(sorted(args.items()))), lambda: api.panel(db, **args))
        return _page(frame, limit, offset, format, "panel")

    @app.get("/api/attention", summary="Topic counts per report, or trends with by=year,level")
    @_client_errors
    def attention(topic: Optional[str] = None, by: Optional[str] = Query(None, max_length=100),
                  level: Optional[Level] = None, region: Optional[str] = None, province: Optional[str] = None,
                  year_from: Optional[int] = Query(None, ge=0, le=9999),
                  year_to: Optional[int] = Query(None, ge=0, le=9999),
                  limit: int = limit_q, offset: int = offset_q, format: Download = format_q):
        from ..analysis.attention import trend

        args = dict(topic=topic, level=level, region=region, province=province, year_from=year_from,
                    year_to=year_to)
        groups = tuple(g.strip() for g in by.split(",") if g.strip()) if by else ()
        counts = cache.get(("attention", tuple(sorted(args.items())), "section_kind" in groups),
                           lambda: api.attention(db, by_section="section_kind" in groups, **args))
        frame = trend(counts, list(groups)) if groups else counts
        return _page(frame, limit, offset, format, "attention")

    @app.get("/api/search", summary="Paragraphs containing a query (exact substrings; AND/OR/NOT)")
    @_client_errors
    def search(q: str = Query(..., min_length=1, max_length=500), region: Optional[str] = None,
               province: Optional[str] = None, level: Optional[Level] = None,
               year_from: Optional[int] = Query(None, ge=0, le=9999),
               year_to: Optional[int] = Query(None, ge=0, le=9999), section: Optional[SectionKind] = None,
               limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = offset_q, format: Download = format_q):
        import pandas as pd

        from ..analysis.search import count, search as run

        filters = dict(region=region, province=province, level=level, year_from=year_from, year_to=year_to,
                       section=section)
        rows = run(db, q, limit=limit, offset=offset, **filters)
        if format != "json":
            return _page(pd.DataFrame(rows), limit, 0, format, "search")
        from ..export import records

        return {"total": count(db, q, **filters), "limit": limit, "offset": offset,
                "items": records(pd.DataFrame(rows))}

    @app.get("/api/compare", summary="Two reports side by side")
    @_client_errors
    def compare(a: int = Query(..., ge=0, le=MAX_ID), b: int = Query(..., ge=0, le=MAX_ID), part: Optional[Literal["metadata", "targets", "attention", "sections",
                                                           "paragraphs"]] = None):
        result = api.compare(a, b, db)
        out = result.as_dict()
        return {part: out[part]} if part else out

    @app.get("/api/reuse", summary="Text reuse between reports")
    @_client_errors
    def reuse(part: Literal["pairs", "paragraphs", "reports", "common"] = "pairs",
              scope: Literal["all", "governments", "years"] = "all",
              region: Optional[str] = None, limit: int = limit_q, offset: int = offset_q,
              format: Download = format_q):
        from ..analysis.reuse import ReuseOptions

        result = cache.get(("reuse", scope, region),
                           lambda: api.reuse(db, ReuseOptions(scope=scope), region=region))
        frame = {"pairs": result.pairs_frame, "paragraphs": result.paragraphs_frame,
                 "reports": result.reports_frame, "common": result.common_frame}[part]()
        return _page(frame, limit, offset, format, f"reuse-{part}")

    @app.get("/api/overview", summary="Reports by year and level, governments covered, coverage totals")
    @_client_errors
    def overview():
        from .data import overview as run

        return cache.get(("overview",), lambda: run(db))


def _indicator(value: Optional[str]) -> Optional[str]:
    """An indicator id as the lexicon spells it (GDP -> gdp, 地区生产总值 -> gdp)."""
    from ..extract.lexicon import default_lexicon

    return None if value is None else default_lexicon().indicator_id(value)
