"""Targets against outcomes: the verdict rules, the join across years, exports."""
import json

import pandas as pd
import pytest

from gwrkit.analysis.panel import GradingRules, grade, panel, scorecard
from gwrkit.api import ingest

from ..helpers import report_text


@pytest.mark.parametrize("target, high, modifier, outcome, better, verdict, gap", [
    (6.0, None, "point", 6.0, "higher", "met", 0.0),          # 增长6%: reached exactly
    (6.0, None, "point", 5.9, "higher", "missed", -0.1),
    (6.0, None, "at_least", 6.3, "higher", "met", 0.3),       # 增长6%以上
    (6.0, None, "at_least", 5.99, "higher", "missed", -0.01),
    (3.0, None, "at_most", 3.2, "lower", "missed", 0.2),      # 居民消费价格涨幅3%以内
    (3.0, None, "at_most", 0.2, "lower", "met", -2.8),
    (7.0, None, "around", 6.6, "higher", "met", -0.4),        # 增长7%左右: within 0.5 points
    (7.0, None, "around", 6.4, "higher", "missed", -0.6),
    (3.0, None, "around", 3.4, "lower", "met", 0.4),          # CPI 3%左右 is a ceiling
    (3.0, None, "around", 3.6, "lower", "missed", 0.6),
    (6.0, 6.5, "range", 6.1, "higher", "met", 0.1),           # 增长6%-6.5%: graded against 6
    (6.0, 6.5, "range", 5.8, "higher", "missed", -0.2),
    (5.5, None, "point", 5.2, "lower", "met", -0.3),          # 城镇调查失业率5.5%
    (-3.0, None, "around", -3.6, "lower", "met", -0.6),       # 单位GDP能耗下降3%左右
    (-3.0, None, "point", -2.0, "lower", "missed", 1.0),
    (-4.0, None, "at_least", -4.5, "lower", "met", -0.5),     # 能耗降低4%以上: a fall of 4.5 meets it
    (-4.0, None, "at_least", -3.5, "lower", "missed", 0.5),
    (-3.0, -4.0, "range", -3.2, "lower", "met", -0.2),        # 降低3%-4%: the lenient end is a fall of 3
    (-3.0, -4.0, "range", -2.5, "lower", "missed", 0.5),
])
def test_verdict_for_each_modifier(target, high, modifier, outcome, better, verdict, gap):
    got, got_gap, reason = grade(target, high, modifier, outcome, better)
    assert (got, reason) == (verdict, "")
    assert got_gap == pytest.approx(gap)


def test_rules_are_options():
    assert grade(7.0, None, "around", 6.4, rules=GradingRules(tolerance=1.0))[0] == "met"
    assert grade(7.0, None, "around", 6.9, rules=GradingRules(tolerance=0.0))[0] == "missed"
    assert grade(6.0, 6.5, "range", 6.2, rules=GradingRules(range_end="high")) == ("missed", pytest.approx(-0.3), "")


def test_not_gradable_says_why():
    assert grade(None, None, "qualitative", 5.0) == ("not_gradable", None, "qualitative target")
    assert grade(6.0, None, "around", None) == ("not_gradable", None, "no outcome")


@pytest.fixture(scope="module")
def panel_db(tmp_path_factory):
    """襄樊 renamed 襄阳 in 2010: its 2010 report (former name) sets the 2010 target, the
    2011 report (new name) states the 2010 outcome; 2011 has two reports (December and
    January sessions)."""
    src = tmp_path_factory.mktemp("panel")
    (src / "2010.txt").write_text(report_text(place="襄樊市", review=2009, plan=2010, date="2010年1月20日")
                                  .replace("地区生产总值增长5%左右", "地区生产总值增长10%左右"), encoding="utf-8")
    (src / "2011.txt").write_text(report_text(place="襄阳市", review=2010, plan=2011, date="2011年1月20日")
                                  .replace("增长5.2%", "增长9.6%").replace("增长5%左右", "增长8%以上"), encoding="utf-8")
    (src / "2011-december.txt").write_text(report_text(place="襄阳市", review=2010, plan=2011, date="2010年12月28日")
                                           .replace("增长5.2%", "增长9.6%").replace("增长5%左右", "增长7.5%以上"),
                                           encoding="utf-8")
    (src / "2012.txt").write_text(report_text(place="襄阳市", review=2011, plan=2012, date="2012年1月20日")
                                  .replace("增长5.2%", "增长7.9%"), encoding="utf-8")
    (src / "other.txt").write_text(report_text(place="江门市", review=2010, plan=2011, date="2011年1月18日")
                                   .replace("增长5.2%", "增长11.2%"), encoding="utf-8")
    db = src / "panel.db"
    assert ingest([src], db).ok
    return db


def test_the_target_of_one_year_meets_the_outcome_stated_a_year_later(panel_db):
    sc = scorecard(panel_db, indicator="gdp", metric="growth", region="襄阳")
    rows = {r["year"]: r for r in sc.to_dict("records")}
    assert set(rows) == {2010, 2011, 2012}
    assert rows[2010]["region_code"] == "420600"                 # 襄樊 and 襄阳 are one government
    assert (rows[2010]["target_value"], rows[2010]["modifier"], rows[2010]["outcome_value"]) == (10.0, "around", 9.6)
    assert (rows[2010]["verdict"], rows[2010]["gap"]) == ("met", pytest.approx(-0.4))
    assert "增长10%左右" in rows[2010]["target_evidence"] and "增长9.6%" in rows[2010]["outcome_evidence"]
    assert rows[2010]["target_report_id"] != rows[2010]["outcome_report_id"]
    # two reports plan 2011: one row, the later session's target, flagged
    assert (rows[2011]["target_value"], rows[2011]["modifier"]) == (8.0, "at_least")
    assert rows[2011]["several_reports"] == 1 and rows[2011]["other_report_ids"]
    assert (rows[2011]["outcome_value"], rows[2011]["verdict"]) == (7.9, "missed")
    assert (rows[2012]["verdict"], rows[2012]["reason"]) == ("not_gradable", "no outcome")


def test_the_wide_panel_has_one_row_per_government_year(panel_db):
    wide = panel(panel_db, indicator="gdp")
    assert not wide.duplicated(["region_code", "year"]).any()
    row = wide[(wide.region_code == "420600") & (wide.year == 2010)].iloc[0]
    assert (row["gdp_growth_target"], row["gdp_growth_modifier"], row["gdp_growth_outcome"],
            row["gdp_growth_verdict"]) == (10.0, "around", 9.6, "met")
    jiangmen = wide[wide.region == "江门市"]
    assert list(jiangmen.year) == [2010, 2011]                  # 2010: an outcome only


def test_cpi_is_graded_from_the_reviews_own_results(tmp_path):
    """CPI is not a headline result; its outcome is the reviewing report's result for the year."""
    (tmp_path / "2023.txt").write_text(report_text(review=2022, plan=2023, date="2023年1月20日")
                                       .replace("城镇调查失业率5.5%以内", "居民消费价格涨幅3%左右"), encoding="utf-8")
    (tmp_path / "2024.txt").write_text(report_text(review=2023, plan=2024, date="2024年1月20日")
                                       .replace("一般公共预算收入增长4.1%", "一般公共预算收入增长4.1%，居民消费价格上涨0.4%"),
                                       encoding="utf-8")
    db = tmp_path / "cpi.db"
    assert ingest([tmp_path], db).ok
    row = scorecard(db, indicator="cpi", year_from=2023, year_to=2023).iloc[0]
    assert (row["target_value"], row["modifier"], row["outcome_value"], row["verdict"]) == (3.0, "around", 0.4, "met")


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "dta", "xlsx"])
def test_exports_round_trip(panel_db, tmp_path, fmt):
    from gwrkit.export import write

    frame = scorecard(panel_db, indicator="gdp", metric="growth")
    out = tmp_path / f"scorecard.{fmt}"
    write(frame, fmt, out, labels={"verdict": "met, missed or not_gradable"})
    back = {"csv": lambda p: pd.read_csv(p, dtype={"region_code": str}),
            "json": lambda p: pd.DataFrame(json.loads(p.read_text(encoding="utf-8"))),
            "parquet": pd.read_parquet, "dta": pd.read_stata,
            "xlsx": lambda p: pd.read_excel(p, dtype={"region_code": str})}[fmt](out)
    assert list(back["region"]) == list(frame["region"])
    assert list(back["region_code"].astype(str)) == list(frame["region_code"])
    assert list(back["verdict"]) == list(frame["verdict"])
    assert back["target_value"].tolist() == frame["target_value"].tolist()
    if fmt == "dta":
        with pd.io.stata.StataReader(out) as reader:
            assert reader.variable_labels()["verdict"] == "met, missed or not_gradable"
