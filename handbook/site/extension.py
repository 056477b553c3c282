"""The Sphinx extension: ``setup()`` registers everything, plus the handlers that load the data.

Data flow: YAML files -> loader -> validator -> ``Handbook`` (once per build, at
``builder-inited``) -> generated page stubs + the ``org`` domain -> directives -> nodes
-> any builder. Each concern has its own module with a small ``setup_x(app)``: settings
(:mod:`.config`), Mermaid assets (:mod:`.assets`), charts (:mod:`.charts`), the theme
(:mod:`.theme`), search (:mod:`.search`), the PDF (:mod:`.pdf`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from handbook import __version__, i18n
from handbook import model as m
from handbook.audit import datasets as revisions
from handbook.audit import org_health, record_checks, release
from handbook.audit.compare import compare
from handbook.digest import digest
from handbook.errors import HandbookExit
from handbook.pdf import setup_pdf
from handbook.problems import Problem, display_path, sort_problems
from handbook.search.language_check import setup_search_language_check
from handbook.search.sphinx_ import setup_search
from handbook.site import gc_pause as collector
from handbook.site import stubs
from handbook.site.assets import setup_assets
from handbook.site.brand import setup_brand
from handbook.site.build_marker import setup_build_marker
from handbook.site.chart_node import setup_charts
from handbook.site.directives import DIRECTIVES, PageParser
from handbook.site.domain import ROLE_ALIASES, OrgDomain, current_docname
from handbook.site.page_context import page_frame, setup_theme
from handbook.site.publish_json import setup_publish
from handbook.site.settings import SETTINGS, build_date, document_statuses, setup_config
from handbook.site.transforms import OnePageAnchors, UnspanGroupRows
from handbook.validate import check_dir
from handbook.validate.located_yaml import fingerprint

logger = logging.getLogger(__name__)

#: bump when the generated doctrees change shape, so Sphinx re-reads everything
ENV_VERSION = 3


class HandbookDataError(HandbookExit):
    """The data has errors (each one logged with its file:line before this stops the build)."""

    category = "Handbook data error"


def load_handbook(app: Sphinx) -> None:
    """``builder-inited``: load and check the data, report problems as warnings, write the page stubs."""
    try:
        _load_handbook(app)
    except BaseException:
        collector.resume()  # the build stops here (a data error): no build-finished puts it back
        raise


def _load_handbook(app: Sphinx) -> None:
    """See :func:`load_handbook`.

    When the data files and the settings are those of the previous build (and its stubs
    are all there), nothing is parsed: the previous build's problems are reported again and
    the handbook is read only if a page needs it (a rebuild after editing a hand-written page)."""
    data_dir = Path(app.confdir, app.config.handbook_data_dir)
    domain: OrgDomain = app.env.domains["org"]  # type: ignore[assignment]
    files = fingerprint(data_dir)
    settings = {s.name: getattr(app.config, s.name) for s in SETTINGS}
    today = build_date(app.config)  # a review falls due with the date, not only with the data
    # the baseline may change alone (another revision, an edited folder): its identity counts too
    baseline = release.identity(data_dir) + (
        revisions.identity(app.config.handbook_baseline, data_dir, Path(app.confdir))
        if app.config.handbook_baseline
        else ""
    )
    data_digest = (
        digest((__version__, files, settings, app.config.language, app.config.html_search_language, today, baseline))
        if files
        else ""
    )
    if (
        data_digest
        and domain.data.get("data-digest") == data_digest
        and stubs.stubs_present(app.srcdir, domain.data.get("stubs", ()))
    ):
        for p in domain.data.get("problems", ()):
            log_problem(Problem.from_dict(p))
        domain.set_handbook(None, data_digest, load=lambda: read_handbook(app, data_dir, log=False)[0])
        return
    hb, problems = read_handbook(app, data_dir)
    domain.set_handbook(hb, data_digest)
    plan = stubs.plan(hb)
    try:
        stubs.write(app.srcdir, plan, tuple(app.config.source_suffix))
    except stubs.PageConflict as exc:
        raise HandbookDataError(str(exc)) from None
    domain.data["stubs"] = list(plan.files)
    domain.data["problems"] = [p.as_dict() for p in problems]
    domain.data["frame"] = page_frame(hb, app.config)


def read_handbook(app: Sphinx, data_dir: Path, log: bool = True) -> tuple[m.Handbook, list[Problem]]:
    """Check the data and log its problems (``log=False``: they were logged already); stop on errors."""
    result = check_dir(str(data_dir), today=build_date(app.config), statuses=document_statuses(app.config))
    if result.handbook is not None and app.config.handbook_org_health is not None:
        limits = org_health.Limits.from_setting(app.config.handbook_org_health)
        result.problems = sort_problems([*result.problems, *org_health.findings(result.handbook, limits)])
    if result.handbook is not None:  # changed since its revision was released: a draft of the next one
        result.handbook, approval, _changes = release.approval_state(
            result.handbook, data_dir, app.config.language, document_statuses(app.config)
        )
        result.problems = sort_problems([*result.problems, *approval])
    if log or result.handbook is None:
        for p in result.problems:
            log_problem(p)
    if result.handbook is None:
        n = len(result.errors)
        shown = display_path(data_dir)
        raise HandbookDataError(
            f"{n} error{'s' if n != 1 else ''} in the handbook data in {shown} "
            f"(listed above; `handbook check {shown}` shows them too)"
        )
    handbook = result.handbook
    if app.config.handbook_baseline:
        handbook = with_changes(app, handbook, data_dir)
    previous = handbook.changes.previous if handbook.changes is not None else None
    found = record_checks.problems(
        handbook,
        previous,
        build_date(app.config),
        record_checks.Days(
            app.config.handbook_acknowledgement_days, app.config.handbook_recall_days, app.config.handbook_receipt_days
        ),
    )
    if found:
        if log:
            for p in found:
                log_problem(p)
        result.problems = sort_problems([*result.problems, *found])
    return handbook, result.problems


def count_read_docs(app: Sphinx, env, docnames: list[str]) -> None:
    """``env-before-read-docs``: how many pages this build reads (none: what all pages make is current)."""
    env.domains["org"].docs_read = len(docnames)


def with_changes(app: Sphinx, handbook: m.Handbook, data_dir: Path) -> m.Handbook:
    """The handbook with what changed since ``handbook_baseline`` (a folder or a git revision)."""
    spec = app.config.handbook_baseline
    try:
        base = revisions.load(spec, data_dir, Path(app.confdir))
    except revisions.DatasetError as exc:
        logger.warning("handbook_baseline = %r: %s", spec, exc, type="handbook", subtype="baseline")
        return handbook
    current = handbook.company.document.revision
    label = base.label if current is None or base.label != current.get(None) else spec  # both say B/1: "R1"
    changes = compare(base.handbook, handbook, label, "", base.source, display_path(data_dir))
    return dataclasses.replace(handbook, changes=dataclasses.replace(changes, previous=base.handbook))


def log_problem(p: Problem) -> None:
    """A data problem as a Sphinx warning (or error) of type ``handbook``, subtype its code."""
    location = str(p.source) if p.source.line else f"{p.source.path}:0"
    text = p.message + (f" (hint: {p.hint})" if p.hint else "")
    if p.is_error:
        logger.error(text, location=location, type="handbook", subtype=p.code.value)
    else:
        logger.warning(text, location=location, type="handbook", subtype=p.code.value)


def env_get_outdated(app: Sphinx, env, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The pages whose recorded data changed are read again."""
    domain: OrgDomain = env.domains["org"]
    domain.docs_removed = len(removed)
    if domain.data_unchanged or domain.handbook is None:
        return []
    return domain.outdated_docs(domain.handbook, app.config.language, added | changed | removed)


def env_get_updated(app: Sphinx, env) -> list[str]:
    """Every page's header and footer show the company and its document control: when
    those change, every page is written again (no re-reading needed)."""
    domain: OrgDomain = env.domains["org"]
    if domain.data_unchanged or domain.handbook is None:
        return []
    company = domain.handbook.company
    overdue = company.document.review_overdue(build_date(app.config))  # the banner of every page
    current = digest((company.name, company.short_name, company.document, overdue))
    if domain.data.get("page-frame") == current:
        return []
    domain.data["page-frame"] = current
    return sorted(env.all_docs)


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
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


def activate_language(app: Sphinx, config) -> None:
    """``config-inited``: the handbook's labels in the site's language (:mod:`handbook.i18n`)."""
    i18n.activate(config.language)


def defer_gc(app: Sphinx, config) -> None:
    """``config-inited``: no full garbage collection until the build ends (see
    :mod:`handbook.collector`): from here, so reading the previous build's environment
    gains too."""
    if config.handbook_defer_gc:
        collector.pause()


def keep_gc_for_html(app: Sphinx) -> None:
    """``builder-inited``: only HTML sites gain; the PDF builder collects after each chunk."""
    if app.builder.format != "html" or getattr(app.builder, "handbook_frees_as_it_goes", False):
        collector.resume()


def release_written_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (last): the page's doctree is written; while full collections
    wait, unlink it so it is freed at once (see :mod:`handbook.collector`)."""
    if doctree is not None and collector.paused():
        collector.release(doctree)


def resume_gc(app: Sphinx, exception: Exception | None) -> None:
    collector.resume()


def deactivate_language(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the site's language was the build's, not the process's."""
    i18n.deactivate()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.mermaid")
    setup_config(app)
    app.add_domain(OrgDomain)
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_source_suffix(stubs.STUB_SUFFIX, stubs.PAGE_FILETYPE)
    app.add_source_parser(PageParser)
    setup_assets(app)
    setup_charts(app)
    app.add_post_transform(UnspanGroupRows)
    app.add_post_transform(OnePageAnchors)
    setup_theme(app)
    setup_brand(app)
    setup_search(app)
    setup_search_language_check(app)
    setup_pdf(app)
    setup_publish(app)
    setup_build_marker(app)
    app.connect("config-inited", activate_language, priority=100)
    app.connect("config-inited", defer_gc, priority=900)  # after check_config
    app.connect("builder-inited", keep_gc_for_html, priority=100)
    app.connect("html-page-context", release_written_page, priority=999)
    app.connect("build-finished", resume_gc, priority=900)
    app.connect("build-finished", deactivate_language, priority=990)
    app.connect("builder-inited", load_handbook)
    app.connect("env-before-read-docs", count_read_docs)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("env-get-updated", env_get_updated)
    app.connect("doctree-read", doctree_read)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,  # data per document lives in the domain: clear_doc + merge_domaindata
        "parallel_write_safe": True,
    }


__all__ = ["HandbookDataError", "setup"]
