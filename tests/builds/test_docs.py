"""The docs that are generated from the code are up to date, the labels are translated, the
README stays short and the manual (docs/) builds without a warning."""

import importlib.util
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import run_sphinx_build

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _page(name: str) -> str:
    return (DOCS / f"{name}.md").read_text(encoding="utf-8")


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_tables_are_generated_from_the_code():
    doc_tables = _script("doc_tables")
    assert doc_tables.main(["--check"]) == 0, "run `python scripts/doc_tables.py`"
    settings, pages = _page("settings"), _page("pages")
    assert "| `handbook_data_dir` |" in settings and "| `handbook_pdf_variant` |" in settings
    assert "| `org-chart` |" in pages
    assert "| Headcount summary | `indexes/headcount.html` | yes | under Indexes |" in pages
    assert "| 岗位 (`roles`) | 标识 | `id` |" in _page("spreadsheets")
    data_format = _page("data-format")
    assert "| `reports_to` | role id | direct supervisor (直接上级) |" in data_format
    assert "| `dangling-ref` | error |" in data_format


def test_doc_tables_change_when_the_code_changes(monkeypatch):
    doc_tables = _script("doc_tables")
    from handbook import pages, schema
    from handbook.site import settings as config

    monkeypatch.setattr(
        config, "SETTINGS", (*config.SETTINGS, config.Setting("handbook_new_thing", 1, "env", "A new setting."))
    )
    monkeypatch.setattr(
        pages,
        "PAGE_KINDS",
        (*pages.PAGE_KINDS, pages.PageKind("clauses", "indexes/clauses", "Clause matrix", "clause_page")),
    )
    role = schema.KINDS["role"]
    new_role = schema.Kind(role.name, role.what, (*role.fields, schema.Field("shift", "text", "work shift", "班次")))
    monkeypatch.setitem(schema.KINDS, "role", new_role)
    assert "handbook_new_thing" in doc_tables.render(_page("settings"))
    assert "| Clause matrix | `indexes/clauses.html` | no | where your toctree puts it |" in doc_tables.render(
        _page("pages")
    )
    data_format = _page("data-format")
    assert "| `shift` | text | work shift (班次) |" in doc_tables.render(data_format)


def test_every_label_has_a_zh_cn_translation_and_the_catalog_is_compiled():
    i18n = _script("i18n")
    labels = i18n.labels_in_code()
    assert "Reports to" in labels and "Responsibilities" in labels
    assert i18n.check() == []


def test_readme_gives_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make html" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_is_short_and_its_quick_start_is_the_manuals():
    readme = (ROOT / "README.md").read_bytes()
    assert len(readme) <= 12 * 1024, f"README.md is {len(readme)} bytes: move the text into docs/"
    quick_start = re.findall(r"```sh\n(.*?)```", readme.decode("utf-8"), re.S)[1]
    assert "handbook new my-handbook" in quick_start
    # the walkthrough tests/builds/test_new_project.py runs: the README shows the same commands
    guide = _page("getting-started").split("\n## Start a handbook for your company\n", 1)[1]
    assert quick_start == re.findall(r"```sh\n(.*?)```", guide, re.S)[0]


def test_the_readme_and_the_pages_link_to_pages_that_exist():
    texts = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8")}
    texts |= {f"docs/{p.name}": p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    for name, text in texts.items():
        folder = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
            assert (folder / target).is_file(), f"{name} links to {target}, which is not there"


@pytest.mark.slow
def test_the_manual_builds_without_a_warning(tmp_path):
    proc = run_sphinx_build(DOCS, tmp_path / "docs", extra=["-n"])
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    settings = BeautifulSoup((tmp_path / "docs" / "settings.html").read_text(encoding="utf-8"), "html.parser")
    row = next(
        tr
        for tr in settings.select("table tr")
        if tr.select_one("td code") and tr.select_one("td code").get_text() == "handbook_data_dir"
    )
    assert "Folder of the organisation's YAML files" in row.get_text()
    toctree = {
        a["href"]
        for a in BeautifulSoup((tmp_path / "docs" / "index.html").read_text(encoding="utf-8"), "html.parser").select(
            ".toctree-wrapper a"
        )
    }
    assert {"getting-started.html", "data-format.html", "audit.html", "architecture.html"} <= toctree
