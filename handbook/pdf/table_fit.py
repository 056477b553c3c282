"""Tables for WeasyPrint: fixed column widths where they hold, and lighter cells.

WeasyPrint spends most of its layout time measuring the content width of table columns
(every Chinese character is a break opportunity). A table whose columns have widths is
laid out with those widths instead (:func:`fixed_tables`), once the columns that never
wrap have been widened to their longest cell, measured in mm on the printed page; and a
cell holding one paragraph holds its text directly (:func:`compact_cells`). Docutils only:
the builder calls these on the assembled document.
"""

from __future__ import annotations

from docutils import nodes


def fixed_tables(tree: nodes.document) -> None:
    """Tables with column widths keep them (``<col style="width: …%">``), so WeasyPrint lays
    them out with ``table-layout: fixed`` instead of measuring every Chinese character's
    break opportunity to find each column's content width (most of the layout time)."""
    for tbl in tree.findall(nodes.table):
        specs = [c for g in tbl.findall(nodes.tgroup) for c in g.children if isinstance(c, nodes.colspec)]
        if (
            specs
            and all(c.get("colwidth") for c in specs)
            and "colwidths-auto" not in tbl["classes"]
            and _fit_nowrap_columns(tbl, specs)
        ):
            tbl["classes"] += ["colwidths-given", "hb-fixed"]  # the first makes Sphinx write <col> widths


#: the text width of a portrait page (A4 less the @page margins of print.css) and the table
#: text's size (9 pt) in mm; a cell's padding and borders
TEXT_WIDTH_MM = 210 - 2 * 16
CJK_MM = 9 * 25.4 / 72
CELL_PADDING_MM = 4.2


def _text_mm(text: str) -> float:
    return sum(CJK_MM * (0.55 if ord(ch) < 0x2E80 else 1.0) for ch in text) + CELL_PADDING_MM


def _fit_nowrap_columns(tbl: nodes.table, specs: list[nodes.colspec]) -> bool:
    """Widen the columns whose cells never wrap (``hb-nowrap``: numbers, codes, short role
    titles) to their longest cell, taking the room from the columns that wrap: with fixed
    column widths a cell that does not wrap would run into the next one. False when the
    table cannot hold them: it is then laid out by its content (automatic layout), its cells
    free to wrap."""
    total = sum(float(c["colwidth"]) for c in specs)
    widths = [float(c["colwidth"]) / total * TEXT_WIDTH_MM for c in specs]
    need = [0.0] * len(specs)
    for row in tbl.findall(nodes.row):
        entries = [e for e in row.children if isinstance(e, nodes.entry)]
        if len(entries) != len(specs):  # a group row spanning the columns
            continue
        for i, entry in enumerate(entries):
            if "hb-nowrap" in entry["classes"]:
                need[i] = max(need[i], _text_mm(entry.astext()))
    extra = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=False))
    if extra <= 0:
        return True
    free = [i for i, n in enumerate(need) if n == 0]
    room = sum(widths[i] for i in free)
    if room - extra < 12 * len(free):
        # what wraps would be too narrow: let the content decide, every cell free to wrap, so
        # the table keeps to the page (unbreakable cells would push it past the right margin)
        for entry in tbl.findall(nodes.entry):
            if "hb-nowrap" in entry["classes"]:
                entry["classes"].remove("hb-nowrap")
        return False
    for i, n in enumerate(need):
        widths[i] = max(widths[i], n) if n else widths[i] * (room - extra) / room
    for spec, w in zip(specs, widths, strict=False):
        spec["colwidth"] = max(1, round(w * 10))
    return True


def compact_cells(tree: nodes.document) -> None:
    """A table cell holding one paragraph holds its text directly: the same print (cells
    have no paragraph margins), a fifth fewer elements for WeasyPrint to style and lay out."""
    for entry in list(tree.findall(nodes.entry)):
        if (
            len(entry.children) == 1
            and isinstance(entry.children[0], nodes.paragraph)
            and not entry.children[0]["ids"]
            and not entry.children[0]["classes"]
            and not any(isinstance(n, nodes.reference) for n in entry.children[0].findall())
        ):
            # (a link keeps its paragraph: Sphinx's HTML writer wants one around it)
            para = entry.children[0]
            entry.remove(para)
            entry.extend(para.children)
