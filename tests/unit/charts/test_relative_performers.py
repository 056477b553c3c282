"""Relative performers: a step done by "申请人所在部门负责人" or "各部门经理" names the relation,
shown in words on the page and in the chart; the posts it stands for are known to the checks."""

from __future__ import annotations

import pytest

from handbook import model as m
from handbook.charts.flow_charts import process_chart
from handbook.problems import Code
from handbook.validate import check_dir
from handbook.view import View

ORG = """\
company: {{name: 测试公司}}
departments:
  - {{id: ops, name: 运营部, head: boss}}
  - {{id: hr, name: 人事部, head: hr-head}}
roles:
  - {{id: boss, title: 运营经理, department: ops, responsibilities: [管理]}}
  - {{id: hr-head, title: 人事经理, department: hr, responsibilities: [管理]}}
  - {{id: owner, title: 流程专员, department: hr, responsibilities: [维护流程]}}
people:
  - {{name: 张三, assignments: boss}}
  - {{name: 李四, assignments: hr-head}}
processes:
  - id: leave
    name: 请假流程
    owner: owner
    steps:
      - {{id: apply, action: 提交请假申请, performer: 申请人, next: [approve]}}
      - {{id: approve, action: 审批请假, performer: {approver}, next: [file]}}
      - {{id: file, action: 归档, performer: process-owner}}
"""


def check(tmp_path, approver="申请人所在部门负责人"):
    (tmp_path / "org").mkdir(exist_ok=True)
    (tmp_path / "org" / "a.yaml").write_text(ORG.format(approver=approver), encoding="utf-8")
    return check_dir(str(tmp_path / "org"))


def test_the_chinese_words_read_as_the_relation(tmp_path):
    hb = check(tmp_path).handbook
    steps = hb.processes["leave"].steps
    assert [s.performer for s in steps] == ["initiator", "initiator-head", "process-owner"]
    assert m.performer_roles(hb, hb.processes["leave"], "initiator-head") == ("boss", "hr-head")
    assert m.performer_roles(hb, hb.processes["leave"], "process-owner") == ("owner",)
    assert m.performer_roles(hb, hb.processes["leave"], "initiator") == ()


def test_the_chart_and_its_text_version_say_who_in_words(tmp_path):
    hb = check(tmp_path).handbook
    chart = process_chart(View(hb, "zh_CN"), "leave")
    labels = [" ".join(n.lines) for n in chart.nodes if n.step]
    assert labels[1].endswith("(申请人所在部门负责人)") and labels[2].endswith("(流程负责人)")
    assert chart.outline[0].notes[0] == "申请人"


def test_a_vacant_owner_standing_for_a_step_is_a_vacant_performer(tmp_path):
    result = check(tmp_path)
    vacant = [p.message for p in result.problems if p.code is Code.VACANT_PERFORMER]
    assert vacant == [
        "role `owner` is vacant (nobody holds it, not even acting) but performs: step `file` of process `leave` (as its owner)"
    ]


@pytest.mark.parametrize("word", ["各部门经理", "department-heads"])
def test_every_department_manager(tmp_path, word):
    hb = check(tmp_path, word).handbook
    assert hb.processes["leave"].steps[1].performer == "department-heads"


def test_an_unknown_relation_is_a_bad_value_with_the_choices(tmp_path):
    result = check(tmp_path, "老板")
    assert [p.code for p in result.errors] == [Code.BAD_VALUE]
    assert (
        "`performer` `老板` is not one of initiator, initiator-head, department-heads, process-owner"
        in result.errors[0].message
    )
