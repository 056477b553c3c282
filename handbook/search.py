"""Search that finds a role's duties: the Chinese search language, a split index, suggestions.

* :class:`SearchHandbookChinese` replaces Sphinx's ``SearchChinese`` for ``zh``/``zh_CN``:
  jieba (a hard requirement: a missing jieba stops the build instead of indexing nothing)
  with the handbook's own vocabulary as a user dictionary. It also avoids
  sphinx-doc/sphinx#14229 (``ChineseStemmer is not defined`` on Sphinx 9.0).
* The search page does not load Sphinx's ``searchindex.js`` (8 MB at 5,000 roles). The
  handbook writes its own index into ``_static/handbook-search/``, split by term so that
  one query loads only what it needs (:func:`build_index`):

  - ``index.js``: the pages (name, title, kind, department), which shard holds the terms
    starting with which character, the question words and the labels;
  - ``t<n>.<hash>.js``: the shards; each term or character pair maps to the pages that
    hold it in their title, their duties or anywhere else (Sphinx's own index). Titles and
    duties are also indexed by character pairs (bigrams) so that a word is found however
    jieba or the browser cut it, and titles and names by their pinyin;
  - ``pages/<docname>.js``: the text passages of one page, for its result's snippet.

* Suggestions as you type in the header (every page) read ``suggest.js`` (roles,
  departments, processes with title, code and pinyin) and ``people-<n>.js`` (people, split
  by the start of their name) — never the full-text index.

The pure part (vocabulary, keys, postings, shards, suggestion entries) imports no Sphinx.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging as _stdlib_logging
import re
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.search import SearchLanguage
from sphinx.util import logging

from . import model as m
from .errors import HandbookExit
from .i18n import _
from .pages import PAGE_KINDS, docname_for, index_docname

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
USERDICT_NAME = "handbook-search-userdict.txt"
#: the folder below ``_static`` holding the index, the shards, the page texts and suggestions
DATA_DIR = "handbook-search"
#: assets of the search page and of the header's suggestions (copied to ``_static``)
SEARCH_ASSETS = ("handbook-search.js", "handbook-search.css")
SUGGEST_ASSETS = ("handbook-suggest.js",)
#: the option of ``html_search_options`` carrying the generated user dictionary
OPTION_VOCABULARY = "handbook_userdict"
#: jieba frequency given to the handbook's own words, so they are kept whole
WORD_FREQ = 200_000
#: longest handbook phrase added to the dictionary (longer step texts are sentences)
MAX_WORD_LEN = 16

_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_HAN = re.compile(f"[{_HAN_CLASS}]")
_HAN_RUN = re.compile(f"[{_HAN_CLASS}]+")
_LETTERS = re.compile(rf"[^\W\d_{_HAN_CLASS}]+")
_LATIN = re.compile(rf"[^\W{_HAN_CLASS}]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")

#: function words that carry no meaning in a query (the same list goes to the browser)
CHINESE_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 对 由 为 并 将 把 被 其 之 而 且 也 就 都 以 于 从 向 中 内 按".split())
ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by for from in is it of on or that the to with".split())

class HandbookSearchError(HandbookExit):
    category = "Handbook search error"


# -- pure part: the vocabulary ----------------------------------------------------------

def has_han(s: str) -> bool:
    return bool(_HAN.search(s))


def _texts(t: m.Text | None) -> tuple[str, ...]:
    return () if t is None else tuple(s.strip() for s in t.all_strings() if s and s.strip())


def vocabulary(hb: m.Handbook) -> list[str]:
    """The handbook's own words, to be kept whole by the segmenter.

    The Chinese runs of role titles, grades, department names and categories, process
    names and short step actions, in every language given. Sorted, unique.
    """
    words: set[str] = set()
    for role in hb.roles.values():
        words.update(_texts(role.title))
        words.update(_texts(role.grade))
    for dept in hb.departments.values():
        words.update(_texts(dept.name))
        words.update(_texts(dept.category))
    for proc in hb.processes.values():
        words.update(_texts(proc.name))
        for step in proc.steps:
            words.update(s for s in _texts(step.action) if len(s) <= 8)
    if hb.company is not None:
        words.update(_texts(hb.company.short_name))
    out = set()
    for w in words:
        # jieba sees the Chinese runs only (Latin words are indexed apart): "IQC 来料检验员"
        # gives "来料检验员"; a phrase with punctuation gives its pieces
        out.update(run for run in _HAN_RUN.findall(w) if 2 <= len(run) <= MAX_WORD_LEN)
    return sorted(out)


def userdict_text(words: Iterable[str], freq: int = WORD_FREQ) -> str:
    """jieba's user-dictionary format: ``word freq`` per line."""
    return "".join(f"{w} {freq}\n" for w in words)


def read_userdict(path: Path) -> list[tuple[str, int | None]]:
    """Words of a jieba user dictionary file (``word [freq] [tag]`` per line; ``#`` comments)."""
    entries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        entries.append((parts[0], freq))
    return entries


def _all(texts: Iterable[m.Text | None]) -> list[str]:
    return [s for t in texts for s in _texts(t)]


def _duties(items: m.DutyList) -> list[m.Text]:
    out: list[m.Text] = []
    for item in items:
        if isinstance(item, m.DutyGroup):
            out.append(item.title)
            out.extend(d.text for d in item.items)
        else:
            out.append(item.text)
    return out


@dataclass(frozen=True)
class PageText:
    """What a generated page is about, for the fields of the index: its titles (every
    language), codes and holders' names; its lead (a role's or department's purpose, the
    headings of its duty groups: what the post is for); its duties (responsibilities, a
    department's functions, a process's steps)."""

    titles: tuple[str, ...]
    duties: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # people holding the role
    leads: tuple[str, ...] = ()


def _groups(items: m.DutyList) -> list[m.Text]:
    return [item.title for item in items if isinstance(item, m.DutyGroup)]


def page_texts(hb: m.Handbook, docname_for: Callable[[str, str], str],
               show_people: bool = True) -> dict[str, PageText]:
    """The title, lead and duty texts of every role, department and process page, by docname."""
    out: dict[str, PageText] = {}
    for rid, role in hb.roles.items():
        names = tuple(s for h in hb.holders.get(rid, ()) for s in _texts(h.person.name)) if show_people else ()
        out[docname_for("role", rid)] = PageText(
            tuple(_texts(role.title)), tuple(_all(_duties(role.responsibilities))), tuple(_texts(role.code)), names,
            tuple(_all([role.purpose, *_groups(role.responsibilities)])))
    for did, dept in hb.departments.items():
        out[docname_for("department", did)] = PageText(
            tuple(_texts(dept.name)), tuple(_all(_duties(dept.functions))), tuple(_texts(dept.code)), (),
            tuple(_all([dept.purpose, *_groups(dept.functions)])))
    for pid, proc in hb.processes.items():
        out[docname_for("process", pid)] = PageText(
            tuple(_texts(proc.name)), tuple(_all([proc.trigger, *(s.action for s in proc.steps)])), (), (),
            tuple(_texts(proc.purpose)))
    return out


# -- pure part: index keys -------------------------------------------------------------

def bigrams(text: str) -> set[str]:
    """Every pair of neighbouring Chinese characters: a word of a title or a duty is found
    by its pairs whatever a segmenter made of it."""
    out: set[str] = set()
    for run in _HAN_RUN.findall(text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def han_chars(text: str) -> set[str]:
    return set(_HAN.findall(text))


@functools.lru_cache(maxsize=65536)
def _pinyin_tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """``(token, is_pinyin)``: a lower-case pinyin syllable per Chinese character (common
    readings), a Latin word or number as it is."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415 - a dependency; imported where used

    out: list[tuple[str, bool]] = []
    for part in re.split(f"([{_HAN_CLASS}]+)", text):
        if has_han(part):
            out.extend((s.lower(), True) for s in lazy_pinyin(part))
        else:
            out.extend((w.lower(), False) for w in _ALNUM.findall(part))
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
    for part in [text, *_HAN_RUN.findall(text)]:
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
    parts = [p.lower() for p in _ALNUM.findall(code)]
    return {"".join(parts[i:]) for i in range(len(parts))} - {""}


def group_of(key: str) -> str:
    """The shard group of a key: its first character if Chinese, else its first two
    (``=k`` for the exact keys of titles starting with k)."""
    return key[0] if _HAN.match(key) else key[:2]


#: the fields of a page a key can be in: its title, its duties, anywhere (Sphinx's index),
#: its lead (purpose, duty group headings) — in this order in a shard's "T|D|O|L" value
TITLE, DUTY, OTHER, LEAD = 0, 1, 2, 3


def encode_postings(ids: Iterable[int], size: int) -> str:
    """Sorted page numbers as comma-separated base-36 gaps, or ``~`` + a base64 bitmap
    (bit i = page i) when that is shorter."""
    ids = sorted(set(ids))
    if not ids:
        return ""
    prev, parts = 0, []
    for i in ids:
        parts.append(_base36(i - prev))
        prev = i
    listed = ",".join(parts)
    if len(listed) <= (size + 5) // 6 + 2:
        return listed
    bits = bytearray((size + 7) // 8)
    for i in ids:
        bits[i >> 3] |= 1 << (i & 7)
    return "~" + base64.b64encode(bytes(bits)).decode("ascii")


def front_coded(names: Sequence[str]) -> list[str]:
    """Sorted names, each as the length it shares with the one before (one base-36 digit)
    and the rest: ``roles/cs-supervisor``, ``roles/cs-team-leader`` -> ``0roles/cs-supervisor``,
    ``9team-leader``."""
    out, prev = [], ""
    for name in names:
        n = 0
        while n < min(len(prev), len(name), 35) and prev[n] == name[n]:
            n += 1
        out.append(_base36(n) + name[n:])
        prev = name
    return out


def front_decoded(coded: Sequence[str]) -> list[str]:
    out, prev = [], ""
    for s in coded:
        prev = prev[:int(s[0], 36)] + s[1:]
        out.append(prev)
    return out


def decode_postings(s: str) -> list[int]:
    if not s:
        return []
    if s.startswith("~"):
        bits = base64.b64decode(s[1:])
        return [i for i in range(len(bits) * 8) if bits[i >> 3] >> (i & 7) & 1]
    out, cur = [], 0
    for part in s.split(","):
        cur += int(part, 36)
        out.append(cur)
    return out


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


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
        for w in _LATIN.findall(text):
            parts = _LETTERS.findall(w)
            for word in [w, *(parts if parts != [w] else [])]:
                out.update(index_words(lambda s: [s], self.stem, self.word_filter, word))
        return out


def index_words(split: Callable[[str], list[str]], stem: Callable[[str], str],
                word_filter: Callable[[str], bool], text: str) -> list[str]:
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
        keys = {"".join(_ALNUM.findall(text)).lower()}
    return {EXACT + k for k in keys if len(k) >= 2}


def duty_keys(text: str, words: Words) -> set[str]:
    return bigrams(text) | words.latin(text)


@dataclass
class Index:
    """The split index: what ``index.js`` says and the shards' contents."""

    docnames: list[str]
    titles: list[str]
    groups: dict[str, int]  # group -> shard number
    shards: list[dict[str, str]]  # key -> "title|duty|other|lead" postings
    size: int = 0  # bytes of all shards

    def postings(self, key: str) -> tuple[list[int], ...]:
        """The pages holding ``key`` in their title, duties, anywhere else and lead (each page
        in its best field), decoded, for tests."""
        shard = self.groups.get(group_of(key))
        fields = (self.shards[shard].get(key, "") if shard is not None else "").split("|")
        fields += [""] * (4 - len(fields))
        return tuple(decode_postings(f.lstrip("*")) for f in fields)

    def is_word(self, key: str) -> bool:
        """Whether ``key`` is a word of Sphinx's index (not only a pair of characters)."""
        shard = self.groups.get(group_of(key))
        fields = (self.shards[shard].get(key, "") if shard is not None else "").split("|")
        return len(fields) > 2 and fields[2].startswith("*")


def build_index(docnames: Sequence[str], titles: Sequence[str], other: dict[str, Iterable[int]],
                fields: dict[int, tuple[set[str], ...]], shard_bytes: int = 64_000) -> Index:
    """Postings of every key, packed into shards of about ``shard_bytes``.

    ``other``: key -> pages (Sphinx's terms and title terms); ``fields``: page -> (title
    keys, duty keys, lead keys). A key's value is ``"T|D|O|L"``; a page is listed in its best
    field only (title > lead > duty > anywhere), which is all the ranking needs, and ``O``
    starts with ``*`` when the key is a word of Sphinx's index (the browser joins pieces of
    a query into such words). A shard holds whole groups (all keys starting with one
    Chinese character, or with the same two Latin characters), so the browser can tell from
    a query which shards to load.
    """
    size = len(docnames)
    postings: dict[str, list[set[int]]] = {}

    def slot(key: str) -> list[set[int]]:
        p = postings.get(key)
        if p is None:
            p = postings[key] = [set(), set(), set(), set()]
        return p

    for key, pages in other.items():
        slot(key)[OTHER].update(pages)
    for page, keysets in fields.items():
        for n, keys in zip((TITLE, DUTY, LEAD), keysets):
            for key in keys:
                slot(key)[n].add(page)
    encoded: dict[str, dict[str, str]] = {}
    sizes: dict[str, int] = {}
    for key in sorted(postings):
        t, d, o, lead = postings[key]
        # each page in its best field only (title > lead > duty > anywhere): what ranking needs
        lead -= t
        d -= t | lead
        o -= t | lead | d
        o_text = ("*" if key in other else "") + encode_postings(o, size)
        value = "|".join((encode_postings(t, size), encode_postings(d, size), o_text,
                          encode_postings(lead, size))).rstrip("|")
        group = group_of(key)
        encoded.setdefault(group, {})[key] = value
        sizes[group] = sizes.get(group, 0) + len(key.encode()) + len(value) + 6
    # first fit, largest groups first: shards of about shard_bytes, a large group alone
    shard_sizes: list[int] = []
    groups: dict[str, int] = {}
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        for n, used in enumerate(shard_sizes):
            if used + sizes[group] <= shard_bytes:
                break
        else:
            n = len(shard_sizes)
            shard_sizes.append(0)
        shard_sizes[n] += sizes[group]
        groups[group] = n
    shards: list[dict[str, str]] = [{} for _ in shard_sizes]
    for group, n in groups.items():
        shards[n].update(encoded[group])
    return Index(list(docnames), list(titles), groups, [dict(sorted(s.items())) for s in shards], sum(shard_sizes))


# -- pure part: suggestions -------------------------------------------------------------

def suggest_entries(hb: m.Handbook, language: str, docname_for: Callable[[str, str], str],
                    show_people: bool = True) -> tuple[list[list[Any]], list[str], list[list[Any]]]:
    """Roles, departments and processes for the header's suggestions, and the people.

    An entry: ``[kind, title, pinyin, code, docname, context, other titles]`` — ``pinyin``:
    syllables separated by spaces; ``context``: an index into the department names (a
    role's department, a department's parent) or -1. A person: ``[name, pinyin, anchor,
    role entry numbers]``.
    """
    entries: list[list[Any]] = []
    depts: list[str] = []
    dept_no: dict[str, int] = {}
    for did, dept in hb.departments.items():
        dept_no[did] = len(depts)
        depts.append(dept.name.get(language))

    def other_titles(t: m.Text) -> str:
        own = t.get(language)
        return " / ".join(s for s in _texts(t) if s != own)

    def add(kind: str, title: m.Text, code: m.Text | None, docname: str, context: int) -> None:
        shown = title.get(language)
        entries.append([kind, shown, " ".join(pinyin_syllables(shown)), code.get(language) if code else "",
                        docname, context, other_titles(title)])

    for did, dept in hb.departments.items():
        add("d", dept.name, dept.code, docname_for("department", did), dept_no.get(dept.parent or "", -1))
    role_no: dict[str, int] = {}
    for rid, role in hb.roles.items():
        role_no[rid] = len(entries)
        add("r", role.title, role.code, docname_for("role", rid), dept_no.get(role.department, -1))
    for pid, proc in hb.processes.items():
        add("p", proc.name, None, docname_for("process", pid), -1)
    people: list[list[Any]] = []
    if show_people:
        for person in hb.people:
            name = person.name.get(language)
            people.append([name, " ".join(pinyin_syllables(name)), person.key,
                           [role_no[a.role] for a in person.assignments if a.role in role_no]])
    return entries, depts, people


def char_tokens(text: str, readings: dict[str, str]) -> list[str]:
    """The text's syllables read one character at a time (as the browser does with
    ``readings``), Latin words and numbers lower-cased."""
    out: list[str] = []
    for part in re.split(f"([{_HAN_CLASS}])", text):
        if _HAN.fullmatch(part):
            out.append(readings.get(part, part))
        else:
            out.extend(w.lower() for w in _ALNUM.findall(part))
    return out


def compact_suggestions(entries: list[list[Any]], people: list[list[Any]],
                        prefixes: dict[str, str]) -> tuple[dict[str, str], list[list[Any]], list[list[Any]]]:
    """Smaller suggestion data: each character's common reading once (``readings``), an
    entry's pinyin only where its reading differs (行政 xíng, 银行 háng); a page's id without
    its folder; no empty fields at the end."""
    readings: dict[str, str] = {}
    for text in [e[1] for e in entries] + [p[0] for p in people]:
        for c in _HAN.findall(text):
            if c not in readings:
                readings[c] = pinyin_syllables(c)[0]

    def trim(row: list[Any]) -> list[Any]:
        while row and row[-1] == "":
            row = row[:-1]
        return row

    def own(text: str, pinyin: str) -> str:
        return "" if char_tokens(text, readings) == pinyin.split() else pinyin

    out_entries = [trim([e[0], e[1], own(e[1], e[2]), e[3], e[4][len(prefixes[e[0]]):], e[5], e[6]])
                   for e in entries]
    out_people = [[p[0], own(p[0], p[1]), p[2], p[3]] for p in people]
    return readings, out_entries, out_people


def person_groups(person: list[Any]) -> set[str]:
    """The keys a person is suggested under: the start of the name, of its pinyin
    (two letters) and its first two initials (``zh``, ``zt`` for 周婷)."""
    name, syl = person[0], person[1].split()
    keys = {name[:1].lower()} if name else set()
    if syl:
        keys.add(syl[0][:2])
        if len(syl) > 1:
            keys.add(syl[0][0] + syl[1][0])
    return {k for k in keys if k}


def pack_people(people: list[list[Any]], target_bytes: int = 48_000) -> tuple[dict[str, int], list[list[list[Any]]]]:
    """People in files of about ``target_bytes``, by the keys they are suggested under."""
    by_key: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        for k in person_groups(p):
            by_key.setdefault(k, []).append(i)
    size = {k: sum(len(json.dumps(people[i], ensure_ascii=False)) for i in ix) for k, ix in by_key.items()}
    files: list[set[int]] = []
    used: list[int] = []
    where: dict[str, int] = {}
    for k in sorted(by_key, key=lambda k: (-size[k], k)):
        for n, u in enumerate(used):
            if u + size[k] <= target_bytes:
                break
        else:
            n = len(used)
            used.append(0)
            files.append(set())
        used[n] += size[k]
        files[n].update(by_key[k])
        where[k] = n
    return where, [[people[i] for i in sorted(f)] for f in files]


# -- pure part: page passages for snippets ------------------------------------------------

#: the most passages and characters kept per page for its snippet
MAX_PASSAGES = 400
MAX_PASSAGE_CHARS = 300
#: element classes whose text is no passage (charts, the generated toctrees)
_SKIP_CLASSES = {"handbook-chart", "toctree-wrapper", "handbook-chart-fallback", "handbook-chart-caption"}
_FIELD_TABLES = {"handbook-fields"}
#: sections whose table rows are duties (render.py's section ids "<kind>-<id>.<part>")
_DUTY_SECTIONS = (".responsibilities", ".functions", ".steps")


def passages(doctree: nodes.Node) -> list[list[Any]]:
    """The page's text as ``[section heading, text, flag]`` passages, in reading order.

    A passage is a paragraph, a list item or a table row (a duty row gives its duty, KPI
    and frequency). ``flag`` 1 marks the rows of a header table (岗位编号, 任职人员 …): the
    search page shows them only when nothing else matches; 2 marks a duty (a row of a
    role's responsibilities, a department's functions, a process's steps): preferred among
    passages that match as well.
    """
    out: list[list[Any]] = []
    page_title: list[str] = []

    def add(label: str, text: str, flag: int = 0) -> None:
        text = " ".join(text.split())
        if text and len(out) < MAX_PASSAGES:
            if len(text) > MAX_PASSAGE_CHARS:
                text = text[:MAX_PASSAGE_CHARS] + "…"
            out.append([label, text, flag] if flag else [label, text])

    def table(node: nodes.table, label: str, duty: int) -> None:
        header = bool(set(node.get("classes", ())) & _FIELD_TABLES)
        for tbody in node.findall(nodes.tbody):
            for row in tbody.children:
                cells = [" ".join(e.astext().split()) for e in row.children if isinstance(e, nodes.entry)]
                if header:
                    if len(cells) == 2 and cells[1]:
                        add(label, f"{cells[0]}: {cells[1]}", 1)
                    continue
                if len(cells) > 1 and re.fullmatch(r"[\d.]+", cells[0]):
                    cells = cells[1:]  # the row number
                add(label, " · ".join(c for c in cells if c and c != "—"), duty)

    def visit(node: nodes.Element, label: str, duty: int) -> None:
        for child in node.children:
            if not isinstance(child, nodes.Element):
                continue
            if set(child.get("classes", ())) & _SKIP_CLASSES or child.tagname in (
                    "comment", "raw", "system_message", "target", "substitution_definition", "index",
                    "toctree", "mermaid", "org_chart", "literal_block", "meta"):
                continue
            if isinstance(child, nodes.section):
                title = child.next_node(nodes.title)
                text = title.astext() if title is not None else label
                duties = 2 if any(i.endswith(_DUTY_SECTIONS) for i in child.get("ids", ())) else 0
                if not page_title:
                    page_title.append(text)
                    visit(child, "", duties)
                else:
                    visit(child, text, duties)
            elif isinstance(child, nodes.title):
                continue
            elif isinstance(child, nodes.table):
                table(child, label, duty)
            elif isinstance(child, nodes.list_item):
                if child.next_node(lambda n: isinstance(n, (nodes.bullet_list, nodes.enumerated_list)),
                                   include_self=False) is not None:
                    visit(child, label, duty)
                else:
                    add(label, child.astext())
            elif isinstance(child, (nodes.paragraph, nodes.line_block, nodes.term, nodes.field_name)):
                add(label, child.astext())
            else:
                visit(child, label, duty)

    visit(doctree, "", 0)  # type: ignore[arg-type]
    return out


# -- the search language --------------------------------------------------------------

def _import_jieba():
    try:
        import jieba  # noqa: PLC0415 - optional dependency, needed only for Chinese handbooks
    except ImportError as exc:
        raise HandbookSearchError(
            "Chinese search needs the Python package jieba, which is not installed "
            f"({exc}). Install it (`pip install jieba`; it is a dependency of handbook), "
            "or switch the search off with `html_search_language = 'en'` in conf.py. "
            "Without jieba the Chinese text would silently not be indexed.") from None
    jieba.setLogLevel(_stdlib_logging.WARNING)  # no "Building prefix dict ..." on stderr
    return jieba


class SearchHandbookChinese(SearchLanguage):
    """Chinese (and the Latin words among it) segmented by jieba plus the handbook's words."""

    lang = "zh"
    language_name = "Chinese"
    stopwords = CHINESE_STOPWORDS | ENGLISH_STOPWORDS
    js_stemmer_rawcode = ""
    js_stemmer_code = """
/* Handbook Chinese search: Latin words are only lower-cased (the index does the same). */
var Stemmer = function () {
  this.stemWord = function (w) { return w.toLowerCase(); };
};
"""
    js_splitter_code = (STATIC_DIR / "handbook-splitter.js").read_text(encoding="utf-8")

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        jieba = _import_jieba()
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        self.own_words: set[str] = set()
        for key in ("dict", OPTION_VOCABULARY):  # "dict": the option Sphinx's SearchChinese knows
            path = options.get(key)
            if path and Path(path).is_file():
                for word, freq in read_userdict(Path(path)):
                    self.tokenizer.add_word(word, freq or WORD_FREQ)
                    self.own_words.add(word)

    def split(self, input: str) -> list[str]:
        words: list[str] = []
        for run in _HAN_RUN.findall(input):
            words.extend(self.tokenizer.cut_for_search(run))
        for w in _LATIN.findall(input):
            words.append(w)
            parts = _LETTERS.findall(w)  # "ISO9001" is also found as "ISO"
            if parts != [w]:
                words.extend(parts)
        return words

    def word_filter(self, word: str) -> bool:
        if word in self.stopwords or word.isdigit():
            return False
        return len(word) > 1 or has_han(word)

    def stem(self, word: str) -> str:
        return word.lower()


def index_terms(split: Callable[[str], list[str]], stem: Callable[[str], str],
                word_filter: Callable[[str], bool], texts: Iterable[str]) -> set[str]:
    """The terms the search index holds for ``texts``."""
    return {w for text in texts for w in index_words(split, stem, word_filter, text)}


# -- Sphinx glue ----------------------------------------------------------------------

def _search_language(app) -> str:
    return app.config.html_search_language or app.config.language or "en"


def _is_chinese(app) -> bool:
    return _search_language(app).replace("-", "_").split("_")[0].lower() == "zh"


def _has_search(app) -> bool:
    """An HTML builder that writes a search page (html, dirhtml; not epub, singlehtml, the PDF)."""
    b = app.builder
    return b.format == "html" and bool(getattr(b, "search", False)) and b.name not in ("epub", "singlehtml")


def _builder_inited(app) -> None:
    """Check jieba, write the handbook's words as a jieba user dictionary for the index;
    put the suggestions' script on every page."""
    if not _has_search(app):
        return  # no search index (PDF, epub, ...): jieba is not needed
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    for name in SUGGEST_ASSETS:  # copied now, so Sphinx stamps the tag with a checksum
        _copy_if_changed(STATIC_DIR / name, static / name)
        app.add_js_file(name, defer="defer")
    write_suggestions(app)
    if not _is_chinese(app):
        return
    _import_jieba()  # fail now, clearly, rather than index nothing
    handbook = getattr(app.env.domains["org"], "handbook", None)
    words = vocabulary(handbook) if handbook is not None else []
    extra = app.config.handbook_search_dict
    if extra:
        path = Path(app.confdir, extra)
        if not path.is_file():
            raise HandbookSearchError(f"handbook_search_dict: the file {path} does not exist")
        words = sorted(set(words) | {w for w, _freq in read_userdict(path)})
    text = userdict_text(words)
    dict_path = Path(app.doctreedir, USERDICT_NAME)
    dict_path.parent.mkdir(parents=True, exist_ok=True)
    _write_if_changed(dict_path, text)
    # the language object is made by Sphinx from html_search_options: hand the file over there
    options = dict(app.config.html_search_options or {})
    options[OPTION_VOCABULARY] = str(dict_path)
    app.config.html_search_options = options


def _page_file(outdir: str | Path, docname: str) -> Path:
    return Path(outdir, "_static", DATA_DIR, "pages", docname + ".js")


def _doctree_resolved(app, doctree: nodes.document, docname: str) -> None:
    """Each page written gets its passages file (the snippets of its search result)."""
    if not _has_search(app) or getattr(app.builder, "indexer", None) is None:
        return
    if "nosearch" in app.env.metadata.get(docname, {}):
        return
    path = _page_file(app.outdir, docname)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_if_changed(path, _jsonp("p:" + docname, passages(doctree)))


def _jsonp(name: str, data: Any) -> str:
    """A data file the page loads with a script tag (works from file:// too)."""
    return f"HandbookSearch.loaded({json.dumps(name, ensure_ascii=False)},{_json(data)});\n"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _html_page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Every page: the version of the suggestions' data (the header's search box loads it
    on first use). The search page (written once, after every document): the split index,
    then the page's script and style.

    The files are written before they are added, so Sphinx stamps them with a checksum
    (``?v=...``) and browsers never keep a stale copy after a rebuild.
    """
    if not _has_search(app):
        return
    data_dir = Path(app.outdir, "_static", DATA_DIR)
    try:
        context["handbook_suggest_version"] = f"{(data_dir / 'suggest.js').stat().st_mtime_ns:x}"
        context["handbook_suggest_label"] = str(_("Suggestions"))
    except OSError:
        pass  # no suggestions (the data is written at the start of the build)
    if pagename != "search" or getattr(app.builder, "indexer", None) is None:
        return
    static = Path(app.outdir, "_static")
    for name in SEARCH_ASSETS:
        _copy_if_changed(STATIC_DIR / name, static / name)
    boot = write_index(app)
    app.builder.add_css_file("handbook-search.css")
    # which shard holds what, in the page itself: the shards a query needs are requested at once
    app.builder.add_js_file(None, body=f"window.HandbookSearchBoot = {_json(boot)};")
    app.builder.add_js_file("handbook-search.js")  # not deferred: it requests the query's shards at once
    app.builder.add_js_file(f"{DATA_DIR}/index.js", defer="defer")


def _drop_chart_script(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """sphinxcontrib-mermaid adds the Mermaid module to every page without a doctree (the
    search page, the general index): about 800 KB of chunks for no chart. Drop it there."""
    if doctree is not None or not isinstance(context.get("script_files"), list):
        return
    context["script_files"][:] = [js for js in context["script_files"]
                                  if "mermaid" not in str(getattr(js, "filename", "") or "")
                                  and "mermaid" not in str(getattr(js, "attributes", {}).get("body", ""))]


def _labels() -> dict[str, str]:
    """The labels the search page and the suggestions show, in the build language."""
    return {
        "results": str(_("Search results")),
        "searching": str(_("Searching…")),
        "found": str(_("{n} pages found.")),
        "found_one": str(_("One page found.")),
        "none": str(_("No page matches “{q}”.")),
        "none_hint": str(_("Try fewer words, a role or department name, its code, or pinyin such as kfzg.")),
        "not_found": str(_("Not found: {words}.")),
        "partial": str(_("No page holds all the words; pages holding the most come first.")),
        "missing": str(_("Missing: {words}")),
        "limit": str(_("Showing the {n} best matches; add words to narrow the search.")),
        "error": str(_("The search data could not be loaded.")),
        "n_suggestions": str(_("{n} suggestions, use the up and down arrow keys to choose.")),
        "no_suggestions": str(_("No suggestions; press Enter to search the full text.")),
        "role": str(_("role")),
        "department": str(_("department")),
        "process": str(_("process")),
        "person": str(_("person")),
        "sep": str(_(", ")),
    }


def _hashed(data_dir: Path, name: str, data: Any) -> str:
    """Write a data file whose name carries its content hash; return the name."""
    text = _jsonp(name, data)
    file = f"{name}.{hashlib.blake2b(text.encode(), digest_size=5).hexdigest()}.js"
    _write_if_changed(data_dir / file, text)
    return file


def _remove_others(data_dir: Path, prefix: str, keep: set[str]) -> None:
    """Data files of earlier builds (their names carry a hash)."""
    for path in data_dir.glob(prefix + "*.js"):
        if path.name not in keep:
            path.unlink()


def write_suggestions(app) -> None:
    """``suggest.js`` (departments, roles, processes) and the people's files."""
    handbook = getattr(app.env.domains["org"], "handbook", None)
    show_people = bool(app.config.handbook_show_people)
    language = app.config.language or ""
    data_dir = Path(app.outdir, "_static", DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    entries, depts, people = (suggest_entries(handbook, language, docname_for, show_people)
                              if handbook is not None else ([], [], []))
    people_keys, people_files = pack_people(people)
    prefixes = {kind[0]: docname_for(kind, "") for kind in ("department", "role", "process")}
    readings, entries, _ = compact_suggestions(entries, people, prefixes)
    files = [_hashed(data_dir, f"h{n}", compact_suggestions([], group, prefixes)[2])
             for n, group in enumerate(people_files)]
    _remove_others(data_dir, "h", set(files))
    _write_if_changed(data_dir / "suggest.js", _jsonp("suggest", {
        "entries": entries, "depts": depts, "pages": prefixes, "readings": readings, "people": people_keys,
        "files": files, "peopleDoc": index_docname("people") if show_people and people else "",
        "labels": _labels()}))


def write_index(app) -> dict[str, Any]:
    """The split index (``index.js`` and the shards); the passages of removed pages go.
    Returns what the search page needs first: which shard holds which group, the
    question words, a stamp of this build for the page files' addresses."""
    started = time.process_time()
    env = app.env
    builder = app.builder
    lang = builder.indexer.lang  # the very splitter and stemmer of the index
    words = Words(lang.split, lang.stem, lang.word_filter)
    if not _is_chinese(app):
        words = _with_chinese_titles(words)
    language = app.config.language or ""
    handbook = getattr(env.domains["org"], "handbook", None)
    show_people = bool(app.config.handbook_show_people)

    docnames = [d for d in sorted(env.all_docs) if "nosearch" not in env.metadata.get(d, {})]
    number = {d: i for i, d in enumerate(docnames)}
    titles = [env.titles[d].astext() if d in env.titles else d for d in docnames]
    terms, title_terms = builder.indexer.get_terms(number)
    other: dict[str, set[int]] = {}
    for mapping in (terms, title_terms):
        for key, pages in mapping.items():
            other.setdefault(key, set()).update([pages] if isinstance(pages, int) else pages)

    texts = page_texts(handbook, docname_for, show_people) if handbook is not None else {}
    role_of = {docname_for("role", rid): role for rid, role in handbook.roles.items()} if handbook else {}
    kind_of: dict[str, str] = {}
    if handbook is not None:
        kind_of.update({docname_for("department", d): "d" for d in handbook.departments})
        kind_of.update({docname_for("process", p): "p" for p in handbook.processes})
        kind_of.update({k.docname: "i" for k in PAGE_KINDS if not k.per})
    fields: dict[int, tuple[set[str], set[str], set[str]]] = {}
    kinds: list[str] = []
    role_dept: list[int] = []
    depts: list[str] = []
    dept_no: dict[str, int] = {}
    # titles, names and duty sentences repeat across pages (客服专员 in many departments)
    title_of = functools.lru_cache(maxsize=None)(lambda t, exact: frozenset(title_keys(t, words, exact)))
    duty_of = functools.lru_cache(maxsize=None)(lambda t: frozenset(duty_keys(t, words)))
    for i, doc in enumerate(docnames):
        page = texts.get(doc)
        tkeys = set(title_of(titles[i], True))
        dkeys: set[str] = set()
        lkeys: set[str] = set()
        if page is not None:
            for t in page.titles:
                tkeys |= title_of(t, True)
            for t in page.names:  # the holders: found by name and its pinyin, not named exactly
                tkeys |= title_of(t, False)
            for c in page.codes:
                tkeys |= code_keys(c) | exact_keys(c)
            for t in page.duties:
                dkeys |= duty_of(t)
            for t in page.leads:
                lkeys |= duty_of(t)
        fields[i] = (tkeys, dkeys, lkeys)
        role = role_of.get(doc)
        if role is not None:
            kinds.append("r")
            if role.department not in dept_no:
                dept = handbook.departments.get(role.department)
                dept_no[role.department] = len(depts)
                depts.append(dept.name.get(language) if dept else "")
            role_dept.append(dept_no[role.department])
        else:
            kinds.append(kind_of.get(doc, "o"))
            role_dept.append(-1)
    index = build_index(docnames, titles, other, fields, app.config.handbook_search_shard_kb * 1000)

    data_dir = Path(app.outdir, "_static", DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    shards = [_hashed(data_dir, f"t{n}", shard) for n, shard in enumerate(index.shards)]
    _remove_others(data_dir, "t", set(shards))
    meta = {"docnames": front_coded(docnames), "titles": titles, "kinds": "".join(kinds), "dept": role_dept,
            "depts": depts, "labels": _labels()}
    text = _jsonp("index", meta)
    _write_if_changed(data_dir / "index.js", text)
    boot = {"groups": index.groups, "shards": shards, "ignore": list(app.config.handbook_search_ignore),
            "stamp": hashlib.blake2b((text + "".join(shards)).encode(), digest_size=5).hexdigest()}
    pages_dir = data_dir / "pages"
    if pages_dir.is_dir():  # passages of removed pages
        wanted = set(docnames)
        for path in pages_dir.rglob("*.js"):
            if path.relative_to(pages_dir).as_posix()[:-3] not in wanted:
                path.unlink()
    for doc in docnames:  # pages not written in this build whose passages are missing (a new output folder)
        path = _page_file(app.outdir, doc)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_jsonp("p:" + doc, passages(env.get_doctree(doc))), encoding="utf-8")
    logger.verbose("handbook search: %d pages, %d shards of %d KB in all, in %.1f s CPU", len(docnames),
                   len(shards), index.size // 1000, time.process_time() - started)
    return boot


def _with_chinese_titles(words: Words) -> Words:
    """In a handbook whose search language is not Chinese, Chinese titles (of bilingual
    data) are still cut into words by jieba when it is installed, for their pinyin."""
    try:
        jieba = _import_jieba()
    except HandbookSearchError:
        return words
    base_split = words.split

    def split(text: str) -> list[str]:
        out = []
        for part in re.split(f"([{_HAN_CLASS}]+)", text):
            if has_han(part):
                out.extend(jieba.lcut_for_search(part))
            elif part:
                out.extend(base_split(part))
        return out

    def word_filter(word: str) -> bool:
        return has_han(word) or words.word_filter(word)

    return Words(split, words.stem, word_filter)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _copy_if_changed(src: Path, dest: Path) -> None:
    if not dest.exists() or dest.read_bytes() != src.read_bytes():
        shutil.copyfile(src, dest)


def setup_search(app) -> None:
    app.add_search_language(SearchHandbookChinese)
    app.connect("builder-inited", _builder_inited, priority=600)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _html_page_context)
    app.connect("html-page-context", _drop_chart_script, priority=900)


__all__ = ["setup_search", "SearchHandbookChinese", "HandbookSearchError", "vocabulary", "userdict_text",
           "index_terms", "build_index", "suggest_entries", "passages", "pinyin_keys",
           "write_index", "write_suggestions"]
