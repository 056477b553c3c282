"""The release cycle on a copy of the example, through the real commands: release B/1, edit a
duty, `handbook check` warns `changed-since-approval`, the PDF is marked as a draft of the next
revision on every page (pdfplumber) and `handbook verify` fails; release B/2 and build again:
the PDF is controlled, prints its fingerprint, and `verify` passes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, chromium_path, flat, mermaid_dist, require

from handbook.audit import fingerprint as fpr
from handbook.validate import check_dir

pytestmark = pytest.mark.pdf

TODAY = "2026-12-01"


def handbook(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", *args], cwd=cwd, capture_output=True, text=True, timeout=1200
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_pdf(project: Path, name: str) -> Path:
    out = project / "_build" / name
    proc = handbook("pdf", str(project), "--out", str(out), "-D", f"handbook_today={TODAY}", cwd=project)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [pdf] = [p for p in out.glob("*.pdf")]
    return pdf


def page_texts(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return [flat(p.extract_text() or "") for p in doc.pages]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    require(chromium_path() is not None, "Chromium (Debian package `chromium`)")
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    root = tmp_path_factory.mktemp("release") / "handbook"
    shutil.copytree(ROOT / "source", root / "source", ignore=shutil.ignore_patterns("_build"))
    for name in ("_templates", "_static"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "conf.py", root / "conf.py")
    return root


def test_release_edit_draft_verify_release_again(project):
    data = project / "source" / "org"
    # 1. release B/1
    proc = handbook("release", cwd=project)
    assert proc.returncode == 0, proc.stderr
    released = fpr.fingerprint(check_dir(str(data)).handbook)
    assert f"Released B/1: fingerprint {released}" in proc.stdout
    assert (project / "source" / "releases" / "B1" / "org" / "35-quality.yaml").is_file()
    # 2. edit a duty of 品质部's manager: check warns, naming it
    edit(data / "35-quality.yaml", "质量制度的制订与推动执行；", "质量制度的制订、宣贯与推动执行；")
    proc = handbook("check", "--format", "json", "--today", TODAY, cwd=project)
    assert proc.returncode == 0, proc.stderr
    [warning] = [p for p in json.loads(proc.stdout)["problems"] if p["code"] == "changed-since-approval"]
    assert "since revision B/1 was released" in warning["message"] and "质量部主管 (duties)" in warning["message"]
    # 3. the PDF: a draft of the next revision on every page; verify fails
    draft = build_pdf(project, "draft")
    texts = page_texts(draft)
    assert len(texts) > 20
    marked = [i for i, t in enumerate(texts) if "草稿·批准后内容已更改，未经批准" in t]
    assert marked == list(range(len(texts))), [i for i in range(len(texts)) if i not in marked]
    assert "下一版本草稿" in texts[0]  # the cover's stamp and status
    assert "本文件为下一版本的草稿" in texts[0]
    assert "电子版为唯一有效版本" not in texts[0]  # never claimed as the approved revision
    proc = handbook("verify", str(draft), cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "NOT VERIFIED" in proc.stdout and "made from the current data, which has changed" in proc.stdout
    # release refuses to change B/1
    proc = handbook("release", cwd=project)
    assert proc.returncode == 1 and "Start a new revision" in proc.stderr
    # 4. a new revision B/2, approved and released: controlled, fingerprint printed, verify passes
    company = data / "company.yaml"
    edit(company, "    revision: B/1\n", "    revision: B/2\n")
    text = company.read_text(encoding="utf-8")
    text = text.rstrip("\n") + (
        "\n      - revision: B/2\n        date: 2026-11-20\n        author: 顾佳佳\n        approved_by: 陈国华\n"
        "        summary: 质量部主管职责增加质量制度宣贯。\n"
    )
    company.write_text(text, encoding="utf-8")
    proc = handbook("release", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "source" / "releases" / "B2" / "release.json").is_file()
    proc = handbook("check", "--format", "json", "--today", TODAY, cwd=project)
    codes = {p["code"] for p in json.loads(proc.stdout)["problems"]}
    assert not codes & {"changed-since-approval", "not-released"}
    final = build_pdf(project, "final")
    texts = page_texts(final)
    assert not [i for i, t in enumerate(texts) if "草稿" in t]
    b2 = fpr.fingerprint(check_dir(str(data)).handbook)
    assert flat(f"内容指纹 sha256 {fpr.short(b2)}") in texts[0]
    proc = handbook("verify", str(final), cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "made from the released content of B/2" in proc.stdout
    # the draft PDF still fails: it is neither B/1's content nor B/2's
    assert handbook("verify", str(draft), cwd=project).returncode == 1
