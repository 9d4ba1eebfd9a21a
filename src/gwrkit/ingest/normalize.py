"""Text normalization that never loses track of where a character came from.

Reports arrive with full-width digits, stray spaces (``6.5% 左右``), markdown bold,
page numbers and paragraphs broken at page ends. Downstream rules want one clean
form, but every figure must point back into the text as read. So normalization is a
1:1 character translation followed by deletions only, and each deletion step keeps a
piecewise map from the derived text back to its source.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .. import vocab as V

# Full-width ASCII -> ASCII, odd spaces -> space, dash variants -> em dash. 1:1 only.
_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({"\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
               "\u2015": "—", "\u2500": "—", "\u2501": "—", "\uFE58": "—", "\u2012": "-",
               "\u2010": "-", "\u2011": "-", "\uFF0E": ".", "\u00B7": "·", "\u2027": "·",
               "\u30FB": "·", "\uFF65": "·", "\t": " ", "\v": " ", "\f": "\n",
               "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
               # small form variants (BIG5 pages carry them): ﹐ ﹑ ﹒ ﹔ ﹕ ﹖ ﹗
               "\uFE50": ",", "\uFE51": "、", "\uFE52": ".", "\uFE54": ";", "\uFE55": ":",
               "\uFE56": "?", "\uFE57": "!"})
WIDTH_TABLE = str.maketrans(_WIDTH)
# zero-width and format characters that web copies carry between characters (zero-width
# spaces and joiners, direction marks and embeddings, word joiners, soft hyphens, a
# byte-order mark inside the text): invisible, so they are deleted through the offset map
_FORMAT = "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u00ad\ufeff]"
# (written class-then-repeat: a pattern that opens with a character class is a prefix the
# engine skips ahead by, while one that opens with a repeat, [...]+, is tried everywhere)
FORMAT_CHARS = re.compile(f"{_FORMAT}{_FORMAT}*")
_FORMAT_CHAR = re.compile(_FORMAT)
# str.translate looks up every character; replacing only those that change is faster
# (characters that fold to themselves, like the middle dot, are left out)
_TO_FOLD = re.compile("[" + "".join(re.escape(c) for c, folded in _WIDTH.items() if c != folded) + "]")


# traditional text (政府工作報告) is read through its simplified form: OpenCC's t2s,
# character by character so that every offset stays where it was (the original text is
# what is stored and shown). A text is traditional when characters that t2s changes
# outnumber their simplified forms TRADITIONAL_RATIO to 1, at least TRADITIONAL_MIN times
# in its first TRADITIONAL_SAMPLE characters.
TRADITIONAL_SAMPLE, TRADITIONAL_MIN, TRADITIONAL_RATIO = 20000, 20, 3


@functools.lru_cache(maxsize=1)
def _t2s() -> tuple[dict, re.Pattern, re.Pattern]:
    import opencc

    convert = opencc.OpenCC("t2s").convert
    table = {}
    for cp in range(0x3400, 0xA000):
        ch = chr(cp)
        simple = convert(ch)
        if simple != ch and len(simple) == 1:
            table[ch] = simple
    trad = re.compile("[" + "".join(table) + "]")
    simp = re.compile("[" + "".join(sorted(set(table.values()) - set(table))) + "]")
    return str.maketrans(table), trad, simp


def to_simplified(text: str) -> str:
    """``text`` with traditional characters as simplified ones, one for one, when the
    text is written in traditional characters; otherwise ``text`` itself."""
    if not _MAYBE_CJK.search(text, 0, TRADITIONAL_SAMPLE):
        return text
    table, trad, simp = _t2s()
    sample = text[:TRADITIONAL_SAMPLE]
    n_trad = len(trad.findall(sample))
    if n_trad < TRADITIONAL_MIN or n_trad < TRADITIONAL_RATIO * len(simp.findall(sample)):
        return text
    return text.translate(table)


_MAYBE_CJK = re.compile("[\u3400-\u9fff]")


def fold_width(text: str) -> str:
    """The 1:1 translation (same result as text.translate(WIDTH_TABLE)): each distinct
    character to fold is replaced throughout in one C-level pass (Chinese text holds
    thousands of full-width commas but only a few distinct characters to fold): the next
    one is searched for from where the last one was, all of whose copies are gone."""
    pos = 0
    while (m := _TO_FOLD.search(text, pos)) is not None:
        ch = m.group()
        text = text.replace(ch, _WIDTH[ch])
        pos = m.start()
    return text


CJK = r"\u2E80-\u9FFF\uF900-\uFAFF\u3000-\u303F“”‘’…—·"
_CJK_CHAR = re.compile(rf"[{CJK}]")
_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z%()]")
# (a literal first lets the engine skip ahead to the next space; " +" is tried at every character)
_SPACES = re.compile(r" [ ]*")
_LONE_CR = re.compile(r"\r(?!\n)")
# a Latin letter typed or scanned for a digit inside a number (增长l0%, 2O20年): l and I
# for 1 before a digit (not at the end of a word: html5, Vol3) or between digits, O and o
# for 0 between digits. One character for one, so every offset stays. (Found with str.find,
# which scans far faster than a regex that opens with a character class.)
_AS_DIGIT = {"l": "1", "I": "1", "O": "0", "o": "0"}


def _is_latin(c: str) -> bool:
    return "A" <= c <= "Z" or "a" <= c <= "z"


def letters_as_digits(text: str) -> str:
    """``text`` with the letters that stand for digits inside numbers read as digits."""
    spots = []
    for letter in _AS_DIGIT:
        k = text.find(letter)
        while k >= 0:
            before, after = text[k - 1:k], text[k + 1:k + 2]
            inside = before.isdecimal() and (after.isdecimal() or after in (".", "%"))
            leading = letter in "lI" and after.isdecimal() and not (before and _is_latin(before))
            if after and (inside or leading):
                spots.append(k)
            k = text.find(letter, k + 1)
    if not spots:
        return text
    # (joined from slices: a list of every character of a large text would take gigabytes)
    parts, prev = [], 0
    for k in sorted(spots):
        parts += [text[prev:k], _AS_DIGIT[text[k]]]
        prev = k + 1
    parts.append(text[prev:])
    return "".join(parts)
# both start with a newline so that the engine skips to the next one instead of trying
# every position (group 1 is the span; a page number's own newline is looked at, not
# taken, so that the next line can be one too)
_BLANK_RUN = re.compile(r"\n((?:[ ]*\n)+)")
_PAGE_NUMBER = r"([ ]*[-—–]?[ ]*\d{1,3}[ ]*[-—–]?[ ]*)(?=\n|\Z)"
_PAGE_NUMBER_LINE = re.compile(rf"\n{_PAGE_NUMBER}")
_PAGE_NUMBER_FIRST_LINE = re.compile(_PAGE_NUMBER)
_MD_HEADING = re.compile(r"^[ ]*(#{1,6})[ ]+(?=\S)", re.M)
_MD_MARKER = re.compile(r"#{2}[A-Za-z]+#{2}")  # ##paidbegin## and the like
_BOLD = re.compile(r"\*\*")


@dataclass
class OffsetMap:
    """Piecewise-linear map from a derived text to its source: kept piece k starts
    at ``derived[k]`` in the derived text and at ``source[k]`` in the source."""

    derived: list[int]
    source: list[int]
    derived_len: int
    source_len: int

    def to_source(self, i: int) -> int:
        if i >= self.derived_len:
            return self.source_len if i == self.derived_len else self.source_len
        k = bisect_right(self.derived, i) - 1
        return self.source[k] + (i - self.derived[k])

    def from_source(self, o: int) -> int:
        """Derived offset of source offset ``o``; a deleted character maps to the
        next kept one."""
        k = bisect_right(self.source, o) - 1
        if k < 0:
            return 0
        piece_len = (self.derived[k + 1] if k + 1 < len(self.derived) else self.derived_len) - self.derived[k]
        delta = o - self.source[k]
        return self.derived[k] + min(delta, piece_len)

    def then(self, inner: "OffsetMap") -> "OffsetMap":
        """Compose: ``inner`` maps text C -> B and self maps B -> A; result maps C -> A."""
        derived, source = [], []
        bounds = inner.derived + [inner.derived_len]
        for k, start in enumerate(inner.derived):
            end = bounds[k + 1]
            b = inner.source[k]
            # split piece [start, end) wherever self has a break inside [b, b + len)
            pos = start
            while pos < end:
                bpos = b + (pos - start)
                j = bisect_right(self.derived, bpos) - 1
                nxt = self.derived[j + 1] if j + 1 < len(self.derived) else self.derived_len
                run = min(end - pos, nxt - bpos)
                derived.append(pos)
                source.append(self.source[j] + (bpos - self.derived[j]))
                pos += max(run, 1)
        if not derived:
            derived, source = [0], [0]
        return OffsetMap(derived, source, inner.derived_len, self.source_len)


def delete_ranges(text: str, ranges: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """Remove the (possibly overlapping) ranges from text; return the result and its map."""
    merged: list[list[int]] = []
    for a, b in sorted(r for r in ranges if r[1] > r[0]):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    pieces, derived, source = [], [], []
    pos = out = 0
    for a, b in merged:
        if a > pos:
            pieces.append(text[pos:a])
            derived.append(out)
            source.append(pos)
            out += a - pos
        pos = b
    if pos < len(text) or not derived:
        pieces.append(text[pos:])
        derived.append(out)
        source.append(pos)
        out += len(text) - pos
    return "".join(pieces), OffsetMap(derived, source, out, len(text))


@dataclass
class NormalizedText:
    """Normalized text plus the map back to the original and the layout hints that
    normalization removed (markdown headings and bold)."""

    text: str
    offsets: OffsetMap
    emphasis: list[tuple[int, int]] = field(default_factory=list)   # bold spans
    heading_lines: set[int] = field(default_factory=set)            # starts of '#' lines

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of normalized span [start, end)."""
        if end <= start:
            o = self.offsets.to_source(start)
            return o, o
        return self.offsets.to_source(start), self.offsets.to_source(end - 1) + 1

    def span_mapper(self):
        """to_original as one function with the map's lists at hand: the same answers,
        for mapping the many spans of a parsed document (every figure, section and
        paragraph) without a method lookup and two calls each."""
        m = self.offsets
        derived, source, derived_len, source_len = m.derived, m.source, m.derived_len, m.source_len

        def to_source(i: int) -> int:
            if i >= derived_len:
                return source_len
            k = bisect_right(derived, i) - 1
            return source[k] + (i - derived[k])

        def span(start: int, end: int) -> tuple[int, int]:
            if end <= start:
                o = to_source(start)
                return o, o
            return to_source(start), to_source(end - 1) + 1
        return span


def _droppable_spaces(text: str) -> list[tuple[int, int]]:
    """Runs of spaces at a line's edges, inside Chinese text (增长 5.2%, 6.5% 左右,
    程 洋), before a percent sign (7.0 %) or between groups of thousands (15 245元);
    spaces between Latin words or between two numbers stay."""
    out = []
    n = len(text)
    for m in _SPACES.finditer(text):
        a, b = m.span()
        before = text[a - 1] if a else "\n"
        after = text[b] if b < n else "\n"
        if before == "\n" or after == "\n":
            out.append((a, b))
        elif _CJK_CHAR.match(before):
            if _CJK_CHAR.match(after) or _LATIN_OR_DIGIT.match(after):
                out.append((a, b))
        elif _LATIN_OR_DIGIT.match(before) and before != "(" and _CJK_CHAR.match(after):
            out.append((a, b))
        elif before.isdigit() and after in "%‰":          # 7.0 %左右
            out.append((a, b))
        elif b - a == 1 and before.isdigit() and _is_thousands_gap(text, a):
            out.append((a, b))                             # 15 245元, 1 029亿元
    return out


def _is_thousands_gap(text: str, a: int) -> bool:
    """Is the space at ``a`` a thousands separator: one to three digits before it (after
    no other digit), exactly three after it, then no digit?"""
    k = a
    while k > 0 and text[k - 1].isdigit():
        k -= 1
    if not 1 <= a - k <= 3 or (k > 0 and text[k - 1] in ".,"):
        return False
    group = text[a + 1:a + 4]
    return len(group) == 3 and group.isdigit() and not text[a + 4:a + 5].isdigit()


def normalize(original: str, furniture: frozenset[str] = frozenset(),
              hidden: list[tuple[int, int]] = ()) -> NormalizedText:
    """Normalize ``original``; see the module docstring for what changes. Lines in
    ``furniture`` (running headers and footers a reader found) and the ``hidden``
    spans (front matter, HTML comments) are dropped."""
    text = letters_as_digits(to_simplified(fold_width(original)))
    if "\r" in text:
        # old Mac line ends (a lone CR) are line breaks: one character for one, so every
        # offset stays; the CR of a CRLF is deleted below
        text = _LONE_CR.sub("\n", text)
    # invisible characters go first, in a stage of their own, so that every rule below
    # (stray spaces, markup, blank lines) sees the text as a reader sees it
    invisible = ([(m.start(), m.end()) for m in FORMAT_CHARS.finditer(text)]
                 if _FORMAT_CHAR.search(text) else [])
    map0 = None
    if invisible:
        text, map0 = delete_ranges(text, invisible)
        hidden = [(map0.from_source(a), map0.from_source(b)) for a, b in hidden]
    deletions: list[tuple[int, int]] = [(m.start(), m.end()) for m in re.finditer(r"\r", text)]
    deletions += [(a, b) for a, b in hidden]
    if furniture:
        # a running header repeats the title of the first page: keep its first showing
        folded = {fold_width(f).strip() for f in furniture}
        seen: set[str] = set()
        for m in re.finditer(r"^.*(?:\n|$)", text, re.M):
            line = m.group().strip()
            if line in folded:
                if line in seen:
                    deletions.append((m.start(), m.end()))
                seen.add(line)
    heading_src = []
    for m in _outside(_MD_HEADING.finditer(text) if "#" in text else (), hidden):
        deletions.append((m.start(), m.end()))
        heading_src.append(m.end())
    if "##" in text:
        deletions += [(m.start(), m.end()) for m in _outside(_MD_MARKER.finditer(text), hidden)]
    # markup inside a hidden span (** in a comment) would pair with the text's own
    bold_marks = [m.start() for m in _outside(_BOLD.finditer(text), hidden)] if "**" in text else []
    deletions += [(p, p + 2) for p in bold_marks]
    deletions += _droppable_spaces(text)
    deletions += [m.span(1) for m in _BLANK_RUN.finditer(text)]
    first = _PAGE_NUMBER_FIRST_LINE.match(text)
    page_numbers = ([first] if first else []) + list(_PAGE_NUMBER_LINE.finditer(text))
    deletions += [(m.start(1), m.end(1) + (m.end(1) < len(text))) for m in page_numbers]
    body = text.strip()
    if body:                                           # blank text before and after
        head = text.index(body[0])
        deletions += [(0, head), (head + len(body), len(text))]
    stage1, map1 = delete_ranges(text, deletions)
    emphasis = [(map1.from_source(a + 2), map1.from_source(b))
                for a, b in zip(bold_marks[0::2], bold_marks[1::2])]
    heading_lines = {map1.from_source(p) for p in heading_src}
    stage2, map2 = join_broken_lines(stage1, emphasis, heading_lines)
    composed = map1.then(map2)
    if map0 is not None:
        composed = map0.then(composed)
    return NormalizedText(
        text=stage2,
        offsets=composed,
        emphasis=[(map2.from_source(a), map2.from_source(b)) for a, b in emphasis if b > a],
        heading_lines={map2.from_source(p) for p in heading_lines},
    )


def _outside(matches, hidden: list[tuple[int, int]]):
    """The matches that start outside every hidden span."""
    found = list(matches)
    if not hidden or not found:
        return found
    starts = [m.start() for m in found]
    inside = set()
    for a, b in hidden:
        inside.update(range(bisect_left(starts, a), bisect_left(starts, b)))
    return [m for i, m in enumerate(found) if i not in inside] if inside else found


# --- joining paragraphs broken at page or column ends -------------------------

_TERMINAL = set("。!?;:…")  # after width folding: ！？；： became ASCII
_CANNOT_START = set(",、。;:%)」』】”’.")
_NUMBERED = re.compile(rf"^(?:{V.NUMBERED_HEADING})")
# lines that open a new paragraph whatever came before them
_PARAGRAPH_START = re.compile(rf"^(?:{V.NUMBERED_HEADING}|——|{V.alt('address')}|附件|附录|名词解释|注释|[(]上接|[(]下转)")
_INTERNAL_STOP = re.compile(r"[。!?;]")
_STATES_FIGURE = re.compile(r"\d(?:\.\d+)?\s*(?:%|‰|个百分点|万|亿|元)")
_CLAUSE_MARK = re.compile(r"[,:、]")
_UNIT_START = set("年月日时个万亿千百元人家项所次倍%")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_toc_entry(line: str) -> bool:
    from ..structure.patterns import TOC_ENTRY

    return len(line) <= 80 and bool(TOC_ENTRY.match(line)) and not line[-1:] in "%。"


def _starts_report_header(line: str) -> bool:
    """Title, dateline or page furniture: lines that never continue a paragraph."""
    from ..structure.patterns import CHROME_LINE, DATELINE_START, TITLE, TRUNCATION

    return len(line) <= 80 and bool(TITLE.match(line) or DATELINE_START.match(line)
                                     or CHROME_LINE.match(line) or TRUNCATION.search(line))
_LONG_LINE = 40


def wrap_width(text: str) -> int | None:
    """The line width of hard-wrapped text (PDF extractions break every visual
    line), or None when lines are whole paragraphs. Wrapped text shows a strong
    mode in line lengths."""
    lengths = [len(x) for x in text.split("\n") if len(x) >= 20]
    if len(lengths) < 10:
        return None
    from collections import Counter

    counts = Counter(lengths)
    mode = max(counts, key=lambda n: (counts[n] + counts[n - 1] + counts[n + 1], n))
    near = counts[mode] + counts[mode - 1] + counts[mode + 1]
    return mode if near >= 0.25 * len(lengths) else None


def _should_join(prev: str, nxt: str, nxt_is_marked: bool, long_line: int = 40,
                 wrapped: bool = False) -> bool:
    """Is the line break between ``prev`` and ``nxt`` inside one paragraph? (The
    common case, a finished sentence and then a new one, the caller decides first.)"""
    if not prev or not nxt:
        return False
    if _is_toc_entry(prev) or _is_toc_entry(nxt):
        return False
    if _starts_report_header(prev) and not re.match(r"(?:第?[\d一二三四五六七八九十]+届)?人民代表大会", nxt):
        return False        # a title, dateline or furniture line ends where it ends
    if nxt[0] in _CANNOT_START:
        return True
    if nxt_is_marked or _PARAGRAPH_START.match(nxt) or _starts_report_header(nxt):
        return False
    if set(prev) <= {"—"}:            # a lone dash line: the list item continues below
        return True
    if prev[-1] in _TERMINAL:
        return False
    if _NUMBERED.match(prev) and not (wrapped and len(prev) >= long_line):
        return False        # a numbered heading; in wrapped text a full line runs on
    if prev[-1] in "”’」』)" and len(prev) > 1 and prev[-2] in _TERMINAL:   # 。” ends a sentence
        return False
    if (prev[-1].isdigit() or prev[-1] in "%、,(“‘《") and _HAS_CJK.search(prev):
        return True
    if prev[-1].isdigit() and nxt[0] in _UNIT_START:      # 2023 / 年是… : a number and its unit
        return True
    if len(prev) >= long_line:
        return True
    # a short line that already holds a finished sentence, or that states figures in
    # clauses (…增长6%左右，一般公共 / 预算收入增长5%), is a fragment, not a heading
    return bool(_INTERNAL_STOP.search(prev) or (_STATES_FIGURE.search(prev) and _CLAUSE_MARK.search(prev)))


def join_broken_lines(text: str, emphasis: list[tuple[int, int]],
                      heading_lines: set[int]) -> tuple[str, OffsetMap]:
    """Delete the newlines that break one paragraph in two."""
    bold_end = dict(emphasis)
    width = wrap_width(text)
    long_line = min(_LONG_LINE, width - 2) if width else _LONG_LINE
    deletions = []
    para_start = 0
    n = len(text)
    for m in re.finditer(r"\n", text):
        nl, nxt_start = m.start(), m.end()
        # the common case, decided before any slicing: a finished sentence, then a new one
        if nl and text[nl - 1] in _TERMINAL and nxt_start < n and text[nxt_start] not in _CANNOT_START:
            para_start = nxt_start
            continue
        nxt_end = text.find("\n", nxt_start)
        nxt = text[nxt_start:len(text) if nxt_end < 0 else nxt_end]
        nxt_marked = nxt_start in heading_lines or nxt_start in bold_end
        # a '#' line or a wholly bold line is a heading: nothing joins onto it
        prev_is_heading = para_start in heading_lines or bold_end.get(para_start, -1) >= nl
        line_start = text.rfind("\n", 0, nl) + 1
        if not prev_is_heading and _should_join(text[para_start:nl], nxt, nxt_marked, long_line,
                                                width is not None and nl - line_start >= long_line):
            deletions.append((nl, nxt_start))
        else:
            para_start = nxt_start
    return delete_ranges(text, deletions)
