"""A workbook looked at before it is read: what it really is, and whether it fits.

openpyxl reads a whole workbook into memory, so a 1 MB file whose shared strings unpack to
1 GiB, or that holds ten million cells, would exhaust the machine before any message.
:func:`inspect` reads only the zip's directory and streams each part once (never holding
it), and says, located and with the figure:

* what a file named .xlsx really is when it is not a workbook: a password-protected one
  (an encrypted OLE container), an old .xls, an OpenDocument spreadsheet, no zip at all;
* a workbook saved as "Strict Open XML", which openpyxl cannot read;
* a part that declares XML entities (``<!DOCTYPE``/``<!ENTITY``: the billion laughs, an
  external entity), which no spreadsheet program writes: refused, as defusedxml does;
* more than :data:`MAX_UNPACKED` bytes unpacked or :data:`MAX_CELLS` cells.

It also tells which sheets hold formulas, so formulas without a saved value can be named.
No Sphinx imports.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field

from handbook.problems import Code, Problem, Source

#: the most a workbook may unpack to (all its parts together)
MAX_UNPACKED = 256 * 1024 * 1024
#: the most cells (written cells, empty formatted ones included) in all its sheets
MAX_CELLS = 2_000_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_STRICT = b"purl.oclc.org/ooxml/spreadsheetml"
_SAVE_AS = "save it from Excel as 'Excel Workbook (*.xlsx)', or as CSV UTF-8"


@dataclass
class Inspection:
    problems: list[Problem] = field(default_factory=list)
    #: the worksheet parts (``xl/worksheets/sheet1.xml``) that hold formulas
    formula_parts: set[str] = field(default_factory=set)
    cells: int = 0
    merged: int = 0  # cells covered by merged ranges (openpyxl makes an object for each)
    unpacked: int = 0


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MiB"


def inspect(path: str | os.PathLike[str], shown: str) -> Inspection:
    out = Inspection()

    def refuse(message: str, hint: str = _SAVE_AS) -> Inspection:
        out.problems.append(Problem(Source(shown), Code.IO_ERROR, message, hint))
        return out

    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head == _OLE:
                f.seek(0)
                body = f.read(4 * 1024 * 1024)
    except OSError as exc:
        return refuse(f"cannot read file: {exc.strerror or exc}", "")
    if head == _OLE:
        if _ENCRYPTED in body:
            return refuse(
                "the workbook is password-protected (encrypted), so it cannot be read",
                "save a copy without the password (Excel: File > Info > Protect Workbook > Encrypt with Password, "
                "clear it) and import that",
            )
        return refuse(
            "this is an old Excel 97-2003 workbook (.xls) with an .xlsx name",
            "open it in Excel and save it as 'Excel Workbook (*.xlsx)' (or as CSV UTF-8)",
        )
    if not head.startswith(b"PK"):
        return refuse("not an .xlsx workbook (it is not a zip file, as every .xlsx is)")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names and b"opendocument" in z.read("mimetype")[:200]:
                return refuse(
                    "this is an OpenDocument spreadsheet (.ods), not an .xlsx workbook",
                    "save it as 'Excel 2007-365 (.xlsx)' (LibreOffice: File > Save As)",
                )
            if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
                return refuse("not an .xlsx workbook (it is a zip file without a workbook in it)")
            out.unpacked = sum(i.file_size for i in infos)
            if out.unpacked > MAX_UNPACKED:
                return refuse(
                    f"the workbook unpacks to {_mib(out.unpacked)}, more than the {_mib(MAX_UNPACKED)} a "
                    "handbook's workbook may have",
                    "delete what does not belong to the handbook (pictures, other sheets, formatting of empty "
                    "rows), or split it into CSV files",
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    problem = _scan(z, info, out)
                    if problem:
                        return refuse(*problem)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        return refuse(f"not an .xlsx workbook: the zip file is damaged ({exc})")
    if out.merged > MAX_CELLS:
        return refuse(
            f"the workbook's merged cells cover {out.merged:,} cells, more than the {MAX_CELLS:,} a handbook's "
            "workbook may have",
            "unmerge the ranges that reach beyond the handbook's rows and columns",
        )
    if out.cells > MAX_CELLS:
        return refuse(
            f"the workbook holds {out.cells:,} cells, more than the {MAX_CELLS:,} a handbook's workbook may have",
            "delete the rows and columns that do not belong to the handbook (also empty ones that are formatted)",
        )
    return out


def _scan(z: zipfile.ZipFile, info: zipfile.ZipInfo, out: Inspection) -> tuple[str, str] | None:
    """One pass over a part, in pieces: entities, strict OOXML, cells and formulas counted."""
    held = b""  # the end of the piece before: a tag cut in two is counted with the next piece
    first = True
    is_sheet = info.filename.startswith("xl/worksheets/")
    with z.open(info) as f:
        while True:
            piece = f.read(1 << 20)
            chunk = held + piece
            final = not piece
            if _ENTITY.search(chunk):
                return (
                    f"the workbook's part {info.filename} declares XML entities (<!DOCTYPE>), which no spreadsheet "
                    "program writes; it is not read",
                    "save the workbook again from Excel, or export the sheets as CSV UTF-8",
                )
            if first and info.filename.endswith("workbook.xml") and _STRICT in chunk[:4096]:
                return (
                    "the workbook is saved as 'Strict Open XML Spreadsheet', which cannot be read",
                    "save it from Excel as 'Excel Workbook (*.xlsx)' (not the Strict format)",
                )
            first = False
            limit = len(chunk) if final else max(0, len(chunk) - 64)
            if is_sheet:
                out.cells += sum(1 for m in _CELL.finditer(chunk) if m.start() < limit)
                for m in _MERGE.finditer(chunk):
                    if m.start() < limit:
                        rows = int(m.group(4)) - int(m.group(2)) + 1
                        cols = _column(m.group(3)) - _column(m.group(1)) + 1
                        out.merged += max(rows, 1) * max(cols, 1) - 1
                if info.filename not in out.formula_parts and _FORMULA.search(chunk):
                    out.formula_parts.add(info.filename)
            if final:
                return None
            held = chunk[limit:]


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
