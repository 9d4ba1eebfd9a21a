"""Figure rules for reports of many years and layouts, each with its own example."""
import pytest

from gwrkit.extract.clauses import read_clause
from gwrkit.extract.lexicon import default_lexicon
from gwrkit.extract.targets import find_targets_statement
from gwrkit.ingest.normalize import normalize
from gwrkit.pipeline import parse_text


def rows(clause, **kw):
    return [(r.item.indicator, r.metric, r.value, r.modifier)
            for r in read_clause(normalize(clause).text, default_lexicon(), **kw).rows]


@pytest.mark.parametrize("clause,expected", [
    # older names of the same series
    ("农民人均纯收入4200元", [("rural_disposable_income", "level", 4200, "point")]),
    ("地方财政一般预算收入增长12%", [("budget_revenue", "growth", 12, "point")]),
    ("实际直接利用外资增长25%", [("foreign_investment", "growth", 25, "point")]),
    ("外贸出口增长20%", [("exports", "growth", 20, "point")]),
    ("城市居民消费价格上涨幅度控制在3%左右", [("cpi", "growth", 3, "around")]),
    # per mille and negative growth
    ("人口自然增长率控制在6‰以内", [("population_growth", "rate", 6, "at_most")]),
    ("外贸进出口负增长4.3%", [("trade", "growth", -4.3, "point")]),
    # a share is a rate, not growth
    ("研发经费投入占地区生产总值比重达到2.1%", [("rd_intensity", "rate", 2.1, "point")]),
    ("第三产业增加值占GDP的58%左右", [("other", "rate", 58, "around")]),
    # the metric after the first item of a list
    ("单位生产总值能耗下降率、二氧化碳排放下降率完成国家下达任务",
     [("energy_intensity", "growth", None, "qualitative"), ("carbon_intensity", "growth", None, "qualitative")]),
    # a word before the first item is not part of its name
    ("预计城镇和农村居民人均可支配收入分别增长5%和7%",
     [("urban_disposable_income", "growth", 5, "point"), ("rural_disposable_income", "growth", 7, "point")]),
    ("力争地区生产总值增长6.5%左右", [("gdp", "growth", 6.5, "around")]),
    # an indicator between two others keeps its own number
    ("新增城镇就业8万人、农村劳动力转移就业3万人",
     [("new_urban_jobs", "level", 8, "point"), ("rural_labor_transfer", "level", 3, "point")]),
    # a level passed is a bound, not the year's exact value
    ("地区生产总值迈过3000亿元", [("gdp", "level", 3000, "at_least")]),
    # one amount for a list is the list's total, not each item's
    ("工业和建筑业增加值980亿元、增长9.1%", []),
    ("工业和建筑业增加值980亿元、年均增长9.1%", []),      # 年均 is no 均 (each)
    # a new subject after 、, after a verb that gives it a figure or the first items of its list
    ("接待游客1350.85万人次、完成旅游收入67.64亿元",
     [("tourist_visits", "level", 1350.85, "point"), ("tourism_revenue", "level", 67.64, "point")]),
    ("全社会固定资产投资增长12%、城镇和农村居民人均可支配收入分别增长9%和10%",
     [("fixed_asset_investment", "growth", 12, "point"), ("urban_disposable_income", "growth", 9, "point"),
      ("rural_disposable_income", "growth", 10, "point")]),
    # …or after the government's own scope
    ("单位地区生产总值能耗降低4%、城市生活垃圾无害化处理率达100%、全市森林覆盖率达53.6%",
     [("energy_intensity", "growth", -4.0, "point"), ("forest_coverage", "rate", 53.6, "point")]),
    # …but not after other words: the province's growth a city's output drives is not the city's
    ("市内生产总值增长12%、拉动全省GDP增长1.45个百分点", [("gdp", "growth", 12, "point")]),
    # after a first figure, a change of its rate is no figure of the subject
    ("地区生产总值增长8%、回升1.2个百分点", [("gdp", "growth", 8, "point")]),
    ("地区生产总值增长8%、增至500亿元", [("gdp", "growth", 8, "point"), ("gdp", "level", 500, "point")]),
    # one rate for a list is each item's
    ("固定资产投资、社会消费品零售总额均增长9%",
     [("fixed_asset_investment", "growth", 9, "point"), ("retail_sales", "growth", 9, "point")]),
    # benchmarks are not the subject
    ("居民人均可支配收入和经济增长同步", [("disposable_income", "growth", None, "qualitative")]),
    ("农村居民人均可支配收入增速高于城镇1.5个百分点", [("rural_disposable_income", "growth", None, "qualitative")]),
    # odd space before the percent sign
    ("地区生产总值增长6.0 %左右", [("gdp", "growth", 6.0, "around")]),
])
def test_clause_rules(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("clause,expected", [
    # the whole a part or share is taken of is not the subject
    ("把全市生产总值中服务业增加值比重提高到50%", []),
    ("个体私营经济在全市国内生产总值中的比重达到26%", []),
    ("预计地区生产总值中服务业占比达到38%以上，同比提高约3个百分点", []),
    ("将地区生产总值的2.5%用于研发", []),
    ("地区生产总值中服务业增加值所占比重达到50%", []),
    # a percent of something else is no figure of the subject
    ("地区生产总值恢复到上年的95%以上", []),
    ("地区生产总值达到全国平均水平的95%", []),
    ("出口约占关区5市出口总量的60%", []),
    ("城镇新增就业、新增转移农村劳动力分别完成年计划的113%、121.4%", []),
    ("地区生产总值增速从一月份-6.9%到全年的8%", [("gdp", "growth", -6.9, "point"), ("gdp", "growth", 8.0, "point")]),
    ("研发经费支出占地区生产总值的2.5%", [("rd_intensity", "rate", 2.5, "point")]),
    # (a value at a time is no fraction; the starting value is dropped later, as from_value)
    ("城镇化率由2015年的46.08%提升至2019年的52%", [("urbanization_rate", "rate", 46.08, "point"),
                                           ("urbanization_rate", "rate", 52.0, "point")]),
    ("固定资产投资中工业投资增长15%", []),
    ("环保投入占全市国内生产总值的2.8%", []),
    ("金融业全口径税收增长18.6%，占全市税收的9.4%", []),     # a sector's tax, then its share
    # the part after 中 is the subject
    ("全市生产总值中，第三产业增加值增长9%", [("service_va", "growth", 9.0, "point")]),
    ("地区生产总值中第三产业增加值增长9%", [("service_va", "growth", 9.0, "point")]),
    # 中高速 is a speed, and 的 before a word is no share
    ("地区生产总值中高速增长7%", [("gdp", "growth", 7.0, "point")]),
    ("地区生产总值的增长率为7%", [("gdp", "growth", 7.0, "point")]),
])
def test_the_whole_a_part_is_taken_of(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("clause,expected", [
    ("城市居民年人均可支配收入增长9%以上", [("urban_disposable_income", "growth", 9.0, "at_least")]),
    ("农民年人均纯收入增长9%以上", [("rural_disposable_income", "growth", 9.0, "at_least")]),
    ("城镇居民登记失业率控制在3%以内", [("registered_unemployment", "rate", 3.0, "at_most")]),
    ("城乡居民人均收入增长10%", [("disposable_income", "growth", 10.0, "point")]),
    ("城乡常住居民人均可支配收入与经济增长保持同步", [("disposable_income", "growth", None, "qualitative")]),
    ("单位生产总值能源消耗比上年下降4%", [("energy_intensity", "growth", -4.0, "point")]),
    ("万元生产总值综合能耗下降3.5%", [("energy_intensity", "growth", -3.5, "point")]),
    ("空气质量优良天数率达到81%", [("air_quality_good_days", "rate", 81.0, "point")]),
    ("环境空气质量优良率保持90%以上", [("air_quality_good_days", "rate", 90.0, "at_least")]),
    ("县城以上城市空气质量优良天数比率保持95%以上", [("air_quality_good_days", "rate", 95.0, "at_least")]),
    ("科技研发投入占地区生产总值比重达2.1%左右", [("rd_intensity", "rate", 2.1, "around")]),
    ("研发投入增长10%", [("rd_expenditure", "growth", 10.0, "point")]),
    ("一般公共预算地方收入增长4%", [("budget_revenue", "growth", 4.0, "point")]),
    ("细颗粒物（PM2.5）平均浓度降至35微克/立方米", [("pm25", "level", 35.0, "point")]),
    ("接待旅游者1200万人次", [("tourist_visits", "level", 1200.0, "point")]),
    ("新增转移农村劳动力12万人", [("rural_labor_transfer", "level", 12.0, "point")]),
])
def test_other_spellings_of_an_indicators_name(clause, expected):
    assert rows(clause) == expected


def test_a_spelling_the_lexicon_lists_keeps_its_own_indicator():
    from gwrkit.extract.lexicon import Indicator, Lexicon

    lex = Lexicon()
    lex.add(Indicator("income", "居民收入", [], []))
    lex.add(Indicator("per_head", "居民人均收入", [], []))
    lex.add_variants({"居民收入": "居民人均收入", "居民人均": "居民年人均"})
    assert lex.lookup("居民人均收入") == "per_head"           # listed: not income's variant
    assert lex.lookup("居民年人均收入") == "per_head"
    assert [m.indicator for m in lex.find("居民年人均收入增长8%")] == ["per_head"]


@pytest.mark.parametrize("clause,expected", [
    # 分别 with one rate after an urban-and-rural name: the rate of each
    ("城乡居民人均可支配收入分别增长7.5%左右", [("urban_disposable_income", "growth", 7.5, "around"),
                                             ("rural_disposable_income", "growth", 7.5, "around")]),
    ("城乡居民人均可支配收入增长7.5%左右", [("disposable_income", "growth", 7.5, "around")]),
    ("城乡居民人均可支配收入分别达到30810元", [("disposable_income", "level", 30810.0, "point")]),
    # the three sectors listed by their numbers: the third is the service sector
    ("一、二、三产业增加值分别增长6.5%、4.6%和6.2%", [("other", "growth", 6.5, "point"), ("other", "growth", 4.6, "point"),
                                                 ("service_va", "growth", 6.2, "point")]),
    ("一二三产业增加值分别增长4.2%、9.3%和11.5%", [("other", "growth", 4.2, "point"), ("other", "growth", 9.3, "point"),
                                             ("service_va", "growth", 11.5, "point")]),
    # an index level written without its percent sign
    ("居民消费价格指数控制在103左右", [("cpi", "index", 103.0, "around")]),
    ("居民消费价格总指数为101.5", [("cpi", "index", 101.5, "point")]),
    ("居民消费价格指数控制在104以内", [("cpi", "index", 104.0, "at_most")]),
    ("居民消费价格指数控制在2020年水平", [("cpi", "growth", None, "qualitative")]),
    ("地区生产总值指数为108.5", [("gdp", "growth", None, "qualitative")]),      # only an index is read so
    ("居民消费价格指数103左右、商品零售价格指数102左右", [("cpi", "index", 103.0, "around")]),
    # one rate for the sectors by number is their sum's, unless 分别 or 均 gives it to each
    ("二、三产业增加值增长12%", []),
    ("二、三产业增加值均增长12%", [("other", "growth", 12.0, "point"), ("service_va", "growth", 12.0, "point")]),
    # 分别 and one figure: not a gap to a benchmark with its unit written once
    ("城乡居民人均可支配收入增速分别高于GDP增速1.8、2.1个百分点", [("disposable_income", "growth", None, "qualitative")]),
    # per cent and per mille in words, with the word after them
    ("人口自然增长率控制在千分之十点五以内", [("population_growth", "rate", 10.5, "at_most")]),
    ("城镇登记失业率控制在百分之四以内", [("registered_unemployment", "rate", 4.0, "at_most")]),
])
def test_lists_indexes_and_rates_in_words(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("clause,expected", [
    # a sector named right before its growth: its value added
    ("其中第一产业增长3%以上，第二产业增长15%以上，第三产业增长10%左右",
     [("other", "growth", 3.0, "at_least"), ("other", "growth", 15.0, "at_least"), ("service_va", "growth", 10.0, "around")]),
    ("服务业增长8%", [("service_va", "growth", 8.0, "point")]),
    # …not another measure of the sector, nor a part of it
    ("服务业营业收入增长12%", []),
    ("第三产业投资增长15%", []),
    ("现代服务业增长12%", []),
    ("第三产业增长拉动经济增长4.2个百分点", []),          # 增长 as a noun
    ("服务业增长对经济增长的贡献率达到52.3%", []),
    # a part named in brackets after a figure is a subject of its own
    ("第二产业增长20%(其中规模以上工业增加值增长20%)", [("other", "growth", 20.0, "point"),
                                              ("industrial_va", "growth", 20.0, "point")]),
])
def test_a_sectors_growth_without_its_measure(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("review,expected", [
    # a sum over years is no year's result, one year's sum is
    ("累计新增城镇就业62.95万人。", [("multi_year_result", "new_urban_jobs", 62.95)]),
    ("全年累计新增城镇就业12万人。", [("result", "new_urban_jobs", 12.0)]),
    # 全部财政收入 is the fiscal total, and 分别 gives each of two subjects its rate
    ("全部财政收入341亿元，其中一般预算收入255.6亿元，分别增长26.6%和30.5%。",
     [("result", "fiscal_revenue", 341.0), ("result", "budget_revenue", 255.6),
      ("result", "fiscal_revenue", 26.6), ("result", "budget_revenue", 30.5)]),
    # a measure given by a verb after its group
    ("规模以上工业实现增加值2597亿元，增长24%。", [("result", "industrial_va", 2597.0), ("result", "industrial_va", 24.0)]),
    ("第三产业完成增加值500亿元，增长9%。", [("result", "service_va", 500.0), ("result", "service_va", 9.0)]),
    ("高新区规模以上工业实现增加值50亿元。", []),        # a zone's
    # a sum with its growth on the year before is the year's; 累计 counts in its own list item only
    ("累计接待游客总人数1148.7万人次，增长15.9%。", [("result", "tourist_visits", 1148.7), ("result", "tourist_visits", 15.9)]),
    ("五年累计完成固定资产投资6960亿元，年均增长12%。",
     [("multi_year_result", "fixed_asset_investment", 6960.0), ("multi_year_result", "fixed_asset_investment", 12.0)]),
    ("累计新增城镇就业5万人、城镇登记失业率控制在3.2%。",          # a rate is no sum
     [("multi_year_result", "new_urban_jobs", 5.0), ("result", "registered_unemployment", 3.2)]),
    ("累计实际利用外资269.9亿美元、进出口总额1188亿美元，分别是“十一五”的2倍。",    # 累计 over a list
     [("multi_year_result", "foreign_investment", 269.9), ("multi_year_result", "trade", 1188.0)]),
    # compared with the year before the review year: one year's growth; with an earlier one: several years'
    ("实际利用外资9.5亿美元，与2022年相比，增长34.9%。", [("result", "foreign_investment", 9.5), ("result", "foreign_investment", 34.9)]),
    ("实际利用外资9.5亿美元，与2018年相比，增长34.9%。",
     [("result", "foreign_investment", 9.5), ("multi_year_result", "foreign_investment", 34.9)]),
    # a change in points after a share is the share's, even after a growth of the subject
    ("实际利用外资10亿美元，占全省的15.2%，比上年增长12%，比上年提高1.5个百分点。",
     [("result", "foreign_investment", 10.0), ("result", "foreign_investment", 12.0)]),
])
def test_sums_and_totals_of_the_review(review, expected):
    r = report(review)
    assert [(f.kind, f.indicator, f.value) for f in r.figures.figures if f.kind != "target"] == expected


def test_urban_and_rural_written_with_a_stop_between():
    assert rows("城、乡居民人均可支配收入分别增长8%、9%") == [("urban_disposable_income", "growth", 8.0, "point"),
                                                   ("rural_disposable_income", "growth", 9.0, "point")]


def test_small_form_semicolons_do_not_end_the_statement():
    """BIG5 pages write ﹔ (U+FE54) for ；: the statement goes on past it."""
    r = report("", "今年主要预期目标是：地区生产总值增长7%左右﹔城镇登记失业率控制在4%以内﹔粮食总产量保持在10.42万吨以上。")
    assert [(f.indicator, f.value) for f in r.figures.targets] == [
        ("gdp", 7.0), ("registered_unemployment", 4.0), ("grain_output", 10.42)]


def test_a_stretch_figure_is_not_the_rural_one():
    got = rows("城乡居民人均可支配收入分别增长8%、力争9%")
    assert got and all(value == 8.0 for _, _, value, _ in got)


@pytest.mark.parametrize("clause,expected", [
    # a qualifier before an item's name is part of that item, not an item of its own
    ("预计GDP、规模以上固定资产投资、一般公共预算收入、城镇和农村居民人均可支配收入同比分别增长10%、22.7%、13.5%、9%和10%",
     [("gdp", "growth", 10.0, "point"), ("fixed_asset_investment", "growth", 22.7, "point"),
      ("budget_revenue", "growth", 13.5, "point"), ("urban_disposable_income", "growth", 9.0, "point"),
      ("rural_disposable_income", "growth", 10.0, "point")]),
    # 城镇 before 和 shares the head of the item after it, wherever the list begins
    ("地区生产总值、城镇和农村居民人均可支配收入分别增长7%、6%和8%",
     [("gdp", "growth", 7.0, "point"), ("urban_disposable_income", "growth", 6.0, "point"),
      ("rural_disposable_income", "growth", 8.0, "point")]),
])
def test_items_of_a_long_list(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("clause,expected", [
    # older and local names of the budget revenue series (GUIDE: 地方公共财政收入 -> budget_revenue)
    ("地方公共财政收入增长10%", [("budget_revenue", "growth", 10.0, "point")]),
    ("公共财政收入增长10%", [("budget_revenue", "growth", 10.0, "point")]),
    # the local part of fiscal revenue, beside the total
    ("财政收入和地方财政收入分别增长9%、8%左右", [("fiscal_revenue", "growth", 9.0, "around"),
                                           ("budget_revenue", "growth", 8.0, "around")]),
    ("一般公共预算总收入增长6%，地方一般公共预算收入增长6%", [("fiscal_revenue", "growth", 6.0, "point"),
                                                  ("budget_revenue", "growth", 6.0, "point")]),
])
def test_the_names_of_revenue(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("clause,expected", [
    # 不低于 and 不高于 are bounds, not comparisons with a benchmark
    ("地区生产总值增速不低于7%", [("gdp", "growth", 7.0, "at_least")]),
    ("空气质量优良天数比例不低于81%", [("air_quality_good_days", "rate", 81.0, "at_least")]),
    ("居民消费价格涨幅不高于3%", [("cpi", "growth", 3.0, "at_most")]),
    ("地区生产总值增速不低于全省平均水平", [("gdp", "growth", None, "qualitative")]),
    ("地区生产总值增长不得低于7%", [("gdp", "growth", 7.0, "at_least")]),
    ("居民消费价格涨幅不得超过3%", [("cpi", "growth", 3.0, "at_most")]),
    ("农村居民人均可支配收入增速不低于城镇居民1个百分点", [("rural_disposable_income", "growth", None, "qualitative")]),
    ("农村居民人均可支配收入增速高于城镇1.5个百分点", [("rural_disposable_income", "growth", None, "qualitative")]),
])
def test_a_bound_is_no_comparison(clause, expected):
    assert rows(clause) == expected


def test_a_figure_named_after_the_government_itself_or_after_another_place():
    assert rows("北京市生产总值增长6%", own_names=frozenset({"北京市", "北京"})) == [("gdp", "growth", 6, "point")]
    assert rows("江北新区地区生产总值增长9%", own_names=frozenset({"南京市", "南京"})) == []
    assert rows("本地生产总值增长7%") == [("gdp", "growth", 7, "point")]


HEAD = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2023年工作回顾\n"
FILL = "我们坚持稳中求进，扎实推进重点项目建设，城乡面貌焕然一新，民生保障水平持续提高，社会大局和谐稳定，各项事业取得新进展。" * 3


def report(review: str, plan: str = "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。") -> object:
    text = HEAD + FILL + "\n" + review + "\n" + FILL + "\n二、2024年工作安排\n" + plan + "\n" + FILL + "\n"
    r, = parse_text(text).reports
    return r


def actuals(r):
    return [(f.indicator, f.metric, f.value, f.estimated) for f in r.figures.actuals(r.metadata.review_year)]


@pytest.mark.parametrize("review,expected", [
    ("预计全年完成地区生产总值430亿元，增长5.8%。", [("gdp", "level", 430, True), ("gdp", "growth", 5.8, True)]),
    # a share of a larger whole does not end the subject; 比上年 makes a growth one year's
    ("全省生产总值达到21701亿元，占全国的11.9%，比“九五”期末增加10960亿元，比上年增长12.5%。",
     [("gdp", "level", 21701, False), ("gdp", "growth", 12.5, False)]),
    # …and a change in points after the share is the share's
    ("全省实现工业增加值1370亿元，占全省生产总值的33.7%，比上年提高了0.7个百分点。", [("industrial_va", "level", 1370, False)]),
    # a note that the figures below are estimates (预计数，下同) holds for the ones after it
    ("全年地区生产总值增长8%（2021年数据均为预计数，下同），一般公共预算收入增长5%。",
     [("gdp", "growth", 8.0, True), ("budget_revenue", "growth", 5.0, True)]),
    ("全年地区生产总值增长8%，一般公共预算收入增长5%。", [("gdp", "growth", 8.0, False), ("budget_revenue", "growth", 5.0, False)]),
    # a growth since a year named in the clause before is no year's result
    ("与2016年末相比，地区生产总值增长40%。", []),
    # 总量 after a figure refers back to its subject
    ("全省地区生产总值增长6.7%，总量达9.26万亿元。", [("gdp", "growth", 6.7, False), ("gdp", "level", 9.26, False)]),
    ("地区生产总值增速居全省第3位，预计全年完成430亿元，增长5.8%。",
     [("gdp", "level", 430, True), ("gdp", "growth", 5.8, True)]),
    ("规模以上工业总产值增长12%，增加值增长7.2%。", [("industrial_va", "growth", 7.2, False)]),
    ("城镇居民人均可支配收入39800元，农村居民人均纯收入16200元，实际增长5.1%和7.3%。",
     [("urban_disposable_income", "level", 39800, False), ("rural_disposable_income", "level", 16200, False),
      ("urban_disposable_income", "growth", 5.1, False), ("rural_disposable_income", "growth", 7.3, False)]),
    ("城镇居民人均可支配收入、农民人均纯收入分别达到31000元、12000元，扣除价格因素实际增长6%和9%。",
     [("urban_disposable_income", "level", 31000, False), ("rural_disposable_income", "level", 12000, False),
      ("urban_disposable_income", "growth", 6, False), ("rural_disposable_income", "growth", 9, False)]),
    # levels for two subjects, then the growth of each: the chain of subjects carries
    ("城镇居民人均可支配收入17175元，农村居民人均纯收入6320元，实际增长9.8%和8.5%。",
     [("urban_disposable_income", "level", 17175, False), ("rural_disposable_income", "level", 6320, False),
      ("urban_disposable_income", "growth", 9.8, False), ("rural_disposable_income", "growth", 8.5, False)]),
    # a part of the year named at the head of the sentence governs it; the whole year ends it
    ("前三季度，全市地区生产总值增长4.6%，居全省第5位；预计全年地区生产总值增长5%。",
     [("gdp", "growth", 5, True)]),
    ("针对二季度经济增速回落，果断出台政策措施，全年地区生产总值增长5.1%，一般公共预算收入增长2.2%。",
     [("gdp", "growth", 5.1, False), ("budget_revenue", "growth", 2.2, False)]),
    # a zone's figures are not the government's
    ("去年开发区工业投资增长22.1%，规上工业增加值增长11.3%。", []),
    ("经济技术开发区实现地区生产总值120亿元，增长9%；全市地区生产总值增长5.8%。", [("gdp", "growth", 5.8, False)]),
    # a zone at the head of a sentence owns its figures, unless it is a project being built
    ("经济技术开发区大力发展生物医药产业，完成工业增加值56亿元，增长23%。", []),
    ("合芜蚌试验区建设深入推进，地区生产总值增长5.8%。", [("gdp", "growth", 5.8, False)]),
    # a zone named as the object of a task owns no figure
    ("创建生态示范区86个，森林覆盖率30.6%，地区生产总值增长5.8%。",
     [("gdp", "growth", 5.8, False)]),
])
def test_review_year_results(review, expected):
    assert actuals(report(review)) == expected


@pytest.mark.parametrize("plan,expected", [
    # a zone in the main targets leaves the government's targets alone
    ("今年主要预期目标是：地区生产总值增长6%左右，高新区营业收入增长15%，一般公共预算收入增长5%，固定资产投资增长8%。",
     {("budget_revenue", "growth"): 5, ("fixed_asset_investment", "growth"): 8}),
    # targets with no lead-in, stated in amounts by a paragraph that speaks of this year
    ("综合考虑各方面因素，今年全市地区生产总值增长7.5%左右，城镇新增就业2万人以上，"
     "粮食产量稳定在150万吨以上，一般公共预算收入达到80亿元。",
     {("gdp", "growth"): 7.5, ("new_urban_jobs", "level"): 2}),
])
def test_main_targets_among_other_words(plan, expected):
    got = {(f.indicator, f.metric): f.value for f in report("", plan).figures.targets}
    assert {k: got.get(k) for k in expected} == expected


def test_one_main_target_per_indicator_and_metric():
    r = report("", "今年主要预期目标是：地区生产总值增长6%左右，居民人均可支配收入和经济增长同步，"
                   "城镇调查失业率5.5%以内。全力以赴实现经济增长目标。")
    got = [(f.indicator, f.metric, f.value) for f in r.figures.targets]
    assert got.count(("gdp", "growth", 6)) == 1 and not any(k == ("gdp", "growth", None) for k in got)


@pytest.mark.parametrize("plan,gdp", [
    ("今年主要预期目标是，地区生产总值增长7%左右，一般公共预算收入增长6%，固定资产投资增长8%。", (7, "around")),
    ("今年全市经济社会发展的预期性指标是：地区生产总值增长6.5%左右，一般公共预算收入增长6%。", (6.5, "around")),
    ("综合考虑各方面因素，今年全市地区生产总值增长6%左右，固定资产投资增长7%左右，社会消费品零售总额增长6%，"
     "一般公共预算收入增长5%。", (6, "around")),
    ("2024年是“十四五”规划实施的关键之年，主要预期目标为：地区生产总值增长5.5%以上，城镇调查失业率5.5%以内。",
     (5.5, "at_least")),
    ("经济增长的预期目标为6%左右，居民消费价格涨幅3%左右。", (6, "around")),
    # a sentence that lists the targets before it names them
    ("2024年要完成地区生产总值增长8%、全社会固定资产投资增长12%、地方公共财政一般预算收入和支出分别增长8%和10%以上、"
     "城镇和农村居民人均可支配收入分别增长9%和10%、社会消费品零售总额增长8%的目标以及自治区下达的4项约束性指标。", (8, "point")),
])
def test_targets_statement_in_any_wording(plan, gdp):
    r = report("", plan)
    got = {(f.indicator, f.metric): (f.value, f.modifier) for f in r.figures.targets}
    assert got[("gdp", "growth")] == gdp


def test_targets_stated_without_a_lead_in_words_not_signs():
    # older reports write 百分之九, and may state the targets with no 主要预期目标 before them
    r = report("", "今年全市国内生产总值增长百分之九，财政收入增长百分之八，固定资产投资增长百分之十二。")
    assert {(f.indicator, f.value) for f in r.figures.targets} == {
        ("gdp", 9), ("fiscal_revenue", 8), ("fixed_asset_investment", 12)}


@pytest.mark.parametrize("plan,expected", [
    ("综合考虑各种因素，全市生产总值要力保增长12%，地方财政一般预算收入增长13%。围绕保增长这个目标，统筹做好各项经济工作。",
     {("gdp", "growth"): 12, ("budget_revenue", "growth"): 13}),
    ("综合分析国内外的有利条件和制约因素，今年的经济增长预期为7%左右。实现7%左右的增长速度并不容易。",
     {("gdp", "growth"): 7}),
    ("综合各方面因素，全区生产总值力争增长8%，城镇新增就业1万人。", {("gdp", "growth"): 8, ("new_urban_jobs", "level"): 1}),
    # after a sentence that speaks of the five-year plan the year opens
    ("今年是“十三五”规划开局之年。政府工作总体要求是：实现“十三五”时期经济社会持续健康发展的良好开局。"
     "综合考虑各方面因素，全市地区生产总值预期增长1%左右，城乡居民人均可支配收入分别增长7%和5%。",
     {("gdp", "growth"): 1, ("urban_disposable_income", "growth"): 7, ("rural_disposable_income", "growth"): 5}),
    # a sentence that calls the figures the year's plan (reports of the 1990s)
    ("今年工作总的要求是：坚持改革开放，保持经济持续快速健康发展。初步安排国内生产总值增长9%，其中第一产业增长5%，"
     "第二产业增长11%。这样安排是积极的，也是留有余地的。", {("gdp", "growth"): 9}),
])
def test_a_sentence_that_weighs_the_circumstances_sets_the_targets_however_few(plan, expected):
    r = report("", plan)
    assert {(f.indicator, f.metric): f.value for f in r.figures.targets if f.indicator != "other"} == expected


@pytest.mark.parametrize("plan,expected", [
    # five-year goals after the deliberating words are no year's targets
    ("综合考虑各方面因素，“十四五”时期地区生产总值年均增长6%左右，一般公共预算收入年均增长5%。", {}),
    ("综合考虑各方面因素，到2025年地区生产总值达到5000亿元，年均增长6%左右。\n"
     "今年预期地区生产总值增长8%左右，地方公共财政预算收入增长8%。",
     {("gdp", "growth"): 8, ("budget_revenue", "growth"): 8}),
    # a task paragraph that weighs the budget does not outweigh the year's statement
    ("今年主要预期目标，地区生产总值增长5%左右。\n"
     "综合考虑财力状况，全市一般公共预算收入增长6%，固定资产投资增长10%，社会消费品零售总额增长8%。",
     {("gdp", "growth"): 5}),
    ("今年预期地区生产总值增长8%左右，地方公共财政预算收入增长8%。\n统筹考虑财力可能，全社会固定资产投资增长10%。",
     {("gdp", "growth"): 8, ("budget_revenue", "growth"): 8}),
    # the words must lead the sentence or a clause of its head, and set the year's figures
    ("全市规模以上工业增加值增长12%，要综合考虑能耗指标，新增规上企业100家。", {}),
    ("统筹考虑财力可能，全市一般公共预算收入增长6%左右，重点保障民生支出。", {}),
    ("综合考虑各方面因素，下半年要确保全市地区生产总值增长6%以上。", {}),
])
def test_deliberating_words_that_set_no_years_targets(plan, expected):
    r = report("", plan)
    assert {(f.indicator, f.metric): f.value for f in r.figures.targets if f.indicator != "other"} == expected


def test_one_or_two_figures_without_that_lead_are_not_the_targets():
    r = report("", "今年要抓好工业发展，全市规模以上工业增加值增长12%，新增规上工业企业100家。")
    assert r.figures.targets == []
    r = report("", "坚持工业强市，全市规模以上工业增加值增长12%，一般公共预算收入增长8%。")
    assert r.figures.targets == []


def test_the_indicator_as_the_object_of_ba_is_not_a_part_of_it():
    # 把 (like 将) puts the indicator itself first; it is no noun glued onto its name
    r = report("", "考虑到疫情的不利影响，综合分析各种有利和不利因素，经充分征求意见、深入论证和慎重研究，"
                   "市委市政府把全市生产总值增长目标确定为6.5%左右。从现状看，实现这个目标，面临的困难很多。")
    assert [(f.indicator, f.metric, f.value, f.modifier) for f in r.figures.targets] == [
        ("gdp", "growth", 6.5, "around")]


def test_the_years_growth_target_alone_after_the_year_is_the_statement():
    r = report("", "今年全省国内生产总值预期增长9%，其中第一产业增长3%，第二产业增长10%。要着力抓好以下工作。")
    assert [(f.indicator, f.metric, f.value) for f in r.figures.targets if f.indicator != "other"] == [
        ("gdp", "growth", 9)]
    r = report("", "今年全市规模以上工业增加值增长12%，新增规上工业企业100家。")
    assert r.figures.targets == []


def test_a_paragraph_that_opens_with_the_year_states_its_targets_with_two_figures():
    r = report("", "今年预期地区生产总值增长8%左右，地方公共财政预算收入增长8%，城乡居民收入与经济增长同步。"
                   "重点抓好以下八个方面工作。")
    got = {(f.indicator, f.metric): f.value for f in r.figures.targets}
    assert got[("gdp", "growth")] == 8 and got[("budget_revenue", "growth")] == 8


def test_a_paragraph_of_amounts_to_reach_is_tasks_not_the_targets():
    r = report("", "打造建造品牌，建筑业产值突破700亿元，服务业增加值占GDP比重达50%左右，旅游综合收入达400亿元，"
                   "地区生产总值突破3000亿元，农产品加工业产值达1800亿元以上。")
    assert r.figures.targets == [] and r.gaps["targets"].startswith("no statement of main targets")


def test_five_year_goals_beside_the_annual_targets_are_not_the_targets():
    plan = ("“十四五”时期主要目标是：地区生产总值年均增长7%左右，到2025年突破5000亿元，一般公共预算收入年均增长6%。\n"
            "今年经济社会发展的主要预期目标是：地区生产总值增长7.5%左右，一般公共预算收入增长6%。")
    r = report("", plan)
    got = {(f.indicator, f.metric): f.value for f in r.figures.targets}
    assert got == {("gdp", "growth"): 7.5, ("budget_revenue", "growth"): 6}


def test_goals_introduced_as_the_next_five_years_are_not_the_years_targets():
    plan = ("今后五年全市经济主要预期目标：\n2011年地区生产总值达到2600亿元，力争达到2800亿元；\n"
            "2011年财政总收入达到300亿元；全社会固定资产投资年均增长23%，力争达到25%；\n"
            "社会消费品零售总额年均增长15%，力争达到16%；\n城市居民年人均可支配收入年均增长9%，力争达到10%；\n"
            "农民年人均纯收入年均增长8%，力争达到10%；\n单位生产总值能源消耗比2006年下降20%，\n人口自然增长率控制在8‰以内。")
    assert report("", plan).figures.targets == []
    assert report("", plan.replace("今后五年", "今后5年")).figures.targets == []
    # a paragraph about the years ahead, with a trigger in mid-paragraph
    plan = ("今后5年，全市经济社会发展的主要目标是：2016年全市生产总值达到1.3万亿元；完成节能减排约束性指标；"
            "城市化率达到80%；5年新增城镇就业85万人，城镇登记失业率控制在4%以内。")
    assert report("", plan).figures.targets == []
    # …unless it names this year before the trigger
    for plan in ("今后五年，我们要奋力赶超。今年经济社会发展的主要预期目标是：地区生产总值增长7%左右，城镇登记失业率控制在4%以内。",
                 "聚焦未来五年发展目标，综合考虑各方面因素，建议2024年全州经济社会发展主要预期目标为：地区生产总值增长7%左右，"
                 "城镇登记失业率控制在4%以内。"):
        assert {(f.indicator, f.value) for f in report("", plan).figures.targets} == {("gdp", 7), ("registered_unemployment", 4)}
    # a plan period named in passing does not make the year's statement five-year goals
    plan = "为实现“十二五”良好开局，主要预期目标是：地区生产总值增长12%左右，一般公共预算收入增长15%。"
    got = {(f.indicator, f.metric): f.value for f in report("", plan).figures.targets}
    assert got == {("gdp", "growth"): 12, ("budget_revenue", "growth"): 15}


def test_the_years_ahead_in_a_review_part_are_no_results():
    """A review part that turns to the years ahead (二、过去五年的工作和今后五年的总要求):
    from its paragraph that opens with them, its figures are goals, not last year's results."""
    review = "今后5年，全市生产总值年均增长7%，到2028年达到1.3万亿元，新增城镇就业40万人。"
    r = report(review)
    ahead = [f for f in r.figures.figures if f.value in (7, 1.3, 40)]
    assert ahead and not any(f.kind in ("result", "multi_year_result") for f in ahead), ahead
    assert not any(f.value in (7, 1.3, 40) for f in r.figures.targets)


def test_a_paragraph_of_livelihood_figures_is_not_the_statement_that_states_gdp():
    plan = ("在经济社会发展方面，预期地区生产总值增长12%以上，地方财政一般预算收入增长15%以上，社会消费品零售总额增长15%。\n"
            "在保障和改善民生方面，城市居民人均可支配收入和农村居民人均纯收入分别增长12%。城镇新增就业9.4万人，"
            "登记失业率控制在4.5%以内；转移农村劳动力134万人。")
    got = {(f.indicator, f.value) for f in report("", plan).figures.targets}
    assert ("gdp", 12) in got and ("rural_labor_transfer", 134) not in got


def test_a_targets_statement_broken_across_lines_is_one_statement():
    plan = "今年主要预期目标是：地区生产总值增长6%左右，一般公共\n预算收入增长5%，固定资产投资增长8%。"
    r = report("", plan)
    assert {f.indicator for f in r.figures.targets} == {"gdp", "budget_revenue", "fixed_asset_investment"}


def test_the_statement_ends_where_the_text_turns_to_the_tasks():
    plan = "今年主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%。实现上述目标，要新增规上工业企业100家，固定资产投资增长10%。"
    r = report("", plan)
    assert {f.indicator for f in r.figures.targets} == {"gdp", "budget_revenue"}


@pytest.mark.parametrize("clause,expected", [
    # the headline measures of older reports, before GDP: their own indicators
    ("国民生产总值比上年增长百分之五", [("gnp", "growth", 5, "point")]),
    ("工农业总产值增长7%", [("gross_output_industry_agriculture", "growth", 7, "point")]),
])
def test_older_headline_measures(clause, expected):
    assert rows(clause) == expected


@pytest.mark.parametrize("reviews_a_term,multi", [(True, True), (False, False), (None, False)])   # (see below)
def test_a_sum_is_the_terms_in_a_report_that_reviews_a_term(reviews_a_term, multi):
    """累计接待游客1148.7万人次，增长15.9%: delivered at a congress's first session, the report
    reviews five years and the sum is theirs; at a later session, or with the session
    unknown, its growth on the year makes it the year's (a sum with no growth, in a report
    that closes a five-year plan, stays the five years')."""
    from gwrkit.extract.figures import sum_over_years

    sentence = clause = "累计接待游客总人数1148.7万人次，增长15.9%"
    row = read_clause(normalize(clause).text, default_lexicon()).rows[0]
    assert (row.item.indicator, row.metric) == ("tourist_visits", "level")
    assert sum_over_years(sentence, clause, row, reviews_a_term, 2013) is multi
    assert sum_over_years(sentence, clause, row, reviews_a_term, 2015)      # a plan's last year


def test_a_sum_without_a_years_growth_is_the_five_years():
    from gwrkit.extract.figures import sum_over_years

    sentence = clause = "累计新增城镇就业89.21万人"
    row = read_clause(normalize(clause).text, default_lexicon()).rows[0]
    assert sum_over_years(sentence, clause, row, False) and sum_over_years(sentence, clause, row, None)
