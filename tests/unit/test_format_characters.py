"""Zero-width and format characters between the characters of a report (as web pages
leave them) change nothing that is read, and every span still points into the text
as it was."""
import pytest

from gwrkit.api import extract

from ..helpers import report_text

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202c", "\u202e", "\u2060", "\u00ad",
             "\ufeff"]


def _reading(doc):
    r = doc["reports"][0]
    return (r["region"], r["review_year"], r["plan_year"],
            sorted((t["indicator"], t["value"], t["modifier"]) for t in r["targets"]),
            sorted((a["indicator"], a["value"]) for a in r["actuals"]))


@pytest.mark.parametrize("text, read", [("增长6.5 \u200b%左右", "增长6.5%左右"), ("增长5\u2066.2%", "增长5.2%"),
                                        ("**\u200b工作回顾**", "工作回顾")])
def test_invisible_characters_go_before_the_other_rules(text, read):
    from gwrkit.ingest.normalize import normalize

    norm = normalize(text)
    assert norm.text == read
    a, b = norm.to_original(0, len(norm.text))
    assert text[a:b].replace("\u200b", "").replace("\u2066", "").replace(" ", "").replace("**", "") == read


@pytest.mark.parametrize("mark", INVISIBLE)
def test_an_invisible_character_between_every_two_changes_nothing(tmp_path, mark):
    clean = report_text()
    (tmp_path / "clean.txt").write_text(clean, encoding="utf-8")
    dirty_text = mark.join(clean)
    (tmp_path / "dirty.txt").write_text(dirty_text, encoding="utf-8")
    clean_doc, dirty_doc = extract(tmp_path / "clean.txt"), extract(tmp_path / "dirty.txt")
    assert len(dirty_doc["reports"]) == 1
    assert _reading(dirty_doc) == _reading(clean_doc)
    assert _reading(clean_doc)[2] == 2026 and _reading(clean_doc)[3]
