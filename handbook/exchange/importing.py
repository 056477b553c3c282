"""``handbook import``: spreadsheets -> the handbook's data, checked by the validator itself.

1. :mod:`handbook.exchange.sheet_files` reads the files into located cells;
2. each table is matched to a sheet of :data:`handbook.exchange.workbook_layout.SHEETS` (by its name, a
   CSV file also by its header), its header row found (title rows above it and merged,
   two-level headers are fine) and each header matched to a column; an unknown header is
   an ``unknown-key`` error with a did-you-mean hint;
3. ids left empty are derived from titles (pinyin, unique, and the ids of a data folder
   being re-imported into are kept for objects of the same title); references may name an
   object by id or by a unique title (an ambiguous title is an error listing the
   candidates);
4. the rows become the located values the YAML loader makes (:mod:`handbook.validate.located_yaml`),
   with every value's source the cell it came from, and go through the validator
   (:func:`handbook.validate.build`): the same checks, problem codes and hints as
   ``handbook check``, located at ``book.xlsx:岗位!D12`` or ``roles.csv:12:4``.

The steps are :mod:`~handbook.exchange.sheet_rows` (1, 2), :mod:`~handbook.exchange.import_ids`
(3) and :mod:`~handbook.exchange.cells_to_values` (4); this module puts them together.

Nothing is written here: :mod:`handbook.exchange.data_folder` writes the result. No Sphinx imports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from handbook import model as m
from handbook.exchange.cells_to_values import Builder, add_holders
from handbook.exchange.import_ids import Resolver
from handbook.exchange.sheet_files import Table, read
from handbook.exchange.sheet_rows import Row, table_rows
from handbook.exchange.workbook_layout import SHEETS
from handbook.problems import Code, Problem, Source
from handbook.validate import Result, build
from handbook.validate.located_yaml import DataFile, YList, YMap, YNode
from handbook.validate.values import close_match


@dataclass
class Imported:
    """What an import read: the validation result and the tables it came from."""

    result: Result
    sources: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


def from_tables(
    tables: Sequence[Table],
    load_problems: Iterable[Problem] = (),
    path: str = "",
    known: dict[tuple[str, str, str | None], str] | None = None,
) -> Imported:
    """Rows -> located values -> the validator."""
    lost: dict[str, set[str]] = {}
    rows, problems = table_rows(tables, lost)
    load_problems = list(load_problems)
    problems = load_problems + problems
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
            problems.append(
                Problem(
                    history[0].source,
                    Code.MISSING_FIELD,
                    "revision history without a company row",
                    "fill in the company sheet (公司)",
                )
            )
    owners = [b.row_map(r) for r in rows["clause_owners"]]  # 质量职能分配: the company's own clause allocation
    if owners:
        if companies:
            companies[0].items["clause_owners"] = (owners[0].source, YList(list(owners), owners[0].source))
        else:
            problems.append(
                Problem(
                    owners[0].source,
                    Code.MISSING_FIELD,
                    "clause owners without a company row",
                    "fill in the company sheet (公司)",
                )
            )
    if companies:
        root["company"] = (companies[0].source, companies[0])
    depts = [b.row_map(r) for r in rows["departments"]]
    roles = [b.row_map(r) for r in rows["roles"]]
    people = [b.row_map(r) for r in rows["people"]]
    add_holders(b, rows["roles"], rows["people"], people)
    # processes, with their steps and RACI rows from their own sheets
    procs = [b.row_map(r) for r in rows["processes"]]
    proc_map = {r.ident: pm for r, pm in zip(rows["processes"], procs, strict=False) if r.ident}
    for key in ("steps", "raci"):
        by_proc: dict[str, list[Row]] = defaultdict(list)
        for row in rows[key]:
            c = row.cell("process")
            if c is None or c.empty:
                problems.append(
                    Problem(
                        row.source,
                        Code.MISSING_FIELD,
                        f"a row of sheet {row.sheet.zh} names no process",
                        "write the process's id or name in the 流程 (process) column",
                    )
                )
                continue
            pid = res.resolve("process", "process", c.text().strip(), c.source, "the process")
            if pid not in proc_map:
                if pid in res.ids["process"]:
                    continue  # its process has errors of its own
                problems.append(
                    Problem(
                        c.source,
                        Code.DANGLING_REF,
                        f"no process has the id or name `{pid}`",
                        "the 流程 column names a process of the 流程 (processes) sheet",
                    )
                )
                continue
            by_proc[pid].append(row)
        for pid, prow in by_proc.items():
            if key == "steps":
                res.assign(f"step:{pid}", "step", prow)
            maps = [b.row_map(r, scope=pid) for r in prow]
            pm = proc_map[pid]
            pm.items[key] = (maps[0].source, YList(maps, maps[0].source))
    acks = [b.row_map(r) for r in rows.get("acknowledgements", ())]
    tops = (
        ("departments", depts),
        ("roles", roles),
        ("people", people),
        ("processes", procs),
        ("acknowledgements", acks),
    )
    for name, items in tops:
        if items:
            root[name] = (items[0].source, YList(items, items[0].source))
    top = YMap(root, Source(path))
    files = [DataFile(path, top)]
    # a file that could not be read: references to what it may hold are reported once per name
    # (the validator's rule for an unreadable YAML file), not once per cell
    for p in load_problems:
        if p.is_error and p.code in (Code.IO_ERROR, Code.ENCODING, Code.YAML_SYNTAX):
            files.append(DataFile(p.source.path, None, failed=True))
    for extra_company in companies[1:]:  # the validator reports more than one company
        files.append(DataFile(path, YMap({"company": (extra_company.source, extra_company)}, extra_company.source)))
    problems += res.problems + b.problems
    result = build(files, problems)
    result.problems = [_sheet_hint(p, res) for p in result.problems if not _lost_ref(p, lost)]
    result.problems = sorted(result.problems, key=_order)
    counts = {k: len(v) for k, v in rows.items()}
    return Imported(result, (path,), counts)


_DANGLING = re.compile(r"no (department|role|process|step) has the id `(.*)`$")


def _sheet_hint(p: Problem, res: Resolver | None = None) -> Problem:
    """A dangling reference: in a spreadsheet a unique name works as well as an id, and a name
    that nearly matches one (电销客服经理 for 电销客服部经理) gets a did-you-mean."""
    found = _DANGLING.search(p.message) if p.code is Code.DANGLING_REF else None
    if found is not None:  # in a spreadsheet a reference is an id or a name
        p = Problem(p.source, p.code, p.message.replace(" has the id `", " has the id or name `"), p.hint, p.related)
    if found is not None and res is not None and found.group(1) != "step":
        titles = [t for t, rows in res.by_title[found.group(1)].items() if rows]
        guess = close_match(found.group(2), titles)
        if guess is not None:
            return Problem(p.source, p.code, p.message, f"did you mean `{guess}`?", p.related)
    if p.code is not Code.DANGLING_REF or "references use" not in p.hint:
        return p
    kind = next((k for k in ("department", "role", "process", "step") if f"no {k} has" in p.message), "")
    sh = next((s for s in SHEETS if s.kind == kind), None)
    where = f" of the {sh.zh} ({sh.key}) sheet" if sh is not None else ""
    return Problem(p.source, p.code, p.message, f"write the id or the exact name of a {kind}{where}", p.related)


def _lost_ref(p: Problem, lost: dict[str, set[str]]) -> bool:
    """A dangling reference to a value of a column that was not read (a misspelt 标识 column):
    a consequence of that column's one error, not a mistake of its own."""
    found = _DANGLING.search(p.message) if p.code is Code.DANGLING_REF else None
    return found is not None and found.group(2) in lost.get(found.group(1), ())


def _order(p: Problem) -> tuple:
    s = p.source
    return (s.path, getattr(s, "sheet", ""), s.line, s.column, p.code.value)


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
