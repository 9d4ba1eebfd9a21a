"""Large files read in pieces (ingest/pieces.py): the same reports, metadata and figures
as reading them whole, bounded pieces, and a store that keeps a pieced file whole.

Every input is generated here, and the thresholds are set tiny so that small files are
read in many pieces."""
import csv
import hashlib
import io
import json
import sqlite3

import pytest

from gwrkit.api import ingest as run_ingest
from gwrkit.ingest.pieces import StreamOptions, file_sha256, read_pieces, streamed
from gwrkit.ingest.readers import InputError, read_document
from gwrkit.ingest.splitting import report_starts
from gwrkit.pipeline import parse_file, parse_pieces
from gwrkit.store.db import to_record
from tests.helpers import report_text

TINY = StreamOptions(stream_bytes=1000, piece_chars=1200, max_piece_chars=6000, read_chars=700)

PLACES = [("江门市", "市长", "市"), ("广东省", "省长", "省"), ("新会区", "区长", "区"), ("佛山市", "市长", "市"),
          ("湖南省", "省长", "省"), ("浏阳市", "市长", "市")]


def reports(n: int) -> list[str]:
    out = []
    for i in range(n):
        place, office, lvl = PLACES[i % len(PLACES)]
        year = 2010 + i
        out.append(report_text(place=place, office=office, lvl=lvl, review=year - 1, plan=year,
                               date=f"{year}年1月{10 + i % 15}日", speaker=["王小明", "李大华", "陈建国"][i % 3]))
    return out


def compilation(n: int = 16) -> str:
    """Reports as a compilation lays them out: front matter and a table of contents on
    top; between reports, a photo caption in a comment, page furniture, a blank line."""
    texts = reports(n)
    head = "---\ntitle: 政府工作报告汇编\nsource: https://example.org/huibian\n---\n\n目录\n" + \
        "\n".join(t.splitlines()[0] for t in texts[:4]) + "\n\n"
    body = []
    for i, t in enumerate(texts):
        extra = ""
        if i % 3 == 1:
            extra += f"<!-- 1月{10 + i}日，市长作政府工作报告。 -->\n"
        if i % 4 == 2:
            extra += "责任编辑：张三\n\n"
        body.append(extra + t)
    return head + "\n".join(body)


def comparable(doc, offset: int = 0) -> list[dict]:
    """What a reader sees of each report: metadata, span, figures (value and the text at
    their span), sections and paragraphs, in the whole file's offsets."""
    rec = to_record(doc)
    text = doc.source.text
    out = []
    for r in rec.reports:
        row = {k: v for k, v in r.items() if k not in ("idx", "start", "end", "body_start", "figures",
                                                          "sections", "paragraphs", "excluded")}
        row["span"] = (r["start"] + offset, r["end"] + offset)
        row["text"] = text[r["start"]:r["end"]]
        row["figures"] = [(f[1], f[3], f[4], f[5], f[10], f[11], f[17] + offset, f[18] + offset, f[-1],
                           text[f[17]:f[18]]) for f in r["figures"]]
        row["sections"] = [(s[5], s[6] + offset, s[8] + offset) for s in r["sections"]]
        row["paragraphs"] = [(p[2] + offset, p[3] + offset, p[4]) for p in r["paragraphs"]]
        out.append(row)
    return out


def whole_and_pieces(path, options=TINY, **kw):
    whole = comparable(parse_file(path, **kw))
    pieces, docs = [], []
    for doc in parse_pieces(path, options=options, **kw):
        pieces += comparable(doc, doc.source.file_offset)
        docs.append(doc.source)
    return whole, pieces, docs


def ingest(paths, db, **kw):
    """Ingest with the search index (so that its upkeep is checked too)."""
    return run_ingest(paths, db, search_index=True, **kw)


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# --- text ---------------------------------------------------------------------------

def test_a_compilation_in_pieces_gives_the_reports_of_the_whole(tmp_path):
    path = write(tmp_path, "huibian.md", compilation(16))
    whole, pieces, docs = whole_and_pieces(path)
    assert len(docs) >= 5                               # read in several pieces
    assert len(whole) == 16
    assert pieces == whole                              # metadata, spans, figures, outline
    assert all(r["figures"] for r in whole)
    # each report lies whole inside one piece, and pieces are at most max_piece_chars
    assert all(len(d.text) <= TINY.max_piece_chars for d in docs)
    assert not any(d.warnings for d in docs)


def test_pieces_tile_the_text_and_know_their_offsets(tmp_path):
    text = compilation(12)
    docs = list(read_pieces(write(tmp_path, "c.txt", text), options=TINY))
    assert "".join(d.text for d in docs) == text
    for d in docs:
        assert text[d.file_offset:d.file_offset + len(d.text)] == d.text
    assert [d.piece for d in docs] == list(range(1, len(docs) + 1))
    assert docs[0].other_pieces and docs[-1].other_pieces


def test_a_piece_is_cut_after_the_last_line_of_the_report_before(tmp_path):
    """The caption and furniture between two reports go with the report after them, as
    reading whole gives them (the caption names the speaker of the next report)."""
    text = compilation(8)
    docs = list(read_pieces(write(tmp_path, "c.txt", text), options=TINY))
    for d in docs[1:]:
        assert text[d.file_offset - 1] == "\n"
        previous = text[:d.file_offset].rstrip("\n").rsplit("\n", 1)[-1]
        assert previous.startswith("各位代表！让我们")      # the closing words of a report


def test_front_matter_is_read_once_and_its_hints_reach_every_piece(tmp_path):
    docs = list(read_pieces(write(tmp_path, "c.md", compilation(10)), options=TINY))
    assert docs[0].meta["source"] == "https://example.org/huibian"
    assert docs[0].hidden[0][2] == "front_matter"
    assert all(d.meta == docs[0].meta for d in docs)
    assert all(d.parts[0].meta.get("source") == "https://example.org/huibian" for d in docs)
    assert not any(kind == "front_matter" for d in docs[1:] for _, _, kind, _ in d.hidden)


def test_a_file_of_one_piece_is_read_as_whole(tmp_path):
    """A report alone in its file takes the publisher's title as a hint; in a file of one
    piece it still does."""
    text = "---\ntitle: 2026年江门市政府工作报告\n---\n" + report_text(title="")
    path = write(tmp_path, "one.md", text)
    big = StreamOptions(stream_bytes=10, piece_chars=10**6, max_piece_chars=10**7)
    docs = list(read_pieces(path, options=big))
    assert len(docs) == 1 and not docs[0].other_pieces
    whole, pieces, _ = whole_and_pieces(path, big)
    assert pieces == whole


def test_a_report_without_an_opening_is_cut_at_its_title(tmp_path):
    """Abridged reports (a title naming the government, then the body) begin a piece at
    their title."""
    body = "一、2025年工作回顾\n" + "全市地区生产总值增长5.2%，一般公共预算收入增长4.1%，城乡居民收入稳步提高。" * 12
    text = "\n".join(f"{2010 + i}年{p}政府工作报告\n{body}" for i, (p, _, _) in enumerate(PLACES * 2))
    path = write(tmp_path, "abridged.txt", text)
    whole, pieces, docs = whole_and_pieces(path)
    assert len(docs) > 2 and len(whole) == 12
    assert pieces == whole
    assert all(d.text.startswith(tuple(f"{2010 + i}年" for i in range(12))) for d in docs)


def test_no_report_start_within_the_cap_cuts_at_a_line_with_a_warning(tmp_path):
    text = "\n".join(f"第{i}段：推进产业转型，新增高新技术企业120家。" * 3 for i in range(400))
    docs = list(read_pieces(write(tmp_path, "plain.txt", text), options=TINY))
    assert len(docs) > 3
    assert "".join(d.text for d in docs) == text
    assert all(len(d.text) <= TINY.max_piece_chars for d in docs)
    assert all(d.text.startswith("第") for d in docs)                  # at a line
    assert "cut at a line" in docs[0].warnings[0]


def test_an_enormous_line_is_cut_at_a_sentence_end(tmp_path):
    sentence = "全年地区生产总值增长5.2%，一般公共预算收入增长4.1%。"
    text = sentence * 2000                                # one line, no newline
    docs = list(read_pieces(write(tmp_path, "line.txt", text), options=TINY))
    assert len(docs) > 5
    assert "".join(d.text for d in docs) == text
    assert all(len(d.text) <= TINY.max_piece_chars for d in docs)
    assert all(d.text.endswith("。") for d in docs)
    assert "cut at a sentence end" in docs[0].warnings[0]


def test_an_enormous_line_without_sentence_ends_is_cut_anywhere(tmp_path):
    text = "增长" * 20000
    docs = list(read_pieces(write(tmp_path, "line.txt", text), options=TINY))
    assert "".join(d.text for d in docs) == text
    assert all(len(d.text) <= TINY.max_piece_chars for d in docs)
    assert "mid-sentence" in docs[0].warnings[0]


def test_an_enormous_line_is_stored(tmp_path):
    text = report_text().replace("\n", "") * 80
    path = write(tmp_path, "line.txt", text)
    result = ingest([path], tmp_path / "db.sqlite", stream=TINY)
    assert result.ok and result.outcomes[0].status == "ingested"
    with sqlite3.connect(tmp_path / "db.sqlite") as c:
        n, chars = c.execute("SELECT count(*), sum(length(t.text)) FROM documents d"
                             " JOIN document_texts t ON t.document_id = d.id").fetchone()
    assert n > 5 and chars == len(text)
    assert any("cut at a sentence end" in w for w in result.outcomes[0].warnings)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_are_decoded_as_a_stream(tmp_path, encoding):
    text = compilation(6)
    path = write(tmp_path, "c.txt", text, encoding)
    docs = list(read_pieces(path, options=TINY))
    assert "".join(d.text for d in docs) == text
    assert docs[0].encoding == read_document(path).encoding


def test_utf16_without_a_byte_order_mark_is_read_as_a_stream(tmp_path):
    text = compilation(6)
    path = tmp_path / "u16.txt"
    path.write_bytes(text.encode("utf-16-le"))
    docs = list(read_pieces(path, options=TINY))
    assert len(docs) > 1 and "".join(d.text for d in docs) == text
    assert docs[0].encoding == read_document(path).encoding == "utf-16-le"


def test_lone_carriage_returns_end_lines(tmp_path):
    """Old Mac line ends: the pieces are still cut at lines where reports begin."""
    text = compilation(10).replace("\n", "\r")
    path = write(tmp_path, "mac.txt", text)
    docs = list(read_pieces(path, options=TINY))
    assert len(docs) > 3 and "".join(d.text for d in docs) == text
    assert not any(d.warnings for d in docs)
    whole, pieces, _ = whole_and_pieces(path)
    assert pieces == whole and len(whole) == 10


def test_a_file_cut_in_a_character_says_so(tmp_path):
    data = compilation(6).encode() + "增".encode()[:2]
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    docs = list(read_pieces(path, options=TINY))
    assert "".join(d.text for d in docs) == data[:-2].decode()
    assert "ends in the middle of a character" in docs[0].warnings[0]


def test_the_sha256_is_the_whole_files_read_a_block_at_a_time(tmp_path):
    path = write(tmp_path, "c.txt", compilation(6))
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert file_sha256(path) == expected
    assert {d.sha256 for d in read_pieces(path, options=TINY)} == {expected}


def test_report_starts_finds_the_header_and_the_end_of_the_report_before():
    lines = ["让我们团结奋斗，再创佳绩！", "责任编辑：张三", "", *report_text().splitlines()]
    (gap, first, evidence, body), = report_starts(lines)
    assert lines[gap] == "责任编辑：张三"            # page furniture goes with the next report
    assert lines[first].endswith("政府工作报告")
    assert lines[evidence].startswith("各位代表")
    assert lines[body] == lines[evidence]


# --- rows ---------------------------------------------------------------------------

def rows_csv(n: int = 18, delimiter: str = ",") -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(["region", "year", "title", "full_text"])
    for i, t in enumerate(reports(n)):
        w.writerow([PLACES[i % len(PLACES)][0], 2010 + i, t.splitlines()[0], t])
        if i == 3:
            w.writerow(["", "", "", ""])                         # a blank record
    return out.getvalue()


@pytest.mark.parametrize("name,delimiter", [("r.csv", ","), ("r.tsv", "\t")])
def test_csv_in_pieces_gives_the_rows_of_the_whole(tmp_path, name, delimiter):
    path = write(tmp_path, name, rows_csv(18, delimiter))
    whole, pieces, docs = whole_and_pieces(path)
    assert len(docs) > 3 and len(whole) == 18
    assert pieces == whole
    full = read_document(path)
    assert [p.meta for d in docs for p in d.parts] == [p.meta for p in full.parts]
    for d in docs:                                              # rows joined as parts are
        assert full.text[d.file_offset:d.file_offset + len(d.text)] == d.text


def test_csv_structure_is_checked_before_any_piece(tmp_path):
    text = rows_csv(10) + '甲,2020,"标题"多了,"正文",多余\n'
    with pytest.raises(InputError, match="broken CSV quoting: record"):
        next(read_pieces(write(tmp_path, "bad.csv", text), options=TINY))
    with pytest.raises(InputError, match="no text column"):
        next(read_pieces(write(tmp_path, "short.csv", "a,b\n" + "甲,乙\n" * 3000), options=TINY))


def test_csv_quoting_a_strict_reader_refuses_is_read_leniently_with_a_warning(tmp_path):
    text = rows_csv(10).replace('"', "", 2)        # a quote left open… as read_csv_rows sees it
    path = write(tmp_path, "q.csv", 'region,full_text\n甲,"标题"正文' + "。" * 50 + "\n" + text.split("\n", 1)[1])
    try:
        whole = read_document(path)
    except InputError as exc:
        with pytest.raises(InputError, match=str(exc)[:20]):
            next(read_pieces(path, options=TINY))
        return
    docs = list(read_pieces(path, options=TINY))
    assert [w for w in whole.warnings if "irregular" in w] == [w for w in docs[0].warnings if "irregular" in w]


def test_a_csv_field_longer_than_a_piece_is_refused(tmp_path):
    text = "region,full_text\n甲," + "长" * (TINY.max_piece_chars + 10) + "\n"
    with pytest.raises(InputError, match="CSV field longer than"):
        next(read_pieces(write(tmp_path, "long.csv", text), options=TINY))


def test_jsonl_in_pieces_gives_the_records_of_the_whole(tmp_path):
    lines = [json.dumps({"region": PLACES[i % 6][0], "text": t}, ensure_ascii=False) for i, t in enumerate(reports(14))]
    lines.insert(5, "{not json")
    path = write(tmp_path, "r.jsonl", "\n".join(lines) + "\n")
    whole, pieces, docs = whole_and_pieces(path)
    assert len(docs) > 3 and pieces == whole and len(whole) == 14
    assert docs[-1].warnings == ["1 malformed JSON line(s) skipped"]


def test_a_jsonl_record_longer_than_a_piece_is_skipped_and_counted(tmp_path):
    lines = [json.dumps({"text": t}, ensure_ascii=False) for t in reports(6)]
    lines.insert(2, json.dumps({"text": "长" * (TINY.max_piece_chars + 5)}, ensure_ascii=False))
    docs = list(read_pieces(write(tmp_path, "r.jsonl", "\n".join(lines)), options=TINY))
    assert sum(len(d.parts) for d in docs) == 6
    assert any("longer than" in w for w in docs[-1].warnings)


def test_a_json_array_in_pieces_gives_the_records_of_the_whole(tmp_path):
    records = [{"region": PLACES[i % 6][0], "year": 2010 + i, "text": t} for i, t in enumerate(reports(14))]
    path = write(tmp_path, "r.json", json.dumps(records, ensure_ascii=False, indent=1))
    whole, pieces, docs = whole_and_pieces(path)
    assert len(docs) > 3 and pieces == whole and len(whole) == 14


def test_broken_or_non_array_json_is_refused_before_any_piece(tmp_path):
    records = [{"text": t} for t in reports(8)]
    broken = json.dumps(records, ensure_ascii=False)[:-40]
    with pytest.raises(InputError, match="malformed JSON"):
        next(read_pieces(write(tmp_path, "b.json", broken), options=TINY))
    obj = json.dumps({"reports": records}, ensure_ascii=False)
    with pytest.raises(InputError, match="not an array of records: write it as JSON Lines"):
        next(read_pieces(write(tmp_path, "o.json", obj), options=TINY))
    with pytest.raises(InputError, match="no JSON record with a text field"):
        next(read_pieces(write(tmp_path, "n.json", json.dumps([{"n": i} for i in range(400)])), options=TINY))


def test_what_is_read_in_pieces(tmp_path):
    big = write(tmp_path, "c.txt", compilation(6))
    assert streamed(big, big.stat().st_size, TINY)
    assert not streamed(big, big.stat().st_size, StreamOptions())             # below 16 MB: whole
    html = write(tmp_path, "p.txt", "<html><body>" + compilation(6) + "</body></html>")
    assert not streamed(html, html.stat().st_size, TINY)                     # HTML cannot be
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    assert not streamed(pdf, pdf.stat().st_size, TINY)


# --- the store ----------------------------------------------------------------------

def documents(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT path, file, piece, pieces, file_offset FROM documents ORDER BY id").fetchall()


def report_rows(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT r.region, r.plan_year, d.file_offset + r.start, d.file_offset + r.end"
                         " FROM reports r JOIN documents d ON d.id = r.document_id ORDER BY 3").fetchall()


def search_ok(db):
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO paragraph_texts_fts(paragraph_texts_fts) VALUES ('integrity-check')")
        indexed = c.execute("SELECT count(*) FROM paragraph_texts_fts").fetchone()[0]
        return indexed == c.execute("SELECT count(*) FROM paragraphs").fetchone()[0]


def test_a_pieced_file_is_stored_one_document_a_piece(tmp_path):
    path = write(tmp_path, "c.txt", compilation(12))
    db = tmp_path / "db.sqlite"
    result = ingest([path], db, stream=TINY)
    assert result.ok and result.outcomes[0].status == "ingested" and result.outcomes[0].reports == 12
    docs = documents(db)
    file = str(path.resolve())
    assert [d[0] for d in docs] == [f"{file}#{k}" for k in range(1, len(docs) + 1)]
    assert {d[1] for d in docs} == {file} and {d[3] for d in docs} == {len(docs)}
    # the same reports, at the same offsets in the file, as a file stored whole
    whole_db = tmp_path / "whole.sqlite"
    ingest([path], whole_db)
    assert report_rows(db) == report_rows(whole_db)
    assert search_ok(db)


def test_an_unchanged_pieced_file_is_unchanged(tmp_path):
    path = write(tmp_path, "c.txt", compilation(12))
    db = tmp_path / "db.sqlite"
    ingest([path], db, stream=TINY)
    again = ingest([path], db, stream=TINY)
    assert again.outcomes[0].status == "unchanged"


def test_a_pieced_file_stopped_mid_way_is_read_again_without_duplicates(tmp_path):
    """An ingest killed after some pieces leaves the file incomplete: the next run reads
    it again and ends with each piece once."""
    path = write(tmp_path, "c.txt", compilation(12))
    db = tmp_path / "db.sqlite"
    ingest([path], db, stream=TINY)
    before, rows = documents(db), report_rows(db)
    with sqlite3.connect(db) as c:               # as if killed before the last pieces
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("DELETE FROM documents WHERE piece >= 3")
        c.execute("UPDATE documents SET pieces = NULL")
    again = ingest([path], db, stream=TINY)
    assert again.outcomes[0].status == "replaced"
    assert [d[:3] for d in documents(db)] == [d[:3] for d in before]
    assert report_rows(db) == rows
    assert search_ok(db)


def test_a_pieced_file_without_its_count_is_not_unchanged(tmp_path):
    path = write(tmp_path, "c.txt", compilation(12))
    db = tmp_path / "db.sqlite"
    ingest([path], db, stream=TINY)
    with sqlite3.connect(db) as c:               # killed after the last piece, before the count
        c.execute("UPDATE documents SET pieces = NULL")
    assert ingest([path], db, stream=TINY).outcomes[0].status == "replaced"


def test_a_changed_pieced_file_replaces_all_its_old_pieces(tmp_path):
    path = write(tmp_path, "c.txt", compilation(16))
    db = tmp_path / "db.sqlite"
    ingest([path], db, stream=TINY)
    assert len(documents(db)) > 4
    path.write_text(compilation(5), encoding="utf-8")          # fewer pieces now
    result = ingest([path], db, stream=TINY)
    assert result.outcomes[0].status == "replaced"
    fresh = tmp_path / "fresh.sqlite"
    ingest([path], fresh, stream=TINY)
    assert [d[0] for d in documents(db)] == [d[0] for d in documents(fresh)]
    assert report_rows(db) == report_rows(fresh)
    assert search_ok(db)


def test_a_file_that_grows_into_pieces_or_shrinks_out_of_them_keeps_one_copy(tmp_path):
    path = write(tmp_path, "c.txt", compilation(3))
    db = tmp_path / "db.sqlite"
    options = StreamOptions(stream_bytes=5000, piece_chars=1200, max_piece_chars=6000)
    ingest([path], db, stream=options)
    assert [d[2] for d in documents(db)] == [None]               # stored whole
    path.write_text(compilation(16), encoding="utf-8")
    ingest([path], db, stream=options)
    assert None not in [d[2] for d in documents(db)]             # in pieces, the whole row gone
    path.write_text(compilation(3), encoding="utf-8")
    ingest([path], db, stream=options)
    assert [d[0] for d in documents(db)] == [str(path.resolve())]
    assert len(report_rows(db)) == 3 and search_ok(db)


def test_a_pieced_file_that_cannot_be_read_keeps_its_old_rows(tmp_path):
    path = write(tmp_path, "r.csv", rows_csv(12))
    db = tmp_path / "db.sqlite"
    ingest([path], db, stream=TINY)
    before = documents(db)
    path.write_text(rows_csv(12) + '甲,2020,"标题"多了,"正文",多余\n', encoding="utf-8")
    result = ingest([path], db, stream=TINY)
    assert result.outcomes[0].status == "failed" and "broken CSV quoting" in result.outcomes[0].reason
    assert documents(db) == before


def test_an_old_store_is_migrated(tmp_path):
    """A store from before pieces: the columns are added, every stored document is its
    own file, and an unchanged file stays unchanged."""
    import re
    from importlib import resources

    from gwrkit.extract.lexicon import default_lexicon
    from gwrkit.pipeline import analysis_version

    schema = resources.files("gwrkit.store").joinpath("schema.sql").read_text(encoding="utf-8")
    old = re.sub(r"'\[\]',\n(?:\s*--[^\n]*\n)*\s*file TEXT,\n\s*piece INTEGER,\n\s*pieces INTEGER,\n"
                 r"\s*file_offset INTEGER NOT NULL DEFAULT 0", "'[]'", schema)
    assert "file_offset" not in old
    path = write(tmp_path, "one.txt", report_text())
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as c:
        c.executescript(old)
        c.execute("INSERT INTO meta VALUES ('schema_version', '3')")
        c.execute("INSERT INTO documents (path, sha256, format, size, n_parts, pipeline_version, ingested_at)"
                  " VALUES (?, ?, 'text', 1, 1, ?, 'then')",
                  (str(path.resolve()), file_sha256(path), analysis_version(default_lexicon())))
    assert run_ingest([path], db).outcomes[0].status == "unchanged"
    assert documents(db) == [(str(path.resolve()), str(path.resolve()), None, None, 0)]
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "4"
        assert c.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_file'").fetchone()


def test_workers_read_the_small_files_and_this_process_the_large_ones(tmp_path):
    (tmp_path / "in").mkdir()
    small = [write(tmp_path / "in", f"r{i}.txt", report_text(place=PLACES[i][0])) for i in range(3)]
    big = write(tmp_path / "in", "z.txt", compilation(10))
    options = StreamOptions(stream_bytes=2000, piece_chars=1200, max_piece_chars=6000)
    result = ingest([tmp_path / "in"], tmp_path / "db.sqlite", jobs=2, stream=options)
    assert [o.path for o in result.outcomes] == [str(p) for p in [*small, big]]
    assert [o.reports for o in result.outcomes] == [1, 1, 1, 10]
    assert sum(d[2] is not None for d in documents(tmp_path / "db.sqlite")) > 2


def test_a_copy_of_a_pieced_file_is_a_duplicate(tmp_path):
    (tmp_path / "in").mkdir()
    a = write(tmp_path / "in", "a.txt", compilation(10))
    b = write(tmp_path / "in", "b.txt", compilation(10))
    db = tmp_path / "db.sqlite"
    assert [o.status for o in ingest([a, b], db, stream=TINY).outcomes] == ["ingested", "duplicate"]
    assert [o.status for o in ingest([b], db, stream=TINY).outcomes] == ["duplicate"]
    with sqlite3.connect(db) as c:        # an incomplete copy is no original: b is read
        c.execute("UPDATE documents SET pieces = NULL")
    assert [o.status for o in ingest([b], db, stream=TINY).outcomes] == ["ingested"]


def test_a_store_that_fails_stops_the_ingest_not_just_the_file(tmp_path, monkeypatch):
    from gwrkit.store.db import Store

    def broken(self, rec):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(Store, "replace_document", broken)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        ingest([write(tmp_path, "c.txt", compilation(10))], tmp_path / "db.sqlite", stream=TINY)

