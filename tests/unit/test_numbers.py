import pytest
from hypothesis import given, settings, strategies as st

from gwrkit.extract.numbers import find_quantities, format_quantity, parse_chinese
from gwrkit.ingest.normalize import normalize


def one(text):
    q, = find_quantities(normalize(text).text)
    return q


@pytest.mark.parametrize("text,value,high,unit,modifier", [
    ("地区生产总值838.7亿元", 838.7, None, "亿元", "point"),
    ("固定资产投资增长-20.7%", -20.7, None, "%", "point"),
    ("增长６．５％左右", 6.5, None, "%", "around"),
    ("增长6%—6.5%", 6, 6.5, "%", "range"),
    ("增长6-6.5%", 6, 6.5, "%", "range"),
    ("增长5.8%~6%", 5.8, 6, "%", "range"),
    ("营业收入1,234.5万元", 1234.5, None, "万元", "point"),
    ("城镇调查失业率5.5%以内", 5.5, None, "%", "at_most"),
    ("增速不低于3%", 3, None, "%", "at_least"),
    ("粮食产量1300亿斤以上", 1300, None, "亿斤", "at_least"),
    ("提高1个百分点", 1, None, "个百分点", "point"),
    ("出生率3.2‰", 3.2, None, "‰", "point"),
    ("百分之五点二", 5.2, None, "%", "point"),
    ("新增就业一千二百万人", 12_000_000, None, "人", "point"),
    ("粮食产量超过840亿斤", 840, None, "亿斤", "at_least"),
    ("约580亿元", 580, None, "亿元", "around"),
    ("迈上6万亿元台阶", 6, None, "万亿元", "at_least"),
    ("接待游客1100.6万人次", 1100.6, None, "万人次", "point"),
    ("新造林1600亩", 1600, None, "亩", "point"),
    # bounds written before the number
    ("赤字率不超过3%", 3, None, "%", "at_most"),
    ("涨幅不高于3.5%", 3.5, None, "%", "at_most"),
    ("增速低于6%", 6, None, "%", "at_most"),
    # 控制在 (keep at) is no bound of its own: the number's own word decides
    ("居民消费价格涨幅控制在3%", 3, None, "%", "point"),
    ("居民消费价格涨幅控制在3%以内", 3, None, "%", "at_most"),
])
def test_quantities(text, value, high, unit, modifier):
    q = one(text)
    assert (q.value, q.value_high, q.unit, q.modifier) == (value, high, unit, modifier)


def test_amounts_are_normalized_to_base_units():
    assert one("2.67万亿元").base_value() == pytest.approx(2.67e12)
    assert one("1300亿斤").base_value() == pytest.approx(1.3e11)
    assert one("6.4万人").base_value() == pytest.approx(64000)
    assert one("5%").base_value() == 5


def test_years_list_markers_and_plans_are_not_quantities():
    assert find_quantities("2023年是开局之年,一是坚持“十四五”规划,第3位") == []


def test_chinese_numerals():
    assert parse_chinese("二〇二三") == 2023
    assert parse_chinese("一千二百万") == 12_000_000
    assert parse_chinese("五点二") == 5.2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_never_raises_on_arbitrary_text(text):
    for q in find_quantities(normalize(text).text):
        assert q.start < q.end


@settings(max_examples=300, deadline=None)
@given(value=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       unit=st.sampled_from(["%", "亿元", "万元", "元", "万人", "亿斤", "万吨", "个百分点", "万亩", "公里"]))
def test_formatted_numbers_parse_back(value, unit):
    text = "增长" + format_quantity(float(value), unit)
    q, = find_quantities(text)
    assert q.value == pytest.approx(float(value)) and q.unit == unit


def test_chinese_numerals_agree_with_cn2an_without_importing_it():
    import random

    import cn2an

    from gwrkit.vocab import cn_number

    rng = random.Random(5)
    for n in list(range(0, 3000)) + [rng.randint(0, 10**12) for _ in range(3000)]:
        assert cn_number(cn2an.an2cn(n)) == float(n)
    assert cn_number("五点二") == 5.2 and cn_number("二〇二三") == 2023.0 and cn_number("三万亿") == 3e12
    assert cn_number("一万三") is None          # the spoken form is left to cn2an (13000)


@pytest.mark.parametrize("text", ["地区生产总值增长1e400%", "增长2.5E3%左右", "误差为1.2e-3%"])
def test_scientific_notation_is_never_a_figure(text):
    assert [q.value for q in find_quantities(text)] == []


def test_absurd_or_infinite_values_are_never_read():
    assert find_quantities("一般公共预算收入" + "9" * 5000 + "亿元") == []
    assert find_quantities("收入" + "9" * 25 + "元") == []
    assert [q.value for q in find_quantities("国内生产总值超过126万亿元")] == [126.0]


def test_extract_json_is_strict(tmp_path):
    import json

    from gwrkit.api import extract

    from ..helpers import report_text

    src = tmp_path / "r.txt"
    src.write_text(report_text().replace("增长5.2%", "增长1e400%").replace("增长4.1%", "增长" + "9" * 400 + "%"),
                   encoding="utf-8")
    json.dumps(extract(src), allow_nan=False)        # raises on NaN or Infinity
