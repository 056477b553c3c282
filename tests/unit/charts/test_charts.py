"""Unit tests of handbook/charts/ (pure: no Sphinx): escaping and chart size limits.

Handbooks are built from small YAML folders written into ``tmp_path`` and read through
the real loader and validator, so the charts see the same model a build sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handbook.charts.flow_charts import process_chart
from handbook.charts.label_text import WRAP_FLOW, WRAP_ORG, _units, escape_label, wrap_text
from handbook.charts.mermaid_text import column_height, to_mermaid
from handbook.charts.model import DEFAULT_LABELS, Chart, ChartEdge, ChartNode, check_limits, leaf_blocks
from handbook.charts.org_charts import company_chart, department_chart
from handbook.charts.print_split import split_chart
from handbook.validate import check_dir
from handbook.view import View

HOSTILE = [
    'say "hi"',
    "a --> b",
    "a -.-> b",
    "%% comment",
    "%%{init: {}}%%",
    "<script>alert(1)</script>",
    "R&D & Co",
    "`code`",
    "end",
    "click",
    "click n0 call alert()",
    "[x](y)",
    "line1\nline2",
    "a;b",
    "{curly}",
    "(round)",
    "[square]",
    "a|b",
    "x = y",
    "a:b",
    "#quot;",
    "#35;",
    "\\backslash",
    "__init__",
    "~~strike~~",
    "*bold*",
    "style n0 fill:red",
    "subgraph",
    "a\r\nb",
    "tab\tchar",
    "\u2028sep",
]

# one line of the Mermaid source our charts may produce; anything else means data leaked
_LABEL = r'[^"\n]*'
LINE_GRAMMAR = [
    re.compile(r"^flowchart (TB|TD|LR)$"),
    re.compile(r'^(  |    )n\d+(\["|\("|\(\["|\{"|\(\(")' + _LABEL + r'("\]|"\)|"\]\)|"\}|"\)\))$'),
    re.compile(r"^  n\d+ (-->|-\.->|---|-\.-) n\d+$"),
    re.compile(r'^  n\d+ (-->|-\.->)\|"' + _LABEL + r'"\| n\d+$'),
    # a block of stacked leaf boxes: the frame, its direction, invisible links, one connector
    re.compile(r'^  subgraph g\d+ \["\u200b"\]$'),
    re.compile(r"^    direction TB$"),
    re.compile(r"^    n\d+ ~~~ n\d+$"),
    re.compile(r"^  end$"),
    re.compile(r"^  n\d+ --- g\d+$"),
    re.compile(r"^  style g\d+ [a-z0-9:#,. -]+$"),
    re.compile(r"^  class n\d+ hb-[a-z]+$"),
    re.compile(r'^  click n\d+ href "[^"\s]*"$'),
    re.compile(r"^  classDef hb-[a-z]+ [a-z0-9:#,. -]+$"),
]


def decode(label: str) -> str:
    """Undo escape_label (what Mermaid shows)."""
    label = label.replace("<br/>", "\n").replace("#quot;", '"')
    return re.sub(r"#(\d+);", lambda mo: chr(int(mo.group(1))), label)


def assert_grammar(source: str) -> None:
    lines = source.rstrip("\n").split("\n")
    for line in lines:
        assert any(g.match(line) for g in LINE_GRAMMAR), f"unexpected Mermaid line: {line!r}"


def node_labels(source: str) -> dict[str, str]:
    out = {}
    for line in source.split("\n"):
        mo = re.match(r'^ +(n\d+)[\[({]+"(.*)"[\])}]+$', line)
        if mo:
            out[mo.group(1)] = mo.group(2)
    return out


# -- escaping ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", HOSTILE)
def test_escape_label_leaves_no_syntax(text):
    out = escape_label(text)
    # what is left once our own entity codes and line breaks are taken out
    bare = re.sub(r"#quot;|#\d+;|<br/>", "", out)
    for ch in '"<>&`%;{}[]()|=:#\\\r\t':
        assert ch not in bare, (text, out)
    assert "-->" not in out and "%%" not in out and "\n" not in out


@pytest.mark.parametrize("text", [t for t in HOSTILE if "\r" not in t and "\t" not in t and "\u2028" not in t])
def test_escape_label_round_trips(text):
    assert decode(escape_label(text)) == text


def test_escape_label_special_characters():
    assert escape_label('"') == "#quot;"
    assert escape_label("<&>") == "#60;#38;#62;"
    assert escape_label("a\nb") == "a<br/>b"
    assert escape_label("a\r\nb") == "a<br/>b"
    assert escape_label("a\x00b\x1fc") == "a b c"
    assert escape_label("研发经理 R-1") == "研发经理 R-1"  # ordinary text stays readable


def test_to_mermaid_hostile_labels_and_urls():
    nodes = tuple(
        ChartNode(f"n{i}", (t, "second " + t), ("role", f"r{i}"), "head" if i == 0 else "")
        for i, t in enumerate(HOSTILE)
    )
    edges = tuple(ChartEdge(f"n{i}", f"n{i + 1}", label=HOSTILE[i], dotted=i % 2 == 1) for i in range(len(HOSTILE) - 1))
    chart = Chart("org", "TB", nodes, edges)
    src = to_mermaid(chart, lambda link: f'../roles/{link[1]}.html?x="y"\nclick')
    assert_grammar(src)
    labels = node_labels(src)
    assert len(labels) == len(HOSTILE)
    for i, text in enumerate(HOSTILE):
        first = decode(labels[f"n{i}"]).split("\n")[0]
        assert first == text.replace("\r", "").split("\n")[0].replace("\t", " ").replace("\u2028", " ")
    assert len(re.findall(r"^  click ", src, re.M)) == len(HOSTILE)
    assert "-.->" in src and "classDef hb-head" in src


def test_to_mermaid_without_url_has_no_click():
    chart = Chart("org", "TB", (ChartNode("n0", ("a",), ("role", "x")),), ())
    src = to_mermaid(chart, lambda link: None)
    assert "click" not in src
    assert src == 'flowchart TB\n  n0["a"]\n'


def test_empty_label_still_valid():
    chart = Chart("org", "TB", (ChartNode("n0", ("",)),), ())
    assert_grammar(to_mermaid(chart, lambda link: None))


# -- charts from a handbook --------------------------------------------------------------
def write_org(folder: Path, departments: list[dict], roles: list[dict], people=(), processes=()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "company": {"name": "测试公司", "document": {"effective": "2024-03-01"}},
        "departments": departments,
        "roles": roles,
    }
    if people:
        data["people"] = list(people)
    if processes:
        data["processes"] = list(processes)
    (folder / "org.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def load(folder: Path, language: str = "zh_CN") -> View:
    result = check_dir(str(folder))
    assert result.handbook is not None, [str(p) for p in result.problems]
    return View(result.handbook, language)


def role(rid, dept, title=None, reports_to=None, **kw):
    d = {
        "id": rid,
        "title": title or rid,
        "department": dept,
        "responsibilities": ["做事。"],
        "qualifications": ["本科"],
    }
    if reports_to:
        d["reports_to"] = reports_to
    d.update(kw)
    return d


def urls(link):
    return f"../{link[0]}/{link[1]}.html"


@pytest.fixture
def hostile_view(tmp_path):
    bad = 'A "B" --> C %% <script>alert(1)</script> & `x` end click [x](y)\n第二行'
    depts = [{"id": "d", "name": bad, "head": "boss"}]
    roles = [
        role("boss", "d", title=bad, headcount=1),
        role("r1", "d", title="end", reports_to="boss", headcount="5-10"),
        role("r2", "d", title='click n0 call alert("x")', reports_to="boss", dotted_line_to=["r1"]),
    ]
    # three leaves under one supervisor: drawn in a block, whose frame the text must not break
    roles += [
        role(f"leaf{i}", "d", title=t, reports_to="boss")
        for i, t in enumerate(["end", 'subgraph g9 ["x"]', f"style g0 fill:red{bad}"])
    ]
    procs = [
        {
            "id": "p",
            "name": bad,
            "steps": [
                {
                    "id": "s1",
                    "role": "boss",
                    "action": bad,
                    "next": [{"to": "s2", "label": bad}, {"to": "s3", "label": "end"}],
                },
                {"id": "s2", "role": "r1", "action": "subgraph x", "next": ["s3"]},
                {"id": "s3", "action": "%%{init: {'theme':'dark'}}%%"},
            ],
        }
    ]
    return load(write_org(tmp_path / "org", depts, roles, processes=procs)), bad


def test_hostile_data_cannot_break_charts(hostile_view):
    view, _bad = hostile_view
    for chart in (company_chart(view), department_chart(view, "d"), process_chart(view, "p")):
        src = to_mermaid(chart, urls)
        assert_grammar(src)
        assert "<script" not in src and "-->" not in "".join(node_labels(src).values())
    dept_src = to_mermaid(department_chart(view, "d"), urls)
    starts = [line.split()[0] for line in dept_src.splitlines()]
    assert starts.count("subgraph") == 1 and starts.count("end") == 1 and starts.count("style") == 1  # our block only
    shown = [decode(label) for label in node_labels(dept_src).values()]
    # labels are shortened to one line, but what is shown is the data's own text
    assert any(s.startswith('A "B" --> C %% <script>') for s in shown)
    assert "-.-" in dept_src  # the dotted line r2 -> r1 is drawn dashed


def test_department_chart_content(tmp_path):
    depts = [
        {"id": "top", "name": "总部", "head": "gm"},
        {"id": "d", "name": "销售部", "head": "mgr", "parent": "top"},
        {"id": "sub", "name": "华东组", "head": "lead", "parent": "d"},
    ]
    roles = [
        role("gm", "top", "总经理", headcount=1),
        role("mgr", "d", "销售经理", "gm", headcount=1),
        role("rep", "d", "销售代表", "mgr", headcount="5-10", dotted_line_to=["gm"]),
        role("lead", "sub", "华东组长", "mgr", headcount=1),
    ]
    people = [{"name": "甲", "assignments": [{"role": "mgr"}]}, {"name": "乙", "assignments": [{"role": "rep"}]}]
    view = load(write_org(tmp_path / "org", depts, roles, people))
    chart = department_chart(view, "d")
    by_link = {n.link: n for n in chart.nodes}
    assert by_link[("role", "mgr")].css == "head"
    assert by_link[("role", "rep")].css == "vacant"
    assert "待招 4-9" in by_link[("role", "rep")].lines  # a staffing part is never split
    assert by_link[("role", "gm")].css == "ghost"  # the supervisor outside the department
    assert by_link[("department", "sub")].css == "department"
    keys = {n.link: n.key for n in chart.nodes}
    edges = {(e.source, e.target, e.dotted) for e in chart.edges}
    assert (keys[("role", "gm")], keys[("role", "mgr")], False) in edges
    assert (keys[("role", "mgr")], keys[("role", "rep")], False) in edges
    # the dotted line is drawn from the dotted-line supervisor down to the role, dashed, so
    # the layout never places the supervisor under the role as if it reported to it
    assert (keys[("role", "gm")], keys[("role", "rep")], True) in edges
    assert all(not e.arrow for e in chart.edges)
    assert by_link[("role", "gm")].shape == "round" and "部门外：总部" in by_link[("role", "gm")].lines
    assert chart.legend == ("head", "department", "vacant", "outside", "dotted")
    assert chart.name == "销售部组织架构图，2 个岗位"
    assert (keys[("role", "mgr")], keys[("department", "sub")], False) in edges
    assert chart.truncated == 0
    assert_grammar(to_mermaid(chart, urls))


def test_dotted_line_to_a_role_outside_the_department_is_drawn(tmp_path):
    depts = [{"id": "a", "name": "甲部"}, {"id": "b", "name": "乙部"}]
    roles = [role("x", "a", "甲岗", dotted_line_to=["y"]), role("y", "b", "乙岗")]
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = department_chart(view, "a")
    keys = {n.link: n.key for n in chart.nodes}
    assert ("role", "y") in keys, "the dotted-line target is not shown"
    assert (keys[("role", "y")], keys[("role", "x")], True) in {(e.source, e.target, e.dotted) for e in chart.edges}


def test_process_chart(tmp_path):
    depts = [{"id": "d", "name": "部"}]
    roles = [
        role("a", "d", "受理员"),
        role(
            "b",
            "d",
            "主管",
        ),
    ]
    procs = [
        {
            "id": "p",
            "name": "流程",
            "steps": [
                {
                    "id": "s1",
                    "role": "a",
                    "action": "受理",
                    "next": [{"to": "s2", "label": "投诉"}, {"to": "s3", "label": "咨询"}],
                },
                {"id": "s2", "role": "b", "action": "处理", "next": ["s3"]},
                {"id": "s3", "action": "结束归档"},
            ],
        }
    ]
    view = load(write_org(tmp_path / "org", depts, roles, processes=procs))
    chart = process_chart(view, "p")
    steps = [n for n in chart.nodes if n.css == "step"]
    assert [n.lines[0] for n in steps] == ["1．受理", "2．处理", "3．结束归档"]
    assert steps[0].lines[1] == "(受理员)" and steps[0].link == ("role", "a")
    assert steps[2].link is None  # a step without role links nowhere
    assert sorted(e.label for e in chart.edges if e.label) == ["咨询", "投诉"]
    assert [n.css for n in chart.nodes if n.shape == "stadium"] == ["start", "end"]
    src = to_mermaid(chart, urls)
    assert_grammar(src)
    assert len(re.findall(r"^  click ", src, re.M)) == 2


# -- size limits ---------------------------------------------------------------------------
def count_more(chart: Chart, labels=DEFAULT_LABELS) -> int:
    total = 0
    for n in chart.nodes:
        if n.css == "more":
            for key in ("more_roles", "more_departments"):
                pattern = re.escape(labels[key]).replace(re.escape("{n}"), r"(\d+)")
                mo = re.fullmatch(pattern, n.lines[0])
                if mo:
                    total += int(mo.group(1))
    return total


@pytest.mark.parametrize("shape", ["flat", "tree", "outside-boss"])
def test_department_with_300_roles_is_split_not_dropped(tmp_path, shape):
    depts = [
        {"id": "top", "name": "总部", "head": "gm"},
        {"id": "big", "name": "大部门", "head": "r0", "parent": "top"},
    ]
    roles = [role("gm", "top", "总经理")]
    for i in range(300):
        if i == 0:
            sup = "gm" if shape == "outside-boss" else None
        elif shape == "tree":
            sup = f"r{(i - 1) // 3}"  # a ternary tree: many supervisors with hidden reports
        else:
            sup = "r0"
        roles.append(role(f"r{i}", "big", f"岗位{i}", sup, headcount=2))
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = department_chart(view, "big", max_nodes=60)
    shown = [n for n in chart.nodes if n.link and n.link[0] == "role" and n.link[1].startswith("r")]
    assert len(chart.nodes) <= 60
    assert chart.truncated == 300 - len(shown)
    assert count_more(chart) == chart.truncated  # every hidden role is counted in a "+N more" box
    assert all(n.link == ("department-roles", "big") for n in chart.nodes if n.css == "more")
    src = to_mermaid(chart, urls)
    assert_grammar(src)
    assert check_limits(src, chart) == []
    # the top of the hierarchy is kept
    assert ("role", "r0") in {n.link for n in chart.nodes}


@pytest.mark.parametrize("shape", ["flat", "tree"])
def test_company_with_200_departments_is_split(tmp_path, shape):
    depts = []
    for i in range(200):
        d = {"id": f"d{i}", "name": f"部门{i}"}
        if shape == "tree" and i:
            d["parent"] = f"d{(i - 1) // 4}"
        depts.append(d)
    roles = [role(f"r{i}", f"d{i}", f"岗位{i}", headcount=1) for i in range(200)]
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = company_chart(view, max_nodes=60)
    shown = [n for n in chart.nodes if n.css == "department"]
    assert len(chart.nodes) <= 60
    assert len(shown) + chart.truncated == 200
    assert count_more(chart) == chart.truncated
    src = to_mermaid(chart, urls)
    assert_grammar(src)
    assert check_limits(src, chart) == []


def test_company_chart_depth(tmp_path):
    depts = [
        {"id": "a", "name": "甲"},
        {"id": "a1", "name": "甲一", "parent": "a"},
        {"id": "a11", "name": "甲一一", "parent": "a1"},
        {"id": "b", "name": "乙"},
    ]
    roles = [role(f"r-{d['id']}", d["id"]) for d in depts]
    view = load(write_org(tmp_path / "org", depts, roles))
    full = company_chart(view)
    assert len([n for n in full.nodes if n.css == "department"]) == 4 and full.truncated == 0
    top = company_chart(view, depth=1)
    assert [n.link for n in top.nodes if n.css == "department"] == [("department", "a"), ("department", "b")]
    assert top.truncated == 2 and count_more(top) == 2
    sub = company_chart(view, root="a")
    assert {n.link for n in sub.nodes} == {("department", "a"), ("department", "a1"), ("department", "a11")}
    no_hc = company_chart(view, show_headcount=False)
    assert all(not any("编制" in line for line in n.lines) for n in no_hc.nodes)


def test_check_limits_reports_oversized_source():
    chart = Chart("org", "TB", (), tuple(ChartEdge("n0", "n1") for _ in range(501)))
    problems = check_limits("x" * 50_001, chart)
    assert len(problems) == 2 and "50001" in problems[0] and "501 edges" in problems[1]


def test_company_chart_has_the_company_on_top(tmp_path):
    """Departments hang from one company box, so the chart is one tree, not a forest."""
    depts = [{"id": "a", "name": "甲"}, {"id": "b", "name": "乙"}, {"id": "c", "name": "丙", "parent": "a"}]
    view = load(write_org(tmp_path / "org", depts, [role(f"r-{d['id']}", d["id"]) for d in depts]))
    chart = company_chart(view)
    top = chart.nodes[0]
    assert top.link == ("company", "") and top.css == "head"
    assert top.lines[0] == str(view.hb.company.name)
    below = {n.key for n in chart.nodes if n.link in (("department", "a"), ("department", "b"))}
    assert {e.target for e in chart.edges if e.source == top.key} == below
    assert ("丙",) in chart.fallback and all(row[0] for row in chart.fallback)


# -- org-chart conventions, whole text ----------------------------------------------------------
def test_many_leaves_are_stacked_in_a_block_reached_by_one_connector(tmp_path):
    depts = [{"id": "d", "name": "客服部", "head": "boss"}]
    roles = [
        role("boss", "d", "经理", headcount=1),
        role("mid", "d", "主管", "boss", headcount=1),
        role("under", "d", "组员", "mid", headcount=1),
    ]
    roles += [role(f"r{i}", "d", f"专员{i}", "boss", headcount=1) for i in range(40)]
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = department_chart(view, "d", max_nodes=60)
    keys = {n.link: n.key for n in chart.nodes}
    blocks = leaf_blocks(chart)
    assert list(blocks) == [keys[("role", "boss")]]
    assert set(blocks[keys[("role", "boss")]]) == {keys[("role", f"r{i}")] for i in range(40)}
    src = to_mermaid(chart, urls)
    assert_grammar(src)
    assert src.count("subgraph g0") == 1 and f"  {keys[('role', 'boss')]} --- g0" in src
    # 40 boxes as a compact block: 5 columns of 8 (invisible links stack each column)
    assert column_height(40) == 8 and src.count(" ~~~ ") == 40 - 5
    # the supervisor with a report of its own keeps its own connector
    assert f"  {keys[('role', 'boss')]} --- {keys[('role', 'mid')]}" in src
    assert "group" in chart.legend


def test_labels_wrap_and_are_never_cut(tmp_path):
    long_title = "华东区域大客户销售与渠道拓展及售后服务协调高级经理（兼任项目管理办公室负责人）"
    long_step = "核对材料的品名、规格、型号、数量、出厂合格证及相关资料是否与凭证相符，办理入库并做好验收记录；" * 3
    depts = [{"id": "d", "name": "部", "head": "a"}]
    roles = [role("a", "d", long_title, headcount="34-54")]
    procs = [{"id": "p", "name": "流程", "steps": [{"id": "s1", "role": "a", "action": long_step}]}]
    view = load(write_org(tmp_path / "org", depts, roles, processes=procs))
    box = next(n for n in department_chart(view, "d").nodes if n.link == ("role", "a"))
    assert "".join(box.lines[:-2]) == long_title and "…" not in "".join(box.lines)
    assert box.lines[-2:] == ("编制 34-54 · 在岗 0", "待招 34-54")  # parts and numbers are never split
    step = next(n for n in process_chart(view, "p").nodes if n.css == "step")
    assert "".join(step.lines) == f"1．{long_step}({long_title})"
    assert all(sum(_units(c) for c in line) <= WRAP_FLOW + 1 for line in step.lines)
    assert not any(line.startswith(("，", "。", "、", "；")) for line in step.lines)


def test_text_version_holds_the_whole_tree(tmp_path):
    depts = [{"id": "d", "name": "部", "head": "boss"}, {"id": "o", "name": "外部"}]
    roles = [
        role("boss", "d", "经理", headcount=1),
        role("x", "o", "外部主管"),
        role("a", "d", "主管", "boss", headcount=2, dotted_line_to=["x"]),
        role("b", "d", "员工", "a", headcount=3),
    ]
    people = [{"name": "甲", "assignments": [{"role": "a", "type": "acting"}]}]
    view = load(write_org(tmp_path / "org", depts, roles, people))
    chart = department_chart(view, "d", max_nodes=2)  # the drawing is cut, the text is not
    assert chart.truncated > 0
    (top,) = chart.outline
    assert top.text == "经理" and top.link == ("role", "boss")
    (a,) = top.children
    assert a.text == "主管" and "虚线汇报：外部主管" in a.notes and any("代理 1" in n for n in a.notes)
    assert [c.text for c in a.children] == ["员工"] and any("待招 3" in n for n in a.children[0].notes)


def test_split_chart_gives_an_overview_and_one_chart_per_branch(tmp_path):
    depts = [{"id": f"d{i}", "name": f"部门{i}"} for i in range(4)]
    depts += [{"id": f"d{i}-{j}", "name": f"科室{i}-{j}", "parent": f"d{i}"} for i in range(4) for j in range(3)]
    roles = [role(f"r-{d['id']}", d["id"]) for d in depts]
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = company_chart(view)
    overview, parts = split_chart(chart)
    assert len(parts) == 4
    assert {n.link for n in overview.nodes} == {("company", "")} | {("department", f"d{i}") for i in range(4)}
    assert all(any(line.startswith("下设 3 个") for line in n.lines) for n in overview.nodes if n.css == "department")
    shown = [n.link for p in parts for n in p.nodes]
    assert sorted(shown) == sorted({n.link for n in chart.nodes} - {("company", "")})
    for p in parts:
        assert_grammar(to_mermaid(p, urls))
        assert {e.source for e in p.edges} | {e.target for e in p.edges} <= {n.key for n in p.nodes}
    assert split_chart(parts[0]) == (parts[0], [])  # a branch of leaves only is not split again


def test_a_tall_flow_is_split_into_parts_joined_by_connectors(tmp_path):
    """Like a paper flowchart continued on the next page: a line that leaves a part ends in
    "转第 n 步", its target starts from "接第 m 步"; every step and every line is kept."""
    depts = [{"id": "d", "name": "部"}]
    roles = [role("a", "d", "受理员")]
    steps = [{"id": f"s{i}", "role": "a", "action": f"步骤{i}", "next": [f"s{i + 1}"]} for i in range(1, 7)]
    steps[1]["next"] = [{"to": "s3", "label": "是"}, {"to": "s6", "label": "否"}]  # a branch across the split
    steps.append({"id": "s7", "action": "归档"})
    view = load(write_org(tmp_path / "org", depts, roles, processes=[{"id": "p", "name": "采购", "steps": steps}]))
    chart = process_chart(view, "p")
    first, rest = split_chart(chart)
    assert len(rest) == 1
    second = rest[0]
    assert [n.step for n in first.nodes if n.step] == [1, 2, 3, 4]
    assert [n.step for n in second.nodes if n.step] == [5, 6, 7]
    assert first.name == "采购：流程图，7 个步骤（第 1–4 步）" and second.name == "采购：流程图，7 个步骤（第 5–7 步）"
    text = lambda c: {n.key: n.lines[0] for n in c.nodes}  # noqa: E731
    out = {(text(first)[e.source], text(first)[e.target], e.label) for e in first.edges}
    assert ("开始", "1．步骤1", "") in out
    assert {("2．步骤2", "转第 6 步", "否"), ("4．步骤4", "转第 5 步", "")} <= out
    into = {(text(second)[e.source], text(second)[e.target]) for e in second.edges}
    assert {("接第 2 步", "6．步骤6"), ("接第 4 步", "5．步骤5"), ("7．归档", "结束")} <= into
    assert "continued" in first.legend and "continued" in second.legend
    for part in (first, second):
        assert_grammar(to_mermaid(part, urls))
        assert {e.source for e in part.edges} | {e.target for e in part.edges} <= {n.key for n in part.nodes}
    # split again: each part keeps the whole flow's name and its connectors go with their steps
    a, (b,) = split_chart(second)
    assert a.name == "采购：流程图，7 个步骤（第 5–6 步）" and b.name == "采购：流程图，7 个步骤（第 7 步）"
    assert "接第 2 步" in text(a).values() and "结束" in text(b).values()
    assert split_chart(b) == (b, [])  # one step: nothing left to split


def test_a_dotted_line_partner_of_many_roles_is_named_in_their_boxes(tmp_path):
    """Ten dashed lines from one quality manager would cross the chart and keep the
    operators out of their block: past three, the relation is written in each box."""
    depts = [{"id": "p", "name": "生产部", "head": "boss"}, {"id": "q", "name": "质量部", "head": "qm"}]
    roles = [
        role("boss", "p", "生产经理", headcount=1),
        role("qm", "q", "质量经理", headcount=1),
        role("planner", "p", "计划员", "boss", headcount=1, dotted_line_to=["qm"]),
        role("clerk", "p", "统计员", "boss", headcount=1),
    ]
    roles += [role(f"op{i}", "p", f"操作员{i}", "boss", headcount=1, dotted_line_to=["qm"]) for i in range(4)]
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = department_chart(view, "p")
    assert ("role", "qm") not in {n.link for n in chart.nodes}  # no box, no lines for it
    assert not any(e.dotted for e in chart.edges)
    by_link = {n.link: n for n in chart.nodes}
    for r in ["planner", *(f"op{i}" for i in range(4))]:
        assert "虚线汇报：质量经理" in by_link[("role", r)].lines, r
    assert "虚线汇报：质量经理" not in by_link[("role", "clerk")].lines
    assert len(leaf_blocks(chart)[by_link[("role", "boss")].key]) == 6  # all six now stack in a block
    assert "dotted_note" in chart.legend and "dotted" not in chart.legend
    # three dotted lines are still drawn
    few = load(write_org(tmp_path / "org2", depts, roles[:4] + roles[4:6]))
    assert sum(e.dotted for e in department_chart(few, "p").edges) == 3


def test_wrapped_lines_are_even():
    """No last line with a lone character under a full one."""
    assert wrap_text("数控加工中心第10号机台操作员") == ["数控加工中心第", "10号机台操作员"]
    lines = wrap_text("质量与体系管理中心负责人（兼任华东区域客户质量投诉处理及8D报告审核工作）")
    widths = [sum(_units(c) for c in line) for line in lines]
    assert len(lines) == 3 and max(widths) - min(widths) <= 2 and max(widths) <= WRAP_ORG
    assert wrap_text("品质部") == ["品质部"]


def test_boxes_are_written_so_that_lines_go_forward(tmp_path):
    """The layout walks the boxes in their order (ELK's DEPTH_FIRST cycle breaking): a flow's start
    comes first and its steps in order, so a line back to an earlier step is a return; in
    an org chart every line, dotted ones too, goes from an earlier box to a later one."""
    depts = [{"id": "d", "name": "部", "head": "boss"}]
    roles = [
        role("boss", "d", "经理", headcount=1),
        role("a", "d", "主管", "boss", headcount=1),
        role("b", "d", "专员", "a", headcount=1),
        role("c", "d", "助理", "boss", headcount=1, dotted_line_to=["b"]),
    ]  # dotted to a deeper role
    steps = [
        {"id": "s1", "role": "a", "action": "做", "next": ["s2"]},
        {
            "id": "s2",
            "role": "a",
            "action": "查",
            "next": [{"to": "s3", "label": "合格"}, {"to": "s1", "label": "返工"}],
        },
        {"id": "s3", "action": "完"},
    ]
    view = load(write_org(tmp_path / "org", depts, roles, processes=[{"id": "p", "name": "流", "steps": steps}]))
    for chart in (department_chart(view, "d"), process_chart(view, "p")):
        src = to_mermaid(chart, urls)
        written = [re.match(r" +(n\d+)", line).group(1) for line in src.splitlines() if re.match(r" +n\d+[\[({]", line)]
        at = {k: i for i, k in enumerate(written)}
        backward = [(e.source, e.target) for e in chart.edges if at[e.source] > at[e.target]]
        if chart.kind == "org":
            assert backward == []
        else:
            texts = {n.key: n.lines[0] for n in chart.nodes}
            assert texts[written[0]] == "开始" and [texts[b] for b in written[1:4]] == ["1．做", "2．查", "3．完"]
            assert [(texts[a], texts[b]) for a, b in backward] == [("2．查", "1．做")]  # the return only
