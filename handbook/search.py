"""Chinese full-text search that finds a role's duties.

* :class:`SearchHandbookChinese` replaces Sphinx's ``SearchChinese`` for ``zh``/``zh_CN``:
  jieba (a hard requirement: a missing jieba stops the build instead of indexing nothing),
  the handbook's own vocabulary as a user dictionary, 2-character pieces of those
  words, and a browser-side ``splitQuery`` that segments queries the way the index was
  built (``Intl.Segmenter`` refined with the index's own vocabulary). It also avoids
  sphinx-doc/sphinx#14229 (``ChineseStemmer is not defined`` on Sphinx 9.0).
* The search page (any builder of the HTML family, any theme) gets
  ``handbook-search.js``: results are merged per page and ranked "title match >
  duty match > other role page > mention in passing"; a role's result shows its
  department and the matching duty as the snippet. The data it needs
  (``handbook-search-data.js``: per role the title, department and the index terms
  of its duties) is written once per build.

The pure part (vocabulary, dictionary text, duty terms) imports no Sphinx.
"""

from __future__ import annotations

import base64
import json
import logging as _stdlib_logging
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sphinx.search import SearchLanguage
from sphinx.util import logging

from . import model as m
from .errors import HandbookExit

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
USERDICT_NAME = "handbook-search-userdict.txt"
DATA_JS = "handbook-search-data.js"
#: the option of ``html_search_options`` carrying the generated user dictionary
OPTION_VOCABULARY = "handbook_userdict"
#: jieba frequency given to the handbook's own words, so they are kept whole
WORD_FREQ = 200_000
#: longest handbook phrase added to the dictionary (longer step texts are sentences)
MAX_WORD_LEN = 16

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_LETTERS = re.compile(
    r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_LATIN = re.compile(r"[^\W\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")

#: function words that carry no meaning in a query (the same list goes to the browser)
CHINESE_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 对 由 为 并 将 把 被 其 之 而 且 也 就 都 以 于 从 向 中 内 按".split())
ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by for from in is it of on or that the to with".split())


class HandbookSearchError(HandbookExit):
    category = "Handbook search error"


# -- pure part: the vocabulary --------------------------------------------------------

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


def duty_texts(role: m.Role, language: str) -> list[str]:
    """The texts that say what a role is responsible for: purpose and responsibilities."""
    out = [role.purpose.get(language)] if role.purpose else []
    for item in role.responsibilities:
        if isinstance(item, m.DutyGroup):
            out.append(item.title.get(language))
            out.extend(d.text.get(language) for d in item.items)
        else:
            out.append(item.text.get(language))
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
        # the handbook's own words: whole terms, and searchable by their 2-character pieces
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
            for w in self.tokenizer.cut_for_search(run):
                words.append(w)
                if w in self.own_words and len(w) > 2:
                    words.extend(w[i:i + 2] for i in range(len(w) - 1))
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


def index_words(split: Callable[[str], list[str]], stem: Callable[[str], str],
                word_filter: Callable[[str], bool], text: str) -> list[str]:
    """The index terms of one text, in order (what ``IndexBuilder.feed`` keeps of it)."""
    out = []
    for word in split(text):
        stemmed = stem(word).lower()
        if word_filter(stemmed):
            out.append(stemmed)
        elif word_filter(word):
            out.append(word)
    return out


def index_terms(split: Callable[[str], list[str]], stem: Callable[[str], str],
                word_filter: Callable[[str], bool], texts: Iterable[str]) -> set[str]:
    """The terms the search index holds for ``texts``."""
    return {w for text in texts for w in index_words(split, stem, word_filter, text)}


#: longest phrase kept for ranking (two adjacent Chinese terms, e.g. 采购 + 合同)
MAX_PHRASE_LEN = 6


def phrases(words: list[str]) -> set[str]:
    """Adjacent pairs of Chinese terms of one duty ("采购合同" from 采购 / 合同).

    The index knows which terms a page holds, not whether they stand together; these pairs
    let the search page rank 订立材料采购合同 above a duty that has 采购 and 合同 far apart.
    """
    return {a + b for a, b in zip(words, words[1:])
            if has_han(a) and has_han(b) and len(a) + len(b) <= MAX_PHRASE_LEN}


def search_data(hb: m.Handbook, language: str, role_docs: dict[str, str],
                terms_of: Callable[[list[str]], set[str]],
                words_of: Callable[[str], list[str]] | None = None) -> dict[str, Any]:
    """What the search page needs beyond the index.

    ``roles``: ``[docname, index into departments]`` per role page; ``departments``: their
    names; ``terms``: each index term of the roles' duties -> the indexes into ``roles``
    (a list or, for common terms, a base64 bitmap); ``phrases``: the same for pairs of
    adjacent Chinese terms in one duty (see :func:`phrases`; needs ``words_of``)."""
    roles: list[list[str | int]] = []
    departments: list[str] = []
    dept_index: dict[str, int] = {}
    term_roles: dict[str, list[int]] = {}
    phrase_roles: dict[str, list[int]] = {}
    for rid, role in hb.roles.items():
        docname = role_docs.get(rid)
        if docname is None:
            continue
        if role.department not in dept_index:
            dept = hb.departments.get(role.department)
            dept_index[role.department] = len(departments)
            departments.append(dept.name.get(language) if dept else "")
        index = len(roles)
        roles.append([docname, dept_index[role.department]])
        texts = duty_texts(role, language)
        for term in sorted(terms_of(texts)):
            term_roles.setdefault(term, []).append(index)
        if words_of is not None:
            for phrase in sorted(set().union(*(phrases(words_of(t)) for t in texts))):
                phrase_roles.setdefault(phrase, []).append(index)
    return {"roles": roles, "departments": departments,
            "terms": {t: _compact(ix, len(roles)) for t, ix in term_roles.items()},
            "phrases": {t: _compact(ix, len(roles)) for t, ix in phrase_roles.items()}}


def _compact(indexes: list[int], size: int) -> list[int] | str:
    """A sorted list of role indexes, or, when that is shorter, a base64 bitmap (bit i = role i)."""
    if len(indexes) * 4 <= (size + 7) // 8 * 4 / 3:
        return indexes
    bits = bytearray((size + 7) // 8)
    for i in indexes:
        bits[i >> 3] |= 1 << (i & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


# -- Sphinx glue ----------------------------------------------------------------------

def _search_language(app) -> str:
    return app.config.html_search_language or app.config.language or "en"


def _is_chinese(app) -> bool:
    return _search_language(app).replace("-", "_").split("_")[0].lower() == "zh"


def _builder_inited(app) -> None:
    """Check jieba, write the handbook's words as a jieba user dictionary for the index."""
    if not _is_chinese(app) or app.builder.format != "html" or not getattr(app.builder, "search", False):
        return  # no search index (PDF, epub, ...): jieba is not needed
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


def _html_page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On the search page (written once, after every document): our script, style and data.

    The files are written before they are added, so Sphinx stamps them with a checksum
    (``?v=...``) and browsers never keep a stale copy after a rebuild.
    """
    if pagename != "search" or getattr(app.builder, "indexer", None) is None:
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    for name in ("handbook-search.js", "handbook-search.css"):
        src, dest = STATIC_DIR / name, static / name
        if not dest.exists() or dest.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dest)
    _write_if_changed(static / DATA_JS, _data_js(app))
    app.builder.add_css_file("handbook-search.css")
    app.builder.add_js_file(DATA_JS, defer="defer")
    app.builder.add_js_file("handbook-search.js", defer="defer")


def _data_js(app) -> str:
    domain = app.env.domains["org"]
    handbook = getattr(domain, "handbook", None)
    data: dict[str, Any] = {"roles": [], "departments": [], "terms": {}}
    if handbook is not None:
        lang = app.builder.indexer.lang  # the very splitter and stemmer of the index
        role_docs = {ident: docname for (kind, ident), (docname, _a, _d) in domain.objects.items()
                     if kind == "role"}
        data = search_data(handbook, app.config.language or "", role_docs,
                           lambda texts: index_terms(lang.split, lang.stem, lang.word_filter, texts),
                           lambda text: index_words(lang.split, lang.stem, lang.word_filter, text))
    return "window.HANDBOOK_SEARCH = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n"


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup_search(app) -> None:
    app.add_search_language(SearchHandbookChinese)
    app.connect("builder-inited", _builder_inited, priority=600)
    app.connect("html-page-context", _html_page_context)


__all__ = ["setup_search", "SearchHandbookChinese", "HandbookSearchError", "vocabulary", "userdict_text",
           "duty_texts", "index_terms", "search_data"]
