"""Find the plan year's main-targets statement by structure and content.

Reports introduce the statement in many words (主要预期目标是：, 预期性指标是，, 主要调控目标
为：, 奋斗目标是：, 主要预期：) or in none at all (综合考虑各方面因素，今年全市地区生产总值增长
7.5%左右，…). What every statement shares is its content: a list of headline indicators
with plan-year values and target words (左右, 以上, 以内, 控制在, 同步), in the plan part of
the report. Five-year goals use the same nouns but speak of 年均, 到2025年, 翻番; results
speak of 预计, 比上年.

The cascade:

1. Candidates: every trigger (a phrase naming targets or indicators, followed by a
   colon, a comma or the first indicator), from its end to the end of its paragraph,
   or over the lines listed under it when the trigger ends its line; where the
   sentence before the trigger names the indicator (经济增长的预期目标为9%), from the
   sentence's start. And every paragraph of the plan part without a trigger, from its
   first sentence that states an indicator's figure.
2. Each candidate's text is cut at a sentence that turns to the tasks (实现上述目标,
   重点抓好以下…) and scored: indicators stated with a figure, target words, a lead
   that names this year, its place in the plan part, a trigger, against multi-year
   words, result words, a lead about five years and a place in the review. A lead that
   says the goals are those of the years ahead (今后五年…主要预期目标：) and not this
   year's sets no statement.
3. The best candidate above MIN_SCORE is the statement (one that states GDP's figure
   weighs W_GDP_STATED more in that choice, not in the threshold); an untriggered one must state
   at least MIN_UNTRIGGERED_INDICATORS indicators; MIN_UNTRIGGERED_YEAR_LED when it
   opens with the year (今年预期…) or by weighing the circumstances (综合考虑各种因素，…:
   a loose trigger, and its own lead, unless the sentence speaks of five years or half
   of one); one, GDP's, for either of those.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .. import vocab as V
from ..structure.patterns import FIVE_YEAR, MAIN_TARGETS
from .clauses import split_sentences
from .lexicon import Lexicon
from .numbers import has_quantities

TRIGGER = MAIN_TARGETS          # what the statement's lead names
TARGETS_END = re.compile(V.alt("targets_end"))
_TARGET_WORD = re.compile(rf"{V.alt('modifier_after', 'stretch_word')}|控制在|同步")
# a span of years: a multi-year word, a horizon (到2025年, 2025年前) or the plan period's end
_MULTI_YEAR_ITEM = re.compile(rf"{V.alt('multi_year_word')}|到20\d\d年|20\d\d年前|期末")
# a result: an estimate, a comparison with last year, a verb in the past
_RESULT_WORD = re.compile(rf"{V.alt('estimate_word')}|比上年|同比|完成了|实现了|达到了")
_THIS_YEAR_LEAD = re.compile(V.alt("plan_year_word"))
_DELIBERATION = re.compile(V.alt("target_deliberation"))
# the goals that follow are those of the years to come, not of this year alone
NEXT_YEARS = re.compile(r"(?:今后|未来|此后|本届政府任期内的?)[五几5]年")

W_TRIGGER = 3.0             # a trigger followed by a colon
W_TRIGGER_LOOSE = 1.5       # a trigger followed by a comma or straight by the first indicator
W_INDICATOR = 1.0           # each indicator stated with a figure (at most MAX_COUNTED_INDICATORS)
W_GDP_STATED = 2.0          # among candidates that pass MIN_SCORE, one that states GDP's figure: the year's
                            # statement opens with it, a paragraph of livelihood figures (收入…就业…) does not
W_TARGET_WORD = 0.5         # each target word (at most MAX_COUNTED_TARGET_WORDS)
W_MULTI_YEAR = -1.5         # each multi-year word (年均, 到2025年, 翻番)
W_RESULT = -1.5             # each result word (预计, 比上年)
W_THIS_YEAR_LEAD = 2.0      # the lead names this year (今年, the plan year)
W_FIVE_YEAR_LEAD = -3.0     # the lead speaks of five years and not of this year
W_PLAN_PART = 2.0
W_REVIEW_PART = -4.0
MAX_COUNTED_INDICATORS = 8
MAX_COUNTED_TARGET_WORDS = 4
MIN_SCORE = 3.0
MIN_UNTRIGGERED_INDICATORS = 3
MIN_UNTRIGGERED_YEAR_LED = 2    # … when its first sentence opens with the year (今年…)
THIS_YEAR_HEAD = 30      # a paragraph about this year names it within this many characters


def _may_state_targets(text: str, start: int, end: int) -> bool:
    """A cheap test before an untriggered paragraph is scored: does it state rates, in
    either notation (9%, 百分之九), for most of the indicators a statement needs, or
    weigh the circumstances or speak of this year at its head (综合考虑各方面因素，今年全市
    地区生产总值增长7.5%左右，城镇新增就业2万人以上…)? A paragraph of amounts to reach
    without either (建筑业产值突破700亿元…) is a list of tasks."""
    # (called for every paragraph: the cheapest tests first)
    rates = text.count("%", start, end)
    if rates >= MIN_UNTRIGGERED_INDICATORS - 1:
        return True
    rates += text.count("‰", start, end) + text.count("百分之", start, end)
    if rates >= MIN_UNTRIGGERED_INDICATORS - 1:
        return True
    if rates == 0:
        return False        # (a statement of this year's targets states a growth rate)
    head = min(end, start + THIS_YEAR_HEAD)
    if _DELIBERATION.search(text, start, head):
        return True         # it weighs the circumstances first: a statement, however short
    if _THIS_YEAR_LEAD.search(text, start, head) is None:
        return False
    return rates + text.count("亿", start, end) + text.count("万", start, end) >= MIN_UNTRIGGERED_INDICATORS
LEAD_CHARS = 300            # how far back the lead of a trigger is read (a sentence may list the targets before it names them)
_NOUN = re.compile(V.alt("target_noun"))        # every trigger holds one
LISTED_LINE_MAX = 120       # a target listed on a line of its own is at most this long
MAX_STATEMENT_CHARS = 1500  # a statement longer than this has run into the tasks


@dataclass
class Statement:
    start: int
    end: int
    score: float
    trigger: str | None
    reasons: list[str] = field(default_factory=list)
    indicators: int = 0         # indicators it states with a figure
    ids: list[str] = field(default_factory=list)    # … their ids


def find_targets_statement(text: str, outline, lex: Lexicon, plan_year: int | None = None,
                           part_of=None) -> Statement | None:
    """The main-targets statement of a report (normalized offsets), or None.
    ``part_of(paragraph)`` gives the kind of the part a paragraph is in."""
    part_of = part_of or outline.kind_of
    candidates = []
    paragraphs = outline.paragraphs
    if not paragraphs:
        return None
    # a trigger holds one of its nouns: only paragraphs that hold one are searched
    nouns = [m.start() for m in _NOUN.finditer(text, paragraphs[0].start, paragraphs[-1].end)]
    for k, p in enumerate(paragraphs):
        # 今后5年，…的主要目标是：…约束性指标…: the years ahead, until the text names this year
        ahead = opens_with_the_years_ahead(text, p)
        triggered = False
        part = None
        i = bisect_left(nouns, p.start)
        nouned = i < len(nouns) and nouns[i] < p.end
        for m in TRIGGER.finditer(text, p.start, p.end) if nouned else ():
            if ahead and not _names_this_year(text, p.start, m.start(), plan_year):
                continue
            part = part or part_of(p)
            start, end = m.end(), p.end
            if p.end - m.end() < 8:                 # the targets follow on lines of their own
                end = _listed_end(text, paragraphs, k)
            # the lead: the trigger's sentence, at most LEAD_CHARS back
            lead_start = _sentence_start(text, max(p.start, m.start() - LEAD_CHARS), m.start())
            if lex.find(text, lead_start, m.start()):  # 经济增长的预期目标为9%: the subject leads
                start = lead_start
            c = _score(text, start, end, lead_start, m, part, lex, plan_year)
            if c is not None:
                candidates.append(c)
                triggered = True
        if not triggered and not ahead and _may_state_targets(text, p.start, p.end) \
                and (part or part_of(p)) in ("targets", "tasks"):
            c = _untriggered(text, p, part or part_of(p), lex, plan_year)
            if c is not None:
                candidates.append(c)
    starts = [p.start for p in paragraphs]
    for sec in outline.sections:          # a trigger set as a heading line of its own
        m = TRIGGER.search(sec.title) if sec.kind in ("targets", "tasks") else None
        if m and m.end() >= len(sec.title) - 1:
            k = bisect_left(starts, sec.heading_end)
            if k < len(paragraphs):
                end = _listed_end(text, paragraphs, k - 1) if k else paragraphs[k].end
                c = _score(text, paragraphs[k].start, max(end, paragraphs[k].end), sec.start,
                           None, sec.kind, lex, plan_year, trigger=sec.title)
                if c is not None:
                    candidates.append(c)
    passing = [c for c in candidates if c.score >= MIN_SCORE]
    if not passing:
        return None
    return max(passing, key=lambda c: (c.score + (W_GDP_STATED if "gdp" in c.ids else 0.0), -c.start))


def opens_with_the_years_ahead(text: str, p) -> bool:
    """Does paragraph ``p`` open with the years ahead (今后5年，…的主要目标是：…)?"""
    return NEXT_YEARS.search(text, p.start, min(p.end, p.start + THIS_YEAR_HEAD)) is not None


def _names_this_year(text: str, start: int, end: int, plan_year: int | None) -> bool:
    """Does text[start:end] name this year (今年, 明年, the plan year)?"""
    return bool(_THIS_YEAR_LEAD.search(text, start, end)) or (
        plan_year is not None and text.find(f"{plan_year}年", start, end) >= 0)


def _sentence_start(text: str, floor: int, pos: int) -> int:
    cut = max(text.rfind(ch, floor, pos) for ch in "。;!?")
    return cut + 1 if cut >= floor else floor


def _cut_at_tasks(text: str, start: int, end: int) -> int:
    """The statement ends before a sentence that turns to the tasks (实现上述目标…)."""
    for s_start, _ in split_sentences(text, start, end):
        if s_start > start and TARGETS_END.match(text, s_start):
            return s_start
    return end


def _stated_indicators(text: str, start: int, end: int, lex: Lexicon) -> tuple[int, list[str]]:
    """Indicators (of schema v1) named in a clause that states a figure, and the ids."""
    ids: list[str] = []
    seen_clause = -1
    for m in lex.find(text, start, end):
        if not lex.in_schema_v1(m.indicator) or m.indicator in ids:
            continue
        a = max(start, _clause_start(text, start, m.start))
        b = _CLAUSE_END.search(text, m.end, end)
        b = b.start() if b else end
        if a == seen_clause or (_DIGIT.search(text, m.end, b) and has_quantities(text[a:b])):
            ids.append(m.indicator)
            seen_clause = a
    return len(ids), ids


_CLAUSE_END = re.compile(r"[,;。:]")


def _clause_start(text: str, floor: int, pos: int) -> int:
    return max(text.rfind(ch, floor, pos) for ch in ",;。:") + 1


_DIGIT = re.compile(r"\d|百分之")


def _score(text, start, end, lead_start, m, part, lex, plan_year, trigger=None,
           trigger_weight: float | None = None) -> Statement | None:
    end = min(end, start + MAX_STATEMENT_CHARS)
    if not _DIGIT.search(text, start, end) and text.find("同步", start, end) < 0:
        return None           # states neither a figure nor a target in step with another
    end = _cut_at_tasks(text, start, end)
    if end <= start:
        return None
    n, ids = _stated_indicators(text, start, end, lex)
    qualitative = "同步" in text[start:end]
    if n == 0 and not qualitative:
        return None
    body = text[start:end]
    lead = text[lead_start:(m.start() if m else start)]
    trigger_text = m.group() if m else trigger
    score, reasons = 0.0, []
    if m is not None or trigger:
        w = trigger_weight if trigger_weight is not None else (
            W_TRIGGER if (trigger or m.group("punct") == ":") else W_TRIGGER_LOOSE)
        score += w
        reasons.append(f"trigger {trigger_text!r}")
    score += W_INDICATOR * min(n, MAX_COUNTED_INDICATORS)
    score += W_TARGET_WORD * min(len(_TARGET_WORD.findall(body)), MAX_COUNTED_TARGET_WORDS)
    multi = len(_MULTI_YEAR_ITEM.findall(body))
    results = len(_RESULT_WORD.findall(body))
    score += W_MULTI_YEAR * multi + W_RESULT * results
    this_year = _names_this_year(lead, 0, len(lead), plan_year)
    if this_year:
        score += W_THIS_YEAR_LEAD
    elif NEXT_YEARS.search(lead):
        return None           # 今后5年…的主要目标是：: the goals of the years ahead, not this year's
    elif FIVE_YEAR.search(lead):
        score += W_FIVE_YEAR_LEAD
    if part in ("targets", "tasks"):
        score += W_PLAN_PART
    elif part == "review":
        score += W_REVIEW_PART
    reasons.append(f"{n} indicators ({', '.join(ids)}), {multi} multi-year, {results} result words, part {part}")
    return Statement(start, end, round(score, 2), trigger_text, reasons, n, ids)


def _untriggered(text, p, part, lex, plan_year) -> Statement | None:
    """A plan-part paragraph without a trigger that states several indicators' figures:
    the statement starts at its first sentence that states one."""
    first = first_end = None
    for s_start, s_end in split_sentences(text, p.start, p.end):
        sentence = text[s_start:s_end]
        if (_DIGIT.search(sentence) and any(lex.in_schema_v1(m.indicator) for m in lex.find(sentence))
                and has_quantities(sentence)):
            first, first_end = s_start, s_end
            break
    if first is None:
        return None
    # a sentence that opens by weighing the circumstances (综合考虑各种因素，…) introduces
    # the year's figures as a loose trigger does, and is its own lead; one that opens
    # with the year (今年预期地区生产总值增长8%左右…) needs fewer indicators than one that
    # opens mid-topic, and either needs only GDP's
    deliberation = _deliberation_lead(text, first, first_end)
    if deliberation:
        c = _score(text, first, p.end, first, None, part, lex, plan_year, trigger=deliberation.group(),
                   trigger_weight=W_TRIGGER_LOOSE)
    else:
        c = _score(text, first, p.end, _sentence_start(text, p.start, first - 1) if first > p.start else p.start,
                   None, part, lex, plan_year)
    led = deliberation is not None or _THIS_YEAR_LEAD.match(text, first) is not None
    needed = ((1 if c is not None and "gdp" in c.ids else MIN_UNTRIGGERED_YEAR_LED) if led
              else MIN_UNTRIGGERED_INDICATORS)
    return c if c and c.indicators >= needed else None


# a sentence about other spans than the plan year: five years, half a year, a quarter
_OTHER_SPAN = re.compile(rf"{FIVE_YEAR.pattern}|{_MULTI_YEAR_ITEM.pattern}|下半年|[一二三四]季度")


def _deliberation_lead(text: str, start: int, end: int):
    """The deliberating words (综合考虑各种因素，…) that open the sentence text[start:end]
    or one of its first clauses (考虑到疫情的不利影响，综合分析各种…因素，…), when the
    sentence sets figures for the plan year, not for five years or half of one."""
    for m in _DELIBERATION.finditer(text, start, min(end, start + THIS_YEAR_HEAD)):
        if m.start() == start or text[m.start() - 1] in ",:;":
            return None if _OTHER_SPAN.search(text, start, end) else m
    return None


_QUALITATIVE_ITEM = re.compile(V.alt("qualitative_target_word"))
_LISTED_ITEM = re.compile(r"^(?:\d{1,2}[.、]|[(]\d{1,2}[)]|[一二三四五六七八九十]+[是、]|——)?[^。]{2,60}?\d")


def _listed_end(text: str, paragraphs, k: int) -> int:
    """Where a list of targets that starts after paragraph k ends: short lines that
    each state a number (or a qualitative 同步/完成 item), up to a longer paragraph."""
    end = paragraphs[k].end if k >= 0 else 0
    for p in paragraphs[k + 1:]:
        line = text[p.start:p.end]
        if len(line) > LISTED_LINE_MAX or not (_LISTED_ITEM.match(line) or _QUALITATIVE_ITEM.search(line)):
            break
        end = p.end
    return end
