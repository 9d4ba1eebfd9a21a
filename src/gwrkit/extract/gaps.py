"""What a report lacks, and why: the reasons `gwrkit coverage` lists, so that a user
of a panel of thousands of reports sees which rows are missing and what the text
says instead."""
from __future__ import annotations

from ..structure.metadata import Metadata
from .figures import ReportFigures

COVERED = ("region", "plan_year", "review_year", "targets", "gdp_target")


def report_gaps(md: Metadata, has_plan: bool, figures: ReportFigures, partial: list[str]) -> dict[str, str]:
    """{what: why} for each of COVERED that the report lacks; ``has_plan`` says whether
    the report plans at all (structure.metadata.has_plan_part)."""
    gaps: dict[str, str] = {}
    cut = f" (the text is partial: {'; '.join(partial)})" if partial else ""
    if md.region is None:
        gaps["region"] = "the text names no government and the places it names do not single one out" + cut
    if md.plan_year is None:
        gaps["plan_year"] = ("no plan part in the text: it reviews only" if not has_plan else
                             "the plan part names no year and the report no date") + cut
    if md.review_year is None:
        gaps["review_year"] = "no review part in the text" + cut
    if figures.targets_span is None:
        gaps["targets"] = _why_no_statement(figures, has_plan) + cut
    if not any(f.indicator == "gdp" for f in figures.targets):
        gaps["gdp_target"] = gaps.get("targets") or _why_no_gdp_target(figures)
    return gaps


def _why_no_statement(figures: ReportFigures, has_plan: bool) -> str:
    if not has_plan:
        return "no plan part in the text (a review only, or a cut copy)"
    five_year = [f for f in figures.figures if f.kind == "multi_year_target"]
    annual = [f for f in figures.figures if f.kind == "target"]
    if five_year and not annual:
        return "the plan part sets five-year goals only (年均…, 到20XX年…), no annual targets"
    if not annual:
        return "the plan part sets tasks without figures, no main targets"
    return "no statement of main targets: the plan part's figures are task numbers"


def _why_no_gdp_target(figures: ReportFigures) -> str:
    named = sorted({f.indicator for f in figures.targets if f.indicator != "other"})
    gdp_elsewhere = [f for f in figures.figures if f.indicator == "gdp" and f.kind in ("multi_year_target", "target")]
    if gdp_elsewhere:
        return ("the targets statement names no GDP target; GDP appears in the plan part as "
                + ", ".join(sorted({f.kind for f in gdp_elsewhere})))
    return "the targets statement names no GDP target (it sets " + (", ".join(named) or "no listed indicator") + ")"
