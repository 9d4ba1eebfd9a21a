"""Two reports side by side: metadata, main targets, attention, sections, shared text.

Sections are matched by kind (review with review, tasks with tasks, …): each kind's
paragraphs are pooled per report and compared as sets of character n-grams (Jaccard,
whitespace removed). Paragraphs the two share are pairs whose n-gram Jaccard reaches
SHARED_PARAGRAPH; each pair keeps both spans.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..store.db import Reader
from .attention import attention

NGRAM = 4                      # characters per shingle
SHARED_PARAGRAPH = 0.5         # Jaccard at which two paragraphs count as shared
MIN_PARAGRAPH = 20             # shorter paragraphs (headings, 各位代表) are not compared
SPACE = re.compile(r"\s+")
METADATA = ("region", "region_code", "level", "province", "delivered_on", "congress_term", "congress_session",
            "speaker", "title", "review_year", "plan_year", "region_method", "path")


@dataclass
class Comparison:
    metadata: object            # DataFrames
    targets: object
    attention: object
    sections: object
    paragraphs: object

    PARTS = ("metadata", "targets", "attention", "sections", "paragraphs")

    def as_dict(self) -> dict:
        from ..export import records

        return {part: records(getattr(self, part)) for part in self.PARTS}


def shingles(text: str, n: int = NGRAM) -> set[str]:
    text = SPACE.sub("", text)
    return {text[i:i + n] for i in range(max(1, len(text) - n + 1))} if text else set()


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def compare(db: str | os.PathLike, a: int, b: int, *, topics=None) -> Comparison:
    """Compare reports ``a`` and ``b`` of the store ``db``."""
    import pandas as pd

    if a == b:
        raise LookupError(f"compare needs two different reports (got {a} twice)")
    with Reader(db) as store:
        conn = store.conn
        meta = {}
        for rid in (a, b):
            row = conn.execute("SELECT r.*, d.path FROM reports r JOIN documents d ON d.id = r.document_id"
                               " WHERE r.id = ?", (rid,)).fetchone()
            if row is None:
                raise LookupError(f"no report {rid} in {db}")
            meta[rid] = dict(row)
        paras = {rid: _paragraphs(store, rid) for rid in (a, b)}
        targets = {rid: _targets(conn, rid) for rid in (a, b)}
    # values as text: one column holds names, years and codes (Parquet wants one type)
    metadata = pd.DataFrame([{"field": f, "a": _text(meta[a].get(f)), "b": _text(meta[b].get(f)),
                              "same": meta[a].get(f) == meta[b].get(f)} for f in METADATA])
    return Comparison(metadata, _targets_side_by_side(targets[a], targets[b]),
                      _attention(db, a, b, topics), _sections(paras[a], paras[b]),
                      _shared(paras[a], paras[b]))


def _text(value) -> str | None:
    return None if value is None else str(value)


def _paragraphs(store: Reader, rid: int) -> list[dict]:
    conn = store.conn
    text = conn.execute("SELECT t.text FROM reports r JOIN document_texts t ON t.document_id = r.document_id"
                        " WHERE r.id = ?", (rid,)).fetchone()[0]
    return [{"idx": i, "kind": k or "other", "start": s, "end": e, "text": text[s:e]}
            for i, k, s, e in conn.execute(f"SELECT idx, {store.paragraph_kind('paragraphs')}, start, end"
                                           " FROM paragraphs WHERE report_id = ? ORDER BY idx", (rid,))]


def _targets(conn, rid: int) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for f in conn.execute("SELECT indicator, label, metric, value, value_high, unit, modifier, stretch, evidence"
                          " FROM figures WHERE report_id = ? AND kind = 'target' AND headline = 1 ORDER BY idx",
                          (rid,)):
        key = (f["indicator"] if f["indicator"] != "other" else f"other:{f['label']}", f["metric"])
        out.setdefault(key, dict(f))
    return out


def _targets_side_by_side(ta: dict, tb: dict):
    import pandas as pd

    rows = []
    for key in sorted(set(ta) | set(tb), key=lambda k: (k not in ta, k)):
        x, y = ta.get(key), tb.get(key)
        diff = None
        if x and y and x["value"] is not None and y["value"] is not None and x["unit"] == y["unit"]:
            diff = round(y["value"] - x["value"], 6)
        status = ("only a" if not y else "only b" if not x else
                  "same" if (x["value"], x["value_high"], x["modifier"]) == (y["value"], y["value_high"], y["modifier"])
                  else "different")
        rows.append({"indicator": key[0], "metric": key[1],
                     "a_value": x and x["value"], "a_high": x and x["value_high"], "a_modifier": x and x["modifier"],
                     "a_unit": x and x["unit"], "b_value": y and y["value"], "b_high": y and y["value_high"],
                     "b_modifier": y and y["modifier"], "b_unit": y and y["unit"], "difference": diff,
                     "status": status, "a_evidence": x and x["evidence"], "b_evidence": y and y["evidence"]})
    return pd.DataFrame(rows, columns=["indicator", "metric", "a_value", "a_high", "a_modifier", "a_unit", "b_value",
                                       "b_high", "b_modifier", "b_unit", "difference", "status", "a_evidence",
                                       "b_evidence"])


def _attention(db, a: int, b: int, topics):
    frame = attention(db, topics=topics, report_ids=[a, b])
    wide = frame.pivot(index="topic", columns="report_id", values="per_10k")
    out = wide.rename(columns={a: "a_per_10k", b: "b_per_10k"}).reset_index()
    out.columns.name = None
    counts = frame.pivot(index="topic", columns="report_id", values="count")
    out["a_count"] = out["topic"].map(counts[a])
    out["b_count"] = out["topic"].map(counts[b])
    out["difference"] = (out["b_per_10k"] - out["a_per_10k"]).round(3)
    return out.sort_values("difference", key=abs, ascending=False).reset_index(drop=True)


def _sections(pa: list[dict], pb: list[dict]):
    import pandas as pd

    def pooled(paras):
        out: dict[str, list[str]] = {}
        for p in paras:
            out.setdefault(p["kind"], []).append(p["text"])
        return {k: "".join(v) for k, v in out.items()}

    ka, kb = pooled(pa), pooled(pb)
    rows = []
    for kind in sorted(set(ka) | set(kb)):
        x, y = ka.get(kind, ""), kb.get(kind, "")
        rows.append({"kind": kind, "a_chars": len(SPACE.sub("", x)), "b_chars": len(SPACE.sub("", y)),
                     "similarity": round(jaccard(shingles(x), shingles(y)), 4) if x and y else None})
    return pd.DataFrame(rows, columns=["kind", "a_chars", "b_chars", "similarity"])


def _shared(pa: list[dict], pb: list[dict]):
    """Pairs of paragraphs that share most of their n-grams (an inverted index of
    shingles, so only pairs with a common shingle are scored)."""
    import pandas as pd

    sa = [(p, shingles(p["text"])) for p in pa if len(SPACE.sub("", p["text"])) >= MIN_PARAGRAPH]
    sb = [(p, shingles(p["text"])) for p in pb if len(SPACE.sub("", p["text"])) >= MIN_PARAGRAPH]
    index: dict[str, list[int]] = {}
    for j, (_p, sh) in enumerate(sb):
        for g in sh:
            index.setdefault(g, []).append(j)
    rows = []
    for p, sh in sa:
        common: dict[int, int] = {}
        for g in sh:
            for j in index.get(g, ()):
                common[j] = common.get(j, 0) + 1
        for j, n in common.items():
            q, sq = sb[j]
            sim = n / (len(sh) + len(sq) - n)
            if sim >= SHARED_PARAGRAPH:
                rows.append({"a_paragraph": p["idx"], "a_start": p["start"], "a_end": p["end"],
                             "b_paragraph": q["idx"], "b_start": q["start"], "b_end": q["end"],
                             "similarity": round(sim, 4), "a_text": p["text"][:60], "b_text": q["text"][:60]})
    rows.sort(key=lambda r: (-r["similarity"], r["a_paragraph"]))
    return pd.DataFrame(rows, columns=["a_paragraph", "a_start", "a_end", "b_paragraph", "b_start", "b_end",
                                       "similarity", "a_text", "b_text"])
