"""Files that cannot be read say exactly why: an encrypted PDF, a text layer of glyph
codes, a DOCX that expands to gigabytes, a CSV with broken quoting or no text column."""
import io
import zipfile

import pytest

from gwrkit.ingest.readers import InputError, read_document

from ..helpers import report_text


def _encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(72, 720, "Government work report")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_an_encrypted_pdf_is_reported_as_encrypted(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(InputError, match="encrypted PDF"):
        read_document(path)


def _pdf_whose_pages_read(tmp_path, monkeypatch, page_text: str, pages: int = 2):
    """A PDF file whose text layer pdfplumber reads as ``page_text`` on every page (the
    text layers of real (cid:N) PDFs come from fonts a test cannot easily make)."""
    import pdfplumber

    from ..helpers import minimal_pdf

    class Page:
        def extract_text(self):
            return page_text

        def close(self):
            pass

    class Pdf:
        def __init__(self):
            self.pages = [Page() for _ in range(pages)]

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: Pdf())
    path = tmp_path / "layer.pdf"
    path.write_bytes(minimal_pdf(["x"]))
    return path


def test_a_text_layer_of_glyph_codes_is_refused(tmp_path, monkeypatch):
    path = _pdf_whose_pages_read(tmp_path, monkeypatch, "(cid:4511)(cid:872)(cid:3310)(cid:12)" * 50)
    with pytest.raises(InputError, match=r"no usable text layer: its text is glyph codes \(cid:…\)"):
        read_document(path)


def test_a_docx_that_expands_too_far_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:      # 210 MB of zeros, about 200 KB packed
            chunk = b"0" * 2**20
            for _ in range(210):
                member.write(chunk)
    assert path.stat().st_size < 2**20
    with pytest.raises(InputError, match=r"DOCX too large when decompressed \(210 MB"):
        read_document(path)


def test_broken_csv_quoting_is_reported(tmp_path):
    # a quote left open swallows the next record: the strict reader notices, the file is
    # read as a lenient reader would, and the warning says records may be merged
    path = tmp_path / "broken.csv"
    path.write_text('id,region,full_text\n1,江门,"' + report_text().replace('"', "") + '\n2,珠海,"'
                    + report_text(place="珠海市").replace('"', "") + '"\n', encoding="utf-8")
    doc = read_document(path)
    assert any(w.startswith("irregular CSV quoting") and "merged" in w for w in doc.warnings)
    # a record split into more fields than the header names is refused
    wide = tmp_path / "wide.csv"
    wide.write_text("id,full_text\n1," + report_text().replace("\n", " ").replace(",", "") + ",extra,fields\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="broken CSV quoting: record 2 has more fields than the header"):
        read_document(wide)


def test_short_records_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "short.csv"
    text = report_text().replace('"', "")
    path.write_text(f'id,full_text,note\n1,"{text}"\n2,"{text}",x\n \n', encoding="utf-8")
    assert len(read_document(path).parts) == 2


def test_glyph_codes_are_counted_as_glyphs(tmp_path, monkeypatch):
    """A text layer with a few unmapped glyphs (5% of them) is still read."""
    path = _pdf_whose_pages_read(tmp_path, monkeypatch, "各位代表" * 95 + "(cid:4511)" * 20, pages=1)
    assert "各位代表" in read_document(path).text


def test_a_csv_without_a_text_column_names_its_columns(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,region,year\n1,江门,2024\n2,珠海,2025\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text column: none of the columns \(id, region, year\)"):
        read_document(path)
