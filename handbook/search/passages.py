"""A page's passages for its search result's snippet, read from its doctree (docutils).

The Sphinx side writes them into one file per page as each page is written.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes

#: the most passages and characters kept per page for its snippet
MAX_PASSAGES = 400
MAX_PASSAGE_CHARS = 300
#: element classes whose text is no passage (charts, the generated toctrees)
_SKIP_CLASSES = {"handbook-chart", "toctree-wrapper", "handbook-chart-fallback", "handbook-chart-caption"}
_FIELD_TABLES = {"handbook-fields"}
#: sections whose table rows are duties (render.py's section ids "<kind>-<id>.<part>")
_DUTY_SECTIONS = (".responsibilities", ".functions", ".steps")


def passages(doctree: nodes.Node) -> list[list[Any]]:
    """The page's text as ``[section heading, text, flag]`` passages, in reading order.

    A passage is a paragraph, a list item or a table row (a duty row gives its duty, KPI
    and frequency). ``flag`` 1 marks the rows of a header table (岗位编号, 任职人员 …): the
    search page shows them only when nothing else matches; 2 marks a duty (a row of a
    role's responsibilities, a department's functions, a process's steps): preferred among
    passages that match as well.
    """
    out: list[list[Any]] = []
    page_title: list[str] = []

    def add(label: str, text: str, flag: int = 0) -> None:
        text = " ".join(text.split())
        if text and len(out) < MAX_PASSAGES:
            if len(text) > MAX_PASSAGE_CHARS:
                text = text[:MAX_PASSAGE_CHARS] + "…"
            out.append([label, text, flag] if flag else [label, text])

    def table(node: nodes.table, label: str, duty: int) -> None:
        header = bool(set(node.get("classes", ())) & _FIELD_TABLES)
        for tbody in node.findall(nodes.tbody):
            for row in tbody.children:
                cells = [" ".join(e.astext().split()) for e in row.children if isinstance(e, nodes.entry)]
                if header:
                    if len(cells) == 2 and cells[1]:
                        add(label, f"{cells[0]}: {cells[1]}", 1)
                    continue
                if len(cells) > 1 and re.fullmatch(r"[\d.]+", cells[0]):
                    cells = cells[1:]  # the row number
                add(label, " · ".join(c for c in cells if c and c != "—"), duty)

    def visit(node: nodes.Element, label: str, duty: int) -> None:
        for child in node.children:
            if not isinstance(child, nodes.Element):
                continue
            if set(child.get("classes", ())) & _SKIP_CLASSES or child.tagname in (
                "comment",
                "raw",
                "system_message",
                "target",
                "substitution_definition",
                "index",
                "toctree",
                "mermaid",
                "org_chart",
                "literal_block",
                "meta",
            ):
                continue
            if isinstance(child, nodes.section):
                title = child.next_node(nodes.title)
                text = title.astext() if title is not None else label
                duties = 2 if any(i.endswith(_DUTY_SECTIONS) for i in child.get("ids", ())) else 0
                if not page_title:
                    page_title.append(text)
                    visit(child, "", duties)
                else:
                    visit(child, text, duties)
            elif isinstance(child, nodes.title):
                continue
            elif isinstance(child, nodes.table):
                table(child, label, duty)
            elif isinstance(child, nodes.list_item):
                if (
                    child.next_node(
                        lambda n: isinstance(n, (nodes.bullet_list, nodes.enumerated_list)), include_self=False
                    )
                    is not None
                ):
                    visit(child, label, duty)
                else:
                    add(label, child.astext())
            elif isinstance(child, (nodes.paragraph, nodes.line_block, nodes.term, nodes.field_name)):
                add(label, child.astext())
            else:
                visit(child, label, duty)

    visit(doctree, "", 0)  # type: ignore[arg-type]
    return out
