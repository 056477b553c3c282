"""The search index's pure part: keys, postings, shards, suggestions, snippets (no Sphinx).

What the search page and the header's suggestions read, computed from the model and from
Sphinx's own index (which ``search.py`` hands over):

* keys of a page's fields — title (every language, codes, holders' names; characters,
  pairs of characters, words, pinyin, the whole title marked ``=``), lead (purpose, duty
  group headings), duties (pairs of characters, Latin words);
* postings (``T|D|O|L``, each page in its best field) packed into shards by the first
  character of each key (:func:`build_index`);
* the suggestions' entries and people (:func:`suggest_entries`, :func:`pack_people`);
* a page's passages for its snippet (:func:`passages`, from its doctree).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from docutils import nodes

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

def _all(texts: Iterable[m.Text | None]) -> list[str]:
    return [s for t in texts for s in texts_of(t)]


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
        names = tuple(s for h in hb.holders.get(rid, ()) for s in texts_of(h.person.name)) if show_people else ()
        out[docname_for("role", rid)] = PageText(
            tuple(texts_of(role.title)), tuple(_all(_duties(role.responsibilities))), tuple(texts_of(role.code)), names,
            tuple(_all([role.purpose, *_groups(role.responsibilities)])))
    for did, dept in hb.departments.items():
        out[docname_for("department", did)] = PageText(
            tuple(texts_of(dept.name)), tuple(_all(_duties(dept.functions))), tuple(texts_of(dept.code)), (),
            tuple(_all([dept.purpose, *_groups(dept.functions)])))
    for pid, proc in hb.processes.items():
        out[docname_for("process", pid)] = PageText(
            tuple(texts_of(proc.name)), tuple(_all([proc.trigger, *(s.action for s in proc.steps)])), (), (),
            tuple(texts_of(proc.purpose)))
    return out


# -- pure part: index keys -------------------------------------------------------------

def bigrams(text: str) -> set[str]:
    """Every pair of neighbouring Chinese characters: a word of a title or a duty is found
    by its pairs whatever a segmenter made of it."""
    out: set[str] = set()
    for run in HAN_RUN.findall(text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def han_chars(text: str) -> set[str]:
    return set(HAN.findall(text))


@functools.lru_cache(maxsize=65536)
def _pinyin_tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """``(token, is_pinyin)``: a lower-case pinyin syllable per Chinese character (common
    readings), a Latin word or number as it is."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415 - a dependency; imported where used

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


#: the fields of a page a key can be in: its title, its duties, anywhere (Sphinx's index),
#: its lead (purpose, duty group headings) — in this order in a shard's "T|D|O|L" value
TITLE, DUTY, OTHER, LEAD = 0, 1, 2, 3


def encode_postings(ids: Iterable[int], size: int) -> str:
    """Sorted page numbers as comma-separated base-36 gaps, or ``~`` + a base64 bitmap
    (bit i = page i) when that is shorter."""
    ids = sorted(set(ids))
    if not ids:
        return ""
    limit = (size + 5) // 6 + 2
    if 2 * len(ids) - 1 <= limit:  # (else even one digit per gap is longer than the bitmap)
        prev, parts = 0, []
        for i in ids:
            parts.append(_base36(i - prev))
            prev = i
        listed = ",".join(parts)
        if len(listed) <= limit:
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


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
#: the numbers below 36 * 36 written out once (gaps between page numbers mostly are)
_SMALL = [a + b for a in _DIGITS for b in _DIGITS]
_SMALL[:36] = list(_DIGITS)


def _base36(n: int) -> str:
    if n < len(_SMALL):
        return _SMALL[n]
    digits = _DIGITS
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
        for w in LATIN.findall(text):
            parts = LETTERS.findall(w)
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
        keys = {"".join(ALNUM.findall(text)).lower()}
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
    # key -> pages per field (TITLE, DUTY, OTHER, LEAD); the commonest case inline: this runs
    # for every key of every page
    postings: dict[str, list[set[int]]] = {key: [set(), set(), set(pages), set()] for key, pages in other.items()}
    get = postings.get
    for page, keysets in fields.items():
        for n, keys in zip((TITLE, DUTY, LEAD), keysets):
            for key in keys:
                p = get(key)
                if p is None:
                    p = postings[key] = [set(), set(), set(), set()]
                p[n].add(page)
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
        return " / ".join(s for s in texts_of(t) if s != own)

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


def suggest_inputs(hb: m.Handbook, language: str, show_people: bool = True) -> str:
    """A digest of everything :func:`suggest_entries` reads: equal digests, equal suggestions
    (an edited duty leaves them as they were, so a rebuild does not make them again)."""
    def values(t: m.Text | None) -> object:
        return t.values if t is not None else None

    parts = (language, show_people,
             [(i, values(d.name), values(d.code), d.parent) for i, d in hb.departments.items()],
             [(i, values(r.title), values(r.code), r.department) for i, r in hb.roles.items()],
             [(i, values(p.name)) for i, p in hb.processes.items()],
             [(p.key, values(p.name), [a.role for a in p.assignments]) for p in hb.people] if show_people else [])
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def char_tokens(text: str, readings: dict[str, str]) -> list[str]:
    """The text's syllables read one character at a time (as the browser does with
    ``readings``), Latin words and numbers lower-cased."""
    out: list[str] = []
    for part in re.split(f"([{HAN_CLASS}])", text):
        if HAN.fullmatch(part):
            out.append(readings.get(part, part))
        else:
            out.extend(w.lower() for w in ALNUM.findall(part))
    return out


def compact_suggestions(entries: list[list[Any]], people: list[list[Any]],
                        prefixes: dict[str, str]) -> tuple[dict[str, str], list[list[Any]], list[list[Any]]]:
    """Smaller suggestion data: each character's common reading once (``readings``), an
    entry's pinyin only where its reading differs (行政 xíng, 银行 háng); a page's id without
    its folder; no empty fields at the end."""
    readings: dict[str, str] = {}
    for text in [e[1] for e in entries] + [p[0] for p in people]:
        for c in HAN.findall(text):
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
