"""The chart node: Mermaid in HTML, a plain list everywhere else.

``org_chart`` subclasses sphinxcontrib-mermaid's node, so that extension loads the
(local, offline) Mermaid JavaScript on exactly the pages that have a chart. The node
carries a :class:`~handbook.mermaid.Chart`; the Mermaid text is produced when writing,
because only then are the links' relative URLs known. Builders that cannot run Mermaid
(LaTeX, text, man, …) get the chart's text alternative instead.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.mermaid import mermaid as _mermaid_node

from .i18n import _
from .mermaid import Chart, check_limits, to_mermaid
from .pages import OBJECT_PAGES, docname_for, index_docname

logger = logging.getLogger(__name__)

HTML_FORMATS = {"html"}
#: builders with format "html" that cannot run the JavaScript
NO_SCRIPT_BUILDERS = {"epub"}

#: chart links to a part of a page: kind -> (the page's object kind, the section id).
#: Section ids are "<kind>-<id>.<part>": "." never occurs in an id, so they stay unique
#: when all pages are merged into one (singlehtml, the PDF)
SECTION_LINKS = {"department-roles": ("department", "department-{}.roles"),
                 "process-steps": ("process", "process-{}.steps")}


def link_target(link: tuple[str, str]) -> tuple[str, str] | None:
    """The page and anchor a chart box links to: ("role", id), ("index", "departments") …"""
    kind, ident = link
    if kind in OBJECT_PAGES:
        return docname_for(kind, ident), ""
    if kind in SECTION_LINKS:
        page, anchor = SECTION_LINKS[kind]
        return docname_for(page, ident), anchor.format(ident)
    if kind == "index":
        return index_docname(ident), ""
    if kind == "company":
        return index_docname("company"), ""
    return None


class org_chart(_mermaid_node):  # noqa: N801 - docutils node naming
    """A handbook chart (org chart or process flow)."""


def link_url(builder, fromdoc: str, link: tuple[str, str]) -> str | None:
    found = link_target(link)
    if found is None or found[0] not in builder.env.all_docs:
        return None
    target, anchor = found
    uri = builder.get_relative_uri(fromdoc, target)
    return uri + "#" + anchor if anchor else uri


def chart_source(builder, docname: str, chart: Chart) -> str:
    return to_mermaid(chart, lambda link: link_url(builder, docname, link))


def caption_text(node: org_chart) -> str:
    chart: Chart = node["chart"]
    parts = [chart.summary] if chart.summary else []
    if chart.truncated:
        parts.append(str(_("{n} more shown on their own pages")).format(n=chart.truncated))
    if node.get("as_of"):
        parts.append(f"{_('As of')} {node['as_of']}")
    return " · ".join(parts)


def visit_chart_html(self, node: org_chart) -> None:
    chart: Chart = node["chart"]
    docname = self.builder.current_docname
    source = chart_source(self.builder, docname, chart)
    for problem in check_limits(source, chart):  # cannot happen with the node budget; say so if it does
        logger.warning("chart too large for Mermaid: %s", problem, location=node, type="handbook", subtype="chart")
    ids = " ".join(node.get("ids", []))
    title = html.escape(node.get("title", ""), quote=True)
    self.body.append(f'<figure class="handbook-chart handbook-chart-{chart.kind}" id="{ids}">\n')
    self.body.append(f'<pre class="mermaid" aria-label="{title}">\n{html.escape(source, quote=False)}</pre>\n')
    self.body.append(f'<figcaption>{html.escape(caption_text(node))}</figcaption>\n</figure>\n')
    raise nodes.SkipNode


def visit_chart_fallback(self, node: org_chart) -> None:
    """Safety net for builders the post-transform did not handle: skip quietly."""
    raise nodes.SkipNode


def fallback_nodes(node: org_chart) -> list[nodes.Node]:
    chart: Chart = node["chart"]
    out: list[nodes.Node] = []
    lst = nodes.bullet_list(bullet="-", classes=["handbook-chart-fallback"])
    for row in chart.fallback:
        li = nodes.list_item()
        li += nodes.paragraph(text=" — ".join(x for x in row if x))
        lst += li
    if chart.kind == "org" and lst.children:
        out.append(lst)
    cap = caption_text(node)
    if cap:
        out.append(nodes.paragraph(text=cap, classes=["handbook-chart-caption"]))
    return out


class ChartFallback(SphinxPostTransform):
    """Replace charts by their text alternative where Mermaid cannot run."""

    default_priority = 200

    def is_supported(self) -> bool:
        builder = self.env._builder_cls  # what SphinxPostTransform itself checks (self.app is deprecated)
        fmt = getattr(builder, "format", "")
        if builder.name in NO_SCRIPT_BUILDERS:
            return True
        if getattr(builder, "handbook_svg_charts", False):
            return False  # the PDF route renders charts itself
        return fmt not in HTML_FORMATS

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(org_chart)):
            node.replace_self(fallback_nodes(node))


def setup_charts(app) -> None:
    app.add_node(
        org_chart,
        html=(visit_chart_html, None),
        latex=(visit_chart_fallback, None),
        text=(visit_chart_fallback, None),
        man=(visit_chart_fallback, None),
        texinfo=(visit_chart_fallback, None),
    )
    app.add_post_transform(ChartFallback)
