"""A filled count for posts whose holders are not named (`filled: 28` for 30 assembly
workers): counted in every total, shown apart from the named holders ("在岗 28（未具名）")
on the role page, the headcount index and the charts; named holders may not exceed it."""

from __future__ import annotations

import pytest
from conftest import copy_source

from handbook import model as m
from handbook.validate import check_dir

ASSEMBLY = """\
departments:
  - id: assembly
    name: {zh_CN: 装配车间, en: Assembly}
    head: assembly-lead
roles:
  - id: assembly-lead
    title: {zh_CN: 装配组长, en: Assembly Lead}
    department: assembly
    reports_to: gm
    headcount: 3
    filled: 3
    responsibilities: [组织装配。]
    qualifications: [中专]
    authority: [组内人员调配权]
  - id: assembler
    title: {zh_CN: 装配工, en: Assembler}
    department: assembly
    reports_to: assembly-lead
    headcount: 30
    filled: 28
    responsibilities: [按工艺装配焊机。]
    qualifications: [初中]
    authority: [发现质量异常停止作业并报告的权利]
people:
  - {id: zhao-zz, name: 赵组长, assignments: [assembly-lead]}
"""


def holder(kind: str = "primary") -> m.Holder:
    return m.Holder(m.Person("p", m.Text.plain("甲")), m.Assignment("r", kind))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "headcount, holders, filled, expected",
    [
        (m.Range(30, 30), (), 28, m.Staffing(m.Range(30, 30), 28, m.Range(2, 2), unnamed=28)),
        (m.Range(3, 3), (holder(),), 3, m.Staffing(m.Range(3, 3), 3, m.Range(0, 0), unnamed=2)),
        (m.Range(3, 3), (holder(), holder("acting")), None, m.Staffing(m.Range(3, 3), 1, m.Range(2, 2), acting=1)),
        (None, (), 5, m.Staffing(m.ZERO, 5, m.ZERO, unbudgeted=True, unnamed=5)),
        (m.Range(2, 2), (), 4, m.Staffing(m.Range(2, 2), 4, m.ZERO, over=2, unnamed=4)),
        (m.Range(1, 1), (holder(), holder()), 1, m.Staffing(m.Range(1, 1), 2, m.ZERO, over=1)),  # named win
    ],
)
def test_staffing_for(headcount, holders, filled, expected):
    assert m.staffing_for(headcount, holders, filled) == expected


def test_totals_add_the_unnamed():
    total = m.staffing_for(m.Range(30, 30), (), 28) + m.staffing_for(m.Range(3, 3), (holder(),), 3)
    assert (total.headcount, total.filled, total.vacant, total.unnamed) == (m.Range(33, 33), 31, m.Range(2, 2), 30)


@pytest.fixture
def org(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def write(text: str):
        (tmp_path / "org").mkdir(exist_ok=True)
        (tmp_path / "org" / "a.yaml").write_text(
            "company: {name: 焊机公司}\n" + text.replace("    reports_to: gm\n", ""), encoding="utf-8"
        )
        return check_dir("org")

    return write


def test_the_handbook_counts_them(org):
    result = org(ASSEMBLY)
    assert result.problems == []
    hb = result.handbook
    assert hb.role_staffing["assembler"].filled == 28 and hb.role_staffing["assembler"].unnamed == 28
    assert (hb.company_staffing.filled, hb.company_staffing.unnamed, str(hb.company_staffing.vacant)) == (31, 30, "2")


def test_handbook_json_counts_the_unnamed_apart(org):
    from handbook.exchange.exporting import json_data

    data = json_data(org(ASSEMBLY).handbook)
    role = next(r for r in data["roles"] if r["id"] == "assembler")
    assert role["filled"] == 28  # the field, as written
    assert (role["staffing"]["filled"], role["staffing"]["unnamed"]) == (28, 28)
    lead = next(r for r in data["roles"] if r["id"] == "assembly-lead")["staffing"]
    assert (lead["filled"], lead["unnamed"]) == (3, 2)  # 赵组长 is named, two are not


def test_more_named_holders_than_filled(org):
    result = org(ASSEMBLY.replace("filled: 3\n", "filled: 0\n"))
    assert [(str(p.source), p.code.value, p.message, p.hint, [str(r) for r in p.related]) for p in result.problems] == [
        (
            "org/a.yaml:11:13",
            "filled-count",
            "role `assembly-lead` names 1 holders but `filled` is 0",
            "`filled` counts everyone in the post, named or not: write `filled: 1` or more",
            ["org/a.yaml:25:44"],
        )
    ]
    assert result.handbook.role_staffing["assembly-lead"].filled == 1


def test_a_negative_filled_count(org):
    result = org(ASSEMBLY.replace("filled: 28", "filled: -2"))
    assert [(str(p.source), p.code.value, p.message) for p in result.problems] == [
        ("org/a.yaml:20:13", "bad-value", "`filled` of role `assembler` must not be negative")
    ]


# -- the site ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(site, tmp_path_factory):
    src = copy_source("basic", tmp_path_factory.mktemp("filled") / "src")
    (src / "org" / "40-assembly.yaml").write_text(ASSEMBLY, encoding="utf-8")
    return site(src)


def header_row(built, page: str, label: str) -> str:
    table = built.soup(page).select_one("table.handbook-role-header")
    for tr in table.select("tr"):
        if tr.find("th") and tr.find("th").get_text(strip=True) == label:
            return tr.find("td").get_text(strip=True)
    raise AssertionError(label)


def test_role_pages_keep_the_unnamed_apart(built):
    assert built.warnings == ""
    assert header_row(built, "roles/assembler.html", "在岗 / 待招") == "28（未具名） / 2"
    assert header_row(built, "roles/assembly-lead.html", "在岗 / 待招") == "3（未具名 2） / 0"
    assert header_row(built, "roles/assembly-lead.html", "任职人员") == "赵组长"  # only the named ones


def test_the_headcount_index_counts_them_in_the_totals(built):
    table = built.soup("indexes/headcount.html").select_one("table.handbook-headcount")
    rows = {
        tr.find("td").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody > tr")
    }
    assert rows["装配车间"][2:6] == ["33", "31（未具名 30）", "2", "0"]
    basic = check_dir(str(built.srcdir / "org")).handbook.company_staffing
    assert rows["合计"][3] == f"{basic.filled}（未具名 30）" and basic.filled >= 31


def test_the_charts_show_them(built):
    soup = built.soup("departments/assembly.html")
    source = "".join(pre.get_text() for pre in soup.select("pre.mermaid"))
    # the staffing parts are packed into lines of the box (a part is never split)
    assert "编制 30 · 在岗 28（未具名）<br/>待招 2" in source
    assert "编制 3 · 在岗 3（未具名 2）" in source


def test_english_labels(site, built):
    en = site(built.srcdir, language="en")
    assert header_row(en, "roles/assembler.html", "Filled / vacant") == "28 (unnamed) / 2"
    source = "".join(pre.get_text() for pre in en.soup("departments/assembly.html").select("pre.mermaid"))
    assert "Filled 28 #40;unnamed#41;" in source  # Mermaid's escape for ( )
