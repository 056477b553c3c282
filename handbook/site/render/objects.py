"""The page of a role (岗位说明书), a department and a process."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from handbook import model as m
from handbook.charts.flow_charts import process_chart
from handbook.charts.org_charts import department_chart
from handbook.i18n import _, chart_labels
from handbook.pages import docname_for
from handbook.site.render.base import Base
from handbook.site.render.blocks import bullet, field_table, joined, para, section


class ObjectPages(Base):
    """One page per role, department and process."""

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
        if role.shared_with:
            rows.append(
                (
                    _("Shared with"),
                    joined((self.dept_link(d) for d in role.shared_with if d != role.department), self.p.list),
                )
            )
        rows.append((_("Reports to"), self.role_link(role.reports_to) if role.reports_to else "—"))
        rows.append(
            (_("Direct reports"), joined((self.role_link(r) for r in reports), self.p.list) if reports else "—")
        )
        if dotted:
            rows.append((_("Dotted line to"), joined((self.role_link(r) for r in dotted), self.p.list)))
        if dotted_in:
            rows.append((_("Dotted-line reports"), joined((self.role_link(r) for r in dotted_in), self.p.list)))
        if role.grade:
            rows.append((_("Grade"), v.t(role.grade)))
        rows.append((_("Headcount"), self.staffing_text(st)))
        filled = f"{self.filled_text(st)} / {'—' if st.unbudgeted or st.headcount.word else st.vacant}"
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

    def object_section(self, kind: str, ident: str, title: str, index_text: str = "") -> nodes.section:
        """The page's one section: id ``<kind>-<id>``, title, general-index entry; defines the object."""
        anchor = f"{kind}-{ident}"
        sec = nodes.section(ids=[anchor], classes=[f"handbook-{kind}"])
        sec += nodes.title(title, title)
        sec += self.index_node([index_text or title], anchor)
        self.define(kind, ident, anchor, title)
        return sec

    def role_page(self, rid: str) -> list[nodes.Node]:
        v = self.v
        role = v.role(rid)
        title = v.t(role.title)
        sec = self.object_section("role", rid, title, title + self.p.paren(v.department_name(role.department)))
        for d in v.department_path(role.department):  # the breadcrumbs show the department path
            v.department_name(d)
        sec += self.role_header(rid)
        sec.extend(self.change_note("role", rid))
        part = f"role-{rid}."
        if role.purpose:
            sec += section(part + "purpose", _("Job purpose"), para(v.t(role.purpose)))
        sec += section(
            part + "responsibilities",
            _("Responsibilities"),
            self.duty_table(role.responsibilities, anchor=part + "responsibilities"),
        )
        sec.extend(self.duty_block(part + "authority", _("Authority"), role.authority, _("Authority item")))
        if role.qualifications:
            sec += section(part + "qualifications", _("Qualifications"), self.qualifications(role.qualifications))
        sec.extend(self.duty_block(part + "kpis", _("Performance indicators"), role.kpis, _("Indicator")))
        if role.relations:
            rel = role.relations
            sec += section(
                part + "relations",
                _("Working relations"),
                field_table(
                    self.rows(
                        (_("Internal"), self.p.semi.join(v.t(t) for t in rel.internal)),
                        (_("External"), self.p.semi.join(v.t(t) for t in rel.external)),
                    )
                ),
            )
        if role.work_environment:
            sec += section(part + "environment", _("Work environment"), para(v.t(role.work_environment)))
        procs = v.role_processes(rid)
        if procs:
            sec += section(part + "processes", _("Processes"), self.role_process_list(rid, procs))
        return [sec]

    def qualifications(self, q: m.Qualifications) -> nodes.Node:
        v = self.v

        def items(texts: tuple[m.Text, ...]) -> nodes.Node | None:
            return bullet(v.t(s) for s in texts) if texts else None

        return field_table(
            self.rows(
                (_("Education"), v.t(q.education)),
                (_("Experience"), v.t(q.experience)),
                (_("Skills"), items(q.skills)),
                (_("Certificates"), items(q.certificates)),
                (_("Training"), items(q.training)),
                (_("Requirements"), items(q.other)),
            ),
            classes=["handbook-qualifications"],
        )

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
    #: a department's duty lists: attribute, section, the table's column
    DEPARTMENT_DUTIES = (
        ("functions", _("Functions"), _("Function")),
        ("authority", _("Authority"), _("Authority item")),
        ("goals", _("Goals"), _("Goal")),
        ("kpis", _("Performance indicators"), _("Indicator")),
    )

    def staffing_summary(self, st: m.Staffing) -> str:
        """编制 5-10，在岗 3，待招 2-7"""
        return self.p.comma.join(
            (
                f"{_('Headcount')} {self.staffing_text(st)}",
                f"{_('Filled')} {self.filled_text(st)}",
                f"{_('Vacant')} {st.vacant}",
            )
        )

    def department_page(self, did: str) -> list[nodes.Node]:
        v, p = self.v, self.p
        dept = v.department(did)
        name = v.t(dept.name)
        sec = self.object_section("department", did, name)
        for d in v.department_path(did):  # the breadcrumbs show the department path
            v.department_name(d)
        subs = v.subdepartments(did)
        roles = v.department_roles(did)
        shared = v.shared_roles(did)
        staffing = self.staffing_summary(v.department_staffing(did, total=False))
        if subs:
            staffing += p.paren(
                f"{_('including sub-departments')}{p.colon}" + self.staffing_summary(v.department_staffing(did))
            )
        sec += field_table(
            self.rows(
                (_("Department code"), v.t(dept.code)),
                (_("Category"), v.t(dept.category)),
                (_("Parent department"), self.dept_link(dept.parent) if dept.parent else "—"),
                (_("Head"), self.role_link(dept.head) if dept.head else "—"),
                (_("Sub-departments"), joined((self.dept_link(s) for s in subs), p.list) if subs else None),
                (_("Roles"), str(len(roles))),
                (_("Staffing"), staffing),
            ),
            classes=["handbook-department-header"],
        )
        sec.extend(self.change_note("department", did))
        part = f"department-{did}."
        if dept.purpose:
            sec += section(part + "purpose", _("Basic function"), para(v.t(dept.purpose)))
        if roles or subs or shared:
            chart = department_chart(v, did, chart_labels(), self.max_nodes)
            sec += section(part + "chart", _("Organisation chart"), self.chart(chart, part + "chart-figure", name))
        for attr, title, column in self.DEPARTMENT_DUTIES:
            sec.extend(self.duty_block(part + attr, str(title), getattr(dept, attr), str(column)))
        if roles:
            sec += section(part + "roles", _("Roles"), self.roles_table(roles))
        if shared:
            sec += section(
                part + "shared-roles",
                _("Roles shared with other departments"),
                para(str(_("These posts also serve this department; they are counted in their own department."))),
                self.roles_table(shared, with_department=True),
            )
        docs = [docname_for("role", r) for r in roles] + [docname_for("department", s) for s in subs]
        if docs:
            sec += self.toctree(docs, docname_for("department", did))
        return [sec]

    # -- process page -------------------------------------------------------------------
    def process_page(self, pid: str) -> list[nodes.Node]:
        v = self.v
        proc = v.process(pid)
        name = v.t(proc.name)
        sec = self.object_section("process", pid, name)
        sec += field_table(
            self.rows(
                (_("Owner"), self.role_link(proc.owner) if proc.owner else "—"), (_("Trigger"), v.t(proc.trigger))
            ),
            classes=["handbook-process-header"],
        )
        sec.extend(self.change_note("process", pid))
        part = f"process-{pid}."
        if proc.purpose:
            sec += section(part + "purpose", _("Purpose"), para(v.t(proc.purpose)))
        sec.extend(self.process_context(pid, part))
        if proc.steps:
            chart = process_chart(v, pid, chart_labels())
            sec += section(part + "flow", _("Flow"), self.chart(chart, part + "flow-figure", name))
            sec += section(part + "steps", _("Steps"), self.steps_table(pid))
        if proc.raci:
            sec += section(part + "raci", _("RACI"), self.raci_table(pid))
        if proc.records:
            sec += section(part + "records", _("Forms and records"), bullet(v.t(t) for t in proc.records))
        return [sec]

    def process_context(self, pid: str, part: str) -> list[nodes.Node]:
        """What ISO 9001 clause 4.4 asks of a process: inputs and outputs, measures, risks and
        opportunities, the processes it works with (each only when the data has it)."""
        v = self.v
        proc = v.process(pid)
        out: list[nodes.Node] = []
        rows = self.rows(
            (_("Inputs"), bullet(v.t(t) for t in proc.inputs) if proc.inputs else None),
            (_("Outputs"), bullet(v.t(t) for t in proc.outputs) if proc.outputs else None),
        )
        if rows:
            out.append(
                section(part + "io", _("Inputs and outputs"), field_table(rows, classes=["handbook-process-io"]))
            )
        if proc.kpis:
            out.append(section(part + "kpis", _("Performance indicators"), bullet(v.t(t) for t in proc.kpis)))
        if proc.risks:
            out.append(section(part + "risks", _("Risks and opportunities"), bullet(v.t(t) for t in proc.risks)))
        if proc.related:
            out.append(
                section(
                    part + "related",
                    _("Related processes"),
                    para(*joined([self.process_link(p) for p in proc.related], self.p.list)),
                )
            )
        return out
