"""The immutable model and the relations derived from the data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap

import pytest

from handbook import model as m
from handbook.digest import digest
from handbook.model import Range, Staffing, Text, staffing_for
from handbook.problems import Code, Source
from handbook.validate import check_dir

ORG = """\
company:
  name: {zh_CN: 示例有限公司, en: Example Ltd}
  document:
    number: QM-ORG-001
    effective: 2024-03-01
    history:
      - {revision: A/0, date: 2024-01-15, summary: 首次发布}
departments:
  - id: rd                 # written first, but `order` puts it second
    name: 研发部
    code: 007
    order: 2
    head: rd-manager
  - id: gm
    name: {zh_CN: 总经理办公室, en: GM Office}
    order: 1
    head: gm
  - id: rd-2
    name: 研发二部
    parent: rd
    order: 2
  - id: rd-1
    name: 研发一部
    parent: rd
    order: 1
  - id: rd-1a
    name: 研发一部甲组
    parent: rd-1
roles:
  - id: gm
    title: 总经理
    department: gm
    headcount: 1
    grade: yes
    purpose: 1.50
    responsibilities: [经营决策]
    authority: [a]
    qualifications: {education: 本科, skills: [管理, 财务]}
  - id: engineer
    title: 工程师
    department: rd-1
    reports_to: rd-manager
    dotted_line_to: gm
    headcount: "5-10人"
    order: 2
    responsibilities:
      - 编写代码
      - text: 修复缺陷
        kpi: 缺陷关闭率 ≥ 95%
      - title: 文档
        items: [编写设计文档, {text: 维护手册, frequency: 每月}]
    authority: [a]
    qualifications: [大专及以上学历]
    extra: {工号前缀: E, 入职: 2024-01-01, 标签: [a, b]}
  - id: rd-manager
    title: 研发经理
    department: rd
    reports_to: gm
    headcount: 1
    responsibilities: [管理研发]
    authority: [a]
    qualifications: [本科]
  - id: lead
    title: 组长
    department: rd-1
    reports_to: rd-manager
    headcount: "1~2"
    order: 1
    responsibilities: [带队]
    authority: [a]
    qualifications: [本科]
  - id: intern
    title: 实习生
    department: rd-1a
    reports_to: lead
    responsibilities: [学习]
    authority: [a]
    qualifications: [在校生]
  - id: tester
    title: 测试员
    department: rd-2
    reports_to: lead
    dotted_line_to: [rd-manager, gm]
    headcount: 3
    responsibilities: [测试]
    authority: [a]
    qualifications: [大专]
people:
  - {name: 张三, assignments: [gm, {role: rd-manager, type: acting}]}
  - {id: li-si, name: 李四, assignments: [{role: engineer, since: 2024-03-01}]}
  - {name: 王五, assignments: [{role: engineer, type: concurrent}, lead]}
  - {name: 赵六, assignments: [{role: engineer, type: acting}]}
  - {name: 钱七, assignments: [{role: engineer, type: 兼任}]}
  - {name: 孙八, assignments: [intern]}
  - {name: T1, assignments: [tester]}
  - {name: T2, assignments: [tester]}
  - {name: T3, assignments: [tester]}
  - {name: T4, assignments: [tester]}
processes:
  - id: release
    name: 发布流程
    owner: rd-manager
    order: 2
    steps:
      - {id: plan, action: 计划, role: lead, next: build}
      - {id: build, action: 构建, role: engineer, next: [{to: test, label: 通过}]}
      - {id: test, action: 测试, role: tester, record: 测试报告}
    raci:
      - {activity: 发布, R: [engineer, tester], A: rd-manager, C: lead, I: gm}
  - id: onboarding
    name: 入职流程
    owner: gm
    order: 1
    steps:
      - {id: apply, action: 报到, role: intern}
    raci:
      - {activity: 审批, R: gm, A: gm}
"""


def build_org(base, monkeypatch, text: str = ORG):
    """Write ``text`` as <base>/org/a.yaml and check <base>/org from <base>."""
    (base / "org").mkdir(parents=True)
    (base / "org" / "a.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.chdir(base)
    return check_dir("org")


@pytest.fixture
def hb(tmp_path, monkeypatch) -> m.Handbook:
    result = build_org(tmp_path, monkeypatch)
    # the one problem in ORG: four people on a headcount of three
    assert [(str(p.source), p.code) for p in result.problems] == [("org/a.yaml:84:16", Code.OVER_HEADCOUNT)]
    assert result.handbook is not None
    return result.handbook


# -- objects as written -------------------------------------------------------------------------------
def test_scalars_are_kept_as_written(hb):
    assert str(hb.departments["rd"].code) == "007"
    assert str(hb.roles["gm"].grade) == "yes"
    assert str(hb.roles["gm"].purpose) == "1.50"


def test_dates(hb):
    assert hb.company.document.effective == dt.date(2024, 3, 1)
    assert hb.company.document.history[0].date == dt.date(2024, 1, 15)
    assert hb.company.document.history[0].revision == Text.plain("A/0")
    li_si = next(p for p in hb.people if p.id == "li-si")
    assert li_si.assignments[0].since == dt.date(2024, 3, 1)


def test_people_keys_and_assignment_types(hb):
    assert [p.key for p in hb.people[:3]] == ["person-1", "li-si", "person-3"]
    assert [(a.role, a.type) for a in hb.people[0].assignments] == [("gm", "primary"), ("rd-manager", "acting")]
    assert [(a.role, a.type) for a in hb.people[4].assignments] == [("engineer", "concurrent")]  # 兼任


def test_duty_lists_and_qualifications(hb):
    duties = hb.roles["engineer"].responsibilities
    assert [type(d).__name__ for d in duties] == ["Duty", "Duty", "DutyGroup"]
    assert str(duties[1].kpi) == "缺陷关闭率 ≥ 95%"
    assert [str(d.text) for d in m.iter_duties(duties)] == ["编写代码", "修复缺陷", "编写设计文档", "维护手册"]
    assert str(duties[2].items[1].frequency) == "每月"
    assert [str(q) for q in hb.roles["engineer"].qualifications.other] == ["大专及以上学历"]
    quals = hb.roles["gm"].qualifications
    assert str(quals.education) == "本科" and [str(s) for s in quals.skills] == ["管理", "财务"]
    assert bool(quals) and not m.Qualifications()


def test_extra_is_carried_along_frozen(hb):
    extra = hb.roles["engineer"].extra
    assert dict(extra) == {"工号前缀": "E", "入职": "2024-01-01", "标签": ("a", "b")}
    with pytest.raises(TypeError):
        extra["x"] = 1  # type: ignore[index]


def test_model_is_immutable(hb):
    with pytest.raises(dataclasses.FrozenInstanceError):
        hb.roles["gm"].title = Text.plain("x")  # type: ignore[misc]
    with pytest.raises(TypeError):
        hb.roles["x"] = hb.roles["gm"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hb.company = hb.company  # type: ignore[misc]


# -- derived relations --------------------------------------------------------------------------------
def test_department_tree_order(hb):
    assert hb.top_departments == ("gm", "rd")
    assert list(hb.departments) == ["gm", "rd", "rd-1", "rd-1a", "rd-2"]
    assert dict(hb.subdepartments) == {"gm": (), "rd": ("rd-1", "rd-2"), "rd-1": ("rd-1a",), "rd-1a": (), "rd-2": ()}
    assert hb.descendants("rd") == ("rd-1", "rd-1a", "rd-2")
    assert hb.descendants("gm") == ()
    assert hb.department_path("rd-1a") == ("rd", "rd-1", "rd-1a")


def test_department_roles_order(hb):
    assert dict(hb.department_roles) == {
        "gm": ("gm",),
        "rd": ("rd-manager",),
        "rd-1": ("lead", "engineer"),
        "rd-1a": ("intern",),
        "rd-2": ("tester",),
    }
    assert list(hb.roles) == ["gm", "rd-manager", "lead", "engineer", "intern", "tester"]
    assert dict(hb.department_total_roles) == {"gm": 1, "rd": 5, "rd-1": 3, "rd-1a": 1, "rd-2": 1}


def test_direct_and_dotted_reports(hb):
    assert dict(hb.direct_reports) == {
        "gm": ("rd-manager",),
        "rd-manager": ("lead", "engineer"),
        "lead": ("intern", "tester"),
    }
    assert dict(hb.dotted_reports) == {"gm": ("engineer", "tester"), "rd-manager": ("tester",)}


def test_holders_primary_then_concurrent_then_acting(hb):
    assert [(str(h.person.name), h.assignment.type) for h in hb.holders["engineer"]] == [
        ("李四", "primary"),
        ("王五", "concurrent"),
        ("钱七", "concurrent"),
        ("赵六", "acting"),
    ]
    assert [str(h.person.name) for h in hb.holders["rd-manager"]] == ["张三"]


def test_role_staffing(hb):
    st = hb.role_staffing
    # 编制 5-10, three fill it (primary + two concurrent), the acting holder does not: 2-7 vacant
    assert st["engineer"] == Staffing(Range(5, 10), 3, Range(2, 7), acting=1)
    assert st["rd-manager"] == Staffing(Range(1, 1), 0, Range(1, 1), acting=1)  # only acting: still vacant
    assert st["lead"] == Staffing(Range(1, 2), 1, Range(0, 1))
    assert st["gm"] == Staffing(Range(1, 1), 1, Range(0, 0))
    assert st["tester"] == Staffing(Range(3, 3), 4, Range(0, 0), over=1)  # 超编
    assert st["intern"] == Staffing(Range(0, 0), 1, Range(0, 0), unbudgeted=True)  # no headcount


def test_department_and_company_staffing(hb):
    assert hb.department_staffing["rd-1"] == Staffing(Range(6, 12), 4, Range(2, 8), acting=1)
    assert hb.department_staffing["rd"] == Staffing(Range(1, 1), 0, Range(1, 1), acting=1)  # own roles only
    assert hb.department_total_staffing["rd-1"] == Staffing(Range(6, 12), 5, Range(2, 8), acting=1, unbudgeted=True)
    assert hb.department_total_staffing["rd"] == Staffing(
        Range(10, 16), 9, Range(3, 9), acting=2, over=1, unbudgeted=True
    )
    assert hb.department_total_staffing["gm"] == Staffing(Range(1, 1), 1, Range(0, 0))
    assert hb.company_staffing == Staffing(Range(11, 17), 10, Range(3, 9), acting=2, over=1, unbudgeted=True)


def test_role_processes(hb):
    assert list(hb.processes) == ["onboarding", "release"]  # by `order`
    assert dict(hb.role_processes) == {
        "gm": ("onboarding", "release"),
        "intern": ("onboarding",),
        "rd-manager": ("release",),
        "lead": ("release",),
        "engineer": ("release",),
        "tester": ("release",),
    }


def test_process_steps_and_raci(hb):
    release = hb.processes["release"]
    assert [(s.id, s.role, [t.to for t in s.next]) for s in release.steps] == [
        ("plan", "lead", ["build"]),
        ("build", "engineer", ["test"]),
        ("test", "tester", []),
    ]
    assert str(release.steps[1].next[0].label) == "通过"
    row = release.raci[0]
    assert (row.responsible, row.accountable, row.consulted, row.informed) == (
        ("engineer", "tester"),
        ("rd-manager",),
        ("lead",),
        ("gm",),
    )
    assert row.letters_for("engineer") == "R" and row.letters_for("gm") == "I" and row.letters_for("x") == ""
    assert hb.processes["onboarding"].raci[0].letters_for("gm") == "RA"


@pytest.mark.parametrize(
    "written, expected",
    [
        ("3", Range(3, 3)),
        ("0", Range(0, 0)),
        ('"5-10"', Range(5, 10)),
        ('"5-10人"', Range(5, 10)),
        ('"5~10"', Range(5, 10)),
        ('"5～10"', Range(5, 10)),
        ('"5 至 10 人"', Range(5, 10)),
        ('"3人"', Range(3, 3)),
        ("5-5", Range(5, 5)),
    ],
)
def test_headcount_forms(tmp_path, monkeypatch, written, expected):
    result = build_org(
        tmp_path,
        monkeypatch,
        f"""\
        company: {{name: X}}
        departments: [{{id: d, name: D}}]
        roles:
          - {{id: r, title: R, department: d, headcount: {written}, responsibilities: [w], qualifications: [q], authority: [a]}}
        """,
    )
    assert result.problems == []
    assert result.handbook.roles["r"].headcount == expected


def test_cycles_are_cut_so_derived_data_is_finite(tmp_path, monkeypatch):
    result = build_org(
        tmp_path,
        monkeypatch,
        """\
        company: {name: X}
        departments:
          - {id: a, name: A, parent: b}
          - {id: b, name: B, parent: a}
        roles:
          - {id: x, title: X, department: a, reports_to: y, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: y, title: Y, department: b, reports_to: x, responsibilities: [w], qualifications: [q], authority: [a]}
        """,
    )
    assert [p.code for p in result.problems] == [Code.CYCLE, Code.CYCLE]
    assert result.handbook is None


# -- Text ---------------------------------------------------------------------------------------------
def test_text_language_fallback():
    t = Text((("zh_CN", "研发经理"), ("en", "R&D Manager")))
    assert t.get("zh_CN") == "研发经理"
    assert t.get("en") == "R&D Manager"
    assert t.get("en_GB") == "R&D Manager"  # en_GB -> en
    assert t.get("zh") == "研发经理"  # zh -> zh_CN (same base language)
    assert t.get("fr") == "研发经理"  # -> the first
    assert t.get(None) == "研发经理" and t.get("") == "研发经理"
    assert str(t) == "研发经理" and t.all_strings() == ("研发经理", "R&D Manager")
    only_zh = Text((("en", "Manager"), ("zh", "经理")))
    assert only_zh.get("zh_CN") == "经理"  # zh_CN -> zh
    assert only_zh.get("zh-TW") == "经理"
    exact_first = Text((("zh", "经理"), ("zh_CN", "经理（简体）")))
    assert exact_first.get("zh_CN") == "经理（简体）"  # an exact match wins over the base language


def test_text_plain_and_translated_in_the_data(hb):
    assert hb.company.name.get("en") == "Example Ltd" and hb.company.name.get("zh_CN") == "示例有限公司"
    assert hb.departments["gm"].name.get("en") == "GM Office"
    assert hb.departments["rd"].name == Text.plain("研发部") and hb.departments["rd"].name.get("en") == "研发部"


# -- Range and Staffing -----------------------------------------------------------------------------
def test_range():
    assert Range(1, 2) + Range(3, 5) == Range(4, 7)
    assert str(Range(3, 3)) == "3" and str(Range(5, 10)) == "5-10"


def test_staffing_for():
    def holders(*types: str) -> tuple[m.Holder, ...]:
        return tuple(
            m.Holder(m.Person(f"p{i}", Text.plain(f"P{i}")), m.Assignment("r", t))  # type: ignore[arg-type]
            for i, t in enumerate(types)
        )

    assert staffing_for(Range(5, 10), holders("primary", "concurrent", "acting")) == Staffing(
        Range(5, 10), 2, Range(3, 8), acting=1
    )
    assert staffing_for(Range(2, 2), holders("primary", "primary", "primary", "acting")) == Staffing(
        Range(2, 2), 3, Range(0, 0), acting=1, over=1
    )
    assert staffing_for(Range(0, 0), ()) == Staffing(Range(0, 0), 0, Range(0, 0))
    assert staffing_for(None, holders("primary")) == Staffing(Range(0, 0), 1, Range(0, 0), unbudgeted=True)
    total = Staffing(Range(1, 1), 1, Range(0, 0)) + Staffing(Range(2, 3), 0, Range(2, 3), 1, 0, True)
    assert total == Staffing(Range(3, 4), 1, Range(2, 3), acting=1, over=0, unbudgeted=True)


# -- digest ---------------------------------------------------------------------------------------------
def test_digest_ignores_positions(tmp_path, monkeypatch):
    first = build_org(tmp_path / "one", monkeypatch, ORG)
    # the same content, moved down by comments and blank lines, one block re-indented
    people = ORG.index("people:")
    moved = (
        "# a comment\n\n\n"
        + ORG[:people].replace("\n  - id: ", "\n\n  - id: ")
        + ORG[people:].replace("\n  - {", "\n    - {")
    )
    second = build_org(tmp_path / "two", monkeypatch, moved)
    a, b = first.handbook, second.handbook
    assert a.roles["engineer"].source != b.roles["engineer"].source  # positions did change
    assert a.roles["engineer"].source.line + 4 < b.roles["engineer"].source.line
    assert digest(a.roles["engineer"]) == digest(b.roles["engineer"])
    assert digest(a.departments["rd"]) == digest(b.departments["rd"])
    assert digest(a) == digest(b)


def test_digest_changes_with_content(tmp_path, monkeypatch):
    a = build_org(tmp_path / "one", monkeypatch, ORG).handbook
    b = build_org(tmp_path / "two", monkeypatch, ORG.replace("编写代码", "编写测试")).handbook
    assert digest(a.roles["engineer"]) != digest(b.roles["engineer"])
    assert digest(a) != digest(b)
    assert digest(a.roles["gm"]) == digest(b.roles["gm"])  # untouched roles keep their digest
    assert digest(a.roles["gm"]) != digest(a.roles["lead"])


def test_digest_distinguishes_types_and_field_boundaries():
    assert digest(Text.plain("1")) != digest(Range(1, 1))
    assert digest(("ab", "c")) != digest(("a", "bc"))
    assert digest(7) != digest("7")
    assert digest(m.Duty(Text.plain("x"), source=Source("a", 1, 1))) == digest(m.Duty(Text.plain("x")))
    assert len(digest(None)) == 24


def test_items_without_order_follow_the_ordered_ones_in_file_order():
    from handbook.validate.relations import sorted_by_order

    class Item:
        def __init__(self, name, order=None):
            self.name, self.order = name, order

    items = [Item("a"), Item("b", 2), Item("c"), Item("d", 1), Item("e", 0)]
    assert [i.name for i in sorted_by_order(items)] == ["e", "d", "b", "a", "c"]
