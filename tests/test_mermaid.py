"""Unit tests of handbook/mermaid.py (pure: no Sphinx): escaping and chart size limits.

Handbooks are built from small YAML folders written into ``tmp_path`` and read through
the real loader and validator, so the charts see the same model a build sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handbook import mermaid as mm
from handbook.validate import check_dir
from handbook.view import View

HOSTILE = [
    'say "hi"', "a --> b", "a -.-> b", "%% comment", "%%{init: {}}%%", "<script>alert(1)</script>",
    "R&D & Co", "`code`", "end", "click", "click n0 call alert()", "[x](y)", "line1\nline2", "a;b",
    "{curly}", "(round)", "[square]", "a|b", "x = y", "a:b", "#quot;", "#35;", "\\backslash", "__init__",
    "~~strike~~", "*bold*", "style n0 fill:red", "subgraph", "a\r\nb", "tab\tchar", "\u2028sep",
]

# one line of the Mermaid source our charts may produce; anything else means data leaked
_LABEL = r'[^"\n]*'
LINE_GRAMMAR = [
    re.compile(r"^flowchart (TB|TD|LR)$"),
    re.compile(r'^  n\d+(\["|\("|\(\["|\{"|\(\(")' + _LABEL + r'("\]|"\)|"\]\)|"\}|"\)\))$'),
    re.compile(r"^  n\d+ (-->|-\.->) n\d+$"),
    re.compile(r'^  n\d+ (-->|-\.->)\|"' + _LABEL + r'"\| n\d+$'),
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
        mo = re.match(r'^  (n\d+)[\[({]+"(.*)"[\])}]+$', line)
        if mo:
            out[mo.group(1)] = mo.group(2)
    return out


# -- escaping ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", HOSTILE)
def test_escape_label_leaves_no_syntax(text):
    out = mm.escape_label(text)
    # what is left once our own entity codes and line breaks are taken out
    bare = re.sub(r"#quot;|#\d+;|<br/>", "", out)
    for ch in '"<>&`%;{}[]()|=:#\\\r\t':
        assert ch not in bare, (text, out)
    assert "-->" not in out and "%%" not in out and "\n" not in out


@pytest.mark.parametrize("text", [t for t in HOSTILE if "\r" not in t and "\t" not in t and "\u2028" not in t])
def test_escape_label_round_trips(text):
    assert decode(mm.escape_label(text)) == text


def test_escape_label_special_characters():
    assert mm.escape_label('"') == "#quot;"
    assert mm.escape_label("<&>") == "#60;#38;#62;"
    assert mm.escape_label("a\nb") == "a<br/>b"
    assert mm.escape_label("a\r\nb") == "a<br/>b"
    assert mm.escape_label("a\x00b\x1fc") == "a b c"
    assert mm.escape_label("研发经理 R-1") == "研发经理 R-1"  # ordinary text stays readable


def test_to_mermaid_hostile_labels_and_urls():
    nodes = tuple(mm.ChartNode(f"n{i}", (t, "second " + t), ("role", f"r{i}"), "head" if i == 0 else "")
                  for i, t in enumerate(HOSTILE))
    edges = tuple(mm.ChartEdge(f"n{i}", f"n{i + 1}", label=HOSTILE[i], dotted=i % 2 == 1)
                  for i in range(len(HOSTILE) - 1))
    chart = mm.Chart("org", "TB", nodes, edges)
    src = mm.to_mermaid(chart, lambda link: f'../roles/{link[1]}.html?x="y"\nclick')
    assert_grammar(src)
    labels = node_labels(src)
    assert len(labels) == len(HOSTILE)
    for i, text in enumerate(HOSTILE):
        first = decode(labels[f"n{i}"]).split("\n")[0]
        assert first == text.replace("\r", "").split("\n")[0].replace("\t", " ").replace("\u2028", " ")
    assert len(re.findall(r"^  click ", src, re.M)) == len(HOSTILE)
    assert "-.->" in src and "classDef hb-head" in src


def test_to_mermaid_without_url_has_no_click():
    chart = mm.Chart("org", "TB", (mm.ChartNode("n0", ("a",), ("role", "x")),), ())
    src = mm.to_mermaid(chart, lambda link: None)
    assert "click" not in src
    assert src == 'flowchart TB\n  n0["a"]\n'


def test_empty_label_still_valid():
    chart = mm.Chart("org", "TB", (mm.ChartNode("n0", ("",)),), ())
    assert_grammar(mm.to_mermaid(chart, lambda link: None))


# -- charts from a handbook --------------------------------------------------------------
def write_org(folder: Path, departments: list[dict], roles: list[dict], people=(), processes=()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"company": {"name": "测试公司", "document": {"effective": "2024-03-01"}},
            "departments": departments, "roles": roles}
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
    d = {"id": rid, "title": title or rid, "department": dept, "responsibilities": ["做事。"],
         "qualifications": ["本科"]}
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
    roles = [role("boss", "d", title=bad, headcount=1),
             role("r1", "d", title="end", reports_to="boss", headcount="5-10"),
             role("r2", "d", title='click n0 call alert("x")', reports_to="boss", dotted_line_to=["r1"])]
    procs = [{"id": "p", "name": bad, "steps": [
        {"id": "s1", "role": "boss", "action": bad, "next": [{"to": "s2", "label": bad}, {"to": "s3", "label": "end"}]},
        {"id": "s2", "role": "r1", "action": "subgraph x", "next": ["s3"]},
        {"id": "s3", "action": "%%{init: {'theme':'dark'}}%%"}]}]
    return load(write_org(tmp_path / "org", depts, roles, processes=procs)), bad


def test_hostile_data_cannot_break_charts(hostile_view):
    view, bad = hostile_view
    for chart in (mm.company_chart(view), mm.department_chart(view, "d"), mm.process_chart(view, "p")):
        src = mm.to_mermaid(chart, urls)
        assert_grammar(src)
        assert "<script" not in src and "-->" not in "".join(node_labels(src).values())
    dept_src = mm.to_mermaid(mm.department_chart(view, "d"), urls)
    shown = [decode(label) for label in node_labels(dept_src).values()]
    # labels are shortened to one line, but what is shown is the data's own text
    assert any(s.startswith('A "B" --> C %% <script>') for s in shown)
    assert "-.->" in dept_src  # the dotted line r2 -> r1 is drawn dashed


def test_department_chart_content(tmp_path):
    depts = [{"id": "top", "name": "总部", "head": "gm"},
             {"id": "d", "name": "销售部", "head": "mgr", "parent": "top"},
             {"id": "sub", "name": "华东组", "head": "lead", "parent": "d"}]
    roles = [role("gm", "top", "总经理", headcount=1),
             role("mgr", "d", "销售经理", "gm", headcount=1),
             role("rep", "d", "销售代表", "mgr", headcount="5-10", dotted_line_to=["gm"]),
             role("lead", "sub", "华东组长", "mgr", headcount=1)]
    people = [{"name": "甲", "assignments": [{"role": "mgr"}]}, {"name": "乙", "assignments": [{"role": "rep"}]}]
    view = load(write_org(tmp_path / "org", depts, roles, people))
    chart = mm.department_chart(view, "d")
    by_link = {n.link: n for n in chart.nodes}
    assert by_link[("role", "mgr")].css == "head"
    assert by_link[("role", "rep")].css == "vacant"
    assert "待招 4-9" in by_link[("role", "rep")].lines[1]
    assert by_link[("role", "gm")].css == "ghost"  # the supervisor outside the department
    assert by_link[("department", "sub")].css == "department"
    keys = {n.link: n.key for n in chart.nodes}
    edges = {(e.source, e.target, e.dotted) for e in chart.edges}
    assert (keys[("role", "gm")], keys[("role", "mgr")], False) in edges
    assert (keys[("role", "mgr")], keys[("role", "rep")], False) in edges
    assert (keys[("role", "rep")], keys[("role", "gm")], True) in edges  # dotted line, dashed
    assert (keys[("role", "mgr")], keys[("department", "sub")], False) in edges
    assert chart.truncated == 0
    assert_grammar(mm.to_mermaid(chart, urls))


def test_dotted_line_to_a_role_outside_the_department_is_drawn(tmp_path):
    depts = [{"id": "a", "name": "甲部"}, {"id": "b", "name": "乙部"}]
    roles = [role("x", "a", "甲岗", dotted_line_to=["y"]), role("y", "b", "乙岗")]
    view = load(write_org(tmp_path / "org", depts, roles))
    chart = mm.department_chart(view, "a")
    keys = {n.link: n.key for n in chart.nodes}
    assert ("role", "y") in keys, "the dotted-line target is not shown"
    assert (keys[("role", "x")], keys[("role", "y")], True) in {(e.source, e.target, e.dotted) for e in chart.edges}


def test_process_chart(tmp_path):
    depts = [{"id": "d", "name": "部"}]
    roles = [role("a", "d", "受理员"), role("b", "d", "主管", )]
    procs = [{"id": "p", "name": "流程", "steps": [
        {"id": "s1", "role": "a", "action": "受理", "next": [{"to": "s2", "label": "投诉"}, {"to": "s3", "label": "咨询"}]},
        {"id": "s2", "role": "b", "action": "处理", "next": ["s3"]},
        {"id": "s3", "action": "结束归档"}]}]
    view = load(write_org(tmp_path / "org", depts, roles, processes=procs))
    chart = mm.process_chart(view, "p")
    steps = [n for n in chart.nodes if n.css == "step"]
    assert [n.lines[0] for n in steps] == ["1. 受理", "2. 处理", "3. 结束归档"]
    assert steps[0].lines[1] == "(受理员)" and steps[0].link == ("role", "a")
    assert steps[2].link is None  # a step without role links nowhere
    assert sorted(e.label for e in chart.edges if e.label) == ["咨询", "投诉"]
    assert [n.css for n in chart.nodes if n.shape == "stadium"] == ["start", "end"]
    src = mm.to_mermaid(chart, urls)
    assert_grammar(src)
    assert len(re.findall(r"^  click ", src, re.M)) == 2


# -- size limits ---------------------------------------------------------------------------
def count_more(chart: mm.Chart, labels=mm.DEFAULT_LABELS) -> int:
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
    depts = [{"id": "top", "name": "总部", "head": "gm"}, {"id": "big", "name": "大部门", "head": "r0", "parent": "top"}]
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
    chart = mm.department_chart(view, "big", max_nodes=60)
    shown = [n for n in chart.nodes if n.link and n.link[0] == "role" and n.link[1].startswith("r")]
    assert len(chart.nodes) <= 60
    assert chart.truncated == 300 - len(shown)
    assert count_more(chart) == chart.truncated  # every hidden role is counted in a "+N more" box
    assert all(n.link == ("department-roles", "big") for n in chart.nodes if n.css == "more")
    src = mm.to_mermaid(chart, urls)
    assert_grammar(src)
    assert mm.check_limits(src, chart) == []
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
    chart = mm.company_chart(view, max_nodes=60)
    shown = [n for n in chart.nodes if n.css == "department"]
    assert len(chart.nodes) <= 60
    assert len(shown) + chart.truncated == 200
    assert count_more(chart) == chart.truncated
    src = mm.to_mermaid(chart, urls)
    assert_grammar(src)
    assert mm.check_limits(src, chart) == []


def test_company_chart_depth(tmp_path):
    depts = [{"id": "a", "name": "甲"}, {"id": "a1", "name": "甲一", "parent": "a"},
             {"id": "a11", "name": "甲一一", "parent": "a1"}, {"id": "b", "name": "乙"}]
    roles = [role(f"r-{d['id']}", d["id"]) for d in depts]
    view = load(write_org(tmp_path / "org", depts, roles))
    full = mm.company_chart(view)
    assert len([n for n in full.nodes if n.css == "department"]) == 4 and full.truncated == 0
    top = mm.company_chart(view, depth=1)
    assert [n.link for n in top.nodes if n.css == "department"] == [("department", "a"), ("department", "b")]
    assert top.truncated == 2 and count_more(top) == 2
    sub = mm.company_chart(view, root="a")
    assert {n.link for n in sub.nodes} == {("department", "a"), ("department", "a1"), ("department", "a11")}
    no_hc = mm.company_chart(view, show_headcount=False)
    assert all(not any("编制" in line for line in n.lines) for n in no_hc.nodes)


def test_check_limits_reports_oversized_source():
    chart = mm.Chart("org", "TB", (), tuple(mm.ChartEdge("n0", "n1") for _ in range(501)))
    problems = mm.check_limits("x" * 50_001, chart)
    assert len(problems) == 2 and "50001" in problems[0] and "501 edges" in problems[1]


def test_company_chart_has_the_company_on_top(tmp_path):
    """Departments hang from one company box, so the chart is one tree, not a forest."""
    depts = [{"id": "a", "name": "甲"}, {"id": "b", "name": "乙"}, {"id": "c", "name": "丙", "parent": "a"}]
    view = load(write_org(tmp_path / "org", depts, [role(f"r-{d['id']}", d["id"]) for d in depts]))
    chart = mm.company_chart(view)
    top = chart.nodes[0]
    assert top.link == ("company", "") and top.css == "head"
    assert top.lines[0] == str(view.hb.company.name)
    below = {n.key for n in chart.nodes if n.link in (("department", "a"), ("department", "b"))}
    assert {e.target for e in chart.edges if e.source == top.key} == below
    assert ("丙",) in chart.fallback and all(row[0] for row in chart.fallback)
