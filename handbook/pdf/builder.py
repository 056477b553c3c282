"""The ``handbookpdf`` builder: the whole handbook as one controlled PDF document, and
each role's job description (岗位说明书) as a PDF of its own.

Sphinx's single-page HTML builder assembles every page into one document; this builder
then (1) makes the ids of the assembled pages unique (two hand-written pages with Chinese
titles both get docutils' ``id1``) and points links at the sections they open, (2) swaps
each chart for an SVG rendered at build time by the site's own Mermaid
(:mod:`handbook.pdf.charts`), (3) marks the chapters, departments, roles and processes
for page breaks, PDF bookmarks and the running header, (4) writes the page with the print
theme (cover and document-control page, distribution record, revision history, table of
contents) and (5) lays it out with WeasyPrint into ``<outdir>/<number>-<revision>.pdf``
(a new revision never overwrites a released one). The role sections of the same document
become ``<outdir>/roles/<id>.pdf``, laid out with the same fonts and stylesheet.
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

from handbook import model as m
from handbook.charts.mermaid_js import find_mermaid_dir
from handbook.site.chart_node import (caption_text, chart_source, legend_html, org_chart)
from handbook.site.settings import build_date
from handbook.errors import HandbookExit
from handbook.i18n import _, chart_labels
from handbook.charts.model import Chart
from handbook.charts.print_split import split_chart
from handbook.charts import svg as pdf_charts
from handbook.pdf import chunks, jobs
from handbook.pages import PAGE_KINDS, index_docname
from handbook.pdf.cover import (Print, cover_html, distribution_html, history_html, job_description_anchor, job_description_html, job_descriptions_css, known_page_css, footer_css, running_css, toc_html, watermark_html, where_html)

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).parent / "print.css"
#: generated index pages, grouped under one "Indexes" chapter in the PDF
INDEX_DOCS = tuple(k.docname for k in PAGE_KINDS if k.pdf_index)
CHAPTER_CLASSES = {"handbook-department": "department", "handbook-role": "role", "handbook-process": "process"}



class HandbookPDFError(HandbookExit):
    """What was asked of the PDF cannot be built (a copy number that was not issued …)."""

    category = "Handbook PDF error"


# printable area in CSS px (96 dpi) for charts, see print.css (@page margins)
PORTRAIT_BOX = (650.0, 820.0)
LANDSCAPE_BOX = (980.0, 500.0)
#: the @page margins of print.css (24 mm top, 20 mm bottom) in CSS px
PAGE_MARGIN_TOP = 24 * 96 / 25.4
PAGE_MARGIN_BOTTOM = 20 * 96 / 25.4


@dataclasses.dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    anchor: str
    kind: str


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


class HandbookPDFBuilder(SingleFileHTMLBuilder):
    """``sphinx-build -b handbookpdf``: one PDF with cover, approvals, TOC, bookmarks."""

    name = "handbookpdf"
    epilog = "The PDF is in %(outdir)s."
    handbook_svg_charts = True  # charts.ChartFallback leaves the charts to us
    handbook_frees_as_it_goes = True  # collects garbage after each chunk: no deferred collections (collector.py)
    search = False
    copysource = False
    supported_image_types = ["image/svg+xml", "image/png", "image/gif", "image/jpeg"]

    def init(self) -> None:
        self.config.html_permalinks = False  # no ¶ after headings in print
        super().init()
        self.pdf_outline: list[OutlineEntry] = []
        self.pdf_chart_stats: pdf_charts.RenderStats | None = None
        self.pdf_path: Path | None = None
        self.pdf_role_paths: list[Path] = []
        self._role_sections: dict[str, nodes.section] = {}
        self._print: Print | None = None

    # -- what is asked: the document, a numbered copy, job descriptions ------------------------
    @property
    def handbook(self) -> m.Handbook | None:
        return self.env.domains["org"].handbook

    def wanted_roles(self) -> tuple[str, ...] | None:
        """The roles whose job descriptions are written (None: every role)."""
        value = self.config.handbook_pdf_roles.strip()
        if value == "all":
            return None
        return tuple(x.strip() for x in value.split(",") if x.strip())

    @property
    def document_wanted(self) -> bool:
        """The whole document is written unless only some roles' job descriptions are asked for."""
        return self.wanted_roles() in (None, ())

    def print_context(self) -> Print:
        """The build's print settings, checked once: the copy number, the logo, the build date."""
        if self._print is not None:
            return self._print
        hb = self.handbook
        cfg = self.config
        copy = None
        if cfg.handbook_pdf_copy and hb is not None:
            doc = hb.company.document
            copy = doc.copy_numbered(cfg.handbook_pdf_copy)
            numbers = [c.copy for c in doc.distribution if c.copy is not None]
            if copy is None:
                known = ", ".join(map(str, numbers)) if numbers else "none (give `copy:` numbers in `distribution`)"
                raise HandbookPDFError(f"copy {cfg.handbook_pdf_copy} is not in the document's `distribution`; "
                                       f"the numbered copies are: {known}")
            if doc.status is None or not doc.status.controlled:
                shown = doc.status.key if doc.status else "not given"
                raise HandbookPDFError(f"numbered controlled copies are issued of a controlled document; the "
                                       f"document's `status` is {shown}")
        wanted = self.wanted_roles()
        if wanted and hb is not None:
            unknown = [r for r in wanted if r not in hb.roles]
            if unknown:
                from handbook.validate.values import close_match

                hints = [f"`{r}`" + (f" (did you mean `{g}`?)" if (g := close_match(r, hb.roles)) else "")
                         for r in unknown]
                raise HandbookPDFError(f"no role has the id {', '.join(hints)}")
        self._print = Print(language=cfg.language, today=build_date(cfg), copy=copy, logo=self._logo(),
                            brand_color=cfg.handbook_brand_color.strip(), project=cfg.project)
        return self._print

    def _logo(self) -> str:
        configured = self.config.handbook_logo
        if not configured or "://" in configured:  # a URL: WeasyPrint fetches it
            return configured
        path = Path(self.confdir, configured)
        types = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".gif": "image/gif", ".webp": "image/webp"}
        mime = types.get(path.suffix.lower())
        if mime is None or not path.is_file():
            why = "is not an image file" if path.is_file() else "does not exist"
            logger.warning("conf.py: handbook_logo = %r: %s; the cover has no logo", configured, why,
                           type="handbook", subtype="config")
            return ""
        return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "handbookpdf", {}

    # -- the assembled document ----------------------------------------------------------
    def assemble_doctree(self) -> nodes.document:
        self.print_context()  # stop early on a copy or role that does not exist
        tree = super().assemble_doctree()
        self._drop_duplicates(tree)
        _unique_ids(tree, self.config.root_doc)
        self._unlink_missing_pages(tree)
        self._link_to_sections(tree)
        self._strip_root_intro(tree)
        self._mark_structure(tree)
        _fixed_tables(tree)
        _compact_cells(tree)
        self._keep_role_sections(tree)
        if self.document_wanted:
            self._inline_charts(tree)
            self._mark_chapter_ends(tree)
        else:  # only job descriptions: the document is not laid out, its charts are not drawn
            from handbook.site.chart_node import fallback_nodes

            for node in list(tree.findall(org_chart)):
                node.replace_self(fallback_nodes(node))
        return tree

    def _link_to_sections(self, tree: nodes.document) -> None:
        """A link to a page (``#document-roles/x``) points at the page's first section
        instead: the marker before it sits on the previous page once the section starts a
        new one, and the index chapters print the page number of the link's target."""
        first: dict[str, str] = {}
        for _parent, sof, _depth in _files(tree):
            sec = next((c for c in sof.children if isinstance(c, nodes.section) and c["ids"]), None)
            if sec is not None:
                first[sof["docname"]] = sec["ids"][0]
        for ref in tree.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if uri.startswith("#document-") and uri[len("#document-"):] in first:
                ref["refuri"] = "#" + first[uri[len("#document-"):]]

    def _drop_duplicates(self, tree: nodes.document) -> None:
        """Print each thing once: the RACI tables are in their processes (the RACI index
        repeats them all), and the departments index holds the department tree the company
        page repeats. (The roles index's "by department" part stays: in the PDF it is an index
        that gives each role's page.)"""
        docs = {n["docname"]: n for n in tree.findall(addnodes.start_of_file)}
        raci = docs.get(index_docname("raci"))
        if raci is not None and any(d.startswith("processes/") for d in docs):
            raci.parent.remove(raci)
        if index_docname("departments") in docs:
            for sec in list(tree.findall(nodes.section)):
                if "handbook-department-tree" in sec["ids"] and sec.parent is not None:
                    sec.parent.remove(sec)

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
                    part = nodes.raw("", chunks.cut_marker(0)
                                     + f'<h1 class="hb-part" id="hb-indexes">{html.escape(label)}</h1>\n',
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
                # a chapter's class (hb-chapter, a page break) is decided below, not by its kind
                sec["classes"] += [f"hb-bm-{min(level, 6)}"] + ([f"hb-{kind}"] if kind != "chapter" else [])
                if docname in INDEX_DOCS:
                    sec["classes"].append("hb-index")
                sec.insert(0, nodes.raw("", where_html(self._where(kind, docname, title.astext())), format="html"))
                if depth == 1 and i == 0 and not (docname in INDEX_DOCS and docname != INDEX_DOCS[0]):
                    sec["classes"].append("hb-chapter")
                # the PDF is laid out in chunks that begin before such a section (pdf/chunks.py)
                rank = 0 if "hb-chapter" in sec["classes"] else min(level, 6)
                sof.insert(sof.index(sec), nodes.raw("", chunks.cut_marker(rank), format="html"))
                outline.append(OutlineEntry(level, title.astext(), sec["ids"][0], kind))
        self.pdf_outline = outline

    def _where(self, kind: str, docname: str, title: str) -> str:
        """What the running header says on a section's pages: the department's path, the role
        with its department's path, the process, or the chapter."""
        hb = self.handbook
        ident = docname.rsplit("/", 1)[-1]
        lang = self.config.language
        if hb is not None and kind == "department" and ident in hb.departments:
            return " / ".join(hb.departments[d].name.get(lang) for d in hb.department_path(ident))
        if hb is not None and kind == "role" and ident in hb.roles:
            path = [hb.departments[d].name.get(lang) for d in hb.department_path(hb.roles[ident].department)]
            return " / ".join([*path, hb.roles[ident].title.get(lang)])
        return title

    def _keep_role_sections(self, tree: nodes.document) -> None:
        """A copy of each role's section, for its job description; links become plain text."""
        if self.config.handbook_pdf_copy or self.config.handbook_pdf_roles.strip() == "":
            return
        wanted = self.wanted_roles()
        for _parent, sof, _depth in _files(tree):
            docname = sof["docname"]
            rid = docname.rsplit("/", 1)[-1]
            if not docname.startswith("roles/") or (wanted is not None and rid not in wanted):
                continue
            sec = next((c for c in sof.children if isinstance(c, nodes.section) and "hb-role" in c["classes"]), None)
            if sec is None:
                continue
            copy = sec.deepcopy()
            for child in list(copy.children):
                if isinstance(child, nodes.raw):  # the running-header marker of the document
                    copy.remove(child)
            for ref in list(copy.findall(nodes.reference)):
                ref.replace_self(nodes.Text(ref.astext()))
            _compact_cells(copy)  # now without links
            for target in list(copy.findall(addnodes.index)):
                target.parent.remove(target)
            self._role_sections[rid] = copy

    def _inline_charts(self, tree: nodes.document) -> None:
        """Every chart as vector SVG, at a size whose smallest label is at least
        ``MIN_LABEL_PT`` on paper: portrait or landscape, whichever shows it larger; an org
        chart that fits neither is split into an overview and one chart per branch
        (:func:`handbook.charts.print_split.split_chart`), again for a branch still too large."""
        charts = list(tree.findall(org_chart))
        if not charts:
            return
        mermaid_dir = self._mermaid_dir()
        cache = Path(self.outdir) / ".charts"
        started = time.perf_counter()
        plans: list[list[Chart]] = [[node["chart"]] for node in charts]
        labels = chart_labels()
        try:
            for split_round in range(5):
                sources = {id(c): print_source(self, c) for plan in plans for c in plan}
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
        except pdf_charts.ChartRenderError as exc:
            logger.warning("charts could not be drawn for the PDF, their text alternative is shown: %s", exc,
                           type="handbook", subtype="pdf")
            from handbook.site.chart_node import fallback_nodes
            for node in charts:
                node.replace_self(fallback_nodes(node))
            return
        self.pdf_chart_stats = stats
        logger.info("handbook: %d charts (%d rendered, %d from cache) in %.1f s", stats.total, stats.rendered,
                    stats.cached, time.perf_counter() - started)
        #: {k: (width, height, scale)} of the charts the layout may shrink to fill a page (see
        #: refit_charts), each with markers hb-fit-k-before / -after around it (its section)
        self.pdf_fit: dict[int, tuple[float, float, float]] = {}
        for node, plan in zip(charts, plans, strict=True):
            figures = []
            tall = False
            landscape = False
            first_key = None  # the first chart's: its "before" marker goes before its section
            split_at = 0  # figures[:split_at] is the first chart's html
            for i, chart in enumerate(plan):
                split_at = split_at if i != 1 else len(figures)
                svg = svgs[sources[id(chart)]]
                w, h = pdf_charts.svg_size(svg)
                orientation, scale = fit((w, h))
                if scale < pdf_charts.MIN_SCALE:  # cannot be split further: never below the legible size
                    logger.warning("a chart is too large for a page at %.1f pt: %s", pdf_charts.MIN_LABEL_PT,
                                   chart.name, type="handbook", subtype="pdf")
                scale = max(scale, pdf_charts.MIN_SCALE)
                landscape |= orientation == "landscape"
                tall |= h * scale > 0.45 * PORTRAIT_BOX[1] or len(plan) > 1
                svg = _sized_svg(svg, w * scale, h * scale)
                data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                name = html.escape(chart.name or node.get("title", ""))
                ids = " ".join(node.get("ids", [])) if i == 0 else ""
                caption = caption_text(node) if i == 0 else chart.name
                # the branch charts after an overview stand side by side where they fit
                branch = " hb-branch" if i > 0 and chart.kind == "org" else ""
                # a portrait chart may be printed smaller to fill a gap (refit_charts); not the
                # branch charts, which share lines
                shrinkable = orientation == "portrait" and not branch
                key = len(self.pdf_fit)
                if shrinkable:
                    self.pdf_fit[key] = (w, h, scale)
                    if i == 0:
                        first_key = key
                    else:
                        figures.append(f'<div class="hb-mark" id="hb-fit-{key}-before"></div>\n')
                figures.append(
                    f'<figure class="handbook-chart handbook-chart-{chart.kind} hb-{orientation}{branch}"'
                    + (f' id="{ids}"' if ids else "")
                    # as wide as its chart, so that its legend wraps instead of widening it
                    + (f' style="width: {max(w * scale, 240):.0f}px"' if branch else "") + '>\n'
                    f'<img class="hb-chart-svg"' + (f' id="hb-fit-{key}"' if shrinkable else "")
                    + f' alt="{name}" src="data:image/svg+xml;base64,{data}" '
                    f'style="width: {w * scale:.1f}px; height: {h * scale:.1f}px">\n'
                    f'<figcaption>{html.escape(caption)}{legend_html(chart)}</figcaption>\n</figure>\n')
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
                continue
            if landscape:
                parent["classes"].append("hb-landscape")
            if landscape or tall:
                _after_text(parent)
            if rest and isinstance(parent.parent, nodes.Element):
                parent.parent.insert(parent.parent.index(parent) + 1, nodes.raw(
                    "", '<div class="hb-branches">\n' + "".join(rest) + "</div>\n", format="html"))
            if first_key is not None and isinstance(parent.parent, nodes.Element):
                parent.parent.insert(parent.parent.index(parent),
                                     nodes.raw("", f'<div class="hb-mark" id="hb-fit-{first_key}-before"></div>\n',
                                               format="html"))

    def _mark_chapter_ends(self, tree: nodes.document) -> None:
        """A marker at the end of each chapter (a page break follows it), so the layout can
        tell when only a few lines of a chapter spilled onto a page (see refit_charts)."""
        for i, sec in enumerate(s for s in tree.findall(nodes.section) if "hb-chapter" in s["classes"]):
            sec.append(nodes.raw("", f'<div class="hb-mark" id="hb-end-{i}"></div>\n', format="html"))

    def _mermaid_dir(self) -> Path:
        # the builder's own confdir/srcdir/config (Builder.app is deprecated in Sphinx 9)
        found = find_mermaid_dir(self.confdir, self.srcdir, self.config.handbook_mermaid_dir)
        if found is None:
            raise pdf_charts.ChartRenderError("the Mermaid JavaScript was not found (node_modules/mermaid/dist)")
        return found

    # -- the page template ---------------------------------------------------------------------
    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        ctx = super().get_doc_context(docname, body, metatags)
        hb = self.handbook
        pr = self.print_context()
        language = self.config.language
        ctx["hb_cover"] = cover_html(hb, pr) if hb else ""
        ctx["hb_distribution"] = distribution_html(hb, pr) if hb else ""
        ctx["hb_history"] = history_html(hb, pr) if hb else ""
        ctx["hb_toc"] = toc_html(self.pdf_outline)
        ctx["hb_running_css"] = running_css(hb, pr, page_numbers=False) if hb else ""
        ctx["hb_watermark"] = watermark_html(hb) if hb else ""
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
        self._release_html()
        self.write_pdf()

    def _release_html(self) -> None:
        """Free what Sphinx keeps of the written HTML before the layout: the assembled
        document's tree (held by the HTML writer and its translator) and the environment's
        caches of doctrees. At 2,000 roles these are gigabytes the layout can use instead."""
        import gc

        writer = getattr(self, "docwriter", None)
        for attr in ("document", "visitor", "parts", "output", "destination"):
            if writer is not None and hasattr(writer, attr):
                setattr(writer, attr, None if attr != "parts" else {})
        for cache in ("_pickled_doctree_cache", "_write_doc_doctree_cache"):
            held = getattr(self.env, cache, None)
            if isinstance(held, dict):
                held.clear()
        gc.collect()

    def pdf_filename(self) -> str:
        """``<number>-<revision>.pdf`` (HYL-QM-001-B1.pdf), ``…-copy3.pdf`` for controlled copy 3."""
        configured = self.config.handbook_pdf_filename
        if configured:
            return configured
        hb = self.handbook
        doc = hb.company.document if hb else m.DocumentControl()
        language = self.config.language
        number = doc.number.get(language) if doc.number else ""
        revision = doc.revision.get(language) if doc.revision else ""
        stem = _file_part(number) or "handbook"
        if _file_part(revision):
            stem += "-" + _file_part(revision)
        if self.config.handbook_pdf_copy:
            stem += f"-copy{self.config.handbook_pdf_copy}"
        return f"{stem}.pdf"

    def write_pdf(self) -> None:
        """The document and the job descriptions. With ``-j N`` (N > 1) the job descriptions
        are laid out in N - 1 other processes while this one lays out the document."""
        try:
            from weasyprint import CSS, HTML
            from weasyprint.text.fonts import FontConfiguration
        except ImportError:
            logger.warning("WeasyPrint is not installed (pip install 'handbook[pdf]'): no PDF was written",
                           type="handbook", subtype="pdf")
            return
        variant = self.config.handbook_pdf_variant or None
        fonts = FontConfiguration()  # shared by the document and the job descriptions
        css = CSS(filename=str(STYLESHEET), font_config=fonts)
        # -j N (Sphinx 9 keeps the application as `_app`; `app` is deprecated there)
        app = self.__dict__.get("_app") or self.app
        workers = max(1, app.parallel or 1)
        alongside = workers > 1 and self.document_wanted and bool(self._role_sections)
        # other processes (each worth it for 8 roles or more): beside the document, or for the roles alone
        enough = max(1, len(self._role_sections) // 8)
        if alongside:
            processes = min(workers - 1, enough)
        else:
            processes = min(workers, enough) if not self.document_wanted else 0
            processes = processes if processes > 1 else 0
        batches = self._job_batches(max(1, processes)) if self._role_sections else []
        started = time.perf_counter()
        with jobs.Runner(batches, str(self.outdir), str(STYLESHEET), variant, processes) as runner:
            if self.document_wanted:
                self._write_document(HTML, css, fonts, variant)
            results = runner.results(css, fonts)  # those not laid out in other processes are laid out now
        if batches:
            self._report_job_descriptions(batches, results, time.perf_counter() - started, alongside)

    def _write_document(self, HTML, css, fonts, variant) -> None:  # noqa: N803 - WeasyPrint's class
        """Lay the document out in chunks and merge them (:mod:`handbook.pdf.chunks`): memory is
        bounded by the largest chunk, not the document."""
        source = Path(self.outdir, self.config.root_doc + self.out_suffix)
        target = Path(self.outdir, self.pdf_filename())
        handler = jobs.CollectWarnings()
        wlog = std_logging.getLogger("weasyprint")
        wlog.addHandler(handler)
        started, cpu = time.perf_counter(), time.process_time()
        pr = self.print_context()

        def render(text: str):
            return HTML(string=text, base_url=str(self.outdir)).render(stylesheets=[css], font_config=fonts)

        def write(document, path: Path) -> None:
            document.write_pdf(str(path), pdf_variant=variant, uncompressed_pdf=False)

        def refit(document, text: str) -> str | None:
            sizes = refit_charts(document, getattr(self, "pdf_fit", {}))
            for k, (width, height) in sizes.items():
                text = re.sub(rf'(<img class="hb-chart-svg" id="hb-fit-{k}"[^>]*?style=")[^"]*"',
                              rf'\g<1>width: {width:.1f}px; height: {height:.1f}px"', text, count=1)
                w, h, _scale = self.pdf_fit[k]
                self.pdf_fit[k] = (w, h, height / h)
            return text if sizes else None

        try:
            writer = chunks.ChunkedWriter(
                source.read_text(encoding="utf-8"), target, Path(self.outdir, ".chunks"), render=render, write=write,
                footer_css=lambda first, total: footer_css(pr, first, total), known_page_css=known_page_css(),
                refit=refit, log=lambda message: logger.verbose("handbook: PDF %s", message))
            report = writer.run()
        finally:
            wlog.removeHandler(handler)
        for message in [*handler.messages, *report.warnings]:
            logger.warning("PDF layout: %s", message, type="handbook", subtype="pdf")
        self.pdf_path = target
        self.pdf_report = report
        logger.info("handbook: %s, %d pages (%d chunk%s, the largest %d pages), in %.1f s (CPU %.1f s: %s)",
                    target, report.pages, report.chunks, "s" if report.chunks > 1 else "", report.largest,
                    time.perf_counter() - started, time.process_time() - cpu,
                    ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()))

    def _job_batches(self, n: int) -> list[jobs.Batch]:
        """The job descriptions as ``n`` HTML documents (consecutive roles in each), or more:
        at most :data:`jobs.BATCH_ROLES` roles in one, so memory stays bounded (WeasyPrint holds a
        laid-out document whole, about 3 MB a page)."""
        hb = self.handbook
        assert hb is not None
        pr = self.print_context()
        folder = Path(self.outdir, "roles")
        folder.mkdir(exist_ok=True)
        roles = list(enumerate(self._role_sections))
        doc = hb.company.document
        number = doc.number.get(pr.language) if doc.number else ""
        revision = doc.revision.get(pr.language) if doc.revision else ""
        label = str(_("Job description"))
        lang = (pr.language or "en").replace("_", "-")
        author = html.escape(hb.company.name.get(pr.language))
        n = max(n, -(-len(roles) // jobs.BATCH_ROLES))
        size = -(-len(roles) // max(1, n))
        batches = []
        for first in range(0, len(roles), size):
            chunk = roles[first:first + size]
            articles = "".join(job_description_html(hb, pr, i, rid, _render_fragment(self, self._role_sections[rid]))
                               for i, rid in chunk)
            page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                    f'<meta name="author" content="{author}">'
                    f"<style>{job_descriptions_css(hb, pr, [rid for _i, rid in chunk], first)}</style></head>"
                    f'<body class="hb-jd">{watermark_html(hb)}{articles}</body></html>')
            parts = tuple(jobs.Part(job_description_anchor(i), " ".join(x for x in (
                number, revision, label, hb.roles[rid].title.get(pr.language)) if x), str(folder / f"{rid}.pdf"))
                for i, rid in chunk)
            batches.append(jobs.Batch(page, parts))
        return batches

    def _report_job_descriptions(self, batches: list[jobs.Batch], results: list[jobs.Result], wall: float,
                                 alongside: bool) -> None:
        for r in results:
            for message in r.warnings:
                logger.warning("PDF layout: %s", message, type="handbook", subtype="pdf")
        self.pdf_role_paths = [Path(p.target) for b in batches for p in b.parts]
        where = (f"in {len(batches)} other process{'es' if len(batches) > 1 else ''} alongside the document"
                 if alongside else f"in {len(batches)} process{'es' if len(batches) > 1 else ''}")
        logger.info("handbook: %d job descriptions (%d pages) in %s, laid out in %.1f s (CPU %.1f s) %s",
                    len(self.pdf_role_paths), sum(r.pages for r in results),
                    Path(self.outdir, "roles"), max(r.wall for r in results), sum(r.cpu for r in results), where)


def _files(node: nodes.Node, depth: int = 0):
    """(parent, start_of_file, depth) in document order; depth 1 = included by the root page."""
    for child in list(node.children):
        if isinstance(child, addnodes.start_of_file):
            yield node, child, depth + 1
            yield from _files(child, depth + 1)
        elif isinstance(child, nodes.Element):
            yield from _files(child, depth)


def _file_part(text: str) -> str:
    """A piece of a file name: HYL-QM-001, B/1 -> B1."""
    return re.sub(r"[^\w.-]+", "-", re.sub(r"[/\s]+", "", text)).strip("-.")


def _own_elements(container: nodes.Element):
    """The elements of one assembled page, not those of the pages it includes."""
    stack = list(reversed(container.children))
    while stack:
        node = stack.pop()
        if isinstance(node, addnodes.start_of_file) or not isinstance(node, nodes.Element):
            continue
        yield node
        stack.extend(reversed(node.children))


def _unique_ids(tree: nodes.document, root_doc: str) -> None:
    """Every id once in the assembled document. Pages get their ids independently (a
    section with a Chinese title is docutils' ``id1`` on every page), which one document
    cannot hold: a later page's repeated id becomes ``<page>-<id>``, and that page's own
    references follow."""
    seen: set[str] = set()
    pages = [(tree, root_doc)] + [(sof, sof["docname"]) for _p, sof, _d in _files(tree)]
    for container, docname in pages:
        elements = list(_own_elements(container))
        renamed: dict[str, str] = {}
        for el in elements:
            ids = []
            for ident in el["ids"]:
                if ident in seen:
                    base = re.sub(r"[^\w-]+", "-", docname).strip("-") + "-" + ident
                    new, n = base, 1
                    while new in seen:
                        n += 1
                        new = f"{base}-{n}"
                    renamed[ident] = new
                    ident = new
                seen.add(ident)
                ids.append(ident)
            el["ids"] = ids
        if not renamed:
            continue
        for el in elements:
            if el.get("refid") in renamed:
                el["refid"] = renamed[el["refid"]]
            if el.get("backrefs"):
                el["backrefs"] = [renamed.get(x, x) for x in el["backrefs"]]
            uri = el.get("refuri", "")
            if uri.startswith("#") and uri[1:] in renamed:
                el["refuri"] = "#" + renamed[uri[1:]]


def _fixed_tables(tree: nodes.document) -> None:
    """Tables with column widths keep them (``<col style="width: …%">``), so WeasyPrint lays
    them out with ``table-layout: fixed`` instead of measuring every Chinese character's
    break opportunity to find each column's content width (most of the layout time)."""
    for tbl in tree.findall(nodes.table):
        specs = [c for g in tbl.findall(nodes.tgroup) for c in g.children if isinstance(c, nodes.colspec)]
        if specs and all(c.get("colwidth") for c in specs) and "colwidths-auto" not in tbl["classes"] \
                and _fit_nowrap_columns(tbl, specs):
            tbl["classes"] += ["colwidths-given", "hb-fixed"]  # the first makes Sphinx write <col> widths


#: the text width of a portrait page (A4 less the @page margins of print.css) and the table
#: text's size (9 pt) in mm; a cell's padding and borders
TEXT_WIDTH_MM = 210 - 2 * 16
CJK_MM = 9 * 25.4 / 72
CELL_PADDING_MM = 4.2


def _text_mm(text: str) -> float:
    return sum(CJK_MM * (0.55 if ord(ch) < 0x2E80 else 1.0) for ch in text) + CELL_PADDING_MM


def _fit_nowrap_columns(tbl: nodes.table, specs: list[nodes.colspec]) -> bool:
    """Widen the columns whose cells never wrap (``hb-nowrap``: numbers, codes, short role
    titles) to their longest cell, taking the room from the columns that wrap: with fixed
    column widths a cell that does not wrap would run into the next one. False when the
    table cannot hold them: it is then laid out by its content (automatic layout)."""
    total = sum(float(c["colwidth"]) for c in specs)
    widths = [float(c["colwidth"]) / total * TEXT_WIDTH_MM for c in specs]
    need = [0.0] * len(specs)
    for row in tbl.findall(nodes.row):
        entries = [e for e in row.children if isinstance(e, nodes.entry)]
        if len(entries) != len(specs):  # a group row spanning the columns
            continue
        for i, entry in enumerate(entries):
            if "hb-nowrap" in entry["classes"]:
                need[i] = max(need[i], _text_mm(entry.astext()))
    extra = sum(max(0.0, n - w) for n, w in zip(need, widths))
    if extra <= 0:
        return True
    free = [i for i, n in enumerate(need) if n == 0]
    room = sum(widths[i] for i in free)
    if room - extra < 12 * len(free):  # what wraps would be too narrow: let the content decide
        return False
    for i, n in enumerate(need):
        widths[i] = max(widths[i], n) if n else widths[i] * (room - extra) / room
    for spec, w in zip(specs, widths):
        spec["colwidth"] = max(1, round(w * 10))
    return True


def _compact_cells(tree: nodes.document) -> None:
    """A table cell holding one paragraph holds its text directly: the same print (cells
    have no paragraph margins), a fifth fewer elements for WeasyPrint to style and lay out."""
    for entry in list(tree.findall(nodes.entry)):
        if len(entry.children) == 1 and isinstance(entry.children[0], nodes.paragraph) \
                and not entry.children[0]["ids"] and not entry.children[0]["classes"] \
                and not any(isinstance(n, nodes.reference) for n in entry.children[0].findall()):
            # (a link keeps its paragraph: Sphinx's HTML writer wants one around it)
            para = entry.children[0]
            entry.remove(para)
            entry.extend(para.children)


def _render_fragment(builder, node: nodes.Node) -> str:
    """One node as HTML with the builder's translator (a lone section: its title is an h1)."""
    import docutils.utils

    doc = docutils.utils.new_document("<job description>", builder._settings)
    doc.append(node)
    visitor = builder.create_translator(doc, builder)
    doc.walkabout(visitor)
    return "".join(visitor.fragment)


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


def _after_text(chart_section: nodes.section) -> None:
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


def _sized_svg(svg: str, width: float, height: float) -> str:
    """Give the root <svg> the print size (the viewBox keeps the drawing scaled)."""
    m = _SVG_OPEN.search(svg)
    if not m:
        return svg
    tag = m.group(0)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    tag = tag[:-1] + f' width="{width:.1f}" height="{height:.1f}">'
    return svg[:m.start()] + tag + svg[m.end():]
