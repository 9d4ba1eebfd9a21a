"""Clause-level reading of figures: which indicators a clause is about, and which
numbers (with metric and modifier) it states for each.

A clause (text between , ; 。) has a subject list — 固定资产投资、社会消费品零售总额 /
城镇、农村居民人均可支配收入 / 一产、二产、三产增加值 — and a predicate with
numbers: 分别增长5%左右、5%以上 / 增长15% / 838.7亿元、增长5.1% / 与经济增长同步.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import vocab as V
from .lexicon import Lexicon, Mention
from .numbers import Quantity, find_quantities, modifier_of

# where the predicate begins (outside indicator names): a predicate word or a verb of
# change (增加值 is a noun, not the verb 增加), or these few words in their context
PREDICATE = re.compile(
    rf"{V.alt('predicate_word')}|{V.alt('growth_verb')}(?!值)"
    r"|(?<![作成认因])为|(?<!安)居(?!民)|按(?=增长)|[-\d]")
_REFERENCE_BEFORE = re.compile(r"(?:与|和|同|高于|低于|快于|慢于|跑赢|超过|不低于|相当于|占)$")
_GROWTH_VERB = re.compile(f"({V.alt('growth_verb')})")
_NEGATIVE = set(V.value_words("growth_verb", "-"))
_TO = re.compile(r"(?:到|至)(?:\d{4}年(?:底|末)?的?)?$")
_FROM = re.compile(r"(?:从|由|较|比)[^,;。]{0,12}?(?:\d{4}年(?:底|末)?的?)?$")
_STRETCH = re.compile(rf"{V.alt('stretch_word')}(?:达到|实现|增长)?$")
_SEPARATORS = "、和及"
# what may stand between two numbers stated for the same subject
# what continues a subject's figures after its first number (增长5%、达到…); not every
# growth verb: after a first figure 回升/收窄/降幅 state a change of its rate
_CONTINUES = re.compile(r"^[、,]?\s*(?:比上年|同比|其中|同口径|按?可比口径)?\s*(?:实际|名义)?\s*"
                        rf"(?:增长|增速|增幅|下降|降低|上涨|提高|提升|增加(?!值)|{V.alt('figure_verb', 'stretch_word')}"
                        r"|达|超过|为|占|到|至|由|从|较|比|年均|分别|左右|以上|-|$)"
                        r"|^[、,](?:稳居|位居|居|跃居|排名|保持|继续)[^、,;。\d]{0,12}[、,](?=增长|增速|下降|达到|达)"
                        r"|^.{0,12}?(?:到|至)(?:\d{4}年(?:底|末)?的?)?$|^[、,和]?$")
# the metric named after an item of a list (…能耗下降率、二氧化碳排放下降率): still the list
_METRIC_WORD = V.alt("metric_word")
_METRIC_SUFFIX = re.compile(rf"(?:的?(?:{_METRIC_WORD}|规模|总量|比重|占比))$")
_LIST_METRIC = re.compile(rf"的?{_METRIC_WORD}")
_LIST_METRIC_END = re.compile(rf"的?{_METRIC_WORD}$")


@dataclass(slots=True)
class Item:
    """One thing a clause states figures for."""
    indicator: str          # lexicon id, or 'other'
    label: str
    start: int
    end: int
    mention: Mention | None = None


@dataclass(slots=True)
class Row:
    item: Item
    metric: str
    quantity: Quantity | None     # None: qualitative
    value: float | None
    value_high: float | None
    unit: str | None
    modifier: str
    stretch: float | None = None
    change: bool = False          # an increment (增加4374亿元), not a level or a rate
    from_value: bool = False      # the starting point of 从X到Y
    lead_start: int = 0           # where the words that qualify this number begin
    start: int = 0                # evidence span within the clause
    end: int = 0


@dataclass(slots=True)
class ClauseReading:
    items: list[Item] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    predicate: str = ""
    respectively: bool = False


# a clause: a run of anything but , ; : 。 ! ? where quoted or bracketed text is taken whole
# runs of plain characters are taken whole (the engine loops far less than one character
# at a time); an opening mark without its closing one is a plain character
_CLAUSE = re.compile(r"(?:[^,;:。!?“(《]+|“[^”\n]*”|\([^)\n]*\)|《[^》\n]*》|[“(《])+")


_SENTENCE_END = re.compile(r"[。!?;]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], each with its closing 。!?; (the last may
    have none)."""
    end = len(text) if end is None else end
    out, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > pos:
            out.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clause spans of text[start:end], cut at , ; : 。 ! ? (not inside brackets or quotes)."""
    end = len(text) if end is None else end
    return [m.span() for m in _CLAUSE.finditer(text, start, end)]


def _fragment_before(clause: str, pos: int) -> tuple[int, str] | None:
    """The list item written just before ``pos`` when a separator stands there."""
    if pos == 0 or clause[pos - 1] not in _SEPARATORS:
        return None
    j = pos - 1
    k = j
    while k > 0 and clause[k - 1] not in _SEPARATORS + ",;:。 " and not PREDICATE.match(clause, k - 1):
        k -= 1
    frag = clause[k:j]
    return (k, frag) if 1 <= len(frag) <= 20 else None


# words a list's first item may carry in front that are not its name (预计城镇和农村居民…)
_SCOPE_WORDS = re.compile(rf"^(?:{V.alt('estimate_word', 'subject_lead')})?(?:其中|以及|全年|全体|全[市省区县州盟旗国]|我[市省区县州盟旗])?")


def _resolve_fragment(frag: str, anchor: Mention, lex: Lexicon, before: bool) -> Item:
    """A list fragment shares a head or a prefix with the indicator next to it:
    城镇、[农村居民人均可支配收入] -> 城镇居民人均可支配收入; [单位地区生产总值能耗]、二氧化碳排放
    -> 单位地区生产总值二氧化碳排放; 一产、二产、[三产增加值] -> 一产增加值."""
    frag = _SCOPE_WORDS.sub("", _METRIC_SUFFIX.sub("", frag))
    direct = lex.lookup(frag)
    if direct:
        return Item(direct, frag, 0, 0)
    word = anchor.text
    candidates = []
    if before:
        candidates += [frag + word[len(frag):], frag + word[len(frag) + 2:] if len(word) > len(frag) + 2 else ""]
        candidates += [frag + word[k:] for k in range(0, len(word))]
        label = frag + word[len(frag):]
    else:
        candidates += [word[:k] + frag for k in range(len(word) - 1, 0, -1)]
        label = frag
    for cand in candidates:
        if cand and lex.lookup(cand):
            return Item(lex.lookup(cand), cand, 0, 0)
    return Item("other", label, 0, 0)


# a name followed by these words names another measure: 经济增长贡献率, 经济总量占全省比重
_NOT_THE_INDICATOR_AFTER = re.compile(r"(?:的)?(?:所占)?(?:贡献率|贡献|比重|比率|比例|占比|占全|占[^,;。]{0,6}比重|弹性|差距|排名|位次)")
# the whole a part or a share is taken of: 地区生产总值中服务业增加值比重 / 生产总值中, 第三产业… /
# 地区生产总值的2.5%用于研发 (a percentage of it). Not 中高速 (medium-high speed).
_WHOLE_OF_A_PART = re.compile(r"中(?=,|[^,;。\d]{0,12}?(?:比重|比例|占比|份额|比率))|的(?=[\d.]+%)"
                              # 固定资产投资中工业投资增长15%: a part named before the predicate
                              r"|中(?![高低速])(?=[\u4e00-\u9fff]{2,8}?(?:增长|增速|下降|达到|完成|实现))")
# a number that is a difference from a benchmark, not the figure itself
# (and the numbers of a list whose unit is written once: 高于GDP增速1.8、[2.1个百分点]). Written
# to open with its words, so that the engine jumps to them (a look-behind first is tried at
# every character): the 不 of 不低于 is looked at by _compared.
_COMPARED_WORD = re.compile(r"(?:高于|低于|快于|慢于|超出|领先)(?P<words>[^,;。\d]{0,10})(?:\d+(?:\.\d+)?[、和及])*$")


_FRACTION_BEFORE = re.compile(r"的(?:\d+(?:\.\d+)?[%‰]?[、和及])*$")
_AT_A_TIME = re.compile(r"(?:\d{2,4}年(?:底|末|初)?|时|末|初)$")
_THE_YEAR = re.compile(r"(?:全年|去年|上年|当年|今年)$")
_A_RATE = re.compile(r"增速|增幅|涨幅|幅度|速度")


def _part_of_another_whole(clause: str, q: Quantity, items: list, lex: Lexicon) -> bool:
    """A percent that is a part of something else, not the subject's own figure: 恢复到上年的95%,
    达到全国平均水平的95% (a fraction, 的 before it and no 占); 出口约占关区5市出口总量的60% (a
    share, of a subject that is no rate: a share indicator, 研发经费支出占地区生产总值的2.5%, is
    one)."""
    if q.family not in ("percent", "permille"):
        return False
    before = clause[:q.start]
    shared = "占" in before or "相当于" in before
    if not shared:
        fraction = _FRACTION_BEFORE.search(before)     # 的95% (or the next of a list: 的113%、[121.4%])
        if fraction is None:
            return False
        head = before[:fraction.start()]
        # a value at a time is no fraction: 2019年的52%, “十二五”末的47.43%, 最低时的5.6%, and a
        # rate's value in a year (增速从一月份-6.9%到全年的8%, 涨幅回落到去年的3.8%)
        return not (_AT_A_TIME.search(head) or (_THE_YEAR.search(head) and _A_RATE.search(head)))
    return not any("rate" in lex.metrics(i.indicator) or _SHARE_LINK.search(i.label) for i in items)


def _compared(before: str) -> bool:
    """Is the number after ``before`` a difference from a benchmark? 高于全国1个百分点 is;
    不低于7% and 不得低于7% are bounds; 不低于城镇居民1个百分点 (words before the number) is."""
    m = _COMPARED_WORD.search(before)
    if m is None:
        return False
    if m.start() > 0 and before[m.start() - 1] in "不得能" and before[m.start():m.start() + 2] in ("高于", "低于"):
        return bool(m.group("words"))
    return True


def read_clause(clause: str, lex: Lexicon, found: list[Mention] | None = None,
                quantities: list[Quantity] | None = None, own_names: frozenset[str] = frozenset()) -> ClauseReading:
    """Read a clause; several subject-predicate pairs joined by 、 are read one by one
    (固定资产投资476.3亿元、社会消费品零售总额333.5亿元). ``found`` and ``quantities``,
    when given, are the clause's mentions and numbers (offsets within the clause);
    ``own_names`` the report's government's names (北京市生产总值 is its own GDP)."""
    if found is None:
        found = with_implied_mentions(clause, lex.find(clause), lex)
    if not found:
        found = _implied_mentions(clause, lex)
    if "占" in clause or "相当于" in clause:
        found = _shares_of_gdp(clause, found, lex)
    ends = {m.end for m in found}
    starts = {m.start for m in found}
    mentions = [m for m in found if not _NOT_THE_INDICATOR_AFTER.match(clause, m.end)
                and not _names_a_whole(clause, m, starts)
                and (m.start in ends or not _is_sub_measure(clause, m, own_names))]
    if not mentions:
        return ClauseReading()
    quantities = find_quantities(clause) if quantities is None else quantities
    if "指数" in clause:
        quantities = sorted(quantities + _bare_index_levels(clause, mentions, quantities, lex), key=lambda q: q.start)
    cuts = [0]
    for m in mentions:
        # a new subject after a figure: its name follows 、 or , perhaps after a verb that
        # gives it its figure (、实现旅游收入…) or the first items of its list
        # (…增长12%、城镇和农村居民人均可支配收入分别增长9%和10%)
        sep = max(clause.rfind("、", cuts[-1], m.start), clause.rfind(",", cuts[-1], m.start),
                  clause.rfind("(", cuts[-1], m.start))      # …增长20%(其中规模以上工业增加值增长20%)
        if sep < 0 or (m.start > sep + 1 and not _SUBJECT_HEAD.fullmatch(clause, sep + 1, m.start)):
            continue
        if any(cuts[-1] <= q.start < sep for q in quantities):
            cuts.append(sep + 1)
    if len(cuts) == 1:
        return _read_segment(clause, lex, mentions, quantities)
    merged = ClauseReading()
    for a, b in zip(cuts, cuts[1:] + [len(clause)]):
        part = _read_segment(clause[a:b], lex, [Mention(m.start - a, m.end - a, m.indicator, m.text)
                                                 for m in mentions if a <= m.start < b],
                             [_shift(q, -a) for q in quantities if a <= q.start < b])
        for item in part.items:
            item.start, item.end = item.start + a, item.end + a
        for row in part.rows:
            row.start, row.end = row.start + a, row.end + a
        merged.items += part.items
        merged.rows += part.rows
        merged.predicate, merged.respectively = part.predicate, part.respectively
    return merged


# an index level written without its percent sign, a few words after the index's name:
# 居民消费价格指数控制在103左右 (an index near 100, never a year, a count or an amount)
_BARE_INDEX = re.compile(rf"[^,;。\d]{{0,6}}?(?<![\d.])(?P<v>(?:8\d|9\d|1[0-4]\d)(?:\.\d+)?)(?![\d.%‰])"
                         rf"(?P<post>{V.alt('modifier_after')})?(?=$|[,;。、])")
_INDEX_AFTER_NAME = re.compile(r"总?指数")    # 居民消费价格 + 总指数
INDEX_LEVEL_UNIT = "%"      # the gold codes an index level in percent (居民消费价格指数103% -> 103)


def _bare_index_levels(clause: str, mentions: list[Mention], quantities: list[Quantity],
                       lex: Lexicon) -> list[Quantity]:
    out = []
    for m in mentions:
        if "index" not in lex.metrics(m.indicator):
            continue            # 地区生产总值指数为108.5 is no level the reports set (GDP is not an index)
        name_end = m.end
        if not m.text.endswith("指数"):
            after = _INDEX_AFTER_NAME.match(clause, m.end)
            if after is None:
                continue
            name_end = after.end()
        level = _BARE_INDEX.match(clause, name_end)
        if level and not any(q.start < level.end() and level.start("v") < q.end for q in quantities):
            start = level.start("v")
            out.append(Quantity(start, level.end(), float(level.group("v")), None, INDEX_LEVEL_UNIT,
                                modifier_of(clause, start, level.group("post")), clause[start:level.end()]))
    return out


def _names_a_whole(clause: str, m: Mention, starts: set[int]) -> bool:
    """Does the name stand for the whole a part is taken of? Before 中 and another name
    (地区生产总值中第三产业增加值增长9%: the name after 中 is the subject), before 中 and
    a share or a part's predicate (…中服务业增加值比重, 固定资产投资中工业投资增长15%), or
    before 的 and a percentage of it (地区生产总值的2.5%)."""
    return bool(_WHOLE_OF_A_PART.match(clause, m.end)) or (
        clause.startswith("中", m.end) and m.end + 1 in starts)


# characters that may stand right before an indicator's name without changing what it
# names: delimiters, scope (全市, 2025年), and the last character of common verbs
# what may stand right before an indicator's name without changing what it names:
# delimiters, time and scope words (全市, 2025年), and verbs (力争, 确保, 预期, 实现)
_MAY_PRECEDE = set(",;:。、()“”《》 ") | set(V.words("subject_lead_char"))
_LEAD_WORD = re.compile(f"(?:{V.alt('subject_lead')})$")
_OWN_SCOPE = re.compile(r"[全我本该][市省区县州盟旗国]$")


_SHARE_LINK = re.compile(r"占|相当于")
_SHARE_TAIL = re.compile(r"(?:的)?(?:比重|比例|份额|比)?")


def _shares_of_gdp(clause: str, found: list[Mention], lex: Lexicon) -> list[Mention]:
    """研发经费支出占地区生产总值比重达0.66% / 第三产业增加值占GDP的65%左右: a measure's
    share of GDP is a rate of its own: the indicator the lexicon names for that share
    (rd_expenditure -> rd_intensity), else an 'other' rate named by the whole phrase."""
    out, skip = [], set()
    for k, m in enumerate(found):
        if k in skip:
            continue
        link = _SHARE_LINK.match(clause, m.end)
        base = found[k + 1] if k + 1 < len(found) else None
        if link and base is not None and base.indicator == "gdp" and base.start - link.end() <= 3:
            end = _SHARE_TAIL.match(clause, base.end).end()
            share = lex.share_indicator(m.indicator) or "other"
            out.append(Mention(m.start, end, share, clause[m.start:end]))
            skip.add(k + 1)
        else:
            out.append(m)
    return out


def _is_sub_measure(clause: str, m: Mention, own_names: frozenset[str] = frozenset()) -> bool:
    """装备工业增加值, 高新区规上工业增加值, 江北新区地区生产总值: a noun glued in front names
    a part of the indicator or of the territory; 全市/我省/本地 (the report's own scope),
    the government's own name (北京市生产总值) and verbs (力争地区生产总值…) do not."""
    if m.start == 0:
        return False
    c = clause[m.start - 1]
    if not "\u4e00" <= c <= "\u9fff" or c in _MAY_PRECEDE:
        return False
    before = clause[max(0, m.start - 12):m.start]
    if _OWN_SCOPE.search(before) or _LEAD_WORD.search(before):
        return False
    return not any(before.endswith(name) for name in own_names)


_ENTERPRISE_GROUP = re.compile(r"^(?P<group>[\u4e00-\u9fff]{2,12}?)企业")
_MEASURE_AFTER = re.compile(rf"、(?P<measure>{V.alt('measure_word')})")


# a sector named right before its growth: its value added is meant (第三产业增长10%左右)
_SECTORS = V.words("value_added_sector")
# (the verb and then its number: not 第三产业增长拉动经济增长4.2个百分点, where 增长 is a noun)
_GROWTH_AFTER_SECTOR = re.compile(r"(?:分别|同比|比上年|预计|实际)?(?:增长|下降)(?:了|约|达)?(?=\d|百分之)")


def implied_value_added(text: str, lex: Lexicon) -> list[Mention]:
    """第三产业增长10%左右 / 其中第一产业增长3%以上: a sector named right before its growth
    names its value added (第三产业增加值: service_va); not 现代服务业增长 (a part of it) and
    not 服务业营业收入增长 (another measure, which does not stand right before the verb)."""
    out = []
    for name in _SECTORS:                      # (str.find scans faster than a regex)
        k = text.find(name)
        while k >= 0:
            end = k + len(name)
            if _GROWTH_AFTER_SECTOR.match(text, end):
                mention = Mention(k, end, lex.lookup(name + "增加值") or "other", name)
                if not _is_sub_measure(text, mention):
                    out.append(mention)
            k = text.find(name, end)
    return sorted(out, key=lambda m: m.start)


# a measure given by a verb after its group: 规模以上工业实现增加值2597亿元 (规模以上工业 + 增加值)
# (实现 and 完成 are found with str.find; 企业 and 全年 before the verb are skipped over)
_MEASURE_AT = re.compile(V.alt("measure_word"))
_BEFORE_THE_VERB = re.compile(r"(?:企业)?(?:全年)?$")
GROUP_MAX_CHARS = 8        # how far back the group's name is looked for


def implied_group_measures(text: str, lex: Lexicon) -> list[Mention]:
    """规模以上工业实现增加值2597亿元 / 第三产业完成增加值500亿元: the group named before a
    verb that gives it a measure names the indicator of both (规模以上工业增加值); the
    longest name the group's last characters make with the measure."""
    out = []
    for verb in ("实现", "完成"):               # (str.find scans faster than a regex)
        v = text.find(verb)
        while v >= 0:
            measure = _MEASURE_AT.match(text, v + 2)
            if measure:
                end = _BEFORE_THE_VERB.search(text, max(0, v - 4), v).start()
                for k in range(max(0, end - GROUP_MAX_CHARS), end - 1):
                    indicator = lex.lookup(text[k:end] + measure.group())
                    if indicator:
                        mention = Mention(k, end, indicator, text[k:end])
                        if not _is_sub_measure(text, mention):
                            out.append(mention)
                        break
            v = text.find(verb, v + 2)
    return sorted(out, key=lambda m: m.start)


def with_implied_mentions(text: str, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """``mentions`` (the lexicon's, in order) with the sectors named before their growth
    and the groups named before a verb and their measure."""
    implied = []
    if "产业" in text or "服务业" in text:
        implied += implied_value_added(text, lex)
    if "实现" in text or "完成" in text:
        implied += implied_group_measures(text, lex)
    if not implied:
        return mentions
    implied = [m for m in implied if not any(o.start < m.end and m.start < o.end for o in mentions)]
    return sorted(mentions + implied, key=lambda m: m.start)


def _implied_mentions(clause: str, lex: Lexicon) -> list[Mention]:
    """规模以上工业企业达7.6万家、增加值增长3%: a measure named after the count of an
    enterprise group is the group's measure (规模以上工业 + 增加值)."""
    group = _ENTERPRISE_GROUP.match(clause)
    if not group:
        return []
    out = []
    for m in _MEASURE_AFTER.finditer(clause, group.end()):
        name = group.group("group") + m.group("measure")
        indicator = lex.lookup(name)
        if indicator:
            out.append(Mention(m.start("measure"), m.end("measure"), indicator, name))
    return out


_IN_STEP_AFTER = re.compile(r"(?:基本)?(?:同步|相适应|相协调|相匹配|持平)")


def _is_reference(clause: str, m: Mention, first: Mention | None) -> bool:
    """Is this mention what the subject is compared with (与经济增长同步, 高于GDP增速)?"""
    before = clause[max(0, m.start - 3):m.start]
    if not _REFERENCE_BEFORE.search(before):
        return False
    if before.endswith("和") and _IN_STEP_AFTER.match(clause, m.end):
        return True           # 居民人均可支配收入和经济增长同步: the benchmark
    if before.endswith("和"):
        # 城镇和农村居民… / …排放降幅和细颗粒物…: a list, unless a predicate has begun before it
        between = _LIST_METRIC_END.sub("", clause[first.end if first else 0:m.start - 1])
        return bool(PREDICATE.search(between))
    return True


# what may stand between 、 and a new subject's name: 实现 (旅游收入…), 城镇和 (农村居民…),
# the government's own scope (全市森林覆盖率…)
_SUBJECT_HEAD = re.compile(rf"(?:{V.alt('figure_verb', 'stretch_word')})|[\u4e00-\u9fff]{{1,5}}[和及与]"
                           r"|[全我本该][市省区县州盟旗国]|其中")


def _shift(q: Quantity, by: int) -> Quantity:
    return Quantity(q.start + by, q.end + by, q.value, q.value_high, q.unit, q.modifier, q.text)


def _read_segment(clause: str, lex: Lexicon, mentions: list[Mention],
                  quantities: list[Quantity]) -> ClauseReading:
    reading = ClauseReading()
    subject_mentions: list[Mention] = []
    for m in mentions:
        if not _is_reference(clause, m, subject_mentions[0] if subject_mentions else None):
            subject_mentions.append(m)
    if not subject_mentions:
        return reading
    first = subject_mentions[0]
    items: list[Item] = []
    # fragments listed before the first mention (城镇、农村… / 一产、二产、三产…)
    pos = first.start
    before: list[Item] = []
    while True:
        frag = _fragment_before(clause, pos)
        if not frag:
            break
        k, text = frag
        item = _resolve_fragment(text, first, lex, before=True)
        item.start, item.end = k, k + len(text)
        before.insert(0, item)
        pos = k
    # a run of numerals glued to the mention: 一二三产增加值
    m = _LEADING_ORDINALS.match(first.text)
    glued = _TRAILING_ORDINALS.search(clause, 0, first.start)
    if m and glued:
        for ch in glued.group():
            label = ch + first.text[len(m.group()):]
            before.append(Item(lex.lookup(label) or "other", label, glued.start(), first.start))
    items += before
    items.append(Item(first.indicator, first.text, first.start, first.end, first))
    # more items after it, joined by 、和及
    pos = first.end
    rest = subject_mentions[1:]
    while pos < len(clause):
        suffix = _LIST_METRIC.match(clause, pos)      # 能耗下降率、二氧化碳排放下降率: the metric, then the list
        if suffix and suffix.end() < len(clause) and clause[suffix.end()] in _SEPARATORS:
            pos = suffix.end()
        glued = next((m for m in rest if m.start == pos), None)     # 外贸外资促稳提质
        if glued:
            items.append(Item(glued.indicator, glued.text, glued.start, glued.end, glued))
            pos = glued.end
            continue
        if clause[pos] not in _SEPARATORS:
            break
        nxt = next((m for m in rest if m.start == pos + 1), None)
        if nxt:
            items.append(Item(nxt.indicator, nxt.text, nxt.start, nxt.end, nxt))
            pos = nxt.end
            continue
        if any(m.start == pos + 1 for m in mentions):
            break             # …和经济增长同步: the benchmark, not another item
        k = pos + 1
        while k < len(clause) and clause[k] not in _SEPARATORS + ",;:。 " and not PREDICATE.match(clause, k) \
                and not any(mm.start == k for mm in rest):
            k += 1
        frag = clause[pos + 1:k]
        if not frag or len(frag) > 20:
            break
        glued = next((mm for mm in rest if mm.start == k), None)
        if glued:       # 、规模以上固定资产投资: a qualifier written before the next item's name
            items.append(Item(glued.indicator, clause[pos + 1:glued.end], pos + 1, glued.end, glued))
            pos = glued.end
            continue
        item = _resolve_fragment(frag, first, lex, before=False)
        following = next((mm for mm in rest if mm.start == k + 1), None) if k < len(clause) \
            and clause[k] in _SEPARATORS else None
        if following is not None and item.indicator == "other":
            # …、城镇和农村居民人均可支配收入: it shares the next item's head, not the first's
            item = _resolve_fragment(frag, following, lex, before=True)
        item.start, item.end = pos + 1, k
        items.append(item)
        pos = k
        suffix = _LIST_METRIC.match(clause, pos)     # …二氧化碳排放降幅和细颗粒物…: still the list
        if suffix and suffix.end() < len(clause) and clause[suffix.end()] in _SEPARATORS:
            pos = suffix.end()
    reading.items = items
    pred_start = pos
    reading.predicate = clause[pred_start:]
    reading.respectively = "分别" in reading.predicate
    quantities = [q for q in quantities if q.start >= pred_start]
    reading.rows = _assign(clause, reading, quantities, lex)
    return reading


def _metric(clause: str, item: Item, q: Quantity, lex: Lexicon, window_start: int) -> tuple[str, float, bool]:
    """(metric, signed value, is_change) for quantity q stated for item."""
    lead = clause[window_start:q.start]
    verbs = _GROWTH_VERB.findall(lead)
    verb = verbs[-1] if verbs else None
    if item.mention and not verb and "growth" in lex.metrics(item.indicator):   # CPI涨幅2%: the verb is in the name
        inner = _GROWTH_VERB.findall(item.mention.text)
        verb = inner[-1] if inner else None
    to_level = bool(_TO.search(lead))
    value = q.value
    if verb in _NEGATIVE and value > 0 and not to_level:
        value = -value
    metrics = lex.metrics(item.indicator)
    if q.family in ("percent", "permille") and (_SHARE_LINK.search(item.label) or "占" in lead):
        return "rate", value, False        # a share (占…65%) is a rate, not growth
    fam = q.family
    if fam == "points":
        return "growth", value, False
    if fam in ("percent", "permille"):
        if verb and not to_level:
            return "growth", value, False
        if item.indicator == "cpi" and q.value >= 50:
            return "index", value, False
        if "rate" in metrics:
            return "rate", value, False
        return ("growth" if metrics[0] in ("growth", "index") else metrics[0]), value, False
    # an amount: a level, unless it is the size of a change (增加4374亿元)
    change = bool(verb) and not to_level and lead.rstrip().endswith(verb)
    return "level", q.value, change


def _assign(clause: str, reading: ClauseReading, quantities: list[Quantity], lex: Lexicon) -> list[Row]:
    items = [i for i in reading.items]
    if not quantities:
        if not reading.predicate.strip():
            return []
        rows = []
        for item in items:
            growth_words = _GROWTH_CHAR.search(reading.predicate)
            metrics = lex.metrics(item.indicator)
            metric = "growth" if growth_words and "growth" in metrics else metrics[0]
            if item.indicator == "other":
                metric = "growth" if growth_words else "level"
            rows.append(Row(item, metric, None, None, None, None, "qualitative", start=item.start,
                            end=len(clause)))
        return rows
    firm = [q for q in quantities if not _STRETCH.search(clause[:q.start])]
    if len(items) == 1 and item_is_pair(items[0]) and (
            ((reading.respectively or len(quantities) == 2) and len(firm) >= 2)
            # 城乡居民人均可支配收入分别增长7.5%左右: one rate for each of the two (a percent
            # alone: not 分别高于GDP增速1.8、2.1个百分点, whose first number has no unit, nor
            # a stretch figure after it)
            or (reading.respectively and len(quantities) == 1 and quantities[0].family == "percent"
                and not _BARE_NUMBER_BEFORE.search(clause, 0, quantities[0].start))):
        items = split_pair(items[0], lex)
        reading.items = items
    stated = [q for q in quantities if any(fits(lex, i.indicator, q) for i in items)
              and not _compared(clause[:q.start]) and not _part_of_another_whole(clause, q, items, lex)]
    if quantities and not stated and all(_compared(clause[:q.start]) for q in quantities):
        # 增速高于城镇1.2个百分点: a target set against a benchmark, with no figure of its own
        return [Row(item, "growth" if "growth" in lex.metrics(item.indicator) else lex.metrics(item.indicator)[0],
                    None, None, None, None, "qualitative", start=item.start, end=len(clause)) for item in items]
    if len(items) > 1:   # 从46503元和16935元分别提高到58794元和23184元: drop the starting values
        to = _FROM_TO.search(clause)
        if to:
            stated = [q for q in stated if not (to.start() < q.start < to.end())]
    rows: list[Row] = []
    if len(items) > 1:
        groups: dict[str, list[Quantity]] = {}
        for q in stated:
            groups.setdefault(q.family or "", []).append(q)
        amounts = [qs for fam, qs in groups.items() if fam not in _RATE_FAMILIES]
        if (any(len(qs) == 1 for qs in amounts) and not reading.respectively
                and not _EACH.search(clause, items[-1].end)):
            return []      # 工业和建筑业增加值1560.2亿元、增长19.8%: the list's total, not each one's
        for qs in groups.values():
            if len(qs) == len(items):
                # one modifier for the whole list: after the last number (分别增长7%和8%以上)
                # or before the first (分别超过8万元、4.5万元)
                shared_mod = qs[-1].modifier if all(q.modifier == "point" for q in qs[:-1]) else None
                if shared_mod in (None, "point") and all(q.modifier == "point" for q in qs[1:]):
                    shared_mod = qs[0].modifier
                for item, q in zip(items, qs):
                    rows.append(_row(clause, item, q, lex, items[-1].end, shared_mod))
            elif len(qs) == 1 and (reading.respectively or _EACH.search(clause, items[-1].end, qs[0].start)
                                   # one rate for the sectors by number (二、三产业增加值增长12%)
                                   # is their sum's: each has it only with 分别 or 均
                                   or (qs[0].family in _RATE_FAMILIES and not _are_sectors(items))):
                # 固定资产投资、社会消费品零售总额增长15%: one rate for each; but one amount for a
                # list (工业和建筑业增加值1560.2亿元) is their total, not each one's figure
                for item in items:
                    rows.append(_row(clause, item, qs[0], lex, items[-1].end, None))
        return rows
    item = items[0]
    previous: Row | None = None
    window = item.end
    for q in stated:
        lead = clause[window:q.start]
        if previous is not None and not _CONTINUES.match(lead):
            break            # 增长2.3%、支出首次超过7000亿元: another subject has begun
        if previous is not None and _STRETCH.search(lead) and q.family == (previous.quantity.family
                                                                            if previous.quantity else None):
            previous.stretch = q.value
            previous.end = q.end
            window = q.end
            continue
        row = _row(clause, item, q, lex, window, None)
        if _FROM.search(clause[window:q.start]) and any(_TO.search(clause[q.end:o.start]) for o in stated
                                                         if o.start > q.start):
            row.from_value = True
        rows.append(row)
        previous = row
        window = q.end
    return rows


_RATE_FAMILIES = {"percent", "points", "permille"}
_BARE_NUMBER_BEFORE = re.compile(r"\d(?:\.\d+)?\s*[、和及]\s*$")   # 1.8、[2.1个百分点]
_LEADING_ORDINALS = re.compile(r"[一二三四]+")
_TRAILING_ORDINALS = re.compile(r"[一二三四]+$")
_GROWTH_CHAR = re.compile(r"[增降涨减升速]")
_FROM_TO = re.compile(r"(?:从|由)[^,;。]*?(?:到|至)")
# 均增长9% / 各增长 / 都: a figure for each item of a list; not the 均 of 年均, 人均, 平均
_EACH = re.compile(rf"(?<![年人平])(?:{V.alt('each_word')})")

# which number families can state a figure of an indicator of each unit family
FITS = {"money": {"money", "usd", "percent", "points", "permille"},
        "people": {"people", "visits", "percent", "points"}, "visits": {"visits", "people", "percent", "points"},
        "grain": {"grain_jin", "tonne", "percent", "points"}, "percent": {"percent", "points", "permille"},
        "concentration": {"ug_m3", "percent", "points"}, "count": {"count", "percent", "points", "households"}}


def fits(lex: Lexicon, indicator: str, q: Quantity) -> bool:
    ind = lex.indicators.get(indicator)
    allowed = FITS.get(ind.unit_family) if ind else None
    return allowed is None or q.family in allowed


def _row(clause: str, item: Item, q: Quantity, lex: Lexicon, window: int, shared_mod: str | None) -> Row:
    metric, value, change = _metric(clause, item, q, lex, window)
    modifier = q.modifier
    if shared_mod and modifier == "point":
        modifier = shared_mod
    start = min(item.start, q.start) if item.end <= q.start else q.start
    return Row(item, metric, q, value, q.value_high if q.value_high is None or value == q.value else -q.value_high,
               q.unit, modifier, change=change, start=start, end=q.end, lead_start=window)


_SECTOR = re.compile(r"第?[一二三](?:产业|产)")


def _are_sectors(items: list[Item]) -> bool:
    """一、二、三产业 / 二、三产业增加值: the sectors of the economy named by their numbers."""
    return all(_SECTOR.match(i.label) for i in items)


def item_is_pair(item: Item) -> bool:
    return item.label.startswith(("城乡", "城、乡"))


def split_pair(item: Item, lex: Lexicon) -> list[Item]:
    """城乡居民人均可支配收入分别… -> the urban and the rural one."""
    out = []
    rest = item.label[3:] if item.label.startswith("城、乡") else item.label[2:]
    for side in ("城镇", "农村"):
        label = side + rest
        out.append(Item(lex.lookup(label) or "other", label, item.start, item.end, item.mention))
    return out
