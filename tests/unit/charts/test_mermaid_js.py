"""Where the charts' Mermaid comes from: the setting, a project's node_modules, the clone's,
and last the copy the wheel carries (handbook/charts/vendor, written by setup.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handbook.charts import mermaid_js
from handbook.charts.mermaid_js import find_elk_dir, find_mermaid_dir, mermaid_version


def fake_mermaid(root: Path, version: str = "11.0.0") -> Path:
    """A node_modules-shaped folder: mermaid/dist and @mermaid-js/layout-elk/dist."""
    dist = root / "mermaid" / "dist"
    dist.mkdir(parents=True)
    (dist / "mermaid.esm.min.mjs").write_text("export default {};\n")
    (root / "mermaid" / "package.json").write_text(json.dumps({"name": "mermaid", "version": version}))
    elk = root / "@mermaid-js" / "layout-elk" / "dist"
    elk.mkdir(parents=True)
    (elk / "mermaid-layout-elk.esm.min.mjs").write_text("export default [];\n")
    return dist


@pytest.fixture
def places(tmp_path, monkeypatch):
    """No clone's node_modules, a wheel's copy in vendor/, an empty project as the cwd."""
    vendor = fake_mermaid(tmp_path / "site-packages" / "handbook" / "charts" / "vendor", "11.12.1")
    monkeypatch.setattr(mermaid_js, "CLONE_MERMAID", tmp_path / "no-clone" / "node_modules" / "mermaid" / "dist")
    monkeypatch.setattr(mermaid_js, "VENDOR_MERMAID", vendor)
    project = tmp_path / "co"
    project.mkdir()
    monkeypatch.chdir(project)
    return project, vendor


def test_without_node_modules_the_packages_own_copy_is_used(places):
    project, vendor = places
    assert find_mermaid_dir(str(project), str(project)) == vendor
    assert find_elk_dir(vendor) == vendor.parent.parent / "@mermaid-js" / "layout-elk" / "dist"
    assert mermaid_version(vendor) == "11.12.1"


def test_a_projects_node_modules_and_the_setting_override_the_packages_copy(places):
    project, _ = places
    own = fake_mermaid(project / "node_modules", "11.13.0")
    assert find_mermaid_dir(str(project), str(project)) == own
    configured = fake_mermaid(project / "js", "10.9.0")
    assert find_mermaid_dir(str(project), str(project), "js/mermaid/dist") == configured
    # a setting that points nowhere is not silently replaced by another copy
    assert find_mermaid_dir(str(project), str(project), "nowhere") is None


def test_in_the_clone_the_package_has_no_copy_of_its_own():
    # the wheel's copy is written into the build, never into the clone (it is not in git)
    assert not mermaid_js.VENDOR_MERMAID.exists()
    assert mermaid_js.VENDOR_MERMAID.parts[-4:] == ("charts", "vendor", "mermaid", "dist")
