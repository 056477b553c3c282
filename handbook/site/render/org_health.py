"""The organisation-health page (组织健康度) HR reads: span of control, layers, key posts
without a backup, people holding several posts, duties two departments claim, departments
without a head, vacancy by department. The figures come from
:func:`handbook.audit.org_health.examine` (through the view, so the page is rebuilt when
they change); the findings are marked against :class:`~handbook.audit.org_health.Limits`."""

from __future__ import annotations

from docutils import nodes

from handbook.audit.org_health import Limits
from handbook.i18n import _
from handbook.site.render.base import Base
from handbook.site.render.blocks import joined, para, section, table


def _percent(rate: float) -> str:
    return f"{round(rate * 100)} %"


class OrgHealthPages(Base):
    """The org-health page."""

    limits: Limits = Limits()

    def _finding(self, text: str) -> nodes.Node:
        return nodes.strong(text, text, classes=["handbook-finding"])

    def org_health_page(self) -> list[nodes.Node]:
        v, lim = self.v, self.limits
        h = v.org_health()
        sec = section("handbook-org-health", str(_("Organisation health")))
        roles = v.all_roles()
        managers = len(h.spans)
        mean = sum(len(s.reports) for s in h.spans) / managers if managers else 0.0
        sec += para(
            str(_("{roles} posts, {managers} of them managing others (average span {mean}), {layers} layers.")).format(
                roles=len(roles), managers=managers, mean=f"{mean:.1f}", layers=len(h.layers)
            )
        )
        sec += para(
            str(
                _(
                    "Marked: a span above {span_max} or below {span_min}, more than {layers_max} layers, more than {posts_max} posts for one person, more than {vacancy} of a department's headcount open (limits: handbook_org_health in conf.py)."
                )
            ).format(
                span_max=lim.span_max,
                span_min=lim.span_min,
                layers_max=lim.layers_max,
                posts_max=lim.posts_max,
                vacancy=_percent(lim.vacancy_max),
            ),
            classes=["handbook-note"],
        )
        sec += self._spans(h)
        sec += self._layers(h)
        sec += self._no_backup(h)
        sec += self._many_posts(h)
        sec += self._shared(h)
        sec += self._headless(h)
        sec += self._vacancy(h)
        return [sec]

    def _spans(self, h) -> nodes.section:
        rows = []
        for s in h.spans:
            n = len(s.reports)
            mark = ""
            if n > self.limits.span_max:
                mark = self._finding(str(_("too wide")))
            elif n < self.limits.span_min:
                mark = self._finding(str(_("too narrow")))
            rows.append(
                [
                    self.role_link(s.role),
                    self.dept_link(self.v.role_brief(s.role).department),
                    str(n),
                    str(s.people),
                    mark,
                ]
            )
        body = (
            table(
                [_("Manager"), _("Department"), _("Direct reports"), _("People in those posts"), _("Finding")],
                rows,
                [4, 4, 1, 1, 2],
                classes=["handbook-org-spans"],
                nowrap=[2, 3],
                nowrap_header=False,
            )
            if rows
            else para(str(_("No post has others reporting to it.")))
        )
        return section("handbook-org-spans", str(_("Span of control")), body)

    def _layers(self, h) -> nodes.section:
        rows = [[str(n), str(len(posts))] for n, posts in enumerate(h.layers, start=1)]
        sec = section("handbook-org-layers", str(_("Reporting layers")))
        if len(h.layers) > self.limits.layers_max:
            sec += para(self._finding(str(_("More layers than the limit ({n}).")).format(n=self.limits.layers_max)))
        sec += table([_("Layer"), _("Posts")], rows, [1, 1], classes=["handbook-org-layers"], nowrap=[0, 1])
        if h.deepest:
            chain = para(str(_("The longest line:")) + " ")
            chain += joined([self.role_link(r) for r in h.deepest], " → ")
            sec += chain
        return sec

    def _no_backup(self, h) -> nodes.section:
        sec = section("handbook-org-no-backup", str(_("Key posts without a backup")))
        if not h.no_backup:
            sec += para(str(_("Every leading post has a second holder or an acting holder.")))
            return sec
        sec += para(
            str(_("Heads and managers held by one person, with nobody acting for them or sharing the post:")),
            classes=["handbook-note"],
        )
        rows = [[self.role_link(r), self.dept_link(self.v.role_brief(r).department)] for r in h.no_backup]
        sec += table([_("Role"), _("Department")], rows, [1, 1], classes=["handbook-org-no-backup"])
        return sec

    def _many_posts(self, h) -> nodes.section:
        sec = section("handbook-org-many-posts", str(_("People holding several posts")))
        if not h.many_posts:
            sec += para(str(_("Nobody holds more than one post.")))
            return sec
        if not self.show_people:
            sec += para(str(_("{n} people hold several posts.")).format(n=len(h.many_posts)))
            return sec
        names = {p.key: p.name for p in self.v.all_people()}
        rows = []
        for key, posts in h.many_posts:
            mark = (
                self._finding(str(_("more than {n}")).format(n=self.limits.posts_max))
                if len(posts) > self.limits.posts_max
                else ""
            )
            rows.append(
                [self.v.t(names[key]), joined([self.role_link(r) for r in posts], self.p.list), str(len(posts)), mark]
            )
        sec += table(
            [_("Name"), _("Roles"), _("Posts"), _("Finding")],
            rows,
            [2, 6, 1, 2],
            classes=["handbook-org-many-posts"],
            nowrap=[2],
            nowrap_header=False,
        )
        return sec

    def _shared(self, h) -> nodes.section:
        sec = section("handbook-org-shared-duties", str(_("Functions claimed by two departments")))
        if not h.shared_duties:
            sec += para(str(_("No two departments list the same function.")))
            return sec
        rows = [
            [
                [self.dept_link(s.first), nodes.Text(f" {s.first_number}")],
                self.v.t(s.text),
                [self.dept_link(s.second), nodes.Text(f" {s.second_number}")],
                self.v.t(s.other_text),
                _percent(s.similarity),
            ]
            for s in h.shared_duties
        ]
        sec += table(
            [_("Department"), _("Function"), _("Department"), _("Function"), _("Alike")],
            rows,
            [2, 4, 2, 4, 1],
            classes=["handbook-org-shared-duties"],
            nowrap=[4],
            nowrap_header=False,
        )
        return sec

    def _headless(self, h) -> nodes.section:
        sec = section("handbook-org-headless", str(_("Departments without a head")))
        if not h.headless:
            sec += para(str(_("Every department names its head.")))
        else:
            sec += para(*joined([self.dept_link(d) for d in h.headless], self.p.list))
        return sec

    def _vacancy(self, h) -> nodes.section:
        sec = section("handbook-org-vacancy", str(_("Vacancy by department")))
        if not h.vacancy:
            sec += para(str(_("No department has open posts.")))
            return sec
        rows = []
        for x in h.vacancy:
            st = x.staffing
            mark = (
                self._finding(str(_("above {limit}")).format(limit=_percent(self.limits.vacancy_max)))
                if x.rate > self.limits.vacancy_max
                else ""
            )
            rows.append(
                [
                    self.dept_link(x.department),
                    self.staffing_text(st),
                    self.filled_text(st),
                    str(st.vacant),
                    _percent(x.rate),
                    mark,
                ]
            )
        sec += table(
            [_("Department"), _("Headcount"), _("Filled"), _("Vacant"), _("Open share"), _("Finding")],
            rows,
            [4, 1, 1, 1, 1, 2],
            classes=["handbook-org-vacancy"],
            nowrap=[1, 2, 3, 4],
            nowrap_header=False,
        )
        return sec
