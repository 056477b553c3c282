"""ISO 9001 clauses: the shipped list of clause numbers and titles, and the quality function
allocation table (质量职能分配表) derived from the data.

The list (``handbook/data/iso9001.yaml``) holds every clause of sections 4–10 of
ISO 9001:2015 with its English title and the Chinese title of GB/T 19001-2016, and marks
the clauses that must have a lead department by default.

:func:`matrix` works out, for each clause the data names, which departments lead (●) and
which support (○) it:

* a department whose own duties (functions, authority, goals, indicators) or whose head's
  duties name the clause **leads** it; a department whose other roles' duties name it
  **supports** it;
* ``company.clause_owners`` assigns a clause directly: its ``lead`` departments are then
  the only leads (departments that would lead by their duties support instead), its
  ``support`` departments support;
* the columns are the top-level departments (or, under a single top department, that
  department and its sub-departments); a sub-department's part counts for its column.

No Sphinx imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import yaml

from handbook import model as m

#: the duty lists of a department and of a role that may name clauses
DEPARTMENT_LISTS = ("functions", "authority", "goals", "kpis")
ROLE_LISTS = ("responsibilities", "authority", "kpis")


@dataclass(frozen=True)
class Clause:
    number: str
    zh: str
    en: str
    owner: bool  # must have a lead department by default

    def title(self, language: str | None) -> str:
        return self.zh if (language or "").lower().startswith("zh") else self.en

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.number.split("."))


@dataclass(frozen=True)
class Catalog:
    standard_zh: str
    standard_en: str
    clauses: Mapping[str, Clause]  # in the standard's order

    def standard(self, language: str | None) -> str:
        return self.standard_zh if (language or "").lower().startswith("zh") else self.standard_en

    def default_required(self) -> tuple[str, ...]:
        return tuple(c.number for c in self.clauses.values() if c.owner)

    def order(self, number: str) -> int:
        return list(self.clauses).index(number)

    def suggestion(self, written: str) -> str | None:
        """The clause a mistyped tag most likely means ("7.5条" -> "7.5", "8.2.5" -> "8.2.4")."""
        found = re.search(r"\d+(?:\.\d+)*", written)
        if found and found.group(0) in self.clauses and found.group(0) != written:
            return found.group(0)
        if found:  # the nearest existing clause: drop trailing parts until one exists
            parts = found.group(0).split(".")
            while len(parts) > 1:
                parts.pop()
                if ".".join(parts) in self.clauses:
                    return ".".join(parts)
        return None


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The shipped list of ISO 9001:2015 clauses (read once)."""
    text = (resources.files("handbook") / "data" / "iso9001.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    clauses = {
        str(c["number"]): Clause(str(c["number"]), c["zh_CN"], c["en"], bool(c.get("owner"))) for c in data["clauses"]
    }
    std = data["standard"]
    return Catalog(std["zh_CN"], std["en"], MappingProxyType(clauses))


def is_under(clause: str, parent: str) -> bool:
    """``8.2.1`` is under ``8.2`` (and under ``8``); a clause is not under itself."""
    return clause.startswith(parent + ".")


def columns_of(top: tuple[str, ...], subdepartments: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The matrix columns: the top-level departments; under a single top department, it and its children."""
    cols = tuple(top)
    while len(cols) == 1 and subdepartments.get(cols[0]):
        cols = (cols[0], *subdepartments[cols[0]])
    return cols


def matrix(
    company: m.Company,
    departments: Mapping[str, m.Department],
    roles: Mapping[str, m.Role],
    top: tuple[str, ...],
    subdepartments: Mapping[str, tuple[str, ...]],
) -> m.ClauseMatrix:
    """The quality function allocation of a handbook (departments in tree order)."""
    cat = catalog()
    tagged = any(
        d.clauses for x in departments.values() for lst in DEPARTMENT_LISTS for d in m.iter_duties(getattr(x, lst))
    ) or any(d.clauses for x in roles.values() for lst in ROLE_LISTS for d in m.iter_duties(getattr(x, lst)))
    used = tagged or bool(company.clause_owners) or company.required_clauses is not None
    if not used:
        return m.EMPTY_MATRIX
    columns = columns_of(top, subdepartments)
    column_of: dict[str, str] = {}
    for col in columns:
        column_of[col] = col
    for did, dept in departments.items():  # departments come in tree order: parents first
        if did not in column_of and dept.parent in column_of:
            column_of[did] = column_of[dept.parent]
    # (clause, column) -> lead?, duties
    found: dict[tuple[str, str], tuple[bool, list[m.ClauseDuty]]] = {}

    def note(clause: str, department: str, lead: bool, duty: m.ClauseDuty) -> None:
        col = column_of.get(department)
        if col is None or clause not in cat.clauses:
            return
        was_lead, duties = found.setdefault((clause, col), (False, []))
        duties.append(duty)
        found[(clause, col)] = (was_lead or lead, duties)

    for did, dept in departments.items():
        for lst in DEPARTMENT_LISTS:
            for number, duty, _group in m.numbered_duties(getattr(dept, lst)):
                for c in duty.clauses:
                    note(c, did, True, m.ClauseDuty("department", did, lst, number, duty.text))
    for rid, role in roles.items():
        is_head = departments[role.department].head == rid
        for lst in ROLE_LISTS:
            for number, duty, _group in m.numbered_duties(getattr(role, lst)):
                for c in duty.clauses:
                    note(c, role.department, is_head, m.ClauseDuty("role", rid, lst, number, duty.text))
    assigned: dict[str, dict[str, str]] = {}  # clause -> column -> "lead" | "support"
    for owner in company.clause_owners:
        if owner.clause not in cat.clauses:
            continue
        cols = assigned.setdefault(owner.clause, {})
        for did in owner.support:
            if did in column_of:
                cols.setdefault(column_of[did], "support")
        for did in owner.lead:
            if did in column_of:
                cols[column_of[did]] = "lead"
    # clauses declared not to apply (with their justification), and their sub-clauses with them
    na = {o.clause: o.not_applicable for o in company.clause_owners if o.not_applicable and o.clause in cat.clauses}
    na_all = {c for c in cat.clauses for x in na if c == x or is_under(c, x)}
    required = set(company.required_clauses if company.required_clauses is not None else cat.default_required())
    required -= na_all
    numbers = {c for c, _col in found} | set(assigned) | {c for c in required if c in cat.clauses} | set(na)
    # the siblings of a listed sub-clause are listed too: one nobody takes part in shows as a gap (未分配)
    parents = {x.rsplit(".", 1)[0] for x in numbers if "." in x}
    numbers |= {c for c in cat.clauses if "." in c and c.rsplit(".", 1)[0] in parents}
    rows: list[m.ClauseRow] = []
    for clause in sorted(numbers, key=cat.order):
        explicit = assigned.get(clause, {})
        has_explicit_lead = "lead" in explicit.values()
        cells = []
        for col in columns:
            lead_by_duty, duties = found.get((clause, col), (False, []))
            how = explicit.get(col, "")
            if not duties and not how:
                continue
            lead = how == "lead" or (lead_by_duty and not has_explicit_lead)
            cells.append(m.ClauseCell(col, lead, tuple(duties), how))
        rows.append(m.ClauseRow(clause, clause in required, tuple(cells)))
    led = {r.clause for r in rows if any(c.lead for c in r.cells)}
    rows = [
        m.ClauseRow(r.clause, r.required, r.cells, any(c == r.clause or is_under(c, r.clause) for c in led))
        for r in rows
    ]
    return m.ClauseMatrix(columns, tuple(rows), MappingProxyType(column_of), MappingProxyType(na))


def not_applicable(mx: m.ClauseMatrix, clause: str) -> m.Text | None:
    """The justification when ``clause``, or a clause above it, is declared not applicable."""
    for x, why in mx.not_applicable.items():
        if clause == x or is_under(clause, x):
            return why
    return None


def unassigned(mx: m.ClauseMatrix, row: m.ClauseRow) -> bool:
    """A row no department takes part in, neither itself nor by a sub-clause (未分配)."""
    if row.cells or row.led or not_applicable(mx, row.clause) is not None:
        return False
    return not any(r.cells for r in mx.rows if is_under(r.clause, row.clause))


def leads_without_duty(company: m.Company, mx: m.ClauseMatrix) -> list[tuple[m.ClauseOwner, str]]:
    """(the `clause_owners` entry, the lead department) where the department's column holds no duty
    naming the clause or one of its sub-clauses."""
    out = []
    for owner in company.clause_owners:
        for did in owner.lead:
            col = mx.column_of.get(did)
            if col is None:
                continue
            backed = any(
                cell.department == col and cell.duties
                for row in mx.rows
                if row.clause == owner.clause or is_under(row.clause, owner.clause)
                for cell in row.cells
            )
            if not backed:
                out.append((owner, did))
    return out
