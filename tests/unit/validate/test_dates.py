"""Dates as people type them (issue 24): one parser, used by YAML and by the workbook."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from openpyxl import Workbook

from handbook.exchange import yaml_out as dump
from handbook.exchange.importing import import_files
from handbook.validate import check_dir
from handbook.validate.dates import Month, excel_serial, parse_date


@pytest.mark.parametrize(
    "written, day",
    [
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("2026/12/01", dt.date(2026, 12, 1)),
        ("2024/3/1", dt.date(2024, 3, 1)),
        ("2027.12.15", dt.date(2027, 12, 15)),
        ("2026年12月15日", dt.date(2026, 12, 15)),
        ("2026 年 12 月 15 日", dt.date(2026, 12, 15)),
        ("２０２４－０３－０１", dt.date(2024, 3, 1)),
        ("20261201", dt.date(2026, 12, 1)),
    ],
)
def test_the_forms_people_type(written, day):
    assert parse_date(written) == day
    assert type(parse_date(written)) is dt.date


@pytest.mark.parametrize("written", ["2021-05", "2021/5", "2021.05", "2021年5月"])
def test_a_month_alone_where_a_start_is_meant(written):
    assert parse_date(written) is None  # a deadline needs its day
    month = parse_date(written, month_ok=True)
    assert isinstance(month, Month) and month == dt.date(2021, 5, 1)
    assert month.isoformat() == str(month) == "2021-05"
    assert pickle.loads(pickle.dumps(month)).isoformat() == "2021-05"  # the Sphinx environment keeps it


@pytest.mark.parametrize("written", ["2024-02-30", "2024-13-01", "2021-13", "下个月", "1、", ""])
def test_what_is_not_a_date(written):
    assert parse_date(written, month_ok=True) is None


def test_excel_serials():
    assert excel_serial(46357) == dt.date(2026, 12, 1)
    assert excel_serial(True) is None and excel_serial(0) is None


PEOPLE = """company: {name: X}
departments: [{id: office, name: 总经办}]
roles:
  - {id: gm, title: 总经理, department: office, responsibilities: [负责]}
  - {id: aide, title: 助理, department: office, responsibilities: [协助]}
people:
  - name: 王总
    assignments: [{role: gm, since: 2021-05}]
  - name: 李四
    assignments: [{role: aide, since: 2024/3/1}]
"""


def test_since_in_yaml_keeps_its_precision_and_prints_as_written(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(PEOPLE, encoding="utf-8")
    result = check_dir(str(tmp_path / "org"))
    assert [p.format() for p in result.errors] == []
    since = [p.assignments[0].since for p in result.handbook.people]
    assert [s.isoformat() for s in since] == ["2021-05", "2024-03-01"]
    written = dump.to_yaml(dump.handbook(result.handbook))
    assert "since: 2021-05\n" in written and "since: 2024-03-01\n" in written


def test_dates_in_a_workbook_as_typed(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称", "实施日期", "复审日期"])
    ws.append(["示例", "2026年12月15日", 46357])
    ws = wb.create_sheet("部门")
    ws.append(["标识", "部门名称"])
    ws.append(["office", "总经办"])
    ws = wb.create_sheet("岗位")
    ws.append(["标识", "岗位名称", "所属部门", "岗位职责", "任职人员"])
    ws.append(["gm", "总经理", "office", "负责", "王总【任职日期】2027.12.15"])
    ws.append(["aide", "助理", "office", "协助", "李四【任职日期】2021-05"])
    ws = wb.create_sheet("人员")
    ws.append(["姓名", "任职"])
    ws.append(["赵六", "gm【任职方式】兼任【任职日期】2026/12/01"])
    ws.append(["钱七", "aide"])
    ws["B3"] = "aide【任职日期】2024/3/1"
    ws = wb.create_sheet("修订记录")
    ws.append(["版本", "日期", "修订内容"])
    ws.append(["A/0", dt.datetime(2024, 3, 1), "首版"])
    wb.save(tmp_path / "hr.xlsx")
    imp = import_files([str(tmp_path / "hr.xlsx")])
    assert [p.format() for p in imp.result.errors] == []
    hb = imp.result.handbook
    assert hb.company.document.effective == dt.date(2026, 12, 15)
    assert hb.company.document.review_due == dt.date(2026, 12, 1)  # the serial of a cell formatted as a number
    since = {p.name.get(""): [a.since.isoformat() for a in p.assignments] for p in hb.people}
    assert since == {"王总": ["2027-12-15"], "李四": ["2021-05"], "赵六": ["2026-12-01"], "钱七": ["2024-03-01"]}


def test_a_month_typed_in_excel_stays_a_month(tmp_path):
    """Excel stores 2021-05 typed in a cell as 2021-05-01 shown as yyyy-mm."""
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称", "实施日期"])
    ws.append(["示例", dt.datetime(2021, 5, 1)])
    ws["B2"].number_format = 'yyyy"年"m"月"'
    ws = wb.create_sheet("部门")
    ws.append(["标识", "部门名称"])
    ws.append(["office", "总经办"])
    ws = wb.create_sheet("岗位")
    ws.append(["标识", "岗位名称", "所属部门", "岗位职责"])
    ws.append(["gm", "总经理", "office", "负责"])
    wb.save(tmp_path / "hr.xlsx")
    imp = import_files([str(tmp_path / "hr.xlsx")])
    assert [(str(p.source).split(":", 1)[1], p.message, p.hint) for p in imp.result.errors] == [
        ("公司!B2", "`effective` `2021-05` is a month, not a date", "write the day too, e.g. `2021-05-01`")
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_month_alone_round_trips_through_the_workbook(tmp_path, fmt):
    from handbook.cli import main

    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(PEOPLE, encoding="utf-8")
    target = tmp_path / ("book.xlsx" if fmt == "xlsx" else "csv")
    assert main(["export", str(tmp_path / "org"), "--to", str(target), "--format", fmt]) == 0
    files = [target] if fmt == "xlsx" else sorted(target.glob("*.csv"))
    assert main(["import", *map(str, files), "--to", str(tmp_path / "back")]) == 0
    back = check_dir(str(tmp_path / "back")).handbook
    assert [p.assignments[0].since.isoformat() for p in back.people] == ["2021-05", "2024-03-01"]
