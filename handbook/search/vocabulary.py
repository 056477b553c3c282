"""The vocabulary of work: the words employees type, grouped with the words a handbook uses (pure: no Sphinx).

* the shipped groups (``handbook/data/work_vocabulary.yaml``), a company's own groups from
  ``conf.py`` or a file of the same form, merged by name (:func:`load_groups`, :func:`merge`);
* filtered to what the handbook's own text contains (:func:`in_use`): a group none of whose
  words occurs is dropped; of the others, only the words that occur are ever searched for,
  the rest only lead to them. The browser expands a query word of a group into the group's
  words that occur (``handbook-search.js``); the suggestions offer the groups' words.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from handbook import model as m
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


def handbook_texts(hb: m.Handbook) -> list[str]:
    """Every text of the roles, departments and processes (titles, purposes, duties, authority,
    qualifications, goals, steps ...): what their pages show."""
    out: list[str] = []

    def walk(value: Any, depth: int = 0) -> None:
        if depth > 6 or value is None:
            return
        if isinstance(value, m.Text):
            out.extend(value.all_strings())
        elif isinstance(value, str):
            if has_han(value) or " " in value:
                out.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, depth + 1)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), depth + 1)

    for store in (hb.roles, hb.departments, hb.processes):
        for obj in store.values():
            walk(obj)
    return out


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


#: the index key of a vocabulary word's pages (``~计薪``): found as a word, not as a chance
#: pair of characters (工资 in 美工资源, 内审 in 日内审核)
KEY = "~"


def _starts_a_word(i: int, starts: list[int], size: int) -> bool:
    """Whether a word found at ``i`` starts where the segmenter starts one, or takes two
    characters or more of the segmenter's word it starts in (员工工资 / 条 holds 工资条; 美工 /
    资源 holds no 工资, 重大 / 客户 no 大客户)."""
    n = bisect.bisect_right(starts, i)
    if n and starts[n - 1] == i:
        return True
    end = starts[n] if n < len(starts) else size
    return end - i >= 2


class Finder:
    """The vocabulary's words a text holds as words (:func:`_starts_a_word`, with ``boundaries``
    the offsets where the segmenter starts a word; ``None``: anywhere), so 工资 is in 工资表
    and 发放工资 but not in 美工资源; a Latin word or phrase whole."""

    def __init__(self, terms: Iterable[str], boundaries: Callable[[str], set[int]] | None = None) -> None:
        self.han: dict[str, list[str]] = {}
        self.latin: list[tuple[str, re.Pattern[str]]] = []
        for t in terms:
            if has_han(t):
                self.han.setdefault(t[0], []).append(t)
            else:
                self.latin.append((t, re.compile(r"(?<![a-z0-9])" + re.escape(t) + r"(?![a-z0-9])")))
        self.boundaries = boundaries

    def __call__(self, text: str) -> set[str]:
        low = normalize(text)
        found: set[str] = set()
        starts: list[int] | None = None
        checked = False
        for i, c in enumerate(low):
            for t in self.han.get(c, ()):
                if low.startswith(t, i):
                    if not checked:
                        starts, checked = (sorted(self.boundaries(low)) if self.boundaries else None), True
                    if starts is None or _starts_a_word(i, starts, len(low)):
                        found.add(t)
        found.update(t for t, rx in self.latin if rx.search(low))
        return found


__all__ = ["KEY", "Corpus", "Finder", "VocabularyError", "in_use", "load_groups", "merge", "normalize", "parse_groups"]
