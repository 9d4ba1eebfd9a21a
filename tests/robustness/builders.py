"""Builders of hostile files for the robustness catalogue. Everything is written at
test time (no binary is committed); big files are streamed to disk, never held whole."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from ..helpers import minimal_pdf, pdf_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# --- zip and DOCX -------------------------------------------------------------------

def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def write_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> None:
    """A zip written by hand: ``members`` are (name, raw deflate data, crc32, size named
    in the headers, compressed size). Writing the headers ourselves lets a test name any
    size, and store a deflate stream built without compressing gigabytes."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size, csize in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, size, len(raw), 0) + raw
        out += data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize, size,
                               len(raw), 0, 0, 0, 0, 0, offset) + raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))


DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'),
}
_DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
             '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_DOC_TAIL = "</w:body></w:document>"


def _paragraphs(lines: list[str]) -> str:
    from xml.sax.saxutils import escape

    return "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)


def docx_bytes_member(name: str, text: str) -> tuple[str, bytes, int, int, int]:
    data = text.encode()
    packed = _deflate(data)
    return name, packed, zlib.crc32(data), len(data), len(packed)


def write_docx(path: Path, lines: list[str]) -> None:
    """A small valid DOCX holding ``lines`` as paragraphs."""
    members = [docx_bytes_member(n, t) for n, t in DOCX_PARTS.items()]
    members.append(docx_bytes_member("word/document.xml", _DOC_HEAD + _paragraphs(lines) + _DOC_TAIL))
    write_zip(path, members)


def write_docx_bomb(path: Path, expanded_mb: int, named_mb: int | None = None) -> int:
    """A DOCX whose word/document.xml is ``expanded_mb`` MB of paragraphs, packed about
    1000:1. The deflate stream is one compressed megabyte repeated: a full flush makes
    every block independent of what came before, so the same bytes stand for every
    megabyte, and nothing of the expanded size is ever built. ``named_mb``: the size the
    zip headers claim (a lying archive), default the true size. Returns the file size."""
    chunk = (_paragraphs(["政府工作报告各位代表"]) * 30000)[: 2**20 // 3]
    chunk = chunk.encode()[: 2**20]
    chunk = chunk + b" " * (2**20 - len(chunk))         # whitespace between elements
    head, tail = _DOC_HEAD.encode(), _DOC_TAIL.encode()
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert again == block                                  # the state is reset by the flush
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(expanded_mb):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    data = first + block * expanded_mb + last
    size = len(head) + expanded_mb * 2**20 + len(tail)
    named = size if named_mb is None else named_mb * 2**20
    members = [docx_bytes_member(n, t) for n, t in DOCX_PARTS.items()]
    members.append(("word/document.xml", data, crc, named, len(data)))
    write_zip(path, members)
    return path.stat().st_size


# --- PDF ----------------------------------------------------------------------------

def encrypted_pdf() -> bytes:
    """A PDF whose trailer names an /Encrypt dictionary (RC4, a password we do not know)."""
    pdf = minimal_pdf(["Government work report"])
    return pdf.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2"
                                          b" /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef01234567"
                                          b"89abcdef) /P -44 >> /ID [<00112233445566778899aabbccddeeff>"
                                          b" <00112233445566778899aabbccddeeff>] >>")


def cid_pdf(glyphs: int = 400) -> bytes:
    """A PDF whose text is set in a CID font with no character map (Identity-H, no
    ToUnicode, no embedded program): the text layer reads as (cid:N) codes, as in
    PDFs made by some typesetting systems."""
    codes = "".join(f"{0x1000 + (i * 37) % 3000:04X}" for i in range(glyphs))
    lines = [codes[i:i + 160] for i in range(0, len(codes), 160)]
    content = ("BT /F1 12 Tf 72 720 Td 14 TL\n" + "\n".join(f"<{x}> Tj T*" for x in lines) + "\nET").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /FZSongS /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FZSongS /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /FZSongS /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    return pdf_of(objects)


# --- big text -----------------------------------------------------------------------

def write_repeated(path: Path, piece: str, megabytes: float, sep: str = "\n\n") -> int:
    """``piece`` + ``sep`` written again and again until the file holds ``megabytes`` MB;
    returns the number of copies."""
    unit = (piece + sep).encode()
    copies = max(1, int(megabytes * 2**20) // len(unit))
    block = unit * max(1, min(copies, (8 * 2**20) // len(unit)))
    per = len(block) // len(unit)
    written = 0
    with open(path, "wb") as f:
        while written + per <= copies:
            f.write(block)
            written += per
        f.write(unit * (copies - written))
    return copies


def compilation_piece() -> str:
    """A real compilation as a web page copied it (four reports)."""
    return (EXAMPLES / "2023_compilation_web.txt").read_text(encoding="utf-8")


def state_council() -> str:
    return (EXAMPLES / "2024_state_council.md").read_text(encoding="utf-8")


