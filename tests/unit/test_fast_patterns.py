"""Patterns rewritten for speed find exactly what their plain definitions find: each
plain definition is written here as the specification, and both run on real sentences
and on random strings over the characters that matter."""
import random
import re

import pytest

from gwrkit.extract import numbers
from gwrkit.extract.clauses import split_clauses
from gwrkit.ingest import normalize
from gwrkit.structure import sections
from gwrkit.vocab import HEADING_STYLES

# the plain definitions
CLAUSE = re.compile(r"(?:“[^”\n]*”|\([^)\n]*\)|《[^》\n]*》|[^,;:。!?])+")
BLANK_RUN = re.compile(r"(?<=\n)(?:[ ]*\n)+")
PAGE_NUMBER_LINE = re.compile(r"^[ ]*[-—–]?[ ]*\d{1,3}[ ]*[-—–]?[ ]*(?:\n|$)", re.M)


def _random_strings(alphabet: str, n: int = 20000, longest: int = 16, seed: int = 7):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def _page_numbers(text: str) -> list[tuple[int, int]]:
    first = normalize._PAGE_NUMBER_FIRST_LINE.match(text)
    found = ([first] if first else []) + list(normalize._PAGE_NUMBER_LINE.finditer(text))
    return [(m.start(1), m.end(1) + (m.end(1) < len(text))) for m in found]


def test_clauses_as_defined():
    sentence = "全年地区生产总值增长5.2%(按可比价格计算),“十四五”规划《纲要》目标任务顺利推进;城镇新增就业1.2万人。"
    assert split_clauses(sentence) == [m.span() for m in CLAUSE.finditer(sentence)]
    assert len(split_clauses(sentence)) == 3
    for s in _random_strings("ab,;:。!?“”()《》\n"):
        assert split_clauses(s) == [m.span() for m in CLAUSE.finditer(s)], s


def test_blank_runs_and_page_numbers_as_defined():
    page = "经济运行稳中有进。\n\n  \n- 12 -\n3\n城镇新增就业1.2万人。\n 7"
    assert [m.span(1) for m in normalize._BLANK_RUN.finditer(page)] == [m.span() for m in BLANK_RUN.finditer(page)]
    assert _page_numbers(page) == [m.span() for m in PAGE_NUMBER_LINE.finditer(page)]
    assert len(_page_numbers(page)) == 3
    for s in _random_strings(" \n12-—a", n=50000):
        assert [m.span(1) for m in normalize._BLANK_RUN.finditer(s)] == [m.span() for m in BLANK_RUN.finditer(s)], s
        assert _page_numbers(s) == [m.span() for m in PAGE_NUMBER_LINE.finditer(s)], s


def test_arabic_quantities_as_defined():
    sentence = "地区生产总值达到1,234.5亿元,增长-0.5%至6%,1e400%不是数字,居民收入增长5千万-1亿元。"
    expected = [m.span() for m in numbers.QUANTITY.finditer(sentence)]
    assert [m.span() for m in numbers._arabic_quantities(sentence)] == expected and len(expected) >= 4
    for s in _random_strings("12-.,%万亿元e ", n=50000, longest=12):
        assert [m.span() for m in numbers._arabic_quantities(s)] == [m.span() for m in numbers.QUANTITY.finditer(s)], s


@pytest.mark.parametrize("line, style", [("一、2025年工作回顾", "cn"), ("(三)持续扩大有效需求", "paren_cn"),
                                         ("1.地区生产总值增长5%左右;", "arabic"), ("(2)稳定就业", "paren_arabic"),
                                         ("第二部分 今年工作安排", "part"), ("2025年主要预期目标", None)])
def test_heading_styles_in_one_alternation_as_one_by_one(line, style):
    one_by_one = next((name for name, rx in HEADING_STYLES if rx.match(line)), None)
    found = sections._ANY_STYLE.match(line)
    assert one_by_one == style == (found.lastgroup if found else None)


def test_number_test_as_defined():
    from gwrkit.extract.figures import _HAS_NUMBER

    plain = re.compile(r"\d+|百分之|[一二三四五六七八九十两][十百千万亿点]")
    for text, has in (("坚持稳中求进工作总基调", False), ("增长百分之五", True), ("新增就业五万人", True),
                      ("全年增长5.2%", True), ("一百分之", True), ("一是", False)):
        assert bool(_HAS_NUMBER.search(text)) is has is bool(plain.search(text)), text
    for s in _random_strings("5百分之一十万点两是x", n=50000, longest=10):
        new, old = _HAS_NUMBER.search(s), plain.search(s)
        assert (new and new.start()) == (old and old.start()), s      # where the first number starts


def test_width_folding_as_translate():
    # full-width digits and punctuation, an ideographic space, and a middle dot, which
    # folds to itself (it must not stop the loop from moving on)
    text = "地区生产总值增长５．２％，\u3000居民·收入增长５％左右；（二）"
    assert normalize.fold_width(text) == text.translate(normalize.WIDTH_TABLE) == "地区生产总值增长5.2%, 居民·收入增长5%左右;(二)"
    for s in _random_strings("５，％·\u3000a增\t\u2015", n=20000):
        assert normalize.fold_width(s) == s.translate(normalize.WIDTH_TABLE), s


def test_spaces_as_defined():
    plain = re.compile(r" +")
    for s in ["增长 5.2%", "6.5 %  左右", "   ", "", "a b  c   "]:
        assert [m.span() for m in normalize._SPACES.finditer(s)] == [m.span() for m in plain.finditer(s)]
    for s in _random_strings(" a增\n", n=20000):
        assert [m.span() for m in normalize._SPACES.finditer(s)] == [m.span() for m in plain.finditer(s)], s


def test_lone_surrogates_found_as_by_search():
    from gwrkit.ingest.readers import _SURROGATE, _has_surrogate

    for text in ["政府工作报告", "a\ud800b", "\udfff", "", "😀 U+1F600 is no surrogate", "x" * (1 << 20) + "\udc00"]:
        assert _has_surrogate(text) is bool(_SURROGATE.search(text)), text[-20:]


def test_span_mapper_as_to_original():
    norm = normalize.normalize("**一、回顾**\n\n  全年地区生产总值增长 5.2% ，\n- 3 -\n城镇新增就业\u200b1.2万人。  \n")
    span = norm.span_mapper()
    n = len(norm.text)
    pairs = [(a, b) for a in range(n + 2) for b in range(a - 1, n + 2)]
    assert all(span(a, b) == norm.to_original(a, b) for a, b in pairs) and len(pairs) > 600
    assert len(norm.offsets.derived) > 5            # deletions at many places: a map of many pieces


def test_chinese_quantities_as_defined():
    sentence = "城镇新增就业五万人,增长百分之六点五,第一产业增加值二十亿元,一二十个项目,十四五期间增长三倍。"
    expected = [m.span() for m in numbers.CN_QUANTITY.finditer(sentence)]
    assert [m.span() for m in numbers._cn_quantities(sentence)] == expected and len(expected) >= 3
    for s in _random_strings("百分之一二十万亿点人元5%x", n=50000, longest=12):
        assert [m.span() for m in numbers._cn_quantities(s)] == [m.span() for m in numbers.CN_QUANTITY.finditer(s)], s


def test_rank_hint_as_defined():
    from gwrkit.extract.figures import _RANKING_HINT, _may_hold_rank

    for text, has in (("增速居全省第2位", True), ("总量居首位", True), ("第三产业增加值", False), ("第12名", True)):
        assert _may_hold_rank(text, 0, len(text)) is has is bool(_RANKING_HINT.search(text)), text
    for s in _random_strings("第12位名首x", n=50000, longest=10):
        for a, b in ((0, len(s)), (1, len(s) - 1)):
            assert _may_hold_rank(s, a, b) is bool(_RANKING_HINT.search(s, a, b)), (s, a, b)


def test_format_characters_as_defined():
    plain = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u00ad\ufeff]+")
    for s in _random_strings("\u200b\u200d\u202e\u00ad\ufeff增5 ", n=30000):
        assert [m.span() for m in normalize.FORMAT_CHARS.finditer(s)] == [m.span() for m in plain.finditer(s)], s
        assert bool(normalize._FORMAT_CHAR.search(s)) is bool(plain.search(s)), s


def test_letters_as_digits_equals_its_regex_definition():
    """letters_as_digits scans with str.find; its definition is two regexes: [lI] before a
    digit and not after a Latin letter, or [lIOo] between a digit and a digit, . or %."""
    one, inside = re.compile(r"[lI](?=\d)"), re.compile(r"(?<=\d)[lIOo](?=[\d.%])")

    def by_regex(text):
        spots = {m.start() for m in one.finditer(text)
                 if m.start() == 0 or not re.match("[A-Za-z]", text[m.start() - 1])}
        spots |= {m.start() for m in inside.finditer(text)}
        return "".join({"l": "1", "I": "1", "O": "0", "o": "0"}[c] if k in spots else c for k, c in enumerate(text))

    for text in _random_strings("lIOo12.%a中 ", n=20000, longest=12):
        assert normalize.letters_as_digits(text) == by_regex(text), text
