"""Formats read whole (PDF, DOCX, HTML, a JSON that is not an array, small texts) have
caps that keep reading them under MEMORY_GOAL_MB; each refusal says why in one line.
The caps are set small here, so that small files show each rule."""
import zipfile

import pytest

from gwrkit.ingest import readers
from gwrkit.ingest.readers import InputError, _pdf_is_encrypted, read_document
from tests.helpers import minimal_pdf, report_text


def docx(path, paragraphs: list[str], media: bytes = b""):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml"'
                   ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
        if media:
            z.writestr("word/media/image1.jpeg", media)
    return path


def test_a_docx_whose_xml_expands_past_its_cap_is_refused(tmp_path, monkeypatch):
    path = docx(tmp_path / "long.docx", report_text().splitlines() * 40)
    read_document(path)                                      # within the caps
    monkeypatch.setattr(readers, "MAX_DOCX_XML", 20_000)
    with pytest.raises(InputError, match=r"DOCX too large when decompressed \(its text and layout expand to "
                                         r"\d+ MB of XML, the limit is 0 MB\): split it"):
        read_document(path)


def test_pictures_count_towards_the_unpacked_cap_not_the_xml_cap(tmp_path, monkeypatch):
    path = docx(tmp_path / "photos.docx", report_text().splitlines(), media=bytes(300_000))
    monkeypatch.setattr(readers, "MAX_DOCX_XML", 20_000)
    assert "各位代表" in read_document(path).text             # 300 KB of picture, little XML
    monkeypatch.setattr(readers, "MAX_DOCX_UNPACKED", 200_000)
    with pytest.raises(InputError, match=r"DOCX too large when decompressed \(0 MB, the limit is 0 MB\)"):
        read_document(path)


def test_a_docx_file_larger_than_its_cap_is_refused_unread(tmp_path, monkeypatch):
    path = docx(tmp_path / "r.docx", report_text().splitlines())
    monkeypatch.setitem(readers.WHOLE_CAPS, "docx", 1000)
    monkeypatch.setattr(readers.Path, "read_bytes", lambda self: pytest.fail("read before refusing"))
    with pytest.raises(InputError, match=r"DOCX larger than 0 MB: split it to have it read \(0\.0 MB\)"):
        read_document(path)


def test_html_with_too_many_tags_is_refused(tmp_path, monkeypatch):
    line = "".join(f"<span>{report_text()[i:i + 8]}</span>" for i in range(0, 400, 8))
    path = tmp_path / "spans.html"
    path.write_text(f"<html><body><p>{line}</p></body></html>", encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_HTML_TAGS", 60)
    with pytest.raises(InputError, match=r"HTML with 106 tags is too large to parse \(the limit is 60\): "
                                         "save the page's text"):
        read_document(path)


def test_a_pdf_larger_than_its_cap_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "r.pdf"
    path.write_bytes(minimal_pdf(["Government work report"] * 3))
    monkeypatch.setitem(readers.WHOLE_CAPS, "pdf", 100)
    with pytest.raises(InputError, match=r"PDF larger than 0 MB: split it \(one report a file, or fewer pages\)"):
        read_document(path)


def test_a_pdf_whose_text_runs_past_its_cap_stops_there(tmp_path, monkeypatch):
    path = tmp_path / "r.pdf"
    path.write_bytes(minimal_pdf(["Government work report, page text"] * 5))
    assert "page text" in read_document(path).text
    monkeypatch.setattr(readers, "MAX_PDF_CHARS", 50)
    with pytest.raises(InputError, match=r"PDF text longer than 0 M characters \(at page 1\): split it"):
        read_document(path)


def test_a_pdf_is_read_from_its_file_not_held_whole(tmp_path, monkeypatch):
    path = tmp_path / "r.pdf"
    path.write_bytes(minimal_pdf(["Government work report"]))
    monkeypatch.setattr(readers.Path, "read_bytes", lambda self: pytest.fail("the PDF was read whole"))
    assert "Government work report" in read_document(path).text


@pytest.mark.parametrize("where,expected", [("trailer", True), ("xref_stream", True), ("nowhere", False)])
def test_encryption_is_found_reading_a_block_at_a_time(tmp_path, where, expected):
    filler = b"0" * (3 * 2**20 + 123)                        # past the first blocks
    data = {"trailer": filler + b"trailer << /Encrypt 5 0 R >>",
            "xref_stream": b"/Type /XRef" + filler[:2**20 - 5] + b"/Encrypt 7 0 R" + filler,
            "nowhere": filler + b"trailer << /Root 1 0 R >>"}[where]
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    assert _pdf_is_encrypted(path) is expected is _pdf_is_encrypted(data)


def test_a_large_text_read_whole_is_refused_with_where_to_read_it(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text(report_text() * 4, encoding="utf-8")
    monkeypatch.setitem(readers.WHOLE_CAPS, "text", 1000)
    with pytest.raises(InputError, match="file larger than 0 MB read whole: read it with ingest, which reads it in pieces"):
        read_document(path)
