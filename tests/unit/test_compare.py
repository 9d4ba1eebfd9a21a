"""Two reports side by side."""
import pytest

from gwrkit.analysis.compare import compare
from gwrkit.api import ingest, reports

from ..helpers import report_text

SHARED = "坚持把恢复和扩大消费摆在优先位置，多渠道增加城乡居民收入，稳定大宗消费，推动生活服务消费。"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    src = tmp_path_factory.mktemp("compare")
    a = report_text(place="江门市").replace("新增高新技术企业120家", SHARED + "新增高新技术企业120家")
    b = (report_text(place="珠海市").replace("地区生产总值增长5%左右", "地区生产总值增长6%以上")
         .replace("新增高新技术企业120家", SHARED.replace("多渠道", "千方百计") + "新增高新技术企业120家。房地产市场平稳"))
    (src / "a.txt").write_text(a, encoding="utf-8")
    (src / "b.txt").write_text(b, encoding="utf-8")
    db = src / "c.db"
    assert ingest([src], db).ok
    ids = {r["region"]: r["id"] for r in reports(db)}
    return db, ids["江门市"], ids["珠海市"]


def test_metadata_side_by_side(pair):
    db, a, b = pair
    meta = compare(db, a, b).metadata.set_index("field")
    assert (meta.loc["region", "a"], meta.loc["region", "b"]) == ("江门市", "珠海市")
    assert meta.loc["plan_year", "same"]


def test_targets_side_by_side_with_differences(pair):
    db, a, b = pair
    targets = compare(db, a, b).targets.set_index(["indicator", "metric"])
    gdp = targets.loc[("gdp", "growth")]
    assert (gdp["a_value"], gdp["a_modifier"], gdp["b_value"], gdp["b_modifier"]) == (5.0, "around", 6.0, "at_least")
    assert gdp["difference"] == pytest.approx(1.0) and gdp["status"] == "different"
    assert targets.loc[("surveyed_unemployment", "rate"), "status"] == "same"


def test_attention_profiles_differ_where_the_texts_do(pair):
    db, a, b = pair
    att = compare(db, a, b).attention.set_index("topic")
    assert att.loc["房地产", "a_count"] == 0 and att.loc["房地产", "b_count"] == 1
    assert att.loc["房地产", "difference"] > 0


def test_sections_matched_by_kind_and_shared_paragraphs(pair):
    db, a, b = pair
    result = compare(db, a, b)
    sections = result.sections.set_index("kind")
    assert sections.loc["self_building", "similarity"] == pytest.approx(1.0)   # the same text
    assert 0.3 < sections.loc["review", "similarity"] < 1.0                      # edited
    shared = result.paragraphs
    edited = shared[shared.a_text.str.startswith("（一）产业转型")]
    assert len(edited) == 1 and 0.5 <= edited.iloc[0]["similarity"] < 1.0
    assert (shared.similarity >= 0.5).all()


def test_an_unknown_report_is_an_error(pair):
    db, a, _ = pair
    with pytest.raises(LookupError, match="no report 999"):
        compare(db, a, 999)
