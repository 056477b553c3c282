"""The ``handbookpdf`` builder: the whole handbook as one controlled PDF document, and
each role's job description (岗位说明书) as a PDF of its own.

Sphinx's single-page HTML builder assembles every page into one document; this builder
then (1) makes the ids of the assembled pages unique (two hand-written pages with Chinese
titles both get docutils' ``id1``) and points links at the sections they open
(:mod:`handbook.pdf.assembled_doctree`), (2) swaps each chart for an SVG rendered at build
time by the site's own Mermaid (:mod:`handbook.charts.svg`), sized for the page
(:mod:`handbook.pdf.chart_fit`), (3) marks the chapters, departments, roles and processes
for page breaks, PDF bookmarks and the running header, (4) writes the page with the print
theme (cover and document-control page, distribution record, revision history, table of
contents) and (5) lays it out with WeasyPrint into ``<outdir>/<number>-<revision>.pdf``
(a new revision never overwrites a released one). The role sections of the same document
become ``<outdir>/roles/<id>.pdf``, laid out with the same fonts and stylesheet. Tables are
given fixed column widths where they hold (:mod:`handbook.pdf.table_fit`), which saves
WeasyPrint most of its layout time.
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
from handbook.audit import fingerprint as fpr
from handbook.charts import svg as pdf_charts
from handbook.charts.mermaid_js import find_mermaid_dir
from handbook.errors import HandbookExit
from handbook.i18n import _, chart_labels
from handbook.pages import PAGE_KINDS
from handbook.pdf import chunks, jobs
from handbook.pdf.assembled_doctree import (
    drop_duplicates,
    link_to_sections,
    mark_chapter_ends,
    page_files,
    strip_root_intro,
    unique_ids,
    unlink_missing_pages,
)
from handbook.pdf.chart_fit import place_charts, plan_charts, print_source, refit_charts
from handbook.pdf.cover import (
    Print,
    cover_html,
    distribution_html,
    footer_css,
    history_html,
    job_description_anchor,
    job_description_html,
    job_descriptions_css,
    known_page_css,
    running_css,
    toc_html,
    watermark_html,
    where_html,
)
from handbook.pdf.table_fit import compact_cells, fixed_tables
from handbook.site.chart_node import org_chart
from handbook.site.settings import build_date

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).parent / "print.css"
#: generated index pages, grouped under one "Indexes" chapter in the PDF
INDEX_DOCS = tuple(k.docname for k in PAGE_KINDS if k.pdf_index)
CHAPTER_CLASSES = {"handbook-department": "department", "handbook-role": "role", "handbook-process": "process"}


class HandbookPDFError(HandbookExit):
    """What was asked of the PDF cannot be built (a copy number that was not issued …)."""

    category = "Handbook PDF error"


@dataclasses.dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    anchor: str
    kind: str


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
                raise HandbookPDFError(
                    f"copy {cfg.handbook_pdf_copy} is not in the document's `distribution`; "
                    f"the numbered copies are: {known}"
                )
            if doc.status is None or not doc.status.controlled:
                shown = doc.status.key if doc.status else "not given"
                raise HandbookPDFError(
                    f"numbered controlled copies are issued of a controlled document; the "
                    f"document's `status` is {shown}"
                )
        wanted = self.wanted_roles()
        if wanted and hb is not None:
            unknown = [r for r in wanted if r not in hb.roles]
            if unknown:
                from handbook.validate.values import close_match

                hints = [
                    f"`{r}`" + (f" (did you mean `{g}`?)" if (g := close_match(r, hb.roles)) else "") for r in unknown
                ]
                raise HandbookPDFError(f"no role has the id {', '.join(hints)}")
        self._print = Print(
            language=cfg.language,
            today=build_date(cfg),
            copy=copy,
            logo=self._logo(),
            brand_color=cfg.handbook_brand_color.strip(),
            project=cfg.project,
            fingerprint=fpr.fingerprint(hb) if hb is not None else "",
            signing_department=cfg.handbook_jd_signing_department.strip(),
        )
        return self._print

    def _logo(self) -> str:
        configured = self.config.handbook_logo
        if not configured or "://" in configured:  # a URL: WeasyPrint fetches it
            return configured
        path = Path(self.confdir, configured)
        types = {
            ".svg": "image/svg+xml",
            ".png": "image/png",
            ".jpg": "image/jpeg",
            ".jpeg": "image/jpeg",
            ".gif": "image/gif",
            ".webp": "image/webp",
        }
        mime = types.get(path.suffix.lower())
        if mime is None or not path.is_file():
            why = "is not an image file" if path.is_file() else "does not exist"
            logger.warning(
                "conf.py: handbook_logo = %r: %s; the cover has no logo",
                configured,
                why,
                type="handbook",
                subtype="config",
            )
            return ""
        return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "handbookpdf", {}

    # -- the assembled document ----------------------------------------------------------
    def assemble_doctree(self) -> nodes.document:
        self.print_context()  # stop early on a copy or role that does not exist
        tree = super().assemble_doctree()
        drop_duplicates(tree)
        unique_ids(tree, self.config.root_doc)
        unlink_missing_pages(tree, self.config.root_doc)
        link_to_sections(tree)
        strip_root_intro(tree)
        self._mark_structure(tree)
        fixed_tables(tree)
        compact_cells(tree)
        self._keep_role_sections(tree)
        if self.document_wanted:
            self._inline_charts(tree)
            mark_chapter_ends(tree)
        else:  # only job descriptions: the document is not laid out, its charts are not drawn
            from handbook.site.chart_node import fallback_nodes

            for node in list(tree.findall(org_chart)):
                node.replace_self(fallback_nodes(node))
        return tree

    def _mark_structure(self, tree: nodes.document) -> None:
        """Page breaks and bookmark levels: chapter > department > (sub-department) > role."""
        outline: list[OutlineEntry] = []
        indexes_started = False
        # inline_all_toctrees() moves children without re-parenting them: walk .children
        for parent, sof, depth in page_files(tree):
            docname = sof["docname"]
            level = depth
            if docname in INDEX_DOCS:
                if not indexes_started:
                    indexes_started = True
                    label = str(_("Indexes"))
                    part = nodes.raw(
                        "",
                        chunks.cut_marker(0) + f'<h1 class="hb-part" id="hb-indexes">{html.escape(label)}</h1>\n',
                        format="html",
                    )
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
        for _parent, sof, _depth in page_files(tree):
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
            compact_cells(copy)  # now without links
            for target in list(copy.findall(addnodes.index)):
                target.parent.remove(target)
            self._role_sections[rid] = copy

    def _inline_charts(self, tree: nodes.document) -> None:
        """Every chart as vector SVG, at a size whose smallest label is at least
        ``MIN_LABEL_PT`` on paper: portrait or landscape, whichever shows it larger; an org
        chart that fits neither is split into an overview and one chart per branch
        (:func:`handbook.charts.print_split.split_chart`), again for a branch still too large
        (:mod:`handbook.pdf.chart_fit`)."""
        charts = list(tree.findall(org_chart))
        if not charts:
            return
        mermaid_dir = self._mermaid_dir()
        cache = Path(self.outdir) / ".charts"
        started = time.perf_counter()
        labels = chart_labels()
        try:
            plans, sources, svgs, stats = plan_charts(
                [node["chart"] for node in charts], lambda c: print_source(self, c), mermaid_dir, cache, labels
            )
        except pdf_charts.ChartRenderError as exc:
            logger.warning(
                "charts could not be drawn for the PDF, their text alternative is shown: %s",
                exc,
                type="handbook",
                subtype="pdf",
            )
            from handbook.site.chart_node import fallback_nodes

            for node in charts:
                node.replace_self(fallback_nodes(node))
            return
        self.pdf_chart_stats = stats
        logger.info(
            "handbook: %d charts (%d rendered, %d from cache) in %.1f s",
            stats.total,
            stats.rendered,
            stats.cached,
            time.perf_counter() - started,
        )
        #: {k: (width, height, scale)} of the charts the layout may shrink to fill a page (see
        #: refit_charts), each with markers hb-fit-k-before / -after around it (its section)
        self.pdf_fit: dict[int, tuple[float, float, float]] = {}
        for node, plan in zip(charts, plans, strict=True):
            place_charts(node, plan, lambda chart: svgs[sources[id(chart)]], self.pdf_fit)

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
        ctx["hb_keywords"] = fpr.pdf_keywords(revision, pr.fingerprint) if pr.fingerprint else ""
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
            logger.warning(
                "WeasyPrint is not installed (pip install 'handbook[pdf]'): no PDF was written",
                type="handbook",
                subtype="pdf",
            )
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

    def _write_document(self, HTML, css, fonts, variant) -> None:
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
                text = re.sub(
                    rf'(<img class="hb-chart-svg" id="hb-fit-{k}"[^>]*?style=")[^"]*"',
                    rf'\g<1>width: {width:.1f}px; height: {height:.1f}px"',
                    text,
                    count=1,
                )
                w, h, _scale = self.pdf_fit[k]
                self.pdf_fit[k] = (w, h, height / h)
            return text if sizes else None

        try:
            writer = chunks.ChunkedWriter(
                source.read_text(encoding="utf-8"),
                target,
                Path(self.outdir, ".chunks"),
                render=render,
                write=write,
                footer_css=lambda first, total: footer_css(pr, first, total),
                known_page_css=known_page_css(),
                refit=refit,
                log=lambda message: logger.verbose("handbook: PDF %s", message),
            )
            report = writer.run()
        finally:
            wlog.removeHandler(handler)
        for message in [*handler.messages, *report.warnings]:
            logger.warning("PDF layout: %s", message, type="handbook", subtype="pdf")
        self.pdf_path = target
        self.pdf_report = report
        logger.info(
            "handbook: %s, %d pages (%d chunk%s, the largest %d pages), in %.1f s (CPU %.1f s: %s)",
            target,
            report.pages,
            report.chunks,
            "s" if report.chunks > 1 else "",
            report.largest,
            time.perf_counter() - started,
            time.process_time() - cpu,
            ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()),
        )

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
            chunk = roles[first : first + size]
            articles = "".join(
                job_description_html(hb, pr, i, rid, _render_fragment(self, self._role_sections[rid]))
                for i, rid in chunk
            )
            page = (
                f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                f'<meta name="author" content="{author}">'
                f"<style>{job_descriptions_css(hb, pr, [rid for _i, rid in chunk], first)}</style></head>"
                f'<body class="hb-jd">{watermark_html(hb)}{articles}</body></html>'
            )
            parts = tuple(
                jobs.Part(
                    job_description_anchor(i),
                    " ".join(x for x in (number, revision, label, hb.roles[rid].title.get(pr.language)) if x),
                    str(folder / f"{rid}.pdf"),
                )
                for i, rid in chunk
            )
            batches.append(jobs.Batch(page, parts))
        return batches

    def _report_job_descriptions(
        self, batches: list[jobs.Batch], results: list[jobs.Result], wall: float, alongside: bool
    ) -> None:
        for r in results:
            for message in r.warnings:
                logger.warning("PDF layout: %s", message, type="handbook", subtype="pdf")
        self.pdf_role_paths = [Path(p.target) for b in batches for p in b.parts]
        where = (
            f"in {len(batches)} other process{'es' if len(batches) > 1 else ''} alongside the document"
            if alongside
            else f"in {len(batches)} process{'es' if len(batches) > 1 else ''}"
        )
        logger.info(
            "handbook: %d job descriptions (%d pages) in %s, laid out in %.1f s (CPU %.1f s) %s",
            len(self.pdf_role_paths),
            sum(r.pages for r in results),
            Path(self.outdir, "roles"),
            max(r.wall for r in results),
            sum(r.cpu for r in results),
            where,
        )


def _file_part(text: str) -> str:
    """A piece of a file name: HYL-QM-001, B/1 -> B1."""
    return re.sub(r"[^\w.-]+", "-", re.sub(r"[/\s]+", "", text)).strip("-.")


def _render_fragment(builder, node: nodes.Node) -> str:
    """One node as HTML with the builder's translator (a lone section: its title is an h1)."""
    import docutils.utils

    doc = docutils.utils.new_document("<job description>", builder._settings)
    doc.append(node)
    visitor = builder.create_translator(doc, builder)
    doc.walkabout(visitor)
    return "".join(visitor.fragment)
