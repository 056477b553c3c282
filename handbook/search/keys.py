"""The keys a page is found by: its text cut into search keys (pure: no Sphinx).

The keys of a page's fields (:mod:`handbook.search.index` gathers them per page):

* title (every language, codes, holders' names): characters, pairs of characters, words,
  pinyin (full and initials), the whole title typed in Latin letters marked ``=``
  (:func:`title_keys`, :func:`code_keys`, :func:`exact_keys`);
* lead (purpose, duty group headings) and duties: pairs of characters, Latin words
  (:func:`duty_keys`);
* words as the index cuts them (:class:`Words`: the search language's split, stem and
  filter) and the shard group of a key (:func:`group_of`).

Also the character classes (Chinese, Latin) the rest of the search shares.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from handbook import model as m

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
LETTERS = re.compile(rf"[^\W\d_{HAN_CLASS}]+")
LATIN = re.compile(rf"[^\W{HAN_CLASS}]+")
ALNUM = re.compile(r"[A-Za-z0-9]+")


def has_han(s: str) -> bool:
    return bool(HAN.search(s))


def texts_of(t: m.Text | None) -> tuple[str, ...]:
    return () if t is None else tuple(s.strip() for s in t.all_strings() if s and s.strip())


def bigrams(text: str) -> set[str]:
    """Every pair of neighbouring Chinese characters: a word of a title or a duty is found
    by its pairs whatever a segmenter made of it."""
    out: set[str] = set()
    for run in HAN_RUN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def han_chars(text: str) -> set[str]:
    return set(HAN.findall(text))


@functools.lru_cache(maxsize=65536)
def _pinyin_tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """``(token, is_pinyin)``: a lower-case pinyin syllable per Chinese character (common
    readings), a Latin word or number as it is."""
    from pypinyin import lazy_pinyin

    out: list[tuple[str, bool]] = []
    for part in re.split(f"([{HAN_CLASS}]+)", text):
        if has_han(part):
            out.extend((s.lower(), True) for s in lazy_pinyin(part))
        else:
            out.extend((w.lower(), False) for w in ALNUM.findall(part))
    return tuple(out)


def pinyin_syllables(text: str) -> list[str]:
    """The text as lower-case pinyin syllables (common readings), Latin words kept as they are."""
    return [t for t, _py in _pinyin_tokens(text)]


def pinyin_keys(text: str, words: Iterable[str] = ()) -> set[str]:
    """Keys a title is found by when typed in pinyin: the whole title in full pinyin
    (``kefuzhuguan``) and initials (``kfzg``; a Latin word stays whole: ``iqclljyy``), the
    same for its Chinese part alone, and each of its words (``zhuguan``)."""
    keys: set[str] = set()
    if not has_han(text):
        return keys
    for part in [text, *HAN_RUN.findall(text)]:
        tokens = _pinyin_tokens(part)
        for key in ("".join(t for t, _py in tokens), "".join(t[0] if py else t for t, py in tokens)):
            if len(key) >= 2:
                keys.add(key)
    for w in words:
        if len(w) >= 2 and has_han(w):
            keys.add("".join(pinyin_syllables(w)))
    return keys


def code_keys(code: str) -> set[str]:
    """A code such as ``HYL-CS-02`` is found as ``hylcs02``, ``cs02``, ``cs-02`` and ``02``."""
    parts = [p.lower() for p in ALNUM.findall(code)]
    return {"".join(parts[i:]) for i in range(len(parts))} - {""}


def group_of(key: str) -> str:
    """The shard group of a key: its first character if Chinese, else its first two
    (``=k`` for the exact keys of titles starting with k)."""
    return key[0] if HAN.match(key) else key[:2]


@dataclass
class Words:
    """The index's way of cutting text into terms (the search language's split, stem and
    filter), used for Latin words and, in titles, Chinese words."""

    split: Callable[[str], list[str]]
    stem: Callable[[str], str]
    word_filter: Callable[[str], bool]

    def terms(self, text: str) -> list[str]:
        return index_words(self.split, self.stem, self.word_filter, text)

    def latin(self, text: str) -> set[str]:
        """The index terms of the Latin words of a text (no Chinese segmentation: cheap)."""
        out: set[str] = set()
        for w in LATIN.findall(text):
            parts = LETTERS.findall(w)
            for word in [w, *(parts if parts != [w] else [])]:
                out.update(index_words(lambda s: [s], self.stem, self.word_filter, word))
        return out


def index_words(
    split: Callable[[str], list[str]], stem: Callable[[str], str], word_filter: Callable[[str], bool], text: str
) -> list[str]:
    """The index terms of one text, in order (what Sphinx's ``IndexBuilder.feed`` keeps of it)."""
    out = []
    for word in split(text):
        stemmed = stem(word).lower()
        if word_filter(stemmed):
            out.append(stemmed)
        elif word_filter(word):
            out.append(word)
    return out


def title_keys(text: str, words: Words, exact: bool = True) -> set[str]:
    """The keys of a title: its characters and pairs, its Latin and Chinese words, its pinyin,
    and (marked ``=``, unless ``exact`` is false) the whole title typed in Latin letters: its
    pinyin, initials or, for an English title, its letters (``=kehufuwuzhongxin``, ``=kfzx``,
    ``=headofproduction``)."""
    terms = words.terms(text) if has_han(text) else []
    keys = han_chars(text) | bigrams(text) | words.latin(text) | {t for t in terms if has_han(t)}
    return keys | pinyin_keys(text, terms) | (exact_keys(text) if exact else set())


EXACT = "="


def exact_keys(text: str) -> set[str]:
    """The whole of a title or code typed in Latin letters, marked ``=``: a query equal to
    one of them names that page exactly."""
    if has_han(text):
        tokens = _pinyin_tokens(text)
        keys = {"".join(t for t, _py in tokens), "".join(t[0] if py else t for t, py in tokens)}
    else:
        keys = {"".join(ALNUM.findall(text)).lower()}
    return {EXACT + k for k in keys if len(k) >= 2}


def duty_keys(text: str, words: Words) -> set[str]:
    return bigrams(text) | words.latin(text)
