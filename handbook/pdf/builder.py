"""The ``handbookpdf`` builder: the whole handbook as one controlled PDF document.

Sphinx's single-page HTML builder assembles every page into one document; this builder
then (1) swaps each chart for an SVG rendered at build time by the site's own Mermaid
(:mod:`handbook.pdf.charts`), (2) marks the chapters, departments, roles and processes
for page breaks and PDF bookmarks, (3) writes the page with the print theme (cover and
document-control page, revision history, table of contents) and (4) lays it out with
WeasyPrint into ``<outdir>/<document number>.pdf``.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import logging as std_logging
import re
import time
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging

from ..assets import mermaid_dir
from ..charts import caption_text, chart_source, org_chart
from ..i18n import _
from . import charts as pdf_charts
from ..pages import PAGE_KINDS
from .cover import cover_html, history_html, running_css, toc_html

logger = logging.getLogger(__name__)

#: generated index pages, grouped under one "Indexes" chapter in the PDF
INDEX_DOCS = tuple(k.docname for k in PAGE_KINDS if k.pdf_index)
CHAPTER_CLASSES = {"handbook-department": "department", "handbook-role": "role", "handbook-process": "process"}

# printable area in CSS px (96 dpi) for charts, see print.css (@page margins)
PORTRAIT_BOX = (650.0, 820.0)
LANDSCAPE_BOX = (980.0, 500.0)


@dataclasses.dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    anchor: str
    kind: str


def fit(size: tuple[float, float]) -> tuple[str, float]:
    """The orientation and scale that show a chart largest (portrait wins near-ties)."""
    w, h = size
    portrait = min(1.0, PORTRAIT_BOX[0] / w, PORTRAIT_BOX[1] / h)
    landscape = min(1.0, LANDSCAPE_BOX[0] / w, LANDSCAPE_BOX[1] / h)
    if portrait >= 0.9 * landscape:
        return "portrait", portrait
    return "landscape", landscape


def print_source(builder, chart) -> str:
    """The chart's Mermaid source for print: no click-through links."""
    source = chart_source(builder, builder.config.root_doc, chart)
    source = "".join(line for line in source.splitlines(keepends=True) if not line.lstrip().startswith("click "))
    return pdf_charts.prewrap(source)


class HandbookPDFBuilder(SingleFileHTMLBuilder):
    """``sphinx-build -b handbookpdf``: one PDF with cover, approvals, TOC, bookmarks."""

    name = "handbookpdf"
    epilog = "The PDF is in %(outdir)s."
    handbook_svg_charts = True  # charts.ChartFallback leaves the charts to us
    search = False
    copysource = False
    supported_image_types = ["image/svg+xml", "image/png", "image/gif", "image/jpeg"]

    def init(self) -> None:
        self.config.html_permalinks = False  # no ¶ after headings in print
        super().init()
        self.pdf_outline: list[OutlineEntry] = []
        self.pdf_chart_stats: pdf_charts.RenderStats | None = None
        self.pdf_path: Path | None = None

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "handbookpdf", {}

    # -- the assembled document ----------------------------------------------------------
    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        self._unlink_missing_pages(tree)
        self._strip_root_intro(tree)
        self._mark_structure(tree)
        self._inline_charts(tree)
        return tree

    def _unlink_missing_pages(self, tree: nodes.document) -> None:
        """Links to pages outside the PDF (an orphan page such as the people index) keep
        their text but lose the link, which would point nowhere in the document."""
        included = {self.config.root_doc} | {n["docname"] for n in tree.findall(addnodes.start_of_file)}
        for ref in list(tree.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if uri.startswith("#document-") and uri[len("#document-"):].split("#")[0] not in included:
                ref.replace_self(nodes.inline("", "", *ref.children))

    def _strip_root_intro(self, tree: nodes.document) -> None:
        """The root page's title and web-only intro give way to the cover page."""
        root = next(iter(tree.findall(nodes.section)), None)
        if root is None:
            return
        for child in list(root.children):
            if isinstance(child, nodes.title):
                child.parent.remove(child)
            elif not (isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]) \
                    and not isinstance(child, nodes.section):
                root.remove(child)

    def _mark_structure(self, tree: nodes.document) -> None:
        """Page breaks and bookmark levels: chapter > department > (sub-department) > role."""
        outline: list[OutlineEntry] = []
        indexes_started = False
        # inline_all_toctrees() moves children without re-parenting them: walk .children
        for parent, sof, depth in _files(tree):
            docname = sof["docname"]
            level = depth
            if docname in INDEX_DOCS:
                if not indexes_started:
                    indexes_started = True
                    label = str(_("Indexes"))
                    part = nodes.raw("", f'<h1 class="hb-part" id="hb-indexes">{html.escape(label)}</h1>\n',
                                     format="html")
                    parent.insert(parent.index(sof), part)
                    outline.append(OutlineEntry(1, label, "hb-indexes", "part"))
                level += 1
            tops = [c for c in sof.children if isinstance(c, nodes.section)]
            for i, sec in enumerate(tops):
                title = next((c for c in sec.children if isinstance(c, nodes.title)), None)
                if title is None or not sec["ids"]:
                    continue
                kind = next((k for c, k in CHAPTER_CLASSES.items() if c in sec["classes"]), "chapter")
                sec["classes"] += [f"hb-bm-{min(level, 6)}", f"hb-{kind}"]
                if depth == 1 and i == 0 and not (docname in INDEX_DOCS and docname != INDEX_DOCS[0]):
                    sec["classes"].append("hb-chapter")
                outline.append(OutlineEntry(level, title.astext(), sec["ids"][0], kind))
        self.pdf_outline = outline

    def _inline_charts(self, tree: nodes.document) -> None:
        charts = list(tree.findall(org_chart))
        if not charts:
            return
        variants: list[list[str]] = []
        for node in charts:
            chart = node["chart"]
            sources = [print_source(self, chart)]
            if chart.kind == "org":  # a wide tree often fits better growing sideways
                other = "LR" if chart.direction in ("TB", "TD") else "TB"
                sources.append(print_source(self, dataclasses.replace(chart, direction=other)))
            variants.append(sources)
        mermaid_dir = self._mermaid_dir()
        cache = Path(self.outdir) / ".charts"
        started = time.perf_counter()
        try:
            svgs, stats = pdf_charts.render_svgs([s for v in variants for s in v], mermaid_dir, cache)
        except pdf_charts.ChartRenderError as exc:
            logger.warning("charts could not be drawn for the PDF, their text alternative is shown: %s", exc,
                           type="handbook", subtype="pdf")
            from ..charts import fallback_nodes
            for node in charts:
                node.replace_self(fallback_nodes(node))
            return
        self.pdf_chart_stats = stats
        logger.info("handbook: %d charts (%d rendered, %d from cache) in %.1f s", stats.total, stats.rendered,
                    stats.cached, time.perf_counter() - started)
        for node, sources in zip(charts, variants, strict=True):
            best = max(((s, *fit(pdf_charts.svg_size(svgs[s]))) for s in sources),
                        key=lambda x: (x[2] * (1.0 if x[1] == "portrait" else 0.9)))
            source, orientation, scale = best
            svg = svgs[source]
            w, h = pdf_charts.svg_size(svg)
            svg = _sized_svg(svg, w * scale, h * scale)
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            chart = node["chart"]
            title = node.get("title", "")
            ids = " ".join(node.get("ids", []))
            figure = (f'<figure class="handbook-chart handbook-chart-{chart.kind} hb-{orientation}" id="{ids}" '
                      f'aria-label="{html.escape(title)}">\n'
                      f'<img class="hb-chart-svg" alt="{html.escape(title)}" src="data:image/svg+xml;base64,{data}" '
                      f'style="width: {w * scale:.1f}px; height: {h * scale:.1f}px">\n'
                      f'<figcaption>{html.escape(caption_text(node))}</figcaption>\n</figure>\n')
            parent = node.parent
            if orientation == "landscape" and isinstance(parent, nodes.section):
                parent["classes"].append("hb-landscape")
            elif h * scale > 0.6 * PORTRAIT_BOX[1] and isinstance(parent, nodes.section):
                parent["classes"].append("hb-fullpage")  # a tall chart gets a page of its own
            node.replace_self(nodes.raw("", figure, format="html"))

    def _mermaid_dir(self) -> Path:
        found = mermaid_dir(self.app)
        if found is None:
            raise pdf_charts.ChartRenderError("the Mermaid JavaScript was not found (node_modules/mermaid/dist)")
        return found

    # -- the page template ---------------------------------------------------------------------
    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        ctx = super().get_doc_context(docname, body, metatags)
        domain = self.env.domains["org"]
        hb = domain.handbook
        language = self.config.language
        ctx["hb_cover"] = cover_html(hb, language) if hb else ""
        ctx["hb_history"] = history_html(hb, language) if hb else ""
        ctx["hb_toc"] = toc_html(self.pdf_outline)
        ctx["hb_running_css"] = running_css(hb, language, self.config.project) if hb else ""
        doc = hb.company.document if hb else None
        number = doc.number.get(language) if doc and doc.number else ""
        title = (doc.title.get(language) if doc and doc.title else "") or self.config.project
        revision = doc.revision.get(language) if doc and doc.revision else ""
        ctx["hb_title"] = " ".join(x for x in (number, title, revision) if x)
        ctx["hb_author"] = hb.company.name.get(language) if hb else self.config.author
        ctx["hb_description"] = title
        ctx["hb_lang"] = (language or "en").replace("_", "-")
        return ctx

    def write_additional_files(self) -> None:
        pass  # no index, search or extra pages: everything is in the one document

    def copy_static_files(self) -> None:
        pass  # the print stylesheet is read from the package

    # -- the PDF ---------------------------------------------------------------------------------
    def finish(self) -> None:
        super().finish()
        self.write_pdf()

    def pdf_filename(self) -> str:
        configured = self.config.handbook_pdf_filename
        if configured:
            return configured
        hb = self.env.domains["org"].handbook
        number = hb.company.document.number.get(self.config.language) if hb and hb.company.document.number else ""
        stem = re.sub(r"[^\w.-]+", "-", number).strip("-.") or "handbook"
        return f"{stem}.pdf"

    def write_pdf(self) -> None:
        try:
            from weasyprint import CSS, HTML
        except ImportError:
            logger.warning("WeasyPrint is not installed (pip install 'handbook[pdf]'): no PDF was written",
                           type="handbook", subtype="pdf")
            return
        source = Path(self.outdir, self.config.root_doc + self.out_suffix)
        target = Path(self.outdir, self.pdf_filename())
        variant = self.config.handbook_pdf_variant or None
        started = time.perf_counter()
        css = CSS(filename=str(Path(__file__).parent / "print.css"))
        handler = _CollectWarnings()
        wlog = std_logging.getLogger("weasyprint")
        wlog.addHandler(handler)
        try:
            document = HTML(filename=str(source), base_url=str(self.outdir)).render(stylesheets=[css])
            document.write_pdf(str(target), pdf_variant=variant, uncompressed_pdf=False)
        finally:
            wlog.removeHandler(handler)
        for message in handler.messages:
            logger.warning("PDF layout: %s", message, type="handbook", subtype="pdf")
        self.pdf_path = target
        logger.info("handbook: %s, %d pages, in %.1f s", target, len(document.pages), time.perf_counter() - started)


class _CollectWarnings(std_logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=std_logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: std_logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _files(node: nodes.Node, depth: int = 0):
    """(parent, start_of_file, depth) in document order; depth 1 = included by the root page."""
    for child in list(node.children):
        if isinstance(child, addnodes.start_of_file):
            yield node, child, depth + 1
            yield from _files(child, depth + 1)
        elif isinstance(child, nodes.Element):
            yield from _files(child, depth)


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _sized_svg(svg: str, width: float, height: float) -> str:
    """Give the root <svg> the print size (the viewBox keeps the drawing scaled)."""
    m = _SVG_OPEN.search(svg)
    if not m:
        return svg
    tag = m.group(0)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    tag = tag[:-1] + f' width="{width:.1f}" height="{height:.1f}">'
    return svg[:m.start()] + tag + svg[m.end():]
