"""Releases bound to their content: the fingerprint's normalisation, ``handbook release``,
``changed-since-approval`` in ``handbook check``, ``handbook verify``'s reading of a PDF's
marks, and the review log (``review-overdue`` counts from the last review)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from handbook.audit import fingerprint as fpr
from handbook.audit import release as rel
from handbook.cli import main
from handbook.problems import Code
from handbook.validate import check_dir

DATA = """\
company:
  name: 测试公司
  document:
    number: T-001
    title: 组织手册
    revision: A/1
    status: 受控
    effective: 2024-01-01
    review_due: 2025-01-01
    approved_by: {name: 王总, date: 2023-12-20, record: OA-1}
    distribution: [品质部, 生产部]
    history:
      - revision: A/0
        date: 2023-01-01
        summary: 首次发布
      - revision: A/1
        date: 2024-01-01
        summary: 增加品质部
departments:
  - id: quality
    name: 品质部
    head: qm
    functions:
      - 质量体系的建立与维护；
      - 来料检验；
  - id: production
    name: 生产部
    head: pm
roles:
  - id: qm
    title: 品质经理
    department: quality
    responsibilities: [组织内审；, 管理不合格品；]
  - id: pm
    title: 生产经理
    department: production
    responsibilities: [组织生产；]
people:
  - {name: 张三, assignments: [{role: qm}]}
  - {name: 李四, assignments: [{role: pm}]}
"""


def project(tmp_path: Path, data: str = DATA) -> Path:
    """A project folder: conf.py and org/company.yaml."""
    (tmp_path / "org").mkdir(parents=True)
    (tmp_path / "org" / "company.yaml").write_text(data, encoding="utf-8")
    (tmp_path / "conf.py").write_text('extensions = ["handbook"]\nhandbook_data_dir = "org"\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# T\n", encoding="utf-8")
    return tmp_path


def hb_of(folder: Path):
    result = check_dir(str(folder))
    assert result.handbook is not None, [p.format() for p in result.errors]
    return result.handbook


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the fingerprint -----------------------------------------------------------------------------------
def test_fingerprint_is_sha256_of_canonical_json(tmp_path):
    hb = hb_of(project(tmp_path) / "org")
    fp = fpr.fingerprint(hb)
    assert fp.startswith("sha256:") and len(fp) == 7 + 64
    assert fpr.short(fp) == fp[7:19]
    content = json.loads(fpr.canonical(hb))
    assert content["document"] == {
        "number": {"": "T-001"}, "title": {"": "组织手册"}, "revision": {"": "A/1"},
                                   "effective": "2024-01-01"}  # fmt: skip
    assert set(content["departments"]) == {"quality", "production"}
    assert fpr.parse(fp.upper().removeprefix("SHA256:")) == fp
    assert fpr.parse("sha256:123") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "distribution: [品质部, 生产部]",
            "distribution:\n      - {copy: 1, holder: 品质部, issued: 2024-01-02, received: 2024-01-02 张三}\n"
            "      - {copy: 2, holder: 生产部}",
        ),
        ("status: 受控", "status: 草稿"),
        (
            "review_due: 2025-01-01",
            "review_due: 2027-01-01\n    reviews:\n      - {date: 2025-12-01, reviewer: 王总, result: 无变化}",
        ),
        (
            "approved_by: {name: 王总, date: 2023-12-20, record: OA-1}",
            "approved_by: {name: 王总, date: 2023-12-21, record: OA-2}",
        ),
        ("summary: 增加品质部", "summary: 增加品质部（修订说明）"),
        (
            "  - {name: 张三, assignments: [{role: qm}]}\n  - {name: 李四, assignments: [{role: pm}]}",
            "  - {name: 李四, assignments: [{role: pm}]}\n  - {name: 张三, assignments: [{role: qm}]}",
        ),
        ("responsibilities: [组织生产；]", "responsibilities:\n      - text: 组织生产；"),
    ],
    ids=["distribution-receipts", "status", "review-log", "approval-record", "history", "people-order", "shorthand"],
)
def test_records_and_forms_are_not_content(tmp_path, old, new):
    folder = project(tmp_path) / "org"
    before = fpr.fingerprint(hb_of(folder))
    edit(folder / "company.yaml", old, new)
    assert fpr.fingerprint(hb_of(folder)) == before


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("组织内审；", "组织内审与管理评审；"),
        ("number: T-001", "number: T-002"),
        (
            "  - {name: 李四, assignments: [{role: pm}]}",
            "  - {name: 李四, assignments: [{role: pm}, {role: qm, type: 兼任}]}",
        ),
        ("      - 来料检验；\n", ""),
    ],
    ids=["duty", "number", "holder", "function-removed"],
)
def test_content_changes_change_the_fingerprint(tmp_path, old, new):
    folder = project(tmp_path) / "org"
    before = fpr.fingerprint(hb_of(folder))
    edit(folder / "company.yaml", old, new)
    assert fpr.fingerprint(hb_of(folder)) != before


def test_keywords_round_trip():
    fp = "sha256:" + "ab" * 32
    assert fpr.from_keywords(fpr.pdf_keywords("B/1", fp)) == ("B/1", fp)
    assert fpr.from_keywords("handbook, manual") is None


# -- release, check, verify's logic ----------------------------------------------------------------
def test_release_writes_the_fingerprint_and_a_snapshot(tmp_path, capsys):
    root = project(tmp_path)
    assert main(["release", str(root), "--today", "2024-01-02"]) == 0
    out = capsys.readouterr().out
    hb = hb_of(root / "org")
    fp = fpr.fingerprint(hb)
    assert f"Released A/1: fingerprint {fp}" in out
    entry = hb.company.document.history_entry()
    assert entry is not None and entry.fingerprint is not None and entry.fingerprint.get() == fp
    snap = root / "releases" / "A1" / "org"
    assert (snap / "company.yaml").read_text(encoding="utf-8") == (root / "org" / "company.yaml").read_text(
        encoding="utf-8"
    )
    manifest = json.loads((root / "releases" / "A1" / "release.json").read_text(encoding="utf-8"))
    assert manifest["revision"] == "A/1" and manifest["fingerprint"] == fp and manifest["released"] == "2024-01-02"
    assert list(manifest["files"]) == ["company.yaml"]
    released = rel.released(root / "org", "A/1")
    assert released is not None and fpr.fingerprint(released) == fp
    assert rel.released(root / "org", "A/0") is None
    # again: nothing to do
    assert main(["release", str(root)]) == 0
    assert "was released with this content already" in capsys.readouterr().out
    assert rel.approval_state(hb_of(root / "org"), root / "org")[1] == []


def test_edit_after_release_warns_and_marks_a_draft(tmp_path, capsys):
    root = project(tmp_path)
    assert main(["release", str(root)]) == 0
    edit(root / "org" / "company.yaml", "组织内审；", "组织内审与管理评审；")
    capsys.readouterr()
    assert main(["check", str(root / "org"), "--format", "json", "--today", "2024-06-01"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    changed = [p for p in problems if p["code"] == Code.CHANGED_SINCE_APPROVAL.value]
    assert len(changed) == 1, problems
    assert "since revision A/1 was released" in changed[0]["message"]
    assert "role 品质经理 (duties)" in changed[0]["message"]
    assert changed[0]["path"].endswith("company.yaml") and changed[0]["line"] == 16  # the history entry of A/1
    hb, _problems, changes = rel.approval_state(hb_of(root / "org"), root / "org")
    assert hb.company.document.status.key == "draft" and not hb.company.document.status.controlled
    assert hb.company.document.status.watermark
    assert changes is not None and [(o.kind, o.id) for o in changes.objects] == [("role", "qm")]
    # release refuses: a released revision is not changed
    assert main(["release", str(root)]) == 1
    err = capsys.readouterr().err
    assert "company.yaml:16:9: revision A/1 was released with other content" in err
    assert "Start a new revision" in err and "A/2" in err
    # undo: approved again
    edit(root / "org" / "company.yaml", "组织内审与管理评审；", "组织内审；")
    assert rel.approval_state(hb_of(root / "org"), root / "org")[1] == []


def test_new_revision_releases_and_keeps_the_previous(tmp_path, capsys):
    root = project(tmp_path)
    assert main(["release", str(root)]) == 0
    edit(root / "org" / "company.yaml", "组织内审；", "组织内审与管理评审；")
    edit(root / "org" / "company.yaml", "revision: A/1\n    status", "revision: A/2\n    status")
    with (root / "org" / "company.yaml").open("a", encoding="utf-8") as f:
        f.write("")
    edit(
        root / "org" / "company.yaml",
        "        summary: 增加品质部\n",
        "        summary: 增加品质部\n      - revision: A/2\n        date: 2024-06-01\n        summary: 品质经理职责\n",
    )
    assert main(["release", str(root)]) == 0
    hb = hb_of(root / "org")
    assert rel.approval_state(hb, root / "org")[1] == []
    prev = rel.previous_release(root / "org", hb)
    assert prev is not None and prev[0] == "A/1"
    assert "组织内审；" in prev[1].roles["qm"].responsibilities[0].text.get()


def test_release_refuses_errors_and_missing_entries(tmp_path, capsys):
    root = project(tmp_path, DATA.replace("department: production", "department: nowhere"))
    assert main(["release", str(root)]) == 1
    assert "fix them first" in capsys.readouterr().err
    assert not (root / "releases").exists()
    other = project(tmp_path / "b", DATA.replace("revision: A/1\n    status", "revision: A/3\n    status"))
    assert main(["release", str(other)]) == 1
    err = capsys.readouterr().err
    assert "revision A/3 has no `history` entry" in err and "company.yaml" in err
    third = project(tmp_path / "c", DATA.replace("    approved_by: {name: 王总, date: 2023-12-20, record: OA-1}\n", ""))
    assert main(["release", str(third)]) == 1
    assert "has no `approved_by`" in capsys.readouterr().err


def test_flow_style_history_entry(tmp_path):
    data = DATA.replace(
        "      - revision: A/1\n        date: 2024-01-01\n        summary: 增加品质部\n",
        "      - {revision: A/1, date: 2024-01-01, summary: 增加品质部}\n",
    )
    root = project(tmp_path, data)
    assert main(["release", str(root)]) == 0
    entry = hb_of(root / "org").company.document.history_entry()
    assert entry is not None and entry.fingerprint is not None


def test_next_revision():
    assert rel.next_revision("B/1") == "B/2"
    assert rel.next_revision("A0") == "A1"
    assert rel.next_revision("初版") == "初版+1"
    assert rel.token("B/1") == "B1"


def test_verify_without_marks(tmp_path, capsys):
    from pypdf import PdfWriter

    root = project(tmp_path)
    pdf = tmp_path / "x.pdf"
    w = PdfWriter()
    w.add_blank_page(100, 100)
    w.write(str(pdf))
    assert main(["verify", str(pdf), str(root)]) == 1
    assert "carries no content fingerprint" in capsys.readouterr().out
    (tmp_path / "bad.pdf").write_text("not a pdf", encoding="utf-8")
    assert main(["verify", str(tmp_path / "bad.pdf"), str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("handbook verify: ") and "bad.pdf cannot be read as a PDF" in err
    assert len(err.strip().splitlines()) == 1  # one message, not pypdf's complaints
    assert main(["verify", str(tmp_path / "none.pdf"), str(root)]) == 2


def test_verify_with_marks(tmp_path, capsys):
    from pypdf import PdfWriter

    root = project(tmp_path)

    def pdf_of(fp: str) -> Path:
        path = tmp_path / f"{fp[7:15]}.pdf"
        w = PdfWriter()
        w.add_blank_page(100, 100)
        w.add_metadata({"/Keywords": fpr.pdf_keywords("A/1", fp)})
        w.write(str(path))
        return path

    current = fpr.fingerprint(hb_of(root / "org"))
    assert main(["verify", str(pdf_of(current)), str(root)]) == 1
    assert "A/1 has not been released" in capsys.readouterr().out
    assert main(["release", str(root)]) == 0
    capsys.readouterr()
    assert main(["verify", str(pdf_of(current)), str(root)]) == 0
    assert "made from the released content of A/1" in capsys.readouterr().out
    assert main(["verify", str(pdf_of("sha256:" + "0" * 64)), str(root)]) == 1
    assert "not made from the released content of A/1" in capsys.readouterr().out


# -- the review log -------------------------------------------------------------------------------
def test_review_overdue_counts_from_the_last_review(tmp_path):
    folder = project(tmp_path) / "org"
    today = dt.date(2026, 6, 1)
    codes = [p.code for p in check_dir(str(folder), today=today).problems]
    assert Code.REVIEW_OVERDUE in codes  # review_due 2025-01-01
    edit(
        folder / "company.yaml",
        "review_due: 2025-01-01",
        "review_due: 2025-01-01\n    review_interval: 12\n    reviews:\n"
        "      - {date: 2025-01-10, reviewer: 王总, result: 无变化, record: 评审纪要-2025-01}",
    )
    result = check_dir(str(folder), today=today)
    doc = result.handbook.company.document
    assert doc.reviews[0].result == "no-change" and doc.reviews[0].record.get() == "评审纪要-2025-01"
    assert doc.next_review == dt.date(2026, 1, 10)
    overdue = [p for p in result.problems if p.code is Code.REVIEW_OVERDUE]
    assert len(overdue) == 1 and "the last review was on 2025-01-10" in overdue[0].message
    assert "due on 2026-01-10" in overdue[0].message
    assert not [p for p in check_dir(str(folder), today=dt.date(2026, 1, 9)).problems if p.code is Code.REVIEW_OVERDUE]


def test_review_result_must_be_known(tmp_path):
    data = DATA.replace(
        "review_due: 2025-01-01", "review_due: 2025-01-01\n    reviews: [{date: 2025-01-10, result: 也许}]"
    )
    folder = project(tmp_path, data) / "org"
    errors = check_dir(str(folder)).errors
    assert errors and "也许" in errors[0].message


def test_example_releases_cleanly(tmp_path):
    """The example copied: released, its fingerprint written, the check quiet about approval."""
    shutil.copytree(ROOT / "source", tmp_path / "source", ignore=shutil.ignore_patterns("_build"))
    shutil.copy(ROOT / "conf.py", tmp_path / "conf.py")
    assert main(["release", str(tmp_path)]) == 0
    assert (tmp_path / "source" / "releases" / "B1" / "org" / "35-quality.yaml").is_file()
    assert rel.approval_state(hb_of(tmp_path / "source" / "org"), tmp_path / "source" / "org")[1] == []


# -- changes that are changes ---------------------------------------------------------------------
def test_the_example_distribution_is_not_a_change():
    """B/0 wrote the distribution as names, B/1 as numbered records with receipts, in another order."""
    from handbook.audit.compare import compare

    old = hb_of(ROOT / "source" / "releases" / "B0" / "org")
    new = hb_of(ROOT / "source" / "org")
    # B/1's copies (the distribution also records B/0's copies, recalled: issue 22's recall)
    issued = [c for c in new.company.document.distribution if c.revision in (None, new.company.document.revision)]
    assert len(old.company.document.distribution) == len(issued) == 10
    keys = [f.key for f in compare(old, new).document]
    assert "document.distribution" not in keys
    assert "document.revision" in keys  # what did change is still there


def test_records_are_not_changes_but_holders_are(tmp_path):
    from handbook.audit.compare import compare

    folder = project(tmp_path) / "org"
    old = hb_of(folder)
    edit(
        folder / "company.yaml",
        "distribution: [品质部, 生产部]",
        "review_interval: 6\n    reviews: [{date: 2024-06-01, result: revise}]\n    distribution:\n"
        "      - {copy: 2, holder: 生产部, issued: 2024-01-02}\n"
        "      - {copy: 1, holder: 品质部, received: 张三 2024-01-02}\n"
        "      - {copy: 3, holder: 财务部}",
    )
    edit(folder / "company.yaml", "summary: 增加品质部", "summary: 增加品质部\n        fingerprint: 'sha256:00'")
    changes = compare(old, hb_of(folder))
    [dist] = [f for f in changes.document if f.key == "document.distribution"]
    assert [x.text.get() for x in dist.new] == ["财务部"] and dist.old == ()
    assert {f.key for f in changes.document} == {"document.distribution", "document.review_interval"}
    stored = compare(old, hb_of(folder), stored=True)  # the import's listing: every stored difference
    assert "document.reviews" in {f.key for f in stored.document}


def test_a_new_revision_is_a_draft_until_released(tmp_path):
    root = project(tmp_path)
    hb = hb_of(root / "org")
    assert rel.approval_state(hb, root / "org") == (hb, [], None)  # no releases: nothing claimed
    assert main(["release", str(root)]) == 0
    edit(root / "org" / "company.yaml", "revision: A/1\n    status", "revision: A/2\n    status")
    edit(
        root / "org" / "company.yaml",
        "        summary: 增加品质部\n",
        "        summary: 增加品质部\n      - revision: A/2\n        date: 2024-06-01\n",
    )
    marked, problems, _changes = rel.approval_state(hb_of(root / "org"), root / "org")
    assert [p.code for p in problems] == [Code.NOT_RELEASED]
    assert problems[0].message == "revision A/2 has not been released" and problems[0].source.line == 20
    assert marked.company.document.status.key == "draft"
    assert main(["release", str(root)]) == 0
    assert rel.approval_state(hb_of(root / "org"), root / "org")[1] == []


def test_release_reads_the_projects_own_statuses(tmp_path, capsys):
    root = project(tmp_path, DATA.replace("status: 受控", "status: 试行"))
    (root / "conf.py").write_text(
        'extensions = ["handbook"]\nhandbook_data_dir = "org"\n'
        'handbook_document_statuses = {"trial": {"label": "试行", "aliases": ["试行"], "controlled": True}}\n',
        encoding="utf-8",
    )
    assert main(["release", str(root)]) == 0, capsys.readouterr().err
    assert "Released A/1" in capsys.readouterr().out


def test_a_status_change_reads_as_its_label(tmp_path):
    """The changes page compares the baseline with the document as shown: a draft of the next revision."""
    from handbook.audit.compare import compare

    root = project(tmp_path)
    old = hb_of(root / "org")
    assert main(["release", str(root)]) == 0
    edit(root / "org" / "company.yaml", "组织内审；", "组织内审与管理评审；")
    shown = rel.approval_state(hb_of(root / "org"), root / "org")[0]
    [status] = [f for f in compare(old, shown).document if f.key == "document.status"]
    assert [x.text.get("zh_CN") for x in status.old] == ["受控"]
    assert [x.text.get("zh_CN") for x in status.new] == ["下一版本草稿"]
    assert [x.text.get("en") for x in status.new] == ["Draft of the next revision"]
