"""Openings, parts of a report and its years, read from how reports are written: each
rule with its own example text."""
import pytest

from gwrkit.pipeline import parse_text
from gwrkit.structure.metadata import _annual_years, _year_from_plan_period
from gwrkit.structure.sections import MISREAD_PLAN, tense, tense_counts

REVIEW = ("过去一年，我们坚持稳中求进，全市经济实现了平稳增长。地区生产总值增长5.2%，比上年提高了0.8个百分点。"
          "我们完成了120个重点项目，建成了一批学校和医院，城乡面貌发生了明显变化，已经形成良好发展态势。"
          "一年来，全市新增城镇就业3.1万人，同比增长了6%，民生保障水平得到了进一步提高。\n")
PLAN = ("今年经济社会发展的主要预期目标是：地区生产总值增长6%左右。我们要加快推进产业转型，要着力扩大有效投资，"
        "要确保重大项目按期建成，将进一步深化改革，力争新增规上企业100家，要着力保障和改善民生，"
        "确保社会大局稳定，要持续优化营商环境，将全面推进乡村振兴。\n")


def test_tense_tells_a_review_from_a_plan():
    assert tense(REVIEW) >= 0.5
    assert tense(PLAN) < 0.35
    assert tense("主要目标和重要任务") is None          # 主要/重要 are no future markers
    # 为了/了解/少不了 are no past markers; 完成了 is one
    assert tense_counts("为了了解情况，除了完成了任务，我们要少不了") == (1, 1)


@pytest.mark.parametrize("opening", [
    "各位代表：\n本届政府2003年1月就职，任期即将结束。现在，我代表市人民政府向大会报告工作，请予审议。\n",
    "各位代表，同志们：\n现在，我代表市人民政府向大会作工作报告，请予审议。\n",
    "位代表：\n在，我代表市人民政府向大会报告工作，请予审议。\n",
    "代市长 李晓波各位代表：现在，我代表市人民政府向大会报告工作，请予审议。\n",
    "各位代表：\n现在，我代表市人民政府作工作报告，向各位代表报告一年来的工作。\n",
])
def test_openings_after_a_preamble_or_with_a_variant_address(opening):
    text = opening + "一、2022年工作回顾\n" + REVIEW * 2 + "二、2023年工作安排\n" + PLAN * 2
    r, = parse_text(text).reports
    assert r.span.opening is not None
    assert (r.metadata.review_year, r.metadata.plan_year) == (2022, 2023)


def test_an_address_in_the_body_does_not_open_another_report():
    text = ("各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2022年工作回顾\n" + REVIEW * 2
            + "各位代表！加强政府自身建设，请各位代表审议监督，我们将以更加务实的作风推进工作。\n"
            + "二、2023年工作安排\n" + PLAN * 2)
    assert len(parse_text(text).reports) == 1


def test_a_copy_that_starts_at_its_first_heading_is_a_report():
    text = "一、2011年工作回顾\n" + REVIEW * 12 + "二、2012年主要任务\n" + PLAN * 12
    r, = parse_text(text).reports
    assert r.partial and (r.metadata.review_year, r.metadata.plan_year) == (2011, 2012)


def test_the_congress_resolution_on_the_report_is_not_a_report():
    resolution = ("（2025年2月27日甲市第七届人民代表大会第六次会议通过）\n甲市第七届人民代表大会第六次会议听取和审议了"
                  "市长代表市人民政府所作的工作报告。会议同意报告提出的今年工作安排，批准这个报告。\n")
    text = resolution + "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2024年工作回顾\n" + \
        REVIEW * 2 + "二、2025年工作安排\n" + PLAN * 2
    doc = parse_text(text)
    assert len(doc.reports) == 1
    assert [s.kind for s in doc.segments] == ["resolution"]


def test_a_heading_naming_a_year_before_the_plan_year_reviews_it():
    # 一、2013年主要工作 in a report delivered in January 2014 reviews 2013, though its
    # text is not past-minded enough for the tense alone to say so
    mild = ("一年来，我们推进产业转型，全市经济实现了平稳增长，地区生产总值增长5.2%。"
            "我们要看到，将来的任务很重，确保稳定，力争更好。完成了120个重点项目，建成了学校。\n")
    assert tense(mild * 2) < MISREAD_PLAN
    text = ("——2014年1月8日在甲市第十五届人民代表大会第三次会议上\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
            "一、2013年主要工作\n" + mild * 2 + "二、2014年工作安排\n" + PLAN * 2)
    r, = parse_text(text).reports
    assert [s.kind for s in r.outline.sections] == ["review", "tasks"]
    assert (r.metadata.review_year, r.metadata.plan_year) == (2013, 2014)
    gdp = [(f.kind, f.year, f.value) for f in r.figures.figures if f.indicator == "gdp"]
    assert ("result", 2013, 5.2) in gdp and ("target", 2013, 5.2) not in gdp


def test_a_heading_that_names_no_part_takes_the_kind_of_its_text():
    text = ("各位代表：\n现在，我代表省人民政府向大会报告工作，请予审议。\n一、2011年，全省上下齐心协力，实现良好开局\n"
            + REVIEW * 2 + "二、深入贯彻省党代会精神，加快建设小康社会\n" + PLAN * 2)
    r, = parse_text(text).reports
    assert [s.kind for s in r.outline.sections] == ["review", "tasks"]
    assert (r.metadata.review_year, r.metadata.plan_year) == (2011, 2012)


def test_the_plan_part_starts_where_a_numbered_list_starts_again():
    text = ("各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2014年工作回顾\n一年来，我们主要做了以下工作：\n"
            + "".join(f"（{n}）{REVIEW}" for n in "一二三")
            + "".join(f"（{n}）{PLAN}" for n in "一二三"))
    r, = parse_text(text).reports
    plan_at = r.outline.plan_start
    assert plan_at is not None and parse_text(text).norm.text[plan_at:].startswith("(一)今年")


def test_the_plan_part_starts_where_the_tense_turns_without_a_heading():
    text = ("——2004年1月13日甲市第十三届人民代表大会第二次会议通过\n各位代表：\n现在，我代表市人民政府向大会报告工作，"
            "请予审议。\n一、2003年政府工作回顾\n" + REVIEW * 6 + PLAN * 4)
    doc = parse_text(text)
    r, = doc.reports
    assert doc.norm.text[r.outline.plan_start:].startswith("今年")
    assert r.metadata.plan_year == 2004


def test_a_date_line_that_disagrees_with_the_plan_heading_gives_way():
    # （2010年2月20日 梁保华）: a bare date line may be the page's date, not the session's;
    # the heading names 2003. The date is kept, marked as read from a bare date line.
    text = ("（2010年2月20日 王五）\n各位代表：\n现在，我代表省人民政府向大会报告工作，请予审议。\n一、过去五年工作回顾\n"
            + REVIEW * 2 + "二、今后五年主要任务和2003年预期目标\n" + PLAN * 2)
    r, = parse_text(text).reports
    assert r.metadata.plan_year == 2003
    assert (r.metadata.delivered_on, r.metadata.date_source) == ("2010-02-20", "date line")
    dated = parse_text("——2003年1月12日在某省第十届人民代表大会第一次会议上\n" + text.split("\n", 1)[1]).reports[0]
    assert (dated.metadata.delivered_on, dated.metadata.date_source) == ("2003-01-12", "dateline")


@pytest.mark.parametrize("sentence,year", [
    ("今年是“十一五”开局之年", 2006), ("从今年开始，我省将实施第十一个五年规划", 2006),
    ("今年是“十三五”规划收官之年", 2020), ("今年是实施“十四五”规划的第二年", 2022)])
def test_this_years_place_in_a_five_year_plan(sentence, year):
    assert _year_from_plan_period(sentence) == year


@pytest.mark.parametrize("title,years", [
    ("二、今后五年主要任务和2003年预期目标", [2003]), ("一、2008年以来的工作回顾", []),
    ("二、“十四五”时期的主要目标任务和二〇三五年远景展望", []), ("三、2024年工作安排", [2024]),
    ("到2025年基本建成", []), ("二、2021—2025年发展目标", [])])
def test_annual_years_of_a_heading(title, years):
    assert _annual_years(title) == years


def test_an_abridged_copy_with_only_its_review_plans_no_year():
    text = ("——2024年1月30日在甲市第十届人民代表大会第四次会议上\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
            "一、2023年工作回顾\n" + REVIEW * 4)
    r, = parse_text(text).reports
    assert (r.metadata.review_year, r.metadata.plan_year) == (2023, None)


def test_a_paragraph_that_mentions_a_congress_is_not_a_dateline():
    text = ("各位代表：\n我现在根据国务院的决定，向第二届全国人民代表大会第一次会议作政府工作报告。\n一、过去四年的成就\n"
            "在第一届全国人民代表大会的四年多的任期中间，我们的国家经历了深刻的变化。\n"
            "当第一届全国人民代表大会第一次会议召开的时候，" + REVIEW * 3)
    doc = parse_text(text)
    r, = doc.reports
    assert r.span.opening is not None and r.metadata.level == "national"


def test_a_speech_that_plans_topic_by_topic_plans_its_delivery_year():
    # each topic reviews the last year, then plans this one: no part of the text plans alone
    mixed = ("关于工业，过去一年我们完成了计划，产量提高了，效益已经好转，比上年有了进步。\n"
             "今年要加快发展，将进一步提高产量，要确保完成任务，要着力提高质量，将扩大生产。\n") * 12
    text = ("——1956年6月15日在第一届全国人民代表大会第三次会议上\n各位代表：\n现在，我代表国务院向大会报告工作。\n" + mixed)
    r, = parse_text(text).reports
    assert r.outline.plan_start is None
    assert (r.metadata.review_year, r.metadata.plan_year) == (1955, 1956)
    # the coverage listing agrees that it plans: it sets tasks, though no figures
    assert "plan_year" not in r.gaps and r.gaps["targets"].startswith("the plan part sets tasks without figures")
