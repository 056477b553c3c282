"""Search: the Chinese search language, the user dictionary, ranking and snippets.

Browser tests run the real search page of the example handbook in headless Chromium
(served on 127.0.0.1) and assert which role pages come first for realistic queries.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import urllib.parse
from pathlib import Path

import pytest

from conftest import ROOT, copy_source, run_sphinx_build

from handbook import search
from handbook.validate import check_dir

EXAMPLE_DATA = ROOT / "source" / "org"
NO_RESULTS_ZH = "没有匹配到文档"


# -- helpers ------------------------------------------------------------------------

def run_query(page, base: str, query: str) -> list[str]:
    """Search like a user (the search page's URL) and return the result links, best first."""
    page.goto(base + "search.html?q=" + urllib.parse.quote(query))
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.innerText.trim().length > 0; }", timeout=15000)
    hrefs = page.eval_on_selector_all("#search-results ul.search > li > a",
                                      "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#")[0] for h in hrefs]


def snippet(page, href: str) -> str:
    """The snippet of one result (fetched by the page after the list is shown)."""
    sel = f'#search-results ul.search > li:has(> a[href="{href}"]) p.context'
    page.wait_for_selector(sel, timeout=10000)
    return page.inner_text(sel)


def searchindex(html: Path) -> dict:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(")
    return json.loads(text[len("Search.setIndex("):-1])


@pytest.fixture(scope="module")
def example_url(example_site, serve) -> str:
    return serve(example_site)


# -- pure parts -----------------------------------------------------------------------

def test_vocabulary_holds_every_title_department_and_process():
    hb = check_dir(str(EXAMPLE_DATA)).handbook
    words = set(search.vocabulary(hb))
    names = [r.title for r in hb.roles.values()] + [d.name for d in hb.departments.values()]
    names += [p.name for p in hb.processes.values()]
    for name in names:
        runs = re.findall(r"[\u4e00-\u9fff]{2,}", name.get("zh_CN"))
        assert runs and set(runs) <= words, name
    assert {"客服主管", "三包技术员", "客户服务中心", "材料采购与招标流程"} <= words
    assert {"工程师", "组长", "来料检验员"} <= words  # "SQM 工程师（兼 IQC 组长）", "IQC 来料检验员"
    assert all(search.has_han(w) for w in words)  # English titles do not go to jieba
    text = search.userdict_text(["客服主管", "三包技术员"])
    assert text == f"客服主管 {search.WORD_FREQ}\n三包技术员 {search.WORD_FREQ}\n"


def test_chinese_language_keeps_handbook_words_whole(tmp_path):
    plain = search.SearchHandbookChinese({})
    assert "三包技术员" not in plain.split("负责三包技术员的培训")  # jieba alone cuts it up
    userdict = tmp_path / "words.txt"
    userdict.write_text(search.userdict_text(["三包技术员"]), encoding="utf-8")
    lang = search.SearchHandbookChinese({search.OPTION_VOCABULARY: str(userdict)})
    words = lang.split("负责三包技术员的培训，ISO9001 审核")
    assert "三包技术员" in words and "三包" in words and "技术员" in words
    assert "ISO9001" in words and "ISO" in words
    assert lang.word_filter("投诉") and lang.word_filter("账")
    assert not lang.word_filter("的") and not lang.word_filter("2024")
    assert lang.stem("ISO") == "iso"


# -- building ---------------------------------------------------------------------------

def test_build_fails_clearly_without_jieba(site, monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)  # `import jieba` now raises ImportError
    with pytest.raises(search.HandbookSearchError) as info:  # a clean stop (SystemExit), no crash report
        site("search-zh")
    message = str(info.value)
    assert "jieba" in message and "pip install jieba" in message
    assert "not be indexed" in message


def test_example_index_has_chinese_terms_and_user_dictionary(example, example_site):
    index = searchindex(example_site)
    for term in ("客服主管", "三包技术员", "投诉", "采购", "招标", "回访", "质量", "iso"):
        assert term in index["terms"] or term in index["titleterms"], term
    userdict = (Path(example.app.doctreedir) / search.USERDICT_NAME).read_text(encoding="utf-8")
    hb = check_dir(str(EXAMPLE_DATA)).handbook
    dict_words = {line.split()[0] for line in userdict.splitlines()}
    assert set(search.vocabulary(hb)) <= dict_words
    assert {"客服主管", "三包技术员", "来料检验员"} <= dict_words
    language_data = (example_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "ChineseStemmer" not in language_data  # sphinx-doc/sphinx#14229: the page would hang
    assert "Intl.Segmenter" in language_data
    data = (example_site / "_static" / search.DATA_JS).read_text(encoding="utf-8")
    assert data.startswith("window.HANDBOOK_SEARCH = ")
    data = json.loads(data[len("window.HANDBOOK_SEARCH = "):].rstrip().rstrip(";"))
    depts = dict((docname, data["departments"][i]) for docname, i in data["roles"])
    assert depts["roles/cs-supervisor"] == "客户服务中心"
    assert len(depts) == len(hb.roles)


def test_duty_terms_are_listed_or_bitmapped():
    hb = check_dir(str(EXAMPLE_DATA)).handbook
    docs = {rid: f"roles/{rid}" for rid in hb.roles}
    lang = search.SearchHandbookChinese({})
    data = search.search_data(hb, "zh_CN", docs, lambda texts: search.index_terms(
        lang.split, lang.stem, lang.word_filter, texts))
    index = [docname for docname, _d in data["roles"]]

    def roles_of(term):
        v = data["terms"][term]
        if isinstance(v, list):
            return {index[i] for i in v}
        bits = base64.b64decode(v)
        return {index[i] for i in range(len(index)) if bits[i >> 3] >> (i & 7) & 1}

    assert "roles/cs-supervisor" in roles_of("投诉")
    assert "roles/materials-head" in roles_of("招标")
    assert "roles/iqc" not in roles_of("招标")  # iqc only takes part in the tendering process
    assert any(isinstance(v, str) for v in data["terms"].values())  # common terms are bitmaps


def test_extra_user_dictionary_from_conf(tmp_path):
    srcdir = copy_source("search-zh", tmp_path / "src")
    (srcdir / "terms.txt").write_text("# company words\n旧件鉴定\n", encoding="utf-8")
    out = tmp_path / "html"
    proc = run_sphinx_build(srcdir, out, extra=["-D", "handbook_search_dict=terms.txt"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Building prefix dict" not in proc.stderr  # jieba kept quiet
    assert "旧件鉴定" in (out / ".doctrees" / search.USERDICT_NAME).read_text(encoding="utf-8")
    proc = run_sphinx_build(srcdir, tmp_path / "html2", extra=["-D", "handbook_search_dict=missing.txt"])
    assert proc.returncode != 0
    assert "handbook_search_dict" in proc.stderr and "missing.txt" in proc.stderr


# -- in the browser: the example handbook -------------------------------------------------

def test_role_title_ranks_first(page, example_url):
    results = run_query(page, example_url, "客服主管")
    assert results[0] == "roles/cs-supervisor.html"
    # a role whose title matches comes before roles whose duties only mention it
    assert results.index("roles/online-cs-supervisor.html") < results.index("roles/cs-front-desk.html")
    text = snippet(page, "roles/cs-supervisor.html")
    assert "客户服务中心" in text and "岗位名称" not in text  # department + purpose, not the header table


@pytest.mark.parametrize(("query", "expected", "top"), [
    ("投诉", {"roles/cs-supervisor.html", "roles/cs-intake-agent.html", "roles/cs-followup-agent.html"}, 10),
    ("采购", {"roles/purchaser.html", "roles/materials-head.html"}, 10),
    ("招标", {"roles/materials-head.html", "roles/deputy-gm.html"}, 5),
    ("客户投诉回访", {"roles/cs-followup-agent.html", "roles/cs-supervisor.html"}, 8),
    ("ISO 质量", {"roles/quality-manager.html"}, 3),
])
def test_duty_queries_find_the_roles(page, example_url, query, expected, top):
    results = run_query(page, example_url, query)
    assert expected <= set(results[:top]), results[:top]
    assert not page.errors_seen


def test_roles_with_the_duty_rank_above_passing_mentions(page, example_url):
    results = run_query(page, example_url, "招标")
    duty_roles = [results.index(r) for r in ("roles/materials-head.html", "roles/deputy-gm.html")]
    # iqc only takes part in the tendering process (a mention on its page, no duty)
    assert max(duty_roles) < results.index("roles/iqc.html")
    results = run_query(page, example_url, "采购")
    assert results[0] == "roles/purchaser.html"  # 采购提料员: the title matches


def test_words_standing_together_rank_first(page, example_url):
    """采购合同: the role whose duty says 采购合同 ranks above roles with 采购 and 合同 apart."""
    results = run_query(page, example_url, "采购合同")
    assert results[0] == "roles/materials-head.html"
    assert results.index("roles/materials-head.html") < results.index("roles/materials-chief-accountant.html")


def test_phrases_are_adjacent_chinese_terms():
    assert search.phrases(["订立", "采购", "合同", "iso"]) == {"订立采购", "采购合同"}
    assert search.phrases(["采购"]) == set()


def test_snippet_shows_department_and_matching_duty(page, example_url):
    run_query(page, example_url, "投诉")
    text = snippet(page, "roles/cs-supervisor.html")
    assert "客户服务中心" in text
    assert "负责处理突发事件以及顾客投诉" in text
    assert "岗位名称" not in text and "HYL-CS-02" not in text


def test_query_is_segmented_like_the_index(page, example_url):
    run_query(page, example_url, "投诉")  # the index is loaded now
    assert page.evaluate("splitQuery('客户投诉回访')") == ["客户", "投诉", "回访"]
    assert page.evaluate("splitQuery('ISO 质量')") == ["ISO", "质量"]
    assert page.evaluate("splitQuery('三包技术员')") == ["三包技术员"]


def test_no_hits_shows_a_message_not_a_spinner(page, example_url):
    results = run_query(page, example_url, "量子纠缠")
    assert results == []
    assert NO_RESULTS_ZH in page.inner_text("#search-results .search-summary")
    assert page.inner_text("#search-results h2").strip() == "搜索结果"
    assert not page.errors_seen


def test_search_box_on_every_page_works_offline(page, example_url, example_site):
    pages = [p for p in example_site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 50
    missing = [str(p) for p in pages if 'name="q"' not in p.read_text(encoding="utf-8")]
    assert not missing
    page.goto(example_url + "roles/purchaser.html")
    box = page.locator('input[name="q"]').first
    box.fill("退货")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_function("() => (document.querySelector('#search-results .search-summary') || {}).innerText")
    assert page.locator("#search-results ul.search > li").count() > 0
    assert all(urllib.parse.urlsplit(u).hostname == "127.0.0.1" for u in page.requests_seen
               if u.startswith("http")), page.requests_seen


# -- in the browser: an English handbook --------------------------------------------------

def test_english_handbook_search(page, serve, site):
    built = site("search-en")
    assert built.warnings == ""
    base = serve(built.outdir)
    results = run_query(page, base, "complaints")
    assert results[0] == "roles/service-supervisor.html"
    text = snippet(page, "roles/service-supervisor.html")
    assert "Customer Service" in text and "Handles customer complaints" in text
    assert run_query(page, base, "supervisor")[0] == "roles/service-supervisor.html"
    assert run_query(page, base, "purchase contracts") == ["roles/buyer.html"]
    assert run_query(page, base, "xylophone") == []
    assert "did not match" in page.inner_text("#search-results .search-summary")
