"""Keep the label catalog in step with the code.

    python scripts/i18n.py check     every _("...") label has a zh_CN translation, .mo is current
    python scripts/i18n.py compile   compile handbook/locale/*/LC_MESSAGES/handbook.po to .mo

The labels are the English strings passed to ``_()`` in handbook/*.py, and those of the tables
whose labels are chosen at run time (the navigation's, the change reports' words).
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "handbook"
LOCALE = PACKAGE / "locale"
LABEL_RE = re.compile(r"""\b_\(\s*(['"])(.+?)\1\s*\)""")


def labels_in_code() -> list[str]:
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for m in LABEL_RE.finditer(path.read_text(encoding="utf-8")):
            if m.group(2) not in found:
                found.append(m.group(2))
    from handbook.audit.change_report import KIND_HEADINGS, LABELS, LINE_LABELS
    from handbook.problem_words import HINTS, MESSAGES, SHEET_HINTS, WORDS  # problems in the user's language
    from handbook.site.page_context import NAV_LABELS  # labels chosen at run time

    problem_words = (*MESSAGES, *HINTS, *SHEET_HINTS.values(), *WORDS)
    for label in (*NAV_LABELS, *LABELS.values(), *KIND_HEADINGS.values(), *LINE_LABELS.values(), *problem_words):
        if label not in found:
            found.append(label)
    return found


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/handbook.po"))


def compiled(po: Path) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def messages(mo_bytes: bytes) -> dict[str, str]:
    """The translations in a compiled catalog, without its header (which holds dates)."""
    catalog = read_mo(io.BytesIO(mo_bytes))
    return {str(m.id): str(m.string) for m in catalog if m.id}


def check() -> list[str]:
    problems = []
    labels = labels_in_code()
    for po in catalogs():
        with po.open("rb") as f:
            catalog = read_po(f)
        for label in labels:
            msg = catalog.get(label)
            if msg is None or not msg.string:
                problems.append(f"{po}: no translation for {label!r}")
        mo = po.with_suffix(".mo")
        if not mo.exists() or messages(mo.read_bytes()) != messages(compiled(po)):
            problems.append(f"{mo} is not compiled from {po.name}: run `python scripts/i18n.py compile`")
    return problems


def main(argv: list[str]) -> int:
    if argv[1:] == ["compile"]:
        for po in catalogs():
            po.with_suffix(".mo").write_bytes(compiled(po))
            print(f"compiled {po.with_suffix('.mo')}")
        return 0
    problems = check()
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
