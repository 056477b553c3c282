"""Where Mermaid's JavaScript and its ELK layout are, and which version they are.

The site copies them into ``_static`` (:mod:`handbook.site.assets`) and the chart
drawing loads them into headless Chromium (:mod:`handbook.charts.svg`). The wheel carries
its own copy in ``vendor/`` (copied from npm when it is built: ``scripts/vendor_js.py``);
the setting ``handbook_mermaid_dir`` and a ``node_modules`` next to the project override it.
No Sphinx.
"""

from __future__ import annotations

import json
from pathlib import Path

CJK_FONTS = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
)


def find_elk_dir(mermaid: Path) -> Path | None:
    """The ELK layout's ``dist`` folder, next to Mermaid's package (``node_modules/@mermaid-js/layout-elk``)."""
    candidate = mermaid.parent.parent / "@mermaid-js" / "layout-elk" / "dist"
    return candidate if (candidate / "mermaid-layout-elk.esm.min.mjs").exists() else None


#: the handbook project's own copy, when the package runs from its clone (make html)
CLONE_MERMAID = Path(__file__).resolve().parents[2] / "node_modules" / "mermaid" / "dist"
#: the package's own copy (in a wheel; absent in a clone, which has node_modules)
VENDOR_MERMAID = Path(__file__).resolve().parent / "vendor" / "mermaid" / "dist"


def find_mermaid_dir(confdir: str, srcdir: str, configured: str = "") -> Path | None:
    """The folder holding ``mermaid.esm.min.mjs``: the setting, else a ``node_modules`` of
    the project, else the package's own copy."""
    candidates = (
        [Path(confdir, configured)]
        if configured
        else [
            Path(confdir, "node_modules/mermaid/dist"),
            Path.cwd() / "node_modules/mermaid/dist",
            Path(srcdir, "node_modules/mermaid/dist"),
            CLONE_MERMAID,
            VENDOR_MERMAID,
        ]
    )
    for c in candidates:
        if (c / "mermaid.esm.min.mjs").exists():
            return c
    return None


def mermaid_version(dist: Path) -> str:
    """The npm package's version (its file time when there is no package.json)."""
    try:
        return json.loads((dist.parent / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return f"unknown-{(dist / 'mermaid.esm.min.mjs').stat().st_mtime}"
