"""Markdown pages with front matter, HTML comments, the national report, and the
header layouts of many years: each case with its own example text."""
import pytest

from gwrkit.ingest.readers import read_document
from gwrkit.pipeline import parse_file, parse_text
from gwrkit.structure.metadata import parse_header, parse_published_title, parse_speaker
from gwrkit.structure.names import looks_like_name
from gwrkit.structure.regions import gazetteer

BODY = ("各位代表：\n\n现在，我代表市人民政府向大会报告工作，请予审议。\n\n"
        "一、2023年工作回顾\n\n过去一年，全市地区生产总值增长5.1%，一般公共预算收入增长3.2%，"
        "固定资产投资增长6%，社会消费品零售总额增长7%。我们坚持稳中求进，加快推进产业转型，"
        "着力扩大有效投资，全面推进乡村振兴，持续改善民生福祉，确保社会大局稳定。新开工重点项目120个，"
        "新增城镇就业3.2万人，城乡居民人均可支配收入分别增长4.8%和6.9%，生态环境质量持续改善。\n\n"
        "二、2024年工作安排\n\n今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，"
        "一般公共预算收入增长4%。我们要加快推进重大项目建设，着力稳定就业，全面深化改革，"
        "持续扩大开放，确保完成全年目标任务。\n")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_front_matter_is_document_metadata_not_report_text(tmp_path):
    page = "---\nsource: https://example.gov.cn/a.html\ntitle: 晋城市2024年政府工作报告\n---\n\n" + BODY
    doc = read_document(write(tmp_path, "2024.md", page))
    assert doc.meta == {"source": "https://example.gov.cn/a.html", "title": "晋城市2024年政府工作报告"}
    parsed = parse_file(tmp_path / "2024.md")
    r, = parsed.reports
    # the text never names its government: the publisher's title does
    assert (r.metadata.region, r.metadata.region_method) == ("晋城市", "publisher's title")
    assert r.metadata.title_year == 2024
    assert doc.text[r.start:r.start + 4] == "各位代表"     # the report starts after the front matter
    assert "source:" not in parsed.norm.text


def test_a_text_that_names_its_government_outranks_the_publishers_title(tmp_path):
    page = ("---\ntitle: 池州市政府工作报告\n---\n——2016年1月6日在淮安市第七届人民代表大会第五次会议上\n\n"
            + BODY)
    r, = parse_file(write(tmp_path, "x.md", page)).reports
    assert (r.metadata.region, r.metadata.region_method) == ("淮安市", "dateline")


def test_html_comment_is_not_text_but_gives_the_date_and_speaker(tmp_path):
    page = ("<!-- 2005年1月23日，天津市市长戴相龙在天津市第十四届人民代表大会第三次会议上向大会作政府工作报告 -->\n\n"
            + BODY)
    parsed = parse_file(write(tmp_path, "t.md", page))
    r, = parsed.reports
    md = r.metadata
    assert (md.delivered_on, md.speaker, md.congress_term, md.congress_session) == ("2005-01-23", "戴相龙", 14, 3)
    assert md.region == "天津市"
    assert "<!--" not in parsed.norm.text and "戴相龙" not in parsed.norm.text


def test_markdown_heading_and_bold_marks_are_removed_but_spans_keep_the_line(tmp_path):
    page = "**政府工作报告**\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李强\n\n" + \
        BODY.replace("市人民政府", "国务院").replace("一、", "## 一、")
    parsed = parse_file(write(tmp_path, "n.md", page))
    r, = parsed.reports
    assert r.begins_with == "**政府工作报告**\n—"
    assert "**" not in parsed.norm.text and "##" not in parsed.norm.text
    assert [s.title for s in r.outline.sections][:1] == ["一、2023年工作回顾"]


def test_markup_inside_a_comment_does_not_pair_with_the_text_s_own(tmp_path):
    # the ** in the caption must not pair with the heading's, shifting every bold run
    page = "<!-- 图片 ** 说明 -->\n" + BODY.replace("一、2023年工作回顾", "**一、2023年工作回顾**").replace(
        "二、2024年工作安排", "**二、2024年工作安排**")
    parsed = parse_file(write(tmp_path, "c.md", page))
    r, = parsed.reports
    norm = parsed.norm
    assert [norm.text[a:b] for a, b in norm.emphasis] == ["一、2023年工作回顾", "二、2024年工作安排"]
    assert [s.title for s in r.outline.sections] == ["一、2023年工作回顾", "二、2024年工作安排"]


def test_front_matter_with_lists_and_folded_values(tmp_path):
    page = ("---\ntitle: 晋城市2024年政府工作报告\ntags:\n  - 政府工作报告\n  - 晋城\ndescription: >\n"
            "  晋城市人民政府\n  工作报告全文\n---\n\n" + BODY)
    doc = read_document(write(tmp_path, "2024.md", page))
    assert doc.meta == {"title": "晋城市2024年政府工作报告", "tags": "政府工作报告 晋城",
                        "description": "晋城市人民政府 工作报告全文"}
    r, = parse_file(tmp_path / "2024.md").reports
    assert doc.text[r.start:r.start + 4] == "各位代表"


def test_text_set_between_rules_is_not_front_matter(tmp_path):
    page = "---\n各位代表：这是正文\n---\n" + BODY
    assert read_document(write(tmp_path, "r.md", page)).meta == {}


def test_the_national_report_is_the_state_councils():
    text = ("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李强\n"
            + BODY.replace("市人民政府", "国务院"))
    md = parse_text(text).reports[0].metadata
    assert (md.region, md.level, md.province, md.region_code) == ("国务院", "national", None, "100000")
    assert (md.congress_term, md.congress_session, md.speaker) == (14, 2, "李强")


@pytest.mark.parametrize("lines,date,term,session,region", [
    (["在2021年12月9日临汾市第三届人民代表大会第一次会议上"], "2021-12-09", 3, 1, "临汾市"),
    (["——2015年2月13日沈阳市第十五届人民代表大会第三次会议通过"], "2015-02-13", 15, 3, "沈阳市"),
    (["在四川省第十一届人民代表大会第四次会议上（2011年1月18日）"], "2011-01-18", 11, 4, "四川省"),
    (["——?2023年3月18日在晋城市第八届人民代表大会第三次会议上"], "2023-03-18", 8, 3, "晋城市"),
    (["——2016年2月25日在西宁市第十五届", "人民代表大会第八次会议上"], "2016-02-25", 15, 8, "西宁市"),
])
def test_dateline_word_orders(lines, date, term, session, region):
    from gwrkit.ingest.normalize import fold_width

    h = parse_header([fold_width(x) for x in lines])
    assert (h.delivered_on, h.term, h.session, h.dateline_region) == (date, term, session, region)


@pytest.mark.parametrize("lines,name", [
    (["——2021年1月25日在湖南省第十三届人民代表大会第四次会议上", "毛伟明"], "毛伟明"),
    (["熊 炜"], "熊炜"),
    (["(2005年1月25日 王珉)"], "王珉"),
    (["天津市市长戴相龙在天津市第十四届人民代表大会第三次会议上作报告"], "戴相龙"),
    (["代市长 李晓波各位代表:"], "李晓波"),
    # an office followed by another office: the name follows the second
    (["甘肃省政协副主席 兰州市市长 张津梁"], "张津梁"),
])
def test_speaker_without_an_office_or_before_the_dateline(lines, name):
    from gwrkit.ingest.normalize import fold_width

    assert parse_speaker([fold_width(x) for x in lines])[0] == name


@pytest.mark.parametrize("text,expected", [("毛伟明", True), ("欧阳坚", True), ("雪克来提·扎克尔", True),
                                           ("政府工作报告", False), ("工作回顾", False), ("目录", False),
                                           # places and closing words start with surnames too
                                           ("张家口市", False), ("郑州市", False), ("石家庄", False),
                                           ("高新区", False), ("谢谢大家", False)])
def test_looks_like_name(text, expected):
    assert looks_like_name(text) is expected


def test_a_header_date_beside_the_session_or_on_its_own_line_dates_the_report():
    assert parse_header(["——在某市第十五届人民代表大会第三次会议上", "(2023年1月10日)"]).delivered_on == "2023-01-10"
    assert parse_header(["(2023年1月10日)", "在某市第十五届人民代表大会第三次会议上"]).date_source == "dateline"
    assert parse_header(["——2022年12月30日在某市", "第十七届人民代表大会第二次会议上"]).delivered_on == "2022-12-30"
    # a date inside another line (a page's publishing note) does not
    assert parse_header(["——在某市第十五届人民代表大会第三次会议上", "本文发布于2023年3月1日 来源:某网"]).delivered_on is None


def test_a_bare_region_line_in_the_header_is_not_the_speaker():
    h = parse_header(["张家口市", "政府工作报告", "(2023年1月10日)"])
    assert h.speaker is None and h.delivered_on == "2023-01-10"


def test_the_surname_lists_are_read():
    from gwrkit.structure.names import surnames

    single, double = surnames()
    assert {"王", "李", "毛"} <= single and {"欧阳", "司马"} <= double


def test_publishers_title_with_date_and_speaker_in_brackets():
    h = parse_published_title("克拉玛依市政府工作报告（2023年1月6日 钱志福）")
    # the bracketed date is the delivery date, not the title's year
    assert (h.title_region, h.title_year, h.delivered_on, h.speaker) == ("克拉玛依市", None, "2023-01-06", "钱志福")
    assert parse_published_title("鄂尔多斯市政府工作报告（2017年12月20日）").title_year is None
    assert parse_published_title("天津市2005年政府工作报告").title_year == 2005
    assert parse_published_title("某市政府工作报告（2023年2月30日）").date_source is None
    assert parse_published_title("2005年广州市政府工作报告2005年广州市政府工作报告").title_region == "广州市"


def test_cities_without_counties_are_in_the_gazetteer():
    # the division data lists a 市直辖行政区划 row under 东莞市 with the city's own code
    gaz = gazetteer()
    assert gaz.resolve("东莞").name == "东莞市"
    assert gaz.by_code["442000"].name == "中山市"
    assert gaz.mentions("东莞市的东莞制造")["441900"] == 2


def test_speaker_line_above_the_opening_starts_the_report():
    text = "<!-- 图片 -->\n天津市市长戴相龙\n\n" + BODY
    r, = parse_text(text).reports
    assert r.begins_with.startswith("天津市市长戴相龙")


def test_title_with_a_bracketed_alternate_name():
    text = "2024年青岛市黄岛区（西海岸新区）政府工作报告\n" + BODY.replace("市人民政府", "区人民政府")
    md = parse_text(text).reports[0].metadata
    assert (md.region, md.level, md.title_year, md.region_method) == ("黄岛区", "county", 2024, "title")


def test_a_heading_right_under_the_dateline_of_an_abridged_report_is_not_its_header():
    text = ("——2023年1月8日在甲市第十六届人民代表大会第二次会议上\n一、2022年工作回顾\n"
            + "过去一年，全市地区生产总值增长5.1%，我们扎实推进重点项目建设，城乡面貌焕然一新。" * 8)
    r, = parse_text(text).reports
    assert [s.title for s in r.outline.sections] == ["一、2022年工作回顾"]
    assert r.metadata.review_year == 2022
