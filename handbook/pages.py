"""Which pages the data makes, and their addresses: ``PAGE_KINDS``, one row per page kind.

A page per department, role and process, and the indexes; each row names its address,
the renderer method that makes it, its navigation label, where the PDF groups it and the
condition under which it exists. The site writes a stub per page from it
(:mod:`handbook.site.stubs`); the search, the PDF and handbook.json use the addresses.
No Sphinx imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handbook import model as m


@dataclass(frozen=True)
class PageKind:
    """A kind of generated page: the one row to add for a new page.

    ``render`` names the :class:`~handbook.render.Renderer` method that builds it (called
    with the object's id for per-object pages); ``title`` is the English label, shown
    translated in the sidebar when ``nav`` is set."""

    kind: str  # the argument of `.. org-page::`
    docname: str  # the page's address; "{}" is the object's id on per-object pages
    title: str
    render: str
    per: str | None = None  # role | department | process: one page per object of that kind
    nav: bool = False  # a link in every page's sidebar
    pdf_index: bool = False  # grouped under the PDF's "Indexes" chapter
    orphan: bool = False  # reached through links and the sidebar, not a toctree
    when: str = ""  # generated only when this condition of CONDITIONS holds ("": always)

    def docname_of(self, ident: str = "") -> str:
        return self.docname.format(ident)


#: every generated page; page addresses are derived from ids so they survive a change of title
PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("company", "company", "Company", "company_page", nav=True),
    PageKind("departments", "departments/index", "Departments", "departments_index", nav=True),
    PageKind("roles", "roles/index", "Roles A–Z", "roles_index", nav=True, pdf_index=True),
    PageKind("processes", "processes/index", "Processes", "processes_index", nav=True),
    PageKind("headcount", "indexes/headcount", "Headcount summary", "headcount_index", nav=True, pdf_index=True),
    PageKind("raci", "indexes/raci", "RACI matrix", "raci_index", nav=True, pdf_index=True),
    PageKind("people", "indexes/people", "People", "people_index", nav=True, orphan=True),
    PageKind("history", "indexes/history", "Revision history", "history_page", nav=True, orphan=True, when="history"),
    PageKind(
        "changes", "indexes/changes", "Changes in this revision", "changes_page", nav=True, orphan=True, when="baseline"
    ),
    PageKind(
        "clauses",
        "indexes/clauses",
        "Quality function allocation",
        "clauses_page",
        nav=True,
        orphan=True,
        when="clauses",
    ),
    PageKind(
        "acknowledgements",
        "indexes/acknowledgements",
        "Acknowledgements",
        "acknowledgements_page",
        nav=True,
        orphan=True,
        when="baseline",
    ),
    PageKind("org-health", "indexes/org-health", "Organisation health", "org_health_page", nav=True, orphan=True),
    PageKind("department", "departments/{}", "Department", "department_page", per="department"),
    PageKind("role", "roles/{}", "Role", "role_page", per="role"),
    PageKind("process", "processes/{}", "Process", "process_page", per="process"),
)
#: the conditions of optional pages: (holds for this handbook, what the docs say)
CONDITIONS: dict[str, tuple[Callable[[m.Handbook], bool], str]] = {
    "history": (lambda hb: bool(hb.company.document.history), "when `document.history` has entries"),
    "baseline": (lambda hb: hb.changes is not None, "with `handbook_baseline` set"),
    "clauses": (lambda hb: bool(hb.clause_matrix), "when duties name ISO 9001 clauses"),
}
PAGES: dict[str, PageKind] = {k.kind: k for k in PAGE_KINDS}
#: the generated pages of a handbook's table of contents (``org-contents``, in the index page
#: of ``handbook new``), in order: what changed in this revision, the company, who holds which
#: ISO 9001 clause, then the organisation and its indexes. The revision history stays out (the
#: PDF has it in its front matter; the site reaches it from the sidebar and the company page),
#: as do the people index and the organisation's health (for HR and management, not the audit).
CONTENTS: tuple[str, ...] = ("changes", "company", "clauses", "departments", "processes", "roles", "headcount", "raci")
#: per-object pages by the kind of object
OBJECT_PAGES: dict[str, PageKind] = {k.per: k for k in PAGE_KINDS if k.per}


def page_made(hb: m.Handbook, kind: str) -> bool:
    """Whether this handbook makes the page of ``kind`` (its condition holds, if it has one)."""
    page = PAGES[kind]
    return not page.when or CONDITIONS[page.when][0](hb)


def docname_for(kind: str, ident: str) -> str:
    """The page of a role, department or process."""
    return OBJECT_PAGES[kind].docname_of(ident)


def index_docname(kind: str) -> str:
    """The page of an index (``"departments"`` -> ``"departments/index"``)."""
    return PAGES[kind].docname
