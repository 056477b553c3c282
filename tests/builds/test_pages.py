"""The page table and the stub writer: what handbook writes into a user's source folder.

The writer must never overwrite or delete a file it did not write, must write nothing at
all when one is in the way, must only touch stubs whose text changed, and must remove the
stubs of objects that are gone. These tests call it directly on a temporary folder.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from handbook import pages
from handbook.site import stubs
from handbook.validate import check_dir

ORG = """\
company: {name: 测试公司}
departments:
  - {id: sales, name: 销售部}
roles:
  - {id: boss, title: 经理, department: sales, responsibilities: [管理], qualifications: [本科], authority: [a]}
  - {id: rep, title: 代表, department: sales, reports_to: boss, responsibilities: [销售], qualifications: [高中], authority: [a]}
processes:
  - {id: order, name: 接单, steps: [{id: s1, action: 接单, role: rep}]}
"""


def handbook(tmp_path, text: str = ORG):
    org = tmp_path / "org"
    org.mkdir(exist_ok=True)
    (org / "a.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    result = check_dir(str(org))
    assert result.handbook is not None, [p.format() for p in result.problems]
    return result.handbook


def test_plan_has_one_stub_per_page_kind_and_object(tmp_path):
    plan = stubs.plan(handbook(tmp_path))
    assert set(plan.files) == {
        "company",
        "departments/index",
        "roles/index",
        "processes/index",
        "indexes/headcount",
        "indexes/raci",
        "indexes/people",
        "indexes/org-health",
        "departments/sales",
        "roles/boss",
        "roles/rep",
        "processes/order",
    }
    assert plan.files["roles/rep"] == f"{stubs.MARKER}\nrole rep\n"
    assert plan.files["indexes/people"] == f"{stubs.MARKER}\npeople\n"
    assert all(stubs.read_stub(text) is not None for text in plan.files.values())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("# marker\nrole rep\n", ("role", "rep")),
        ("people\n", ("people", "")),
        ("\n  role   x  \n", ("role", "x")),
        ("role a b\n", None),
        ("", None),
        ("role a\nrole b\n", None),
    ],
)
def test_read_stub(text, expected):
    assert stubs.read_stub(text) == expected


def test_first_write_creates_stubs_and_gitignores(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    written, removed = stubs.write(src, stubs.plan(handbook(tmp_path)))
    assert len(written) == 12 and removed == []
    assert (src / "roles" / "rep.hbpage").read_text(encoding="utf-8").endswith("\nrole rep\n")
    for folder in ("roles", "departments", "processes", "indexes"):
        assert (src / folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert not (src / ".gitignore").exists()  # the source folder itself is the user's


def test_unchanged_stubs_are_not_rewritten(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    plan = stubs.plan(handbook(tmp_path))
    stubs.write(src, plan)
    stub = src / "roles" / "rep.hbpage"
    os.utime(stub, ns=(1, 1))
    written, removed = stubs.write(src, plan)
    assert written == [] and removed == []
    assert stub.stat().st_mtime_ns == 1  # Sphinx sees no change, so it reads nothing again


def test_stubs_of_removed_objects_are_deleted_but_user_files_are_kept(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    stubs.write(src, stubs.plan(handbook(tmp_path)))
    (src / "roles" / "notes.rst").write_text("My own notes\n============\n", encoding="utf-8")
    smaller = handbook(
        tmp_path,
        ORG.replace(
            "  - {id: rep, title: 代表, department: sales, reports_to: boss, responsibilities: [销售], qualifications: [高中], authority: [a]}\n",
            "",
        ).replace(", role: rep", ""),
    )
    _written, removed = stubs.write(src, stubs.plan(smaller))
    assert removed == ["roles/rep"]
    assert not (src / "roles" / "rep.hbpage").exists()
    assert (src / "roles" / "notes.rst").read_text(encoding="utf-8").startswith("My own notes")


@pytest.mark.parametrize(
    "path", ["roles/rep.rst", "roles/rep.md", "company.md", "indexes/raci.rst", "roles/rep.hbpage"]
)
def test_a_user_file_in_the_way_stops_everything(tmp_path, path):
    src = tmp_path / "src"
    (src / path).parent.mkdir(parents=True)
    (src / path).write_text("mine\n", encoding="utf-8")
    with pytest.raises(stubs.PageConflict) as info:
        stubs.write(src, stubs.plan(handbook(tmp_path)))
    assert str(src / path) in str(info.value) and "nothing was written" in str(info.value)
    assert (src / path).read_text(encoding="utf-8") == "mine\n"  # untouched
    written = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
    assert written == [path]  # not one stub was written


def test_a_stub_the_user_edited_is_theirs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    plan = stubs.plan(handbook(tmp_path))
    stubs.write(src, plan)
    stub = src / "roles" / "rep.hbpage"
    stub.write_text("My rewrite of the page\n", encoding="utf-8")  # the marker line is gone
    with pytest.raises(stubs.PageConflict):
        stubs.write(src, plan)
    assert stub.read_text(encoding="utf-8") == "My rewrite of the page\n"


def test_stubs_of_handbook_0_1_are_replaced(tmp_path):
    """The reStructuredText stubs of the first release give way to the new stubs (both would
    name the same page), whether the object still exists or not; a user's .rst stays."""
    src = tmp_path / "src"
    (src / "roles").mkdir(parents=True)
    for name in ("rep", "gone"):
        (src / "roles" / f"{name}.rst").write_text(
            f"{stubs.LEGACY_MARKER}\n\n.. org-page:: role {name}\n", encoding="utf-8"
        )
    (src / "roles" / "mine.rst").write_text("Mine\n====\n", encoding="utf-8")
    written, removed = stubs.write(src, stubs.plan(handbook(tmp_path)), (".rst", ".md", stubs.STUB_SUFFIX))
    assert "roles/rep" in written and removed == ["roles/gone"]
    assert sorted(p.name for p in (src / "roles").iterdir()) == [
        ".gitignore",
        "boss.hbpage",
        "index.hbpage",
        "mine.rst",
        "rep.hbpage",
    ]


def test_page_table_drives_names_and_links():
    assert pages.docname_for("role", "x") == "roles/x"
    assert pages.index_docname("headcount") == "indexes/headcount"
    assert set(pages.OBJECT_PAGES) == {"role", "department", "process"}
    kinds = [k.kind for k in pages.PAGE_KINDS]
    assert len(kinds) == len(set(kinds))
    assert stubs.GENERATED_DIRS == ("departments", "indexes", "processes", "roles")
