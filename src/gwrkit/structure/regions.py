"""Administrative divisions, from the location data that jionlp ships.

We read jionlp's data files directly (``dictionary/china_location.zip`` and
``china_location_change.txt``) instead of importing jionlp, whose import loads far
more than we need. Province, prefecture and county levels come from the file's
indentation; former names (襄樊市 -> 襄阳市) come from the change list.
"""
from __future__ import annotations

import importlib.util
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import vocab as V

LEVELS = ("province", "prefecture", "county")
# the State Council: the national government, above every province (100000 is the
# code of the country as a whole in the division code tables)
NATIONAL_NAME = "国务院"
_NATIONAL_NAMES = frozenset(V.words("national_government"))
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
_NOT_REGIONS = {"省直辖行政区划", "自治区直辖县级行政区划", "县", "市辖区"}
# A county's short name that a general corpus uses this many times more often than
# its full name is an everyday word (新建 vs 新建区, 振兴 vs 振兴区), not evidence of a
# place. (Prefecture names fail this test for tokenizer reasons: 南昌市 -> 南昌 + 市.)
COMMON_WORD_RATIO = 10
COMMON_WORD_MIN_FREQ = 10000
# a short name plus a level suffix (黔东南 + 州) names the division of that level
_SUFFIX_LEVELS = {w: V.levels("level_suffix", w) for w in V.words("level_suffix") if len(w) == 1}


@dataclass(frozen=True)
class Division:
    code: str        # 6-digit administrative division code
    name: str        # full name: 新密市
    short: str       # short name: 新密
    level: str       # province / prefecture / county
    parent: str | None

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


NATIONAL = Division("100000", NATIONAL_NAME, NATIONAL_NAME, "national", None)


def _jionlp_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the jionlp package (administrative-division data) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


_ROW = re.compile(r"^(\t*)([^\t\r\n]+)\t(\d{6})\t([^\t\r\n]*)", re.M)


class Gazetteer:
    def __init__(self, divisions: list[Division], former: dict[str, str]):
        self.by_code = {d.code: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
        self.former = former      # former full name -> current code
        self._automaton = None
        self._everyday: tuple[set[str], set[str]] | None = None
        self._by_short: dict[str, list[Division]] | None = None

    # -- loading -------------------------------------------------------------------
    @classmethod
    def from_jionlp(cls) -> "Gazetteer":
        folder = _jionlp_dir()
        with zipfile.ZipFile(folder / "china_location.zip") as zf:
            data = zf.read("china_location.txt").decode("utf-8")
        divisions, stack = [], {}
        for tabs, name, code, short in _ROW.findall(data):
            depth = len(tabs)
            if depth > 2 or (depth == 1 and code in MUNICIPALITIES):
                stack[depth] = code
                continue  # the municipalities repeat themselves as their own prefecture
            stack[depth] = code
            # 功能区 (development zones, codes xx7x) have no people's congress
            # 市直辖行政区划 repeats its city's code (东莞市, 中山市: cities without counties)
            if name in _NOT_REGIONS or name.endswith("直辖行政区划") or (depth == 2 and code[4] == "7"):
                continue
            parent = stack.get(depth - 1) if depth else None
            if parent and parent.endswith("9000"):
                parent = parent[:2] + "0000"  # 省直辖: the county hangs off the province
            divisions.append(Division(code, name, short.strip() or name, LEVELS[depth], parent))
        gaz = cls(divisions, {})
        gaz.former = gaz._load_changes(folder / "china_location_change.txt")
        gaz._everyday = gaz._everyday_names()
        return gaz

    def _load_changes(self, path: Path) -> dict[str, str]:
        former: dict[str, str] = {}
        if not path.exists():
            return former
        for line in path.read_text(encoding="utf-8").splitlines():
            if "=>" not in line:
                continue
            old, new = line.split("=>", 1)
            old_names = [x for x in old.split("\t")[2:] if x][0::2]  # full names only
            new_names = [x for x in new.split("\t") if x]
            if not old_names or not new_names:
                continue
            target = self.resolve("".join(new_names[1:]) or new_names[0])
            if target and old_names[-1] != target.name and old_names[-1] not in self.by_name:
                former[old_names[-1]] = target.code
        return former

    # -- lookups -------------------------------------------------------------------
    def province_of(self, d: Division) -> Division:
        return self.by_code.get(d.province_code, d)

    def parent_of(self, d: Division) -> Division | None:
        return self.by_code.get(d.parent) if d.parent else None

    def resolve(self, name: str, context: str = "") -> Division | None:
        """The division a written name means: 新密市, 青岛市黄岛区, 宁夏, 襄樊市; 国务院
        is the national government."""
        name = re.sub(r"[(（].*?[)）]", "", name).strip()
        if not name:
            return None
        if name in _NATIONAL_NAMES:
            return NATIONAL
        found = self.by_name.get(name)
        if found:
            return self._disambiguate(found, context)
        if name in self.former:
            return self.by_code[self.former[name]]
        # composite names: strip a leading ancestor (北京市怀柔区, 河南省新密市)
        for cut in range(len(name) - 2, 1, -1):
            head, tail = name[:cut], name[cut:]
            parents = self.by_name.get(head) or [d for d in self.all_with_short(head)]
            if parents:
                child = self.resolve(tail)
                if child and any(child.code.startswith(p.code[:2] if p.level == "province" else p.code[:4])
                                 for p in parents):
                    return child
        shorts = self.all_with_short(name)
        if not shorts and name[-1] in _SUFFIX_LEVELS:     # 黔东南州, 延边州, 湘西州
            shorts = [d for d in self.all_with_short(name[:-1]) if d.level in _SUFFIX_LEVELS[name[-1]]]
        return self._disambiguate(shorts, context) if shorts else None

    def all_with_short(self, short: str) -> list[Division]:
        if self._by_short is None:
            self._by_short = {}
            for d in self.by_code.values():
                if len(d.short) >= 2:
                    self._by_short.setdefault(d.short, []).append(d)
        return list(self._by_short.get(short, []))

    def _disambiguate(self, candidates: list[Division], context: str) -> Division | None:
        if len(candidates) == 1 or not context:
            return candidates[0] if len(candidates) == 1 else (
                min(candidates, key=lambda d: LEVELS.index(d.level)) if candidates else None)
        scored = []
        for d in candidates:
            score = 0
            for anc in (self.parent_of(d), self.province_of(d)):
                if anc and anc.code != d.code:
                    score += context.count(anc.name) * 2 + context.count(anc.short)
            scored.append((score, -LEVELS.index(d.level), d.code, d))
        return max(scored)[3]

    # -- scanning text -------------------------------------------------------------
    def _everyday_names(self) -> tuple[set[str], set[str]]:
        """(codes whose short name is an everyday word, full names that are mere
        descriptions), judged by jionlp's general-corpus word frequencies."""
        wanted = {d.short for d in self.by_code.values()} | {d.name for d in self.by_code.values()}
        freq: dict[str, int] = {}
        path = _jionlp_dir() / "word_distribution.zip"
        if path.exists():
            with zipfile.ZipFile(path) as zf:
                for line in zf.read(zf.namelist()[0]).decode("utf-8").splitlines():
                    word = line[2:line.find('"', 2)]
                    if word in wanted:
                        freq[word] = int(line[line.rfind(",") + 1:line.rfind("]")])
        short_codes, names = set(), set()
        for d in self.by_code.values():
            short_freq = freq.get(d.short, 0)
            if (d.level == "county" and short_freq > COMMON_WORD_MIN_FREQ
                    and short_freq > COMMON_WORD_RATIO * (freq.get(d.name, 0) + 1)):
                short_codes.add(d.code)
            if len(d.name) == 2 and d.name.endswith("区"):   # 城区, 矿区, 郊区: descriptions
                names.add(d.name)
        return short_codes, names

    def automaton(self):
        if self._automaton is None:
            import ahocorasick

            everyday_shorts, everyday_names = self._everyday or self._everyday_names()
            names: dict[str, set[str]] = {}
            for d in self.by_code.values():
                if d.name not in everyday_names:
                    names.setdefault(d.name, set()).add(d.code)
                if len(d.short) >= 2 and d.code not in everyday_shorts and d.short != d.name:
                    names.setdefault(d.short, set()).add(d.code)
            auto = ahocorasick.Automaton()
            for word, codes in names.items():
                auto.add_word(word, (word, tuple(sorted(codes))))
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def mentions(self, text: str) -> Counter:
        """How often each division is named in text (full or short name). Where a
        name is ambiguous every bearer is counted; the longest match wins overlaps."""
        counts: Counter = Counter()
        last_end = -1
        hits = sorted(((end - len(word) + 1, end, codes) for end, (word, codes) in
                       self.automaton().iter(text)), key=lambda h: (h[0], -h[1]))
        for start, end, codes in hits:
            if start <= last_end:
                continue
            last_end = end
            for code in codes:
                counts[code] += 1
        return counts


def _cache_file() -> Path | None:
    """A pickle of the parsed divisions, next to nothing the user owns: in the user's
    cache folder, keyed by the size and time of jionlp's data file."""
    import os

    try:
        data = _jionlp_dir() / "china_location.zip"
        stat = data.stat()
    except (RuntimeError, OSError):
        return None
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gwrkit"
    return root / f"gazetteer-{stat.st_size}-{int(stat.st_mtime)}-v4.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The divisions, parsed once per machine (a cache), then once per process."""
    import pickle

    cache = _cache_file()
    if cache is not None and cache.exists():
        try:
            with open(cache, "rb") as fh:
                return pickle.load(fh)
        except Exception:
            pass                                   # a damaged cache is rebuilt below
    gaz = Gazetteer.from_jionlp()
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        except OSError:
            pass                                   # read-only home: just parse each time
    return gaz
