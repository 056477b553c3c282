"""Small builders of format-neutral docutils nodes: links, paragraphs, sections, tables.

Everything the pages are made of is a standard docutils node (sections, tables, lists,
paragraphs) plus ``pending_xref`` for links, resolved by the ``org`` domain, so HTML,
LaTeX, text, man and the PDF render the same content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes


def person_anchor(key: str) -> str:
    """The id of a person's row in the people index."""
    return f"person-{key}"


# -- small builders ------------------------------------------------------------------
def xref(kind: str, ident: str, text: str) -> addnodes.pending_xref:
    """A link to a handbook object, resolved by the ``org`` domain at write time.

    The text is given (read through the View, so the page records it); the domain only
    supplies the address."""
    node = addnodes.pending_xref(
        "",
        nodes.inline(text, text, classes=["org", f"org-{kind}"]),
        refdomain="org",
        reftype=kind,
        reftarget=ident,
        refexplicit=True,
        refwarn=True,
    )
    return node


def anchor_xref(docname: str, anchor: str, text: str | nodes.Node) -> addnodes.pending_xref:
    """A link to a place on a generated page (a duty's row, a clause's row); only text if the
    page is not built."""
    inner = nodes.inline(text, text) if isinstance(text, str) else text
    return addnodes.pending_xref(
        "", inner, refdomain="org", reftype="anchor", reftarget=f"{docname}#{anchor}", refexplicit=True, refwarn=False
    )


def duty_anchor(kind: str, owner: str, duty_list: str, number: str) -> str:
    """The id of a duty's row in its table: ``role-qa-manager.responsibilities-3``, ``…-2-1``."""
    return f"{kind}-{owner}.{duty_list}-{number.replace('.', '-')}"


def para(*children: nodes.Node | str, classes: Sequence[str] = ()) -> nodes.paragraph:
    p = nodes.paragraph(classes=list(classes))
    for c in children:
        p += nodes.Text(c) if isinstance(c, str) else c
    return p


def joined(items: Iterable[nodes.Node], sep: str) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(sep))
        out.append(item)
    return out


def section(ident: str, title: str, *children: nodes.Node, classes: Sequence[str] = ()) -> nodes.section:
    sec = nodes.section(ids=[ident], classes=list(classes))
    sec += nodes.title(title, title)
    for c in children:
        sec += c
    return sec


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] | None = None,
    classes: Sequence[str] = (),
    group_rows: set[int] | None = None,
    stub_columns: int = 0,
    nowrap: Iterable[int] = (),
    nowrap_header: bool = True,
) -> nodes.table:
    """A table; a cell is a str, a node or a list of nodes. ``group_rows`` span all columns.

    ``nowrap``: columns of numbers, codes and frequencies, whose cells never wrap (class
    ``hb-nowrap``), so a narrow column grows to its content instead of breaking 序/号 or
    每/年; with ``nowrap_header=False`` a long header may still wrap above them."""
    keep = {i % max(len(header) if header else max((len(r) for r in rows), default=1), 1) for i in nowrap}
    ncols = len(header) if header else max((len(r) for r in rows), default=1)
    tbl = nodes.table(classes=["handbook-table", *classes])
    tgroup = nodes.tgroup(cols=ncols)
    tbl += tgroup
    widths = list(widths or [1] * ncols)
    # colwidth is relative for HTML and LaTeX but counted in characters by the text
    # builder: scale to about 72 characters so text output is not one character wide
    scale = max(1, 72 // max(sum(widths), 1))
    for w in widths:
        tgroup += nodes.colspec(colwidth=w * scale)
    if stub_columns:
        tgroup.children[0]["stub"] = 1  # type: ignore[index]
    if header:
        thead = nodes.thead()
        tgroup += thead
        thead += _row(header, keep if nowrap_header else set())
    tbody = nodes.tbody()
    tgroup += tbody
    for i, r in enumerate(rows):
        if group_rows and i in group_rows:
            row = nodes.row(classes=["handbook-group-row"])
            entry = nodes.entry(morecols=ncols - 1)
            entry += _cell(r[0])
            row += entry
            tbody += row
        else:
            tbody += _row(r, keep)
    return tbl


def _row(cells: Sequence[object], nowrap: set[int] = frozenset()) -> nodes.row:  # type: ignore[assignment]
    row = nodes.row()
    for i, c in enumerate(cells):
        entry = nodes.entry(classes=["hb-nowrap"] if i in nowrap else [])
        entry += _cell(c)
        row += entry
    return row


def _cell(c: object) -> nodes.Node:
    if isinstance(c, nodes.paragraph):
        return c
    if isinstance(c, nodes.Node):
        if isinstance(c, (nodes.bullet_list, nodes.enumerated_list, nodes.table, nodes.container)):
            return c
        return para(c)
    if isinstance(c, list):
        return para(*c)
    return para(str(c) if c is not None else "")


def field_table(rows: Sequence[tuple[str, object]], classes: Sequence[str] = ()) -> nodes.table:
    """A two-column label/value table (the header block of a job description)."""
    return table(
        [],
        [(label, value) for label, value in rows],
        widths=[1, 3],
        classes=["handbook-fields", *classes],
        stub_columns=1,
    )


def bullet(items: Iterable[object]) -> nodes.Element:
    lst = nodes.bullet_list(bullet="-")
    for it in items:
        li = nodes.list_item()
        li += _cell(it)
        lst += li
    return lst


@dataclass(frozen=True)
class Punctuation:
    """Separators and brackets of the build language (full-width in Chinese and Japanese)."""

    list: str = ", "
    semi: str = "; "
    comma: str = ", "
    colon: str = ": "
    open: str = " ("
    close: str = ")"

    @classmethod
    def for_language(cls, language: str | None) -> Punctuation:
        if (language or "").lower().startswith(("zh", "ja")):
            return cls("、", "；", "，", "：", "（", "）")
        return cls()

    def paren(self, text: str) -> str:
        return f"{self.open}{text}{self.close}"
