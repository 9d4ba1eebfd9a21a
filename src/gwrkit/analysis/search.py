"""Full-text search over the paragraphs of every stored report.

Semantics: a term matches a paragraph when it is a substring of the paragraph's text
as stored (case-sensitive, no segmentation), whatever its length. The query language:

    营商环境                 one term (a run of non-space characters)
    "数字 经济"               a phrase: quoted text, spaces included ("…" or “…”)
    碳达峰 碳中和             both (AND is implied between terms)
    A AND B, A OR B, A NOT B  operators in capitals; NOT binds tightest, then AND, then OR
    (A OR B) NOT C            parentheses group

How it runs (the index is the FTS5 table ``paragraph_texts_fts``, trigram tokenizer,
built at ingest and kept in step when a file is replaced):
1. The query is parsed into a tree; a query with no positive term is refused.
2. A term of three or more characters is an FTS5 phrase of its trigrams, which is an
   exact substring test.
3. A term of one or two characters has no trigram of its own. Every indexed paragraph
   is padded with two U+0001, so each of its one- and two-character substrings starts
   some indexed trigram: the term's occurrences are the positions of the indexed
   trigrams that start with it (one range read of the index, again exact). A query
   with such a term is evaluated as sets of paragraphs combined by its operators.
4. Matches are ranked by BM25, filtered by government, province, level, plan years and
   the kind of part the paragraph is in, and each hit gets its span (the first
   occurrence of a term it matched) and a snippet with every occurrence marked.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from ..store.db import LAST_CHARACTER, SEARCH, Reader, and_clauses, report_filters, text_encoding

INSTANCES = "paragraph_texts_instances"   # fts5vocab 'instance' view of the index, per connection
SHORT_TERM = 3                 # terms shorter than a trigram are read from the trigrams they start
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 80


class QueryError(ValueError):
    """A query that cannot be read; the message says why."""


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class Op:
    op: str                    # AND | OR | NOT (binary: left NOT right)
    left: object
    right: object


_TOKEN = re.compile(r'\s*(?:"([^"]*)"|“([^”]*)”|(\()|(\))|([^\s()"“”]+))')


def _tokens(query: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    query = query.strip()
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            raise QueryError(f"unclosed quote in query: {query!r}")
        pos = m.end()
        phrase = m.group(1) if m.group(1) is not None else m.group(2)
        if phrase is not None:
            if phrase:
                out.append(("term", phrase))
        elif m.group(3):
            out.append(("(", "("))
        elif m.group(4):
            out.append((")", ")"))
        elif m.group(5) in ("AND", "OR", "NOT"):
            out.append(("op", m.group(5)))
        else:
            out.append(("term", m.group(5)))
    if not out:
        raise QueryError("empty query")
    return out


def parse_query(query: str):
    """The query as a tree of Term and Op (see the module docstring)."""
    tokens = _tokens(query)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else (None, None)

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def primary():
        kind, value = peek()
        if kind == "term":
            take()
            return Term(value)
        if kind == "(":
            take()
            node = disjunction()
            if peek()[0] != ")":
                raise QueryError(f"missing ')' in query: {query!r}")
            take()
            return node
        if kind == "op":
            raise QueryError(f"{value} needs a term before it, as in 'A {value} B': {query!r}")
        raise QueryError(f"query ends where a term was expected: {query!r}")

    def negation():
        node = primary()
        while peek() == ("op", "NOT"):
            take()
            node = Op("NOT", node, primary())
        return node

    def conjunction():
        node = negation()
        while True:
            kind, value = peek()
            if (kind, value) == ("op", "AND"):
                take()
            elif kind not in ("term", "("):
                return node
            node = Op("AND", node, negation())

    def disjunction():
        node = conjunction()
        while peek() == ("op", "OR"):
            take()
            node = Op("OR", node, conjunction())
        return node

    tree = disjunction()
    if pos != len(tokens):
        raise QueryError(f"unexpected {tokens[pos][1]!r} in query: {query!r}")
    return tree


def positive_terms(node) -> list[str]:
    """The terms a match contains (not those under NOT), in query order."""
    if isinstance(node, Term):
        return [node.text]
    if node.op == "NOT":
        return positive_terms(node.left)
    return positive_terms(node.left) + positive_terms(node.right)


def matches(node, text: str) -> bool:
    """Whether ``text`` satisfies the query tree (plain substring tests)."""
    if isinstance(node, Term):
        return node.text in text
    if node.op == "AND":
        return matches(node.left, text) and matches(node.right, text)
    if node.op == "OR":
        return matches(node.left, text) or matches(node.right, text)
    return matches(node.left, text) and not matches(node.right, text)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _short(node) -> bool:
    """Whether a tree holds a term shorter than a trigram."""
    if isinstance(node, Term):
        return len(node.text) < SHORT_TERM
    return _short(node.left) or _short(node.right)


def to_fts(node) -> str:
    """The FTS5 expression for a tree whose terms all have three or more characters."""
    if isinstance(node, Term):
        return _phrase(node.text)
    return f"({to_fts(node.left)} {node.op} {to_fts(node.right)})"


K1 = 1.2                       # BM25 saturation, as FTS5's bm25()
STARTS_WITH = "term >= ? AND term <= ?"     # indexed trigrams that start with a short term


def _starting_with(text: str, encoding: str = "UTF-8") -> tuple[str, str]:
    """The bounds of STARTS_WITH: every trigram that starts with ``text`` sorts between them
    in a store of that text encoding (in UTF-16 U+FFFF sorts last, U+10FFFF before ５％)."""
    return text, text + LAST_CHARACTER.get(encoding, "\U0010ffff") * 3


def _scored(node, conn, n_rows: int, encoding: str) -> dict[int, float]:
    """Paragraph rowid -> score (lower is better, as FTS5's rank) for a tree with short
    terms: each term's paragraphs as a set, combined by the operators. A long term is
    one FTS5 phrase query with its bm25(); a short one reads the positions of the
    indexed trigrams that start with it (its occurrences) and scores them as BM25
    without length normalisation."""
    if isinstance(node, Term):
        if len(node.text) >= SHORT_TERM:
            return dict(conn.execute(f"SELECT rowid, bm25({SEARCH}) FROM {SEARCH} WHERE {SEARCH} MATCH ?",
                                     (_phrase(node.text),)))
        tf = dict(conn.execute(f"SELECT doc, count(*) FROM temp.{INSTANCES} WHERE {STARTS_WITH} GROUP BY doc",
                               _starting_with(node.text, encoding)))
        idf = math.log((n_rows - len(tf) + 0.5) / (len(tf) + 0.5) + 1)
        return {row: -idf * n * (K1 + 1) / (n + K1) for row, n in tf.items()}
    left = _scored(node.left, conn, n_rows, encoding)
    right = _scored(node.right, conn, n_rows, encoding)
    if node.op == "NOT":
        return {k: v for k, v in left.items() if k not in right}
    if node.op == "AND":
        return {k: v + right[k] for k, v in left.items() if k in right}
    out = dict(left)
    for k, v in right.items():
        out[k] = out.get(k, 0.0) + v
    return out


def _matches_table(tree, conn) -> str:
    """A FROM clause giving (rowid, rank) of the matching paragraphs."""
    if not _short(tree):
        return f"(SELECT rowid, rank FROM {SEARCH} WHERE {SEARCH} MATCH ?)", [to_fts(tree)]
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{INSTANCES} USING fts5vocab(main, {SEARCH}, 'instance')")
    if isinstance(tree, Term):
        # one short term: its occurrences counted in SQL; more occurrences rank first
        # (BM25 of one term without length normalisation orders the same way)
        return (f"(SELECT doc AS rowid, -count(*) AS rank FROM temp.{INSTANCES} WHERE {STARTS_WITH}"
                f" GROUP BY doc)"), list(_starting_with(tree.text, text_encoding(conn)))
    n_rows = conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits (rowid INTEGER PRIMARY KEY, rank REAL)")
    conn.execute("DELETE FROM temp.hits")
    conn.executemany("INSERT INTO temp.hits VALUES (?,?)", _scored(tree, conn, n_rows, text_encoding(conn)).items())
    return "temp.hits", []


def _filters(region, province, level, year_from, year_to, section) -> tuple[str, list]:
    sql, args = report_filters(region, province, level, year_from, year_to)
    more, more_args = and_clauses((("p.kind = ?", section),))
    return sql + more, args + more_args


FILTERS = ("region", "province", "level", "year_from", "year_to", "section")


def search(db: str | os.PathLike, query: str, *, region: str | None = None, province: str | None = None,
           level: str | None = None, year_from: int | None = None, year_to: int | None = None,
           section: str | None = None, limit: int = 20, offset: int = 0,
           mark: tuple[str, str] = ("【", "】")) -> list[dict]:
    """Paragraphs that match ``query``, best first: one dict per paragraph with its report,
    government, plan year, file, the span of its first match (character offsets into the
    stored text), the paragraph's span, and a snippet with every match between ``mark``."""
    tree = parse_query(query)
    terms = positive_terms(tree)
    where, args = _filters(region, province, level, year_from, year_to, section)
    with Reader(db) as store:
        store.require_search_index()
        conn = store.conn
        source, source_args = _matches_table(tree, conn)
        sql = (f"SELECT p.id AS paragraph_id, p.report_id, p.idx AS paragraph, p.start AS paragraph_start,"
               f" p.end AS paragraph_end, p.kind AS section_kind, r.region, r.region_code, r.province, r.level,"
               f" r.plan_year, r.review_year, r.document_id, d.path, m.rank"
               f" FROM {source} m JOIN paragraphs p ON p.id = m.rowid JOIN reports r ON r.id = p.report_id"
               f" JOIN documents d ON d.id = r.document_id WHERE 1=1{where}"
               f" ORDER BY m.rank, p.id LIMIT ? OFFSET ?")
        rows = [dict(r) for r in conn.execute(sql, [*source_args, *args, limit, offset])]
        for row in rows:
            text = conn.execute("SELECT substr(text, ?, ?) FROM document_texts WHERE document_id=?",
                                (row["paragraph_start"] + 1, row["paragraph_end"] - row["paragraph_start"],
                                 row.pop("document_id"))).fetchone()[0]
            _add_span(row, text, terms, mark)
    return rows


def count(db: str | os.PathLike, query: str, **filters) -> int:
    """How many paragraphs match ``query`` with the same filters as :func:`search`."""
    tree = parse_query(query)
    where, args = _filters(*(filters.get(k) for k in FILTERS))
    with Reader(db) as store:
        store.require_search_index()
        source, source_args = _matches_table(tree, store.conn)
        return store.conn.execute(
            f"SELECT count(*) FROM {source} m JOIN paragraphs p ON p.id = m.rowid"
            f" JOIN reports r ON r.id = p.report_id WHERE 1=1{where}", [*source_args, *args]).fetchone()[0]


def occurrences(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of the terms in ``text``, longest first where two start together."""
    spans = []
    for term in sorted(set(terms), key=len, reverse=True):
        start = text.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = text.find(term, start + len(term))
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for a, b in spans:
        if not kept or a >= kept[-1][1]:
            kept.append((a, b))
    return kept


def _add_span(row: dict, text: str, terms: list[str], mark: tuple[str, str]) -> None:
    base = row["paragraph_start"]
    spans = occurrences(text, terms)
    first = spans[0] if spans else (0, 0)
    row["start"], row["end"] = base + first[0], base + first[1]
    row["spans"] = [(base + a, base + b) for a, b in spans]
    lo, hi = max(0, first[0] - SNIPPET_BEFORE), min(len(text), first[1] + SNIPPET_AFTER)
    out, pos = [], lo
    for a, b in spans:
        if a >= lo and b <= hi:
            out += [text[pos:a], mark[0], text[a:b], mark[1]]
            pos = b
    out.append(text[pos:hi])
    row["snippet"] = ("…" if lo > 0 else "") + "".join(out).replace("\n", " ") + ("…" if hi < len(text) else "")


def search_frame(db: str | os.PathLike, query: str, **kwargs):
    """:func:`search` as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(search(db, query, **kwargs))
