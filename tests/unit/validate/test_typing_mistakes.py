"""The mistakes an HR administrator makes typing YAML on a Chinese keyboard: each one is
reported at the line where it was made, names the cause and gives the fix (both YAML
parsers), and a file that cannot be read does not set off a cascade of wrong hints."""

from __future__ import annotations

import pytest
import yaml

from handbook.validate import check_dir
from handbook.validate import located_yaml as loader
from handbook.validate.located_yaml import load_text
from handbook.validate.typing_mistakes import guess_encoding, salvage_ids

PARSERS = [pytest.param(yaml.CSafeLoader, id="libyaml"), pytest.param(yaml.SafeLoader, id="pure-python")]


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    if request.param is getattr(yaml, "CSafeLoader", None) and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(loader, "_Loader", request.param)


def one(text: str) -> tuple[str, str, str, str]:
    _root, problems = load_text(text, "f.yaml")
    assert len(problems) == 1, [p.format() for p in problems]
    p = problems[0]
    return str(p.source), p.code.value, p.message, p.hint


ROLE = "roles:\n  - id: sales-engineer\n{line}\n    department: sales\n"

# (the line as typed, position, message, hint): every one is a syntax error PyYAML reports a line late
SYNTAX = [
    ("    title 销售工程师", "f.yaml:3:10", "missing colon after `title`", "write `title: 销售工程师`"),
    (
        "    title： 行政文员",
        "f.yaml:3:10",
        "full-width colon `：` after `title`: YAML needs the half-width colon `:`",
        "write `title: 行政文员` (`:` followed by a space)",
    ),
    (
        "    title：行政文员",
        "f.yaml:3:10",
        "full-width colon `：` after `title`: YAML needs the half-width colon `:`",
        "write `title: 行政文员` (`:` followed by a space)",
    ),
    (
        "    title:行政文员",
        "f.yaml:3:10",
        "no space after the colon in `title:行政文员`",
        "write `title: 行政文员`: YAML needs a space after `:`",
    ),
    (
        "\ttitle: 焊工",
        "f.yaml:3:1",
        "a tab character in the indentation: YAML indents with spaces only",
        "replace the tabs with spaces (most editors can be set to insert spaces for the Tab key)",
    ),
    (
        "　　title: 焊工",
        "f.yaml:3:1",
        "a full-width space `　` in the indentation: YAML indents with half-width spaces",
        "delete it and type ordinary spaces (switch the input method to 半角)",
    ),
    (
        "  　title: 焊工",
        "f.yaml:3:3",
        "a full-width space `　` in the indentation: YAML indents with half-width spaces",
        "delete it and type ordinary spaces (switch the input method to 半角)",
    ),
    (
        "    title: “副总经理: 管理者代表”",
        "f.yaml:3:12",
        "Chinese quotes `“ ”` are not YAML quotes",
        "to quote a value use half-width quotes: `\"…\"` (or `'…'`)",
    ),
]


@pytest.mark.parametrize("line, position, message, hint", SYNTAX, ids=[s[0].strip() for s in SYNTAX])
def test_syntax_mistakes_are_named_on_their_own_line(parser, line, position, message, hint):
    assert one(ROLE.format(line=line)) == (position, "yaml-syntax", message, hint)


INDENTATION = [
    (
        "roles:\n  - id: a\n    title: x\n      headcount: 3\n    department: d\n",
        "f.yaml:4:7",
        "`headcount` is indented more than `title` above it",
        "align it with `title` (4 spaces): a line indented further continues the value of the line before",
    ),
    (
        "roles:\n  - id: a\n    title: x\n   department: d\n",
        "f.yaml:4:4",
        "`department` is indented 3 spaces, which matches no line above it",
        "align it with `title` (4 spaces)",
    ),
    (
        "roles:\n  - id: a\n    title: x\n  department: d\n",
        "f.yaml:4:3",
        "`department` is indented like the `- ` of the list item above it",
        "align it with `id` (4 spaces) to add it to that item, or start a new item with `- `",
    ),
    (
        "roles:\n  - {id: a, title: 总经理\n    department: d\n",
        "f.yaml:2:5",
        "`{` is not closed on its line",
        "end the list or mapping with `}` on the same line, or write it as lines",
    ),
]


@pytest.mark.parametrize("text, position, message, hint", INDENTATION, ids=range(len(INDENTATION)))
def test_indentation_and_brackets(parser, text, position, message, hint):
    assert one(text) == (position, "yaml-syntax", message, hint)


def test_a_full_width_space_after_a_dash_in_a_broken_file(parser):
    assert one("roles:\n  - id: a\n    responsibilities:\n      -\u3000制定计划\n        x: 1\n") == (
        "f.yaml:4:8",
        "yaml-syntax",
        "a full-width space `　` after `-`: a list item needs a half-width space",
        "delete it and type an ordinary space (switch the input method to 半角)",
    )


def test_a_missing_colon_on_the_last_line(parser):
    assert one("roles:\n  - id: a\n    department: x\n    title 销售工程师\n")[:3] == (
        "f.yaml:4:10",
        "yaml-syntax",
        "missing colon after `title`",
    )


def test_a_full_width_colon_on_the_first_key_of_an_item(parser):
    # the item is read as one long text; PyYAML complains at the next `:`, one line later
    assert one("roles:\n  - title： 行政文员\n    department: x\n")[:3] == (
        "f.yaml:2:10",
        "yaml-syntax",
        "full-width colon `：` after `title`: YAML needs the half-width colon `:`",
    )


def test_a_full_width_colon_after_a_top_level_key(parser):
    assert one("company：\n  name: 某公司\n") == (
        "f.yaml:1:8",
        "yaml-syntax",
        "full-width colon `：` after `company`: YAML needs the half-width colon `:`",
        "write `company:`",
    )


def test_a_tab_after_a_colon():
    """libyaml accepts a tab after `key:`; the pure-Python parser does not, and says which."""
    assert load_text("a:\tb\n", "f.yaml")[1] == [] if hasattr(yaml, "CSafeLoader") else True
    loader_before = loader._Loader
    try:
        loader._Loader = yaml.SafeLoader
        assert one("roles:\n  - id: a\n    title:\tx\n") == (
            "f.yaml:3:11",
            "yaml-syntax",
            "a tab character: YAML separates keys, values and list items with spaces",
            "replace the tab with a space",
        )
    finally:
        loader._Loader = loader_before


def test_an_unexplained_simple_key_error_points_at_the_key(parser):
    """No known mistake on the line: still the key's own line, not the next one."""
    assert one("roles:\n  - id: a\n    销售工程师 岗位\n    department: x\n") == (
        "f.yaml:3:5",
        "yaml-syntax",
        "`销售工程师 岗位` is not `key: value`: the colon after the key is missing",
        "write `key: value` (a half-width colon followed by a space)",
    )


# -- values that parse, but not as meant -------------------------------------------------------------
def test_a_comma_inside_braces_is_named_and_the_fix_given(parser):
    root, problems = load_text("roles:\n  - {id: qa, title: 副总经理, 管理者代表, department: gm}\n", "f.yaml")
    assert [(str(p.source), p.code.value, p.message, p.hint) for p in problems] == [
        (
            "f.yaml:2:27",
            "comma-in-braces",
            "`管理者代表` became a key of its own: a comma inside `{…}` ends the value of `title`",
            'quote the whole value: `title: "副总经理, 管理者代表"` (or use the Chinese comma `，` inside the text)',
        )
    ]
    role = root.get("roles").items[0]
    assert list(role.items) == ["id", "title", "department"]  # no second error: "unknown key `管理者代表`"


def test_two_commas_inside_braces(parser):
    _root, problems = load_text("r: {title: 副总经理, 管理者代表, 质量负责人}\n", "f.yaml")
    assert [p.hint.split(" (")[0] for p in problems] == [
        'quote the whole value: `title: "副总经理, 管理者代表"`',
        'quote the whole value: `title: "副总经理, 管理者代表, 质量负责人"`',
    ]


def test_a_comma_inside_braces_after_chinese_quotes(parser):
    _src, code, message, hint = one("r: {title: “副总经理, 管理者代表”, x: 1}\n")
    assert (code, message) == (
        "comma-in-braces",
        "`管理者代表”` became a key of its own: a comma inside `{…}` ends the value of `title`",
    )
    assert hint.startswith(
        'Chinese quotes `“ ”` are not YAML quotes; use half-width ones: `title: "副总经理, 管理者代表"`'
    )


def test_a_full_width_colon_inside_braces_is_read_as_meant(parser):
    root, problems = load_text("r: {id: gm, title：总经理}\n", "f.yaml")
    assert [(str(p.source), p.code.value, p.message, p.hint) for p in problems] == [
        (
            "f.yaml:1:13",
            "comma-in-braces",
            "full-width colon `：` in `title：总经理`: inside `{…}` YAML needs the half-width colon `:`",
            "write `title: 总经理`",
        )
    ]
    assert root.get("r").get("title").value == "总经理"  # so no "role has no title" follows


def test_a_key_without_value_inside_braces_is_not_confused_with_an_empty_value(parser):
    assert load_text("r: {a: 1, b: }\n", "f.yaml")[1] == []
    assert one("r: [{a}]\n")[1:3] == ("comma-in-braces", "`a` has no value: inside `{…}` every entry is `key: value`")


def test_chinese_quotes_around_a_whole_value_are_a_warning(parser):
    _root, problems = load_text('a: “总经理”\nb: “质量第一”的理念\nc: "“引号”"\n', "f.yaml")
    assert [(str(p.source), p.code.value, p.message, p.hint) for p in problems] == [
        (
            "f.yaml:1:4",
            "fullwidth-punctuation",
            "the Chinese quotes of `“总经理”` are part of the text: YAML quotes are half-width",
            'write `"总经理"`, or leave the quotes out',
        )
    ]


def test_flow_lists_are_marked(parser):
    root, _ = load_text("a: [x, y]\nb:\n  - x\n", "f.yaml")
    assert root.get("a").flow and not root.get("b").flow


# -- files -------------------------------------------------------------------------------------------
def test_guess_encoding():
    assert guess_encoding("岗位".encode("gbk"))[0].startswith("the file is saved as GBK/GB18030")
    assert guess_encoding("岗位".encode("utf-16"))[0].startswith("the file is saved as UTF-16")
    assert guess_encoding(b"caf\xe9 au lait") is None  # Latin-1: no guess


def test_salvage_ids_reads_the_ids_of_a_broken_file():
    text = (
        "company: {name: x}\ndepartments:\n  - id: quality\n    name: 品质部\nroles:\n- id: quality-manager\n"
        "\ttitle 品质部经理\n乱码 \\t行\n  - {id: ｑｃ－inspector, title: 检验员}\n  - id： qe\npeople:\n  - id: li-si\n"
        "processes:\n  - id: ncr\n    steps:\n      - id: report\n"
    )
    assert salvage_ids(text) == (
        ("department", "quality"),
        ("role", "quality-manager"),
        ("role", "qc-inspector"),
        ("role", "qe"),
        ("person", "li-si"),
        ("process", "ncr"),
        ("process", "report"),
    )


# -- the cascade: a file that cannot be read ----------------------------------------------------------
COMPANY = "company:\n  name: 焊机有限公司\n"
GM = """\
departments:
  - {id: gm-office, name: 总经理办公室, head: general-manager}
roles:
  - id: general-manager
    title: 总经理
    department: gm-office
    responsibilities: [经营管理]
    qualifications: [本科]
    authority: [审批权]
  - id: tech-manager
    title: 技术部经理
    department: gm-office
    reports_to: general-manager
    responsibilities: [技术管理]
    qualifications: [本科]
    authority: [技术方案审批权]
"""
QUALITY = """\
departments:
  - id: quality
    name: 品质部
    head: quality-manager
roles:
  - id: quality-manager
    title: 品质部经理
    department: quality
    reports_to: general-manager
\tresponsibilities: [质量管理]
  - id: inspector
    title: 检验员
    department: quality
    reports_to: quality-manager
    responsibilities: [检验]
"""
SALES = """\
departments:
  - {id: sales, name: 销售部, head: sales-manager}
roles:
  - id: sales-manager
    title 销售部经理
    department: sales
    reports_to: general-manager
    responsibilities: [销售]
"""
USERS = """\
roles:
  - id: assistant
    title: 总经理助理
    department: gm-office
    reports_to: general-manager
    dotted_line_to: [quality-manager, sales-manager]
    responsibilities: [协助]
    qualifications: [大专]
    authority: [a]
  - id: lab-tech
    title: 化验员
    department: quality
    reports_to: quality-manager
    responsibilities: [化验]
    qualifications: [大专]
    authority: [a]
  - id: sales-rep
    title: 销售代表
    department: sales
    reports_to: sales-manger
    responsibilities: [销售]
    qualifications: [大专]
    authority: [a]
people:
  - {name: 张三, assignments: [general-manager]}
  - {name: 李四, assignments: [quality-manager, inspector]}
  - {name: 王五, assignments: [sales-manager]}
processes:
  - id: ncr
    name: 不合格品处理
    owner: quality-manager
    steps:
      - {id: report, action: 报告, role: inspector}
    raci:
      - {activity: 评审, R: [inspector], A: [quality-manager]}
"""


def test_a_tab_and_a_missing_colon_in_two_files_give_two_errors_not_thirteen(tmp_path, monkeypatch):
    """Each unreadable file is one clear error; references to the objects it defines are
    not reported; an id found nowhere is reported once, without a guess from the files
    that were read (tech-manager is not what sales-manger meant)."""
    monkeypatch.chdir(tmp_path)
    org = tmp_path / "org"
    org.mkdir()
    for name, text in (
        ("00-company", COMPANY),
        ("10-gm", GM),
        ("20-quality", QUALITY),
        ("30-sales", SALES),
        ("40-users", USERS),
    ):
        (org / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = check_dir("org")
    assert [p.format() for p in result.problems] == [
        "org/20-quality.yaml:10:1: error[yaml-syntax]: a tab character in the indentation: YAML indents with "
        "spaces only\n  hint: replace the tabs with spaces (most editors can be set to insert spaces for the Tab key)",
        "org/30-sales.yaml:5:10: error[yaml-syntax]: missing colon after `title`\n  hint: write `title: 销售部经理`",
        "org/40-users.yaml:20:17: error[dangling-ref]: `reports_to` of role `sales-rep`: no role has the id "
        "`sales-manger` in the files that could be read\n"
        "  hint: it may be defined in `org/20-quality.yaml`, `org/30-sales.yaml`, which could not be read: "
        "fix that first",
    ]
    assert all("did you mean" not in p.hint and "not its name" not in p.hint for p in result.problems)


def test_an_unknown_id_is_reported_once_while_a_file_is_unread(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    org = tmp_path / "org"
    org.mkdir()
    (org / "a.yaml").write_text(
        COMPANY + GM.replace("reports_to: general-manager", "reports_to: boss"), encoding="utf-8"
    )
    (org / "b.yaml").write_text("roles: [\n", encoding="utf-8")
    (org / "c.yaml").write_text(
        "people:\n  - {name: 甲, assignments: [boss]}\n  - {name: 乙, assignments: [boss]}\n", encoding="utf-8"
    )
    refs = [p for p in check_dir("org").problems if p.code.value == "dangling-ref"]
    assert [(str(p.source), p.message, [str(r) for r in p.related]) for p in refs] == [
        (
            "org/a.yaml:15:17",
            "`reports_to` of role `tech-manager`: no role has the id `boss` in the files that "
            "could be read (3 references)",
            ["org/c.yaml:2:29", "org/c.yaml:3:29"],
        )
    ]


def test_a_gbk_file_does_not_cascade(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    org = tmp_path / "org"
    org.mkdir()
    (org / "00-company.yaml").write_text(COMPANY + GM, encoding="utf-8")
    (org / "20-quality.yaml").write_bytes(QUALITY.replace("\t", "    ").encode("gbk"))
    (org / "40-users.yaml").write_text(
        USERS.replace("sales-manager", "general-manager")
        .replace("sales-manger", "general-manager")
        .replace("department: sales", "department: gm-office"),
        encoding="utf-8",
    )
    result = check_dir("org")
    assert [(p.code.value, p.source.path) for p in result.problems] == [("encoding", "org/20-quality.yaml")]


def test_without_unread_files_dangling_refs_keep_their_guesses(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(
        COMPANY + GM.replace("reports_to: general-manager", "reports_to: general-manger"), encoding="utf-8"
    )
    [problem] = [p for p in check_dir("org").problems if p.is_error]
    assert (problem.message, problem.hint) == (
        "`reports_to` of role `tech-manager`: no role has the id `general-manger`",
        "did you mean `general-manager`?",
    )


# -- the readers: values of the wrong shape ------------------------------------------------------------
def check_text(tmp_path, monkeypatch, roles: str, extra: str = ""):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir(exist_ok=True)
    (tmp_path / "org" / "a.yaml").write_text(COMPANY + GM + roles + extra, encoding="utf-8")
    return [(str(p.source), p.code.value, p.message, p.hint) for p in check_dir("org").problems]


def test_a_full_width_comma_in_a_flow_list_of_texts_is_one_item(tmp_path, monkeypatch):
    doc = "  document:\n    distribution: [总经理办公室，技术部]\n"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(COMPANY + doc + GM, encoding="utf-8")
    assert [(str(p.source), p.code.value, p.message, p.hint) for p in check_dir("org").problems] == [
        (
            "org/a.yaml:4:20",
            "fullwidth-punctuation",
            "`distribution` has one item, `总经理办公室，技术部`: the full-width comma `，` does not separate items",
            'for 2 items use the half-width comma: `[总经理办公室, 技术部]`; to keep one item, quote it: `["总经理办公室，技术部"]`',
        )
    ]


def test_a_full_width_comma_in_a_text_where_a_list_belongs(tmp_path, monkeypatch):
    problems = check_text(
        tmp_path,
        monkeypatch,
        "",
        "  - {id: x, title: X, department: gm-office, "
        "responsibilities: [a], qualifications: {skills: 焊接，装配}, authority: [a]}\n",
    )
    assert problems == [
        (
            "org/a.yaml:19:94",
            "fullwidth-punctuation",
            "`skills` has one item, `焊接，装配`: the full-width comma `，` does not separate items",
            'for 2 items use the half-width comma: `[焊接, 装配]`; to keep one item, quote it: `["焊接，装配"]`',
        )
    ]


def test_commas_in_block_lists_and_quoted_items_are_text(tmp_path, monkeypatch):
    problems = check_text(
        tmp_path,
        monkeypatch,
        "",
        "  - id: x\n    title: X\n    department: gm-office\n"
        "    responsibilities:\n      - 制定计划，组织实施\n"
        '    qualifications: ["本科，五年经验", 熟悉焊接，了解装配]\n    authority: [a]\n',
    )
    assert problems == []


def test_ids_joined_by_a_full_width_comma(tmp_path, monkeypatch):
    problems = check_text(
        tmp_path,
        monkeypatch,
        "",
        "  - {id: x, title: X, department: gm-office, "
        "dotted_line_to: [general-manager，tech-manger], responsibilities: [a], qualifications: [b], authority: [a]}\n",
    )
    assert problems == [
        (
            "org/a.yaml:19:63",
            "bad-value",
            "`dotted_line_to` of role `x`: `general-manager，tech-manger` is one id: "
            "the full-width comma does not separate items",
            "separate ids with the half-width comma: `[general-manager, tech-manger]`",
        ),
        (
            "org/a.yaml:19:63",
            "dangling-ref",
            "`dotted_line_to` of role `x`: no role has the id `tech-manger`",
            "did you mean `tech-manager`?",
        ),
    ]  # each id is still checked


@pytest.mark.parametrize("typed", ["tech－manager", "ｔｅｃｈ-manager", "tech—manager"])
def test_ids_typed_in_full_width_mode(tmp_path, monkeypatch, typed):
    problems = check_text(
        tmp_path,
        monkeypatch,
        "",
        f"  - {{id: x, title: X, department: gm-office, reports_to: "
        f"{typed}, responsibilities: [a], qualifications: [b], authority: [a]}}\n"
        f"  - {{id: {typed}2, title: Y, department: gm-office, responsibilities: [a], "
        "qualifications: [b]}\n",
    )
    chars = "".join(dict.fromkeys(c for c in typed if c not in "tech-manager"))
    assert [(p[1], p[3]) for p in problems] == [
        ("dangling-ref", f"`{chars}` is full-width: type ids in half-width mode (半角): `tech-manager`"),
        ("bad-id", f"`{chars}` is full-width: type ids in half-width mode (半角): `tech-manager2`"),
    ]


@pytest.mark.parametrize(
    "value, hint",
    [
        ("－ 制定计划 － 组织实施", "`－` does not start a list item: start each item on its own line with `- `"),
        ("【制定计划, 组织实施】", "full-width brackets: type `[a, b]` or `{key: value}` in half-width mode"),
    ],
)
def test_a_text_where_a_list_belongs(tmp_path, monkeypatch, value, hint):
    problems = check_text(
        tmp_path,
        monkeypatch,
        "",
        "  - id: x\n    title: X\n    department: gm-office\n"
        f"    responsibilities:\n      {value}\n    qualifications: [b]\n    authority: [a]\n",
    )
    assert [(p[1], p[3]) for p in problems] == [("wrong-type", hint)]


def test_a_full_width_colon_that_parses(tmp_path, monkeypatch):
    """`company:` followed by one line `name： 某公司` parses as a text: the hint names `：`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text("company:\n  name： 某公司\n" + GM, encoding="utf-8")
    assert [(p.code.value, p.hint) for p in check_dir("org").problems] == [
        ("wrong-type", "`：` is the full-width colon: write `name: …` with the half-width `:` and a space")
    ]


def test_a_bom_and_windows_line_endings_are_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_bytes(b"\xef\xbb\xbf" + (COMPANY + GM).replace("\n", "\r\n").encode())
    result = check_dir("org")
    assert result.problems == [] and result.handbook.roles["tech-manager"].title.get("zh_CN") == "技术部经理"


@pytest.mark.parametrize(
    "written, fixed",
    [
        ("2024年3月1日", "2024-03-01"),
        ("2024.3.1", "2024-03-01"),
        ("2024/03/01", "2024-03-01"),
        ("２０２４－０３－０１", "2024-03-01"),
    ],
)
def test_dates_written_the_chinese_way(tmp_path, monkeypatch, written, fixed):
    """Dates as people type them are read (issue 24), one parser for YAML and the workbook."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(
        f"company:\n  name: X\n  document:\n    effective: {written}\n" + GM, encoding="utf-8"
    )
    result = check_dir("org")
    assert result.problems == []
    assert result.handbook.company.document.effective.isoformat() == fixed


@pytest.mark.parametrize(
    "written, message, hint",
    [
        ("2024年2月30日", "`effective` `2024年2月30日` is not a date", "write dates as YYYY-MM-DD, e.g. 2024-03-01"),
        ("2024-13-01", "`effective` `2024-13-01` is not a date", "write dates as YYYY-MM-DD, e.g. 2024-03-01"),
        ("2021-05", "`effective` `2021-05` is a month, not a date", "write the day too, e.g. `2021-05-01`"),
        ("下个月", "`effective` `下个月` is not a date", "write dates as YYYY-MM-DD, e.g. 2024-03-01"),
    ],
)
def test_what_is_not_a_date_is_still_an_error(tmp_path, monkeypatch, written, message, hint):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(
        f"company:\n  name: X\n  document:\n    effective: {written}\n" + GM, encoding="utf-8"
    )
    assert [(p.code.value, p.message, p.hint) for p in check_dir("org").problems] == [("bad-value", message, hint)]


def test_a_list_written_without_dashes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(COMPANY + "roles:\n  id: a\n  title: A\n", encoding="utf-8")
    assert [(p.code.value, p.hint) for p in check_dir("org").problems] == [
        ("wrong-type", "start each item with `- ` (e.g. `- id: …`)")
    ]


def test_a_full_width_space_after_a_dash_where_a_list_belongs(tmp_path, monkeypatch):
    problems = check_text(
        tmp_path,
        monkeypatch,
        "",
        "  - id: x\n    title: X\n    department: gm-office\n"
        "    responsibilities:\n      -\u3000制定计划\n      -\u3000组织实施\n    qualifications: [b]\n    authority: [a]\n",
    )
    assert [(p[1], p[3]) for p in problems] == [
        ("wrong-type", "a full-width space `　` after `-`: start each item with `- ` (a half-width space)")
    ]


def test_a_file_notepad_saved_as_yaml_txt(tmp_path, monkeypatch):
    """Not read (its name says text), named with the fix; references to its roles are not errors."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "00-company.yaml").write_text(COMPANY + GM, encoding="utf-8")
    (tmp_path / "org" / "20-quality.yaml.txt").write_text(QUALITY.replace("\t", "    "), encoding="utf-8")
    (tmp_path / "org" / "30-people.yaml").write_text(
        "people:\n  - {name: 李四, assignments: [quality-manager]}\n", encoding="utf-8"
    )
    assert [(str(p.source), p.code.value, p.message, p.hint) for p in check_dir("org").problems] == [
        (
            "org/20-quality.yaml.txt",
            "io-error",
            "not read: the name ends in `.txt` (Notepad adds it)",
            "rename it to `20-quality.yaml`; in Notepad's 另存为 (Save As) choose 保存类型 (Save as type): 所有文件 (All files)",
        )
    ]
