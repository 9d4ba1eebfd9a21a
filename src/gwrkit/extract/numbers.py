"""Numbers as reports write them: 838.7亿元, 增长-20.7%, 6%—6.5%, 4.5-5%, 1,234万元,
百分之五点二, 一千二百万人, 5.5%以内, 不低于3%.

Runs on normalized text (full-width digits and signs already folded to ASCII).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .. import vocab as V
from ..textutil import trie_regex

# unit -> (family, factor to the family's base unit), from the vocabulary: each scalable
# unit with each prefix (亿元, 万人), and the fixed units (%, 个百分点, 微克/立方米)
UNITS: dict[str, tuple[str, float]] = {}
for _base, _fam in V.mapping("unit_scalable").items():
    for _p, _k in {"": 1.0, **{p: float(k) for p, k in V.mapping("unit_prefix").items()}}.items():
        UNITS[_p + _base] = (_fam, _k)
for _unit, _spec in V.mapping("unit_fixed").items():
    _fam, _k = _spec.split()
    UNITS[_unit] = (_fam, float(_k))
# as a trie, so that 万亿元 wins over 亿元 and 元 without trying every unit in turn
_UNIT_RX = "(?:" + trie_regex(u for u in UNITS if u not in ("位",)) + ")"
_COUNTERS = set(V.words("unit_counter"))   # too common after Chinese numerals

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_DIGITS = V.CN_DIGITS
CN_NUMBER_START = f"[{CN_DIGITS}十]"
# starts with a digit or 十 (so that 亿元 after 838.7 is not read as a number 亿 + 元), and
# never inside a run of numerals: a number is tried from its first character only, so a
# long run costs one pass, not one pass per character
CN_NUMBER = rf"(?<![\d.{CN_DIGITS}十百千万亿点]){CN_NUMBER_START}[{CN_DIGITS}十百千万亿点]*"
_RANGE_DASH = r"\s*[—–\-~～至到]\s*"

# a number with a unit, or a range whose unit stands after its second number (6-6.5%);
# numbers without a unit (years, ordinals) do not match at all
QUANTITY = re.compile(
    rf"(?P<neg>(?<![\d.%])-)?(?<![\d.])(?P<v1>{ARABIC})"      # from a number's first digit only
    rf"(?:(?P<u1>{_UNIT_RX})(?:{_RANGE_DASH}(?P<v2>{ARABIC})(?P<u2>{_UNIT_RX}))?"
    rf"|{_RANGE_DASH}(?P<v2b>{ARABIC})(?P<u2b>{_UNIT_RX}))"
    rf"(?P<post>{V.alt('modifier_after')})?")
CN_QUANTITY = re.compile(
    rf"(?:(?P<per>[百千])分之(?P<pct>{CN_NUMBER})(?P<ppost>{V.alt('modifier_after')})?)"
    rf"|(?P<cn>{CN_NUMBER})(?P<cu>{_UNIT_RX})(?P<cpost>{V.alt('modifier_after')})?")

# the modifier written just before a number, one pattern for the three kinds
_PRE_ANY = re.compile(rf"(?:(?P<at_least>{V.alt_of('modifier_before', 'at_least')})"
                      rf"|(?P<at_most>{V.alt_of('modifier_before', 'at_most')})"
                      rf"|(?P<around>{V.alt_of('modifier_before', 'around')}))$")
_POST_THRESHOLD = re.compile(rf"(?:的)?{V.alt('threshold_noun')}")
_POST = V.mapping("modifier_after")


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    value: float
    value_high: float | None
    unit: str | None
    modifier: str            # around | at_least | at_most | range | point
    text: str

    @property
    def family(self) -> str | None:
        return UNITS[self.unit][0] if self.unit in UNITS else None

    def base_value(self, value: float | None = None) -> float | None:
        """Value in the unit family's base unit (亿元 -> 元); percents stay as they are."""
        v = self.value if value is None else value
        if v is None or self.unit not in UNITS:
            return v
        return v * UNITS[self.unit][1]


def parse_arabic(s: str) -> float:
    return float(s.replace(",", ""))


def parse_chinese(s: str) -> float | None:
    """一千二百万 -> 12000000, 五点二 -> 5.2, 二〇二三 -> 2023."""
    if not s or not re.search(rf"[{CN_DIGITS}十]", s):
        return None
    value = V.cn_number(s)
    if value is not None:
        return value
    import cn2an          # spoken and other forms; its import is slow, so only when needed

    try:
        return float(cn2an.cn2an(s.replace("两", "二"), "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _modifier_before(text: str, start: int) -> str | None:
    m = _PRE_ANY.search(text, max(0, start - 4), start)
    # 控制在 (keep at) is no bound of its own: 控制在3%以内 is at most, 控制在3%左右 around
    return m.lastgroup if m else None


def modifier_of(text: str, start: int, post: str | None) -> str:
    """The modifier of a number at ``start``: the word after it (左右, 以内), else one just
    before it (不低于), else point."""
    return _POST.get(post or "") or _modifier_before(text, start) or "point"


# a number no report states as a figure: larger than this in its own unit (the national
# GDP is about 1.3e14 yuan), or not finite (a 5,000-digit run of 9s overflows a float)
ABSURD = 1e20
# the exponent of scientific notation (1e400%, 2.5E3%) is not a figure of its own
_EXPONENT_BEFORE = re.compile(r"\d(?:\.\d*)?[eE][+-]?$")


def _sensible(*values: float | None) -> bool:
    return all(v is None or (math.isfinite(v) and abs(v) <= ABSURD) for v in values)


def _is_exponent(text: str, start: int) -> bool:
    return start > 1 and text[start - 1] in "eE+-" and bool(_EXPONENT_BEFORE.search(text, max(0, start - 40), start))


_ANY_NUMBER = re.compile(rf"\d|[百千]分之|{CN_NUMBER}(?:{_UNIT_RX})")


def _matches_from(pattern: re.Pattern, starts: re.Pattern, text: str):
    """pattern.finditer(text), tried only where ``starts`` finds a character a match can
    begin with. For a pattern that opens with a look-behind (QUANTITY, CN_QUANTITY) the
    engine cannot skip ahead, so finditer would try it at every character."""
    pos = 0
    while (start := starts.search(text, pos)) is not None:
        m = pattern.match(text, start.start())
        if m:
            yield m
            pos = m.end()
        else:
            pos = start.start() + 1


# every Arabic quantity starts with a digit or a minus sign; every quantity in Chinese
# numerals with 百 or 千 (百分之, 千分之) or a numeral
_ARABIC_START = re.compile(r"[-\d]")
_CN_START = re.compile(f"[百千{CN_DIGITS}十]")


def _arabic_quantities(text: str):
    return _matches_from(QUANTITY, _ARABIC_START, text)


def _cn_quantities(text: str):
    return _matches_from(CN_QUANTITY, _CN_START, text)


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit in ``text`` (numbers without a unit are years, list
    markers and the like, and are left out)."""
    out = list(_quantities(text))
    out.sort(key=lambda q: q.start)
    return out


def has_quantities(text: str) -> bool:
    """Does ``text`` state a number with a unit? (find_quantities, stopped at the first.)"""
    return next(_quantities(text), None) is not None


def _quantities(text: str):
    """The quantities of find_quantities: the Arabic ones, then those in Chinese numerals
    that are not inside an Arabic one."""
    if not _ANY_NUMBER.search(text):
        return
    arabic_spans = []
    for m in _arabic_quantities(text):
        u1, u2 = m.group("u1"), m.group("u2") or m.group("u2b")
        unit = u1 or u2
        v2 = m.group("v2") or m.group("v2b")
        value = parse_arabic(m.group("v1")) * (-1 if m.group("neg") else 1)
        high = parse_arabic(v2) if v2 else None
        if high is not None and u1 and u2 and UNITS[u1][0] != UNITS[u2][0]:
            continue
        if not _sensible(value, high) or _is_exponent(text, m.start("v1")):
            continue
        if high is not None and u1 and u2 and u1 != u2:       # 5千万-1亿元: bring to one unit
            value = value * UNITS[u1][1] / UNITS[u2][1]
        modifier = _POST.get(m.group("post") or "")
        if high is not None:
            modifier = "range"
        modifier = modifier or _modifier_before(text, m.start()) or "point"
        if modifier == "point" and _POST_THRESHOLD.match(text, m.end()):
            modifier = "at_least"        # 迈上6万亿元台阶: a threshold passed, not the figure
        arabic_spans.append((m.start(), m.end()))
        yield Quantity(m.start(), m.end(), value, high, u2 if high is not None else unit, modifier, m.group())
    for m in _cn_quantities(text):
        if arabic_spans and any(a <= m.start() < b for a, b in arabic_spans):
            continue
        if m.group("pct"):       # 百分之五点二 / 千分之十点五
            value, unit, post = parse_chinese(m.group("pct")), "%" if m.group("per") == "百" else "‰", m.group("ppost")
        else:
            if m.group("cu") in _COUNTERS:
                continue
            value, unit, post = parse_chinese(m.group("cn")), m.group("cu"), m.group("cpost")
        if value is None or not _sensible(value):
            continue
        modifier = modifier_of(text, m.start(), post)
        yield Quantity(m.start(), m.end(), value, None, unit, modifier, m.group())


def format_quantity(value: float, unit: str) -> str:
    """Write a value the way reports do (used by round-trip tests)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"
