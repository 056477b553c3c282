"""The JSON Schema (handbook schema) and the validator agree on the structure of data files.

The schema is generated from handbook/schema.py, the declaration the validator reads;
these tests hold it to the validator on a corpus: every YAML file of the example and the
test roots and synthetic hostile data (valid), and files that break one structural rule
each (the validator's unknown-key, wrong-type, bad-value, missing-field and bad-id
errors). Cross-references, duplicate ids and cycles need the whole folder: they stay the
validator's and are not part of the comparison.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from handbook.cli import main
from handbook.exchange.json_schema import generate
from handbook.validate import check_dir

ROOT = Path(__file__).resolve().parents[3]
STRUCTURAL = {"unknown-key", "wrong-type", "bad-value", "missing-field", "bad-id", "unknown-clause"}


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server sees it: dates stay strings (YAML 1.2)."""


EditorLoader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.fixture(scope="module")
def validator():
    schema = generate()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_errors(validator, text: str) -> list[str]:
    return [f"{e.json_path}: {e.message[:120]}" for e in validator.iter_errors(yaml.load(text, Loader=EditorLoader))]


def structural_errors(folder: Path) -> list[str]:
    return [p.format() for p in check_dir(str(folder)).errors if p.code.value in STRUCTURAL]


def corpus_files(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("hostile") / "org"
    subprocess.run(
        [sys.executable, "-m", "bench.make_org", "60", "--hostile", "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    files = sorted((ROOT / "source" / "org").glob("*.yaml")) + sorted((ROOT / "tests" / "roots").glob("*/org/*.yaml"))
    files += sorted((ROOT / "handbook" / "cli" / "project_template" / "org").glob("*.yaml")) + sorted(
        out.glob("*.yaml")
    )
    return files


def test_every_data_file_of_the_corpus_is_valid(validator, tmp_path_factory):
    files = corpus_files(tmp_path_factory)
    assert len(files) > 25
    for f in files:
        assert structural_errors(f.parent) == [], f
        assert schema_errors(validator, f.read_text(encoding="utf-8")) == [], f


BASE = """\
company:
  name: 示例有限公司
  document: {effective: 2024-03-01}
departments:
  - id: office
    name: 总经办
roles:
  - id: gm
    title: 总经理
    department: office
    headcount: 1
    responsibilities: [全面负责]
    qualifications: [本科]
"""


def role(extra: str) -> str:
    return BASE + "".join(f"    {line}\n" for line in extra.strip("\n").splitlines())


PROCESS = """
processes:
  - id: p
    name: 流程
    steps:
{steps}
"""

#: (name, file text, valid?)
CASES = [
    # accepted by both
    ("base", BASE, True),
    ("scalars as written", role("code: 007\ngrade: yes\npurpose: 2024-01-01"), True),
    ("single items", role("dotted_line_to: gm").replace("qualifications: [本科]", "qualifications: 本科"), True),
    ("shared post", role("shared_with: [office]"), True),
    ("translated text", role("work_environment: {zh_CN: 办公室, en: Office}"), True),
    ("headcount range", role("order: 3").replace("headcount: 1", 'headcount: "5-10人"'), True),
    ("optional keys without value", role("code:\nreports_to:\nauthority:\nrelations:"), True),
    (
        "duties of every form",
        role(
            "kpis:\n  - a\n  - {text: b, kpi: c, frequency: d}\n  - title: 一、组\n"
            "    items: [e, {text: f}, {text: {zh_CN: 甲, en: A}}]"
        ),
        True,
    ),
    (
        "people with shorthand",
        BASE + "people:\n  - name: 张三\n    assignments: gm\n  - name: 李四\n"
        "    assignments: [{role: gm, type: 兼任, since: 2024-01-01}]\n",
        True,
    ),
    (
        "process with branches",
        BASE
        + PROCESS.format(
            steps="      - id: a\n        action: 开始\n"
            "        next: [{to: b, label: 是}, b]\n"
            "      - {id: b, action: 结束}"
        )
        + "    raci:\n      - {activity: x, R: gm, A: [gm]}\n",
        True,
    ),
    (
        "process for ISO 9001 4.4",
        BASE
        + PROCESS.format(steps="      - {id: a, action: 开始}")
        + "    inputs: [用料计划]\n    outputs: 采购合同\n    kpis: [到货率]\n    risks: [断供]\n"
        "    related: [p]\n    records: [入库单, 出库单]\n",
        True,
    ),
    ("open headcount", BASE.replace("headcount: 1", "headcount: 若干"), True),
    (
        "relative performer",
        BASE + PROCESS.format(steps="      - {id: a, action: 审批, performer: 申请人所在部门负责人}"),
        True,
    ),
    ("extra", role("extra: {note: x, n: [1, 2]}"), True),
    ("filled count", role("filled: 28").replace("headcount: 1", "headcount: 30"), True),
    ("numeric id", BASE.replace("id: gm", "id: 007").replace("department: office", "department: office"), True),
    (
        "document control",
        BASE.replace(
            "document: {effective: 2024-03-01}",
            """document:
    status: 受控
    effective: 2024-03-01
    approved_by: {name: 陈国华, date: 2024-02-28, record: OA-2024-0217}
    distribution:
      - {copy: 1, holder: 总经办, count: 2, issued: 2024-03-01, received: 2024-03-02 陈国华}
      - 各车间
      - {zh_CN: 销售部, en: Sales}
      - {revision: A/0, holder: 总经办, medium: 纸质, returned: 2024-03-01, returned_by: 顾佳佳}
    history:
      - {revision: A/0, date: 2024-03-01, editorial: [all]}""",
        ),
        True,
    ),
    (
        "acknowledgements",
        BASE + "acknowledgements:\n  - {person: 陈国华, revision: A/0, date: 2024-03-05, record: QR-1}\n",
        True,
    ),
    ("acknowledgement without a date", BASE + "acknowledgements:\n  - {person: 陈国华, revision: A/0}\n", False),
    (
        "a copy on stone",
        BASE.replace("document: {effective: 2024-03-01}", "document: {distribution: [{holder: a, medium: stone}]}"),
        False,
    ),
    (
        "a single distribution name",
        BASE.replace("document: {effective: 2024-03-01}", "document: {status: draft, distribution: 总经办}"),
        True,
    ),
    ("clauses", role('kpis:\n  - {text: a, clauses: ["7.5", 8.2.1, 9, 10.3]}\n  - {text: b, clauses: 8.7}'), True),
    (
        "clause owners",
        BASE.replace(
            "  document: {effective: 2024-03-01}",
            "  document: {effective: 2024-03-01}\n"
            "  clause_owners:\n    - {clause: 6.1, lead: office, support: [office]}\n"
            '    - {clause: "4.2", lead: [office]}\n    - {clause: 8.3, not_applicable: 按图加工}\n  required_clauses: ["6.1", 7.5]',
        ),
        True,
    ),
    # rejected by both
    ("unknown status", BASE.replace("document: {effective: 2024-03-01}", "document: {status: 已发布}"), False),
    (
        "copy number as a word",
        BASE.replace("document: {effective: 2024-03-01}", "document: {distribution: [{copy: 一, holder: 总经办}]}"),
        False,
    ),
    (
        "copy without a holder",
        BASE.replace("document: {effective: 2024-03-01}", "document: {distribution: [{copy: 1}]}"),
        False,
    ),
    ("unknown clause", role('kpis:\n  - {text: a, clauses: ["7.5.4"]}'), False),
    ("clause as a word", role("kpis:\n  - {text: a, clauses: [七点五]}"), False),
    ("clause as a mapping", role("kpis:\n  - {text: a, clauses: [{n: 7.5}]}"), False),
    (
        "clause owner without a clause",
        BASE.replace("  document: {effective: 2024-03-01}", "  clause_owners:\n    - {lead: office}"),
        False,
    ),
    ("unknown key", role("reprots_to: gm"), False),
    ("text as a list", role("purpose: [a, b]"), False),
    ("empty text", role('purpose: ""'), False),
    ("blank text", role('purpose: "   "'), False),
    ("missing title", BASE.replace("    title: 总经理\n", ""), False),
    ("title without value", BASE.replace("title: 总经理", "title:"), False),
    ("bad id", BASE.replace("id: gm", "id: General Manager"), False),
    ("negative headcount", BASE.replace("headcount: 1", "headcount: -1"), False),
    ("negative filled count", role("filled: -2"), False),
    ("headcount text", BASE.replace("headcount: 1", "headcount: 几个"), False),
    ("headcount list", BASE.replace("headcount: 1", "headcount: [1]"), False),
    ("no duties", BASE.replace("responsibilities: [全面负责]", "responsibilities: []"), False),
    ("duties as one text", BASE.replace("responsibilities: [全面负责]", "responsibilities: 全面负责"), False),
    ("duties without value", BASE.replace("responsibilities: [全面负责]", "responsibilities:"), False),
    ("nested group", role("kpis:\n  - title: a\n    items:\n      - title: b\n        items: [c]"), False),
    ("group without items", role("kpis:\n  - title: a"), False),
    ("group with no items", role("kpis:\n  - {title: a, items: []}"), False),
    ("duty with unknown key", role("kpis:\n  - {text: a, kpis: b}"), False),
    ("duty without text", role("kpis:\n  - {kpi: b}"), False),
    ("a list in a duty list", role("kpis:\n  - [a, b]"), False),
    ("language code", role("purpose: {中文: 目的}"), False),
    ("empty translation", role("purpose: {zh_CN: ''}"), False),
    ("empty text mapping", role("purpose: {}"), False),
    ("impossible date", BASE.replace("effective: 2024-03-01", "effective: 2024-13-45"), False),
    ("not a date", BASE.replace("effective: 2024-03-01", "effective: 下个月"), False),
    ("assignment type", BASE + "people:\n  - name: 张三\n    assignments: [{role: gm, type: boss}]\n", False),
    ("assignment as a mapping", BASE + "people:\n  - name: 张三\n    assignments: {role: gm}\n", False),
    ("assignment without role", BASE + "people:\n  - name: 张三\n    assignments: [{type: 兼任}]\n", False),
    ("person without name", BASE + "people:\n  - id: zhang\n", False),
    ("extra as a list", role("extra: [1]"), False),
    ("extra without value", role("extra:"), False),
    ("order as a fraction", role("order: 1.5"), False),
    ("order as a word", role("order: first"), False),
    ("filled as a word", role("filled: 很多"), False),
    ("qualification as a list", BASE.replace("qualifications: [本科]", "qualifications: {education: [a, b]}"), False),
    ("qualification key", BASE.replace("qualifications: [本科]", "qualifications: {degree: a}"), False),
    ("translated duty without text", role("kpis:\n  - {zh_CN: 指标}"), False),
    ("relations as a mapping", role("relations: {internal: {a: b}}"), False),
    ("texts with a translation alone", role("relations: {internal: {zh_CN: 内部}}"), False),
    (
        "departments as a mapping",
        BASE.replace("departments:\n  - id: office\n    name: 总经办", "departments:\n  id: office\n  name: 总经办"),
        False,
    ),
    ("a step as a word", BASE + PROCESS.format(steps="      - a"), False),
    ("a null step", BASE + PROCESS.format(steps="      - ~"), False),
    ("next with a typo", BASE + PROCESS.format(steps="      - {id: a, action: x, next: [{too: a}]}"), False),
    (
        "company without value",
        BASE.replace("company:\n  name: 示例有限公司\n  document: {effective: 2024-03-01}", "company:"),
        False,
    ),
    ("top level as a list", "- a\n- b\n", False),
    (
        "review log and fingerprint",
        BASE.replace(
            "document: {effective: 2024-03-01}",
            "document:\n    effective: 2024-03-01\n    review_interval: 12\n    reviews:\n"
            "      - {date: 2025-03-01, reviewer: 王总, result: 无变化, record: R-1, note: 仍适用}\n"
            "    history:\n      - {revision: A/0, date: 2024-03-01, fingerprint: 'sha256:00'}",
        ),
        True,
    ),
    (
        "review result unknown",
        BASE.replace("document: {effective: 2024-03-01}", "document: {reviews: [{date: 2025-03-01, result: 也许}]}"),
        False,
    ),
    (
        "review without date",
        BASE.replace("document: {effective: 2024-03-01}", "document: {reviews: [{result: revise}]}"),
        False,
    ),
    (
        "review interval zero",
        BASE.replace("document: {effective: 2024-03-01}", "document: {review_interval: 0}"),
        False,
    ),
]


@pytest.mark.parametrize("name,text,valid", CASES, ids=[c[0] for c in CASES])
def test_schema_and_validator_agree(validator, tmp_path, name, text, valid):
    (tmp_path / "org.yaml").write_text(text, encoding="utf-8")
    assert not [p for p in check_dir(str(tmp_path)).errors if p.code.value == "duplicate-key"], "a broken case"
    by_validator = structural_errors(tmp_path)
    by_schema = schema_errors(validator, text)
    if valid:
        assert (by_validator, by_schema) == ([], [])
    else:
        assert by_validator, "the validator accepts it"
        assert by_schema, "the schema accepts it"


def test_the_cases_cover_every_kind_and_type():
    """The corpus touches each kind of mapping the format has (so new kinds get cases)."""
    from handbook.schema import KINDS

    text = "\n".join(c[1] for c in CASES)
    keys = {f.key for k in KINDS.values() for f in k.fields}
    missing = {k for k in keys if f"{k}:" not in text and f"{k}," not in text and f"{{{k}" not in text}
    # fields of the document block and free-text fields whose type is covered by others
    assert missing <= {
        "short_name",
        "description",
        "number",
        "title",
        "revision",
        "status",
        "review_due",
        "prepared_by",
        "reviewed_by",
        "approved_by",
        "distribution",
        "history",
        "name",
        "date",
        "author",
        "summary",
        "category",
        "head",
        "parent",
        "functions",
        "goals",
        "skills",
        "certificates",
        "training",
        "external",
        "experience",
        "owner",
        "trigger",
        "role",
        "record",
        "label",
        "C",
        "I",
        "items",
        "text",
        "frequency",
        "kpi",
        "code",
    }


def test_handbook_schema_prints_it(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    role = printed["$defs"]["role"]
    assert role["required"] == ["id", "title", "department", "responsibilities"]
    assert role["properties"]["reports_to"]["description"] == "直接上级: direct supervisor"
    assert role["additionalProperties"] is False


def test_a_field_added_to_the_schema_flows_into_the_schema_and_the_workbook(monkeypatch):
    from handbook import schema
    from handbook.exchange import workbook_layout as sheets
    from handbook.exchange.json_schema import generate as gen

    role = schema.KINDS["role"]
    new_role = schema.Kind(role.name, role.what, (*role.fields, schema.Field("shift", "text", "work shift", "班次")))
    monkeypatch.setitem(schema.KINDS, "role", new_role)
    assert gen()["$defs"]["role"]["properties"]["shift"]["description"] == "班次: work shift"
    roles = next(s for s in sheets._layout() if s.key == "roles")
    assert "班次" in [c.zh for c in roles.columns]
    assert "| 班次 | `shift` | work shift — text |" in sheets.markdown_table()
