"""The relations derived from the checked objects: tree order, reports, holders, staffing, clauses.

:func:`derive` builds the frozen :class:`~handbook.model.Handbook` from objects whose
references are known to be good: departments in tree order, roles by department, direct
and dotted-line reports, holders, the staffing of every role and department (and their
totals), who takes part in which process, people by key, and the quality function allocation
(:func:`handbook.clauses.matrix`). No Sphinx imports.
"""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType
from typing import TypeVar

from handbook import model as m
from handbook.audit.clauses import matrix

T = TypeVar("T")


def sorted_by_order(items: list[T]) -> list[T]:
    """Siblings with an `order` first, by it; the others after them, in file order."""
    return sorted(items, key=lambda x: (x.order is None, x.order or 0))


def derive(
    company: m.Company,
    departments: list[m.Department],
    roles: list[m.Role],
    people: list[m.Person],
    processes: list[m.Process],
    sources: tuple[str, ...] = (),
) -> m.Handbook:
    """Build the handbook and its derived relations from already-checked objects."""
    children: dict[str | None, list[m.Department]] = defaultdict(list)
    for d in departments:
        children[d.parent].append(d)
    ordered_depts: list[m.Department] = []
    stack = list(reversed(sorted_by_order(children[None])))
    while stack:
        d = stack.pop()
        ordered_depts.append(d)
        stack.extend(reversed(sorted_by_order(children[d.id])))
    roles_by_dept: dict[str, list[m.Role]] = defaultdict(list)
    for r in roles:
        roles_by_dept[r.department].append(r)
    ordered_roles: list[m.Role] = []
    department_roles: dict[str, tuple[str, ...]] = {}
    for d in ordered_depts:
        rs = sorted_by_order(roles_by_dept.get(d.id, []))
        ordered_roles.extend(rs)
        department_roles[d.id] = tuple(r.id for r in rs)
    role_ids = {r.id for r in ordered_roles}
    shared: dict[str, list[str]] = defaultdict(list)
    for r in ordered_roles:
        for d_id in r.shared_with:
            if d_id != r.department and r.id not in shared[d_id]:
                shared[d_id].append(r.id)
    direct: dict[str, list[str]] = defaultdict(list)
    dotted: dict[str, list[str]] = defaultdict(list)
    for r in ordered_roles:
        if r.reports_to:
            direct[r.reports_to].append(r.id)
        for t in r.dotted_line_to:
            dotted[t].append(r.id)
    holders: dict[str, list[m.Holder]] = defaultdict(list)
    rank = {"primary": 0, "concurrent": 1, "acting": 2}
    for p in people:
        for a in p.assignments:
            if a.role in role_ids:
                holders[a.role].append(m.Holder(p, a))
    role_staffing = {
        r.id: m.staffing_for(r.headcount, tuple(sorted(holders[r.id], key=lambda h: rank[h.assignment.type])), r.filled)
        for r in ordered_roles
    }
    dept_staff: dict[str, m.Staffing] = {}
    for d in ordered_depts:
        total = m.EMPTY_STAFFING
        for rid in department_roles[d.id]:
            total = total + role_staffing[rid]
        dept_staff[d.id] = total
    subdepartments = {d.id: tuple(c.id for c in sorted_by_order(children[d.id])) for d in ordered_depts}
    total_staff: dict[str, m.Staffing] = {}
    total_roles: dict[str, int] = {}
    for d in reversed(ordered_depts):  # children come after parents in tree order
        st = dept_staff[d.id]
        n = len(department_roles[d.id])
        for c in subdepartments[d.id]:
            st = st + total_staff[c]
            n += total_roles[c]
        total_staff[d.id] = st
        total_roles[d.id] = n
    company_staff = m.EMPTY_STAFFING
    top = tuple(d.id for d in sorted_by_order(children[None]))
    for d in top:
        company_staff = company_staff + total_staff[d]
    ordered_procs = sorted_by_order(list(processes))
    role_procs: dict[str, list[str]] = defaultdict(list)
    for p in ordered_procs:
        involved = [p.owner] + [s.role for s in p.steps]
        for row in p.raci:
            involved += [*row.responsible, *row.accountable, *row.consulted, *row.informed]
        for rid in involved:
            if rid and rid in role_ids and p.id not in role_procs[rid]:
                role_procs[rid].append(p.id)
    fz = MappingProxyType
    dept_map = {d.id: d for d in ordered_depts}
    role_map = {r.id: r for r in ordered_roles}
    subdepartments_fz = fz(subdepartments)
    hb = m.Handbook(
        company=company,
        departments=fz(dept_map),
        roles=fz(role_map),
        people=tuple(people),
        people_by_key=fz({p.key: p for p in people}),
        processes=fz({p.id: p for p in ordered_procs}),
        top_departments=top,
        subdepartments=subdepartments_fz,
        department_roles=fz(department_roles),
        direct_reports=fz({k: tuple(v) for k, v in direct.items()}),
        dotted_reports=fz({k: tuple(v) for k, v in dotted.items()}),
        holders=fz({k: tuple(sorted(v, key=lambda h: rank[h.assignment.type])) for k, v in holders.items()}),
        role_staffing=fz(role_staffing),
        department_staffing=fz(dept_staff),
        department_total_staffing=fz(total_staff),
        company_staffing=company_staff,
        department_total_roles=fz(total_roles),
        role_processes=fz({k: tuple(v) for k, v in role_procs.items()}),
        sources=sources,
        shared_roles=fz({k: tuple(v) for k, v in shared.items()}),
        clause_matrix=matrix(company, dept_map, role_map, top, subdepartments_fz),
    )
    return hb
