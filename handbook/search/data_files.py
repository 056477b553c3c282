"""The search's data files: the split index, the suggestions, the page passages (Sphinx side).

The search page does not load Sphinx's ``searchindex.js`` (8 MB at 5,000 roles). The
handbook writes its own index into ``_static/handbook-search/`` (:func:`write_index`):

- ``index.js``: the pages (name, title, kind, department) and the labels;
- ``t<n>.<hash>.js``: the shards, split by the first character of each key, so one query
  loads only what it needs; which shard holds which characters is written into the
  search page itself, so the shards are requested at once;
- ``pages/<docname>.js``: the text passages of one page, for its result's snippet,
  written as each page is written (:func:`page_file`).

Suggestions as you type in the header (every page) read ``suggest.js`` (departments,
roles, processes) and ``h<n>.<hash>.js`` (people, by the start of their name), written at
the start of the build (:func:`write_suggestions`) — never the full-text index.

The keys of titles and names are kept in the doctree folder for the next build (an edited
duty then computes only its own page's keys). What the files hold is computed by the pure
modules (:mod:`handbook.search.index`, :mod:`handbook.search.suggestions`); the events of
:mod:`handbook.search.sphinx_` say when each file is written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sphinx.util import logging

from handbook import __version__
from handbook.files import write_if_changed
from handbook.i18n import _
from handbook.pages import PAGE_KINDS, docname_for, index_docname
from handbook.search.chinese import USERDICT_NAME, HandbookSearchError, is_chinese_search, with_chinese_titles
from handbook.search.index import build_index, page_texts
from handbook.search.keys import Words, code_keys, duty_keys, exact_keys, title_keys
from handbook.search.passages import passages
from handbook.search.postings import front_coded
from handbook.search.suggestions import compact_suggestions, pack_people, suggest_entries, suggest_inputs
from handbook.search.vocabulary import KEY as VOCAB_KEY
from handbook.search.vocabulary import Corpus, Finder, VocabularyError, handbook_texts, in_use, load_groups

logger = logging.getLogger(__name__)

#: the search keys of titles and names, kept for the next build (in the doctree folder)
TITLE_KEYS_NAME = "handbook-search-title-keys.pickle"
#: the folder below ``_static`` holding the index, the shards, the page texts and suggestions
DATA_DIR = "handbook-search"


def page_file(outdir: str | Path, docname: str) -> Path:
    return Path(outdir, "_static", DATA_DIR, "pages", docname + ".js")


def jsonp(name: str, data: Any) -> str:
    """A data file the page loads with a script tag (works from file:// too)."""
    return f"HandbookSearch.loaded({json.dumps(name, ensure_ascii=False)},{compact_json(data)});\n"


def compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


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
        "try": str(_("Try: ")),
        "nothing": str(_("No page holds these words.")),
        "also": str(_("Also searched for: {words}.")),
        "search_for": str(_("search")),
    }


def _hashed(data_dir: Path, name: str, data: Any) -> str:
    """Write a data file whose name carries its content hash; return the name."""
    text = jsonp(name, data)
    file = f"{name}.{hashlib.blake2b(text.encode(), digest_size=5).hexdigest()}.js"
    write_if_changed(data_dir / file, text)
    return file


def _remove_others(data_dir: Path, prefix: str, keep: set[str]) -> None:
    """Data files of earlier builds (their names carry a hash)."""
    for path in data_dir.glob(prefix + "*.js"):
        if path.name not in keep:
            path.unlink()


def vocabulary_groups(app) -> dict[str, tuple[str, ...]]:
    """The vocabulary of work: shipped, the company's file, ``conf.py`` (a bad file or
    setting stops the build with where it is wrong)."""
    name = app.config.handbook_search_vocabulary_file
    file = Path(app.confdir, name) if name else None
    if file is not None and not file.is_file():
        raise HandbookSearchError(f"handbook_search_vocabulary_file: the file {file} does not exist")
    try:
        return load_groups(app.config.handbook_search_synonyms, file)
    except VocabularyError as exc:
        raise HandbookSearchError(f"the search vocabulary: {exc}") from None


def vocabulary_inputs(app) -> str:
    """A digest of the vocabulary's groups (shipped, file, conf.py): equal digests, equal groups."""
    return hashlib.blake2b(repr(sorted(vocabulary_groups(app).items())).encode(), digest_size=8).hexdigest()


def vocabulary_in_use(app, handbook, terms: Iterable[str] = ()) -> list[list[list[str]]]:
    """The vocabulary's groups with a word the handbook's own text holds (every text of its
    roles, departments and processes; and, for the index, ``terms``: the words of Sphinx's index):
    ``[[words that occur], [the other words]]``."""
    groups = vocabulary_groups(app)
    if handbook is None or not groups:
        return []
    return in_use(groups, Corpus(handbook_texts(handbook)), frozenset(terms))


def write_suggestions(app) -> None:
    """``suggest.js`` (departments, roles, processes) and the people's files."""
    domain = app.env.domains["org"]
    handbook = getattr(domain, "handbook", None)
    show_people = bool(app.config.handbook_show_people)
    language = app.config.language or ""
    data_dir = Path(app.outdir, "_static", DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary_in_use(app, handbook)
    domain.data["suggest-vocabulary"] = vocabulary_inputs(app)
    inputs = (
        (__version__ + suggest_inputs(handbook, language, show_people) + compact_json(vocab))
        if handbook is not None
        else ""
    )
    if inputs and domain.data.get("suggest-inputs") == inputs and (data_dir / "suggest.js").exists():
        return  # what the suggestions show did not change (an edited duty)
    domain.data["suggest-inputs"] = inputs
    entries, depts, people = (
        suggest_entries(handbook, language, docname_for, show_people) if handbook is not None else ([], [], [])
    )
    people_keys, people_files = pack_people(people)
    prefixes = {kind[0]: docname_for(kind, "") for kind in ("department", "role", "process")}
    readings, entries, _ = compact_suggestions(entries, people, prefixes)
    files = [
        _hashed(data_dir, f"h{n}", compact_suggestions([], group, prefixes)[2]) for n, group in enumerate(people_files)
    ]
    _remove_others(data_dir, "h", set(files))
    write_if_changed(
        data_dir / "suggest.js",
        jsonp(
            "suggest",
            {
                "entries": entries,
                "depts": depts,
                "pages": prefixes,
                "readings": readings,
                "people": people_keys,
                "files": files,
                "peopleDoc": index_docname("people") if show_people and people else "",
                "vocab": vocab,
                "labels": _labels(),
            },
        ),
    )


def write_index(app) -> dict[str, Any]:
    """The split index (``index.js`` and the shards); the passages of removed pages go.
    Returns what the search page needs first: which shard holds which group, the
    question words, a stamp of this build for the page files' addresses."""
    started = time.process_time()
    env = app.env
    builder = app.builder
    lang = builder.indexer.lang  # the very splitter and stemmer of the index
    words = Words(lang.split, lang.stem, lang.word_filter)
    if not is_chinese_search(app):
        words = with_chinese_titles(words)
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
    # the keys of titles and names (their pinyin, initials ...) are kept for the next build:
    # an edited duty then computes only its own page's duty keys
    identity = _words_identity(app)
    known = _load_title_keys(app, identity)
    used: dict[tuple[str, bool], frozenset[str]] = {}

    def title_of(t: str, exact: bool) -> frozenset[str]:
        key = (t, exact)
        found = used.get(key)
        if found is None:
            found = known.get(key)
            if found is None:
                found = frozenset(title_keys(t, words, exact))
            used[key] = found
        return found

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
    _save_title_keys(app, identity, used)
    vocab = vocabulary_in_use(app, handbook, other)
    _add_vocabulary_keys(vocab, docnames, texts, fields, other, _word_starts(lang))
    index = build_index(docnames, titles, other, fields, app.config.handbook_search_shard_kb * 1000)

    data_dir = Path(app.outdir, "_static", DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    shards = [_hashed(data_dir, f"t{n}", shard) for n, shard in enumerate(index.shards)]
    _remove_others(data_dir, "t", set(shards))
    meta = {
        "docnames": front_coded(docnames),
        "titles": titles,
        "kinds": "".join(kinds),
        "dept": role_dept,
        "depts": depts,
        "labels": _labels(),
    }
    text = jsonp("index", meta)
    write_if_changed(data_dir / "index.js", text)
    boot = {
        "groups": index.groups,
        "shards": shards,
        "ignore": list(app.config.handbook_search_ignore),
        "vocab": vocab,
        "vocabInputs": vocabulary_inputs(app),
        "stamp": hashlib.blake2b((text + "".join(shards)).encode(), digest_size=5).hexdigest(),
    }
    pages_dir = data_dir / "pages"
    if pages_dir.is_dir():  # passages of removed pages
        wanted = set(docnames)
        for path in pages_dir.rglob("*.js"):
            if path.relative_to(pages_dir).as_posix()[:-3] not in wanted:
                path.unlink()
    for doc in docnames:  # pages not written in this build whose passages are missing (a new output folder)
        path = page_file(app.outdir, doc)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(jsonp("p:" + doc, passages(env.get_doctree(doc))), encoding="utf-8")
    logger.verbose(
        "handbook search: %d pages, %d shards of %d KB in all, in %.1f s CPU",
        len(docnames),
        len(shards),
        index.size // 1000,
        time.process_time() - started,
    )
    return boot


def _word_starts(lang) -> Callable[[str], set[int]] | None:
    """Where the Chinese search's segmenter starts a word in a text (None: another search language)."""
    tokenizer = getattr(lang, "tokenizer", None)
    if tokenizer is None:
        return None

    def starts(text: str) -> set[int]:
        out, at = set(), 0
        for token in tokenizer.cut(text):
            out.add(at)
            at += len(token)
        return out

    return starts


def _add_vocabulary_keys(vocab, docnames, texts, fields, other, starts) -> None:
    """The pages of each vocabulary word the handbook holds, as the key ``~word``: in the field
    it is in (title, lead, duties), found as a word (:class:`~handbook.search.vocabulary.Finder`);
    anywhere else on the page as Sphinx's index has it."""
    terms = sorted({t for group in vocab for t in group[0]})
    if not terms:
        return
    find = functools.lru_cache(maxsize=None)(Finder(terms, starts))
    for i, doc in enumerate(docnames):
        page = texts.get(doc)
        if page is None:
            continue
        for keys, strings in zip(fields[i], (page.titles, page.duties, page.leads), strict=True):
            for s in strings:
                keys.update(VOCAB_KEY + t for t in find(s))
    for t in terms:
        if t in other:
            other[VOCAB_KEY + t] = other[t]


def _words_identity(app) -> str:
    """What the keys of a title depend on besides the title: this code, the index's language
    and options, jieba and the user dictionary it was given."""
    lang = app.builder.indexer.lang
    userdict = Path(app.doctreedir, USERDICT_NAME)
    try:
        import jieba

        jieba_version = getattr(jieba, "__version__", "?")
    except ImportError:
        jieba_version = ""
    parts = (
        __version__,
        type(lang).__qualname__,
        lang.lang,
        sorted((app.config.html_search_options or {}).items()),
        userdict.read_bytes() if userdict.is_file() else b"",
        jieba_version,
    )
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _load_title_keys(app, identity: str) -> dict[tuple[str, bool], frozenset[str]]:
    """The keys of titles and names from the previous build, if made the same way
    (``identity``: :func:`_words_identity`)."""
    try:
        with Path(app.doctreedir, TITLE_KEYS_NAME).open("rb") as f:
            stored, keys = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return {}
    return keys if stored == identity and isinstance(keys, dict) else {}


def _save_title_keys(app, identity: str, keys: dict[tuple[str, bool], frozenset[str]]) -> None:
    path = Path(app.doctreedir, TITLE_KEYS_NAME)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        pickle.dump((identity, keys), f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


__all__ = ["write_index", "write_suggestions"]
