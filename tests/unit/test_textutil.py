import re

from hypothesis import given, strategies as st

from gwrkit.textutil import trie_regex


def test_trie_regex_prefers_the_longest_word():
    rx = re.compile(trie_regex(["元", "万元", "亿元", "万亿元", "人", "人次", "万人次"]))
    assert rx.findall("增加2万亿元,接待120万人次,3人") == ["万亿元", "万人次", "人"]


@given(st.lists(st.text(alphabet="ab万亿元人次", min_size=1, max_size=4), min_size=1, max_size=12),
       st.text(alphabet="ab万亿元人次x", max_size=40))
def test_trie_regex_matches_like_a_longest_first_alternation(words, text):
    plain = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
    trie = re.compile(trie_regex(words))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
