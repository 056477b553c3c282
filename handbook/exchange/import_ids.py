"""The ids of imported rows: derived from titles in pinyin when left empty (unique, and the
ids of a data folder being re-imported into kept for objects of the same title), and references
that name an object by id or by a unique title (an ambiguous title is an error listing the
candidates). No Sphinx imports.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from handbook.exchange.sheet_rows import Row
from handbook.exchange.workbook_layout import decode_text, invisible_removed, title_field
from handbook.problems import Code, Problem, Source
from handbook.validate.values import ID_RE


# -- ids and references -------------------------------------------------------------------------
def slug(text: str) -> str:
    """An id from a title: pinyin for Chinese, lower-case ASCII otherwise (研发经理 -> yan-fa-jing-li)."""
    from pypinyin import lazy_pinyin

    s = "-".join(lazy_pinyin(text))
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    if len(s) > 48:
        s = s[:48].rsplit("-", 1)[0]
    return s


class Resolver:
    """Ids derived for rows without one, and references by id or title."""

    def __init__(self, known: dict[tuple[str, str, str | None], str] | None = None) -> None:
        self.known = known or {}  # (kind, title, department or parent) -> id of the data folder imported into
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[str, Row]] = defaultdict(dict)  # kind (or "step:<process>") -> id -> row
        self.by_title: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))

    def assign(self, space: str, kind: str, rows: list[Row], qualify=None) -> None:
        """Give every row an id: the one written, else one derived from its title."""
        tf = title_field(kind)
        taken = self.ids[space]
        for row in rows:
            cell = row.cell("id")
            tcell = row.cell(tf.key)
            row.title = decode_text(tcell.text()) if tcell is not None and not tcell.empty else None
            if cell is not None and not cell.empty:
                row.ident = invisible_removed(cell.text()).strip()
                taken.setdefault(row.ident, row)
        counts = Counter(row.titles()[0] for row in rows if row.titles())
        for row in rows:
            for t in row.titles():
                self.by_title[space][t].append(row)
        for row in rows:
            if row.ident is not None or kind == "person" or not row.titles():
                continue
            title = row.titles()[0]
            q = qualify(row) if qualify is not None else None
            # the id this object had in the folder imported into, found by title (and department)
            reuse = self.known.get((space, title, q)) or (
                self.known.get((space, title, None)) if counts[title] == 1 else None
            )
            if reuse and reuse not in taken:
                row.ident = reuse
            else:
                base = slug(title) or f"{kind}-{len(taken) + 1}"
                qualified = f"{q}-{base}"[:64].rstrip("-_") if q else None
                # a title used twice: each id names its department (parent), whichever row comes first
                candidates = [c for c in ([qualified, base] if counts[title] > 1 else [base, qualified]) if c]
                ident = next((c for c in candidates if c not in taken and ID_RE.match(c)), None)
                n = 2
                while ident is None:
                    c = f"{candidates[0][:60]}-{n}"
                    ident = c if c not in taken else None
                    n += 1
                row.ident = ident
            taken[row.ident] = row

    def lookup(self, space: str, text: str) -> str:
        """An id for an id or a unique title, quietly (the text itself otherwise)."""
        text = invisible_removed(text).strip()
        if text in self.ids[space]:
            return text
        found = self.by_title[space].get(text, [])
        return (found[0].ident or text) if len(found) == 1 else text

    def resolve(self, space: str, kind: str, text: str, source: Source, what: str, prefer=None) -> str:
        """An id for a reference written as an id or a title; the text itself if neither
        (the validator then reports it, with its hints)."""
        text = invisible_removed(text).strip()
        if text in self.ids[space]:
            return text
        found = self.by_title[space].get(text, [])
        if len(found) == 1:
            return found[0].ident or text
        if len(found) > 1:
            if prefer is not None:
                preferred = [r for r in found if prefer(r)]
                if len(preferred) == 1:
                    return preferred[0].ident or text
            where = ", ".join(f"`{r.ident}` ({r.source})" for r in found)
            self.problems.append(
                Problem(
                    source,
                    Code.DANGLING_REF,
                    f"{what}: `{text}` names {len(found)} {kind}s: {where}",
                    f"write the id of the one you mean, e.g. `{found[0].ident}`",
                    tuple(r.source for r in found),
                )
            )
            return found[0].ident or text  # reported once: the validator need not say it again
        return text
