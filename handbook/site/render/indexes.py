"""The company page and the index pages: departments, roles A–Z, processes, headcount, people, RACI."""

from __future__ import annotations

from functools import lru_cache

from docutils import nodes

from handbook.charts.flow_charts import process_links, process_map
from handbook.charts.org_charts import company_chart
from handbook.i18n import _, chart_labels
from handbook.pages import PAGES, docname_for, index_docname
from handbook.site.render.base import Base
from handbook.site.render.blocks import anchor_xref, field_table, joined, para, person_anchor, section, table


@lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    """A sort key that orders Chinese titles by pinyin (A–Z) and others by letters."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower()


class IndexPages(Base):
    """The pages about the whole handbook."""

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
        for label, value in (
            (_("Document title"), v.t(doc.title)),
            (_("Document number"), v.t(doc.number)),
            (_("Revision"), v.t(doc.revision)),
            (_("Status"), str(_(doc.status.label)) if doc.status else ""),
            (_("Effective"), doc.effective.isoformat() if doc.effective else ""),
            (_("Review due"), doc.next_review.isoformat() if doc.next_review else ""),
        ):
            if value:
                rows.append((label, value))
        for label, ap in (
            (_("Prepared by"), doc.prepared_by),
            (_("Reviewed by"), doc.reviewed_by),
            (_("Approved by"), doc.approved_by),
        ):
            if ap:
                text = v.t(ap.name)
                if ap.title:
                    text += self.p.paren(v.t(ap.title))
                if ap.date:
                    text += f" {ap.date.isoformat()}"
                if ap.record:
                    text += f"{self.p.semi}{_('Approval record')}{self.p.colon}{v.t(ap.record)}"
                rows.append((label, text))
        if doc.history:  # the whole history is a page of its own
            last = doc.history[-1]
            rows.append(
                (
                    _("Revision history"),
                    para(
                        f"{v.t(last.revision)} {last.date.isoformat()}" + self.p.semi,
                        anchor_xref(PAGES["history"].docname, "handbook-history", str(_("Revision history"))),
                    ),
                )
            )
        if rows:
            sec += section("handbook-document-control", _("Document control"), field_table(rows))
        chart = company_chart(v, chart_labels(), self.max_nodes)
        sec += section("handbook-company-chart", _("Organisation chart"), self.chart(chart, "company-chart", name))
        st = v.company_staffing()
        sec += section(
            "handbook-company-staffing",
            _("Staffing"),
            field_table(
                [
                    (_("Departments"), str(len(v.all_departments()))),
                    (_("Roles"), str(len(v.all_roles()))),
                    (_("Headcount"), self.staffing_text(st)),
                    (_("Filled"), self.filled_text(st)),
                    (_("Vacant"), str(st.vacant)),
                ]
            ),
        )
        sec += section("handbook-department-tree", _("Departments"), self.department_tree(v.top_departments()))
        return [sec]

    def departments_index(self) -> list[nodes.Node]:
        v = self.v
        title = str(_("Departments"))
        sec = section("handbook-departments", title)
        sec += self.department_tree(v.top_departments())
        sec += self.toctree([docname_for("department", d) for d in v.top_departments()], index_docname("departments"))
        return [sec]

    def roles_index(self) -> list[nodes.Node]:
        v = self.v
        sec = section("handbook-roles-index", str(_("Roles A–Z")))
        groups: dict[str, list[tuple[str, str]]] = {}
        for r in v.all_roles():
            title = v.role_title(r)
            key = pinyin_key(title)
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
        links = process_links(v)
        if links:
            title = str(_("Process interaction"))
            sec += section(
                "handbook-process-map",
                title,
                para(str(_("An arrow leads from the process whose output another takes as its input."))),
                self.chart(process_map(v, chart_labels(), links), "handbook-process-map-figure", title),
            )
        sec += self.toctree([docname_for("process", p) for p in v.all_processes()], index_docname("processes"))
        return [sec]

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
                vac_rows.append(
                    [
                        self.role_link(r),
                        self.dept_link(role.department),
                        str(st.headcount),
                        self.filled_text(st),
                        str(st.vacant),
                    ]
                )
        if vac_rows:
            sec += section(
                "handbook-vacancies",
                str(_("Open positions")),
                table(
                    [_("Role"), _("Department"), _("Headcount"), _("Filled"), _("Vacant")],
                    vac_rows,
                    [4, 4, 1, 1, 1],
                    classes=["handbook-vacancies"],
                    nowrap=[2, 3, 4],
                    nowrap_header=False,
                ),
            )
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
                post = nodes.inline()
                post += self.role_link(a.role)
                post += nodes.Text(self.assignment_note(a) + (f" {a.since.isoformat()}" if a.since else ""))
                posts.append(post)
            rows.append([v.t(person.name), joined(posts, self.p.list) if posts else "—"])
        tbl = table([_("Name"), _("Roles (since)")], rows, [2, 8], classes=["handbook-people"])
        for row, person in zip(tbl.findall(nodes.row), [None, *people], strict=False):  # the first row is the header
            if person is not None:
                row["ids"].append(person_anchor(person.key))
                self.define("person", person.key, person_anchor(person.key), v.t(person.name))
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
