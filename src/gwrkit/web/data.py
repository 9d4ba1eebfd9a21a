"""What the pages and the API show that the analysis layer does not already compute: one
report whole (metadata, outline, figures, text) and the corpus overview."""
from __future__ import annotations

import json

from ..store.db import Reader

FIGURE_FIELDS = ("id", "idx", "indicator", "label", "metric", "value", "value_high", "unit", "modifier", "stretch",
                 "kind", "scope", "year", "estimated", "headline", "start", "end", "sentence_start", "sentence_end",
                 "evidence")


def report_detail(db: str, report_id: int, *, with_text: bool = True) -> dict:
    """One report: its metadata, outline, figures (offsets into ``text``, the report's own
    text, which starts at ``offset`` in the stored document) and text."""
    with Reader(db) as store:
        meta = store.report(report_id)
        if meta is None:
            raise LookupError(f"no report {report_id}")
        conn = store.conn
        figures = [dict(zip(FIGURE_FIELDS, row)) for row in conn.execute(
            f"SELECT {', '.join(FIGURE_FIELDS)} FROM figures WHERE report_id = ? ORDER BY start, idx", (report_id,))]
        text = store.text(report_id, meta["start"], meta["end"]) if with_text else None
    meta["gaps"] = json.loads(meta.get("gaps") or "{}")
    meta["targets_found_by"] = json.loads(meta.get("targets_found_by") or "[]")
    out = {"id": report_id, "metadata": {k: v for k, v in meta.items() if k not in ("sections", "excluded")},
           "outline": meta["sections"], "excluded": meta["excluded"], "figures": figures, "offset": meta["start"]}
    if with_text:
        out["text"] = text
    return out


def overview(db: str) -> dict:
    """Reports by plan year and level, governments covered by level and province, and
    the coverage totals."""
    from ..analysis.coverage import coverage

    with Reader(db) as store:
        conn = store.conn
        by_year = [dict(r) for r in conn.execute(
            "SELECT plan_year AS year, coalesce(level, 'unknown') AS level, count(*) AS reports FROM reports"
            " GROUP BY 1, 2 ORDER BY 1, 2")]
        governments = [dict(r) for r in conn.execute(
            "SELECT coalesce(province, '') AS province, coalesce(level, 'unknown') AS level,"
            " count(DISTINCT region_code) AS governments, count(*) AS reports,"
            " min(plan_year) AS first_year, max(plan_year) AS last_year"
            " FROM reports GROUP BY 1, 2 ORDER BY 1, 2")]
        counts = store.counts()
    cov = coverage(db)
    return {"counts": counts, "by_year": by_year, "governments": governments, "coverage": cov.totals,
            "missing": cov.missing[:200]}
