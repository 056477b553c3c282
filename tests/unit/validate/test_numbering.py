"""Numbering pasted from Word is taken off list items: the handbook numbers them itself (issue 24)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from handbook.exchange.importing import import_files
from handbook.validate import check_dir
from handbook.validate.numbering import without_numbering


@pytest.mark.parametrize(
    "pasted, kept",
    [
        ("1、根据公司战略制定计划", "根据公司战略制定计划"),
        ("12、负责招聘", "负责招聘"),
        ("1. 负责招聘", "负责招聘"),
        ("3）负责培训", "负责培训"),
        ("（一）负责考勤", "负责考勤"),
        ("(1)负责考勤", "负责考勤"),
        ("（12）负责考勤", "负责考勤"),
        ("①负责薪酬", "负责薪酬"),
        ("⑴负责薪酬", "负责薪酬"),
        ("一、负责档案", "负责档案"),
        ("十二、负责档案", "负责档案"),
        ("第三条 负责合同", "负责合同"),
    ],
)
def test_pasted_numbering_is_taken_off(pasted, kept):
    assert without_numbering(pasted) == kept


@pytest.mark.parametrize(
    "content",
    ["5S管理", "1.5倍加班工资的核算", "3年以上工作经验", "2024年起执行", "一对一辅导", "1,2号线巡检", "1、", "①"],
)
def test_numbers_that_are_content_stay(content):
    assert without_numbering(content) == content


YAML = """company: {name: X}
departments: [{id: office, name: 总经办}]
roles:
  - id: gm
    title: 总经理
    department: office
    responsibilities:
      - 1、根据公司战略制定计划
      - {text: 2、组织实施, kpi: ≥ 95%}
      - title: 一、以管促供
        items: [（一）审核采购计划, ①5S管理]
    authority: [1. 审批权, 2. 否决权]
"""


def test_in_yaml(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(YAML, encoding="utf-8")
    result = check_dir(str(tmp_path / "org"))
    assert result.errors == []
    gm = result.handbook.roles["gm"]
    d0, d1, group = gm.responsibilities
    assert [str(d0.text), str(d1.text)] == ["根据公司战略制定计划", "组织实施"]
    assert str(group.title) == "一、以管促供"  # a group's title is shown as written, never numbered
    assert [str(d.text) for d in group.items] == ["审核采购计划", "5S管理"]
    assert [str(a.text) for a in gm.authority] == ["审批权", "否决权"]


def test_in_a_workbook_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称"])
    ws.append(["示例"])
    ws = wb.create_sheet("部门")
    ws.append(["标识", "部门名称"])
    ws.append(["office", "总经办"])
    ws = wb.create_sheet("岗位")
    ws.append(["标识", "岗位名称", "所属部门", "岗位职责", "工作权限"])
    ws.append(["gm", "总经理", "office", "一、负责战略\n二、负责预算\n三、负责5S管理", "1、审批权\n2、否决权"])
    ws.append(["aide", "助理", "office", "一、行政\n1、负责接待\n2、负责会议\n二、文书\n（一）负责收发文", "①用印申请"])
    wb.save(tmp_path / "hr.xlsx")
    imp = import_files([str(tmp_path / "hr.xlsx")])
    assert [p.format() for p in imp.result.errors] == []
    roles = imp.result.handbook.roles
    # 一、 lines with no duties under them are duties themselves
    assert [str(d.text) for d in roles["gm"].responsibilities] == ["负责战略", "负责预算", "负责5S管理"]
    assert [str(a.text) for a in roles["gm"].authority] == ["审批权", "否决权"]
    g1, g2 = roles["aide"].responsibilities
    assert (str(g1.title), [str(d.text) for d in g1.items]) == ("一、行政", ["负责接待", "负责会议"])
    assert (str(g2.title), [str(d.text) for d in g2.items]) == ("二、文书", ["负责收发文"])
