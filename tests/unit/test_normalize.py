from hypothesis import given, settings, strategies as st

from gwrkit.ingest.normalize import WIDTH_TABLE, normalize


def original_of(n, original, needle):
    """The original text behind the first occurrence of needle in the normalized text."""
    i = n.text.index(needle)
    a, b = n.to_original(i, i + len(needle))
    return original[a:b]


def test_full_width_is_folded_and_maps_back():
    src = "社会消费品零售总额增长６．５％，进出口（含转口）增长３％。"
    n = normalize(src)
    assert "增长6.5%,进出口(含转口)增长3%。" in n.text
    assert original_of(n, src, "6.5%") == "６．５％"


def test_stray_spaces_inside_chinese_text_are_removed_but_kept_in_the_original():
    src = "居民消费价格涨幅 3% 左右，新建 5G 基站 654 座，市长 程 洋"
    n = normalize(src)
    assert n.text == "居民消费价格涨幅3%左右,新建5G基站654座,市长程洋"
    assert original_of(n, src, "3%左右") == "3% 左右"


def test_spaces_between_latin_words_and_between_numbers_stay():
    n = normalize("Powered by Discuz X3.4 发表于 2024-6-6 21:35:37")
    assert n.text == "Powered by Discuz X3.4发表于2024-6-6 21:35:37"


def test_paragraph_broken_at_a_page_end_is_joined():
    src = ("五年来，地区生产总值连续跨越500亿、600亿、700亿台阶，2021年达到713.3亿元，年均增"
           "\n\n长 5.2%，增速居全省第 3 位。\n\n下一段。")
    n = normalize(src)
    assert n.text.endswith("2021年达到713.3亿元,年均增长5.2%,增速居全省第3位。\n下一段。")
    assert original_of(n, src, "年均增长5.2%") == "年均增\n\n长 5.2%"


def test_number_and_its_unit_split_over_lines_are_joined():
    assert normalize("完成140\n个村庄规划编制。").text == "完成140个村庄规划编制。"
    assert normalize("2023\n年是开局之年。").text == "2023年是开局之年。"


def test_headings_and_short_finished_lines_are_not_joined():
    src = "一、2025年工作回顾\n过去一年，我们迎难而上。\n2026年主要目标任务\n2026年是开局之年。"
    assert normalize(src).text == src.replace("，", ",")


def test_a_fragment_that_ends_mid_sentence_joins_its_continuation():
    assert normalize("各位代表！过\n去一年成绩来之不易。").text == "各位代表!过去一年成绩来之不易。"


def test_quote_after_full_stop_ends_the_paragraph():
    src = "他说：“平台已经成为沟通的主要渠道，办理效率越来越高，群众满意度持续提升。”\n设。开放运营博物馆新馆。"
    assert normalize(src).text.count("\n") == 1


def test_page_furniture_is_never_glued_to_a_truncated_paragraph():
    src = "开发区再次进居省级以上开发区全省30强，园区品牌不断擦亮，发展能级持续提升，产业集群成效评估全省第三\n阅读全文\n分享:"
    assert normalize(src).text.split("\n")[1:] == ["阅读全文", "分享:"]


def test_titles_and_datelines_start_their_own_lines():
    src = "发表于 2024-6-6 21:35:37 | 显示全部楼层 |阅读模式\n2024年新郑市政府工作报告\n——2024年2月27日在新郑市第六届人民代表大会第五次会议上"
    assert normalize(src).text.count("\n") == 2


def test_markdown_is_removed_and_remembered():
    src = "## 本届政府工作回顾\n\n**五年接续奋斗，经济实力显著提升。**地区生产总值增长5%。"
    n = normalize(src)
    assert n.text == "本届政府工作回顾\n五年接续奋斗,经济实力显著提升。地区生产总值增长5%。"
    (a, b), = n.emphasis
    assert n.text[a:b] == "五年接续奋斗,经济实力显著提升。"
    assert n.heading_lines == {0}


def test_page_numbers_and_blank_lines_are_dropped():
    src = "第一段话在这里结束。\n\n  12  \n\n- 13 -\n\n第二段。\n\n2023\n"
    assert normalize(src).text == "第一段话在这里结束。\n第二段。\n2023"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("年月增长长 \n\n\t**#一、（）()%％５.5，。！各位代表——政府工作报告2023abc")),
               max_size=200))
def test_every_normalized_character_points_at_its_original(src):
    n = normalize(src)
    folded = src.translate(WIDTH_TABLE)
    for i, ch in enumerate(n.text):
        assert folded[n.offsets.to_source(i)] == ch


def test_hard_wrapped_text_is_rewrapped_at_its_own_line_width():
    para = "过去一年，我们坚持稳中求进工作总基调，全市经济运行稳中有进，地区生产总值增长5.2%，一般公共预算收入增长4.1%，城乡居民收入稳步增长。"
    wrapped = "\n".join(para[i:i + 30] for i in range(0, len(para), 30))
    text = "\n".join([wrapped] * 6)
    from gwrkit.ingest.normalize import wrap_width

    assert wrap_width(text) == 30
    assert normalize(text).text.split("\n")[0] == para.replace("，", ",")


def test_lines_of_a_table_of_contents_are_not_joined():
    src = "目录\n江门市政府工作报告……………………2\n韶关市政府工作报告……………………9"
    assert normalize(src).text == src


def test_lone_carriage_returns_are_line_breaks():
    """Old Mac files end lines with CR alone: the report is read as with LF, and its
    spans still point into the text as written."""
    from gwrkit.pipeline import parse_text

    from ..helpers import report_text

    text = report_text(place="江门市")
    with_cr = parse_text(text.replace("\n", "\r"))
    with_lf = parse_text(text)
    assert len(with_cr.reports) == len(with_lf.reports) == 1
    a, b = with_cr.reports[0], with_lf.reports[0]
    assert (a.metadata.region, a.metadata.plan_year) == (b.metadata.region, b.metadata.plan_year) == ("江门市", 2026)
    assert [(f.indicator, f.value) for f in a.figures.targets] == [(f.indicator, f.value) for f in b.figures.targets]
    f = a.figures.targets[0]
    start, end = with_cr.original_span(f.start, f.end)
    assert with_cr.source.text[start:end] == with_lf.original_text(b.figures.targets[0].start, b.figures.targets[0].end)


def test_letters_typed_for_digits_inside_numbers_are_read_as_digits():
    """增长l0% (a lower-case L for 1, from a scan or a typist) is GDP growth of 10%, not 0%;
    the original keeps the letter, and letters of words stay letters."""
    from gwrkit.pipeline import parse_text

    from ..helpers import report_text

    src = "全区生产总值增长l0%左右，2O20年，1l1.5%，html5、Vol3、PM2.5，第l期"
    got = normalize(src)
    assert got.text == "全区生产总值增长10%左右,2020年,111.5%,html5、Vol3、PM2.5,第l期"     # (commas folded too)
    assert len(got.text) == len(src)
    text = report_text().replace("地区生产总值增长5%左右", "地区生产总值增长l0%左右")
    assert "增长l0%左右" in text
    doc = parse_text(text)
    gdp = next(f for f in doc.reports[0].figures.targets if f.indicator == "gdp")
    assert (gdp.value, gdp.modifier) == (10, "around")
    assert doc.original_text(gdp.start, gdp.end).endswith("增长l0%左右")


def test_a_space_between_groups_of_thousands_joins_the_number():
    """15 245元 (a space for the thousands separator, as typeset reports print it) is one
    number, 15245; two numbers side by side stay apart."""
    from gwrkit.extract.numbers import find_quantities

    got = normalize("农村居民人均纯收入15 245元，完成投资1 234 567万元，2019 2020年，第1 2期，3.5 245")
    assert got.text == "农村居民人均纯收入15245元,完成投资1234567万元,2019 2020年,第1 2期,3.5 245"
    assert [q.value for q in find_quantities(got.text)][:2] == [15245, 1234567]


def test_letters_as_digits_in_a_large_text_copies_it_once():
    """The letters are replaced by joining slices: a list of every character of a large text
    (one object per CJK character) would take gigabytes."""
    import tracemalloc

    from gwrkit.ingest.normalize import letters_as_digits

    text = "地区生产总值增长7%，" * 200_000 + "增长l0%"
    tracemalloc.start()
    out = letters_as_digits(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert out.endswith("增长10%") and len(out) == len(text)
    assert peak < 4 * len(text) * 2 + 1_000_000, peak     # a few copies of the text at most
