"""The search's Sphinx events: what each step of a build writes and what each page loads.

* config-inited: the user dictionary named in ``html_search_options`` (the Chinese
  search language, :mod:`handbook.search.chinese`, reads it);
* builder-inited: the suggestions' scripts on every page, their data
  (:func:`~handbook.search.data_files.write_suggestions`); for a Chinese search, jieba
  checked and the handbook's words written as its user dictionary;
* doctree-resolved: each page's passages file (its search result's snippet);
* html-page-context: the suggestions' version on every page; on the search page the split
  index (:func:`~handbook.search.data_files.write_index`), its script and style.
* Pages without a doctree (search, general index) do not load the Mermaid module.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes

from handbook.files import copy_if_changed, write_if_changed
from handbook.i18n import _
from handbook.search.chinese import (
    OPTION_VOCABULARY,
    USERDICT_NAME,
    HandbookSearchError,
    SearchHandbookChinese,
    import_jieba,
    is_chinese_search,
    read_userdict,
    userdict_text,
    vocabulary,
)
from handbook.search.data_files import (
    DATA_DIR,
    compact_json,
    jsonp,
    page_file,
    vocabulary_inputs,
    write_index,
    write_suggestions,
)
from handbook.search.passages import passages

STATIC_DIR = Path(__file__).parent / "static"
#: assets of the search page and of the header's suggestions (copied to ``_static``)
SEARCH_ASSETS = ("handbook-search.js", "handbook-search.css")
SUGGEST_ASSETS = ("handbook-suggest.js",)
#: loads the data files for both (``HandbookSearch``): on every page, not deferred, so it
#: is there before the search page's own script, which runs at once
DATA_LOADER = "handbook-data.js"


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
    if not (
        domain.data_unchanged
        and Path(app.outdir, "_static", DATA_DIR, "suggest.js").exists()
        and domain.data.get("suggest-vocabulary") == vocabulary_inputs(app)
    ):
        write_suggestions(app)  # (else the same data, settings and vocabulary as last time: the files are current)
    if not is_chinese_search(app):
        return
    import_jieba()  # fail now, clearly, rather than index nothing
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


def _doctree_resolved(app, doctree: nodes.document, docname: str) -> None:
    """Each page written gets its passages file (the snippets of its search result)."""
    if not _has_search(app) or getattr(app.builder, "indexer", None) is None:
        return
    if "nosearch" in app.env.metadata.get(docname, {}):
        return
    path = page_file(app.outdir, docname)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, jsonp("p:" + docname, passages(doctree)))


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
    boot = None
    if app.env.domains["org"].nothing_changed and boot_file.exists():
        boot = json.loads(boot_file.read_text(encoding="utf-8"))  # no page read, the same data: the index is current
        if boot.get("vocabInputs") != vocabulary_inputs(app):
            boot = None  # (but the company's vocabulary file was edited)
    if boot is None:
        boot = write_index(app)
        write_if_changed(boot_file, compact_json(boot))
    app.builder.add_css_file("handbook-search.css")
    # which shard holds what, in the page itself: the shards a query needs are requested at once
    app.builder.add_js_file(None, body=f"window.HandbookSearchBoot = {compact_json(boot)};")
    app.builder.add_js_file("handbook-search.js")  # not deferred: it requests the query's shards at once
    app.builder.add_js_file(f"{DATA_DIR}/index.js", defer="defer")


def _drop_chart_script(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """sphinxcontrib-mermaid adds the Mermaid module to every page without a doctree (the
    search page, the general index): about 800 KB of chunks for no chart. Drop it there."""
    if doctree is not None or not isinstance(context.get("script_files"), list):
        return
    context["script_files"][:] = [
        js
        for js in context["script_files"]
        if "mermaid" not in str(getattr(js, "filename", "") or "")
        and "mermaid" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]


def setup_search(app) -> None:
    app.add_search_language(SearchHandbookChinese)
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited, priority=600)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _html_page_context)
    app.connect("html-page-context", _drop_chart_script, priority=900)


__all__ = ["setup_search"]
