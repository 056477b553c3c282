"""A read-only view of the handbook that records what a page shows.

Pages, directives and charts read the model only through a :class:`View`. Each read
records a *dependency key*, a tuple such as ``("role-title", "cs-manager")``; after the
build the keys of every page are stored with the digest of what they stood for, and on
the next build :func:`key_digest` tells which changed, so exactly the pages that show
changed data are read and written again (see ``domain.py``).

:data:`DEPENDENCIES` is the one table of dependency keys: each kind of key and the
value it stands for. A :class:`View` accessor returns that very value (or a part of
it), so a page cannot show more than it records. No Sphinx imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from handbook import model as m
from handbook.audit.acknowledgements import plan
from handbook.audit.org_health import OrgHealth, examine
from handbook.digest import digest
from handbook.pages import page_made

Key = tuple[str, ...]


@dataclass(frozen=True)
class RoleBrief:
    """A role as a summary row shows it: title, code, department, reporting lines, headcount."""

    title: m.Text
    code: m.Text | None
    department: str
    reports_to: str | None
    dotted_line_to: tuple[str, ...]
    headcount: m.Range | None
    grade: m.Text | None

    @classmethod
    def of(cls, r: m.Role) -> RoleBrief:
        return cls(r.title, r.code, r.department, r.reports_to, r.dotted_line_to, r.headcount, r.grade)


@dataclass(frozen=True)
class DepartmentBrief:
    """A department as a summary row shows it: name, code, category, parent, head, purpose."""

    name: m.Text
    code: m.Text | None
    category: m.Text | None
    parent: str | None
    head: str | None
    purpose: m.Text | None

    @classmethod
    def of(cls, d: m.Department) -> DepartmentBrief:
        return cls(d.name, d.code, d.category, d.parent, d.head, d.purpose)


def _title(hb: m.Handbook, language: str | None, kind: str, ident: str) -> str:
    text = hb.title(kind, ident)
    if text is None:
        raise KeyError(ident)
    return text.get(language)


def _dept_staffing(hb: m.Handbook, language: str | None, did: str) -> tuple[m.Staffing, m.Staffing, int]:
    return hb.department_staffing[did], hb.department_total_staffing[did], hb.department_total_roles.get(did, 0)


def _object_changes(hb: m.Handbook, language: str | None, kind: str, ident: str) -> Any:
    """(the baseline's label, what changed in one object) — None without a baseline or a change."""
    changes = hb.changes
    found = changes.of(kind, ident) if changes is not None else None
    return (changes.old_label, found) if found is not None else None


def _in(store: Mapping[str, Any], ident: str, value: Any) -> Any:
    if ident not in store:
        raise KeyError(ident)
    return value


#: every kind of dependency key -> the value it stands for, from (handbook, language, *key[1:]).
#: A KeyError means the object is gone (the page is read again).
DEPENDENCIES: dict[str, Callable[..., Any]] = {
    # whole objects (a page shows all of it)
    "company": lambda hb, lang: hb.company,
    "role": lambda hb, lang, rid: hb.roles[rid],
    "department": lambda hb, lang, did: hb.departments[did],
    "process": lambda hb, lang, pid: hb.processes[pid],
    # a title or name in the build language (a link, a table cell)
    "title": _title,
    # a summary row
    "role-brief": lambda hb, lang, rid: RoleBrief.of(hb.roles[rid]),
    "department-brief": lambda hb, lang, did: DepartmentBrief.of(hb.departments[did]),
    # collections, in display order
    "all-roles": lambda hb, lang: tuple(hb.roles),
    "all-departments": lambda hb, lang: tuple(hb.departments),
    "all-processes": lambda hb, lang: tuple(hb.processes),
    "top-departments": lambda hb, lang: hb.top_departments,
    "people": lambda hb, lang: hb.people,
    # derived relations
    "subdepartments": lambda hb, lang, did: _in(hb.departments, did, hb.subdepartments.get(did, ())),
    "department-roles": lambda hb, lang, did: _in(hb.departments, did, hb.department_roles.get(did, ())),
    "shared-roles": lambda hb, lang, did: _in(hb.departments, did, hb.shared_roles.get(did, ())),
    "department-path": lambda hb, lang, did: hb.department_path(did) if did in hb.departments else None,
    "reports": lambda hb, lang, rid: hb.direct_reports.get(rid, ()),
    "dotted-reports": lambda hb, lang, rid: hb.dotted_reports.get(rid, ()),
    "holders": lambda hb, lang, rid: hb.holders.get(rid, ()),
    "role-staffing": lambda hb, lang, rid: hb.role_staffing[rid],
    "department-staffing": _dept_staffing,
    "company-staffing": lambda hb, lang: hb.company_staffing,
    "role-processes": lambda hb, lang, rid: hb.role_processes.get(rid, ()),
    "descendants": lambda hb, lang, did: _in(hb.departments, did, hb.descendants(did)),
    # document control and audit pages
    "history": lambda hb, lang: hb.company.document.history,
    "reviews": lambda hb, lang: hb.company.document.reviews,
    "changes": lambda hb, lang: hb.changes,
    "baseline": lambda hb, lang: hb.changes.old_label if hb.changes is not None else None,
    "object-changes": _object_changes,
    "clause-matrix": lambda hb, lang: hb.clause_matrix,
    "org-health": lambda hb, lang: examine(hb),
    # whether an optional page (history, changes, clauses) is made
    "page-made": lambda hb, lang, kind: page_made(hb, kind),
    "acknowledgements": lambda hb, lang: _acknowledgements(hb),
}


def _acknowledgements(hb: m.Handbook) -> Any:
    """Who must re-read what since the baseline (None without one)."""
    changes = hb.changes
    if changes is None or changes.previous is None:
        return None
    return plan(changes.previous, hb, changes, old_label=changes.old_label)


def key_value(hb: m.Handbook, key: Key, language: str | None) -> Any:
    """What a key stands for in this handbook (raises KeyError when it is gone)."""
    try:
        fn = DEPENDENCIES[key[0]]
    except KeyError:
        raise ValueError(f"unknown dependency key {key!r}") from None
    return fn(hb, language, *key[1:])


def key_digest(hb: m.Handbook, key: Key, language: str | None) -> str | None:
    """The digest of what a key stands for in this handbook (``None``: it is gone)."""
    try:
        return digest(key_value(hb, key, language))
    except KeyError:
        return None


class View:
    """The handbook for one page, in one language, recording the keys it reads."""

    def __init__(self, handbook: m.Handbook, language: str | None) -> None:
        self.hb = handbook
        self.language = language
        self.keys: set[Key] = set()

    def read(self, *key: str) -> Any:
        """Record a key and return what it stands for."""
        self.keys.add(key)
        return key_value(self.hb, key, self.language)

    def t(self, text: m.Text | None) -> str:
        """A text in the build language ('' for None)."""
        return "" if text is None else text.get(self.language)

    # whole objects
    def company(self) -> m.Company:
        return self.read("company")

    def role(self, role_id: str) -> m.Role:
        return self.read("role", role_id)

    def department(self, dept_id: str) -> m.Department:
        return self.read("department", dept_id)

    def process(self, proc_id: str) -> m.Process:
        return self.read("process", proc_id)

    # titles
    def title(self, kind: str, ident: str) -> str:
        return self.read("title", kind, ident)

    def role_title(self, role_id: str) -> str:
        return self.read("title", "role", role_id)

    def department_name(self, dept_id: str) -> str:
        return self.read("title", "department", dept_id)

    def process_name(self, proc_id: str) -> str:
        return self.read("title", "process", proc_id)

    # summaries
    def role_brief(self, role_id: str) -> RoleBrief:
        return self.read("role-brief", role_id)

    def department_brief(self, dept_id: str) -> DepartmentBrief:
        return self.read("department-brief", dept_id)

    # collections
    def all_roles(self) -> tuple[str, ...]:
        return self.read("all-roles")

    def all_departments(self) -> tuple[str, ...]:
        return self.read("all-departments")

    def all_processes(self) -> tuple[str, ...]:
        return self.read("all-processes")

    def all_people(self) -> tuple[m.Person, ...]:
        return self.read("people")

    def top_departments(self) -> tuple[str, ...]:
        return self.read("top-departments")

    # relations
    def subdepartments(self, dept_id: str) -> tuple[str, ...]:
        return self.read("subdepartments", dept_id)

    def descendants(self, dept_id: str) -> tuple[str, ...]:
        return self.read("descendants", dept_id)

    def department_roles(self, dept_id: str) -> tuple[str, ...]:
        return self.read("department-roles", dept_id)

    def shared_roles(self, dept_id: str) -> tuple[str, ...]:
        """The posts of other departments this one shares (they count in their own department)."""
        return self.read("shared-roles", dept_id)

    def department_path(self, dept_id: str) -> tuple[str, ...]:
        return self.read("department-path", dept_id)

    def direct_reports(self, role_id: str) -> tuple[str, ...]:
        return self.read("reports", role_id)

    def dotted_reports(self, role_id: str) -> tuple[str, ...]:
        return self.read("dotted-reports", role_id)

    def holders(self, role_id: str) -> tuple[m.Holder, ...]:
        return self.read("holders", role_id)

    def role_processes(self, role_id: str) -> tuple[str, ...]:
        return self.read("role-processes", role_id)

    # staffing
    def role_staffing(self, role_id: str) -> m.Staffing:
        return self.read("role-staffing", role_id)

    def department_staffing(self, dept_id: str, total: bool = True) -> m.Staffing:
        own, tot, _n = self.read("department-staffing", dept_id)
        return tot if total else own

    def department_total_roles(self, dept_id: str) -> int:
        return self.read("department-staffing", dept_id)[2]

    def company_staffing(self) -> m.Staffing:
        return self.read("company-staffing")

    # document control and audit pages
    def history(self) -> tuple[m.Revision, ...]:
        return self.read("history")

    def reviews(self) -> tuple[m.Review, ...]:
        """The review log (复审记录)."""
        return self.read("reviews")

    def changes(self) -> Any:
        """What changed since the baseline (a :class:`handbook.audit.changes.Changes`), or None."""
        return self.read("changes")

    def baseline(self) -> str | None:
        """The baseline's label ("B/0"), or None without a baseline."""
        return self.read("baseline")

    def object_changes(self, kind: str, ident: str) -> Any:
        """(the baseline's label, a :class:`handbook.audit.changes.ObjectChange`), or None."""
        return self.read("object-changes", kind, ident)

    def page_made(self, kind: str) -> bool:
        """Whether the data makes the generated page of ``kind`` (``handbook.pages.PAGES``)."""
        return self.read("page-made", kind)

    def clause_matrix(self) -> m.ClauseMatrix:
        return self.read("clause-matrix")

    def acknowledgements(self) -> Any:
        """Who must re-read what since the baseline (:class:`handbook.audit.acknowledgements.Plan`), or None."""
        return self.read("acknowledgements")

    def org_health(self) -> OrgHealth:
        """The organisation's figures (:func:`handbook.audit.org_health.examine`)."""
        return self.read("org-health")
