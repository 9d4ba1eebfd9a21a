"""Is a short string a person's name? Header lines name the speaker with an office
(市长 张三), or, in many published copies, with the bare name on a line of its own
(毛伟明, 熊 炜) or after the date ((2005年1月25日 王珉)).

The surnames are jionlp's list of the 百家姓 (``jionlp/rule/rule_pattern.py``), read
from its source without importing jionlp (whose import loads far more than this).
"""
from __future__ import annotations

import ast
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from .. import vocab as V
from .regions import gazetteer

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
# words that make a short line something else than a name: an office, the address,
# the words of a header or a closing (谢谢大家)
_NOT_NAME = re.compile(V.alt("office", "address", "not_name_word"))
_PLACE_END = tuple(V.words("level_suffix"))


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(one-character surnames, two-character surnames) from jionlp's rule file; the
    first, complete 百家姓 list there, not the narrowed one that follows it."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return frozenset(), frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / "rule" / "rule_pattern.py"
    single: str | None = None
    double = ""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return frozenset(), frozenset()
    for node in tree.body:
        if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Name):
            continue
        name = node.targets[0].id
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        if name == "SINGLE_CHINESE_FAMILY_NAME" and single is None:
            single = value
        elif name == "TWO_CHAR_CHINESE_FAMILY_NAME":
            double = value
    if not single or not double:      # the pinned jionlp has both; another must not silently drop them
        raise RuntimeError(f"jionlp's surname lists not found in {path}; install the jionlp version gwrkit pins")
    return frozenset(single), frozenset(x for x in double.split("|") if x)


def looks_like_name(text: str) -> bool:
    """2 to 4 Han characters that start with a surname (毛伟明, 欧阳坚) and are not a
    place (张家口市, 石家庄); names of minority officials with a middle dot
    (雪克来提·扎克尔) count too."""
    s = re.sub(r"\s+", "", text)
    if "·" in s:
        parts = s.split("·")
        return 2 <= len(s) <= 16 and all(p and _HAN.match(p) for p in parts)
    if not (2 <= len(s) <= 4) or not _HAN.match(s) or _NOT_NAME.search(s) or _is_place(s):
        return False
    single, double = surnames()
    return s[:2] in double or s[0] in single


def may_be_name(s: str) -> bool:
    """Could a string named after an office be a name (市长 张三)? It holds no office or
    header word and is no place (主席 兰州市市长 …); any surname will do there."""
    return not _NOT_NAME.search(s) and not _is_place(s)


def _is_place(s: str) -> bool:
    """A division's name or short name, or a word ending like one (高新区)."""
    if s.endswith(_PLACE_END):
        return True
    g = gazetteer()
    return s in g.by_name or bool(g.all_with_short(s))
