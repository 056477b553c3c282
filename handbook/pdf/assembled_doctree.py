"""The single document Sphinx assembles from every page, made fit to be one PDF.

Sphinx's single-page HTML builder inlines every page into one doctree, each page under an
``addnodes.start_of_file`` (:func:`page_files` walks them). Pages get their ids
independently, so :func:`unique_ids` makes them unique across the document; links point
at the sections they open (:func:`link_to_sections`) or lose their link when the page is
not in the PDF (:func:`unlink_missing_pages`); what the PDF would print twice or that is
for the web only is dropped (:func:`drop_duplicates`, :func:`strip_root_intro`); each
chapter ends in a marker the layout looks for (:func:`mark_chapter_ends`). Docutils and
Sphinx's node classes only: no builder state.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

from handbook.pages import index_docname


def page_files(node: nodes.Node, depth: int = 0):
    """(parent, start_of_file, depth) in document order; depth 1 = included by the root page."""
    for child in list(node.children):
        if isinstance(child, addnodes.start_of_file):
            yield node, child, depth + 1
            yield from page_files(child, depth + 1)
        elif isinstance(child, nodes.Element):
            yield from page_files(child, depth)


def _own_elements(container: nodes.Element):
    """The elements of one assembled page, not those of the pages it includes."""
    stack = list(reversed(container.children))
    while stack:
        node = stack.pop()
        if isinstance(node, addnodes.start_of_file) or not isinstance(node, nodes.Element):
            continue
        yield node
        stack.extend(reversed(node.children))


def unique_ids(tree: nodes.document, root_doc: str) -> None:
    """Every id once in the assembled document. Pages get their ids independently (a
    section with a Chinese title is docutils' ``id1`` on every page), which one document
    cannot hold: a later page's repeated id becomes ``<page>-<id>``, and that page's own
    references follow."""
    seen: set[str] = set()
    pages = [(tree, root_doc)] + [(sof, sof["docname"]) for _p, sof, _d in page_files(tree)]
    for container, docname in pages:
        elements = list(_own_elements(container))
        renamed: dict[str, str] = {}
        for el in elements:
            ids = []
            for ident in el["ids"]:
                if ident in seen:
                    base = re.sub(r"[^\w-]+", "-", docname).strip("-") + "-" + ident
                    new, n = base, 1
                    while new in seen:
                        n += 1
                        new = f"{base}-{n}"
                    renamed[ident] = new
                    ident = new
                seen.add(ident)
                ids.append(ident)
            el["ids"] = ids
        if not renamed:
            continue
        for el in elements:
            if el.get("refid") in renamed:
                el["refid"] = renamed[el["refid"]]
            if el.get("backrefs"):
                el["backrefs"] = [renamed.get(x, x) for x in el["backrefs"]]
            uri = el.get("refuri", "")
            if uri.startswith("#") and uri[1:] in renamed:
                el["refuri"] = "#" + renamed[uri[1:]]


def link_to_sections(tree: nodes.document) -> None:
    """A link to a page (``#document-roles/x``) points at the page's first section
    instead: the marker before it sits on the previous page once the section starts a
    new one, and the index chapters print the page number of the link's target."""
    first: dict[str, str] = {}
    for _parent, sof, _depth in page_files(tree):
        sec = next((c for c in sof.children if isinstance(c, nodes.section) and c["ids"]), None)
        if sec is not None:
            first[sof["docname"]] = sec["ids"][0]
    for ref in tree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and uri[len("#document-") :] in first:
            ref["refuri"] = "#" + first[uri[len("#document-") :]]


def drop_duplicates(tree: nodes.document) -> None:
    """Print each thing once: the RACI tables are in their processes (the RACI index
    repeats them all), and the departments index holds the department tree the company
    page repeats. (The roles index's "by department" part stays: in the PDF it is an index
    that gives each role's page.)"""
    docs = {n["docname"]: n for n in tree.findall(addnodes.start_of_file)}
    raci = docs.get(index_docname("raci"))
    if raci is not None and any(d.startswith("processes/") for d in docs):
        raci.parent.remove(raci)
    if index_docname("departments") in docs:
        for sec in list(tree.findall(nodes.section)):
            if "handbook-department-tree" in sec["ids"] and sec.parent is not None:
                sec.parent.remove(sec)


def unlink_missing_pages(tree: nodes.document, root_doc: str) -> None:
    """Links to pages outside the PDF (an orphan page such as the people index) keep
    their text but lose the link, which would point nowhere in the document."""
    included = {root_doc} | {n["docname"] for n in tree.findall(addnodes.start_of_file)}
    for ref in list(tree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and uri[len("#document-") :].split("#")[0] not in included:
            ref.replace_self(nodes.inline("", "", *ref.children))


def strip_root_intro(tree: nodes.document) -> None:
    """The root page's title and web-only intro give way to the cover page."""
    root = next(iter(tree.findall(nodes.section)), None)
    if root is None:
        return
    for child in list(root.children):
        if isinstance(child, nodes.title):
            child.parent.remove(child)
        elif not (isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]) and not isinstance(
            child, nodes.section
        ):
            root.remove(child)


def mark_chapter_ends(tree: nodes.document) -> None:
    """A marker at the end of each chapter (a page break follows it), so the layout can
    tell when only a few lines of a chapter spilled onto a page (see refit_charts)."""
    for i, sec in enumerate(s for s in tree.findall(nodes.section) if "hb-chapter" in s["classes"]):
        sec.append(nodes.raw("", f'<div class="hb-mark" id="hb-end-{i}"></div>\n', format="html"))
