"""Charts on the printed page: each chart's size and orientation, and where it goes.

Every chart is drawn as SVG (:mod:`handbook.charts.svg`) from its print source
(:func:`print_source`: no click-through links) and printed at the largest size that fits
a portrait or landscape page, its labels between ``MIN_LABEL_PT`` and ``MAX_LABEL_PT``
(:func:`fit`); an org chart that fits neither is split (:func:`plan_charts`, with
:func:`handbook.charts.print_split.split_chart`). :func:`place_charts` puts the drawings
into the document, moving a large chart after the text it would push away
(:func:`after_text`); after a first layout, :func:`refit_charts` prints smaller the charts
that left a page nearly empty. The page sizes here follow the ``@page`` margins of
print.css.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from handbook.charts import svg as pdf_charts
from handbook.charts.model import Chart
from handbook.charts.print_split import split_chart
from handbook.site.chart_node import caption_text, chart_source, legend_html

logger = logging.getLogger(__name__)

# printable area in CSS px (96 dpi) for charts, see print.css (@page margins)
PORTRAIT_BOX = (650.0, 820.0)
LANDSCAPE_BOX = (980.0, 500.0)
#: the @page margins of print.css (24 mm top, 20 mm bottom) in CSS px
PAGE_MARGIN_TOP = 24 * 96 / 25.4
PAGE_MARGIN_BOTTOM = 20 * 96 / 25.4

#: a portrait chart at this scale (labels 8 pt) still reads comfortably: it does not get a
#: landscape page of its own, which would break the text around it
PORTRAIT_ENOUGH = 8.0 / (pdf_charts.FONT_PX * 0.75)


def fit(size: tuple[float, float]) -> tuple[str, float]:
    """The orientation and scale that show a chart largest, its labels at most 9 pt (the
    tables' size); portrait wins near-ties and whenever its labels are at least 8 pt."""
    w, h = size
    top = pdf_charts.MAX_SCALE
    portrait = min(top, PORTRAIT_BOX[0] / w, PORTRAIT_BOX[1] / h)
    landscape = min(top, LANDSCAPE_BOX[0] / w, LANDSCAPE_BOX[1] / h)
    if portrait >= 0.9 * landscape or portrait >= PORTRAIT_ENOUGH:
        return "portrait", portrait
    return "landscape", landscape


def print_source(builder, chart) -> str:
    """The chart's Mermaid source for print: no click-through links."""
    source = chart_source(builder, builder.config.root_doc, chart)
    source = "".join(line for line in source.splitlines(keepends=True) if not line.lstrip().startswith("click "))
    return pdf_charts.prewrap(source)


def refit_charts(document, fit: dict[int, tuple[float, float, float]]) -> dict[int, tuple[float, float]]:
    """Charts to print smaller (never below ``MIN_SCALE``) so that no page is left nearly
    empty: ``{k: (width, height)}`` in CSS px. Two cases, told by markers in the HTML:

    - a chart the layout pushed to the next page (a chart is never split) leaves the rest
      of the page before it empty: shrunk to fit that rest (``hb-fit-k-before`` is where
      the text ended, ``hb-fit-k-after`` is below the chart);
    - a chapter whose last lines spilled onto a page of their own (a page break follows a
      chapter, ``hb-end-n``): the chart on the page before is shrunk by the spill's height,
      which pulls the lines back."""
    where: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(document.pages):
        for name, position in page.anchors.items():
            if name.startswith(("hb-fit-", "hb-end-")):
                where.setdefault(name, (number, position[1], page.height))
    sizes: dict[int, tuple[float, float]] = {}

    def shrink(k: int, by: float) -> None:
        w, h, scale = fit[k]
        height = h * scale - by - 6  # a little to spare for rounding
        if pdf_charts.MIN_SCALE <= height / h < scale:
            sizes[k] = (w * height / h, height)

    for k in fit:
        before, after = where.get(f"hb-fit-{k}-before"), where.get(f"hb-fit-{k}-after")
        if before is None or after is None or after[0] != before[0] + 1 or before[2] != after[2]:
            continue
        room = before[2] - PAGE_MARGIN_BOTTOM - before[1]
        shrink(k, (after[1] - PAGE_MARGIN_TOP) - room)
    for name, (number, y, height) in where.items():
        spill = y - PAGE_MARGIN_TOP
        if not name.startswith("hb-end-") or spill > (height - PAGE_MARGIN_TOP - PAGE_MARGIN_BOTTOM) / 3:
            continue
        above = [k for k in fit if where.get(f"hb-fit-{k}-after", (None,))[0] == number - 1 and k not in sizes]
        if above:
            shrink(above[-1], spill)
    return sizes


def after_text(chart_section: nodes.section) -> None:
    """A chart that takes most of a page (or a landscape page) goes after the text it would
    otherwise push away, so an opening page is not left with only a heading and a header
    table (the chart itself is never split: it moves to the next page when the rest of a
    page is too small): on a department's page after its text (before its roles), at the
    end of the company page. (A process keeps its flow after its purpose: processes follow
    one another, so the page before a pushed flow holds the previous process too.)"""
    owner = chart_section.parent
    if not isinstance(owner, nodes.section):
        return
    siblings = [c for c in owner.children if isinstance(c, nodes.section)]
    if "handbook-department" in owner["classes"]:
        before = next((c for c in siblings if any(i.endswith(".roles") for i in c["ids"])), None)
    elif "handbook-company" in owner["classes"]:
        before = None
    else:
        return
    owner.remove(chart_section)
    if before is not None:
        owner.insert(owner.index(before), chart_section)
    else:
        owner.append(chart_section)


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def sized_svg(svg: str, width: float, height: float) -> str:
    """Give the root <svg> the print size (the viewBox keeps the drawing scaled)."""
    m = _SVG_OPEN.search(svg)
    if not m:
        return svg
    tag = m.group(0)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    tag = tag[:-1] + f' width="{width:.1f}" height="{height:.1f}">'
    return svg[: m.start()] + tag + svg[m.end() :]


def plan_charts(
    charts: list[Chart], source_of: Callable[[Chart], str], mermaid_dir: Path, cache: Path, labels: Mapping[str, str]
) -> tuple[list[list[Chart]], dict[int, str], dict[str, str], pdf_charts.RenderStats]:
    """The charts to print in place of each of ``charts``: the chart itself, or an overview
    and its branches when it is too large for a page (split again, up to four times, while
    a part is). Returns the plans, each printed chart's source by ``id()``, the SVG of each
    source and the drawing's statistics; raises ``ChartRenderError``."""
    plans: list[list[Chart]] = [[c] for c in charts]
    for split_round in range(5):
        sources = {id(c): source_of(c) for plan in plans for c in plan}
        svgs, stats = pdf_charts.render_svgs(list(sources.values()), mermaid_dir, cache)
        if split_round == 4:
            break
        changed = False
        for i, plan in enumerate(plans):
            new: list[Chart] = []
            for c in plan:
                _o, scale = fit(pdf_charts.svg_size(svgs[sources[id(c)]]))
                if scale < pdf_charts.MIN_SCALE:
                    overview, parts = split_chart(c, labels)
                    if parts:
                        new += [overview, *parts]
                        changed = True
                        continue
                new.append(c)
            plans[i] = new
        if not changed:
            break
    return plans, sources, svgs, stats


def place_charts(
    node: nodes.Element,
    plan: list[Chart],
    svg_of: Callable[[Chart], str],
    fit_sizes: dict[int, tuple[float, float, float]],
) -> None:
    """Replace a chart node by the figures of its ``plan`` (with its branch charts beside
    or after it), sized by :func:`fit`; the charts the layout may shrink are entered in
    ``fit_sizes`` (``{k: (width, height, scale)}``, see :func:`refit_charts`)."""
    figures = []
    tall = False
    landscape = False
    first_key = None  # the first chart's: its "before" marker goes before its section
    split_at = 0  # figures[:split_at] is the first chart's html
    for i, chart in enumerate(plan):
        split_at = split_at if i != 1 else len(figures)
        svg = svg_of(chart)
        w, h = pdf_charts.svg_size(svg)
        orientation, scale = fit((w, h))
        if scale < pdf_charts.MIN_SCALE:  # cannot be split further: never below the legible size
            logger.warning(
                "a chart is too large for a page at %.1f pt: %s",
                pdf_charts.MIN_LABEL_PT,
                chart.name,
                type="handbook",
                subtype="pdf",
            )
        scale = max(scale, pdf_charts.MIN_SCALE)
        landscape |= orientation == "landscape"
        tall |= h * scale > 0.45 * PORTRAIT_BOX[1] or len(plan) > 1
        svg = sized_svg(svg, w * scale, h * scale)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        name = html.escape(chart.name or node.get("title", ""))
        ids = " ".join(node.get("ids", [])) if i == 0 else ""
        caption = caption_text(node) if i == 0 else chart.name
        # the branch charts after an overview stand side by side where they fit
        branch = " hb-branch" if i > 0 and chart.kind == "org" else ""
        # a portrait chart may be printed smaller to fill a gap (refit_charts); not the
        # branch charts, which share lines
        shrinkable = orientation == "portrait" and not branch
        key = len(fit_sizes)
        if shrinkable:
            fit_sizes[key] = (w, h, scale)
            if i == 0:
                first_key = key
            else:
                figures.append(f'<div class="hb-mark" id="hb-fit-{key}-before"></div>\n')
        figures.append(
            f'<figure class="handbook-chart handbook-chart-{chart.kind} hb-{orientation}{branch}"'
            + (f' id="{ids}"' if ids else "")
            # as wide as its chart, so that its legend wraps instead of widening it
            + (f' style="width: {max(w * scale, 240):.0f}px"' if branch else "")
            + ">\n"
            '<img class="hb-chart-svg"'
            + (f' id="hb-fit-{key}"' if shrinkable else "")
            + f' alt="{name}" src="data:image/svg+xml;base64,{data}" '
            f'style="width: {w * scale:.1f}px; height: {h * scale:.1f}px">\n'
            f"<figcaption>{html.escape(caption)}{legend_html(chart)}</figcaption>\n</figure>\n"
        )
        if shrinkable:
            figures.append(f'<div class="hb-mark" id="hb-fit-{key}-after"></div>\n')
    parent = node.parent
    first, rest = (figures[:split_at], figures[split_at:]) if len(plan) > 1 else (figures, [])
    if landscape and isinstance(parent, nodes.section) and rest:
        # the overview on a landscape page; its branch charts, portrait, follow on portrait pages
        node.replace_self(nodes.raw("", "".join(first), format="html"))
    else:
        node.replace_self(nodes.raw("", "".join(figures), format="html"))
        rest = []
    if not isinstance(parent, nodes.section):
        return
    if landscape:
        parent["classes"].append("hb-landscape")
    if landscape or tall:
        after_text(parent)
    if rest and isinstance(parent.parent, nodes.Element):
        parent.parent.insert(
            parent.parent.index(parent) + 1,
            nodes.raw("", '<div class="hb-branches">\n' + "".join(rest) + "</div>\n", format="html"),
        )
    if first_key is not None and isinstance(parent.parent, nodes.Element):
        parent.parent.insert(
            parent.parent.index(parent),
            nodes.raw("", f'<div class="hb-mark" id="hb-fit-{first_key}-before"></div>\n', format="html"),
        )
