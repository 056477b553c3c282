"""``handbook import``: spreadsheets -> the handbook's data, checked by the validator itself.

1. :mod:`handbook.spreadsheet` reads the files into located cells;
2. each table is matched to a sheet of :data:`handbook.sheets.SHEETS` (by its name, a
   CSV file also by its header), its header row found (title rows above it and merged,
   two-level headers are fine) and each header matched to a column; an unknown header is
   an ``unknown-key`` error with a did-you-mean hint;
3. ids left empty are derived from titles (pinyin, unique, and the ids of a data folder
   being re-imported into are kept for objects of the same title); references may name an
   object by id or by a unique title (an ambiguous title is an error listing the
   candidates);
4. the rows become the located values the YAML loader makes (:mod:`handbook.loader`),
   with every value's source the cell it came from, and go through the validator
   (:func:`handbook.validate.build`): the same checks, problem codes and hints as
   ``handbook check``, located at ``book.xlsx:岗位!D12`` or ``roles.csv:12:4``.

Nothing is written here: :mod:`handbook.datadir` writes the result. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from handbook import model as m
from handbook.validate.located_yaml import (DataFile, YList, YMap, YNode, YScalar, load_text)
from handbook.problems import Code, Problem, Source
from handbook.validate.values import ID_RE, close_match
from handbook.schema import KINDS, Field
from handbook.exchange.workbook_layout import (HELP_SHEET, SHEETS, Column, Sheet, cell_lines, decode_text, duty_lines, header_names, markers, normalise, split_line, title_field)
from handbook.exchange.sheet_files import Cell, Table, read
from handbook.validate import Result, build

_INT = re.compile(r"^[+-]?\d+$")


@dataclass
class Row:
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


@dataclass
class Imported:
    """What an import read: the validation result and the tables it came from."""

    result: Result
    sources: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


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
            hint = (f"did you mean `{guess}`?" if guess else
                    f"the columns of sheet {sh.zh} ({sh.key}): " + ", ".join(c_.zh for c_ in sh.columns)
                    + "; free data goes in the 自定义数据 (extra) column as {key: value}")
            problems.append(Problem(cell.source, Code.UNKNOWN_KEY, f"unknown column `{own}` in sheet {sh.zh}", hint))
            continue
        if col in seen:
            problems.append(Problem(cell.source, Code.DUPLICATE_KEY, f"column `{own}` appears twice (first at {seen[col]})",
                                    "keep one of them", (seen[col],)))
            continue
        seen[col] = cell.source
        columns[c] = col
    return best_row, columns, problems


def table_rows(tables: Sequence[Table]) -> tuple[dict[str, list[Row]], list[Problem]]:
    rows: dict[str, list[Row]] = defaultdict(list)
    problems: list[Problem] = []
    for t in tables:
        if normalise(t.name) in (normalise(n) for n in HELP_SHEET):
            continue
        sh = _sheet_for(t)
        if sh is None and t.source.__class__ is Source:  # a CSV file: look at its header
            sh = _guess_by_header(t)
        if sh is None:
            if all(c.empty for row in t.rows for c in row):
                continue  # an empty sheet nobody uses
            known = [n for s in SHEETS for n in s.names()]
            found = difflib.get_close_matches(t.name.strip(), known, n=1, cutoff=0.5)  # 岗为 -> 岗位
            guess = found[0] if found else None
            problems.append(Problem(t.source, Code.UNKNOWN_KEY, f"unknown sheet `{t.name}`",
                                    f"did you mean `{guess}`?" if guess else
                                    "name it after what its rows hold: " + " / ".join(s.zh for s in SHEETS)
                                    + " (or " + ", ".join(s.key for s in SHEETS) + ")"))
            continue
        head, columns, probs = _header(t, sh)
        problems += probs
        if head < 0:
            continue
        for r in range(head + 1, len(t.rows)):
            cells = t.rows[r]
            if all(c.empty for c in cells):
                continue
            row_cells: dict[Column, Cell] = {}
            for c, cell in enumerate(cells):
                if cell.empty:
                    continue
                col = columns.get(c)
                if col is None:
                    if (r + 1, c + 1) not in t.merged_from:
                        problems.append(Problem(cell.source, Code.UNKNOWN_KEY, "a value in a column without a header",
                                                "give the column a header, or clear the cell"))
                    continue
                row_cells[col] = cell
            # required columns left empty: their cell, so "missing" points at it
            for c, col in columns.items():
                if col not in row_cells and c < len(cells):
                    row_cells.setdefault(col, Cell(None, cells[c].source))
            first = next(c for c in cells if not c.empty)
            rows[sh.key].append(Row(sh, row_cells, first.source))
    return rows, problems


# -- ids and references -------------------------------------------------------------------------
def slug(text: str) -> str:
    """An id from a title: pinyin for Chinese, lower-case ASCII otherwise (研发经理 -> yan-fa-jing-li)."""
    from pypinyin import lazy_pinyin

    s = "-".join(lazy_pinyin(text))
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    if len(s) > 48:
        s = s[:48].rsplit("-", 1)[0]
    return s


class Resolver:
    """Ids derived for rows without one, and references by id or title."""

    def __init__(self, known: dict[tuple[str, str, str | None], str] | None = None) -> None:
        self.known = known or {}  # (kind, title, department or parent) -> id of the data folder imported into
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[str, Row]] = defaultdict(dict)  # kind (or "step:<process>") -> id -> row
        self.by_title: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))

    def assign(self, space: str, kind: str, rows: list[Row], qualify=None) -> None:
        """Give every row an id: the one written, else one derived from its title."""
        tf = title_field(kind)
        taken = self.ids[space]
        for row in rows:
            cell = row.cell("id")
            tcell = row.cell(tf.key)
            row.title = decode_text(tcell.text()) if tcell is not None and not tcell.empty else None
            if cell is not None and not cell.empty:
                row.ident = cell.text().strip()
                taken.setdefault(row.ident, row)
        counts = Counter(row.titles()[0] for row in rows if row.titles())
        for row in rows:
            for t in row.titles():
                self.by_title[space][t].append(row)
        for row in rows:
            if row.ident is not None or kind == "person" or not row.titles():
                continue
            title = row.titles()[0]
            q = qualify(row) if qualify is not None else None
            # the id this object had in the folder imported into, found by title (and department)
            reuse = self.known.get((space, title, q)) or (self.known.get((space, title, None))
                                                          if counts[title] == 1 else None)
            if reuse and reuse not in taken:
                row.ident = reuse
            else:
                base = slug(title) or f"{kind}-{len(taken) + 1}"
                qualified = f"{q}-{base}"[:64].rstrip("-_") if q else None
                # a title used twice: each id names its department (parent), whichever row comes first
                candidates = [c for c in ([qualified, base] if counts[title] > 1 else [base, qualified]) if c]
                ident = next((c for c in candidates if c not in taken and ID_RE.match(c)), None)
                n = 2
                while ident is None:
                    c = f"{candidates[0][:60]}-{n}"
                    ident = c if c not in taken else None
                    n += 1
                row.ident = ident
            taken[row.ident] = row

    def lookup(self, space: str, text: str) -> str:
        """An id for an id or a unique title, quietly (the text itself otherwise)."""
        if text in self.ids[space]:
            return text
        found = self.by_title[space].get(text, [])
        return (found[0].ident or text) if len(found) == 1 else text

    def resolve(self, space: str, kind: str, text: str, source: Source, what: str,
                prefer=None) -> str:
        """An id for a reference written as an id or a title; the text itself if neither
        (the validator then reports it, with its hints)."""
        if text in self.ids[space]:
            return text
        found = self.by_title[space].get(text, [])
        if len(found) == 1:
            return found[0].ident or text
        if len(found) > 1:
            if prefer is not None:
                preferred = [r for r in found if prefer(r)]
                if len(preferred) == 1:
                    return preferred[0].ident or text
            where = ", ".join(f"`{r.ident}` ({r.source})" for r in found)
            self.problems.append(Problem(source, Code.DANGLING_REF,
                                         f"{what}: `{text}` names {len(found)} {kind}s: {where}",
                                         f"write the id of the one you mean, e.g. `{found[0].ident}`",
                                         tuple(r.source for r in found)))
            return found[0].ident or text  # reported once: the validator need not say it again
        return text


# -- rows -> located values ------------------------------------------------------------------------
def _scalar(value: Any, raw: str, src: Source, quoted: bool = True) -> YScalar:
    return YScalar(value, raw, src, quoted)


def _text_node(s: Any, src: Source) -> YNode:
    if isinstance(s, dict):
        return YMap({lang: (src, _scalar(v, v, src)) for lang, v in s.items()}, src)
    return _scalar(s, s, src)


def _relocate(node: YNode, src: Source) -> YNode:
    node.source = src
    if isinstance(node, YMap):
        node.items = {k: (src, _relocate(v, src)) for k, (_, v) in node.items.items()}
    elif isinstance(node, YList):
        node.items = [_relocate(v, src) for v in node.items]
    return node


class Builder:
    def __init__(self, resolver: Resolver, path: str) -> None:
        self.r = resolver
        self.path = path
        self.problems: list[Problem] = []
        self.dept_of_role: dict[str, str] = {}

    def err(self, src: Source, code: Code, message: str, hint: str = "") -> None:
        self.problems.append(Problem(src, code, message, hint))

    def one(self, f: Field, cell: Cell, row: Row, scope: str = "") -> YNode:
        src = cell.source
        if cell.empty:
            return _scalar(None, "", src, quoted=False)
        raw = cell.text().strip()
        t = f.type
        if t == "text":
            return _text_node(decode_text(cell.text()), src)
        if t == "int":
            return _scalar(int(raw), raw, src) if _INT.match(raw) else _scalar(raw, raw, src)
        if t == "date":
            v = cell.value
            if isinstance(v, dt.datetime):
                return _scalar(v.date(), raw, src)
            return _scalar(v if isinstance(v, dt.date) else raw, raw, src)
        if t == "headcount":
            return _scalar(int(raw), raw, src) if _INT.match(raw) else _scalar(raw, raw, src)
        if t == "ref":
            ident = self.ref(f, raw, src, row, scope)
            return _scalar(ident, ident, src)
        return _scalar(raw, raw, src)  # id, choice

    def ref(self, f: Field, text: str, src: Source, row: Row, scope: str = "") -> str:
        kind = f.ref or ""
        space = f"step:{scope}" if kind == "step" else kind
        prefer = None
        if kind == "role" and row.sheet.kind in ("role", "department"):
            dept = row.ident if row.sheet.kind == "department" else self._row_dept(row)
            prefer = (lambda r, d=dept: self.dept_of_role.get(r.ident or "") == d) if dept else None
        return self.r.resolve(space, kind, text, src, f"`{f.key}`", prefer)

    def _row_dept(self, row: Row) -> str | None:
        return self.dept_of_role.get(row.ident or "")

    def lines(self, f: Field, cell: Cell, row: Row) -> YNode:
        src = cell.source
        items: list[YNode] = []
        for _, line in cell_lines(cell.text()):
            if f.type == "refs":
                for part in self._ref_parts(f, line, row, src):
                    items.append(_scalar(part, part, src))
            else:
                items.append(_text_node(decode_text(line), src))
        return YList(items, src)

    def _ref_parts(self, f: Field, line: str, row: Row, src: Source) -> list[str]:
        """A line of a reference list: one reference, or several separated by 、 , ; (ids or titles)."""
        space = f.ref or ""
        whole = decode_text(line)
        if isinstance(whole, str) and (whole in self.r.ids[space] or whole in self.r.by_title[space]):
            return [self.ref(f, whole, src, row)]
        parts = [p.strip() for p in re.split(r"[、,，;；]", line) if p.strip()]
        return [self.ref(f, str(decode_text(p)), src, row) for p in parts]

    def duties(self, f: Field, cell: Cell) -> YNode:
        src = cell.source
        out: list[YNode] = []
        group: list[YNode] | None = None
        for line in duty_lines(cell.text()):
            if line.what == "end":
                group = None
            elif line.what == "group":
                group = []
                out.append(YMap({"title": (src, _text_node(decode_text(line.text), src)),
                                 "items": (src, YList(group, src))}, src))
            else:
                node = self.item("duty", "text", line.text, line.fields, src)
                (group if group is not None else out).append(node)
        return YList(out, src)

    def item(self, kind: str, main: str, head: str, fields: list[tuple[str, str]], src: Source,
             resolve=None) -> YNode:
        """One line ``main【label】value…`` as a mapping of ``kind`` (or the bare main value)."""
        marks = markers(kind, main)
        main_value = resolve(head) if resolve else decode_text(head)
        if not fields and not isinstance(main_value, dict):  # a translated text is {text: {…}}
            return _text_node(main_value, src)
        items: dict[str, tuple[Source, YNode]] = {main: (src, _text_node(main_value, src))}
        for label, value in fields:
            key = marks.get(normalise(label))
            if key is None:
                guess = close_match(label, [f.zh or f.key for f in KINDS[kind].fields if f.key != main])
                self.err(src, Code.UNKNOWN_KEY, f"unknown 【{label}】 in {KINDS[kind].what}",
                         f"did you mean 【{guess}】?" if guess else
                         "allowed: " + " ".join(f"【{f.zh or f.key}】" for f in KINDS[kind].fields if f.key != main))
                continue
            if KINDS[kind].field(key).type == "clauses":  # 【对应条款】7.5、8.2.1: one number after another
                parts = [p for p in re.split(r"[、,，;；\s]+", value) if p]
                items[key] = (src, YList([_scalar(p, p, src) for p in parts], src))
                continue
            decoded = decode_text(value)
            if KINDS[kind].field(key).type == "int" and isinstance(decoded, str) and _INT.match(decoded):
                items[key] = (src, _scalar(int(decoded), decoded, src))  # 【分发号】3 of a distribution entry
            else:
                items[key] = (src, _text_node(decoded, src))
        return YMap(items, src)

    def objects(self, f: Field, cell: Cell, row: Row, scope: str = "") -> YNode:
        """A multi-line cell of short objects (assignments, next): one per line."""
        assert f.of is not None and f.shorthand is not None
        src = cell.source
        main_field = KINDS[f.of].field(f.shorthand)
        out: list[YNode] = []
        for _, line in cell_lines(cell.text()):
            head, fields = split_line(line)
            resolve = (lambda h: self.ref(main_field, str(decode_text(h)), src, row, scope))
            out.append(self.item(f.of, f.shorthand, head, fields, src, resolve))
        return YList(out, src)

    def extra(self, cell: Cell) -> YNode:
        node, probs = load_text(cell.text(), cell.source.path)
        for p in probs:
            self.err(cell.source, p.code, f"the free data is not a YAML/JSON mapping: {p.message}",
                     'write it as {"key": "value"}')
        if node is None:
            return _scalar(None, "", cell.source, quoted=False)
        return _relocate(node, cell.source)

    def row_map(self, row: Row, scope: str = "") -> YMap:
        """A row as the mapping a YAML file would hold (nested objects from their column paths)."""
        tree: dict[str, Any] = {}
        plain_lists: list[tuple[Column, Cell, YNode]] = []
        for col, cell in row.cells.items():
            if col.reverse or col.parent:
                continue
            f = col.field
            if f.type == "id" and cell.empty and row.ident and len(col.path) == 1:
                cell = Cell(row.ident, cell.source)
            if cell.empty and not col.required:
                continue
            how = col.cell
            if how == "one":
                node = self.one(f, cell, row, scope)
            elif cell.empty:
                node = _scalar(None, "", cell.source, quoted=False)
            elif how == "lines":
                node = self.lines(f, cell, row)
            elif how == "duties":
                node = self.duties(f, cell)
            elif how == "objects":
                node = self.objects(f, cell, row, scope)
            else:
                node = self.extra(cell)
            if f.type == "object":  # the plain-list form of an object (qualifications)
                plain_lists.append((col, cell, node))
                continue
            at = tree
            for p in col.path[:-1]:
                at = at.setdefault(p.key, {})
            at[f.key] = (cell.source, node)
        for col, cell, node in plain_lists:
            at = tree
            for p in col.path[:-1]:
                at = at.setdefault(p.key, {})
            if isinstance(at.get(col.field.key), dict):
                self.err(cell.source, Code.BAD_VALUE, f"`{col.zh}` holds a plain list while its "
                         f"`{col.zh}·…` columns are filled in too", "use one form or the other")
                continue
            at[col.field.key] = (cell.source, node)
        if row.ident is not None and "id" not in tree and KINDS[row.sheet.kind].id_field is not None \
                and row.sheet.kind != "person":
            tree["id"] = (row.source, _scalar(row.ident, row.ident, row.source))
        return self._to_map(tree, row.source)

    def _to_map(self, tree: dict[str, Any], src: Source) -> YMap:
        items: dict[str, tuple[Source, YNode]] = {}
        for k, v in tree.items():
            if isinstance(v, dict):
                sub = self._to_map(v, src)
                first = next(iter(sub.items.values()))[0] if sub.items else src
                sub.source = first
                items[k] = (first, sub)
            else:
                items[k] = v
        return YMap(items, src)


def from_tables(tables: Sequence[Table], load_problems: Iterable[Problem] = (), path: str = "",
                known: dict[tuple[str, str, str | None], str] | None = None) -> Imported:
    """Rows -> located values -> the validator."""
    rows, problems = table_rows(tables)
    problems = list(load_problems) + problems
    res = Resolver(known)
    b = Builder(res, path)

    def parent_of(row: Row) -> str | None:
        c = row.cell("parent")
        return None if c is None or c.empty else c.text().strip()

    res.assign("department", "department", rows["departments"], qualify=parent_of)
    # a role's department first (for ids qualified by it, and titles preferred within it);
    # an ambiguous department is reported where the role's cell is read, not twice
    for row in rows["roles"]:
        c = row.cell("department")
        if c is not None and not c.empty:
            row.dept = res.lookup("department", c.text().strip())
    res.assign("role", "role", rows["roles"], qualify=lambda r: r.dept)
    for row in rows["roles"]:
        if row.ident and row.dept:
            b.dept_of_role[row.ident] = row.dept
    res.assign("process", "process", rows["processes"])
    res.assign("person", "person", rows["people"])
    for row in rows["people"]:
        if row.ident:
            res.ids["person"][row.ident] = row

    root: dict[str, tuple[Source, YNode]] = {}
    companies = [b.row_map(r) for r in rows["company"]]
    history = [b.row_map(r) for r in rows["history"]]
    if history:
        if companies:
            doc = companies[0].items.get("document")
            if doc is None:
                doc = (history[0].source, YMap({}, history[0].source))
                companies[0].items["document"] = doc
            assert isinstance(doc[1], YMap)
            doc[1].items["history"] = (history[0].source, YList(list(history), history[0].source))
        else:
            problems.append(Problem(history[0].source, Code.MISSING_FIELD,
                                    "revision history without a company row",
                                    "fill in the company sheet (公司)"))
    owners = [b.row_map(r) for r in rows["clause_owners"]]  # 质量职能分配: the company's own clause allocation
    if owners:
        if companies:
            companies[0].items["clause_owners"] = (owners[0].source, YList(list(owners), owners[0].source))
        else:
            problems.append(Problem(owners[0].source, Code.MISSING_FIELD, "clause owners without a company row",
                                    "fill in the company sheet (公司)"))
    if companies:
        root["company"] = (companies[0].source, companies[0])
    depts = [b.row_map(r) for r in rows["departments"]]
    roles = [b.row_map(r) for r in rows["roles"]]
    people = [b.row_map(r) for r in rows["people"]]
    _add_holders(b, rows["roles"], rows["people"], people)
    # processes, with their steps and RACI rows from their own sheets
    procs = [b.row_map(r) for r in rows["processes"]]
    proc_map = {r.ident: pm for r, pm in zip(rows["processes"], procs) if r.ident}
    for key in ("steps", "raci"):
        by_proc: dict[str, list[Row]] = defaultdict(list)
        for row in rows[key]:
            c = row.cell("process")
            if c is None or c.empty:
                problems.append(Problem(row.source, Code.MISSING_FIELD, f"a row of sheet {row.sheet.zh} names no process",
                                        "write the process's id or name in the 流程 (process) column"))
                continue
            pid = res.resolve("process", "process", c.text().strip(), c.source, "the process")
            if pid not in proc_map:
                if pid in res.ids["process"]:
                    continue  # its process has errors of its own
                problems.append(Problem(c.source, Code.DANGLING_REF, f"no process has the id or name `{pid}`",
                                        "the 流程 column names a process of the 流程 (processes) sheet"))
                continue
            by_proc[pid].append(row)
        for pid, prow in by_proc.items():
            if key == "steps":
                res.assign(f"step:{pid}", "step", prow)
            maps = [b.row_map(r, scope=pid) for r in prow]
            pm = proc_map[pid]
            pm.items[key] = (maps[0].source, YList(maps, maps[0].source))
    for name, items in (("departments", depts), ("roles", roles), ("people", people), ("processes", procs)):
        if items:
            root[name] = (items[0].source, YList(items, items[0].source))
    top = YMap(root, Source(path))
    files = [DataFile(path, top)]
    for extra_company in companies[1:]:  # the validator reports more than one company
        files.append(DataFile(path, YMap({"company": (extra_company.source, extra_company)}, extra_company.source)))
    problems += res.problems + b.problems
    result = build(files, problems)
    result.problems = [_sheet_hint(p) for p in result.problems]
    result.problems = sorted(result.problems, key=_order)
    counts = {k: len(v) for k, v in rows.items()}
    return Imported(result, (path,), counts)


def _sheet_hint(p: Problem) -> Problem:
    """A dangling reference: in a spreadsheet a unique name works as well as an id."""
    if p.code is not Code.DANGLING_REF or "references use" not in p.hint:
        return p
    kind = next((k for k in ("department", "role", "process", "step") if f"no {k} has" in p.message), "")
    sh = next((s for s in SHEETS if s.kind == kind), None)
    where = f" of the {sh.zh} ({sh.key}) sheet" if sh is not None else ""
    return Problem(p.source, p.code, p.message, f"write the id or the exact name of a {kind}{where}", p.related)


def _order(p: Problem) -> tuple:
    s = p.source
    return (s.path, getattr(s, "sheet", ""), s.line, s.column, p.code.value)


def _add_holders(b: Builder, role_rows: list[Row], person_rows: list[Row], people: list[YMap]) -> None:
    """The 任职人员 column of the role sheet: an assignment for each person named there
    (by id or name); a name that is nobody in the people sheet is a new person."""
    by_key: dict[str, YMap] = {}
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, (row, pm) in enumerate(zip(person_rows, people)):
        if row.ident:
            by_key[row.ident] = pm
        for t in row.titles():
            by_name[t].append(i)
    afield = KINDS["person"].field("assignments")
    for row in role_rows:
        cell = next((c for col, c in row.cells.items() if col.reverse), None)
        if cell is None or cell.empty or not row.ident:
            continue
        src = cell.source
        for _, line in cell_lines(cell.text()):
            head, fields = split_line(line)
            who = str(decode_text(head))
            node = b.item("assignment", "role", row.ident, fields, src, resolve=lambda _h, r=row: r.ident)
            if isinstance(node, YScalar):
                node = YMap({"role": (src, node)}, src)
            if who in by_key:
                target = by_key[who]
            elif len(by_name.get(who, [])) == 1:
                target = people[by_name[who][0]]
            elif len(by_name.get(who, [])) > 1:
                cands = ", ".join(f"`{person_rows[i].ident or person_rows[i].titles()[0]}` ({person_rows[i].source})"
                                  for i in by_name[who])
                b.err(src, Code.DANGLING_REF, f"`{who}` names {len(by_name[who])} people: {cands}",
                      "give the people ids in the 人员 sheet and write the id here")
                continue
            else:  # a person only named here
                target = YMap({"name": (src, _scalar(who, who, src))}, src)
                people.append(target)
                person_rows.append(Row(person_rows[0].sheet if person_rows else _people_sheet(), {}, src, None, who))
                by_name[who].append(len(people) - 1)
            entry = target.items.get(afield.key)
            if entry is None or not isinstance(entry[1], YList):
                lst = YList([], src) if entry is None else YList([entry[1]], entry[0])
                target.items[afield.key] = (src, lst)
                entry = target.items[afield.key]
            lst = entry[1]
            assert isinstance(lst, YList)
            if not any(_role_of(x) == row.ident for x in lst.items):
                lst.items.append(node)


def _role_of(node: YNode) -> str | None:
    if isinstance(node, YScalar):
        return str(node.value)
    if isinstance(node, YMap):
        r = node.get("role")
        return str(r.value) if isinstance(r, YScalar) else None
    return None


def _people_sheet() -> Sheet:
    return next(s for s in SHEETS if s.key == "people")


def import_files(paths: Sequence[str], known: dict[tuple[str, str, str | None], str] | None = None) -> Imported:
    tables, problems = read(paths)
    from handbook.problems import display_path

    shown = display_path(paths[0]) if len(paths) == 1 else ", ".join(display_path(p) for p in paths)
    return from_tables(tables, problems, shown, known)


def known_ids(hb: m.Handbook | None) -> dict[tuple[str, str, str | None], str]:
    """The ids of a data folder by title, so re-importing keeps them."""
    out: dict[tuple[str, str, str | None], str] = {}
    if hb is None:
        return out
    for kind in m.OBJECT_KINDS:
        for ident, obj in hb.store(kind).items():
            q = obj.parent if kind == "department" else obj.department if kind == "role" else None
            for s in hb.title(kind, ident).all_strings():  # type: ignore[union-attr]
                out.setdefault((kind, s, None), ident)
                if q:
                    out.setdefault((kind, s, q), ident)
    for p in hb.processes.values():
        for st in p.steps:
            for s in st.action.all_strings():
                out.setdefault((f"step:{p.id}", s, None), st.id)
    return out
