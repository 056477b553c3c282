"""Spreadsheet tables to rows of the import's sheets: each table matched to a sheet of
:data:`handbook.exchange.workbook_layout.SHEETS` (by its name, a CSV file also by its header), its
header row found (title rows above it, merged and two-level headers) and each header matched to a
column; an unknown header is an ``unknown-key`` error with a did-you-mean hint. No Sphinx imports.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from handbook.exchange.sheet_files import Cell, Table
from handbook.exchange.workbook_layout import HELP_SHEET, SHEETS, Column, Sheet, header_names, normalise
from handbook.problems import Code, Problem, Source
from handbook.validate.values import close_match


@dataclass
class Row:
    """One row of a sheet: its cells by column, and the id and title it gets."""

    sheet: Sheet
    cells: dict[Column, Cell]
    source: Source  # the row's first cell
    ident: str | None = None  # the id given or derived
    title: Any = None  # the decoded title: str or {lang: str}
    dept: str | None = None  # a role's department (its id, once resolved)

    def cell(self, key: str) -> Cell | None:
        for c, cell in self.cells.items():
            if c.en == key:
                return cell
        return None

    def titles(self) -> tuple[str, ...]:
        if self.title is None:
            return ()
        return tuple(self.title.values()) if isinstance(self.title, dict) else (self.title,)


# -- tables -> rows ---------------------------------------------------------------------------
def _sheet_for(table: Table) -> Sheet | None:
    name = normalise(table.name)
    for s in SHEETS:
        if name in (normalise(n) for n in s.names()):
            return s
    return None


def _guess_by_header(table: Table) -> Sheet | None:
    """A CSV file with an unknown name: the sheet whose columns its header matches best."""
    best, score = None, 0
    for s in SHEETS:
        names = header_names(s)
        for row in table.rows[:10]:
            n = sum(1 for c in row if not c.empty and normalise(c.text()) in names)
            if n > score:
                best, score = s, n
    return best if score >= 2 else None


def _header_label(table: Table, r: int, c: int) -> str:
    """The text of a header cell, a cell inside a merged range taking the range's text."""
    top = table.merged_from.get((r + 1, c + 1))
    if top is not None:
        rr, cc = top[0] - 1, top[1] - 1
        return table.rows[rr][cc].text().strip() if rr < len(table.rows) and cc < len(table.rows[rr]) else ""
    row = table.rows[r]
    return row[c].text().strip() if c < len(row) else ""


def _shown_header(table: Table, r: int, c: int) -> str:
    """A column's header as the sheet shows it (``任职资格·学历`` under a two-level header)."""
    own = _header_label(table, r, c)
    upper = _header_label(table, r - 1, c) if r else ""
    return f"{upper}·{own}" if upper and own and upper != own else own or upper


def _header(table: Table, sh: Sheet) -> tuple[int, dict[int, Column], list[Problem]]:
    """The header row (0-based), the column of each position, and the problems of the header."""
    names = header_names(sh)
    best_row, best = -1, -1
    for r in range(min(len(table.rows), 10)):
        found = 0
        for c in range(len(table.rows[r])):
            own = _header_label(table, r, c)
            upper = _header_label(table, r - 1, c) if r else ""
            if (own and normalise(own) in names) or (upper and own and normalise(f"{upper}·{own}") in names):
                found += 1
        if found and found >= best:  # a tie: the lower row of a two-level header
            best_row, best = r, found
    if best <= 0:
        best_row = next((r for r, row in enumerate(table.rows) if any(not x.empty for x in row)), -1)
    problems: list[Problem] = []
    columns: dict[int, Column] = {}
    if best_row < 0:
        return best_row, columns, problems
    seen: dict[Column, Source] = {}
    row = table.rows[best_row]
    for c, cell in enumerate(row):
        covered = table.merged_from.get((best_row + 1, c + 1))
        if covered is not None and covered[0] == best_row + 1:  # inside a merge across: part of its first column
            continue
        own = _header_label(table, best_row, c)
        upper = _header_label(table, best_row - 1, c) if best_row else ""
        col = None
        if upper and own and upper != own:
            col = names.get(normalise(f"{upper}·{own}"))
        if col is None and own:
            col = names.get(normalise(own))
        if not own:
            continue
        if col is None:
            accepted = [n for c_ in sh.columns for n in c_.names()]
            guess = close_match(own, accepted) or close_match(normalise(own), list(names))
            if guess is not None and guess in names:
                guess = names[guess].zh if not guess.isascii() else names[guess].en
            hint = (
                f"did you mean `{guess}`?"
                if guess
                else f"the columns of sheet {sh.zh} ({sh.key}): "
                + ", ".join(c_.zh for c_ in sh.columns)
                + "; free data goes in the 自定义数据 (extra) column as {key: value}"
            )
            problems.append(Problem(cell.source, Code.UNKNOWN_KEY, f"unknown column `{own}` in sheet {sh.zh}", hint))
            continue
        if col in seen:
            problems.append(
                Problem(
                    cell.source,
                    Code.DUPLICATE_KEY,
                    f"column `{own}` appears twice (first at {seen[col]})",
                    "keep one of them",
                    (seen[col],),
                )
            )
            continue
        seen[col] = cell.source
        columns[c] = col
    return best_row, columns, problems


def table_rows(
    tables: Sequence[Table], lost: dict[str, set[str]] | None = None
) -> tuple[dict[str, list[Row]], list[Problem]]:
    """The rows of every table, and the problems of their sheets and headers. ``lost`` (if
    given) receives, per kind, the values of the columns that were not read (an unknown header
    such as a misspelt 标识): references to them are consequences of that one error."""
    rows: dict[str, list[Row]] = defaultdict(list)
    problems: list[Problem] = []
    for t in tables:
        if normalise(t.name) in (normalise(n) for n in HELP_SHEET):
            continue
        sh = _sheet_for(t)
        if sh is None and t.source.__class__ is Source:  # a CSV file: look at its header
            sh = _guess_by_header(t)
        if sh is None and t.hidden:
            continue  # a hidden sheet of drop-down lists (or notes): not the handbook's, and not shown
        if sh is None:
            if all(c.empty for row in t.rows for c in row):
                continue  # an empty sheet nobody uses
            known = [n for s in SHEETS for n in s.names()]
            found = difflib.get_close_matches(t.name.strip(), known, n=1, cutoff=0.5)  # 岗为 -> 岗位
            guess = found[0] if found else None
            problems.append(
                Problem(
                    t.source,
                    Code.UNKNOWN_KEY,
                    f"unknown sheet `{t.name}`",
                    f"did you mean `{guess}`?"
                    if guess
                    else "name it after what its rows hold: "
                    + " / ".join(s.zh for s in SHEETS)
                    + " (or "
                    + ", ".join(s.key for s in SHEETS)
                    + ")",
                )
            )
            continue
        head, columns, probs = _header(t, sh)
        problems += probs
        if head < 0:
            continue
        # a column whose header is unknown was reported once, at its header: its cells say nothing more
        headed = {
            c for c in range(len(t.rows[head])) if _header_label(t, head, c) or (head and _header_label(t, head - 1, c))
        }
        shown = {c: _shown_header(t, head, c) for c in columns}  # for messages: 「直接上级」列
        for r in range(head + 1, len(t.rows)):
            cells = t.rows[r]
            if all(c.empty for c in cells):
                continue
            row_cells: dict[Column, Cell] = {}
            for c, cell in enumerate(cells):
                if c in shown and hasattr(cell.source, "header"):
                    cell.source = replace(cell.source, header=shown[c])  # type: ignore[call-arg]
                if cell.empty:
                    continue
                col = columns.get(c)
                if col is None and lost is not None and c in headed:
                    lost.setdefault(sh.kind, set()).add(cell.text().strip())
                if col is None:
                    if (r + 1, c + 1) not in t.merged_from and c not in headed:
                        problems.append(
                            Problem(
                                cell.source,
                                Code.UNKNOWN_KEY,
                                "a value in a column without a header",
                                "give the column a header, or clear the cell",
                            )
                        )
                    continue
                row_cells[col] = cell
            # required columns left empty: their cell, so "missing" points at it
            for c, col in columns.items():
                if col not in row_cells and c < len(cells):
                    row_cells.setdefault(col, Cell(None, cells[c].source))
            if _is_example(sh, row_cells):
                continue  # the template's example row, left as it was
            first = next(c for c in cells if not c.empty)
            rows[sh.key].append(Row(sh, row_cells, first.source))
    for sheet_rows in rows.values():
        problems += duplicate_rows(sheet_rows)
    return rows, problems


def _is_example(sh: Sheet, cells: dict[Column, Cell]) -> bool:
    from handbook.exchange.workbook_layout import EXAMPLES

    example = EXAMPLES.get(sh.key)
    filled = {c.en: cell.text().strip() for c, cell in cells.items() if not cell.empty}
    return bool(example) and filled == example  # every cell of the example, and nothing else


def _row_text(row: Row, key: str) -> str:
    cell = row.cell(key)
    return "" if cell is None or cell.empty else cell.text().strip()


def duplicate_rows(rows: Sequence[Row]) -> list[Problem]:
    """A row pasted twice: the same title and the same code (编号), or the same text in every cell.
    The copy gets an id of its own, so without this warning there would silently be two objects."""
    from handbook.exchange.workbook_layout import title_field

    out: list[Problem] = []
    seen: dict[tuple, Row] = {}
    for row in rows:
        kind = row.sheet.kind
        try:
            tkey = title_field(kind).key
        except StopIteration:
            continue
        title = _row_text(row, tkey)
        if not title:
            continue
        code = _row_text(row, "code")
        whole = tuple(sorted((c.en, cell.text().strip()) for c, cell in row.cells.items() if not cell.empty))
        keys = [("all", whole)] + ([("code", title, code, _row_text(row, "id"))] if code else [])
        first = next((seen[k] for k in keys if k in seen), None)
        if first is None:
            for k in keys:
                seen[k] = row
            continue
        out.append(
            Problem(
                row.source,
                Code.DUPLICATE_ROW,
                f"this row repeats row {first.source.line} of sheet {row.sheet.zh}: "
                + (f"the same `{title}`" + (f" ({code})" if code else "")),
                "delete one of the two rows (a row pasted twice becomes two objects)",
                (first.source,),
            )
        )
    return out
