"""Search: the Chinese search language, the split index, ranking, snippets, suggestions.

Browser tests run the real search page of the example handbook in headless Chromium
(served on 127.0.0.1) and assert which pages come first for realistic queries: duty
words, questions, words the browser cuts differently from the index, pinyin, the other
language of bilingual titles, and the header's suggestions driven by the keyboard.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_source, run_sphinx_build

from handbook.search import chinese, data_files, postings, sphinx_
from handbook.search import index as searchindex
from handbook.search import keys as searchkeys
from handbook.search import suggestions as searchsuggestions
from handbook.validate import check_dir

EXAMPLE_DATA = ROOT / "source" / "org"
NO_RESULTS_ZH = "没有与"


# -- helpers ------------------------------------------------------------------------


def run_query(page, base: str, query: str) -> list[str]:
    """Search like a user (the search page's URL) and return the result links, best first."""
    page.goto(base + "search.html?q=" + urllib.parse.quote(query))
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.innerText.trim().length > 0 && !!(window.HandbookSearch || {}).lastSearch; }",
        timeout=15000,
    )
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h.split("#")[0] for h in hrefs]


def summary(page) -> str:
    return page.inner_text("#search-results .search-summary")


def snippet(page, href: str) -> str:
    """The snippet of one result (loaded by the page when the result scrolls into view)."""
    sel = f'#search-results ul.search > li:has(> a[href="{href}"]) p.context'
    page.wait_for_selector(sel, timeout=10000)
    return page.inner_text(sel)


def jsonp(path: Path) -> tuple[str, object]:
    """A data file ``HandbookSearch.loaded(name, data);`` -> (name, data)."""
    text = path.read_text(encoding="utf-8")
    m = re.fullmatch(r'HandbookSearch\.loaded\(("[^"]*"),(.*)\);\n', text, re.S)
    assert m, text[:200]
    return json.loads(m.group(1)), json.loads(m.group(2))


def boot(html: Path) -> dict:
    """What the search page says about the split index (which shard holds which group)."""
    page = BeautifulSoup((html / "search.html").read_text(encoding="utf-8"), "html.parser")
    script = next(s.get_text() for s in page.find_all("script") if "HandbookSearchBoot" in s.get_text())
    return json.loads(script.split("=", 1)[1].strip().rstrip(";"))


def load_index(html: Path) -> searchindex.Index:
    """The split index as written, read back (the shards decoded)."""
    data = html / "_static" / data_files.DATA_DIR
    _name, meta = jsonp(data / "index.js")
    b = boot(html)
    shards = [jsonp(data / f)[1] for f in b["shards"]]
    return searchindex.Index(postings.front_decoded(meta["docnames"]), meta["titles"], b["groups"], shards)


def sphinx_index(html: Path) -> dict:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(")
    return json.loads(text[len("Search.setIndex(") : -1])


@pytest.fixture(scope="module")
def example_url(example_site, serve) -> str:
    return serve(example_site)


# -- pure parts -----------------------------------------------------------------------


def test_vocabulary_holds_every_title_department_and_process():
    hb = check_dir(str(EXAMPLE_DATA)).handbook
    words = set(chinese.vocabulary(hb))
    names = [r.title for r in hb.roles.values()] + [d.name for d in hb.departments.values()]
    names += [p.name for p in hb.processes.values()]
    for name in names:
        runs = re.findall(r"[\u4e00-\u9fff]{2,}", name.get("zh_CN"))
        assert runs and set(runs) <= words, name
    assert {"客服主管", "三包技术员", "客户服务中心", "材料采购与招标流程"} <= words
    assert {"工程师", "组长", "来料检验员"} <= words  # "SQM 工程师（兼 IQC 组长）", "IQC 来料检验员"
    assert all(searchkeys.has_han(w) for w in words)  # English titles do not go to jieba
    text = chinese.userdict_text(["客服主管", "三包技术员"])
    assert text == f"客服主管 {chinese.WORD_FREQ}\n三包技术员 {chinese.WORD_FREQ}\n"


def test_chinese_language_keeps_handbook_words_whole(tmp_path):
    plain = chinese.SearchHandbookChinese({})
    assert "三包技术员" not in plain.split("负责三包技术员的培训")  # jieba alone cuts it up
    userdict = tmp_path / "words.txt"
    userdict.write_text(chinese.userdict_text(["三包技术员"]), encoding="utf-8")
    lang = chinese.SearchHandbookChinese({chinese.OPTION_VOCABULARY: str(userdict)})
    words = lang.split("负责三包技术员的培训，ISO9001 审核")
    assert "三包技术员" in words
    assert "ISO9001" in words and "ISO" in words
    assert lang.word_filter("投诉") and lang.word_filter("账")
    assert not lang.word_filter("的") and not lang.word_filter("2024")
    assert lang.stem("ISO") == "iso"


def test_pinyin_keys_full_words_and_initials():
    words = searchkeys.Words(lambda s: ["客服", "主管", "客服主管"], str.lower, lambda w: True)
    keys = searchkeys.title_keys("客服主管", words)
    assert {"kefuzhuguan", "kfzg", "kefu", "zhuguan"} <= keys  # full, initials, each word
    assert {"客", "客服", "服主", "主管"} <= keys  # characters and pairs: found however it is cut
    assert searchkeys.pinyin_keys("售后经理") >= {"shouhoujingli", "shjl"}
    assert searchkeys.pinyin_keys("IQC 来料检验员") >= {
        "lailiaojianyanyuan",
        "lljyy",
        "iqclailiaojianyanyuan",
        "iqclljyy",
    }
    assert searchkeys.pinyin_keys("Head of Production") == set()  # no Chinese, no pinyin
    assert searchkeys.pinyin_syllables("行政人事经理") == [
        "xing",
        "zheng",
        "ren",
        "shi",
        "jing",
        "li",
    ]  # common readings


def test_page_texts_fields_and_people_left_out():
    from handbook.pages import docname_for

    hb = check_dir(str(EXAMPLE_DATA)).handbook
    texts = searchindex.page_texts(hb, docname_for)
    role = texts["roles/cs-supervisor"]
    assert role.titles == ("客服主管", "Customer Service Supervisor") and role.codes == ("HYL-CS-02",)
    assert role.names == ("周婷",)
    assert any(t.startswith("负责制定客户服务工作方案，组织客户回访") for t in role.leads)  # its purpose
    assert "负责处理突发事件以及顾客投诉。" in role.duties
    assert any("招标" in t for t in texts["processes/material-procurement"].duties)  # a process's steps
    assert searchindex.page_texts(hb, docname_for, show_people=False)["roles/cs-supervisor"].names == ()


def test_code_keys():
    assert searchkeys.code_keys("HYL-CS-02") == {"hylcs02", "cs02", "02"}
    assert searchkeys.code_keys("WZ-01") == {"wz01", "01"}


@pytest.mark.parametrize("ids", [[], [0], [3, 7, 40], list(range(0, 5000, 2)), [4999]])
def test_postings_round_trip(ids):
    encoded = postings.encode_postings(ids, 5000)
    assert postings.decode_postings(encoded) == ids
    if len(ids) > 1000:
        assert encoded.startswith("~") and len(encoded) < 900  # a bitmap: 5000 bits in base64


def test_index_is_split_by_group_and_keeps_every_posting():
    docs = [f"d{i}" for i in range(300)]
    other = {f"合格{i}": range(i, 300, 7) for i in range(50)}
    other |= {f"word{i}": range(0, i) for i in range(50)}
    fields = {i: ({"合格"} if i % 3 == 0 else set(), {"不合", "合格"}, set()) for i in range(300)}
    whole = searchindex.build_index(docs, docs, other, fields, shard_bytes=10_000_000)
    split = searchindex.build_index(docs, docs, other, fields, shard_bytes=1_000)
    assert len(whole.shards) == 1 and len(split.shards) == 3  # groups are never cut in two
    for index in (whole, split):
        assert set(index.groups) == {"合", "不", "wo"}  # one group per first Chinese character / two letters
    keys = set(other) | {"合格", "不合"}
    for key in keys:
        assert split.postings(key) == whole.postings(key), key
    title = list(range(0, 300, 3))
    assert split.postings("合格")[:2] == (
        title,
        [i for i in range(300) if i not in title],
    )  # each page once, best field
    assert split.postings("不合")[1] == list(range(300))
    assert split.postings("word3")[2] == [0, 1, 2]


def test_suggestion_entries_and_people_files():
    from handbook.pages import docname_for

    hb = check_dir(str(EXAMPLE_DATA)).handbook
    entries, depts, people = searchsuggestions.suggest_entries(hb, "zh_CN", docname_for)
    by_doc = {e[4]: e for e in entries}
    kind, title, pinyin, code, _doc, context, _other = by_doc["roles/cs-supervisor"]
    assert (kind, title, pinyin, code, depts[context]) == (
        "r",
        "客服主管",
        "ke fu zhu guan",
        "HYL-CS-02",
        "客户服务中心",
    )
    assert by_doc["roles/production-head"][6] == "Head of Production"  # the other language, for matching
    assert by_doc["departments/customer-service"][0] == "d" and by_doc["processes/complaint-followup"][0] == "p"
    zhou = next(p for p in people if p[0] == "周婷")
    assert zhou[1] == "zhou ting" and entries[zhou[3][0]][4] == "roles/cs-supervisor"
    assert searchsuggestions.person_groups(zhou) == {"周", "zh", "zt"}
    keys, files = searchsuggestions.pack_people(people, target_bytes=300)
    assert len(files) > 1
    for key in ("周", "zh", "zt"):
        assert zhou in files[keys[key]]
    assert searchsuggestions.suggest_entries(hb, "zh_CN", docname_for, show_people=False)[2] == []
    prefixes = {"d": "departments/", "r": "roles/", "p": "processes/"}
    readings, small, small_people = searchsuggestions.compact_suggestions(entries, people, prefixes)
    assert readings["客"] == "ke" and readings["行"] == "xing"
    assert small[entries.index(by_doc["roles/cs-supervisor"])] == [
        "r",
        "客服主管",
        "",
        "HYL-CS-02",
        "cs-supervisor",
        context,
        "Customer Service Supervisor",
    ]
    bank = ["r", "银行出纳", "yin hang chu na", "", "roles/x", -1, ""]  # 行 read háng here, not xíng
    assert searchsuggestions.compact_suggestions([bank], [], prefixes)[1] == [
        ["r", "银行出纳", "yin hang chu na", "", "x", -1]
    ]
    assert small_people[people.index(zhou)] == ["周婷", "", "zhou-ting", zhou[3]]


# -- building ---------------------------------------------------------------------------


def test_one_data_loader_runs_before_the_scripts_that_use_it(site):
    s = site("basic")
    static = Path(sphinx_.__file__).parent / "static"
    defining = [f.name for f in static.glob("*.js") if "window.HandbookSearch =" in f.read_text(encoding="utf-8")]
    assert defining == [sphinx_.DATA_LOADER]
    for page in ("index.html", "search.html", "roles/sales-manager.html"):
        scripts = [t for t in s.soup(page).find_all("script") if t.get("src")]
        names = [t["src"].split("/")[-1].split("?")[0] for t in scripts]
        loader = names.index(sphinx_.DATA_LOADER)
        assert not scripts[loader].has_attr("defer") and not scripts[loader].has_attr("async")
        users = [n for n in names if n in ("handbook-suggest.js", "handbook-search.js")]
        assert users and all(names.index(n) > loader for n in users), names
    assert "handbook-search.js" in [
        t.get("src", "").split("/")[-1].split("?")[0] for t in s.soup("search.html").find_all("script")
    ]


def test_title_keys_are_kept_for_the_next_build_made_the_same_way(site):
    import pickle

    from conftest import build_in_place

    s = site("basic")
    cache = s.app.doctreedir / data_files.TITLE_KEYS_NAME
    identity, keys = pickle.loads(cache.read_bytes())
    assert keys[("销售经理", True)] >= {"销售经理", "xiaoshoujingli"}  # the title, its pinyin ...
    assert load_index(s.outdir).postings("xiaoshoujingli")[0]
    # a build made the same way takes the kept keys: seen through a key no title has
    keys[("销售经理", True)] = frozenset({"zzkept"})
    cache.write_bytes(pickle.dumps((identity, keys)))
    data = s.srcdir / "org" / "20-sales.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("管理销售团队。", "管理销售团队，审核销售合同。"), encoding="utf-8")  # a duty
    build_in_place(s.srcdir)
    index = load_index(s.outdir)
    assert index.postings("zzkept")[0] and not index.postings("xiaoshoujingli")[0]
    # the same title cut another way (another user dictionary): the keys are made again
    (s.srcdir / "terms.txt").write_text("销售 10\n", encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    build_in_place(s.srcdir, handbook_search_dict="terms.txt")
    index = load_index(s.outdir)
    assert not index.postings("zzkept")[0] and index.postings("xiaoshoujingli")[0]
    cache.write_bytes(b"not a pickle")  # a damaged file is not an error: the keys are made again
    data.write_text(text.replace("管理销售团队。", "管理销售团队。负责回款。"), encoding="utf-8")
    build_in_place(s.srcdir, handbook_search_dict="terms.txt")
    assert load_index(s.outdir).postings("xiaoshoujingli")[0]
    assert pickle.loads(cache.read_bytes())[1][("销售经理", True)] >= {"xiaoshoujingli"}


def test_suggestions_are_made_again_only_when_what_they_show_changes(site):
    from conftest import build_in_place

    s = site("basic")
    suggest = s.outdir / "_static" / data_files.DATA_DIR / "suggest.js"
    data = s.srcdir / "org" / "20-sales.yaml"
    text = data.read_text(encoding="utf-8")
    hb = check_dir(str(s.srcdir / "org")).handbook
    before = searchsuggestions.suggest_inputs(hb, "zh_CN")
    assert suggest.is_file() and "销售经理" in suggest.read_text(encoding="utf-8")

    data.write_text(text.replace("管理销售团队。", "管理销售团队，审核销售合同。"), encoding="utf-8")  # a duty
    assert searchsuggestions.suggest_inputs(check_dir(str(s.srcdir / "org")).handbook, "zh_CN") == before
    suggest.write_text(suggest.read_text(encoding="utf-8") + "// marker\n", encoding="utf-8")
    build_in_place(s.srcdir)
    assert suggest.read_text(encoding="utf-8").endswith("// marker\n")  # not made again

    data.write_text(text.replace("销售经理", "销售总监"), encoding="utf-8")  # a title: shown in the suggestions
    assert searchsuggestions.suggest_inputs(check_dir(str(s.srcdir / "org")).handbook, "zh_CN") != before
    build_in_place(s.srcdir)
    shown = suggest.read_text(encoding="utf-8")
    assert "销售总监" in shown and "销售经理" not in shown and "marker" not in shown
    assert (
        searchsuggestions.suggest_inputs(hb, "en") != before
        and searchsuggestions.suggest_inputs(hb, "zh_CN", False) != before
    )


def test_build_fails_clearly_without_jieba(site, monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)  # `import jieba` now raises ImportError
    with pytest.raises(chinese.HandbookSearchError) as info:  # a clean stop (SystemExit), no crash report
        site("search-zh")
    message = str(info.value)
    assert "jieba" in message and "pip install jieba" in message
    assert "not be indexed" in message


def test_example_index_has_chinese_terms_and_user_dictionary(example, example_site):
    index = sphinx_index(example_site)
    for term in ("客服主管", "三包技术员", "投诉", "采购", "招标", "回访", "质量", "iso"):
        assert term in index["terms"] or term in index["titleterms"], term
    userdict = (Path(example.app.doctreedir) / chinese.USERDICT_NAME).read_text(encoding="utf-8")
    hb = check_dir(str(EXAMPLE_DATA)).handbook
    dict_words = {line.split()[0] for line in userdict.splitlines()}
    assert set(chinese.vocabulary(hb)) <= dict_words
    assert {"客服主管", "三包技术员", "来料检验员"} <= dict_words
    language_data = (example_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "ChineseStemmer" not in language_data  # sphinx-doc/sphinx#14229: the page would hang
    assert "Intl.Segmenter" in language_data


def test_split_index_holds_the_same_pages_as_sphinx_whole_index(example_site):
    """Every term of Sphinx's own index (searchindex.js, one file) leads to exactly the same
    pages in the split index, which the search page loads shard by shard."""
    whole = sphinx_index(example_site)
    split = load_index(example_site)
    assert len(split.shards) > 1  # the example is split too (64 KB shards)
    assert sorted(split.docnames) == sorted(whole["docnames"])
    docname = {i: d for i, d in enumerate(whole["docnames"])}
    terms: dict[str, set[str]] = {}
    for mapping in (whole["terms"], whole["titleterms"]):
        for term, pages in mapping.items():
            pages = [pages] if isinstance(pages, int) else pages
            terms.setdefault(term, set()).update(docname[p] for p in pages)
    assert len(terms) > 1000
    for term, pages in terms.items():
        title, duty, other, lead = ({split.docnames[p] for p in field} for field in split.postings(term))
        # each page in its best field: title > lead > duty (the handbook's own) > anywhere (Sphinx's)
        assert other == pages - title - lead - duty, term
        assert split.is_word(term), term
    # ... and the handbook's own fields: a role's title, lead (purpose) and duties
    doc = split.docnames.index("roles/cs-supervisor")
    assert doc in split.postings("主管")[searchindex.TITLE] and doc in split.postings("kfzg")[searchindex.TITLE]
    assert doc in split.postings("=kfzg")[searchindex.TITLE]  # the whole title, exactly
    assert doc in split.postings("回访")[searchindex.LEAD]  # its purpose: "组织客户回访…"
    assert doc in split.postings("突发")[searchindex.DUTY]  # a duty: "负责处理突发事件以及顾客投诉"


def test_search_page_loads_the_split_index_not_sphinx_nor_mermaid(example_site):
    page = BeautifulSoup((example_site / "search.html").read_text(encoding="utf-8"), "html.parser")
    scripts = [s.get("src", "") + s.get_text() for s in page.find_all("script")]
    assert any("handbook-search/index.js" in s for s in scripts)
    assert not [s for s in scripts if "searchindex.js" in s or "searchtools.js" in s]
    assert not [s for s in scripts if "mermaid" in s]  # no chart on the search page, no chart library
    genindex = (example_site / "genindex.html").read_text(encoding="utf-8")
    assert "mermaid" not in genindex
    chart_page = (example_site / "departments" / "customer-service.html").read_text(encoding="utf-8")
    chart = BeautifulSoup(chart_page, "html.parser")
    assert chart.select("figure.handbook-chart .handbook-chart-frame > svg")  # drawn at build time
    assert not [s for s in chart.find_all("script") if "mermaid" in s.get("src", "") + s.get_text()]


def test_page_passages_hold_duties_and_mark_the_header(example_site):
    _name, passages = jsonp(example_site / "_static" / data_files.DATA_DIR / "pages" / "roles" / "cs-supervisor.js")
    texts = [p[1] for p in passages]
    assert any(
        t.startswith("负责处理突发事件以及顾客投诉。") and "24 小时" in t for t in texts
    )  # duty · KPI · frequency
    header = [p for p in passages if len(p) > 2 and p[2] == 1]
    assert "岗位编号: HYL-CS-02" in [p[1] for p in header]
    assert {p[0] for p in passages if p[1].startswith("负责制定客户服务工作方案")} == {"岗位目的", "岗位职责"}
    assert not [t for t in texts if "flowchart" in t or "graph " in t]  # no chart source


def test_extra_user_dictionary_from_conf(tmp_path):
    srcdir = copy_source("search-zh", tmp_path / "src")
    (srcdir / "terms.txt").write_text("# company words\n旧件鉴定\n", encoding="utf-8")
    out = tmp_path / "html"
    proc = run_sphinx_build(srcdir, out, extra=["-D", "handbook_search_dict=terms.txt"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Building prefix dict" not in proc.stderr  # jieba kept quiet
    assert "旧件鉴定" in (out / ".doctrees" / chinese.USERDICT_NAME).read_text(encoding="utf-8")
    proc = run_sphinx_build(srcdir, tmp_path / "html2", extra=["-D", "handbook_search_dict=missing.txt"])
    assert proc.returncode != 0
    assert "handbook_search_dict" in proc.stderr and "missing.txt" in proc.stderr


def test_rebuild_drops_data_of_removed_pages(site):
    first = site("search-zh")
    html = first.outdir
    data = html / "_static" / data_files.DATA_DIR
    assert (data / "pages" / "roles" / "warranty-tech.js").exists()
    shards = {p.name for p in data.glob("t*.js")}
    org = first.srcdir / "org" / "org.yaml"
    text = org.read_text(encoding="utf-8").replace("warranty-tech", "warranty-clerk")
    org.write_text(text.replace("退货产品的登记", "退货产品的登记与鉴别"), encoding="utf-8")
    assert first.rebuild().outdir == html
    assert not (data / "pages" / "roles" / "warranty-tech.js").exists()
    assert (data / "pages" / "roles" / "warranty-clerk.js").exists()
    assert {p.name for p in data.glob("t*.js")} == set(boot(html)["shards"]) != shards


# -- in the browser: the example handbook -------------------------------------------------


def test_role_title_ranks_first(page, example_url):
    results = run_query(page, example_url, "客服主管")
    assert results[0] == "roles/cs-supervisor.html"
    # a role whose title matches comes before roles whose duties only mention it
    assert results.index("roles/online-cs-supervisor.html") < results.index("roles/cs-front-desk.html")
    text = snippet(page, "roles/cs-supervisor.html")
    assert "客户服务中心" in text and "岗位名称" not in text  # department + purpose, not the header table


@pytest.mark.parametrize(
    ("query", "expected", "top"),
    [
        ("投诉", {"roles/cs-supervisor.html", "roles/cs-intake-agent.html", "roles/cs-followup-agent.html"}, 10),
        ("采购", {"roles/purchaser.html", "roles/materials-head.html"}, 10),
        ("招标", {"roles/materials-head.html", "roles/deputy-gm.html"}, 5),
        ("客户投诉回访", {"roles/cs-followup-agent.html", "roles/cs-supervisor.html"}, 8),
        ("ISO 质量", {"roles/quality-manager.html"}, 3),
        ("HYL-CS-02", {"roles/cs-supervisor.html"}, 1),  # a role code
        ("周婷", {"roles/cs-supervisor.html"}, 1),  # a person's name leads to their post
    ],
)
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


def test_snippet_shows_department_and_matching_duty(page, example_url):
    run_query(page, example_url, "投诉")
    text = snippet(page, "roles/cs-supervisor.html")
    assert "客户服务中心" in text
    assert "负责处理突发事件以及顾客投诉" in text
    assert "岗位名称" not in text and "HYL-CS-02" not in text
    marked = page.eval_on_selector_all(
        '#search-results li:has(> a[href="roles/cs-supervisor.html"]) mark', "els => els.map(e => e.textContent)"
    )
    assert marked and set(marked) == {"投诉"}


def test_a_question_finds_what_it_asks(page, example_url):
    """谁负责招标: 谁 and 负责 are question words; the query is 招标."""
    results = run_query(page, example_url, "谁负责招标")
    assert page.evaluate("HandbookSearch.lastSearch.words") == ["招标"]
    assert {"roles/materials-head.html", "roles/deputy-gm.html"} <= set(results[:5])
    assert "未找到" not in summary(page)
    results = run_query(page, example_url, "哪个岗位负责采购合同的审核")
    assert page.evaluate("HandbookSearch.lastSearch.words") == ["采购", "合同", "审核"]  # 哪个岗位: the frame
    # 审核材料采购合同; 组织采购合同订立 (its purpose), 审核合同 ...
    assert {"roles/deputy-gm.html", "roles/materials-head.html"} <= set(results[:3])


@pytest.mark.parametrize(
    ("query", "words", "first"),
    [
        ("不合格品", ["不合格品"], "roles/quality-manager.html"),  # the browser cuts 不合 / 格 / 品
        ("合格证", ["合格证"], "roles/storekeeper.html"),  # ... and 合格 / 证
        ("签收单", ["签收", "单"], "roles/material-accountant.html"),  # ... and 签 / 收 / 单; jieba 签收 / 单
    ],
)
def test_words_cut_differently_are_found(page, example_url, query, words, first):
    results = run_query(page, example_url, query)
    assert page.evaluate("HandbookSearch.lastSearch.words") == words
    assert results[0] == first, results[:5]
    assert "未找到" not in summary(page)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("shouhou jingli", "roles/after-sales-manager.html"),  # full pinyin, with a space
        ("shouhoujingli", "roles/after-sales-manager.html"),  # ... without
        ("shjl", "roles/after-sales-manager.html"),  # initials
        ("cgtly", "roles/purchaser.html"),  # 采购提料员
        ("kehufuwuzhongxin", "departments/customer-service.html"),  # a department
        ("zhouting", "roles/cs-supervisor.html"),  # a person: their post
        ("Head of Production", "roles/production-head.html"),  # the other language of 生产部长
        ("General Manager", "roles/general-manager.html"),
    ],
)
def test_pinyin_and_the_other_language(page, example_url, query, first):
    results = run_query(page, example_url, query)
    assert results and results[0] == first, results[:5]


def test_no_dead_ends_partial_matches_say_what_is_missing(page, example_url):
    results = run_query(page, example_url, "采购 量子")  # 量子 is on no page
    assert results[0] == "roles/purchaser.html"
    assert "未找到：量子" in summary(page)
    results = run_query(page, example_url, "招标 旧件")  # each on pages, on no page together
    assert results
    assert "没有页面同时包含全部关键词" in summary(page)
    missing = page.eval_on_selector_all("#search-results li .handbook-missing", "els => els.map(e => e.textContent)")
    assert missing and all(m in ("缺少：招标", "缺少：旧件") for m in missing)


def test_no_hits_shows_a_message_not_a_spinner(page, example_url):
    results = run_query(page, example_url, "量子纠缠")
    assert results == []
    assert NO_RESULTS_ZH in summary(page) and "拼音" in summary(page)  # says what to try
    assert page.inner_text("#search-results h2").strip() == "搜索结果"
    assert not page.errors_seen


def test_search_loads_only_the_shards_it_needs(page, example_url, example_site):
    run_query(page, example_url, "投诉")
    loaded = [u for u in page.requests_seen if "/handbook-search/t" in u]
    data = example_site / "_static" / data_files.DATA_DIR
    shards = list(data.glob("t*.js"))
    assert 0 < len(loaded) < len(shards)
    assert not [u for u in page.requests_seen if "searchindex.js" in u or "mermaid" in u]
    assert not [u for u in page.requests_seen if u.endswith(".html") and "search.html" not in u]  # no page fetched


def test_search_box_on_every_page_works_offline(page, example_url, example_site):
    pages = [p for p in example_site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 50
    missing = [str(p) for p in pages if 'name="q"' not in p.read_text(encoding="utf-8")]
    assert not missing
    page.goto(example_url + "roles/purchaser.html")
    box = page.locator('input[name="q"]').first
    box.fill("退货")
    box.press("Enter")  # no suggestion chosen: the full results
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_function("() => (document.querySelector('#search-results .search-summary') || {}).innerText")
    assert page.locator("#search-results ul.search > li").count() > 0
    assert all(urllib.parse.urlsplit(u).hostname == "127.0.0.1" for u in page.requests_seen if u.startswith("http")), (
        page.requests_seen
    )


# -- in the browser: suggestions as you type ------------------------------------------------


def suggestions(page) -> list[str]:
    return page.eval_on_selector_all(
        "#handbook-suggest [role=option] .handbook-suggest-title", "els => els.map(e => e.textContent)"
    )


def type_in_box(page, text: str):
    box = page.locator("input[data-handbook-suggest]")
    box.fill("")
    box.press_sequentially(text, delay=20)
    page.wait_for_function("() => !document.getElementById('handbook-suggest').hidden", timeout=5000)
    return box


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("客服", "客服主管"),  # a title's start
        ("kfzg", "客服主管"),  # initials
        ("kefuzg", "客服主管"),  # full and initials mixed
        ("zhuguan", "主管会计（物资）"),  # a later word in full pinyin
        ("HYL-CS-02", "客服主管"),  # a code
        ("shjl", "售后经理"),
        ("周", "周婷"),  # a person
        ("zt", "周婷"),
        ("head of pro", "生产部长"),  # the other language
        ("品质", "品质部"),  # a department
    ],
)
def test_suggestions_match_title_name_code_pinyin(page, example_url, typed, first):
    page.goto(example_url + "roles/purchaser.html")
    type_in_box(page, typed)
    found = suggestions(page)
    assert found[0] == first, found
    assert len(found) <= 8


def test_suggestions_by_keyboard_are_a_combobox(page, example_url):
    page.goto(example_url + "processes/complaint-followup.html")
    box = type_in_box(page, "kfzg")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    assert "建议" in page.inner_text("#handbook-suggest-status")  # read out by screen readers
    box.press("ArrowDown")
    first = page.locator("#handbook-suggest [role=option]").first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    assert box.input_value() == "kfzg"
    box.press("ArrowDown")  # opens again, first option
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/roles/cs-supervisor.html")
    # the suggestions never loaded the full-text index
    assert not [
        u
        for u in page.requests_seen
        if "/handbook-search/t" in u or "searchindex" in u or "/handbook-search/index.js" in u
    ]
    assert [u for u in page.requests_seen if "/handbook-search/suggest.js" in u]


def test_suggested_person_opens_their_row(page, example_url):
    page.goto(example_url + "index.html")
    box = type_in_box(page, "zhouting")
    assert suggestions(page)[0] == "周婷"
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/indexes/people.html#person-zhou-ting")


# -- in the browser: a quality manual's words, each in one duty ------------------------------

QUALITY_WORDS = [
    "合格",
    "不合格品",
    "合格证",
    "纠正措施",
    "内审",
    "管理评审",
    "记录",
    "校准",
    "合格率",
    "合格供应商",
    "不合格供应商",
    "签收单",
    "首件检验",
    "让步接收",
    "预防措施",
    "来料检验",
]


@pytest.fixture(scope="module")
def quality_site(site, serve) -> tuple[str, dict[str, str]]:
    built = site("search-quality")
    assert built.warnings == ""
    hb = check_dir(str(built.srcdir / "org")).handbook
    duties = {f"roles/{rid}.html": str(r.responsibilities[0].text) for rid, r in hb.roles.items()}
    return serve(built.outdir), duties


@pytest.mark.parametrize("word", QUALITY_WORDS)
def test_quality_manual_words_are_found(page, quality_site, word):
    base, duties = quality_site
    holders = {doc for doc, duty in duties.items() if word in duty}
    assert holders  # the root puts every word in some duty
    results = run_query(page, base, word)
    roles = [r for r in results if r.startswith("roles/")]
    assert set(roles[: len(holders)]) == holders, (word, roles[:5])
    assert "未找到" not in summary(page)


# -- in the browser: the split index finds what the whole one does ---------------------------


def test_split_and_whole_index_find_the_same_pages(page, serve, site):
    split = site("search-quality", handbook_search_shard_kb=1).outdir
    whole = site("search-quality", handbook_search_shard_kb=100000).outdir
    assert len(list((whole / "_static" / data_files.DATA_DIR).glob("t*.js"))) == 1
    assert len(list((split / "_static" / data_files.DATA_DIR).glob("t*.js"))) > 3
    a, b = serve(split), serve(whole)
    for query in [*QUALITY_WORDS, "谁负责校准", "zlzy01", "质量 记录", "品质部", "量子"]:
        assert run_query(page, a, query) == run_query(page, b, query), query


# -- in the browser: an English handbook, another theme --------------------------------------


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
    assert run_query(page, base, "who signs purchase contracts")[0] == "roles/buyer.html"
    assert run_query(page, base, "xylophone") == []
    assert "No page matches" in summary(page)


def test_another_theme_uses_the_split_index(page, serve, site):
    base = serve(site("search-zh", html_theme="alabaster").outdir)
    assert run_query(page, base, "谁负责退货")[0] == "roles/warranty-tech.html"
    assert page.evaluate("HandbookSearch.lastSearch.words") == ["退货"]
    assert not page.errors_seen


# -- in the browser: readable results (WCAG 2.1 AA: 4.5:1 for text) ---------------------------

CONTRAST = """(selector) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)].filter((el) => el.textContent.trim()).map((el) => {
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
    const b = lum(background(el));
    return [el.className || el.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_results_and_suggestions_have_readable_contrast(page, example_url):
    run_query(page, example_url, "招标 旧件")  # results, snippets, a partial match's "missing" line
    page.wait_for_selector("#search-results p.context mark")
    found = page.evaluate(
        CONTRAST, "#search-results h2, #search-results p, #search-results span, #search-results mark, #search-results a"
    )
    kinds = {k for k, _r in found}
    assert {
        "handbook-hit-dept",
        "handbook-hit-label",
        "handbook-hit-text",
        "MARK",
        "handbook-missing",
        "search-summary",
    } <= kinds, kinds
    assert all(ratio >= 4.5 for _k, ratio in found), [f for f in found if f[1] < 4.5]
    page.goto(example_url + "roles/purchaser.html")
    type_in_box(page, "kf")
    page.locator("input[data-handbook-suggest]").press("ArrowDown")  # one option chosen (its own background)
    found = page.evaluate(CONTRAST, "#handbook-suggest span")
    assert len(found) >= 4 and all(ratio >= 4.5 for _k, ratio in found), found


def test_dirhtml_links_and_suggestions(page, serve, site):
    base = serve(site("search-zh", "dirhtml").outdir)
    page.goto(base + "search/?q=" + urllib.parse.quote("谁负责退货"))
    page.wait_for_function("() => !!(window.HandbookSearch || {}).lastSearch")
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs[0] == "../roles/warranty-tech/"
    assert all(h.startswith("../") and h.endswith("/") for h in hrefs)
    page.goto(base + "departments/after-sales/")
    box = type_in_box(page, "sbjs")  # 三包技术员
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/roles/warranty-tech/")
    assert not page.errors_seen


def test_parallel_build_writes_the_same_search_data(site):
    """Passages are written as pages are resolved (in the main process, also with -j)."""
    serial = site("search-quality").outdir / "_static" / data_files.DATA_DIR
    parallel = site("search-quality", parallel=2).outdir / "_static" / data_files.DATA_DIR
    files = sorted(p.relative_to(serial).as_posix() for p in serial.rglob("*.js"))
    assert len(files) > 20 and files == sorted(p.relative_to(parallel).as_posix() for p in parallel.rglob("*.js"))
    for f in files:
        assert (serial / f).read_bytes() == (parallel / f).read_bytes(), f


@pytest.mark.parametrize("width", [1400, 390])
def test_no_axe_violations_in_suggestions_and_partial_results(page, example_url, width):
    """The a11y sweep (test_a11y.py) checks the search page with results and with none; here
    the states it does not reach: the suggestions open with one chosen, and partial results
    with their "missing" lines and marked words."""
    from axe import assert_accessible, wait_until_settled

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(example_url + "roles/purchaser.html")
    wait_until_settled(page)
    box = type_in_box(page, "kf")
    box.press("ArrowDown")
    assert_accessible(page, f"suggestions open, {width} px")
    run_query(page, example_url, "招标 旧件")
    page.wait_for_selector("#search-results .handbook-missing")
    page.wait_for_selector("#search-results p.context mark")
    page.wait_for_load_state("networkidle")
    assert_accessible(page, f"partial results, {width} px")
