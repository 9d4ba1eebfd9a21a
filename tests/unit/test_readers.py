import io
import json

import pytest

from gwrkit.ingest.readers import InputError, read_document
from tests.helpers import minimal_pdf

SAMPLE = "各位代表：现在，我代表县人民政府向大会报告工作。全县地区生产总值增长百分之五点二。" * 3


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_text_in_common_chinese_encodings_is_decoded(tmp_path, encoding):
    text = SAMPLE if encoding != "big5" else "各位代表：現在，我代表縣人民政府向大會報告工作，請予審議。" * 5
    doc = read_document(write(tmp_path, "r.txt", text.encode(encoding)))
    assert doc.text == text
    assert doc.format == "text"


def test_csv_text_column_is_found_and_rows_become_parts(tmp_path):
    rows = "province,year,full_text\n甲省,2026,\"第一篇，正文。\"\n乙省,2026,\"第二篇\n两行。\"\n"
    doc = read_document(write(tmp_path, "c.csv", rows))
    assert doc.text == "第一篇，正文。\n第二篇\n两行。"
    assert [doc.text[p.start:p.end] for p in doc.parts] == ["第一篇，正文。", "第二篇\n两行。"]
    assert doc.parts[1].meta == {"province": "乙省", "year": "2026"}


def test_csv_text_column_can_be_named(tmp_path):
    rows = "正文,备注\n报告正文在这一列。,很长很长很长很长很长很长很长很长很长很长很长很长的备注\n"
    doc = read_document(write(tmp_path, "c.csv", rows), text_column="正文")
    assert doc.text == "报告正文在这一列。"
    with pytest.raises(InputError, match="no column 'body'"):
        read_document(write(tmp_path, "d.csv", rows), text_column="body")


def test_jsonl_records_and_malformed_lines(tmp_path):
    lines = [json.dumps({"title": "甲", "text": "第一篇。"}, ensure_ascii=False), "{not json",
             json.dumps({"title": "乙", "text": "第二篇。"}, ensure_ascii=False)]
    doc = read_document(write(tmp_path, "r.jsonl", "\n".join(lines)))
    assert doc.text == "第一篇。\n第二篇。"
    assert doc.warnings == ["1 malformed JSON line(s) skipped"]


def test_html_main_text_drops_navigation(tmp_path):
    body = "".join(f"<p>{SAMPLE}第{i}段。</p>" for i in range(8))
    html = (f"<html><head><title>t</title></head><body><nav><a href='/'>首页</a> | <a>登录</a></nav>"
            f"<article><h1>2026年某市政府工作报告</h1>{body}</article>"
            f"<footer>版权所有 某某网站</footer></body></html>")
    doc = read_document(write(tmp_path, "page.html", html))
    assert doc.format == "html"
    assert "第7段" in doc.text and "版权所有" not in doc.text


def test_docx_paragraphs_are_read(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("政府工作报告")
    d.add_paragraph(SAMPLE)
    buf = io.BytesIO()
    d.save(buf)
    doc = read_document(write(tmp_path, "r.docx", buf.getvalue()))
    assert doc.format == "docx"
    assert doc.text.splitlines()[:2] == ["政府工作报告", SAMPLE]


def test_pdf_text_layer_is_read(tmp_path):
    doc = read_document(write(tmp_path, "r.pdf", minimal_pdf(["Government Work Report", "GDP grew 5.2%"])))
    assert doc.format == "pdf"
    assert "GDP grew 5.2%" in doc.text


# --- bad input: one clear reason each --------------------------------------------

def test_empty_file(tmp_path):
    with pytest.raises(InputError, match="^empty file$"):
        read_document(write(tmp_path, "e.txt", b""))


def test_whitespace_only_file(tmp_path):
    with pytest.raises(InputError, match="no text"):
        read_document(write(tmp_path, "w.txt", b"  \n\n \t\n"))


def test_binary_file(tmp_path):
    with pytest.raises(InputError, match="binary file"):
        read_document(write(tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10))
    with pytest.raises(InputError, match="NUL bytes"):
        read_document(write(tmp_path, "blob.txt", b"abc\x00\x01\x02" * 100))


def test_undecodable_text(tmp_path):
    junk = bytes([0x80, 0xFF, 0x81, 0xFE, 0x9F]) * 400
    with pytest.raises(InputError, match="cannot decode"):
        read_document(write(tmp_path, "junk.txt", junk))


def test_pdf_without_text_layer(tmp_path):
    with pytest.raises(InputError, match="no text layer"):
        read_document(write(tmp_path, "scan.pdf", minimal_pdf(None)))


def test_truncated_pdf(tmp_path):
    data = minimal_pdf(["Government Work Report"])
    with pytest.raises(InputError, match="PDF"):
        read_document(write(tmp_path, "cut.pdf", data[: len(data) // 3]))


def test_truncated_docx(tmp_path):
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph(SAMPLE)
    d.save(buf)
    with pytest.raises(InputError, match="DOCX"):
        read_document(write(tmp_path, "cut.docx", buf.getvalue()[:2000]))


def test_text_cut_mid_character_is_read_with_a_warning(tmp_path):
    data = SAMPLE.encode("utf-8")[:-1]            # last character loses a byte
    doc = read_document(write(tmp_path, "cut.txt", data))
    assert doc.text == SAMPLE[:-1]
    assert "truncated" in doc.warnings[0]


def test_file_over_the_size_limit(tmp_path):
    p = write(tmp_path, "big.txt", SAMPLE * 200)
    with pytest.raises(InputError, match="file too large"):
        read_document(p, max_bytes=10_000)


def test_report_on_a_government_web_page_end_to_end(tmp_path):
    import html as html_lib

    from gwrkit.api import extract
    from tests.helpers import report_text

    body = report_text("江门市") + "深入实施乡村振兴战略，新建高标准农田5万亩，培育壮大特色产业。\n" * 4
    paras = "".join(f"<p style='text-indent:2em'>{html_lib.escape(line)}</p>\n" for line in body.splitlines())
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府工作报告_江门市人民政府</title></head><body>"
            f"<div class='header'><a href='/'>首页</a> | <a href='/zwgk'>政务公开</a></div>"
            f"<div class='crumb'>您的位置：首页 &gt; 政务公开 &gt; 政府工作报告</div>"
            f"<div class='main'><div class='TRS_Editor'>{paras}</div></div>"
            f"<div class='footer'>主办：江门市人民政府办公室 版权所有</div></body></html>")
    p = tmp_path / "report.html"
    p.write_text(page, encoding="utf-8")
    r, = extract(p)["reports"]
    assert (r["region"], r["delivered_on"], r["speaker"], r["plan_year"]) == ("江门市", "2026-01-20", "王小明", 2026)
    assert [(t["indicator"], t["value"]) for t in r["targets"]] == [("gdp", 5), ("surveyed_unemployment", 5.5)]
