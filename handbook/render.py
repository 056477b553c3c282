"""Model pieces -> docutils nodes, format-neutral, for every builder.

Everything is built from standard docutils nodes (sections, tables, lists, paragraphs)
plus ``pending_xref`` for links (resolved by the ``org`` domain) and the chart node, so
HTML, LaTeX, text and the PDF route all render the same content. Reads the model only
through a :class:`~handbook.view.View`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

from . import model as m
from .charts import org_chart
from .i18n import _, chart_labels
from .mermaid import Chart, company_chart, department_chart, process_chart
from .pages import INDEX_DOCS, docname_for
from .view import View

def person_anchor(key: str) -> str:
    """The id of a person's row in the people index."""
    return f"person-{key}"


# -- small builders ------------------------------------------------------------------
def xref(kind: str, ident: str, text: str) -> addnodes.pending_xref:
    """A link to a handbook object, resolved by the ``org`` domain at write time.

    The text is given (read through the View, so the page records it); the domain only
    supplies the address."""
    node = addnodes.pending_xref("", nodes.inline(text, text, classes=["org", f"org-{kind}"]),
                                 refdomain="org", reftype=kind, reftarget=ident,
                                 refexplicit=True, refwarn=True)
    return node


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


def table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] | None = None,
          classes: Sequence[str] = (), group_rows: set[int] | None = None, stub_columns: int = 0) -> nodes.table:
    """A table; a cell is a str, a node or a list of nodes. ``group_rows`` span all columns."""
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
        thead += _row(header)
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
            tbody += _row(r)
    return tbl


def _row(cells: Sequence[object]) -> nodes.row:
    row = nodes.row()
    for c in cells:
        entry = nodes.entry()
        entry += _cell(c)
        row += entry
    return row


def _cell(c: object) -> nodes.Node:
    if isinstance(c, nodes.paragraph):
        return c
    if isinstance(c, nodes.Node):
        if isinstance(c, (nodes.bullet_list, nodes.enumerated_list, nodes.table)):
            return c
        return para(c)
    if isinstance(c, list):
        return para(*c)
    return para(str(c) if c is not None else "")


def field_table(rows: Sequence[tuple[str, object]], classes: Sequence[str] = ()) -> nodes.table:
    """A two-column label/value table (the header block of a job description)."""
    return table([], [(label, value) for label, value in rows], widths=[1, 3],
                 classes=["handbook-fields", *classes], stub_columns=1)


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
    def for_language(cls, language: str | None) -> "Punctuation":
        if (language or "").lower().startswith(("zh", "ja")):
            return cls("、", "；", "，", "：", "（", "）")
        return cls()

    def paren(self, text: str) -> str:
        return f"{self.open}{text}{self.close}"


class Renderer:
    """Builds the content of the generated pages and of the author-facing directives."""

    def __init__(self, view: View, as_of: str = "", max_nodes: int = 60, show_people: bool = True) -> None:
        self.v = view
        self.as_of = as_of
        self.max_nodes = max_nodes
        self.show_people = show_people
        self.p = Punctuation.for_language(view.language)

    # -- links ----------------------------------------------------------------
    def role_link(self, rid: str) -> nodes.Node:
        return xref("role", rid, self.v.role_title(rid))

    def dept_link(self, did: str) -> nodes.Node:
        return xref("department", did, self.v.department_name(did))

    def process_link(self, pid: str) -> nodes.Node:
        return xref("process", pid, self.v.process_name(pid))

    # -- shared pieces ------------------------------------------------------------
    def staffing_text(self, st: m.Staffing) -> str:
        if st.unbudgeted and st.headcount == m.ZERO:
            return str(_("not set"))
        return str(st.headcount)

    def duty_table(self, duties: m.DutyList, column: str = "") -> nodes.Node:
        """序号 / 职责 / 考核指标 / 频率, groups as spanning rows; columns only when used."""
        flat = list(m.iter_duties(duties))
        has_kpi = any(d.kpi for d in flat)
        has_freq = any(d.frequency for d in flat)
        header = [_("No."), column or _("Duty")]
        widths = [1, 10]
        if has_kpi:
            header.append(_("Measure (KPI)"))
            widths.append(4)
        if has_freq:
            header.append(_("Frequency"))
            widths.append(2)
        rows: list[list[object]] = []
        groups: set[int] = set()
        n = 0
        gnum = 0

        def duty_row(d: m.Duty, number: str) -> list[object]:
            row: list[object] = [number, self.v.t(d.text)]
            if has_kpi:
                row.append(self.v.t(d.kpi))
            if has_freq:
                row.append(self.v.t(d.frequency))
            return row

        for item in duties:
            if isinstance(item, m.DutyGroup):
                gnum += 1
                groups.add(len(rows))
                rows.append([nodes.strong(text=self.v.t(item.title))])
                for i, d in enumerate(item.items, start=1):
                    rows.append(duty_row(d, f"{gnum}.{i}"))
            else:
                n += 1
                rows.append(duty_row(item, str(n)))
        return table(header, rows, widths, classes=["handbook-duties"], group_rows=groups)

    def duty_block(self, ident: str, title: str, duties: m.DutyList, column: str = "") -> list[nodes.Node]:
        if not duties:
            return []
        return [section(ident, title, self.duty_table(duties, column))]

    def chart(self, chart: Chart, ident: str, title: str = "") -> nodes.Node:
        node = org_chart(chart=chart, as_of=self.as_of, ids=[ident], title=title)
        node["code"] = ""  # sphinxcontrib-mermaid's node interface; the source is built when writing
        node["options"] = {}
        return node

    def toctree(self, docnames: Sequence[str], parent: str, caption: str | None = None,
                hidden: bool = True) -> nodes.Node:
        tree = addnodes.toctree()
        tree["parent"] = parent
        tree["entries"] = [(None, d) for d in docnames]
        tree["includefiles"] = list(docnames)
        tree["maxdepth"] = -1
        tree["caption"] = caption
        tree["glob"] = False
        tree["hidden"] = hidden
        tree["includehidden"] = False
        tree["numbered"] = 0
        tree["titlesonly"] = False
        wrapper = nodes.compound(classes=["toctree-wrapper"])
        wrapper += tree
        return wrapper

    def index_node(self, texts: Sequence[str], target: str) -> addnodes.index:
        """Entries for the general index, pointing at ``target`` (the page's section id)."""
        return addnodes.index(entries=[("single", text, target, "", None) for text in texts])

    # -- role page -------------------------------------------------------------------
    def role_header(self, rid: str) -> nodes.Node:
        v = self.v
        role = v.role(rid)
        st = v.role_staffing(rid)
        reports = v.direct_reports(rid)
        dotted = role.dotted_line_to
        dotted_in = v.dotted_reports(rid)
        rows: list[tuple[str, object]] = [(_("Title"), v.t(role.title))]
        if role.code:
            rows.append((_("Role code"), v.t(role.code)))
        path = v.department_path(role.department)
        rows.append((_("Department"), joined([self.dept_link(d) for d in path], " / ")))
        rows.append((_("Reports to"), self.role_link(role.reports_to) if role.reports_to else "—"))
        rows.append((_("Direct reports"),
                     joined((self.role_link(r) for r in reports), self.p.list) if reports else "—"))
        if dotted:
            rows.append((_("Dotted line to"), joined((self.role_link(r) for r in dotted), self.p.list)))
        if dotted_in:
            rows.append((_("Dotted-line reports"), joined((self.role_link(r) for r in dotted_in), self.p.list)))
        if role.grade:
            rows.append((_("Grade"), v.t(role.grade)))
        rows.append((_("Headcount"), self.staffing_text(st)))
        filled = f"{st.filled} / {'—' if st.unbudgeted else st.vacant}"
        if st.acting:
            filled += self.p.paren(f"{_('Acting')} {st.acting}")
        if st.over:
            filled += self.p.paren(f"{_('over headcount by')} {st.over}")
        rows.append((_("Filled / vacant"), filled))
        if self.show_people:
            holders = v.holders(rid)
            if holders:
                rows.append((_("Holders"), joined((self.holder_link(h) for h in holders), self.p.list)))
        return field_table(rows, classes=["handbook-role-header"])

    def assignment_note(self, a: m.Assignment) -> str:
        """（兼任） / （代理）, or nothing for a primary post."""
        if a.type == "concurrent":
            return self.p.paren(str(_("concurrent")))
        if a.type == "acting":
            return self.p.paren(str(_("acting")))
        return ""

    def holder_link(self, h: m.Holder) -> nodes.Node:
        """A holder's name, linking to their row in the people index, and how they hold the post."""
        node = nodes.inline()
        node += xref("person", h.person.key, self.v.t(h.person.name))
        note = self.assignment_note(h.assignment)
        if note:
            node += nodes.Text(note)
        return node

    def role_page(self, rid: str) -> list[nodes.Node]:
        v = self.v
        role = v.role(rid)
        title = v.t(role.title)
        sec = nodes.section(ids=[f"role-{rid}"], classes=["handbook-role"])
        sec += nodes.title(title, title)
        sec += self.index_node([title + self.p.paren(v.department_name(role.department))], f"role-{rid}")
        sec += self.role_header(rid)
        if role.purpose:
            sec += section(f"role-{rid}.purpose", _("Job purpose"), para(v.t(role.purpose)))
        sec += section(f"role-{rid}.responsibilities", _("Responsibilities"), self.duty_table(role.responsibilities))
        for node in self.duty_block(f"role-{rid}.authority", _("Authority"), role.authority, _("Authority item")):
            sec += node
        if role.qualifications:
            sec += section(f"role-{rid}.qualifications", _("Qualifications"), self.qualifications(role.qualifications))
        for node in self.duty_block(f"role-{rid}.kpis", _("Performance indicators"), role.kpis, _("Indicator")):
            sec += node
        if role.relations:
            rows = []
            if role.relations.internal:
                rows.append((_("Internal"), self.p.semi.join(v.t(t) for t in role.relations.internal)))
            if role.relations.external:
                rows.append((_("External"), self.p.semi.join(v.t(t) for t in role.relations.external)))
            sec += section(f"role-{rid}.relations", _("Working relations"), field_table(rows))
        if role.work_environment:
            sec += section(f"role-{rid}.environment", _("Work environment"), para(v.t(role.work_environment)))
        procs = v.role_processes(rid)
        if procs:
            sec += section(f"role-{rid}.processes", _("Processes"), self.role_process_list(rid, procs))
        return [sec]

    def qualifications(self, q: m.Qualifications) -> nodes.Node:
        v = self.v
        rows: list[tuple[str, object]] = []
        if q.education:
            rows.append((_("Education"), v.t(q.education)))
        if q.experience:
            rows.append((_("Experience"), v.t(q.experience)))
        if q.skills:
            rows.append((_("Skills"), bullet(v.t(s) for s in q.skills)))
        if q.certificates:
            rows.append((_("Certificates"), bullet(v.t(s) for s in q.certificates)))
        if q.training:
            rows.append((_("Training"), bullet(v.t(s) for s in q.training)))
        if q.other:
            rows.append((_("Requirements"), bullet(v.t(s) for s in q.other)))
        return field_table(rows, classes=["handbook-qualifications"])

    def role_process_list(self, rid: str, procs: Sequence[str]) -> nodes.Node:
        v = self.v
        items = []
        for pid in procs:
            proc = v.process(pid)
            li_children: list[nodes.Node] = [self.process_link(pid)]
            parts = []
            if proc.owner == rid:
                parts.append(str(_("owner")))
            letters = "/".join(sorted({ch for row in proc.raci for ch in row.letters_for(rid)}, key="RACI".index))
            if letters:
                parts.append(f"RACI: {letters}")
            if parts:
                li_children.append(nodes.Text(self.p.paren(self.p.comma.join(parts))))
            p = para(*li_children)
            steps = [(i, s) for i, s in enumerate(proc.steps, start=1) if s.role == rid]
            if steps:
                p2 = bullet(f"{_('Step')} {i}: {v.t(s.action)}" for i, s in steps)
                items.append([p, p2])
            else:
                items.append([p])
        lst = nodes.bullet_list(bullet="-")
        for children in items:
            li = nodes.list_item()
            for c in children:
                li += c
            lst += li
        return lst

    # -- department page -------------------------------------------------------------
    def department_page(self, did: str) -> list[nodes.Node]:
        v = self.v
        dept = v.department(did)
        name = v.t(dept.name)
        sec = nodes.section(ids=[f"department-{did}"], classes=["handbook-department"])
        sec += nodes.title(name, name)
        sec += self.index_node([name], f"department-{did}")
        st = v.department_staffing(did)
        own = v.department_staffing(did, total=False)
        subs = v.subdepartments(did)
        roles = v.department_roles(did)
        rows: list[tuple[str, object]] = []
        if dept.code:
            rows.append((_("Department code"), v.t(dept.code)))
        if dept.category:
            rows.append((_("Category"), v.t(dept.category)))
        rows.append((_("Parent department"), self.dept_link(dept.parent) if dept.parent else "—"))
        rows.append((_("Head"), self.role_link(dept.head) if dept.head else "—"))
        if subs:
            rows.append((_("Sub-departments"), joined((self.dept_link(s) for s in subs), self.p.list)))
        rows.append((_("Roles"), str(len(roles))))
        p = self.p
        staffing = p.comma.join((f"{_('Headcount')} {self.staffing_text(own)}", f"{_('Filled')} {own.filled}",
                                 f"{_('Vacant')} {own.vacant}"))
        if subs:
            staffing += p.paren(f"{_('including sub-departments')}{p.colon}" + p.comma.join((
                f"{_('Headcount')} {self.staffing_text(st)}", f"{_('Filled')} {st.filled}",
                f"{_('Vacant')} {st.vacant}")))
        rows.append((_("Staffing"), staffing))
        sec += field_table(rows, classes=["handbook-department-header"])
        if dept.purpose:
            sec += section(f"department-{did}.purpose", _("Basic function"), para(v.t(dept.purpose)))
        if roles or subs:
            chart = department_chart(v, did, chart_labels(), self.max_nodes)
            sec += section(f"department-{did}.chart", _("Organisation chart"), self.chart(chart, f"department-{did}.chart-figure", name))
        for node in self.duty_block(f"department-{did}.functions", _("Functions"), dept.functions, _("Function")):
            sec += node
        for node in self.duty_block(f"department-{did}.authority", _("Authority"), dept.authority, _("Authority item")):
            sec += node
        for node in self.duty_block(f"department-{did}.goals", _("Goals"), dept.goals, _("Goal")):
            sec += node
        for node in self.duty_block(f"department-{did}.kpis", _("Performance indicators"), dept.kpis, _("Indicator")):
            sec += node
        if roles:
            sec += section(f"department-{did}.roles", _("Roles"), self.roles_table(roles))
        docs = [docname_for("role", r) for r in roles] + [docname_for("department", s) for s in subs]
        if docs:
            sec += self.toctree(docs, docname_for("department", did))
        return [sec]

    def roles_table(self, roles: Sequence[str], with_department: bool = False) -> nodes.Node:
        v = self.v
        header = [_("Role"), _("Code")]
        if with_department:
            header.append(_("Department"))
        header += [_("Reports to"), _("Headcount"), _("Filled"), _("Vacant")]
        rows = []
        for r in roles:
            role = v.role_brief(r)
            st = v.role_staffing(r)
            row: list[object] = [self.role_link(r), v.t(role.code)]
            if with_department:
                row.append(self.dept_link(role.department))
            row += [self.role_link(role.reports_to) if role.reports_to else "—", self.staffing_text(st),
                    str(st.filled), "—" if st.unbudgeted else str(st.vacant)]
            rows.append(row)
        widths = [4, 2] + ([3] if with_department else []) + [4, 1, 1, 1]
        return table(header, rows, widths, classes=["handbook-roles"])

    # -- process page -------------------------------------------------------------------
    def process_page(self, pid: str) -> list[nodes.Node]:
        v = self.v
        proc = v.process(pid)
        name = v.t(proc.name)
        sec = nodes.section(ids=[f"process-{pid}"], classes=["handbook-process"])
        sec += nodes.title(name, name)
        sec += self.index_node([name], f"process-{pid}")
        rows: list[tuple[str, object]] = []
        rows.append((_("Owner"), self.role_link(proc.owner) if proc.owner else "—"))
        if proc.trigger:
            rows.append((_("Trigger"), v.t(proc.trigger)))
        sec += field_table(rows, classes=["handbook-process-header"])
        if proc.purpose:
            sec += section(f"process-{pid}.purpose", _("Purpose"), para(v.t(proc.purpose)))
        if proc.steps:
            chart = process_chart(v, pid, chart_labels())
            sec += section(f"process-{pid}.flow", _("Flow"), self.chart(chart, f"process-{pid}.flow-figure", name))
            sec += section(f"process-{pid}.steps", _("Steps"), self.steps_table(pid))
        if proc.raci:
            sec += section(f"process-{pid}.raci", _("RACI"), self.raci_table(pid))
        return [sec]

    def steps_table(self, pid: str) -> nodes.Node:
        v = self.v
        proc = v.process(pid)
        number = {s.id: i for i, s in enumerate(proc.steps, start=1)}
        rows = []
        for i, s in enumerate(proc.steps, start=1):
            nxt: list[nodes.Node] = []
            for t in s.next:
                label = v.t(t.label)
                nxt.append(nodes.Text(f"{number.get(t.to, '?')}" + (self.p.paren(label) if label else "")))
            rows.append([str(i), v.t(s.action), self.role_link(s.role) if s.role else "—",
                         joined(nxt, self.p.semi) if nxt else str(_("end")), v.t(s.record)])
        return table([_("No."), _("Action"), _("Role"), _("Next"), _("Record")], rows, [1, 6, 3, 2, 3],
                     classes=["handbook-steps"])

    def raci_table(self, pid: str) -> nodes.Node:
        v = self.v
        proc = v.process(pid)
        roles: list[str] = []
        for row in proc.raci:
            for r in (*row.responsible, *row.accountable, *row.consulted, *row.informed):
                if r not in roles:
                    roles.append(r)
        header: list[object] = [_("Activity"), *[self.role_link(r) for r in roles]]
        rows = [[v.t(row.activity), *[row.letters_for(r) for r in roles]] for row in proc.raci]
        return table(header, rows, [4] + [1] * len(roles), classes=["handbook-raci"])  # type: ignore[arg-type]

    # -- company and indexes ---------------------------------------------------------------
    def company_page(self) -> list[nodes.Node]:
        v = self.v
        c = v.company()
        name = v.t(c.name)
        sec = nodes.section(ids=["handbook-company"], classes=["handbook-company"])
        sec += nodes.title(name, name)
        if c.description:
            sec += para(v.t(c.description))
        doc = c.document
        rows: list[tuple[str, object]] = []
        for label, value in ((_("Document title"), v.t(doc.title)), (_("Document number"), v.t(doc.number)),
                             (_("Revision"), v.t(doc.revision)), (_("Status"), v.t(doc.status)),
                             (_("Effective"), doc.effective.isoformat() if doc.effective else ""),
                             (_("Review due"), doc.review_due.isoformat() if doc.review_due else "")):
            if value:
                rows.append((label, value))
        for label, ap in ((_("Prepared by"), doc.prepared_by), (_("Reviewed by"), doc.reviewed_by),
                          (_("Approved by"), doc.approved_by)):
            if ap:
                text = v.t(ap.name)
                if ap.title:
                    text += self.p.paren(v.t(ap.title))
                if ap.date:
                    text += f" {ap.date.isoformat()}"
                rows.append((label, text))
        if rows:
            sec += section("handbook-document-control", _("Document control"), field_table(rows))
        chart = company_chart(v, chart_labels(), self.max_nodes)
        sec += section("handbook-company-chart", _("Organisation chart"), self.chart(chart, "company-chart", name))
        st = v.company_staffing()
        sec += section("handbook-company-staffing", _("Staffing"), field_table([
            (_("Departments"), str(len(v.all_departments()))),
            (_("Roles"), str(len(v.all_roles()))),
            (_("Headcount"), self.staffing_text(st)),
            (_("Filled"), str(st.filled)),
            (_("Vacant"), str(st.vacant)),
        ]))
        sec += section("handbook-department-tree", _("Departments"), self.department_tree(v.top_departments()))
        return [sec]

    def department_tree(self, roots: Sequence[str]) -> nodes.Node:
        v = self.v

        def build(ids: Sequence[str]) -> nodes.bullet_list:
            lst = nodes.bullet_list(bullet="-")
            for d in ids:
                li = nodes.list_item()
                dept = v.department_brief(d)
                st = v.department_staffing(d)
                p = para(self.dept_link(d))
                if dept.head:
                    p += nodes.Text(f" — {_('Head')}{self.p.colon}")
                    p += self.role_link(dept.head)
                p += nodes.Text(self.p.paren(self.p.comma.join((f"{_('Headcount')} {self.staffing_text(st)}",
                                                                f"{_('Filled')} {st.filled}"))))
                li += p
                subs = v.subdepartments(d)
                if subs:
                    li += build(subs)
                lst += li
            return lst

        return build(roots)

    def departments_index(self) -> list[nodes.Node]:
        v = self.v
        title = str(_("Departments"))
        sec = section("handbook-departments", title)
        sec += self.department_tree(v.top_departments())
        sec += self.toctree([docname_for("department", d) for d in v.top_departments()], INDEX_DOCS["departments"])
        return [sec]

    def roles_index(self, sort_key) -> list[nodes.Node]:
        v = self.v
        sec = section("handbook-roles-index", str(_("Roles A–Z")))
        groups: dict[str, list[tuple[str, str]]] = {}
        for r in v.all_roles():
            title = v.role_title(r)
            key = sort_key(title)
            letter = key[:1].upper() if key[:1].isalpha() else "#"
            groups.setdefault(letter, []).append((key, r))
        for letter in sorted(groups):
            items = sorted(groups[letter])
            lst = nodes.bullet_list(bullet="-")
            for _key, r in items:
                role = v.role_brief(r)
                li = nodes.list_item()
                li += para(self.role_link(r), self.p.open, self.dept_link(role.department), self.p.close)
                lst += li
            sec += section(f"roles-{letter.lower() if letter != '#' else 'other'}", letter, lst)
        by_dept = section("handbook-roles-by-department", str(_("Roles by department")))
        for d in v.all_departments():
            roles = v.department_roles(d)
            if not roles:
                continue
            name = " / ".join(v.department_name(x) for x in v.department_path(d))
            by_dept += section(f"roles-in-{d}", name, self.roles_table(roles))
        return [sec, by_dept]

    def processes_index(self) -> list[nodes.Node]:
        v = self.v
        sec = section("handbook-processes", str(_("Processes")))
        rows = []
        for pid in v.all_processes():
            p = v.process(pid)
            rows.append([self.process_link(pid), self.role_link(p.owner) if p.owner else "—", v.t(p.purpose)])
        if rows:
            sec += table([_("Process"), _("Owner"), _("Purpose")], rows, [3, 3, 6], classes=["handbook-processes"])
        else:
            sec += para(str(_("No processes are described yet.")))
        sec += self.toctree([docname_for("process", p) for p in v.all_processes()], INDEX_DOCS["processes"])
        return [sec]

    def headcount_table(self, root: str | None = None) -> nodes.Node:
        v = self.v
        ids = (root, *v.hb.descendants(root)) if root else v.all_departments()
        rows = []
        for d in ids:
            depth = len(v.department_path(d)) - 1 - (len(v.department_path(root)) - 1 if root else 0)
            own = v.department_staffing(d, total=False)
            total = v.department_staffing(d)
            name = para("\u3000" * depth, self.dept_link(d))
            rows.append([name, str(len(v.department_roles(d))), self.staffing_text(own), str(own.filled),
                         str(own.vacant), str(own.acting), self.staffing_text(total), str(total.filled),
                         str(total.vacant)])
        st = v.department_staffing(root) if root else v.company_staffing()
        n_roles = v.department_total_roles(root) if root else len(v.all_roles())
        rows.append([nodes.strong(text=str(_("Total"))), str(n_roles), self.staffing_text(st), str(st.filled),
                     str(st.vacant), str(st.acting), "", "", ""])
        header = [_("Department"), _("Roles"), _("Headcount"), _("Filled"), _("Vacant"), _("Acting"),
                  _("Headcount incl. sub-departments"), _("Filled incl. sub-departments"),
                  _("Vacant incl. sub-departments")]
        return table(header, rows, [5, 1, 1, 1, 1, 1, 2, 2, 2], classes=["handbook-headcount"])

    def headcount_index(self) -> list[nodes.Node]:
        sec = section("handbook-headcount", str(_("Headcount summary")))
        if self.as_of:
            sec += para(f"{_('As of')} {self.as_of}", classes=["handbook-as-of"])
        sec += self.headcount_table()
        vac_rows = []
        for r in self.v.all_roles():
            st = self.v.role_staffing(r)
            if st.vacant.high and not st.unbudgeted:
                role = self.v.role_brief(r)
                vac_rows.append([self.role_link(r), self.dept_link(role.department), str(st.headcount),
                                 str(st.filled), str(st.vacant)])
        if vac_rows:
            sec += section("handbook-vacancies", str(_("Open positions")),
                           table([_("Role"), _("Department"), _("Headcount"), _("Filled"), _("Vacant")], vac_rows,
                                 [4, 4, 1, 1, 1], classes=["handbook-vacancies"]))
        return [sec]

    def people_index(self) -> list[nodes.Node]:
        """Who holds which posts (人员名册): where the holders' names on role pages lead."""
        v = self.v
        sec = section("handbook-people", str(_("People")))
        if not self.show_people:
            sec += para(str(_("The names of the people are not published in this handbook.")))
            return [sec]
        people = v.all_people()
        if not people:
            sec += para(str(_("No people are listed yet.")))
            return [sec]
        rows = []
        for person in people:
            posts: list[nodes.Node] = []
            for a in person.assignments:
                if a.role not in v.hb.roles:
                    continue
                post = nodes.inline()
                post += self.role_link(a.role)
                post += nodes.Text(self.assignment_note(a) + (f" {a.since.isoformat()}" if a.since else ""))
                posts.append(post)
            rows.append([v.t(person.name), joined(posts, self.p.list) if posts else "—"])
        tbl = table([_("Name"), _("Roles (since)")], rows, [2, 8], classes=["handbook-people"])
        for row, person in zip(tbl.findall(nodes.row), [None, *people]):  # the first row is the header
            if person is not None:
                row["ids"].append(person_anchor(person.key))
        sec += tbl
        return [sec]

    def raci_index(self) -> list[nodes.Node]:
        v = self.v
        sec = section("handbook-raci-matrix", str(_("RACI matrix")))
        sec += para(str(_("R = responsible, A = accountable, C = consulted, I = informed.")))
        any_raci = False
        for pid in v.all_processes():
            proc = v.process(pid)
            if not proc.raci:
                continue
            any_raci = True
            sub = section(f"raci-{pid}", v.t(proc.name), self.raci_table(pid))
            sec += sub
        if not any_raci:
            sec += para(str(_("No process has a RACI table yet.")))
        return [sec]
