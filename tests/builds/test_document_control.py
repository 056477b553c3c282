"""Document control (ISO 9001 clause 7.5) as another company uses it: the status decides the
marking (draft 草稿, controlled 受控, obsolete 作废), an overdue review, approval records,
numbered controlled copies, job descriptions, hand-written pages with Chinese titles.

The data is tests/roots/test-docctl (a welding-equipment maker, status 草稿); the tests
switch its status. What is checked is what a reader gets: `handbook check --format json`,
the parsed HTML of the site, the text of the PDFs (pdftotext) built by the real command.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TESTS, chromium_path, flat, mermaid_dist, require

from handbook import model as m
from handbook import status
from handbook.pdf.builder import _file_part
from handbook.pdf.cover import Print, statement
from handbook.site.settings import SETTINGS
from handbook.validate import check_dir

DOCCTL = TESTS / "roots" / "test-docctl"


def variant(dest: Path, status_word: str | None = None, edit=None) -> Path:
    """A copy of the test-docctl root with another status (or another edit of company.yaml)."""
    shutil.copytree(DOCCTL, dest, ignore=shutil.ignore_patterns("_build"))
    company = dest / "org" / "company.yaml"
    text = company.read_text(encoding="utf-8")
    if status_word is not None:
        text = text.replace("status: 草稿", f"status: {status_word}")
    if edit is not None:
        text = edit(text)
    company.write_text(text, encoding="utf-8")
    return dest


def check_json(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "handbook", "check", "--format", "json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


# -- the status ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "word,key",
    [
        ("草稿", "draft"),
        ("受控", "controlled"),
        ("现行有效", "controlled"),
        ("作废", "obsolete"),
        ("obsolete", "obsolete"),
    ],
)
def test_status_words_name_a_known_status(tmp_path, word, key):
    doc = check_dir(str(variant(tmp_path / "v", word) / "org")).handbook.company.document
    assert doc.status.key == key


def test_an_unknown_status_is_an_error_listing_the_known_ones(tmp_path):
    out = check_json(str(variant(tmp_path / "v", "已发布") / "org"), "--today", "2026-01-01")
    assert out["ok"] is False
    [problem] = out["problems"]
    assert (problem["path"].endswith("org/company.yaml"), problem["line"], problem["code"]) == (True, 8, "bad-value")
    assert problem["message"] == "`status` `已发布` is not one of draft, controlled, obsolete"
    assert problem["hint"] == "one of: draft (草稿), controlled (受控), obsolete (作废)"


def test_conf_py_adds_a_status_for_the_build_and_for_handbook_check(tmp_path):
    src = variant(tmp_path / "v", "试行")
    (src / "conf.py").write_text(
        (src / "conf.py").read_text(encoding="utf-8")
        + (
            'handbook_document_statuses = {"trial": {"label": "试行", "aliases": ["试行"], "stamp": "试行",\n'
            '                                        "watermark": "试行", "controlled": True}}\n'
        ),
        encoding="utf-8",
    )
    # the conf.py whose handbook_data_dir is the folder checked is read, without running it
    assert check_json(str(src / "org"), "--today", "2026-01-01")["problems"] == []
    alone = shutil.copytree(src / "org", tmp_path / "elsewhere" / "org")  # the data without its conf.py
    assert [p["code"] for p in check_json(str(alone), "--today", "2026-01-01")["problems"]] == ["bad-value"]
    out = check_json(str(alone), "--conf", str(src), "--today", "2026-01-01")
    assert out["problems"] == [] and out["ok"] is True
    statuses, problems = status.table({"trial": {"label": "试行", "aliases": ["试行"], "watermark": "试行"}})
    hb = check_dir(str(src / "org"), statuses=statuses).handbook
    assert (hb.company.document.status.key, hb.company.document.status.watermark) == ("trial", "试行")
    assert problems == []


def test_the_statuses_setting_is_checked():
    setting = next(s for s in SETTINGS if s.name == "handbook_document_statuses")
    assert setting.problem({"draft": {"colour": "red"}})[0] == (
        "status 'draft': unknown key(s) 'colour'; known: label, aliases, stamp, note, watermark, banner, statement, "
        "controlled"
    )
    assert setting.problem({"trial": {"aliases": ["受控"]}})[0] == (
        "`受控` names two statuses, 'controlled' and 'trial'"
    )
    assert setting.problem({"controlled": {"note": "受控文件 · 复印无效"}}) is None


# -- review and revision checks, as `handbook check --format json` reports them -----------------------------
def test_check_reports_an_overdue_review_against_the_date_given(tmp_path):
    org = str(DOCCTL / "org")
    assert check_json(org, "--today", "2026-05-31")["problems"] == []
    out = check_json(org, "--today", "2026-12-01")
    assert out["ok"] is True and out["warnings"] == 1
    [p] = out["problems"]
    assert (p["code"], p["severity"], p["line"], p["column"]) == ("review-overdue", "warning", 10, 17)
    assert p["message"] == "the review of the document was due on 2026-06-01, 183 days before 2026-12-01 (复审逾期)"
    proc = subprocess.run(
        [sys.executable, "-m", "handbook", "check", "--strict", "--today", "2026-12-01", org],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    # the project is in Chinese: so are the problems
    assert proc.returncode == 1 and "警告[review-overdue]" in proc.stdout


def test_check_reports_revision_history_and_dates(tmp_path):
    def edit(text: str) -> str:
        return (
            text.replace("revision: A/1\n", "revision: A/2\n", 1)
            .replace("date: 2024-06-01", "date: 2025-07-01")
            .replace("date: 2025-05-28", "date: 2025-06-05")
        )

    out = check_json(str(variant(tmp_path / "v", edit=edit) / "org"), "--today", "2026-01-01")
    codes = [(p["code"], p["line"]) for p in out["problems"]]
    assert codes == [("revision-mismatch", 7), ("effective-before-approval", 9), ("history-order", 20)]


# -- approvals and distribution in the data ----------------------------------------------------------------
def test_distribution_entries_are_names_or_numbered_copies(tmp_path):
    hb = check_dir(str(DOCCTL / "org")).handbook
    doc = hb.company.document
    assert [
        (str(c.holder), c.copy, c.count, c.issued, str(c.received) if c.received else None) for c in doc.distribution
    ] == [
        ("总经理办公室", 1, None, dt.date(2025, 6, 1), "2025-06-02 钱峰"),
        ("品质部", 2, 2, dt.date(2025, 6, 1), None),
        ("各车间（电子版）", None, None, None, None),
    ]
    assert doc.copy_numbered(2).holder.get("zh_CN") == "品质部" and doc.copy_numbered(3) is None


def test_translated_names_in_distribution_and_approval_records(tmp_path):
    def edit(text: str) -> str:
        return text.replace("- 各车间（电子版）", "- {zh_CN: 各车间, en: Workshops}").replace(
            "date: 2025-05-28}", "date: 2025-05-28, record: 'https://oa.example.com/flow/77'}"
        )

    doc = check_dir(str(variant(tmp_path / "v", edit=edit) / "org")).handbook.company.document
    assert doc.distribution[2].holder.get("en") == "Workshops"
    assert str(doc.approved_by.record) == "https://oa.example.com/flow/77"


def test_copy_numbers_are_unique_and_start_at_one(tmp_path):
    def edit(text: str) -> str:
        return text.replace("{copy: 2, holder: 品质部, count: 2", "{copy: 1, holder: 品质部, count: 0")

    out = check_json(str(variant(tmp_path / "v", edit=edit) / "org"), "--today", "2026-01-01")
    assert [(p["code"], p["line"], p["message"]) for p in out["problems"]] == [
        ("bad-value", 16, "`count` of the distribution entry of 品质部 is 0"),
        (
            "duplicate-id",
            16,
            f"copy number 1 is given twice in `distribution` (first at {out['problems'][0]['path']}:15:9)",
        ),
    ]


# -- what the cover says -------------------------------------------------------------------------------------
def _doc(status_key: str | None, records: bool) -> m.DocumentControl:
    record = m.Text.plain("OA-1") if records else None
    return m.DocumentControl(
        status=status.builtin()[status_key] if status_key else None,
        prepared_by=m.Approval(m.Text.plain("吴敏"), record=record),
        approved_by=m.Approval(m.Text.plain("钱峰"), record=record),
    )


def test_the_statement_claims_the_electronic_copy_only_with_approval_records():
    pr = Print(language="en")
    assert statement(_doc("controlled", True), pr) == (
        "This is a controlled document. The approvals are recorded "
        "as listed above; the electronic copy is the only valid "
        "version. Printed copies are uncontrolled: check the current "
        "revision before use."
    )
    unsigned = statement(_doc("controlled", False), pr)
    assert "electronic copy" not in unsigned and "The original signed by the approvers above" in unsigned
    copy = Print(language="en", copy=m.Copy(m.Text.plain("QA"), copy=2))
    assert "This is controlled copy No. 2, held by QA" in statement(_doc("controlled", False), copy)
    assert statement(_doc("draft", True), pr).startswith("This is a draft for review.")
    assert statement(_doc(None, True), pr) == ""


def test_pdf_file_names_carry_the_revision():
    assert (_file_part("HYL-QM-001"), _file_part("B/1"), _file_part("A / 0"), _file_part("第2版")) == (
        "HYL-QM-001",
        "B1",
        "A0",
        "第2版",
    )


# -- the site: a banner on every page ------------------------------------------------------------------------
def _banners(site, page: str) -> list[tuple[str, str]]:
    return [(" ".join(p["class"]), p.get_text(strip=True)) for p in site.soup(page).select("p.handbook-banner")]


def test_a_draft_with_an_overdue_review_says_so_on_every_page(site, tmp_path):
    src = variant(tmp_path / "draft")
    built = site(src, handbook_today="2026-12-01", suppress_warnings=["handbook.review-overdue"])
    assert built.warnings == ""
    for page in ("index.html", "company.html", "roles/qa-manager.html", "使用说明.html"):
        assert _banners(built, page) == [
            ("handbook-banner handbook-banner-draft", "草稿：本文件尚未批准，不得作为工作依据。"),
            ("handbook-banner handbook-banner-review-overdue", "复审逾期：本文件应于 2026-06-01 复审。"),
        ], page
    status_row = [
        tr
        for tr in built.soup("company.html").select("#handbook-document-control tr")
        if tr.th.get_text(strip=True) == "状态"
    ]
    assert status_row[0].td.get_text(strip=True) == "草稿"
    # a page printed from the browser carries the status's note, not "打印即为非受控"
    style = "".join(s.get_text() for s in built.soup("roles/qa-manager.html").select("style"))
    foot = re.search(r'--hb-print-foot: "([^"]*)"', style).group(1)
    assert "草稿" in foot and "非受控" not in foot


def test_another_company_released_then_edited_is_a_draft_on_every_page(site, tmp_path):
    """苏州金焊's data (flow-style history entries): released, built; a duty edited, built again."""
    from handbook.cli import main

    def reviewed(text: str) -> str:
        return text.replace(
            "review_due: 2026-06-01",
            "review_due: 2026-06-01\n    reviews:\n      - {date: 2026-05-20, reviewer: 何立, result: 无变化, record: 评审-2026-05}",
        )

    src = variant(tmp_path / "released", "受控", edit=reviewed)
    assert main(["release", str(src)]) == 0
    assert "fingerprint: 'sha256:" in (src / "org" / "company.yaml").read_text(encoding="utf-8")
    built = site(src, handbook_today="2026-12-01")
    assert built.warnings == ""  # reviewed on 2026-05-20: the next review is due 2027-05-20
    assert _banners(built, "roles/qa-manager.html") == []
    history = built.soup("indexes/history.html")
    heads = [th.get_text(strip=True) for th in history.select("table.handbook-history th")]
    assert heads[-1] == "发布内容指纹"
    cells = [td.get_text(strip=True) for td in history.select("table.handbook-history tbody tr")[-1].select("td")]
    assert re.fullmatch(r"[0-9a-f]{12}", cells[-1])
    log = [
        [td.get_text(strip=True) for td in tr.select("td")] for tr in history.select("table.handbook-reviews tbody tr")
    ]
    assert log == [["2026-05-20", "何立", "无变化：内容仍适用", "评审-2026-05", ""]]
    org = src / "org" / "org.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("组织建立和维护质量管理体系。", "组织建立、实施和维护质量管理体系。"),
        encoding="utf-8",
    )
    built = site(src, handbook_today="2026-12-01")
    assert "changed-since-approval" in built.warnings and "品质部经理 (duties)" in built.warnings
    for page in ("index.html", "company.html", "roles/qa-manager.html", "使用说明.html"):
        assert _banners(built, page) == [
            ("handbook-banner handbook-banner-draft", "草稿：本文件内容在批准后已更改，尚未批准，不得作为依据使用。")
        ], page


def test_an_obsolete_revision_says_so_and_a_current_controlled_one_does_not(site, tmp_path):
    built = site(variant(tmp_path / "obsolete", "作废"), handbook_today="2026-01-01")
    assert _banners(built, "roles/gm.html") == [
        ("handbook-banner handbook-banner-obsolete", "作废：本版本已被替代，不得使用。")
    ]
    built = site(variant(tmp_path / "controlled", "受控"), handbook_today="2026-01-01")
    assert built.warnings == ""
    assert _banners(built, "index.html") == [] and _banners(built, "roles/gm.html") == []


# -- the PDF ---------------------------------------------------------------------------------------------------
def _require_pdf_tools() -> None:
    require(chromium_path() is not None, "Chromium (Debian package `chromium`)")
    for tool in ("pdftotext", "pdfimages"):
        require(shutil.which(tool) is not None, f"{tool} (Debian package `poppler-utils`)")
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")


def handbook_pdf(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", "pdf", "--source", str(src), "--out", str(out), "-W", "--keep-going", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def pdf_pages(path: Path) -> list[str]:
    """Each page's text in the order it is drawn (-raw: the watermark stays one word); ·, • and
    ・ read as · (conftest.flat)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [flat(p) for p in out.split("\f")[:-1]]


@pytest.fixture(scope="session")
def docctl_pdfs(tmp_path_factory) -> dict[str, Path]:
    """The test-docctl handbook built as a user would: a draft with an overdue review, an
    obsolete revision, controlled copy 2, and one role's job description alone."""
    _require_pdf_tools()
    base = tmp_path_factory.mktemp("docctl-pdf")
    out: dict[str, Path] = {}
    builds = [
        ("draft", None, ("-D", "handbook_today=2026-12-01", "-D", "suppress_warnings=handbook.review-overdue")),
        ("obsolete", "作废", ("-D", "handbook_today=2026-01-01")),
        ("copy", "受控", ("-D", "handbook_today=2026-01-01", "--copy", "2")),
        (
            "role",
            "受控",
            (
                "-D",
                "handbook_today=2026-01-01",
                "-D",
                "handbook_jd_signing_department=gm-office",
                "--role",
                "qa-manager",
            ),
        ),
    ]
    for name, word, args in builds:
        src = variant(base / name / "src", word)
        dest = base / name / "out"
        if out:  # the charts are the same: draw them once
            shutil.copytree(next(iter(out.values())) / ".charts", dest / ".charts")
        proc = handbook_pdf(src, dest, *args)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
        assert "WARNING" not in proc.stderr, proc.stderr
        out[name] = dest
    return out


def test_pdf_names_carry_the_revision_and_the_copy(docctl_pdfs):
    assert sorted(p.name for p in docctl_pdfs["draft"].glob("*.pdf")) == ["JH-QM-002-A1.pdf"]
    assert sorted(p.name for p in (docctl_pdfs["draft"] / "roles").glob("*.pdf")) == [
        "gm.pdf",
        "qa-inspector.pdf",
        "qa-manager.pdf",
    ]
    assert sorted(p.name for p in docctl_pdfs["copy"].glob("*.pdf")) == ["JH-QM-002-A1-copy2.pdf"]
    assert not (docctl_pdfs["copy"] / "roles").exists()  # a numbered copy is the document only


def test_a_draft_is_marked_on_every_page_and_claims_no_control(docctl_pdfs):
    pages = pdf_pages(docctl_pdfs["draft"] / "JH-QM-002-A1.pdf")
    assert len(pages) > 8
    for i, text in enumerate(pages, start=1):
        assert text.count("草稿") >= 2, f"page {i}: no watermark"  # the watermark and the footer note
        assert "金焊·草稿·未经批准，不得使用" in text, f"page {i}: footer note"
        assert "受控" not in text, f"page {i} claims control"
    cover = pages[0]
    assert "草稿：本文件尚未批准，不得作为工作依据。" in cover
    assert "本文件为征求意见用草稿，尚未批准，不得作为工作依据。" in cover
    assert "复审逾期：本文件应于2026-06-01复审。" in cover and "2026-06-01已逾期" in cover
    for role in (docctl_pdfs["draft"] / "roles").glob("*.pdf"):
        for text in pdf_pages(role):
            assert "草稿·未经批准，不得使用" in text and text.count("草稿") >= 2, role.name


def test_an_obsolete_revision_is_marked_on_every_page(docctl_pdfs):
    pages = pdf_pages(docctl_pdfs["obsolete"] / "JH-QM-002-A1.pdf")
    for i, text in enumerate(pages, start=1):
        assert "作废·已被替代，仅供参考" in text and text.count("作废") >= 2, f"page {i}"
    assert "作废：本版本已被替代，不得使用。" in pages[0] and "复审逾期" not in pages[0]


def test_controlled_copy_names_its_number_and_holder_on_the_cover_and_every_footer(docctl_pdfs):
    pages = pdf_pages(docctl_pdfs["copy"] / "JH-QM-002-A1-copy2.pdf")
    for i, text in enumerate(pages, start=1):
        assert "金焊·第2号受控副本—品质部" in text, f"page {i}"
        assert "打印即为非受控" not in text, f"page {i}"
    cover = pages[0]
    assert "受控文件第2号受控副本—品质部" in cover  # the stamp and the copy
    assert "受控副本第2号受控副本—品质部" in cover  # the field
    # no approval records and empty signature cells: the signed original is the valid version
    assert "本文件为受控文件。以经上表人员签字的原件为准；本件为第2号受控副本，持有人：品质部；" in cover
    assert "电子版为唯一有效版本" not in cover
    record = next(p for p in pages if "发放记录分发号" in p)
    assert "分发号持有人份数发放日期签收（签名、日期）状态" in record  # each copy's state (issue 22)
    assert "1总经理办公室12025-06-012025-06-02钱峰已签收2品质部22025-06-01待签收各车间（电子版）1待签收" in record


def test_copy_that_was_not_issued_or_of_a_draft_is_refused(tmp_path):
    _require_pdf_tools()
    proc = handbook_pdf(variant(tmp_path / "c", "受控"), tmp_path / "out", "--copy", "7")
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith(
        "Handbook PDF error: copy 7 is not in the document's `distribution`; the numbered copies are: 1, 2"
    )
    proc = handbook_pdf(variant(tmp_path / "d"), tmp_path / "out2", "--copy", "1")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith(
        "numbered controlled copies are issued of a controlled document; the document's `status` is draft"
    )
    assert not list((tmp_path / "out").glob("*.pdf")) and not list((tmp_path / "out2").glob("*.pdf"))


def test_one_roles_job_description_with_a_signature_block(docctl_pdfs):
    out = docctl_pdfs["role"]
    assert list(out.glob("*.pdf")) == []  # --role: the job description only
    assert [p.name for p in (out / "roles").glob("*.pdf")] == ["qa-manager.pdf"]
    pages = pdf_pages(out / "roles" / "qa-manager.pdf")
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "文件编号：JH-QM-002",
        "版本：A/1",
        "岗位编号：JH-QA-01",
        "岗位说明书·品质部经理",
        "苏州金焊设备有限公司岗位说明书",
        "组织来料、过程和成品检验。",
        "对不合格品有判定权。",
        # the statement, the holder by name, the supervisor, the department the setting names (not 人力资源部)
        "签字确认本人已阅读、理解并接受本岗位说明书。签字日期任职者何立直接上级总经理总经理办公室签署部门",
        "金焊·签署后作为记录存档",  # a form to be signed, not "打印即为非受控"
        "第1页/共1页",
    ):
        assert expected in text, expected


def test_handwritten_pages_with_chinese_titles_go_into_the_pdf(docctl_pdfs):
    """Both pages' sections are docutils' `id1` (and so are their footnotes): the -W build
    above passed, and each page's contents entry leads to its own page."""
    from pypdf import PdfReader

    reader = PdfReader(str(docctl_pdfs["draft"] / "JH-QM-002-A1.pdf"))
    pages = pdf_pages(docctl_pdfs["draft"] / "JH-QM-002-A1.pdf")
    entries = {
        item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    }
    assert "本手册适用于全体员工。" in pages[entries["使用说明"]]
    assert "外协加工点参照执行。" in pages[entries["附录"]]
    assert entries["附录"] > entries["使用说明"]
    toc = next(p for p in pages if "目录" in p and "...." in p)
    assert re.search(rf"使用说明\.+{entries['使用说明'] + 1}(?!\d)", toc)
    assert re.search(rf"附录\.+{entries['附录'] + 1}(?!\d)", toc)


def test_logo_and_brand_colour_on_the_cover(docctl_pdfs):
    from pypdf import PdfReader

    pdf = docctl_pdfs["obsolete"] / "JH-QM-002-A1.pdf"
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert [(row.split()[3], row.split()[4]) for row in images] == [("96", "96")]  # the PNG logo
    content = PdfReader(str(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"0\.043\d* 0\.431\d* 0\.309\d* rg", content), "no text in the brand colour #0b6e4f"


# -- the example ----------------------------------------------------------------------------------------------
def test_example_site_shows_approval_records_and_no_banner(example_site):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((example_site / "company.html").read_text(encoding="utf-8"), "html.parser")
    rows = {
        tr.th.get_text(strip=True): tr.td.get_text(strip=True) for tr in soup.select("#handbook-document-control tr")
    }
    assert rows["状态"] == "受控"
    assert rows["批准"] == "陈国华（总经理） 2024-02-28；审批记录：OA-WJ-2024-0217"
    for page in ("index.html", "company.html", "roles/cs-supervisor.html"):
        assert (
            BeautifulSoup((example_site / page).read_text(encoding="utf-8"), "html.parser").select(".handbook-banner")
            == []
        ), page  # controlled, and its review is not due yet


@pytest.mark.pdf
def test_job_descriptions_in_several_batches_each_count_their_own_pages(site, tmp_path, monkeypatch):
    """Large handbooks lay the job descriptions out in batches (memory stays bounded): each
    PDF still holds its own role only, numbered from 1, with its own header."""
    from handbook.pdf import jobs

    _require_pdf_tools()
    monkeypatch.setattr(jobs, "BATCH_ROLES", 2)
    built = site(
        variant(tmp_path / "batches", "受控"),
        builder="handbookpdf",
        handbook_today="2026-01-01",
        handbook_pdf_roles="gm,qa-manager,qa-inspector",
    )
    assert built.warnings == ""
    assert sorted(p.name for p in built.outdir.glob("*.pdf")) == []  # roles only: no document
    for rid, title, code in (
        ("gm", "总经理", "JH-GM-01"),
        ("qa-manager", "品质部经理", "JH-QA-01"),
        ("qa-inspector", "检验员", "JH-QA-02"),
    ):
        pages = pdf_pages(built.outdir / "roles" / f"{rid}.pdf")
        assert len(pages) == 1, rid
        assert f"岗位编号：{code}" in pages[0] and f"岗位说明书·{title}" in pages[0] and "第1页/共1页" in pages[0]
        others = {"总经理", "品质部经理", "检验员"} - {title}
        assert not any(f"岗位说明书·{o}" in pages[0] for o in others), rid


def test_job_description_pages_are_split_by_their_anchors():
    from handbook.pdf.jobs import split

    class Page:
        def __init__(self, *anchors):
            self.anchors = dict.fromkeys(anchors, (0, 0))

    pages = [Page("hb-jd-0"), Page("x"), Page("hb-jd-1", "y"), Page(), Page("hb-jd-2")]
    parts = split(pages, ["hb-jd-0", "hb-jd-1", "hb-jd-2"])
    assert [[pages.index(p) for p in part] for part in parts] == [[0, 1], [2, 3], [4]]
