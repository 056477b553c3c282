"""Cells other programs cannot run, and text as Excel really encodes it (issue 28, items 1-2).

* CSV cells starting with = + - @ tab CR are written with a leading apostrophe (OWASP), and
  `handbook import` removes exactly that apostrophe again;
* Excel's `_xHHHH_` escapes and CR LF in cells are read as the characters they stand for;
* control characters are removed, with a located `control-character` warning, wherever text
  enters (YAML, workbook, CSV), and an export never fails on them.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handbook.cli import main
from handbook.exchange import yaml_out as dump
from handbook.exchange.importing import import_files
from handbook.exchange.sheet_files import FORMULA_START, csv_neutralised, csv_restored
from handbook.problems import Code
from handbook.validate import check_dir
from handbook.validate.text_guard import decode_ooxml, encode_ooxml, without_controls

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "source" / "org"

PAYLOADS = {
    "陈国华": "=1+1",
    "李建明": "@SUM(1+9)*cmd|' /C calc'!A0",
    "张立军": "-2+3",
    "刘志强": "'=already quoted",
    "吴海涛": "+86 10 1234",
    "郑丽娟": "''@two apostrophes",
    "周志远": "'just an apostrophe",
}


def data(folder) -> dict:
    result = check_dir(str(folder))
    assert result.handbook is not None, [p.format() for p in result.errors]
    return dump.handbook(result.handbook)


def example_with(tmp_path: Path, replace: dict[str, str]) -> Path:
    org = tmp_path / "src"
    shutil.copytree(EXAMPLE, org)
    people = org / "people.yaml"
    text = people.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert f"name: {old}\n" in text
        text = text.replace(f"name: {old}\n", f"name: {new}\n")
    people.write_text(text, encoding="utf-8")
    return org


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'=x", "''=x", "'", "''", "'x", "", "a=b", "x'", "=", "'\t"],
)
def test_neutralising_a_csv_cell_is_undone_exactly(text):
    safe = csv_neutralised(text)
    assert csv_restored(safe) == text
    assert safe[:1] not in FORMULA_START or safe == ""
    if text[:1] in FORMULA_START:
        assert safe == "'" + text
    elif not text.lstrip("'")[:1] or text.lstrip("'")[0] not in FORMULA_START:
        assert safe == text  # nothing else changes


def test_csv_export_runs_nothing_and_imports_back_unchanged(tmp_path):
    src = example_with(tmp_path, {k: "'" + v.replace("'", "''") + "'" for k, v in PAYLOADS.items()})
    assert {p["name"] for p in data(src)["people"]} >= set(PAYLOADS.values())
    out = tmp_path / "csv"
    assert main(["export", str(src), "--to", str(out), "--format", "csv"]) == 0
    with (out / "people.csv").open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert not [c for c in cells if c[:1] in FORMULA_START]  # no cell a spreadsheet would run
    for payload in PAYLOADS.values():
        assert csv_neutralised(payload) in cells
    assert "'=1+1" in cells and "'@SUM(1+9)*cmd|' /C calc'!A0" in cells and "''=already quoted" in cells
    assert "'just an apostrophe" in cells  # not a formula: left as it is
    assert main(["import", *map(str, sorted(out.glob("*.csv"))), "--to", str(tmp_path / "org")]) == 0
    assert data(tmp_path / "org") == data(src)


def test_the_xlsx_export_has_no_apostrophes(tmp_path):
    src = example_with(tmp_path, {"陈国华": "'=1+1'"})
    book = tmp_path / "book.xlsx"
    assert main(["export", str(src), "--to", str(book)]) == 0
    ws = load_workbook(book)["人员"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "=1+1" in values and ws["B2"].data_type == "s"


# -- Excel's own encoding ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "text"),
    [
        ("line one_x000D_\nline two", "line one\r\nline two"),
        ("bell_x0007_", "bell\x07"),
        ("_x005F_x000D_ literally", "_x000D_ literally"),
        ("_x005f_x0041_", "_x0041_"),
        ("_x00_ not one", "_x00_ not one"),
        ("_xD800_", "\ud800"),
    ],
)
def test_ooxml_escapes(stored, text):
    assert decode_ooxml(stored) == text
    assert decode_ooxml(encode_ooxml(text)) == text


def test_control_characters_are_removed_and_named():
    assert without_controls("a\r\nb\rc\td") == ("a\nb\nc\td", "")
    assert without_controls("x\x07y\x1b\x00z\x85") == ("xyz", "U+0007")


def _example_book(tmp_path: Path) -> Path:
    book = tmp_path / "book.xlsx"
    assert main(["export", str(EXAMPLE), "--to", str(book)]) == 0
    return book


def _find(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def test_a_workbook_saved_by_excel_reads_as_text(tmp_path, monkeypatch):
    """Excel stores CR LF in a cell as `_x000D_` + LF, and a BEL pasted out of Word as `_x0007_`."""
    book = _example_book(tmp_path)
    wb = load_workbook(book)
    ws = wb["岗位"]
    duty, title, purpose = _find(ws, "岗位职责"), _find(ws, "岗位名称"), _find(ws, "岗位目的")
    ws.cell(2, duty).value = "负责公司全面经营管理_x000D_\n组织制定发展战略_x000D_\n"
    ws.cell(2, title).value = "总经理_x0007_"
    # (a title is a name other sheets refer to: the escaped text goes into the purpose)
    ws.cell(3, purpose).value = "协助总经理 _x005F_x000D_"
    wb.save(book)
    monkeypatch.chdir(tmp_path)
    imp = import_files(["book.xlsx"])
    assert imp.result.handbook is not None, [p.format() for p in imp.result.errors]
    roles = list(imp.result.handbook.roles.values())
    duties = [d for x in roles[0].responsibilities for d in getattr(x, "items", (x,))]
    texts = [d.text.get("zh_CN") for d in duties]
    assert texts[:2] == ["负责公司全面经营管理", "组织制定发展战略"]
    assert not any("_x000D_" in t or "\r" in t for t in texts)
    assert roles[0].title.get("zh_CN") == "总经理"
    assert roles[1].purpose.get("zh_CN") == "协助总经理 _x000D_"
    warnings = [p.format().split("\n")[0] for p in imp.result.problems if p.code is Code.CONTROL_CHARACTER]
    col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[title - 1]
    assert warnings == [
        f"book.xlsx:岗位!{col}2: warning[control-character]: the control character U+0007 was removed from this text"
    ]


def test_control_characters_in_csv_are_removed_with_their_place_and_export_works(tmp_path, monkeypatch):
    out = tmp_path / "csv"
    assert main(["export", str(EXAMPLE), "--to", str(out), "--format", "csv"]) == 0
    people = out / "people.csv"
    text = people.read_text(encoding="utf-8-sig")
    assert "陈国华" in text
    people.write_text(text.replace("陈国华", "陈\x07国\x1b华\x00"), encoding="utf-8-sig")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "陈国华" in t)
    org = tmp_path / "org"
    assert main(["import", *map(str, sorted(out.glob("*.csv"))), "--to", str(org)]) == 0
    assert "陈国华" in (org / "people.yaml").read_text(encoding="utf-8")
    monkeypatch.chdir(out)
    imp = import_files([p.name for p in sorted(out.glob("*.csv"))])
    assert [str(p.source) for p in imp.result.problems if p.code is Code.CONTROL_CHARACTER] == [
        f"people.csv:B{line}"
    ]  # column B of the row (Excel's)
    assert main(["export", str(org), "--to", str(tmp_path / "again.xlsx")]) == 0


def test_control_characters_in_yaml_escapes_are_removed_with_a_warning(tmp_path, monkeypatch):
    src = example_with(tmp_path, {"陈国华": '"陈国华\\a\\e\\0"'})
    monkeypatch.chdir(tmp_path)
    result = check_dir("src")
    assert result.handbook is not None
    found = [p.format() for p in result.problems if p.code is Code.CONTROL_CHARACTER]
    assert len(found) == 1 and found[0].startswith("src/people.yaml:4:11: warning[control-character]")
    assert "U+0007" in found[0]
    assert any(p.name.get("zh_CN") == "陈国华" for p in result.handbook.people)
    for target in ("x.xlsx", "x.json"):
        assert main(["export", str(src), "--to", str(tmp_path / target)]) == 0
    assert main(["export", str(src), "--to", str(tmp_path / "csv"), "--format", "csv"]) == 0


def test_text_that_looks_like_an_escape_survives_the_workbook(tmp_path):
    src = example_with(tmp_path, {"陈国华": "陈_x000D_国华"})
    book = tmp_path / "book.xlsx"
    assert main(["export", str(src), "--to", str(book)]) == 0
    assert main(["import", str(book), "--to", str(tmp_path / "org")]) == 0
    assert data(tmp_path / "org") == data(src)
