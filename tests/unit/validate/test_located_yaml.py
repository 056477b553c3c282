"""The loader: YAML text -> located values, with every YAML-level problem reported."""

from __future__ import annotations

import datetime as dt
import gc
import os

import pytest
import yaml

from handbook.problems import Code, Source, display_path
from handbook.validate import located_yaml as loader
from handbook.validate.located_yaml import (
    DataFile,
    YList,
    YMap,
    YScalar,
    find_data_files,
    load_dir,
    load_file,
    load_text,
)


def shown(problems) -> list[tuple[str, str, str]]:
    return [(str(p.source), p.code.value, p.message) for p in problems]


# -- located values --------------------------------------------------------------------------
def test_values_remember_where_they_were_written():
    root, problems = load_text("roles:\n  - id: boss\n    title: {en: Boss}\n", "f.yaml")
    assert problems == []
    assert isinstance(root, YMap) and root.source == Source("f.yaml", 1, 1)
    assert root.key_source("roles") == Source("f.yaml", 1, 1)
    roles = root.get("roles")
    assert isinstance(roles, YList) and roles.source == Source("f.yaml", 2, 3)
    role = roles.items[0]
    assert isinstance(role, YMap) and role.source == Source("f.yaml", 2, 5)
    assert role.key_source("title") == Source("f.yaml", 3, 5)
    ident = role.get("id")
    assert isinstance(ident, YScalar) and ident.source == Source("f.yaml", 2, 9) and ident.value == "boss"
    title = role.get("title")
    assert isinstance(title, YMap) and title.source == Source("f.yaml", 3, 12)
    assert title.get("en").source == Source("f.yaml", 3, 17)
    assert role.get("missing") is None and role.key_source("missing") == role.source


def test_scalars_keep_the_text_as_written():
    root, problems = load_text(
        "code: 007\ngrade: yes\nratio: 1.50\nnothing: ~\nempty:\nquoted: ''\n"
        "date: 2024-03-01\nbad_date: 2024-13-45\nblock: |\n  two\n  lines\n",
        "f.yaml",
    )
    assert problems == []
    assert isinstance(root, YMap)
    got = {k: (v.value, v.raw, v.quoted) for k, (_, v) in root.items.items()}
    assert got == {
        "code": (7, "007", False),  # YAML 1.1 reads 007 as a number; the text is kept
        "grade": (True, "yes", False),
        "ratio": (1.5, "1.50", False),
        "nothing": (None, "~", False),
        "empty": (None, "", False),
        "quoted": ("", "", True),
        "date": (dt.date(2024, 3, 1), "2024-03-01", False),
        "bad_date": ("2024-13-45", "2024-13-45", False),  # not a date: kept as text, no exception
        "block": ("two\nlines\n", "two\nlines\n", True),
    }
    assert root.get("nothing").is_null and root.get("empty").is_null
    assert not root.get("quoted").is_null  # '' is an empty string, not a missing value


def test_empty_and_comment_only_files_have_no_root():
    assert load_text("", "f.yaml") == (None, [])
    assert load_text("# nothing here yet\n\n", "f.yaml") == (None, [])


def test_crlf_line_endings_keep_positions():
    root, problems = load_text("a: 1\r\nb:\r\n  c: 2\r\n", "f.yaml")
    assert problems == []
    assert root.get("b").get("c").source == Source("f.yaml", 3, 6)


# -- YAML-level problems -----------------------------------------------------------------------
def test_duplicate_key_is_reported_and_the_first_value_kept():
    root, problems = load_text("name: A\nother: 1\nname: B\n", "f.yaml")
    assert shown(problems) == [("f.yaml:3:1", "duplicate-key", "duplicate key `name` (first at line 1)")]
    assert problems[0].related == (Source("f.yaml", 1, 1),)
    assert problems[0].hint == "YAML would silently keep only the last value; remove one"
    assert root.get("name").value == "A"


def test_recursive_alias():
    root, problems = load_text("a: &x [1, *x]\n", "f.yaml")
    # the alias is the anchored node itself, so the position is the anchor's
    assert shown(problems) == [("f.yaml:1:4", "yaml-syntax", "recursive YAML alias")]
    assert problems[0].hint == "an alias (*name) may not point into the structure that contains it"
    assert isinstance(root.get("a"), YList) and root.get("a").items[1].is_null


def test_non_recursive_alias_is_expanded():
    root, problems = load_text("a: &x {k: v}\nb: *x\n", "f.yaml")
    assert problems == []
    assert root.get("b").get("k").value == "v"


def test_merge_key_and_complex_keys():
    root, problems = load_text("base: &b {k: v}\nm:\n  <<: *b\n  ? [1, 2]\n  : x\n  1: one\n", "f.yaml")
    assert shown(problems) == [
        ("f.yaml:3:3", "unknown-key", "YAML merge keys (`<<`) are not supported"),
        ("f.yaml:4:5", "wrong-type", "a mapping key must be a plain word"),
    ]
    assert list(root.get("m").items) == ["1"]  # a plain non-string key is read as its text


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a:\n\tb: 1\n",
            ("f.yaml:2:1", "yaml-syntax", "a tab character in the indentation: YAML indents with spaces only"),
        ),
        ("a: [1, 2\nb: 3\n", ("f.yaml:1:4", "yaml-syntax", "`[` is not closed on its line")),
        ("a: {b: [1, 2}\n", ("f.yaml:1:8", "yaml-syntax", "`[` is not closed on its line")),
        (
            "a: 1\n---\nb: 2\n",
            (
                "f.yaml:2:1",
                "yaml-syntax",
                "a data file must hold a single YAML document (found `---` followed by more)",
            ),
        ),
        (
            'a: "x\x07y"\n',
            ("f.yaml:1:6", "yaml-syntax", "the file contains the control character #x0007, which YAML does not allow"),
        ),
        (
            "a: 1\nb: 研发\x00\n",
            ("f.yaml:2:6", "yaml-syntax", "the file contains the control character #x0000, which YAML does not allow"),
        ),
    ],
)
def test_yaml_syntax_errors(text, expected):
    root, problems = load_text(text, "f.yaml")
    assert root is None
    assert shown(problems) == [expected]


def test_huge_numbers_are_kept_as_text():
    # Python refuses str() of ints with more than 4300 digits: such values stay text
    big_hex = "0x" + "f" * 5000
    root, problems = load_text(f"a: {'9' * 5000}\nb: {big_hex}\nc: 123456789012345678901234567890\n", "f.yaml")
    assert problems == []
    assert root.get("a").value == "9" * 5000
    assert root.get("b").value == big_hex
    assert root.get("c").value == 123456789012345678901234567890


NASTY = [
    "a:\n\tb: 1\n",
    "\x00\x01\x02\x03",
    "[" * 600 + "]" * 600,
    "- " * 1500 + "x",
    "".join("  " * i + "a:\n" for i in range(1200)),
    "&a [*a]",
    "a: &a {b: *a}",
    "- 1\n- 2\n",
    "just text",
    "n: " + "9" * 10000,
    "n: 0b" + "1" * 20000,
    "<<: {a: 1}\n",
    "? [a, b]\n: c\n? {x: 1}\n: d\n1: 2\n~: 3\n",
    "a: 1\n---\nb: 2\n",
    "--- a\n...\n--- b\n",
    "%YAML 1.1\n%TAG ! tag:x,2000:\n--- !foo {a: 1}\n",
    "a: !!python/object/apply:os.system [echo hi]\n",
    'a: !!binary Zm9v\nb: !!timestamp nope\nc: !!bool maybe\nd: !!int x\ne: !!float y\nf: !!binary "***"\n',
    "'unterminated",
    "\ufeff\ufeffa: 1",
    "a: *undefined\n",
]


@pytest.mark.parametrize("use_libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_text_never_raises(monkeypatch, text, use_libyaml):
    if use_libyaml and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(loader, "_Loader", yaml.CSafeLoader if use_libyaml else yaml.SafeLoader)
    root, problems = load_text(text, "f.yaml")
    for p in problems:
        assert p.source.path == "f.yaml" and p.source.line >= 1 and p.source.column >= 1
        assert p.format().startswith(f"{p.source}: error[")
    assert root is not None or problems


def test_loading_keeps_no_yaml_nodes_alive():
    def live_nodes() -> int:
        gc.collect()
        return sum(isinstance(o, yaml.Node) for o in gc.get_objects())

    before = live_nodes()
    for _ in range(3):
        root, _problems = load_text("a: [" + ", ".join(map(str, range(300))) + "]\n", "f.yaml")
        assert len(root.get("a").items) == 300
    assert live_nodes() - before < 10


# -- files and folders ------------------------------------------------------------------------------
def test_load_file_reads_utf8_with_bom(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_bytes(b"\xef\xbb\xbfname: \xe7\xa0\x94\xe5\x8f\x91\n")
    f, problems = load_file("a.yaml")
    assert problems == []
    assert isinstance(f, DataFile) and f.path == "a.yaml" and f.size == 16
    assert f.root.get("name").value == "研发" and f.root.get("name").source == Source("a.yaml", 1, 7)
    assert len(f.sha) == 40


@pytest.mark.parametrize(
    "data, position, byte",
    [
        (b"a: 1\nb: \xff\n", "a.yaml:2:4", "0xff"),
        (b"\xef\xbb\xbfa: \xff", "a.yaml:1:4", "0xff"),  # the BOM is not a column
        (b"a: \xe7\xa0\x94\xe5\x8f\n", "a.yaml:1:5", "0xe5"),  # a truncated character
    ],
)
def test_load_file_encoding_error(tmp_path, monkeypatch, data, position, byte):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_bytes(data)
    f, problems = load_file("a.yaml")
    assert f.failed and f.root is None  # listed, so the checks across files know it was not read
    assert shown(problems) == [(position, "encoding", f"the file is not UTF-8 (byte {byte})")]
    assert problems[0].hint == "save the file as UTF-8 (most editors: 'Save with encoding')"


NOTEPAD_FIX = "open it in Notepad, choose 文件 → 另存为 (Save As), set 编码 (Encoding) to UTF-8 and save"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_a_gbk_file_is_named_with_the_fix(tmp_path, monkeypatch, encoding):
    """Notepad on Chinese Windows saves "ANSI", i.e. GBK: say so, and how to save as UTF-8."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_bytes("roles:\n  - id: welder\n    title: 焊工\n".encode(encoding))
    f, problems = load_file("a.yaml")
    assert shown(problems) == [
        (
            "a.yaml:3:12",
            "encoding",
            "the file is saved as GBK/GB18030 (Windows' “ANSI” for Chinese), not UTF-8 (byte 0xba)",
        )
    ]
    assert problems[0].hint == NOTEPAD_FIX + " (or: iconv -f GB18030 -t UTF-8)"
    assert f.failed and f.salvaged == (("role", "welder"),)


def test_a_utf16_file_is_named_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_bytes("roles:\n  - id: welder\n    title: 焊工\n".encode("utf-16"))
    f, problems = load_file("a.yaml")
    assert shown(problems) == [
        ("a.yaml:1:1", "encoding", "the file is saved as UTF-16 (Notepad's “Unicode”), not UTF-8")
    ]
    assert problems[0].hint == NOTEPAD_FIX
    assert f.salvaged == (("role", "welder"),)


def test_load_file_io_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    f, problems = load_file("missing.yaml")
    assert f is None
    assert shown(problems) == [("missing.yaml", "io-error", "cannot read file: No such file or directory")]


def test_find_data_files_in_path_order(tmp_path):
    for rel in [
        "b.yaml",
        "a.yml",
        "sub/c.yaml",
        "a/z.yaml",
        "notes.txt",
        ".hidden.yaml",
        ".git/x.yaml",
        "_drafts/d.yaml",
        "sub/.e.yaml",
    ]:
        path = tmp_path / "org" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n")
    paths, problems = find_data_files(tmp_path / "org")
    assert problems == []
    assert [p.relative_to(tmp_path / "org").as_posix() for p in paths] == ["a.yml", "a/z.yaml", "b.yaml", "sub/c.yaml"]


def test_find_data_files_accepts_a_single_file(tmp_path):
    (tmp_path / "one.yaml").write_text("a: 1\n")
    assert find_data_files(tmp_path / "one.yaml") == ([tmp_path / "one.yaml"], [])


def test_load_dir_collects_files_and_problems(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text("a: 1\n")
    (tmp_path / "org" / "b.yaml").write_text("a: [\n")
    (tmp_path / "org" / "c.yaml").write_text("a: 1\na: 2\n")
    files, problems = load_dir("org")
    assert [f.path for f in files] == ["org/a.yaml", "org/b.yaml", "org/c.yaml"]
    assert files[1].root is None  # read, but not parsed
    assert [(str(p.source), p.code) for p in problems] == [
        ("org/b.yaml:2:1", Code.YAML_SYNTAX),
        ("org/c.yaml:2:1", Code.DUPLICATE_KEY),
    ]


def test_display_path(tmp_path, monkeypatch):
    (tmp_path / "inside").mkdir()
    monkeypatch.chdir(tmp_path / "inside")
    assert display_path(tmp_path / "inside" / "org" / "a.yaml") == os.path.join("org", "a.yaml")
    assert display_path("org/./a.yaml") == os.path.join("org", "a.yaml")
    outside = tmp_path / "other" / "a.yaml"
    assert display_path(outside) == str(outside)


def test_alias_bombs_are_refused_with_the_figure(tmp_path):
    """A "billion laughs" file (aliases of aliases) is refused, at once and located: read
    linearly it would still explode in every consumer (an export, the site) — issue 28."""
    import time

    from handbook.validate import check_dir
    from handbook.validate.located_yaml import MAX_ALIAS_EXPANSION

    lines = [
        "company: {name: X}",
        "departments:",
        "  - id: d",
        "    name: D",
        "    extra:",
        "      a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    lines += [f"      a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    lines += [
        "roles:",
        "  - {id: r, title: R, department: d, responsibilities: [x], qualifications: [y], authority: [a]}",
    ]
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = check_dir(str(tmp_path))
    assert time.monotonic() - started < 5
    assert result.handbook is None
    (p,) = [p for p in result.errors if p.code is Code.YAML_SYNTAX]
    # a3 (1,111 values) repeated by a4 and a5 passes 100,000 first
    assert (p.source.line, p.source.column) == (9, 11)
    assert p.message == (
        f"the aliases (*name) of this file repeat more than {MAX_ALIAS_EXPANSION:,} values (at this anchor, "
        "11,111 each time): refused, as a 'billion laughs' file is"
    )


def test_a_few_aliases_are_fine(tmp_path):
    from handbook.validate.located_yaml import load_text

    root, problems = load_text("a: &x [1, 2, 3]\nb: *x\nc: *x\n", "f.yaml")
    assert root is not None and problems == []
