"""Sections: the heading tree of a report, each section's kind, and its paragraphs.

Headings come in styles — 一、 / （一） / 1. / (1) / a '#' or wholly bold line / a
short unnumbered line (2023年重点任务) / a bold lead sentence that opens a paragraph.
Nesting follows the order in which styles appear (a style seen again closes the
deeper ones), which copes with reports that put unnumbered parts above 一、.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .. import vocab as V


_STYLES = V.HEADING_STYLES
# the styles as one alternation, tried in their order (one match call per line instead of
# one per style); the group that matched names the style
_ANY_STYLE = re.compile("|".join(f"(?P<{style}>{rx.pattern.removeprefix('^')})" for style, rx in _STYLES))
# first match wins; order matters (民生实事 sits inside 重点工作). Each kind's words come
# from the vocabulary; the patterns added here are structure (a year, a span of words).
_KIND_RULES = [
    ("livelihood", re.compile(V.alt("heading_livelihood"))),
    ("self_building", re.compile(V.alt("heading_self_building"))),
    ("targets", re.compile(V.alt("heading_targets"))),
    ("tasks", re.compile(rf"{V.alt('heading_tasks')}|今后.{{0,4}}工作|\d{{4}}年.{{0,6}}工作$|做好.{{0,8}}工作")),
    ("review", re.compile(rf"{V.alt('heading_review', 'heading_review_weak')}|过去[一五]年|取得.{{0,12}}[成进]")),
]
_STRONG_REVIEW = re.compile(rf"{V.alt('heading_review')}|过去[一五]年")
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
    plan_start: int | None = None     # where the plan part begins (normalized offset)
    text: str = ""                    # the text the offsets point into
    _tenses: list = field(default_factory=list, repr=False)

    def tense_of(self, k: int) -> tuple[int, int, int]:
        """(past markers, future markers, characters) of paragraph k, counted once."""
        if not self._tenses:
            self._tenses = [None] * len(self.paragraphs)
        t = self._tenses[k]
        if t is None:
            p = self.paragraphs[k]
            t = self._tenses[k] = (*tense_counts(self.text[p.start:p.end]), p.end - p.start)
        return t

    @property
    def tenses(self) -> list[tuple[int, int, int]]:
        return [self.tense_of(k) for k in range(len(self.paragraphs))]

    def kind_of(self, p: Paragraph) -> str:
        """The kind of the part a paragraph is in: its section's, except that text
        past the start of the plan part plans, whatever heading it sits under."""
        kind = self.sections[p.section].kind if p.section is not None else "other"
        if self.plan_start is not None and p.start >= self.plan_start and kind in ("review", "other"):
            return "tasks"
        return kind


def heading_kind(title: str) -> str | None:
    for kind, rx in _KIND_RULES:
        if rx.search(title):
            return kind
    return None


def _heading_of(line: str, start: int, bold: dict[int, int], md: set[int],
                next_len: int) -> tuple[str, int] | None:
    """(style, heading length) when the paragraph at ``start`` opens with a heading.
    The address (各位代表:) is never one, even set in bold."""
    if _ADDRESS.match(line):
        return None
    numbered = _ANY_STYLE.match(line)
    if numbered:
        stop = _first_stop(line)
        if start in bold and bold[start] - start < len(line) - 1:
            stop = bold[start] - start      # **三、2012年工作部署** 今年是…: the bold part
        return numbered.lastgroup, (stop if stop and stop < len(line) - 1 else len(line))
    if start in md:
        return "md", len(line)
    if start in bold:
        end = bold[start] - start
        return ("bold", len(line)) if end >= len(line) - 1 else ("lead", end)
    if len(line) <= 30 and line[-1] not in _TERMINAL and next_len > len(line) and not line.startswith("——"):
        return "plain", len(line)
    return None


_ADDRESS = re.compile(V.alt("address"))


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
    outline.text = text
    _assign_kinds(outline)
    outline.plan_start = find_plan_start(outline)
    return outline


def _close_sections(outline: Outline, end: int) -> None:
    secs = outline.sections
    for i, sec in enumerate(secs):
        sec.end = end
        for later in secs[i + 1:]:
            if later.level <= sec.level:
                sec.end = later.start
                break


# a part's tense: (past markers + 1) / (future markers + 1) over its text. Headed
# review parts of the lawtext corpus score 0.54 or more (98% of 2,102) and headed task
# parts under 0.5 (95% of 1,912; 90% under 0.25); with fewer markers than
# MIN_TENSE_MARKERS the text is too short to tell and the heading decides. Future
# markers run at 2.6 per 1,000 characters in the median task part, 0.6 in a review.
# one pass: at each place the longest word wins, so 主要 and 为了 (false friends) are read
# whole, not as 要 and 了
_TENSE_WORD = re.compile(V.alt("past_marker", "future_marker", "future_false_friend", "past_false_friend"))
_TENSE_OF = {**{w: (0, 0) for w in V.words("future_false_friend") + V.words("past_false_friend")},
             **{w: (0, 1) for w in V.words("future_marker")}, **{w: (1, 0) for w in V.words("past_marker")}}
MIN_TENSE_MARKERS = 6
REVIEW_TENSE = 0.5          # at or above: the part reviews
PLAN_TENSE = 0.35           # below: a part found by its text plans
MISREAD_REVIEW = 0.15       # a weak "review" heading over text this future-minded plans (2006年的主要工作)
MISREAD_PLAN = 2.0          # a "tasks" heading over text this past-minded reviews (一、2013年主要工作)
PLAN_FUTURE_DENSITY = 1.0   # future markers per 1,000 characters of a plan part found by its text


def tense_counts(text: str) -> tuple[int, int]:
    """(past markers, future markers) in text."""
    past = future = 0
    for word in _TENSE_WORD.findall(text):
        a, b = _TENSE_OF[word]
        past, future = past + a, future + b
    return past, future


def tense(text: str) -> float | None:
    return _ratio(*tense_counts(text))


def _ratio(past: int, future: int) -> float | None:
    if past + future < MIN_TENSE_MARKERS:
        return None
    return (past + 1) / (future + 1)


MIN_PLAN_SHARE = 0.12      # a plan part found by its tense holds at least this share of the text


def find_plan_start(outline: Outline) -> int | None:
    """Where the report turns from what it did to what it will do: the first plan
    heading; else where a numbered list starts again under the same heading (the
    review's (一)…(八), then the plan's (一)… under a heading the copy lost); else the
    paragraph where the tense turns, the split that leaves the most past markers
    before it and future markers after it. A turn found from the text must leave a
    future-minded part after it that holds a fair share of the text, so a closing
    exhortation at the end of a review does not make a plan part."""
    for sec in outline.sections:
        if sec.kind in ("targets", "tasks"):
            return sec.start
    paras = outline.paragraphs
    if not paras:
        return None
    counts = outline.tenses
    starts = [p.start for p in paras]
    for sec in _numbering_restarts(outline):
        k = bisect_left(starts, sec.start)
        if _plans_after(counts, k, restart=True):
            return sec.start
    best, best_k, running = 0, 0, 0
    for k, (past, future, _) in enumerate(counts, 1):
        running += past - future
        if running > best:
            best, best_k = running, k
    if best_k == 0 and any(sec.parent is None and sec.kind == "review" for sec in outline.sections):
        return None          # no turn: a review in few words (预计完成…、增长…) is still a review
    return paras[best_k].start if _plans_after(counts, best_k) else None


def _plans_after(counts: list[tuple[int, int, int]], k: int, restart: bool = False) -> bool:
    """Is the text from paragraph k on a plan part: future-minded, dense in future
    markers, a fair share of the text, and (after a restarted list) more future-minded
    than the text before it?"""
    if k >= len(counts):
        return False
    past, future, chars = (sum(c[i] for c in counts[k:]) for i in range(3))
    if (past + future < MIN_TENSE_MARKERS or (past + 1) / (future + 1) >= PLAN_TENSE
            or future * 1000 < PLAN_FUTURE_DENSITY * chars
            or chars < MIN_PLAN_SHARE * sum(c[2] for c in counts)):
        return False
    if restart:
        before_future, before_chars = sum(c[1] for c in counts[:k]), sum(c[2] for c in counts[:k]) or 1
        return future / chars > before_future / before_chars
    return True


def _numbering_restarts(outline: Outline) -> list[Section]:
    """Sections numbered first of their style (一、 (一) 1. (1)) that follow a later
    number of the same style under the same parent: a new list, a new part."""
    out, last_first = [], {}
    for sec in outline.sections:
        if sec.style not in ("cn", "paren_cn", "arabic", "paren_arabic"):
            continue
        first = bool(_FIRST_NUMBER.match(sec.title))
        key = (sec.style, sec.parent)
        if first and last_first.get(key) is False:
            out.append(sec)
        last_first[key] = first
    return out


_FIRST_NUMBER = re.compile(r"^(?:一、|[(]一[)]|1[.、]|[(]1[)])")


def _section_tense(sec: Section, outline: Outline) -> float | None:
    """The tense of a section's paragraphs (text printed inside it that is not the
    report's, a foreign article, is not among them)."""
    lo = bisect_left(outline.paragraphs, sec.start, key=lambda p: p.start)
    past = future = 0
    for k in range(lo, len(outline.paragraphs)):
        if outline.paragraphs[k].start >= sec.end:
            break
        a, b, _ = outline.tense_of(k)
        past, future = past + a, future + b
    return _ratio(past, future)


def _kind_by_content(sec: Section, outline: Outline) -> str | None:
    """A top-level part's kind where its heading names none, or names one that its
    text contradicts."""
    strong_review = bool(_STRONG_REVIEW.search(sec.title))
    if sec.own_kind in ("livelihood", "self_building") or (sec.own_kind == "review" and strong_review) \
            or (sec.own_kind == "targets" and not strong_review):
        return sec.own_kind           # the heading settles it; the text need not be read
    t = _section_tense(sec, outline)
    if t is None:
        return sec.own_kind
    if sec.own_kind == "review":
        return "tasks" if t < MISREAD_REVIEW else "review"
    if sec.own_kind is None:
        return "review" if t >= REVIEW_TENSE else "tasks"
    # a "tasks" heading, or a "targets" one that also names a review (全面完成了2004年的
    # 工作任务 / 2003年工作回顾和2004年工作总体要求): mostly a review if its text is
    return "review" if t > MISREAD_PLAN else sec.own_kind


def _assign_kinds(outline: Outline) -> None:
    """A top-level section takes the kind its heading names unless its text says
    otherwise (see _kind_by_content); one that neither tells takes the kind of the part
    of the report it sits in (after the targets come the tasks). A subsection takes its
    parent's kind, or its own heading's inside a plan part. Under a review, only a
    subsection whose heading names a plan and whose text plans does (a report whose
    parts hang under one plain heading: 扎扎实实做好2004年工作)."""
    previous_top = None
    for sec in outline.sections:
        parent_kind = outline.sections[sec.parent].kind if sec.parent is not None else None
        if sec.parent is None:
            kind = _kind_by_content(sec, outline)
            if kind:
                sec.kind = kind
            elif previous_top is not None:
                sec.kind = "tasks" if previous_top in ("targets", "tasks") else previous_top
            previous_top = sec.kind
        elif parent_kind == "review":
            plans = sec.own_kind in ("targets", "tasks") and (_section_tense(sec, outline) or 1) < PLAN_TENSE
            sec.kind = sec.own_kind if plans else "review"     # 完成全年各项目标任务 reviews
        else:
            sec.kind = sec.own_kind or parent_kind
