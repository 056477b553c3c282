"""The Sphinx extension: every ``add_*`` and ``connect`` call, in one readable place.

Data flow: YAML files -> loader -> validator -> ``Handbook`` (once per build, at
``builder-inited``) -> generated page stubs + the ``org`` domain -> directives -> nodes
-> any builder.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from . import __version__, pages
from .charts import setup_charts
from .directives import DIRECTIVES
from .domain import ROLE_ALIASES, OrgDomain, current_docname
from .errors import HandbookExit
from .i18n import CATALOG, LOCALE_DIR
from .model import digest
from .pdf import setup_pdf
from .problems import Problem
from .search import setup_search
from .transforms import UnspanGroupRows
from .loader import display_path
from .validate import check_dir

logger = logging.getLogger(__name__)

#: bump when the generated doctrees change shape, so Sphinx re-reads everything
ENV_VERSION = 1

CJK_FONTS = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
             "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif")
MERMAID_STATIC = "handbook-mermaid"


class HandbookDataError(HandbookExit):
    """The data has errors (each one logged with its file:line before this stops the build)."""

    category = "Handbook data error"


@dataclass(frozen=True)
class ConfigValue:
    name: str
    default: Any
    rebuild: str
    help: str


#: the configuration table in the docs is generated from this list
CONFIG = (
    ConfigValue("handbook_data_dir", "org", "env",
                "Folder of the organisation's YAML files, relative to the folder of conf.py."),
    ConfigValue("handbook_show_people", True, "env",
                "Show the names of the people holding each role (set False to publish posts only)."),
    ConfigValue("handbook_chart_max_nodes", 60, "env",
                "Most boxes in one chart (5-150); larger trees are split into an overview and per-department charts."),
    ConfigValue("handbook_as_of", "", "env",
                "The 'as of' date printed under charts; default: the document's effective date, else today."),
    ConfigValue("handbook_mermaid_dir", "", "html",
                "Folder holding mermaid.esm.min.mjs and chunks/ (default: node_modules/mermaid/dist "
                "next to conf.py or in the working folder)."),
)


def _config_inited(app: Sphinx, config) -> None:
    # Mermaid from the local copy, never from a CDN; our fonts so CJK labels are not clipped
    if not config.mermaid_use_local:
        config.mermaid_use_local = f"{MERMAID_STATIC}/mermaid.esm.min.mjs"
    if config.mermaid_init_config == {"startOnLoad": False}:
        config.mermaid_init_config = {
            "startOnLoad": False,
            "securityLevel": "loose",  # needed for click-through links; all labels are escaped by us
            "fontFamily": CJK_FONTS,
            "themeVariables": {"fontFamily": CJK_FONTS, "fontSize": "15px"},
            # natural size: a wide chart scrolls sideways in its frame instead of shrinking its text
            "flowchart": {"htmlLabels": True, "useMaxWidth": False, "nodeSpacing": 28, "rankSpacing": 50,
                          "padding": 12, "wrappingWidth": 220},
        }


def load_handbook(app: Sphinx) -> None:
    """Load and check the data, report problems as warnings, write the page stubs."""
    data_dir = Path(app.confdir, app.config.handbook_data_dir)
    result = check_dir(str(data_dir))
    for p in result.problems:
        _log_problem(p)
    if result.handbook is None:
        n = len(result.errors)
        shown = display_path(data_dir)
        raise HandbookDataError(f"{n} error{'s' if n != 1 else ''} in the handbook data in {shown} "
                                f"(listed above; `handbook check {shown}` shows them too)")
    domain: OrgDomain = app.env.domains["org"]  # type: ignore[assignment]
    domain.handbook = result.handbook
    try:
        pages.write(app.srcdir, pages.plan(result.handbook), tuple(app.config.source_suffix))
    except pages.PageConflict as exc:
        raise HandbookDataError(str(exc)) from None


def _log_problem(p: Problem) -> None:
    location = str(p.source) if p.source.line else f"{p.source.path}:0"
    text = p.message + (f" (hint: {p.hint})" if p.hint else "")
    if p.is_error:
        logger.error(text, location=location, type="handbook", subtype=p.code.value)
    else:
        logger.warning(text, location=location, type="handbook", subtype=p.code.value)


def _env_get_outdated(app: Sphinx, env, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    domain: OrgDomain = env.domains["org"]
    if domain.handbook is None:
        return []
    return domain.outdated_docs(domain.handbook, app.config.language, added | changed | removed)


def _env_get_updated(app: Sphinx, env) -> list[str]:
    """Every page's header and footer show the company and its document control: when
    those change, every page is written again (no re-reading needed)."""
    domain: OrgDomain = env.domains["org"]
    if domain.handbook is None:
        return []
    company = domain.handbook.company
    current = digest((company.name, company.short_name, company.document))
    if domain.data.get("page-frame") == current:
        return []
    domain.data["page-frame"] = current
    return sorted(env.all_docs)


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Hand-written pages link to objects: remember which, so a rename or a removal
    re-reads them (the links are resolved again, or warn)."""
    keys = set()
    for node in doctree.findall(addnodes.pending_xref):
        # with or without an explicit text: a rename changes the link text, a removal its target
        if node.get("refdomain") == "org":
            kind = ROLE_ALIASES.get(node.get("reftype", ""), "")
            if kind:
                keys.add(("title", kind, node["reftarget"]))
    if keys:
        domain: OrgDomain = app.env.domains["org"]  # type: ignore[assignment]
        domain.note_deps(current_docname(app.env), keys, app.config.language)


NAV_LINKS = tuple((pages.INDEX_DOCS[kind], label) for kind, label in (
    ("company", "Company"), ("departments", "Departments"), ("roles", "Roles A–Z"), ("processes", "Processes"),
    ("headcount", "Headcount summary"), ("raci", "RACI matrix"), ("people", "People")))
#: labels the theme's templates show (templates only see Sphinx's own catalog)
THEME_LABELS = {"navigation": "Navigation", "search": "Search", "search_placeholder": "Search duties, roles…",
                "organisation": "Organisation", "previous": "Previous page", "next": "Next page",
                "this_department": "In this department", "handbook_pages": "Handbook", "skip": "Skip to content",
                "sub_departments": "Sub-departments", "roles": "Roles"}
NAV_LABELS = tuple(label for _d, label in NAV_LINKS) + tuple(THEME_LABELS.values())


def _html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """What the theme shows around the page, at a constant cost per page (no global toctree).

    ``handbook_nav_links``: the fixed index links; ``handbook_company``: name and page of the
    company (the first breadcrumb); ``handbook_document``: document-control fields for the
    footer; ``handbook_local``: on a department page, its roles and sub-departments, read from
    the page's own (hidden) toctree entries, so the cost is the size of the department.
    """
    from .i18n import _
    from .view import View

    all_docs = app.env.all_docs
    hidden = set() if app.config.handbook_show_people else {pages.INDEX_DOCS["people"]}
    context["handbook_nav_links"] = [(d, str(_(label))) for d, label in NAV_LINKS
                                     if d in all_docs and d not in hidden]
    context["handbook_labels"] = {k: str(_(v)) for k, v in THEME_LABELS.items()}
    handbook = app.env.domains["org"].handbook  # type: ignore[attr-defined]
    company: dict[str, str] = {}
    document: list[tuple[str, str]] = []
    if handbook is not None:
        v = View(handbook, app.config.language)
        c = handbook.company
        company = {"name": v.t(c.name), "docname": "company" if "company" in all_docs else ""}
        doc = c.document
        for label, value in ((_("Document number"), v.t(doc.number)), (_("Revision"), v.t(doc.revision)),
                             (_("Effective"), doc.effective.isoformat() if doc.effective else "")):
            if value:
                document.append((str(label), value))
    context["handbook_company"] = company
    context["handbook_document"] = document
    local: dict[str, list[tuple[str, str]]] = {"roles": [], "departments": []}
    if pagename.startswith("departments/") and pagename != "departments/index":
        titles = app.env.titles
        for docname in app.env.toctree_includes.get(pagename, ()):
            kind = "roles" if docname.startswith("roles/") else "departments"
            title = titles[docname].astext() if docname in titles else docname
            local[kind].append((docname, title))
    context["handbook_local"] = local


def find_mermaid_dir(app: Sphinx) -> Path | None:
    configured = app.config.handbook_mermaid_dir
    candidates = [Path(app.confdir, configured)] if configured else [
        Path(app.confdir, "node_modules/mermaid/dist"), Path.cwd() / "node_modules/mermaid/dist",
        Path(app.srcdir, "node_modules/mermaid/dist"),
        # the handbook project's own copy, when the package runs from its clone (make html)
        Path(__file__).resolve().parent.parent / "node_modules/mermaid/dist"]
    for c in candidates:
        if (c / "mermaid.esm.min.mjs").exists():
            return c
    return None


def _copy_mermaid(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    if app.config.mermaid_use_local != f"{MERMAID_STATIC}/mermaid.esm.min.mjs":
        return  # the user points Mermaid elsewhere
    src = find_mermaid_dir(app)
    if src is None:
        logger.warning("the Mermaid JavaScript was not found (node_modules/mermaid/dist): charts will not render. "
                       "Run `npm ci` next to conf.py (`make html` does it), or set handbook_mermaid_dir.",
                       type="handbook", subtype="mermaid")
        return
    dest = Path(app.outdir, "_static", MERMAID_STATIC)
    stamp = dest / ".source"
    version = _mermaid_version(src)
    if stamp.exists() and stamp.read_text() == version:
        return
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(src / "mermaid.esm.min.mjs", dest / "mermaid.esm.min.mjs")
    chunks = src / "chunks" / "mermaid.esm.min"
    if chunks.is_dir():
        shutil.copytree(chunks, dest / "chunks" / "mermaid.esm.min")
    stamp.write_text(version)


def _mermaid_version(dist: Path) -> str:
    try:
        return json.loads((dist.parent / "package.json").read_text())["version"] + f"@{dist}"
    except (OSError, ValueError, KeyError):
        return f"unknown@{dist}@{(dist / 'mermaid.esm.min.mjs').stat().st_mtime}"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.mermaid")
    for cv in CONFIG:
        app.add_config_value(cv.name, cv.default, cv.rebuild)
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    app.add_domain(OrgDomain)
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    setup_charts(app)
    app.add_post_transform(UnspanGroupRows)
    setup_pdf(app)
    setup_search(app)
    app.add_html_theme("handbook", str(Path(__file__).parent / "theme"))
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", load_handbook)
    app.connect("env-get-outdated", _env_get_outdated)
    app.connect("env-get-updated", _env_get_updated)
    app.connect("doctree-read", _doctree_read)
    app.connect("html-page-context", _html_page_context)
    app.connect("build-finished", _copy_mermaid)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,  # data per document lives in the domain: clear_doc + merge_domaindata
        "parallel_write_safe": True,
    }


__all__ = ["setup", "CONFIG", "HandbookDataError"]
