"""Which old item is which new one: the pairing behind the comparison of two handbooks.

:mod:`handbook.audit.compare` matches duties, RACI rows and objects whose id changed by
what they say, not by their position: first the items with the same key (the same text,
the same title), in order; then, of those left, the pairs whose words are similar enough
(by :class:`difflib.SequenceMatcher`, over characters, so Chinese compares well), best
pairs first. Here are only strings and indices; what a pair means (a duty reworded, a
role re-keyed) is the comparison's. No Sphinx imports.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Sequence

from handbook import model as m

#: a removed and an added duty (or RACI row) at least this similar are one, reworded
SIMILAR = 0.5
#: a removed and an added role whose duties are this similar are one role whose id changed
SAME_ROLE = 0.8


def text_key(text: m.Text) -> str:
    """The text a comparison of wording looks at: every language, in order."""
    return "\n".join(text.all_strings())


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1 (characters, so Chinese compares well); below SIMILAR: 0."""
    if a == b:
        return 1.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < SIMILAR or sm.quick_ratio() < SIMILAR:
        return 0.0
    return sm.ratio()


def pair_similar(
    old: Sequence[tuple[int, str]], new: Sequence[tuple[int, str]], threshold: float
) -> list[tuple[int, int, float]]:
    """Greedy best pairs (old index, new index, similarity) at or above ``threshold``."""
    scored = []
    for i, a in old:
        for j, b in new:
            s = similarity(a, b)
            if s >= threshold:
                scored.append((s, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for s, i, j in scored:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, s))
    return pairs


def pair_lists(
    old_keys: Sequence[Hashable],
    new_keys: Sequence[Hashable],
    old_words: Sequence[str],
    new_words: Sequence[str],
    threshold: float,
) -> tuple[dict[int, int], dict[int, tuple[int, float]]]:
    """Pair two lists: ``({old index: new index}`` of the same key, ``{old index: (new index, similarity)}``
    of the rest whose words are similar at ``threshold``). The n-th old item of a key pairs with the
    n-th new one; an item without words pairs by its key only."""
    free: dict[Hashable, list[int]] = {}
    for j, k in enumerate(new_keys):
        free.setdefault(k, []).append(j)
    same: dict[int, int] = {}
    for i, k in enumerate(old_keys):
        js = free.get(k)
        if js:
            same[i] = js.pop(0)
    taken = set(same.values())
    rest_old = [(i, w) for i, w in enumerate(old_words) if i not in same and w]
    rest_new = [(j, w) for j, w in enumerate(new_words) if j not in taken and w]
    similar = {i: (j, s) for i, j, s in pair_similar(rest_old, rest_new, threshold)}
    return same, similar
