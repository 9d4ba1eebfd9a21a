"""SQLite store: one file, WAL, readable by Datasette and sqlite-utils.

A document is written in one transaction that first deletes its previous rows, so
a changed file replaces its rows atomically and a failure leaves the old rows as
they were. A large file read in pieces (ingest/pieces.py) is stored as one document
per piece, and replaced piece by piece, each piece atomically: its first piece deletes
every row the file had; the file counts as stored once all its pieces are.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..pipeline import PIPELINE_VERSION, ParsedDocument

SCHEMA_VERSION = "4"
# A new store keeps its text in UTF-16: report text is nearly all CJK, which takes 2 bytes
# there and 3 in UTF-8, and the texts are four fifths of a store (lawtext: 20% smaller in
# all, and no slower to write). SQLite converts at its interface, so readers (Datasette,
# sqlite-utils, Python) see the same strings; a store made as UTF-8 stays UTF-8. Big-endian,
# because SQLite compares text byte by byte: in UTF-16BE that is code-point order, as in
# UTF-8 and Python (ORDER BY region lists alike in either), except that a character beyond
# U+FFFF sorts before U+E000–U+FFFF; little-endian order would be no order at all.
NEW_STORE_ENCODING = "UTF-16be"
# the largest character in a store's text order, for "starts with" bounds
LAST_CHARACTER = {"UTF-8": "\U0010ffff", "UTF-16le": "\uffff", "UTF-16be": "\uffff"}

WRITE_WAIT_SECONDS = 120.0         # how long a writer waits for another one's batch
SEARCH = "paragraph_texts_fts"     # the full-text index of paragraphs, built on demand (schema.sql)
SEARCH_INDEX_VERSION = "trigram-1"  # meta 'search_index': the index exists and ingest keeps it in step
SEARCH_TABLE_SQL = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH} USING fts5(text, content='paragraph_texts',"
                    " content_rowid='id', tokenize='trigram case_sensitive 1')")
REPORT_COLUMNS = ("region", "region_code", "province", "level", "region_method", "region_confidence",
                  "delivered_on", "congress_term", "congress_session", "speaker", "title",
                  "title_year", "review_year", "plan_year", "date_source")


FIGURE_COLUMNS = ("idx, indicator, label, metric, value, value_high, unit, normalized_value, modifier, stretch,"
                  " kind, scope, year, estimated, headline, section_idx, paragraph_idx, start, end,"
                  " sentence_start, sentence_end, evidence")


def text_encoding(conn: sqlite3.Connection) -> str:
    """The store's text encoding: UTF-8 (stores made before UTF-16), UTF-16be or UTF-16le."""
    return conn.execute("PRAGMA encoding").fetchone()[0]


def path_key(path: str | os.PathLike) -> str:
    """How a file is named in the store: its absolute path with symbolic links resolved
    (a link loop is left as it is, never an error), and bytes that are not UTF-8 in a
    file name (a GBK name on a UTF-8 system) written as \\xNN, since SQLite stores UTF-8.
    (A name holding the text \\xff and one holding the byte 0xff are one key: escaping
    the text too would change the keys of stored files, and on Windows of every path.)"""
    real = os.path.realpath(path)
    return real.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class DocumentRecord:
    """Everything stored for one file, as plain data (cheap to send between processes).
    Offsets are in the original text."""
    path: str
    sha256: str
    format: str
    encoding: str | None
    size: int
    text: str
    parts: list[tuple] = field(default_factory=list)        # (idx, start, end, meta_json)
    reports: list[dict] = field(default_factory=list)       # with sections, paragraphs, excluded
    segments: list[tuple] = field(default_factory=list)     # (kind, reason, start, end)
    warnings: list[str] = field(default_factory=list)
    file: str = ""                  # the file on disk (= path, but for a piece: path is FILE#k)
    piece: int | None = None        # a piece's number from 1; None for a file read whole
    file_offset: int = 0            # where the piece's text starts in the whole file's text


def to_record(doc: ParsedDocument) -> DocumentRecord:
    src, span = doc.source, doc.norm.span_mapper()
    file = path_key(src.path)
    rec = DocumentRecord(piece_path(file, src.piece), src.sha256, src.format, src.encoding, src.size,
                         src.text, warnings=list(doc.warnings), file=file, piece=src.piece,
                         file_offset=src.file_offset)
    rec.parts = [(i, p.start, p.end, json.dumps(p.meta, ensure_ascii=False)) for i, p in enumerate(src.parts)]
    for r in doc.reports:
        md = r.metadata
        row = {c: getattr(md, c) for c in REPORT_COLUMNS}
        row.update(idx=r.index, start=r.start, end=r.end, body_start=r.body_start,
                   partial=int(r.is_partial), partial_reasons=json.dumps(r.partial, ensure_ascii=False),
                   begins_with=r.begins_with, targets_absent=r.targets_absent,
                   gaps=json.dumps(r.gaps, ensure_ascii=False),
                   targets_found_by=json.dumps(r.figures.targets_evidence, ensure_ascii=False))
        headline = {id(f) for f in r.figures.targets} | {id(f) for f in r.figures.actuals(md.review_year)}
        row["figures"] = []
        for i, f in enumerate(r.figures.figures):
            a, b = span(f.start, f.end)
            row["figures"].append((i, f.indicator, f.label, f.metric, f.value, f.value_high, f.unit, f.base_value,
                                   f.modifier, f.stretch, f.kind, f.scope, f.year, int(f.estimated),
                                   int(id(f) in headline), f.section, f.paragraph, a, b,
                                   *span(f.sentence_start, f.sentence_end), src.text[a:b]))
        row["sections"] = [(i, s.parent, s.level, s.style, s.kind, s.title,
                            *span(s.start, s.heading_end), span(s.start, s.end)[1])
                           for i, s in enumerate(r.outline.sections)]
        row["paragraphs"] = [(i, p.section, *span(p.start, p.end), r.outline.kind_of(p))
                             for i, p in enumerate(r.outline.paragraphs)]
        row["excluded"] = [(s.kind, s.reason, *span(s.start, s.end)) for s in r.excluded]
        rec.reports.append(row)
    rec.segments = [(s.kind, s.reason, *span(s.start, s.end)) for s in doc.segments]
    return rec


def piece_path(file: str, piece: int | None) -> str:
    """The stored path of a piece of a file (FILE#k), or of a file stored whole."""
    return file if piece is None else f"{file}#{piece}"


def and_clauses(conditions) -> tuple[str, list]:
    """' AND clause' for each (clause, value) whose value is given, and the values to
    bind (a tuple value binds each of its items)."""
    sql, args = "", []
    for clause, value in conditions:
        if value is not None:
            sql += f" AND {clause}"
            args += list(value) if isinstance(value, tuple) else [value]
    return sql, args


def report_filters(region: str | None = None, province: str | None = None, level: str | None = None,
                   year_from=None, year_to=None) -> tuple[str, list]:
    """The filters the analysis commands share, on reports aliased ``r``: government and
    province names containing the text, the level, and plan years (integers from a
    DataFrame bind as Python ints). An empty text is no filter."""
    return and_clauses((("r.region LIKE ?", f"%{region}%" if region else None),
                        ("r.province LIKE ?", f"%{province}%" if province else None), ("r.level = ?", level or None),
                        ("r.plan_year >= ?", None if year_from is None else int(year_from)),
                        ("r.plan_year <= ?", None if year_to is None else int(year_to))))


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (SQLite mode=ro): reading never writes, never takes the
    write lock, and never creates a database where there is none."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _whole(rows) -> bool:
    """Do a file's stored documents hold all of it? One document stored whole, or
    pieces 1..n of a file whose n is recorded (set once its last piece was stored)."""
    if len(rows) == 1 and rows[0]["piece"] is None:
        return True
    return sorted(r["piece"] or 0 for r in rows) == list(range(1, len(rows) + 1)) \
        and all(r["pieces"] == len(rows) for r in rows)


class StoreOutdated(ValueError):
    """A store written by an earlier gwrkit lacks what a command needs; the message says
    how to bring it up to date."""


class NoSearchIndex(StoreOutdated):
    """Searching needs the full-text index, which is built on demand (`gwrkit index`)."""


class Reader:
    """Read-only access to a store (the read paths: reports, figures, show): it never
    writes, never takes the write lock, so it reads while an ingest runs, and never
    creates a database where there is none."""

    def __init__(self, path: str | Path = "gwrkit.db"):
        self.path = str(path)
        self.conn = connect_readonly(path)
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "reports" not in tables:
            self.conn.close()
            raise ValueError(f"{path}: not a gwrkit database (it has no reports table)")

    def columns(self, table: str) -> set[str]:
        """The columns a table has (a store written by an earlier gwrkit lacks later ones)."""
        return {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}

    def paragraph_kind(self, alias: str = "p") -> str:
        """SQL for a paragraph's kind: NULL in a store from before kinds were stored."""
        return f"{alias}.kind" if "kind" in self.columns("paragraphs") else "NULL"

    def has_search_index(self) -> bool:
        """Is the full-text index built (and kept in step by ingest)?"""
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (SEARCH,)).fetchone():
            return False
        return self.conn.execute("SELECT 1 FROM meta WHERE key='search_index'").fetchone() is not None

    def require_search_index(self) -> None:
        if not self.has_search_index():
            raise NoSearchIndex(f"{self.path}: no search index yet; build it once with `gwrkit index --db {self.path}`"
                                " (ingest keeps it up to date after that)")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def reports(self, region: str | None = None, year: int | None = None,
                level: str | None = None) -> list[dict]:
        sql = ("SELECT r.id, r.region, r.level, r.province, r.region_code, r.review_year, r.plan_year,"
               " r.delivered_on, r.congress_term, r.congress_session, r.speaker, r.partial,"
               " r.region_method, r.region_confidence, d.path FROM reports r"
               " JOIN documents d ON d.id = r.document_id WHERE 1=1")
        args: list = []
        if region:
            sql += " AND (r.region LIKE ? OR r.province LIKE ?)"
            args += [f"%{region}%", f"%{region}%"]
        if year:
            sql += " AND (r.plan_year = ? OR r.review_year = ?)"
            args += [year, year]
        if level:
            sql += " AND r.level = ?"
            args.append(level)
        sql += " ORDER BY r.province, r.level, r.region, r.plan_year, r.id"
        return [dict(row) for row in self.conn.execute(sql, args)]

    def report(self, report_id: int) -> dict | None:
        row = self.conn.execute("SELECT r.*, d.path FROM reports r JOIN documents d ON d.id=r.document_id"
                                " WHERE r.id=?", (report_id,)).fetchone()
        if not row:
            return None
        out = dict(row)
        out["partial_reasons"] = json.loads(out["partial_reasons"])
        out["sections"] = [dict(s) for s in self.conn.execute(
            "SELECT idx, parent_idx, level, kind, title, start, end FROM sections WHERE report_id=?"
            " ORDER BY idx", (report_id,))]
        out["excluded"] = [dict(s) for s in self.conn.execute(
            "SELECT kind, reason, start, end FROM segments WHERE report_id=?", (report_id,))]
        out["n_paragraphs"] = self.conn.execute("SELECT count(*) FROM paragraphs WHERE report_id=?",
                                                (report_id,)).fetchone()[0]
        return out

    def figures(self, region: str | None = None, year: int | None = None, indicator: str | None = None,
                kind: str | None = None, headline: bool = False, level: str | None = None) -> list[dict]:
        sql = ("SELECT f.id, r.id AS report_id, r.region, r.province, r.level, f.indicator, f.label, f.metric,"
               " f.value, f.value_high, f.unit, f.normalized_value, f.modifier, f.stretch, f.kind, f.scope,"
               " f.year, f.estimated, f.headline, s.title AS section, f.paragraph_idx AS paragraph,"
               " f.start, f.end, f.evidence, d.path FROM figures f JOIN reports r ON r.id=f.report_id"
               " JOIN documents d ON d.id=r.document_id"
               " LEFT JOIN sections s ON s.report_id=f.report_id AND s.idx=f.section_idx WHERE 1=1")
        where, args = and_clauses((("(r.region LIKE ? OR r.province LIKE ?)", (f"%{region}%",) * 2 if region else None),
                                   ("f.year = ?", year or None), ("f.indicator = ?", indicator or None),
                                   ("f.kind = ?", kind or None), ("r.level = ?", level or None)))
        sql += where
        if headline:
            sql += " AND f.headline = 1"
        sql += " ORDER BY r.province, r.region, r.id, f.idx"
        return [dict(row) for row in self.conn.execute(sql, args)]

    def text(self, report_id: int, start: int, end: int) -> str:
        row = self.conn.execute("SELECT substr(t.text, ?, ?) FROM reports r JOIN document_texts t"
                                " ON t.document_id=r.document_id WHERE r.id=?",
                                (start + 1, end - start, report_id)).fetchone()
        return row[0] if row else ""

    def counts(self) -> dict:
        q = self.conn.execute
        return {"documents": q("SELECT count(*) FROM documents").fetchone()[0],
                "reports": q("SELECT count(*) FROM reports").fetchone()[0],
                "errors": q("SELECT count(*) FROM ingest_errors").fetchone()[0]}


class Store(Reader):
    """A store opened for writing (ingest): WAL, the schema created or brought up to date."""

    def __init__(self, path: str | Path = "gwrkit.db", version: str = PIPELINE_VERSION):
        """``version``: what new rows are read with (pipeline.analysis_version); a file
        stored with another is read again."""
        self.path = str(path)
        self.version = version
        # isolation_level=None: transactions are begun and committed explicitly below
        # another writer holds the lock for at most a batch (BATCH_SECONDS and one file):
        # wait for it rather than fail
        # check_same_thread off: ingest writes from a writer thread of its own (one
        # thread at a time uses the connection)
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=WRITE_WAIT_SECONDS,
                                    check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        # takes effect only on a database that has no tables yet, before anything else
        self.conn.execute(f"PRAGMA encoding='{NEW_STORE_ENCODING}'")
        self._wal()
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        schema = resources.files("gwrkit.store").joinpath("schema.sql").read_text(encoding="utf-8")
        self.conn.executescript(schema)
        self._migrate()
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        self.conn.commit()

    def _wal(self) -> None:
        """Switch to WAL. Two writers opening a new database at once both switch it, and
        the switch does not wait for the other's lock by itself: retry for a while."""
        import time

        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        """Bring a store written by an earlier gwrkit up to date (columns added since)."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(reports)")}
        for column, decl in (("targets_absent", "TEXT"), ("date_source", "TEXT"), ("gaps", "TEXT NOT NULL DEFAULT '{}'"),
                             ("targets_found_by", "TEXT NOT NULL DEFAULT '[]'")):
            if column not in columns:
                self.conn.execute(f"ALTER TABLE reports ADD COLUMN {column} {decl}")
        documents = self.columns("documents")
        for column, decl in (("file", "TEXT"), ("piece", "INTEGER"), ("pieces", "INTEGER"),
                             ("file_offset", "INTEGER NOT NULL DEFAULT 0")):
            if column not in documents:
                self.conn.execute(f"ALTER TABLE documents ADD COLUMN {column} {decl}")
        if "file" not in documents:          # every stored document was a file read whole
            self.conn.execute("UPDATE documents SET file = path")
        self.conn.execute("CREATE INDEX IF NOT EXISTS documents_file ON documents(file)")
        if "kind" not in self.columns("paragraphs"):
            self.conn.execute("ALTER TABLE paragraphs ADD COLUMN kind TEXT")
            # the stored files have no paragraph kinds: read them again on this ingest
            self.conn.execute("UPDATE documents SET pipeline_version = pipeline_version || '+without-kinds'")
        self.search_indexed = self.has_search_index()

    def close(self) -> None:
        self.commit()
        self.conn.close()

    def build_search_index(self, rebuild: bool = False) -> bool:
        """Build the full-text index of every stored paragraph in one transaction (again
        with ``rebuild``); from then on every document written is indexed with it, so an
        index that exists is in step and is left as it is. True if it was built. The
        index is built on demand because it costs more than the rest of ingest: about
        0.6 s of CPU per million characters, and as many bytes as the stored texts."""
        self.commit()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        if self.has_search_index() and not rebuild:
            c.execute("COMMIT")
            self.search_indexed = True
            return False
        try:
            c.execute(SEARCH_TABLE_SQL)
            c.execute(f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('delete-all')")
            for (doc_id,) in c.execute("SELECT id FROM documents").fetchall():
                self._index_paragraphs(doc_id)
            c.execute("INSERT OR REPLACE INTO meta VALUES ('search_index', ?)", (SEARCH_INDEX_VERSION,))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        self.search_indexed = True
        return True

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------
    def status(self, path: str, sha256: str) -> str:
        """'new', 'unchanged', 'changed' or 'duplicate' (same content under another path).
        A file stored in pieces is unchanged only when all its pieces are stored, read
        from the same content with the same version (an ingest stopped in the middle of
        a file leaves it changed, so it is read again)."""
        path = path_key(path)
        rows = self.conn.execute("SELECT sha256, pipeline_version, piece, pieces FROM documents WHERE file=?",
                                 (path,)).fetchall()
        if rows:
            same = all(r["sha256"] == sha256 and r["pipeline_version"] == self.version for r in rows)
            return "unchanged" if same and _whole(rows) else "changed"
        other = self.conn.execute("SELECT path FROM documents WHERE sha256=? AND pipeline_version=?"
                                  " AND (piece IS NULL OR pieces IS NOT NULL)",
                                  (sha256, self.version)).fetchone()
        return "duplicate" if other else "new"

    def stored_elsewhere(self, path: str, sha256: str) -> bool:
        """Is this content stored whole under another path (read with this version)?"""
        return self.conn.execute("SELECT 1 FROM documents WHERE sha256=? AND pipeline_version=? AND path<>?"
                                 " AND (piece IS NULL OR pieces IS NOT NULL)",
                                 (sha256, self.version, path_key(path))).fetchone() is not None

    def finish_file(self, file: str, pieces: int) -> None:
        """All ``pieces`` of a file read in pieces are stored: say so (status() then finds
        it unchanged), and forget an earlier failure to read it."""
        file = path_key(file)
        c = self.conn
        c.execute("SAVEPOINT finish_file")     # both or neither, even on a Ctrl-C between them
        try:
            c.execute("UPDATE documents SET pieces=? WHERE file=?", (pieces, file))
            c.execute("DELETE FROM ingest_errors WHERE path=?", (file,))
        except BaseException:
            c.execute("ROLLBACK TO SAVEPOINT finish_file")
            c.execute("RELEASE SAVEPOINT finish_file")
            raise
        c.execute("RELEASE SAVEPOINT finish_file")
        self.commit()

    def _delete_file(self, file: str, keep: str) -> None:
        """Delete every document of ``file`` but the one at path ``keep`` (which the write
        replaces itself): the other pieces of a file stored in pieces, or the whole
        file's row when it is now stored in pieces."""
        for (doc_id,) in self.conn.execute("SELECT id FROM documents WHERE file=? AND path<>?",
                                           (file, keep)).fetchall():
            self._delete_document(doc_id)

    # Writes are grouped into transactions of up to BATCH documents (or BATCH_SECONDS),
    # each document inside its own SAVEPOINT: a document's old rows go only if all its
    # new rows are written, and committing in batches keeps the writer off the CPU.
    BATCH = 64
    BATCH_SECONDS = 2.0
    _pending = 0
    _batch_started = 0.0

    def replace_document(self, rec: DocumentRecord) -> int:
        import time

        c = self.conn
        if not c.in_transaction:
            # IMMEDIATE: take the write lock now; a read-then-write transaction in WAL
            # fails at once, without waiting, when another writer committed in between
            c.execute("BEGIN IMMEDIATE")
            self._pending, self._batch_started = 0, time.monotonic()
            # read under the lock: another process may have built the index meanwhile
            self.search_indexed = self.has_search_index()
        c.execute("SAVEPOINT document")
        try:
            if rec.piece in (None, 1):       # a file's first (or only) document: its old rows go
                self._delete_file(rec.file or rec.path, rec.path)
            doc_id = self._write_document(rec)
        except BaseException:
            c.execute("ROLLBACK TO SAVEPOINT document")
            c.execute("RELEASE SAVEPOINT document")
            raise
        c.execute("RELEASE SAVEPOINT document")
        self._pending += 1
        if self._pending >= self.BATCH or time.monotonic() - self._batch_started > self.BATCH_SECONDS:
            self.commit()
        return doc_id

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.commit()
        self._pending = 0

    def _write_document(self, rec: DocumentRecord) -> int:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        c = self.conn
        old = c.execute("SELECT id FROM documents WHERE path=?", (rec.path,)).fetchone()
        if old:
            self._delete_document(old[0])
        cur = c.execute(
            "INSERT INTO documents (path, sha256, format, encoding, size, n_parts, pipeline_version,"
            " ingested_at, warnings, file, piece, file_offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (rec.path, rec.sha256, rec.format, rec.encoding, rec.size, len(rec.parts),
             self.version, now, json.dumps(rec.warnings, ensure_ascii=False), rec.file or rec.path,
             rec.piece, rec.file_offset))
        doc_id = cur.lastrowid
        c.execute("INSERT INTO document_texts VALUES (?,?)", (doc_id, rec.text))
        c.executemany("INSERT INTO document_parts (document_id, idx, start, end, meta) VALUES (?,?,?,?,?)",
                      [(doc_id, *p) for p in rec.parts])
        for r in rec.reports:
            cols = ("idx", "start", "end", "body_start", *REPORT_COLUMNS, "partial",
                    "partial_reasons", "begins_with", "targets_absent", "gaps", "targets_found_by")
            cur = c.execute(f"INSERT INTO reports (document_id, {', '.join(cols)}) VALUES "
                            f"({', '.join('?' * (len(cols) + 1))})", (doc_id, *(r[k] for k in cols)))
            rid = cur.lastrowid
            c.executemany("INSERT INTO sections (report_id, idx, parent_idx, level, style, kind, title,"
                          " start, heading_end, end) VALUES (?,?,?,?,?,?,?,?,?,?)",
                          [(rid, *s) for s in r["sections"]])
            c.executemany("INSERT INTO paragraphs (report_id, idx, section_idx, start, end, kind)"
                          " VALUES (?,?,?,?,?,?)", [(rid, *p) for p in r["paragraphs"]])
            c.executemany("INSERT INTO segments (document_id, report_id, kind, reason, start, end)"
                          " VALUES (?,?,?,?,?,?)", [(doc_id, rid, *s) for s in r["excluded"]])
            c.executemany(f"INSERT INTO figures (report_id, {FIGURE_COLUMNS}) VALUES "
                          f"({', '.join('?' * (FIGURE_COLUMNS.count(',') + 2))})",
                          [(rid, *f) for f in r["figures"]])
        c.executemany("INSERT INTO segments (document_id, kind, reason, start, end) VALUES (?,?,?,?,?)",
                      [(doc_id, *s) for s in rec.segments])
        if self.search_indexed:
            self._index_paragraphs(doc_id, text=rec.text)
        c.execute("DELETE FROM ingest_errors WHERE path=?", (rec.path,))
        return doc_id

    def _delete_document(self, doc_id: int) -> None:
        """Delete a document and its rows (and its paragraphs from the search index)."""
        if self.search_indexed:
            # the index needs the texts it holds to take them out: while they are there
            self._index_paragraphs(doc_id, "delete")
        self.conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))

    def _index_paragraphs(self, doc_id: int, command: str | None = None, text: str | None = None) -> None:
        """Add a document's paragraphs to the search index (or, with command 'delete',
        take them out), with the texts its content view gives (schema.sql). The texts
        are cut here from the document's text, read once: through the view, SQLite would
        count characters from the start of the text for every paragraph, which is
        quadratic in the size of a document (a compilation of hundreds of reports)."""
        c = self.conn
        if text is None:
            text = c.execute("SELECT text FROM document_texts WHERE document_id=?", (doc_id,)).fetchone()[0]
        rows = c.execute("SELECT p.id, p.start, p.end FROM paragraphs p JOIN reports r ON r.id = p.report_id"
                         " WHERE r.document_id=?", (doc_id,)).fetchall()
        pad = "\x01\x01"
        if command:
            c.executemany(f"INSERT INTO {SEARCH}({SEARCH}, rowid, text) VALUES (?, ?, ?)",
                          [(command, pid, text[a:b] + pad) for pid, a, b in rows])
        else:
            c.executemany(f"INSERT INTO {SEARCH}(rowid, text) VALUES (?, ?)",
                          [(pid, text[a:b] + pad) for pid, a, b in rows])

    def record_error(self, path: str, reason: str) -> None:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.conn.execute("INSERT OR REPLACE INTO ingest_errors VALUES (?,?,?)",
                          (path_key(path), reason, now))
