"""Reading a large file in pieces, so that memory stays bounded whatever its size.

A text, markdown, CSV/TSV, JSON Lines or JSON-array file larger than
``StreamOptions.stream_bytes`` is never held whole. It is decoded as a stream and cut
into *pieces*; each piece is a document of its own (its own text, parts, reports, and
offsets into its own text), parsed and stored before the next is read.

- Text is cut at a line where a report begins, by the splitter's own evidence (an
  opening with the header above it, a dateline, a titled abridgement; see
  splitting.report_starts), once the piece holds ``piece_chars``; so a report and all
  its spans are exactly what reading the file whole gives. When no report begins
  within ``max_piece_chars``, the piece is cut at a line anyway, and a single line
  longer than that at a sentence end (or, failing one, anywhere), with a warning.
- CSV/TSV rows and JSON records are grouped into pieces of about ``piece_chars``;
  each row keeps its metadata as a part, as when the file is read whole. A file's
  structure (its quoting, its text column, its JSON) is checked in a first pass, so a
  file that would be refused is refused before any piece is stored.

Each piece knows its place: ``piece`` (1-based) and ``file_offset``, the character
offset of its text in the text the whole file would have as one document (the decoded
text for a text file; the rows joined by newlines for CSV and JSON).
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .readers import (InputError, SourceDocument, _looks_garbled, _pick_text_column, _record_text, _row_has_text,
                      _row_meta, _utf16_without_bom, check_file, file_sha256, read_head, sniff_format,
                      source_document)

MB = 2**20
STREAMED_FORMATS = ("text", "csv", "jsonl", "json")


@dataclass(frozen=True)
class StreamOptions:
    """When and how a file is read in pieces (tests set these small)."""
    # a file larger than this is read in pieces; below it, reading it whole costs at most
    # ~150 MB (parsing takes about 20 bytes of memory per character, and UTF-8 Chinese
    # has 3 bytes a character)
    stream_bytes: int = 16 * MB
    # a piece is cut at the next report start once it holds this many characters (some
    # twenty reports): parsing it costs ~25 MB. Fewer pieces mean fewer cuts; larger ones
    # cost memory, in the parse and in the records waiting for the writer
    piece_chars: int = 1_000_000
    # ... and cut at a line anyway at this size (no report began: not a report, or a
    # report longer than any seen, ~300 K characters at most), or inside a line longer
    # than this: parsing a piece stays under ~100 MB
    max_piece_chars: int = 4_000_000
    # characters decoded at a time
    read_chars: int = 1_000_000


DEFAULT_STREAM = StreamOptions()


def streamed(path: str | Path, size: int, options: StreamOptions = DEFAULT_STREAM) -> bool:
    """Is this file read in pieces? Large files of a format that can be streamed."""
    if size <= options.stream_bytes:
        return False
    try:
        return stream_format(Path(path), read_head(Path(path))) is not None
    except InputError:
        return False                 # the reader refuses it with the reason


def stream_format(path: Path, head: bytes) -> str | None:
    if head.startswith((b"%PDF", b"PK\x03\x04")):
        return None
    fmt = sniff_format(path, head)
    return fmt if fmt in STREAMED_FORMATS else None


@dataclass
class _Encoding:
    name: str
    errors: str = "strict"
    warnings: tuple[str, ...] = ()


SAMPLE_BYTES = 4 * MB          # what encoding detection reads, when the file is not UTF-8


def _scan(path: Path, head: bytes, sha256: str | None) -> tuple[str, _Encoding]:
    """One pass over the bytes: the file's sha256 and its encoding (BOMs, then UTF-8
    checked over the whole file, then a detected Chinese encoding as decode_bytes)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return sha256 or file_sha256(path), _Encoding(enc, "replace")
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head[:len(head) // 4 * 4])
        if utf16 is None:
            raise InputError("binary file (contains NUL bytes), not text")
        return sha256 or file_sha256(path), _Encoding(utf16[1], "replace")
    sha = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, end_cut = True, False
    with open(path, "rb") as f:
        while block := f.read(MB):
            if sha256 is None:
                sha.update(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
                    if sha256 is not None:
                        break
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                end_cut = True
    digest = sha256 or sha.hexdigest()
    if utf8:
        if end_cut:
            return digest, _Encoding("utf-8", "ignore", ("file ends in the middle of a character (truncated?)",))
        return digest, _Encoding("utf-8")
    with open(path, "rb") as f:
        sample = f.read(SAMPLE_BYTES)
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["gb18030", "big5", "utf_16"], preemptive_behaviour=False).best()
    if best is None:
        raise InputError("cannot decode text: not UTF-8, GB18030/GBK or BIG5")
    if _looks_garbled(str(best)[:20000]):
        raise InputError(f"cannot decode text: best guess {best.encoding} gives garbled text")
    return digest, _Encoding(best.encoding, "replace")


def _open_text(path: Path, enc: _Encoding):
    return io.TextIOWrapper(open(path, "rb"), encoding=enc.name, errors=enc.errors, newline="")


def read_pieces(path: str | Path, *, text_column: str | None = None, max_bytes: int | None = None,
                options: StreamOptions = DEFAULT_STREAM, sha256: str | None = None) -> Iterator[SourceDocument]:
    """The pieces of a large file, one SourceDocument at a time (``piece`` and
    ``file_offset`` set). ``sha256``: the file's, when the caller has it already.
    Raises InputError, before the first piece, for a file that cannot be read."""
    from .readers import DEFAULT_MAX_BYTES

    path = Path(path)
    size = check_file(path, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    head = read_head(path)
    fmt = stream_format(path, head)
    if fmt is None:
        raise InputError("not a text, CSV or JSON file: it cannot be read in pieces")
    sha, enc = _scan(path, head, sha256)
    if fmt == "text":
        chunks = _text_pieces(path, enc, options)
    elif fmt == "csv":
        chunks = _csv_pieces(path, enc, text_column, "\t" if path.suffix.lower() == ".tsv" else None, options)
    elif fmt == "jsonl":
        chunks = _jsonl_pieces(path, enc, text_column, options)
    else:
        chunks = _json_pieces(path, enc, text_column, options)
    offset, meta = 0, None
    held = next(chunks, None)         # one piece ahead: is there another after this one?
    k = 0
    while held is not None:
        rows, warnings = held
        held = next(chunks, None)
        k += 1
        if k == 1:
            warnings = [*enc.warnings, *warnings]
        length = sum(len(t) for t, _ in rows) + len(rows) - 1
        doc = source_document(str(path), fmt, enc.name, size, sha, rows, warnings,
                              front_matter=k == 1, meta=meta)
        del rows
        if k == 1:
            meta = doc.meta
        doc.piece, doc.file_offset, doc.other_pieces = k, offset, k > 1 or held is not None
        # the pieces of a text follow each other; rows are joined by a newline
        offset += length + (fmt != "text")
        yield doc


# --- text -------------------------------------------------------------------------

SENTENCE_END = "。！？!?"
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")     # after a LF, a CRLF or a lone CR
LOOKAHEAD_LINES = 3          # non-blank lines under a report's first body line that show it begins
WINDOW_LINES = 48            # lines looked at: a header walks back up to 40 lines (splitting)
EVAL_LINES = 6               # the window is read this many non-blank lines after a line that may begin a report
# a line that may show a report begins: a title (…工作报告), an address (各位代表 near
# the start), a dateline (…人民代表大会 / 人大); body paragraphs are longer
_TITLE_WORDS = ("工作报告", "工作報告")
_SESSION_WORDS = ("人民代表大会", "人大")
MAY_BEGIN_CHARS = 200


def _may_begin(line: str) -> bool:
    """Cheap test: could this line be an opening, a dateline or a title?"""
    head = line[:MAY_BEGIN_CHARS]
    if "代表" in head[:30]:
        return True
    return len(line.strip()) <= MAY_BEGIN_CHARS and any(w in head for w in _TITLE_WORDS + _SESSION_WORDS)


class _TextCutter:
    """Lines in, pieces out (see the module docstring)."""

    def __init__(self, options: StreamOptions):
        self.o = options
        self.lines: list[str] = []          # the piece being built, with line ends
        self.size = 0
        self.recent: deque[int] = deque(maxlen=WINDOW_LINES)   # its last non-blank lines
        self.after = None                   # first line past piece_chars, once there
        self.seen = 0                       # non-blank lines read
        self.due: int | None = None         # when the window is read next (in non-blank lines)
        self.hit = 0                        # the last line that may begin a report
        self.pending: list[str] = []        # the line being read
        self.pending_len = 0
        self.warnings: list[str] = []

    def feed(self, chunk: str) -> Iterator[tuple[str, list[str]]]:
        if "\r" in chunk:               # old Mac line ends (a lone CR) end lines too, as in normalize
            lines = _LINE_END.split(chunk)
        else:
            lines = chunk.split("\n")
            lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
        for line in lines[:-1]:
            if self.pending:
                self.pending.append(line)
                line = "".join(self.pending)
                self.pending, self.pending_len = [], 0
            yield from self._add(line)
        if lines[-1]:
            self.pending.append(lines[-1])
            self.pending_len += len(lines[-1])
            if self.size + self.pending_len > self.o.max_piece_chars:
                yield from self._long_line()

    def finish(self) -> Iterator[tuple[str, list[str]]]:
        if self.pending:
            line = "".join(self.pending)
            self.pending, self.pending_len = [], 0
            yield from self._add(line)
        if self.lines:
            yield self._emit(len(self.lines))

    def _add(self, line: str) -> Iterator[tuple[str, list[str]]]:
        blank = not line.strip()
        if not blank and self.lines and self.size + len(line) > self.o.max_piece_chars:
            self.warnings.append(f"no report began within {self.o.max_piece_chars:,} characters: "
                                 "cut at a line, so a report may be split between two pieces")
            yield self._emit(len(self.lines))
        self.lines.append(line)
        self.size += len(line)
        if blank:
            return
        self.recent.append(len(self.lines) - 1)
        self.seen += 1
        if self.after is None and self.size >= self.o.piece_chars:
            self.after = len(self.lines) - 1
        if self.after is None:
            return
        # the window is read a few lines after a line that may begin a report (the
        # splitter's evidence needs the lines under it), and again while a report found
        # in it lacks its first body lines
        if _may_begin(line):
            self.hit = self.seen
            if self.due is None:
                self.due = self.seen + EVAL_LINES
        if self.due is not None and self.seen >= self.due:
            cut, waiting = self._report_start()
            self.due = None
            if cut is not None:
                yield self._emit(cut)
            elif waiting or self.hit > self.seen - EVAL_LINES:
                self.due = self.seen + EVAL_LINES

    def _report_start(self) -> tuple[int | None, bool]:
        """The line to cut at: just after the last line of the report before one that
        begins past piece_chars, once LOOKAHEAD_LINES lines of its body are in (so that
        its header is whole); and whether a report found begins too near the end to say."""
        from .splitting import report_starts

        window = list(self.recent)
        waiting = False
        for gap, _, evidence, body in report_starts([self.lines[k].rstrip("\r\n") for k in window]):
            if window[evidence] < self.after:
                continue
            if body + LOOKAHEAD_LINES >= len(window):
                waiting = True
                continue
            # cut after the previous report's last line: blank lines follow it
            cut = window[gap - 1] + 1 if gap > 0 else window[0]
            if cut > 0:
                return cut, False
        return None, waiting

    def _long_line(self) -> Iterator[tuple[str, list[str]]]:
        """The line being read does not fit in a piece: cut before it, then inside it."""
        while self.size + self.pending_len > self.o.max_piece_chars:
            if self.recent:
                self.warnings.append(f"no report began within {self.o.max_piece_chars:,} characters: "
                                     "cut at a line, so a report may be split between two pieces")
                yield self._emit(len(self.lines))
                continue
            line = "".join(self.pending)
            room = self.o.max_piece_chars - self.size
            cut = max(line.rfind(c, room // 2, room) for c in SENTENCE_END) + 1
            how = "at a sentence end" if cut > 0 else "mid-sentence (no sentence end in it)"
            cut = cut if cut > 0 else room
            self.warnings.append(f"a line of more than {self.o.max_piece_chars:,} characters: cut {how}")
            self.lines.append(line[:cut])
            self.size += cut
            self.pending, self.pending_len = [line[cut:]], len(line) - cut
            yield self._emit(len(self.lines))

    def _emit(self, k: int) -> tuple[str, list[str]]:
        """Give out lines[:k] as a piece; lines[k:] start the next one."""
        text = "".join(self.lines[:k])
        del self.lines[:k]
        self.size -= len(text)
        self.recent = deque((i - k for i in self.recent if i >= k), maxlen=WINDOW_LINES)
        self.after, self.due = None, None
        if self.size >= self.o.piece_chars:
            self.after = self.recent[0] if self.recent else 0
        warnings, self.warnings = self.warnings, []
        return text, warnings


def _text_pieces(path: Path, enc: _Encoding, options: StreamOptions):
    cutter = _TextCutter(options)
    with _open_text(path, enc) as f:
        while chunk := f.read(options.read_chars):
            for text, warnings in cutter.feed(chunk):
                yield [(text, {})], warnings
    for text, warnings in cutter.finish():
        yield [(text, {})], warnings


# --- rows: CSV/TSV, JSON Lines, JSON arrays ----------------------------------------

def _grouped(rows, options: StreamOptions):
    """Rows (text, meta) into pieces of about piece_chars characters."""
    piece: list[tuple[str, dict]] = []
    size = 0
    for text, meta in rows:
        if piece and size + len(text) > options.piece_chars:
            yield piece
            piece, size = [], 0
        piece.append((text, meta))
        size += len(text) + 1
    if piece:
        yield piece


CSV_SNIFF_CHARS = 4096


def _csv_rows(path: Path, enc: _Encoding, delimiter: str, strict: bool):
    with _open_text(path, enc) as f:
        reader = csv.DictReader(f, delimiter=delimiter, strict=strict)
        for row in reader:
            if _row_has_text(row):
                yield reader.fieldnames, row


def _csv_pieces(path: Path, enc: _Encoding, text_column: str | None, delimiter: str | None,
                options: StreamOptions):
    """CSV rows in pieces. The first pass reads every record (one at a time) to check the
    quoting and pick the text column, as read_csv_rows does for a whole file."""
    if delimiter is None:
        with _open_text(path, enc) as f:
            first = f.read(CSV_SNIFF_CHARS).split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    # a record longer than a piece is not a report: refuse the file rather than hold it
    csv.field_size_limit(options.max_piece_chars)
    warnings: list[str] = []

    def check(strict: bool):
        fieldnames, sample, n = None, [], 0
        for n, (fieldnames, row) in enumerate(_csv_rows(path, enc, delimiter, strict), 2):
            if None in row:
                raise InputError(f"broken CSV quoting: record {n} has more fields than the header "
                                 f"({len(fieldnames)})")
            if len(sample) < 50:
                sample.append(row)
        return fieldnames, sample

    strict = True
    try:
        try:
            fieldnames, sample = check(True)
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise
            warnings.append(f"irregular CSV quoting ({exc}): read leniently, so records may be merged; "
                            "check the file")
            strict = False
            fieldnames, sample = check(False)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"a CSV field longer than {options.max_piece_chars:,} characters "
                             "(no report is that long)") from None
        raise InputError(f"malformed CSV ({exc})") from None
    if not sample or not fieldnames:
        raise InputError("CSV has no data rows")
    key = _pick_text_column(list(fieldnames), sample, text_column)
    rows = ((row.get(key) or "", _row_meta(row, key)) for _, row in _csv_rows(path, enc, delimiter, strict)
            if (row.get(key) or "").strip())
    for k, piece in enumerate(_grouped(rows, options)):
        yield piece, warnings if k == 0 else []


def _record_chunk(record, text_column: str | None):
    key = _record_text(record, text_column)
    if key and record[key].strip():
        return record[key], _row_meta(record, key)
    return None


def _jsonl_pieces(path: Path, enc: _Encoding, text_column: str | None, options: StreamOptions):
    counts = {"bad": 0, "long": 0}

    def records():
        limit = options.max_piece_chars
        with _open_text(path, enc) as f:
            while line := f.readline(limit + 1):
                if len(line) > limit and not line.endswith(("\n", "\r")):
                    counts["long"] += 1              # a record longer than a piece: skip it whole
                    while (rest := f.readline(limit + 1)) and not rest.endswith(("\n", "\r")):
                        pass
                    continue
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    counts["bad"] += 1
                    continue
                chunk = _record_chunk(record, text_column)
                if chunk:
                    yield chunk

    pieces = _grouped(records(), options)
    held = next(pieces, None)
    if held is None:
        raise InputError("no JSON record with a text field" + (f" '{text_column}'" if text_column else ""))
    for piece in pieces:              # the last piece carries what was skipped in the file
        yield held, []
        held = piece
    warnings = []
    if counts["bad"]:
        warnings.append(f"{counts['bad']} malformed JSON line(s) skipped")
    if counts["long"]:
        warnings.append(f"{counts['long']} JSON line(s) longer than {options.max_piece_chars:,} characters skipped")
    yield held, warnings


def _json_array(path: Path, enc: _Encoding, options: StreamOptions):
    """The elements of a top-level JSON array, one at a time."""
    decoder = json.JSONDecoder()
    limit = options.max_piece_chars
    with _open_text(path, enc) as f:
        buf, pos, eof = "", 0, False

        def more() -> bool:
            nonlocal buf, pos, eof
            if eof:
                return False
            data = f.read(max(options.read_chars, len(buf) - pos))
            eof = not data
            buf, pos = buf[pos:] + data, 0
            return not eof

        def skip_space() -> None:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf) or not more():
                    return

        skip_space()
        if buf[pos:pos + 1] != "[":
            raise InputError(f"JSON larger than {options.stream_bytes / MB:.0f} MB that is not an array of "
                             "records: write it as JSON Lines (one record a line) to have it read")
        pos += 1
        skip_space()
        if buf[pos:pos + 1] == "]":
            return
        while True:
            try:
                element, end = decoder.raw_decode(buf, pos)
                if end == len(buf) and not eof:
                    raise ValueError("maybe cut")     # a number or literal may go on
            except ValueError:
                if len(buf) - pos > limit:
                    raise InputError(f"a JSON record longer than {limit:,} characters "
                                     "(no report is that long)") from None
                if more():
                    continue
                raise InputError("malformed JSON (an array element is cut off or broken)") from None
            pos = end
            yield element
            skip_space()
            sep = buf[pos:pos + 1]
            pos += 1
            if sep == "]":
                return
            if sep != ",":
                raise InputError(f"malformed JSON (expected ',' or ']' between records, found {sep!r})")
            skip_space()


def _json_pieces(path: Path, enc: _Encoding, text_column: str | None, options: StreamOptions):
    """Records of a JSON array in pieces; a first pass checks the JSON is well formed
    and has records with text."""
    found = False
    for record in _json_array(path, enc, options):       # read to the end: all of it must be JSON
        found = found or _record_chunk(record, text_column) is not None
    if not found:
        raise InputError("no JSON record with a text field")
    rows = (c for r in _json_array(path, enc, options) if (c := _record_chunk(r, text_column)))
    for piece in _grouped(rows, options):
        yield piece, []
