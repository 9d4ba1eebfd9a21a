"""The phrase vocabularies that ingest/, structure/ and extract/ share.

Reports say the same things in many words: 左右/上下 (around), 增长/上涨/提高 (a rise),
省长/市长/州长 (the speaker's office), 主要预期目标/预期性指标 (what a targets statement
names). The words live in one data file, ``gwrkit/data/phrases.csv`` (set, phrase,
value, note), so that a rule names a *set* and never repeats a list. This module
loads that file once and offers each set as words, as a word -> value mapping, or as a
regex alternation (built as a trie, so that of the phrases starting at one place the
longest wins: 万亿元 before 万元 and 亿元, 主要 before 要 where 主要 is listed).

The patterns that are structure rather than vocabulary (numbered heading styles,
year and numeral patterns) are built here too, from the numeral sets, so that the
normalizer, the splitter and the outline agree on what a heading looks like.
"""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources

from .textutil import trie_regex


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    text = resources.files("gwrkit.data").joinpath("phrases.csv").read_text(encoding="utf-8")
    sets: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        name = (row.get("set") or "").strip()
        if not name or name.startswith("#"):
            continue
        sets.setdefault(name, {})[row["phrase"]] = (row.get("value") or "").strip()
    return sets


def words(*names: str) -> list[str]:
    """The phrases of one or more sets, in file order."""
    table = _table()
    out: list[str] = []
    for name in names:
        if name not in table:
            raise KeyError(f"no phrase set '{name}' in phrases.csv")
        out += [w for w in table[name] if w not in out]
    return out


def mapping(name: str) -> dict[str, str]:
    """phrase -> value for one set."""
    if name not in _table():
        raise KeyError(f"no phrase set '{name}' in phrases.csv")
    return dict(_table()[name])


@lru_cache(maxsize=None)
def alt(*names: str) -> str:
    """A non-capturing regex matching any phrase of the sets, longest first."""
    return "(?:" + trie_regex(words(*names)) + ")"


def value_words(name: str, value: str) -> list[str]:
    """The phrases of a set that carry one value (modifier_before, at_least)."""
    return [w for w, v in mapping(name).items() if v == value]


@lru_cache(maxsize=None)
def alt_of(name: str, value: str) -> str:
    """A regex alternation of the phrases of a set that carry one value."""
    return "(?:" + trie_regex(value_words(name, value)) + ")"


def levels(name: str, phrase: str) -> tuple[str, ...]:
    """The administrative levels a level word or an office names (市 -> three levels)."""
    value = mapping(name).get(phrase, "")
    return tuple(v for v in value.split("|") if v)


# --- numerals and the structural patterns built from them ---------------------------

DIGITS = mapping("numeral_digit")                       # 〇 -> 0, 两 -> 2
CN_DIGITS = "".join(DIGITS)                             # 〇零一二两三…九
CN_NUMERAL = CN_DIGITS + "十百"                          # what 届/次/月/日 numbers use
YEAR = rf"(?:(?:19|20)\d\d|[{CN_DIGITS}]{{4}})"        # 2026 / 二〇二六
NUM = rf"(?:\d+|[{CN_NUMERAL}]+)"                       # 14 / 十四
ORDINAL = "一二三四五六七八九十"                           # heading numbers: 一、 （三）

# numbered heading styles, outermost first: 一、 / （一） / 1. / （1） / 第一部分
HEADING_STYLES: list[tuple[str, re.Pattern]] = [
    ("cn", re.compile(rf"^[{ORDINAL}]{{1,3}}、")),
    ("paren_cn", re.compile(rf"^[(][{ORDINAL}]{{1,3}}[)]")),
    ("arabic", re.compile(r"^\d{1,2}[.、](?!\d)")),
    ("paren_arabic", re.compile(r"^[(]\d{1,2}[)]")),
    ("part", re.compile(rf"^第[{ORDINAL}]+部分")),
]
# the start of any numbered heading, as one alternation (normalize and split use it)
NUMBERED_HEADING = rf"[{ORDINAL}]+、|[(][{ORDINAL}]+[)]|\d{{1,2}}[.、]|第[{ORDINAL}]+[,、部章节]"
TOP_HEADING = re.compile(rf"^(?:[{ORDINAL}]+、|[(][{ORDINAL}]+[)])")


# --- Chinese numerals ------------------------------------------------------------

_SCALE = {w: int(v) for w, v in mapping("numeral_scale").items()}
_SMALL_SCALES = {w: v for w, v in _SCALE.items() if v < 10000}     # 十 百 千
_BIG_SCALES = {w: v for w, v in _SCALE.items() if v >= 10000}      # 万 亿


def cn_number(s: str) -> float | None:
    """The value of a Chinese numeral: 一千二百万 -> 12000000, 五点二 -> 5.2,
    二〇二三 -> 2023, 十五 -> 15, 一万亿 -> 1e12; None when ``s`` is not one. (cn2an
    reads the same forms; this covers them without its slow import.)"""
    if not s:
        return None
    whole, _, frac = s.partition("点")
    if frac and not all(c in DIGITS for c in frac):
        return None
    if whole and all(c in DIGITS for c in whole) and len(whole) > 1:   # digit by digit: 二〇二三
        value = float("".join(DIGITS[c] for c in whole))
    elif len(whole) >= 2 and whole[-1] in DIGITS and whole[-2] in _SCALE and whole[-2] != "十":
        return None       # the spoken 一万三 (13000), 一千二: left to cn2an
    else:
        value = _cn_integer(whole) if whole else 0.0
        if value is None:
            return None
    if frac:
        value += float("0." + "".join(DIGITS[c] for c in frac))
    return value


def _cn_integer(s: str) -> float | None:
    total = section = 0
    number: int | None = None
    last_big = False
    for ch in s:
        if ch in DIGITS:
            number, last_big = int(DIGITS[ch]), False
        elif ch in _SMALL_SCALES:
            section += (1 if number is None else number) * _SMALL_SCALES[ch]
            number, last_big = None, False
        elif ch in _BIG_SCALES:
            part = section + (number or 0)
            if part == 0 and last_big:          # 万亿: the scales multiply
                total *= _BIG_SCALES[ch]
            elif part == 0 and total == 0:
                return None
            else:
                total = (total + part) * _BIG_SCALES[ch] if total and _BIG_SCALES[ch] > _largest(total) \
                    else total + part * _BIG_SCALES[ch]
            section, number, last_big = 0, None, True
        else:
            return None
    return float(total + section + (number or 0))


def _largest(total: int) -> int:
    """The largest big scale already in a running total (1e8 for 一亿二千万 so far)."""
    return 100000000 if total >= 100000000 else (10000 if total >= 10000 else 1)
