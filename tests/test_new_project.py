"""`handbook new` gives a new user a project that checks clean and builds with -W."""

from bs4 import BeautifulSoup

from conftest import mermaid_dist, require, run_sphinx_build
from handbook.cli import main


def test_new_project_builds_with_sphinx(tmp_path, capsys):
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    target = tmp_path / "acme"
    assert main(["new", str(target), "--name", "顶峰科技有限公司"]) == 0
    assert main(["check", str(target / "org"), "--strict"]) == 0
    proc = run_sphinx_build(target, tmp_path / "html", confdir=target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    role = BeautifulSoup((tmp_path / "html" / "roles" / "general-manager.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert role.select_one("h1").get_text(strip=True).startswith("总经理")
    company = BeautifulSoup((tmp_path / "html" / "company.html").read_text(encoding="utf-8"), "html.parser")
    assert "顶峰科技有限公司" in company.select_one("h1").get_text()
    assert company.select_one("figure.handbook-chart pre.mermaid") is not None
