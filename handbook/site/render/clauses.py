"""The quality function allocation table (质量职能分配表): ISO 9001 clauses x departments."""

from __future__ import annotations

from docutils import nodes

from handbook import model as m
from handbook.audit.clauses import catalog, not_applicable
from handbook.audit.clauses import unassigned as unassigned_row
from handbook.i18n import _
from handbook.pages import PAGES, docname_for
from handbook.site.render.base import Base
from handbook.site.render.blocks import anchor_xref, duty_anchor, para, section, table

LEAD = "●"
SUPPORT = "○"
#: the duty lists, as the basis column names them
LIST_LABELS = {
    "functions": _("Functions"),
    "authority": _("Authority"),
    "goals": _("Goals"),
    "kpis": _("Performance indicators"),
    "responsibilities": _("Responsibilities"),
}


def cell_anchor(clause: str, department: str) -> str:
    return f"clause-{clause}-{department}"


class ClausePages(Base):
    """The allocation of ISO 9001 clauses to departments, and the duties behind each mark."""

    def clauses_page(self) -> list[nodes.Node]:
        v = self.v
        mx = v.clause_matrix()
        cat = catalog()
        lang = v.language
        here = PAGES["clauses"].docname
        sec = section("handbook-clauses", str(_("Quality function allocation")))
        intro = _(
            "Which department leads ({lead}) and which support ({support}) each clause of {standard}. Each mark links to the duties behind it."
        )
        sec += para(
            str(intro).format(lead=LEAD, support=SUPPORT, standard=cat.standard(lang)),
            classes=["handbook-clauses-intro"],
        )
        if not mx:
            sec += para(str(_("No duty names an ISO 9001 clause yet.")))
            return [sec]
        header: list[object] = [_("Clause"), _("Clause title"), *[self.dept_link(d) for d in mx.columns]]
        rows = []
        row_ids = []
        unassigned = []
        gaps = []
        for row in mx.rows:
            c = cat.clauses[row.clause]
            depth = len(c.parts) - 1
            title: list[object] = [nodes.Text("\u3000" * max(depth - 1, 0) + c.title(lang))]
            why = not_applicable(mx, row.clause)
            if why is not None:
                title.append(nodes.inline(text=self.p.paren(str(_("not applicable"))), classes=["handbook-clause-na"]))
            elif row.required and not row.led:
                unassigned.append(row.clause)
                title.append(
                    nodes.inline(
                        text=self.p.paren(str(_("no lead department"))), classes=["handbook-clause-unassigned"]
                    )
                )
            elif unassigned_row(mx, row):
                gaps.append(row.clause)
                title.append(
                    nodes.inline(text=self.p.paren(str(_("unassigned"))), classes=["handbook-clause-unassigned"])
                )
            by_col = {cell.department: cell for cell in row.cells}
            cells: list[object] = []
            for col in mx.columns:
                cell = by_col.get(col)
                if cell is None:
                    cells.append("")
                    continue
                mark = LEAD if cell.lead else SUPPORT
                label = str(_("lead")) if cell.lead else str(_("support"))
                link = anchor_xref(
                    here, cell_anchor(row.clause, col), nodes.inline(mark, mark, classes=["handbook-mark"])
                )
                link["reftitle"] = f"{row.clause} {label}"
                cells.append(link)
            rows.append([nodes.strong(text=row.clause) if depth <= 1 else row.clause, title, *cells])
            row_ids.append(f"clause-{row.clause}")
        tbl = table(header, rows, [2, 7, *[2] * len(mx.columns)], classes=["handbook-clause-matrix"])
        body = [r for r in tbl.findall(nodes.row) if not isinstance(r.parent, nodes.thead)]
        for r, rid in zip(body, row_ids, strict=False):
            r["ids"].append(rid)
        sec += tbl
        sec += para(f"{LEAD} {_('lead')}{self.p.semi}{SUPPORT} {_('support')}", classes=["handbook-clause-legend"])
        if unassigned:
            sec += para(
                str(_("Without a lead department: {clauses}.")).format(clauses=self.p.list.join(unassigned)),
                classes=["handbook-clause-unassigned"],
            )
        if gaps:
            sec += para(
                str(_("Unassigned: {clauses}.")).format(clauses=self.p.list.join(gaps)),
                classes=["handbook-clause-unassigned"],
            )
        for clause, why in mx.not_applicable.items():
            text = str(_("{clause} {title} does not apply: {why}")).format(
                clause=clause, title=cat.clauses[clause].title(lang), why=v.t(why)
            )
            sec += para(text, classes=["handbook-clause-na"])
        sec += self.clause_basis(mx)
        return [sec]

    def clause_basis(self, mx: m.ClauseMatrix) -> nodes.Node:
        """Clause, department, lead/support and the duties (or the company's assignment) behind it."""
        v = self.v
        cat = catalog()
        rows = []
        ids = []
        for row in mx.rows:
            for cell in row.cells:
                items: list[nodes.Node] = []
                if cell.assigned:
                    items.append(
                        para(
                            str(_("assigned by the company as {how}")).format(
                                how=_("lead") if cell.assigned == "lead" else _("support")
                            )
                        )
                    )
                for d in cell.duties:
                    p = para(self.role_link(d.owner) if d.kind == "role" else self.dept_link(d.owner))
                    what = f"{LIST_LABELS.get(d.list, d.list)} {str(_('item {n}')).format(n=d.number)}"
                    p += nodes.Text(self.p.colon)
                    p += anchor_xref(docname_for(d.kind, d.owner), duty_anchor(d.kind, d.owner, d.list, d.number), what)
                    p += nodes.Text(" " + v.t(d.text))
                    items.append(p)
                lst = nodes.bullet_list(bullet="-")
                for it in items:
                    li = nodes.list_item()
                    li += it
                    lst += li
                mark = f"{LEAD} {_('lead')}" if cell.lead else f"{SUPPORT} {_('support')}"
                title = cat.clauses[row.clause].title(v.language)
                rows.append([f"{row.clause} {title}", self.dept_link(cell.department), mark, lst])
                ids.append(cell_anchor(row.clause, cell.department))
        tbl = table(
            [_("Clause"), _("Department"), _("Part"), _("Duties")],
            rows,
            [3, 2, 1, 8],
            classes=["handbook-clause-basis"],
        )
        body = [r for r in tbl.findall(nodes.row) if not isinstance(r.parent, nodes.thead)]
        for r, rid in zip(body, ids, strict=False):
            r["ids"].append(rid)
        return section("handbook-clauses-basis", str(_("Duties behind the allocation")), tbl)
