"""Who must re-read what, and which copies come back: small released and revised data sets
written for each rule (a duty of a post held by two people, one 兼任; an unaffected person; an
editorial change; process steps and RACI rows; returned acknowledgements; overdue, unreturned,
unsigned) and the commands' output."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from handbook import i18n
from handbook.audit import acknowledgements as ack
from handbook.audit import recall, record_checks
from handbook.cli.parser import main
from handbook.problems import Code
from handbook.validate import check_dir

COMPANY = """\
company:
  name: 测试公司
  document:
    revision: {rev}
    effective: {effective}
    distribution: {distribution}
    history:
      - {{revision: A/0, date: 2023-01-01}}
{more_history}
"""

ORG = """\
departments:
  - id: qa
    name: 品质部
    head: qa-manager
    functions: [负责来料检验, 负责出货检验]
  - id: sales
    name: 销售部
    functions: [负责销售]
roles:
  - id: qa-manager
    title: 品质经理
    department: qa
    responsibilities: [主持品质部工作]
  - id: inspector
    title: 检验员
    department: qa
    reports_to: qa-manager
    responsibilities: [{inspector_duty}, 填写检验记录]
    kpis: [检验及时率 100%]
  - id: seller
    title: 销售员
    department: sales
    responsibilities: [拜访客户]
people:
  - {{id: wang, name: 王五, assignments: [inspector]}}
  - {{id: zhao, name: 赵六, assignments: [qa-manager, {{role: inspector, type: 兼任}}]}}
  - {{id: li, name: 李四, assignments: [seller]}}
  - {{id: qian, name: 钱七, assignments: [{{role: seller, type: 代理}}]}}
processes:
  - id: complaint
    name: 客诉处理
    owner: qa-manager
    steps:
      - {{id: s1, action: {step_action}, role: seller, next: [s2]}}
      - {{id: s2, action: 调查原因, role: inspector}}
    raci:
      - {{activity: 客诉调查, R: [inspector], A: qa-manager, I: [{raci_i}]}}
"""


def write(
    folder: Path,
    rev: str = "A/0",
    inspector_duty: str = "按标准检验来料",
    step_action: str = "受理客诉",
    raci_i: str = "qa-manager",
    history: str = "",
    effective: str = "2023-01-01",
    distribution: str = "[]",
    records: str = "",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "company.yaml").write_text(
        COMPANY.format(rev=rev, effective=effective, distribution=distribution, more_history=history),
        encoding="utf-8",
    )
    (folder / "org.yaml").write_text(
        ORG.format(inspector_duty=inspector_duty, step_action=step_action, raci_i=raci_i), encoding="utf-8"
    )
    if records:
        (folder / "records.yaml").write_text(records, encoding="utf-8")
    return folder


def load(folder: Path):
    result = check_dir(str(folder))
    assert result.handbook is not None, [p.format() for p in result.problems]
    return result.handbook


B1 = "      - {revision: B/1, date: 2024-03-01}"
B1_EDITORIAL = "      - {revision: B/1, date: 2024-03-01, editorial: [%s]}"


def readers(plan: ack.Plan) -> dict[str, list[ack.Item]]:
    return {r.person.key: list(r.items) for r in plan.readers}


@pytest.fixture
def released(tmp_path: Path):
    return load(write(tmp_path / "B0"))


def test_changed_duty_of_a_post_held_by_two_lists_both_and_nobody_else(tmp_path, released):
    new = load(write(tmp_path / "B1", "B/1", inspector_duty="按标准和抽样方案检验来料", history=B1))
    found = readers(ack.plan(released, new))
    assert set(found) == {"wang", "zhao"}  # the holder and the concurrent holder; not 李四, not 钱七
    (item,) = found["wang"]
    assert (item.kind, item.id, item.part, item.change, item.number) == (
        "role",
        "inspector",
        "responsibilities",
        "reworded",
        "1",
    )
    assert item.text.get(None) == "按标准和抽样方案检验来料"
    assert found["zhao"][0].why == "兼任"


def test_unchanged_data_lists_nobody(tmp_path, released):
    new = load(write(tmp_path / "B1", "B/1", history=B1))  # a new revision number alone
    assert ack.plan(released, new).readers == ()


@pytest.mark.parametrize("mark", ["all", "inspector", "role:inspector", "inspector.responsibilities"])
def test_an_editorial_change_lists_nobody(tmp_path, released, mark):
    new = load(write(tmp_path / "B1", "B/1", inspector_duty="按标准和抽样方案检验来料", history=B1_EDITORIAL % mark))
    assert ack.plan(released, new).readers == ()


def test_editorial_of_another_list_does_not_hide_the_change(tmp_path, released):
    new = load(
        write(
            tmp_path / "B1", "B/1", inspector_duty="按标准和抽样方案检验来料", history=B1_EDITORIAL % "inspector.kpis"
        )
    )
    assert set(readers(ack.plan(released, new))) == {"wang", "zhao"}


def test_department_function_concerns_its_people(tmp_path, released):
    folder = write(tmp_path / "B1", "B/1", history=B1)
    text = (folder / "org.yaml").read_text(encoding="utf-8").replace("负责出货检验]", "负责出货检验, 负责供应商审核]")
    (folder / "org.yaml").write_text(text, encoding="utf-8")
    found = readers(ack.plan(released, load(folder)))
    assert set(found) == {"wang", "zhao"}
    assert [(i.kind, i.part, i.change) for i in found["wang"]] == [("department", "functions", "added")]


def test_step_and_raci_changes_concern_the_posts_in_them(tmp_path, released):
    new = load(write(tmp_path / "B1", "B/1", step_action="受理并登记客诉", history=B1))
    found = readers(ack.plan(released, new))
    assert set(found) == {"li", "qian"}  # the step's post: its holder and its acting holder
    assert found["qian"][0].why == "代理" and found["qian"][0].part == "steps"
    new = load(write(tmp_path / "B1b", "B/1", raci_i="seller", history=B1))
    found = readers(ack.plan(released, new))
    # the row changed: every post in it before or after (R inspector, A qa-manager, I seller now)
    assert set(found) == {"wang", "zhao", "li", "qian"}
    assert {i.why for i in found["li"]} == {"I"}


def test_acknowledgement_overdue_and_returned(tmp_path, released):
    records = "acknowledgements:\n  - {person: wang, revision: B/1, date: 2024-03-05, record: QR-1}\n"
    folder = write(
        tmp_path / "B1",
        "B/1",
        inspector_duty="按标准和抽样方案检验来料",
        history=B1,
        effective="2024-03-01",
        records=records,
    )
    new = load(folder)
    plan = ack.plan(released, new)
    by_key = {r.person.key: r for r in plan.readers}
    assert by_key["wang"].acknowledged is not None and by_key["wang"].acknowledged.record.get(None) == "QR-1"
    assert by_key["zhao"].acknowledged is None
    assert list(ack.overdue(plan, dt.date(2024, 3, 31), 30)) == []  # due on day 30, not yet late
    (late,) = ack.overdue(plan, dt.date(2024, 4, 1), 30)
    assert late.code is Code.ACKNOWLEDGEMENT_OVERDUE and "赵六" in late.message and "2024-03-31" in late.message
    assert late.source.path.endswith("org.yaml") and late.source.line > 0
    assert list(ack.overdue(plan, dt.date(2025, 1, 1), None)) == []  # the setting None: never


def test_acknowledgement_of_an_unknown_person_warns(tmp_path):
    records = "acknowledgements:\n  - {person: 无名氏, revision: A/0, date: 2024-03-05}\n"
    hb = load(write(tmp_path / "A0", records=records))
    (p,) = ack.unknown_people(hb)
    assert p.code is Code.ACKNOWLEDGEMENT_UNKNOWN and p.source.path.endswith("records.yaml") and p.source.line == 2


DISTRIBUTION_B1 = (
    "[{copy: 1, holder: 品质部, issued: 2024-03-01, received: 2024-03-01 赵六}, "
    "{copy: 2, holder: 销售部, issued: 2024-03-01}, "
    "{copy: 1, revision: A/0, holder: 品质部, returned: 2024-03-02, returned_by: 王五}]"
)


def test_recall_lists_the_previous_copies_and_warns_for_those_not_back(tmp_path):
    old = load(write(tmp_path / "A0", distribution="[{copy: 1, holder: 品质部}, {copy: 2, holder: 销售部}, 财务部]"))
    new = load(write(tmp_path / "B1", "B/1", history=B1, effective="2024-03-01", distribution=DISTRIBUTION_B1))
    items = recall.withdrawals(new, old)
    assert [(w.revision, w.copy, w.holder.get(None), w.returned) for w in items] == [
        ("A/0", 1, "品质部", dt.date(2024, 3, 2)),
        ("A/0", 2, "销售部", None),
        ("A/0", None, "财务部", None),
    ]
    with i18n.language("zh_CN"):
        assert recall.copy_state(new.company.document, new.company.document.distribution[2]) == "已回收 2024-03-02 王五"
        assert recall.copy_state(new.company.document, new.company.document.distribution[1]) == "待签收"
    problems = list(recall.problems(new, old, dt.date(2024, 3, 16), 14, None))
    assert [p.code for p in problems] == [Code.COPY_NOT_RETURNED] * 2
    assert "copy 2 of A/0 held by 销售部" in problems[0].message
    assert list(recall.problems(new, old, dt.date(2024, 3, 15), 14, None)) == []  # 14 days: not yet


def test_electronic_copies_are_not_called_back(tmp_path):
    old = load(write(tmp_path / "A0", distribution="[{holder: 品质部, medium: 电子版}]"))
    new = load(write(tmp_path / "B1", "B/1", history=B1, effective="2024-03-01"))
    (w,) = recall.withdrawals(new, old)
    assert w.medium == "electronic" and not w.paper
    assert list(recall.problems(new, old, dt.date(2025, 1, 1), 14, None)) == []


def test_unsigned_receipt_warns_after_the_days(tmp_path):
    new = load(write(tmp_path / "B1", "B/1", history=B1, effective="2024-03-01", distribution=DISTRIBUTION_B1))
    assert list(recall.problems(new, None, dt.date(2024, 3, 8), None, 7)) == []
    (p,) = recall.problems(new, None, dt.date(2024, 3, 9), None, 7)
    assert p.code is Code.RECEIPT_UNSIGNED and "copy 2 issued to 销售部" in p.message
    assert p.source.path.endswith("company.yaml") and (p.source.line, p.source.column) == (6, 89)  # copy 2


def test_copy_numbers_repeat_across_revisions_but_not_within_one(tmp_path):
    assert load(write(tmp_path / "ok", "B/1", history=B1, distribution=DISTRIBUTION_B1))
    folder = write(tmp_path / "bad", "B/1", history=B1, distribution="[{copy: 1, holder: 甲}, {copy: 1, holder: 乙}]")
    result = check_dir(str(folder))
    assert [p.code for p in result.errors] == [Code.DUPLICATE_ID]


def test_record_checks_together(tmp_path, released):
    new = load(
        write(
            tmp_path / "B1",
            "B/1",
            inspector_duty="按标准和抽样方案检验来料",
            history=B1,
            effective="2024-03-01",
            distribution=DISTRIBUTION_B1,
        )
    )
    assert record_checks.problems(new, released, dt.date(2024, 6, 1)) == []  # the settings' default: off
    codes = [p.code for p in record_checks.problems(new, released, dt.date(2024, 6, 1), record_checks.Days(30, 14, 7))]
    assert codes.count(Code.ACKNOWLEDGEMENT_OVERDUE) == 2 and Code.RECEIPT_UNSIGNED in codes


def test_acknowledgements_command(tmp_path, released, capsys):
    records = "acknowledgements:\n  - {person: 王五, revision: B/1, date: 2024-03-05}\n"
    folder = write(tmp_path / "B1", "B/1", inspector_duty="按标准和抽样方案检验来料", history=B1, records=records)
    assert main(["acknowledgements", str(folder), "--since", str(tmp_path / "B0")]) == 1  # 赵六 has not
    out = capsys.readouterr().out
    assert "须阅读 2 人，已确认 1 人" in out
    assert "王五（检验员）  已确认 2024-03-05" in out and "赵六（品质经理、检验员）  未确认" in out
    assert "检验员 · 岗位职责 1（改写, 兼任）：按标准和抽样方案检验来料" in out
    assert "李四" not in out
    assert main(["acknowledgements", str(folder), "--since", str(tmp_path / "B0"), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [p["person"] for p in data["people"]] == ["wang", "zhao"]
    assert data["people"][1]["items"][0]["as"] == "兼任"
    xlsx = tmp_path / "ack.xlsx"
    args = ["acknowledgements", str(folder), "--since", str(tmp_path / "B0"), "--format", "xlsx", "-o", str(xlsx)]
    assert main(args) == 1
    from openpyxl import load_workbook

    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("所属部门", "姓名") and len(rows) == 3 and rows[1][4] == "2024-03-05"


def test_acknowledgements_without_a_previous_release_says_so(tmp_path, capsys):
    folder = write(tmp_path / "A0")
    assert main(["acknowledgements", str(folder)]) == 2
    assert "--since" in capsys.readouterr().err


def test_recall_command(tmp_path, capsys):
    write(tmp_path / "A0", distribution="[{copy: 1, holder: 品质部}, {copy: 2, holder: 销售部}]")
    folder = write(tmp_path / "B1", "B/1", history=B1, effective="2024-03-01", distribution=DISTRIBUTION_B1)
    assert main(["recall", str(folder), "--since", str(tmp_path / "A0")]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "须收回的旧版文件（现行版本 B/1）：2 份，已收回 1 份"
    assert "A/0  第 1 号  品质部  ×1  纸质  已回收 2024-03-02 王五" in out
    assert "A/0  第 2 号  销售部  ×1  纸质  待回收" in out


def test_check_runs_the_record_checks_against_the_baseline(tmp_path, released, capsys):
    folder = write(tmp_path / "proj" / "org", "B/1", history=B1, effective="2024-03-01", distribution=DISTRIBUTION_B1)
    write(tmp_path / "proj" / "B0", distribution="[{copy: 2, holder: 销售部}]")
    (tmp_path / "proj" / "conf.py").write_text(
        textwrap.dedent(
            """\
            handbook_data_dir = "org"
            handbook_baseline = "B0"
            handbook_recall_days = 14
            handbook_receipt_days = None
            """
        ),
        encoding="utf-8",
    )
    assert main(["check", str(folder), "--today", "2024-04-01"]) == 0
    out = capsys.readouterr().out
    assert "warning[copy-not-returned]: copy 2 of A/0 held by 销售部" in out
    assert "receipt-unsigned" not in out  # None: off


def test_check_of_the_example_lists_its_open_records(capsys):
    assert main(["check", "source/org", "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    # (the example's conf.py says zh_CN: the severities are said in Chinese)
    assert out.count("警告[receipt-unsigned]") == 6  # copies 3-8 of B/1
    assert out.count("警告[copy-not-returned]") == 6  # B/0's paper copies not back (3 are, 1 electronic)
    assert "警告[acknowledgement-overdue]: 刘志强 has not acknowledged" in out
    assert "林静 has not" not in out  # returned on 2024-03-04
    assert "朱红" not in out  # nothing of the finance department changed
