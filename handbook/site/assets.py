"""Mermaid, offline: where its JavaScript is, how the site loads it, copying it into the site.

sphinxcontrib-mermaid loads Mermaid from a CDN by default; the handbook points it at a
copy inside the built site (``_static/handbook-mermaid/``), taken from the npm
``mermaid`` package, so the site works with no network. The PDF route draws its charts
with the same copy (:mod:`handbook.charts.svg`). Finding the copy and its version
needs no Sphinx; only the build hooks log through Sphinx.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from handbook.charts.mermaid_js import CJK_FONTS, find_elk_dir, find_mermaid_dir, mermaid_version

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
    """``build-finished``: copy Mermaid into the site once (again only when it changes)."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    if app.config.mermaid_use_local != MERMAID_MODULE:
        return  # the user points Mermaid elsewhere
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
    dest = Path(app.outdir, "_static", MERMAID_STATIC)
    stamp = dest / ".source"
    elk = find_elk_dir(src)
    version = f"{mermaid_version(src)}+elk-{mermaid_version(elk) if elk else 'none'}@{src}"
    if stamp.exists() and stamp.read_text() == version:
        return
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
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
