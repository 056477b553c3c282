"""The audit PDF laid out in chunks (handbook/pdf/chunks.py) is right across chunk boundaries:
page X of Y, the contents' page numbers, the bookmarks, links from one chunk to another, the
index chapters' page references. Checked on the PDF itself (pypdf, pdftotext, pdfplumber),
built from the basic test root with a chunk budget small enough for several chunks; and the
pure parts (where the body is cut, what a chunk reopens) on their own."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import build_in_place, chromium_path, copy_source, flat, mermaid_dist, require
from conftest import pdf_outline as outline

from handbook.pdf import chunks


@pytest.fixture(scope="module")
def chunked(tmp_path_factory):
    """The basic root's PDF, laid out in chunks of at most 12,000 characters of HTML."""
    require(chromium_path() is not None, "Chromium (Debian package `chromium`)")
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package `poppler-utils`)")
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    src = copy_source("basic", tmp_path_factory.mktemp("chunked") / "src")
    saved = chunks.CHUNK_CHARS
    chunks.CHUNK_CHARS = 12_000
    try:
        built = build_in_place(src, "handbookpdf", handbook_pdf_roles="")
    finally:
        chunks.CHUNK_CHARS = saved
    assert built.warnings == "", built.warnings
    builder = built.app.builder
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(builder.pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    from pypdf import PdfReader

    return builder, PdfReader(str(builder.pdf_path)), text.split("\f")[:-1]


@pytest.mark.pdf
def test_the_body_is_laid_out_in_several_chunks(chunked):
    builder, reader, pages = chunked
    report = builder.pdf_report
    assert report.chunks >= 4
    assert report.pages == len(reader.pages) == len(pages)
    assert report.starts[0] > 1 and report.starts == sorted(report.starts)
    assert report.largest < report.pages / 2


@pytest.mark.pdf
def test_page_x_of_y_on_every_page_and_across_chunk_boundaries(chunked):
    builder, _reader, pages = chunked
    total = len(pages)
    for i, text in enumerate(pages, start=1):
        assert f"第{i}页/共{total}页" in flat(text), f"page {i}"
        assert f"第{i + 1}页" not in flat(text) and f"第{i - 1}页/" not in flat(text), f"page {i}"
    # the pages on both sides of every boundary, the first and the last
    for start in builder.pdf_report.starts:
        assert f"第{start - 1}页/共{total}页" in flat(pages[start - 2])
        assert f"第{start}页/共{total}页" in flat(pages[start - 1])
    assert f"第1页/共{total}页" in flat(pages[0]) and f"第{total}页/共{total}页" in flat(pages[-1])


@pytest.mark.pdf
def test_bookmarks_are_complete_in_order_and_lead_to_their_section(chunked):
    builder, reader, pages = chunked
    entries = outline(reader)
    titles = [title for _d, title, _p in entries]
    front = titles[: titles.index("目录") + 1]  # the cover, revision history, contents
    assert len(front) >= 3
    assert titles[len(front) :] == [e.title for e in builder.pdf_outline]
    levels = [d for d, _t, _p in entries][len(front) :]
    assert levels == [e.level - 1 for e in builder.pdf_outline]
    previous = 0
    for _d, title, page in entries[len(front) :]:
        assert page >= previous, title
        previous = page
        lines = [ln.strip() for ln in pages[page].splitlines()[4:]]  # not the running header
        assert title in lines, f"{title}: not on page {page + 1}"
    # sections at the start of a chunk (not the first) and just before one
    starts = set(builder.pdf_report.starts)
    assert any(page + 1 in starts for _d, _t, page in entries)


@pytest.mark.pdf
def test_contents_give_the_page_where_each_section_starts(chunked):
    builder, reader, pages = chunked
    entries = outline(reader)
    toc_pages = [p for p in pages[:6] if "目录" in p and "...." in p]
    assert toc_pages
    toc = flat("".join(toc_pages))
    body = entries[[t for _d, t, _p in entries].index("目录") + 1 :]
    assert len(body) == len(builder.pdf_outline)
    for _d, title, page in body:
        assert re.search(re.escape(flat(title)) + r"\.+" + str(page + 1) + r"(?!\d)", toc), title
    # they span every chunk
    numbers = [page + 1 for _d, _t, page in body]
    for a, b in zip(builder.pdf_report.starts, builder.pdf_report.starts[1:], strict=False):
        assert any(a <= n < b for n in numbers), (a, b)


@pytest.mark.pdf
def test_links_to_other_chunks_lead_to_the_target_section(chunked):
    import pdfplumber

    builder, reader, _pages = chunked
    starts = builder.pdf_report.starts
    page_refs = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}

    def chunk_of(i: int) -> int:
        return sum(1 for s in starts if s <= i + 1)

    crossing = []
    with pdfplumber.open(str(builder.pdf_path)) as pdf:
        for i, page in enumerate(reader.pages):
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                dest = annot.get("/Dest")
                if annot.get("/Subtype") != "/Link" or dest is None:
                    continue
                target = page_refs[dest[0].idnum]
                if chunk_of(target) == chunk_of(i):
                    continue
                x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
                top, bottom = float(page.mediabox.height) - y2, float(page.mediabox.height) - y1
                words = "".join(
                    c["text"]
                    for c in pdf.pages[i].chars
                    if x1 <= (c["x0"] + c["x1"]) / 2 <= x2 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
                )
                crossing.append((i, target, re.sub(r"\.{2,}.*$|（第\d+页）$", "", flat(words))))
                # (without a contents line's leader and number, an index entry's page)
    assert len(crossing) > 10
    # a link that names a section (a contents line, an index entry, a role's department or
    # supervisor) leads to the page where that section starts
    sections = {title: page for _d, title, page in outline(reader)}
    named = [(i, target, words) for i, target, words in crossing if words in sections]
    assert len(named) > 10
    for i, target, words in named:
        assert target == sections[words], f"page {i + 1}: the link {words!r} leads to page {target + 1}"
    # the contents (front matter) link to every chunk
    assert {chunk_of(t) for i, t, _w in crossing if i < starts[0] - 1} == set(range(1, len(starts) + 1))


@pytest.mark.pdf
def test_index_chapter_gives_the_page_of_roles_in_other_chunks(chunked):
    builder, reader, pages = chunked
    entries = {title: page for _d, title, page in outline(reader)}
    hb = builder.handbook
    index_start = entries["岗位索引"]
    starts = builder.pdf_report.starts

    def chunk_of(i: int) -> int:
        return sum(1 for s in starts if s <= i + 1)

    assert any(chunk_of(entries[r.title.get("zh_CN")]) != chunk_of(index_start) for r in hb.roles.values())
    index = flat("".join(pages[index_start : index_start + 3]))
    for r in hb.roles.values():
        title = r.title.get("zh_CN")
        assert f"{flat(title)}（第{entries[title] + 1}页）" in index, title


@pytest.mark.pdf
def test_running_header_names_the_role_on_the_first_page_of_a_chunk(chunked):
    builder, reader, pages = chunked
    hb = builder.handbook
    names = {r.title.get("zh_CN") for r in hb.roles.values()} | {d.name.get("zh_CN") for d in hb.departments.values()}
    for start in builder.pdf_report.starts[1:]:
        header = pages[start - 1].splitlines()[:8]
        where = next((ln for ln in header if ln.split(" / ")[-1] in names), None)
        first_title = next(t for _d, t, p in outline(reader) if p == start - 1)
        if first_title in names:
            assert where is not None and where.split(" / ")[-1] == first_title, (start, header)


# -- the pure parts --------------------------------------------------------------------------------
BODY = (
    '<section id="a" class="hb-bm-1 hb-chapter"><div class="hb-where" data-where="A"></div><h1>A</h1>'
    '<div class="toctree-wrapper compound">'
    + chunks.cut_marker(2)
    + '<section id="d1" class="hb-bm-2 hb-department"><div class="hb-where" '
    'data-where="D1"></div><h2>D1</h2><p>'
    + "x" * 100
    + "</p>"
    + chunks.cut_marker(3)
    + '<section id="r1" class="hb-bm-3 hb-role"><div class="hb-where" data-where="R1">'
    "</div><h3>R1</h3><p>" + "y" * 100 + '<a class="reference internal" href="#d2">D2</a></p></section>'
    "</section>" + chunks.cut_marker(2) + '<section id="d2" class="hb-bm-2 hb-department"><div class="hb-where" '
    'data-where="D2"></div><h2>D2</h2><p>'
    + "z" * 100
    + '<img src="data:image/svg+xml;base64,'
    + "Q" * 50_000
    + '"></p></section></div></section>'
    + chunks.cut_marker(0)
    + '<h1 class="hb-part" id="p">P</h1><p>end</p>'
)


def test_cuts_know_the_open_elements_and_discount_images():
    cuts = chunks.find_cuts(BODY)
    assert [c.rank for c in cuts] == [2, 3, 2, 0]
    assert [re.match(r"<(\w+)", t).group(1) for t in cuts[1].stack] == ["section", "div", "section"]
    assert cuts[3].stack == ()
    # the image's data: URI weighs as chunks.IMAGE_CHARS
    uri = len("data:image/svg+xml;base64,") + 50_000
    assert cuts[3].weight == cuts[3].offset - uri + chunks.IMAGE_CHARS
    assert chunks.weight(BODY) == len(BODY) - uri + chunks.IMAGE_CHARS


def test_plan_prefers_a_page_break_then_the_highest_level_section():
    def cuts(*spec):
        return [chunks.Cut(o, (), rank, o) for o, rank in spec]

    assert [c.offset for c in chunks.plan(cuts((300, 3), (450, 0), (550, 2)), 1000, 600)] == [450]
    assert [c.offset for c in chunks.plan(cuts((300, 3), (450, 2), (550, 3)), 1000, 600)] == [450]
    steps = cuts((100, 3), (400, 2), (600, 3), (700, 0), (900, 3))
    assert [c.offset for c in chunks.plan(steps, 1000, 500)] == [400, 700]
    assert chunks.plan(steps, 1000, 1000) == []  # everything fits
    # a section heavier than the budget is a chunk of its own
    assert [c.offset for c in chunks.plan(cuts((5000, 2)), 6000, 1000)] == [5000]


def test_chunks_reopen_their_sections_close_them_and_carry_the_running_header():
    cuts = chunks.find_cuts(BODY)
    first, second, third = chunks.chunks(BODY, [cuts[1], cuts[3]])
    assert "".join([first, second, third]).count("<h3>R1</h3>") == 1
    # the first chunk closes what it leaves open, the second reopens it without ids, margins or breaks
    assert first.endswith("</section></div></section>")
    assert second.startswith(
        '<section class="hb-cont hb-bm-1 hb-chapter"><div class="hb-cont toctree-wrapper '
        'compound"><section class="hb-cont hb-bm-2 hb-department">'
    )
    assert ' id="a"' not in second and ' id="d1"' not in second and ' id="r1"' in second
    # a part title names nothing: the header goes on naming the last section before it
    assert third.startswith('<div class="hb-where" data-where="D2"></div>' + chunks.cut_marker(0))
    # every start tag is closed in every chunk
    for text in (first, second, third):
        opened = len(re.findall(r"<(section|div)\b", text))
        assert opened == len(re.findall(r"</(section|div)>", text)), text[:200]


def test_links_to_earlier_chunks_carry_their_page():
    text = (
        '<p id="here"><a class="reference internal" href="#here">h</a><a class="reference internal" href="#r">r</a>'
        '<a class="reference internal" href="#later">l</a></p>'
    )
    out = chunks._known_pages(text, {"here": 3, "r": 12})
    assert 'href="#r" data-hb-p="12"' in out
    assert 'href="#here">' in out and 'href="#later">' in out  # in this chunk, or not laid out yet
