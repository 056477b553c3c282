"""The site's charts drawn at build time, as inline SVG (``handbook_chart_drawing = "build"``).

Each page's charts are noted while it is read (:class:`ChartsDomain`, so purge and
parallel merge have their place); once every page is read (``env-updated``) the charts not
yet in the cache are drawn in **one** headless Chromium session by the PDF's renderer
(:func:`handbook.charts.svg.draw_missing`), one drawing per distinct chart, kept across
builds. Writing a page then only reads its drawings from the cache and gives them the
page's links (:func:`handbook.charts.inline_svg.inline_svg`). When no headless browser
can draw at build time, the build says so once and the charts are drawn in the reader's
browser instead, by Mermaid's classic script (it works from ``file://``; an ES module
does not).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging
from sphinxcontrib.mermaid import mermaid as mermaid_node

from handbook.charts import svg as chart_svg
from handbook.charts.inline_svg import inline_svg, placeholder_source
from handbook.charts.mermaid_js import CJK_FONTS, find_mermaid_dir
from handbook.charts.mermaid_text import MERMAID_LAYOUT
from handbook.charts.model import Chart
from handbook.files import copy_if_changed
from handbook.site.domain import current_docname

logger = logging.getLogger(__name__)

#: where the drawings are kept, inside the build's doctree folder (not published)
CACHE_DIR = "handbook-charts"
#: Mermaid's classic script (a global ``mermaid``; no ES module, so it runs from file://)
CLASSIC_JS = "mermaid.min.js"
RUN_JS = "handbook-mermaid-run.js"
STATIC_DIR = Path(__file__).parent / "static"
#: builders with format "html" that cannot run the JavaScript
NO_SCRIPT_BUILDERS = {"epub"}


class ChartsDomain(Domain):
    """Per page: the Mermaid sources (placeholder links) of its charts, and whether it has
    Mermaid diagrams of its own (sphinxcontrib-mermaid's directive, drawn in the browser)."""

    name = "hbcharts"
    label = "Handbook charts"
    initial_data: dict[str, Any] = {"sources": {}, "own_mermaid": {}}
    data_version = 1

    def clear_doc(self, docname: str) -> None:
        self.data["sources"].pop(docname, None)
        self.data["own_mermaid"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for key in ("sources", "own_mermaid"):
            theirs = otherdata.get(key, {})
            for docname in docnames:
                if docname in theirs:
                    self.data[key][docname] = theirs[docname]

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode) -> list:
        return []

    def all_sources(self) -> list[str]:
        return list(dict.fromkeys(s for sources in self.data["sources"].values() for s in sources))

    @property
    def has_own_mermaid(self) -> bool:
        return any(self.data["own_mermaid"].values())


def build_source(chart: Chart) -> str:
    """What the build draws for a chart: the same on every page (placeholder links), labels
    wrapped by us as in print (SVG text labels)."""
    return chart_svg.prewrap(placeholder_source(chart))


def html_builder(builder) -> bool:
    return (
        builder.format == "html"
        and builder.name not in NO_SCRIPT_BUILDERS
        and not getattr(builder, "handbook_svg_charts", False)
    )


def collect(app, doctree: nodes.document, chart_node: type[nodes.Element]) -> None:
    """``doctree-read``: note the page's charts (nodes of class ``chart_node``)."""
    domain: ChartsDomain = app.env.domains["hbcharts"]  # type: ignore[assignment]
    docname = current_docname(app.env)
    sources = [build_source(node["chart"]) for node in doctree.findall(chart_node)]
    if sources:
        domain.data["sources"][docname] = sources
    if next(doctree.findall(mermaid_node), None) is not None:
        domain.data["own_mermaid"][docname] = True


def draw(app, env) -> list[str]:
    """``env-updated``: draw every chart not yet drawn, in one headless Chromium session."""
    builder = app.builder
    builder.handbook_chart_cache = None
    builder.handbook_client_charts = app.config.handbook_chart_drawing == "browser"
    if not html_builder(builder) or builder.handbook_client_charts:
        return []
    domain: ChartsDomain = env.domains["hbcharts"]  # type: ignore[assignment]
    sources = domain.all_sources()
    mermaid = find_mermaid_dir(app.confdir, app.srcdir, app.config.handbook_mermaid_dir)
    if mermaid is None:
        if sources:
            logger.warning(
                "the Mermaid JavaScript was not found: charts are shown as their text version. "
                "Run `npm ci` next to conf.py, or set handbook_mermaid_dir.",
                type="handbook",
                subtype="chart-drawing",
            )
        return []
    cache = Path(app.doctreedir) / CACHE_DIR
    started = time.perf_counter()
    try:
        _, stats, _ = chart_svg.draw_missing(sources, mermaid, cache)
    except chart_svg.ChartRenderError as exc:
        logger.warning(
            "charts cannot be drawn at build time (%s): they are drawn in the reader's browser instead",
            exc,
            type="handbook",
            subtype="chart-drawing",
        )
        builder.handbook_client_charts = True
        return []
    builder.handbook_chart_cache = (cache, chart_svg.versions(mermaid))
    if stats.total:
        logger.info(
            "handbook: %d charts (%d drawn, %d from cache) in %.1f s",
            stats.total,
            stats.rendered,
            stats.cached,
            time.perf_counter() - started,
        )
    return []


def drawn_svg(builder, chart: Chart, hrefs: list[str | None], ident: str, name: str) -> str | None:
    """The chart's drawing for this place on a page (``hrefs``: the URLs of
    :func:`chart_links` from that page), or None (not drawn at build time)."""
    found = getattr(builder, "handbook_chart_cache", None)
    if not found:
        return None
    cache, version = found
    source = build_source(chart)
    try:
        svg = chart_svg.cache_path(cache, source, version).read_text(encoding="utf-8")
    except OSError:
        return None
    return inline_svg(svg, chart_id=chart_svg.chart_id(source), ident=ident, name=name, hrefs=hrefs, fonts=CJK_FONTS)


#: Mermaid in the browser: the site's look, but Mermaid's own layout (ELK is an ES module only)
BROWSER_CONFIG = {
    "startOnLoad": False,
    "securityLevel": "loose",  # click-through links; all labels are escaped by us
    "fontFamily": CJK_FONTS,
    "themeVariables": {"fontFamily": CJK_FONTS, "fontSize": "15px"},
    **{k: v for k, v in MERMAID_LAYOUT.items() if k not in ("layout", "elk")},
    "flowchart": {**MERMAID_LAYOUT["flowchart"], "htmlLabels": True, "useMaxWidth": False},
}


def add_client_scripts(app, context: dict) -> None:
    """On a page whose charts the reader's browser draws: Mermaid's classic script and ours."""
    app.builder.add_js_file(None, body="window.handbookMermaidConfig = " + json.dumps(BROWSER_CONFIG) + ";")
    app.builder.add_js_file(f"handbook-mermaid/{CLASSIC_JS}", defer="defer")
    app.builder.add_js_file(RUN_JS, defer="defer")


def copy_client_files(app, static: Path, mermaid: Path) -> None:
    copy_if_changed(STATIC_DIR / RUN_JS, static / RUN_JS)
    dest = static / "handbook-mermaid"
    dest.mkdir(parents=True, exist_ok=True)
    copy_if_changed(mermaid / CLASSIC_JS, dest / CLASSIC_JS)


def setup_drawing(app, chart_node: type[nodes.Element]) -> None:
    app.add_domain(ChartsDomain)
    app.connect("doctree-read", lambda app, doctree: collect(app, doctree, chart_node))
    app.connect("env-updated", draw)
