"""The ``handbook`` command: exit codes, output formats, scaffolding, the codes table."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import handbook
from handbook.cli import main
from handbook.problems import Code, codes_table_markdown
from handbook.validate import check_dir

REPO = Path(__file__).resolve().parents[3]

CLEAN = """\
company:
  name: ACME
departments:
  - {id: rd, name: R&D, head: boss}
roles:
  - {id: boss, title: Boss, department: rd, headcount: "1-3", responsibilities: [work], qualifications: [degree], authority: [a]}
people:
  - {name: 张三, assignments: [boss]}
"""

WARNING_ONLY = CLEAN.replace(", qualifications: [degree]", "")

BROKEN = CLEAN.replace("department: rd,", "department: rnd,").replace("title: Boss", "titel: Boss")


@pytest.fixture
def org(tmp_path, monkeypatch):
    """``org(text)``: write org/a.yaml in a temporary working folder; returns "org"."""
    monkeypatch.chdir(tmp_path)

    def write(text: str) -> str:
        (tmp_path / "org").mkdir(exist_ok=True)
        (tmp_path / "org" / "a.yaml").write_text(text, encoding="utf-8")
        return "org"

    return write


# -- check ------------------------------------------------------------------------------------------
def test_check_clean_data_exits_0(org, capsys):
    assert main(["check", org(CLEAN)]) == 0
    out = capsys.readouterr().out
    assert out == (
        "1 files: 1 departments, 1 roles, 1 people, 0 processes; headcount 1-3, filled 1, vacant 0-2\n"
        "0 errors, 0 warnings\n"
    )


def test_check_errors_exit_1_with_positions_and_hints(org, capsys):
    assert main(["check", org(BROKEN)]) == 1
    out = capsys.readouterr().out
    assert out == (
        "org/a.yaml:4:5: warning[empty-department]: department `rd` has no roles\n"
        "  hint: add roles with `department: rd`, or remove the department\n"
        "org/a.yaml:6:5: error[missing-field]: role `boss` has no `title`\n"
        "  hint: `title` is required\n"
        "org/a.yaml:6:16: error[unknown-key]: unknown key `titel` in a role\n"
        "  hint: did you mean `title`?\n"
        "org/a.yaml:6:41: error[dangling-ref]: `department` of role `boss`: no department has the id `rnd`\n"
        "  hint: did you mean `rd`?\n"
        "3 errors, 1 warning\n"
    )


def test_check_warnings_exit_0_unless_strict(org, capsys):
    data = org(WARNING_ONLY)
    assert main(["check", data]) == 0
    out = capsys.readouterr().out
    assert "org/a.yaml:6:5: warning[no-qualifications]: role `boss` has no `qualifications` (任职资格)\n" in out
    assert out.endswith("0 errors, 1 warning\n")
    assert main(["check", "--strict", data]) == 1
    assert main(["check", "--strict", org(CLEAN)]) == 0


def test_check_quiet_prints_errors_only(org, capsys):
    data = org(WARNING_ONLY.replace("assignments: [boss]", "assignments: [bos]"))
    assert main(["check", data]) == 1
    assert "warning[no-qualifications]" in capsys.readouterr().out
    assert main(["check", "-q", data]) == 1
    assert capsys.readouterr().out == (
        "org/a.yaml:8:30: error[dangling-ref]: `role` of an assignment of person `张三`: no role has the id `bos`\n"
        "  hint: did you mean `boss`?\n"
        "1 error, 1 warning\n"
    )  # the count still mentions the hidden warning


def test_check_json(org, capsys):
    assert main(["check", "--format", "json", org(BROKEN)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["errors"] == 3 and payload["warnings"] == 1
    assert payload["problems"][3] == {
        "path": "org/a.yaml",
        "line": 6,
        "column": 41,
        "severity": "error",
        "code": "dangling-ref",
        "message": "`department` of role `boss`: no department has the id `rnd`",
        "hint": "did you mean `rd`?",
        "related": [],
    }
    assert [(p["code"], p["severity"]) for p in payload["problems"]] == [
        ("empty-department", "warning"),
        ("missing-field", "error"),
        ("unknown-key", "error"),
        ("dangling-ref", "error"),
    ]


def test_check_json_clean_and_related(org, capsys):
    assert main(["check", "--format", "json", org(CLEAN)]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "errors": 0, "warnings": 0, "problems": []}
    assert main(["check", "--format", "json", org("company: {name: A}\ncompany: {name: B}\n")]) == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert (problem["code"], problem["line"], problem["related"]) == ("duplicate-key", 2, ["org/a.yaml:1:1"])


def test_check_finds_the_project_in_the_working_folder(tmp_path, monkeypatch, capsys):
    """In the folder `handbook new` made, `handbook check` checks its conf.py's data folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["new", "hb"]) == 0
    (tmp_path / "hb" / "conf.py").write_text(
        (tmp_path / "hb" / "conf.py")
        .read_text(encoding="utf-8")
        .replace('handbook_data_dir = "org"', 'handbook_data_dir = "data"'),
        encoding="utf-8",
    )
    (tmp_path / "hb" / "org").rename(tmp_path / "hb" / "data")
    (tmp_path / "hb" / "data" / "company.yaml").write_text("company: {name: X, nme: Y}\n", encoding="utf-8")
    capsys.readouterr()
    monkeypatch.chdir(tmp_path / "hb")
    assert main(["check"]) == 1
    # the project's language is zh_CN: the problems are said in Chinese, located as in YAML
    assert capsys.readouterr().out.startswith("data/company.yaml:1:20: 错误[unknown-key]: `company` 中不认识键 `nme`")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "hb"]) == 1  # a project folder names its data folder
    assert capsys.readouterr().out.startswith(f"{os.path.join('hb', 'data', 'company.yaml')}:1:20: 错误[unknown-key]")


def test_check_missing_folder_and_default_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "nowhere"]) == 1
    assert capsys.readouterr().out.startswith("nowhere: error[io-error]: the data folder does not exist\n")
    assert main(["check"]) == 1  # the default is source/org
    assert capsys.readouterr().out.startswith(f"{os.path.join('source', 'org')}: error[io-error]")
    (tmp_path / "source" / "org").mkdir(parents=True)
    (tmp_path / "source" / "org" / "company.yaml").write_text(CLEAN)
    assert main(["check"]) == 0


# -- usage, --help, --version ----------------------------------------------------------------------------
def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert capsys.readouterr().out.startswith("usage: handbook")


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["check", "--format", "xml"],
        ["check", "--bogus"],
        ["codes", "--format", "html"],
        ["new"],
    ],
)
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: handbook" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"handbook {handbook.__version__}\n"


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--help"], ["check", "new", "codes", "serve"]),
        (["check", "--help"], ["--format", "--strict", "--quiet", "DATA_DIR"]),
        (["new", "--help"], ["--name", "directory"]),
    ],
)
def test_help(argv, words, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: handbook")
    for word in words:
        assert word in out


# -- new ----------------------------------------------------------------------------------------------------
def test_new_scaffolds_a_handbook_that_checks_clean(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "hb", "--name", "测试有限公司"]) == 0
    out = capsys.readouterr().out
    assert "created hb/org/company.yaml" in out and "\n  cd hb\n" in out
    files = sorted(p.relative_to(tmp_path / "hb").as_posix() for p in (tmp_path / "hb").rglob("*") if p.is_file())
    assert files == [".gitignore", "README.md", "conf.py", "index.md", "org/10-management.yaml", "org/company.yaml"]
    assert 'name: "测试有限公司"' in (tmp_path / "hb" / "org" / "company.yaml").read_text(encoding="utf-8")
    # a project to keep in git: build output and import backups left out, the commands in its README
    ignored = (tmp_path / "hb" / ".gitignore").read_text(encoding="utf-8").split()
    assert {"_build/", "_backup/", "node_modules/"} <= set(ignored)
    readme = (tmp_path / "hb" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 测试有限公司") and all(f"handbook {c}" in readme for c in ("check", "html", "pdf"))
    assert main(["check", "--strict", "hb/org"]) == 0
    assert capsys.readouterr().out.endswith("0 errors, 0 warnings\n")


def test_new_into_an_existing_empty_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hb").mkdir()
    assert main(["new", "hb"]) == 0
    assert (tmp_path / "hb" / "org" / "company.yaml").is_file()


def test_new_escapes_the_company_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = 'ACME "Best" \\ Co'
    assert main(["new", "hb", "--name", name]) == 0
    assert main(["check", "hb/org"]) == 0
    capsys.readouterr()
    assert str(check_dir("hb/org").handbook.company.name) == name
    conf: dict = {}
    exec((tmp_path / "hb" / "conf.py").read_text(encoding="utf-8"), conf)
    assert conf["project"] == f"{name} 组织手册"
    assert (tmp_path / "hb" / "index.md").read_text(encoding="utf-8").startswith(f"# {name} ")


def test_new_refuses_a_non_empty_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hb").mkdir()
    (tmp_path / "hb" / "conf.py").write_text("mine = True\n")
    assert main(["new", "hb"]) == 2
    assert capsys.readouterr().err == "handbook new: hb exists and is not empty; nothing was written\n"
    assert [p.name for p in (tmp_path / "hb").iterdir()] == ["conf.py"]
    assert (tmp_path / "hb" / "conf.py").read_text() == "mine = True\n"


def test_new_refuses_a_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hb").write_text("not a folder\n")
    assert main(["new", "hb"]) == 2
    assert capsys.readouterr().err == "handbook new: hb is a file; nothing was written\n"
    assert (tmp_path / "hb").read_text() == "not a folder\n"


# -- codes ------------------------------------------------------------------------------------------------
def test_codes_text(capsys):
    assert main(["codes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(Code)
    assert re.fullmatch(r"io-error +error +The data folder or a file in it cannot be read\.", lines[0])
    last = list(Code)[-1]
    assert re.fullmatch(rf"{re.escape(last.value)} +{last.severity.value} +{re.escape(last.__doc__)}", lines[-1])


def test_codes_markdown(capsys):
    assert main(["codes", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out == codes_table_markdown()
    lines = out.splitlines()
    assert lines[:2] == ["| code | severity | meaning |", "| --- | --- | --- |"]
    assert lines[2] == "| `io-error` | error | The data folder or a file in it cannot be read. |"
    assert [line.split("`")[1] for line in lines[2:]] == [c.value for c in Code]


def test_docs_embed_the_current_codes_table():
    """docs/data-format.md holds the generated table; regenerate it when the codes change:
    paste `handbook codes --format markdown` between the markers."""
    text = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN problem-codes[^\n]*-->\n(.*?)<!-- END problem-codes -->", text, re.S)
    assert match, "the problem-codes markers are missing from docs/data-format.md"
    assert match.group(1) == codes_table_markdown()


# -- serve --------------------------------------------------------------------------------------------------
def test_serve_without_a_built_site_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "site"]) == 2
    assert capsys.readouterr().err == "handbook serve: site has no index.html; build the site first (`handbook html`)\n"


# -- the real command -----------------------------------------------------------------------------------------
def test_python_dash_m_handbook(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text(BROKEN, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "handbook", "check", "org"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("org/a.yaml:4:5: warning[empty-department]: department `rd` has no roles\n")
    assert "org/a.yaml:6:16: error[unknown-key]: unknown key `titel` in a role\n" in proc.stdout
    assert proc.stdout.endswith("3 errors, 1 warning\n")
    assert proc.stderr == ""


def test_serve_on_a_busy_port_is_a_message_not_a_traceback(tmp_path, capsys):
    import socket

    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", str(tmp_path), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("handbook serve: ") and "in use" in err


# -- html, pdf: a project that cannot be built is one line, never a crash report ----------------------------
@pytest.mark.parametrize(
    "argv, cwd_has_conf, message",
    [
        (
            ["pdf"],
            False,
            "handbook pdf: there is no conf.py in the working folder: run this in the folder "
            "`handbook new` made, or name that folder (e.g. `handbook pdf my-handbook`)\n",
        ),
        (
            ["html"],
            False,
            "handbook html: there is no conf.py in the working folder: run this in the folder "
            "`handbook new` made, or name that folder (e.g. `handbook html my-handbook`)\n",
        ),
        (["html", "nowhere"], False, "handbook html: nowhere does not exist\n"),
        (["html", "hb/index.md"], True, f"handbook html: {os.path.join('hb', 'index.md')} is not a folder\n"),
        (["pdf", "--source", "nowhere"], False, "handbook pdf: the source folder nowhere does not exist\n"),
        (["html", "-j", "many", "hb"], True, "handbook html: -j many: give a number of processes or `auto`\n"),
        (["html", "-D", "language", "hb"], True, "handbook html: -D language: write -D setting=value\n"),
    ],
)
def test_build_commands_that_cannot_start_are_one_line(tmp_path, monkeypatch, capsys, argv, cwd_has_conf, message):
    monkeypatch.chdir(tmp_path)
    if cwd_has_conf:
        assert main(["new", "hb"]) == 0
        capsys.readouterr()
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == message


@pytest.mark.parametrize(
    "conf_line, message",
    [
        (
            "x = (",
            "handbook html: conf.py: There is a syntax error in your configuration file: '(' was never closed "
            "(conf.py, line {last})\n",
        ),
        ("raise RuntimeError('boom')", "handbook html: conf.py: RuntimeError: boom\n"),
        (
            "extensions.append('no_such_package')",
            "handbook html: conf.py: Could not import extension no_such_package "
            "(exception: No module named 'no_such_package'); is the package installed?\n",
        ),
    ],
)
def test_a_broken_conf_py_is_one_line(tmp_path, monkeypatch, capsys, conf_line, message):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "hb"]) == 0
    conf = tmp_path / "hb" / "conf.py"
    text = conf.read_text(encoding="utf-8") + conf_line + "\n"
    conf.write_text(text, encoding="utf-8")
    capsys.readouterr()
    monkeypatch.chdir(tmp_path / "hb")
    assert main(["html", "-q"]) == 2
    err = capsys.readouterr().err
    assert err == message.replace("{last}", str(text.count("\n")))


def test_html_with_data_errors_lists_them_and_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "hb"]) == 0
    (tmp_path / "hb" / "org" / "company.yaml").write_text("company：\n  name: X\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["html", "-q", "hb"]) == 1
    err = capsys.readouterr().err
    assert "company.yaml:1:8: ERROR: full-width colon `：` after `company`" in err
    assert err.rstrip().splitlines()[-1].startswith("Handbook data error: 1 error in the handbook data in ")
    assert "Traceback" not in err


def test_serve_a_project_folder_and_the_next_free_port(tmp_path, monkeypatch, capsys):
    """`handbook serve my-handbook` serves its _build/html; a taken default port is skipped."""
    import http.server
    import socket

    import handbook.cli.serve as cli

    site = tmp_path / "hb" / "_build" / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    served: list[int] = []

    class ServeOnce(http.server.ThreadingHTTPServer):  # a real server, bound, that returns at once
        def serve_forever(self, poll_interval=0.5):
            served.append(self.server_address[1])

    monkeypatch.setattr(http.server, "ThreadingHTTPServer", ServeOnce)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        monkeypatch.setattr(cli, "DEFAULT_PORT", busy.getsockname()[1])
        assert main(["serve", str(tmp_path / "hb")]) == 0
        taken = busy.getsockname()[1]
        assert len(served) == 1 and taken < served[0] < taken + 20  # the next free one
    assert capsys.readouterr().out == f"Serving {site} at http://127.0.0.1:{served[0]}/ (Ctrl+C to stop)\n"
