"""Mermaid, offline: where its JavaScript is, how the site loads it, copying it into the site.

The site's own charts are drawn at build time (:mod:`handbook.site.chart_drawing`): a site
ships Mermaid only when its readers' browsers draw (``handbook_chart_drawing = "browser"``,
or no headless browser at build time: the classic ``mermaid.min.js``) or when pages hold
Mermaid diagrams of their own (sphinxcontrib-mermaid's directive). sphinxcontrib-mermaid
loads Mermaid from a CDN by default; the handbook points it at a copy inside the built
site (``_static/handbook-mermaid/``), taken from the npm ``mermaid`` package, so the site
works with no network. The PDF route draws its charts
with the same copy (:mod:`handbook.charts.svg`). Finding the copy and its version
needs no Sphinx; only the build hooks log through Sphinx.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from handbook.charts.mermaid_js import CJK_FONTS, find_elk_dir, find_mermaid_dir, mermaid_version
from handbook.site.chart_drawing import CLASSIC_JS, RUN_JS, copy_client_files

MERMAID_STATIC = "handbook-mermaid"
MERMAID_MODULE = f"{MERMAID_STATIC}/mermaid.esm.min.mjs"
#: Mermaid's ELK layout (npm @mermaid-js/layout-elk), copied next to Mermaid
ELK_MODULE = f"{MERMAID_STATIC}/layout-elk/mermaid-layout-elk.esm.min.mjs"


def configure_mermaid(app, config) -> None:
    """``config-inited``: Mermaid from the local copy, never from a CDN; our fonts, so CJK
    labels are not clipped. A user's own settings are kept."""
    from handbook.charts.mermaid_text import MERMAID_LAYOUT

    if not config.mermaid_use_local:
        config.mermaid_use_local = MERMAID_MODULE
        # the ELK layout (orthogonal connectors), from the same local copy
        config.mermaid_include_elk = True
        config.mermaid_elk_use_local = ELK_MODULE
        # handbook-charts.js has its own zoom and full-screen controls (keyboard-operable)
        config.mermaid_fullscreen = False
    if config.mermaid_init_config == {"startOnLoad": False}:
        config.mermaid_init_config = {
            "startOnLoad": False,
            "securityLevel": "loose",  # needed for click-through links; all labels are escaped by us
            "fontFamily": CJK_FONTS,
            "themeVariables": {"fontFamily": CJK_FONTS, "fontSize": "15px"},
            **MERMAID_LAYOUT,
            # natural size: a wide chart scrolls in its frame instead of shrinking its text
            "flowchart": {**MERMAID_LAYOUT["flowchart"], "htmlLabels": True, "useMaxWidth": False},
        }


def mermaid_dir(app) -> Path | None:
    return find_mermaid_dir(app.confdir, app.srcdir, app.config.handbook_mermaid_dir)


def copy_mermaid(app, exception: Exception | None) -> None:
    """``build-finished``: copy into the site only the Mermaid its readers' browsers run
    (again only when it changes): Mermaid's classic script when the charts are drawn in the
    browser; the ES module and ELK when pages have Mermaid diagrams of their own. A copy an
    earlier build left and this one does not need is removed."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    domain = app.env.domains["hbcharts"]
    client = getattr(app.builder, "handbook_client_charts", False) and bool(domain.data["sources"])
    esm = domain.has_own_mermaid and app.config.mermaid_use_local == MERMAID_MODULE
    static = Path(app.outdir, "_static")
    dest = static / MERMAID_STATIC
    if not client:
        for old in (dest / CLASSIC_JS, static / RUN_JS):
            old.unlink(missing_ok=True)
    if not esm:
        remove_esm(dest)
    if not (client or esm):
        if dest.is_dir() and not any(dest.iterdir()):
            dest.rmdir()
        return
    src = mermaid_dir(app)
    if src is None:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            "the Mermaid JavaScript was not found (node_modules/mermaid/dist): charts will not render. "
            "Run `npm ci` next to conf.py (`make html` does it), or set handbook_mermaid_dir.",
            type="handbook",
            subtype="mermaid",
        )
        return
    if client:
        copy_client_files(app, static, src)
    if esm:
        copy_esm(app, src, dest)


def remove_esm(dest: Path) -> None:
    for name in ("chunks", "layout-elk"):
        if (dest / name).is_dir():
            shutil.rmtree(dest / name)
    for name in ("mermaid.esm.min.mjs", ".source"):
        (dest / name).unlink(missing_ok=True)


def copy_esm(app, src: Path, dest: Path) -> None:
    """Mermaid's ES module and the ELK layout, for sphinxcontrib-mermaid's own diagrams."""
    stamp = dest / ".source"
    elk = find_elk_dir(src)
    version = f"{mermaid_version(src)}+elk-{mermaid_version(elk) if elk else 'none'}@{src}"
    if stamp.exists() and stamp.read_text() == version:
        return
    remove_esm(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "mermaid.esm.min.mjs", dest / "mermaid.esm.min.mjs")
    chunks = src / "chunks" / "mermaid.esm.min"
    if chunks.is_dir():
        shutil.copytree(chunks, dest / "chunks" / "mermaid.esm.min")
    if elk is not None:
        copy_elk(elk, dest / "layout-elk")
    elif app.config.mermaid_include_elk:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            "Mermaid's ELK layout was not found (node_modules/@mermaid-js/layout-elk): charts will not render. "
            "Run `npm ci` next to conf.py (`make html` does it).",
            type="handbook",
            subtype="mermaid",
        )
    stamp.write_text(version)


def copy_elk(elk: Path, dest: Path) -> None:
    """The ELK layout's module and its chunks (no source maps: the site needs none)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(elk / "mermaid-layout-elk.esm.min.mjs", dest / "mermaid-layout-elk.esm.min.mjs")
    chunks = elk / "chunks" / "mermaid-layout-elk.esm.min"
    if chunks.is_dir():
        shutil.copytree(chunks, dest / "chunks" / "mermaid-layout-elk.esm.min", ignore=shutil.ignore_patterns("*.map"))


def setup_assets(app) -> None:
    app.connect("config-inited", configure_mermaid)
    app.connect("build-finished", copy_mermaid)
