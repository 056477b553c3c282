"""Processes for ISO 9001 4.4: inputs, outputs, measures, risks, related processes and
records read from the data; which process's output is which one's input (the process map)."""

from __future__ import annotations

import pytest

from handbook.charts.flow_charts import process_links, process_map
from handbook.problems import Code
from handbook.validate import check_dir
from handbook.view import View

ORG = """\
company: {name: 测试公司}
departments:
  - {id: ops, name: 运营部}
roles:
  - {id: boss, title: 经理, department: ops, responsibilities: [管理]}
processes:
  - id: sell
    name: 销售流程
    owner: boss
    inputs: [客户询价]
    outputs: [《销售订单》, 客户回款]
    kpis: [订单交付准时率]
    risks: [客户信用风险]
    related: [make, sell]
    records: [销售合同]
  - id: make
    name: 生产流程
    inputs: [经批准的销售订单, 采购材料]
    outputs: [成品]
  - id: ship
    name: 发货流程
    inputs: [成品, 销售订单]
    outputs: [发货单]
"""


@pytest.fixture
def hb(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(ORG, encoding="utf-8")
    result = check_dir(str(tmp_path / "org"))
    assert result.ok, [p.format() for p in result.errors]
    return result.handbook


def test_the_fields_are_read(hb):
    p = hb.processes["sell"]
    assert [str(t) for t in p.inputs] == ["客户询价"]
    assert [str(t) for t in p.outputs] == ["《销售订单》", "客户回款"]
    assert [str(t) for t in p.kpis] == ["订单交付准时率"] and [str(t) for t in p.risks] == ["客户信用风险"]
    assert [str(t) for t in p.records] == ["销售合同"]
    assert p.related == ("make",)  # a process is not related to itself


def test_an_output_links_to_the_processes_that_take_it_as_input(hb):
    links = [(a, b, items) for a, b, items in process_links(View(hb, "zh_CN"))]
    # 《销售订单》 matches 经批准的销售订单 and 销售订单 (words contained, punctuation aside)
    assert links == [
        ("sell", "make", ("《销售订单》",)),
        ("sell", "ship", ("《销售订单》",)),
        ("make", "ship", ("成品",)),
    ]


def test_the_map_has_a_box_per_process_linked_to_its_page_and_an_arrow_per_link(hb):
    chart = process_map(View(hb, "zh_CN"))
    assert [n.link for n in chart.nodes] == [("process", "sell"), ("process", "make"), ("process", "ship")]
    assert [(e.source, e.target, e.label) for e in chart.edges] == [
        ("n0", "n1", "《销售订单》"),
        ("n0", "n2", "《销售订单》"),
        ("n1", "n2", "成品"),
    ]
    assert chart.outline[1].notes == ("输出给发货流程：成品",)
    assert chart.name == "流程关系图，3 个流程"


def test_a_related_process_that_does_not_exist_is_a_dangling_reference(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(ORG.replace("related: [make, sell]", "related: [mak]"), encoding="utf-8")
    result = check_dir(str(tmp_path / "org"))
    found = [(p.source.line, p.message, p.hint) for p in result.problems if p.code is Code.DANGLING_REF]
    assert found == [(14, "`related` of process `sell`: no process has the id `mak`", "did you mean `make`?")]
