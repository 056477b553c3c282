"""Rows to the located values the YAML loader makes (:mod:`handbook.validate.located_yaml`),
every value's source the cell it came from: multi-line cells as lists, duty groups, a duty's
measure and frequency, translated texts, and the role sheet's 任职人员 column as the people's
assignments. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from handbook.exchange.import_ids import Resolver
from handbook.exchange.sheet_files import Cell
from handbook.exchange.sheet_rows import Row
from handbook.exchange.workbook_layout import (
    SHEETS,
    Column,
    Sheet,
    cell_lines,
    decode_text,
    duty_lines,
    invisible_removed,
    markers,
    normalise,
    split_line,
)
from handbook.problems import Code, Problem, Source
from handbook.schema import KINDS, Field
from handbook.validate.dates import excel_serial
from handbook.validate.located_yaml import YList, YMap, YNode, YScalar, load_text
from handbook.validate.values import close_match

_INT = re.compile(r"^[+-]?\d+$")


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
        if t in ("id", "ref"):
            raw = invisible_removed(raw).strip()
        if t == "text":
            return _text_node(decode_text(cell.text()), src)
        if t == "int":
            return _scalar(int(raw), raw, src) if _INT.match(raw) else _scalar(raw, raw, src)
        if t == "date":
            v = cell.value
            if isinstance(v, dt.datetime):
                return _scalar(v.date(), raw, src)
            if isinstance(v, dt.date):
                return _scalar(v, raw, src)
            # a date cell formatted as a number shows Excel's serial: 46357 is 2026-12-01
            serial = excel_serial(float(raw)) if re.fullmatch(r"\d{5}(\.0+)?", raw) else None
            return _scalar(serial or raw, raw, src)
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
                out.append(
                    YMap(
                        {"title": (src, _text_node(decode_text(line.text), src)), "items": (src, YList(group, src))},
                        src,
                    )
                )
            else:
                node = self.item("duty", "text", line.text, line.fields, src)
                (group if group is not None else out).append(node)
        return YList(out, src)

    def item(self, kind: str, main: str, head: str, fields: list[tuple[str, str]], src: Source, resolve=None) -> YNode:
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
                self.err(
                    src,
                    Code.UNKNOWN_KEY,
                    f"unknown 【{label}】 in {KINDS[kind].what}",
                    f"did you mean 【{guess}】?"
                    if guess
                    else "allowed: " + " ".join(f"【{f.zh or f.key}】" for f in KINDS[kind].fields if f.key != main),
                )
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

            def resolve(h):
                return self.ref(main_field, str(decode_text(h)), src, row, scope)

            out.append(self.item(f.of, f.shorthand, head, fields, src, resolve))
        return YList(out, src)

    def extra(self, cell: Cell) -> YNode:
        node, probs = load_text(cell.text(), cell.source.path)
        for p in probs:
            self.err(
                cell.source,
                p.code,
                f"the free data is not a YAML/JSON mapping: {p.message}",
                'write it as {"key": "value"}',
            )
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
                self.err(
                    cell.source,
                    Code.BAD_VALUE,
                    f"`{col.zh}` holds a plain list while its `{col.zh}·…` columns are filled in too",
                    "use one form or the other",
                )
                continue
            at[col.field.key] = (cell.source, node)
        if (
            row.ident is not None
            and "id" not in tree
            and KINDS[row.sheet.kind].id_field is not None
            and row.sheet.kind != "person"
        ):
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


def add_holders(b: Builder, role_rows: list[Row], person_rows: list[Row], people: list[YMap]) -> None:
    """The 任职人员 column of the role sheet: an assignment for each person named there
    (by id or name); a name that is nobody in the people sheet is a new person."""
    by_key: dict[str, YMap] = {}
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, (row, pm) in enumerate(zip(person_rows, people, strict=False)):
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
                cands = ", ".join(
                    f"`{person_rows[i].ident or person_rows[i].titles()[0]}` ({person_rows[i].source})"
                    for i in by_name[who]
                )
                b.err(
                    src,
                    Code.DANGLING_REF,
                    f"`{who}` names {len(by_name[who])} people: {cands}",
                    "give the people ids in the 人员 sheet and write the id here",
                )
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
