"""From a file to parsed reports: read -> normalize -> split -> outline -> metadata.

Spans are kept in two coordinates: ``norm_*`` in the normalized text the rules ran
on, and ``start``/``end`` in the document's original text (the text as read), which
is what users and the store see.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .extract.figures import ReportFigures, extract_report_figures
from .extract.gaps import report_gaps
from .extract.lexicon import Lexicon
from .ingest.normalize import NormalizedText, fold_width, normalize
from .ingest.pieces import DEFAULT_STREAM, StreamOptions, read_pieces
from .ingest.readers import DEFAULT_MAX_BYTES, Part, SourceDocument, markup_outside_text, read_document
from .ingest.splitting import ReportSpan, Segment, split_document
from .structure.metadata import (Metadata, has_plan_part, merge_headers, parse_header, parse_published_title,
                                 report_years, reread_kinds, resolve_region)
from .structure.sections import Outline, build_outline

PIPELINE_VERSION = "21"  # 21: sums over years weighed by the report (term review, plan end) and the year's growth
NO_REPORT = "no government work report found in the text"


def analysis_version(lexicon: Lexicon) -> str:
    """What stored rows were read with: the pipeline's version and the lexicon's
    fingerprint (rows read with another lexicon are read again)."""
    return f"{PIPELINE_VERSION}+lexicon.{lexicon.fingerprint()}"


@dataclass
class Report:
    index: int
    start: int              # original offsets
    end: int
    body_start: int
    metadata: Metadata
    partial: list[str]
    outline: Outline
    excluded: list[Segment]
    span: ReportSpan        # normalized offsets
    begins_with: str = ""
    figures: ReportFigures | None = None
    gaps: dict[str, str] = field(default_factory=dict)    # what the report lacks, and why

    @property
    def is_partial(self) -> bool:
        return bool(self.partial)

    @property
    def targets_absent(self) -> str | None:
        """Why the report states no main targets, when it does not."""
        return self.gaps.get("targets")


@dataclass
class ParsedDocument:
    source: SourceDocument
    norm: NormalizedText
    reports: list[Report]
    segments: list[Segment]        # normalized offsets
    warnings: list[str] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end)

    def original_text(self, start: int, end: int) -> str:
        a, b = self.norm.to_original(start, end)
        return self.source.text[a:b]


def parse_file(path: str | Path, *, text_column: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, lexicon: Lexicon | None = None) -> ParsedDocument:
    """Read and parse one file. ``lexicon`` is the indicator lexicon (default: the
    one shipped as package data)."""
    return parse_source(read_document(path, text_column=text_column, max_bytes=max_bytes), lexicon)


def parse_pieces(path: str | Path, *, text_column: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 lexicon: Lexicon | None = None, options: StreamOptions = DEFAULT_STREAM,
                 sha256: str | None = None) -> Iterator[ParsedDocument]:
    """Read and parse a large file a piece at a time (see ingest/pieces.py): one parsed
    document per piece, each with offsets into its own text; only one is in memory."""
    for src in read_pieces(path, text_column=text_column, max_bytes=max_bytes, options=options, sha256=sha256):
        yield parse_source(src, lexicon)


def parse_text(text: str, name: str = "<text>", lexicon: Lexicon | None = None) -> ParsedDocument:
    """Parse a string as if it were a .txt file (handy in tests and notebooks)."""
    import hashlib

    meta, hidden = markup_outside_text(text)
    src = SourceDocument(name, "text", "utf-8", len(text.encode()),
                         hashlib.sha256(text.encode()).hexdigest(), text, [Part(0, len(text), dict(meta))],
                         meta=meta, hidden=hidden)
    return parse_source(src, lexicon)


def parse_source(src: SourceDocument, lexicon: Lexicon | None = None) -> ParsedDocument:
    norm = normalize(src.text, src.furniture, [(a, b) for a, b, _, _ in src.hidden])
    part_ranges = [(norm.offsets.from_source(p.start), norm.offsets.from_source(p.end)) for p in src.parts]
    spans, segments = split_document(norm.text, part_ranges)
    reports = []
    comments = [(a, text) for a, _, kind, text in src.hidden if kind == "comment"]
    previous_end = 0
    for i, span in enumerate(spans):
        k = next((k for k, (a, b) in enumerate(part_ranges) if a <= span.start < b), 0)
        alone = sum(1 for sp in spans if part_ranges[k][0] <= sp.start < part_ranges[k][1]) == 1 \
            and not src.other_pieces
        # a comment between the previous report and this one's end is this report's
        # (a photo caption above the title, or one inside the text)
        end = norm.offsets.to_source(span.end)
        captions = [text for a, text in comments if previous_end <= a < end]
        previous_end = end
        reports.append(_build_report(i, span, norm, src, src.parts[k].meta, captions, alone, lexicon))
    warnings = list(src.warnings)
    if not reports:
        warnings.append(NO_REPORT)
    return ParsedDocument(src, norm, reports, segments, warnings)


def _build_report(index: int, span: ReportSpan, norm: NormalizedText, src: SourceDocument,
                  hints: dict, captions: list[str] = (), alone: bool = True,
                  lexicon: Lexicon | None = None) -> Report:
    text = norm.text
    # the header lines are parsed together: a dateline may wrap onto the next line.
    # What the header lacks may come from a photo caption, then from the publisher's
    # title of the page (front matter, a title column) when it holds this report alone.
    header = parse_header([text[a:b] for a, b in span.header_lines])
    fallbacks = [parse_header([fold_width(c) for c in captions])] if captions else []
    title = hints.get("title") if alone else None
    published = parse_published_title(fold_width(str(title))) if title else None
    header = merge_headers(header, *fallbacks, *([published] if published else []))
    skip = [(s.start, s.end) for s in span.excluded]
    body = _without(text, span.body_start, span.end, skip)
    md = resolve_region(header, body, hints, published)
    md.title, md.title_year = header.title, header.title_year
    md.delivered_on, md.date_source, md.speaker = header.delivered_on, header.date_source, header.speaker
    md.congress_term, md.congress_session = header.term, header.session
    outline = build_outline(text, span.body_start, span.end, norm.emphasis, norm.heading_lines, skip)
    has_plan = has_plan_part(outline, body)
    md.review_year, md.plan_year = report_years(outline, text, body, md.delivered_on, has_plan, md.title_year,
                                                md.date_source)
    if md.plan_year is not None:
        reread_kinds(outline, md.plan_year)
    own_names = frozenset(n for n in [md.region, *md.region_aliases] if n and len(n) >= 2)
    reviews_a_term = None if md.congress_session is None else md.congress_session == 1
    figures = extract_report_figures(text, outline, md.review_year, md.plan_year, lexicon, skip, own_names,
                                     reviews_a_term)
    gaps = report_gaps(md, has_plan, figures, span.partial)
    start, end = norm.to_original(span.start, span.end)
    start = _line_markup_start(src.text, start)
    body_start = norm.offsets.to_source(span.body_start)
    return Report(index, start, end, body_start, md, span.partial, outline,
                  span.excluded, span, src.text[start:start + 12], figures, gaps)


_MARKUP_LEAD = re.compile(r"[ \t\u3000*#>_]*$")


def _line_markup_start(original: str, start: int) -> int:
    """A report that starts at a marked-up line (**政府工作报告**, ## 标题) starts at
    the markup, so that its span holds the whole line as written."""
    line_start = original.rfind("\n", 0, start) + 1
    return line_start if _MARKUP_LEAD.match(original, line_start, start) else start


def _without(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> str:
    pieces, pos = [], start
    for a, b in sorted(skip):
        if a > pos:
            pieces.append(text[pos:a])
        pos = max(pos, b)
    pieces.append(text[pos:end])
    return "".join(pieces)
