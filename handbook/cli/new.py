"""``handbook new DIR``: a minimal, valid handbook for a new company, from ``project_template/``."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from importlib import resources
from pathlib import Path

from handbook.cli.registry import Command

#: template files written under another name (a dot file would be easy to lose in packaging)
RENAMED = {"gitignore": ".gitignore"}


def cmd_new(args) -> int:
    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        print(f"handbook new: {target} is a file; nothing was written", file=sys.stderr)
        return 2
    if target.exists() and any(target.iterdir()):
        print(f"handbook new: {target} exists and is not empty; nothing was written", file=sys.stderr)
        return 2
    template = resources.files("handbook.cli") / "project_template"
    written = []
    with resources.as_file(template) as src:
        for path in sorted(Path(src).rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(src)
            dest = target / rel.with_name(RENAMED.get(rel.name, rel.name))
            dest.parent.mkdir(parents=True, exist_ok=True)
            # the name goes inside "..." in the YAML and Python files: escape it there (JSON escapes suit both)
            name = json.dumps(args.name, ensure_ascii=False)[1:-1] if path.suffix in (".yaml", ".py") else args.name
            text = path.read_text(encoding="utf-8").replace("{{company}}", name)
            dest.write_text(text, encoding="utf-8")
            written.append(dest)
    for w in written:
        print(f"  created {w}")
    exe = handbook_command()
    print(
        f"\nNext: edit the YAML files in {target / 'org'}, then run:\n"
        f"  cd {shlex.quote(str(target))}\n"
        f"  {exe} check    # every problem in the data, with file:line:col\n"
        f"  {exe} html     # the site, into _build/html\n"
        f"  {exe} pdf      # the audit PDF, into _build/pdf\n"
        f"  {exe} serve    # preview the site on http://127.0.0.1:8000/"
    )
    return 0


def handbook_command() -> str:
    """The handbook command as the user can type it: `handbook` when it is on the PATH,
    else its full path (or `python -m handbook` with the full path of this Python)."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "handbook" and script.is_file():
        on_path = shutil.which("handbook")
        if on_path and os.path.samefile(on_path, script):
            return "handbook"
        return shlex.quote(os.path.abspath(script))
    return f"{shlex.quote(sys.executable)} -m handbook"


def new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", help="the folder to create (must not exist or be empty)")
    p.add_argument("--name", default="示例有限公司", help="the company name")


COMMAND = Command(
    "new",
    "start a handbook for a new company",
    "Write a minimal, valid handbook (conf.py, index page, org data) into a new folder.",
    new_arguments,
    cmd_new,
)
