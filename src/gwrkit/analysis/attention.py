"""Attention indices: how much each report talks about each policy topic.

A count is a substring count, not a word count. Every term of every topic goes into one
Aho-Corasick matcher that takes non-overlapping, leftmost-longest matches, so a stretch
of text counts once, for the longest term that covers it (数字经济核心产业 is one hit, not
one for 数字经济 and another inside it), and rows with no topic (stop phrases such as
主题教育) keep their text from counting at all. Why not words (rjieba/jieba): a topic
term is often several words (碳达峰, 营商环境, 数字经济核心产业), and whether a segmenter
keeps it whole depends on its dictionary and model version; a substring count needs no
model, is the same on every machine, and every hit is a span that can be shown in its
context. Whitespace (line breaks of PDF text) is skipped, so a term broken across lines
still counts, and every hit's span maps back to the stored text.

Counts are taken over a report's paragraphs, per paragraph kind (review, targets,
tasks, livelihood, self_building, other), and normalised per 10,000 characters of the
same text (whitespace not counted).
"""
from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..store.db import Reader, report_filters

PER = 10_000
SPACE = re.compile(r"\s+")
KWIC_WIDTH = 20


@dataclass
class Topics:
    """Terms by topic; terms with topic '' are stop phrases (they count for none)."""
    terms: dict[str, str] = field(default_factory=dict)          # term -> topic
    _automaton: object = None

    @property
    def names(self) -> list[str]:
        return sorted({t for t in self.terms.values() if t})

    def add(self, topic: str, term: str) -> None:
        term, topic = term.strip(), topic.strip()
        if term:
            self.terms[term] = topic
            self._automaton = None

    def automaton(self):
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for term, topic in self.terms.items():
                auto.add_word(term, (term, topic))
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def hits(self, text: str):
        """(start, end, term, topic) of every counted hit in ``text`` (no whitespace)."""
        if not self.terms:
            return
        # every occurrence, then leftmost-longest without overlap (pyahocorasick's
        # iter_long skips a match that starts inside a longer one that failed:
        # with 碳 and 低碳城市, 推进低碳 gave nothing)
        found = sorted((end + 1 - len(term), -len(term), term, topic)
                       for end, (term, topic) in self.automaton().iter(text))
        pos = 0
        for start, neg, term, topic in found:
            if start >= pos:
                pos = start - neg
                if topic:
                    yield start, pos, term, topic


class TopicsError(ValueError):
    """A topics file that cannot be read; the message names it and says why."""


def _read_csv(text: str, name: str) -> list[tuple[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"topic", "term"} <= {f.strip() for f in reader.fieldnames}:
        raise TopicsError(f"{name}: a topics CSV needs the columns topic and term "
                          f"(it has {', '.join(reader.fieldnames or []) or 'none'})")
    return [((r.get("topic") or ""), (r.get("term") or "")) for r in reader]


def _read_yaml(text: str, name: str) -> list[tuple[str, str]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TopicsError(f"{name}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if isinstance(data, dict):
        pairs = []
        for topic, terms in data.items():
            if not isinstance(terms, list):
                raise TopicsError(f"{name}: topic {topic!r} must map to a list of terms")
            pairs += [(str(topic), str(t)) for t in terms]
        return pairs
    if isinstance(data, list) and all(isinstance(r, dict) for r in data):
        return [(str(r.get("topic", "")), str(r.get("term", ""))) for r in data]
    raise TopicsError(f"{name}: expected a mapping of topic to terms, or a list of {{topic, term}}")


def load_topics(path: str | os.PathLike | None = None, *, replace: bool = False) -> Topics:
    """The package topics, with a user's CSV (topic, term) or YAML ({topic: [terms]})
    added; ``replace``: use only the user's file."""
    topics = Topics()
    if not (replace and path):
        for topic, term in _package_rows():
            topics.add(topic, term)
    if path:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TopicsError(f"{path}: cannot read ({exc})") from None
        rows = _read_yaml(text, str(path)) if path.suffix.lower() in (".yaml", ".yml") else _read_csv(text, str(path))
        for topic, term in rows:
            topics.add(topic, term)
    return topics


@lru_cache(maxsize=1)
def _package_rows() -> tuple:
    text = resources.files("gwrkit.data").joinpath("topics.csv").read_text(encoding="utf-8")
    return tuple(_read_csv(text, "topics.csv"))


def _resolve(topics) -> Topics:
    return topics if isinstance(topics, Topics) else load_topics(topics)


def _reports(conn, region, level, province, year_from, year_to, report_ids=None) -> list[dict]:
    sql = ("SELECT r.id AS report_id, r.document_id, r.region, r.region_code, r.level, r.province, r.plan_year"
           " FROM reports r WHERE 1=1")
    args: list = []
    if report_ids is not None:
        ids = [int(i) for i in report_ids]
        sql += f" AND r.id IN ({','.join('?' * len(ids))})"
        args += ids
    where, more = report_filters(region, province, level, year_from, year_to)
    sql, args = sql + where, args + more
    return [dict(r) for r in conn.execute(sql + " ORDER BY r.document_id, r.id", args)]


def _paragraph_texts(store: Reader, reports: list[dict]):
    """(report, [(kind, start, text)]) for each report, one document text in memory at a time."""
    conn, kind = store.conn, store.paragraph_kind("paragraphs")
    doc_id, doc_text = None, ""
    for rep in reports:
        if rep["document_id"] != doc_id:
            doc_id = rep["document_id"]
            doc_text = conn.execute("SELECT text FROM document_texts WHERE document_id=?", (doc_id,)).fetchone()[0]
        paras = conn.execute(f"SELECT {kind}, start, end FROM paragraphs WHERE report_id=? ORDER BY idx",
                             (rep["report_id"],)).fetchall()
        yield rep, [(k or "other", a, doc_text[a:b]) for k, a, b in paras]


def _compact(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and each kept character's offset in ``text``."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def attention(db: str | os.PathLike, *, topics=None, topic: str | list[str] | None = None,
              by_section: bool = False, region: str | None = None, level: str | None = None,
              province: str | None = None, year_from: int | None = None, year_to: int | None = None,
              report_ids: list[int] | None = None):
    """Topic counts per report (and per paragraph kind with ``by_section``): columns
    report_id, region, region_code, level, province, plan_year, [section_kind,] topic,
    count, chars, per_10k. ``topics``: a Topics, or a user's CSV/YAML added to the
    package dictionaries. Every topic gets a row, zero counts included."""
    import pandas as pd

    lex = _resolve(topics)
    wanted = _wanted(lex, topic)
    rows = []
    with Reader(db) as store:
        for rep, paras in _paragraph_texts(store, _reports(store.conn, region, level, province,
                                                                 year_from, year_to, report_ids)):
            counts: dict[tuple, int] = defaultdict(int)
            chars: dict[str, int] = defaultdict(int)
            for kind, _start, text in paras:
                compact = SPACE.sub("", text)
                key = kind if by_section else ""
                chars[key] += len(compact)
                for _a, _b, _term, name in lex.hits(compact):
                    counts[(key, name)] += 1
            base = {k: rep[k] for k in ("report_id", "region", "region_code", "level", "province", "plan_year")}
            for key in sorted(chars) if by_section else [""]:
                for name in wanted:
                    n, size = counts.get((key, name), 0), chars.get(key, 0)
                    row = dict(base, topic=name, count=n, chars=size, per_10k=round(PER * n / size, 3) if size else None)
                    if by_section:
                        row["section_kind"] = key
                    rows.append(row)
    columns = ["report_id", "region", "region_code", "level", "province", "plan_year"] + \
              (["section_kind"] if by_section else []) + ["topic", "count", "chars", "per_10k"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["plan_year"] = frame["plan_year"].astype("Int64")
    return frame


def _wanted(lex: Topics, topic) -> list[str]:
    if topic is None:
        return lex.names
    names = [topic] if isinstance(topic, str) else list(topic)
    unknown = [t for t in names if t not in lex.names]
    if unknown:
        raise TopicsError(f"unknown topic {', '.join(unknown)} (topics: {', '.join(lex.names)})")
    return names


GROUPS = ("year", "level", "province", "region", "section_kind")


def trend(counts, by: list[str]):
    """Counts summed by ``by`` (year, level, province, region, section_kind) and topic:
    reports, count, chars, per_10k (pooled: all hits over all characters)."""
    bad = [b for b in by if b not in GROUPS]
    if bad:
        raise TopicsError(f"cannot group by {', '.join(bad)} (choose from {', '.join(GROUPS)})")
    frame = counts.rename(columns={"plan_year": "year"})
    keys = list(by) + ["topic"]
    out = frame.groupby(keys, dropna=False).agg(reports=("report_id", "nunique"), count=("count", "sum"),
                                                 chars=("chars", "sum")).reset_index()
    out["per_10k"] = (PER * out["count"] / out["chars"].where(out["chars"] > 0)).round(3)
    return out


def kwic(db: str | os.PathLike, *, topics=None, topic: str | None = None, term: str | None = None,
         width: int = KWIC_WIDTH, limit: int = 100, region: str | None = None, level: str | None = None,
         province: str | None = None, year_from: int | None = None, year_to: int | None = None):
    """Keyword-in-context lines for a topic's hits (or one term's): report, region, plan
    year, section kind, term, its span in the stored text, and ``width`` characters
    either side."""
    import pandas as pd

    lex = _resolve(topics)
    if topic is not None:
        _wanted(lex, topic)
    rows = []
    with Reader(db) as store:
        for rep, paras in _paragraph_texts(store, _reports(store.conn, region, level, province,
                                                                 year_from, year_to)):
            for kind, start, text in paras:
                compact, where = _compact(text)
                for a, b, found, name in lex.hits(compact):
                    if (topic and name != topic) or (term and found != term):
                        continue
                    s, e = where[a], where[b - 1] + 1
                    rows.append({"report_id": rep["report_id"], "region": rep["region"],
                                 "plan_year": rep["plan_year"], "section_kind": kind, "topic": name,
                                 "term": found, "start": start + s, "end": start + e,
                                 "left": text[max(0, s - width):s].replace("\n", " "),
                                 "match": text[s:e], "right": text[e:e + width].replace("\n", " ")})
                    if len(rows) >= limit:
                        return pd.DataFrame(rows)
    return pd.DataFrame(rows, columns=["report_id", "region", "plan_year", "section_kind", "topic", "term",
                                       "start", "end", "left", "match", "right"])
