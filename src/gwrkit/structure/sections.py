"""Sections: the heading tree of a report, each section's kind, and its paragraphs.

Headings come in styles — 一、 / （一） / 1. / (1) / a '#' or wholly bold line / a
short unnumbered line (2023年重点任务) / a bold lead sentence that opens a paragraph.
Nesting follows the order in which styles appear (a style seen again closes the
deeper ones), which copes with reports that put unnumbered parts above 一、.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import vocab as V


_STYLES = V.HEADING_STYLES
# first match wins; order matters (民生实事 sits inside 重点工作). Each kind's words come
# from the vocabulary; the patterns added here are structure (a year, a span of words).
_KIND_RULES = [
    ("livelihood", re.compile(V.alt("heading_livelihood"))),
    ("self_building", re.compile(V.alt("heading_self_building"))),
    ("targets", re.compile(V.alt("heading_targets"))),
    ("tasks", re.compile(rf"{V.alt('heading_tasks')}|今后.{{0,4}}工作|\d{{4}}年.{{0,6}}工作$")),
    ("review", re.compile(rf"{V.alt('heading_review')}|过去[一五]年|取得.{{0,12}}[成进]")),
]
_TERMINAL = "。!?;:"
_STATES_NUMBERS = re.compile(r"\d(?:\.\d+)?\s*(?:%|‰|个百分点|万|亿|元|人|吨|斤|亩)|同步")


@dataclass
class Section:
    title: str
    style: str
    level: int
    kind: str             # review | targets | tasks | livelihood | self_building | other
    start: int            # heading start (normalized offset)
    heading_end: int
    end: int = 0
    parent: int | None = None
    own_kind: str | None = None   # the kind its own heading names, if any


@dataclass
class Paragraph:
    start: int
    end: int
    section: int | None


@dataclass
class Outline:
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)


def heading_kind(title: str) -> str | None:
    for kind, rx in _KIND_RULES:
        if rx.search(title):
            return kind
    return None


def _heading_of(line: str, start: int, bold: dict[int, int], md: set[int],
                next_len: int) -> tuple[str, int] | None:
    """(style, heading length) when the paragraph at ``start`` opens with a heading."""
    for style, rx in _STYLES:
        if rx.match(line):
            stop = _first_stop(line)
            return style, (stop if stop and stop < len(line) - 1 else len(line))
    if start in md:
        return "md", len(line)
    if start in bold:
        end = bold[start] - start
        return ("bold", len(line)) if end >= len(line) - 1 else ("lead", end)
    if (len(line) <= 30 and line[-1] not in _TERMINAL and next_len > len(line)
            and not line.startswith(("——", "各位代表"))):
        return "plain", len(line)
    return None


def _first_stop(line: str) -> int | None:
    m = re.search(r"[。!?]", line)
    return m.end() if m else None


def build_outline(text: str, start: int, end: int, emphasis: list[tuple[int, int]],
                  heading_lines: set[int], skip: list[tuple[int, int]] = ()) -> Outline:
    """Outline of text[start:end]; ranges in ``skip`` (foreign text) are left out."""
    bold = {a: b for a, b in emphasis if start <= a < end}
    lines = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if stop > pos and not any(a <= pos < b for a, b in skip):
            lines.append((pos, stop))
        pos = stop + 1
    outline = Outline()
    stack: list[int] = []          # open section indexes, outermost first
    for k, (a, b) in enumerate(lines):
        line = text[a:b]
        nxt = lines[k + 1][1] - lines[k + 1][0] if k + 1 < len(lines) else 0
        found = _heading_of(line, a, bold, heading_lines, nxt)
        if found:
            style, hlen = found
            while stack and outline.sections[stack[-1]].style != style and style in {
                    outline.sections[i].style for i in stack}:
                stack.pop()
            if stack and outline.sections[stack[-1]].style == style:
                stack.pop()
            title = line[:hlen].strip()
            parent = stack[-1] if stack else None
            own = heading_kind(title)
            sec = Section(title, style, len(stack) + 1, own or "other", a, a + hlen, b, parent, own)
            outline.sections.append(sec)
            stack.append(len(outline.sections) - 1)
            # body text after the heading, or a numbered item that states figures
            # (1.地区生产总值增长5%左右;), is read as a paragraph too
            if hlen < len(line) or _STATES_NUMBERS.search(line):
                outline.paragraphs.append(Paragraph(a, b, stack[-1]))
        else:
            outline.paragraphs.append(Paragraph(a, b, stack[-1] if stack else None))
    _close_sections(outline, lines[-1][1] if lines else end)
    _assign_kinds(outline)
    return outline


def _close_sections(outline: Outline, end: int) -> None:
    secs = outline.sections
    for i, sec in enumerate(secs):
        sec.end = end
        for later in secs[i + 1:]:
            if later.level <= sec.level:
                sec.end = later.start
                break


def _assign_kinds(outline: Outline) -> None:
    """A section without a kind of its own takes its parent's; a top-level one takes
    the kind of the part of the report it sits in (after the targets come the tasks)."""
    previous_top = None
    for sec in outline.sections:
        parent_kind = outline.sections[sec.parent].kind if sec.parent is not None else None
        if parent_kind == "review":
            sec.kind = "review"        # everything under a review reviews (完成全年各项目标任务)
        elif sec.own_kind:
            sec.kind = sec.own_kind
        elif sec.parent is not None:
            sec.kind = outline.sections[sec.parent].kind
        elif previous_top is not None:
            sec.kind = "tasks" if previous_top in ("targets", "tasks") else previous_top
        if sec.parent is None:
            previous_top = sec.kind
