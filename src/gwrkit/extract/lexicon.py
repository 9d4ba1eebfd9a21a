"""The indicator lexicon: package data (gwrkit/data/indicators.csv) plus, optionally,
a user's file in the same format whose rows add synonyms to an existing id or add
new indicators. The API takes it as a parameter (``lexicon=``: a path or a Lexicon);
the CLI's --lexicon defaults to $GWRKIT_LEXICON."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .. import vocab as V
from ..textutil import trie_regex


@dataclass
class Indicator:
    id: str
    label: str
    synonyms: list[str]
    metrics: list[str]
    unit_family: str = ""
    headline: bool = False
    schema_v1: bool = True      # one of the ids of schema v1 (../shared/gold/indicators.csv)
    share_of: str = ""          # the indicator this one is the GDP share of (rd_intensity: rd_expenditure)
    better: str = "higher"      # which way an outcome beats its target: higher, or lower (CPI, unemployment)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    indicator: str
    text: str


@dataclass
class Lexicon:
    indicators: dict[str, Indicator] = field(default_factory=dict)
    _by_word: dict[str, str] = field(default_factory=dict)
    _rx: re.Pattern | None = None

    def add(self, ind: Indicator) -> None:
        if ind.id in self.indicators:
            known = self.indicators[ind.id]
            known.synonyms += [s for s in ind.synonyms if s not in known.synonyms]
            known.metrics = known.metrics or ind.metrics
            known.better = ind.better if ind.better != "higher" else known.better
        else:
            self.indicators[ind.id] = ind
        for word in [ind.label, *ind.synonyms]:
            if word:
                self._by_word[word] = ind.id
        self._rx = None

    def add_variants(self, rewrites: dict[str, str]) -> None:
        """Other spellings of every name: each rewrite (part -> variants separated by |)
        applied once to each name that holds the part (城市居民人均可支配收入 ->
        城市居民年人均可支配收入). A name already known keeps its own indicator."""
        for word, indicator in list(self._by_word.items()):
            for part, variants in rewrites.items():
                if part not in word:
                    continue
                for variant in variants.split("|"):
                    if len(variant) > len(part) and variant in word:
                        continue        # the longer form is already there (综合能耗 stays as it is)
                    self._by_word.setdefault(word.replace(part, variant, 1), indicator)
        self._rx = None

    def lookup(self, word: str) -> str | None:
        return self._by_word.get(word)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Leftmost-longest mentions of any synonym in text[start:end] (offsets in text)."""
        if self._rx is None:
            self._rx = re.compile(trie_regex(self._by_word))
        end = len(text) if end is None else end
        return [Mention(m.start(), m.end(), self._by_word[m.group()], m.group())
                for m in self._rx.finditer(text, start, end)]

    def fingerprint(self) -> str:
        """A short digest of every indicator and synonym: stored rows read with another
        lexicon are out of date."""
        rows = sorted(json.dumps([i.id, i.label, sorted(i.synonyms), i.metrics, i.unit_family, i.headline,
                                  i.schema_v1, i.share_of], ensure_ascii=False)
                      for i in self.indicators.values())
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]

    def is_headline(self, indicator: str) -> bool:
        """One of the review-year results researchers code (the 'headline' column)."""
        ind = self.indicators.get(indicator)
        return bool(ind and ind.headline)

    def in_schema_v1(self, indicator: str) -> bool:
        ind = self.indicators.get(indicator)
        return bool(ind and ind.schema_v1)

    def share_indicator(self, of: str) -> str | None:
        """The indicator that is ``of``'s share of GDP (rd_expenditure -> rd_intensity)."""
        return next((i.id for i in self.indicators.values() if i.share_of == of), None)

    def better(self, indicator: str) -> str:
        """'lower' where an outcome below the target meets it (a ceiling), else 'higher'."""
        ind = self.indicators.get(indicator)
        return ind.better if ind else "higher"

    def indicator_id(self, name: str) -> str:
        """The id a user means: an id in any case (GDP -> gdp) or a label or synonym
        (地区生产总值 -> gdp). ValueError for neither."""
        wanted = name.strip()
        if wanted.lower() in self.indicators:
            return wanted.lower()
        found = self.lookup(wanted)
        if found:
            return found
        raise ValueError(f"unknown indicator {name!r} (ids like gdp, cpi, surveyed_unemployment; "
                         f"see gwrkit/data/indicators.csv)")

    def metrics(self, indicator: str) -> list[str]:
        ind = self.indicators.get(indicator)
        return ind.metrics if ind else ["growth", "level"]


def _read(text: str) -> list[Indicator]:
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row.get("id"):
            continue
        out.append(Indicator(
            id=row["id"].strip(), label=(row.get("label_zh") or "").strip(),
            synonyms=[s.strip() for s in (row.get("synonyms_zh") or "").split("|") if s.strip()],
            metrics=[s.strip() for s in (row.get("usual_metrics") or "").split("|") if s.strip()],
            unit_family=(row.get("unit_family") or "").strip(),
            headline=(row.get("headline") or "0").strip() == "1",
            schema_v1=(row.get("schema_v1") or "1").strip() == "1",
            share_of=(row.get("share_of") or "").strip(),
            better=(row.get("better") or "").strip() or "higher"))
    return out


def load(extra: str | os.PathLike | None = None) -> Lexicon:
    """The package lexicon, with the rows of a user's CSV of the same columns added
    (synonyms for known ids, or new indicators)."""
    lex = Lexicon()
    data = resources.files("gwrkit.data").joinpath("indicators.csv").read_text(encoding="utf-8")
    for ind in _read(data):
        lex.add(ind)
    if extra:
        with open(extra, encoding="utf-8-sig") as fh:
            for ind in _read(fh.read()):
                lex.add(ind)
    lex.add_variants(V.mapping("name_variant"))
    return lex


@lru_cache(maxsize=4)
def default_lexicon(extra: str | None = None) -> Lexicon:
    """The package lexicon (with ``extra`` merged in), loaded once per process."""
    return load(extra)


def resolve_lexicon(lexicon: "Lexicon | str | os.PathLike | None") -> Lexicon:
    """A Lexicon from what the API takes: None (the package lexicon), a path to a
    user's CSV (merged into it), or a Lexicon."""
    if lexicon is None or isinstance(lexicon, Lexicon):
        return lexicon or default_lexicon()
    return default_lexicon(str(os.path.abspath(lexicon)))
