"""benchmarks/national.py's variant builder: distinct files, exact characters, same parse."""
import hashlib
import re
from dataclasses import asdict

from benchmarks.national import (EDITORS, N_TRAILERS, NOTES, REVISIONS, SOURCES, build_variants, corpus_files,
                                 trailer, variant_path, variant_text)
from gwrkit.pipeline import parse_text
from tests.helpers import report_text

NUMERALS = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两半几%％年月日]")


def small_corpus(root):
    files = {"政府工作报告-主要城市/江门市/2026.md": report_text("江门市"),
             "政府工作报告-其他地市/韶关市/2025.md": report_text("韶关市", review=2024, plan=2025,
                                                             date="2025年1月18日"),
             "政府工作报告-国务院/2026.md": report_text("广东省", lvl="省", office="省长")}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "README.md").write_text("# not a report\n", encoding="utf-8")
    return files


def test_variants_are_distinct_and_counted_exactly(tmp_path):
    src = tmp_path / "lawtext"
    small_corpus(src)
    files = corpus_files(src)
    assert [r for r, _ in files] == sorted(r for r in small_corpus(src))      # README is not a report
    per_variant = sum(len(variant_text(t, r, 0)) for r, t in files)
    m = build_variants(files, tmp_path / "work", 2.5 * per_variant)
    written = sorted((tmp_path / "work").rglob("*.md"))
    assert m["variants"] == 3 and m["files"] == len(written) and 6 < len(written) < 9   # the last one in part
    assert m["chars"] == sum(len(p.read_text(encoding="utf-8")) for p in written) >= 2.5 * per_variant
    assert (tmp_path / "work" / "variant000" / "国务院" / "2026.md").is_file()
    assert (tmp_path / "work" / "variant001" / "江门市" / "2026.md").is_file()
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in written}) == len(written)
    assert len({p.read_text(encoding="utf-8").strip() for p in written}) == len(written)


def test_closing_lines_are_distinct_per_variant_and_carry_nothing_to_read():
    rel = "政府工作报告-主要城市/江门市/2026.md"
    lines = [trailer(rel, k) for k in range(N_TRAILERS)]
    assert len(set(lines)) == N_TRAILERS
    assert not any(NUMERALS.search(w) for w in SOURCES + EDITORS + NOTES + REVISIONS)
    assert variant_path(rel).as_posix() == "江门市/2026.md"


def test_a_variant_parses_as_the_original():
    text = report_text("江门市")

    def read(t):
        doc = parse_text(t)
        return [(asdict(r.metadata), len(r.figures.figures)) for r in doc.reports]

    assert read(variant_text(text, "x/江门市/2026.md", 3)) == read(text)
