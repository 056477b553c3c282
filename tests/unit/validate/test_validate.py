"""The validator: every problem code, with its exact position, message and hint.

Each test writes its data into ``org/`` under a temporary working folder, so problems
are reported as ``org/<file>:line:col`` exactly as ``handbook check`` prints them.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from handbook.problems import Code, Severity, Source
from handbook.validate import Result, check_dir

COMPANY = "company:\n  name: ACME\n"


@pytest.fixture
def check(tmp_path, monkeypatch):
    """``check(text, files=..., company=True)``: write org/a.yaml (and more) and check org/."""
    monkeypatch.chdir(tmp_path)

    def run(
        text: str | bytes | None = None, files: dict[str, str | bytes] | None = None, company: bool = True, today=None
    ) -> Result:
        org = tmp_path / "org"
        org.mkdir(exist_ok=True)
        todo: dict[str, str | bytes] = {}
        if company:
            todo["company.yaml"] = COMPANY
        if text is not None:
            todo["a.yaml"] = text
        todo.update(files or {})
        for name, content in todo.items():
            path = org / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return check_dir("org", today=today)

    return run


def rows(result: Result, code: Code | None = None) -> list[tuple[str, str, str, str]]:
    """The problems as (position, code, message, hint), optionally of one code."""
    return [(str(p.source), p.code.value, p.message, p.hint) for p in result.problems if code is None or p.code is code]


# -- io-error -----------------------------------------------------------------------------
def test_io_error_missing_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = check_dir("missing")
    assert rows(r) == [
        (
            "missing",
            "io-error",
            "the data folder does not exist",
            "give the folder that holds the handbook's YAML files, e.g. `source/org`",
        )
    ]
    assert r.handbook is None and not r.ok


def test_io_error_folder_without_yaml_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org" / "_drafts").mkdir(parents=True)
    (tmp_path / "org" / "notes.txt").write_text(COMPANY)
    (tmp_path / "org" / ".hidden.yaml").write_text(COMPANY)  # hidden files are skipped
    (tmp_path / "org" / "_drafts" / "company.yaml").write_text(COMPANY)  # so are _folders
    r = check_dir("org")
    assert rows(r) == [
        ("org", "io-error", "the data folder holds no .yaml files", "run `handbook new` to start a handbook")
    ]


def test_io_error_unreadable_file(check, tmp_path):
    (tmp_path / "org").mkdir()
    os.symlink(tmp_path / "nowhere.yaml", tmp_path / "org" / "b.yaml")  # a dangling link
    r = check()
    assert rows(r) == [("org/b.yaml", "io-error", "cannot read file: No such file or directory", "")]
    assert r.handbook is None


# -- encoding / yaml-syntax -----------------------------------------------------------------
def test_encoding_error_position_counts_characters(check):
    r = check("company:\n  name: 研发\xff\n".encode().replace(b"\xc3\xbf", b"\xff"), company=False)
    # the bad byte follows `  name: 研发`, 10 characters: column 11 (not the byte offset 15)
    assert rows(r) == [
        (
            "org/a.yaml:2:11",
            "encoding",
            "the file is not UTF-8 (byte 0xff)",
            "save the file as UTF-8 (most editors: 'Save with encoding')",
        )
    ]


def test_encoding_error_in_gbk_file(check):
    r = check("company:\n  name: 研发部\n".encode("gbk"), company=False)
    assert rows(r) == [
        (
            "org/a.yaml:2:9",
            "encoding",
            "the file is saved as GBK/GB18030 (Windows' “ANSI” for Chinese), not UTF-8 (byte 0xd1)",
            "open it in Notepad, choose 文件 → 另存为 (Save As), set 编码 (Encoding) to UTF-8 and save "
            "(or: iconv -f GB18030 -t UTF-8)",
        )
    ]


def test_yaml_syntax_tab_indentation(check):
    r = check("company:\n\tname: ACME\n", company=False)
    assert rows(r) == [
        (
            "org/a.yaml:2:1",
            "yaml-syntax",
            "a tab character in the indentation: YAML indents with spaces only",
            "replace the tabs with spaces (most editors can be set to insert spaces for the Tab key)",
        )
    ]


def test_yaml_syntax_missing_colon_on_its_own_line(check):
    r = check("roles:\n  - id: a\n    title 销售工程师\n    department: x\n")
    assert rows(r) == [("org/a.yaml:3:10", "yaml-syntax", "missing colon after `title`", "write `title: 销售工程师`")]


# -- comma-in-braces, fullwidth-punctuation (more in test_mistakes.py) -----------------------------
def test_comma_in_braces(check):
    r = check("departments:\n  - {id: qa, name: 品质部, 检验科}\n")
    assert rows(r, Code.COMMA_IN_BRACES) == [
        (
            "org/a.yaml:2:25",
            "comma-in-braces",
            "`检验科` became a key of its own: a comma inside `{…}` ends the value of `name`",
            'quote the whole value: `name: "品质部, 检验科"` (or use the Chinese comma `，` inside the text)',
        )
    ]


def test_fullwidth_punctuation(check):
    r = check("departments:\n  - {id: qa, name: “品质部”}\n")
    assert rows(r, Code.FULLWIDTH_PUNCTUATION) == [
        (
            "org/a.yaml:2:20",
            "fullwidth-punctuation",
            "the Chinese quotes of `“品质部”` are part of the text: YAML quotes are half-width",
            'write `"品质部"`, or leave the quotes out',
        )
    ]


def test_yaml_syntax_unclosed_bracket(check):
    r = check("""\
        departments:
          - {id: rd, name: R&D
        roles: []
        """)
    assert rows(r) == [
        (
            "org/a.yaml:2:5",
            "yaml-syntax",
            "`{` is not closed on its line",
            "end the list or mapping with `}` on the same line, or write it as lines",
        )
    ]


def test_yaml_syntax_several_documents(check):
    r = check("company:\n  name: ACME\n---\nroles: []\n", company=False)
    assert rows(r) == [
        (
            "org/a.yaml:3:1",
            "yaml-syntax",
            "a data file must hold a single YAML document (found `---` followed by more)",
            "check the indentation and quoting near this position",
        )
    ]


def test_yaml_syntax_control_character(check):
    r = check("company:\n  name: A\x00B\n", company=False)
    assert rows(r) == [
        (
            "org/a.yaml:2:10",
            "yaml-syntax",
            "the file contains the control character #x0000, which YAML does not allow",
            "remove it: control characters are usually invisible in editors",
        )
    ]


def test_load_errors_do_not_add_a_missing_company(check):
    # the broken file may hold the company: no company-count error on top
    r = check("company: [\n", company=False)
    assert [p.code for p in r.problems] == [Code.YAML_SYNTAX]


# -- duplicate-key / unknown-key ------------------------------------------------------------
def test_duplicate_key(check):
    r = check(
        """\
        company:
          name: ACME
          name: ACME Ltd
        """,
        company=False,
    )
    assert rows(r) == [
        (
            "org/a.yaml:3:3",
            "duplicate-key",
            "duplicate key `name` (first at line 2)",
            "YAML would silently keep only the last value; remove one",
        )
    ]
    assert r.problems[0].related == (Source("org/a.yaml", 2, 3),)


def test_unknown_key_did_you_mean(check):
    r = check("""\
        departments:
          - id: rd
            name: R&D
        roles:
          - id: boss
            title: Boss
            department: rd
            responsibilities: [work]
            qualifications: [degree]
            authority: [a]
          - id: clerk
            title: Clerk
            department: rd
            reprots_to: boss
            responsibilities: [work]
            qualifications: [degree]
            authority: [a]
        """)
    assert rows(r) == [
        ("org/a.yaml:14:5", "unknown-key", "unknown key `reprots_to` in a role", "did you mean `reports_to`?")
    ]


@pytest.mark.parametrize(
    "yaml_text, expected",
    [
        (
            "departments:\n  - {id: rd, name: R&D, manager: boss}\n",
            (
                "org/a.yaml:2:25",
                "unknown-key",
                "unknown key `manager` in a department",
                "a department's manager is `head: <role id>`",
            ),
        ),
        (
            "departments:\n  - {id: rd, name: R&D, colour: red}\n",
            (
                "org/a.yaml:2:25",
                "unknown-key",
                "unknown key `colour` in a department",
                "put data the format does not know under `extra:`",
            ),
        ),
        (
            "people:\n  - {name: 张三, assignments: [{role: x, zzz: 1}]}\n",
            (
                "org/a.yaml:2:40",
                "unknown-key",
                "unknown key `zzz` in an assignment of person `张三`",
                "allowed here: `role`, `type`, `since`",
            ),
        ),
        (
            "roles: []\nrole: []\n",
            (
                "org/a.yaml:2:1",
                "unknown-key",
                "unknown key `role` in the top level of org/a.yaml",
                "did you mean `roles`?",
            ),
        ),
    ],
)
def test_unknown_key_hints(check, yaml_text, expected):
    r = check(yaml_text)
    assert expected in rows(r, Code.UNKNOWN_KEY)
    assert len(rows(r, Code.UNKNOWN_KEY)) == 1


def test_merge_keys_are_refused(check):
    r = check("""\
        base: &base {title: Boss}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:1:1",
            "unknown-key",
            "unknown key `base` in the top level of org/a.yaml",
            "allowed here: `company`, `departments`, `roles`, `people`, `processes`, `acknowledgements`",
        )
    ]
    r = check("""\
        departments:
          - &rd {id: rd, name: R&D}
          - <<: *rd
            id: rd2
        """)
    assert (
        "org/a.yaml:3:5",
        "unknown-key",
        "YAML merge keys (`<<`) are not supported",
        "write the fields out; an unchecked merge would hide typos",
    ) in rows(r)


# -- wrong-type / bad-value -----------------------------------------------------------------
def test_wrong_type(check):
    r = check("""\
        departments:
          - {id: rd, name: R&D}
        roles:
          - id: boss
            title: [Boss]
            department: rd
            responsibilities: [work]
            qualifications: [degree]
            authority: [a]
          - id: clerk
            title: Clerk
            department: rd
            responsibilities: just one text
            qualifications: [degree]
            authority: [a]
            order: first
        """)
    assert rows(r) == [
        (
            "org/a.yaml:5:12",
            "wrong-type",
            "`title` of role `boss` must be a text, not a list",
            "write a string, or a mapping language -> string",
        ),
        (
            "org/a.yaml:13:23",
            "wrong-type",
            "`responsibilities` must be a list (lines starting with `- `), not a text (`just one text`)",
            "check the indentation: the lines that belong here must be indented below this key",
        ),
        ("org/a.yaml:16:12", "wrong-type", "`order` must be a whole number", ""),
    ]


def test_wrong_type_of_a_whole_section(check):
    r = check("""\
        roles:
          id: boss
          title: Boss
        """)
    assert rows(r) == [
        (
            "org/a.yaml:2:3",
            "wrong-type",
            "`roles` must be a list (lines starting with `- `), not a mapping",
            "start each item with `- ` (e.g. `- id: …`)",
        )
    ]


def test_wrong_type_headcount_list(check):
    r = check("""\
        departments: [{id: rd, name: R&D}]
        roles:
          - {id: boss, title: Boss, headcount: [1, 2], department: rd, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:3:40",
            "wrong-type",
            "`headcount` must be a number or a range, not a list",
            'write a number such as `3`, a range such as `"5-10"`, or `若干` for an open headcount',
        )
    ]


@pytest.mark.parametrize(
    "field, expected",
    [
        (
            "headcount: lots",
            (
                "8:16",
                "`headcount` `lots` is not a headcount",
                'write a number such as `3`, a range such as `"5-10"`, or `若干` for an open headcount',
            ),
        ),
        ('headcount: "10-5"', ("8:16", "`headcount` `10-5`: the range is reversed", "write `5-10`")),
        ("headcount: -1", ("8:16", "`headcount` must not be negative", "")),
        ('purpose: "  "', ("8:14", "`purpose` is empty", "remove the key or write the text")),
        (
            "grade: {中文: x}",
            (
                "8:13",
                "`中文` in `grade` is not a language code",
                "a translated text maps language codes to strings: `{zh_CN: 研发经理, en: R&D Manager}`",
            ),
        ),
        ('grade: {en: ""}', ("8:17", "the `en` text of `grade` must be a non-empty string", "")),
    ],
)
def test_bad_value_in_a_role(check, field, expected):
    r = check(f"""\
        departments: [{{id: rd, name: R&D}}]
        roles:
          - id: boss
            title: Boss
            department: rd
            responsibilities: [work]
            qualifications: [degree]
            {field}
            authority: [a]
        """)
    position, message, hint = expected
    assert rows(r) == [(f"org/a.yaml:{position}", "bad-value", message, hint)]


def test_bad_value_dates_and_assignment_types(check):
    r = check(
        """\
        company:
          name: ACME
          document:
            effective: 2024-13-45
        departments: [{id: rd, name: R&D}]
        roles:
          - {id: boss, title: Boss, department: rd, responsibilities: [work], qualifications: [degree], authority: [a]}
        people:
          - name: 张三
            assignments:
              - {role: boss, type: primry, since: 2024-02-30}
              - {role: boss, type: temp}
              - {role: boss, type: 兼任}
        """,
        company=False,
    )
    assert rows(r) == [
        (
            "org/a.yaml:4:16",
            "bad-value",
            "`effective` `2024-13-45` is not a date",
            "write dates as YYYY-MM-DD, e.g. 2024-03-01",
        ),
        (
            "org/a.yaml:11:28",
            "bad-value",
            "`type` `primry` is not one of primary, concurrent, acting",
            "did you mean `primary`?",
        ),
        (
            "org/a.yaml:11:43",
            "bad-value",
            "`since` `2024-02-30` is not a date",
            "write dates as YYYY-MM-DD, e.g. 2024-03-01",
        ),
        (
            "org/a.yaml:12:28",
            "bad-value",
            "`type` `temp` is not one of primary, concurrent, acting",
            "one of: primary (主岗), concurrent (兼任), acting (代理)",
        ),
    ]


def test_bad_value_empty_responsibilities(check):
    r = check("""\
        departments: [{id: rd, name: R&D}]
        roles:
          - {id: boss, title: Boss, department: rd, responsibilities: [], qualifications: [degree], authority: [a]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:3:63",
            "bad-value",
            "the `responsibilities` of role `boss` are empty",
            "a role needs at least one duty",
        )
    ]


# -- missing-field / bad-id / duplicate-id ----------------------------------------------------
def test_missing_fields(check):
    r = check("""\
        departments:
          - id: rd
          - name: 无编号部门
        roles:
          - id: boss
            qualifications: [degree]
        processes:
          - id: p
            name: P
            steps:
              - {id: s1}
              - {action: do it}
        people:
          - {assignments: [{type: acting}]}
        """)
    assert rows(r) == [
        ("org/a.yaml:2:5", "missing-field", "department `rd` has no `name`", "`name` is required"),
        (
            "org/a.yaml:3:5",
            "missing-field",
            "a department has no `id`",
            "give it a short lower-case id such as `cs-manager`; ids make page addresses",
        ),
        ("org/a.yaml:5:5", "missing-field", "role `boss` has no `title`", "`title` is required"),
        (
            "org/a.yaml:5:5",
            "missing-field",
            "role `boss` has no `department`",
            "every role belongs to a department: `department: <department id>`",
        ),
        (
            "org/a.yaml:5:5",
            "missing-field",
            "role `boss` has no `responsibilities`",
            "list the role's duties (岗位职责) under `responsibilities:`",
        ),
        ("org/a.yaml:11:9", "missing-field", "step `s1` has no `action`", "`action` is required"),
        (
            "org/a.yaml:12:9",
            "missing-field",
            "a step of process `p` has no `id`",
            "give it a short lower-case id such as `cs-manager`; ids make page addresses",
        ),
        ("org/a.yaml:14:5", "missing-field", "a person has no `name`", "`name` is required"),
        ("org/a.yaml:14:20", "missing-field", "an assignment of a person has no `role`", "write `role: <role id>`"),
    ]


def test_missing_company_name(check):
    r = check("company:\n  short_name: A\n", company=False)
    assert rows(r) == [("org/a.yaml:2:3", "missing-field", "the company has no `name`", "`name` is required")]


@pytest.mark.parametrize(
    "ident, hint",
    [
        ("R&D", "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `r-d`"),
        (
            "研发部",
            "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `cs-manager`; "
            "put the Chinese name in `name`/`title`",
        ),
        ("-rd", "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `rd`"),
        ("a" * 65, "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `" + "a" * 64 + "`"),
    ],
)
def test_bad_id(check, ident, hint):
    r = check(f'departments:\n  - id: "{ident}"\n    name: R&D\n')
    assert rows(r) == [("org/a.yaml:2:9", "bad-id", f"`{ident}` is not a valid department id", hint)]


def test_duplicate_ids_across_files(check):
    r = check(
        files={
            "10-a.yaml": """\
            departments:
              - {id: rd, name: R&D}
            roles:
              - {id: boss, title: Boss, department: rd, responsibilities: [w], qualifications: [q], authority: [a]}
            """,
            "20-b.yaml": """\
            departments:
              - {id: qa, name: QA}
              - {id: rd, name: Research}
            roles:
              - {id: boss, title: Boss 2, department: qa, responsibilities: [w], qualifications: [q], authority: [a]}
              - {id: tester, title: Tester, department: qa, responsibilities: [w], qualifications: [q], authority: [a]}
            processes:
              - id: p
                name: P
                steps:
                  - {id: s, action: a}
                  - {id: s, action: b}
            """,
        }
    )
    assert rows(r) == [
        (
            "org/20-b.yaml:3:5",
            "duplicate-id",
            "duplicate department id `rd` (first defined at org/10-a.yaml:2:5)",
            "department ids must be unique in the whole handbook",
        ),
        (
            "org/20-b.yaml:5:5",
            "duplicate-id",
            "duplicate role id `boss` (first defined at org/10-a.yaml:4:5)",
            "role ids must be unique in the whole handbook",
        ),
        (
            "org/20-b.yaml:12:9",
            "duplicate-id",
            "duplicate step id `s` in process `p` (first at org/20-b.yaml:11:9)",
            "step ids must be unique within their process",
        ),
    ]
    assert r.problems[0].related == (Source("org/10-a.yaml", 2, 5),)


# -- dangling-ref -------------------------------------------------------------------------------
DANGLING = """\
    departments:
      - {id: rd, name: R&D, head: boss}
      - {id: qa, name: QA, parent: nowhere, head: chief}
    roles:
      - id: boss
        title: Boss
        department: rd
        responsibilities: [work]
        qualifications: [degree]
      - id: clerk
        title: Clerk
        department: rdd
        responsibilities: [work]
      - id: tester
        title: Tester
        department: qa
        reports_to: bos
        dotted_line_to: [boss, ghost]
        responsibilities: [work]
        qualifications: [degree]
    people:
      - name: 张三
        assignments: [{role: tester}, {role: nobody}, 客服]
    processes:
      - id: p
        name: P
        owner: ownr
        steps:
          - {id: start, action: a, role: tester, next: [check, {to: finish}]}
          - {id: check, action: b, role: phantom, next: chek}
        raci:
          - {activity: x, R: r1, A: a1, C: [tester, c1], I: i1}
    """


def test_dangling_refs_of_every_kind(check):
    r = check(DANGLING)
    assert rows(r, Code.DANGLING_REF) == [
        (
            "org/a.yaml:3:32",
            "dangling-ref",
            "`parent` of department `qa`: no department has the id `nowhere`",
            "references use the department's `id`, not its name",
        ),
        (
            "org/a.yaml:3:47",
            "dangling-ref",
            "`head` of department `qa`: no role has the id `chief`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:12:17",
            "dangling-ref",
            "`department` of role `clerk`: no department has the id `rdd`",
            "did you mean `rd`?",
        ),
        (
            "org/a.yaml:17:17",
            "dangling-ref",
            "`reports_to` of role `tester`: no role has the id `bos`",
            "did you mean `boss`?",
        ),
        (
            "org/a.yaml:18:28",
            "dangling-ref",
            "`dotted_line_to` of role `tester`: no role has the id `ghost`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:23:42",
            "dangling-ref",
            "`role` of an assignment of person `张三`: no role has the id `nobody`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:23:51",
            "dangling-ref",
            "`role` of an assignment of person `张三`: no role has the id `客服`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:27:12",
            "dangling-ref",
            "`owner` of process `p`: no role has the id `ownr`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:29:65",
            "dangling-ref",
            "`to` of a `next` entry of step `start`: process `p` has no step `finish`",
            "steps: `check`, `start`",
        ),
        (
            "org/a.yaml:30:38",
            "dangling-ref",
            "`role` of step `check`: no role has the id `phantom`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:30:53",
            "dangling-ref",
            "`to` of a `next` entry of step `check`: process `p` has no step `chek`",
            "did you mean `check`?",
        ),
        (
            "org/a.yaml:32:26",
            "dangling-ref",
            "`R` of a RACI row of process `p`: no role has the id `r1`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:32:33",
            "dangling-ref",
            "`A` of a RACI row of process `p`: no role has the id `a1`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:32:49",
            "dangling-ref",
            "`C` of a RACI row of process `p`: no role has the id `c1`",
            "references use the role's `id`, not its name",
        ),
        (
            "org/a.yaml:32:57",
            "dangling-ref",
            "`I` of a RACI row of process `p`: no role has the id `i1`",
            "references use the role's `id`, not its name",
        ),
    ]
    assert r.handbook is None


def test_dangling_ref_written_as_a_title(check):
    r = check("""\
        departments: [{id: rd, name: 研发部}]
        roles:
          - {id: rd-manager, title: 研发经理, department: 研发部, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: engineer, title: 工程师, department: rd, reports_to: 研发经理, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:3:47",
            "dangling-ref",
            "`department` of role `rd-manager`: no department has the id `研发部`",
            "`研发部` is the name of department `rd`; references use the id: `rd`",
        ),
        (
            "org/a.yaml:4:60",
            "dangling-ref",
            "`reports_to` of role `engineer`: no role has the id `研发经理`",
            "`研发经理` is the name of role `rd-manager`; references use the id: `rd-manager`",
        ),
    ]


def test_head_of_a_role_in_a_missing_department_does_not_crash(check):
    # the role is dropped (its department does not exist); the head must not point at it
    r = check("""\
        departments: [{id: rd, name: R&D, head: boss}]
        roles:
          - {id: boss, title: Boss, department: nowhere, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert rows(r, Code.DANGLING_REF) == [
        (
            "org/a.yaml:3:41",
            "dangling-ref",
            "`department` of role `boss`: no department has the id `nowhere`",
            "references use the department's `id`, not its name",
        )
    ]


# -- cycle / company-count ------------------------------------------------------------------
def test_cycle_in_parents(check):
    r = check("""\
        departments:
          - {id: a, name: A, parent: c}
          - {id: b, name: B, parent: a}
          - {id: c, name: C, parent: b}
          - {id: d, name: D, parent: c}
        roles:
          - {id: r, title: R, department: d, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:2:30",
            "cycle",
            "`parent` forms a cycle: a → c → b → a",
            "one of these departments must be top level",
        )
    ]
    assert r.problems[0].related == (Source("org/a.yaml", 4, 5), Source("org/a.yaml", 3, 5))  # c, b


def test_cycle_in_reports_to(check):
    r = check("""\
        departments: [{id: rd, name: R&D}]
        roles:
          - {id: x, title: X, department: rd, reports_to: y, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: y, title: Y, department: rd, reports_to: x, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: z, title: Z, department: rd, reports_to: z, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:3:51",
            "cycle",
            "`reports_to` forms a cycle: x → y → x",
            "one of these roles must report elsewhere",
        ),
        ("org/a.yaml:5:51", "cycle", "role `z` reports to itself", ""),
    ]


def test_company_count_zero(check):
    r = check("departments: []\n", files={"b.yaml": "roles: []\n"}, company=False)
    assert rows(r) == [
        (
            "org/a.yaml",
            "company-count",
            "no `company` in the data",
            "add a `company:` block with at least `name:` to one file, e.g. company.yaml",
        )
    ]


def test_company_count_two(check):
    r = check("# another company\ncompany:\n  name: ACME Two\n")
    assert rows(r) == [
        (
            "org/company.yaml:2:3",
            "company-count",
            "a second `company` (the first is at org/a.yaml:3:3)",
            "keep exactly one `company` across all files",
        )
    ]
    assert r.problems[0].related == (Source("org/a.yaml", 3, 3),)


# -- warnings -------------------------------------------------------------------------------------
def test_warnings_do_not_stop_the_build(check):
    r = check("""\
        departments:
          - {id: rd, name: R&D, head: boss}
          - {id: qa, name: QA}
          - {id: empty, name: Empty}
          - {id: empty-child, name: Empty child, parent: empty}
        roles:
          - {id: boss, title: Boss, department: qa, headcount: 1, responsibilities: [w]}
          - {id: dev, title: Dev, department: rd, responsibilities: [w], qualifications: [q], authority: [a]}
        people:
          - {name: A, assignments: [boss]}
          - {name: B, assignments: [{role: boss, type: concurrent}]}
          - {name: C, assignments: [{role: boss, type: acting}]}
        processes:
          - id: p
            name: P
            steps:
              - {id: s1, action: a, next: s2}
              - {id: s2, action: b}
              - {id: s3, action: c, next: s2}
            raci:
              - {activity: plan, R: dev, A: [boss, dev]}
              - {activity: do, A: dev}
              - {activity: review, R: dev}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:2:31",
            "head-outside-department",
            "the head of department `rd` is role `boss`, which belongs to department `qa`",
            "move the role to `rd` or choose a head among its roles",
        ),
        (
            "org/a.yaml:4:5",
            "empty-department",
            "department `empty` has no roles",
            "add roles with `department: empty`, or remove the department",
        ),
        (
            "org/a.yaml:5:5",
            "empty-department",
            "department `empty-child` has no roles",
            "add roles with `department: empty-child`, or remove the department",
        ),
        (
            "org/a.yaml:7:5",
            "no-authority",
            "role `boss` has no `authority` (工作权限)",
            "ISO 9001 clause 5.3 asks for each role's responsibilities and authorities: list what the role may "
            "decide, approve, release or stop under `authority:`",
        ),
        (
            "org/a.yaml:7:5",
            "no-qualifications",
            "role `boss` has no `qualifications` (任职资格)",
            "ISO 9001 clause 7.2 asks for the competence each role needs",
        ),
        (
            "org/a.yaml:7:56",
            "over-headcount",
            "role `boss` has 2 people (A, B) but a headcount of 1 (超编)",
            "raise the headcount or reassign someone",
        ),
        (
            "org/a.yaml:8:5",
            "vacant-performer",
            "role `dev` is vacant (nobody holds it, not even acting) but performs: "
            "R in RACI row `plan` of process `p`; A in RACI row `plan` of process `p`; A in RACI row `do` of process "
            "`p`; R in RACI row `review` of process `p`",
            "assign someone (an acting holder with `type: acting` will do) or give the work to a filled post",
        ),
        (
            "org/a.yaml:19:9",
            "unreachable-step",
            "step `s3` of process `p` cannot be reached from the first step `s1`",
            "add it to the `next` of an earlier step, or remove it",
        ),
        (
            "org/a.yaml:21:9",
            "raci-accountable",
            "RACI row `plan` of process `p` has 2 accountable roles",
            "exactly one role is accountable (A) for an activity",
        ),
        (
            "org/a.yaml:22:9",
            "raci-responsible",
            "RACI row `do` of process `p` has no responsible role (R)",
            "name at least one role that does the work",
        ),
        (
            "org/a.yaml:23:9",
            "raci-accountable",
            "RACI row `review` of process `p` has 0 accountable roles",
            "exactly one role is accountable (A) for an activity",
        ),
    ]
    assert all(p.code.severity is Severity.WARNING for p in r.problems)
    assert r.ok and r.handbook is not None and r.errors == []
    over = next(p for p in r.problems if p.code is Code.OVER_HEADCOUNT)
    assert over.related == (Source("org/a.yaml", 10, 29), Source("org/a.yaml", 11, 29), Source("org/a.yaml", 12, 29))


def test_filled_count(check):
    r = check("""\
        departments:
          - {id: line, name: 装配线}
        roles:
          - {id: worker, title: 装配工, department: line, headcount: 30, filled: 1, responsibilities: [w], qualifications: [q], authority: [a]}
        people:
          - {name: 甲, assignments: [worker]}
          - {name: 乙, assignments: [worker]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:4:71",
            "filled-count",
            "role `worker` names 2 holders but `filled` is 1",
            "`filled` counts everyone in the post, named or not: write `filled: 2` or more",
        )
    ]


def test_department_with_roles_only_below_is_not_empty(check):
    r = check("""\
        departments:
          - {id: top, name: Top}
          - {id: sub, name: Sub, parent: top}
        roles:
          - {id: r, title: R, department: sub, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert r.problems == [] and r.ok


# -- all problems in one run; nasty inputs never raise ------------------------------------------------
def test_all_problems_in_one_run(check):
    r = check(
        files={
            "a.yaml": """\
            departments:
              - {id: RD, name: R&D}
              - {id: qa, nme: QA}
            roles:
              - {id: boss, title: Boss, department: qa, headcount: many, responsibilities: [w], qualifications: [q], authority: [a]}
              - {id: dev, title: Dev, department: rd, reports_to: boss, responsibilities: [w]}
            """,
            "b.yaml": "company: {name: Two}\n",
            "c.yaml": "roles: [\n",
            "d.yaml": b"people:\n  - name: \xe5\xbc\xa0\xff\n",
        }
    )
    assert [(str(p.source), p.code.value) for p in r.problems] == [
        ("org/a.yaml:2:10", "bad-id"),
        ("org/a.yaml:3:5", "missing-field"),
        ("org/a.yaml:3:14", "unknown-key"),
        ("org/a.yaml:5:56", "bad-value"),
        ("org/a.yaml:6:39", "dangling-ref"),  # `rd`: the department `RD` was refused
        ("org/c.yaml:2:1", "yaml-syntax"),
        ("org/company.yaml:2:3", "company-count"),  # b.yaml comes first
        ("org/d.yaml:2:12", "encoding"),
    ]
    assert len(r.errors) == 8 and r.handbook is None


NASTY = {
    "tabs": "company:\n\tname: x\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "nul byte in UTF-8 text": "roles:\n  - id: a\x00b\n",
    "deeply nested flow lists": "roles: " + "[" * 5000 + "]" * 5000 + "\n",
    "deeply nested block lists": "roles:\n" + "- " * 3000 + "x\n",
    "deeply nested mappings": "".join("  " * i + "a:\n" for i in range(800)),
    "nested lists under extra": "departments:\n  - {id: d, name: D, extra: {a: " + "[" * 400 + "]" * 400 + "}}\n",
    "recursive alias in a list": "roles: &a [*a]\n",
    "recursive alias in a mapping": "departments:\n  - &d {id: d, name: D, extra: *d}\n",
    "top-level list": "- company\n- roles\n",
    "scalar file": "just some text\n",
    "huge decimal int": "roles:\n  - {id: r, title: R, department: d, headcount: " + "9" * 5000 + "}\n",
    "huge hex int": "departments:\n  - {id: d, name: D, order: 0x"
    + "f" * 5000
    + ", extra: {n: 0x"
    + "f" * 5000
    + "}}\n",
    "huge range": 'roles:\n  - {id: r, title: R, department: d, headcount: "1-' + "9" * 5000 + '"}\n',
    "merge keys": "departments:\n  - &d {id: d, name: D}\n  - {<<: *d, id: e}\n",
    "non-string keys": "1: a\n? [x]\n: b\nnull: c\ntrue: d\n? {a: 1}\n: e\n",
    "several documents": "roles: []\n---\nroles: []\n",
    "document end marker": "roles: []\n...\n--- x\n",
    "python tag": "company: !!python/object/apply:os.system [echo hi]\n",
    "binary tag": "departments:\n  - {id: d, name: !!binary aGVsbG8=}\n",
    "tags that fail to construct": "departments:\n  - {id: d, name: !!timestamp x, code: !!bool maybe, order: !!int x}\n",
    "set": "departments: !!set {a, b}\n",
    "wrong types everywhere": "company: 1\ndepartments: 2\nroles: {a: 1}\npeople: yes\nprocesses: [1, [2], {id: 3}]\n",
    "invalid dates and floats": "company: {name: .nan, document: {effective: 2024-02-30, history: [{revision: 1, date: 1e400}]}}\n",
}


@pytest.mark.parametrize("content", NASTY.values(), ids=NASTY.keys())
def test_nasty_input_gives_problems_not_exceptions(check, content):
    r = check(content)
    assert r.problems, "bad input must be reported"
    assert (r.handbook is None) == bool(r.errors)
    for p in r.problems:
        assert p.source.path.startswith("org/")
        assert p.format()  # every problem can be printed


@pytest.mark.parametrize("content", ["", "~\n", "---\n", "--- ~\n", "# only a comment\n"])
def test_files_without_data_are_empty_not_errors(check, content):
    r = check(content)
    assert r.ok and r.problems == []


# -- document control: review-overdue, revision-mismatch, history-order, effective-before-approval ----------
DOCUMENT = """\
    company:
      name: ACME
      document:
        revision: B/1
        effective: 2024-03-01
        review_due: 2025-03-01
        approved_by: {name: 陈国华, date: 2024-02-28}
        history:
          - {revision: A/0, date: 2022-01-10}
          - {revision: B/1, date: 2024-03-01}
    departments: [{id: rd, name: R&D}]
    roles: [{id: boss, title: Boss, department: rd, responsibilities: [work], authority: [decide],
             qualifications: [degree]}]
    """


def test_review_overdue_depends_on_the_date_given(check):
    import datetime as dt

    assert rows(check(DOCUMENT, company=False)) == []  # no date: no check that needs one
    assert rows(check(DOCUMENT, company=False, today=dt.date(2025, 3, 1))) == []  # due today is not overdue
    assert rows(check(DOCUMENT, company=False, today=dt.date(2025, 3, 3))) == [
        (
            "org/a.yaml:6:17",
            "review-overdue",
            "the review of the document was due on 2025-03-01, 2 days before 2025-03-03 (复审逾期)",
            "review the document: issue a new revision, or record that it is still valid by setting the next "
            "`review_due`",
        )
    ]


def test_revision_mismatch_history_order_and_effective_before_approval(check):
    text = (
        DOCUMENT.replace("revision: B/1\n", "revision: B/2\n", 1)
        .replace("date: 2022-01-10", "date: 2024-05-10")
        .replace("2024-02-28", "2024-03-05")
    )
    assert rows(check(text, company=False)) == [
        (
            "org/a.yaml:4:15",
            "revision-mismatch",
            "the current revision is `B/2` but the last `history` entry is `B/1`",
            "add a `history` entry for `B/2` at the end (oldest first), or correct `revision`",
        ),
        (
            "org/a.yaml:5:16",
            "effective-before-approval",
            "the document takes effect on 2024-03-01, before `approved_by` (陈国华) on 2024-03-05",
            "a document takes effect once it is approved: correct `effective` or the approval date",
        ),
        (
            "org/a.yaml:10:9",
            "history-order",
            "`history` entry `B/1` (2024-03-01) is dated before the entry above it, `A/0` (2024-05-10)",
            "list the revisions oldest first, each with the date it was issued",
        ),
    ]


def test_every_code_is_tested():
    """Every code appears in a unit test, by its value or its name (most of them in this file)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parents[1].rglob("test_*.py"))
    assert [c.value for c in Code if f'"{c.value}"' not in source and f"Code.{c.name}" not in source] == []


# -- ISO 9001 clauses, empty posts that work, roles without authority ---------------------------------
def test_unknown_clause_is_an_error_with_the_likely_clause(check):
    r = check("""\
        departments: [{id: qa, name: QA}]
        roles:
          - id: boss
            title: Boss
            department: qa
            responsibilities:
              - {text: 控制文件, clauses: ["7.5.4", "7.5条", 8.2.1]}
              - {text: 审核, clauses: "12.1"}
            qualifications: [q]
            authority: [a]
        """)
    assert rows(r, Code.UNKNOWN_CLAUSE) == [
        (
            "org/a.yaml:7:32",
            "unknown-clause",
            "an item of `clauses`: `7.5.4` is not a clause of ISO 9001:2015",
            "did you mean `7.5` (成文信息)?",
        ),
        (
            "org/a.yaml:7:41",
            "unknown-clause",
            "an item of `clauses`: `7.5条` is not a clause of ISO 9001:2015",
            "did you mean `7.5` (成文信息)?",
        ),
        (
            "org/a.yaml:8:29",
            "unknown-clause",
            "an item of `clauses`: `12.1` is not a clause of ISO 9001:2015",
            "clauses are numbered as in ISO 9001:2015 / GB/T 19001-2016, sections 4 to 10, e.g. `7.5.3`; "
            "`handbook clauses` lists them",
        ),
    ]
    assert r.handbook is None


def test_clause_numbers_are_read_as_written(check):
    r = check(
        """\
        company:
          name: ACME
          clause_owners:
            - {clause: 10.2, lead: qa}
            - {clause: "6.1", lead: qa, support: [qa]}
          required_clauses: [10.2, 6.1, 8.7]
        departments:
          - id: qa
            name: QA
            head: boss
            functions: [{text: 不合格品控制, clauses: [8.7, 7.1.5.1, 10.2, "6.1"]}]
        roles:
          - {id: boss, title: Boss, department: qa, responsibilities: [w], qualifications: [q], authority: [a]}
        """,
        company=False,
    )
    assert r.problems == []
    company = r.handbook.company
    assert [(o.clause, o.lead, o.support) for o in company.clause_owners] == [
        ("10.2", ("qa",), ()),
        ("6.1", ("qa",), ("qa",)),
    ]
    assert company.required_clauses == ("10.2", "6.1", "8.7")
    assert r.handbook.departments["qa"].functions[0].clauses == ("8.7", "7.1.5.1", "10.2", "6.1")


def test_clause_owner_needs_a_clause_and_real_departments(check):
    r = check(
        """\
        company:
          name: ACME
          clause_owners:
            - {lead: qa}
            - {clause: "6.3", lead: nowhere}
        departments: [{id: qa, name: QA}]
        roles:
          - {id: boss, title: Boss, department: qa, responsibilities: [w], qualifications: [q], authority: [a]}
        """,
        company=False,
    )
    assert [x for x in rows(r) if x[1] != "clause-unassigned"] == [
        (
            "org/a.yaml:4:7",
            "missing-field",
            "a `clause_owners` entry of the company has no `clause`",
            'write `clause: "6.1"`',
        ),
        (
            "org/a.yaml:5:29",
            "dangling-ref",
            "`lead` of a `clause_owners` entry of the company: no department has the id `nowhere`",
            "references use the department's `id`, not its name",
        ),
    ]


def test_clause_unassigned_for_each_required_clause_without_a_lead(check):
    r = check(
        """\
        company:
          name: ACME
          required_clauses: ["6.1", "6.3", "7.5", "8.7"]
          clause_owners:
            - {clause: "6.3", support: [qa]}   # support only: still no lead
        departments:
          - id: qa
            name: QA
            head: boss
            functions: [{text: 不合格品控制, clauses: [8.7]}]
        roles:
          - id: boss
            title: Boss
            department: qa
            responsibilities: [{text: 文件控制, clauses: [7.5.3]}]   # a sub-clause's lead counts for 7.5
            qualifications: [q]
            authority: [a]
          - id: clerk
            title: Clerk
            department: qa
            reports_to: boss
            responsibilities: [{text: 识别风险, clauses: ["6.1"]}]   # not the head: support only
            qualifications: [q]
            authority: [a]
        """,
        company=False,
    )
    hint = (
        "name it in a department's duties or its head's (`clauses: [\"{c}\"]`), or assign it: "
        '`clause_owners: [{{clause: "{c}", lead: <department id>}}]`'
    )
    assert rows(r) == [
        (
            "org/a.yaml:2:3",
            "clause-unassigned",
            "ISO 9001 clause 6.1 (应对风险和机遇的措施 / Actions to address risks and opportunities) has no lead department",
            hint.format(c="6.1"),
        ),
        (
            "org/a.yaml:2:3",
            "clause-unassigned",
            "ISO 9001 clause 6.3 (变更的策划 / Planning of changes) has no lead department",
            hint.format(c="6.3"),
        ),
    ]


def test_no_clause_warnings_when_the_data_names_no_clause(check):
    r = check("""\
        departments: [{id: qa, name: QA}]
        roles:
          - {id: boss, title: Boss, department: qa, responsibilities: [w], qualifications: [q], authority: [a]}
        """)
    assert r.problems == [] and not r.handbook.clause_matrix


def test_no_authority(check):
    r = check("""\
        departments: [{id: qa, name: QA}]
        roles:
          - {id: boss, title: Boss, department: qa, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: clerk, title: Clerk, department: qa, responsibilities: [w], qualifications: [q]}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:4:5",
            "no-authority",
            "role `clerk` has no `authority` (工作权限)",
            "ISO 9001 clause 5.3 asks for each role's responsibilities and authorities: list what the "
            "role may decide, approve, release or stop under `authority:`",
        )
    ]


def test_vacant_performer_only_for_posts_nobody_holds(check):
    r = check("""\
        departments: [{id: qa, name: QA}]
        roles:
          - {id: boss, title: Boss, department: qa, headcount: 1, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: iqc, title: IQC, department: qa, headcount: 2-5, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: acting, title: Acting, department: qa, headcount: 1, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: part, title: Part, department: qa, headcount: 1, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: idle, title: Idle, department: qa, headcount: 1, responsibilities: [w], qualifications: [q], authority: [a]}
          - {id: line, title: Line, department: qa, headcount: 30, filled: 28, responsibilities: [w], qualifications: [q], authority: [a]}
        people:
          - {name: A, assignments: [boss, {role: acting, type: acting}, {role: part, type: concurrent}]}
        processes:
          - id: p
            name: P
            steps:
              - {id: inspect, action: 来料检验, role: iqc, next: [act]}
              - {id: act, action: 代理, role: acting, next: [part]}
              - {id: part, action: 兼任, role: part, next: [line]}
              - {id: line, action: 装配, role: line}   # 28 workers counted, none named: filled
            raci:
              - {activity: 检验, R: iqc, A: boss, C: idle, I: idle}
        """)
    assert rows(r) == [
        (
            "org/a.yaml:4:5",
            "vacant-performer",
            "role `iqc` is vacant (0 of 2-5 filled, no acting holder) but performs: step `inspect` of "
            "process `p`; R in RACI row `检验` of process `p`",
            "assign someone (an acting holder with `type: acting` will do) or give the work to a filled post",
        )
    ]
    assert [str(s) for s in r.problems[0].related] == ["org/a.yaml:15:9", "org/a.yaml:20:9"]


# -- open headcounts (若干) -----------------------------------------------------------------------
@pytest.mark.parametrize("word", ["若干", "不定", "按需", "open", "as needed"])
def test_an_open_headcount_is_kept_as_written_and_left_out_of_the_sums(check, word):
    r = check(f"""\
        departments: [{{id: ops, name: 后勤部}}]
        roles:
          - {{id: boss, title: 经理, department: ops, headcount: 1, responsibilities: [w], qualifications: [q], authority: [a]}}
          - {{id: driver, title: 司机, department: ops, reports_to: boss, headcount: {word}, filled: 3, responsibilities: [w], qualifications: [q], authority: [a]}}
        people:
          - {{name: 张三, assignments: boss}}
        """)
    assert r.errors == []
    hb = r.handbook
    driver = hb.role_staffing["driver"]
    assert str(driver.headcount) == word and driver.headcount.as_data() == word
    assert (driver.filled, str(driver.vacant), driver.over, driver.open) == (3, "0", 0, 1)
    dept = hb.department_staffing["ops"]
    # the sum counts the numbered posts only, and says how many it leaves out
    assert (str(dept.headcount), dept.filled, str(dept.vacant), dept.open) == ("1", 4, "0", 1)
    assert [p for p in r.problems if p.code is Code.OVER_HEADCOUNT] == []
