"""Attention: topic counts on known paragraphs, user dictionaries, trends, KWIC."""
import pytest

from gwrkit.analysis.attention import TopicsError, attention, kwic, load_topics, trend
from gwrkit.api import ingest

from ..helpers import report_text

PARAGRAPH = "实施就业优先政策，做好高校毕业生、农民工就业工作，稳定房地产市场，发展数字经济核心产业和工业互联网。"


def _counts(topics, text):
    out = {}
    for _a, _b, _term, topic in topics.hits(text):
        out[topic] = out.get(topic, 0) + 1
    return out


def test_package_topics_on_a_known_paragraph():
    counts = _counts(load_topics(), PARAGRAPH)
    # 就业 (实施就业), 高校毕业生, 农民工, 就业 (就业工作); 农民工 is not also 乡村振兴's 农民
    assert counts["就业"] == 4
    assert counts["房地产"] == 1
    # 数字经济 once, 工业互联网 once (not also 互联网 inside it)
    assert counts["数字经济"] == 2
    assert "乡村振兴" not in counts


def test_a_stretch_of_text_counts_once_for_its_longest_term(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("topic,term\n数字,数字经济\n产业,数字经济核心产业\n", encoding="utf-8")
    topics = load_topics(mine, replace=True)
    assert _counts(topics, "发展数字经济核心产业，壮大数字经济") == {"产业": 1, "数字": 1}


def test_a_failed_longer_term_does_not_hide_a_shorter_one(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("topic,term\n碳,碳\n城市,低碳城市\n", encoding="utf-8")
    topics = load_topics(mine, replace=True)
    assert _counts(topics, "推进低碳") == {"碳": 1}                     # 低碳城市 starts here but fails
    assert _counts(topics, "建设低碳城市和碳市场") == {"城市": 1, "碳": 1}


def test_stop_phrases_count_for_no_topic():
    topics = load_topics()
    assert "教育" not in _counts(topics, "深入开展主题教育")
    assert _counts(topics, "办好人民满意的教育")["教育"] == 1


def test_users_bring_topics_as_yaml_or_csv(tmp_path):
    yml = tmp_path / "mine.yaml"
    yml.write_text("低空经济:\n  - 低空经济\n  - 无人机\n", encoding="utf-8")
    topics = load_topics(yml)
    assert _counts(topics, "培育低空经济，发展无人机产业")["低空经济"] == 2
    assert "就业" in topics.names                       # added to the package topics
    bad = tmp_path / "bad.csv"
    bad.write_text("name,word\n低空,无人机\n", encoding="utf-8")
    with pytest.raises(TopicsError, match="needs the columns topic and term.*name, word"):
        load_topics(bad)


@pytest.fixture(scope="module")
def attention_db(tmp_path_factory):
    src = tmp_path_factory.mktemp("attention")
    text = report_text().replace("新增高新技术企业120家", PARAGRAPH + "新增高新技术企业120家")
    (src / "a.txt").write_text(text, encoding="utf-8")
    # a term broken by a stray space (copied from a web page) still counts
    (src / "b.txt").write_text(report_text(place="江门市", plan=2025, review=2024, date="2025年1月20日")
                               .replace("推进传统产业改造升级", "推进房地 产市场平稳健康发展"), encoding="utf-8")
    db = src / "a.db"
    assert ingest([src], db).ok
    return db


def test_counts_per_report_and_per_10k(attention_db):
    frame = attention(attention_db, topic=["就业", "房地产"])
    row = frame[(frame.plan_year == 2026) & (frame.topic == "房地产")].iloc[0]
    assert row["count"] == 1
    assert row["per_10k"] == pytest.approx(10000 / row["chars"], abs=1e-3)
    jobs = frame[(frame.plan_year == 2026) & (frame.topic == "就业")].iloc[0]
    assert jobs["count"] == 5                   # the paragraph's 4, and 失业 of 城镇调查失业率
    broken = frame[(frame.plan_year == 2025) & (frame.topic == "房地产")].iloc[0]
    assert broken["count"] == 1


def test_counts_per_section_kind(attention_db):
    frame = attention(attention_db, topic="就业", by_section=True)
    mine = frame[frame.plan_year == 2026].set_index("section_kind")["count"]
    assert mine["review"] == 4                  # the paragraph, in the review part
    assert mine["tasks"] == 1                   # 城镇调查失业率 in the plan part


def test_trend_pools_counts_over_characters(attention_db):
    frame = attention(attention_db, topic="房地产")
    by_year = trend(frame, ["year"]).set_index("year")
    assert by_year.loc[2026, "count"] == 1 and by_year.loc[2026, "reports"] == 1
    with pytest.raises(TopicsError, match="cannot group by colour"):
        trend(frame, ["colour"])


def test_kwic_lines_point_into_the_stored_text(attention_db):
    import sqlite3

    lines = kwic(attention_db, topic="房地产")
    assert len(lines) == 2
    conn = sqlite3.connect(attention_db)
    for line in lines.to_dict("records"):
        text = conn.execute("SELECT t.text FROM reports r JOIN document_texts t ON t.document_id=r.document_id"
                            " WHERE r.id=?", (line["report_id"],)).fetchone()[0]
        assert text[line["start"]:line["end"]] == line["match"]
        assert line["match"].replace(" ", "") == "房地产"
