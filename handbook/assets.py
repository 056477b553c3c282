"""Mermaid, offline: where its JavaScript is, how the site loads it, copying it into the site.

sphinxcontrib-mermaid loads Mermaid from a CDN by default; the handbook points it at a
copy inside the built site (``_static/handbook-mermaid/``), taken from the npm
``mermaid`` package, so the site works with no network. The PDF route draws its charts
with the same copy (:mod:`handbook.pdf.charts`). Finding the copy and its version
needs no Sphinx; only the build hooks log through Sphinx.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CJK_FONTS = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
             "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif")
MERMAID_STATIC = "handbook-mermaid"
MERMAID_MODULE = f"{MERMAID_STATIC}/mermaid.esm.min.mjs"
#: Mermaid's ELK layout (npm @mermaid-js/layout-elk), copied next to Mermaid
ELK_MODULE = f"{MERMAID_STATIC}/layout-elk/mermaid-layout-elk.esm.min.mjs"


def configure_mermaid(app, config) -> None:
    """``config-inited``: Mermaid from the local copy, never from a CDN; our fonts, so CJK
    labels are not clipped. A user's own settings are kept."""
    from .mermaid import MERMAID_LAYOUT

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


def find_elk_dir(mermaid: Path) -> Path | None:
    """The ELK layout's ``dist`` folder, next to Mermaid's package (``node_modules/@mermaid-js/layout-elk``)."""
    candidate = mermaid.parent.parent / "@mermaid-js" / "layout-elk" / "dist"
    return candidate if (candidate / "mermaid-layout-elk.esm.min.mjs").exists() else None


def find_mermaid_dir(confdir: str, srcdir: str, configured: str = "") -> Path | None:
    """The folder holding ``mermaid.esm.min.mjs``: the setting, else the usual places."""
    candidates = [Path(confdir, configured)] if configured else [
        Path(confdir, "node_modules/mermaid/dist"), Path.cwd() / "node_modules/mermaid/dist",
        Path(srcdir, "node_modules/mermaid/dist"),
        # the handbook project's own copy, when the package runs from its clone (make html)
        Path(__file__).resolve().parent.parent / "node_modules/mermaid/dist"]
    for c in candidates:
        if (c / "mermaid.esm.min.mjs").exists():
            return c
    return None


def mermaid_dir(app) -> Path | None:
    return find_mermaid_dir(app.confdir, app.srcdir, app.config.handbook_mermaid_dir)


def mermaid_version(dist: Path) -> str:
    """The npm package's version (its file time when there is no package.json)."""
    try:
        return json.loads((dist.parent / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return f"unknown-{(dist / 'mermaid.esm.min.mjs').stat().st_mtime}"


def copy_mermaid(app, exception: Exception | None) -> None:
    """``build-finished``: copy Mermaid into the site once (again only when it changes)."""
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    if app.config.mermaid_use_local != MERMAID_MODULE:
        return  # the user points Mermaid elsewhere
    src = mermaid_dir(app)
    if src is None:
        from sphinx.util import logging

        logging.getLogger(__name__).warning("the Mermaid JavaScript was not found (node_modules/mermaid/dist): charts will not render. "
                       "Run `npm ci` next to conf.py (`make html` does it), or set handbook_mermaid_dir.",
                       type="handbook", subtype="mermaid")
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
            "Run `npm ci` next to conf.py (`make html` does it).", type="handbook", subtype="mermaid")
    stamp.write_text(version)


def copy_elk(elk: Path, dest: Path) -> None:
    """The ELK layout's module and its chunks (no source maps: the site needs none)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(elk / "mermaid-layout-elk.esm.min.mjs", dest / "mermaid-layout-elk.esm.min.mjs")
    chunks = elk / "chunks" / "mermaid-layout-elk.esm.min"
    if chunks.is_dir():
        shutil.copytree(chunks, dest / "chunks" / "mermaid-layout-elk.esm.min",
                        ignore=shutil.ignore_patterns("*.map"))


def setup_assets(app) -> None:
    app.connect("config-inited", configure_mermaid)
    app.connect("build-finished", copy_mermaid)
