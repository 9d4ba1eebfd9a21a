"""Split a normalized document into reports and the text that belongs to none.

A report is anchored at its opening (各位代表：现在，我代表…向大会报告工作) or, when the
opening is missing (a newspaper page that starts mid-report), at a dateline
(——2021年1月30日在郑州市第十五届人民代表大会第四次会议上). The header above an
opening (title, dateline, speaker, page furniture between them) is walked back over
and joined to the report. What lies outside every report (site chrome, a table of
contents, an unrelated article printed inside a report, a teaser that repeats a
report's first line) is kept as a segment with its reason, never dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import vocab as V
from ..structure import patterns as P
from ..structure.names import looks_like_name
from ..structure.sections import heading_kind

MIN_REPORT_CHARS = 300     # less body than this is a teaser or a link, not a report
MAX_RESOLUTION_CHARS = 3000   # a congress's resolution on the report is short
HEADER_WALK_LINES = 40     # how far above an opening its header may start
SHORT_LINE = 40


@dataclass
class Segment:
    """Text that belongs to no report (normalized offsets)."""
    start: int
    end: int
    kind: str          # chrome | toc | foreign | fragment
    reason: str


@dataclass
class ReportSpan:
    start: int                     # first character of the header (or body)
    end: int                       # end of the report text
    body_start: int                # opening line, or first body line
    header_lines: list[tuple[int, int]] = field(default_factory=list)
    opening: int | None = None     # start of the 各位代表 line
    partial: list[str] = field(default_factory=list)
    excluded: list[Segment] = field(default_factory=list)


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str, start: int, end: int) -> list[_Line]:
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if stop > pos:
            out.append(_Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return out


def _is_title(line: str) -> bool:
    return len(line) <= 80 and bool(P.TITLE.match(line))


def _title_region(line: str) -> str:
    """The government a title names; '' for none or a bare 省/市 (a breadcrumb)."""
    m = P.TITLE.match(line)
    region = (m.group("region") or "") if m else ""
    return region if len(region) > 1 else ""


DATELINE_MAX = 100     # a dateline is a line of its own, not a paragraph that mentions a session


def _is_dateline(lines: list[_Line], i: int) -> bool:
    """A line that opens with a date or 在 and names a congress session, perhaps
    wrapping onto the next line; not a sentence (a dateline has no full stop)."""
    text = lines[i].text
    if len(text) > DATELINE_MAX or "。" in text or not P.DATELINE_START.match(text):
        return False
    window = "\n".join(line.text for line in lines[i:i + 2])
    m = P.CONGRESS.search(window)
    return bool(m) and m.start() < len(text)


def _is_header_like(line: str) -> bool:
    """Title, dateline, speaker, caption or page furniture: what sits between a
    report's title and its opening."""
    if _is_title(line) or P.DATELINE_START.match(line) or P.CHROME_LINE.match(line):
        return True
    if "作政府工作报告" in line or line.endswith("摄"):
        return len(line) <= 160       # photo captions
    return len(line) <= SHORT_LINE and "。" not in line


def _is_chrome_tail(line: str) -> bool:
    """A line of page furniture after a report's last paragraph."""
    if P.CHROME_LINE.match(line) or P.TRUNCATION.search(line) or P.URL.search(line):
        return True
    if _is_title(line):
        return True
    if line.startswith("各位代表") or "让我们" in line:      # the closing words of a speech
        return False
    return len(line) <= SHORT_LINE and not re.search(r"[。;]$", line)


def _find_openings(lines: list[_Line], text: str) -> list[int]:
    """Lines that open a speech: the address, then the report put to the congress
    within OPENING_WINDOW characters and before the next address (see
    patterns.ADDRESS_LINE). Where the address runs straight into 我代表 (the common
    form) it opens a report anywhere; a looser opening (a preamble first, 各位代表,同志们,
    a lost first character) opens one only as the first of its part or under a header
    line, since a report addresses the congress again in its body (各位代表!…)."""
    addressed = [(i, m) for i, line in enumerate(lines) if (m := P.ADDRESS_LINE.match(line.text))]
    found: list[int] = []
    for k, (i, m) in enumerate(addressed):
        line = lines[i]
        start = line.start + m.end()
        stop = start + P.OPENING_WINDOW
        if k + 1 < len(addressed):
            stop = min(stop, lines[addressed[k + 1][0]].start)
        if not P.SUBMITS_REPORT.search(text, start, stop):
            continue
        window = line.text + ("\n" + lines[i + 1].text if i + 1 < len(lines) else "")
        strict = bool(P.OPENING.match(window[:120]))
        if strict or not found or (i > 0 and _opens_header(lines, i - 1)):
            found.append(i)
    return found


def _opens_header(lines: list[_Line], j: int) -> bool:
    """Is line j a title, dateline, date line or speaker line (what stands above an
    opening)?"""
    text = lines[j].text
    return (_is_title(text) or _is_dateline(lines, j) or bool(P.DATE_LINE.match(text))
            or _is_speaker_line(text))


def _toc_blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    """Index ranges of tables of contents: a 目录 line and the entries below it."""
    blocks = []
    for i, line in enumerate(lines):
        if P.TOC_HEADING.match(line.text.replace(" ", "")):
            j = i + 1
            while j < len(lines) and (P.TOC_ENTRY.match(lines[j].text) or
                                      (len(lines[j].text) <= SHORT_LINE and "。" not in lines[j].text
                                       and not _is_title(lines[j].text)
                                       and not P.DATELINE_START.match(lines[j].text)
                                       and not P.OPENING.match(lines[j].text))):
                j += 1
            if j - i > 2:
                blocks.append((i, j))
    return blocks


def _header_start(lines: list[_Line], opening: int, floor: int) -> tuple[int, list[int]]:
    """Walk back from an opening over its header; return the first header line
    index and the header line indexes. The report starts at the earliest title
    that does not name another government than the title nearest the opening."""
    header, titles, others = [], [], []
    j = opening - 1
    while j >= floor and opening - j <= HEADER_WALK_LINES and _is_header_like(lines[j].text):
        header.append(j)
        if _is_title(lines[j].text):
            titles.append(j)
        elif _is_dateline(lines, j) or _is_speaker_line(lines[j].text) or P.DATE_LINE.match(lines[j].text):
            others.append(j)
        j -= 1
    start = opening
    if titles:
        nearest_region = _title_region(lines[titles[0]].text)
        for t in titles:  # nearest first
            region = _title_region(lines[t].text)
            if region and nearest_region and region not in nearest_region and nearest_region not in region:
                break
            nearest_region = nearest_region or region
            start = t
    elif others:
        start = others[-1]          # no title: the header starts at its first dateline or speaker line
    return start, sorted(h for h in header if h >= start)


def _is_speaker_line(line: str) -> bool:
    """天津市市长戴相龙 / 省长 胡玉亭 / 毛伟明: the speaker on a line of their own."""
    m = P.SPEAKER.search(line)
    return bool(m and m.start() <= 20 and len(line) <= 40) or looks_like_name(line.strip("*() "))


def split_part(text: str, start: int, end: int) -> tuple[list[ReportSpan], list[Segment]]:
    lines = _lines(text, start, end)
    if not lines:
        return [], []
    segments: list[Segment] = []
    toc = _toc_blocks(lines)
    in_toc = {k for a, b in toc for k in range(a, b)}
    for a, b in toc:
        segments.append(Segment(lines[a].start, lines[b - 1].end, "toc", "table of contents"))

    anchors = _anchors(lines, text, in_toc)
    if not anchors:
        fallback = _report_without_anchor(lines, in_toc)
        if fallback is not None:
            anchors.append(fallback)
    anchors.sort()

    reports: list[ReportSpan] = []
    cursor = 0
    for k, (first, body, header, opening) in enumerate(anchors):
        nxt = anchors[k + 1][0] if k + 1 < len(anchors) else len(lines)
        if first > cursor:
            _add_gap(segments, lines, cursor, first, in_toc)
        last = nxt - 1
        tail_reason = ""
        while last >= body and (_is_chrome_tail(lines[last].text) or last in in_toc):
            if P.TRUNCATION.search(lines[last].text):
                tail_reason = "ends mid-text: the page offers the rest behind a link"
            last -= 1
        cursor = nxt
        if last + 1 < nxt:
            _add_gap(segments, lines, last + 1, nxt, in_toc)
        span = ReportSpan(lines[first].start, lines[max(last, body - 1)].end if last >= first else lines[first].end,
                          lines[body].start if body < len(lines) else lines[-1].end,
                          [(lines[h].start, lines[h].end) for h in header],
                          lines[opening].start if opening is not None else None)
        body_lines = [ln for ln in lines[body:last + 1]]
        span.excluded = _foreign_blocks(body_lines)
        body_chars = sum(ln.end - ln.start for ln in body_lines) - sum(s.end - s.start for s in span.excluded)
        if opening is None and body_chars < MAX_RESOLUTION_CHARS and \
                P.RESOLUTION.search("\n".join(ln.text for ln in body_lines[:3])):
            segments.append(Segment(span.start, span.end, "resolution",
                                    "the congress's resolution on the report, not the report"))
            continue
        if body_chars < MIN_REPORT_CHARS:
            segments.append(Segment(span.start, max(span.end, span.start), "fragment",
                                    f"report-like text too short to be a report ({body_chars} chars)"))
            segments.extend(span.excluded)
            continue
        if opening is None:
            span.partial.append("no opening (各位代表…) before the body: starts mid-text or abridged")
        if tail_reason:
            span.partial.append(tail_reason)
        elif body_lines and P.JUMP_TO.search(body_lines[-1].text):
            span.partial.append("ends mid-text: continued on another page")
        reports.append(span)
    if cursor < len(lines):
        _add_gap(segments, lines, cursor, len(lines), in_toc)
    return reports, segments


def _anchors(lines: list[_Line], text: str, in_toc: set[int]) -> list[tuple[int, int, list[int], int | None]]:
    """Where reports begin: (first line, first body line, header lines, opening line or
    None), from openings with the header above them, datelines, and titled abridgements."""
    anchors: list[tuple[int, int, list[int], int | None]] = []   # (start idx, body idx, header idxs, opening)
    floor = 0
    openings = _find_openings(lines, text)
    claimed = set(in_toc)
    for o in openings:
        first, header = _header_start(lines, o, floor)
        anchors.append((first, o, header, o))
        claimed.update(range(first, o + 1))
        floor = o + 1
    # reports without an opening: a dateline (and the title just above it)
    for i in range(len(lines)):
        if i in claimed or not _is_dateline(lines, i):
            continue
        first = i - 1 if i > 0 and _is_title(lines[i - 1].text) and i - 1 not in claimed else i
        body = i + 1
        # the header ends at the first line that is not header-like; a numbered heading
        # right under the dateline (一、2023年工作回顾, in an abridged copy) starts the body
        while body < len(lines) and body - i <= 3 and _is_header_like(lines[body].text) \
                and not P.JUMP_FROM.match(lines[body].text) and not V.TOP_HEADING.match(lines[body].text):
            body += 1
        anchors.append((first, body, list(range(first, body)), None))
        claimed.update(range(first, body))
    # abridged reports in a compilation: a title naming a government, then the body
    for i, line in enumerate(lines):
        if i in claimed or not _title_region(line.text) or not _body_follows(lines, i):
            continue
        anchors.append((i, i + 1, [i], None))
        claimed.add(i)
    return anchors


def report_starts(lines: list[str]) -> list[tuple[int, int, int, int]]:
    """Where reports begin in a run of lines as read (a window of a text too long to hold
    whole), by the evidence split_part anchors on. For each, the indexes of four lines:
    the first after the text before it (the previous report's last line; the chrome,
    captions and comments between belong with this one), the first of its header, the
    one that shows it begins (an opening put strictly, 各位代表：现在，我代表…; a dateline;
    a title naming a government with the body under it), and its first body line. The
    lines are normalized here as a text file is (HTML comments hidden)."""
    from bisect import bisect_right

    from .normalize import normalize
    from .readers import _html_comments

    raw = "\n".join(lines)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    norm = normalize(raw, hidden=[(a, b) for a, b, _, _ in _html_comments(raw, 0)])
    text = norm.text
    nlines = _lines(text, 0, len(text))
    toc = _toc_blocks(nlines)
    in_toc = {k for a, b in toc for k in range(a, b)}

    def raw_line(offset: int) -> int:
        return bisect_right(starts, norm.offsets.to_source(offset)) - 1

    def raw_index(k: int) -> int:
        return raw_line(nlines[k].start) if k < len(nlines) else len(lines)

    out = []
    for first, body, header, opening in sorted(_anchors(nlines, text, in_toc)):
        if opening is not None:
            window = nlines[opening].text + ("\n" + nlines[opening + 1].text if opening + 1 < len(nlines) else "")
            if not P.OPENING.match(window[:120]):
                continue
            evidence = opening
        elif first + 1 < body and _is_dateline(nlines, first + 1) and not _is_dateline(nlines, first):
            evidence = first + 1            # a title above a dateline
        else:
            evidence = first
        # the previous report ends at its last line that is not page furniture (as
        # split_part trims it); a truncation mark stays with it (it makes it partial)
        last = first - 1
        while last >= 0 and _is_chrome_tail(nlines[last].text) and not P.TRUNCATION.search(nlines[last].text):
            last -= 1
        gap = raw_line(nlines[last].end - 1) + 1 if last >= 0 else raw_index(first)
        out.append((gap, raw_index(first), raw_index(evidence), raw_index(body)))
    return out

MIN_UNANCHORED_CHARS = 3000     # a part with no anchor must be this long to be read as one report
UNANCHORED_LEAD_LINES = 12      # where its first heading or header line may stand


def _report_without_anchor(lines: list[_Line], in_toc: set[int]):
    """A part with no opening, dateline or titled abridgement can still be a report
    whose copy starts at its first heading (一、2011年工作回顾) or at a date line: when
    the part is long and such a line leads it, the report starts there."""
    if sum(ln.end - ln.start for ln in lines) < MIN_UNANCHORED_CHARS:
        return None
    for i, line in enumerate(lines[:UNANCHORED_LEAD_LINES]):
        if i in in_toc:
            continue
        text = line.text
        if P.DATE_LINE.match(text) or _is_speaker_line(text):
            return (i, i + 1, [i], None)
        if V.TOP_HEADING.match(text) and heading_kind(text) in ("review", "targets", "tasks"):
            return (i, i, [], None)
    return None


def _body_follows(lines: list[_Line], i: int) -> bool:
    """Does report text start right under line i (a numbered heading or a paragraph)?"""
    for j in range(i + 1, min(i + 3, len(lines))):
        text = lines[j].text
        if V.TOP_HEADING.match(text) or len(text) >= 60:
            return True
        if not _is_header_like(text):
            return False
    return False


def _add_gap(segments: list[Segment], lines: list[_Line], a: int, b: int, in_toc: set[int]) -> None:
    """Lines a..b-1 belong to no report: record them (TOC lines are recorded already)."""
    run = [k for k in range(a, b) if k not in in_toc]
    if run:
        segments.append(Segment(lines[run[0]].start, lines[run[-1]].end, "chrome",
                                "page furniture or text outside any report"))


# --- an unrelated article printed inside a report (newspaper pages) ----------------

_REPORT_CUES = re.compile(r"加快|推进|实施|建设|提升|完善|深化|强化|持续|坚持|确保|推动|打造|全面|加强|健全"
                          r"|统筹|力争|扎实|着力|优化|积极|大力|开展|落实|新增|增长")
_NEWS_CUES = re.compile(r"记者|介绍|表示|据悉|经查|某[县市地区省单位人]|负责人|当事人|网友|网民|留言|反映"
                        r"|采访|通讯员|日电|报道|称,|说,|:“")
_FRAGMENT_START = re.compile(r"^[\u4e00-\u9fff]{1,3}[。;]")


def _looks_like_report(line: str) -> bool:
    return len(_REPORT_CUES.findall(line)) - 2 * len(_NEWS_CUES.findall(line)) >= 3


def _foreign_blocks(body: list[_Line]) -> list[Segment]:
    """A second jump marker (上接…版) inside a report's body starts another article;
    it runs until the report resumes (a broken-off fragment such as “设。…”, or a
    paragraph in the report's own voice) or until its own 下转 marker."""
    blocks = []
    i = 1
    while i < len(body):
        if not P.JUMP_FROM.match(body[i].text):
            i += 1
            continue
        j = i + 1
        while j < len(body):
            t = body[j].text
            if _FRAGMENT_START.match(t) or _looks_like_report(t):
                break
            j += 1
            if P.JUMP_TO.search(body[j - 1].text):
                break
        blocks.append(Segment(body[i].start, body[j - 1].end, "foreign",
                              "another article printed inside the report (jump marker 上接)"))
        i = j
    return blocks


def split_document(text: str, parts: list[tuple[int, int]]) -> tuple[list[ReportSpan], list[Segment]]:
    reports, segments = [], []
    for a, b in parts:
        r, s = split_part(text, a, b)
        reports += r
        segments += s
    segments.sort(key=lambda s: s.start)
    return reports, segments
