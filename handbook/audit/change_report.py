"""A comparison of two handbooks told: text, Markdown and JSON (``handbook diff``), and
the one-line-per-object listing of ``handbook import``.

Reads :class:`~handbook.audit.changes.Changes` (:func:`handbook.audit.compare.compare`).
Texts are given in the report's language (falling back to the first given); the
report's own words are the catalogue's (``handbook/locale/<lang>/LC_MESSAGES/handbook.po``,
English msgids), translated by :func:`handbook.i18n.translate`. The msgids are declared
once, here: the site's changes page and change notes (``site/render/``) translate the
same ones. No Sphinx imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from handbook import model as m
from handbook.audit.changes import Changes, DutyChange, FieldChange, Item, ObjectChange, Value, is_zh
from handbook.audit.compare import PARTS, TITLES
from handbook.i18n import translate
from handbook.schema import KINDS

#: What a comparison's names are called, as msgids of the catalogue: what happened to an object,
#: a duty, a step or a RACI row (``ObjectChange.change``, ``DutyChange.change``, ...), how a changed
#: object changed (``ObjectChange.aspects()``), who joined or left a role. The command's reports and
#: the site's pages say them alike.
LABELS = {
    "added": "added",
    "removed": "removed",
    "changed": "changed",
    "reworded": "reworded",
    "renamed": "renamed",
    "new id": "new id",
    "moved": "moved",
    "duties": "duties",
    "steps": "steps",
    "staffing": "staffing",
    "fields": "other fields",
    "joined": "joined",
    "left": "left",
}
#: The kinds as a heading or a table row of the site's changes page names them.
KIND_HEADINGS = {"department": "Departments", "role": "Roles", "process": "Processes"}
#: The command's own words: in its lines of text, where the site's page has a heading or a table
#: cell ("Departments", "Headcount", "Step"), in lower case; 流程 where the page's heading says 工作流程.
LINE_LABELS = {
    "department": "departments",
    "role": "roles",
    "process": "processes",
    "document": "document control",
    "headcount": "headcount",
    "filled": "filled",
    "step": "step",
    "raci": "RACI row",
    "no changes": "no changes",
}


def _catalogue_language(language: str | None) -> str:
    # as texts and field labels do, any Chinese (zh, zh-CN, zh_TW …) reads the one Chinese catalogue;
    # no language: English
    return "zh_CN" if is_zh(language) else language or "en"


def word(key: str, language: str | None) -> str:
    """One of the report's words (a key of :data:`LINE_LABELS` or :data:`LABELS`) in ``language``."""
    return translate(LINE_LABELS.get(key) or LABELS[key], _catalogue_language(language))


def show(value: Value, language: str | None, sep: str = "、") -> str:
    return sep.join(x.text.get(language) for x in value) if value else "—"


def _item_json(x: Item, language: str | None) -> Any:
    return {"text": x.text.get(language), "kind": x.kind, "id": x.id} if x.kind else x.text.get(language)


def _field_json(fc: FieldChange, language: str | None) -> dict:
    out: dict[str, Any] = {"field": fc.key, "label": fc.label(language)}
    if fc.items:
        out["removed"] = [_item_json(x, language) for x in fc.old]
        out["added"] = [_item_json(x, language) for x in fc.new]
    else:
        out["old"] = (
            [_item_json(x, language) for x in fc.old]
            if len(fc.old) > 1
            else (_item_json(fc.old[0], language) if fc.old else None)
        )
        out["new"] = (
            [_item_json(x, language) for x in fc.new]
            if len(fc.new) > 1
            else (_item_json(fc.new[0], language) if fc.new else None)
        )
    return out


def _duty_json(dc: DutyChange, language: str | None) -> dict:
    out: dict[str, Any] = {
        "list": dc.list,
        "label": dc.label(language),
        "change": dc.change,
        "old_number": dc.old_number or None,
        "new_number": dc.new_number or None,
        "old": dc.old.text.get(language) if dc.old else None,
        "new": dc.new.text.get(language) if dc.new else None,
    }
    if dc.change == "reworded":
        out["similarity"] = dc.similarity
    if dc.details:
        out["details"] = [_field_json(f, language) for f in dc.details]
    return out


def as_json(ch: Changes, language: str | None = None) -> dict:
    """The changes as plain JSON data (texts in ``language``, falling back to the first given)."""

    def t(x: m.Text | None) -> str | None:
        return x.get(language) if x is not None else None

    objects = []
    for o in ch.objects:
        item: dict[str, Any] = {
            "kind": o.kind,
            "id": o.id,
            "change": o.change,
            "title": t(o.title),
            "aspects": [a for a in o.aspects() if a not in ("added", "removed", "changed")],
        }
        if o.renamed:
            item["old_title"] = t(o.old_title)
        if o.old_id:
            item["old_id"] = o.old_id
        if o.context:
            item["in"] = [_item_json(x, language) for x in o.context]
        if o.moved:
            item["moved"] = [_field_json(f, language) for f in o.moved]
        if o.fields:
            item["fields"] = [_field_json(f, language) for f in o.fields]
        if o.duties:
            item["duties"] = [_duty_json(d, language) for d in o.duties]
        if o.parts:
            item["parts"] = [
                {
                    "part": p.part,
                    "key": p.key,
                    "change": p.change,
                    "old": t(p.old),
                    "new": t(p.new),
                    "fields": [_field_json(f, language) for f in p.fields],
                }
                for p in o.parts
            ]
        if o.staffing:
            s = o.staffing
            item["staffing"] = {
                "headcount": {"old": s.headcount[0] or None, "new": s.headcount[1] or None},
                "filled": {"old": s.filled[0], "new": s.filled[1]},
                "joined": [_item_json(x, language) for x in s.joined],
                "left": [_item_json(x, language) for x in s.left],
            }
        objects.append(item)
    return {
        "old": {"label": ch.old_label, "source": ch.old_source},
        "new": {"label": ch.new_label, "source": ch.new_source},
        "same": not ch,
        "counts": ch.counts(),
        "document": [_field_json(f, language) for f in ch.document],
        "company": [_field_json(f, language) for f in ch.company],
        "objects": objects,
    }


def dumps(ch: Changes, language: str | None = None) -> str:
    return json.dumps(as_json(ch, language), ensure_ascii=False, indent=2) + "\n"


def _field_lines(fc: FieldChange, language: str | None) -> str:
    if fc.items:
        parts = []
        if fc.old:
            parts.append(f"{word('removed', language)} {show(fc.old, language)}")
        if fc.new:
            parts.append(f"{word('added', language)} {show(fc.new, language)}")
        return f"{fc.label(language)}: " + "; ".join(parts)
    return f"{fc.label(language)}: {show(fc.old, language)} → {show(fc.new, language)}"


def numbered(number: str, language: str | None) -> str:
    """ " 3" / "第 3 条" after a duty list's label."""
    if not number:
        return ""
    return f"第 {number} 条" if is_zh(language) else f" {number}"


def _duty_line(dc: DutyChange, language: str | None) -> str:
    n_old = numbered(dc.old_number, language)
    n_new = numbered(dc.new_number, language)
    lab = dc.label(language)
    if dc.change == "added":
        return f"{lab}{n_new} {word('added', language)}: {dc.new.text.get(language) if dc.new else ''}"
    if dc.change == "removed":
        return f"{lab}{n_old} {word('removed', language)}: {dc.old.text.get(language) if dc.old else ''}"
    head = f"{lab}{n_new} {word(dc.change, language)}"
    out = head
    if dc.change == "reworded" and dc.old and dc.new:
        out += f": {dc.old.text.get(language)} → {dc.new.text.get(language)}"
    elif dc.new:
        out += f": {dc.new.text.get(language)}"
    for d in dc.details:
        out += f" ({_field_lines(d, language)})"
    return out


def object_lines(o: ObjectChange, language: str | None) -> Iterator[str]:
    """The lines under an object's heading (the text and Markdown outputs)."""
    if o.change == "added":
        if o.context:
            yield f"{word('added', language)} ({show(o.context, language)})"
        return
    if o.change == "removed":
        if o.context:
            yield f"{word('removed', language)} ({show(o.context, language)})"
        return
    if o.renamed:
        yield (
            f"{word('renamed', language)}: {o.old_title.get(language) if o.old_title else ''} → "
            f"{o.new_title.get(language) if o.new_title else ''}"
        )
    if o.old_id:
        yield f"{word('new id', language)}: {o.old_id} → {o.id}"
    for f in o.moved:
        yield f"{word('moved', language)}: {_field_lines(f, language)}"
    for f in o.fields:
        yield _field_lines(f, language)
    for d in o.duties:
        yield _duty_line(d, language)
    for p in o.parts:
        what = word(p.part, language)
        text = (p.new or p.old).get(language) if (p.new or p.old) else p.key
        line = f"{what} {p.key if p.part == 'step' else ''} {word(p.change, language)}: {text}".replace("  ", " ")
        if p.change == "changed" and p.old is not None and p.new is not None and p.old != p.new:
            line = (
                f"{what} {p.key if p.part == 'step' else ''} {word('changed', language)}: "
                f"{p.old.get(language)} → {p.new.get(language)}".replace("  ", " ")
            )
        for f in p.fields:
            if f.key not in ("action", "activity"):
                line += f" ({_field_lines(f, language)})"
        yield line
    if o.staffing:
        s = o.staffing
        bits = []
        if s.headcount[0] != s.headcount[1]:
            bits.append(f"{word('headcount', language)} {s.headcount[0] or '—'} → {s.headcount[1] or '—'}")
        if s.filled[0] != s.filled[1]:
            bits.append(f"{word('filled', language)} {s.filled[0]} → {s.filled[1]}")
        if s.joined:
            bits.append(f"{word('joined', language)} {show(s.joined, language)}")
        if s.left:
            bits.append(f"{word('left', language)} {show(s.left, language)}")
        yield f"{word('staffing', language)}: " + "; ".join(bits)


def summary_line(ch: Changes, language: str | None) -> str:
    counts = ch.counts()
    parts = []
    for kind, c in counts.items():
        bits = [f"{c[k]} {word(k, language)}" for k in ("added", "removed", "changed") if c[k]]
        if bits:
            parts.append(f"{word(kind, language)} " + ", ".join(bits))
    if ch.document:
        parts.append(f"{word('document', language)} {len(ch.document)} {word('changed', language)}")
    return "; ".join(parts) if parts else word("no changes", language)


def _heading(o: ObjectChange, language: str | None) -> str:
    return f"{o.title.get(language)} ({o.id})"


def format_text(ch: Changes, language: str | None = None) -> str:
    out = [f"{ch.old_label} → {ch.new_label}: {summary_line(ch, language)}"]
    if ch.document or ch.company:
        out.append("")
        out.append(word("document", language))
        out.extend(f"  {_field_lines(f, language)}" for f in (*ch.document, *ch.company))
    for kind in ("department", "role", "process"):
        objs = [o for o in ch.objects if o.kind == kind]
        if not objs:
            continue
        out.append("")
        out.append(word(kind, language))
        for o in objs:
            mark = {"added": "+", "removed": "-", "changed": "~"}[o.change]
            out.append(f"  {mark} {_heading(o, language)}")
            out.extend(f"      {line}" for line in object_lines(o, language))
    return "\n".join(out) + "\n"


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def format_markdown(ch: Changes, language: str | None = None) -> str:
    out = [f"# {ch.old_label} → {ch.new_label}", "", summary_line(ch, language)]
    if ch.document or ch.company:
        out += ["", f"## {word('document', language)}", ""]
        out.extend(f"- {_md(_field_lines(f, language))}" for f in (*ch.document, *ch.company))
    for kind in ("department", "role", "process"):
        objs = [o for o in ch.objects if o.kind == kind]
        if not objs:
            continue
        out += ["", f"## {word(kind, language)}", ""]
        for o in objs:
            out.append(f"- **{_md(o.title.get(language))}** (`{o.id}`): {word(o.change, language)}")
            out.extend(f"  - {_md(line)}" for line in object_lines(o, language))
    return "\n".join(out) + "\n"


# -- the import's listing ----------------------------------------------------------------------------
@dataclass
class Listed:
    """One object an import changes, as ``handbook import`` lists it: ``~ role `buyer` 采购员: headcount``."""

    sign: str  # "+" added, "-" removed, "~" changed
    kind: str
    ident: str
    title: str
    fields: tuple[str, ...] = ()  # the keys of the data file that change

    def format(self) -> str:
        what = f"{self.sign} {self.kind} `{self.ident}` {self.title}".rstrip()
        return what + (": " + ", ".join(self.fields) if self.fields else "")


SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def _keys(kind: str, keys: Iterable[str]) -> tuple[str, ...]:
    """The data file's keys named by ``keys`` ("qualifications.education": qualifications), in the
    order the file has them."""
    top = {k.split(".")[0] for k in keys}
    return tuple(f.key for f in KINDS[kind].fields if f.key in top)


def _object_keys(o: ObjectChange) -> tuple[str, ...]:
    found = [
        *([TITLES[o.kind]] if o.renamed else ()),
        *(["id"] if o.old_id else ()),
        *(f.key for f in (*o.moved, *o.fields)),
        *(d.list for d in o.duties),
        *(PARTS[p.part] for p in o.parts),
    ]
    return _keys(o.kind, found)


def listing(ch: Changes, company: m.Text) -> list[Listed]:
    """What an import changes in a data folder, object by object (``ch``: a comparison of the stored
    data, ``compare(..., stored=True)``; ``company``: the new company's name): the company first,
    then every object added or changed, then every object removed. Titles are in Chinese."""
    out = []
    if ch.document or ch.company:
        keys = _keys("company", [f.key for f in (*ch.document, *ch.company)])
        out.append(Listed("~", "company", "", company.get("zh_CN"), keys))
    for o in sorted(ch.objects, key=lambda o: o.change == "removed"):
        title = o.title.get("zh_CN")
        if o.kind == "person" and title == o.id:  # known by name alone: the name once
            title = ""
        out.append(Listed(SIGNS[o.change], o.kind, o.id, title, _object_keys(o) if o.change == "changed" else ()))
    return out
