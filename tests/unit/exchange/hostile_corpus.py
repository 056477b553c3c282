"""A corpus of hostile and broken spreadsheets (and YAML), each with its exact expected outcome.

``python tests/unit/exchange/hostile_corpus.py DIR`` writes it; :func:`make` is what the tests
call. Each case is a file and the one line `handbook import` (or `handbook check`) must print
for it, with the exit status: a located error and exit 1 — no traceback, no memory
exhausted — or, for what must be read (a stray formatted cell, hidden list sheets), exit 0.
"""

from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "source" / "org"


@dataclass(frozen=True)
class Case:
    name: str  # the file (in the corpus folder)
    status: int  # exit status of `handbook import`
    line: str  # a line the output must hold exactly ("" for none)
    command: str = "import"


def _example_book(folder: Path) -> Path:
    from handbook.cli import main

    book = folder / "_example.xlsx"
    if not book.exists():
        assert main(["export", str(EXAMPLE), "--to", str(book)]) == 0
    return book


def _rezip(src: Path, dest: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change.get(info.filename, zin.read(info.filename)))
        for name, data in change.items():
            if name not in zin.namelist():
                zout.writestr(name, data)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
)


def make(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    book = _example_book(folder)
    cases: list[Case] = []
    from handbook.validate import check_dir

    hb = check_dir(str(EXAMPLE)).handbook
    assert hb is not None
    read_all = (
        f"read {len(hb.departments)} departments, {len(hb.roles)} roles, {len(hb.people)} people, "
        f"{len(hb.processes)} processes"
    )

    def add(name: str, status: int, line: str, command: str = "import") -> None:
        cases.append(Case(name, status, line, command))

    # -- exhaustion -----------------------------------------------------------------------------
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(folder / "strings-bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            if n != "xl/sharedStrings.xml":
                z.writestr(n, data)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            block = b"A" * (1 << 20)
            for _ in range(300):
                f.write(block)
            f.write(b"</t></si></sst>")
    add(
        "strings-bomb.xlsx",
        1,
        "strings-bomb.xlsx: error[io-error]: the workbook unpacks to 300 MiB, more than the 256 MiB a handbook's "
        "workbook may have",
    )
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    Workbook().save(folder / "_empty.xlsx")  # one sheet: the cells counted are all ours
    with zipfile.ZipFile(folder / "_empty.xlsx") as z:
        empty = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(folder / "many-cells.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in empty.items():
            if n != "xl/worksheets/sheet1.xml":
                z.writestr(n, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            row = b"<row>" + b"<c/>" * 1000 + b"</row>"
            for _ in range(2100):
                f.write(row)
            f.write(b"</sheetData></worksheet>")
    add(
        "many-cells.xlsx",
        1,
        "many-cells.xlsx: error[io-error]: the workbook holds 2,100,000 cells, more than the 2,000,000 a handbook's "
        "workbook may have",
    )
    wb = load_workbook(book)
    from openpyxl.styles import PatternFill

    wb["岗位"]["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")  # formatted, empty, at the very end
    wb.save(folder / "stray-cell.xlsx")
    add("stray-cell.xlsx", 0, read_all)
    merged = parts[sheet].replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="AA1:XFD1048576"/></mergeCells>', 1
    )
    _rezip(book, folder / "merged-sheet.xlsx", {sheet: merged})
    add(
        "merged-sheet.xlsx",
        1,
        "merged-sheet.xlsx: error[io-error]: the workbook's merged cells cover 17,152,606,207 cells, more than the "
        "2,000,000 a handbook's workbook may have",
    )

    # -- XML that is not a workbook's ------------------------------------------------------------
    _rezip(book, folder / "laughs.xlsx", {"xl/sharedStrings.xml": LAUGHS})
    add(
        "laughs.xlsx",
        1,
        "laughs.xlsx: error[io-error]: the workbook's part xl/sharedStrings.xml declares XML entities (<!DOCTYPE>), "
        "which no spreadsheet program writes; it is not read",
    )
    _rezip(book, folder / "external-entity.xlsx", {"xl/sharedStrings.xml": EXTERNAL})
    add(
        "external-entity.xlsx",
        1,
        "external-entity.xlsx: error[io-error]: the workbook's part xl/sharedStrings.xml declares XML entities "
        "(<!DOCTYPE>), which no spreadsheet program writes; it is not read",
    )
    _rezip(book, folder / "corrupt-part.xlsx", {sheet: parts[sheet][: len(parts[sheet]) // 2]})
    add(
        "corrupt-part.xlsx",
        1,
        "corrupt-part.xlsx: error[io-error]: not an .xlsx workbook that can be read (its XML is damaged)",
    )
    strict = parts["xl/workbook.xml"].replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    )
    _rezip(book, folder / "strict.xlsx", {"xl/workbook.xml": strict})
    add(
        "strict.xlsx",
        1,
        "strict.xlsx: error[io-error]: the workbook is saved as 'Strict Open XML Spreadsheet', which cannot be read",
    )

    # -- files that are something else ---------------------------------------------------------------
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    (folder / "encrypted.xlsx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2048)
    add(
        "encrypted.xlsx",
        1,
        "encrypted.xlsx: error[io-error]: the workbook is password-protected (encrypted), so it cannot be read",
    )
    (folder / "old.xlsx").write_bytes(ole + "Workbook".encode("utf-16-le") + b"\0" * 2048)
    add("old.xlsx", 1, "old.xlsx: error[io-error]: this is an old Excel 97-2003 workbook (.xls) with an .xlsx name")
    with zipfile.ZipFile(folder / "calc.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    add("calc.xlsx", 1, "calc.xlsx: error[io-error]: this is an OpenDocument spreadsheet (.ods), not an .xlsx workbook")
    (folder / "calc.ods").write_bytes((folder / "calc.xlsx").read_bytes())
    add("calc.ods", 1, "calc.ods: error[io-error]: an OpenDocument spreadsheet (.ods) is not read")
    (folder / "text.xlsx").write_text("标识,岗位名称\n", encoding="utf-8")
    add(
        "text.xlsx",
        1,
        "text.xlsx: error[io-error]: not an .xlsx workbook (it is not a zip file, as every .xlsx is)",
    )

    # -- cells ---------------------------------------------------------------------------------------
    wb = load_workbook(book)
    ws = wb["岗位"]
    col = next(c.column_letter for c in ws[1] if c.value == "岗位名称")
    ws[f"{col}3"] = '=A3&"经理"'  # openpyxl saves formulas without a value, as many generators do
    wb.save(folder / "formula.xlsx")
    add(
        "formula.xlsx",
        1,
        f'formula.xlsx:岗位!{col}3: error[bad-value]: the formula `=A3&"经理"` has no saved value (the file was '
        "written by a program that does not calculate)",
    )
    wb = load_workbook(book)
    lists = wb.create_sheet("下拉列表")
    for i, v in enumerate(("正式", "兼任", "代理"), 1):
        lists.cell(i, 1, v)
    lists.sheet_state = "hidden"
    wb.save(folder / "hidden-lists.xlsx")
    add("hidden-lists.xlsx", 0, read_all)

    # -- CSV -----------------------------------------------------------------------------------------
    big5 = "標識,崗位名稱,所屬部門,崗位職責\nzong-jing-li,總經理,總經辦,負責公司全面經營管理\n"
    (folder / "big5.csv").write_bytes(big5.encode("big5"))
    add(
        "big5.csv",
        1,
        "big5.csv:1:1: error[encoding]: the file looks like Big5 (Traditional Chinese), which is not read: only "
        "UTF-8, GB18030/GBK and UTF-16 are",
    )
    quote = 'id,title,department,responsibilities\na,总经理,gm,管理\nb,副总,gm,协助\nc,"秘书,gm,文书\nd,司机,gm,驾驶\ne,保洁,gm,清洁\n'
    (folder / "roles.csv").write_text(quote, encoding="utf-8")
    add(
        "roles.csv",
        1,
        "roles.csv:4:2: error[yaml-syntax]: the quote that opens cell 2 of line 4 is never closed: the rest of the "
        "file would be one cell",
    )

    # -- YAML ----------------------------------------------------------------------------------------
    org = folder / "laughs-org"
    org.mkdir(exist_ok=True)
    for p in EXAMPLE.iterdir():
        (org / p.name).write_bytes(p.read_bytes())
    lol = "    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    prev = "a"
    for n in "bcdefghi":
        lol += f"    {n}: &{n} [{', '.join([f'*{prev}'] * 10)}]\n"
        prev = n
    company = (org / "company.yaml").read_text(encoding="utf-8")
    company = company.replace("company:\n", "company:\n  extra:\n" + lol, 1)
    (org / "company.yaml").write_text(company, encoding="utf-8")
    # the anchor whose ninth repetition passes the limit: d (11,111 values each time)
    at = next(i for i, t in enumerate(company.splitlines(), 1) if t.startswith("    d: &d"))
    add(
        "laughs-org",
        1,
        f"laughs-org/company.yaml:{at}:8: error[yaml-syntax]: the aliases (*name) of this file repeat more than "
        "100,000 values (at this anchor, 11,111 each time): refused, as a 'billion laughs' file is",
        command="check",
    )
    return cases


if __name__ == "__main__":  # pragma: no cover - for looking at the files by hand
    for case in make(Path(sys.argv[1])):
        print(f"{case.name}: {case.status} {case.line}")
