"""End to end on a county report in another year's phrasing (tests/data/county_2019.txt,
written for this test)."""
from pathlib import Path

from gwrkit.api import extract

DATA = Path(__file__).resolve().parents[1] / "data" / "county_2019.txt"


def test_metadata_targets_and_results_of_a_county_report():
    r, = extract(DATA)["reports"]
    assert (r["region"], r["province"], r["level"], r["delivered_on"], r["congress_term"],
            r["congress_session"], r["speaker"], r["review_year"], r["plan_year"]) == (
        "临泉县", "安徽省", "county", "2019-01-15", 17, 4, "张军", 2018, 2019)
    targets = {(t["indicator"], t["metric"]): (t["value"], t["modifier"]) for t in r["targets"]}
    assert targets == {
        ("gdp", "growth"): (8.5, "around"), ("industrial_va", "growth"): (9, "at_least"),
        ("fixed_asset_investment", "growth"): (10, "point"), ("retail_sales", "growth"): (11, "point"),
        ("budget_revenue", "growth"): (7, "point"), ("urban_disposable_income", "growth"): (8, "point"),
        ("rural_disposable_income", "growth"): (9, "point"),
        ("registered_unemployment", "rate"): (4.5, "at_most"),
        ("energy_intensity", "growth"): (None, "qualitative"), ("grain_output", "level"): (120, "at_least")}
    actuals = {(a["indicator"], a["metric"]): a["value"] for a in r["actuals"]}
    assert actuals == {
        ("gdp", "level"): 265.3, ("gdp", "growth"): 8.6, ("budget_revenue", "level"): 15.2,
        ("budget_revenue", "growth"): 9.1, ("industrial_va", "growth"): 9.5,
        ("fixed_asset_investment", "growth"): 12.3, ("retail_sales", "level"): 138.6,
        ("retail_sales", "growth"): 11.2, ("urban_disposable_income", "level"): 27650,
        ("rural_disposable_income", "level"): 11230, ("urban_disposable_income", "growth"): 8.4,
        ("rural_disposable_income", "growth"): 9.8}
    kinds = {(f["indicator"], f["kind"]) for f in r["figures"]}
    assert ("gdp", "multi_year_result") in kinds and ("fiscal_revenue", "result") in kinds
