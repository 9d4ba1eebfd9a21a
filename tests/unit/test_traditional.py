"""A report in traditional characters (BIG5, as Hong Kong and Taiwan copies and some
archives carry it) is read like its simplified twin, and its text is kept as it was."""
import opencc

from gwrkit.api import extract
from gwrkit.ingest.normalize import to_simplified

from ..helpers import report_text


def test_a_big5_traditional_report_is_recognised_and_read(tmp_path):
    simplified = report_text()
    traditional = opencc.OpenCC("s2t").convert(simplified).replace("爲", "為")   # BIG5 has 為
    assert "政府工作報告" in traditional and len(traditional) == len(simplified)
    (tmp_path / "simplified.txt").write_text(simplified, encoding="utf-8")
    (tmp_path / "traditional.txt").write_bytes(traditional.encode("big5"))
    s, t = extract(tmp_path / "simplified.txt"), extract(tmp_path / "traditional.txt")
    assert len(t["reports"]) == 1
    rs, rt = s["reports"][0], t["reports"][0]
    for field in ("region", "province", "level", "review_year", "plan_year", "speaker"):
        assert rt[field] == rs[field], field
    assert [(x["indicator"], x["value"], x["modifier"]) for x in rt["targets"]] == \
           [(x["indicator"], x["value"], x["modifier"]) for x in rs["targets"]]
    gdp = next(x for x in rt["targets"] if x["indicator"] == "gdp")
    assert "區生產總值" in gdp["evidence"]              # the evidence is the original text


def test_simplified_text_is_left_alone():
    text = "显著提高，乾隆年间，于是" * 10       # characters t2s would also touch
    assert to_simplified(text) == text
