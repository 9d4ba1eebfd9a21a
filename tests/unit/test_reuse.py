"""Text reuse (gwrkit.analysis.reuse): planted near-duplicate paragraphs between small
synthetic reports are found, with the right direction and shares; nothing else is."""
import json
import random
from dataclasses import asdict

import pytest

from gwrkit.analysis.reuse import ReuseOptions, normalize, reuse
from gwrkit.api import ingest
from gwrkit.store.db import Reader

POOL = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
        "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
        "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比")
TEMPLATE = """{plan}年{place}政府工作报告
——{date}在{place}第十六届人民代表大会第三次会议上
{place}人民政府市长 王小明
各位代表：
一、{review}年工作回顾
{p[0]}
{p[1]}
二、{plan}年工作安排
{p[2]}
{p[3]}
"""
rng = random.Random(7)


def filler(n: int = 110) -> str:
    """A paragraph that shares no 5-gram with any other (random characters)."""
    return "".join(rng.choice(POOL) for _ in range(n)) + "。"


PLANTED = filler(100)
# 4 edits in 101 characters: 3 substitutions and a deletion
EDITED = PLANTED[:10] + "甲" + PLANTED[11:40] + "乙" + PLANTED[41:60] + PLANTED[61:80] + "丙" + PLANTED[81:]
YEARLY = filler(90)            # repeated by one government the next year
SHORT = filler(30)             # too short to count (min_chars 40)
FORMULA = filler(70)           # in three reports of three governments

REPORTS = {   # file name: (place, plan year, date, paragraphs); file order sets the ids
    "1_shaoguan.txt": ("韶关市", 2026, "2026年1月18日", [filler(), EDITED, FORMULA, filler()]),
    "2_jiangmen.txt": ("江门市", 2025, "2025年1月20日", [PLANTED, YEARLY, SHORT, filler()]),
    "3_jiangmen.txt": ("江门市", 2026, "2026年1月22日", [YEARLY, filler(), FORMULA, filler()]),
    "4_zhanjiang.txt": ("湛江市", 2026, "2026年1月15日", [SHORT, filler(), filler(), filler()]),
    "5_maoming.txt": ("茂名市", 2026, "2026年2月1日", [filler(), FORMULA, filler(), filler()]),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("reuse")
    (d / "in").mkdir()
    for name, (place, plan, date, paras) in REPORTS.items():
        (d / "in" / name).write_text(TEMPLATE.format(place=place, plan=plan, review=plan - 1, date=date, p=paras),
                                     encoding="utf-8")
    db = d / "g.db"
    assert ingest([d / "in"], db).ok
    with Reader(db) as r:
        ids = {(row["region"], row["plan_year"]): row["id"] for row in r.conn.execute("SELECT * FROM reports")}
        chars = dict(r.conn.execute("SELECT report_id, SUM(end - start) FROM paragraphs GROUP BY report_id"))
    assert len(ids) == 5
    return db, ids, chars


def by_reports(result):
    return {(p["report_a"], p["report_b"]): p for p in result.pairs}


def test_a_planted_paragraph_is_found_with_its_direction_and_shares(corpus):
    db, ids, chars = corpus
    a, b = ids["江门市", 2025], ids["韶关市", 2026]
    assert b < a                       # report_a is the earlier report, not the lower id
    pair = by_reports(reuse(db))[a, b]
    assert pair["relation"] == "governments" and pair["direction"] == "a->b"
    assert (pair["earlier"], pair["later"], pair["paragraphs"]) == (a, b, 1)
    assert pair["share_a"] == round(len(PLANTED) / chars[a], 4)
    assert pair["share_b"] == round(len(EDITED) / chars[b], 4)
    para, = [p for p in reuse(db).paragraph_pairs if (p["report_a"], p["report_b"]) == (a, b)]
    assert (para["paragraph_a"], para["paragraph_b"]) == (0, 1)
    assert 0.85 < para["similarity"] < 1 and 80 < para["shared_chars"] <= 100
    with Reader(db) as r:
        assert r.text(a, para["start_a"], para["end_a"]) == PLANTED
        assert r.text(b, para["start_b"], para["end_b"]) == EDITED


def test_reports_say_how_much_appears_elsewhere_first(corpus):
    db, ids, chars = corpus
    a, b, c = ids["江门市", 2025], ids["韶关市", 2026], ids["江门市", 2026]
    rows = {r["report_id"]: r for r in reuse(db).reports}
    assert rows[a]["reused_chars"] == len(PLANTED) + len(YEARLY) and rows[a]["first_elsewhere_chars"] == 0
    # b: the planted copy came from a (earlier); its formula paragraph is the first of three
    assert rows[b]["reused_chars"] == len(EDITED) + len(FORMULA)
    assert rows[b]["first_elsewhere_chars"] == len(EDITED)
    assert rows[b]["first_elsewhere_share"] == round(len(EDITED) / chars[b], 4)
    assert rows[c]["first_elsewhere_chars"] == len(YEARLY) + len(FORMULA)


def test_unrelated_reports_and_short_paragraphs_are_not_paired(corpus):
    db, ids, _ = corpus
    a, d = ids["江门市", 2025], ids["湛江市", 2026]
    result = reuse(db)
    assert all(d not in (p["report_a"], p["report_b"]) for p in result.pairs)
    assert d not in {r["report_id"] for r in result.reports}
    # the shared 31-character paragraph counts once min_chars allows it
    pair = by_reports(reuse(db, ReuseOptions(min_chars=20)))[a, d]
    assert pair["paragraphs"] == 1 and pair["direction"] == "a->b"


def test_scope_keeps_governments_or_years(corpus):
    db, ids, _ = corpus
    a, b, c = ids["江门市", 2025], ids["韶关市", 2026], ids["江门市", 2026]
    everything = by_reports(reuse(db))
    assert everything[a, c]["relation"] == "years" and everything[a, c]["similarity"] > 0
    governments = reuse(db, ReuseOptions(scope="governments"))
    assert {p["relation"] for p in governments.pairs} == {"governments"} and (a, b) in by_reports(governments)
    years = reuse(db, ReuseOptions(scope="years"))
    assert list(by_reports(years)) == [(a, c)]
    assert {p["relation"] for p in years.paragraph_pairs} == {"years"}
    with pytest.raises(ValueError):
        reuse(db, ReuseOptions(scope="provinces"))


def test_similarity_threshold_and_formula_families(corpus):
    db, ids, _ = corpus
    a, b, c, e = ids["江门市", 2025], ids["韶关市", 2026], ids["江门市", 2026], ids["茂名市", 2026]
    strict = by_reports(reuse(db, ReuseOptions(min_similarity=0.99)))
    assert (a, b) not in strict and (a, c) in strict            # the edited copy no longer passes
    assert (b, c) in by_reports(reuse(db))                      # via the paragraph three reports share
    formula = reuse(db, ReuseOptions(max_reports=2))           # more than 2 reports: formula text
    assert (b, c) not in by_reports(formula) and (a, b) in by_reports(formula)
    family, = formula.common
    assert (family["reports"], family["governments"], family["first_report"]) == (3, 3, b)
    assert family["text"] == FORMULA
    rows = {r["report_id"]: r for r in formula.reports}
    assert rows[e]["common_chars"] == rows[e]["first_elsewhere_chars"] == len(FORMULA)
    assert rows[b]["first_elsewhere_chars"] == len(EDITED)


def test_region_frames_and_processes(corpus):
    db, ids, _ = corpus
    b = ids["韶关市", 2026]
    result = reuse(db, region="韶关")
    assert result.pairs and all(b in (p["report_a"], p["report_b"]) for p in result.pairs)
    assert [r["report_id"] for r in result.reports] == [b]
    frame = reuse(db).pairs_frame()
    assert {"report_a", "report_b", "similarity", "shared_chars", "direction", "relation"} <= set(frame.columns)
    assert list(frame["shared_chars"]) == sorted(frame["shared_chars"], reverse=True)
    assert len(reuse(db).paragraphs_frame()) == len(reuse(db).paragraph_pairs)
    assert reuse(db, ReuseOptions(jobs=2, lsh_entries=10)).pairs == reuse(db).pairs   # bands in groups
    assert normalize("Ａ１， 二\n三") == "a1二三"
    assert json.loads(json.dumps(asdict(result)))["pairs"] == result.pairs     # plain data, for the REST API
