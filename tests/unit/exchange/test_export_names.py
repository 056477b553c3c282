"""The export writes names where HR reads names (issue 24): a reference is the name of what it
names when the import maps that name back to exactly that object; otherwise its id."""

from __future__ import annotations

from openpyxl import load_workbook

from handbook.cli import main
from handbook.exchange import exporting as export
from handbook.exchange import yaml_out as dump
from handbook.validate import check_dir

YAML = """company: {name: X}
departments:
  - {id: office, name: 总经办, head: gm}
  - {id: sales, name: 销售部, parent: office, head: sales-head}
  - {id: tech, name: 技术部, parent: office}
  - {id: sales-head, name: 市场部, parent: office, head: clerk}
roles:
  - {id: gm, title: 总经理, department: office, responsibilities: [统筹]}
  - {id: sales-head, title: 销售经理, department: sales, reports_to: gm, responsibilities: [带队]}
  - {id: sales-aide, title: 助理, department: sales, reports_to: sales-head, responsibilities: [协助]}
  - {id: tech-aide, title: 助理, department: tech, reports_to: gm, responsibilities: [协助]}
  - {id: clerk, title: "文员、档案", department: sales-head, reports_to: gm, responsibilities: [收发]}
people:
  - {name: 王总, assignments: [{role: gm}]}
  - {name: 李四, assignments: [{role: tech-aide}, {role: sales-head, type: acting}]}
"""


def test_references_are_names_when_the_name_comes_back_to_the_same_object(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(YAML, encoding="utf-8")
    hb = check_dir(str(tmp_path / "org")).handbook
    assert hb is not None
    export.write_workbook(hb, tmp_path / "book.xlsx")
    wb = load_workbook(tmp_path / "book.xlsx")
    roles = {r[0]: r for r in wb["岗位"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in wb["岗位"][1]]
    dept, up = header.index("所属部门"), header.index("直接上级")
    assert (roles["sales-aide"][dept], roles["sales-aide"][up]) == ("销售部", "销售经理")
    assert roles["tech-aide"][up] == "总经理"
    assert roles["clerk"][dept] == "市场部"  # its id is a role's too: ids are per kind
    depts = {r[0]: r for r in wb["部门"].iter_rows(min_row=2, values_only=True)}
    dheader = [c.value for c in wb["部门"][1]]
    assert depts["sales"][dheader.index("隶属")] == "总经办"
    assert depts["office"][dheader.index("部门负责人")] == "总经理"
    assert depts["sales-head"][dheader.index("部门负责人")] == "clerk"  # 文员、档案 would read as two names
    people = {r[1]: r[2] for r in wb["人员"].iter_rows(min_row=2, values_only=True)}
    # 助理 names two posts: the id is written
    assert people["李四"].splitlines() == ["tech-aide", "销售经理【任职方式】代理"]
    assert main(["import", str(tmp_path / "book.xlsx"), "--to", str(tmp_path / "back")]) == 0
    assert dump.handbook(check_dir(str(tmp_path / "back")).handbook) == dump.handbook(hb)


def test_a_name_that_is_another_objects_id_is_written_as_the_id(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(
        "company: {name: X}\ndepartments: [{id: a, name: b}, {id: b, name: B部}]\n"
        "roles: [{id: r, title: R, department: a, responsibilities: [x]}, {id: s, title: S, department: b, "
        "responsibilities: [y]}]\n",
        encoding="utf-8",
    )
    hb = check_dir(str(tmp_path / "org")).handbook
    names = export.ref_names(hb)
    assert names["department"] == {"b": "B部"}  # `b` as a name would come back as department b
    export.write_workbook(hb, tmp_path / "book.xlsx")
    assert main(["import", str(tmp_path / "book.xlsx"), "--to", str(tmp_path / "back")]) == 0
    assert dump.handbook(check_dir(str(tmp_path / "back")).handbook) == dump.handbook(hb)


def test_import_force_after_a_one_cell_change_rewrites_only_that_file(tmp_path, capsys):
    from pathlib import Path

    example = Path(__file__).resolve().parents[3] / "source" / "org"
    org = tmp_path / "org"
    assert main(["export", str(example), "--to", str(tmp_path / "book.xlsx")]) == 0
    assert main(["import", str(tmp_path / "book.xlsx"), "--to", str(org)]) == 0
    files = sorted(p.name for p in org.iterdir())
    company = org / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8") + "# 行政部 2026-12 复核\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in org.iterdir()}
    wb = load_workbook(tmp_path / "book.xlsx")
    ws = wb["岗位"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "purchaser")
    row[header.index("编制")].value = 4
    wb.save(tmp_path / "book.xlsx")
    capsys.readouterr()
    assert main(["import", str(tmp_path / "book.xlsx"), "--to", str(org), "--force"]) == 0
    out = capsys.readouterr().out
    after = {p.name: p.read_bytes() for p in org.iterdir()}
    changed = sorted(n for n in after if after[n] != before[n])
    assert sorted(after) == files and changed == ["008-materials.yaml"], changed
    assert after["company.yaml"].decode().endswith("# 行政部 2026-12 复核\n")  # its comment is kept
    assert "wrote 1 files to " in out and f"({len(files) - 1} unchanged files left as they were)" in out
    (backup,) = (tmp_path / "_backup" / "org").iterdir()
    assert [p.name for p in backup.iterdir()] == changed  # only the file replaced is backed up


def test_the_template_shows_one_example_row_per_sheet_which_the_import_skips(tmp_path):
    from handbook.exchange.importing import import_files
    from handbook.exchange.workbook_layout import SHEETS

    book = tmp_path / "t.xlsx"
    assert main(["template", str(book)]) == 0
    wb = load_workbook(book)
    for sh in SHEETS:
        ws = wb[sh.zh]
        assert ws.max_row == 2, sh.zh  # the header and one example
    roles = {c.value: c for c in wb["岗位"][1]}
    example = {h: wb["岗位"].cell(row=2, column=c.column).value for h, c in roles.items()}
    assert example["岗位名称"] == "研发经理" and example["任职人员"] == "张三"
    note = wb["人员"].cell(row=1, column=3).comment.text
    assert "每行一项：岗位，其后可写 【任职方式】…【任职日期】…" in note
    imp = import_files([str(book)])
    assert [p.code.value for p in imp.result.problems] == ["company-count"]  # the examples are not data
    wb["公司"]["A2"] = "华南示例有限公司"  # an example row HR edits is HR's row
    wb.save(book)
    imp = import_files([str(book)])
    assert imp.result.errors == [] and str(imp.result.handbook.company.name) == "华南示例有限公司"
