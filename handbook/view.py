"""A read-only view of the handbook that records what a page shows.

Pages, directives and charts read the model only through a :class:`View`. Each read
records a *dependency key*; after the build the keys of every page are stored, and on
the next build :func:`key_digest` tells which keys changed, so exactly the pages that
show changed data are read and written again (see ``domain.py``). No Sphinx imports.
"""

from __future__ import annotations

from . import model as m

Key = tuple[str, ...]


class View:
    """The handbook for one page, in one language, recording the keys it reads."""

    def __init__(self, handbook: m.Handbook, language: str | None) -> None:
        self.hb = handbook
        self.language = language
        self.keys: set[Key] = set()

    # -- text -------------------------------------------------------------------
    def t(self, text: m.Text | None) -> str:
        """A text in the build language ('' for None)."""
        return "" if text is None else text.get(self.language)

    # -- whole objects (their full content is shown) ------------------------------
    def company(self) -> m.Company:
        self.keys.add(("company",))
        return self.hb.company

    def role(self, role_id: str) -> m.Role:
        self.keys.add(("role", role_id))
        return self.hb.roles[role_id]

    def department(self, dept_id: str) -> m.Department:
        self.keys.add(("department", dept_id))
        return self.hb.departments[dept_id]

    def process(self, proc_id: str) -> m.Process:
        self.keys.add(("process", proc_id))
        return self.hb.processes[proc_id]

    # -- titles only (a link, a table cell) -----------------------------------------
    def role_title(self, role_id: str) -> str:
        self.keys.add(("title", "role", role_id))
        return self.t(self.hb.roles[role_id].title)

    def department_name(self, dept_id: str) -> str:
        self.keys.add(("title", "department", dept_id))
        return self.t(self.hb.departments[dept_id].name)

    def process_name(self, proc_id: str) -> str:
        self.keys.add(("title", "process", proc_id))
        return self.t(self.hb.processes[proc_id].name)

    def role_brief(self, role_id: str) -> m.Role:
        """A role for a summary row: title, code, department, reporting line, headcount."""
        self.keys.add(("brief", "role", role_id))
        return self.hb.roles[role_id]

    def department_brief(self, dept_id: str) -> m.Department:
        """A department for a summary row: name, code, category, parent, head."""
        self.keys.add(("brief", "department", dept_id))
        return self.hb.departments[dept_id]

    # -- collections and derived data -------------------------------------------------
    def all_roles(self) -> tuple[str, ...]:
        self.keys.add(("all", "roles"))
        return tuple(self.hb.roles)

    def all_departments(self) -> tuple[str, ...]:
        self.keys.add(("all", "departments"))
        return tuple(self.hb.departments)

    def all_people(self) -> tuple[m.Person, ...]:
        self.keys.add(("all", "people"))
        return self.hb.people

    def all_processes(self) -> tuple[str, ...]:
        self.keys.add(("all", "processes"))
        return tuple(self.hb.processes)

    def top_departments(self) -> tuple[str, ...]:
        self.keys.add(("all", "departments"))
        return self.hb.top_departments

    def subdepartments(self, dept_id: str) -> tuple[str, ...]:
        self.keys.add(("subdepartments", dept_id))
        return self.hb.subdepartments.get(dept_id, ())

    def department_roles(self, dept_id: str) -> tuple[str, ...]:
        self.keys.add(("department-roles", dept_id))
        return self.hb.department_roles.get(dept_id, ())

    def direct_reports(self, role_id: str) -> tuple[str, ...]:
        self.keys.add(("reports", role_id))
        return self.hb.direct_reports.get(role_id, ())

    def dotted_reports(self, role_id: str) -> tuple[str, ...]:
        self.keys.add(("dotted-reports", role_id))
        return self.hb.dotted_reports.get(role_id, ())

    def holders(self, role_id: str) -> tuple[m.Holder, ...]:
        self.keys.add(("holders", role_id))
        return self.hb.holders.get(role_id, ())

    def role_staffing(self, role_id: str) -> m.Staffing:
        self.keys.add(("staffing", "role", role_id))
        return self.hb.role_staffing[role_id]

    def department_staffing(self, dept_id: str, total: bool = True) -> m.Staffing:
        self.keys.add(("staffing", "department", dept_id))
        src = self.hb.department_total_staffing if total else self.hb.department_staffing
        return src[dept_id]

    def department_total_roles(self, dept_id: str) -> int:
        self.keys.add(("staffing", "department", dept_id))
        return self.hb.department_total_roles.get(dept_id, 0)

    def company_staffing(self) -> m.Staffing:
        self.keys.add(("staffing", "company"))
        return self.hb.company_staffing

    def role_processes(self, role_id: str) -> tuple[str, ...]:
        self.keys.add(("role-processes", role_id))
        return self.hb.role_processes.get(role_id, ())

    def department_path(self, dept_id: str) -> tuple[str, ...]:
        path = self.hb.department_path(dept_id)
        for d in path:
            self.keys.add(("brief", "department", d))
        return path


def key_digest(hb: m.Handbook, key: Key, language: str | None) -> str | None:
    """The digest of what a key stands for in this handbook (``None``: it is gone)."""
    kind = key[0]
    try:
        if kind == "company":
            return m.digest(hb.company)
        if kind == "role":
            return m.digest(hb.roles[key[1]])
        if kind == "department":
            return m.digest(hb.departments[key[1]])
        if kind == "process":
            return m.digest(hb.processes[key[1]])
        if kind == "title" and key[1] == "person":
            return m.digest(next((p.name for p in hb.people if p.key == key[2]), None))
        if kind == "title":
            obj = {"role": hb.roles, "department": hb.departments, "process": hb.processes}[key[1]][key[2]]
            return m.digest(getattr(obj, "title" if key[1] == "role" else "name").get(language))
        if kind == "brief":
            if key[1] == "role":
                r = hb.roles[key[2]]
                return m.digest((r.title, r.code, r.department, r.reports_to, r.dotted_line_to, r.headcount, r.grade))
            d = hb.departments[key[2]]
            return m.digest((d.name, d.code, d.category, d.parent, d.head, d.purpose))
        if kind == "all" and key[1] == "people":
            return m.digest(hb.people)
        if kind == "all":
            return m.digest(tuple({"roles": hb.roles, "departments": hb.departments,
                                   "processes": hb.processes}[key[1]]))
        if kind == "subdepartments":
            return m.digest(hb.subdepartments.get(key[1], ()) if key[1] in hb.departments else None)
        if kind == "department-roles":
            return m.digest(hb.department_roles.get(key[1], ()) if key[1] in hb.departments else None)
        if kind == "reports":
            return m.digest(hb.direct_reports.get(key[1], ()))
        if kind == "dotted-reports":
            return m.digest(hb.dotted_reports.get(key[1], ()))
        if kind == "holders":
            return m.digest(tuple((h.person.name, h.person.key, h.assignment) for h in hb.holders.get(key[1], ())))
        if kind == "staffing":
            if key[1] == "role":
                return m.digest(hb.role_staffing[key[2]])
            if key[1] == "department":
                return m.digest((hb.department_staffing[key[2]], hb.department_total_staffing[key[2]],
                                 hb.department_total_roles.get(key[2], 0)))
            return m.digest(hb.company_staffing)
        if kind == "role-processes":
            return m.digest(hb.role_processes.get(key[1], ()))
    except KeyError:
        return None
    raise ValueError(f"unknown dependency key {key!r}")

