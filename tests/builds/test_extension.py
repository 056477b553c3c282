"""The Sphinx extension, built with ``sphinx.testing`` on small roots in tests/roots/.

Each root is copied to a temporary folder first (the extension writes its page stubs
into the source folder), built once per module where tests only read the output, and
the tests assert on specific elements of the parsed HTML, never on whole pages.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import Site, build_in_place, copy_source, example_source, run_sphinx_build
from sphinx.util.console import strip_colors
from sphinx.util.inventory import InventoryFile

from handbook.charts.mermaid_text import BLOCK_STYLE


def html(built: Site, page: str) -> BeautifulSoup:
    return built.soup(page)


def warnings_of(built: Site) -> str:
    return built.warnings


def field_rows(table) -> dict[str, object]:
    """A label/value table (``handbook-fields``) as {label: <td>}."""
    out = {}
    for tr in table.select("tbody > tr"):
        th, td = tr.find("th"), tr.find("td")
        if th is not None and td is not None:
            out[th.get_text(strip=True)] = td
    return out


def header_cells(table) -> list[str]:
    return [th.get_text(strip=True) for th in table.select("thead th")]


def body_rows(table) -> list[list[str]]:
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody > tr")]


def links(el) -> dict[str, str]:
    return {
        a.get_text(strip=True): a["href"] for a in el.find_all("a", href=True) if "headerlink" not in a.get("class", [])
    }


def chart_source(fig) -> str:
    return fig.select_one("pre.mermaid").get_text().strip("\n") + "\n"


# -- shared builds ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def basic(site):
    return site("basic")


@pytest.fixture(scope="module")
def basic_en(site):
    return site("basic", language="en")


def test_basic_builds_without_warnings(basic):
    assert warnings_of(basic) == ""
    out = Path(basic.outdir)
    for page in (
        "company",
        "departments/index",
        "departments/sales",
        "departments/sales-east",
        "departments/rd",
        "departments/office",
        "roles/index",
        "roles/sales-rep",
        "roles/gm",
        "processes/index",
        "processes/complaint",
        "indexes/headcount",
        "indexes/raci",
    ):
        assert (out / f"{page}.html").exists(), page


# -- 1. domain and cross-references -------------------------------------------------------
def test_myst_xref_shows_localized_title(basic):
    body = html(basic, "guide.html").select_one("div.body")
    found = links(body)
    assert found["研发经理"] == "roles/rd-manager.html"
    assert found["客服主管"] == "roles/sales-rep.html"  # an explicit title is kept
    assert found["研发部"] == "departments/rd.html"
    assert found["投诉处理流程"] == "processes/complaint.html"


def test_rst_xref(basic):
    body = html(basic, "page.html").select_one("div.body")
    found = links(body)
    assert found["销售经理"] == "roles/sales-manager.html"
    assert found["Boss"] == "roles/gm.html"


def test_xref_follows_language(basic_en):
    found = links(html(basic_en, "guide.html").select_one("div.body"))
    assert found["R&D Manager"] == "roles/rd-manager.html"
    assert found["R&D"] == "departments/rd.html"


def test_objects_inventory(basic):
    inv = InventoryFile.loads((Path(basic.outdir) / "objects.inv").read_bytes(), uri="")
    assert inv["org:role", "sales-rep"].uri.startswith("roles/sales-rep.html")
    assert inv["org:role", "sales-rep"].display_name == "销售代表"
    assert inv["org:department", "sales-east"].uri.startswith("departments/sales-east.html")
    assert inv["org:process", "complaint"].uri.startswith("processes/complaint.html")
    roles = {name for name in inv.data["org:role"]}
    assert roles == {"gm", "sales-manager", "sales-rep", "east-lead", "rd-manager", "rd-engineer"}


def test_general_index(basic):
    index = html(basic, "genindex.html").select_one("div.body")
    found = links(index)
    assert any(text.startswith("销售代表") and href.startswith("roles/sales-rep.html") for text, href in found.items())
    assert any(text.startswith("研发部") and href.startswith("departments/rd.html") for text, href in found.items())
    assert any(href.startswith("processes/complaint.html") for href in found.values())


@pytest.fixture(scope="module")
def warn_app(site):
    return site("warnings")


def test_unresolved_xref_warns_with_page_and_line(warn_app):
    warnings = warnings_of(warn_app)
    line = next(x for x in warnings.splitlines() if "no-such-role" in x)
    assert re.search(r"refs\.md:5: WARNING: .*no role with the id no-such-role", line), line
    assert line.rstrip().endswith("[ref.role]")
    # the good reference on the same page still resolves
    assert links(html(warn_app, "refs.html").select_one("div.body"))["员工"] == "roles/worker.html"


# -- 7. data problems as Sphinx warnings and errors -----------------------------------------
def test_data_warning_has_file_line_type_and_subtype(warn_app):
    line = next(x for x in warnings_of(warn_app).splitlines() if "qualifications" in x)
    assert re.search(r"org/org\.yaml:8:5: WARNING: role `worker` has no `qualifications`", line), line
    assert line.rstrip().endswith("[handbook.no-qualifications]")


def test_data_warning_can_be_suppressed(site):
    app = site("warnings", suppress_warnings=["handbook.no-qualifications"])
    warnings = warnings_of(app)
    assert "qualifications" not in warnings
    assert "no-such-role" in warnings  # other warnings still show


def test_data_error_stops_the_build_with_a_message_and_location(site):
    from handbook.site.extension import HandbookDataError

    warning = StringIO()
    with pytest.raises(HandbookDataError) as exc:  # a clean stop (SystemExit), no crash report
        site("dataerror", warning=warning)
    assert type(exc.value).__name__ == "HandbookDataError"
    assert str(exc.value.code).startswith("Handbook data error: 1 error in the handbook data in ")
    line = next(x for x in strip_colors(warning.getvalue()).splitlines() if "nobody" in x)
    assert re.search(r"org/org\.yaml:10:17: ERROR: `reports_to` of role `worker`: no role has the id `nobody`", line), (
        line
    )
    assert line.rstrip().endswith("[handbook.dangling-ref]")


# -- 2. generated pages --------------------------------------------------------------------
def test_company_page(basic):
    body = html(basic, "company.html").select_one("section#handbook-company")
    assert body.find("h1").get_text(strip=True).startswith("测试实业有限公司")
    doc = field_rows(body.select_one("#handbook-document-control table"))
    texts = {k: v.get_text(strip=True) for k, v in doc.items()}
    assert "QM-ORG-001" in texts.values() and "B/1" in texts.values() and "2024-03-01" in texts.values()
    assert any(v.startswith("陈国华（总经理）") for v in texts.values())
    fig = body.select_one("figure.handbook-chart")
    assert fig is not None and "截至 2024-03-01" in fig.figcaption.get_text()
    src = chart_source(fig)
    assert src.startswith("flowchart TB")
    assert src.count("click ") == 4  # four departments, each a link
    staffing = {
        k: v.get_text(strip=True) for k, v in field_rows(body.select_one("#handbook-company-staffing table")).items()
    }
    assert staffing == {"部门": "4", "岗位": "6", "编制": "12-17", "在岗": "7", "待招": "5-10"}


def test_department_page(basic):
    sec = html(basic, "departments/sales.html").select_one("section#department-sales")
    rows = field_rows(sec.select_one("table.handbook-department-header"))
    assert rows["部门属性"].get_text(strip=True) == "业务类"
    assert links(rows["负责人"]) == {"销售经理": "../roles/sales-manager.html"}
    assert rows["上级部门"].get_text(strip=True) == "—"
    assert links(rows["下级部门"]) == {"华东销售组": "sales-east.html"}
    # functions keep their groups, numbered 1.1, 1.2, 2.1
    functions = sec.select_one('[id="department-sales.functions"] table')
    assert header_cells(functions)[:2] == ["序号", "职责"]
    groups = [tr.get_text(strip=True) for tr in functions.select("tr.handbook-group-row")]
    assert groups == ["一、市场开拓", "二、合同管理"]
    numbered = [r[0] for r in body_rows(functions) if len(r) > 1]
    assert numbered == ["1.1", "1.2", "2.1"]
    # the roles table: 编制 5-10 with 3 filled leaves 2-7 vacant
    roles = sec.select_one('[id="department-sales.roles"] table')
    assert header_cells(roles) == ["岗位", "编号", "直接上级", "编制", "在岗", "待招"]
    table = {r[0]: r for r in body_rows(roles)}
    assert table["销售代表"][3:] == ["5-10", "3", "2-7"]
    assert table["销售经理"][2:] == ["总经理", "1", "1", "0"]
    assert links(roles)["销售代表"] == "../roles/sales-rep.html"
    # the department's chart: its roles, its supervisor outside, its sub-department
    src = chart_source(sec.select_one('[id="department-sales.chart"] figure.handbook-chart'))
    assert "销售代表" in src and "华东销售组" in src
    assert 'href "../roles/sales-rep.html"' in src and 'href "sales-east.html"' in src
    assert " -.- " in src  # sales-rep's dotted line to the R&D manager, dashed, drawn from the manager


def test_sub_department_page_links_parent(basic):
    rows = field_rows(html(basic, "departments/sales-east.html").select_one("table.handbook-department-header"))
    assert links(rows["上级部门"]) == {"销售部": "sales.html"}


def test_role_page(basic):
    sec = html(basic, "roles/sales-rep.html").select_one("section#role-sales-rep")
    rows = field_rows(sec.select_one("table.handbook-role-header"))
    assert rows["岗位名称"].get_text(strip=True) == "销售代表"
    assert rows["岗位编号"].get_text(strip=True) == "S-02"
    assert links(rows["所属部门"]) == {"销售部": "../departments/sales.html"}
    assert links(rows["直接上级"]) == {"销售经理": "sales-manager.html"}
    assert rows["直接下级"].get_text(strip=True) == "—"
    assert links(rows["虚线汇报"]) == {"研发经理": "rd-manager.html"}
    assert rows["编制"].get_text(strip=True) == "5-10"
    assert "2-7" in rows["在岗 / 待招"].get_text()
    assert rows["任职人员"].get_text(strip=True) == "李四、赵五、钱六"
    duties = sec.select_one('[id="role-sales-rep.responsibilities"] table')
    assert header_cells(duties) == ["序号", "职责", "考核指标", "频率"]
    assert [tr.get_text(strip=True) for tr in duties.select("tr.handbook-group-row")] == ["一、客户开发", "二、回款"]
    assert body_rows(duties)[1] == ["1.1", "拜访客户。", "每周拜访 ≥ 10 家", "每周"]
    assert body_rows(duties)[-1] == ["2.1", "催收货款。", "回款率 ≥ 95%", "每月"]
    quals = field_rows(sec.select_one('[id="role-sales-rep.qualifications"] table'))
    assert quals["学历"].get_text(strip=True) == "大专"
    assert [li.get_text(strip=True) for li in quals["技能"].find_all("li")] == ["沟通", "谈判"]
    procs = sec.select_one('[id="role-sales-rep.processes"]')
    assert links(procs) == {"投诉处理流程": "../processes/complaint.html"}
    assert "步骤 1: 记录客户投诉。" in procs.get_text()


def test_role_page_direct_reports_and_holders(basic):
    rows = field_rows(html(basic, "roles/sales-manager.html").select_one("table.handbook-role-header"))
    assert links(rows["直接下级"]) == {"销售代表": "sales-rep.html", "华东组长": "east-lead.html"}
    east = field_rows(html(basic, "roles/east-lead.html").select_one("table.handbook-role-header"))
    assert east["任职人员"].get_text(strip=True) == "钱六（兼任）"
    rd = field_rows(html(basic, "roles/rd-manager.html").select_one("table.handbook-role-header"))
    assert rd["任职人员"].get_text(strip=True) == "孙七（代理）"
    assert rd["在岗 / 待招"].get_text(strip=True) == "0 / 1（代理 1）"  # an acting holder does not fill the post


def test_holders_link_to_the_people_index(basic):
    rd = field_rows(html(basic, "roles/rd-manager.html").select_one("table.handbook-role-header"))
    assert links(rd["任职人员"]) == {"孙七": "../indexes/people.html#person-sun"}
    people = html(basic, "indexes/people.html")
    row = people.select_one('tr[id="person-sun"]')
    assert row.find("td").get_text(strip=True) == "孙七"
    assert links(row) == {"研发工程师": "../roles/rd-engineer.html", "研发经理": "../roles/rd-manager.html"}
    assert "（代理）" in row.get_text()
    # reached through links, not a toctree: no "not included in any toctree" warning
    assert "people" not in warnings_of(basic)


def test_people_can_be_left_out(site):
    app = site("basic", handbook_show_people=False)
    assert warnings_of(app) == ""
    rd = field_rows(html(app, "roles/rd-manager.html").select_one("table.handbook-role-header"))
    assert "任职人员" not in rd
    people = html(app, "indexes/people.html").select_one("div.body").get_text()
    assert "孙七" not in people and "本手册不公布人员姓名" in people


def test_process_page(basic):
    sec = html(basic, "processes/complaint.html").select_one("section#process-complaint")
    head = field_rows(sec.select_one("table.handbook-process-header"))
    assert links(head["流程负责人"] if "流程负责人" in head else next(iter(head.values()))) == {
        "销售经理": "../roles/sales-manager.html"
    }
    src = chart_source(sec.select_one("figure.handbook-chart-flow"))
    assert src.startswith("flowchart TD")
    assert '|"产品问题"|' in src and '|"服务问题"|' in src
    assert 'href "../roles/sales-rep.html"' in src and 'href "../roles/rd-engineer.html"' in src
    steps = sec.select_one("table.handbook-steps")
    rows = body_rows(steps)
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[0][1:3] == ["记录客户投诉。", "销售代表"]
    assert rows[0][4] == "投诉登记表"
    assert links(steps)["研发工程师"] == "../roles/rd-engineer.html"
    raci = sec.select_one("table.handbook-raci")
    assert header_cells(raci)[1:] == ["销售代表", "销售经理", "研发经理", "研发工程师"]
    assert body_rows(raci) == [["记录投诉", "R", "A", "I", ""], ["解决问题", "C", "", "A", "R"]]


def test_roles_index_sorted_by_pinyin(basic):
    sec = html(basic, "roles/index.html").select_one("section#handbook-roles-index")
    letters = [h.get_text(strip=True).rstrip("¶") for h in sec.find_all("h2")]
    assert letters == sorted(letters)
    titles = [
        a.get_text(strip=True)
        for a in sec.select("a.reference")
        if "/roles/" not in a["href"]
        and not a["href"].startswith("../departments")
        and a["href"].endswith(".html")
        and "departments" not in a["href"]
    ]
    order = [t for t in titles]
    # 华东组长 (hua) < 销售代表 (xiao) < 销售经理 < 研发工程师 (yan) < 研发经理 < 总经理 (zong)
    assert order == ["华东组长", "销售代表", "销售经理", "研发工程师", "研发经理", "总经理"]


def test_headcount_index_totals(basic):
    table = html(basic, "indexes/headcount.html").select_one("table.handbook-headcount")
    rows = body_rows(table)
    total = rows[-1]
    assert total[0] == "合计"
    per_dept = rows[:-1]
    assert sum(int(r[1]) for r in per_dept) == int(total[1]) == 6
    assert sum(int(r[3]) for r in per_dept) == int(total[3]) == 7
    lows = sum(int(r[2].split("-")[0]) for r in per_dept)
    highs = sum(int(r[2].split("-")[-1]) for r in per_dept)
    assert f"{lows}-{highs}" == total[2] == "12-17"


def test_raci_matrix(basic):
    sec = html(basic, "indexes/raci.html").select_one("section#raci-complaint")
    assert sec is not None
    assert body_rows(sec.find("table"))[0] == ["记录投诉", "R", "A", "I", ""]


# -- 8. author directives in a hand-written MyST page -------------------------------------------
def test_directives_in_myst_page(basic):
    body = html(basic, "guide.html").select_one("div.body")
    figs = body.select("figure.handbook-chart")
    assert len(figs) == 4  # three org charts and a process flow
    company, sales_roles, depth1, flow = (chart_source(f) for f in figs)
    assert company.count("hb-department") >= 4 and "华东销售组" in company
    assert "销售代表" in sales_roles and "编制" not in sales_roles  # :roles: and :no-headcount:
    # :depth: 1 keeps the three top departments and summarises the level below
    assert depth1.count("class n") and len(re.findall(r"class n\d+ hb-department", depth1)) == 3
    assert "华东销售组" not in depth1 and "另有 1 个部门" in depth1
    assert flow.startswith("flowchart TD")
    tables = body.select("table.handbook-table")
    classes = [t["class"] for t in tables]
    assert any("handbook-duties" in c for c in classes)  # role-responsibilities
    assert any("handbook-roles" in c for c in classes)  # department-roles
    assert any("handbook-steps" in c for c in classes)  # process-flow :steps:
    assert any("handbook-headcount" in c for c in classes)  # headcount-table


# -- 3. hostile text ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(site):
    return site("hostile")


HOSTILE_PAGES = [
    "company.html",
    "departments/evil.html",
    "roles/boss.html",
    "roles/minion.html",
    "roles/helper.html",
    "processes/evil-flow.html",
    "roles/index.html",
    "indexes/headcount.html",
    "indexes/raci.html",
    "departments/index.html",
    "processes/index.html",
]


def test_hostile_builds_cleanly(hostile):
    assert warnings_of(hostile) == ""


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_hostile_text_injects_no_html(hostile, page):
    soup = html(hostile, page)
    for script in soup.find_all("script"):
        assert "alert" not in script.get_text() and "alert" not in script.get("src", "")
    assert soup.find("img", src="x") is None
    assert not soup.select("div.body b")  # <b> from the data stays text
    assert not [a for a in soup.find_all("a", href=True) if a["href"].startswith("javascript:")]
    blocks = 0
    for svg in soup.select("figure.handbook-chart svg"):  # drawn at build time: the labels stay text
        blocks += len(svg.select("g.cluster"))  # the frame of a block of stacked boxes
        assert not svg.select("script, b, img, foreignObject, iframe")
        assert not [k for el in svg.find_all(True) for k in el.attrs if k.lower().startswith("on")]
        assert not [a for a in svg.find_all("a", href=True) if a["href"].lower().startswith(("javascript:", "data:"))]
    for pre in soup.select("pre.mermaid"):
        src = pre.get_text()
        for line in src.splitlines()[1:]:
            mo = re.match(r'^ +n\d+[\[({]+"(.*)"[\])}]+$', line)  # boxes, also those in a block
            if mo:
                label = mo.group(1)
                assert '"' not in label and "-->" not in label and "%%" not in label and "<script" not in label
            mo = re.match(r'^  n\d+ -(?:-|\.-)>\|"(.*)"\| n\d+$', line)
            if mo:
                assert '"' not in mo.group(1) and "|" not in mo.group(1)
            if re.fullmatch(r'  subgraph g\d+ \["\u200b"\]|  end|  style g\d+ ' + re.escape(BLOCK_STYLE), line):
                blocks += line.startswith("  subgraph")
                continue  # the frame of a block of stacked boxes, ours
            assert not line.lstrip().startswith(("%%", "subgraph", "style", "end")), line
    # the three leaves under the boss are stacked in a block; their text did not open another
    assert blocks == (page == "departments/evil.html")


def test_hostile_text_is_shown_as_text(hostile):
    soup = html(hostile, "roles/boss.html")
    duty = body_rows(soup.select_one("table.handbook-duties"))[0]
    assert duty[1] == "<script>alert('duty')</script> & \"quoted\" --> %% click"
    assert duty[2] == "100% <b>bold</b>"
    dept = html(hostile, "departments/evil.html")
    assert dept.select_one('[id="department-evil.purpose"] p').get_text() == "<script>alert('purpose')</script>"


# -- 4. localisation ------------------------------------------------------------------------------
def test_labels_zh_cn(basic):
    rows = field_rows(html(basic, "roles/sales-rep.html").select_one("table.handbook-role-header"))
    assert {"所属部门", "直接上级", "直接下级", "编制"} <= set(rows)


def test_labels_en(basic_en):
    soup = html(basic_en, "roles/sales-rep.html")
    rows = field_rows(soup.select_one("table.handbook-role-header"))
    assert {"Department", "Reports to", "Direct reports", "Headcount"} <= set(rows)
    assert rows["Title"].get_text(strip=True) == "Sales Representative"  # data text follows the language
    assert links(rows["Reports to"]) == {"Sales Manager": "sales-manager.html"}
    assert header_cells(soup.select_one("table.handbook-duties")) == ["No.", "Duty", "Measure (KPI)", "Frequency"]
    assert not re.search(r"[\u4e00-\u9fff]", "".join(rows))  # no Chinese label left
    cap = html(basic_en, "departments/sales.html").select_one("figure.handbook-chart figcaption").get_text()
    assert "As of 2024-03-01" in cap
    src = chart_source(html(basic_en, "departments/sales.html").select_one("figure.handbook-chart"))
    assert "Sales Representative" in src and "Headcount 5-10" in src


# -- 9. other builders ----------------------------------------------------------------------------
@pytest.mark.parametrize("builder", ["text", "latex", "man", "texinfo"])
def test_other_builders(site, builder):
    app = site("basic", builder)
    assert warnings_of(app) == ""
    out = Path(app.outdir)
    if builder == "text":
        text = (out / "departments" / "sales.txt").read_text(encoding="utf-8")
        assert "销售代表" in text and "flowchart" not in text and "click " not in text
        assert "2 个岗位" in text  # the chart's text alternative
        flow = (out / "processes" / "complaint.txt").read_text(encoding="utf-8")
        assert "flowchart" not in flow and "记录客户投诉。" in flow
    else:
        suffix = {"latex": "*.tex", "man": "*.1", "texinfo": "*.texi"}[builder]
        doc = next(out.rglob(suffix)).read_text(encoding="utf-8")
        assert "flowchart" not in doc and "销售代表" in doc


# -- 5. parallel build ----------------------------------------------------------------------------
def test_parallel_build_matches_serial(site, basic):
    app = site("basic", parallel=2)
    assert warnings_of(app) == ""
    serial = InventoryFile.loads((Path(basic.outdir) / "objects.inv").read_bytes(), uri="")
    parallel = InventoryFile.loads((Path(app.outdir) / "objects.inv").read_bytes(), uri="")
    assert serial == parallel
    pages = sorted(p.relative_to(basic.outdir).as_posix() for p in Path(basic.outdir).rglob("*.html"))
    assert pages == sorted(p.relative_to(app.outdir).as_posix() for p in Path(app.outdir).rglob("*.html"))
    for page in ("guide.html", "departments/sales.html", "roles/sales-rep.html"):
        assert links(html(app, page).select_one("div.body")) == links(html(basic, page).select_one("div.body"))


# -- 6. incremental rebuilds ------------------------------------------------------------------------
class Tracker:
    """A source copy of the basic root built again and again, recording what each build did."""

    def __init__(self, tmp_path_factory):
        self.src = copy_source("basic", tmp_path_factory.mktemp("incremental") / "src")
        self.app = self.build()

    def build(self) -> Site:
        self.read: list[str] = []
        built = build_in_place(
            self.src, connect={"env-before-read-docs": lambda _app, _env, docnames: self.read.extend(docnames)}
        )
        assert built.warnings == ""
        self.app = built
        return built

    def mtimes(self, pattern: str) -> dict[str, int]:
        base = Path(self.app.outdir) if pattern.endswith(".html") else self.src
        return {
            p.relative_to(base).as_posix(): p.stat().st_mtime_ns
            for p in base.rglob(pattern)
            if "_build" not in p.relative_to(base).parts
        }

    def edit(self, file: str, old: str, new: str) -> None:
        path = self.src / "org" / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def tracker(tmp_path_factory):
    return Tracker(tmp_path_factory)


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {k for k in after if before.get(k) != after[k]}


def test_incremental_duty_change(tracker):
    html0, stubs0 = tracker.mtimes("*.html"), tracker.mtimes("*.hbpage")
    tracker.edit("20-sales.yaml", "拜访客户。", "拜访重点客户。")
    tracker.build()
    assert "roles/sales-rep" in tracker.read
    assert "roles/rd-engineer" not in tracker.read and "departments/rd" not in tracker.read
    written = changed(html0, tracker.mtimes("*.html"))
    assert "roles/sales-rep.html" in written
    assert "roles/rd-engineer.html" not in written and "departments/rd.html" not in written
    assert changed(stubs0, tracker.mtimes("*.hbpage")) == set()  # stubs are only rewritten when they change
    cell = body_rows(html(tracker.app, "roles/sales-rep.html").select_one("table.handbook-duties"))[1][1]
    assert cell == "拜访重点客户。"


def test_incremental_headcount_change_updates_department_and_indexes(tracker):
    html0 = tracker.mtimes("*.html")
    tracker.edit("20-sales.yaml", 'headcount: "5-10"', 'headcount: "6-12"')
    tracker.build()
    written = changed(html0, tracker.mtimes("*.html"))
    assert {"roles/sales-rep.html", "departments/sales.html", "indexes/headcount.html", "company.html"} <= written
    assert "roles/rd-engineer.html" not in written
    row = {
        r[0]: r
        for r in body_rows(
            html(tracker.app, "departments/sales.html").select_one('[id="department-sales.roles"] table')
        )
    }
    assert row["销售代表"][3:] == ["6-12", "3", "3-9"]


def test_incremental_title_change(tracker):
    html0 = tracker.mtimes("*.html")
    tracker.edit(
        "20-sales.yaml", "title: {zh_CN: 销售经理, en: Sales Manager}", "title: {zh_CN: 销售总监, en: Sales Director}"
    )
    tracker.build()
    written = changed(html0, tracker.mtimes("*.html"))
    expected = {
        "roles/sales-manager.html",
        "roles/sales-rep.html",
        "roles/east-lead.html",
        "departments/sales.html",
        "roles/index.html",
        "processes/complaint.html",
        "page.html",
    }
    assert expected <= written, expected - written
    assert "roles/rd-engineer.html" not in written
    assert links(html(tracker.app, "page.html").select_one("div.body"))["销售总监"] == "roles/sales-manager.html"
    rows = field_rows(html(tracker.app, "roles/sales-rep.html").select_one("table.handbook-role-header"))
    assert links(rows["直接上级"]) == {"销售总监": "sales-manager.html"}


def test_incremental_explicit_link_is_tracked_too(tracker):
    """page.rst links to `Boss <gm>` with its own text: a change to gm (a rename, or its
    removal) still re-reads the page, so the link is resolved again or warns."""
    tracker.edit("10-office.yaml", "title: {zh_CN: 总经理, en: General Manager}", "title: {zh_CN: 总裁, en: President}")
    tracker.build()
    assert "page" in tracker.read
    assert links(html(tracker.app, "page.html").select_one("div.body"))["Boss"] == "roles/gm.html"


def test_a_rebuild_without_change_does_not_even_parse_the_data(tracker):
    """Same data files, same settings, stubs in place: no page is read, the data is not parsed,
    the generated pages are not written again, and the settings do not look changed."""
    html0 = tracker.mtimes("*.html")
    tracker.build()
    domain = tracker.app.app.env.domains["org"]
    assert tracker.read == [] and domain.data_unchanged and domain._handbook is None
    assert {p for p in changed(html0, tracker.mtimes("*.html")) if "/" in p} == set()
    assert "html_search_options" not in tracker.app.app.status.getvalue()  # we set it the same way each time


def test_a_rebuild_after_editing_a_page_of_your_own_reads_the_data_when_needed(tracker):
    with (tracker.src / "guide.md").open("a", encoding="utf-8") as f:
        f.write("\n另见 {org:role}`east-lead`。\n")
    tracker.build()
    domain = tracker.app.app.env.domains["org"]
    assert tracker.read == ["guide"] and domain.data_unchanged
    assert domain._handbook is not None  # the link's title needed it
    assert links(html(tracker.app, "guide.html").select_one("div.body"))["华东组长"] == "roles/east-lead.html"


def test_the_search_index_follows_a_removed_page_even_when_the_data_is_the_same(tracker):
    boot = Path(tracker.app.outdir) / "_static" / "handbook-search" / "boot.json"
    before = boot.read_text(encoding="utf-8")
    tracker.build()
    assert boot.read_text(encoding="utf-8") == before  # nothing changed: reused, not rebuilt
    (tracker.src / "page.rst").unlink()
    (tracker.src / "index.md").write_text(
        (tracker.src / "index.md").read_text(encoding="utf-8").replace("page\n", ""), encoding="utf-8"
    )
    tracker.build()
    assert tracker.app.app.env.domains["org"].data_unchanged
    assert boot.read_text(encoding="utf-8") != before


def test_data_warnings_are_reported_at_every_build(site):
    first = site("warnings")
    again = build_in_place(first.srcdir)
    assert again.app.env.domains["org"].data_unchanged
    for built in (first, again):
        assert len([x for x in built.warnings.splitlines() if "[handbook.no-qualifications]" in x]) == 1


def test_incremental_new_role(tracker):
    stubs0 = tracker.mtimes("*.hbpage")
    with (tracker.src / "org" / "30-rd.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: rd-tester\n    title: 测试工程师\n    department: rd\n    reports_to: rd-manager\n"
            "    headcount: 2\n    responsibilities: [测试产品。]\n    qualifications: [本科]\n    authority: [测试结论的判定权]\n"
        )
    tracker.build()
    assert "roles/rd-tester" in tracker.read and "departments/rd" in tracker.read
    assert changed(stubs0, tracker.mtimes("*.hbpage")) == {"roles/rd-tester.hbpage"}
    assert (Path(tracker.app.outdir) / "roles/rd-tester.html").exists()
    assert "测试工程师" in links(html(tracker.app, "departments/rd.html").select_one('[id="department-rd.roles"]'))
    assert "测试工程师" in links(html(tracker.app, "roles/index.html").select_one("div.body"))


def test_ids_stay_unique_when_pages_are_merged(tmp_path, site):
    """A department, a role and a process may share an id; in singlehtml (and the PDF)
    all pages are one document, so every element id must still be unique."""
    from collections import Counter

    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(
        "company: {name: 同名公司}\n"
        "departments:\n  - {id: same, name: 部门, purpose: 部门目的, kpis: [部门指标]}\n"
        "  - {id: same-purpose, name: 另一部门, purpose: 另一目的}\n"
        "roles:\n"
        "  - {id: same, title: 岗位, department: same, purpose: 岗位目的, responsibilities: [职责],\n"
        "     kpis: [岗位指标], qualifications: [资格], authority: [a]}\n"
        "  - {id: same-purpose, title: 岗位二, department: same-purpose, purpose: 目的二, responsibilities: [职责二],\n"
        "     qualifications: [资格], authority: [a]}\n"
        "people:\n  - {name: 甲, assignments: [same]}\n"
        "processes:\n  - {id: same, name: 流程, purpose: 流程目的, steps: [{id: s1, role: same, action: 做}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "conf.py").write_text(
        'extensions = ["handbook"]\nhandbook_data_dir = "org"\nexclude_patterns = ["org"]\nlanguage = "zh_CN"\n',
        encoding="utf-8",
    )
    (tmp_path / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n   company\n   departments/index\n   processes/index\n   roles/index\n"
        "   indexes/headcount\n   indexes/raci\n",
        encoding="utf-8",
    )
    built = site(tmp_path, "singlehtml")
    assert built.warnings == ""
    soup = built.soup("index.html")
    ids = Counter(el["id"] for el in soup.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    assert {"role-same.purpose", "department-same.purpose", "process-same.purpose", "role-same-purpose.purpose"} <= set(
        ids
    )


def test_english_pages_use_english_punctuation(tmp_path):
    """Separators follow the language: 、（） in Chinese, ", " and " ()" in English."""
    built = build_in_place(example_source(tmp_path / "src"), language="en", html_search_language="zh")
    assert built.warnings == ""
    soup = built.soup("roles/cs-supervisor.html")
    cells = {
        th.get_text(strip=True): td
        for th, td in (row.find_all(["th", "td"])[:2] for row in soup.select("table.handbook-role-header tr"))
    }
    reports = cells["Direct reports"].get_text()
    assert ", " in reports and "、" not in reports
    assert cells["Reports to"].get_text(strip=True) == "Customer Service Center Manager"


def test_data_error_in_sphinx_build_is_a_message_not_a_crash_report(tmp_path):
    """sphinx-build on broken data: the problems with file:line, one closing line, status 1."""
    copy_source("dataerror", tmp_path / "src")
    proc = run_sphinx_build(tmp_path / "src", tmp_path / "out")
    assert proc.returncode == 1
    assert "[handbook.dangling-ref]" in proc.stderr and "org.yaml:10" in proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1].startswith("Handbook data error: 1 error in the handbook data")
    assert "Traceback" not in proc.stderr and "report this" not in proc.stderr


PERSON_PAGE = """\
---
orphan: true
---
# 联系人

总经理 {org:person}`chen`，销售 {org:person}`值班销售 <li>`，未知 {org:person}`nobody`。
"""


@pytest.mark.parametrize("show_people", [True, False])
def test_person_references_follow_show_people(site, tmp_path, show_people):
    """Names hidden: a reference to a person in the data goes quietly and shows no name; an
    unknown id still warns."""
    src = copy_source("basic", tmp_path / "basic")
    (src / "contacts.md").write_text(PERSON_PAGE, encoding="utf-8")
    app = site(src, handbook_show_people=show_people)
    body = html(app, "contacts.html").select_one("div.body")
    warnings = [w for w in warnings_of(app).splitlines() if "WARNING" in w]
    assert [w.split("WARNING: ")[1] for w in warnings] == [
        "no person with the id nobody in the handbook data [ref.person]"
    ]
    text = body.select_one("p").get_text()
    if show_people:
        assert links(body) == {"陈国华": "indexes/people.html#person-chen", "值班销售": "indexes/people.html#person-li"}
        assert text == "总经理 陈国华，销售 值班销售，未知 nobody。"
    else:
        assert links(body) == {}
        assert text == "总经理 ，销售 值班销售，未知 nobody。"
        assert "陈国华" not in body.get_text() and "chen" not in body.get_text()


# -- the search language of a Chinese handbook --------------------------------------------------
SEARCH_WARNING = (
    "the handbook's texts are mostly Chinese but the search is built for language 'en': Chinese words "
    'such as role titles and duties will hardly be found (set html_search_language = "zh" in conf.py, '
    "or -D html_search_language=zh, to keep the Chinese search) [handbook.search-language]"
)


def test_chinese_data_with_an_english_search_is_a_warning(basic_en):
    assert [w.split("WARNING: ", 1)[1] for w in warnings_of(basic_en).splitlines() if "WARNING" in w] == [
        SEARCH_WARNING
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        {"language": "en", "html_search_language": "zh"},
        {"language": "zh_CN"},
        {"language": "en", "html_search_language": "en"},
    ],
)
def test_no_search_language_warning_when_chinese_or_chosen(site, overrides):
    assert "search-language" not in warnings_of(site("basic", **overrides))


def test_english_data_in_english_is_quiet(site):
    assert "search-language" not in warnings_of(site("search-en"))


def test_chinese_share():
    from handbook import model as m
    from handbook.search.language_check import chinese_share
    from handbook.validate.relations import derive

    dept = m.Department("d", m.Text.plain("Dept"))
    hb = derive(
        m.Company(m.Text.plain("X")),
        [dept],
        [m.Role("a", m.Text((("zh_CN", "客服主管"), ("en", "Lead"))), "d", (m.Duty(m.Text.plain("处理投诉")),))],
        [],
        [],
    )
    assert round(chinese_share(hb, "zh_CN"), 2) == round(2 / 3, 2)  # 客服主管, 处理投诉; Dept
    assert round(chinese_share(hb, "en"), 2) == round(1 / 3, 2)  # 处理投诉; Lead, Dept
