"""What the ``handbook`` HTML theme shows around each page, at a constant cost per page.

The theme never renders the global toctree (that made builds quadratic in the number of
pages): its sidebar shows breadcrumbs, the index links of :data:`NAV_LINKS`, and on a
department page that department's own roles and sub-departments.
"""

from __future__ import annotations

from pathlib import Path

from .i18n import _
from .pages import PAGE_KINDS, PAGES
from .view import View

THEME_DIR = Path(__file__).parent / "theme"

#: the sidebar's index links: (docname, English label), from the page table
NAV_LINKS = tuple((k.docname, k.title) for k in PAGE_KINDS if k.nav)
#: labels the theme's templates show (templates only see Sphinx's own catalog)
THEME_LABELS = {"navigation": "Navigation", "search": "Search", "search_placeholder": "Search duties, roles…",
                "organisation": "Organisation", "previous": "Previous page", "next": "Next page",
                "this_department": "In this department", "handbook_pages": "Handbook", "skip": "Skip to content",
                "sub_departments": "Sub-departments", "roles": "Roles"}
#: labels chosen at run time, for the catalog check (scripts/i18n.py)
NAV_LABELS = tuple(label for _d, label in NAV_LINKS) + tuple(THEME_LABELS.values())


def page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the theme's variables.

    ``handbook_nav_links``: the index links; ``handbook_company``: name and page of the
    company (the first breadcrumb); ``handbook_document``: document-control fields for the
    footer; ``handbook_local``: on a department page, its roles and sub-departments, read
    from the page's own (hidden) toctree entries, so the cost is the size of the department.
    """
    all_docs = app.env.all_docs
    hidden = set() if app.config.handbook_show_people else {PAGES["people"].docname}
    context["handbook_nav_links"] = [(d, str(_(label))) for d, label in NAV_LINKS
                                     if d in all_docs and d not in hidden]
    context["handbook_labels"] = {k: str(_(v)) for k, v in THEME_LABELS.items()}
    handbook = app.env.domains["org"].handbook
    company: dict[str, str] = {}
    document: list[tuple[str, str]] = []
    if handbook is not None:
        v = View(handbook, app.config.language)
        c = handbook.company
        company_doc = PAGES["company"].docname
        company = {"name": v.t(c.name), "docname": company_doc if company_doc in all_docs else ""}
        doc = c.document
        for label, value in ((_("Document number"), v.t(doc.number)), (_("Revision"), v.t(doc.revision)),
                             (_("Effective"), doc.effective.isoformat() if doc.effective else "")):
            if value:
                document.append((str(label), value))
    context["handbook_company"] = company
    context["handbook_document"] = document
    local: dict[str, list[tuple[str, str]]] = {"roles": [], "departments": []}
    if pagename.startswith("departments/") and pagename != PAGES["departments"].docname:
        titles = app.env.titles
        for docname in app.env.toctree_includes.get(pagename, ()):
            kind = "roles" if docname.startswith("roles/") else "departments"
            title = titles[docname].astext() if docname in titles else docname
            local[kind].append((docname, title))
    context["handbook_local"] = local


def setup_theme(app) -> None:
    app.add_html_theme("handbook", str(THEME_DIR))
    app.connect("html-page-context", page_context)
