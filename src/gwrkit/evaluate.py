"""Score extraction against gold files in schema v1 (../shared/gold/GUIDE.md).

The measures follow the project's independent scorer exactly: reports are paired
greedily in order by region name; metadata accuracy is over the nine META fields;
targets match on (indicator, metric) with value, modifier and (for ranges)
value_high; actuals on (indicator, metric, year) with value, bound-stated results
left out; a second row for a key already stated counts as a false positive. Level values are compared in base units (亿元 -> 元).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

META = ("region", "province", "level", "delivered_on", "congress_term", "congress_session",
        "speaker", "review_year", "plan_year")

_SCALES = {"": 1, "千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8, "十亿": 1e9,
           "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}
_FAMILIES = {"元": ("money", _SCALES), "人": ("people", {"": 1, "万": 1e4, "亿": 1e8}),
             "人次": ("visits", {"": 1, "万": 1e4, "亿": 1e8}),
             "斤": ("jin", {"": 1, "万": 1e4, "亿": 1e8, "万亿": 1e12}),
             "吨": ("tonne", {"": 1, "万": 1e4, "亿": 1e8}), "亩": ("mu", {"": 1, "万": 1e4}),
             "公里": ("km", {"": 1, "万": 1e4})}
UNITS = {prefix + base: (fam, k) for base, (fam, scales) in _FAMILIES.items() for prefix, k in scales.items()}


def _norm_region(s: str | None) -> str:
    if not s:
        return ""
    for ch in "（(":
        s = s.split(ch)[0]
    return s.strip()


def region_match(gold: dict, system: dict) -> bool:
    names = {_norm_region(gold.get("region"))} | {_norm_region(a) for a in gold.get("region_aliases") or []}
    sr = _norm_region(system.get("region"))
    if not sr:
        return False
    return any(sr == n or (len(sr) >= 2 and (sr.endswith(n) or n.endswith(sr))) for n in names if n)


def pair_reports(gold: list[dict], system: list[dict]) -> list[tuple[dict, dict | None]]:
    pairs, used = [], set()
    for g in gold:
        for j, s in enumerate(system):
            if j not in used and region_match(g, s):
                pairs.append((g, s))
                used.add(j)
                break
        else:
            pairs.append((g, None))
    return pairs


def _num(x):
    try:
        return None if x is None else float(x)
    except (TypeError, ValueError):
        return None


def _base(value, unit):
    if value is None:
        return None
    fam = UNITS.get((unit or "").replace(" ", ""))
    return value * fam[1] if fam else value


def _target_key(t: dict):
    ind, metric, v, vh = t.get("indicator"), t.get("metric"), _num(t.get("value")), _num(t.get("value_high"))
    if ind == "cpi" and metric == "index" and v is not None:   # 103 -> growth 3
        metric, v = "growth", round(v - 100, 6)
    if metric == "level":
        v, vh = _base(v, t.get("unit")), _base(vh, t.get("unit"))
    return (ind, metric), (v, vh, t.get("modifier"))


def target_set(ts) -> dict:
    out = {}
    for t in ts or []:
        if t.get("indicator") in (None, "other"):
            continue
        k, v = _target_key(t)
        out.setdefault(k, v)
    return out


def duplicates(rows, key) -> int:
    """Rows (other than ``other``) whose key an earlier row already has: the scorer
    counts each as a false positive."""
    keys = [key(r) for r in rows or [] if r.get("indicator") not in (None, "other")]
    return len(keys) - len(set(keys))


def _graded_actuals(xs) -> list:
    return [a for a in xs or [] if a.get("modifier") not in ("at_least", "at_most")]


def _actual_key(a: dict):
    return a.get("indicator"), a.get("metric"), a.get("year")


def actual_set(xs) -> dict:
    out = {}
    for a in _graded_actuals(xs):
        if a.get("indicator") in (None, "other"):
            continue
        v = _num(a.get("value"))
        if a.get("metric") == "level":
            v = _base(v, a.get("unit"))
        out.setdefault(_actual_key(a), v)
    return out


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _target_match(gv, sv) -> bool:
    (g, gh, gm), (s, sh, sm) = gv, sv
    if gm != sm or not same_value(g, s):
        return False
    return gm != "range" or same_value(gh, sh)


@dataclass
class Counts:
    tp: int = 0
    sys: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.sys += other.sys
        self.gold += other.gold

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.sys if self.sys else (1.0 if not self.gold else 0.0)
        r = self.tp / self.gold if self.gold else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class FileScore:
    source: str
    reports_gold: int = 0
    reports_system: int = 0
    reports_paired: int = 0
    meta_ok: dict = field(default_factory=lambda: {f: 0 for f in META})
    meta_n: int = 0               # paired-or-missing reports (each counts all META fields)
    targets: Counts = field(default_factory=Counts)
    actuals: Counts = field(default_factory=Counts)
    issues: list[str] = field(default_factory=list)

    @property
    def meta(self) -> float:
        n = self.meta_n * len(META)
        return sum(self.meta_ok.values()) / n if n else 1.0


def score_document(gold_doc: dict, sys_doc: dict) -> FileScore:
    gold, system = gold_doc["reports"], sys_doc.get("reports", [])
    fs = FileScore(gold_doc.get("source", ""), len(gold), len(system))
    for g, s in pair_reports(gold, system):
        name = g.get("region")
        gt, ga = target_set(g.get("targets")), actual_set(g.get("actuals"))
        fs.targets.gold += len(gt)
        fs.actuals.gold += len(ga)
        fs.meta_n += 1
        if s is None:
            fs.issues.append(f"MISSING report {name}")
            continue
        fs.reports_paired += 1
        for f in META:
            ok = region_match(g, s) if f == "region" else g.get(f) == s.get(f)
            fs.meta_ok[f] += ok
            if not ok:
                fs.issues.append(f"{name}: {f} gold={g.get(f)!r} system={s.get(f)!r}")
        _compare("target", gt, target_set(s.get("targets")), _target_match, fs.targets, name, fs.issues,
                 duplicates(s.get("targets"), lambda t: _target_key(t)[0]))
        _compare("actual", ga, actual_set(s.get("actuals")), same_value, fs.actuals, name, fs.issues,
                 duplicates(_graded_actuals(s.get("actuals")), _actual_key))
    return fs


def _compare(what: str, gold: dict, system: dict, match, counts: Counts, name: str, issues: list,
             duplicate_rows: int = 0) -> None:
    counts.sys += len(system) + duplicate_rows     # a second row for the same key is a false positive
    if duplicate_rows:
        issues.append(f"{name}: {duplicate_rows} duplicate {what} row(s) for a key already stated")
    for k, gv in gold.items():
        if k in system and match(gv, system[k]):
            counts.tp += 1
        else:
            issues.append(f"{name}: {what} {k} gold={gv} system={system.get(k)}")
    issues += [f"{name}: extra {what} {k} system={system[k]}" for k in system if k not in gold]


@dataclass
class Evaluation:
    files: list[FileScore]
    failures: list[str] = field(default_factory=list)

    def totals(self) -> dict:
        t, a = Counts(), Counts()
        meta_ok = {f: 0 for f in META}
        meta_n = 0
        for fs in self.files:
            t.add(fs.targets)
            a.add(fs.actuals)
            meta_n += fs.meta_n
            for f in META:
                meta_ok[f] += fs.meta_ok[f]
        return {
            "reports_gold": sum(f.reports_gold for f in self.files),
            "reports_system": sum(f.reports_system for f in self.files),
            "reports_paired": sum(f.reports_paired for f in self.files),
            "meta_by_field": {f: (meta_ok[f] / meta_n if meta_n else 1.0) for f in META},
            "meta": sum(meta_ok.values()) / (meta_n * len(META)) if meta_n else 1.0,
            "targets": t, "actuals": a,
        }


def evaluate(gold_dir: str | Path, corpus_dir: str | Path, extractor=None) -> Evaluation:
    """Score ``extractor(path) -> schema v1 dict`` (default: gwrkit.api.extract) on
    every gold file under gold_dir, whose source files live under corpus_dir."""
    if extractor is None:
        from .api import extract as extractor
    gold_dir, corpus_dir = Path(gold_dir), Path(corpus_dir)
    files, failures = [], []
    for gpath in sorted(gold_dir.rglob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        if "reports" not in gold:
            continue
        rel = gpath.relative_to(gold_dir).with_suffix("")   # provinces-2026/x.csv
        source = corpus_dir / rel
        if not source.exists():
            failures.append(f"{rel}: source file not found under {corpus_dir}")
            continue
        try:
            sys_doc = extractor(source)
        except Exception as exc:
            failures.append(f"{rel}: extraction failed ({type(exc).__name__}: {exc})")
            sys_doc = {"reports": []}
        fs = score_document(gold, sys_doc)
        fs.source = str(rel)
        files.append(fs)
    return Evaluation(files, failures)
