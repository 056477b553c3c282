"""One warning: the handbook's texts are Chinese but the search is built for another language.

``sphinx-build -D language=en`` on Chinese data quietly gives Sphinx's English search,
which indexes no Chinese words (a search for 投诉 in the example found 13 pages with the
Chinese search and 2 with the English one). When the texts a build shows are mostly
Chinese and neither ``language`` nor ``html_search_language`` is Chinese, the build says
so and how to keep the Chinese search (``html_search_language = "zh"``); with
``html_search_language`` set on purpose it stays quiet.
"""

from __future__ import annotations

import re

from sphinx.util import logging

from handbook import model as m

logger = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: above this share of texts in Chinese, the texts are "mostly Chinese"
MOSTLY = 0.5


def chinese_share(hb: m.Handbook, language: str | None) -> float:
    """The share of the texts shown in this language (role titles and duties, department
    names and functions) that are written in Chinese: 0.0 to 1.0."""
    texts: list[m.Text | None] = []
    for r in hb.roles.values():
        texts.append(r.title)
        texts.extend(d.text for d in m.iter_duties(r.responsibilities))
    for d in hb.departments.values():
        texts.append(d.name)
        texts.extend(x.text for x in m.iter_duties(d.functions))
    shown = [t.get(language) for t in texts if t is not None]
    return sum(1 for s in shown if _CJK.search(s)) / len(shown) if shown else 0.0


def is_chinese(code: str | None) -> bool:
    return bool(code) and code.replace("-", "_").split("_")[0].lower() == "zh"  # type: ignore[union-attr]


def check_search_language(app) -> None:
    """``builder-inited`` (after the data is loaded): warn about Chinese data with a non-Chinese search."""
    if app.builder.format != "html" or app.config.html_search_language or is_chinese(app.config.language):
        return
    hb = app.env.domains["org"].handbook
    if hb is None or chinese_share(hb, app.config.language) <= MOSTLY:
        return
    logger.warning(
        "the handbook's texts are mostly Chinese but the search is built for language %r: Chinese "
        'words such as role titles and duties will hardly be found (set html_search_language = "zh" '
        "in conf.py, or -D html_search_language=zh, to keep the Chinese search)",
        app.config.language or "en",
        type="handbook",
        subtype="search-language",
    )


def setup_search_language_check(app) -> None:
    app.connect("builder-inited", check_search_language, priority=700)  # after load_handbook (500)
