"""Coverage of a stored corpus: for every report, what was found (the government and
how, the review and plan years, a main-targets statement, a headline GDP target) and,
for what was not, why. A user of a panel of thousands of reports sees which rows are
missing and what the text says instead."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..extract.gaps import COVERED
from ..store.db import Reader

UNKNOWN_REASON = "no reason stored (stored by an earlier gwrkit: ingest the file again)"
INFERRED = "inferred"          # region_method prefix of a government inferred from the places named


@dataclass
class Coverage:
    reports: list[dict] = field(default_factory=list)     # one row per report
    totals: dict = field(default_factory=dict)

    @property
    def missing(self) -> list[dict]:
        """The reports that lack any of the covered items."""
        return [r for r in self.reports if r["missing"]]


def coverage(db: str | os.PathLike) -> Coverage:
    """What every stored report has and lacks (the database is opened read-only)."""
    with Reader(db) as store:
        conn = store.conn
        gdp = {row[0] for row in conn.execute(
            "SELECT DISTINCT report_id FROM figures WHERE indicator='gdp' AND kind='target' AND headline=1")}
        # a store written by an earlier gwrkit lacks the later columns: say so rather than fail
        have = store.columns("reports")
        later = ", ".join(f"r.{c}" if c in have else f"NULL AS {c}" for c in ("targets_absent", "gaps"))
        # the pieces of a file in their order (FILE#2 before FILE#10)
        order = "d.file, d.piece" if "piece" in store.columns("documents") else "d.path"
        rows = []
        for r in conn.execute(
                "SELECT r.id, d.path, r.idx, r.region, r.region_code, r.level, r.province, r.region_method,"
                " r.region_confidence, r.delivered_on, r.review_year, r.plan_year, r.partial,"
                f" {later} FROM reports r JOIN documents d ON d.id = r.document_id ORDER BY {order}, r.idx"):
            gaps = json.loads(r["gaps"] or "{}")
            has = {"region": r["region"] is not None, "plan_year": r["plan_year"] is not None,
                   "review_year": r["review_year"] is not None, "targets": r["targets_absent"] is None,
                   "gdp_target": r["id"] in gdp}
            missing = [k for k in COVERED if not has[k]]
            rows.append({
                "report_id": r["id"], "path": r["path"], "region": r["region"], "region_code": r["region_code"],
                "level": r["level"], "province": r["province"], "region_method": r["region_method"],
                "region_confidence": r["region_confidence"], "delivered_on": r["delivered_on"],
                "review_year": r["review_year"], "plan_year": r["plan_year"], "partial": bool(r["partial"]),
                "targets_statement": has["targets"], "gdp_target": has["gdp_target"],
                "missing": missing, "reasons": {k: _reason(k, gaps, r["targets_absent"]) for k in missing}})
        errors = conn.execute("SELECT count(*) FROM ingest_errors").fetchone()[0]
    return Coverage(rows, _totals(rows, errors))


def _reason(what: str, gaps: dict, targets_absent: str | None) -> str:
    if gaps.get(what):
        return gaps[what]
    if what in ("targets", "gdp_target") and targets_absent:
        return targets_absent
    return UNKNOWN_REASON


def _totals(rows: list[dict], errors: int) -> dict:
    n = len(rows)
    out: dict = {"reports": n, "files_failed": errors}
    for k in COVERED:
        found = sum(1 for r in rows if k not in r["missing"])
        out[k] = {"found": found, "missing": n - found, "rate": round(found / n, 4) if n else None}
    inferred = [r for r in rows if (r["region_method"] or "").startswith(INFERRED)]
    out["region_inferred"] = {"reports": len(inferred),
                             "low_confidence": sum(1 for r in inferred if (r["region_confidence"] or 0) < 0.6)}
    out["partial"] = sum(1 for r in rows if r["partial"])
    return out


def coverage_frame(db: str | os.PathLike):
    """The per-report coverage as a pandas DataFrame (missing and reasons as text)."""
    import pandas as pd

    rows = [{**r, "missing": ",".join(r["missing"]),
             "reasons": "; ".join(f"{k}: {v}" for k, v in r["reasons"].items())} for r in coverage(db).reports]
    return pd.DataFrame(rows)
