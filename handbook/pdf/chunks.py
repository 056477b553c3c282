"""The audit PDF laid out in chunks, so that memory is bounded by the largest chunk.

WeasyPrint keeps a laid-out document whole (about 3 MB a page): one layout of a 5,000-page
handbook would need 15 GB. Instead the assembled HTML document (written by the builder with
markers: ``<!--hb-front-->``, ``<!--hb-body-->``, ``<!--hb-end-->`` and ``<!--hb-cut:R-->``
before every section that may begin a chunk) is laid out in parts, each written to a PDF of
its own and freed before the next, and the parts are merged with pypdf:

1. the front matter (cover, distribution, revision history, contents) is laid out once with
   placeholder page numbers, to count its pages;
2. the body, in chunks of consecutive sections up to :data:`CHUNK_CHARS` of HTML (a chunk
   ends, by preference, where a chapter starts a page anyway, else before the highest-level
   section in reach: a department rather than a role). Each chunk is a document of its own:
   the sections it continues are reopened around it (without their ids, margins or rules),
   its page counter starts at its first page's number (``target-counter`` of a link within
   the chunk gives the right page), links to sections of earlier chunks are given their
   page number (``data-hb-p``), and the running header's "where" is carried over when the
   chunk does not begin with a section that names itself;
3. the front matter again, with the contents' page numbers now known (the same number of
   pages: the numbers are in a column of their own);
4. "page X of Y" is stamped on every page from a document of empty pages with only that
   footer (the total is known only now; the footer does not change the pages' layout);
5. the merge: the parts' pages in order, each with its footer, the bookmarks (collected from
   every part's layout with their levels) as one outline, and every internal link as a link
   annotation to its target's page and position (WeasyPrint's own internal links are
   dropped before writing: a link to another chunk would have no target).

Pure WeasyPrint and pypdf: no Sphinx (the builder passes plain values and callbacks).
"""

from __future__ import annotations

import gc
import html as html_lib
import itertools
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: the most HTML (in characters, a data: URI counted as :data:`IMAGE_CHARS`) laid out as one
#: chunk: about 200 pages (the example's 177 pages are one chunk), 0.6-0.8 GB of WeasyPrint's memory
CHUNK_CHARS = 1_000_000
IMAGE_CHARS = 4_000
#: pages of "page X of Y" footers laid out as one document
FOOTER_PAGES = 1_000
#: a CSS px in PDF points
PT = 0.75

FRONT, BODY, END = "<!--hb-front-->", "<!--hb-body-->", "<!--hb-end-->"
_TAG = re.compile(r"<!--(.*?)-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>", re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_DATA_URI = re.compile(r"""data:[^"')\s]*""")
_ID = re.compile(r'\sid="([^"]*)"')
_INTERNAL = re.compile(r'(<a\b[^>]*?\shref="#)([^"]+)(")')
_TAG_NAME = re.compile(r"<([A-Za-z][\w:-]*)")
_DRAWN = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+Do\b")
_OWN_WHERE = re.compile(r'\s*<section\b[^>]*>\s*<div class="hb-where"')


def cut_marker(rank: int) -> str:
    """Marks a place the body may be split: before a section; rank 0 where a page begins
    anyway (a chapter, a part title), else the section's bookmark level."""
    return f"<!--hb-cut:{rank}-->"


@dataclass(frozen=True)
class Cut:
    offset: int
    stack: tuple[str, ...]  # the start tags of the elements open there
    rank: int
    weight: int  # the HTML's weight before it


@dataclass
class Laid:
    """What one laid-out part leaves behind (its pages are freed)."""

    path: Path
    sizes: list[tuple[float, float]] = field(default_factory=list)  # each page's (width, height) in px
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # name -> (page, x, y)
    links: list[tuple[int, str, tuple[float, float, float, float]]] = field(default_factory=list)
    bookmarks: list[tuple[int, str, int, float, float]] = field(default_factory=list)  # level, label, page, x, y


@dataclass
class Report:
    pages: int = 0
    chunks: int = 0
    largest: int = 0  # pages of the largest chunk
    starts: list[int] = field(default_factory=list)  # the number of each chunk's first page
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


# -- splitting the document --------------------------------------------------------------------------
@dataclass(frozen=True)
class Document:
    head: str  # up to <body>, with the watermark
    front: str
    body: str


def split_document(text: str) -> Document:
    start, body, end = text.index(FRONT), text.index(BODY), text.index(END)
    main = text.index(">", body + len(BODY)) + 1  # <main class="hb-body">
    return Document(text[:start], text[start + len(FRONT) : body], text[main:end])


def find_cuts(body: str) -> list[Cut]:
    """Every marked place, with the elements open there and the weight of the HTML before it."""
    stack: list[tuple[str, str]] = []
    cuts: list[Cut] = []
    images = [(m.start(), m.end()) for m in _DATA_URI.finditer(body)]
    img = 0
    discount = 0
    for m in _TAG.finditer(body):
        comment = m.group(1)
        if comment is not None:
            if comment.startswith("hb-cut:"):
                while img < len(images) and images[img][1] <= m.start():
                    discount += images[img][1] - images[img][0] - IMAGE_CHARS
                    img += 1
                cuts.append(Cut(m.start(), tuple(t for _n, t in stack), int(comment[7:]), m.start() - discount))
            continue
        name = m.group(3).lower()
        if m.group(2):
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == name:
                    del stack[k:]
                    break
        elif name not in _VOID and not m.group(0).endswith("/>"):
            stack.append((name, m.group(0)))
    return cuts


def weight(text: str) -> int:
    return len(text) - sum(len(u) - IMAGE_CHARS for u in _DATA_URI.findall(text))


def plan(cuts: Sequence[Cut], total: int, budget: int) -> list[Cut]:
    """The cuts where chunks begin (the first chunk begins with the body): as few chunks as
    the budget allows, of about even weight (no chunk of a few pages at the end), each at most
    ``budget`` heavy where the sections allow. A chunk ends in the second half of its reach at
    the cut of lowest rank (a page break anyway, then the highest-level section), the last of
    those."""
    count = -(-total // budget)
    if count <= 1:
        return []
    goal = min(budget, int(1.2 * total / count))
    chosen: list[Cut] = []
    start = 0
    i = 0
    while total - start > goal:
        reach = [c for c in cuts[i:] if start < c.weight <= start + goal]
        late = [c for c in reach if c.weight >= start + goal / 2]
        if late:
            best = min(late, key=lambda c: (c.rank, -c.weight))
        elif reach:
            best = reach[-1]
        else:  # one section heavier than the budget: it is a chunk of its own
            best = next((c for c in cuts[i:] if c.weight > start), None)
            if best is None:
                break
        chosen.append(best)
        start = best.weight
        i = cuts.index(best) + 1
    return chosen


def _reopen(tag: str) -> str:
    """A start tag for an element that a chunk continues: no id (its anchor is where it
    began), class ``hb-cont`` (no margin, rule or page break at the chunk's start)."""
    tag = _ID.sub("", tag)
    if ' class="' in tag:
        return tag.replace(' class="', ' class="hb-cont ', 1)
    return _TAG_NAME.sub(r'<\1 class="hb-cont"', tag, count=1)


def _close(stack: Sequence[str]) -> str:
    return "".join("</" + _TAG_NAME.match(t).group(1) + ">" for t in reversed(stack))


def chunks(body: str, starts: Sequence[Cut]) -> list[str]:
    """The body's text of each chunk, its open elements closed and reopened at the cuts, the
    running header's "where" carried over to a chunk that does not begin by naming itself."""
    out = []
    bounds = [None, *starts, None]
    for a, b in itertools.pairwise(bounds):
        begin = a.offset if a else 0
        end = b.offset if b else len(body)
        text = body[begin:end]
        if a is not None:
            prefix = "".join(_reopen(t) for t in a.stack)
            if not _OWN_WHERE.match(body, a.offset + len(cut_marker(a.rank))):
                where = body.rfind('<div class="hb-where" data-where="', 0, a.offset)
                if where >= 0:
                    prefix += body[where : body.index("</div>", where) + 6]
            text = prefix + text
        if b is not None:
            text += _close(b.stack)
        out.append(text)
    return out


def _known_pages(text: str, pages: dict[str, int]) -> str:
    """Links to anchors outside ``text`` whose page is known carry it: ``data-hb-p``."""
    own = set(_ID.findall(text))

    def mark(m: re.Match) -> str:
        target = html_lib.unescape(m.group(2))
        if target in own or target not in pages:
            return m.group(0)
        return f'{m.group(1)}{m.group(2)}" data-hb-p="{pages[target]}{m.group(3)}'

    return _INTERNAL.sub(mark, text)


# -- laying out -------------------------------------------------------------------------------------
class ChunkedWriter:
    """Lays out the assembled document in parts and merges them into ``target``.

    ``render(html) -> weasyprint.Document`` lays out one HTML document (the builder's fonts and
    stylesheet); ``refit(document, html) -> html | None`` may ask for one more layout (charts
    shrunk to fill a page); ``footer_css(first, total)`` is the CSS of the "page X of Y"
    footer; ``known_page_css`` shows ``data-hb-p`` where the index chapters show a page."""

    def __init__(
        self,
        text: str,
        target: Path,
        workdir: Path,
        *,
        render: Callable,
        write: Callable,
        footer_css: Callable[[int, int], str],
        known_page_css: str,
        refit: Callable | None = None,
        budget: int | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.doc = split_document(text)
        self.target = target
        self.workdir = workdir
        self.render = render
        self.write = write
        self.footer_css = footer_css
        self.known_page_css = known_page_css
        self.refit = refit
        self.budget = budget or CHUNK_CHARS
        self.log = log or (lambda _m: None)
        self.report = Report()

    def _doc(self, content: str, css: str = "", head: str | None = None) -> str:
        head = self.doc.head if head is None else head
        if css:
            at = head.index("</head>")
            head = head[:at] + f"<style>\n{css}</style>\n" + head[at:]
        return head + content + "\n</body>\n</html>\n"

    def _layout(self, text: str, path: Path, refit: bool = True) -> Laid:
        document = self.render(text)
        for _round in range(2):  # a chart shrunk to fill a gap moves what follows: look once more
            again = self.refit(document, text) if self.refit and refit else None
            if not again:
                break
            text = again
            document = self.render(text)
        laid = Laid(path)
        for n, page in enumerate(document.pages):
            laid.sizes.append((page.width, page.height))
            for name, pos in page.anchors.items():
                laid.anchors.setdefault(name, (n, pos[0], pos[1]))
            for kind, target, rect, _box in page.links:
                if kind == "internal":
                    laid.links.append((n, target, tuple(rect)))
            for level, label, (x, y), _state in page.bookmarks:
                laid.bookmarks.append((level, label, n, x, y))
            # internal links are added in the merge (a target may be in another part)
            page.links[:] = [x for x in page.links if x[0] != "internal"]
            page.anchors.clear()
        self.write(document, path)
        del document
        gc.collect()
        return laid

    def _front(self, pages: dict[str, int] | None) -> str:
        """The front matter; every link gives its target's page (a placeholder before they are known)."""

        def number(m: re.Match) -> str:
            target = html_lib.unescape(m.group(2))
            shown = "0000" if pages is None else str(pages.get(target, ""))
            return f'{m.group(1)}{m.group(2)}" data-hb-p="{shown}{m.group(3)}'

        return _INTERNAL.sub(number, self.doc.front)

    def run(self) -> Report:
        rep = self.report
        clock = time.perf_counter()
        self.workdir.mkdir(parents=True, exist_ok=True)
        front_css = 'nav.hb-toc li a[data-hb-p]::after { content: leader(".") attr(data-hb-p); }\n'
        # 1. the front matter, to count its pages
        front = self._layout(self._doc(self._front(None), front_css), self.workdir / "front.pdf")
        offset = len(front.sizes)
        rep.seconds["front, counted"] = time.perf_counter() - clock
        # 2. the body, chunk by chunk
        body = self.doc.body
        cuts = find_cuts(body)
        starts = plan(cuts, weight(body), self.budget)
        parts: list[Laid] = []
        pages: dict[str, int] = {}  # anchor -> page number (1-based, the whole document)
        clock = time.perf_counter()
        for i, text in enumerate(chunks(body, starts)):
            first = offset + 1
            css = f"@page :first {{ counter-reset: page {first}; }}\n{self.known_page_css}"
            text = _known_pages(text, pages)
            laid = self._layout(
                self._doc(f'<main class="hb-body">\n{text}\n</main>', css), self.workdir / f"chunk-{i:04d}.pdf"
            )
            for name, (n, _x, _y) in laid.anchors.items():
                pages.setdefault(name, offset + n + 1)
            parts.append(laid)
            rep.starts.append(first)
            offset += len(laid.sizes)
            rep.largest = max(rep.largest, len(laid.sizes))
            self.log(f"chunk {i + 1}/{len(starts) + 1}: {len(laid.sizes)} pages")
        rep.chunks = len(parts)
        rep.seconds["body"] = time.perf_counter() - clock
        # 3. the front matter with the contents' page numbers
        clock = time.perf_counter()
        counted = len(front.sizes)
        front = self._layout(self._doc(self._front(pages), front_css), self.workdir / "front.pdf")
        if len(front.sizes) != counted:
            rep.warnings.append(
                f"the front matter took {len(front.sizes)} pages, not the {counted} "
                "counted before: the index chapters' page numbers may be off"
            )
        rep.seconds["front"] = time.perf_counter() - clock
        parts.insert(0, front)
        # 4. page X of Y
        clock = time.perf_counter()
        sizes = [s for p in parts for s in p.sizes]
        footers = self._footers(sizes)
        rep.seconds["footers"] = time.perf_counter() - clock
        # 5. one PDF
        clock = time.perf_counter()
        merge(parts, footers, self.target)
        rep.seconds["merge"] = time.perf_counter() - clock
        rep.pages = len(sizes)
        for p in [*parts, *footers]:
            p.path.unlink(missing_ok=True)
        if not any(self.workdir.iterdir()):
            self.workdir.rmdir()
        return rep

    def _footers(self, sizes: list[tuple[float, float]]) -> list[Laid]:
        out = []
        total = len(sizes)
        for first in range(0, total, FOOTER_PAGES):
            group = sizes[first : first + FOOTER_PAGES]
            divs = "".join(
                '<div class="hb-footer-page" style="{}"></div>\n'.format(
                    "; ".join(x for x in ("page: landscape" if w > h else "", "break-before: page" if k else "") if x)
                )
                for k, (w, h) in enumerate(group)
            )
            laid = self._layout(
                self._doc(divs, self.footer_css(first + 1, total), _bare_head(self.doc.head)),
                self.workdir / f"footer-{first:06d}.pdf",
                refit=False,
            )
            if len(laid.sizes) != len(group):
                raise RuntimeError(f"the page footers took {len(laid.sizes)} pages for {len(group)}")
            out.append(laid)
        return out


def _bare_head(head: str) -> str:
    """The document's head without its styles and body content (the watermark): for the footers."""
    head = re.sub(r"<style>.*?</style>", "", head, flags=re.S)
    return head[: head.index("<body")] + "<body>\n"


# -- merging ------------------------------------------------------------------------------------------
def merge(parts: Sequence[Laid], footers: Sequence[Laid], target: Path) -> None:
    """The parts' pages in order, each with its footer stamped on; one outline; the links."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import Fit, NameObject

    writer = PdfWriter()
    first: list[int] = []
    readers = []
    for part in parts:
        reader = PdfReader(str(part.path))
        readers.append(reader)
        first.append(len(writer.pages))
        for page in reader.pages:
            writer.add_page(page)
    stamps = [p for f in footers for p in PdfReader(str(f.path)).pages]
    stamp = Stamper(writer)
    for page, footer in zip(writer.pages, stamps, strict=True):
        stamp(page, footer)
    heights = [h for part in parts for _w, h in part.sizes]
    # anchors of the whole document: the first of a name wins
    anchors: dict[str, tuple[int, float, float]] = {}
    for part, base in zip(parts, first, strict=False):
        for name, (n, x, y) in part.anchors.items():
            anchors.setdefault(name, (base + n, x, y))

    def point(n: int, x: float, y: float) -> tuple[float, float]:
        return x * PT, (heights[n] - y) * PT

    for part, base in zip(parts, first, strict=False):
        for n, name, (x1, y1, x2, y2) in part.links:
            found = anchors.get(name)
            if found is None:
                continue
            left, top = point(*found)
            (ax, ay), (bx, by) = point(base + n, x1, y1), point(base + n, x2, y2)
            writer.add_annotation(
                base + n,
                Link(
                    rect=(ax, min(ay, by), bx, max(ay, by)),
                    border=[0, 0, 0],
                    target_page_index=found[0],
                    fit=Fit.xyz(left=left, top=top),
                ),
            )
    stack: list[tuple[int, object]] = []
    for part, base in zip(parts, first, strict=False):
        for level, label, n, x, y in part.bookmarks:
            while stack and stack[-1][0] >= level:
                stack.pop()
            left, top = point(base + n, x, y)
            item = writer.add_outline_item(
                title=label,
                page_number=base + n,
                parent=stack[-1][1] if stack else None,
                fit=Fit.xyz(left=left, top=top),
            )
            stack.append((level, item))
    front = readers[0]
    if front.metadata:
        writer.add_metadata({k: v for k, v in front.metadata.items()})
    root = front.trailer["/Root"]
    for key in ("/Metadata", "/OutputIntents", "/Lang", "/MarkInfo", "/ViewerPreferences"):
        if key in root:
            writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    writer.page_mode = "/UseOutlines"
    # pypdf copies an object that several XObjects share once for each (3-4 times the size)
    writer.compress_identical_objects()
    tmp = target.with_suffix(".part")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(target)


class Stamper:
    """Draws one page over another: the footer page becomes a form XObject of the page
    (its resources cloned once per footer document, so the page's own resource names cannot
    clash), drawn after the page's content, which is wrapped in q/Q. Cheaper and smaller
    than pypdf's ``merge_page``, which decodes and re-encodes every page's content."""

    def __init__(self, writer) -> None:
        from pypdf.generic import DecodedStreamObject

        self.writer = writer
        self.resources: dict[int, object] = {}
        self.open = writer._add_object(_stream(DecodedStreamObject, b"q\n"))
        self.close = writer._add_object(_stream(DecodedStreamObject, b"\nQ\n/HbStamp Do\n"))

    def __call__(self, page, over) -> None:
        from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

        key = id(over.pdf)
        if key not in self.resources:
            self.resources[key] = over.raw_get("/Resources").clone(self.writer)
        form = _stream(DecodedStreamObject, over.get_contents().get_data())
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(FloatObject(float(x)) for x in over.mediabox)
        form[NameObject("/Resources")] = self.resources[key]
        ref = self.writer._add_object(form.flate_encode())
        resources = DictionaryObject(page["/Resources"].get_object())  # this page's own copy
        # WeasyPrint gives every page all the document's XObjects; pypdf writes no object
        # streams, so each page keeps those its content draws (a tenth of the file at 500 roles)
        used = set(_DRAWN.findall(page.get_contents().get_data()))
        xobjects = (
            DictionaryObject({k: v for k, v in resources["/XObject"].get_object().items() if k[1:].encode() in used})
            if "/XObject" in resources
            else DictionaryObject()
        )
        xobjects[NameObject("/HbStamp")] = ref
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")
        own = contents.get_object()
        items = list(own) if isinstance(own, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([self.open, *items, self.close])


def _stream(cls, data: bytes):
    s = cls()
    s.set_data(data)
    return s


logger = logging.getLogger(__name__)
