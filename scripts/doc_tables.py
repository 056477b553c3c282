"""Generate the README's configuration and directive tables from the code.

    python scripts/doc_tables.py          rewrite the tables in README.md
    python scripts/doc_tables.py --check  exit 1 if README.md is out of date (run by the tests)

The tables sit between ``<!-- BEGIN name -->`` and ``<!-- END name -->`` markers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def config_table() -> str:
    from handbook import extension, pdf, search

    lines = ["| setting | default | what it does |", "| --- | --- | --- |"]
    rows = [(cv.name, cv.default, cv.help) for cv in extension.CONFIG]
    rows += [(name, default, help_) for name, default, _rebuild, help_ in (*search.CONFIG, *pdf.CONFIG)]
    for name, default, help_ in rows:
        lines.append(f"| `{name}` | `{default!r}` | {help_} |")
    return "\n".join(lines) + "\n"


def directive_table() -> str:
    from handbook.directives import DIRECTIVES

    lines = ["| directive | arguments | options | what it shows |", "| --- | --- | --- | --- |"]
    for name, cls in DIRECTIVES.items():
        doc = " ".join((cls.__doc__ or "").split()).replace("``", "`")
        low, high = cls.required_arguments, cls.required_arguments + cls.optional_arguments
        args = "—" if not high else (str(high) if low == high else f"{low}–{high}")
        options = ", ".join(f"`:{o}:`" for o in (cls.option_spec or {})) or "—"
        lines.append(f"| `{name}` | {args} | {options} | {doc} |")
    return "\n".join(lines) + "\n"


TABLES = {"config-table": config_table, "directive-table": directive_table}


def render(text: str) -> str:
    for name, fn in TABLES.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} [^\n]*-->\n)(.*?)(<!-- END {name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- BEGIN {name} ... --> marker")
        text = pattern.sub(lambda m: m.group(1) + fn() + m.group(3), text)
    return text


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md tables are out of date: run `python scripts/doc_tables.py`")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
