"""Schema v1 output (../shared/gold/GUIDE.md): what ``gwrkit extract FILE --json``
prints. Extra fields beyond the schema are allowed and carry provenance."""
from __future__ import annotations

from pathlib import Path

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
        "targets": [],
        "actuals": [],
        # extras: provenance and flags
        "region_code": md.region_code,
        "region_method": md.region_method,
        "region_confidence": md.region_confidence,
        "partial": report.is_partial,
        "partial_reasons": report.partial,
        "span": [report.start, report.end],
        "sections": [
            {"title": s.title, "level": s.level, "kind": s.kind,
             "span": list(doc.original_span(s.start, s.end))}
            for s in report.outline.sections if s.level <= 2
        ],
    }


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
