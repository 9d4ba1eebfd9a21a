"""Readers: one file on disk -> the text it holds, as read, with its parts.

A *part* is a unit that holds text on its own: the whole file for .txt/.html/.pdf/
.docx, one row for .csv, one record for .jsonl. Parts are joined with a newline into
the document's original text (the text every span points into).
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# the largest file ingest reads (--max-mb): large text, CSV and JSON files are read in
# pieces, in bounded memory, so this bounds time, not memory (a 2 GB text takes about
# half an hour); formats read whole have their own caps (WHOLE_CAPS)
DEFAULT_MAX_BYTES = 2048 * 1024 * 1024
TEXT_COLUMNS = ("full_text", "text", "content", "body", "正文", "全文", "内容", "report")
TEXT_FORMATS = {".txt": "text", ".md": "text", ".text": "text", ".html": "html", ".htm": "html",
                ".xhtml": "html", ".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl",
                ".ndjson": "jsonl", ".json": "json", ".pdf": "pdf", ".docx": "docx"}
_META_MAX = 300  # longest part-metadata value kept (titles, urls, dates)


def special_file(mode: int) -> str | None:
    """What a file is when it is not a regular file (reading a FIFO or /dev/zero never
    ends), from its stat mode; None for a regular file."""
    import stat

    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


class InputError(Exception):
    """A file that cannot be read; the message is one line naming the reason."""


@dataclass
class Part:
    start: int
    end: int
    meta: dict = field(default_factory=dict)


@dataclass
class SourceDocument:
    path: str
    format: str
    encoding: str | None
    size: int
    sha256: str
    text: str
    parts: list[Part]
    warnings: list[str] = field(default_factory=list)
    furniture: frozenset[str] = frozenset()   # running headers/footers of a paged file
    meta: dict = field(default_factory=dict)  # the publisher's record: YAML front matter
    # spans of the text that are not report text (front matter, HTML comments), with
    # their kind and content; normalization removes them, header parsing may read them
    hidden: list[tuple[int, int, str, str]] = field(default_factory=list)
    # a piece of a file read in pieces (pieces.py): its number from 1, the offset of its
    # text in the text the whole file makes, and whether the file has other pieces (a
    # report is then never the file's only one); None, 0, False for a file read whole
    piece: int | None = None
    file_offset: int = 0
    other_pieces: bool = False


def read_document(path: str | os.PathLike, *, text_column: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Read one file whole. Raises InputError with a one-line reason when it cannot.
    (A large text, CSV or JSON Lines file is read in pieces instead: see pieces.py.)"""
    path = Path(path)
    size = check_file(path, max_bytes)
    head = read_head(path)
    fmt = sniff_format(path, head)
    check_whole_size(fmt, size)
    warnings: list[str] = []
    encoding = None
    furniture: frozenset[str] = frozenset()
    if fmt == "pdf":                   # read from the file as pdfminer needs it: never held whole
        try:
            sha = file_sha256(path)
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror or exc})") from None
        pdf_text, furniture = read_pdf(path)
        return source_document(str(path), fmt, encoding, size, sha, [(pdf_text, {})], warnings, furniture)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})") from None
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "docx":
        chunks = [(read_docx(data), {})]
    else:
        raw, encoding, warn = decode_bytes(data)
        del data                   # the bytes are not needed once decoded
        warnings += warn
        if fmt == "html":
            tags = raw.count("<")
            if tags > MAX_HTML_TAGS:
                raise InputError(f"HTML with {tags:,} tags is too large to parse (the limit is {MAX_HTML_TAGS:,}): "
                                 "save the page's text to have it read")
            chunks = [(html_main_text(raw), {})]
        elif fmt == "csv":
            chunks = read_csv_rows(raw, text_column, delimiter="\t" if path.suffix.lower() == ".tsv" else None,
                                   warnings=warnings)
        elif fmt == "jsonl":
            chunks, bad = read_jsonl_records(raw, text_column)
            if bad:
                warnings.append(f"{bad} malformed JSON line(s) skipped")
        elif fmt == "json":
            chunks = read_json_records(raw, text_column)
        else:
            chunks = [(raw, {})]
    return source_document(str(path), fmt, encoding, size, sha, chunks, warnings, furniture)


def source_document(path: str, fmt: str, encoding: str | None, size: int, sha: str,
                    chunks: list[tuple[str, dict]], warnings: list[str], furniture: frozenset[str] = frozenset(),
                    front_matter: bool = True, meta: dict | None = None) -> SourceDocument:
    """The document the chunks (text, part metadata) make. ``front_matter``: look for
    front matter at the top of a text (not in a piece after the first, see pieces.py);
    ``meta``: the front matter read from the first piece, given to a later one."""
    text, parts = join_parts(chunks)
    chunks.clear()
    if "\x00" in text:
        # NUL is never report text, and SQLite's text functions stop at it: one for one,
        # so every offset stays where it was
        warnings.append(f"{text.count(chr(0))} NUL character(s) replaced by U+FFFD")
        text = text.replace("\x00", "\ufffd")
    if _has_surrogate(text):
        # a lone surrogate (a JSON "\\ud800" escape) cannot be stored as UTF-8: one for one
        warnings.append(f"{len(_SURROGATE.findall(text))} lone surrogate(s) replaced by U+FFFD")
        text = _SURROGATE.sub("\ufffd", text)
    hidden: list[tuple[int, int, str, str]] = []
    if fmt == "text":
        if front_matter:
            meta, hidden = markup_outside_text(text)
        else:
            hidden = _html_comments(text, 0)
        meta = meta or {}
        if meta and len(parts) == 1:
            parts[0].meta.update({k: v for k, v in meta.items() if len(v) <= _META_MAX})
    if not _visible(text, hidden).strip():
        raise InputError("no text in file" + (" (only whitespace)" if fmt == "text" else ""))
    return SourceDocument(path, fmt, encoding, size, sha, text, parts, warnings, furniture, meta or {}, hidden)


def file_sha256(path: str | os.PathLike) -> str:
    """The sha256 of a file, read a block at a time."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def check_file(path: Path, max_bytes: int) -> int:
    """The size of a regular, non-empty file within ``max_bytes``; InputError if not."""
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"cannot open file ({exc.strerror or exc})") from None
    kind = special_file(st.st_mode)
    if kind:
        raise InputError(f"{kind}, not a regular file: refused without reading it")
    size = st.st_size
    if size == 0:
        raise InputError("empty file")
    if size > max_bytes:
        raise InputError(f"file too large: {size / 2**20:.1f} MB exceeds the "
                         f"{max_bytes / 2**20:.0f} MB limit (raise it with --max-mb)")
    return size


HEAD_BYTES = 65536            # what format and encoding sniffing read of a file
MB = 2**20

# The largest file of each format read whole, so that reading and parsing it stays
# under MEMORY_GOAL_MB of peak RSS (measured with benchmarks/memory.py). PDF, DOCX,
# HTML and a JSON that is not an array cannot be read in pieces; larger text, CSV, JSON
# Lines and JSON arrays are (pieces.py), and are read whole only below this.
MEMORY_GOAL_MB = 500
WHOLE_CAPS = {
    # trafilatura and lxml: ~10 bytes of memory a byte of text-dense HTML (20 MB peaks
    # near 350 MB); markup-dense pages cost per element instead (MAX_HTML_TAGS)
    "html": 20 * MB,
    # pdfminer keeps the objects it has read (~1x the file) besides the text (MAX_PDF_CHARS)
    "pdf": 100 * MB,
    # the file is held while read, and expands to MAX_DOCX_UNPACKED at most
    "docx": 200 * MB,
    # the text, its parts and its parse, ~12 bytes a character (32 MB peaks near 200 MB)
    "json": 32 * MB, "text": 32 * MB, "csv": 32 * MB, "jsonl": 32 * MB,
}
_WHOLE_REASON = {
    "html": "HTML larger than {cap} MB: save the page's text (or print it to PDF) to have it read",
    "pdf": "PDF larger than {cap} MB: split it (one report a file, or fewer pages) to have it read",
    "docx": "DOCX larger than {cap} MB: split it to have it read",
    "json": "JSON larger than {cap} MB that is not an array of records: write it as JSON Lines "
            "(one record a line) to have it read",
}
# tags (opening and closing) an HTML page may have: lxml and trafilatura cost ~2 KB per
# element (100,000 elements peak near 300 MB); a real report page has a few thousand
MAX_HTML_TAGS = 200_000


def check_whole_size(fmt: str, size: int) -> None:
    """Refuse a file too large to be read whole, with the reason and what to do."""
    cap = WHOLE_CAPS.get(fmt)
    if cap is not None and size > cap:
        why = _WHOLE_REASON.get(fmt, "file larger than {cap} MB read whole: read it with ingest, "
                                     "which reads it in pieces")
        raise InputError(why.format(cap=f"{cap / MB:.0f}") + f" ({size / MB:.1f} MB)")


def read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    """Does the text hold a lone surrogate? (Encoding fails on one, and is many times
    faster than a search for them; a megabyte at a time, to hold little memory.)"""
    step = 1 << 20
    for i in range(0, len(text), step):
        try:
            text[i:i + step].encode("utf-8")
        except UnicodeEncodeError:
            return True
    return False


# --- markdown and text with front matter -----------------------------------------

# ---\ntitle: …\nsource: …\n--- at the very top: the publisher's record of the page
_FRONT_MATTER = re.compile(r"\A\ufeff?[ \t]*---[ \t]*\r?\n(?P<body>(?:[^\n]*\n){0,60}?)[ \t]*---[ \t]*(?:\r?\n|\Z)")
_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


def markup_outside_text(text: str) -> tuple[dict, list[tuple[int, int, str, str]]]:
    """Front matter (as a dict of its keys) and HTML comments of a text file; both are
    spans that are not report text. A comment often holds a photo caption with the
    date and the speaker, so its text is kept with its span."""
    meta: dict = {}
    hidden: list[tuple[int, int, str, str]] = []
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _front_matter_keys(m.group("body"))
        if meta:
            hidden.append((m.start(), m.end(), "front_matter", m.group("body")))
    hidden += _html_comments(text, m.end() if meta else 0)
    return meta, hidden


def _html_comments(text: str, pos: int) -> list[tuple[int, int, str, str]]:
    """<!-- … --> spans from ``pos`` on; an unclosed <!-- ends the search (one pass,
    however many openers a broken page holds)."""
    out = []
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append((start, end + 3, "comment", text[start + 4:end].strip()))
        pos = end + 3
    return out


def _front_matter_keys(body: str) -> dict:
    """The keys of a YAML front matter block: ``key: value`` lines, with the indented
    lines and ``- item`` lines under a key (a list, a folded value) added to its value.
    Empty when a line is neither: then the block is report text set between rules."""
    meta: dict = {}
    key = None
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pair = _FRONT_KEY.match(line)
        if pair and not line[0].isspace():
            key = pair.group("key").lower()
            value = pair.group("value").strip("'\"")
            meta[key] = "" if value in (">", "|", ">-", "|-") else value
        elif key is not None and (line[0].isspace() or line.startswith("- ")):
            item = line.strip().removeprefix("- ").strip().strip("'\"")
            meta[key] = f"{meta[key]} {item}".strip() if meta[key] else item
        else:
            return {}
    return meta


def _visible(text: str, hidden: list[tuple[int, int, str, str]]) -> str:
    pieces, pos = [], 0
    for a, b, _, _ in hidden:
        pieces.append(text[pos:a])
        pos = b
    return "".join(pieces) + text[pos:]


# --- format and encoding --------------------------------------------------------

_BINARY_MAGIC = {b"\x89PNG": "PNG image", b"GIF8": "GIF image", b"\xff\xd8\xff": "JPEG image",
                 b"\x7fELF": "executable", b"MZ": "executable", b"\x1f\x8b": "gzip archive",
                 b"Rar!": "RAR archive", b"7z\xbc\xaf": "7z archive",
                 b"\xd0\xcf\x11\xe0": "legacy Office file (.doc/.xls); save it as .docx"}


def sniff_format(path: Path, data: bytes) -> str:
    """Decide the format from the bytes first (the file's first HEAD_BYTES are enough),
    the file name second."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() == ".docx" or b"word/" in data[:4096] or _zip_has_word(path):
            return "docx"
        raise InputError("zip archive, not a supported format (unpack it first)")
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"binary file ({what}), not a report")
    fmt = TEXT_FORMATS.get(path.suffix.lower(), "text")
    if fmt in ("pdf", "docx"):
        raise InputError(f"not a valid {fmt.upper()} file (truncated or mislabelled)")
    if fmt == "text":
        probe = data[:2048].lstrip().lower()
        if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in probe:
            fmt = "html"
    return fmt


def _zip_has_word(path: Path) -> bool:
    """Does the zip's directory (read from the end of the file) name a Word document?"""
    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Decode text bytes: BOMs, then UTF-8, then a detected Chinese encoding."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc, []
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16[0], utf16[1], []
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return (data[:exc.start].decode("utf-8"), "utf-8",
                    ["file ends in the middle of a character (truncated?)"])
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16"],
                      preemptive_behaviour=False).best()
    if best is None:
        raise InputError("cannot decode text: not UTF-8, GB18030/GBK or BIG5")
    text = str(best)
    if _looks_garbled(text):
        raise InputError(f"cannot decode text: best guess {best.encoding} gives garbled text")
    return text, best.encoding, []


# what UTF-16 text without a byte-order mark decodes to when it is text: Chinese
# characters and punctuation, ASCII letters, digits and whitespace
_TEXT_CHAR = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\t\n\r]")
UTF16_TEXT_SHARE = 0.95       # of the first characters, for a byte order to be taken
UTF16_SAMPLE_BYTES = 40000


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 written without a byte-order mark (some Windows tools): its ASCII
    characters carry NUL bytes, so it looks binary. The byte order is the one whose
    high bytes hold the NULs; it is taken when a sample decodes to what text is made of
    (binary data decodes to anything), and only then is the whole file decoded."""
    if len(data) % 2:
        return None
    sample = data[:UTF16_SAMPLE_BYTES]
    encoding = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
    head = sample.decode(encoding, errors="replace")
    if not head or len(_TEXT_CHAR.findall(head)) < UTF16_TEXT_SHARE * len(head):
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def _looks_garbled(text: str) -> bool:
    sample = text[:20000]
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\n\r\t"))
    return bad > max(10, len(sample) // 50)


# --- per-format readers ---------------------------------------------------------

MAX_PDF_CHARS = 12_000_000    # a PDF's text is parsed whole: ~12 bytes a character, with its pages


def read_pdf(source: bytes | Path) -> tuple[str, frozenset[str]]:
    """Text of every page, and the running headers/footers: lines that open or
    close at least half of the pages (three at least). ``source``: the PDF's bytes, or
    its path (read as pdfminer needs it, page by page)."""
    import pdfplumber

    encrypted = _pdf_is_encrypted(source)
    try:
        with pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
            pages, chars = [], 0
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                page.close()        # else every page keeps its objects: ~1.4 MB a page
                chars += len(pages[-1])
                if chars > MAX_PDF_CHARS:
                    raise InputError(f"PDF text longer than {MAX_PDF_CHARS / 1e6:.0f} M characters (at page "
                                     f"{len(pages)}): split it to have it read")
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        if encrypted or "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise InputError("encrypted PDF: it needs a password to be read") from None
        raise InputError(f"corrupt or truncated PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(f"PDF has no text layer ({len(pages)} page(s) of images?); run OCR first")
    glyphs = len(_CID.findall(text))                  # each (cid:N) is one glyph
    others = len(re.sub(r"\s", "", _CID.sub("", text)))
    if glyphs > CID_SHARE * (glyphs + others):
        why = "its text is glyph codes (cid:…)" + (" of an encrypted PDF" if encrypted else "; run OCR first")
        raise InputError(f"no usable text layer: {why}")
    return text, running_lines(pages)


_CID = re.compile(r"\(cid:\d+\)")
CID_SHARE = 0.3               # share of glyphs that are (cid:N): fonts without a character map


def _pdf_is_encrypted(source: bytes | Path) -> bool:
    """The trailer names an /Encrypt dictionary (the last 4 KB, where the trailer is, or
    a cross-reference stream's dictionary in the file; a file is read a block at a time)."""
    if isinstance(source, bytes):
        return b"/Encrypt" in source[-4096:] or (b"/Encrypt" in source and b"/XRef" in source)
    found: set[bytes] = set()
    window = b""
    try:
        with open(source, "rb") as f:
            while block := f.read(2**20):
                window = window[-4096:] + block         # a word cut between two blocks, the trailer
                found.update(w for w in (b"/Encrypt", b"/XRef") if w in window)
    except OSError:
        return False
    return b"/Encrypt" in window[-4096:] or found == {b"/Encrypt", b"/XRef"}


def running_lines(pages: list[str]) -> frozenset[str]:
    from collections import Counter

    edges: Counter = Counter()
    for page in pages:
        lines = [x.strip() for x in page.splitlines() if x.strip()]
        edges.update({x for x in lines[:2] + lines[-2:] if len(x) <= 40 and not x.startswith("各位代表")})
    need = max(3, len(pages) // 2)
    return frozenset(line for line, n in edges.items() if n >= need)


MAX_DOCX_UNPACKED = 200 * 2**20      # bytes a DOCX may expand to (a zip bomb expands to GBs)
# of which XML (the text and its layout): python-docx holds it as a tree, about 8.5 bytes
# of memory a byte, with the parse of its text (40 MB of XML, some 700 reports, peaks
# near 400 MB; benchmarks/memory.py)
MAX_DOCX_XML = 40 * 2**20


def read_docx(data: bytes) -> str:
    import docx

    unpacked, xml = _unpacked_size(data, MAX_DOCX_UNPACKED, MAX_DOCX_XML)
    if unpacked > MAX_DOCX_UNPACKED:
        raise InputError(f"DOCX too large when decompressed ({unpacked / 2**20:.0f} MB, the limit is "
                         f"{MAX_DOCX_UNPACKED / 2**20:.0f} MB)")
    if xml > MAX_DOCX_XML:
        raise InputError(f"DOCX too large when decompressed (its text and layout expand to {xml / 2**20:.0f} MB "
                         f"of XML, the limit is {MAX_DOCX_XML / 2**20:.0f} MB): split it to have it read")
    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise InputError("not enough memory to read this DOCX") from None
    except Exception as exc:
        raise InputError(f"corrupt or truncated DOCX ({type(exc).__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


UNZIP_CHUNK = 2**20          # bytes decompressed at a time while a DOCX is measured


def _unpacked_size(data: bytes, cap: int, xml_cap: int | None = None) -> tuple[int, int]:
    """How many bytes the archive's members expand to, and how many of them are XML,
    decompressed a chunk at a time (never more than one chunk in memory) and counted up
    to just past ``cap`` (or ``xml_cap``): the sizes the zip headers declare may lie, and
    the whole of a member is then inflated at once when read. A member that does not
    match its header is corrupt."""
    total = xml = 0
    xml_cap = cap if xml_cap is None else xml_cap
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        raise InputError("corrupt or truncated DOCX (not a zip archive)") from None
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:                 # unsupported zip versions, bad offsets
        raise InputError(f"corrupt or truncated DOCX ({type(exc).__name__}: {str(exc)[:80]})") from None
    try:
        with archive:
            for info in archive.infolist():
                is_xml = info.filename.lower().endswith((".xml", ".rels"))
                if total + info.file_size > cap:
                    return total + info.file_size, xml
                if is_xml and xml + info.file_size > xml_cap:
                    return total, xml + info.file_size
                with archive.open(info) as member:
                    while chunk := member.read(UNZIP_CHUNK):
                        total += len(chunk)
                        xml += len(chunk) if is_xml else 0
                        if total > cap or xml > xml_cap:
                            return total, xml
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise InputError(f"corrupt or truncated DOCX ({str(exc)[:80] or 'not a zip archive'})") from None
    except RuntimeError as exc:
        if "encrypted" in str(exc):
            raise InputError("encrypted DOCX: it needs a password to be read") from None
        raise InputError(f"corrupt or truncated DOCX ({str(exc)[:80]})") from None
    except (ValueError, OSError) as exc:      # bad offsets inside the archive
        raise InputError(f"corrupt or truncated DOCX ({type(exc).__name__}: {str(exc)[:80]})") from None
    return total, xml


def html_main_text(html: str) -> str:
    """Main text of a web page, in a cascade: trafilatura's main text; else all visible
    text (lxml, with libxml2's huge-tree option: past 255 nested elements it stops
    otherwise); else, when the tree keeps too little of the page (nesting deeper still),
    the page with its tags stripped."""
    import trafilatura

    text = trafilatura.extract(html, favor_recall=True, include_comments=False,
                               include_tables=True, deduplicate=False)
    if text and len(text) > 200:
        return text
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
    except Exception:
        raise InputError("unreadable HTML") from None
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    visible = re.sub(r"\n\s*\n+", "\n", tree.text_content())
    if len(visible.strip()) >= MIN_VISIBLE_TEXT:
        return visible
    stripped = _tags_stripped(html)       # the tree lost the text (nesting too deep)
    return stripped if len(stripped.strip()) > len(visible.strip()) else visible


MIN_VISIBLE_TEXT = 200        # characters: less, and the page is read with its tags stripped
_INVISIBLE_OPEN = re.compile(r"<(script|style|noscript)\b", re.I)


def _tags_stripped(html: str) -> str:
    """The page's text with comments, scripts, styles and tags removed, in one pass
    (each search starts where the last ended, and a mark that is never closed ends the
    scan: no input makes it quadratic)."""
    import html as html_lib

    out, pos, n = [], 0, len(html)
    while pos < n:
        lt = html.find("<", pos)
        if lt < 0:
            out.append(html[pos:])
            break
        out.append(html[pos:lt])
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            pos = n if end < 0 else end + 3
            continue
        invisible = _INVISIBLE_OPEN.match(html, lt)
        if invisible:
            close = re.compile(rf"</{invisible.group(1)}\s*>", re.I).search(html, invisible.end())
            pos = n if close is None else close.end()
            continue
        gt = html.find(">", lt + 1)
        if gt < 0:                        # no tag closes after this: the rest is text
            out.append(html[lt:])
            break
        pos = gt + 1
    return re.sub(r"\n\s*\n+", "\n", html_lib.unescape("".join(out)))


def _pick_text_column(fieldnames: list[str], rows: list[dict], wanted: str | None) -> str:
    if wanted:
        if wanted not in fieldnames:
            raise InputError(f"no column '{wanted}' (columns: {', '.join(fieldnames)[:120]})")
        return wanted
    for name in TEXT_COLUMNS:
        if name in fieldnames:
            return name
    # else the column with the longest values, if any value is long enough to be a report
    lengths = {f: sum(len(r.get(f) or "") for r in rows[:50]) for f in fieldnames if f is not None}
    best = max(lengths, key=lengths.get) if lengths else None
    if best is None or max(len(r.get(best) or "") for r in rows[:50]) < MIN_TEXT_CELL:
        raise InputError(f"no text column: none of the columns ({', '.join(f for f in fieldnames if f)[:160]}) "
                         f"holds report text; name it with --text-column")
    return best


MIN_TEXT_CELL = 300           # characters: a shorter longest cell is not a report


def _row_meta(row: dict, text_key: str) -> dict:
    return {k: v for k, v in row.items()
            if k and k != text_key and isinstance(v, (str, int, float)) and len(str(v)) <= _META_MAX}


def read_csv_rows(raw: str, text_column: str | None, delimiter: str | None = None,
                  warnings: list[str] | None = None):
    csv.field_size_limit(2**31 - 1)
    warnings = warnings if warnings is not None else []
    if delimiter is None:
        first = raw[:4096].split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(raw), delimiter=delimiter, strict=True)
        rows = list(reader)
    except csv.Error as exc:
        # quoting a strict reader refuses ("标题"text): read it as the lenient reader does,
        # and say so, since merged records would be read as one
        warnings.append(f"irregular CSV quoting ({exc}): read leniently, so records may be merged; "
                        "check the file")
        try:
            reader = csv.DictReader(io.StringIO(raw), delimiter=delimiter)
            rows = list(reader)
        except csv.Error as exc2:
            raise InputError(f"malformed CSV ({exc2})") from None
    rows = [r for r in rows if _row_has_text(r)]
    if not rows or not reader.fieldnames:
        raise InputError("CSV has no data rows")
    _check_quoting(rows, reader.fieldnames)
    key = _pick_text_column(list(reader.fieldnames), rows, text_column)
    return [(row.get(key) or "", _row_meta(row, key)) for row in rows if (row.get(key) or "").strip()]


def _row_has_text(row: dict) -> bool:
    """A record that is not blank (a blank line, or only empty fields)."""
    return any((v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str))


def _check_quoting(rows: list[dict], fieldnames: list[str]) -> None:
    """A quote opened where it should not be splits a record into more fields than the
    header names, or merges records into fewer (the strict reader catches the rest):
    say so rather than store merged rows."""
    width = len(fieldnames)
    for n, row in enumerate(rows, 2):
        if None in row:                  # short records (optional last columns left out) are fine
            raise InputError(f"broken CSV quoting: record {n} has more fields than the header ({width})")


def _record_text(record, text_column: str | None):
    if not isinstance(record, dict):
        return None
    keys = [text_column] if text_column else list(TEXT_COLUMNS)
    for k in keys:
        if isinstance(record.get(k), str):
            return k
    if text_column:
        return None
    strings = [k for k, v in record.items() if isinstance(v, str)]
    return max(strings, key=lambda k: len(record[k])) if strings else None


def read_jsonl_records(raw: str, text_column: str | None):
    chunks, bad = [], 0
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError):       # a line nested without end
            bad += 1
            continue
        key = _record_text(record, text_column)
        if key and record[key].strip():
            chunks.append((record[key], _row_meta(record, key)))
    if not chunks:
        raise InputError("no JSON record with a text field" + (f" '{text_column}'" if text_column else ""))
    return chunks, bad


def read_json_records(raw: str, text_column: str | None):
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg}: line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise InputError("malformed JSON (nested too deeply to be a record)") from None
    records = data if isinstance(data, list) else [data]
    chunks = []
    for record in records:
        key = _record_text(record, text_column)
        if key and record[key].strip():
            chunks.append((record[key], _row_meta(record, key)))
    if not chunks:
        raise InputError("no JSON record with a text field")
    return chunks


def join_parts(chunks: list[tuple[str, dict]]) -> tuple[str, list[Part]]:
    texts, parts, pos = [], [], 0
    for i, (text, meta) in enumerate(chunks):
        if i:
            texts.append("\n")
            pos += 1
        texts.append(text)
        parts.append(Part(pos, pos + len(text), meta))
        pos += len(text)
    return "".join(texts), parts
