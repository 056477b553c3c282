"""What every page is built from: links, staffing, duty tables, charts, shared tables.

:class:`Base` holds the view (what the page reads is recorded), the build language's
punctuation and the chart settings, and the pieces that object pages and index pages
share. It records the objects a page defines (:attr:`Base.defined`), which the
``org-page`` directive registers on the domain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from docutils import nodes
from sphinx import addnodes

from handbook import model as m
from handbook.audit.change_report import LABELS as CHANGE_LABELS
from handbook.charts.flow_charts import performer_label
from handbook.charts.model import Chart
from handbook.i18n import _, chart_labels
from handbook.pages import PAGES
from handbook.site.chart_node import org_chart
from handbook.site.render.blocks import Punctuation, anchor_xref, joined, para, section, table, xref
from handbook.view import View


def change_label(key: str) -> str:
    """What happened, or how an object changed (a key of :data:`handbook.audit.change_report.LABELS`:
    the words the command's reports use too), in the build's language."""
    return str(_(CHANGE_LABELS[key]))


class Base:
    """The shared pieces of the generated pages and the author directives."""

    def __init__(self, view: View, as_of: str = "", max_nodes: int = 60, show_people: bool = True) -> None:
        self.v = view
        self.as_of = as_of
        self.max_nodes = max_nodes
        self.show_people = show_people
        self.p = Punctuation.for_language(view.language)
        #: the objects the page defines: (kind, id, anchor, display name), for the domain
        self.defined: list[tuple[str, str, str, str]] = []

    def define(self, kind: str, ident: str, anchor: str, name: str) -> None:
        self.defined.append((kind, ident, anchor, name))

    def rows(self, *pairs: tuple[str, object]) -> list[tuple[str, object]]:
        """Label/value rows, leaving out the ones without a value."""
        return [(label, value) for label, value in pairs if value not in (None, "", ())]

    # -- links ----------------------------------------------------------------
    def role_link(self, rid: str) -> nodes.Node:
        return xref("role", rid, self.v.role_title(rid))

    def dept_link(self, did: str) -> nodes.Node:
        return xref("department", did, self.v.department_name(did))

    def process_link(self, pid: str) -> nodes.Node:
        return xref("process", pid, self.v.process_name(pid))

    # -- shared pieces ------------------------------------------------------------
    def staffing_text(self, st: m.Staffing) -> str:
        """The headcount as a table shows it: ``5-10``, ``若干`` (an open headcount), or a sum
        with the posts whose open headcount it leaves out: ``12（另有 1 个岗位编制若干）``."""
        if st.headcount.word:
            return st.headcount.word
        if st.unbudgeted and st.headcount == m.ZERO and not st.open:
            return str(_("not set"))
        if st.open:
            return f"{st.headcount}{self.p.paren(str(_('{n} more posts with an open headcount')).format(n=st.open))}"
        return str(st.headcount)

    def filled_text(self, st: m.Staffing) -> str:
        """在岗 28（未具名）: people counted but not named are kept apart from the named ones."""
        if not st.unnamed:
            return str(st.filled)
        note = str(_("unnamed")) if st.unnamed == st.filled else str(_("{n} unnamed")).format(n=st.unnamed)
        return f"{st.filled}{self.p.paren(note)}"

    def duty_table(self, duties: m.DutyList, column: str = "", anchor: str = "") -> nodes.Node:
        """序号 / 职责 / 考核指标 / 频率, groups as spanning rows; columns only when used.

        ``anchor``: the table's section id; each duty row gets the id ``<anchor>-<number>``
        (links from the clause allocation and the changes page), and a duty's ISO 9001
        clauses follow its text, linked to the allocation table."""
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

        ids: list[str] = []

        def duty_row(d: m.Duty, number: str) -> list[object]:
            ids.append(f"{anchor}-{number.replace('.', '-')}" if anchor else "")
            row: list[object] = [number, self.duty_text(d)]
            if has_kpi:
                row.append(self.v.t(d.kpi))
            if has_freq:
                row.append(self.v.t(d.frequency))
            return row

        for item in duties:
            if isinstance(item, m.DutyGroup):
                gnum += 1
                groups.add(len(rows))
                ids.append("")
                rows.append([nodes.strong(text=self.v.t(item.title))])
                for i, d in enumerate(item.items, start=1):
                    rows.append(duty_row(d, f"{gnum}.{i}"))
            else:
                n += 1
                rows.append(duty_row(item, str(n)))
        nowrap = [0] + ([-1] if has_freq else [])
        tbl = table(header, rows, widths, classes=["handbook-duties"], group_rows=groups, nowrap=nowrap)
        body = [r for r in tbl.findall(nodes.row) if not isinstance(r.parent, nodes.thead)]
        for row, rid in zip(body, ids, strict=False):
            if rid:
                row["ids"].append(rid)
        return tbl

    def duty_text(self, d: m.Duty) -> object:
        """A duty's text, followed by the ISO 9001 clauses it serves (linked to the allocation table)."""
        text = self.v.t(d.text)
        if not d.clauses:
            return text
        tags = nodes.inline(classes=["handbook-clauses"])
        tags += nodes.Text(self.p.open + "ISO 9001" + self.p.colon.strip() + " ")
        for i, c in enumerate(d.clauses):
            if i:
                tags += nodes.Text(self.p.list)
            tags += anchor_xref(PAGES["clauses"].docname, f"clause-{c}", c)
        tags += nodes.Text(self.p.close)
        return [nodes.Text(text), tags]

    def duty_block(self, ident: str, title: str, duties: m.DutyList, column: str = "") -> list[nodes.Node]:
        if not duties:
            return []
        return [section(ident, title, self.duty_table(duties, column, anchor=ident))]

    def change_note(self, kind: str, ident: str) -> list[nodes.Node]:
        """On the page of an object changed since the baseline: a note saying so, linked to the changes."""
        found = self.v.object_changes(kind, ident)
        if found is None:
            return []
        baseline, change = found
        if change.change == "added":
            text = str(_("New in this revision (not in {baseline}).")).format(baseline=baseline)
        else:
            aspects = self.p.list.join(change_label(a) for a in change.aspects())
            text = str(_("Changed since {baseline}: {aspects}.")).format(baseline=baseline, aspects=aspects)
        link = anchor_xref(PAGES["changes"].docname, f"changes-{kind}-{ident}", str(_("What changed")))
        return [para(text, " ", link, classes=["handbook-changed"])]

    def chart(self, chart: Chart, ident: str, title: str = "") -> nodes.Node:
        node = org_chart(chart=chart, as_of=self.as_of, ids=[ident], title=title)
        node["code"] = ""  # sphinxcontrib-mermaid's node interface; the source is built when writing
        node["options"] = {}
        return node

    def toctree(
        self, docnames: Sequence[str], parent: str, caption: str | None = None, hidden: bool = True
    ) -> nodes.Node:
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
            row += [
                self.role_link(role.reports_to) if role.reports_to else "—",
                self.staffing_text(st),
                self.filled_text(st),
                "—" if st.unbudgeted or st.headcount.word else str(st.vacant),
            ]
            rows.append(row)
        widths = [4, 2] + ([3] if with_department else []) + [4, 1, 1, 1]
        return table(header, rows, widths, classes=["handbook-roles"], nowrap=[1, -3, -2, -1])

    # -- process page -------------------------------------------------------------------

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
            rows.append(
                [
                    str(i),
                    v.t(s.action),
                    self.role_link(s.role)
                    if s.role
                    else performer_label(s.performer, chart_labels())
                    if s.performer
                    else "—",
                    joined(nxt, self.p.semi) if nxt else str(_("end")),
                    v.t(s.record),
                ]
            )
        tbl = table(
            [_("No."), _("Action"), _("Role"), _("Next"), _("Record")],
            rows,
            [1, 6, 3, 2, 3],
            classes=["handbook-steps"],
            nowrap=[0],
        )
        # a role title as short as most keeps to one line (a narrow column broke them one or
        # two characters per line); a long one wraps
        body_rows = list(tbl.findall(nodes.row))[1:]
        for row, s in zip(body_rows, proc.steps, strict=True):
            if s.role and len(v.role_title(s.role)) <= self.SHORT_NAME:
                row.children[2]["classes"].append("hb-nowrap")
        return tbl

    #: a role title up to this many characters keeps to one line in a narrow table column
    SHORT_NAME = 8

    #: up to this many roles, a RACI table's headers are the roles' titles; with more, the
    #: columns are numbered and a key below the table names them (narrow columns never
    #: break a title one character per line)
    RACI_NAMED_COLUMNS = 5
    #: a wider matrix is split into tables of at most this many role columns, each with the
    #: activities repeated
    RACI_MAX_COLUMNS = 12

    def raci_table(self, pid: str) -> nodes.Node:
        v = self.v
        proc = v.process(pid)
        roles: list[str] = []
        for row in proc.raci:
            for r in (*row.responsible, *row.accountable, *row.consulted, *row.informed):
                if r not in roles:
                    roles.append(r)
        numbered = len(roles) > self.RACI_NAMED_COLUMNS
        out = nodes.container(classes=["handbook-raci-block"])
        # split into tables of equal width (14 roles: 7 + 7, not 12 + 2)
        per = math.ceil(len(roles) / max(math.ceil(len(roles) / self.RACI_MAX_COLUMNS), 1)) or 1
        for start in range(0, max(len(roles), 1), per):
            part = roles[start : start + per]
            heads: list[object] = [str(start + i + 1) if numbered else self.role_link(r) for i, r in enumerate(part)]
            header: list[object] = [_("Activity"), *heads]
            rows = [[v.t(row.activity), *[row.letters_for(r) for r in part]] for row in proc.raci]
            out += table(
                header,
                rows,
                [4] + [1] * len(part),  # type: ignore[arg-type]
                classes=["handbook-raci"] + (["handbook-raci-numbered"] if numbered else []),
                nowrap=range(1, len(part) + 1),
                nowrap_header=numbered,
            )
        if numbered:
            key = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["handbook-raci-key"])
            for r in roles:
                li = nodes.list_item()
                li += para(self.role_link(r))
                key += li
            out += key
        return out

    # -- company and indexes ---------------------------------------------------------------

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
                p += nodes.Text(
                    self.p.paren(
                        self.p.comma.join(
                            (f"{_('Headcount')} {self.staffing_text(st)}", f"{_('Filled')} {self.filled_text(st)}")
                        )
                    )
                )
                li += p
                subs = v.subdepartments(d)
                if subs:
                    li += build(subs)
                lst += li
            return lst

        return build(roots)

    def headcount_table(self, root: str | None = None) -> nodes.Node:
        v = self.v
        ids = (root, *v.descendants(root)) if root else v.all_departments()
        rows = []
        for d in ids:
            depth = len(v.department_path(d)) - 1 - (len(v.department_path(root)) - 1 if root else 0)
            own = v.department_staffing(d, total=False)
            total = v.department_staffing(d)
            name = para("\u3000" * depth, self.dept_link(d))
            rows.append(
                [
                    name,
                    str(len(v.department_roles(d))),
                    self.staffing_text(own),
                    self.filled_text(own),
                    str(own.vacant),
                    str(own.acting),
                    self.staffing_text(total),
                    self.filled_text(total),
                    str(total.vacant),
                ]
            )
        st = v.department_staffing(root) if root else v.company_staffing()
        n_roles = v.department_total_roles(root) if root else len(v.all_roles())
        rows.append(
            [
                nodes.strong(text=str(_("Total"))),
                str(n_roles),
                self.staffing_text(st),
                self.filled_text(st),
                str(st.vacant),
                str(st.acting),
                "",
                "",
                "",
            ]
        )
        header = [
            _("Department"),
            _("Roles"),
            _("Headcount"),
            _("Filled"),
            _("Vacant"),
            _("Acting"),
            _("Headcount incl. sub-departments"),
            _("Filled incl. sub-departments"),
            _("Vacant incl. sub-departments"),
        ]
        tbl = table(
            header,
            rows,
            [5, 1, 1, 1, 1, 1, 2, 2, 2],
            classes=["handbook-headcount"],
            nowrap=range(1, 9),
            nowrap_header=False,
        )
        # a figure keeps to one line; a figure with a note (另有 1 个岗位编制若干) may wrap under it
        for entry in tbl.findall(nodes.entry):
            if "hb-nowrap" in entry["classes"] and not entry.astext().replace("-", "").isdigit():
                entry["classes"].remove("hb-nowrap")
        return tbl
