"""scripts/vendor_js.py: what the wheel carries from node_modules (only the files the site
and the PDF load) and the licences of everything bundled in them."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, require

sys.path.insert(0, str(ROOT / "scripts"))
import vendor_js

NODE_MODULES = ROOT / "node_modules"


def test_vendor_copies_the_loaded_files_and_the_licences(tmp_path):
    require((NODE_MODULES / "mermaid" / "package.json").is_file(), "node_modules (npm ci)")
    dest = tmp_path / "vendor"
    written = vendor_js.vendor(NODE_MODULES, dest)
    rel = {p.relative_to(dest).as_posix() for p in written}
    assert "mermaid/dist/mermaid.esm.min.mjs" in rel
    assert "@mermaid-js/layout-elk/dist/mermaid-layout-elk.esm.min.mjs" in rel
    chunks = {p for p in rel if p.startswith("mermaid/dist/chunks/mermaid.esm.min/")}
    expected = {f.name for f in (NODE_MODULES / "mermaid/dist/chunks/mermaid.esm.min").glob("*.mjs")}
    assert {p.rsplit("/", 1)[1] for p in chunks} == expected  # every chunk the module imports
    assert not [p for p in rel if p.endswith((".map", ".d.ts"))]
    # of the classic builds only mermaid.min.js: the reader's browser draws with it when the build cannot
    assert [p for p in rel if p.endswith(".js")] == ["mermaid/dist/mermaid.min.js"]
    assert {"mermaid/LICENSE", "@mermaid-js/layout-elk/LICENSE", vendor_js.NOTICES} <= rel
    notices = (dest / vendor_js.NOTICES).read_text(encoding="utf-8")
    # ELK itself (elkjs, bundled into the layout's chunks) is EPL-2.0; DOMPurify is dual-licensed
    assert "| elkjs |" in notices and "EPL-2.0" in notices
    assert "| dompurify |" in notices
    assert "| axe-core |" not in notices  # a dev dependency of the clone, not carried
    assert sum(p.stat().st_size for p in written) < 8_000_000


def test_vendor_says_what_is_missing(tmp_path):
    with pytest.raises(vendor_js.VendorError, match=r"lacks mermaid, @mermaid-js/layout-elk: run `npm ci`"):
        vendor_js.vendor(tmp_path, tmp_path / "out")
    assert vendor_js.main(["--node-modules", str(tmp_path), str(tmp_path / "out")]) == 2


def test_the_node_modules_used_is_the_clones_or_the_named_one(tmp_path, monkeypatch):
    monkeypatch.delenv("HANDBOOK_NODE_MODULES", raising=False)
    assert vendor_js.find_node_modules(tmp_path) is None  # a clone without `npm ci`: setup.py stops
    (tmp_path / "nm" / "mermaid").mkdir(parents=True)
    (tmp_path / "nm" / "mermaid" / "package.json").write_text("{}")
    monkeypatch.setenv("HANDBOOK_NODE_MODULES", str(tmp_path / "nm"))
    assert vendor_js.find_node_modules(tmp_path) == tmp_path / "nm"
