"""Report metadata: who delivered which report, where, when, reviewing and planning
which years. Everything is read from the report's own text; where the text never
names its government, the government is inferred and the method is recorded."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .. import vocab as V
from . import patterns as P
from .names import looks_like_name, may_be_name
from .regions import NATIONAL_NAME, Division, gazetteer
from .sections import Outline, Section, find_plan_start

# 我代表(市|县|区…)人民政府 -> the levels such a government can have
_LEVEL_WORDS = {w: V.levels("level_suffix", w) for w in V.words("level_suffix")}
_FIVE_YEAR_PLAN = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?")


def cn_int(s: str) -> int | None:
    """14, 十四, 二〇二六 -> int."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in V.DIGITS for c in s) and len(s) >= 2:      # digit-by-digit years: 二〇二六
        return int("".join(V.DIGITS[c] for c in s))
    small = _below_hundred(s)
    if small is not None:
        return small
    value = V.cn_number(s)
    if value is not None:
        return int(value)
    import cn2an          # spoken and other forms; its import is slow, so only when needed

    try:
        return int(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError):
        return None


def _below_hundred(s: str) -> int | None:
    """一 .. 九十九 (届, 次, 月, 日), the numbers that header lines use."""
    m = re.fullmatch(r"([一二三四五六七八九两])?(十)?([一二三四五六七八九])?", s)
    if not m or not s:
        return None
    tens, ten, ones = m.groups()
    if tens and not ten:
        return int(V.DIGITS[tens]) if not ones else None
    return (int(V.DIGITS[tens]) if tens else 1) * 10 * bool(ten) + (int(V.DIGITS[ones]) if ones else 0)


def five_year_plan_end(n: int) -> int:
    """Last year of the n-th five-year plan (十四五 -> 2025)."""
    return 2025 + 5 * (n - 14)


@dataclass
class Metadata:
    region: str | None = None
    region_code: str | None = None
    province: str | None = None
    level: str | None = None
    region_aliases: list[str] = field(default_factory=list)
    region_method: str | None = None
    region_confidence: float | None = None
    delivered_on: str | None = None
    date_source: str | None = None    # where the date was read: dateline | date line | publisher
    congress_term: int | None = None
    congress_session: int | None = None
    speaker: str | None = None
    title: str | None = None
    title_year: int | None = None
    review_year: int | None = None
    plan_year: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Header:
    title: str | None = None
    title_year: int | None = None
    title_region: str | None = None
    dateline_region: str | None = None
    delivered_on: str | None = None
    term: int | None = None
    session: int | None = None
    speaker: str | None = None
    speaker_office_region: str | None = None
    national: bool = False          # a session of the National People's Congress
    date_source: str | None = None  # dateline | date line | caption | publisher


def parse_header(lines: list[str]) -> Header:
    h = Header()
    text = "\n".join(lines)
    for line in lines:
        m = P.TITLE.match(line)
        if m and len(line) <= 80 and h.title is None:
            h.title = line
            year = m.group("pre") or m.group("post")
            h.title_year = cn_int(year[:-1]) if year else None
            h.title_region = m.group("region") if len(m.group("region") or "") > 1 else None
        elif m and h.title_year is None and (m.group("pre") or m.group("post")):
            h.title_year = cn_int((m.group("pre") or m.group("post"))[:-1])
    m = P.CONGRESS.search(text)
    if m:
        h.term, h.session = cn_int(m.group("term")), cn_int(m.group("session"))
        h.national = bool(m.group("national"))
        line_start = text.rfind("\n", 0, m.start()) + 1
        lead = text[line_start:m.start()]
        date = P.DATE.search(lead)
        # the place is what stands after 在 (and after a date there): 在北京市 / 沈阳市 (…通过)
        place = P.DATE.sub("", lead.rsplit("在", 1)[-1])
        place = re.sub(r"[\s(（\[【—\-?*]", "", place)
        h.dateline_region = place if len(place) > 1 else None      # 在市十六届人大…: no name
        h.delivered_on = _iso_date(date) if date else None
        h.date_source = "dateline" if h.delivered_on else None
    if h.delivered_on is None:
        # the date after the congress in brackets, or on a line of its own: (2023年1月10日)
        # the session's line, and the line before it (a dateline wrapped: ——2022年12月30日在合肥市\n第十七届…)
        congress_line = (text.rfind("\n", 0, max(0, text.rfind("\n", 0, m.start()))) + 1,
                         (text.find("\n", m.end()) + 1 or len(text) + 1) - 1) if m else None
        for d in P.DATE.finditer(text):
            line_start = text.rfind("\n", 0, d.start()) + 1
            line = text[line_start:].split("\n", 1)[0]
            beside = congress_line is not None and congress_line[0] <= d.start() < congress_line[1]
            if beside or P.DATE_LINE.match(line.strip()):
                h.delivered_on = _iso_date(d)
                if h.delivered_on:
                    # on the session's line, or on a line of its own in a header that names
                    # the session, it dates the session
                    h.date_source = "dateline" if m else "date line"
                    break
    h.speaker, h.speaker_office_region = parse_speaker(lines)
    return h


# 天津市2005年政府工作报告 / 鄂尔多斯市政府工作报告（2018年1月17日）/ 克拉玛依市政府工作报告
# （2023年1月6日 钱志福）: a page title as the publisher wrote it (front matter, file columns)
_PUBLISHED_TITLE = re.compile(rf"(?:{P.YEAR}年)?(?P<region>[\u4e00-\u9fff]{{2,24}}?)?(?:{P.YEAR}年)?(?:人民)?政府工作报告")
_TITLE_YEAR = re.compile(rf"({P.YEAR})\s*年")


def parse_published_title(title: str) -> Header:
    """What a publisher's page title says: the government, a year, and the date and
    speaker it may give in brackets."""
    h = Header(title=title)
    m = _PUBLISHED_TITLE.search(title)
    if m and m.group("region") and len(m.group("region")) > 1:
        h.title_region = m.group("region")
    date = P.DATE.search(title)
    # the title's own year, not the delivery date's (…工作报告（2017年12月20日）)
    year = _TITLE_YEAR.search(title[:date.start()] + " " + title[date.end():] if date else title)
    h.title_year = cn_int(year.group(1)) if year else None
    if date:
        h.delivered_on = _iso_date(date)
        h.date_source = "publisher" if h.delivered_on else None
        after = title[date.end():].strip(" )）")
        if looks_like_name(after):
            h.speaker = re.sub(r"\s+", "", after)
    return h


def merge_headers(primary: Header, *fallbacks: Header) -> Header:
    """Fields the primary header lacks, taken from weaker sources in order."""
    for other in fallbacks:
        if primary.delivered_on is None and other.delivered_on is not None:
            primary.date_source = other.date_source
        for f in ("title_year", "delivered_on", "term", "session", "speaker", "speaker_office_region"):
            if getattr(primary, f) is None and getattr(other, f) is not None:
                setattr(primary, f, getattr(other, f))
        if primary.dateline_region is None and not primary.national:
            primary.dateline_region = other.dateline_region
        primary.national = primary.national or other.national
    return primary


def _iso_date(m: re.Match) -> str | None:
    year, month, day = (cn_int(m.group(k)) for k in ("year", "month", "day"))
    try:
        return dt.date(year, month, day).isoformat()
    except (TypeError, ValueError):
        return None


def parse_speaker(lines: list[str]) -> tuple[str | None, str | None]:
    """The name after 市长/省长/总理… in the header (or in a photo caption); else a
    name on a line of its own (毛伟明) or after the date ((2005年1月25日 王珉))."""
    for line in lines:
        # after the dateline (…会议上 省长 胡玉亭) or before it (天津市市长戴相龙在…会议上)
        tail = line.split("会议上", 1)[-1] if "会议上" in line else line
        found = _office_and_name(tail) or (_office_and_name(line) if tail != line else None)
        if found:
            return found
    for line in lines:
        bare = line.strip(" ()（）*")
        dated = P.DATE_LINE.match(line.strip())
        if dated:
            bare = dated.group("name")
        if bare and looks_like_name(bare):
            return re.sub(r"\s+", "", bare), None
    return None, None


def _office_and_name(line: str) -> tuple[str, str | None] | None:
    """(name, the region before the office) of the first office followed by a name;
    a later office when what follows the first is another office (甘肃省政协副主席
    兰州市市长 张津梁)."""
    pos = 0
    while (m := P.SPEAKER.search(line, pos)) is not None:
        name = P.SPEAKER_STOP.sub("", m.group("name"))
        if "·" not in name:
            name = name[:4]
        if len(name) >= 2 and may_be_name(name):
            before = line[:m.start()].split()        # the words right before the office name its region
            office_region = re.sub(r"(?:人民政府)?$", "", before[-1]) if before else None
            return name, office_region
        pos = m.start() + 1
    return None


# --- region ------------------------------------------------------------------

# Evidence of the government, strongest first, with the confidence each gives. The
# text's own header names it outright; a publisher's page title or a file column is
# a record about the text; the place a text names most is only a weak signal (a city
# names its neighbours, its province and its partners).
EVIDENCE = (("dateline", 1.0), ("title", 1.0), ("opening (我代表…人民政府)", 1.0),
            ("speaker's office", 0.95), ("publisher's title", 0.9))
HINT_CONFIDENCE = 0.9
HINT_KEYS = ("region", "city", "county", "province", "地区", "省份")


def resolve_region(header: Header, body: str, meta_hints: dict, published: Header | None = None) -> Metadata:
    """The government: explicit names first (dateline, title, 我代表X人民政府, the
    speaker's office), then the publisher's record (a page title, a file column), then
    inference from the places the text names most. The method and a confidence are
    recorded with the result."""
    gaz = gazetteer()
    md = Metadata()
    represent = P.REPRESENT.search(body[:400])
    who = represent.group("who") if represent else ""
    congress = P.CONGRESS.search(body[:400])        # 向第二届全国人民代表大会第一次会议作报告
    if congress and congress.group("national") and not who:
        who = NATIONAL_NAME
    names = {"dateline": NATIONAL_NAME if header.national else header.dateline_region,
             "title": header.title_region,
             "opening (我代表…人民政府)": who if who not in _LEVEL_WORDS else None,
             "speaker's office": header.speaker_office_region,
             "publisher's title": published.title_region if published else None}
    context = body[:20000]
    for method, confidence in EVIDENCE:
        division = gaz.resolve(names[method], context=context) if names[method] else None
        if division:
            return _fill_region(md, division, names[method], method, confidence)
    for key in HINT_KEYS:
        hint = meta_hints.get(key)
        division = gaz.resolve(str(hint)) if hint else None
        if division:
            return _fill_region(md, division, division.name, f"file column '{key}'", HINT_CONFIDENCE)
    level_word = who if who in _LEVEL_WORDS else None
    inferred = infer_region(body, level_word)
    if inferred:
        division, method, confidence = inferred
        return _fill_region(md, division, division.name, method, confidence)
    return md


def _fill_region(md: Metadata, d: Division, written: str, method: str, confidence: float) -> Metadata:
    gaz = gazetteer()
    written = re.sub(r"[(（].*?[)）]", "", written)
    # the division's own name; what the text wrote (青岛市黄岛区, the short forms 黔东南州
    # and 伊犁州) is kept as an alias
    md.region = d.name
    md.region_aliases = [n for n in dict.fromkeys([d.name, d.short, written]) if n != md.region]
    md.region_code = d.code
    md.province = gaz.province_of(d).name if d.level != "national" else None
    md.level = d.level
    md.region_method = method
    md.region_confidence = round(confidence, 3)
    return md


# a place named like this is a government above the speaker's: 郑州县(市) "the counties of
# Zhengzhou", 郑州市级 "awarded at Zhengzhou level", 省级 …
_SUPERIOR_AFTER = r"(?:县\s*[(（]\s*市|县市区|县区|各县|所辖|下辖|[省市州盟]?级)"


def _as_superior(body: str, d: Division) -> int:
    names = "|".join(re.escape(n) for n in {d.name, d.short} if len(n) >= 2)
    return len(re.findall(f"(?:{names}){_SUPERIOR_AFTER}", body)) if names else 0


def infer_region(body: str, level_word: str | None) -> tuple[Division, str, float] | None:
    """The government a report never names: the place of the right level that the
    text names most often. Returns (division, method, confidence)."""
    gaz = gazetteer()
    levels = _LEVEL_WORDS.get(level_word or "", ("province", "prefecture", "county"))
    counts = gaz.mentions(body)
    ranked = []
    for code, n in counts.items():
        d = gaz.by_code[code]
        if d.level not in levels:
            continue
        if level_word == "市" and d.level == "county" and not d.name.endswith("市"):
            continue        # 我代表市人民政府: a city, not a district or county
        if level_word == "区" and not d.name.endswith("区"):
            continue
        if level_word == "县" and not d.name.endswith("县"):
            continue
        ranked.append((n - _as_superior(body, d), d))
    if not ranked:
        return None
    # same-named places (鼓楼区 in four cities) tie on their own mentions: the one
    # whose city and province the text also names is the one meant
    def context(d: Division) -> int:
        return sum(counts.get(a.code, 0) for a in (gaz.parent_of(d), gaz.province_of(d)) if a and a.code != d.code)
    ranked.sort(key=lambda x: (-x[0], -context(x[1]), x[1].code))
    top_n, top = ranked[0]
    runner_up = next((n for n, d in ranked[1:] if d.name != top.name), 0)
    if top_n < 3:
        return None
    confidence = top_n / (top_n + runner_up)
    how = (f"inferred: '{top.short}' is the {level_word or ''}-level place the text names most "
           f"({top_n} times; next {runner_up})")
    return top, how, confidence


# --- years -------------------------------------------------------------------

_YEAR_IN = re.compile(rf"({P.YEAR})\s*年")


def _explicit_years(text: str) -> list[int]:
    return [y for y in (cn_int(m.group(1)) for m in _YEAR_IN.finditer(text)) if y and 1949 < y < 2100]


def _years(text: str) -> list[int]:
    """Years a heading names, counting a five-year plan's last year in a review
    heading (“十四五”时期工作回顾 -> 2025)."""
    out = _explicit_years(text)
    for m in _FIVE_YEAR_PLAN.finditer(text):
        if "时期" in text or "回顾" in text or "以来" in text:
            out.append(five_year_plan_end(cn_int(m.group(1)) + 10))
    return out


_TASK_CUES = re.compile(V.alt("task_cue"))
MIN_TASK_CUES = 5          # a report without telling headings plans if its text sets this many tasks


def has_plan_part(outline: Outline, body: str) -> bool:
    """Does the report plan at all: a plan part found by heading, list or tense; or, in
    a report whose parts no heading tells apart, text that sets tasks; or future
    markers throughout (a speech that plans topic by topic). A report cut off after
    its review has none of these."""
    tops = _structuring_headings(outline)
    known = [s for s in tops if s.kind in ("review", "targets", "tasks")]
    if outline.plan_start is not None:
        return True
    return (not known and len(_TASK_CUES.findall(body)) >= MIN_TASK_CUES) or _plans_throughout(outline)


def _structuring_headings(outline: Outline) -> list[Section]:
    """The headings that structure the report: top-level ones, and deeper ones that
    name a part; not lead sentences (一是…。), whose words are the text's."""
    return [s for s in outline.sections
            if (s.parent is None or s.own_kind in ("review", "targets", "tasks"))
            and s.style != "lead" and len(s.title) <= HEADING_MAX]


def report_years(outline: Outline, norm_text: str, body: str, delivered_on: str | None,
                 has_plan: bool, title_year: int | None = None,
                 date_source: str | None = "dateline") -> tuple[int | None, int | None]:
    """(review_year, plan_year). Evidence for the plan year, strongest first:

    1. the delivery date (a report delivered in November or December plans the next
       year), when the report has a plan part at all; a date that is not the
       dateline's (a bare date line, a caption) gives way to an annual plan heading;
    2. the year an annual plan heading names (2026年重点工作), the latest if several;
    3. in a report without headings, the year its main-targets statement names;
    4. the year after the one a review heading names (2025年工作回顾);
    5. the year the plan part or the review part opens with (2024年是…);
    6. this year's place in a five-year plan (今年是“十四五”开局之年);
    7. the year of the report's title (the weakest: a compilation may title a report
       delivered in December with the year it reviews).

    The review year is the year before the plan year when the report reviews anything
    (a "tasks" heading that names only earlier years, 一、2013年主要工作, reviews them:
    see reread_kinds). ``norm_text`` is the text the outline's offsets point into;
    ``body`` the report's own text; ``has_plan`` is has_plan_part's answer."""
    tops = _structuring_headings(outline)
    plan = _plan_year_from_date(delivered_on) if delivered_on and has_plan else None
    headed = _plan_year_from_headings(tops)
    if plan is None or (headed is not None and headed != plan and date_source != "dateline"):
        plan = headed or plan       # a bare date line may be the page's date, not the session's
    if plan is None and not outline.sections:
        plan, review = _years_without_headings(body, delivered_on)
        if plan is not None:
            return review, plan
    if plan is None and has_plan:
        review_years = [y for s in tops if s.kind == "review" for y in _annual_years(s.title)]
        if review_years:
            plan = max(review_years) + 1
    if plan is None and has_plan:
        plan = _opening_year(outline, norm_text, ("targets", "tasks"))
        if plan is None:
            reviewed = _opening_year(outline, norm_text, ("review",))
            plan = reviewed + 1 if reviewed else None
    if plan is None and has_plan:
        plan = _year_from_plan_period(body)
    if plan is None and has_plan:
        plan = title_year
    has_review = (any(s.kind == "review" for s in outline.sections) or bool(_REVIEW_CUES.search(body[:3000]))
                  or (plan is not None and bool(_reviewing_before(outline, plan))))
    if plan is not None:
        return (plan - 1 if has_review else None), plan
    # no plan part: the year the review names, or the year before the delivery
    review_years = [y for s in tops if s.kind == "review" for y in _years(s.title)]
    if review_years:
        return max(review_years), None
    if has_review and delivered_on:
        return _plan_year_from_date(delivered_on) - 1, None
    return None, None


# 今年是“十一五”开局之年 / 从今年开始，我省将实施第十一个五年规划 / 今年是“十三五”收官之年:
# this year's place in a five-year plan gives the year
_PLAN_PERIOD = re.compile(r"今年[^。;]{0,24}?(?:十(?P<n>[一二三四五六七八九])五|第(?P<m>[十一二三四五六七八九]+)个五年)[^。;]{0,16}?"
                          r"(?P<place>开局|起步|第一年|首年|开始|收官|最后一年|决胜|第二年|第三年|第四年)")
_FROM_THIS_YEAR = re.compile(r"从今年(?:开始|起)[^。;]{0,20}?(?:十(?P<n>[一二三四五六七八九])五|第(?P<m>[十一二三四五六七八九]+)个五年)")
_PLACE_OFFSET = {"开局": 0, "起步": 0, "第一年": 0, "首年": 0, "开始": 0, "第二年": 1, "第三年": 2, "第四年": 3,
                 "收官": 4, "最后一年": 4, "决胜": 4}


def _year_from_plan_period(body: str) -> int | None:
    """The plan year from this year's place in a five-year plan (the n-th plan runs
    from 1951 + 5n: the 11th from 2006)."""
    for rx in (_PLAN_PERIOD, _FROM_THIS_YEAR):
        m = rx.search(body)
        if m:
            n = cn_int(m.group("m")) if m.group("m") else 10 + cn_int(m.group("n"))
            if n:
                start = five_year_plan_end(n) - 4
                return start + _PLACE_OFFSET.get(m.groupdict().get("place") or "开始", 0)
    return None


MIXED_PLAN_MARKERS = 40      # a speech that plans as it reviews, topic by topic, has this many
MIXED_PLAN_DENSITY = 2.0     # future markers, at least this many per 1,000 characters


def _plans_throughout(outline: Outline) -> bool:
    """A report that reviews and plans topic by topic (older national reports) has
    no plan part of its own, but plans all the same: its future markers are many and
    dense."""
    tenses = outline.tenses
    future = sum(t[1] for t in tenses)
    chars = sum(t[2] for t in tenses)
    return future >= MIXED_PLAN_MARKERS and future * 1000 >= MIXED_PLAN_DENSITY * chars


HEADING_MAX = 40     # longer "headings" are lead sentences or run into their paragraph
_REVIEW_CUES = re.compile(V.alt("review_year_word", "review_term_word"))


def _annual_years(title: str) -> list[int]:
    """The years a heading names as single years: not the start of a span
    (2008年以来, 2021—2025年), not a horizon (到2025年, 2020年前, 二〇三五年远景目标)."""
    return _explicit_years(_NOT_ANNUAL.sub("", title))


_NOT_ANNUAL = re.compile(rf"{P.YEAR}\s*年(?:底|末)?以来|{P.YEAR}\s*年?\s*[—\-至到]\s*{P.YEAR}\s*年"
                         rf"|[到至]\s*{P.YEAR}\s*年|{P.YEAR}\s*年前|{P.YEAR}\s*年远景")


# 2022年，全区经济持续向好 / 刚刚过去的2022年 / 2024年是新中国成立75周年: the year a part
# of the report opens with
_OPENS_WITH_YEAR = re.compile(rf"(?:刚刚过去的|过去的|回顾)?\s*({P.YEAR})\s*年(?:[,是]|我们|全[市省区县州盟旗])")


def _opening_year(outline: Outline, norm_text: str, kinds: tuple[str, ...]) -> int | None:
    """The year the first paragraph of the first section of these kinds opens with."""
    first = next((i for i, s in enumerate(outline.sections) if s.kind in kinds), None)
    if first is None:
        return None
    paragraphs = [p for p in outline.paragraphs if p.section == first][:2]
    for p in paragraphs:
        m = _OPENS_WITH_YEAR.match(norm_text, p.start, p.end)
        if m:
            return cn_int(m.group(1))
    return None


def _plan_year_from_headings(tops) -> int | None:
    """The latest single year an annual plan heading names."""
    years = [y for s in tops if s.kind in ("targets", "tasks") and s.own_kind in ("targets", "tasks", "review")
             for y in _annual_years(s.title)]
    return max(years) if years else None


def _reviewing_before(outline: Outline, plan: int) -> set[int]:
    """Top-level plan sections whose heading names only years before the plan year
    (一、2013年主要工作 in a report for 2014), with their subsections."""
    found: set[int] = set()
    for i, s in enumerate(outline.sections):
        if s.parent is None and s.kind in ("targets", "tasks"):
            years = _annual_years(s.title)
            if years and max(years) < plan:
                found.add(i)
        elif s.parent in found:
            found.add(i)
    return found


def reread_kinds(outline: Outline, plan: int) -> None:
    """Read the top-level sections against the plan year: a plan heading that names
    only earlier years reviews them, and the plan part starts after it."""
    changed = _reviewing_before(outline, plan)
    for i in changed:
        outline.sections[i].kind = "review"
    if changed:
        outline.plan_start = find_plan_start(outline)


_YEAR_WE = re.compile(r"\d{4}年[^。]{0,10}我们")     # 2003年，我们…: a year reviewed


def _years_without_headings(body: str, delivered_on: str | None) -> tuple[int | None, int | None]:
    """A report without headings: the main-targets statement gives the plan year (the
    year it names, or the delivery date's), and a review before it the year before."""
    for m in P.MAIN_TARGETS.finditer(body):
        if m.group("punct") != ":":
            continue             # only a lead that introduces the list (主要预期目标是:)
        lead = body[max(0, m.start() - 60):m.start()].split("。")[-1]
        if P.FIVE_YEAR.search(lead):
            continue
        years = _explicit_years(lead)
        plan = years[-1] if years else (_plan_year_from_date(delivered_on) if delivered_on else None)
        if plan is None:
            return None, None
        reviewed = _REVIEW_CUES.search(body, 0, m.start()) or _YEAR_WE.search(body, 0, m.start())
        return plan, (plan - 1 if reviewed else None)
    return None, None


def _plan_year_from_date(delivered_on: str) -> int:
    """A report delivered in November or December plans the next year."""
    year, month = int(delivered_on[:4]), int(delivered_on[5:7])
    return year + 1 if month >= 11 else year
