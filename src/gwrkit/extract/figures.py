"""Every figure of a report, with its kind, year and source span; and the two
headline selections researchers code: the plan year's main expected targets and
the review year's headline results (../shared/gold/GUIDE.md)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from .. import vocab as V
from .clauses import (ClauseReading, Item, Row, _assign, _implied_mentions, _resolve_fragment, _shift,
                      read_clause, split_clauses, split_sentences, with_implied_mentions)
from .lexicon import Lexicon, Mention, default_lexicon
from .targets import find_targets_statement, opens_with_the_years_ahead
from .numbers import find_quantities
from ..structure.patterns import FIVE_YEAR

MULTI_YEAR = re.compile(rf"{V.alt('multi_year_word')}"
                        r"|(?<![\d〇零一二三四五六七八九十])(?:[2-9]|[二三四五六七八九十])年(?![度底末])|十[一二三四五六七八九]五"
                        r"|较[^,;。]{0,12}末|比[^,;。]{0,12}末|比20\d\d年|20\d\d年[—-]20\d\d年")
OTHER_PERIOD = re.compile(rf"{V.alt('other_period_word')}|\d{{1,2}}\s*[-—至]\s*\d{{1,2}}\s*月|\d{{1,2}}月份|[一二三四]季度")
# a growth rate in a sentence about several years is not the review year's
MULTI_YEAR_SENTENCE = re.compile(r"较[^,;。]{0,12}末|比[^,;。]{0,12}末|比20\d\d年|每年|这五年|五年来|过去五年"
                                 r"|与(?!上年)[^,;。]{0,12}末相比")
# a sum over years named before the subject (累计新增城镇就业62.95万人), not one year's sum
# (全年累计接待游客…, 2023年累计…)
CUMULATIVE_BEFORE = re.compile(r"(?<!全年)(?<!去年)(?<!今年)(?<!年内)(?<!当年)(?<!\d年)(?<!以来)(?:累计|共计|总计)")
# …but a sum whose sentence gives its growth on the year before (累计接待游客1148.7万人次，增长
# 15.9%) is one year's, unless the sentence speaks of several years
_PLAIN_GROWTH = re.compile(r"(?<!年均)(?<!平均)(?<!年均实际)增长")
_SEVERAL_YEARS = re.compile(r"五年|[八九]五|十[一二三四五六七八九]?五”|十[一二三四五六七八九]五|年均|本届|以来")
# a growth compared with a year named in the sentence: several years' if before last year
_COMPARED_WITH_YEAR = re.compile(r"与(20\d\d|19\d\d)年(?:末|底)?相比")
# …but a number's own words that compare with last year make it one year's (比“九五”期末增加
# 10960亿元，比上年增长12.5%)
ONE_YEAR_OWN = re.compile(r"比上年|较上年|同比")
# a clause that gives the subject's share of a larger whole (…，占全国的11.9%，比上年增长12.5%):
# the subject goes on after it
_SHARE_OF_A_WHOLE = re.compile(r"^\s*(?:约)?占")
# a measure on another basis than the headline one: 扣除房地产开发投资后, 不含…
# (just before the number, or anywhere before it: 扣除…后)
ADJUSTED_JUST_BEFORE = re.compile(r"(?:扣除|剔除|不含|不包括)[^。;]{0,20}(?:后|外)?[,:]?$")
ADJUSTED_BEFORE = re.compile(r"(?:扣除|剔除)[^。;,]{0,20}后")
ADJUSTED_REACH = 30          # the longest ADJUSTED_JUST_BEFORE phrase
_BASIS_WORDS = ("扣除", "剔除", "不含", "不包括")      # every ADJUSTED phrase holds one
# …a factor taken out (扣除价格因素, 扣除留抵退税因素) leaves the same measure on a comparable basis
COMPARABLE = re.compile(r"(?:扣除|剔除)[^。;,]{0,12}因素")
RANKING = re.compile(r"(?:居|位居|位列|排名|排|列)(?P<scope>[^,;。]{0,14}?)(?:第(?P<n>\d+)位|第(?P<n2>\d+)名|首位)")
_YEAR_BEFORE = re.compile(r"(20\d\d)年(?:底|末)?的?[^,;。\d]{0,6}$")


@dataclass(slots=True)
class Figure:
    indicator: str
    label: str
    metric: str
    value: float | None
    value_high: float | None
    unit: str | None
    modifier: str
    stretch: float | None
    kind: str              # target | result | multi_year_target | multi_year_result | ranking | other
    scope: str             # main | plan | task | review | other
    year: int | None
    estimated: bool
    base_value: float | None
    start: int             # evidence span, normalized offsets
    end: int
    sentence_start: int
    sentence_end: int
    section: int | None = None
    paragraph: int | None = None


@dataclass
class ReportFigures:
    figures: list[Figure] = field(default_factory=list)
    targets_span: tuple[int, int] | None = None
    targets_evidence: list[str] = field(default_factory=list)   # why the statement was taken
    lexicon: Lexicon | None = None                              # the lexicon the figures were read with

    @property
    def targets(self) -> list[Figure]:
        """The main targets, one per indicator and metric: a figure beats a qualitative
        row (经济增长同步 beside 增长5%左右), and the first figure stated wins."""
        main = [f for f in self.figures if f.kind == "target" and f.scope == "main"]
        chosen: dict[tuple[str, str], Figure] = {}
        for f in main:
            key = (f.indicator, f.metric)
            if f.indicator == "other":
                continue
            if key not in chosen or (chosen[key].value is None and f.value is not None):
                chosen[key] = f
        keep = {id(f) for f in chosen.values()}
        return [f for f in main if f.indicator == "other" or id(f) in keep]

    def actuals(self, review_year: int | None, lex: Lexicon | None = None) -> list[Figure]:
        lex = lex or self.lexicon or default_lexicon()
        out, seen = [], set()
        for f in self.figures:
            if (f.kind == "result" and lex.is_headline(f.indicator) and f.metric in ("growth", "level")
                    and f.year == review_year and f.value is not None):
                key = (f.indicator, f.metric, f.modifier in ("at_least", "at_most"))
                if key not in seen:
                    seen.add(key)
                    out.append(f)
        return out


@dataclass
class ReportContext:
    """What reading any sentence of a report needs to know: the text every offset
    points into, the lexicon, the years, the government's own names (a figure named
    after another place is that place's), and the figures found so far."""
    text: str
    lex: Lexicon
    review_year: int | None
    plan_year: int | None
    own_names: frozenset[str]
    out: ReportFigures
    # delivered at a congress's first session, a report reviews the term's five years: its
    # 累计 sums are the five years' (None: not known)
    reviews_a_term: bool | None = None


@dataclass
class Sentence:
    """One sentence of a report and where it stands; offsets are the document's
    (normalized text), except ``mentions``, which are its paragraph's."""
    report: ReportContext
    start: int
    end: int
    part: str                  # the kind of the part it is in: review, targets, tasks, …
    title: str                 # its section's heading
    section: int | None
    paragraph: int
    p_start: int
    mentions: list[Mention]
    m_starts: list[int]
    may_rank: bool = True      # its paragraph holds a rank (居全省第2位): else no clause is searched for one

    @cached_property
    def text(self) -> str:
        return self.report.text[self.start:self.end]

    @cached_property
    def about_several_years(self) -> bool:
        """比2020年末… / 这五年…: a growth rate in this sentence is not one year's."""
        return bool(MULTI_YEAR_SENTENCE.search(self.text))

    # Read once per sentence, not once per figure (which is quadratic in a long sentence).
    @cached_property
    def _periods(self) -> tuple[list[int], list[int]]:
        """Where part-of-year phrases end, and (if any) where whole-year phrases end."""
        periods = [m.end() for m in OTHER_PERIOD.finditer(self.text)]
        return periods, ([m.end() for m in _WHOLE_YEAR.finditer(self.text)] if periods else [])

    @cached_property
    def _basis(self) -> tuple[str, list[int]] | None:
        """The text with comparable-basis phrases (扣除价格因素) masked, and where
        adjusted-basis phrases end; None when the sentence names no basis at all."""
        t = self.text
        if not any(w in t for w in _BASIS_WORDS):
            return None
        masked = COMPARABLE.sub(lambda m: "□" * len(m.group()), t)
        return masked, [m.end() for m in ADJUSTED_BEFORE.finditer(masked)]

    def period_governs(self, pos: int) -> bool:
        """Is the last time phrase before ``pos`` (in the sentence) a part of the year
        (前三季度, 1—11月) rather than the whole year (全年)?"""
        periods, whole_years = self._periods
        if not periods or periods[0] > pos:
            return False
        last_year = whole_years[bisect_right(whole_years, pos) - 1] if whole_years and whole_years[0] <= pos else -1
        return periods[bisect_right(periods, pos) - 1] > last_year

    def adjusted_before(self, pos: int) -> bool:
        """Is the figure at ``pos`` on another basis than the headline one (扣除房地产开发
        投资后, 不含…), not merely a comparable one (扣除价格因素)?"""
        if self._basis is None:
            return False
        masked, ends = self._basis
        return (bool(ends) and ends[0] <= pos) or bool(
            ADJUSTED_JUST_BEFORE.search(masked, max(0, pos - ADJUSTED_REACH), pos))



def extract_report_figures(text: str, outline, review_year: int | None, plan_year: int | None,
                           lex: Lexicon | None = None, skip: list[tuple[int, int]] = (),
                           own_names: frozenset[str] = frozenset(),
                           reviews_a_term: bool | None = None) -> ReportFigures:
    """Every figure of the report text[outline], read sentence by sentence; ``own_names``
    are the names of the report's government (its own figures may be prefixed with
    them: 北京市生产总值)."""
    lex = lex or default_lexicon()
    out = ReportFigures(lexicon=lex)
    ctx = ReportContext(text, lex, review_year, plan_year, own_names, out, reviews_a_term)
    sections = outline.sections

    review_until = -1          # in a report without a review heading: where the review ends
    # a part headed as a review may turn to the years ahead (二、过去五年发展的总体情况和今后5年
    # 发展的总要求): from its first paragraph that opens with them, it plans
    ahead: dict[int | None, int] = {}
    for p in outline.paragraphs:
        if p.section not in ahead and opens_with_the_years_ahead(text, p):
            ahead[p.section] = p.start

    def kind_of(p, for_statement: bool = False) -> str:
        kind = outline.kind_of(p)
        if kind == "review" and p.start >= ahead.get(p.section, p.end + 1):
            # its figures are goals; for the year's statement it is neither plan nor review
            return "other" if for_statement else "tasks"
        return "review" if kind == "other" and p.end <= review_until else kind

    statement = find_targets_statement(text, outline, lex, plan_year, lambda p: kind_of(p, True))
    out.targets_span = (statement.start, statement.end) if statement else None
    out.targets_evidence = statement.reasons if statement else []
    if out.targets_span is not None and not any(s.kind == "review" for s in sections):
        # what comes before the main targets reviews the year, up to a paragraph that
        # turns to the years ahead (今后5年，…的主要目标是：…, in a new government's report)
        review_until = min([a for a in ahead.values() if a < out.targets_span[0]] + [out.targets_span[0]])
    tspan = out.targets_span
    for pi, p in enumerate(outline.paragraphs):
        if skip and any(a <= p.start < b for a, b in skip):
            continue
        in_targets = tspan is not None and p.end > tspan[0] and p.start < tspan[1]
        if not in_targets and not _HAS_NUMBER.search(text, p.start, p.end):
            continue
        part = kind_of(p)
        title = sections[p.section].title if p.section is not None else ""
        mentions = _paragraph_mentions(text[p.start:p.end], lex)
        m_starts = [m.start for m in mentions]
        may_rank = _may_hold_rank(text, p.start, p.end)
        for s_start, s_end in split_sentences(text, p.start, p.end):
            in_main = tspan is not None and s_end > tspan[0] and s_start < tspan[1]
            if not in_main and bisect_left(m_starts, s_end - p.start) == bisect_left(m_starts, s_start - p.start):
                # no indicator named: only a rank (居全省第2位) can stand without one
                if not (may_rank and _RANKING_HINT.search(text, s_start, s_end)):
                    continue
            _read_sentence(Sentence(ctx, s_start, s_end, part, title, p.section, pi, p.start, mentions, m_starts,
                                    may_rank))
    _estimated_from_a_note(text, out.figures)
    return out


# a note that the figures from here on are estimates: (预计数，下同) / (2021年数据均为预计数，下同)
_ESTIMATES_NOTE = re.compile(r"[(（][^()（）。]{0,30}预计[^()（）。]{0,20}下同[^()（）。]{0,5}[)）]")


def _estimated_from_a_note(text: str, figures: list[Figure]) -> None:
    """After a note that the figures below are estimates (预计数，下同), the year's results
    are estimates, not only the one the note stands by."""
    note = _ESTIMATES_NOTE.search(text) if "下同" in text else None
    if note is None:
        return
    for f in figures:
        if f.start >= note.start() and f.kind in ("result", "ranking") and f.scope == "review":
            f.estimated = True


def _paragraph_mentions(para: str, lex: Lexicon) -> list[Mention]:
    """Indicator names in a paragraph, and the ones a clause implies
    (规模以上工业企业达7.6万家、增加值增长3% names 规模以上工业增加值)."""
    mentions = with_implied_mentions(para, lex.find(para), lex)     # 第三产业增长10%
    if "企业" not in para:
        return mentions
    starts = [m.start for m in mentions]
    for a, b in split_clauses(para):
        if "企业" in para[a:b] and bisect_left(starts, b) == bisect_left(starts, a):   # names no indicator
            mentions += [Mention(m.start + a, m.end + a, m.indicator, m.text)
                         for m in _implied_mentions(para[a:b], lex)]
    mentions.sort(key=lambda m: m.start)
    return mentions


# does a paragraph hold a number (9, 百分之, 五万, 三点五)? Written to open with one
# character class, so that the engine skips ahead to a candidate character instead of
# trying three alternatives at every character (same truth as \d|百分之|[一…两][十…点])
_HAS_NUMBER = re.compile(r"[\d百一二三四五六七八九十两](?:(?<=\d)|(?<=百)分之|(?<=[一二三四五六七八九十两])[十百千万亿点])")


def _read_sentence(s: Sentence) -> None:
    """Read the clauses of one sentence."""
    ctx, text = s.report, s.report.text
    out, lex = ctx.out, ctx.lex
    tspan = out.targets_span
    in_targets = tspan is not None and s.end > tspan[0] and s.start < tspan[1]
    sa, sb = s.start - s.p_start, s.end - s.p_start
    has_subject = bisect_left(s.m_starts, sb) > bisect_left(s.m_starts, sa)
    # numbers are parsed only where an indicator is named (or in the main targets)
    quantities = ([_shift(q, sa) for q in find_quantities(s.text)] if has_subject or in_targets else [])
    q_starts = [q.start for q in quantities]
    if not in_targets and not (quantities and has_subject):
        # figures need an indicator and a number; only a rank can stand without them
        if s.may_rank and _RANKING_HINT.search(text, s.start, s.end):
            for c_start, c_end in split_clauses(text, s.start, s.end):
                clause = text[c_start:c_end]
                if _RANKING_HINT.search(clause):
                    _rankings(clause, c_start, ClauseReading(), None, s, "预计" in text[s.start:c_end])
        return
    estimated = False
    last: ClauseReading | None = None
    chain: list[ClauseReading] = []       # the clauses of this sentence that named a subject
    after_share = False                   # the clause before gave the subject's share of a whole
    # the sentence has turned to a zone's or a county's figures
    part_of_territory = _zone_heads_sentence(s.text, ctx.own_names)
    for c_start, c_end in split_clauses(text, s.start, s.end):
        clause = text[c_start:c_end]
        if "预计" in clause:
            estimated = True
        a, b = c_start - s.p_start, c_end - s.p_start           # the clause within its paragraph
        c_quantities = [_shift(q, -a) for q in quantities[bisect_left(q_starts, a):bisect_left(q_starts, b)]
                        if q.end <= b]
        c_mentions = [Mention(m.start - a, m.end - a, m.indicator, m.text)
                      for m in s.mentions[bisect_left(s.m_starts, a):bisect_left(s.m_starts, b)] if m.end <= b]
        if _zone_is_subject(clause, c_mentions, ctx.own_names):
            part_of_territory = True      # 去年开发区工业投资增长30.7%,规上工业增加值增长13.7%
        elif _OWN_SCOPE_WORD.search(clause):
            part_of_territory = False
        # in the main targets: a clause that runs into the statement (主要预期目标是地区生产总值增长7%
        # has no colon to cut it at) counts with the rows that start inside it
        in_main = tspan is not None and c_start < tspan[1] and c_end > tspan[0]
        # a clause with a subject but no number can lend the subject to the next clause
        if c_quantities or c_mentions or in_main:
            if _stretch_of_previous(clause, c_quantities, out, s.start):
                continue
            reading = read_clause(clause, lex, c_mentions, c_quantities, own_names=ctx.own_names)
            if reading.items:
                after_share = False           # a subject of its own: the share is behind
            if not reading.items and last is not None and last.items:
                reading = _carry(clause, c_quantities, last, lex, chain)
                if after_share:     # …占全市财政总支出的74.6%，比上年提高18.4个百分点: the share's change
                    reading.rows = [r for r in reading.rows if r.quantity is None or r.quantity.family != "points"]
                if not reading.items and c_quantities and not _SHARE_OF_A_WHOLE.match(clause):
                    last = None     # numbers for a subject of its own (科技型中小企业增至5万家)
            # a share of a whole: the changes in points after it are the share's, until a
            # clause names a subject of its own
            after_share = after_share or (not reading.items and bool(_SHARE_OF_A_WHOLE.match(clause)))
            if reading.items:
                last = reading
                chain.append(reading)
            for row in reading.rows:
                fig = _figure(row, clause, c_start, s, in_main and c_start + row.start >= tspan[0], estimated)
                if fig and part_of_territory and fig.scope != "main":
                    fig.kind, fig.scope = "other", "other"     # not the government's own figure
                if fig:
                    out.figures.append(fig)
        else:
            reading = ClauseReading()
        if s.may_rank and _RANKING_HINT.search(clause):
            _rankings(clause, c_start, reading, last, s, estimated)


_RANKING_HINT = re.compile(r"第\d+[位名]|首位")


def _may_hold_rank(text: str, start: int, end: int) -> bool:
    """_RANKING_HINT.search(text, start, end), asked only of text that holds 第 or 首位
    (a plain find is several times faster than the pattern's scan)."""
    return ((text.find("第", start, end) >= 0 or text.find("首位", start, end) >= 0)
            and _RANKING_HINT.search(text, start, end) is not None)


def _rankings(clause: str, c_start: int, reading: ClauseReading, last: ClauseReading | None, s: Sentence,
              estimated: bool) -> None:
    """居全省第2位: a rank, for the subject of this clause or of the one before."""
    for m in RANKING.finditer(clause):
        subject = (reading.items or (last.items if last else [None]))[0]
        n = int(m.group("n") or m.group("n2") or 1)
        before = re.split(r"[、,;]", clause[:m.start()])[-1]
        label = subject.label if subject else (before[-16:] or clause[:m.start()][-12:])
        s.report.out.figures.append(Figure(
            subject.indicator if subject else "other", label, "rank", float(n), None, "位", "point", None,
            "ranking", "review" if s.part == "review" else "other", s.report.review_year, estimated, float(n),
            c_start + m.start(), c_start + m.end(), s.start, s.end, s.section, s.paragraph))


# (总量/总额 refer back to the subject: 地区生产总值增长6.7%，总量达9.26万亿元)
_CONTINUATION = re.compile(r"^\s*(?:预计|初步核算|初步统计|据初步核算)?\s*(?:全年)?\s*(?:(?:19|20)\d\d年(?:底|末)?)?\s*"
                           r"(?:总量|总额|规模)?\s*"
                           r"(?:(?:扣除|剔除)[^,;。]{0,10}因素(?:后)?)?\s*"
                           r"(?:其中|同比|比上年|实际|名义|分别|年均|同口径|按?可比口径|按?可比价格?计算)?\s*"
                           rf"(?:增长|增速|增幅|下降|降低|上涨|提高|提升|增加|{V.alt('figure_verb', 'stretch_word')}"
                           r"|达|超过|为|到|至|由|从|较|比)")


_STRETCH_CLAUSE = re.compile(r"^\s*(?:并|努力)?(?:力争|争取)(?:达到|实现|增长)?\s*$")


def _stretch_of_previous(clause: str, qs: list, out: ReportFigures, s_start: int) -> bool:
    """增长6.5%左右,力争7%: a number after 力争 in its own clause is the stretch of the
    figure just before it (same unit)."""
    if "力争" not in clause and "争取" not in clause:
        return False
    if len(qs) != 1 or not _STRETCH_CLAUSE.match(clause[:qs[0].start]) or not out.figures:
        return False
    prev = out.figures[-1]
    if prev.sentence_start != s_start or prev.unit != qs[0].unit or prev.value is None:
        return False
    prev.stretch = qs[0].value
    return True


_BREAKDOWN = re.compile(r"^\s*其中[,:]?\s*")


def _breakdown(clause: str, quantities: list, last: ClauseReading, lex: Lexicon) -> ClauseReading:
    """其中城镇51300元、农村23100元: parts of the previous subject named by their
    qualifier alone (城镇 + 居民人均可支配收入 -> 城镇居民人均可支配收入)."""
    anchor = next((i.mention for i in last.items if i.mention), None)
    if anchor is None:
        return ClauseReading()
    reading = ClauseReading()
    pos = _BREAKDOWN.match(clause).end()
    for q in quantities:
        words = re.sub(r"(?:居民)?(?:分别)?(?:为|达到|达|增长|实现|完成)?$", "", clause[pos:q.start].strip("、, "))
        if not words or len(words) > 8:
            return ClauseReading()
        item = _resolve_fragment(words, anchor, lex, before=True)
        if item.indicator == "other":
            return ClauseReading()
        item.start, item.end = pos, q.start
        reading.items.append(item)
        sub = ClauseReading(items=[item], predicate=clause[pos:q.end])
        reading.rows += _assign(clause, sub, [q], lex)
        pos = q.end
    return reading


def _carry(clause: str, quantities: list, last: ClauseReading, lex: Lexicon,
           chain: list[ClauseReading] = ()) -> ClauseReading:
    """A clause with numbers but no subject continues the previous one when it
    opens with its predicate: 城镇和农村居民人均可支配收入分别达42004元、30657元,增长4.8%、7.5%.
    Several numbers after as many clauses of one subject each go to those subjects in
    turn: 城镇居民人均可支配收入17175元,农村居民人均纯收入5153元,实际增长9.8%和8.5%."""
    if quantities and _BREAKDOWN.match(clause):
        return _breakdown(clause, quantities, last, lex)
    if quantities and _MEASURE_ALONE.match(clause):
        return _elliptical(clause, quantities, last, lex)
    if not quantities or not _CONTINUATION.match(clause):
        return ClauseReading()
    k = len(quantities)
    items = last.items
    if k > len(items) == 1 and len(chain) >= k and all(len(r.items) == 1 for r in chain[-k:]):
        items = [r.items[0] for r in chain[-k:]]
    reading = ClauseReading(items=[Item(i.indicator, i.label, 0, 0, i.mention) for i in items],
                            predicate=clause,
                            respectively=last.respectively or "分别" in clause or len(items) > len(last.items))
    if len(reading.items) > 1 and len(quantities) not in (1, len(reading.items)):
        return ClauseReading()
    reading.rows = _assign(clause, reading, quantities, lex)
    for row in reading.rows:
        row.start = 0
    return reading


_MEASURE_ALONE = re.compile(rf"^\s*(?P<measure>{V.alt('measure_word')})")


def _elliptical(clause: str, quantities: list, last: ClauseReading, lex: Lexicon) -> ClauseReading:
    """规上工业总产值增长15%,增加值增长6%: a measure named alone after a fuller name is
    that name's other measure (规上工业 + 增加值)."""
    anchor = next((i.mention for i in last.items if i.mention), None)
    if anchor is None:
        return ClauseReading()
    measure = _MEASURE_ALONE.match(clause)
    own = re.search(f"(?:{V.alt('measure_word')})$", anchor.text)
    if own is None:
        return ClauseReading()
    label = anchor.text[:own.start()] + measure.group("measure")
    indicator = lex.lookup(label)
    if indicator is None:
        return ClauseReading()
    item = Item(indicator, label, measure.start("measure"), measure.end("measure"),
                Mention(measure.start("measure"), measure.end("measure"), indicator, label))
    reading = ClauseReading(items=[item], predicate=clause[item.end:])
    reading.rows = _assign(clause, reading, [q for q in quantities if q.start >= item.end], lex)
    return reading


_WHOLE_YEAR = re.compile(r"全年|年末|年底|全口径")
# a part of the territory whose figures are not the government's own, and the words that
# bring a sentence back to the whole territory
_TERRITORY_PART = re.compile(V.alt("territory_part"))
_OWN_SCOPE_WORD = re.compile(r"[全我本][市省区县州盟旗国]")


ZONE_SUBJECT_WINDOW = 12     # characters after a zone's name in which it takes a figure as its own


def _zone_is_subject(clause: str, mentions: list[Mention], own_names: frozenset[str]) -> bool:
    """Does a zone or a part of the territory own this clause's figures? Its name is
    followed, before any number, by an indicator or a verb that gives a figure
    (开发区工业投资增长30.7% / 高新区实现营业收入…); not by the number of zones
    (创建生态示范区86个) or a phrase of its own (示范区的战略定位). The government's own
    name (西海岸新区 in its own report) is no part of itself."""
    if not _TERRITORY_PART.search(clause):
        return False
    blanked = _without_names(clause, own_names)
    for zone in _TERRITORY_PART.finditer(blanked):
        window = blanked[zone.end():zone.end() + ZONE_SUBJECT_WINDOW]
        number = _HAS_NUMBER.search(window)
        window = window[:number.start()] if number else window
        if "的" in window:
            continue
        if (_ZONE_FIGURE_VERB.search(window)
                or any(zone.end() <= m.start < zone.end() + len(window) for m in mentions)):
            return True
    return False


_ZONE_FIGURE_VERB = re.compile(V.alt("growth_verb", "figure_verb"))
ZONE_HEAD = 16          # a zone named within this many characters of a sentence's start heads it


def _zone_heads_sentence(sentence: str, own_names: frozenset[str]) -> bool:
    """Is a zone the subject of the whole sentence: named at its head, in its first
    clause (金山高新区大力发展乳业…，完成工业总产值1450亿元), and not as a project being
    built (试验区建设深入推进，…), one of a list (…产业园等重大项目开工建设) or a count?"""
    if not _TERRITORY_PART.search(sentence, 0, ZONE_HEAD + 8):
        return False                  # most sentences: no zone near the head
    lead = _SENTENCE_LEAD.match(sentence).end()
    head = _without_names(_CLAUSE_STOP.split(sentence[lead:lead + ZONE_HEAD], maxsplit=1)[0], own_names)
    zone = _TERRITORY_PART.search(head)
    # a number right after the name counts the zones (创建生态示范区86个)
    return bool(zone) and not (_ZONE_AS_PROJECT.match(sentence, lead + zone.end())
                               or _HAS_NUMBER.match(sentence, lead + zone.end()))


_SENTENCE_LEAD = re.compile(r"[\s*#>]*(?:[(]?[一二三四五六七八九十\d]+[)、.]|[一二三四五六七八九十]是)?[\s*]*")
_CLAUSE_STOP = re.compile(r"[,;:]")
_ZONE_AS_PROJECT = re.compile(V.alt("zone_as_project"))


def _without_names(clause: str, names: frozenset[str]) -> str:
    """The clause with the government's own names blanked (西海岸新区 in its own report),
    its offsets kept."""
    for name in names:
        if name in clause:
            clause = clause.replace(name, "□" * len(name))
    return clause


def _since_an_earlier_year(sentence: str, own: str, row: Row, review_year: int | None) -> bool:
    """与2016年相比，…增长40% (in a review of 2021): a growth since a year before last."""
    m = _COMPARED_WITH_YEAR.search(sentence) if "相比" in sentence else None
    return bool(m and row.metric == "growth" and review_year and int(m.group(1)) < review_year - 1
                and not ONE_YEAR_OWN.search(own))


def sum_over_years(sentence: str, clause: str, row: Row, reviews_a_term: bool | None = None,
                   review_year: int | None = None) -> bool:
    """Is this amount a sum over several years (累计完成固定资产投资1600亿元, 累计实际利用外资
    269.9亿美元、进出口总额1188亿美元，分别是“十一五”的2倍)? A rate after 累计 in a list
    (…、城镇登记失业率控制在4.2%以内) is no sum. In a report that reviews a term (first
    session) or the last year of a five-year plan (2015, 2020: the plan's five years are
    reviewed with it) it is; in others, where the sentence names several years or gives no
    growth on the year."""
    if row.metric != "level" or not CUMULATIVE_BEFORE.search(clause, 0, row.start):
        return False
    if reviews_a_term or (review_year is not None and review_year % 5 == 0):
        return True
    return bool(_SEVERAL_YEARS.search(sentence)) or not _PLAIN_GROWTH.search(sentence)


def _figure(row: Row, clause: str, c_start: int, s: Sentence, in_main: bool, estimated: bool) -> Figure | None:
    if row.from_value:
        return None
    s_start, skind, title = s.start, s.part, s.title
    review_year, plan_year = s.report.review_year, s.report.plan_year
    ind = row.item.indicator
    q = row.quantity
    if in_main:
        kind, scope, year = "target", "main", plan_year
    elif skind == "review":
        own = clause[row.lead_start:row.end] if q is not None else clause    # this number's own words
        multi = (bool(MULTI_YEAR.search(own)) or sum_over_years(s.text, clause, row, s.report.reviews_a_term,
                                                                review_year)
                 or _since_an_earlier_year(s.text, own, row, review_year)
                 or (row.metric == "growth" and s.about_several_years and not ONE_YEAR_OWN.search(own)))
        # a period named at the head of the sentence (前三季度，…增长4.8%，居全省第8位) governs it,
        # until a clause names the whole year
        at = c_start - s_start + row.start           # the figure's place in the sentence
        period = bool(OTHER_PERIOD.search(own)) or s.period_governs(at)
        adjusted = s.adjusted_before(at)
        kind = "multi_year_result" if multi else ("other" if period or row.change or adjusted else "result")
        scope, year = "review", review_year
        if q is not None:
            explicit = _YEAR_BEFORE.search(clause[:q.start])
            if explicit:
                year = int(explicit.group(1))
    elif skind in ("targets", "tasks", "livelihood"):
        five = bool(FIVE_YEAR.search(clause) or FIVE_YEAR.search(title))
        kind = "multi_year_target" if five else ("other" if row.change else "target")
        scope, year = ("plan" if skind == "targets" else "task"), plan_year
    else:
        kind, scope, year = "other", "other", None
    if row.quantity is None and not in_main:
        return None          # qualitative statements count only in the main targets
    base = q.base_value(row.value) if q is not None else None
    return Figure(ind, row.item.label, row.metric, row.value, row.value_high, row.unit, row.modifier,
                  row.stretch, kind, scope, year, estimated and kind != "target", base,
                  c_start + row.start, c_start + row.end, s.start, s.end, s.section, s.paragraph)
