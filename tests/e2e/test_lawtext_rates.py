"""The public lawtext corpus graded against its layout (folder = government, file =
year): issue #6's acceptance rates, rerun from the tarball in ../shared/corpora, and
the analysis layer (issue #7) run on the same database."""
import sqlite3
import tarfile

import pytest

from benchmarks.lawtext_rates import rates
from gwrkit.analysis.attention import attention, kwic
from gwrkit.analysis.compare import compare
from gwrkit.analysis.panel import panel, scorecard
from gwrkit.analysis.reuse import ReuseOptions, reuse
from gwrkit.analysis.search import matches, parse_query, search
from gwrkit.api import ingest

ACCEPT = {"found": 0.998, "government": 0.995, "plan_year": 0.99, "gdp_target": 0.97}


@pytest.fixture(scope="module")
def lawtext(tmp_path_factory):
    from tests.conftest import shared_dir

    shared = shared_dir()
    tarball = shared / "corpora" / "lawtext-reports.tar.xz" if shared else None
    if tarball is None or not tarball.is_file():
        pytest.skip("the lawtext tarball is not in ../shared/corpora")
    work = tmp_path_factory.mktemp("lawtext")
    with tarfile.open(tarball) as tar:
        tar.extractall(work / "corpus", filter="data")
    result = ingest([work / "corpus"], work / "lawtext.db", jobs=2, search_index=True)
    assert result.ok
    return work / "corpus", work / "lawtext.db"


def test_lawtext_corpus_rates(lawtext):
    corpus, db = lawtext
    got = rates(corpus, db)
    assert got["files"] > 2800
    for key, floor in ACCEPT.items():
        assert got[key] >= floor, (key, got[key], got["misses"].get(key, [])[:20])


def test_provincial_gdp_scorecard(lawtext):
    _, db = lawtext
    sc = scorecard(db, indicator="gdp", metric="growth", level="province", year_from=2016, year_to=2025)
    assert len(sc) >= 300 and sc.region_code.nunique() == 31
    assert (sc.verdict == "not_gradable").mean() < 0.12
    graded = sc[sc.verdict != "not_gradable"]
    for row in graded.to_dict("records"):        # each value is read from its own evidence
        assert f"{row['target_value']:g}" in row["target_evidence"].replace("％", "%")
        assert row["target_report_id"] != row["outcome_report_id"]
    wide = panel(db, indicator="gdp", level="province")
    assert not wide.duplicated(["region_code", "year"]).any()


@pytest.mark.parametrize("query", ["碳", "营商", "新质生产力", "数字经济 NOT 数字化"])
def test_search_equals_a_substring_scan_on_the_corpus(lawtext, query):
    _, db = lawtext
    tree = parse_query(query)
    conn = sqlite3.connect(db)
    expected, doc, text = set(), None, ""
    for rid, idx, start, end, doc_id in conn.execute(
            "SELECT p.report_id, p.idx, p.start, p.end, r.document_id FROM paragraphs p"
            " JOIN reports r ON r.id = p.report_id ORDER BY r.document_id"):
        if doc_id != doc:
            doc, text = doc_id, conn.execute("SELECT text FROM document_texts WHERE document_id=?",
                                             (doc_id,)).fetchone()[0]
        if matches(tree, text[start:end]):
            expected.add((rid, idx))
    found = {(h["report_id"], h["paragraph"]) for h in search(db, query, limit=10**7)}
    assert found == expected and expected


def test_attention_and_compare_on_the_corpus(lawtext):
    _, db = lawtext
    counts = attention(db, topic="数字经济", level="province")
    assert counts.report_id.nunique() > 700
    one = counts[counts["count"] > 0].iloc[0]
    assert len(kwic(db, topic="数字经济", region=one["region"], year_from=one["plan_year"],
                    year_to=one["plan_year"], limit=10**6)) >= one["count"]
    henan = scorecard(db, indicator="gdp", metric="growth", region="河南", year_from=2023, year_to=2024)
    a, b = henan.target_report_id.tolist()
    result = compare(db, a, b)
    gdp = result.targets.set_index(["indicator", "metric"]).loc[("gdp", "growth")]
    assert gdp["a_value"] is not None and gdp["b_value"] is not None
    assert result.sections.similarity.notna().any()


def test_reuse_on_the_corpus(lawtext):
    _, db = lawtext
    result = reuse(db, ReuseOptions(jobs=2))
    pairs = result.pairs_frame()
    assert len(pairs) > 1000
    assert set(pairs.relation) == {"governments", "years"}
    ordered = pairs[pairs.direction == "a->b"]
    assert len(ordered) > len(pairs) / 2 and (ordered.earlier == ordered.report_a).all()
    # a government's consecutive reports share text
    years = pairs[(pairs.relation == "years") & (pairs.year_b - pairs.year_a == 1)]
    assert years.region_a.nunique() > 50
    assert ((pairs.share_a > 0) & (pairs.share_a <= 1)).all()
