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


def configure_mermaid(app, config) -> None:
    """``config-inited``: Mermaid from the local copy, never from a CDN; our fonts, so CJK
    labels are not clipped. A user's own settings are kept."""
    if not config.mermaid_use_local:
        config.mermaid_use_local = MERMAID_MODULE
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
    version = f"{mermaid_version(src)}@{src}"
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


def setup_assets(app) -> None:
    app.connect("config-inited", configure_mermaid)
    app.connect("build-finished", copy_mermaid)
