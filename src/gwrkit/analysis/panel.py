"""Targets against outcomes: the scorecard (one row per government, year, indicator and
metric) and the wide panel (one row per government-year) that econometrics wants.

How a row is built:
1. A government is its division code (former names resolve to the current code at
   ingest), so a renamed city stays one unit; its name, level and province are those
   of its latest report.
2. The target for year Y comes from the headline targets (主要预期目标) of the report
   that plans Y; the outcome from the results for Y of the report that reviews Y,
   usually the next year's (its headline results first: the review's lead paragraph,
   then any other result for Y, which is where CPI and unemployment are stated). Where two reports plan (or review) the same year — a
   December and a January session, a copy and its reprint — the one that states the
   figure is taken, the later delivered first, and the row says so
   (``several_reports``, ``other_report_ids``); it is never duplicated.
3. An index stated against 100 (居民消费价格指数104%) is read as growth (4%), so it
   meets a growth target. Levels are compared in base units (亿元 with 万亿元).
4. The verdict (see :class:`GradingRules`): met, missed, or not_gradable with the
   reason (a qualitative target, no outcome, an outcome of another metric), and the
   gap, outcome minus the bound graded against, in the target's unit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..store.db import Reader, and_clauses, report_filters

MET, MISSED, NOT_GRADABLE = "met", "missed", "not_gradable"
INDEX_BASE = 100.0             # an index of 104 is growth of 4
INDEX_RANGE = (50.0, 200.0)    # values read as an index against 100


@dataclass
class GradingRules:
    """How a target is graded against its outcome. Whether higher or lower is better
    comes from the lexicon's ``better`` column (lower for CPI, unemployment, energy
    intensity, PM2.5, …; higher otherwise).

    - at_least (以上), and point for a higher-is-better indicator: outcome >= target
    - at_most (以内), and point for a lower-is-better one: outcome <= target
    - a decline (降低4%以上, stored -4): 以上 and 以内 bound the size of the fall, so
      at_least is met by outcome <= target and at_most by outcome >= target
    - around (左右): within ``tolerance`` points on the wrong side: outcome >= target -
      tolerance (higher is better) or outcome <= target + tolerance (lower is better)
    - range (6%-6.5%): against its lenient end, ``range_end`` = "lenient" (the lower
      number when higher is better, the higher number when lower is), or "low" / "high"
    - stretch (力争): never changes the verdict; ``stretch_met`` says if it was reached
    """
    tolerance: float = 0.5
    range_end: str = "lenient"


LONG_COLUMNS = ["region", "region_code", "level", "province", "year", "indicator", "metric",
                "target_value", "target_high", "modifier", "stretch", "unit", "target_evidence",
                "target_report_id", "target_start", "target_end", "outcome_value", "outcome_unit",
                "outcome_modifier", "outcome_estimated", "outcome_evidence", "outcome_report_id",
                "outcome_start", "outcome_end", "verdict", "gap", "reason", "stretch_met", "better",
                "several_reports", "other_report_ids"]

LABELS = {
    "region": "government (latest name)", "region_code": "administrative division code",
    "level": "national, province, prefecture or county", "province": "province",
    "year": "year the target is for", "indicator": "indicator id (gwrkit lexicon)",
    "metric": "growth, level, rate or index", "target_value": "target (low end of a range)",
    "target_high": "high end of a range target", "modifier": "point, around, at_least, at_most, range",
    "stretch": "stretch target (li zheng)", "unit": "unit of the target",
    "target_evidence": "source text of the target", "target_report_id": "report that sets the target",
    "outcome_value": "outcome stated for the year", "outcome_estimated": "1 if the outcome is an estimate",
    "outcome_evidence": "source text of the outcome", "outcome_report_id": "report that states the outcome",
    "verdict": "met, missed or not_gradable", "gap": "outcome minus target, in the target unit",
    "reason": "why a row is not gradable", "several_reports": "1 if several reports plan or review the year",
}


def grade(target: float | None, high: float | None, modifier: str, outcome: float | None,
          better: str = "higher", rules: GradingRules | None = None) -> tuple[str, float | None, str]:
    """(verdict, gap, reason) of one target against its outcome."""
    rules = rules or GradingRules()
    if target is None or modifier == "qualitative":
        return NOT_GRADABLE, None, "qualitative target"
    if outcome is None:
        return NOT_GRADABLE, None, "no outcome"
    lower = better == "lower"
    bound = target
    if modifier == "range" and high is not None:
        low_end, high_end = min(target, high), max(target, high)      # 降低3%-4% is stored -3, -4
        end = rules.range_end if rules.range_end != "lenient" else ("high" if lower else "low")
        bound = high_end if end == "high" else low_end
    if target < 0 and modifier in ("at_least", "at_most"):
        # a decline's 以上 / 以内 bound its size: 降低4%以上 (-4) is met by a fall of 4.5 (-4.5)
        modifier = "at_most" if modifier == "at_least" else "at_least"
    if modifier == "at_least":
        ok = outcome >= bound
    elif modifier == "at_most":
        ok = outcome <= bound
    elif modifier == "around":
        ok = outcome <= bound + rules.tolerance if lower else outcome >= bound - rules.tolerance
    else:                                   # point, range
        ok = outcome <= bound if lower else outcome >= bound
    return (MET if ok else MISSED), round(outcome - bound, 6), ""


def _figures(conn, indicator, metric, level, region, province) -> list[dict]:
    sql = ("SELECT f.report_id, f.idx, f.headline, f.indicator, f.metric, f.value, f.value_high, f.unit, f.normalized_value,"
           " f.modifier, f.stretch, f.kind, f.year, f.estimated, f.start, f.end, f.evidence,"
           " r.region, r.region_code, r.level, r.province, r.plan_year, r.review_year, r.delivered_on"
           " FROM figures f JOIN reports r ON r.id = f.report_id"
           " WHERE ((f.kind = 'target' AND f.headline = 1) OR (f.kind = 'result' AND f.year = r.review_year))"
           " AND r.region_code IS NOT NULL")
    where, args = report_filters(region=region, province=province, level=level)
    more, more_args = and_clauses((("f.indicator = ?", indicator),))
    rows = [dict(r) for r in conn.execute(sql + where + more + " ORDER BY f.report_id, f.idx", args + more_args)]
    for r in rows:
        _as_growth(r)
    return [r for r in rows if metric is None or r["metric"] == metric]


def _as_growth(fig: dict) -> None:
    """An index against 100 is growth."""
    if fig["metric"] == "index" and fig["value"] is not None and INDEX_RANGE[0] < fig["value"] < INDEX_RANGE[1]:
        fig["metric"] = "growth"
        fig["value"] = round(fig["value"] - INDEX_BASE, 6)
        if fig["value_high"] is not None:
            fig["value_high"] = round(fig["value_high"] - INDEX_BASE, 6)
        fig["unit"], fig["normalized_value"] = "%", None


def _pick(candidates: list[dict]) -> tuple[dict, list[int]]:
    """The figure taken where several reports give one for the same unit and year: the
    later delivered report first (a January session after a December one), then a
    headline result (the review's lead paragraph) before others, then the first stated.
    Returns it and the other reports' ids."""
    best = max(candidates, key=lambda f: (f["delivered_on"] or "", -f["report_id"], f["headline"], -f["idx"]))
    others = sorted({f["report_id"] for f in candidates} - {best["report_id"]})
    return best, others


def _comparable(target: dict, outcome: dict) -> tuple[float | None, str]:
    """The outcome in the target's unit, or None with the reason."""
    if target["metric"] != outcome["metric"]:
        return None, f"outcome stated as {outcome['metric']}, target as {target['metric']}"
    if outcome["value"] is None:
        return None, "qualitative outcome"
    if target["metric"] == "level" and (target["unit"] or "") != (outcome["unit"] or ""):
        if target["normalized_value"] and outcome["normalized_value"] and target["value"]:
            scale = target["normalized_value"] / target["value"]
            return outcome["normalized_value"] / scale, ""
        return None, f"outcome in {outcome['unit']}, target in {target['unit']}"
    return outcome["value"], ""


def scorecard_rows(db: str | os.PathLike, *, indicator: str | None = None, metric: str | None = None,
                   level: str | None = None, region: str | None = None, province: str | None = None,
                   year_from: int | None = None, year_to: int | None = None, rules: GradingRules | None = None,
                   lexicon=None, include_rows_without_target: bool = False) -> list[dict]:
    """One row per government, year, indicator and metric that has a target (and, with
    ``include_rows_without_target``, also those with only an outcome)."""
    from ..extract.lexicon import resolve_lexicon

    lex = resolve_lexicon(lexicon)
    rules = rules or GradingRules()
    with Reader(db) as store:
        figs = _figures(store.conn, indicator, metric, level, region, province)
        plans, reviews = {}, {}
        for r in store.conn.execute("SELECT id, region_code, plan_year, review_year FROM reports"
                                    " WHERE region_code IS NOT NULL"):
            plans.setdefault((r["region_code"], r["plan_year"]), set()).add(r["id"])
            reviews.setdefault((r["region_code"], r["review_year"]), set()).add(r["id"])
    latest: dict[str, dict] = {}
    targets: dict[tuple, list[dict]] = {}
    outcomes: dict[tuple, list[dict]] = {}
    for f in figs:
        code = f["region_code"]
        if code not in latest or (f["plan_year"] or 0) >= (latest[code]["plan_year"] or 0):
            latest[code] = f
        if f["kind"] == "target" and f["plan_year"] is not None and f["year"] in (None, f["plan_year"]):
            targets.setdefault((code, f["plan_year"], f["indicator"], f["metric"]), []).append(f)
        elif f["kind"] == "result" and f["review_year"] is not None and f["year"] == f["review_year"]:
            outcomes.setdefault((code, f["review_year"], f["indicator"], f["metric"]), []).append(f)
    # an outcome of another metric explains why a target cannot be graded
    outcome_metrics: dict[tuple, list[str]] = {}
    for code, year, ind, met in outcomes:
        outcome_metrics.setdefault((code, year, ind), []).append(met)
    keys = set(targets) | (set(outcomes) if include_rows_without_target else set())
    rows = []
    for key in keys:
        code, year, ind, met = key
        if (year_from is not None and year < year_from) or (year_to is not None and year > year_to):
            continue
        rows.append(_row(key, targets.get(key), outcomes.get(key), latest[code], outcome_metrics,
                         plans, reviews, lex.better(ind), rules))
    rows.sort(key=lambda r: (r["province"] or "", r["level"] or "", r["region_code"], r["year"],
                             r["indicator"], r["metric"]))
    return rows


def _row(key, target_figs, outcome_figs, gov, outcome_metrics, plans, reviews, better, rules) -> dict:
    code, year, ind, met = key
    row = dict.fromkeys(LONG_COLUMNS)
    row.update(region=gov["region"], region_code=code, level=gov["level"], province=gov["province"], year=year,
               indicator=ind, metric=met, better=better, several_reports=0, other_report_ids="")
    others: set[int] = set()
    target = outcome = None
    if target_figs:
        target, skipped = _pick(target_figs)
        others |= set(skipped) | (plans.get((code, year), set()) - {target["report_id"]})
        row.update(target_value=target["value"], target_high=target["value_high"], modifier=target["modifier"],
                   stretch=target["stretch"], unit=target["unit"], target_evidence=target["evidence"],
                   target_report_id=target["report_id"], target_start=target["start"], target_end=target["end"])
    if outcome_figs:
        outcome, skipped = _pick(outcome_figs)
        others |= set(skipped) | (reviews.get((code, year), set()) - {outcome["report_id"]})
        row.update(outcome_value=outcome["value"], outcome_unit=outcome["unit"],
                   outcome_modifier=outcome["modifier"], outcome_estimated=outcome["estimated"],
                   outcome_evidence=outcome["evidence"], outcome_report_id=outcome["report_id"],
                   outcome_start=outcome["start"], outcome_end=outcome["end"])
    if target is None:
        row.update(verdict=NOT_GRADABLE, reason="no target")
    elif outcome is None:
        stated = [m for m in outcome_metrics.get((code, year, ind), []) if m != met]
        why = f"outcome stated only as {', '.join(sorted(set(stated)))}" if stated else "no outcome"
        if target["value"] is None or target["modifier"] == "qualitative":
            why = "qualitative target"
        row.update(verdict=NOT_GRADABLE, reason=why)
    else:
        value, why = _comparable(target, outcome)
        if why and target["value"] is not None:
            row.update(verdict=NOT_GRADABLE, reason=why)
        else:
            verdict, gap, why = grade(target["value"], target["value_high"], target["modifier"], value, better, rules)
            row.update(verdict=verdict, gap=gap, reason=why)
            if target["stretch"] is not None and value is not None:
                row["stretch_met"] = int(value <= target["stretch"] if better == "lower" else value >= target["stretch"])
    row["several_reports"] = int(bool(others))
    row["other_report_ids"] = ",".join(map(str, sorted(others)))
    return row


def scorecard(db: str | os.PathLike, **kwargs):
    """:func:`scorecard_rows` as a pandas DataFrame (columns LONG_COLUMNS)."""
    import pandas as pd

    from ..export import whole_numbers

    return whole_numbers(pd.DataFrame(scorecard_rows(db, **kwargs), columns=LONG_COLUMNS),
                         ["year", "target_report_id", "target_start", "target_end", "outcome_report_id",
                          "outcome_start", "outcome_end", "outcome_estimated", "stretch_met"])


WIDE_FIELDS = {"target_value": "target", "target_high": "target_high", "modifier": "modifier",
               "stretch": "stretch", "outcome_value": "outcome", "outcome_estimated": "outcome_estimated",
               "verdict": "verdict", "gap": "gap"}


def panel(db: str | os.PathLike, **kwargs):
    """One row per government-year, with columns ``{indicator}_{metric}_{field}`` such as
    ``gdp_growth_target``, ``gdp_growth_modifier``, ``gdp_growth_outcome``,
    ``gdp_growth_verdict`` (rows with only an outcome included)."""
    import pandas as pd

    long = scorecard(db, include_rows_without_target=True, **kwargs)
    ids = ["region", "region_code", "level", "province", "year"]
    if long.empty:
        return pd.DataFrame(columns=ids)
    long["variable"] = long["indicator"] + "_" + long["metric"]
    pieces = []
    for field, suffix in WIDE_FIELDS.items():
        part = long.pivot(index=["region_code", "year"], columns="variable", values=field)
        part.columns = [f"{c}_{suffix}" for c in part.columns]
        pieces.append(part)
    wide = pd.concat(pieces, axis=1)
    wide = wide[[f"{v}_{suffix}" for v in sorted(long["variable"].unique()) for suffix in WIDE_FIELDS.values()]]
    flags = long.groupby(["region_code", "year"])["several_reports"].max().rename("several_reports")
    names = long.sort_values("year").groupby("region_code")[["region", "level", "province"]].last()
    out = wide.join(flags).reset_index().merge(names, on="region_code")
    front = ids + ["several_reports"]
    return out[front + [c for c in out.columns if c not in front]].sort_values(
        ["province", "level", "region_code", "year"], na_position="first").reset_index(drop=True)


def panel_labels(frame) -> dict[str, str]:
    """Variable labels for the wide panel (Stata)."""
    labels = {k: v for k, v in LABELS.items() if k in frame.columns}
    for col in frame.columns:
        for suffix, text in (("_target", "target"), ("_target_high", "target, high end"),
                             ("_modifier", "target modifier"), ("_stretch", "stretch target"),
                             ("_outcome", "outcome"), ("_outcome_estimated", "outcome is an estimate"),
                             ("_verdict", "met / missed / not_gradable"), ("_gap", "outcome minus target")):
            if col.endswith(suffix) and col not in labels:
                labels[col] = f"{col[:-len(suffix)]}: {text}"
    return labels
