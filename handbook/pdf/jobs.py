"""Laying out the job descriptions (岗位说明书) and writing one PDF per role.

Each PDF of its own would pay WeasyPrint's fixed costs 74 times (parsing the stylesheet,
the style cascade, a second layout pass for ``counter(pages)``). Instead the job
descriptions are laid out as one HTML document — one named page per role, whose page
counter restarts at 1 and whose footer total is the page of the role's end marker (see
``cover.job_descriptions_css``) — and the laid-out pages are split into one PDF per role
(``Document.copy``), with the main document's fonts and stylesheet. What is left per role
is WeasyPrint's font subsetting and compression.

With ``-j N`` the work is shared: a :class:`Runner` lays the batches out in forked
processes while the builder lays out the main document. Pure WeasyPrint: no Sphinx
imports (the builder passes plain values).
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

#: the most roles laid out as one document (about 150 pages, 0.5 GB)
BATCH_ROLES = 100


@dataclass(frozen=True)
class Part:
    """One role's PDF: the anchor its article starts with, its title, where it goes."""

    anchor: str
    title: str
    target: str


@dataclass(frozen=True)
class Batch:
    """One HTML document of job descriptions and the PDFs it is split into."""

    html: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Result:
    pages: int
    warnings: tuple[str, ...]
    wall: float
    cpu: float


class CollectWarnings(logging.Handler):
    """WeasyPrint's warnings, to report them as the build's warnings."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_batch(batch: Batch, base_url: str, stylesheet: str, variant: str | None, css=None, fonts=None) -> Result:
    """Lay out one batch and write its PDFs (WeasyPrint's warnings are returned, each
    prefixed with the file it concerns)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    started, cpu = time.perf_counter(), time.process_time()
    fonts = fonts or FontConfiguration()
    css = css or CSS(filename=stylesheet, font_config=fonts)
    handler = CollectWarnings()
    log = logging.getLogger("weasyprint")
    log.addHandler(handler)
    warnings: list[str] = []
    try:
        document = HTML(string=batch.html, base_url=base_url).render(stylesheets=[css], font_config=fonts)
        warnings += [f"roles: {m}" for m in handler.messages]
        handler.messages.clear()
        for part, pages in zip(batch.parts, split(document.pages, [p.anchor for p in batch.parts]), strict=True):
            pdf = document.copy(pages)
            pdf.metadata = copy.copy(document.metadata)
            pdf.metadata.title = part.title
            pdf.write_pdf(part.target, pdf_variant=variant, uncompressed_pdf=False)
            warnings += [f"roles/{Path(part.target).name}: {m}" for m in handler.messages]
            handler.messages.clear()
    finally:
        log.removeHandler(handler)
    return Result(len(document.pages), tuple(warnings), time.perf_counter() - started, time.process_time() - cpu)


def split(pages: Sequence, anchors: Sequence[str]) -> list[list]:
    """The pages of each article: a page belongs to the last article that starts on it or before it."""
    index = {a: i for i, a in enumerate(anchors)}
    out: list[list] = [[] for _a in anchors]
    owner = -1
    for page in pages:
        found = [index[a] for a in page.anchors if a in index]
        if found:
            owner = max(found)
        if owner >= 0:
            out[owner].append(page)
    return out


class Runner:
    """Lays out batches in ``processes`` forked processes, started on entering (so they run
    while the caller does other work), or in the calling process if ``processes`` is 0."""

    def __init__(
        self, batches: Sequence[Batch], base_url: str, stylesheet: str, variant: str | None, processes: int
    ) -> None:
        self.args = (base_url, stylesheet, variant)
        self.batches = list(batches)
        self.processes = processes if len(self.batches) > 0 else 0
        self.pool = None
        self.futures: list[Future] = []

    def __enter__(self) -> Runner:
        if self.processes:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: the children start with WeasyPrint loaded and the batches in memory
            self.pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=multiprocessing.get_context("fork"))
            self.futures = [self.pool.submit(write_batch, b, *self.args) for b in self.batches]
        return self

    def results(self, css=None, fonts=None) -> list[Result]:
        if self.pool is not None:
            return [f.result() for f in self.futures]
        return [write_batch(b, *self.args, css, fonts) for b in self.batches]

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
