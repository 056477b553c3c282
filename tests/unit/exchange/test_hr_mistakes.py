"""The mistakes HR makes in a first import, each reported once, where HR looks for it:
unknown columns, byte-order marks, near-miss names, rows pasted twice (issue 24)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from handbook.exchange.importing import import_files
from handbook.problems import Code

NOISE = {"no-authority", "no-qualifications", "empty-department"}  # the ISO warnings every bare test row gets


def problems(imp) -> list[str]:
    return [p.format() for p in imp.result.problems if p.code.value not in NOISE]


def workbook(path: Path, roles_header: list[str], roles: list[list], dept_header=("部门名称", "部门职责")) -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称"])
    ws.append(["示例"])
    ws = wb.create_sheet("部门")
    ws.append(list(dept_header))
    ws.append(["总经办", "统筹"])
    ws.append(["销售部", "销售"])
    ws = wb.create_sheet("岗位")
    ws.append(roles_header)
    for r in roles:
        ws.append(r)
    wb.save(path)
    return str(path)


def test_an_unknown_column_is_one_error_not_one_per_row(tmp_path):
    book = workbook(
        tmp_path / "hr.xlsx",
        ["岗位名称", "所属部门", "直属上级", "编制人数", "岗位职责"],
        [
            ["总经理", "总经办", None, 1, "全面负责"],
            ["销售经理", "销售部", "总经理", 2, "带队"],
            ["销售员", "销售部", "销售经理", 5, "销售"],
        ],
        dept_header=("部门名称", "部门职能"),
    )
    imp = import_files([book])
    shown = imp.result.problems[0].source.path
    assert problems(imp) == [
        f"{shown}:岗位!C1: error[unknown-key]: unknown column `直属上级` in sheet 岗位\n  hint: did you mean `直接上级`?",
        f"{shown}:岗位!D1: error[unknown-key]: unknown column `编制人数` in sheet 岗位\n  hint: did you mean `编制`?",
        f"{shown}:部门!B1: error[unknown-key]: unknown column `部门职能` in sheet 部门\n  hint: did you mean `部门职责`?",
    ]


def test_a_value_in_a_column_without_a_header_is_still_reported(tmp_path):
    book = workbook(tmp_path / "hr.xlsx", ["岗位名称", "所属部门", "岗位职责"], [["总经理", "总经办", "全面负责", "?"]])
    imp = import_files([book])
    shown = imp.result.problems[0].source.path
    assert problems(imp) == [
        f"{shown}:岗位!D2: error[unknown-key]: a value in a column without a header\n"
        "  hint: give the column a header, or clear the cell"
    ]


ROLES = "标识,岗位名称,所属部门,直接上级,岗位职责\ngm,总经理,office,,全面负责\nsales,销售经理,office,gm,带队\n"
DEPTS = "标识,部门名称\noffice,总经办\n"


def test_a_gb18030_byte_order_mark_never_reaches_the_first_header(tmp_path):
    """Exported as UTF-8 with a BOM, then re-encoded as GB18030: the BOM becomes 84 31 95 33."""
    paths = []
    for name, text in (("公司.csv", "公司名称\n示例\n"), ("部门.csv", DEPTS), ("岗位.csv", ROLES)):
        data = ("\ufeff" + text).encode("gb18030")
        assert data.startswith(b"\x84\x31\x95\x33")
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    imp = import_files(paths)
    assert problems(imp) == []
    assert sorted(imp.result.handbook.roles) == ["gm", "sales"]
    assert imp.result.handbook.roles["sales"].reports_to == "gm"


def test_zero_width_characters_never_reach_a_header_or_an_id(tmp_path):
    roles = "标\u200b识,岗位名称,所属部门,直接上级,岗位职责\ngm\u200b,总经理,office\ufeff,,全面负责\nsales,销售经理,office,\u2060gm,带队\n"
    (tmp_path / "roles.csv").write_text(roles, encoding="utf-8")
    (tmp_path / "departments.csv").write_text(DEPTS, encoding="utf-8-sig")
    (tmp_path / "company.csv").write_text("公司名称\n示例\n", encoding="utf-8")
    imp = import_files([str(tmp_path / n) for n in ("company.csv", "departments.csv", "roles.csv")])
    assert problems(imp) == []
    assert sorted(imp.result.handbook.roles) == ["gm", "sales"]
    assert imp.result.handbook.roles["gm"].department == "office"


def test_a_near_miss_name_in_a_reference_gets_a_did_you_mean(tmp_path):
    book = workbook(
        tmp_path / "hr.xlsx",
        ["岗位名称", "所属部门", "直接上级", "岗位职责"],
        [
            ["总经理", "总经办", None, "全面负责"],
            ["电销客服部经理", "销售部", "总经理", "带队"],
            ["电销客服", "销售部", "电销客服经理", "接电话"],
            ["文员", "销售部门", "总经理", "文书"],
        ],
    )
    imp = import_files([book])
    shown = imp.result.problems[0].source.path
    assert problems(imp) == [
        f"{shown}:岗位!C4: error[dangling-ref]: `reports_to` of role `dian-xiao-ke-fu`: "
        "no role has the id or name `电销客服经理`\n  hint: did you mean `电销客服部经理`?",
        f"{shown}:岗位!B5: error[dangling-ref]: `department` of role `wen-yuan`: "
        "no department has the id or name `销售部门`\n  hint: did you mean `销售部`?",
    ]


def test_a_row_pasted_twice_warns_naming_both_rows(tmp_path):
    book = workbook(
        tmp_path / "hr.xlsx",
        ["岗位名称", "岗位编号", "所属部门", "岗位职责"],
        [
            ["总经理", "GM-01", "总经办", "全面负责"],
            ["电销客服", "S-02", "销售部", "接电话"],
            ["电销客服", "S-02", "销售部", "接电话，回访"],  # pasted, then one cell edited
            ["销售员", None, "销售部", "销售"],
            ["销售员", None, "销售部", "销售"],  # pasted as it was
            ["助理", None, "总经办", "协助"],
            ["助理", None, "销售部", "协助"],  # the same title in another department: not a copy
        ],
    )
    imp = import_files([book])
    shown = imp.result.problems[0].source.path
    dup = [p for p in imp.result.problems if p.code is Code.DUPLICATE_ROW]
    assert [p.format() for p in dup] == [
        f"{shown}:岗位!A4: warning[duplicate-row]: this row repeats row 3 of sheet 岗位: the same `电销客服` (S-02)\n"
        f"  see {shown}:岗位!A3\n"
        "  hint: delete one of the two rows (a row pasted twice becomes two objects)",
        f"{shown}:岗位!A6: warning[duplicate-row]: this row repeats row 5 of sheet 岗位: the same `销售员`\n"
        f"  see {shown}:岗位!A5\n"
        "  hint: delete one of the two rows (a row pasted twice becomes two objects)",
    ]


def test_csv_cells_are_located_as_the_spreadsheet_shows_them(tmp_path):
    """Cells holding line breaks push the text lines down; HR sees the record number in Excel."""
    roles = (
        "标识,岗位名称,所属部门,直接上级,岗位职责\r\n"
        'gm,总经理,office,,"1、全面负责\n2、审批\n3、考核"\r\n'
        "sales,销售经理,office,总经里,带队\r\n"
    )
    (tmp_path / "岗位.csv").write_bytes(roles.encode("gb18030"))
    (tmp_path / "部门.csv").write_bytes(DEPTS.encode("gb18030"))
    (tmp_path / "公司.csv").write_bytes("公司名称\n示例\n".encode("gb18030"))
    imp = import_files([str(tmp_path / n) for n in ("公司.csv", "部门.csv", "岗位.csv")])
    (p,) = [p for p in imp.result.problems if p.code.value not in NOISE]
    shown = p.source.path
    assert p.format() == (
        f"{shown}:D3 (text line 5): error[dangling-ref]: `reports_to` of role `sales`: "
        "no role has the id or name `总经里`\n  hint: did you mean `总经理`?"
    )
    assert p.source.zh() == f"{shown} 第3行 「直接上级」列（文本第5行）"


def test_workbook_cells_in_chinese_name_sheet_cell_and_column(tmp_path):
    book = workbook(
        tmp_path / "hr.xlsx",
        ["岗位名称", "所属部门", "直接上级", "岗位职责"],
        [["总经理", "总经办", None, "全面负责"], ["文员", "总经办", "总经里", "文书"]],
    )
    imp = import_files([book])
    (p,) = [p for p in imp.result.problems if p.code.value not in NOISE]
    assert str(p.source) == f"{p.source.path}:岗位!C3"
    assert p.source.zh() == f"{p.source.path} 岗位!C3 「直接上级」列"


def test_a_misspelt_id_column_causes_no_cascade(tmp_path):
    """标识符 for 标识: the ids are not read, so every reference by id would dangle."""
    (tmp_path / "公司.csv").write_text("公司名称\n示例\n", encoding="utf-8")
    (tmp_path / "部门.csv").write_text("标识符,部门名称\noffice,总经办\nsales,销售部\n", encoding="utf-8")
    roles = "标识,岗位名称,所属部门,岗位职责\ngm,总经理,office,统筹\ns1,销售员,sales,销售\ns2,文员,nowhere,文书\n"
    (tmp_path / "岗位.csv").write_text(roles, encoding="utf-8")
    imp = import_files([str(tmp_path / n) for n in ("公司.csv", "部门.csv", "岗位.csv")])
    got = [(p.code.value, str(p.source).rsplit("/", 1)[1], p.hint) for p in imp.result.errors]
    assert got == [
        # a reference to nothing at all is still reported
        (
            "dangling-ref",
            "岗位.csv:C4",
            "write the id or the exact name of a department of the 部门 (departments) sheet",
        ),
        ("unknown-key", "部门.csv:A1", "did you mean `标识`?"),
    ]


def test_a_file_that_cannot_be_read_causes_no_cascade(tmp_path):
    (tmp_path / "公司.csv").write_text("公司名称\n示例\n", encoding="utf-8")
    (tmp_path / "部门.csv").write_bytes("标识,部门名称\noffice,总经办\n".encode() + "Café,x\n".encode("latin-1"))
    roles = "标识,岗位名称,所属部门,岗位职责\n" + "".join(f"r{i},岗位{i},office,做事\n" for i in range(20))
    (tmp_path / "岗位.csv").write_text(roles, encoding="utf-8")
    imp = import_files([str(tmp_path / n) for n in ("公司.csv", "部门.csv", "岗位.csv")])
    got = [(p.code.value, p.message, p.hint) for p in imp.result.errors]
    shown = imp.result.errors[0].source.path.rsplit("/", 1)[0]
    assert [g[0] for g in got] == ["dangling-ref", "encoding"]
    assert got[0][1].endswith("no department has the id `office` in the files that could be read (20 references)")
    assert got[0][2] == f"it may be defined in `{shown}/部门.csv`, which could not be read: fix that first"
