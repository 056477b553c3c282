"""The handbook's search: the split index, the header's suggestions, the Chinese search language.

Pure (import neither Sphinx nor docutils; tested on their own):

* :mod:`~handbook.search.keys` — the keys a text is found by (characters, pairs, words,
  pinyin, codes, exact titles) and the character classes;
* :mod:`~handbook.search.postings` — postings and page names written small (base-36 gaps,
  bitmaps, front coding);
* :mod:`~handbook.search.index` — what each page is about and the index in shards;
* :mod:`~handbook.search.suggestions` — the suggestions' entries and people, packed.

Sphinx side:

* :mod:`~handbook.search.passages` — a page's passages for its snippet, from its doctree;
* :mod:`~handbook.search.chinese` — the Chinese search language (jieba and the handbook's
  own words);
* :mod:`~handbook.search.data_files` — the data files under ``_static/handbook-search/``
  and the title keys kept for the next build;
* :mod:`~handbook.search.sphinx_` — the events and :func:`~handbook.search.sphinx_.setup_search`;
* :mod:`~handbook.search.language_check` — the warning when Chinese texts get another search.
"""
