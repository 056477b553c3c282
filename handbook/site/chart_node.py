"""The chart node: inline SVG in HTML, a plain list everywhere else.

The node carries a :class:`~handbook.charts.model.Chart`. In HTML it is the chart's
drawing made at build time (:mod:`handbook.site.chart_drawing`), given the page's links
when writing; or, when the charts are drawn in the reader's browser
(``handbook_chart_drawing = "browser"``, or no headless browser at build time), its
Mermaid source, drawn by Mermaid's classic script. Builders that cannot show a drawing
(LaTeX, text, man, …) get the chart's text alternative instead.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from handbook.charts.inline_svg import chart_links
from handbook.charts.mermaid_text import to_mermaid
from handbook.charts.model import Chart, OutlineItem, check_limits
from handbook.files import copy_if_changed
from handbook.i18n import _
from handbook.pages import OBJECT_PAGES, docname_for, index_docname
from handbook.site.chart_drawing import (
    NO_SCRIPT_BUILDERS,
    STATIC_DIR,
    add_client_scripts,
    drawn_svg,
    setup_drawing,
)

logger = logging.getLogger(__name__)

HTML_FORMATS = {"html"}

#: chart links to a part of a page: kind -> (the page's object kind, the section id).
#: Section ids are "<kind>-<id>.<part>": "." never occurs in an id, so they stay unique
#: when all pages are merged into one (singlehtml, the PDF)
SECTION_LINKS = {
    "department-roles": ("department", "department-{}.roles"),
    "process-steps": ("process", "process-{}.steps"),
}


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


class org_chart(nodes.General, nodes.Element):
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


#: what each legend entry says; the swatch next to it (CSS) repeats the chart's drawing
LEGEND_TEXT = {
    "head": _("Head: thick border"),
    "department": _("Department: links to its own chart"),
    "vacant": _("Vacancy: dashed border and “Vacant n”"),
    "acting": _("Acting holder: “Acting n”"),
    "concurrent": _("Held concurrently: “Concurrent n”"),
    "shared": _("Shared post: dash-dot border, naming the department it is counted in"),
    "outside": _("Outside this department: rounded dotted box naming its department"),
    "dotted": _("Dotted-line relation: dashed line from the dotted-line supervisor"),
    "dotted_note": _("“Dotted line to …” in a box: a dotted-line relation shared by too many roles to draw"),
    "group": _("Roles with the same supervisor, stacked in a block"),
    "more": _("More: listed in full on their own page"),
    "branch": _("“n below: see its own chart”: the boxes below it are drawn in a chart of their own"),
    "continued": _("Connector: the flow continues in its other part, at the step named"),
}
#: the labels of the chart's buttons (handbook-charts.js reads them from the figure)
CONTROL_LABELS = {
    "zoom-in": _("Zoom in"),
    "zoom-out": _("Zoom out"),
    "zoom-reset": _("1:1 actual size"),
    "fullscreen": _("Full screen"),
    "exit-fullscreen": _("Exit full screen"),
    "controls": _("Chart controls"),
}


def legend_html(chart: Chart) -> str:
    if not chart.legend:
        return ""
    items = "".join(
        f'<li><span class="hb-swatch hb-swatch-{key}" aria-hidden="true"></span>'
        f"{html.escape(str(LEGEND_TEXT[key]))}</li>"
        for key in chart.legend
    )
    return f'<ul class="handbook-chart-legend" aria-label="{html.escape(str(_("Legend")))}">{items}</ul>'


def outline_html(chart: Chart, url) -> str:
    """The chart as nested lists: who reports to whom (org), the steps and branches (flow)."""
    tag = "ol" if chart.kind == "flow" else "ul"

    def items(outline: tuple[OutlineItem, ...]) -> str:
        out = []
        for item in outline:
            target = url(item.link) if item.link else None
            text = html.escape(item.text)
            if target:
                text = f'<a href="{html.escape(target, quote=True)}">{text}</a>'
            if item.notes:
                text += (
                    ' <span class="hb-notes">'
                    + html.escape(str(_("({notes})")).format(notes=str(_(", ")).join(item.notes)))
                    + "</span>"
                )
            below = f"<{tag}>{items(item.children)}</{tag}>" if item.children else ""
            out.append(f"<li>{text}{below}</li>")
        return "".join(out)

    return f"<{tag}>{items(chart.outline)}</{tag}>" if chart.outline else ""


def text_version_html(chart: Chart, url, ident: str, opened: bool = False) -> str:
    body = outline_html(chart, url)
    if not body:
        return ""
    return (
        f'<details class="handbook-chart-text" id="{ident}-text"{" open" if opened else ""}><summary>{html.escape(str(_("Text version")))}'
        f"</summary>\n{body}\n</details>\n"
    )


def visit_chart_html(self, node: org_chart) -> None:
    chart: Chart = node["chart"]
    docname = self.builder.current_docname
    source = chart_source(self.builder, docname, chart)
    for problem in check_limits(source, chart):  # cannot happen with the node budget; say so if it does
        logger.warning("chart too large for Mermaid: %s", problem, location=node, type="handbook", subtype="chart")
    ident = (node.get("ids") or ["handbook-chart"])[0]
    ids = " ".join(node.get("ids", []))
    name = html.escape(chart.name or node.get("title", ""), quote=True)
    controls = " ".join(f'data-label-{k}="{html.escape(str(v), quote=True)}"' for k, v in CONTROL_LABELS.items())
    url = lambda link: link_url(self.builder, docname, link)  # noqa: E731
    hrefs = [url(link) for link in chart_links(chart)]
    svg = drawn_svg(self.builder, chart, hrefs, ident, chart.name or node.get("title", ""))
    client = svg is None and getattr(self.builder, "handbook_client_charts", False)
    text = text_version_html(chart, url, ident, opened=svg is None and not client)
    details = f' aria-details="{ident}-text"' if text else ""
    self.body.append(
        f'<figure class="handbook-chart handbook-chart-{chart.kind}" id="{ids}" data-chart-name="{name}" {controls}>\n'
    )
    self.body.append(f'<div class="handbook-chart-frame" tabindex="0" role="region" aria-label="{name}"{details}>\n')
    if svg is not None:
        self.body.append(svg + "\n</div>\n")
    elif client:
        self.body.append(f'<pre class="mermaid">\n{html.escape(source, quote=False)}</pre>\n</div>\n')
    else:  # not drawn (the build said why): the text version, open
        self.body.append("</div>\n")
    self.body.append(f"<figcaption>{html.escape(caption_text(node))}{legend_html(chart)}</figcaption>\n")
    self.body.append(text)
    self.body.append("</figure>\n")
    raise nodes.SkipNode


def visit_chart_fallback(self, node: org_chart) -> None:
    """Safety net for builders the post-transform did not handle: skip quietly."""
    raise nodes.SkipNode


def fallback_nodes(node: org_chart) -> list[nodes.Node]:
    """The chart's text version as docutils lists (the same tree as the site's text version)."""
    chart: Chart = node["chart"]
    out: list[nodes.Node] = []
    flow = chart.kind == "flow"

    def build(outline: tuple[OutlineItem, ...]) -> nodes.Element:
        lst = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".") if flow else nodes.bullet_list(bullet="-")
        for item in outline:
            li = nodes.list_item()
            text = item.text
            if item.notes:
                text += " " + str(_("({notes})")).format(notes=str(_(", ")).join(item.notes))
            li += nodes.paragraph(text=text)
            if item.children:
                li += build(item.children)
            lst += li
        return lst

    if chart.outline:
        lst = build(chart.outline)
        lst["classes"].append("handbook-chart-fallback")
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


CHART_FILES = ("handbook-charts.js", "handbook-charts.css")


def _html_page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On pages with a chart: the chart controls' script and style (copied when changed)."""
    if (
        doctree is None
        or app.builder.format != "html"
        or app.builder.name in NO_SCRIPT_BUILDERS
        or getattr(app.builder, "handbook_svg_charts", False)
        or next(doctree.findall(org_chart), None) is None
    ):
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    for name in CHART_FILES:
        copy_if_changed(STATIC_DIR / name, static / name)
    app.builder.add_css_file("handbook-charts.css")
    app.builder.add_js_file("handbook-charts.js", defer="defer")
    if getattr(app.builder, "handbook_client_charts", False):
        add_client_scripts(app, context)


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
    setup_drawing(app, org_chart)
    app.connect("html-page-context", _html_page_context)
