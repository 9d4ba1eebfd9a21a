import pytest

from gwrkit.pipeline import parse_text
from gwrkit.structure.metadata import cn_int, parse_header, parse_speaker
from gwrkit.structure.regions import gazetteer
from tests.helpers import report_text


@pytest.mark.parametrize("written,value", [("14", 14), ("十四", 14), ("二〇二六", 2026), ("二十七", 27),
                                           ("一", 1), ("十", 10)])
def test_chinese_numerals(written, value):
    assert cn_int(written) == value


@pytest.mark.parametrize("dateline,date,term,session,region", [
    ("——2026年1月25日在北京市第十六届人民代表大会第四次会议上", "2026-01-25", 16, 4, "北京市"),
    ("——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上", "2026-01-27", 14, 4, "甘肃省"),
    ("(2026年1月27日在贵州省第十四届人民代表大会第四次会议上)", "2026-01-27", 14, 4, "贵州省"),
    ("2022年12月28日在淮南市第十七届人民代表大会第二次全体会议上", "2022-12-28", 17, 2, "淮南市"),
])
def test_dateline(dateline, date, term, session, region):
    h = parse_header(["政府工作报告", dateline])
    assert (h.delivered_on, h.term, h.session, h.dateline_region) == (date, term, session, region)


def test_dateline_wrapped_over_two_lines():
    h = parse_header(["政府工作报告", "——2026年1月26日在广东省第十四届", "人民代表大会第五次会议上"])
    assert (h.delivered_on, h.term, h.session) == ("2026-01-26", 14, 5)


@pytest.mark.parametrize("lines,name", [
    (["北京市市长 殷勇"], "殷勇"),
    (["新郑市人民政府市长  杨晋"], "杨晋"),
    (["自治区主席 艾尔肯·吐尼亚孜"], "艾尔肯·吐尼亚孜"),
    (["毛伟明", "省长毛伟明作政府工作报告。本报记者 刘尚文 摄"], "毛伟明"),
    (["2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚"], "赵刚"),
    (["代市长 陈 刚"], "陈刚"),
    (["市长：张三"], "张三"),
    # a surname that is also a preposition
    (["汉滨区人民政府代区长 向诗兵"], "向诗兵"),
    (["县长于伟在县第十七届人民代表大会第四次会议上"], "于伟"),
])
def test_speaker(lines, name):
    from gwrkit.ingest.normalize import normalize

    assert parse_speaker([normalize(x).text for x in lines])[0] == name


def test_region_from_dateline_title_and_speaker():
    r, = parse_text(report_text(place="江门市")).reports
    md = r.metadata
    assert (md.region, md.province, md.level, md.region_code) == ("江门市", "广东省", "prefecture", "440700")
    assert (md.delivered_on, md.congress_term, md.congress_session, md.speaker) == ("2026-01-20", 16, 3, "王小明")
    assert (md.title_year, md.review_year, md.plan_year) == (2026, 2025, 2026)
    assert md.region_method == "dateline"


def test_district_of_a_municipality_is_county_level():
    r, = parse_text(report_text(place="北京市怀柔区", office="区长", lvl="区")).reports
    assert (r.metadata.region, r.metadata.province, r.metadata.level) == ("怀柔区", "北京市", "county")


def test_composite_and_former_names_resolve():
    g = gazetteer()
    assert g.resolve("青岛市黄岛区").code == "370211"
    assert g.resolve("襄樊市").name == "襄阳市"          # renamed 2010
    assert g.resolve("宁夏").name == "宁夏回族自治区"
    assert g.resolve("济源市").level == "county"         # 省直辖县级市


def test_same_district_name_in_two_cities_is_told_apart_by_context():
    g = gazetteer()
    assert g.resolve("朝阳区", context="长春市 吉林省 长春").code.startswith("2201")
    assert g.resolve("朝阳区", context="北京市 首都").code.startswith("1101")


def test_government_never_named_is_inferred_from_the_text():
    body = ("各位代表：\n现在，我代表县人民政府，向大会报告工作，请予审议。\n一、2022年工作回顾\n"
            + "过去一年，全县上下团结奋斗，凤台县经济持续向好，凤台新城加快建设，凤台港扩能改造完成。" * 3
            + "我们积极对接淮南市产业布局，融入合肥都市圈。\n"
            + "二、2023年工作安排\n今年全县经济社会发展的主要预期目标是：地区生产总值增长7%。加快推进产业转型。" * 4)
    r, = parse_text(body).reports
    md = r.metadata
    assert (md.region, md.level, md.province) == ("凤台县", "county", "安徽省")
    assert md.region_method.startswith("inferred")
    assert 0.5 < md.region_confidence <= 1


def test_years_for_a_five_year_review_and_a_december_delivery():
    text = report_text(date="2022年12月28日", review=2022, plan=2023).replace(
        "一、2022年工作回顾", "一、过去五年工作回顾").replace("二、2023年工作安排", "二、今年工作安排")
    r, = parse_text(text.replace("2023年江门市政府工作报告", "政府工作报告")).reports
    assert (r.metadata.review_year, r.metadata.plan_year) == (2022, 2023)


def test_five_year_plan_heading_does_not_set_the_plan_year():
    text = report_text().replace("二、2026年工作安排", "二、“十五五”时期主要目标任务\n目标明确。\n三、2026年重点工作")
    r, = parse_text(text).reports
    assert r.metadata.plan_year == 2026


def test_review_of_a_five_year_plan_period_ends_in_its_last_year():
    text = report_text().replace("一、2025年工作回顾", "一、“十四五”时期工作回顾")
    r, = parse_text(text.replace("二、2026年工作安排", "二、今后工作安排")).reports
    assert r.metadata.review_year == 2025


@pytest.mark.parametrize("dateline,date,term,session,region", [
    ("——2019年1月20日在市十六届人大四次会议上", "2019-01-20", 16, 4, None),
    ("——在宁波市第十六届人民代表大会第四次会议上", None, 16, 4, "宁波市"),
])
def test_abbreviated_and_undated_datelines(dateline, date, term, session, region):
    h = parse_header(["政府工作报告", dateline])
    assert (h.delivered_on, h.term, h.session, h.dateline_region) == (date, term, session, region)


@pytest.mark.parametrize("written,official", [("黔东南州", "黔东南苗族侗族自治州"), ("延边州", "延边朝鲜族自治州"),
                                              ("阿拉善盟", "阿拉善盟"), ("浦东新区", "浦东新区")])
def test_common_short_forms_of_autonomous_prefectures(written, official):
    assert gazetteer().resolve(written).name == official


def test_region_written_short_is_given_its_official_name_and_keeps_the_short_form_as_alias():
    # panels join a government across years by its official name and code, whichever
    # short form (凉山州) one year's dateline wrote
    text = report_text(place="凉山州", office="州长", lvl="州")
    r, = parse_text(text).reports
    assert (r.metadata.region, r.metadata.level, r.metadata.province) == ("凉山彝族自治州", "prefecture", "四川省")
    assert r.metadata.region_code == "513400"
    assert r.metadata.region_aliases == ["凉山", "凉山州"]


def test_fast_path_for_small_chinese_numbers_agrees_with_cn2an():
    import cn2an

    for n in range(1, 100):
        assert cn_int(cn2an.an2cn(n)) == n


@pytest.mark.parametrize("city,code,province", [("南京", "320106", "江苏省"), ("福州", "350102", "福建省")])
def test_inferred_district_that_several_cities_name_alike(city, code, province):
    body = ("各位代表：\n现在，我代表区人民政府，向大会报告工作，请予审议。\n一、过去一年工作回顾\n"
            + f"2022年，全区经济持续向好，鼓楼区老街改造完成，鼓楼商圈客流增长，我们主动融入{city}都市圈发展大局。" * 3
            + "\n二、今年工作安排\n" + "今年全区经济社会发展的主要预期目标是：地区生产总值增长6%左右。加快推进科技园建设。" * 4)
    r, = parse_text(body).reports
    assert (r.metadata.region, r.metadata.region_code, r.metadata.province) == ("鼓楼区", code, province)
    # no dated header and no year in the headings: the years come from the text
    assert (r.metadata.review_year, r.metadata.plan_year) == (2022, 2023)


def test_a_city_named_as_the_superior_government_is_not_the_speaker():
    # a county-level city's report names its parent city often, as the level above it
    body = ("各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2023年工作回顾\n"
            + "宜兴经济稳中向好，主要指标增速居无锡县(市、区)第1位，获评无锡市级先进，宜兴陶瓷产业加快发展。" * 4
            + "我们积极融入无锡都市圈。\n二、2024年工作安排\n今年主要预期目标是：地区生产总值增长6%。加快宜兴高新区建设。" * 2)
    r, = parse_text(body).reports
    assert (r.metadata.region, r.metadata.province, r.metadata.level) == ("宜兴市", "江苏省", "county")


def test_title_line_that_carries_its_dateline():
    lines = report_text(place="宜兴市").split("\n")
    text = ("首页 > 政务公开\n宜兴市2026年政府工作报告（2026年1月20日在宜兴市第十六届人民代表大会第三次会议上）\n"
            + "\n".join(lines[3:]))
    r, = parse_text(text).reports
    md = r.metadata
    assert (md.region, md.delivered_on, md.congress_term, md.congress_session, md.title_year) == (
        "宜兴市", "2026-01-20", 16, 3, 2026)
    assert r.begins_with == "宜兴市2026年政府工作"


def test_date_on_a_line_of_its_own_under_an_undated_dateline():
    h = parse_header(["政府工作报告", "——在临泉县第十八届人民代表大会第二次会议上", "临泉县人民政府县长 张军",
                      "(二〇二三年一月十日)"])
    assert (h.delivered_on, h.term, h.session, h.dateline_region, h.speaker) == (
        "2023-01-10", 18, 2, "临泉县", "张军")
