"""Generate the docs' tables from the code, so the docs cannot drift.

    python scripts/doc_tables.py          rewrite the tables in the docs pages (FILES)
    python scripts/doc_tables.py --check  exit 1 if a page is out of date (run by the tests)

A table sits between ``<!-- BEGIN name ... -->`` and ``<!-- END name -->`` markers. The
tables, the page that holds each and where they come from:

* ``config-table`` (docs/settings.md): every setting, from
  :data:`handbook.site.settings.SETTINGS`;
* ``directive-table`` (docs/pages.md): the directives, from
  :data:`handbook.site.directives.DIRECTIVES`;
* ``page-table`` (docs/pages.md): the generated pages, from :data:`handbook.pages.PAGE_KINDS`;
* ``schema-<kind>`` (docs/data-format.md): the fields of each kind, from :mod:`handbook.schema`;
* ``problem-codes`` (docs/data-format.md): the problem codes, from :class:`handbook.problems.Code`;
* ``workbook-columns`` (docs/spreadsheets.md): the sheets and columns of ``handbook template`` /
  ``import`` / ``export``, from :mod:`handbook.schema` through
  :func:`handbook.exchange.workbook_layout.markdown_table`;
* ``status-table`` (docs/data-format.md): the built-in document statuses and their zh_CN
  marking, from :data:`handbook.status.BUILTIN` and the label catalog (:mod:`handbook.i18n`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILES = tuple(ROOT / "docs" / f"{name}.md" for name in ("data-format", "pages", "settings", "spreadsheets"))


def markdown_text(text: str) -> str:
    """``text`` for a Markdown table cell: a ``<`` outside code would start raw HTML (``roles/<id>.pdf``
    shows as ``roles/.pdf``), so it is written ``&lt;``."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(p if p.startswith("`") else p.replace("<", "&lt;") for p in parts)


def config_table() -> str:
    from handbook.site.settings import SETTINGS

    lines = ["| setting | default | what it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | `{s.default!r}` | {markdown_text(s.help)} |")
    return "\n".join(lines) + "\n"


def directive_table() -> str:
    from handbook.site.directives import DIRECTIVES

    lines = ["| directive | arguments | options | what it shows |", "| --- | --- | --- | --- |"]
    for name, cls in DIRECTIVES.items():
        doc = " ".join((cls.__doc__ or "").split()).replace("``", "`")
        low, high = cls.required_arguments, cls.required_arguments + cls.optional_arguments
        args = "—" if not high else (str(high) if low == high else f"{low}–{high}")
        options = ", ".join(f"`:{o}:`" for o in (cls.option_spec or {})) or "—"
        lines.append(f"| `{name}` | {args} | {options} | {doc} |")
    return "\n".join(lines) + "\n"


def page_table() -> str:
    from handbook.pages import CONDITIONS, PAGE_KINDS

    lines = ["| page | address | in the sidebar | in the PDF |", "| --- | --- | --- | --- |"]
    for k in PAGE_KINDS:
        address = f"`{k.docname.format('<id>')}.html`"
        pdf = (
            "if your toctree lists it" if k.orphan else "under Indexes" if k.pdf_index else "where your toctree puts it"
        )
        title = k.title + (f" ({CONDITIONS[k.when][1]})" if k.when else "")
        lines.append(f"| {title} | {address} | {'yes' if k.nav else 'no'} | {pdf} |")
    return "\n".join(lines) + "\n"


def problem_codes() -> str:
    from handbook.problems import codes_table_markdown

    return codes_table_markdown()


def workbook_columns() -> str:
    from handbook.exchange.workbook_layout import markdown_table

    return markdown_table()


def status_table() -> str:
    import gettext

    from handbook.i18n import CATALOG, LOCALE_DIR
    from handbook.status import BUILTIN

    zh = gettext.translation(CATALOG, str(LOCALE_DIR), ["zh_CN"]).gettext
    lines = [
        "| status | also written | cover stamp | footer note of every PDF page | watermark (every PDF page) "
        "| banner (every HTML page and the cover) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for st in BUILTIN:
        cells = [zh(x) if x else "—" for x in (st.stamp, st.note, st.watermark, st.banner)]
        lines.append(f"| `{st.key}` | {', '.join(st.aliases)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def tables() -> dict[str, Callable[[], str]]:
    from handbook.schema import DOC_KINDS, markdown_table

    out: dict[str, Callable[[], str]] = {
        "config-table": config_table,
        "directive-table": directive_table,
        "page-table": page_table,
        "problem-codes": problem_codes,
        "workbook-columns": workbook_columns,
        "status-table": status_table,
    }
    for kind in DOC_KINDS:
        out[f"schema-{kind}"] = lambda k=kind: markdown_table(k)
    return out


def render(text: str, required: tuple[str, ...] = ()) -> str:
    """The text with every marked table regenerated; ``required`` tables must be present."""
    for name, fn in tables().items():
        pattern = re.compile(
            rf"(<!-- BEGIN {re.escape(name)}(?: [^\n]*)?-->\n)(.*?)(<!-- END {re.escape(name)} -->)", re.S
        )
        if not pattern.search(text):
            if name in required:
                raise SystemExit(f"no <!-- BEGIN {name} ... --> marker")
            continue
        text = pattern.sub(lambda m, fn=fn: m.group(1) + fn() + m.group(3), text)
    return text


def main(argv: list[str]) -> int:
    stale, texts = [], []
    for path in FILES:
        current = path.read_text(encoding="utf-8")
        texts.append(current)
        fresh = render(current)
        if fresh == current:
            continue
        if "--check" in argv:
            stale.append(path.relative_to(ROOT))
        else:
            path.write_text(fresh, encoding="utf-8")
    # a table no page holds would silently stop being published (as when the tables left the README)
    lost = [
        name for name in tables() if not any(re.search(rf"<!-- BEGIN {re.escape(name)}(?: |-->)", t) for t in texts)
    ]
    if lost:
        print(f"no page of FILES holds the table(s) {', '.join(lost)}: add their <!-- BEGIN name --> markers")
    if stale:
        print(f"{', '.join(map(str, stale))}: tables out of date: run `python scripts/doc_tables.py`")
    return 1 if stale or lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
