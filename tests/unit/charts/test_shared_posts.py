"""Shared posts (部门内勤 of 财务部 and 行政人事部): one primary department for the page address,
the numbering and the headcount; shown in every department it serves; counted once."""

from __future__ import annotations

from handbook.charts.org_charts import department_chart
from handbook.problems import Code
from handbook.validate import check_dir
from handbook.view import View

ORG = """\
company: {{name: 测试公司}}
departments:
  - {{id: finance, name: 财务部, head: cfo}}
  - {{id: admin-hr, name: 行政人事部, head: hr-head}}
roles:
  - {{id: cfo, title: 财务主管, department: finance, headcount: 1, responsibilities: [管理]}}
  - {{id: hr-head, title: 人事经理, department: admin-hr, headcount: 1, responsibilities: [管理]}}
  - id: clerk
    title: 部门内勤
    department: finance
    shared_with: {shared}
    reports_to: cfo
    headcount: 1
    responsibilities: [收发单据]
people:
  - {{name: 张三, assignments: cfo}}
  - {{name: 王五, assignments: clerk}}
"""


def codes(problems):
    return [p.code for p in problems if p.code in (Code.SHARED_WITH_OWN_DEPARTMENT, Code.DANGLING_REF)]


def check(tmp_path, shared="[admin-hr]"):
    (tmp_path / "org").mkdir(exist_ok=True)
    (tmp_path / "org" / "a.yaml").write_text(ORG.format(shared=shared), encoding="utf-8")
    return check_dir(str(tmp_path / "org"))


def test_a_shared_post_belongs_to_one_department_and_is_counted_once(tmp_path):
    result = check(tmp_path)
    assert result.errors == [] and not codes(result.problems)
    hb = result.handbook
    assert hb.department_roles["finance"] == ("cfo", "clerk")
    assert hb.department_roles["admin-hr"] == ("hr-head",)
    assert hb.shared_roles == {"admin-hr": ("clerk",)}
    assert str(hb.company_staffing.headcount) == "3"  # 1 + 1 + 1, the clerk once
    assert str(hb.department_staffing["admin-hr"].headcount) == "1"


def test_the_chart_of_the_department_it_serves_draws_it_marked_with_its_own_department(tmp_path):
    view = View(check(tmp_path).handbook, "zh_CN")
    chart = department_chart(view, "admin-hr")
    box = next(n for n in chart.nodes if n.link == ("role", "clerk"))
    assert "shared" in box.marks and box.css == "shared"
    assert "共用岗位，计入财务部" in "".join(box.lines)
    assert "shared" in chart.legend
    # its supervisor, in the other department, is drawn as an outside box above it
    assert any(n.link == ("role", "cfo") and n.css == "ghost" for n in chart.nodes)
    item = next(i for i in chart.outline if i.link == ("role", "clerk"))
    assert "共用岗位，计入财务部" in item.notes
    # in its own department it is an ordinary box
    own = next(n for n in department_chart(view, "finance").nodes if n.link == ("role", "clerk"))
    assert "shared" not in own.marks


def test_sharing_with_its_own_department_is_a_warning_and_an_unknown_one_an_error(tmp_path):
    problems = [p for p in check(tmp_path, "[finance, admin-hr]").problems if codes([p])]
    assert codes(problems) == [Code.SHARED_WITH_OWN_DEPARTMENT]
    assert problems[0].source.line == 11  # the `shared_with` line
    assert codes(check(tmp_path, "[nowhere]").problems) == [Code.DANGLING_REF]
