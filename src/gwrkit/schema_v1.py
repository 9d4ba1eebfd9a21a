"""Schema v1 output (../shared/gold/GUIDE.md): what ``gwrkit extract FILE --json``
prints. Extra fields beyond the schema are allowed and carry provenance."""
from __future__ import annotations

from pathlib import Path

from .extract.figures import Figure
from .extract.lexicon import default_lexicon
from .pipeline import ParsedDocument, Report

SCHEMA_VERSION = 1


def report_record(doc: ParsedDocument, report: Report) -> dict:
    md = report.metadata
    return {
        "region": md.region,
        "region_aliases": md.region_aliases,
        "province": md.province,
        "level": md.level,
        "delivered_on": md.delivered_on,
        "congress_term": md.congress_term,
        "congress_session": md.congress_session,
        "speaker": md.speaker,
        "title_year": md.title_year,
        "review_year": md.review_year,
        "plan_year": md.plan_year,
        "begins_with": report.begins_with,
        "targets": [target_record(doc, f, report) for f in report.figures.targets],
        "actuals": [actual_record(doc, f, report) for f in report.figures.actuals(md.review_year)],
        "targets_absent": report.targets_absent,
        "targets_found_by": report.figures.targets_evidence,
        "gaps": report.gaps,
        "figures": [figure_record(doc, f, report) for f in report.figures.figures
                    if not (f.kind == "target" and f.scope == "main")],
        # extras: provenance and flags
        "region_code": md.region_code,
        "region_method": md.region_method,
        "region_confidence": md.region_confidence,
        "date_source": md.date_source,
        "partial": report.is_partial,
        "partial_reasons": report.partial,
        "span": [report.start, report.end],
        "sections": [
            {"title": s.title, "level": s.level, "kind": s.kind,
             "span": list(doc.original_span(s.start, s.end))}
            for s in report.outline.sections if s.level <= 2
        ],
    }


def _indicator(f: Figure, report: Report | None = None) -> tuple[str, str | None]:
    """Schema v1 id, and the extended id when gwrkit knows more than schema v1 lists."""
    lex = (report.figures.lexicon if report is not None and report.figures else None) or default_lexicon()
    if f.indicator == "other" or lex.in_schema_v1(f.indicator):
        return f.indicator, None
    return "other", f.indicator


SENTENCE_CONTEXT = 200      # a longer sentence is quoted this many characters either side of the figure


def _evidence(doc: ParsedDocument, f: Figure, report: Report | None = None) -> dict:
    a, b = doc.original_span(f.start, f.end)
    # a run-on "sentence" (a list of figures without a full stop) is quoted around the figure
    s_start = max(f.sentence_start, f.start - SENTENCE_CONTEXT)
    s_end = min(f.sentence_end, f.end + SENTENCE_CONTEXT)
    out = {"evidence": doc.source.text[a:b], "span": [a, b],
           "sentence": doc.original_text(s_start, s_end),
           "paragraph": f.paragraph}
    if report is not None and f.section is not None:
        out["section"] = report.outline.sections[f.section].title
    return out


def target_record(doc: ParsedDocument, f: Figure, report: Report | None = None) -> dict:
    ind, ext = _indicator(f, report)
    rec = {"indicator": ind, "label": f.label, "metric": f.metric, "value": f.value,
           "value_high": f.value_high, "unit": f.unit, "modifier": f.modifier, "stretch": f.stretch}
    rec.update(_evidence(doc, f, report))
    if ext:
        rec["indicator_ext"] = ext
    return rec


def actual_record(doc: ParsedDocument, f: Figure, report: Report | None = None) -> dict:
    rec = {"indicator": f.indicator, "metric": f.metric, "value": f.value, "unit": f.unit,
           "year": f.year, "estimated": f.estimated, "modifier": f.modifier}
    rec.update(_evidence(doc, f, report))
    return rec


def figure_record(doc: ParsedDocument, f: Figure, report: Report | None = None) -> dict:
    ind, ext = _indicator(f, report)
    rec = {"indicator": ind, "indicator_ext": ext, "label": f.label, "metric": f.metric, "value": f.value,
           "value_high": f.value_high, "unit": f.unit, "normalized_value": f.base_value,
           "modifier": f.modifier, "stretch": f.stretch, "kind": f.kind, "scope": f.scope, "year": f.year,
           "estimated": f.estimated}
    rec.update(_evidence(doc, f, report))
    return rec


def document_record(doc: ParsedDocument) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "source": Path(doc.source.path).name,
        "format": doc.source.format,
        "encoding": doc.source.encoding,
        "sha256": doc.source.sha256,
        "reports": [report_record(doc, r) for r in doc.reports],
        "unclaimed": [
            {"kind": s.kind, "reason": s.reason, "span": list(doc.original_span(s.start, s.end))}
            for s in doc.segments
        ],
        "warnings": doc.warnings,
    }
