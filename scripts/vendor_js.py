"""Copy the JavaScript the handbook loads (Mermaid and its ELK layout) from ``node_modules``
into a package folder, with their licences: what the wheel carries so that an installed
handbook draws its charts with no ``node_modules`` anywhere.

Used by ``setup.py`` when building a wheel or an sdist; on its own::

    python scripts/vendor_js.py [DEST] [--node-modules DIR]

Only the files the site and the PDF load are copied: ``mermaid.esm.min.mjs`` with its
chunks and the ELK layout's ``mermaid-layout-elk.esm.min.mjs`` with its chunks, no source
maps and none of the other builds. The folder keeps ``node_modules``' layout
(``mermaid/dist``, ``@mermaid-js/layout-elk/dist``), so that
:func:`handbook.charts.mermaid_js.find_elk_dir` finds the layout next to Mermaid, and
each package's ``package.json`` (its version names the chart cache) and licence.
``THIRD_PARTY_NOTICES.md`` lists every npm package bundled into those files (the two
packages and their dependencies, which Mermaid's browser build bundles) with its licence text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

#: (package, its files to copy: (folder or file inside the package, file name pattern))
PACKAGES = {
    "mermaid": (
        ("dist", "mermaid.esm.min.mjs"),
        ("dist/chunks/mermaid.esm.min", "*.mjs"),
        # the classic script: the reader's browser draws with it when the build cannot (no
        # headless Chromium) or the project asks for it (handbook_chart_drawing = "browser")
        ("dist", "mermaid.min.js"),
    ),
    "@mermaid-js/layout-elk": (
        ("dist", "mermaid-layout-elk.esm.min.mjs"),
        ("dist/chunks/mermaid-layout-elk.esm.min", "*.mjs"),
    ),
}
NOTICES = "THIRD_PARTY_NOTICES.md"
#: the package folder the wheel carries them in (see handbook/charts/mermaid_js.py)
PACKAGE_DIR = Path("handbook", "charts", "vendor")


class VendorError(Exception):
    """node_modules lacks what the wheel must carry."""


def _licence_file(pkg: Path) -> Path | None:
    """The package's licence text (LICENSE, license.txt, LICENSE-MIT ... in any case)."""
    found = sorted(p for p in pkg.iterdir() if p.is_file() and p.name.lower().startswith(("licen", "copying")))
    return found[0] if found else None


def _resolve(node_modules: Path, from_pkg: Path, name: str) -> Path | None:
    """Where Node finds ``name`` required from the package at ``from_pkg``: the nearest
    ``node_modules/name`` in it or a folder above it, up to ``node_modules`` itself."""
    for folder in (from_pkg, *from_pkg.parents):
        candidate = folder / "node_modules" / name
        if (candidate / "package.json").is_file():
            return candidate
        if folder == node_modules.parent:
            break
    return None


def bundled_packages(node_modules: Path) -> list[Path]:
    """The two packages and every package they depend on (their production dependencies)."""
    seen: dict[Path, None] = {}
    todo = [node_modules / name for name in PACKAGES]
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        seen[pkg] = None
        meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        for dep in meta.get("dependencies", {}):
            found = _resolve(node_modules, pkg, dep)
            if found is not None:
                todo.append(found)
    return sorted(seen, key=lambda p: (json.loads((p / "package.json").read_text(encoding="utf-8"))["name"], str(p)))


def _notices(node_modules: Path) -> str:
    rows, texts = [], []
    for pkg in bundled_packages(node_modules):
        meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        licence = meta.get("license") or ""
        if isinstance(licence, dict):
            licence = licence.get("type", "")
        found = _licence_file(pkg)
        text = found.read_text(encoding="utf-8", errors="replace").strip() if found is not None else ""
        if not licence:  # khroma: no "license" field, only a licence file
            licence = text.split("\n", 1)[0].strip("# ") or "not stated"
        rows.append(f"| {meta['name']} | {meta.get('version', '')} | {licence} |")
        if text:
            texts.append(f"## {meta['name']} {meta.get('version', '')}\n\n```text\n{text}\n```\n")
    return (
        "# Third-party JavaScript carried by the handbook package\n\n"
        "The handbook's charts are drawn by Mermaid with its ELK layout, copied here from npm when the\n"
        "package was built (`scripts/vendor_js.py`). Mermaid's browser build bundles the packages it\n"
        "depends on; each is listed with its licence.\n\n"
        "| Package | Version | Licence |\n|---|---|---|\n" + "\n".join(rows) + "\n\n" + "\n".join(texts)
    )


def vendor(node_modules: Path, dest: Path) -> list[Path]:
    """Copy Mermaid and its ELK layout from ``node_modules`` into ``dest``; the files written."""
    node_modules = node_modules.resolve()
    missing = [name for name in PACKAGES if not (node_modules / name / "package.json").is_file()]
    if missing:
        raise VendorError(f"{node_modules} lacks {', '.join(missing)}: run `npm ci` in the handbook's clone first")
    if dest.exists():
        shutil.rmtree(dest)
    written: list[Path] = []
    for name, parts in PACKAGES.items():
        src, out = node_modules / name, dest / name
        for folder, pattern in parts:
            files = sorted((src / folder).glob(pattern))
            if not files:
                raise VendorError(f"{src / folder} has no {pattern}: is {name} installed whole?")
            (out / folder).mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copy2(f, out / folder / f.name)
                written.append(out / folder / f.name)
        meta = json.loads((src / "package.json").read_text(encoding="utf-8"))
        slim = {k: meta[k] for k in ("name", "version", "license", "homepage") if k in meta}
        (out / "package.json").write_text(json.dumps(slim, indent=2) + "\n", encoding="utf-8")
        written.append(out / "package.json")
        licence = _licence_file(src)
        if licence is not None:
            shutil.copy2(licence, out / "LICENSE")
            written.append(out / "LICENSE")
    (dest / NOTICES).write_text(_notices(node_modules), encoding="utf-8")
    written.append(dest / NOTICES)
    return written


def find_node_modules(root: Path) -> Path | None:
    """``HANDBOOK_NODE_MODULES``, else ``node_modules`` in the clone."""
    configured = os.environ.get("HANDBOOK_NODE_MODULES")
    candidate = Path(configured) if configured else root / "node_modules"
    return candidate if (candidate / "mermaid" / "package.json").is_file() else None


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dest", nargs="?", default=str(root / PACKAGE_DIR))
    p.add_argument("--node-modules", default=None)
    args = p.parse_args(argv)
    node_modules = Path(args.node_modules) if args.node_modules else find_node_modules(root)
    if node_modules is None:
        print("vendor_js: no node_modules with mermaid (run `npm ci`)", file=sys.stderr)
        return 2
    try:
        written = vendor(node_modules, Path(args.dest))
    except VendorError as exc:
        print(f"vendor_js: {exc}", file=sys.stderr)
        return 2
    print(f"vendor_js: {len(written)} files into {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
