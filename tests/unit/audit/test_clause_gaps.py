"""The clause matrix without hidden gaps: the siblings of a listed sub-clause shown, unassigned
ones marked, clauses declared not applicable with their justification (not warned as without a
lead), and a lead the company assigns that rests on no duty warned."""

from __future__ import annotations

from pathlib import Path

from handbook.audit.clauses import leads_without_duty, not_applicable, unassigned
from handbook.problems import Code
from handbook.validate import check_dir

DATA = """\
company:
  name: 测试公司
  required_clauses: ["8.3", "7.5", "8.4"]
  clause_owners:
    - {{clause: "7.5", lead: [office]}}
{extra}
departments:
  - id: office
    name: 办公室
    head: boss
    functions:
      - {{text: 文件控制, clauses: [{office_clause}]}}
  - id: rd
    name: 研发部
    functions:
      - {{text: 设计策划, clauses: ["8.3.2"]}}
roles:
  - {{id: boss, title: 主任, department: office, responsibilities: [主持工作]}}
"""


def handbook(tmp_path: Path, extra: str = "", office_clause: str = '"7.5.3"'):
    (tmp_path / "org.yaml").write_text(DATA.format(extra=extra, office_clause=office_clause), encoding="utf-8")
    result = check_dir(str(tmp_path))
    assert result.handbook is not None, [p.format() for p in result.problems]
    return result


def test_siblings_of_a_listed_sub_clause_are_listed_and_unassigned_ones_marked(tmp_path):
    mx = handbook(tmp_path).handbook.clause_matrix
    listed = [r.clause for r in mx.rows]
    assert {"8.3.1", "8.3.3", "8.3.4", "8.3.5", "8.3.6", "7.5.1", "7.5.2"} <= set(listed)
    gaps = [r.clause for r in mx.rows if unassigned(mx, r)]
    assert {"7.5.1", "7.5.2", "8.3.1", "8.3.3", "8.3.4", "8.3.5", "8.3.6", "7.1", "8.1"} <= set(gaps)
    assert not {"7.5", "7.5.3", "8.3", "8.3.2"} & set(gaps)  # led, or taken part in (8.3 by 8.3.2)
    assert "7.5.3.1" not in listed  # 7.5.3 is listed, none of its paragraphs: they are its text


def test_a_clause_declared_not_applicable_is_printed_and_not_warned(tmp_path):
    def clause_codes(result):
        return [p.message for p in result.problems if p.code.value.startswith("clause")]

    assert clause_codes(handbook(tmp_path)) == [
        "ISO 9001 clause 8.4 (外部提供的过程、产品和服务的控制 / Control of externally provided processes, products "
        "and services) has no lead department"
    ]
    na = '    - {clause: "8.4", not_applicable: 公司不采购与产品质量有关的外部过程、产品和服务。}'
    result = handbook(tmp_path, na)
    assert clause_codes(result) == []
    mx = result.handbook.clause_matrix
    assert str(not_applicable(mx, "8.4.2")) == "公司不采购与产品质量有关的外部过程、产品和服务。"  # its sub-clauses too
    assert not any(unassigned(mx, r) for r in mx.rows if r.clause.startswith("8.4"))


def test_a_lead_resting_on_no_duty_warns(tmp_path):
    result = handbook(tmp_path, office_clause='"9.1"')  # 办公室 leads 7.5 by assignment, no duty names it
    hb = result.handbook
    assert [(o.clause, did) for o, did in leads_without_duty(hb.company, hb.clause_matrix)] == [("7.5", "office")]
    (p,) = [p for p in result.problems if p.code is Code.CLAUSE_LEAD_WITHOUT_DUTY]
    assert p.message.startswith("办公室 leads ISO 9001 clause 7.5 (成文信息")
    assert (p.source.line, p.source.column) == (5, 7)
    assert not leads_without_duty(handbook(tmp_path).handbook.company, handbook(tmp_path).handbook.clause_matrix)
