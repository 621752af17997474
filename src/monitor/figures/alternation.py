"""Literal strings found fast: one regex that matches any of many, built as a trie, and
every place one literal occurs (`find_all`).

Python's `re` tries the branches of a plain alternation one by one at every
position; with hundreds of aliases that dominates extraction time. Sharing
prefixes makes each position cost a few character tests instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def literal_alternation(words: Iterable[str]) -> str:
    """A non-capturing regex matching any word; longer matches are tried first."""
    trie: dict[str, object] = {}
    for word in words:
        if not word:
            continue
        node: dict[str, object] = trie
        for char in word:
            child = node.setdefault(char, {})
            assert isinstance(child, dict)
            node = child
        node[_END] = {}
    if not trie:
        return "(?!)"
    return _render(trie)


def _render(node: dict[str, object]) -> str:
    branches: list[str] = []
    ends_here = _END in node
    for char in sorted(k for k in node if k != _END):
        child = node[char]
        assert isinstance(child, dict)
        tail = _render(child) if child else ""
        branches.append(re.escape(char) + tail)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        # Greedy optional: the longer continuation is tried before stopping here.
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


def find_all(text: str, literal: str) -> list[int]:
    """Every offset where `literal` starts in `text`, overlapping ones too, in order."""
    found = []
    pos = text.find(literal)
    while pos >= 0:
        found.append(pos)
        pos = text.find(literal, pos + 1)
    return found
