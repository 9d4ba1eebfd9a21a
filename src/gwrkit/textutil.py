"""Small text helpers shared by several modules."""
from __future__ import annotations

import re


def trie_regex(words) -> str:
    """A regex matching any of ``words``, longest first at each position, built as a
    trie: 万(?:亿元|元|人次|…) instead of 万亿元|万元|万人次|… Python's engine tries a
    plain alternation one branch after another; the trie shares the common prefixes."""
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = node.get("", False)
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)
