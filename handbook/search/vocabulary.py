"""The vocabulary of work: the words employees type, grouped with the words a handbook uses (pure: no Sphinx).

* the shipped groups (``handbook/data/work_vocabulary.yaml``), a company's own groups from
  ``conf.py`` or a file of the same form, merged by name (:func:`load_groups`, :func:`merge`);
* filtered to what the handbook's own text contains (:func:`in_use`): a group none of whose
  words occurs is dropped; of the others, only the words that occur are ever searched for,
  the rest only lead to them. The browser expands a query word of a group into the group's
  words that occur (``handbook-search.js``); the suggestions offer the groups' words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from handbook.search.keys import HAN_RUN, has_han

#: groups by name: the words of each (None: a shipped group dropped)
Groups = dict[str, "tuple[str, ...] | None"]

_LATIN_WORD = re.compile(r"[a-z0-9]+")


class VocabularyError(ValueError):
    """A vocabulary file or setting that cannot be read; the message names where."""


def normalize(term: str) -> str:
    """NFKC, lower case, single spaces: the form the browser compares."""
    return " ".join(unicodedata.normalize("NFKC", term).lower().split())


def parse_groups(data: Any, where: str) -> Groups:
    """Groups from the value of a vocabulary file or setting: a mapping ``name: [words]``
    (``groups:`` at the top of a file), or a list of word lists (named by their first word)."""
    if isinstance(data, Mapping) and set(data) == {"groups"}:
        data = data["groups"]
        where += ": groups"
    if isinstance(data, (list, tuple)):
        items = []
        for n, words in enumerate(data):
            if not isinstance(words, (list, tuple)) or not words:
                raise VocabularyError(f"{where}[{n}]: expected a list of words, got {words!r}")
            items.append((f"{where}[{n}]", str(words[0]), words))
    elif isinstance(data, Mapping):
        items = [(f"{where}: {name}", str(name), words) for name, words in data.items()]
    else:
        raise VocabularyError(f"{where}: expected groups (name: [words, ...]), got {type(data).__name__}")
    out: Groups = {}
    for loc, name, words in items:
        if words is None:
            out[name] = None
            continue
        if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) and w.strip() for w in words):
            raise VocabularyError(f"{loc}: expected a list of words (or null to drop the group), got {words!r}")
        out[name] = tuple(dict.fromkeys(normalize(w) for w in words))
    return out


def shipped_groups() -> Groups:
    text = (resources.files("handbook") / "data" / "work_vocabulary.yaml").read_text(encoding="utf-8")
    return parse_groups(yaml.safe_load(text), "work_vocabulary.yaml")


def read_file(path: Path) -> Groups:
    """A company's vocabulary file (the form of ``work_vocabulary.yaml``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise VocabularyError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise VocabularyError(f"{path}{at}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if data is None:
        return {}
    return parse_groups(data, str(path))


def merge(*sources: Groups) -> dict[str, tuple[str, ...]]:
    """Groups of later sources extend the groups of the same name; ``None`` drops one."""
    out: dict[str, tuple[str, ...]] = {}
    for groups in sources:
        for name, words in groups.items():
            if words is None:
                out.pop(name, None)
            else:
                out[name] = tuple(dict.fromkeys([*out.get(name, ()), *words]))
    return out


def load_groups(extra: Any = None, file: Path | None = None, shipped: bool = True) -> dict[str, tuple[str, ...]]:
    """The shipped groups, then the company's file, then the groups of ``conf.py``."""
    sources: list[Groups] = [shipped_groups()] if shipped else []
    if file is not None:
        sources.append(read_file(file))
    if extra:
        sources.append(parse_groups(extra, "handbook_search_synonyms"))
    return merge(*sources)


class Corpus:
    """The handbook's own text, to tell which words of the vocabulary occur in it."""

    def __init__(self, texts: Iterable[str]) -> None:
        unique = {normalize(t) for t in texts if t}
        self.text = "\n".join(sorted(unique))
        self.pairs: set[str] = set()
        for run in HAN_RUN.findall(self.text):
            self.pairs.update(run[i : i + 2] for i in range(len(run) - 1))
        self.latin = set(_LATIN_WORD.findall(self.text))

    def holds(self, term: str) -> bool:
        if has_han(term):
            runs = HAN_RUN.findall(term)
            if not all(r[i : i + 2] in self.pairs for r in runs for i in range(len(r) - 1)):
                return False  # (cheap: most absent words miss a pair)
            return term in self.text
        words = _LATIN_WORD.findall(term)
        if not words or not all(w in self.latin for w in words):
            return False
        return len(words) == 1 or re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", self.text) is not None


def searchable(term: str) -> bool:
    """Whether the browser can look a word up: two Chinese characters or more, or one Latin
    word (a single character or a phrase of Latin words only leads to the others)."""
    if has_han(term):
        return len(term) >= 2 and bool(HAN_RUN.fullmatch(term))
    return bool(_LATIN_WORD.fullmatch(term))


def in_use(
    groups: Mapping[str, tuple[str, ...]], corpus: Corpus, terms: frozenset[str] = frozenset()
) -> list[list[list[str]]]:
    """The groups with a word the handbook holds (in ``corpus``, or one of the index's
    ``terms``): ``[[words that occur], [the other words]]``, in the order given. A group with
    nothing to find is left out (no word leads nowhere)."""
    out: list[list[list[str]]] = []
    for words in groups.values():
        present = [w for w in words if searchable(w) and (w in terms or corpus.holds(w))]
        if present:
            out.append([present, [w for w in words if w not in present]])
    return out


__all__ = ["Corpus", "VocabularyError", "in_use", "load_groups", "merge", "normalize", "parse_groups"]
