"""Search in the words employees use (issue 23), in a real browser over the built sites.

Employee queries, written from the seed documents and the data before looking at results,
over the example handbook and a second company (``tests/roots/test-search-company2``: a
telesales and service company whose data says 计薪, 印章, 考勤, 合同存档, 客户投诉,
开具增值税发票 where its employees type 发工资, 公章, 请假, 合同归档, 客诉, 开发票): synonyms,
abbreviations, questions, compounds, English, pinyin, people's names and queries nothing
answers. Each names the pages that must come first; a query nothing answers must list nothing.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from conftest import copy_source, run_sphinx_build
from test_search import boot, run_query, summary, type_in_box

OBJECT_PAGES = ("roles/", "departments/", "processes/")

#: (query, pages that must all be in the first ``top`` results; None: no result at all, top)
COMPANY2 = [
    # the vocabulary of work: the data says it otherwise
    ("发工资", {"roles/payroll-clerk.html"}, 1),
    ("工资代发", {"roles/payroll-clerk.html"}, 1),
    ("公章", {"roles/admin-clerk.html", "roles/admin-manager.html"}, 2),
    ("请假", {"processes/leave-request.html", "roles/attendance-clerk.html"}, 3),
    ("年假", {"roles/attendance-clerk.html"}, 1),
    ("打卡", {"roles/attendance-clerk.html"}, 2),
    ("合同归档", {"roles/admin-clerk.html"}, 1),
    ("派车", {"roles/driver.html"}, 1),
    ("办公用品", {"roles/admin-clerk.html"}, 1),
    ("文具", {"roles/admin-clerk.html"}, 1),
    ("招人", {"roles/recruiter.html"}, 1),
    ("辞职", {"roles/recruiter.html"}, 1),
    ("报税", {"roles/finance-manager.html"}, 2),
    ("做账", {"roles/accountant.html"}, 1),
    ("回款", {"roles/accountant.html"}, 1),
    ("询价", {"roles/purchasing-manager.html"}, 1),
    # abbreviations
    ("客诉", {"roles/complaint-agent.html"}, 1),
    ("五险一金", {"roles/benefits-clerk.html"}, 1),
    ("社保", {"roles/benefits-clerk.html"}, 1),
    ("公积金", {"roles/benefits-clerk.html"}, 1),
    ("个税", {"roles/payroll-clerk.html"}, 1),
    # quality (ISO 9001)
    ("内审", {"roles/quality-manager.html"}, 1),
    ("纠正预防", {"roles/quality-manager.html"}, 1),
    ("不合格", {"roles/qc-inspector.html", "roles/quality-manager.html"}, 2),
    ("质检", {"roles/qc-inspector.html"}, 1),
    ("文控", {"roles/doc-controller.html"}, 1),
    # questions: the frame is never the subject
    ("谁负责开发票", {"roles/accountant.html"}, 1),
    ("找谁报销", {"roles/accountant.html"}, 1),
    ("在哪里盖章", {"roles/admin-clerk.html", "roles/admin-manager.html"}, 2),
    ("哪个部门负责招聘", {"roles/recruiter.html", "departments/hr.html"}, 3),
    ("工资条找谁", {"roles/payroll-clerk.html"}, 1),
    ("怎么请假", {"processes/leave-request.html"}, 2),
    # compounds
    ("开发票", {"roles/accountant.html"}, 1),
    ("开发", {"roles/rd-manager.html"}, 1),
    # English
    ("payroll", {"roles/payroll-clerk.html"}, 1),
    ("invoice", {"roles/accountant.html"}, 1),
    ("complaint", {"roles/complaint-agent.html", "processes/complaint-handling.html"}, 2),  # (its English title)
    ("social insurance", {"roles/benefits-clerk.html"}, 1),
    ("recruitment", {"roles/recruiter.html"}, 1),
    ("Driver", {"roles/driver.html"}, 1),
    # pinyin
    ("fagongzi", {"roles/payroll-clerk.html"}, 1),
    ("shebao", {"roles/benefits-clerk.html"}, 1),
    ("kesu", {"roles/complaint-agent.html"}, 1),
    ("fapiao", {"roles/accountant.html"}, 1),
    ("kaoqin", {"roles/attendance-clerk.html"}, 1),
    ("xinzizhuanyuan", {"roles/payroll-clerk.html"}, 1),
    # people
    ("王敏", {"roles/payroll-clerk.html"}, 1),
    ("孙丽", {"roles/complaint-agent.html"}, 1),
    ("wangmin", {"roles/payroll-clerk.html"}, 1),
    # the company's own words (its file and conf.py)
    ("出粮", {"roles/payroll-clerk.html"}, 1),
    ("饭堂", {"roles/admin-clerk.html"}, 1),
    ("大客户", {"roles/telesales-rep.html"}, 1),  # 重点客户 (the manager's 重大客户投诉 is no 大客户)
    # nothing answers
    ("量子力学", None, 0),
    ("菜单", None, 0),
    ("股票期权", None, 0),
]

EXAMPLE = [
    ("发工资", {"roles/hr-admin-specialist.html"}, 3),  # 计薪 (two others speak of 工资 and 发工资 in passing)
    ("公章", {"roles/finance-supervisor.html"}, 1),
    ("请假", {"roles/hr-admin-specialist.html"}, 1),
    ("考勤", {"roles/hr-admin-specialist.html"}, 1),
    ("客诉", {"roles/cs-followup-agent.html", "roles/cs-supervisor.html"}, 5),
    ("五险一金", {"roles/hr-admin-specialist.html"}, 1),
    ("社保", {"roles/hr-admin-specialist.html"}, 1),
    ("谁负责开发票", {"roles/material-accountant.html"}, 4),
    ("找谁报销", {"roles/cashier.html"}, 3),
    ("税务", {"roles/accountant.html"}, 1),
    ("纠正预防", {"roles/quality-manager.html"}, 3),
    ("不合格", {"roles/quality-manager.html", "roles/iqc.html"}, 3),
    ("来料检验", {"roles/iqc.html"}, 1),
    ("IQC", {"roles/iqc.html"}, 1),
    ("售后", {"roles/after-sales-manager.html"}, 1),
    ("回访", {"roles/cs-followup-agent.html"}, 1),
    ("电商", {"roles/ecommerce-manager.html"}, 1),
    ("图纸", {"roles/rd-technician.html"}, 1),
    ("哪个部门负责年度预算的编制与审批", {"roles/finance-supervisor.html"}, 3),
    ("payroll", {"roles/hr-admin-specialist.html"}, 3),
    ("warranty", {"roles/warranty-technician.html"}, 1),
    ("shouhou", {"roles/after-sales-manager.html"}, 1),
    ("kaoqin", {"roles/hr-admin-specialist.html"}, 1),
    ("周婷", {"roles/cs-supervisor.html"}, 1),
    ("食堂菜单", None, 0),
    ("量子纠缠", None, 0),
]


@pytest.fixture(scope="module")
def company2(site):
    return site("search-company2")


@pytest.fixture(scope="module")
def company2_url(company2, serve) -> str:
    return serve(company2.outdir)


@pytest.fixture(scope="module")
def example_url(example_site, serve) -> str:
    return serve(example_site)


def check(page, base: str, query: str, expected: set[str] | None, top: int) -> None:
    results = run_query(page, base, query)
    if expected is None:
        assert results == [], (query, results[:5])
        assert "没有与" in summary(page)
        return
    assert expected <= set(results[:top]), (query, results[:8])
    assert results[0].startswith(OBJECT_PAGES), (query, results[:3])  # pages about pages come later
    assert not page.errors_seen


@pytest.mark.parametrize(("query", "expected", "top"), COMPANY2, ids=[q for q, *_ in COMPANY2])
def test_company2_queries(page, company2_url, query, expected, top):
    check(page, company2_url, query, expected, top)


@pytest.mark.parametrize(("query", "expected", "top"), EXAMPLE, ids=[q for q, *_ in EXAMPLE])
def test_example_queries(page, example_url, query, expected, top):
    check(page, example_url, query, expected, top)


def test_there_are_enough_employee_queries():
    assert len(COMPANY2) + len(EXAMPLE) >= 60
    assert sum(1 for _q, e, _t in COMPANY2 + EXAMPLE if e is None) >= 4


def test_a_question_frame_is_never_the_subject_and_compounds_follow_the_index(page, company2_url):
    run_query(page, company2_url, "谁负责开发票")
    assert page.evaluate("HandbookSearch.lastSearch.words") == ["开发票"]
    run_query(page, company2_url, "哪个部门负责招聘")
    assert page.evaluate("HandbookSearch.lastSearch.words") == ["招聘"]
    results = run_query(page, company2_url, "开发票")
    assert "roles/rd-manager.html" not in results and "roles/test-engineer.html" not in results


def test_silence_offers_words_that_lead_somewhere(page, company2_url):
    results = run_query(page, company2_url, "股票期权")
    assert results == []
    offered = page.eval_on_selector_all(
        "#search-results .handbook-search-offer a", "els => els.map(e => e.textContent)"
    )
    assert offered, summary(page)
    page.click("#search-results .handbook-search-offer a >> nth=0")
    page.wait_for_function(f"() => (HandbookSearch.lastSearch || {{}}).query === {json.dumps(offered[0])}")
    assert page.locator("#search-results ul.search > li").count() > 0  # each offer leads somewhere


def test_a_single_character_of_a_longer_word_never_makes_a_result(page, example_url):
    assert run_query(page, example_url, "食堂菜单") == []  # not the nine pages of 报销单, 变更单 ... through 单
    assert run_query(page, example_url, "单")  # typed alone, it is what was asked


def test_the_summary_says_what_else_was_searched_for(page, company2_url):
    run_query(page, company2_url, "发工资")
    also = page.evaluate("HandbookSearch.lastSearch.also")
    assert "计薪" in also and "薪金核算" in also
    assert "同时搜索了：" in summary(page)


def test_object_pages_come_before_pages_about_them(page, example_url):
    results = run_query(page, example_url, "周婷")
    objects = [i for i, r in enumerate(results) if r.startswith(OBJECT_PAGES)]
    others = [i for i, r in enumerate(results) if not r.startswith(OBJECT_PAGES)]
    assert objects and others and max(objects) < min(others), results  # the people index, the changes page


# -- the data the pages get -------------------------------------------------------------------


def test_the_vocabulary_holds_only_words_that_lead_somewhere(company2, example_site):
    groups = boot(company2.outdir)["vocab"]
    present = {w for g in groups for w in g[0]}
    leading = {w for g in groups for w in g[1]}
    assert {"计薪", "薪金核算", "印章", "考勤", "合同存档", "就餐"} <= present
    assert {"发工资", "公章", "出粮", "饭堂", "fagongzi"} <= leading  # the company's file and conf.py too
    assert "食堂" not in present
    example = {w for g in boot(example_site)["vocab"] for w in g[0] + g[1]}
    assert "食堂" not in example and "饭堂" not in example  # no canteen words in the example's data


def test_a_missing_or_bad_vocabulary_file_stops_the_build_clearly(tmp_path):
    src = copy_source("search-company2", tmp_path / "src")
    proc = run_sphinx_build(src, tmp_path / "out1", extra=["-D", "handbook_search_vocabulary_file=nowhere.yaml"])
    assert proc.returncode != 0
    assert "handbook_search_vocabulary_file" in proc.stderr and "nowhere.yaml" in proc.stderr
    assert "Traceback" not in proc.stderr
    (src / "company-words.yaml").write_text("groups:\n  payroll: [出粮\n", encoding="utf-8")
    proc = run_sphinx_build(src, tmp_path / "out2")
    assert proc.returncode != 0
    assert "company-words.yaml:3:1: not valid YAML" in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


# -- suggestions as you type ------------------------------------------------------------------


def test_suggestions_offer_the_vocabulary_that_leads_somewhere(page, company2_url):
    page.goto(company2_url + "roles/driver.html")
    type_in_box(page, "社保")
    options = page.eval_on_selector_all(
        "#handbook-suggest [role=option]",
        "els => els.map(e => [e.className, e.querySelector('.handbook-suggest-title').textContent,"
        " e.querySelector('.handbook-suggest-meta').textContent])",
    )
    vocab = [o for o in options if "handbook-suggest-search_for" in o[0]]
    assert vocab and vocab[0][1] == "社保" and "社会保险" in vocab[0][2], options
    page.click("#handbook-suggest .handbook-suggest-search_for >> nth=0")
    page.wait_for_url("**/search.html?q=*")
    assert urllib.parse.unquote(page.url.split("q=", 1)[1]) == "社保"
    page.wait_for_function("() => !!(window.HandbookSearch || {}).lastSearch")
    first = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert first[0] == "roles/benefits-clerk.html"


def test_suggestions_leave_out_words_leading_nowhere(page, example_url):
    page.goto(example_url + "roles/purchaser.html")
    box = page.locator("input[data-handbook-suggest]")
    box.fill("")
    box.press_sequentially("食堂", delay=20)
    page.wait_for_timeout(600)
    titles = page.eval_on_selector_all(
        "#handbook-suggest .handbook-suggest-search_for .handbook-suggest-title", "els => els.map(e => e.textContent)"
    )
    assert titles == []
    type_in_box(page, "五险")  # 社保 is in a role's qualifications
    titles = page.eval_on_selector_all(
        "#handbook-suggest .handbook-suggest-search_for .handbook-suggest-title", "els => els.map(e => e.textContent)"
    )
    assert "五险一金" in titles


def test_an_edited_vocabulary_file_reaches_the_index_and_the_suggestions(company2):
    words = company2.srcdir / "company-words.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("[出粮]", "[出粮, 关饷]"), encoding="utf-8")
    html = company2.rebuild().outdir  # nothing else changed
    assert "关饷" in {w for g in boot(html)["vocab"] for w in g[1]}
    assert "关饷" in (html / "_static" / "handbook-search" / "suggest.js").read_text(encoding="utf-8")
