r"""Text reuse: near-duplicate paragraphs between stored reports, of different governments
and of one government across years, found with MinHash LSH on character n-grams (never
a loop over all pairs of paragraphs). The database is opened read-only.

The cascade, each step run on fewer items than the one before:

1. Normalise. A paragraph's text (``text[start:end]`` of its document) is NFKC-folded,
   lower-cased and stripped of whitespace, punctuation and symbols (regex ``[\W_]``):
   reuse survives changed punctuation, full-width digits and line breaks. Paragraphs of
   fewer than ``min_chars`` (40) normalised characters are ignored (headings, 各位代表).
2. Exact duplicates. Paragraphs with the same normalised text are one *node* (a 64-bit
   hash of the text), so text repeated in many reports is sketched and compared once.
3. Sketch. A node's set of character ``ngram``-grams (5) is summarised by a datasketch
   MinHash of ``num_perm`` (128) permutations. Five characters are about two words: a
   shared 5-gram is rarely chance, unlike the 2- or 3-grams every report shares
   (发展, 高质量), while a single edited character still leaves most 5-grams intact.
4. Candidates. datasketch's MinHashLSH bands the signatures for a Jaccard ``threshold``
   (0.3, giving 37 bands of 3 rows); nodes sharing a bucket in any band are candidates.
   The threshold is low because an edit breaks up to ``ngram`` n-grams: a copy with 8%
   of its characters edited keeps a 5-gram Jaccard of about 0.5, which a 0.7 index
   (14 bands of 9) finds 3% of the time and this one 99%. Bands are independent, so
   they are indexed a few at a time (``lsh_entries`` node-bands per index, each index
   storing a lone key per bucket without a set) in ``jobs`` processes, which bounds
   memory. A bucket of more than ``max_reports`` nodes (formula text in many variants)
   pairs its members with one of them only, so it never goes quadratic.
5. Estimate. Candidates whose signatures agree on fewer than ``threshold / 2`` of the
   permutations collided by chance (five standard errors away) and are dropped.
6. Verify. The rest are compared exactly. ``similarity`` = the share of the two
   paragraphs' normalised characters that lie inside an n-gram found in the other one
   (a Dice coefficient over covered characters; it tracks difflib's ratio, but is
   indifferent to order: two paragraphs with their sentences swapped score high).
   Pairs under ``min_similarity`` (0.8) are dropped; ``shared_chars`` is the smaller of
   the two covered counts.
7. Families. Verified pairs and exact duplicates join nodes into families (connected
   components). A family found in more than ``max_reports`` (50) reports is formula
   text (the opening 现在我代表市人民政府..., central slogans): it counts towards each
   report's reused characters and is listed in ``common``, but it is not expanded into
   pairs, which would be quadratic in the number of reports sharing it.
8. Pairs. In the other families every verified node pair (and exact duplicate) gives the
   pairs of its paragraphs in different reports that ``scope`` keeps: ``governments``
   (different governments, by region_code), ``years`` (one government, different plan
   years) or ``all`` (both; ``relation`` says which). Two reports of one government and
   plan year (a report stored twice, or in parts) are never a pair. The paragraph pairs
   are summed per report pair and per report.

Time order ("which came first"): delivered_on when both reports have it, else plan_year,
else unknown. In a formula family, "earlier" is judged against the family's earliest
reports (by plan year, then date), not every member.

Memory: texts are read one document at a time; signatures (512 bytes a paragraph) and
normalised code points (4 bytes a character) go to a temporary folder and are read back
through memory maps. The main process keeps about 50 bytes a paragraph and 25 a
candidate pair; an LSH index holds max(``lsh_entries``, 2 bands x nodes) keys.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import combinations

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from datasketch.storage import OrderedStorage, UnorderedStorage

from ..store.db import Reader, connect_readonly

SCOPES = ("all", "governments", "years")
SEED = 1                       # MinHash permutations: fixed, so runs are repeatable
SCHEME = "affine32"            # datasketch's default scheme: 32-bit values, one uint32 each
_DROP = re.compile(r"[\W_]+")
_PRIME = np.uint64(0x100000001B3)   # FNV prime: spreads the code points over 64 bits

PAIR_COLUMNS = ["report_a", "report_b", "relation", "region_a", "region_b", "year_a", "year_b",
                "similarity", "shared_chars", "share_a", "share_b", "paragraphs", "direction",
                "earlier", "later"]
PARAGRAPH_COLUMNS = ["report_a", "paragraph_a", "start_a", "end_a", "report_b", "paragraph_b", "start_b",
                     "end_b", "relation", "similarity", "shared_chars"]
REPORT_COLUMNS = ["report_id", "region", "plan_year", "delivered_on", "chars", "reused_chars", "reused_share",
                  "first_elsewhere_chars", "first_elsewhere_share", "common_chars", "partners"]
COMMON_COLUMNS = ["family", "reports", "governments", "paragraphs", "first_report", "first_region",
                  "first_year", "text"]


@dataclass
class ReuseOptions:
    """The thresholds of the cascade (see the module docstring for each step)."""
    ngram: int = 5              # character n-gram size: ~2 words, distinctive yet robust to one edit
    num_perm: int = 128         # MinHash permutations (more: finer estimates, slower)
    threshold: float = 0.3      # LSH Jaccard threshold on n-gram sets (candidates only; then verify)
    min_chars: int = 40         # paragraphs with fewer normalised characters are ignored
    scope: str = "all"          # all | governments (different governments) | years (one government)
    min_similarity: float = 0.8  # verified similarity (covered-character Dice) a pair needs
    max_reports: int = 50       # a family in more reports is formula text: counted, not paired
    jobs: int = 1               # processes for sketching and indexing
    lsh_entries: int = 4_000_000  # node-bands per LSH index (~80 bytes each): bounds memory

    def check(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {self.scope!r}")
        if not 0 < self.threshold < 1 or not 0 < self.min_similarity <= 1:
            raise ValueError("threshold must be in (0, 1) and min_similarity in (0, 1]")
        if self.ngram < 1 or self.num_perm < 2 or self.max_reports < 2 or self.jobs < 1:
            raise ValueError("ngram, jobs must be >= 1; num_perm, max_reports >= 2")


@dataclass
class ReuseResult:
    """What ``reuse`` found (characters are of ``document_texts.text`` unless "normalised").

    paragraph_pairs: report_a, paragraph_a (paragraphs.idx), start_a, end_a, the same for b,
        relation, similarity (verified: covered-character Dice of the normalised texts; 1.0
        when identical), shared_chars (normalised characters inside shared n-grams, the
        smaller side).
    pairs: one row per report pair, by shared_chars descending. report_a is the earlier
        report when the order is known (direction "a->b", earlier, later), else the lower
        id (direction "same time" or "unknown"). share_a: characters of a's paragraphs
        matched in b / characters of a's paragraphs; similarity: matched characters of both
        / characters of both; shared_chars: the smaller side's sum over its matched
        paragraphs of their best match's shared_chars; paragraphs: paragraph pairs.
    reports: one row per report with reuse: chars (of its paragraphs), reused_chars (of
        its paragraphs matching one of another report, in scope, formula families
        included), first_elsewhere_chars (of those matching one of an earlier report),
        common_chars (of those in formula families), partners (reports in pairs with it).
    common: formula families (step 7): reports, governments, paragraphs, the first report
        and the start of its paragraph.
    """
    paragraph_pairs: list[dict] = field(default_factory=list)   # one row per matched paragraph pair
    pairs: list[dict] = field(default_factory=list)             # one row per pair of reports
    reports: list[dict] = field(default_factory=list)           # one row per report with any reuse
    common: list[dict] = field(default_factory=list)            # formula families, not paired
    options: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)                   # counts and seconds per step

    def pairs_frame(self):
        import pandas as pd

        from ..export import whole_numbers
        return whole_numbers(pd.DataFrame(self.pairs, columns=PAIR_COLUMNS), ["year_a", "year_b", "earlier", "later"])

    def paragraphs_frame(self):
        import pandas as pd
        return pd.DataFrame(self.paragraph_pairs, columns=PARAGRAPH_COLUMNS)

    def reports_frame(self):
        import pandas as pd

        from ..export import whole_numbers
        return whole_numbers(pd.DataFrame(self.reports, columns=REPORT_COLUMNS), ["plan_year"])

    def common_frame(self):
        import pandas as pd
        return pd.DataFrame(self.common, columns=COMMON_COLUMNS)


def normalize(text: str) -> str:
    """What is compared: NFKC, lower case, no whitespace, punctuation or symbols."""
    # dropping first makes NFKC's work smaller; dropping again catches what NFKC made punctuation
    return _DROP.sub("", unicodedata.normalize("NFKC", _DROP.sub("", text))).lower()


def ngram_hashes(norm: str | np.ndarray, n: int) -> np.ndarray:
    """32-bit hashes of the character n-grams of ``norm`` (text or its code points), in order."""
    c = _codes(norm) if isinstance(norm, str) else norm
    c = c.astype(np.uint64)
    w = len(c) - n + 1
    if w <= 0:
        return np.zeros(0, dtype=np.uint32)
    h = c[:w].copy()
    for k in range(1, n):
        h = h * _PRIME + c[k:k + w]
    return (h ^ (h >> np.uint64(32))).astype(np.uint32)


def _codes(norm: str) -> np.ndarray:
    return np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)


def _identity(x):
    return x


def _digest(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "little", signed=True)


ROW = ("report", "idx", "start", "end", "nchars", "digest")   # columns of the paragraph rows
R_REPORT, R_IDX, R_START, R_END, R_NCHARS, R_DIGEST = range(6)


def _sketch_documents(db: str, doc_ids: list[int], opt: ReuseOptions):
    """Worker: rows, MinHash signatures and normalised code points of the long-enough
    paragraphs of some documents, reading one document's text at a time."""
    conn = connect_readonly(db)
    rows, grams, codes = [], [], []
    shortest = max(opt.min_chars, opt.ngram)
    try:
        for doc in doc_ids:
            text = conn.execute("SELECT text FROM document_texts WHERE document_id=?", (doc,)).fetchone()
            if text is None:
                continue
            text = text[0]
            for rid, idx, s, e in conn.execute(
                    "SELECT p.report_id, p.idx, p.start, p.end FROM paragraphs p JOIN reports r"
                    " ON r.id = p.report_id WHERE r.document_id=? ORDER BY p.report_id, p.idx", (doc,)):
                norm = normalize(text[s:e])
                if len(norm) < shortest:
                    continue
                rows.append((rid, idx, s, e, len(norm), _digest(norm)))
                codes.append(_codes(norm))
                grams.append(ngram_hashes(codes[-1], opt.ngram).tolist())
    finally:
        conn.close()
    sigs = [m.hashvalues for m in MinHash.generator(grams, num_perm=opt.num_perm, seed=SEED,
                                                    hashfunc=_identity, scheme=SCHEME)]
    return (np.array(rows, dtype=np.int64).reshape(-1, len(ROW)),
            np.array(sigs, dtype=np.uint32).reshape(-1, opt.num_perm),
            np.concatenate(codes) if codes else np.zeros(0, dtype=np.uint32))


class _Buckets(UnorderedStorage):
    """A datasketch storage for one band's buckets that keeps a lone key as itself rather
    than in a set (most buckets hold one paragraph): 80 bytes a key instead of 330."""

    def __init__(self):
        self._d: dict = {}

    def keys(self):
        return self._d.keys()

    def get(self, key):
        v = self._d.get(key)
        return set() if v is None else v if isinstance(v, set) else {v}

    def insert(self, key, *vals, **kwargs):
        v = self._d.get(key)
        if v is None and len(vals) == 1:
            self._d[key] = vals[0]
            return
        if not isinstance(v, set):
            v = self._d[key] = set() if v is None else {v}
        v.update(vals)

    def remove(self, *keys, **kwargs):
        for key in keys:
            self._d.pop(key, None)

    def remove_val(self, key, val, **kwargs):
        v = self._d.get(key)
        if isinstance(v, set):
            v.discard(val)
        elif v == val:
            del self._d[key]

    def size(self) -> int:
        return len(self._d)

    def itemcounts(self, **kwargs) -> dict:
        return {k: len(v) if isinstance(v, set) else 1 for k, v in self._d.items()}

    def has_key(self, key):
        return key in self._d


class _NoKeys(OrderedStorage):
    """The index's key -> band keys table, used only to remove keys: not kept, as the
    index is scanned by bucket and dropped, never queried by key."""

    def keys(self):
        return []

    def get(self, key):
        return []

    def insert(self, key, *vals, **kwargs):
        pass

    def remove(self, *keys, **kwargs):
        pass

    def remove_val(self, key, val, **kwargs):
        pass

    def size(self) -> int:
        return 0

    def itemcounts(self, **kwargs) -> dict:
        return {}

    def has_key(self, key):
        return False


def _band_candidates(sig_path: str, shape: tuple, reps: np.ndarray, groups: list[tuple[int, int]],
                     r: int, max_bucket: int) -> np.ndarray:
    """Worker: node pairs (packed i << 32 | j, i < j) sharing a bucket in some band of
    ``groups``; one MinHashLSH index per group of bands, dropped before the next."""
    sig = np.memmap(sig_path, dtype=np.uint32, mode="r", shape=shape)
    found = []
    for lo, hi in groups:
        block = np.ascontiguousarray(sig[reps, lo * r:hi * r])
        lsh = MinHashLSH(num_perm=(hi - lo) * r, params=(hi - lo, r))
        lsh.hashtables, lsh.keys = [_Buckets() for _ in range(hi - lo)], _NoKeys()
        for node in range(len(reps)):
            lsh.insert(node, LeanMinHash(seed=SEED, hashvalues=block[node], scheme=SCHEME),
                       check_duplication=False)
        pairs: set[int] = set()
        for table in lsh.hashtables:
            for key in table.keys():
                bucket = table.get(key)
                if len(bucket) < 2:
                    continue
                members = sorted(bucket)
                if len(members) > max_bucket:     # formula text in many variants: a star, not a clique
                    pairs.update(members[0] << 32 | j for j in members[1:])
                else:
                    pairs.update(i << 32 | j for i, j in combinations(members, 2))
        del lsh, block
        found.append(np.fromiter(pairs, dtype=np.int64, count=len(pairs)))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _covered(h: np.ndarray, other_sorted: np.ndarray, n: int) -> int:
    """Characters of a paragraph (n-gram hashes ``h``) inside an n-gram of the other."""
    if not len(h) or not len(other_sorted):
        return 0
    pos = np.minimum(np.searchsorted(other_sorted, h), len(other_sorted) - 1)
    hit = (other_sorted[pos] == h).astype(np.int32)
    return int(np.count_nonzero(np.convolve(hit, np.ones(n, dtype=np.int32))))


def _verify_pairs(tmp: str, ci: np.ndarray, cj: np.ndarray, n: int, min_similarity: float):
    """Worker: the candidate pairs (sorted by their first node) that verify, with their
    similarity and shared characters; texts are read from the code points on disk."""
    codes = np.memmap(os.path.join(tmp, "codes.u32"), dtype=np.uint32, mode="r")
    start, length = (np.load(os.path.join(tmp, f"node_{k}.npy"), mmap_mode="r") for k in ("start", "len"))

    def hashes(node: int) -> np.ndarray:
        return ngram_hashes(codes[start[node]:start[node] + length[node]], n)

    edges, last, h_i, s_i = [], -1, None, None
    for i, j in zip(ci.tolist(), cj.tolist()):
        if i != last:
            last, h_i = i, hashes(i)
            s_i = np.unique(h_i)
        h_j = hashes(j)
        cov_i, cov_j = _covered(h_i, np.unique(h_j), n), _covered(h_j, s_i, n)
        sim = (cov_i + cov_j) / int(length[i] + length[j])
        if sim >= min_similarity:
            edges.append((i, j, round(sim, 4), min(cov_i, cov_j)))
    return edges


def _order(a: dict, b: dict) -> int | None:
    """-1 if a came first, 1 if b did, 0 at the same time, None if unknown."""
    if a["delivered_on"] and b["delivered_on"]:
        x, y = a["delivered_on"], b["delivered_on"]
    elif a["plan_year"] is not None and b["plan_year"] is not None:
        x, y = a["plan_year"], b["plan_year"]
    else:
        return None
    return (x > y) - (x < y)


def _relation(a: dict, b: dict) -> str | None:
    if a["gov"] != b["gov"]:
        return "governments"
    if a["plan_year"] is not None and b["plan_year"] is not None and a["plan_year"] != b["plan_year"]:
        return "years"
    return None                   # one government and year: the same report stored twice, or parts


def _pool(jobs: int):
    import multiprocessing
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        ctx = None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)


def _map(jobs: int, fn, tasks: list[tuple]):
    """fn over tasks, in order, in ``jobs`` processes; results are yielded as they come,
    so a caller that writes them away keeps memory flat."""
    if jobs <= 1 or not tasks:
        yield from (fn(*t) for t in tasks)
        return
    with _pool(jobs) as pool:
        yield from pool.map(fn, *zip(*tasks))


def reuse(db, options: ReuseOptions | None = None, *, region: str | None = None) -> ReuseResult:
    """Near-duplicate paragraphs between the stored reports (see the module docstring).
    ``region`` keeps the pairs with at least one report of that region or province
    (matched like ``gwrkit reports --region``) and those reports' rows; the index
    still covers every report, so reuse from anywhere is found."""
    opt = options or ReuseOptions()
    opt.check()
    timer, stats = time.perf_counter(), {}

    def lap(name: str) -> None:
        nonlocal timer
        now = time.perf_counter()
        stats[f"seconds_{name}"] = round(now - timer, 3)
        timer = now

    with Reader(db) as store:
        path = store.path
        meta = {r["id"]: dict(r) for r in store.conn.execute(
            "SELECT id, document_id, region, region_code, province, plan_year, delivered_on FROM reports")}
        for m in meta.values():
            m["gov"] = m["region_code"] or m["region"] or f"#{m['id']}"   # unknown: a government of its own
            m["chars"] = 0
        for rid, chars in store.conn.execute("SELECT report_id, SUM(end - start) FROM paragraphs GROUP BY report_id"):
            if rid in meta:
                meta[rid]["chars"] = chars or 0
        docs = [d for (d,) in store.conn.execute("SELECT DISTINCT document_id FROM reports ORDER BY document_id")]
        in_region = None
        if region:
            in_region = {i for (i,) in store.conn.execute(
                "SELECT id FROM reports WHERE region LIKE ? OR province LIKE ?", (f"%{region}%", f"%{region}%"))}
    jobs = min(opt.jobs, os.cpu_count() or 1)

    with tempfile.TemporaryDirectory(prefix="gwrkit-reuse-") as tmp:
        # 1-3: normalise and sketch, a chunk of documents per task; signatures go to disk
        size = max(1, min(64, -(-len(docs) // (4 * jobs))))
        tasks = [(path, docs[i:i + size], opt) for i in range(0, len(docs), size)]
        sig_path = os.path.join(tmp, "signatures.u32")
        row_blocks = []
        with open(sig_path, "wb") as out, open(os.path.join(tmp, "codes.u32"), "wb") as out_codes:
            for rows, sigs, codes in _map(jobs, _sketch_documents, tasks):
                row_blocks.append(rows)
                out.write(sigs.tobytes())
                out_codes.write(codes.tobytes())
        rows = np.concatenate(row_blocks) if row_blocks else np.zeros((0, len(ROW)), np.int64)
        stats["paragraphs"] = len(rows)
        lap("sketch")
        if not len(rows):
            return _result([], [], [], [], opt, stats)
        sig = np.memmap(sig_path, dtype=np.uint32, mode="r", shape=(len(rows), opt.num_perm))

        # 2: exact duplicates are one node, sketched by its first paragraph
        _, reps, node_of_row = np.unique(rows[:, R_DIGEST], return_index=True, return_inverse=True)
        node_of_row = node_of_row.ravel()
        stats["nodes"] = len(reps)
        row_start = np.concatenate(([0], np.cumsum(rows[:, R_NCHARS])[:-1]))
        np.save(os.path.join(tmp, "node_start.npy"), row_start[reps])
        np.save(os.path.join(tmp, "node_len.npy"), rows[reps, R_NCHARS])
        del row_start

        # 4: candidates from the LSH bands, a group of bands per index
        index = MinHashLSH(threshold=opt.threshold, num_perm=opt.num_perm)
        b, r = index.b, index.r
        per = max(2, min(b, opt.lsh_entries // max(1, len(reps))))
        # at least one index per process; MinHashLSH needs >= 2 bands per index
        n_groups = min(max(-(-b // per), jobs), b // 2)
        bounds = np.linspace(0, b, n_groups + 1).round().astype(int)
        groups = [(int(bounds[i]), int(bounds[i + 1])) for i in range(n_groups)]
        shape = (len(rows), opt.num_perm)
        tasks = [(sig_path, shape, reps, groups[i::jobs], r, opt.max_reports) for i in range(min(jobs, len(groups)))]
        found = list(_map(jobs, _band_candidates, tasks))
        cand = np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
        stats.update(bands=b, rows_per_band=r, lsh_indexes=len(groups), candidates=len(cand))
        lap("lsh")

        # 5: drop chance collisions by the signatures' estimate of the Jaccard similarity
        ci, cj = cand >> 32, cand & 0xFFFFFFFF
        keep = np.zeros(len(cand), dtype=bool)
        for s in range(0, len(cand), 50_000):
            a, bb = sig[reps[ci[s:s + 50_000]]], sig[reps[cj[s:s + 50_000]]]
            keep[s:s + 50_000] = (a == bb).mean(axis=1) >= opt.threshold / 2
        ci, cj = ci[keep], cj[keep]
        stats["estimated"] = len(ci)
        del sig, cand, keep
        lap("estimate")

        # 6: verify exactly, from the normalised code points on disk
        size = max(1, -(-len(ci) // (4 * jobs)))
        tasks = [(tmp, ci[s:s + size], cj[s:s + size], opt.ngram, opt.min_similarity)
                 for s in range(0, len(ci), size)]
        edges = [e for chunk in _map(jobs, _verify_pairs, tasks) for e in chunk]
        stats["verified"] = len(edges)
        lap("verify")

    out = _assemble(path, meta, rows, node_of_row, edges, opt)
    lap("pairs")
    paragraph_pairs, pairs, reports, common = out
    if in_region is not None:
        paragraph_pairs = [p for p in paragraph_pairs if p["report_a"] in in_region or p["report_b"] in in_region]
        pairs = [p for p in pairs if p["report_a"] in in_region or p["report_b"] in in_region]
        reports = [p for p in reports if p["report_id"] in in_region]
        common = [c for c in common if c.pop("_reports") & in_region]
    for c in common:
        c.pop("_reports", None)
    return _result(paragraph_pairs, pairs, reports, common, opt, stats)


def _result(paragraph_pairs, pairs, reports, common, opt, stats) -> ReuseResult:
    stats["seconds"] = round(sum(v for k, v in stats.items() if k.startswith("seconds_")), 3)
    return ReuseResult(paragraph_pairs, pairs, reports, common, asdict(opt), stats)


def _assemble(path, meta, rows, node_of_row, edges, opt):
    """7-8: families, then paragraph pairs, report pairs and report totals."""
    scope_ok = {"all": ("governments", "years"), "governments": ("governments",), "years": ("years",)}[opt.scope]
    n_nodes = int(node_of_row.max()) + 1
    order = np.argsort(node_of_row, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(node_of_row, minlength=n_nodes))))

    def members(node: int) -> list[int]:
        return order[bounds[node]:bounds[node + 1]].tolist()

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for i, j, _, _ in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    linked = {i for i, _, _, _ in edges} | {j for _, j, _, _ in edges}
    families: dict[int, list[int]] = defaultdict(list)
    for node in linked:
        families[find(node)].append(node)
    for node in np.flatnonzero(np.diff(bounds) > 1).tolist():      # exact duplicates without edges
        if node not in linked:
            families[node].append(node)
    family_edges = defaultdict(list)
    for e in edges:
        family_edges[find(e[0])].append(e)

    report_of = rows[:, R_REPORT].tolist()
    length = (rows[:, R_END] - rows[:, R_START]).tolist()
    reused, first, in_common = set(), set(), set()
    para_pairs, agg = [], {}

    def emit(x: int, y: int, sim: float, shared: int) -> None:
        ra, rb = report_of[x], report_of[y]
        if ra == rb:
            return
        ma, mb = meta[ra], meta[rb]
        rel = _relation(ma, mb)
        if rel not in scope_ok:
            return
        o = _order(ma, mb)
        if o == 1 or (o in (0, None) and ra > rb):      # report_a: the earlier, else the lower id
            x, y, ra, rb, o = y, x, rb, ra, (-o if o else o)
        reused.update((x, y))
        if o == -1:
            first.add(y)
        rx, ry = rows[x], rows[y]
        para_pairs.append({"report_a": ra, "paragraph_a": int(rx[R_IDX]), "start_a": int(rx[R_START]),
                           "end_a": int(rx[R_END]), "report_b": rb, "paragraph_b": int(ry[R_IDX]),
                           "start_b": int(ry[R_START]), "end_b": int(ry[R_END]), "relation": rel,
                           "similarity": sim, "shared_chars": shared})
        acc = agg.setdefault((ra, rb), {"relation": rel, "order": o, "n": 0, "a": {}, "b": {}})
        acc["n"] += 1
        acc["a"][x] = max(acc["a"].get(x, 0), shared)
        acc["b"][y] = max(acc["b"].get(y, 0), shared)

    common = []
    for root, nodes in families.items():
        rws = [x for node in nodes for x in members(node)]
        reps_in = {report_of[x] for x in rws}
        if len(reps_in) < 2:
            continue
        if len(reps_in) > opt.max_reports:
            common.append(_formula(rows, report_of, rws, reps_in, meta, opt.scope, reused, first, in_common))
            continue
        for node in nodes:
            m = members(node)
            if len(m) > 1:
                for x, y in combinations(m, 2):
                    emit(x, y, 1.0, int(rows[x, R_NCHARS]))
        for i, j, sim, shared in family_edges.get(root, ()):
            for x in members(i):
                for y in members(j):
                    emit(x, y, sim, shared)

    pairs = []
    for (ra, rb), acc in agg.items():
        ma, mb = meta[ra], meta[rb]
        used_a, used_b = sum(length[x] for x in acc["a"]), sum(length[y] for y in acc["b"])
        o = acc["order"]
        pairs.append({"report_a": ra, "report_b": rb, "relation": acc["relation"],
                      "region_a": ma["region"], "region_b": mb["region"],
                      "year_a": ma["plan_year"], "year_b": mb["plan_year"],
                      "similarity": round((used_a + used_b) / max(1, ma["chars"] + mb["chars"]), 4),
                      "shared_chars": min(sum(acc["a"].values()), sum(acc["b"].values())),
                      "share_a": round(used_a / max(1, ma["chars"]), 4),
                      "share_b": round(used_b / max(1, mb["chars"]), 4),
                      "paragraphs": acc["n"],
                      "direction": {-1: "a->b", 1: "b->a", 0: "same time"}.get(o, "unknown"),
                      "earlier": ra if o == -1 else None, "later": rb if o == -1 else None})
    pairs.sort(key=lambda p: (-p["shared_chars"], p["report_a"], p["report_b"]))
    para_pairs.sort(key=lambda p: (p["report_a"], p["report_b"], p["paragraph_a"], p["paragraph_b"]))

    partners = defaultdict(int)
    for p in pairs:
        partners[p["report_a"]] += 1
        partners[p["report_b"]] += 1
    totals = defaultdict(lambda: [0, 0, 0])
    for x in reused:
        t = totals[report_of[x]]
        t[0] += length[x]
        t[1] += length[x] if x in first else 0
        t[2] += length[x] if x in in_common else 0
    reports = []
    for rid in sorted(totals):
        m, (used, earlier, formula) = meta[rid], totals[rid]
        chars = max(1, m["chars"])
        reports.append({"report_id": rid, "region": m["region"], "plan_year": m["plan_year"],
                        "delivered_on": m["delivered_on"], "chars": m["chars"], "reused_chars": used,
                        "reused_share": round(used / chars, 4), "first_elsewhere_chars": earlier,
                        "first_elsewhere_share": round(earlier / chars, 4), "common_chars": formula,
                        "partners": partners.get(rid, 0)})

    common.sort(key=lambda c: (-c["reports"], c["first_report"]))
    conn = connect_readonly(path)
    try:
        for k, c in enumerate(common, 1):
            c["family"] = k
            s, e, rid = c.pop("_span")
            c["text"] = conn.execute("SELECT substr(t.text, ?, ?) FROM reports r JOIN document_texts t"
                                     " ON t.document_id = r.document_id WHERE r.id=?",
                                     (s + 1, min(e - s, 120), rid)).fetchone()[0]
    finally:
        conn.close()
    return para_pairs, pairs, reports, common


def _formula(rows, report_of, rws, reps_in, meta, scope, reused, first, in_common) -> dict:
    """Flags for the paragraphs of a formula family, each report judged against the
    family's earliest reports (by plan year, then date) that the scope admits."""
    ranked = sorted(reps_in, key=lambda r: (meta[r]["plan_year"] or 9999, meta[r]["delivered_on"] or "~", r))

    def heads(key) -> list[int]:      # the first report of the first two distinct keys
        out, seen = [], set()
        for rid in ranked:
            k = key(meta[rid])
            if k not in seen:
                seen.add(k)
                out.append(rid)
                if len(out) == 2:
                    break
        return out

    by_gov = defaultdict(list)
    for rid in ranked:
        by_gov[meta[rid]["gov"]].append(rid)
    if scope == "years":       # per government: its first report, and its first of another year
        gov_heads = {g: rids[:1] + [r for r in rids if meta[r]["plan_year"] != meta[rids[0]]["plan_year"]][:1]
                     for g, rids in by_gov.items()}
    else:
        top = heads((lambda m: m["gov"]) if scope == "governments" else (lambda m: (m["gov"], m["plan_year"])))
    ok = {"all": ("governments", "years"), "governments": ("governments",), "years": ("years",)}[scope]
    flag_reused, flag_first = {}, {}
    for rid in reps_in:
        m = meta[rid]
        cands = gov_heads[m["gov"]] if scope == "years" else top
        partner = next((h for h in cands if h != rid and _relation(meta[h], m) in ok), None)
        flag_reused[rid] = partner is not None
        flag_first[rid] = partner is not None and _order(meta[partner], m) == -1
    for x in rws:
        rid = report_of[x]
        if flag_reused[rid]:
            reused.add(x)
            in_common.add(x)
            if flag_first[rid]:
                first.add(x)
    head = ranked[0]
    sample = min(x for x in rws if report_of[x] == head)
    return {"reports": len(reps_in), "governments": len(by_gov), "paragraphs": len(rws),
            "first_report": head, "first_region": meta[head]["region"], "first_year": meta[head]["plan_year"],
            "_span": (int(rows[sample, R_START]), int(rows[sample, R_END]), head), "_reports": set(reps_in)}
