"""Problems in the user's language, in the workbook's terms (issue 24): zh_CN when the project's
language or the locale is Chinese, en otherwise; a spreadsheet's problems name the column HR
sees and the cell syntax HR types, ``handbook check`` on YAML keeps ``file:line:col``."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from handbook.cli import main
from handbook.exchange.importing import import_files
from handbook.problem_words import format_problem, message_language


def book(path: Path) -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称", "实施日期", "须有主管部门的条款"])
    ws.append(["示例", "2021-05", "4.1"])
    ws = wb.create_sheet("部门")
    ws.append(["部门名称", "部门职能"])
    ws.append(["总经办", "统筹"])
    ws = wb.create_sheet("岗位")
    ws.append(["岗位名称", "所属部门", "直接上级", "岗位职责", "工作权限", "任职资格"])
    ws.append(["总经理", "总经办", None, "全面负责", "审批", "本科"])
    ws.append(["文员", "总经办", "总经里", "文书", "用印", "大专"])
    ws = wb.create_sheet("人员")
    ws.append(["姓名", "任职"])
    ws.append(["王总", "总经理【任职日期】下个月"])
    wb.save(path)
    return str(path)


def test_the_workbooks_problems_in_chinese(tmp_path):
    imp = import_files([book(tmp_path / "hr.xlsx")])
    f = imp.result.problems[0].source.path
    assert [format_problem(p, "zh_CN") for p in imp.result.problems] == [
        f"{f} 人员!B2 「任职」列: 错误[bad-value]: 【任职日期】「下个月」不是日期\n"
        "  提示：日期可以写成 2024-03-01、2024/3/1、2024.3.1 或 2024年3月1日",
        f"{f} 公司!A2 「公司名称」列: 警告[clause-unassigned]: ISO 9001 条款 4.1（理解组织及其环境）没有主管部门\n"
        "  提示：在主管部门的某条「部门职责」或其负责人岗位的「岗位职责」后写【对应条款】4.1，"
        "或在「质量职能分配」工作表中为该条款指定主管部门",
        f"{f} 公司!B2 「实施日期」列: 错误[bad-value]: 「实施日期」「2021-05」只写了年月，缺少日\n  提示：请写到日，例如 2021-05-01",
        f"{f} 岗位!C3 「直接上级」列: 错误[dangling-ref]: 岗位 `wen-yuan` 的「直接上级」：没有标识或名称为「总经里」的岗位\n"
        "  提示：是不是 `总经理`？",
        f"{f} 部门!B1: 错误[unknown-key]: 工作表「部门」没有「部门职能」这一列\n  提示：是不是 `部门职责`？",
    ]


def test_the_workbooks_problems_in_english_use_the_columns_hr_sees(tmp_path):
    imp = import_files([book(tmp_path / "hr.xlsx")])
    f = imp.result.problems[0].source.path
    assert [format_problem(p, "en") for p in imp.result.errors][:3] == [
        f"{f}:人员!B2: error[bad-value]: 【任职日期】 `下个月` is not a date\n"
        "  hint: write dates as YYYY-MM-DD, e.g. 2024-03-01",
        f"{f}:公司!B2: error[bad-value]: `实施日期` `2021-05` is a month, not a date\n"
        "  hint: write the day too, e.g. `2021-05-01`",
        f"{f}:岗位!C3: error[dangling-ref]: `直接上级` of role `wen-yuan`: no role has the id or name `总经里`\n"
        "  hint: did you mean `总经理`?",
    ]


def test_a_clause_without_a_lead_says_what_hr_types(tmp_path):
    path = Path(book(tmp_path / "hr.xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["公司"]["B2"] = "2021-05-01"
    wb["岗位"]["C3"] = "总经理"
    wb["人员"]["B2"] = "总经理"
    wb["部门"]["B1"] = "部门职责"
    wb.save(path)
    imp = import_files([str(path)])
    (p,) = [p for p in imp.result.problems if p.code.value == "clause-unassigned"]
    assert imp.result.errors == []
    assert format_problem(p, "en").split("\n  hint: ")[1] == (
        "write `【对应条款】4.1` after a duty of the lead department (部门职责) or of its head's post (岗位职责), "
        "or give the clause a lead department in the 质量职能分配 sheet"
    )
    assert format_problem(p, "zh_CN").split("\n  提示：")[1] == (
        "在主管部门的某条「部门职责」或其负责人岗位的「岗位职责」后写【对应条款】4.1，或在「质量职能分配」工作表中为该条款指定主管部门"
    )


def test_the_language_is_the_projects_else_the_locales():
    assert message_language("zh_CN", {}) == "zh_CN"
    assert message_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert message_language(None, {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert message_language(None, {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert message_language(None, {}) == "en"


def test_import_prints_in_the_locales_language(tmp_path, monkeypatch, capsys):
    path = book(tmp_path / "hr.xlsx")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["import", path, "--to", str(tmp_path / "org")]) == 1
    out = capsys.readouterr().out
    assert (
        "岗位!C3 「直接上级」列: 错误[dangling-ref]: 岗位 `wen-yuan` 的「直接上级」：没有标识或名称为「总经里」的岗位"
        in out
    )
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["import", path, "--to", str(tmp_path / "org")]) == 1
    assert ":岗位!C3: error[dangling-ref]: `直接上级` of role `wen-yuan`" in capsys.readouterr().out


def test_check_on_yaml_keeps_file_line_col_and_yaml_words(tmp_path, monkeypatch, capsys):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(
        "company: {name: X}\ndepartments: [{id: d, name: D}]\n"
        "roles: [{id: r, title: R, department: d, reports_to: nobody, responsibilities: [x], authority: [y]}]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "org"]) == 1
    out = capsys.readouterr().out
    assert "org/a.yaml:3:54: 错误[dangling-ref]: 岗位 `r` 的`reports_to`：没有标识为「nobody」的岗位" in out


def test_missing_and_bad_values_name_the_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "公司"
    ws.append(["公司名称"])
    ws.append(["示例"])
    ws = wb.create_sheet("部门")
    ws.append(["部门名称"])
    ws.append(["总经办"])
    ws = wb.create_sheet("岗位")
    ws.append(["标识", "岗位名称", "所属部门", "编制", "岗位职责", "工作权限", "任职资格"])
    ws.append(["gm", None, "总经办", "x人", "负责", "审批", "本科"])
    ws.append(["clerk", "文员", "总经办", -1, "文书", "审批", "本科"])
    wb.save(tmp_path / "b.xlsx")
    imp = import_files([str(tmp_path / "b.xlsx")])
    f = imp.result.problems[0].source.path
    assert [format_problem(p, "zh_CN") for p in imp.result.errors] == [
        f"{f} 岗位!B2 「岗位名称」列: 错误[missing-field]: 岗位 `gm` 没有填写「岗位名称」\n  提示：「岗位名称」必须填写",
        f"{f} 岗位!D2 「编制」列: 错误[bad-value]: 「编制」「x人」不是编制人数\n"
        "  提示：请填写数字（如 3）、范围（如 5-10），编制不定时填写“若干”",
        f"{f} 岗位!D3 「编制」列: 错误[bad-value]: 「编制」不能是负数",
    ]
    assert format_problem(imp.result.errors[0], "en") == (
        f"{f}:岗位!B2: error[missing-field]: role `gm` has no `岗位名称`\n  hint: `岗位名称` is required"
    )


def test_every_translation_uses_only_its_templates_placeholders():
    import string

    from handbook.i18n import translate
    from handbook.problem_words import HINTS, MESSAGES, SHEET_HINTS

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for template in (*MESSAGES, *HINTS):
        said = translate(template, "zh_CN")
        assert said != template and fields(said) <= fields(template), template
    for template, sheet in SHEET_HINTS.items():
        assert fields(sheet) <= fields(template) and fields(translate(sheet, "zh_CN")) <= fields(template), sheet
