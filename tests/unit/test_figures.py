"""Figure extraction, one phrasing per test, each with its own example sentence."""
import pytest

from gwrkit.extract.clauses import read_clause
from gwrkit.extract.lexicon import default_lexicon, load
from gwrkit.ingest.normalize import normalize
from gwrkit.pipeline import parse_text
from tests.helpers import report_text


def rows(clause):
    r = read_clause(normalize(clause).text, default_lexicon())
    return [(x.item.indicator, x.metric, x.value, x.value_high, x.unit, x.modifier, x.stretch) for x in r.rows]


@pytest.mark.parametrize("clause,expected", [
    ("城乡居民人均可支配收入分别增长5.5%左右和5.5%以上",
     [("urban_disposable_income", "growth", 5.5, None, "%", "around", None),
      ("rural_disposable_income", "growth", 5.5, None, "%", "at_least", None)]),
    ("固定资产投资、社会消费品零售总额增长15%",
     [("fixed_asset_investment", "growth", 15, None, "%", "point", None),
      ("retail_sales", "growth", 15, None, "%", "point", None)]),
    ("居民收入增长与经济增长同步", [("disposable_income", "growth", None, None, None, "qualitative", None)]),
    ("居民消费价格指数控制在103%左右", [("cpi", "index", 103, None, "%", "around", None)]),
    ("居民消费价格上涨2%左右", [("cpi", "growth", 2, None, "%", "around", None)]),
    ("粮食产量稳定在1300亿斤以上、力争达到1350亿斤", [("grain_output", "level", 1300, None, "亿斤", "at_least", 1350)]),
    ("单位地区生产总值能耗下降3%", [("energy_intensity", "growth", -3, None, "%", "point", None)]),
    ("全市工业增加值分别增长7%和8%以上", None),
    ("城镇、农村居民收入分别增长7%和8%以上",
     [("urban_disposable_income", "growth", 7, None, "%", "at_least", None),
      ("rural_disposable_income", "growth", 8, None, "%", "at_least", None)]),
    ("城镇和农村常住居民人均可支配收入分别增长5%、6.5%左右",
     [("urban_disposable_income", "growth", 5, None, "%", "around", None),
      ("rural_disposable_income", "growth", 6.5, None, "%", "around", None)]),
    ("地区生产总值增长6.7%、达到600亿元",
     [("gdp", "growth", 6.7, None, "%", "point", None), ("gdp", "level", 600, None, "亿元", "point", None)]),
    ("全年完成地区生产总值838.7亿元、增长5.1%",
     [("gdp", "level", 838.7, None, "亿元", "point", None), ("gdp", "growth", 5.1, None, "%", "point", None)]),
    ("地区生产总值增长5%—5.5%", [("gdp", "growth", 5, 5.5, "%", "range", None)]),
    ("城镇调查失业率控制在5.5%以内", [("surveyed_unemployment", "rate", 5.5, None, "%", "at_most", None)]),
    ("常住人口城镇化率提高1个百分点以上", [("urbanization_rate", "growth", 1, None, "个百分点", "at_least", None)]),
    ("全社会研发投入强度达到2.8%左右", [("rd_intensity", "rate", 2.8, None, "%", "around", None)]),
    ("研发经费投入增长10%", [("rd_expenditure", "growth", 10, None, "%", "point", None)]),
    ("外贸外资促稳提质", [("trade", "growth", None, None, None, "qualitative", None),
                          ("foreign_investment", "growth", None, None, None, "qualitative", None)]),
])
def test_clause(clause, expected):
    got = rows(clause)
    if expected is None:        # 全市工业增加值: one subject, two numbers: the second is not a stretch
        assert got[0][:3] == ("industrial_va", "growth", 7)
    else:
        assert got == expected


def test_sector_lists_share_their_head_noun():
    got = read_clause("一产、二产、三产增加值分别增长4%左右、6%以上、5%左右", default_lexicon()).rows
    assert [(r.item.indicator, r.item.label, r.value, r.modifier) for r in got] == [
        ("other", "一产增加值", 4, "around"), ("other", "二产增加值", 6, "at_least"),
        ("service_va", "三产增加值", 5, "around")]


def test_a_prefix_shared_by_a_list_of_intensities():
    got = read_clause("单位地区生产总值能耗、二氧化碳排放降幅完成省下达任务", default_lexicon()).rows
    assert [(r.item.indicator, r.modifier) for r in got] == [("energy_intensity", "qualitative"),
                                                              ("carbon_intensity", "qualitative")]


@pytest.mark.parametrize("clause", [
    "装备工业增加值增长8.4%",                 # a part of industry, not 工业增加值
    "消费对经济增长的贡献率达到36.1%",         # a contribution rate, not GDP growth
    "高新区规上工业增加值增长12%",            # a zone's figure
])
def test_measures_that_only_look_like_an_indicator(clause):
    assert rows(clause) == []


@pytest.mark.parametrize("clause,indicator", [
    ("社会消费品零售总额增幅高于全国0.2个百分点", "retail_sales"),     # a gap to the national figure
    ("农村居民人均可支配收入增速高于城镇1.2个百分点", "rural_disposable_income"),
])
def test_a_target_set_against_a_benchmark_states_no_figure_of_its_own(clause, indicator):
    assert rows(clause) == [(indicator, "growth", None, None, None, "qualitative", None)]


def test_a_new_subject_inside_a_clause_stops_the_figures_of_the_first():
    assert rows("一般公共预算收入增长2.3%、支出首次超过7000亿元") == [
        ("budget_revenue", "growth", 2.3, None, "%", "point", None)]


def test_several_subjects_with_their_own_numbers_in_one_clause():
    assert rows("固定资产投资476.3亿元、社会消费品零售总额333.5亿元") == [
        ("fixed_asset_investment", "level", 476.3, None, "亿元", "point", None),
        ("retail_sales", "level", 333.5, None, "亿元", "point", None)]


REVIEW = ("一、2025年工作回顾\n"
          "预计全年地区生产总值2150亿元、增长5.6%,一般公共预算收入突破180亿元。"
          "规上工业增加值增长7.2%,居全省第2位。固定资产投资年均增长8%。今年1-5月社会消费品零售总额增长9%。"
          "城乡居民人均可支配收入从2020年的3.1万元和1.5万元分别提高到4.2万元和2.1万元。"
          "扣除房地产开发投资后,固定资产投资增长2.7%。\n")
TARGETS = ("二、2026年工作安排\n今年主要预期目标是:地区生产总值增长6%左右,力争6.5%;城镇调查失业率5.5%以内;"
           "居民收入增长和经济增长同步;粮食产量稳定在50万吨以上。\n")


def parsed():
    text = report_text().replace(report_text().split("一、2025年工作回顾")[1].split("三、")[0], "")
    text = text.replace("一、2025年工作回顾", REVIEW + TARGETS)
    r, = parse_text(text).reports
    return r


def test_main_targets_with_stretch_qualitative_and_bounds():
    got = [(f.indicator, f.metric, f.value, f.modifier, f.stretch, f.year) for f in parsed().figures.targets]
    assert got == [("gdp", "growth", 6, "around", 6.5, 2026),
                   ("surveyed_unemployment", "rate", 5.5, "at_most", None, 2026),
                   ("disposable_income", "growth", None, "qualitative", None, 2026),
                   ("grain_output", "level", 50, "at_least", None, 2026)]


def test_results_of_the_review_year_and_what_is_set_aside():
    r = parsed()
    actual = {(f.indicator, f.metric): (f.value, f.modifier, f.estimated) for f in r.figures.actuals(2025)}
    assert actual[("gdp", "level")] == (2150, "point", True)
    assert actual[("gdp", "growth")] == (5.6, "point", True)
    assert actual[("budget_revenue", "level")] == (180, "at_least", True)        # bound: flagged
    assert actual[("industrial_va", "growth")] == (7.2, "point", False)
    assert actual[("urban_disposable_income", "level")] == (4.2, "point", False)  # the 到 value
    assert actual[("rural_disposable_income", "level")] == (2.1, "point", False)
    assert ("fixed_asset_investment", "growth") not in actual   # 年均 and 扣除…后 are not headline results
    assert ("retail_sales", "growth") not in actual             # 1-5月 is not the year
    kinds = {(f.indicator, f.kind) for f in r.figures.figures}
    assert ("fixed_asset_investment", "multi_year_result") in kinds
    assert ("industrial_va", "ranking") in kinds


def test_every_figure_points_at_its_source():
    text = report_text()
    doc = parse_text(text)
    r, = doc.reports
    assert r.figures.targets
    for f in r.figures.figures:
        a, b = doc.original_span(f.start, f.end)
        if f.value is not None:
            assert f"{abs(f.value):g}" in text[a:b].replace("，", ",")


def test_five_year_goals_are_not_the_main_targets():
    text = report_text().replace("二、2026年工作安排", "二、“十五五”时期主要目标\n“十五五”时期全市经济社会发展的主要目标是:"
                                 "地区生产总值年均增长5.5%。\n三、2026年工作安排")
    r, = parse_text(text).reports
    assert [(f.indicator, f.value) for f in r.figures.targets] == [("gdp", 5), ("surveyed_unemployment", 5.5)]
    assert ("gdp", "multi_year_target") in {(f.indicator, f.kind) for f in r.figures.figures}


def test_report_without_targets_says_why():
    text = report_text().replace("全市经济社会发展的主要预期目标是", "我们将")
    r, = parse_text(text).reports
    assert r.figures.targets == []
    # the plan part states figures, but as tasks: no statement of targets, so no GDP target
    why = "no statement of main targets: the plan part's figures are task numbers"
    assert (r.gaps["targets"], r.gaps["gdp_target"]) == (why, why)
    assert "plan_year" not in r.gaps and "review_year" not in r.gaps


def test_what_a_report_lacks_and_why():
    five_year = report_text().replace("全市经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%以内。",
                                      "“十五五”时期的主要目标是：地区生产总值年均增长5%左右，到2030年突破800亿元。")
    r, = parse_text(five_year).reports
    assert r.gaps["targets"].startswith("the plan part sets five-year goals only")
    review_only = report_text().split("二、")[0] + "我们扎实推进重点项目建设，城乡面貌焕然一新，民生保障水平持续提高。" * 5
    r, = parse_text(review_only).reports
    assert r.metadata.plan_year is None and r.gaps["plan_year"] == "no plan part in the text: it reviews only"


def test_users_extend_the_lexicon(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text("id,label_zh,synonyms_zh,usual_metrics,unit_family\n"
                     "gdp,地区生产总值,全域生产总值,growth|level,money\n"
                     "low_altitude,低空经济,低空经济规模,level|growth,money\n", encoding="utf-8")
    lex = load(extra)
    got = [(x.item.indicator, x.value) for x in read_clause("全域生产总值增长6%、低空经济规模达到120亿元", lex).rows]
    assert got == [("gdp", 6), ("low_altitude", 120)]
    assert read_clause("全域生产总值增长6%", default_lexicon()).rows == []


from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = ["各位代表：\n现在，我代表市人民政府向大会报告工作。\n", "一、2025年工作回顾\n", "二、2026年工作安排\n",
          "主要预期目标是：", "地区生产总值", "城乡居民人均可支配收入", "分别", "增长", "下降", "5.5%", "6%—6.5%",
          "左右", "以上", "以内", "、", "，", "。", "；", "\n", "力争", "与经济增长同步", "亿元", "万人", "百分之",
          "五点二", "从", "到", "预计", "年均", "居全省第", "位", "一产、二产、", "三产增加值", "（上接二版）"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=60))
def test_extraction_never_raises_on_arbitrary_report_like_text(pieces):
    doc = parse_text("".join(pieces))
    for r in doc.reports:
        for f in r.figures.figures:
            a, b = doc.original_span(f.start, f.end)
            assert 0 <= a <= b <= len(doc.source.text)


@pytest.mark.parametrize("statement", [
    "全市经济社会发展的主要预期目标是：\n1.地区生产总值增长5%左右；\n2.城镇调查失业率5.5%以内；\n3.居民收入增长与经济增长同步。",
    "全市经济社会发展的主要预期目标安排如下：地区生产总值增长5%左右，城镇调查失业率5.5%以内，居民收入增长与经济增长同步。",
    "今年主要预期目标：地区生产总值增长5%左右；城镇调查失业率5.5%以内；居民收入增长与经济增长同步。",
])
def test_main_targets_written_in_other_layouts(statement):
    text = report_text(place="宜兴市").replace(
        "全市经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%以内。", statement)
    r, = parse_text(text).reports
    assert [(f.indicator, f.value, f.modifier) for f in r.figures.targets] == [
        ("gdp", 5, "around"), ("surveyed_unemployment", 5.5, "at_most"), ("disposable_income", None, "qualitative")]


def test_carried_subjects_stop_where_another_subject_states_numbers():
    text = report_text().replace("全年地区生产总值增长5.2%", "高新技术企业增至350家,科技型中小企业增至500家,11家企业入选链主企业,"
                                 "地区生产总值连续跨越两个百亿台阶,2025年达到860亿元,城镇新增就业每年超过9万人")
    r, = parse_text(text).reports
    got = [(f.indicator, f.value, f.kind) for f in r.figures.figures if f.kind != "target"]
    assert ("high_tech_enterprises", 350, "result") in got
    assert not any(ind == "high_tech_enterprises" and value in (500, 11) for ind, value, _ in got)
    assert ("gdp", 860, "result") in got
    assert ("new_urban_jobs", 9, "multi_year_result") in got


@pytest.mark.parametrize("phrase,expected", [
    ("全体居民人均可支配收入42600元、增长5.2%,其中城镇51300元、农村23100元",
     {("urban_disposable_income", "level"): 51300, ("rural_disposable_income", "level"): 23100}),
    ("居民人均可支配收入增长5.2%,其中城镇居民增长4.6%、农村居民增长6.1%",
     {("urban_disposable_income", "growth"): 4.6, ("rural_disposable_income", "growth"): 6.1}),
])
def test_breakdown_after_qizhong_names_parts_of_the_previous_subject(phrase, expected):
    r, = parse_text(report_text().replace("全年地区生产总值增长5.2%", phrase)).reports
    got = {(a.indicator, a.metric): a.value for a in r.figures.actuals(2025)}
    assert expected.items() <= got.items()


def test_a_part_that_is_not_an_indicator_is_not_credited_to_the_whole():
    r, = parse_text(report_text().replace("全年地区生产总值增长5.2%", "固定资产投资增长8%,其中工业投资增长15%")).reports
    assert [(f.indicator, f.value) for f in r.figures.figures if f.indicator == "fixed_asset_investment"] == [
        ("fixed_asset_investment", 8)]


def test_a_measure_named_after_an_enterprise_groups_count_is_the_groups_measure():
    assert rows("规上工业企业达到2100家、增加值增长6.2%") == [("industrial_va", "growth", 6.2, None, "%", "point", None)]
    r, = parse_text(report_text().replace("全年地区生产总值增长5.2%", "规上工业企业达到2100家、增加值增长6.2%")).reports
    assert ("industrial_va", "growth", 6.2) in [(a.indicator, a.metric, a.value) for a in r.figures.actuals(2025)]


def test_a_new_measure_after_a_count_does_not_continue_the_counted_subject():
    assert rows("高新技术企业达到120家、增加值增长10%") == [("high_tech_enterprises", "level", 120, None, "家", "point", None)]


@pytest.mark.parametrize("trigger", ["主要目标任务是：", "今年全市经济社会发展的目标是：", "主要预期指标是："])
def test_other_words_for_the_main_targets(trigger):
    text = report_text().replace("全市经济社会发展的主要预期目标是：", trigger)
    r, = parse_text(text).reports
    assert [(f.indicator, f.value) for f in r.figures.targets] == [("gdp", 5), ("surveyed_unemployment", 5.5)]


def test_a_report_without_headings_still_has_its_years_results_and_targets():
    text = report_text()
    for heading in ("一、2025年工作回顾\n", "（一）产业转型持续推进。", "二、2026年工作安排\n", "（一）加快建设现代化产业体系。",
                    "三、加强政府自身建设\n"):
        text = text.replace(heading, "")
    r, = parse_text(text).reports
    assert (r.metadata.review_year, r.metadata.plan_year) == (2025, 2026)
    assert [(f.indicator, f.value) for f in r.figures.targets] == [("gdp", 5), ("surveyed_unemployment", 5.5)]
    assert [(a.indicator, a.value, a.year) for a in r.figures.actuals(2025)] == [
        ("gdp", 5.2, 2025), ("budget_revenue", 4.1, 2025)]


def test_older_names_of_headline_indicators():
    assert rows("地方财政一般预算收入增长4.1%")[0][:3] == ("budget_revenue", "growth", 4.1)
    assert rows("城镇固定资产投资增长9%")[0][:3] == ("fixed_asset_investment", "growth", 9)


def test_the_lexicon_is_a_parameter_of_extract_and_ingest(tmp_path, monkeypatch):
    import sqlite3

    from gwrkit.api import extract, ingest

    monkeypatch.delenv("GWRKIT_LEXICON", raising=False)
    extra = tmp_path / "mine.csv"
    extra.write_text("id,label_zh,synonyms_zh,usual_metrics,unit_family,headline,schema_v1\n"
                     "low_altitude,低空经济,低空经济规模,level|growth,money,0,0\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2025年工作回顾\n"
                      "过去一年，全市低空经济规模达到120亿元，地区生产总值增长5%，一般公共预算收入增长3%。"
                      "我们扎实推进重点项目建设，城乡面貌焕然一新，民生保障水平持续提高，社会大局和谐稳定。"
                      "新开工项目97个、竣工112个，新增城镇就业1.2万人，新改建学校8所，城乡居民收入稳步增长。\n"
                      "二、2026年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。我们要加快推进"
                      "产业转型升级，着力扩大有效投资，确保重大项目按期建成，持续改善民生。要深化重点领域改革，"
                      "持续优化营商环境，全面推进乡村振兴，加强生态环境保护，守牢安全发展底线。\n", encoding="utf-8")

    def low_altitude(doc):
        return [f for r in doc["reports"] for f in r["figures"] if f["indicator_ext"] == "low_altitude"]

    assert low_altitude(extract(report)) == []
    assert [f["value"] for f in low_altitude(extract(report, lexicon=extra))] == [120]
    # stored first with the package lexicon, then read again with the user's
    first = ingest([report], tmp_path / "a.db")
    again = ingest([report], tmp_path / "a.db", lexicon=extra)
    assert [o.status for o in first.outcomes] == ["ingested"] and [o.status for o in again.outcomes] == ["replaced"]
    rows = sqlite3.connect(tmp_path / "a.db").execute("SELECT value FROM figures WHERE indicator='low_altitude'")
    assert [r[0] for r in rows] == [120]
    assert [o.status for o in ingest([report], tmp_path / "a.db", lexicon=extra).outcomes] == ["unchanged"]
