"""Column widths for the PDF's tables (handbook.pdf.table_fit)."""

from docutils import nodes

from handbook.pdf.table_fit import TEXT_WIDTH_MM, _fit_nowrap_columns
from handbook.site.render.blocks import table


def specs_of(tbl: nodes.table) -> list[nodes.colspec]:
    return [c for g in tbl.findall(nodes.tgroup) for c in g.children if isinstance(c, nodes.colspec)]


def widths_mm(tbl: nodes.table) -> list[float]:
    w = [float(c["colwidth"]) for c in specs_of(tbl)]
    return [x / sum(w) * TEXT_WIDTH_MM for x in w]


def test_figures_widen_their_column_and_the_text_column_gives_the_room():
    rows = [["物资管理部", "8", "147-187", "6"], ["生产部", "4", "34-54", "2"]]
    tbl = table(["所属部门", "岗位", "编制", "在岗"], rows, [5, 1, 1, 1], nowrap=range(1, 4))
    assert _fit_nowrap_columns(tbl, specs_of(tbl))
    dept, _roles, headcount, _filled = widths_mm(tbl)
    assert headcount >= len("147-187") * 9 * 25.4 / 72 * 0.55  # the figure holds on one line
    assert dept >= 5 * 9 * 25.4 / 72  # 物资管理部 keeps to one line


def test_a_table_that_cannot_hold_its_unbreakable_cells_lets_them_wrap():
    """Nine long codes that cannot share the page: automatic layout, and no cell stays
    unbreakable (it would push the table past the right margin)."""
    code = "HYL-QM-EC-CS-0001-ABCDEF"
    tbl = table([f"h{i}" for i in range(9)], [[code] * 8 + ["text"]], nowrap=range(8))
    assert not _fit_nowrap_columns(tbl, specs_of(tbl))
    assert not [e for e in tbl.findall(nodes.entry) if "hb-nowrap" in e["classes"]]
