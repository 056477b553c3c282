"""The generated pages (read by :class:`PageParser` from their stubs, or placed with
``org-page``) and the directives authors place in their own pages (``org-chart``,
``role-responsibilities``, ``department-roles``, ``process-flow``, ``headcount-table``,
``org-contents``).

Each directive reads the handbook through a :class:`~handbook.view.View` and records
the keys it read on the ``org`` domain, so incremental builds know what each page shows.
"""

from __future__ import annotations

import datetime as dt
import functools

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.parsers import Parser
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.audit.org_health import Limits
from handbook.charts.org_charts import company_chart, department_chart
from handbook.i18n import chart_labels
from handbook.pages import CONTENTS, PAGES
from handbook.site.domain import OrgDomain, current_docname
from handbook.site.render import Renderer
from handbook.site.settings import CHART_NODES
from handbook.site.stubs import PAGE_FILETYPE, read_stub
from handbook.view import View

logger = logging.getLogger(__name__)


def clamp_nodes(n: int) -> int:
    """Keep a chart within Mermaid's limits (50,000 characters, 500 edges) whatever is asked."""
    low, high = CHART_NODES
    return max(low, min(int(n), high))


def make_renderer(env) -> tuple[View, Renderer] | None:
    """A view of this build's handbook and a renderer, with the settings of the build."""
    hb = env.domains["org"].handbook
    if hb is None:
        return None
    cfg = env.config
    view = View(hb, cfg.language)
    as_of = cfg.handbook_as_of or (
        hb.company.document.effective.isoformat() if hb.company.document.effective else dt.date.today().isoformat()
    )
    renderer = Renderer(
        view, as_of=as_of, max_nodes=clamp_nodes(cfg.handbook_chart_max_nodes), show_people=cfg.handbook_show_people
    )
    if cfg.handbook_org_health:
        renderer.limits = _limits(tuple(sorted(cfg.handbook_org_health.items())))
    return view, renderer


@functools.lru_cache(maxsize=4)
def _limits(setting: tuple[tuple[str, object], ...]) -> Limits:
    """``handbook_org_health`` read once per build (per distinct value), not once per page."""
    return Limits.from_setting(dict(setting))


def generated_page(env, docname: str, kind: str, ident: str, location) -> list[nodes.Node]:
    """The content of a generated page, its objects registered and what it read recorded."""
    domain: OrgDomain = env.domains["org"]
    made = make_renderer(env)
    if made is None:
        logger.warning(
            "the handbook data is not loaded (is `handbook` in `extensions`?)",
            location=location,
            type="handbook",
            subtype="no-data",
        )
        return []
    view, r = made
    page = PAGES.get(kind)
    if page is None:
        logger.warning("unknown handbook page kind `%s`", kind, location=location, type="handbook", subtype="directive")
        return []
    if page.per and view.hb.title(page.per, ident) is None:
        domain.note_deps(docname, [("title", page.per, ident)], env.config.language)  # read again if it appears
        logger.warning(
            "no %s with the id `%s` in the handbook data",
            page.per,
            ident,
            location=location,
            type="handbook",
            subtype="dangling-ref",
        )
        return []
    out = r.page(page, ident)
    for obj_kind, obj, anchor, name in r.defined:
        domain.note_object(obj_kind, obj, docname, anchor, name)
    domain.note_deps(docname, view.keys, env.config.language)
    return out


class PageParser(Parser):
    """Reads a generated page's stub (``role cs-manager``) and builds the page from the model.

    The stubs are handbook's own file type (:data:`~handbook.site.stubs.STUB_SUFFIX`): setting
    up reStructuredText's parser for a one-line page cost more than the page itself, and
    every role, department and process has one.
    """

    supported = (PAGE_FILETYPE,)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = current_docname(env)
        stub = read_stub(inputstring)
        if stub is None:
            logger.warning(
                "not a handbook page stub (expected a line such as `role cs-manager`)",
                location=docname,
                type="handbook",
                subtype="directive",
            )
            return
        kind, ident = stub
        page = PAGES.get(kind)
        if page is not None and page.orphan:  # reached through links, not a toctree
            document += nodes.docinfo("", nodes.field("", nodes.field_name(text="orphan"), nodes.field_body()))
        document.extend(generated_page(env, docname, kind, ident, docname))


class HandbookDirective(SphinxDirective):
    """Common plumbing: the domain, the view, recording what was read."""

    @property
    def domain(self) -> OrgDomain:
        return self.env.domains["org"]  # type: ignore[return-value]

    @property
    def docname(self) -> str:
        return current_docname(self.env)

    def make(self) -> tuple[View, Renderer] | None:
        made = make_renderer(self.env)
        if made is None:
            logger.warning(
                "the handbook data is not loaded (is `handbook` in `extensions`?)",
                location=self.get_location(),
                type="handbook",
                subtype="no-data",
            )
        return made

    def done(self, view: View) -> None:
        self.domain.note_deps(self.docname, view.keys, self.config.language)

    def missing(self, kind: str, ident: str) -> list[nodes.Node]:
        """Warn about an unknown id; the page is read again when the object appears."""
        self.domain.note_deps(self.docname, [("title", k, ident) for k in kind.split(" or ")], self.config.language)
        logger.warning(
            "%s: no %s with the id `%s` in the handbook data",
            self.name,
            kind,
            ident,
            location=self.get_location(),
            type="handbook",
            subtype="dangling-ref",
        )
        return []


class OrgPage(SphinxDirective):
    """``.. org-page:: KIND [ID]`` — the content of a generated page, in a page of your own."""

    required_arguments = 1
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        ident = self.arguments[1] if len(self.arguments) > 1 else ""
        return generated_page(self.env, current_docname(self.env), self.arguments[0], ident, self.get_location())


class OrgChart(HandbookDirective):
    """``.. org-chart:: [DEPARTMENT]`` — the company chart, or a department's chart.

    Options: ``:depth:`` levels of departments (company chart), ``:roles:`` show the
    department's roles instead of its sub-departments, ``:no-headcount:``, ``:max-nodes:``.
    """

    optional_arguments = 1
    option_spec = {
        "depth": directives.positive_int,
        "roles": directives.flag,
        "no-headcount": directives.flag,
        "max-nodes": directives.positive_int,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        made = self.make()
        if made is None:
            return []
        view, r = made
        root = self.arguments[0] if self.arguments else None
        if root is not None and root not in view.hb.departments:
            role = view.hb.roles.get(root)
            if role is None:
                return self.missing("department or role", root)
            root = role.department  # a role: chart of its department
            self.options.setdefault("roles", None)
        max_nodes = clamp_nodes(self.options.get("max-nodes", self.config.handbook_chart_max_nodes))
        show = "no-headcount" not in self.options
        if root is not None and "roles" in self.options:
            chart = department_chart(view, root, chart_labels(), max_nodes, show)
        else:
            chart = company_chart(
                view, chart_labels(), max_nodes, root=root, depth=self.options.get("depth"), show_headcount=show
            )
        title = self.options.get("caption") or (view.department_name(root) if root else view.t(view.company().name))
        node = r.chart(chart, self.options.get("name") or f"org-chart-{self.lineno}", title)
        self.done(view)
        return [node]


class _OneObject(HandbookDirective):
    required_arguments = 1
    kind = ""

    def run(self) -> list[nodes.Node]:
        made = self.make()
        if made is None:
            return []
        view, r = made
        ident = self.arguments[0]
        if view.hb.title(self.kind, ident) is None:
            return self.missing(self.kind, ident)
        out = self.build(view, r, ident)
        self.done(view)
        return out

    def build(self, view: View, r: Renderer, ident: str) -> list[nodes.Node]:
        raise NotImplementedError


class RoleResponsibilities(_OneObject):
    """``.. role-responsibilities:: ROLE`` — the role's responsibility table."""

    kind = "role"

    def build(self, view, r, ident):
        return [r.duty_table(view.role(ident).responsibilities)]


class DepartmentRoles(_OneObject):
    """``.. department-roles:: DEPARTMENT`` — the table of a department's roles."""

    kind = "department"

    def build(self, view, r, ident):
        return [r.roles_table(view.department_roles(ident))]


class ProcessFlow(_OneObject):
    """``.. process-flow:: PROCESS`` — the process flowchart (``:steps:`` adds the steps table)."""

    kind = "process"
    option_spec = {"steps": directives.flag}

    def build(self, view, r, ident):
        from handbook.charts.flow_charts import process_chart

        out = [
            r.chart(process_chart(view, ident, chart_labels()), f"flow-{ident}-{self.lineno}", view.process_name(ident))
        ]
        if "steps" in self.options:
            out.append(r.steps_table(ident))
        return out


class HeadcountTable(HandbookDirective):
    """``.. headcount-table:: [DEPARTMENT]`` — 编制 / 在岗 / 待招 by department, with totals."""

    optional_arguments = 1

    def run(self):
        made = self.make()
        if made is None:
            return []
        view, r = made
        root = self.arguments[0] if self.arguments else None
        if root is not None and root not in view.hb.departments:
            return self.missing("department", root)
        out = [r.headcount_table(root)]
        self.done(view)
        return out


class OrgContents(HandbookDirective):
    """``.. org-contents::`` — a table of contents of the generated pages the data makes (changes, company, clause allocation, departments, processes, roles, headcount, RACI)."""

    option_spec = {"maxdepth": directives.nonnegative_int, "caption": directives.unchanged_required}

    def run(self):
        made = self.make()
        if made is None:
            return []
        view, r = made
        docs = [PAGES[kind].docname for kind in CONTENTS if view.page_made(kind)]
        out = r.toctree(docs, self.docname, caption=self.options.get("caption"), hidden=False)
        out[0]["maxdepth"] = self.options.get("maxdepth", -1)
        self.set_source_info(out[0])
        self.done(view)
        return [out]


DIRECTIVES = {
    "org-page": OrgPage,
    "org-chart": OrgChart,
    "role-responsibilities": RoleResponsibilities,
    "department-roles": DepartmentRoles,
    "process-flow": ProcessFlow,
    "headcount-table": HeadcountTable,
    "org-contents": OrgContents,
}
