"""Chinese search: the search language that segments with jieba and the handbook's own words.

* :class:`SearchHandbookChinese` replaces Sphinx's ``SearchChinese`` for ``zh``/``zh_CN``:
  jieba (a hard requirement: a missing jieba stops the build instead of indexing nothing)
  with the handbook's own vocabulary as a user dictionary (:func:`vocabulary`, written by
  the Sphinx events into the doctree folder, named in ``html_search_options``). It also
  avoids sphinx-doc/sphinx#14229 (``ChineseStemmer is not defined`` on Sphinx 9.0).
* In a handbook searched in another language, Chinese titles of bilingual data are still
  cut by jieba for their pinyin (:func:`with_chinese_titles`).
"""

from __future__ import annotations

import logging as _stdlib_logging
import re
from collections.abc import Iterable
from pathlib import Path

from sphinx.search import SearchLanguage

from handbook import model as m
from handbook.errors import HandbookExit
from handbook.search.keys import HAN_CLASS, HAN_RUN, LATIN, LETTERS, Words, has_han, texts_of

USERDICT_NAME = "handbook-search-userdict.txt"
#: the option of ``html_search_options`` carrying the generated user dictionary
OPTION_VOCABULARY = "handbook_userdict"
#: jieba frequency given to the handbook's own words, so they are kept whole
WORD_FREQ = 200_000
#: longest handbook phrase added to the dictionary (longer step texts are sentences)
MAX_WORD_LEN = 16


#: function words that carry no meaning in a query (the same list goes to the browser)
CHINESE_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "是",
        "对",
        "由",
        "为",
        "并",
        "将",
        "把",
        "被",
        "其",
        "之",
        "而",
        "且",
        "也",
        "就",
        "都",
        "以",
        "于",
        "从",
        "向",
        "中",
        "内",
        "按",
    ]
)
ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "to",
        "with",
    ]
)


class HandbookSearchError(HandbookExit):
    category = "Handbook search error"


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


def import_jieba():
    try:
        import jieba
    except ImportError as exc:
        raise HandbookSearchError(
            "Chinese search needs the Python package jieba, which is not installed "
            f"({exc}). Install it (`pip install jieba`; it is a dependency of handbook), "
            "or switch the search off with `html_search_language = 'en'` in conf.py. "
            "Without jieba the Chinese text would silently not be indexed."
        ) from None
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
    js_splitter_code = (Path(__file__).parent / "static" / "handbook-splitter.js").read_text(encoding="utf-8")

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        jieba = import_jieba()
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


def _search_language(app) -> str:
    return app.config.html_search_language or app.config.language or "en"


def is_chinese_search(app) -> bool:
    return _search_language(app).replace("-", "_").split("_")[0].lower() == "zh"


def with_chinese_titles(words: Words) -> Words:
    """In a handbook whose search language is not Chinese, Chinese titles (of bilingual
    data) are still cut into words by jieba when it is installed, for their pinyin."""
    try:
        jieba = import_jieba()
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


__all__ = ["HandbookSearchError", "SearchHandbookChinese", "userdict_text", "vocabulary"]
