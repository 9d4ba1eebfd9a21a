"""Full-text search: the paragraphs it returns are exactly those a substring scan finds."""
import random
import re
import shutil
import sqlite3

import pytest

from gwrkit.analysis.search import QueryError, count, matches, parse_query, search
from gwrkit.api import ingest
from gwrkit.store.db import SEARCH

from ..helpers import empty_store, report_text


def _paragraph_texts(db) -> dict[tuple[int, int], str]:
    conn = sqlite3.connect(db)
    out = {}
    for rid, idx, start, end, text in conn.execute(
            "SELECT p.report_id, p.idx, p.start, p.end, t.text FROM paragraphs p JOIN reports r ON r.id=p.report_id"
            " JOIN document_texts t ON t.document_id=r.document_id"):
        out[(rid, idx)] = text[start:end]
    return out


def _brute_force(texts: dict, query: str) -> set:
    tree = parse_query(query)
    return {key for key, text in texts.items() if matches(tree, text)}


def _found(db, query: str) -> set:
    return {(h["report_id"], h["paragraph"]) for h in search(db, query, limit=10**6)}


def test_occurrences_prefer_the_longer_term_where_two_start_together():
    from gwrkit.analysis.search import occurrences

    assert occurrences("推进碳达峰行动", ["碳", "碳达峰"]) == [(2, 5)]


# boolean queries against predicates written out by hand (not the module's parser)
BY_HAND = [("数字经济 AND 碳达峰", lambda t: "数字经济" in t and "碳达峰" in t),
           ("就业 OR 民生", lambda t: "就业" in t or "民生" in t),
           ("改革 NOT 开放", lambda t: "改革" in t and "开放" not in t),
           ("(教育 OR 医疗) NOT 就业", lambda t: ("教育" in t or "医疗" in t) and "就业" not in t),
           ("碳 氢 OR 煤", lambda t: ("碳" in t and "氢" in t) or "煤" in t),
           ('"营商 环境"', lambda t: "营商 环境" in t)]


@pytest.mark.parametrize("query, predicate", BY_HAND)
def test_boolean_queries_equal_predicates_written_by_hand(examples_db, query, predicate):
    texts = _paragraph_texts(examples_db)
    assert _found(examples_db, query) == {k for k, t in texts.items() if predicate(t)}


def test_a_nul_character_does_not_hide_a_document(tmp_path):
    text = report_text().replace("建成一批重点项目", "建成一批\x00重点项目")
    (tmp_path / "nul.txt").write_bytes(text.encode("utf-16"))
    db = tmp_path / "nul.db"
    result = ingest([tmp_path], db, search_index=True)
    assert result.ok and any("NUL" in w for o in result.outcomes for w in o.warnings)
    texts = _paragraph_texts(db)
    assert _found(db, "发展") == {k for k, t in texts.items() if "发展" in t} != set()


def test_a_store_from_before_kinds_and_the_index(tmp_path, examples_db):
    """A database written before issue 7: search says how to build the index; attention
    reads it; ingest reads the files again for their paragraph kinds."""
    from gwrkit.analysis.attention import attention
    from gwrkit.api import index
    from gwrkit.store.db import StoreOutdated

    db = tmp_path / "old.db"
    shutil.copy(examples_db, db)
    conn = sqlite3.connect(db)
    for sql in (f"DROP TABLE {SEARCH}", "DROP VIEW paragraph_texts", "ALTER TABLE paragraphs DROP COLUMN kind",
                "DELETE FROM meta WHERE key='search_index'"):
        conn.execute(sql)
    conn.commit()
    conn.close()
    with pytest.raises(StoreOutdated, match="gwrkit index --db"):
        search(db, "碳")
    assert attention(db, topic="就业")["count"].sum() > 0
    paths = [r[0] for r in sqlite3.connect(db).execute("SELECT path FROM documents")]
    result = ingest(paths, db)
    assert result.count("replaced") == len(paths)
    assert index(db)["built"]
    assert count(db, "营商环境") == count(examples_db, "营商环境") > 0
    assert search(db, "发展", section="tasks", limit=5)


QUERIES = ["碳", "营商", "营商环境", "高质量发展", "地区生产总值增长", "GDP", "gdp", "%", "，", "数字经济 AND 碳达峰",
           "就业 OR 民生", "改革 NOT 开放", "(教育 OR 医疗) NOT 就业", '"营商 环境"', "“绿色低碳”", "乡村振兴 科技",
           "不存在的词组合", "。\n"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_equals_a_substring_scan(examples_db, query):
    texts = _paragraph_texts(examples_db)
    assert _found(examples_db, query) == _brute_force(texts, query)
    assert count(examples_db, query) == len(_brute_force(texts, query))


def test_random_substrings_of_every_length_are_found_exactly(examples_db):
    texts = _paragraph_texts(examples_db)
    pool = [t for t in texts.values() if len(t) > 10]
    rng = random.Random(7)
    for _ in range(60):
        text = rng.choice(pool)
        n = rng.choice([1, 1, 2, 2, 3, 4, 6])
        at = rng.randrange(len(text) - n)
        query = text[at:at + n]
        if query.strip() != query or '"' in query or query in ("AND", "OR", "NOT") or any(c in query for c in "()“”"):
            continue
        found = _found(examples_db, query)
        assert found == _brute_force(texts, query), query
        assert found                      # it was drawn from a stored paragraph


def test_hits_carry_their_span_and_a_marked_snippet(examples_db):
    hits = search(examples_db, "营商环境", limit=5)
    assert hits
    conn = sqlite3.connect(examples_db)
    for h in hits:
        text = conn.execute("SELECT t.text FROM document_texts t JOIN documents d ON d.id=t.document_id"
                            " WHERE d.path=?", (h["path"],)).fetchone()[0]
        assert text[h["start"]:h["end"]] == "营商环境"
        assert h["paragraph_start"] <= h["start"] < h["end"] <= h["paragraph_end"]
        assert "【营商环境】" in h["snippet"]


def test_filters_narrow_by_level_year_and_section(examples_db):
    everything = search(examples_db, "发展", limit=10**6)
    counties = search(examples_db, "发展", level="county", limit=10**6)
    assert counties and len(counties) < len(everything)
    assert {h["level"] for h in counties} == {"county"}
    in_2024 = search(examples_db, "发展", year_from=2024, year_to=2024, limit=10**6)
    assert in_2024 and {h["plan_year"] for h in in_2024} == {2024}
    review = search(examples_db, "发展", section="review", limit=10**6)
    assert review and {h["section_kind"] for h in review} == {"review"}


@pytest.mark.parametrize("query, why", [("", "empty"), ("NOT 碳", "needs a term before"), ('"碳', "unclosed"),
                                        ("(碳 OR 氢", "missing ')'"), ("碳 OR", "ends where a term")])
def test_bad_queries_are_refused_with_the_reason(examples_db, query, why):
    with pytest.raises(QueryError, match=re.escape(why)):
        search(examples_db, query)


def test_the_index_follows_a_replaced_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    report = report_text().replace("建成一批重点项目", "建成青松大桥")
    (src / "2024.txt").write_text(report, encoding="utf-8")
    db = tmp_path / "t.db"
    assert ingest([src], db, search_index=True).ok
    assert _found(db, "青松大桥")
    (src / "2024.txt").write_text(report.replace("青松大桥", "白杨隧道"), encoding="utf-8")
    assert ingest([src], db).ok
    assert not _found(db, "青松大桥") and not _found(db, "青松")
    assert _found(db, "白杨隧道") and _found(db, "杨")
    conn = sqlite3.connect(db)
    conn.execute(f"INSERT INTO {SEARCH}({SEARCH}, rank) VALUES ('integrity-check', 1)")   # raises if out of step


def test_the_index_is_built_on_demand_and_then_kept_in_step(tmp_path):
    """A new store has no search index and search says how to build it; once built,
    ingest indexes what it writes, replaced files included."""
    from gwrkit.api import index
    from gwrkit.store.db import NoSearchIndex

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(report_text(place="江门市").replace("建成一批重点项目", "建成青松大桥"), encoding="utf-8")
    db = tmp_path / "t.db"
    assert ingest([src], db).ok
    with pytest.raises(NoSearchIndex, match=r"gwrkit index --db"):
        search(db, "青松")
    assert index(db)["built"] and not index(db)["built"]      # the second call finds it in step
    assert _found(db, "青松大桥")
    (src / "b.txt").write_text(report_text(place="珠海市").replace("建成一批重点项目", "建成白杨隧道"), encoding="utf-8")
    assert ingest([src], db).count("ingested") == 1
    assert _found(db, "白杨隧道") and _found(db, "青松大桥")
    conn = sqlite3.connect(db)
    conn.execute(f"INSERT INTO {SEARCH}({SEARCH}, rank) VALUES ('integrity-check', 1)")   # raises if out of step


def test_hits_export_to_stata_with_reserved_names_renamed(examples_db, tmp_path):
    import pandas as pd

    from gwrkit.analysis.search import search_frame
    from gwrkit.export import write

    out = tmp_path / "hits.dta"
    frame = search_frame(examples_db, "营商环境", limit=5)
    write(frame, "dta", out)
    back = pd.read_stata(out)
    assert list(back["end_"]) == list(frame["end"])            # `end` is a Stata word
    with pd.io.stata.StataReader(out) as reader:
        assert reader.variable_labels()["end_"] == "end"


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16be", "UTF-16le"])
def test_short_terms_before_full_width_and_rare_characters_in_any_store_encoding(tmp_path, encoding):
    """Reports keep full-width digits and signs (增长８％左右) and rare characters (豈, 𠀀) as
    written: a one- or two-character query finds them whatever the store's text encoding
    (U+FFxx sorts after U+10FFFF's surrogates in UTF-16, not before)."""
    db = tmp_path / f"{encoding}.db"
    empty_store(db, encoding)
    (tmp_path / "in").mkdir()
    text = report_text().replace("地区生产总值增长5%左右", "地区生产总值增长８％左右，豈𠀀豈豈")
    (tmp_path / "in" / "r.txt").write_text(text, encoding="utf-8")
    assert ingest([tmp_path / "in"], db, search_index=True).ok
    assert sqlite3.connect(db).execute("PRAGMA encoding").fetchone()[0] == encoding
    texts = _paragraph_texts(db)
    for query in ["增长", "长", "８", "８％", "豈", "豈豈", "𠀀", "长８"]:
        found = _found(db, query)
        assert found == _brute_force(texts, query) and found, (encoding, query)
