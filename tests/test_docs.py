"""The docs that are generated from the code are up to date, and the labels are translated."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_tables_are_generated_from_the_code():
    doc_tables = _script("doc_tables")
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    assert doc_tables.render(current) == current, "run `python scripts/doc_tables.py`"
    assert "| `handbook_data_dir` |" in current
    assert "| `org-chart` |" in current


def test_readme_tables_change_when_the_code_changes(monkeypatch):
    doc_tables = _script("doc_tables")
    from handbook import extension

    fake = extension.CONFIG + (extension.ConfigValue("handbook_new_thing", 1, "env", "A new setting."),)
    monkeypatch.setattr(extension, "CONFIG", fake)
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "handbook_new_thing" in doc_tables.render(current)


def test_every_label_has_a_zh_cn_translation_and_the_catalog_is_compiled():
    i18n = _script("i18n")
    labels = i18n.labels_in_code()
    assert "Reports to" in labels and "Responsibilities" in labels
    assert i18n.check() == []


def test_readme_gives_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make html" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
