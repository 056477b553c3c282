"""Spreadsheet files: reading .xlsx (openpyxl) and CSV into located cells, writing them back.

What a table *means* is :mod:`handbook.sheets`' (the layout) and :mod:`handbook.importer`'s
(rows -> data); this module only knows files:

* an .xlsx workbook: every sheet, merged cells filled with their value (a department
  merged down the rows of its roles applies to each row), formulas read as their values;
* a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
  else GB18030 (which includes GBK, what Excel on Chinese Windows saves); a file that is
  none of them is an error naming the line — never mojibake;
* every cell remembers where it is: ``book.xlsx:岗位!D12`` or ``roles.csv:12:4``.

No Sphinx imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.problems import Code, Problem, Source
from handbook.validate.text_guard import decode_ooxml, encode_ooxml, removed_message, without_controls

#: what makes a spreadsheet program read a CSV cell as a formula (OWASP "CSV injection"): such a
#: cell is written with a leading apostrophe, and the apostrophe is removed again on import
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_neutralised(text: str) -> str:
    """A text as a CSV cell no program runs: ``=1+1`` -> ``'=1+1``. A text that already starts
    with apostrophes before such a character gets one more, so :func:`csv_restored` is exact."""
    rest = text.lstrip("'")
    return "'" + text if rest[:1] and rest[0] in FORMULA_START else text


def csv_restored(text: str) -> str:
    """The reverse of :func:`csv_neutralised`: one apostrophe removed where it would have added one."""
    if text[:1] == "'":
        rest = text.lstrip("'")
        if rest[:1] and rest[0] in FORMULA_START:
            return text[1:]
    return text


def _clean(value: Any, source: Source, problems: list[Problem]) -> Any:
    """A cell's text without control characters (each removal a located warning)."""
    if not isinstance(value, str):
        return value
    text, removed = without_controls(value)
    if removed:
        problems.append(Problem(source, Code.CONTROL_CHARACTER, *removed_message(removed)))
    return text


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(max(column, 1))


@dataclass(frozen=True, slots=True)
class CellSource(Source):
    """A cell of a workbook: shown as ``book.xlsx:岗位!D12``; in Chinese ``book.xlsx 岗位!D12 「直接上级」列``."""

    sheet: str = ""
    header: str = ""  # the column's header as the sheet shows it, once the header row is known

    def __str__(self) -> str:
        if not self.line:
            return f"{self.path}:{self.sheet}" if self.sheet else self.path
        return f"{self.path}:{self.sheet}!{_letter(self.column)}{self.line}"

    def zh(self) -> str:
        if not self.line:
            return f"{self.path} 工作表「{self.sheet}」" if self.sheet else self.path
        cell = f"{self.path} {self.sheet}!{_letter(self.column)}{self.line}"
        return cell + (f" 「{self.header}」列" if self.header else "")


@dataclass(frozen=True, slots=True)
class CsvSource(Source):
    """A cell of a CSV file, located as a spreadsheet shows it: ``line`` is the record (Excel's
    row, the header being row 1), ``text_line`` the line of the text file it starts on, which is
    further down when cells above hold line breaks. Shown as ``岗位.csv:D7`` (``岗位.csv:D7 (text
    line 23)`` when they differ); in Chinese ``岗位.csv 第7行 「直接上级」列``."""

    text_line: int = 0
    header: str = ""

    def __str__(self) -> str:
        if not self.line:
            return self.path
        at = f"{self.path}:{_letter(self.column)}{self.line}"
        return at + (f" (text line {self.text_line})" if self.text_line and self.text_line != self.line else "")

    def zh(self) -> str:
        if not self.line:
            return self.path
        at = f"{self.path} 第{self.line}行 " + (f"「{self.header}」列" if self.header else f"第{self.column}列")
        return at + (f"（文本第{self.text_line}行）" if self.text_line and self.text_line != self.line else "")


@dataclass
class Cell:
    value: Any  # str, int, float, bool, datetime/date, or None
    source: Source

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def text(self) -> str:
        """The cell as text: numbers without a trailing ``.0``, dates as YYYY-MM-DD."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v)


@dataclass
class Table:
    """One sheet of a workbook or one CSV file: its name and its rows of cells."""

    name: str  # the sheet's name, or the CSV file's name without suffix
    path: str  # the file, as messages show it
    rows: list[list[Cell]]
    source: Source  # the sheet (or file) itself
    #: cells covered by a merged range (not its first cell) -> the (row, column) of its first cell
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    hidden: bool = False  # a hidden sheet (an unknown one is ignored: drop-down lists)


# -- reading ---------------------------------------------------------------------------------
def read_xlsx(path: str | os.PathLike[str], shown: str) -> tuple[list[Table], list[Problem]]:
    """A workbook's sheets; what it really is and its size are checked first (:mod:`.workbook_guard`)."""
    from handbook.exchange import workbook_guard

    looked = workbook_guard.inspect(path, shown)
    if looked.problems:
        return [], looked.problems
    wb, problem = _load(path, shown, data_only=True)
    if wb is None:
        return [], [problem]
    # formulas: their saved values are read; one without a value is named, not read as empty
    formulas = _load(path, shown, data_only=False)[0] if looked.formula_parts else None
    tables = []
    problems: list[Problem] = []
    for ws in wb.worksheets:
        grid: dict[tuple[int, int], Any] = {}
        # the written cells only: iter_rows() would visit every cell up to a stray formatted one at XFD1048576
        for (r, col), c in ws._cells.items():
            if c.value is not None:
                v = c.value
                if isinstance(v, str):
                    v = _clean(decode_ooxml(v), CellSource(shown, r, col, ws.title), problems)
                grid[(r, col)] = _month_kept(v, c.number_format)
        if formulas is not None and ws.title in formulas.sheetnames:
            for (r, col), c in formulas[ws.title]._cells.items():
                if isinstance(c.value, str) and c.value.startswith("=") and (r, col) not in grid:
                    problems.append(
                        Problem(
                            CellSource(shown, r, col, ws.title),
                            Code.BAD_VALUE,
                            f"the formula `{c.value[:60]}` has no saved value (the file was written by a program "
                            "that does not calculate)",
                            "open the workbook in Excel or LibreOffice and save it, so the values are stored; "
                            "or paste the values",
                        )
                    )
        nrows = max((r for r, _ in grid), default=0)
        ncols = max((c for _, c in grid), default=0)
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            top = grid.get((rng.min_row, rng.min_col))
            for r in range(rng.min_row, min(rng.max_row, nrows) + 1):  # within the written cells only
                for col in range(rng.min_col, min(rng.max_col, ncols) + 1):
                    if (r, col) != (rng.min_row, rng.min_col):
                        covered[(r, col)] = (rng.min_row, rng.min_col)
                        if top is not None and col == rng.min_col:
                            grid[(r, col)] = top  # filled down its first column; across, it stays one cell
        rows = [
            [Cell(grid.get((r, c)), CellSource(shown, r, c, ws.title)) for c in range(1, ncols + 1)]
            for r in range(1, nrows + 1)
        ]
        table = Table(ws.title, shown, rows, CellSource(shown, 0, 0, ws.title), covered)
        table.hidden = ws.sheet_state != "visible"
        tables.append(table)
    return tables, problems


def _load(path: str | os.PathLike[str], shown: str, data_only: bool) -> tuple[Any, Problem]:
    """openpyxl's workbook, or the one line that says why it cannot be read."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=data_only), None  # type: ignore[return-value]
    except OSError as exc:
        return None, Problem(Source(shown), Code.IO_ERROR, f"cannot read file: {exc.strerror or exc}")
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError) as exc:
        what = "its XML is damaged" if isinstance(exc, ParseError) else str(exc) or type(exc).__name__
        return None, Problem(
            Source(shown),
            Code.IO_ERROR,
            f"not an .xlsx workbook that can be read ({what})",
            "save it from Excel as 'Excel Workbook (*.xlsx)', or as CSV",
        )
    except Exception as exc:  # a part openpyxl cannot make sense of: one line, never a traceback
        return None, Problem(
            Source(shown),
            Code.IO_ERROR,
            f"the workbook cannot be read ({type(exc).__name__}: {exc})",
            "save it again from Excel as 'Excel Workbook (*.xlsx)', or as CSV",
        )


def _month_kept(value: Any, number_format: str) -> Any:
    """2021-05 typed in Excel is stored as 2021-05-01 shown as a month (``yyyy-mm``, ``yyyy"年"m"月"``,
    ``mmm-yy``): read back as the month it shows."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        fmt = re.sub(r'"[^"]*"|\[[^]]*\]|\\.', "", str(number_format or "")).lower()
        if "y" in fmt and "m" in fmt and "d" not in fmt and "h" not in fmt and "s" not in fmt:
            from handbook.validate.dates import Month

            return Month(value.year, value.month)
    return value


def decode_csv(data: bytes, shown: str) -> tuple[str | None, str, list[Problem]]:
    """The text of a CSV file and the encoding it was read in, or a problem naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            return None, "", [_bad_bytes(data, exc, shown, "UTF-16")]
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if body is not data else "utf-8", []
    except UnicodeDecodeError as utf8:
        bad_utf8 = utf8
    if body is not data:  # a BOM says UTF-8: do not guess further
        return None, "", [_bad_bytes(body, bad_utf8, shown, "UTF-8")]
    # valid UTF-8 with Chinese before the first bad byte: a UTF-8 file with a broken line,
    # which GB18030 would "decode" into mojibake
    if any(b >= 0x80 for b in body[: bad_utf8.start]):
        return None, "", [_bad_bytes(body, bad_utf8, shown, "UTF-8")]
    if _looks_like_big5(body):
        return (
            None,
            "",
            [
                Problem(
                    Source(shown, 1, 1),
                    Code.ENCODING,
                    "the file looks like Big5 (Traditional Chinese), which is not read: only UTF-8, GB18030/GBK "
                    "and UTF-16 are",
                    "save it from Excel as 'CSV UTF-8 (comma delimited)' (or as .xlsx)",
                )
            ],
        )
    try:
        return body.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError as gb:
        worst = gb if gb.start >= bad_utf8.start else bad_utf8
        return None, "", [_bad_bytes(body, worst, shown, "GB18030" if worst is gb else "UTF-8")]


def _looks_like_big5(body: bytes) -> bool:
    """Big5 bytes also decode as GBK, into rare characters: many outside GB2312's common set."""
    try:
        body.decode("big5")
        as_gbk = body.decode("gb18030")
    except UnicodeDecodeError:
        return False
    cjk = [ch for ch in as_gbk if "\u3400" <= ch <= "\u9fff"]
    if len(cjk) < 4:
        return False
    rare = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare > len(cjk) * 0.15


def _bad_bytes(body: bytes, exc: UnicodeDecodeError, shown: str, encoding: str) -> Problem:
    line = body[: exc.start].count(b"\n") + 1
    return Problem(
        Source(shown, line, 1),
        Code.ENCODING,
        f"line {line} cannot be read as {encoding} (byte 0x{body[exc.start]:02x}); the file is "
        "neither UTF-8 nor GB18030/GBK",
        "save it from Excel as 'CSV UTF-8 (comma delimited)' (or as .xlsx)",
    )


def read_csv(path: str | os.PathLike[str], shown: str) -> tuple[list[Table], list[Problem]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [Problem(Source(shown), Code.IO_ERROR, f"cannot read file: {exc.strerror or exc}")]
    text, _encoding, problems = decode_csv(data, shown)
    if text is None:
        return [], problems
    # a byte-order mark in any encoding (GB18030 has one too: 84 31 95 33) is not part of the first header
    text = text.removeprefix("\ufeff")
    # the delimiter only: Excel's quoting ("" inside quotes) is assumed, the sniffer's guess of it is unreliable
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    done = 0  # the last line of the last row read: a bad row starts on the line after it
    try:
        for values in reader:
            # a cell holding line breaks spans lines: the row is the record (as a spreadsheet
            # numbers it), the text line the one it starts on
            line = reader.line_num - sum(v.count("\n") for v in values)
            record = len(rows) + 1
            rows.append(
                [
                    Cell(
                        _clean(csv_restored(v), CsvSource(shown, record, c, line), problems),
                        CsvSource(shown, record, c, line),
                    )
                    for c, v in enumerate(values, 1)
                ]
            )
            done = reader.line_num
    except csv.Error as exc:
        return [], [_csv_error(text, done + 1, delimiter, str(exc), shown)]
    return [Table(Path(shown).stem, shown, rows, Source(shown))], problems


def _csv_error(text: str, line: int, delimiter: str, error: str, shown: str) -> Problem:
    """A CSV row that cannot be read, at the line it starts on (and the cell of an open quote)."""
    row = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
    quote = next((i for i, ch in enumerate(row) if ch == '"' and (i == 0 or row[i - 1] == delimiter)), -1)
    column = row[:quote].count(delimiter) + 1 if quote >= 0 else 1
    if "unexpected end of data" in error:
        return Problem(
            Source(shown, line, column),
            Code.YAML_SYNTAX,
            f"the quote that opens cell {column} of line {line} is never closed: the rest of the file would be one cell",
            'close the quote; a quote inside a quoted cell is written twice ("")',
        )
    return Problem(
        Source(shown, line, column),
        Code.YAML_SYNTAX,
        f"not a valid CSV row: {error}",
        'a cell holding a quote is quoted as a whole, its quotes doubled: "say ""hello"""',
    )


def read(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Table], list[Problem]]:
    """Every table of the given files (.xlsx workbooks and CSV files)."""
    from handbook.problems import display_path

    tables: list[Table] = []
    problems: list[Problem] = []
    for p in paths:
        shown = display_path(p)
        suffix = Path(p).suffix.lower()
        if not Path(p).exists():
            problems.append(Problem(Source(shown), Code.IO_ERROR, "no such file"))
        elif suffix in (".xlsx", ".xlsm"):
            t, probs = read_xlsx(p, shown)
            tables += t
            problems += probs
        elif suffix in (".csv", ".txt", ".tsv"):
            t, probs = read_csv(p, shown)
            tables += t
            problems += probs
        elif suffix == ".ods":
            problems.append(
                Problem(
                    Source(shown),
                    Code.IO_ERROR,
                    "an OpenDocument spreadsheet (.ods) is not read",
                    "save it as 'Excel 2007-365 (.xlsx)' (LibreOffice: File > Save As), or as CSV UTF-8",
                )
            )
        elif suffix == ".xls":
            problems.append(
                Problem(
                    Source(shown),
                    Code.IO_ERROR,
                    "the old .xls format is not read",
                    "open it in Excel and save it as .xlsx (or as CSV UTF-8)",
                )
            )
        else:
            problems.append(
                Problem(
                    Source(shown),
                    Code.IO_ERROR,
                    f"not a spreadsheet ({suffix or 'no suffix'})",
                    "give .xlsx workbooks or .csv files",
                )
            )
    return tables, problems


# -- writing ------------------------------------------------------------------------------------
@dataclass
class OutSheet:
    """A table to write: its name, header (with a note per column) and rows."""

    name: str
    header: list[str]
    notes: list[str]
    rows: list[list[Any]]
    wide: list[bool]  # multi-line columns: wrapped, wider
    help: str = ""


def write_xlsx(
    sheets: Sequence[OutSheet],
    path: str | os.PathLike[str],
    help_rows: list[list[str]] | None = None,
    help_name: str = "说明",
) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for s in sheets:
        ws = wb.create_sheet(s.name)
        for c, (name, note) in enumerate(zip(s.header, s.notes, strict=False), 1):
            cell = ws.cell(row=1, column=c, value=name)
            cell.font = head_font
            cell.fill = head_fill
            if note:
                cell.comment = Comment(note, "handbook", width=320, height=160)
            ws.column_dimensions[get_column_letter(c)].width = (
                48 if s.wide[c - 1] else max(12, min(30, 2 * len(name) + 4))
            )
        for r, values in enumerate(s.rows, 2):
            for c, v in enumerate(values, 1):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    v = encode_ooxml(v)  # what XML cannot hold, as Excel writes it (_x0007_)
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                elif isinstance(v, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                cell.alignment = wrap if s.wide[c - 1] else top
        ws.freeze_panes = "A2"
    if help_rows:
        ws = wb.create_sheet(help_name)
        for r, values in enumerate(help_rows, 1):
            for c, v in enumerate(values, 1):
                cell = ws.cell(row=r, column=c, value=v)
                cell.data_type = "s"
                cell.alignment = wrap
                if r == 1:
                    cell.font = head_font
                    cell.fill = head_fill
        for c, width in enumerate((14, 26, 26, 16, 70), 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
    tmp = Path(str(path) + ".tmp")
    wb.save(tmp)
    os.replace(tmp, path)


def write_csv(sheet: OutSheet, path: str | os.PathLike[str]) -> None:
    """UTF-8 with a BOM, so Excel opens the Chinese text correctly."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(sheet.header)
    for values in sheet.rows:
        w.writerow([_csv_cell(v) for v in values])
    Path(path).write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return csv_neutralised(v) if isinstance(v, str) else v
