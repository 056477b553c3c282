"""Search that finds a role's duties: the Chinese search language and the Sphinx side of
the split index and the suggestions (their pure part is :mod:`.keys`, :mod:`.postings`,
:mod:`.index`, :mod:`.suggestions`; the passages are read by :mod:`.passages`).

* :class:`SearchHandbookChinese` replaces Sphinx's ``SearchChinese`` for ``zh``/``zh_CN``:
  jieba (a hard requirement: a missing jieba stops the build instead of indexing nothing)
  with the handbook's own vocabulary as a user dictionary. It also avoids
  sphinx-doc/sphinx#14229 (``ChineseStemmer is not defined`` on Sphinx 9.0).
* The search page does not load Sphinx's ``searchindex.js`` (8 MB at 5,000 roles). The
  handbook writes its own index into ``_static/handbook-search/`` (:func:`write_index`):

  - ``index.js``: the pages (name, title, kind, department) and the labels;
  - ``t<n>.<hash>.js``: the shards, split by the first character of each key, so one query
    loads only what it needs; which shard holds which characters is written into the
    search page itself, so the shards are requested at once;
  - ``pages/<docname>.js``: the text passages of one page, for its result's snippet,
    written as each page is written.

* Suggestions as you type in the header (every page) read ``suggest.js`` (departments,
  roles, processes) and ``h<n>.<hash>.js`` (people, by the start of their name), written
  at the start of the build (:func:`write_suggestions`) — never the full-text index.
* Pages without a doctree (search, general index) do not load the Mermaid module.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging as _stdlib_logging
import pickle
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.search import SearchLanguage
from sphinx.util import logging

from handbook import model as m
from handbook.errors import HandbookExit
from handbook import __version__
from handbook.files import copy_if_changed, write_if_changed
from handbook.i18n import _
from handbook.pages import PAGE_KINDS, docname_for, index_docname
from handbook.search.index import build_index, page_texts
from handbook.search.keys import HAN_CLASS, HAN_RUN, LATIN, LETTERS, Words, code_keys, duty_keys, exact_keys, has_han, texts_of, title_keys
from handbook.search.passages import passages
from handbook.search.postings import front_coded
from handbook.search.suggestions import compact_suggestions, pack_people, suggest_entries, suggest_inputs

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
USERDICT_NAME = "handbook-search-userdict.txt"
#: the search keys of titles and names, kept for the next build (in the doctree folder)
TITLE_KEYS_NAME = "handbook-search-title-keys.pickle"
#: the folder below ``_static`` holding the index, the shards, the page texts and suggestions
DATA_DIR = "handbook-search"
#: assets of the search page and of the header's suggestions (copied to ``_static``)
SEARCH_ASSETS = ("handbook-search.js", "handbook-search.css")
SUGGEST_ASSETS = ("handbook-suggest.js",)
#: loads the data files for both (``HandbookSearch``): on every page, not deferred, so it
#: is there before the search page's own script, which runs at once
DATA_LOADER = "handbook-data.js"
#: the option of ``html_search_options`` carrying the generated user dictionary
OPTION_VOCABULARY = "handbook_userdict"
#: jieba frequency given to the handbook's own words, so they are kept whole
WORD_FREQ = 200_000
#: longest handbook phrase added to the dictionary (longer step texts are sentences)
MAX_WORD_LEN = 16


#: function words that carry no meaning in a query (the same list goes to the browser)
CHINESE_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 对 由 为 并 将 把 被 其 之 而 且 也 就 都 以 于 从 向 中 内 按".split())
ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by for from in is it of on or that the to with".split())

class HandbookSearchError(HandbookExit):
    category = "Handbook search error"


# -- pure part: the vocabulary ----------------------------------------------------------

def vocabulary(hb: m.Handbook) -> list[str]:
    """The handbook's own words, to be kept whole by the segmenter.

    The Chinese runs of role titles, grades, department names and categories, process
    names and short step actions, in every language given. Sorted, unique.
    """
    words: set[str] = set()
    for role in hb.roles.values():
        words.update(texts_of(role.title))
        words.update(texts_of(role.grade))
    for dept in hb.departments.values():
        words.update(texts_of(dept.name))
        words.update(texts_of(dept.category))
    for proc in hb.processes.values():
        words.update(texts_of(proc.name))
        for step in proc.steps:
            words.update(s for s in texts_of(step.action) if len(s) <= 8)
    if hb.company is not None:
        words.update(texts_of(hb.company.short_name))
    out = set()
    for w in words:
        # jieba sees the Chinese runs only (Latin words are indexed apart): "IQC 来料检验员"
        # gives "来料检验员"; a phrase with punctuation gives its pieces
        out.update(run for run in HAN_RUN.findall(w) if 2 <= len(run) <= MAX_WORD_LEN)
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
        for run in HAN_RUN.findall(input):
            words.extend(self.tokenizer.cut_for_search(run))
        for w in LATIN.findall(input):
            words.append(w)
            parts = LETTERS.findall(w)  # "ISO9001" is also found as "ISO"
            if parts != [w]:
                words.extend(parts)
        return words

    def word_filter(self, word: str) -> bool:
        if word in self.stopwords or word.isdigit():
            return False
        return len(word) > 1 or has_han(word)

    def stem(self, word: str) -> str:
        return word.lower()


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
    for name in (DATA_LOADER, *SUGGEST_ASSETS):  # copied now, so Sphinx stamps the tag with a checksum
        copy_if_changed(STATIC_DIR / name, static / name)
        app.add_js_file(name, **({} if name == DATA_LOADER else {"defer": "defer"}))
    domain = app.env.domains["org"]
    if not (domain.data_unchanged and Path(app.outdir, "_static", DATA_DIR, "suggest.js").exists()):
        write_suggestions(app)  # (else the same data and settings as last time: the files are current)
    if not _is_chinese(app):
        return
    _import_jieba()  # fail now, clearly, rather than index nothing
    dict_path = Path(app.doctreedir, USERDICT_NAME)
    if domain.data_unchanged and dict_path.exists():
        return  # the same words as last time
    handbook = domain.handbook
    words = vocabulary(handbook) if handbook is not None else []
    extra = app.config.handbook_search_dict
    if extra:
        path = Path(app.confdir, extra)
        if not path.is_file():
            raise HandbookSearchError(f"handbook_search_dict: the file {path} does not exist")
        words = sorted(set(words) | {w for w, _freq in read_userdict(path)})
    dict_path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(dict_path, userdict_text(words))


def _config_inited(app, config) -> None:
    """The language object is made by Sphinx from html_search_options: name the user
    dictionary there (written at builder-inited). Set now, the same way at every build, the
    setting does not look changed to the next build."""
    options = dict(config.html_search_options or {})
    options[OPTION_VOCABULARY] = str(Path(app.doctreedir, USERDICT_NAME))
    config.html_search_options = options


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
    write_if_changed(path, _jsonp("p:" + docname, passages(doctree)))


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
        copy_if_changed(STATIC_DIR / name, static / name)
    boot_file = Path(app.outdir, "_static", DATA_DIR, "boot.json")
    if app.env.domains["org"].nothing_changed and boot_file.exists():
        boot = json.loads(boot_file.read_text(encoding="utf-8"))  # no page read, the same data: the index is current
    else:
        boot = write_index(app)
        write_if_changed(boot_file, _json(boot))
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
    write_if_changed(data_dir / file, text)
    return file


def _remove_others(data_dir: Path, prefix: str, keep: set[str]) -> None:
    """Data files of earlier builds (their names carry a hash)."""
    for path in data_dir.glob(prefix + "*.js"):
        if path.name not in keep:
            path.unlink()


def write_suggestions(app) -> None:
    """``suggest.js`` (departments, roles, processes) and the people's files."""
    domain = app.env.domains["org"]
    handbook = getattr(domain, "handbook", None)
    show_people = bool(app.config.handbook_show_people)
    language = app.config.language or ""
    data_dir = Path(app.outdir, "_static", DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    inputs = (__version__ + suggest_inputs(handbook, language, show_people)) if handbook is not None else ""
    if inputs and domain.data.get("suggest-inputs") == inputs and (data_dir / "suggest.js").exists():
        return  # what the suggestions show did not change (an edited duty)
    domain.data["suggest-inputs"] = inputs
    entries, depts, people = (suggest_entries(handbook, language, docname_for, show_people)
                              if handbook is not None else ([], [], []))
    people_keys, people_files = pack_people(people)
    prefixes = {kind[0]: docname_for(kind, "") for kind in ("department", "role", "process")}
    readings, entries, _ = compact_suggestions(entries, people, prefixes)
    files = [_hashed(data_dir, f"h{n}", compact_suggestions([], group, prefixes)[2])
             for n, group in enumerate(people_files)]
    _remove_others(data_dir, "h", set(files))
    write_if_changed(data_dir / "suggest.js", _jsonp("suggest", {
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
    index = build_index(docnames, titles, other, fields, app.config.handbook_search_shard_kb * 1000)

    data_dir = Path(app.outdir, "_static", DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    shards = [_hashed(data_dir, f"t{n}", shard) for n, shard in enumerate(index.shards)]
    _remove_others(data_dir, "t", set(shards))
    meta = {"docnames": front_coded(docnames), "titles": titles, "kinds": "".join(kinds), "dept": role_dept,
            "depts": depts, "labels": _labels()}
    text = _jsonp("index", meta)
    write_if_changed(data_dir / "index.js", text)
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


def _words_identity(app) -> str:
    """What the keys of a title depend on besides the title: this code, the index's language
    and options, jieba and the user dictionary it was given."""
    lang = app.builder.indexer.lang
    userdict = Path(app.doctreedir, USERDICT_NAME)
    try:
        import jieba  # noqa: PLC0415
        jieba_version = getattr(jieba, "__version__", "?")
    except ImportError:
        jieba_version = ""
    parts = (__version__, type(lang).__qualname__, lang.lang, sorted((app.config.html_search_options or {}).items()),
             userdict.read_bytes() if userdict.is_file() else b"", jieba_version)
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
        for part in re.split(f"([{HAN_CLASS}]+)", text):
            if has_han(part):
                out.extend(jieba.lcut_for_search(part))
            elif part:
                out.extend(base_split(part))
        return out

    def word_filter(word: str) -> bool:
        return has_han(word) or words.word_filter(word)

    return Words(split, words.stem, word_filter)



def setup_search(app) -> None:
    app.add_search_language(SearchHandbookChinese)
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited, priority=600)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _html_page_context)
    app.connect("html-page-context", _drop_chart_script, priority=900)


__all__ = ["setup_search", "SearchHandbookChinese", "HandbookSearchError", "vocabulary", "userdict_text",
           "write_index", "write_suggestions"]
