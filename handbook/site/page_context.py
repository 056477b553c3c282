"""What the ``handbook`` HTML theme shows around each page, at a constant cost per page.

The theme never renders the global toctree (that made builds quadratic in the number of
pages): its sidebar shows breadcrumbs, the index links of :data:`NAV_LINKS`, and on a
department page that department's own roles and sub-departments.
"""

from __future__ import annotations

import re
from pathlib import Path

from handbook.i18n import _
from handbook.pages import PAGE_KINDS, PAGES
from handbook.site.settings import build_date
from handbook.view import View

THEME_DIR = Path(__file__).parent / "theme"

#: the sidebar's index links: (docname, English label), from the page table
NAV_LINKS = tuple((k.docname, k.title) for k in PAGE_KINDS if k.nav)
#: labels the theme's templates show (templates only see Sphinx's own catalog)
THEME_LABELS = {
    "navigation": "Navigation",
    "search": "Search",
    "search_placeholder": "Search duties, roles…",
    "organisation": "Organisation",
    "previous": "Previous page",
    "next": "Next page",
    "this_department": "In this department",
    "handbook_pages": "Handbook",
    "skip": "Skip to content",
    "sub_departments": "Sub-departments",
    "roles": "Roles",
    "printed": "Printed",
    "uncontrolled": "Uncontrolled when printed",
}
#: the page number in the printed page's footer; {page} and {pages} become CSS counters
PAGE_OF = "Page {page} of {pages}"
#: labels chosen at run time, for the catalog check (scripts/i18n.py)
NAV_LABELS = tuple(label for _d, label in NAV_LINKS) + tuple(THEME_LABELS.values()) + (PAGE_OF,)


def page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the theme's variables.

    ``handbook_nav_links``: the index links; ``handbook_company``: name and page of the
    company (the first breadcrumb); ``handbook_document``: document-control fields for the
    footer; ``handbook_local``: on a department page, its roles and sub-departments, read
    from the page's own (hidden) toctree entries, so the cost is the size of the department.
    """
    all_docs = app.env.all_docs
    hidden = set() if app.config.handbook_show_people else {PAGES["people"].docname}
    context["handbook_nav_links"] = [(d, str(_(label))) for d, label in NAV_LINKS if d in all_docs and d not in hidden]
    context["handbook_labels"] = {k: str(_(v)) for k, v in THEME_LABELS.items()}
    frame = app.env.domains["org"].data.get("frame")
    company: dict[str, str] = {}
    document: list[tuple[str, str]] = []
    running: list[tuple[str, str]] = []  # what identifies a printed page: number and revision
    if frame is not None:
        company_doc = PAGES["company"].docname
        company = {"name": frame["company"], "docname": company_doc if company_doc in all_docs else ""}
        fields = (
            (_("Document number"), frame["number"]),
            (_("Revision"), frame["revision"]),
            (_("Effective"), frame["effective"]),
        )
        document = [(str(label), value) for label, value in fields if value]
        running = [(str(label), value) for label, value in fields[:2] if value]
    context["handbook_company"] = company
    context["handbook_document"] = document
    context["handbook_print_css"] = print_css(
        company.get("name", ""), running, frame.get("note", "") if frame is not None else ""
    )
    context["handbook_banners"] = [tuple(b) for b in frame.get("banners", ())] if frame is not None else []
    if "body" in context:
        context["body"] = caption_levels(context["body"])
    local: dict[str, list[tuple[str, str]]] = {"roles": [], "departments": []}
    if pagename.startswith("departments/") and pagename != PAGES["departments"].docname:
        titles = app.env.titles
        for docname in app.env.toctree_includes.get(pagename, ()):
            kind = "roles" if docname.startswith("roles/") else "departments"
            title = titles[docname].astext() if docname in titles else docname
            local[kind].append((docname, title))
    context["handbook_local"] = local


def page_frame(hb, config) -> dict:
    """What every page's header and footer show of the data, kept with the build's environment
    (so a rebuild that reads no page does not need the data): company, number, revision,
    date, and the banners (status, an overdue review)."""
    v = View(hb, config.language)
    doc = hb.company.document
    return {
        "company": v.t(hb.company.name),
        "number": v.t(doc.number),
        "revision": v.t(doc.revision),
        "effective": doc.effective.isoformat() if doc.effective else "",
        "banners": banners(hb, config),
        "note": str(_(doc.status.note)) if doc.status is not None and doc.status.note else "",
    }


def css_string(text: str) -> str:
    """``text`` as a CSS string, safe inside a ``<style>`` element."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "<>&" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def print_css(company: str, document: list[tuple[str, str]], note: str = "") -> str:
    """The printed page's running header and footer, as CSS custom properties that the
    ``@page`` margin boxes of handbook.css show: document number and revision, the
    company and the document status's note (a draft says so; by default "not controlled"),
    page X of Y (the print date is set by handbook.js)."""
    doc = " · ".join(f"{label} {value}" for label, value in document)
    foot = " · ".join(t for t in (company, note or str(_(THEME_LABELS["uncontrolled"]))) if t)
    page = " ".join(
        css_string(part) if i % 2 == 0 else f"counter({part})"
        for i, part in enumerate(re.split(r"\{(page|pages)\}", str(_(PAGE_OF))))
        if part
    )
    return (
        f":root {{ --hb-print-doc: {css_string(doc)}; --hb-print-foot: {css_string(foot)}; --hb-print-page: {page}; }}"
    )


#: Sphinx writes a toctree's caption as ``role="heading"`` without the level that role requires
_CAPTION = re.compile(r'(<p class="caption" role="heading")(?![^>]*aria-level)')


def caption_levels(body: str) -> str:
    """Give toctree captions their heading level (they stand under the page's title)."""
    return _CAPTION.sub(r'\1 aria-level="2"', body)


def banners(handbook, config) -> list[tuple[str, str]]:
    """The notes at the top of every page: the document's status (draft, obsolete), an overdue review."""
    doc = handbook.company.document
    out: list[tuple[str, str]] = []
    if doc.status is not None and doc.status.banner:
        out.append((doc.status.key, str(_(doc.status.banner))))
    today = build_date(config)
    if doc.review_overdue(today):
        out.append(
            (
                "review-overdue",
                str(_("Review overdue: this document was due for review on {date}.")).format(
                    date=doc.next_review.isoformat()
                ),
            )
        )
    return out


def setup_theme(app) -> None:
    app.add_html_theme("handbook", str(THEME_DIR))
    app.connect("html-page-context", page_context)
