"""Organisation health: the figures of a small organisation written for each finding, the
warnings with their limits and locations, `handbook check` with conf.py's limits, and the
figures of a generated 2,000-role organisation."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap

import pytest

from handbook.audit.org_health import Limits, examine, findings
from handbook.problems import Code
from handbook.validate import check_dir

ORG = """\
company:
  name: 测试公司
departments:
  - id: gm
    name: 总经办
    head: ceo
    functions: [负责公司战略规划与年度经营计划的制定]
  - id: sales
    name: 销售部
    parent: gm
    head: sales-manager
    functions: [负责客户投诉的受理、调查与处理, 负责销售合同的评审与签订]
  - id: service
    name: 客服部
    parent: gm
    functions: [负责客户投诉的受理、调查和处理]
  - id: sales-east
    name: 华东组
    parent: sales
    functions: [负责销售合同的评审与签订]
roles:
  - id: ceo
    title: 总经理
    department: gm
    responsibilities: [主持全面工作]
  - id: sales-manager
    title: 销售经理
    department: sales
    reports_to: ceo
    headcount: 1
    responsibilities: [管理销售部]
  - id: rep
    title: 销售代表
    department: sales
    reports_to: sales-manager
    headcount: 4
    responsibilities: [拜访客户]
  - id: east-rep
    title: 华东销售
    department: sales-east
    reports_to: rep
    headcount: 2
    responsibilities: [华东客户]
  - id: agent
    title: 客服专员
    department: service
    reports_to: ceo
    headcount: 3
    responsibilities: [接听电话]
people:
  - id: zhang-san
    name: 张三
    assignments: [{role: ceo, type: primary}]
  - id: li-si
    name: 李四
    assignments:
      - {role: sales-manager, type: primary}
      - {role: agent, type: concurrent}
      - {role: east-rep, type: concurrent}
  - id: wang-wu
    name: 王五
    assignments: [{role: rep, type: primary}]
"""


@pytest.fixture
def hb(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "org.yaml").write_text(ORG, encoding="utf-8")
    result = check_dir(str(tmp_path / "org"))
    assert result.ok, [p.format() for p in result.problems]
    return result.handbook


def test_span_of_control_and_layers(hb):
    h = examine(hb)
    assert [(s.role, s.reports, s.people) for s in h.spans] == [
        ("ceo", ("sales-manager", "agent"), 2),
        ("sales-manager", ("rep",), 1),
        ("rep", ("east-rep",), 1),
    ]
    assert h.layers == (("ceo",), ("sales-manager", "agent"), ("rep",), ("east-rep",))
    assert h.deepest == ("ceo", "sales-manager", "rep", "east-rep")


def test_people_posts_backups_heads_and_vacancy(hb):
    h = examine(hb)
    assert h.many_posts == (("li-si", ("sales-manager", "agent", "east-rep")),)
    # ceo, sales-manager: one holder, nobody acting; rep leads east-rep and has one holder too
    assert h.no_backup == ("ceo", "sales-manager", "rep")
    assert h.headless == ("sales-east", "service")  # tree order
    vac = {v.department: (str(v.staffing.vacant), v.rate) for v in h.vacancy}
    assert vac == {"sales": ("3", 0.6), "service": ("2", 0.67), "sales-east": ("1", 0.5)}


def test_duty_claimed_by_two_departments_but_not_by_a_parent_restating_its_child(hb):
    shared = examine(hb).shared_duties
    # 销售部 and 客服部 (siblings) both claim the complaints duty; 华东组 repeating its parent's
    # contract duty is a summary, not a second claim
    assert [(s.first, s.first_number, s.second, s.second_number) for s in shared] == [("sales", "1", "service", "1")]
    assert shared[0].similarity >= 0.8


def test_findings_with_limits_are_located_warnings(hb):
    got = [
        (p.code, p.source.line, p.message)
        for p in findings(hb, Limits(span_min=2, posts_max=2, vacancy_max=0.6, layers_max=3))
    ]
    codes = [c for c, _, _ in got]
    assert codes.count(Code.SPAN_OF_CONTROL) == 2  # sales-manager and rep have one report each
    assert (Code.ORG_LAYERS in codes) and (Code.MANY_POSTS in codes) and (Code.DUTY_CLAIMED_TWICE in codes)
    vacancy = [m for c, _, m in got if c is Code.VACANCY_RATE]
    assert vacancy == ["department `service` has 2 of 3 posts open (67 %; 缺编率; limit 60 %)"]
    many = next(m for c, _, m in got if c is Code.MANY_POSTS)
    assert many == "李四 holds 3 posts (sales-manager, agent, east-rep; 兼岗过多; limit 2)"
    assert all(line > 0 for _, line, _ in got)
    # wider limits: nothing to report
    assert list(findings(hb, Limits(span_min=1, layers_max=9, posts_max=5, vacancy_max=1.0, similarity=0.99))) == []


def test_limits_from_the_setting():
    assert Limits.from_setting({"span_max": 8, "vacancy_max": 0.5}) == Limits(span_max=8, vacancy_max=0.5)
    assert Limits.from_setting(None) == Limits()
    with pytest.raises(ValueError, match="unknown key `span`"):
        Limits.from_setting({"span": 3})
    with pytest.raises(ValueError, match="`posts_max` must be a whole number"):
        Limits.from_setting({"posts_max": 2.5})


def test_handbook_check_warns_with_the_limits_of_conf_py(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "org.yaml").write_text(ORG, encoding="utf-8")
    run = [sys.executable, "-m", "handbook", "check", "org"]
    quiet = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert quiet.returncode == 0 and "span-of-control" not in quiet.stdout  # no limits set: no warnings
    (tmp_path / "conf.py").write_text(
        textwrap.dedent("""\
        extensions = ["handbook"]
        handbook_data_dir = "org"
        handbook_org_health = {"posts_max": 2}
        """),
        encoding="utf-8",
    )
    warned = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert warned.returncode == 0, warned.stderr
    assert "org/org.yaml" in warned.stdout and "warning[many-posts]: 李四 holds 3 posts" in warned.stdout
    (tmp_path / "conf.py").write_text(
        'handbook_data_dir = "org"\nhandbook_org_health = {"span": 1}\n', encoding="utf-8"
    )
    bad = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 2 and "handbook_org_health: unknown key `span`" in bad.stderr


def test_figures_of_a_generated_2000_role_organisation(tmp_path):
    from bench.make_org.cli import main

    assert main(["2000", "--out", str(tmp_path / "org")]) == 0
    hb = check_dir(str(tmp_path / "org")).handbook
    assert hb is not None and len(hb.roles) >= 2000
    h = examine(hb)
    reports = sum(len(s.reports) for s in h.spans)
    # every post but the top ones reports to one manager: the spans add up to the posts below the top layer
    assert reports == len(hb.roles) - len(h.layers[0])
    assert sum(len(layer) for layer in h.layers) == len(hb.roles)
    assert len(h.deepest) == len(h.layers)
    for upper, lower in itertools.pairwise(h.deepest):
        assert hb.roles[lower].reports_to == upper
    assert {v.department for v in h.vacancy} <= set(hb.departments)
