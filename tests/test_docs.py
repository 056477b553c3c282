"""The docs that are generated from the code are up to date, and the labels are translated."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_tables_are_generated_from_the_code():
    doc_tables = _script("doc_tables")
    assert doc_tables.main(["--check"]) == 0, "run `python scripts/doc_tables.py`"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| `handbook_data_dir` |" in readme and "| `handbook_pdf_variant` |" in readme
    assert "| `org-chart` |" in readme
    assert "| Headcount summary | `indexes/headcount.html` | yes | under Indexes |" in readme
    data_format = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert "| `reports_to` | role id | direct supervisor (直接上级) |" in data_format
    assert "| `dangling-ref` | error |" in data_format


def test_doc_tables_change_when_the_code_changes(monkeypatch):
    doc_tables = _script("doc_tables")
    from handbook.site import settings as config
    from handbook import pages, schema

    monkeypatch.setattr(config, "SETTINGS", config.SETTINGS + (config.Setting("handbook_new_thing", 1, "env",
                                                                              "A new setting."),))
    monkeypatch.setattr(pages, "PAGE_KINDS", pages.PAGE_KINDS + (pages.PageKind("clauses", "indexes/clauses",
                                                                                 "Clause matrix", "clause_page"),))
    role = schema.KINDS["role"]
    new_role = schema.Kind(role.name, role.what, role.fields + (schema.Field("shift", "text", "work shift", "班次"),))
    monkeypatch.setitem(schema.KINDS, "role", new_role)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "handbook_new_thing" in doc_tables.render(readme)
    assert "| Clause matrix | `indexes/clauses.html` | no | where your toctree puts it |" in doc_tables.render(readme)
    data_format = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
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
