"""handbook import / export / template: spreadsheets in and out, exact round trips,
encodings, located errors, and what a new user's spreadsheets look like."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from handbook import model as m
from handbook.cli import main
from handbook.exchange import exporting as export
from handbook.exchange import yaml_out as dump
from handbook.exchange.import_ids import slug
from handbook.exchange.importing import import_files
from handbook.exchange.workbook_layout import SHEETS, decode_text, encode_text
from handbook.schema import KINDS
from handbook.validate import check_dir

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "source" / "org"
HOSTILE = ROOT / "tests" / "roots" / "test-hostile" / "org"


def data(folder) -> dict:
    result = check_dir(str(folder))
    assert result.handbook is not None, [p.format() for p in result.errors]
    return dump.handbook(result.handbook)


def errors(imp) -> list[str]:
    return [p.format() for p in imp.result.problems if p.is_error]


@pytest.fixture(scope="module")
def hostile_synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "org"
    subprocess.run(
        [sys.executable, "-m", "bench.make_org", "120", "--hostile", "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out


# -- round trips ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("which", ["example", "hostile-root", "hostile-synthetic"])
def test_export_then_import_gives_the_same_data(which, fmt, tmp_path, hostile_synthetic):
    src = {"example": EXAMPLE, "hostile-root": HOSTILE, "hostile-synthetic": hostile_synthetic}[which]
    target = tmp_path / ("book.xlsx" if fmt == "xlsx" else "csv")
    assert main(["export", str(src), "--to", str(target), "--format", fmt]) == 0
    files = [target] if fmt == "xlsx" else sorted(target.glob("*.csv"))
    assert main(["import", *map(str, files), "--to", str(tmp_path / "org")]) == 0
    assert data(tmp_path / "org") == data(src)
    # and the model objects themselves (every field, extra included via the data above)
    a, b = check_dir(str(src)).handbook, check_dir(str(tmp_path / "org")).handbook
    assert dict(a.roles) == dict(b.roles) and dict(a.departments) == dict(b.departments)
    assert a.people == b.people and dict(a.processes) == dict(b.processes) and a.company == b.company


def test_the_hostile_data_really_is_hostile(hostile_synthetic):
    """The round trip above is only worth something if the data holds what breaks cells."""
    text = repr(data(hostile_synthetic))
    for fragment in (
        "-->",
        "<script>",
        "line one\\nline two",
        "[link](x)",
        "# not a comment",
        "\\\\backslash",
        "|pipes|",
    ):
        assert fragment in text, fragment
    d = data(hostile_synthetic)
    assert isinstance(d["company"]["name"], dict)  # a bilingual text
    assert any(isinstance(r.get("headcount"), str) for r in d["roles"])  # ranges
    types = {a.get("type") for p in d["people"] for a in p.get("assignments", ())}
    assert {"concurrent", "acting"} <= types  # 兼任 / 代理


def test_the_example_workbook_reads_like_a_person_would_write_it(tmp_path):
    book = tmp_path / "book.xlsx"
    export.write_workbook(check_dir(str(EXAMPLE)).handbook, book)
    wb = load_workbook(book)
    assert wb.sheetnames[:5] == ["公司", "部门", "岗位", "人员", "流程"]
    roles = wb["岗位"]
    header = [c.value for c in roles[1]]
    assert header[:4] == ["标识", "岗位名称", "所属部门", "岗位编号"]
    row = next(r for r in roles.iter_rows(min_row=2, values_only=True) if r[0] == "materials-head")
    duties = row[header.index("岗位职责")]
    assert duties.splitlines()[0] == "一、及时采购，保证供应，降低采购成本，订立采购合同并组织实施"
    assert "【考核指标】每月25日前报出下月“材料采购计划”【频率】每月" in duties.splitlines()[1]
    assert row[header.index("岗位名称")] == "[zh_CN] 物资管理部部长 [en] Head of Materials Management"
    # references as the names HR reads (ids stay in the 标识 column, so re-importing is exact)
    assert row[0] == "materials-head" and row[header.index("所属部门")] == "物资管理部"
    people = wb["人员"]
    gao = next(r for r in people.iter_rows(min_row=2, values_only=True) if r[0] == "gao-feng")
    assert gao[2].splitlines() == [
        "系统分析员【任职日期】2020-03-02",
        "项目组组长【任职方式】兼任【任职日期】2021-01-04",
    ]


# -- the template ------------------------------------------------------------------------------------
def test_template_is_documented_and_imports_as_nothing(tmp_path):
    book = tmp_path / "book.xlsx"
    assert main(["template", str(book)]) == 0
    wb = load_workbook(book)
    assert wb.sheetnames == [s.zh for s in SHEETS] + ["说明"]
    roles = wb["岗位"]
    assert "任职人员" in [c.value for c in roles[1]]
    note = roles.cell(row=1, column=2).comment.text
    assert "岗位名称 / title" in note and "必填" in note
    helptext = [r for r in wb["说明"].iter_rows(values_only=True)]
    assert any(r[1] == "直接上级" and r[2] == "reports_to" for r in helptext)
    # empty: the validator's own message about the missing company, located in the workbook
    imp = import_files([str(book)])
    assert [p.code.value for p in imp.result.errors] == ["company-count"]
    # a second template never overwrites the first
    assert main(["template", str(book)]) == 1


def test_template_filled_in_imports(tmp_path):
    book = tmp_path / "book.xlsx"
    main(["template", str(book)])
    wb = load_workbook(book)
    wb["公司"].append(["示例科技有限公司"])
    wb["部门"].append([None, "总经办"])
    ws = wb["岗位"]
    header = [c.value for c in ws[1]]
    row = [None] * len(header)
    row[header.index("岗位名称")] = "总经理"
    row[header.index("所属部门")] = "总经办"
    row[header.index("岗位职责")] = (
        "一、经营管理\n主持公司全面工作【考核指标】年度目标达成率 100%【频率】每年\n审批重大事项"
    )
    row[header.index("任职人员")] = "王大明"
    ws.append(row)
    wb.save(book)
    assert main(["import", str(book), "--to", str(tmp_path / "org")]) == 0
    d = data(tmp_path / "org")
    assert d["departments"][0]["id"] == "zong-jing-ban"
    role = d["roles"][0]
    assert role["id"] == "zong-jing-li" and role["department"] == "zong-jing-ban"
    assert role["responsibilities"] == [
        {
            "title": "一、经营管理",
            "items": [{"text": "主持公司全面工作", "kpi": "年度目标达成率 100%", "frequency": "每年"}, "审批重大事项"],
        }
    ]
    assert d["people"] == [{"name": "王大明", "assignments": [{"role": "zong-jing-li"}]}]


# -- CSV encodings -------------------------------------------------------------------------------------
COMPANY_CSV = "公司名称,简称\n示例科技有限公司,示例科技\n"
DEPTS_CSV = "部门名称,隶属,部门负责人,部门职责\n总经办,,总经理,统筹公司经营\n销售部,总经办,销售经理,开拓市场\n"
ROLES_CSV = (
    "岗位名称,所属部门,直接上级,编制,任职人员,岗位职责,任职资格\n"
    "总经理,总经办,,1,王总,全面负责公司经营,本科\n"
    "销售经理,销售部,总经理,1,李四,带领销售团队,本科\n"
)


def write_csvs(folder: Path, encoding: str, bom: bool = False) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in (("公司.csv", COMPANY_CSV), ("部门.csv", DEPTS_CSV), ("岗位.csv", ROLES_CSV)):
        body = text.encode(encoding)
        (folder / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + body)
        out.append(str(folder / name))
    return out


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("gb18030", False), ("gbk", False)])
def test_csv_in_every_encoding_excel_saves(tmp_path, encoding, bom):
    imp = import_files(write_csvs(tmp_path, encoding, bom))
    assert errors(imp) == []
    d = dump.handbook(imp.result.handbook)
    assert d["company"]["name"] == "示例科技有限公司"
    assert [r["title"] for r in d["roles"]] == ["总经理", "销售经理"]
    assert d["roles"][1]["reports_to"] == "zong-jing-li"
    assert [p["name"] for p in d["people"]] == ["王总", "李四"]


def test_csv_in_no_known_encoding_is_an_error_naming_the_line(tmp_path):
    (tmp_path / "岗位.csv").write_bytes("岗位名称,所属部门\n".encode() + "Café,x\n".encode("latin-1"))
    imp = import_files([str(tmp_path / "岗位.csv")])
    assert [p.format().splitlines()[0] for p in imp.result.errors] == [
        f"{imp.result.errors[0].source.path}:2:1: error[encoding]: line 2 cannot be read as UTF-8 (byte 0xe9); "
        "the file is neither UTF-8 nor GB18030/GBK"
    ]


def test_a_utf8_file_with_one_gbk_line_is_not_read_as_mojibake(tmp_path):
    body = "岗位名称,所属部门\n总经理,总经办\n".encode() + "销售经理,销售部\n".encode("gbk")
    (tmp_path / "roles.csv").write_bytes(body)
    imp = import_files([str(tmp_path / "roles.csv")])
    assert [(p.code.value, p.source.line) for p in imp.result.errors] == [("encoding", 3)]


# -- located errors ---------------------------------------------------------------------------------------
def test_bad_rows_are_located_errors_all_in_one_run(tmp_path):
    book = tmp_path / "book.xlsx"
    wb = Workbook()
    wb.active.title = "公司"
    wb["公司"].append(["公司名称"])
    wb["公司"].append(["示例"])
    ws = wb.create_sheet("部门")
    ws.append(["标识", "部门名称"])
    ws.append(["office", "总经办"])
    ws = wb.create_sheet("岗位")
    ws.append(["标识", "岗位名称", "所属部门", "编制", "直接上极", "岗位职责"])
    ws.append(["gm", "总经理", "office", "1", None, "负责全面工作"])
    ws.append(["Bad Id", "副总", "office", "x人", None, "协助"])
    ws.append(["clerk", "文员", "nowhere", "2", None, None])
    wb.save(book)
    imp = import_files([str(book)])
    shown = imp.result.problems[0].source.path
    got = [p.format() for p in imp.result.errors]
    assert got == [
        f"{shown}:岗位!E1: error[unknown-key]: unknown column `直接上极` in sheet 岗位\n  hint: did you mean `直接上级`?",
        f"{shown}:岗位!A3: error[bad-id]: `Bad Id` is not a valid role id\n"
        "  hint: ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `bad-id`",
        f"{shown}:岗位!D3: error[bad-value]: `headcount` `x人` is not a headcount\n"
        '  hint: write a number such as `3`, a range such as `"5-10"`, or `若干` for an open headcount',
        f"{shown}:岗位!C4: error[dangling-ref]: `department` of role `clerk`: no department has the id or name `nowhere`\n"
        "  hint: write the id or the exact name of a department of the 部门 (departments) sheet",
        f"{shown}:岗位!F4: error[bad-value]: the `responsibilities` of role `clerk` are empty\n"
        "  hint: a role needs at least one duty",
    ]
    assert main(["import", str(book), "--to", str(tmp_path / "org")]) == 1
    assert not (tmp_path / "org").exists()  # checked before anything is written


def test_csv_errors_are_line_and_column(tmp_path):
    (tmp_path / "roles.csv").write_text("id,title,department,responsibilities\nx,X,nowhere,do\n", encoding="utf-8")
    imp = import_files([str(tmp_path / "roles.csv")])
    dangling = [p for p in imp.result.errors if p.code.value == "dangling-ref"]
    assert [str(p.source) for p in dangling] == [f"{dangling[0].source.path}:C2"]
    assert [p.source.zh() for p in dangling] == [f"{dangling[0].source.path} 第2行 「department」列"]


# -- a new company's spreadsheets ----------------------------------------------------------------------------
def new_company_workbook(path: Path) -> None:
    """What HR sends: a title row above merged two-level headers, no ids, titles as
    references, a department merged down its roles' rows, an empty sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称", "简称"])
    ws.append(["华南示例有限公司", "华南示例"])
    ws = wb.create_sheet("部门")
    ws.append(["部门名称", "隶属", "部门负责人"])
    ws.append(["总经办", None, "总经理"])
    ws.append(["销售部", "总经办", "销售经理"])
    ws.append(["技术部", "总经办", "技术经理"])
    ws = wb.create_sheet("岗位")
    ws.append(["华南示例有限公司 岗位编制表（2024 年）"])
    ws.merge_cells("A1:H1")
    ws.append(["岗位名称", "所属部门", "直接上级", "编制", "岗位职责", "任职资格", None, "任职人员"])
    ws.append([None, None, None, None, None, "学历", "工作经验", None])
    for col in "ABCDEH":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("F2:G2")
    ws.append(["总经理", "总经办", None, 1, "全面负责", "本科", "10 年", "王总"])
    ws.append(["销售经理", "销售部", "总经理", 1, "带领团队", "本科", "5 年", "李四"])
    ws.append(["助理", None, "销售经理", 2, "协助经理", "大专", None, "张三\n赵六【任职方式】兼任"])
    ws.merge_cells("B5:B6")  # 销售部 merged down its two roles
    ws.append(["技术经理", "技术部", "总经理", 1, "负责技术", "本科", None, None])
    ws.append(["助理", "技术部", "技术经理", "1-2", "协助技术经理", "大专", None, None])
    wb.create_sheet("流程")  # empty
    wb.save(path)


def test_a_new_companys_workbook(tmp_path):
    book = tmp_path / "hr.xlsx"
    new_company_workbook(book)
    imp = import_files([str(book)])
    assert errors(imp) == []
    d = dump.handbook(imp.result.handbook)
    roles = {r["id"]: r for r in d["roles"]}
    assert list(roles) == [
        "zong-jing-li",
        "xiao-shou-jing-li",
        "xiao-shou-bu-zhu-li",
        "ji-shu-jing-li",
        "ji-shu-bu-zhu-li",
    ]
    assert roles["xiao-shou-bu-zhu-li"]["department"] == "xiao-shou-bu"  # the merged cell
    assert roles["xiao-shou-bu-zhu-li"]["reports_to"] == "xiao-shou-jing-li"
    assert roles["ji-shu-bu-zhu-li"]["headcount"] == "1-2"
    assert roles["zong-jing-li"]["qualifications"] == {"education": "本科", "experience": "10 年"}
    assert d["people"][-1] == {"name": "赵六", "assignments": [{"role": "xiao-shou-bu-zhu-li", "type": "concurrent"}]}


def test_a_duplicate_title_as_a_reference_lists_the_candidates(tmp_path):
    book = tmp_path / "hr.xlsx"
    new_company_workbook(book)
    wb = load_workbook(book)
    ws = wb["岗位"]
    ws.append(["实习生", "总经办", "助理", 1, "学习", "本科", None, None])
    wb.save(book)
    imp = import_files([str(book)])
    shown = imp.result.problems[0].source.path
    assert errors(imp) == [
        f"{shown}:岗位!C9: error[dangling-ref]: `reports_to`: `助理` names 2 roles: "
        f"`xiao-shou-bu-zhu-li` ({shown}:岗位!A6), `ji-shu-bu-zhu-li` ({shown}:岗位!A8)\n"
        f"  see {shown}:岗位!A6\n  see {shown}:岗位!A8\n"
        "  hint: write the id of the one you mean, e.g. `xiao-shou-bu-zhu-li`"
    ]


def test_ids_stay_the_same_when_importing_again(tmp_path):
    book = tmp_path / "hr.xlsx"
    new_company_workbook(book)
    org = tmp_path / "org"
    assert main(["import", str(book), "--to", str(org)]) == 0
    first = data(org)
    # HR sorts the rows differently and adds a role: the existing ids are kept
    wb = load_workbook(book)
    ws = wb["岗位"]
    ws.append(["出纳", "总经办", "总经理", 1, "管理现金", "大专", None, None])
    wb.save(book)
    assert main(["import", str(book), "--to", str(org), "--force"]) == 0
    second = data(org)
    ids = lambda d: {(r["title"], r["department"]): r["id"] for r in d["roles"]}  # noqa: E731
    assert ids(second) == {**ids(first), ("出纳", "zong-jing-ban"): "chu-na"}


def test_import_into_a_folder_with_data_shows_changes_and_keeps_a_backup(tmp_path, capsys):
    org = tmp_path / "org"
    assert main(["export", str(EXAMPLE), "--to", str(tmp_path / "book.xlsx")]) == 0
    wb = load_workbook(tmp_path / "book.xlsx")
    ws = wb["岗位"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "purchaser":
            row[header.index("编制")].value = 4
    people = wb["人员"]
    people.delete_rows(next(r[0].row for r in people.iter_rows(min_row=2) if r[0].value == "gao-feng"))
    wb.save(tmp_path / "book.xlsx")
    import shutil

    shutil.copytree(EXAMPLE, org)
    before = {p.name: p.read_bytes() for p in org.iterdir()}
    capsys.readouterr()
    assert main(["import", str(tmp_path / "book.xlsx"), "--to", str(org)]) == 1
    out = capsys.readouterr().out
    assert "  ~ role `purchaser` 采购提料员: headcount" in out
    assert "  - person `gao-feng` 高峰" in out
    assert {p.name: p.read_bytes() for p in org.iterdir()} == before  # nothing written without --force
    assert main(["import", str(tmp_path / "book.xlsx"), "--to", str(org), "--force"]) == 0
    assert not (org / "_backup").exists()  # the backup is beside the data folder, not in it
    backups = list((tmp_path / "_backup" / "org").iterdir())
    assert len(backups) == 1
    backed = {p.name: p.read_bytes() for p in backups[0].iterdir()}
    # a file that already held its data is left as it was (not rewritten, so not backed up)
    kept = {n for n in before if n not in backed}
    assert kept == {n for n in kept if (org / n).read_bytes() == before[n]}
    assert backed == {n: b for n, b in before.items() if n not in kept} and "people.yaml" in backed
    assert "gao-feng" not in {p.get("id") for p in data(org)["people"]}


def test_export_never_overwrites_without_force(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_text("HR's own file")
    assert main(["export", str(EXAMPLE), "--to", str(target)]) == 1
    assert target.read_text() == "HR's own file"


def test_unknown_sheets_and_columns_have_hints(tmp_path):
    book = tmp_path / "b.xlsx"
    wb = Workbook()
    wb.active.title = "岗为"
    wb["岗为"].append(["岗位名称"])
    wb["岗为"].append(["x"])
    wb.create_sheet("统计")
    wb.save(book)
    imp = import_files([str(book)])
    msgs = [(p.message, p.hint) for p in imp.result.errors if p.code.value == "unknown-key"]
    assert msgs == [("unknown sheet `岗为`", "did you mean `岗位`?")]  # the empty 统计 sheet is ignored


# -- cells ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "[x](y)",
        "# not a comment",
        "一、不是分组",
        "a\\nb",
        "\\backslash\\",
        "line one\nline two",
        "a【考核指标】b",
        "[en] not a language",
    ],
)
def test_cell_text_round_trip(text):
    t = m.Text.plain(text)
    for line in (False, True):
        assert decode_text(encode_text(t, line)) == text


def test_slug_is_pinyin():
    assert slug("研发经理") == "yan-fa-jing-li"
    assert slug("IQC 工程师") == "iqc-gong-cheng-shi"
    assert slug("<script>") == "script"


def test_columns_come_from_the_schema():
    roles = next(s for s in SHEETS if s.key == "roles")
    role_keys = {c.path[0].key for c in roles.columns if not c.reverse}
    assert role_keys == set(KINDS["role"].keys())
    assert {c.zh for c in roles.columns} >= {f.zh for f in KINDS["role"].fields if f.type != "object"}


def test_json_export(tmp_path):
    assert main(["export", str(EXAMPLE), "--to", str(tmp_path / "hb.json")]) == 0
    d = json.loads((tmp_path / "hb.json").read_text(encoding="utf-8"))
    assert d["schema_version"] == export.SCHEMA_VERSION
    roles = {r["id"]: r for r in d["roles"]}
    head = roles["materials-head"]
    assert head["url"] == "roles/materials-head.html"
    assert set(head["reports"]) >= {"materials-assistant", "purchaser"}
    assert head["staffing"]["headcount"] == 1 and head["staffing"]["filled"] == 1
    assert head["holders"][0]["name"] and head["holders"][0]["type"] == "primary"
    depts = {x["id"]: x for x in d["departments"]}
    assert "materials-head" in depts["materials"]["roles"]
    assert depts["rd"]["sub_departments"]
    assert main(["export", str(EXAMPLE), "--to", str(tmp_path / "anon.json"), "--no-people"]) == 0
    anon = json.loads((tmp_path / "anon.json").read_text(encoding="utf-8"))
    assert "people" not in anon and all("holders" not in r for r in anon["roles"])


def test_a_translated_duty_round_trips(tmp_path):
    book = tmp_path / "book.xlsx"
    main(["template", str(book)])
    wb = load_workbook(book)
    wb["公司"].append(["示例"])
    wb["部门"].append(["office", "总经办"])
    header = [c.value for c in wb["岗位"][1]]
    row = [None] * len(header)
    row[header.index("岗位名称")], row[header.index("所属部门")] = "总经理", "office"
    row[header.index("岗位职责")] = "[zh_CN] 全面负责 [en] Runs the company\n[zh_CN] 审批 [en] Approves【频率】每月"
    wb["岗位"].append(row)
    wb.save(book)
    assert main(["import", str(book), "--to", str(tmp_path / "org")]) == 0
    duties = data(tmp_path / "org")["roles"][0]["responsibilities"]
    assert duties == [
        {"text": {"zh_CN": "全面负责", "en": "Runs the company"}},
        {"text": {"zh_CN": "审批", "en": "Approves"}, "frequency": "每月"},
    ]
    assert main(["export", str(tmp_path / "org"), "--to", str(tmp_path / "again.xlsx")]) == 0
    assert main(["import", str(tmp_path / "again.xlsx"), "--to", str(tmp_path / "org2")]) == 0
    assert data(tmp_path / "org2") == data(tmp_path / "org")
