"""What changed per revision (handbook diff, the changes page), the quality function
allocation (ISO 9001 clauses x departments) and the checks an auditor's findings need
(vacant-performer, no-authority, clause-unassigned), tested on what a reader gets: the JSON
and text of ``handbook diff``, ``handbook check --format json``, and the parsed HTML of the
pages (the PDF chapters are tested in test_pdf.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from handbook.audit import clauses
from handbook.audit.change_report import listing, summary_line
from handbook.audit.compare import compare
from handbook.cli import main
from handbook.validate import check_dir

EXAMPLE_ORG = ROOT / "source" / "org"


def handbook_of(folder: Path, text: str | None = None):
    if text is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "a.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    result = check_dir(str(folder))
    assert result.handbook is not None, [p.format() for p in result.errors]
    return result.handbook


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def git(*args: str, cwd: Path) -> str:
    out = subprocess.run(
        ["git", "-c", "user.name=QA", "-c", "user.email=qa@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the clause list ------------------------------------------------------------------------------
def test_the_shipped_clause_list_has_the_gb_t_19001_titles():
    cat = clauses.catalog()
    assert cat.clauses["4.1"].zh == "理解组织及其环境" and cat.clauses["4.1"].en.startswith("Understanding")
    assert cat.clauses["6.1"].zh == "应对风险和机遇的措施"
    assert cat.clauses["7.1.5.2"].zh == "测量溯源"
    assert cat.clauses["8.5.3"].zh == "顾客或外部供方的财产"
    assert cat.clauses["10.3"].en == "Continual improvement"
    assert "3.1" not in cat.clauses and "11" not in cat.clauses
    required = cat.default_required()
    assert len(required) == 27 and "10.1" not in required and "5.3" in required and "6.3" in required
    assert all(len(n.split(".")) == 2 for n in required)


def test_handbook_clauses_lists_them(capsys):
    assert main(["clauses"]) == 0
    out = capsys.readouterr().out
    assert "6.3      * 变更的策划  Planning of changes" in out
    assert main(["clauses", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "number": "7.5.3",
        "zh_CN": "成文信息的控制",
        "en": "Control of documented information",
        "lead_required": False,
    } in data["clauses"]


# -- the allocation -------------------------------------------------------------------------------
ALLOCATION = """\
    company:
      name: ACME
      required_clauses: ["7.5", "8.7", "9.2"]
      clause_owners:
        - {clause: "9.2", lead: sales, support: [qa]}
    departments:
      - {id: qa, name: 品质部, head: qa-boss, functions: [{text: 组织不合格品评审, clauses: [8.7]}]}
      - {id: qa-lab, name: 检测室, parent: qa}
      - {id: sales, name: 销售部, head: sales-boss}
    roles:
      - {id: qa-boss, title: 品质经理, department: qa, responsibilities: [{text: 组织内审, clauses: [9.2]}]}
      - {id: clerk, title: 文控, department: qa, responsibilities: [{text: 文件发放, clauses: [7.5.3]}]}
      - {id: tester, title: 检测员, department: qa-lab, responsibilities: [{text: 不合格隔离, clauses: [8.7]}]}
      - {id: sales-boss, title: 销售经理, department: sales, responsibilities: [{text: 处理投诉, clauses: [8.7]}]}
    """


def test_allocation_leads_supports_and_the_company_override(tmp_path):
    hb = handbook_of(tmp_path / "org", ALLOCATION)
    mx = hb.clause_matrix
    assert mx.columns == ("qa", "sales")
    assert mx.column_of["qa-lab"] == "qa"  # a sub-department counts for its column
    rows = {r.clause: r for r in mx.rows}
    # with the siblings of each listed sub-clause (7.5.1, 7.5.2, 8.x, 9.x): the gaps show
    assert [c for c in rows if c in ("7.5", "7.5.1", "7.5.2", "7.5.3", "8.7", "9.2")] == [
        "7.5",
        "7.5.1",
        "7.5.2",
        "7.5.3",
        "8.7",
        "9.2",
    ]
    assert rows["7.5.1"].cells == () and not rows["7.5.1"].required
    # 7.5 is required and led through its sub-clause? No: the clerk is not the head, so qa only supports
    assert [(c.department, c.lead) for c in rows["7.5.3"].cells] == [("qa", False)]
    assert rows["7.5"].required and not rows["7.5"].led and rows["7.5"].cells == ()
    # 8.7: qa leads through its own function; sales leads through its head's duty
    assert [(c.department, c.lead) for c in rows["8.7"].cells] == [("qa", True), ("sales", True)]
    qa_87 = rows["8.7"].cells[0]
    assert [(d.kind, d.owner, d.list, d.number) for d in qa_87.duties] == [
        ("department", "qa", "functions", "1"),
        ("role", "tester", "responsibilities", "1"),
    ]
    # 9.2: the company assigns sales as lead, so qa's head only supports
    assert [(c.department, c.lead, c.assigned) for c in rows["9.2"].cells] == [
        ("qa", False, "support"),
        ("sales", True, "lead"),
    ]
    warnings = [p.message for p in check_dir(str(tmp_path / "org")).warnings if p.code.value == "clause-unassigned"]
    assert warnings == ["ISO 9001 clause 7.5 (成文信息 / Documented information) has no lead department"]


def test_columns_under_a_single_top_department(tmp_path):
    hb = handbook_of(
        tmp_path / "org",
        """\
        company: {name: ACME}
        departments:
          - {id: company, name: 公司, head: gm}
          - {id: qa, name: 品质部, parent: company, functions: [{text: 检验, clauses: [8.6]}]}
          - {id: hr, name: 人事部, parent: company}
        roles:
          - {id: gm, title: 总经理, department: company, responsibilities: [{text: 管理评审, clauses: [9.3]}]}
        """,
    )
    assert hb.clause_matrix.columns == ("company", "qa", "hr")


# -- diff: the comparison itself -------------------------------------------------------------------
OLD = """\
    company:
      name: ACME
      document: {revision: A/0, effective: 2023-01-01}
    departments:
      - {id: svc, name: 售后服务部, head: svc-boss}
      - {id: qa, name: 品质部}
    roles:
      - id: svc-boss
        title: 售后经理
        department: svc
        responsibilities: [管理售后服务部。]
      - id: tech
        title: 售后技术员
        department: svc
        reports_to: svc-boss
        headcount: 12
        responsibilities:
          - 接受国税系统、金融单位、区地税及投标部客户的各类服务报修和巡检服务。
          - {text: 如实填写服务报修单。, kpi: 当日填写}
          - 负责备件申领。
      - {id: old-clerk, title: 文员, department: qa, responsibilities: [打字。]}
      - {id: inspector, title: 检验员, department: qa, responsibilities: [来料检验与判定。]}
    people:
      - {name: 张三, assignments: [svc-boss]}
      - {name: 李四, assignments: [tech]}
      - {name: 王五, assignments: [tech]}
    processes:
      - id: repair
        name: 报修流程
        steps:
          - {id: take, action: 受理报修, role: svc-boss, next: fix}
          - {id: fix, action: 上门维修, role: tech}
        raci:
          - {activity: 上门维修并填写报修单, R: tech, A: svc-boss}
    """
NEW = """\
    company:
      name: ACME
      document: {revision: A/1, effective: 2024-01-01}
    departments:
      - {id: svc, name: 售后服务部, head: svc-boss}
      - {id: grp1, name: 技术一组, parent: svc}
      - {id: qa, name: 品质部}
    roles:
      - id: svc-boss
        title: 售后经理
        department: svc
        responsibilities: [管理售后服务部。]
      - id: tech
        title: 技术一组技术员
        department: grp1
        reports_to: lead
        headcount: 5
        responsibilities:
          - 接受国税系统、金融单位及投标部客户的各类服务报修，机动服务。
          - {text: 如实填写服务报修单。, kpi: 当日填写并上传, clauses: ["8.5.5"]}
          - 第二、三季度配合第二小组开展巡检服务工作。
      - {id: lead, title: 技术一组组长, department: grp1, reports_to: svc-boss, responsibilities: [带领本组。]}
      - {id: doc-clerk, title: 文员, department: qa, responsibilities: [打字。]}
    people:
      - {name: 张三, assignments: [svc-boss]}
      - {name: 李四, assignments: [tech]}
      - {name: 赵六, assignments: [lead, {role: tech, type: acting}]}
    processes:
      - id: repair
        name: 报修流程
        steps:
          - {id: take, action: 受理报修, role: svc-boss, next: fix}
          - {id: fix, action: 上门维修, role: lead}
        raci:
          - {activity: 上门维修并填写服务报修单, R: [tech, lead], A: svc-boss}
    """


@pytest.fixture(scope="module")
def changes(tmp_path_factory):
    base = tmp_path_factory.mktemp("diff")
    return compare(handbook_of(base / "old", OLD), handbook_of(base / "new", NEW))


def test_diff_finds_added_removed_and_changed_objects(changes):
    summary = {(o.kind, o.id): o.change for o in changes.objects}
    assert summary == {
        ("department", "grp1"): "added",
        ("role", "tech"): "changed",
        ("role", "lead"): "added",
        ("role", "inspector"): "removed",
        ("role", "doc-clerk"): "changed",
        ("process", "repair"): "changed",
    }
    assert changes.old_label == "A/0" and changes.new_label == "A/1"
    assert changes.counts()["role"] == {"added": 1, "removed": 1, "changed": 2}


def test_diff_renamed_and_moved_role(changes):
    tech = changes.of("role", "tech")
    assert tech.renamed and str(tech.old_title) == "售后技术员" and str(tech.new_title) == "技术一组技术员"
    moved = {f.key: ([str(x.text) for x in f.old], [str(x.text) for x in f.new]) for f in tech.moved}
    assert moved == {"department": (["售后服务部"], ["技术一组"]), "reports_to": (["售后经理"], ["技术一组组长"])}
    assert tech.aspects() == ("renamed", "moved", "duties", "staffing")


def test_diff_duty_level_changes(changes):
    duties = [
        (d.change, d.old_number, d.new_number, str(d.old.text) if d.old else None, str(d.new.text) if d.new else None)
        for d in changes.of("role", "tech").duties
    ]
    assert duties == [
        (
            "reworded",
            "1",
            "1",
            "接受国税系统、金融单位、区地税及投标部客户的各类服务报修和巡检服务。",
            "接受国税系统、金融单位及投标部客户的各类服务报修，机动服务。",
        ),
        ("changed", "2", "2", "如实填写服务报修单。", "如实填写服务报修单。"),
        ("added", "", "3", None, "第二、三季度配合第二小组开展巡检服务工作。"),
        ("removed", "3", "", "负责备件申领。", None),
    ]
    details = changes.of("role", "tech").duties[1].details
    assert [(f.key, [str(x.text) for x in f.old], [str(x.text) for x in f.new]) for f in details] == [
        ("kpi", ["当日填写"], ["当日填写并上传"]),
        ("clauses", [], ["8.5.5"]),
    ]


def test_diff_staffing_and_the_id_that_changed(changes):
    s = changes.of("role", "tech").staffing
    assert s.headcount == ("12", "5") and s.filled == (2, 1)
    assert [str(x.text) for x in s.joined] == ["赵六（代理）"] and [str(x.text) for x in s.left] == ["王五"]
    clerk = changes.of("role", "doc-clerk")
    assert clerk.old_id == "old-clerk" and not clerk.renamed and clerk.aspects() == ("new id",)


def test_diff_process_steps_raci_and_document(changes):
    parts = [(p.part, p.key, p.change) for p in changes.of("process", "repair").parts]
    assert parts == [("step", "fix", "changed"), ("raci", "上门维修并填写服务报修单", "changed")]
    step = changes.of("process", "repair").parts[0]
    assert [(f.key, [str(x.text) for x in f.old], [str(x.text) for x in f.new]) for f in step.fields] == [
        ("role", ["售后技术员"], ["技术一组组长"])
    ]
    assert {f.key: (str(f.old[0].text), str(f.new[0].text)) for f in changes.document} == {
        "document.revision": ("A/0", "A/1"),
        "document.effective": ("2023-01-01", "2024-01-01"),
    }


def test_diff_of_a_handbook_with_itself_is_empty(tmp_path):
    hb = handbook_of(tmp_path / "org", OLD)
    same = compare(hb, hb)
    assert not same and same.objects == () and summary_line(same, "en") == "no changes"


def test_the_import_lists_the_stored_data_by_the_same_comparison(tmp_path):
    """`handbook import`'s listing is the comparison of the stored data: people are objects of their
    own (by name without an id), and a role whose id changed is one change of its id."""
    old, new = handbook_of(tmp_path / "old", OLD), handbook_of(tmp_path / "new", NEW)
    assert [c.format() for c in listing(compare(old, new, stored=True), new.company.name)] == [
        "~ company `` ACME: document",
        "+ department `grp1` 技术一组",
        "~ role `tech` 技术一组技术员: title, department, reports_to, headcount, responsibilities",
        "+ role `lead` 技术一组组长",
        "~ role `doc-clerk` 文员: id",
        "~ process `repair` 报修流程: steps, raci",
        "+ person `赵六`",
        "- role `inspector` 检验员",
        "- person `王五`",
    ]


# -- handbook diff on git revisions, as a quality manager runs it ---------------------------------------
@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A company's repository: the example data released as tag B0, then a revision B/1 with a
    renamed and moved role, a reworded duty, a new hire, and an uncommitted edit in the work tree."""
    if shutil.which("git") is None:
        pytest.fail("git is missing")
    root = tmp_path_factory.mktemp("company") / "handbook"
    shutil.copytree(EXAMPLE_ORG, root / "org")
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "B/0", cwd=root)
    git("tag", "B0", cwd=root)
    org = root / "org"
    edit(
        org / "35-quality.yaml",
        "title: {zh_CN: 检测员, en: Laboratory Technician}",
        "title: {zh_CN: 实验室检测员, en: Laboratory Technician}",
    )
    edit(
        org / "35-quality.yaml",
        "    department: quality\n    code: HYL-QA-04\n    reports_to: quality-engineer",
        "    department: production\n    code: HYL-QA-04\n    reports_to: production-head",
    )
    edit(
        org / "35-quality.yaml",
        '      - text: 负责组织不合格品的评审；\n        clauses: ["8.7"]\n        kpi:',
        '      - text: 负责组织不合格品的评审与处置，跟踪纠正措施的落实；\n        clauses: ["8.7"]\n        kpi:',
    )
    edit(
        org / "people.yaml",
        "  - id: chen-guohua\n",
        "  - {id: qian-bo, name: 钱波, assignments: [lab-technician]}\n  - id: chen-guohua\n",
    )
    git("commit", "-q", "-am", "B/1", cwd=root)
    edit(
        org / "20-rd.yaml",
        "title: {zh_CN: 研发经理, en: R&D Manager}",
        "title: {zh_CN: 研发部经理, en: R&D Department Manager}",
    )
    return root


def test_diff_json_between_two_git_revisions(repo):
    proc = run("diff", "B0", "HEAD", "--data", "org", "--format", "json", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    # both revisions say B/1 in their document control: the labels name the revisions instead
    assert data["old"] == {"label": "B0:org", "source": "B0:org"} and data["new"]["label"] == "HEAD:org"
    assert data["same"] is False and data["counts"]["role"] == {"added": 0, "removed": 0, "changed": 2}
    lab = next(o for o in data["objects"] if o["id"] == "lab-technician")
    assert lab["title"] == "实验室检测员" and lab["old_title"] == "检测员"
    assert lab["aspects"] == ["renamed", "moved", "staffing"]
    assert lab["moved"] == [
        {
            "field": "department",
            "label": "所属部门",
            "old": {"text": "品质部", "kind": "department", "id": "quality"},
            "new": {"text": "生产部", "kind": "department", "id": "production"},
        },
        {
            "field": "reports_to",
            "label": "直接上级",
            "old": {"text": "品质工程师", "kind": "role", "id": "quality-engineer"},
            "new": {"text": "生产部长", "kind": "role", "id": "production-head"},
        },
    ]
    assert lab["staffing"]["filled"] == {"old": 0, "new": 1}
    assert lab["staffing"]["joined"] == [{"text": "钱波", "kind": "person", "id": "qian-bo"}]
    qm = next(o for o in data["objects"] if o["id"] == "quality-manager")
    assert qm["duties"] == [
        {
            "list": "responsibilities",
            "label": "岗位职责",
            "change": "reworded",
            "old_number": "9",
            "new_number": "9",
            "old": "负责组织不合格品的评审；",
            "new": "负责组织不合格品的评审与处置，跟踪纠正措施的落实；",
            "similarity": 0.649,
        }
    ]
    # the uncommitted rename in the work tree is not part of HEAD, and the work tree is left as it was
    assert not any(o["id"] == "rd-manager" for o in data["objects"])
    assert git("status", "--porcelain", cwd=repo) == " M org/20-rd.yaml\n"


def test_diff_against_the_work_tree_and_in_english(repo):
    proc = run("diff", "HEAD", "--data", "org", "--format", "json", "--language", "en", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["new"]["source"] == "org"
    assert [(o["id"], o["aspects"]) for o in data["objects"]] == [("rd-manager", ["renamed"])]
    assert (data["objects"][0]["old_title"], data["objects"][0]["title"]) == ("R&D Manager", "R&D Department Manager")


def test_diff_text_and_markdown(repo):
    proc = run("diff", "B0", "HEAD", "--data", "org", cwd=repo)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == "B0:org → HEAD:org: 岗位 2 修改"
    assert "  ~ 实验室检测员 (lab-technician)" in lines
    assert "      更名: 检测员 → 实验室检测员" in lines
    assert "      调整隶属: 所属部门: 品质部 → 生产部" in lines
    assert (
        "      岗位职责第 9 条 改写: 负责组织不合格品的评审； → 负责组织不合格品的评审与处置，跟踪纠正措施的落实；"
        in lines
    )
    md = run("diff", "B0", "HEAD", "--data", "org", "--format", "markdown", "--language", "en", cwd=repo).stdout
    assert "## roles" in md and "- **Quality Manager** (`quality-manager`): changed" in md
    assert (
        "  - responsibilities 9 reworded: 负责组织不合格品的评审； → 负责组织不合格品的评审与处置，跟踪纠正措施的落实；"
        in md
    )


def test_diff_same_revision_exits_0(repo):
    proc = run("diff", "B0", "B0", "--data", "org", "--format", "json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["same"] is True and json.loads(proc.stdout)["objects"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["B9", "HEAD"], "`B9` is neither a folder nor a git revision of the repository at "),
        (["--oops", "HEAD"], "unrecognized arguments"),
        (["HEAD~5", "HEAD"], "`HEAD~5` is neither a folder nor a git revision"),
    ],
)
def test_diff_bad_revision_exits_2_without_a_traceback(repo, args, message):
    proc = run("diff", *args, "--data", "org", cwd=repo)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_diff_revision_without_the_data_folder(repo, tmp_path):
    proc = run("diff", "B0", "HEAD", "--data", "elsewhere", cwd=repo)
    assert proc.returncode == 2 and "revision `B0` has no folder elsewhere (the data folder)" in proc.stderr
    outside = tmp_path / "org"
    shutil.copytree(EXAMPLE_ORG, outside)
    proc = run("diff", "B0", "--data", "org", cwd=tmp_path)
    assert proc.returncode == 2 and "is not in a git repository" in proc.stderr and "Traceback" not in proc.stderr


def test_diff_of_data_with_errors_names_them(repo, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE_ORG, broken)
    edit(broken / "35-quality.yaml", "    reports_to: quality-engineer\n", "    reports_to: nobody\n")
    proc = run("diff", str(broken), "--data", "org", cwd=repo)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "35-quality.yaml" in proc.stderr and "error[dangling-ref]" in proc.stderr
    assert "1 error in the data; it cannot be compared" in proc.stderr


# -- handbook check: the new codes in JSON --------------------------------------------------------------
def test_check_json_reports_the_auditors_findings(tmp_path):
    org = tmp_path / "org"
    shutil.copytree(EXAMPLE_ORG, org)
    for who in ("huang-li\n    name: 黄丽", "he-jun\n    name: 何军"):  # the IQC inspectors leave
        edit(
            org / "people.yaml",
            f"  - id: {who}\n    assignments:\n      - {{role: iqc, type: primary, since: 2024-02-26}}\n",
            "",
        )
    (org / "acknowledgements.yaml").write_text("", encoding="utf-8")  # their acknowledgements go with them
    edit(org / "company.yaml", '    - {clause: "6.3", lead: gm-office, support: [quality, admin-hr]}\n', "")
    edit(org / "10-gm-office.yaml", 'clauses: ["5.3", "6.3"]', 'clauses: ["5.3"]')
    edit(
        org / "90-ecommerce.yaml",
        "    authority:\n      - 团购和 B2C 平台合作的洽谈权（合同签订须经电商部经理批准）。\n",
        "",
    )
    proc = run("check", "--format", "json", str(org), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    data = json.loads(proc.stdout)
    assert sorted((p["code"], p["message"]) for p in data["problems"]) == [
        ("clause-unassigned", "ISO 9001 clause 6.3 (变更的策划 / Planning of changes) has no lead department"),
        ("no-authority", "role `ec-bd-manager` has no `authority` (工作权限)"),
        (
            "vacant-performer",
            "role `iqc` is vacant (0 of 2-5 filled, no acting holder) but performs: step "
            "`incoming-inspection` of process `material-procurement`; R in RACI row `来料检验及不合格处理` "
            "of process `material-procurement`",
        ),
    ]
    vacant = next(p for p in data["problems"] if p["code"] == "vacant-performer")
    assert vacant["path"].endswith("35-quality.yaml") and vacant["severity"] == "warning"
    assert vacant["message"].endswith(
        "performs: step `incoming-inspection` of process `material-procurement`; "
        "R in RACI row `来料检验及不合格处理` of process `material-procurement`"
    )
    assert [r.split(":")[-2] for r in vacant["related"]] == ["212", "266"]
    edit(org / "35-quality.yaml", 'clauses: ["8.7", "10.2"]', 'clauses: ["8.7", "10.2.3"]')
    data = json.loads(run("check", "--format", "json", str(org), cwd=tmp_path).stdout)
    unknown = [p for p in data["problems"] if p["code"] == "unknown-clause"]
    assert [(p["severity"], p["message"], p["hint"]) for p in unknown] == [
        (
            "error",
            "an item of `clauses`: `10.2.3` is not a clause of ISO 9001:2015",
            "did you mean `10.2` (不合格和纠正措施)?",
        )
    ]
    assert data["ok"] is False


# -- the example handbook's pages ---------------------------------------------------------------------
def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def cells(row) -> list[str]:
    return [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]


def test_changes_page_lists_the_revision_object_by_object(example_site):
    page = soup(example_site, "indexes/changes.html")
    intro = page.select_one("p.handbook-changes-intro").get_text()
    assert intro == "本版 B/1 相对于已发布版本 B/0（2023-04-15）的全部修订，逐项列出如下。"
    summary = [cells(r) for r in page.select("table.handbook-changes-summary tbody tr")]
    assert summary == [["部门", "3", "0", "1"], ["岗位", "6", "0", "14"], ["工作流程", "1", "0", "2"]]
    tech = page.select_one('section[id="changes-role-as-tech1-engineer"]')
    assert tech.find("h3").contents[0].strip() == "技术一组技术员（as-tech1-engineer）"
    assert (
        tech.select_one("p.handbook-change-kind")
        .get_text()
        .startswith("更名、调整隶属、职责、人员配置、其他内容（技术一组）")
    )
    assert tech.select_one("p.handbook-change-kind a")["href"] == "../roles/as-tech1-engineer.html"
    rows = [cells(r) for r in tech.select("table.handbook-changes tbody tr")]
    assert ["岗位名称", "售后技术员", "技术一组技术员"] in rows
    assert ["所属部门", "售后服务部", "技术一组"] in rows
    assert ["编制", "12", "5"] in rows and ["在岗", "7", "3"] in rows
    assert ["任职人员", "离岗：蔡永林、林继东、廖新财、欧亮", "到岗：—"] in rows
    reworded = next(r for r in tech.select("table.handbook-changes tbody tr") if "改写" in r.get_text())
    assert cells(reworded) == [
        "岗位职责 第 1 条",
        "接受国税系统、金融单位、区地税及投标部客户的各类服务报修和巡检服务。",
        "[改写] 接受国税系统、金融单位及投标部客户的各类服务报修，机动服务。",
    ]
    assert reworded.find("a")["href"] == "../roles/as-tech1-engineer.html#role-as-tech1-engineer.responsibilities-1"
    target = soup(example_site, "roles/as-tech1-engineer.html")
    assert target.find(id="role-as-tech1-engineer.responsibilities-1") is not None
    removed_or_added = page.select_one('section[id="changes-role-iqc"] p.handbook-change-kind').get_text()
    assert removed_or_added.startswith("新增（品质部）")
    process = page.select_one('section[id="changes-process-customer-call"]')
    assert cells(process.select_one("tbody tr"))[0] == "步骤 tech-answer"
    assert "执行岗位：售后技术员 → 客户主管" in process.get_text()
    document = [cells(r) for r in page.select('section[id="changes-document"] tbody tr')]
    assert ["版本", "B/0", "B/1"] in document and ["实施日期", "2023-04-15", "2024-03-01"] in document


def test_changed_pages_say_so(example_site):
    note = soup(example_site, "roles/as-tech1-engineer.html").select_one("p.handbook-changed")
    assert (
        note.get_text(" ", strip=True) == "自 B/0 版以来有修订：更名、调整隶属、职责、人员配置、其他内容。 查看修订内容"
    )
    assert note.find("a")["href"] == "../indexes/changes.html#changes-role-as-tech1-engineer"
    new = soup(example_site, "departments/as-tech2.html").select_one("p.handbook-changed").get_text(" ", strip=True)
    assert new == "本版新增（B/0 版中没有）。 查看修订内容"
    assert soup(example_site, "roles/general-manager.html").select_one("p.handbook-changed") is None


def test_revision_history_page_and_the_sidebar(example_site):
    page = soup(example_site, "indexes/history.html")
    rows = [cells(r) for r in page.select("table.handbook-history tbody tr")]
    assert [r[:2] for r in rows] == [["A/0", "2022-01-10"], ["B/0", "2023-04-15"], ["B/1", "2024-03-01"]]
    assert rows[2][2].startswith("售后服务部按技术一组、二组、三组重新划分")
    nav = [a.get_text() for a in soup(example_site, "company.html").select("ul.handbook-nav-links a")]
    assert nav.index("修订记录") + 1 == nav.index("本版修订内容") and "质量职能分配表" in nav
    company = soup(example_site, "company.html").select_one('section[id="handbook-document-control"]')
    link = next(a for a in company.find_all("a") if a.get_text() == "修订记录")
    assert link["href"] == "indexes/history.html#handbook-history"


def test_clause_matrix_page(example_site):
    page = soup(example_site, "indexes/clauses.html")
    matrix = page.select_one("table.handbook-clause-matrix")
    header = cells(matrix.select_one("thead tr"))
    assert header[:4] == ["条款", "条款名称", "总经理办公室", "研发部"] and len(header) == 12
    row = matrix.select_one('tr[id="clause-4.2"]')
    marks = dict(zip(header, cells(row), strict=False))
    assert marks["条款名称"] == "理解相关方的需求和期望"
    assert (marks["总经理办公室"], marks["品质部"], marks["客户服务中心"], marks["研发部"]) == ("●", "○", "○", "")
    lead = row.find_all("td")[header.index("总经理办公室")].find("a")
    assert lead["href"] == "#clause-4.2-gm-office" and lead["title"] == "4.2 主管"
    ids = [r["id"] for r in matrix.select("tbody tr")]
    assert ids.index("clause-4.1") < ids.index("clause-7.1") < ids.index("clause-7.1.5.2") < ids.index("clause-10.3")
    # every required clause has a lead; the sub-clauses nobody takes part in are shown, not hidden
    gaps = page.select("p.handbook-clause-unassigned")
    assert [p.get_text() for p in gaps] == ["未分配的条款：7.1.5.1、7.5.1、8.2.2、8.2.4、8.3.1、8.3.3、9.1.1、10.1。"]
    assert cells(matrix.select_one('tr[id="clause-8.2.2"]'))[1] == "产品和服务要求的确定 （未分配）"
    assert page.select(".handbook-clause-na") == []  # every clause applies to this company
    basis = page.select_one('tr[id="clause-8.7-quality"]')
    assert cells(basis)[:3] == ["8.7 不合格输出的控制", "品质部", "● 主管"]
    links = {a.get_text(): a["href"] for a in basis.find_all("a")}
    assert links["部门职责 第 12 条"] == "../departments/quality.html#department-quality.functions-12"
    assert links["岗位职责 第 9 条"] == "../roles/quality-manager.html#role-quality-manager.responsibilities-9"
    target = soup(example_site, "roles/quality-manager.html").find(id="role-quality-manager.responsibilities-9")
    assert "负责组织不合格品的评审" in target.get_text()
    tag = target.select_one("span.handbook-clauses a")
    assert tag.get_text() == "8.7" and tag["href"] == "../indexes/clauses.html#clause-8.7"
    assigned = page.select_one('tr[id="clause-6.1-gm-office"]').get_text()
    assert "公司质量职能分配指定为主管部门" in assigned


def test_roles_show_their_authority(example_site):
    page = soup(example_site, "roles/iqc.html")
    rows = [cells(r)[1] for r in page.select('section[id="role-iqc.authority"] tbody tr')]
    assert rows == ["按检验规范对来料作出合格或不合格判定的权利。", "对不合格来料标识、隔离并拒绝入库的权利。"]


# -- the build's baseline: a git revision of the data, incremental rebuilds, a bad baseline -------------
@pytest.fixture
def basic_repo(tmp_path):
    """tests/roots/test-basic in a git repository; tag R1 is the released data, then a revision."""
    from conftest import copy_source

    src = copy_source("basic", tmp_path / "src")
    git("init", "-q", cwd=src)
    git("add", "-A", cwd=src)
    git("commit", "-q", "-m", "released", cwd=src)
    git("tag", "R1", cwd=src)
    edit(
        src / "org" / "20-sales.yaml",
        "title: {zh_CN: 销售代表, en: Sales Representative}",
        "title: {zh_CN: 客户经理, en: Account Manager}",
    )
    edit(src / "org" / "20-sales.yaml", "      - 管理销售团队。\n", "      - 管理销售团队，制定销售目标。\n")
    return src


def test_baseline_git_revision_in_the_build(basic_repo):
    from conftest import build_in_place

    built = build_in_place(basic_repo, "html", handbook_baseline="R1")
    assert built.warnings == ""
    page = soup(built.outdir, "indexes/changes.html")
    assert [s["id"] for s in page.select("section.handbook-change")] == [
        "changes-role-sales-manager",
        "changes-role-sales-rep",
    ]
    rep = [cells(r) for r in page.select('section[id="changes-role-sales-rep"] tbody tr')]
    assert rep == [["岗位名称", "销售代表", "客户经理"]]
    manager = cells(page.select_one('section[id="changes-role-sales-manager"] tbody tr'))
    assert manager == ["岗位职责 第 1 条", "管理销售团队。", "[改写] 管理销售团队，制定销售目标。"]
    note = soup(built.outdir, "roles/sales-rep.html").select_one("p.handbook-changed").get_text(" ", strip=True)
    assert note == "自 R1 版以来有修订：更名。 查看修订内容"  # both say B/1: the baseline is named by its tag
    assert soup(built.outdir, "roles/gm.html").select_one("p.handbook-changed") is None
    # an incremental build after one more edit: the page that now differs from the baseline says so
    edit(
        basic_repo / "org" / "10-office.yaml",
        "title: {zh_CN: 总经理, en: General Manager}",
        "title: {zh_CN: 总裁, en: President}",
    )
    again = built.rebuild(handbook_baseline="R1")
    assert again.warnings == ""
    gm = soup(again.outdir, "roles/gm.html").select_one("p.handbook-changed").get_text(" ", strip=True)
    assert "更名" in gm
    assert soup(again.outdir, "indexes/changes.html").select_one('section[id="changes-role-gm"]') is not None


def test_without_a_baseline_there_is_no_changes_page(site):
    built = site("basic")
    assert not (built.outdir / "indexes" / "changes.html").exists()
    assert not (built.outdir / "indexes" / "clauses.html").exists()  # no duty names a clause
    assert not (built.outdir / "indexes" / "history.html").exists()  # the data has no revision history
    assert sorted(p.name for p in (built.srcdir / "indexes").iterdir() if p.name.startswith("c")) == []  # no stubs


def test_a_bad_baseline_is_one_clear_warning(site):
    built = site("basic", handbook_baseline="no-such-tag")
    line = next(x for x in built.warnings.splitlines() if "handbook_baseline" in x)
    assert "handbook_baseline = 'no-such-tag': " in line and line.rstrip().endswith("[handbook.baseline]")
    assert "is not in a git repository" in line
    assert not (built.outdir / "indexes" / "changes.html").exists()


def test_a_folder_baseline_relative_to_conf_py(site, tmp_path):
    released = tmp_path / "released"
    shutil.copytree(ROOT / "tests" / "roots" / "test-basic" / "org", released)
    edit(
        released / "20-sales.yaml",
        "title: {zh_CN: 销售代表, en: Sales Representative}",
        "title: {zh_CN: 业务员, en: Salesman}",
    )
    built = site("basic", handbook_baseline=str(released))
    assert built.warnings == ""
    rows = [
        cells(r) for r in built.soup("indexes/changes.html").select('section[id="changes-role-sales-rep"] tbody tr')
    ]
    assert rows == [["岗位名称", "业务员", "销售代表"]]


def test_diff_in_a_project_compares_with_its_baseline():
    """In the folder of conf.py, `handbook diff` alone compares handbook_baseline with the data."""
    proc = run("diff", "--format", "json", cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["old"], data["new"]) == (
        {"label": "B/0", "source": "source/releases/B0/org"},
        {"label": "B/1", "source": "source/org"},
    )
    assert data["counts"] == {
        "department": {"added": 3, "removed": 0, "changed": 1},
        "role": {"added": 6, "removed": 0, "changed": 14},
        "process": {"added": 1, "removed": 0, "changed": 2},
    }
    tech = next(o for o in data["objects"] if o["id"] == "as-tech1-engineer")
    assert (tech["old_title"], tech["title"], tech["aspects"]) == (
        "售后技术员",
        "技术一组技术员",
        ["renamed", "moved", "duties", "staffing", "fields"],
    )


def test_diff_without_old_outside_a_project(tmp_path):
    proc = run("diff", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == "handbook diff: give OLD (a folder or a git revision), or set handbook_baseline in conf.py\n"
