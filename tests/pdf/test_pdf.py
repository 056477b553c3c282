"""The ISO 9001 audit PDF, checked on the PDF itself: text per page (pdftotext), the
outline (pypdf), fonts (pdffonts) and images (pdfimages).

The example handbook's PDF is built once per session through the real command
(``handbook pdf ... -W --keep-going``), so a warning anywhere fails the build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, chromium_path, flat, mermaid_dist, require
from conftest import pdf_outline as outline

from handbook.charts import svg as pdf_charts
from handbook.model import iter_duties
from handbook.pdf.chart_fit import fit
from handbook.pdf.cover import css_string
from handbook.validate import check_dir

LANG = "zh_CN"
TODAY = "2026-12-01"


def _require_toolchain() -> None:
    require(chromium_path() is not None, "Chromium (Debian package `chromium`)")
    for tool in ("pdftotext", "pdffonts", "pdfimages"):
        require(shutil.which(tool) is not None, f"{tool} (Debian package `poppler-utils`)")
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    try:
        import pypdf  # noqa: F401
        import weasyprint  # noqa: F401
    except ImportError as exc:
        require(False, f"the Python package {exc.name}")


@pytest.fixture(scope="session")
def example_pdf(tmp_path_factory) -> Path:
    _require_toolchain()
    out = tmp_path_factory.mktemp("example-pdf")
    # as `make pdf` builds it (-j: the job descriptions beside the document); the review date
    # is checked against a fixed day, so the test does not depend on when it runs
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "handbook",
            "pdf",
            "--source",
            "source",
            "--conf",
            ".",
            "--out",
            str(out),
            "-W",
            "--keep-going",
            "-j",
            "2",
            "-D",
            f"handbook_today={TODAY}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "WARNING" not in proc.stderr, proc.stderr
    pdfs = list(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["HYL-QM-001-B1.pdf"]  # the revision is in the name
    return pdfs[0]


@pytest.fixture(scope="session")
def pages(example_pdf) -> list[str]:
    """The text of every page (pdftotext, reading order)."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(example_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="session")
def reader(example_pdf):
    from pypdf import PdfReader

    return PdfReader(str(example_pdf))


@pytest.fixture(scope="session")
def hb():
    result = check_dir(str(ROOT / "source" / "org"))
    assert result.handbook is not None
    return result.handbook


def t(text) -> str:
    return "" if text is None else text.get(LANG)


# -- cover and document control -------------------------------------------------------------
def test_cover_has_document_control_and_approvals(pages, hb):
    cover = flat(pages[0])
    doc = hb.company.document
    for value in (
        t(hb.company.name),
        t(doc.title),
        t(doc.number),
        t(doc.revision),
        "状态受控",
        doc.effective.isoformat(),
        doc.review_due.isoformat(),
    ):
        assert flat(value) in cover, value
    for label, approval in (("编制", doc.prepared_by), ("审核", doc.reviewed_by), ("批准", doc.approved_by)):
        row = flat(f"{label}{t(approval.name)}{t(approval.title)}{approval.date.isoformat()}{t(approval.record)}")
        assert row in cover, f"approval row {label}: {row}"
    assert "签名/审批记录" in cover
    assert "受控文件打印即为非受控" in cover  # the stamp of the status 受控
    # every approval references its record: the electronic copy is the valid one, and it says so
    assert (
        "本文件为受控文件。审批记录见上表，电子版为唯一有效版本；其他打印件为非受控文件，使用前请核对现行版本。"
        in cover
    )
    assert "复审逾期" not in cover and "草稿" not in cover and "作废" not in cover


def test_distribution_record_lists_the_numbered_copies_with_a_receipt_column(example_pdf, pages, hb):
    number = next(i for i, p in enumerate(pages[:4]) if "发放记录" in p and "分发号" in p) + 1
    rows = [
        flat(line)
        for line in subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(example_pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    ]
    assert "分发号持有人份数载体发放日期签收（签名、日期）状态" in rows
    doc = hb.company.document
    for c in doc.distribution:  # one line per copy, the receipt where it was recorded, its state
        if c.revision is not None:
            continue  # a copy of B/0: in the recall record below
        medium = "电子" if c.medium == "electronic" else "纸质"
        state = "已签收" if c.received else "待签收"
        line = flat(f"{c.copy}{t(c.holder)}{c.count or 1}{medium}{c.issued.isoformat()}{t(c.received)}{state}")
        assert line in rows, c.copy
    # the B/0 copies: returned (when, by whom), withdrawn electronically, or still out
    assert "版本分发号持有人载体回收日期回收人状态" in rows
    assert "B/0品质部纸质2024-03-01顾佳佳已回收2024-03-01顾佳佳" in rows
    assert "B/0电商部电子已替换（电子版）" in rows
    assert "B/0研发部纸质待回收" in rows


def test_revision_history_lists_every_revision(pages, hb):
    history_page = next(i for i, p in enumerate(pages) if "修订记录" in p and "修订内容" in p)
    text = flat(pages[history_page] + pages[history_page + 1])
    for r in hb.company.document.history:
        assert flat(f"{r.revision}{r.date.isoformat()}{t(r.summary)}") in text, r.revision


# -- running header and footer ------------------------------------------------------------------
def test_every_page_has_header_and_page_x_of_y(pages, reader, hb):
    doc = hb.company.document
    total = len(reader.pages)
    assert len(pages) == total > 100
    for i, text in enumerate(pages, start=1):
        head = flat(text)
        assert f"文件编号：{t(doc.number)}" in head, f"page {i}: no document number"
        assert f"版本：{t(doc.revision)}" in head, f"page {i}: no revision"
        assert flat(t(doc.title)) in head, f"page {i}: no title"
        assert f"第{i}页/共{total}页" in head, f"page {i}: footer is not 'page {i} of {total}'"


# -- outline and contents ---------------------------------------------------------------------------
def test_outline_has_chapters_departments_and_their_roles(reader, hb):
    entries = outline(reader)
    top = [title for depth, title, _p in entries if depth == 0]
    for chapter in (t(hb.company.name), "部门", "工作流程", "索引"):
        assert chapter in top, chapter
    assert top.index(t(hb.company.name)) < top.index("部门") < top.index("工作流程") < top.index("索引")
    # each department is nested below its parent (or 部门), each role directly below its department
    titles_at = {}
    stack: list[str] = []
    for depth, title, _p in entries:
        stack[depth:] = [title]
        titles_at.setdefault(title, []).append(tuple(stack[:-1]))
    for d in hb.departments.values():
        parent = t(hb.departments[d.parent].name) if d.parent else "部门"
        assert any(path and path[-1] == parent for path in titles_at.get(t(d.name), [])), t(d.name)
    for r in hb.roles.values():
        dept = t(hb.departments[r.department].name)
        assert any(path and path[-1] == dept for path in titles_at.get(t(r.title), [])), t(r.title)
    processes = [
        title for depth, title, _p in entries if depth == 1 and title in {t(p.name) for p in hb.processes.values()}
    ]
    assert len(processes) == len(hb.processes)


def _body(page: str, hb) -> list[str]:
    """A page's lines without the running header: the title, 文件编号, 版本, and where we are."""
    lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
    return [
        ln
        for ln in lines
        if not ln.startswith(("文件编号", "版本")) and " / " not in ln and ln != t(hb.company.document.title)
    ]


def test_every_role_has_its_heading_and_header_table_on_its_bookmarked_page(reader, pages, hb):
    """Roles follow one another (a forced page break before each left pages holding only a
    role's last lines, issue 10); a role's bookmark leads to the page where its title and
    header table are, the running header of that page names it (the test below)."""
    entries = {title: page for _d, title, page in outline(reader)}
    for r in hb.roles.values():
        title = t(r.title)
        body = _body(pages[entries[title]], hb)
        assert title in body, f"{title}: not on page {entries[title] + 1}"
        assert flat(f"岗位名称{title}") in flat(pages[entries[title]]), f"{title}: header table not on its page"


def test_running_header_names_the_section_that_begins_on_the_page(reader, pages, hb):
    """Departments and roles follow one another: the header names the first chapter,
    department or role that begins on a page, and on a page that begins none, the one
    continued on it."""
    wheres = {}
    for d in hb.departments.values():
        wheres[t(d.name)] = " / ".join(t(hb.departments[x].name) for x in hb.department_path(d.id))
    for r in hb.roles.values():
        path = " / ".join(t(hb.departments[d].name) for d in hb.department_path(r.department))
        wheres[t(r.title)] = f"{path} / {t(r.title)}"
    marks = [(title, page) for _d, title, page in outline(reader)]
    checked = 0
    for k, (title, first) in enumerate(marks):
        if title not in wheres:
            continue
        opener = next(other for other, page in marks if page == first)
        assert wheres.get(opener, opener) in pages[first].splitlines()[:6], (title, first + 1)
        following = marks[k + 1][1] if k + 1 < len(marks) else len(pages)
        for i in range(first + 1, following):  # its continued pages
            assert wheres[title] in pages[i].splitlines()[:6], (title, i + 1)
            checked += 1
        checked += 1
    assert checked >= len(wheres)


def test_index_chapters_give_the_page_of_each_entry(reader, pages, hb):
    entries = {title: page for _d, title, page in outline(reader)}
    start = entries["岗位索引"]
    # up to and including the page the next chapter starts on (the index may end on it)
    index = flat("".join(pages[start : entries["按部门的岗位一览"] + 1]))
    for r in hb.roles.values():
        assert f"{flat(t(r.title))}（第{entries[t(r.title)] + 1}页）" in index, t(r.title)


def test_contents_page_numbers_match_the_outline(reader, pages):
    toc = flat("".join(p for p in pages[:10] if "目录" in p or "...." in p))
    entries = outline(reader)
    after_front = [e[1] for e in entries].index("目录") + 1  # cover, 发放记录, 修订记录, 目录 come first
    for _d, title, page in entries[after_front : after_front + 40]:
        assert re.search(re.escape(flat(title)) + r"\.*" + str(page + 1) + r"(?!\d)", toc), title


# -- charts --------------------------------------------------------------------------------------------
def test_org_chart_is_vector_text_not_an_image(example_pdf, reader, pages, hb):
    entries = {title: page for _d, title, page in outline(reader)}
    company = entries[t(hb.company.name)]
    chart_page = next(i for i in range(company, company + 6) if "组织架构图" in pages[i])
    # too large for a page at 7.5 pt, the chart is an overview followed by one chart per branch
    branches = list(range(chart_page + 1, len(pages)))
    branches = branches[: next((k for k, i in enumerate(branches) if "分图" not in pages[i]), len(branches))]
    assert branches, "no branch chart after the overview"
    text = flat("".join(pages[i] for i in [chart_page, *branches]))
    for d in hb.departments.values():  # the company chart shows every department
        assert flat(t(d.name)) in text, t(d.name)
    images = subprocess.run(
        ["pdfimages", "-list", "-f", str(chart_page + 1), "-l", str(chart_page + 1), str(example_pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(images.strip().splitlines()) == 2, f"raster image on the chart page:\n{images}"
    assert "/XObject" in str(reader.pages[chart_page].get("/Resources", {}))  # drawn as a vector form


def test_department_and_process_charts_are_drawn(pages, reader, hb):
    entries = {title: page for _d, title, page in outline(reader)}
    proc, after = list(hb.processes.values())[:2]
    start = entries[t(proc.name)]
    flow = flat("".join(pages[start : entries[t(after.name)]]))
    assert "开始" in flow and "结束" in flow  # the flow's start and end boxes are text in the PDF
    dept = hb.departments["gm-office"]
    start = entries[t(dept.name)]
    text = "".join(pages[start : start + 2])
    assert "组织架构图" in text and "flowchart" not in text and "-->" not in text  # drawn, not source


# -- fonts and archival -----------------------------------------------------------------------------------
def test_fonts_are_embedded_cjk_and_not_type3(example_pdf):
    out = subprocess.run(["pdffonts", str(example_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.strip().splitlines()[2:]
    assert rows, out
    assert any("CJK" in row for row in rows), out
    for row in rows:
        assert "Type 3" not in row, row
        cols = row.split()
        assert cols[-5] == "yes", f"font not embedded: {row}"  # emb sub uni object ID


def test_pdf_a_2b_is_declared(reader):
    """What is checked: the PDF/A-2b identification and sRGB output intent (not a full
    validation: no veraPDF here)."""
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    intents = root["/OutputIntents"]
    assert any("sRGB" in str(i.get_object().get("/OutputConditionIdentifier")) for i in intents)
    assert reader.metadata.title == "HYL-QM-001 组织机构与岗位职责手册 B/1"


# -- job descriptions (岗位说明书) ----------------------------------------------------------------------------
def test_every_role_has_a_job_description_of_one_or_two_pages(example_pdf, hb):
    from pypdf import PdfReader

    folder = example_pdf.parent / "roles"
    assert sorted(p.stem for p in folder.glob("*.pdf")) == sorted(hb.roles)
    starts = sorted(page for _d, _t, page in outline(PdfReader(str(example_pdf))))
    role_pages = {
        title: min(p for p in [*starts, 10**6] if p > page) - page
        for _d, title, page in outline(PdfReader(str(example_pdf)))
    }
    doc = hb.company.document
    for rid, role in hb.roles.items():
        pdf = folder / f"{rid}.pdf"
        reader = PdfReader(str(pdf))
        n = len(reader.pages)
        # one or two pages, or no more than the role's own pages in the handbook (物资管理部部长's duties fill 3)
        assert 1 <= n <= max(2, role_pages[t(role.title)]), f"{rid}: {n} pages"
        assert reader.metadata.title == f"HYL-QM-001 B/1 岗位说明书 {t(role.title)}"
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")[:-1]
        first, last = flat(text[0]), flat(text[-1])
        for expected in (
            "岗位说明书",
            f"文件编号：{t(doc.number)}",
            f"版本：{t(doc.revision)}",
            f"岗位编号：{t(role.code)}",
            flat(t(role.title)),
        ):
            assert expected in first, f"{rid}: {expected}"
        supervisor = t(hb.roles[role.reports_to].title) if role.reports_to else ""
        # evidence of communication (5.3, 7.2): the statement, each holder by name and since when (an
        # acting one as 代理, never as 任职者), the supervisor, the post's own department signing
        rows = []
        for h in hb.holders.get(rid, ()):
            how = "兼任" if h.assignment.type == "concurrent" else ""
            since = f"{h.assignment.since.isoformat()}起任职" if h.assignment.since else ""
            rows.append(("代理" if h.assignment.type == "acting" else "任职者") + t(h.person.name) + how + since)
        if all(h.assignment.type == "acting" for h in hb.holders.get(rid, ())):
            rows.insert(0, "任职者")
        rows += [f"直接上级{supervisor}", f"{t(hb.departments[role.department].name)}签署部门"]
        assert flat("签字确认本人已阅读、理解并接受本岗位说明书。签字日期" + "".join(rows)) in last, rid
        for i, page in enumerate(text, start=1):
            assert f"第{i}页/共{n}页" in flat(page), f"{rid}: page {i}"
            footer = flat(page)
            assert "签署后作为记录存档" in footer and "打印即为非受控" not in footer, f"{rid}: page {i}"
        duty = next(iter(iter_duties(role.responsibilities)))
        assert flat(t(duty.text))[:12] in flat("".join(text)), rid


# -- units: chart cache, label wrapping, fitting, escaping ----------------------------------------------------
@pytest.mark.pdf  # draws in Chromium without the example PDF
def test_charts_are_rendered_once_and_cached(tmp_path):
    _require_toolchain()
    sources = [
        'flowchart TB\n  n0["总经理"]\n  n1["研发部"]\n  n0 --> n1\n',
        'flowchart LR\n  n0(["开始"]) --> n1["结束"]\n',
    ]
    svgs, stats = pdf_charts.render_svgs(sources + sources[:1], mermaid_dist(), tmp_path)
    assert (stats.total, stats.rendered, stats.cached) == (2, 2, 0)
    assert "研发部" in svgs[sources[0]] and "<foreignObject" not in svgs[sources[0]]
    assert len(list(tmp_path.glob("*.svg"))) == 2
    again, stats = pdf_charts.render_svgs(sources, mermaid_dist(), tmp_path)
    assert (stats.rendered, stats.cached) == (0, 2) and again == svgs


def test_long_cjk_labels_are_prewrapped():
    long = "进入业务咨询板块，由咨询受理人员接听，解答客户询问的问题，并根据客户询问问题选择"
    source = f'flowchart TD\n  n0["{long}<br/>#40;业务受理专员#41;"]\n  n0 --> n1\n'
    out = pdf_charts.prewrap(source)
    label = re.search(r'n0\["(.*)"\]', out).group(1)
    lines = label.split("<br/>")
    assert "".join(lines[:-1]) == long and lines[-1] == "#40;业务受理专员#41;"
    assert all(len(x) <= pdf_charts.WRAP_UNITS for x in lines)
    assert out.endswith("  n0 --> n1\n")
    assert pdf_charts.wrap_label("编制 3 · 在岗 2") == "编制 3 · 在岗 2"


def test_fit_prefers_the_larger_legible_size():
    assert fit((300, 200)) == ("portrait", pytest.approx(0.8))  # labels at most 9 pt, the tables' size
    orientation, scale = fit((1900, 300))
    assert orientation == "landscape" and scale == pytest.approx(980 / 1900)
    assert fit((500, 1640)) == ("portrait", pytest.approx(0.5))


def test_css_strings_escape_quotes_and_newlines():
    assert css_string('a"b\\c\nd') == '"a\\22 b\\5c c\\a d"'


# -- legible, whole and without waste (issue 10) ---------------------------------------------------
@pytest.fixture(scope="session")
def plumber(example_pdf):
    """The PDF through pdfplumber: each character with its size and position."""
    try:
        import pdfplumber
    except ImportError:
        require(False, "the Python package pdfplumber")
    with pdfplumber.open(str(example_pdf)) as pdf:
        yield pdf


def test_chart_text_is_at_least_7_5_pt(plumber, pages):
    """Every character on a chart page that is not body text: the smallest is 六号 (7.5 pt)."""
    sizes = []
    for i, page in enumerate(plumber.pages):
        if "组织架构图" not in pages[i] and "流程图" not in pages[i] and "开始" not in pages[i]:
            continue
        sizes += [(round(c["size"], 2), i + 1) for c in page.chars]
    assert sizes
    small = sorted(s for s in sizes if s[0] < 7.5)
    assert small == [], f"text under 7.5 pt (size, page): {small[:10]}"


def test_no_step_is_cut(pages, hb):
    text = "".join(pages)
    assert "…" not in text
    flat_text = flat(text)
    for proc in hb.processes.values():
        for step in proc.steps:  # each step's whole text, in the chart and in the steps table
            assert flat_text.count(flat(t(step.action))) >= 2, t(step.action)


def test_no_near_empty_page(plumber, reader, hb):
    """No page holds fewer than 300 characters of body text and ends in its top third,
    except the deliberate ones: the front matter (cover, revision history, contents), the
    Indexes part title, the sign-off sheets (one department a sheet, however few sign), the page
    before them (forms start on a page of their own) and the document's last page (nothing
    follows to fill it)."""
    first_body_page = {title: page for _d, title, page in outline(reader)}[t(hb.company.name)]
    forms = {page - 1 for d, title, page in outline(reader) if d == 0 and title == "阅读确认"}
    near_empty = []
    for i, page in enumerate(plumber.pages[first_body_page:], start=first_body_page):
        body = [c for c in page.chars if 70 < c["top"] < page.height - 60]  # not the running header/footer
        text = "".join(c["text"] for c in body)
        bottom = max((c["bottom"] for c in body), default=0)
        if text == "索引" or "本人已阅读并理解上列与本人有关的修订内容。" in text or i in forms:
            continue  # part title, sign-off sheet, the page before them
        if i == len(plumber.pages) - 1:
            continue  # the last page, holding what remains of the last table
        if len(body) < 300 and bottom < 70 + (page.height - 130) / 3:
            near_empty.append((i + 1, len(body), text[-40:]))
    assert near_empty == [], near_empty


def test_no_section_is_printed_twice(pages, hb):
    text = flat("".join(pages))
    # the RACI tables are printed once, with their process
    assert text.count("RACI职责分配") == len([p for p in hb.processes.values() if p.raci])
    assert "RACI矩阵" not in text  # the RACI index repeated them all
    # the department tree is printed once (the Departments chapter), not again on the company page
    tree_line = flat(f"{t(hb.departments['quality'].name)}—负责人")
    assert text.count(tree_line) == 1


def test_numbers_codes_and_raci_headers_do_not_wrap(plumber, pages):
    text = "".join(pages)
    for broken in ("序\n号", "每\n年", "每\n批", "物\n资\n管\n理"):
        assert broken not in text, broken


def test_steps_tables_keep_short_role_titles_on_one_line(plumber, hb):
    """The steps tables' role column broke 业务受理专员, 总经理, 研发技术员 two or three
    characters per line; a title of up to 8 characters keeps to one line. Each table (and
    its repeated header row on a following page) is read from its header row down."""
    cells = []
    for number, page in enumerate(plumber.pages, start=1):
        words = page.extract_words()
        for w in words:
            if w["text"] != "工作内容" or not {"序号", "岗位", "下一步"} <= {
                x["text"] for x in words if abs(x["top"] - w["top"]) < 2
            }:
                continue
            tables = page.crop((0, w["top"] - 6, page.width, page.height - 60)).extract_tables()
            rows = [r for r in (tables[0] if tables else []) if any(r)]
            column = [(c or "").replace("\n", "") for c in rows[0]].index("岗位")
            cells += [(number, row[column]) for row in rows[1:] if len(row) > column and row[column]]
    assert len(cells) >= sum(len(p.steps) for p in hb.processes.values()) // 2, cells  # the tables were read
    broken = [(page, cell) for page, cell in cells if "\n" in cell and len(cell.replace("\n", "")) <= 8]
    assert broken == []


# -- the changes since the baseline and the quality function allocation (issue 9) -----------------------
def chapter(reader, pages, title: str) -> tuple[int, str]:
    """(first page index, text of the chapter's pages) of a top-level bookmark."""
    marks = [(d, t_, p) for d, t_, p in outline(reader) if d == 0]
    i = next(i for i, (_d, t_, _p) in enumerate(marks) if t_ == title)
    start = marks[i][2]
    end = marks[i + 1][2] if i + 1 < len(marks) else len(pages)
    return start, "".join(pages[start : max(end, start + 1)])


def test_changes_chapter_follows_the_revision_history(reader, pages):
    start, text = chapter(reader, pages, "本版修订内容")
    history = next(i for i, p in enumerate(pages) if "修订记录" in p and "修订内容" in p)
    toc = next(i for i, p in enumerate(pages) if "目录" in p and "本版修订内容" in p)
    assert history < toc < start
    top = [d_t[1] for d_t in outline(reader) if d_t[0] == 0]
    assert top.index("修订记录") < top.index("本版修订内容") == top.index("深圳市华意隆实业发展有限公司") - 1
    body = flat(text)
    assert "本版B/1相对于已发布版本B/0（2023-04-15）的全部修订" in body
    assert "技术一组技术员（as-tech1-engineer）" in body
    assert flat("岗位名称 售后技术员 技术一组技术员") in body
    assert flat("所属部门 售后服务部 技术一组") in body
    assert flat("负责不合格品的评审与处理；") in body and flat("[改写] 负责组织不合格品的评审；") in body
    assert "材料采购与招标流程（material-procurement）" in body


def test_changed_roles_say_so_in_the_pdf(reader, pages):
    i = next(p for d, t_, p in outline(reader) if t_ == "技术一组技术员")
    assert "自B/0版以来有修订：更名、调整隶属、职责、人员配置、其他内容。" in flat(pages[i])


def test_clause_allocation_chapter(reader, pages):
    _start, text = chapter(reader, pages, "质量职能分配表")
    body = flat(text)
    assert "GB/T19001-2016/ISO9001:2015各条款的主管（●）与协助（○）部门" in body
    for clause, title in (
        ("4.1", "理解组织及其环境"),
        ("6.1", "应对风险和机遇的措施"),
        ("6.3", "变更的策划"),
        ("8.7", "不合格输出的控制"),
        ("10.3", "持续改进"),
    ):
        assert flat(f"{clause} {title}") in body, clause
    assert "无主管部门" not in body
    assert "职能分配依据" in body and flat("8.7 不合格输出的控制 品质部 ● 主管") in body


# -- sign-off sheets (阅读确认, issue 22) ---------------------------------------------------------------
def test_sign_off_sheets_one_department_a_page_with_items_and_signature_lines(reader, plumber):
    start = next(p for d, t_, p in outline(reader) if d == 0 and t_ == "阅读确认")
    texts = [flat(page.extract_text() or "") for page in plumber.pages[start:]]
    assert "须阅读19人，已确认9人" in texts[0]
    quality = next(i for i, x in enumerate(texts) if "林静" in x)
    sheet = texts[quality]  # (the columns' lines interleave in the extracted text)
    assert "林静质量部主管·质量部主管·岗位职责9（改写）：负责组织不合格品" in sheet
    assert "已确认2024-03-04" in sheet and "HR-QR-2024-011" in sheet
    assert "本人已阅读并理解上列与本人有关的修订内容。" in sheet
    tech1 = next(i for i, x in enumerate(texts) if "温俊超" in x)
    assert tech1 != quality and "林静" not in texts[tech1]  # each department on a sheet of its own
    assert "未确认" in texts[tech1] and "签名：________日期：________" in texts[tech1]
    assert "朱红" not in "".join(texts)  # nothing of theirs changed
