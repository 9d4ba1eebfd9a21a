-- gwrkit store, schema 1. Offsets are character offsets into document_texts.text.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT,
    size INTEGER NOT NULL,
    n_parts INTEGER NOT NULL,
    pipeline_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    -- a large file is read and stored in pieces, each a document of its own (path is
    -- then FILE#k): the file on disk, the piece's number from 1 (NULL for a file stored
    -- whole), the file's number of pieces (set once all are stored: NULL while a file is
    -- being stored piece by piece), and the character offset of the piece's text in the
    -- text of the whole file. The index on file is made by the store (it migrates older
    -- stores first).
    file TEXT,
    piece INTEGER,
    pieces INTEGER,
    file_offset INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);

CREATE TABLE IF NOT EXISTS document_texts (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS document_parts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX IF NOT EXISTS document_parts_document ON document_parts(document_id);

CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    body_start INTEGER NOT NULL,
    region TEXT,
    region_code TEXT,
    province TEXT,
    level TEXT,
    region_method TEXT,
    region_confidence REAL,
    delivered_on TEXT,
    congress_term INTEGER,
    congress_session INTEGER,
    speaker TEXT,
    title TEXT,
    title_year INTEGER,
    review_year INTEGER,
    plan_year INTEGER,
    partial INTEGER NOT NULL DEFAULT 0,
    partial_reasons TEXT NOT NULL DEFAULT '[]',
    begins_with TEXT,
    targets_absent TEXT,           -- why a report states no main targets, when it does not
    gaps TEXT NOT NULL DEFAULT '{}',            -- JSON {what: why} for what the report lacks
    targets_found_by TEXT NOT NULL DEFAULT '[]', -- JSON: how the main-targets statement was found
    date_source TEXT               -- where delivered_on was read: dateline | date line | publisher
);
CREATE INDEX IF NOT EXISTS reports_document ON reports(document_id);
CREATE INDEX IF NOT EXISTS reports_region ON reports(region_code, plan_year);

CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    parent_idx INTEGER,
    level INTEGER NOT NULL,
    style TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    start INTEGER NOT NULL,
    heading_end INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sections_report ON sections(report_id);

CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    section_idx INTEGER,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    kind TEXT                      -- the kind of the part it is in: review | targets | tasks | …
);
CREATE INDEX IF NOT EXISTS paragraphs_report ON paragraphs(report_id);

-- text that belongs to no report: site chrome, tables of contents, foreign articles
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    report_id INTEGER REFERENCES reports(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS segments_document ON segments(document_id);
-- deleting a report cascades to its segments: without this, every replacement scans them all
CREATE INDEX IF NOT EXISTS segments_report ON segments(report_id);

CREATE TABLE IF NOT EXISTS ingest_errors (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    attempted_at TEXT NOT NULL
);

-- every figure found: targets, results, multi-year figures, rankings, others.
-- headline = 1 for the plan year's main targets and the review year's headline results
CREATE TABLE IF NOT EXISTS figures (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    label TEXT,
    metric TEXT NOT NULL,
    value REAL,
    value_high REAL,
    unit TEXT,
    normalized_value REAL,
    modifier TEXT NOT NULL,
    stretch REAL,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    year INTEGER,
    estimated INTEGER NOT NULL DEFAULT 0,
    headline INTEGER NOT NULL DEFAULT 0,
    section_idx INTEGER,
    paragraph_idx INTEGER,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_report ON figures(report_id);
CREATE INDEX IF NOT EXISTS figures_indicator ON figures(indicator, kind, year);

-- full-text search over paragraphs, built on demand (`gwrkit index`, Store.build_search_index):
-- an FTS5 table ``paragraph_texts_fts`` (trigram tokenizer, case-sensitive) whose content
-- is this view: each paragraph's text as stored, padded with two U+0001 so that every
-- substring of one or two characters is the start of some indexed trigram, and queries of
-- any length are exact substring queries (see gwrkit.analysis.search). The text itself is
-- not stored twice. Once built, ingest keeps it in step (meta 'search_index').
CREATE VIEW IF NOT EXISTS paragraph_texts AS
    SELECT p.id AS id, r.document_id AS document_id,
           substr(t.text, p.start + 1, p.end - p.start) || char(1, 1) AS text
    FROM paragraphs p JOIN reports r ON r.id = p.report_id
    JOIN document_texts t ON t.document_id = r.document_id;
