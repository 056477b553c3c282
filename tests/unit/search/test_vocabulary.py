"""The vocabulary of work (issue 23): the shipped groups, a company's own, the filter to what a
handbook holds, and the messages for a bad file."""

from __future__ import annotations

import pytest

from handbook.search import vocabulary as v


def test_shipped_groups_cover_the_work_of_a_company():
    groups = v.shipped_groups()
    words = {w for g in groups.values() if g for w in g}
    # HR and payroll, finance, admin, purchasing, sales, production, quality, R&D; abbreviations,
    # English and pinyin forms
    for word in (
        "发工资",
        "计薪",
        "五险一金",
        "社保",
        "开发票",
        "公章",
        "印章",
        "车辆",
        "办公用品",
        "请购",
        "客诉",
        "客户投诉",
        "排产",
        "不合格",
        "纠正预防",
        "内审",
        "研发",
        "payroll",
        "invoice",
        "fapiao",
        "shebao",
        "kesu",
    ):
        assert word in words, word
    assert len(groups) >= 60
    # words are stored the way the browser compares them
    assert all(w == v.normalize(w) for w in words)


def test_only_words_the_handbook_holds_are_searched_for():
    corpus = v.Corpus(["负责每月计薪与薪金核算。", "公司印章的保管。", "Supervisor of payroll"])
    used = v.in_use(
        {
            "payroll": ("发工资", "计薪", "薪金核算", "payroll", "gongzi"),
            "canteen": ("食堂", "就餐"),
            "seal": ("公章", "印章"),
        },
        corpus,
    )
    assert used == [[["计薪", "薪金核算", "payroll"], ["发工资", "gongzi"]], [["印章"], ["公章"]]]  # 食堂: no page


def test_a_word_must_stand_whole_and_a_single_character_is_never_looked_up():
    corpus = v.Corpus(["审核发票", "paying the suppliers", "章程"])
    assert not corpus.holds("发工资") and not corpus.holds("票审")  # (票审: no such pair in the text)
    assert corpus.holds("发票") and not corpus.holds("pay") and corpus.holds("paying")
    assert not v.searchable("章") and v.searchable("印章") and not v.searchable("social insurance")
    assert v.in_use({"seal": ("章", "印章")}, corpus) == []


def test_the_index_terms_count_as_held():
    assert v.in_use({"leave": ("请假", "考勤")}, v.Corpus([]), frozenset({"考勤"})) == [[["考勤"], ["请假"]]]


def test_company_groups_extend_add_and_drop(tmp_path):
    f = tmp_path / "words.yaml"
    f.write_text(
        "groups:\n  payroll: [出粮]\n  canteen: null\n  key-accounts: [大客户, Key Account]\n", encoding="utf-8"
    )
    groups = v.load_groups([["饭堂", "食堂"]], f)
    assert groups["payroll"][-1] == "出粮" and "计薪" in groups["payroll"]
    assert "canteen" not in groups
    assert groups["key-accounts"] == ("大客户", "key account")
    assert groups["饭堂"] == ("饭堂", "食堂")  # a group of conf.py, named by its first word
    assert v.load_groups({"payroll": ["出粮"]}, shipped=False) == {"payroll": ("出粮",)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "groups:\n  payroll: 出粮\n",
            "words.yaml: groups: payroll: expected a list of words (or null to drop the group), got '出粮'",
        ),
        ("groups: [出粮]\n", "words.yaml: groups[0]: expected a list of words, got '出粮'"),
        ("groups:\n  payroll: [出粮\n", "words.yaml:3:1: not valid YAML"),
        ("just words\n", "words.yaml: expected groups (name: [words, ...]), got str"),
    ],
)
def test_a_bad_file_says_where(tmp_path, text, message):
    f = tmp_path / "words.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(v.VocabularyError) as err:
        v.load_groups(None, f)
    assert str(err.value).startswith(str(tmp_path / message.split(":", 1)[0]) + ":" + message.split(":", 1)[1]), str(
        err.value
    )


def test_a_word_is_found_where_a_word_starts():
    starts = {
        "美工资源分配": {0, 2, 4},
        "工资表每月提交": {0, 3, 5},
        "审核重大客户投诉": {0, 2, 4, 6},
        "员工工资条": {0, 4},
    }
    find = v.Finder(["工资", "大客户", "工资条", "payroll"], lambda text: starts.get(text, set()))
    assert find("员工工资条") == {"工资", "工资条"}  # 员工工资 / 条: two characters of 员工工资 and on
    assert find("美工资源分配") == set()  # 美工 / 资源: no 工资 there
    assert find("工资表每月提交") == {"工资"}
    assert find("审核重大客户投诉") == set()
    assert v.Finder(["工资"])("美工资源") == {"工资"}  # without a segmenter: anywhere
    assert find("Payroll clerk") == {"payroll"} and find("payrolls") == set()
