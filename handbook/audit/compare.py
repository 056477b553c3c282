"""What changed between two handbooks, object by object (``handbook diff``, the build's
"Changes in this revision" page, the listing of ``handbook import``).

:func:`compare` takes two :class:`~handbook.model.Handbook` objects — the released
revision (the baseline) and the current one — and returns
:class:`~handbook.audit.changes.Changes`:

* departments, roles and processes **added**, **removed** or **changed**, matched by id
  (ids are stable page addresses); an object whose id changed too is matched by its
  title, or for roles by its duties, so a role renamed *and* re-keyed is one change;
* for a changed object: **renamed** (title / name), **moved** (a role's department or
  ``reports_to``, a department's ``parent``), every other field that differs (read from
  :mod:`handbook.schema`, so new fields are compared without code here), and
* **duty-level** changes of every duty list: added, removed, **reworded** (a removed and
  an added duty whose texts are similar are one duty with its old and new text) and
  changed (same text, other measure, frequency or clauses);
* process steps (by id) and RACI rows (by activity, reworded ones by similarity);
* **staffing**: a role's headcount, filled count and who joined or left it;
* **document control** and the company's own fields.

Which old duty, row or object is which new one is :mod:`handbook.audit.pairing`'s.
With ``stored=True`` the comparison is of the data as stored, for ``handbook import``:
people are objects of their own, and the sort keys, free data and orders of lists that
the audit leaves out count too.

Values are shown as they read (a reference as the title it names, a nested object as one
line) but keep their :class:`~handbook.model.Text` (every language), so one comparison
serves every output: :mod:`handbook.audit.change_report` (text, Markdown, JSON, the
import's listing) and the build's page (``site/render/revisions.py``). No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from handbook import model as m
from handbook.audit.changes import (
    Changes,
    DutyChange,
    FieldChange,
    Item,
    ObjectChange,
    PartChange,
    StaffingChange,
    Value,
)
from handbook.audit.pairing import SAME_ROLE, SIMILAR, pair_lists, text_key
from handbook.i18n import translate
from handbook.schema import KINDS, Field
from handbook.status import Status


# -- values as shown ---------------------------------------------------------------------------------
def plain(s: str) -> m.Text:
    return m.Text.plain(s)


def join_texts(parts: Sequence[m.Text | str], sep: str = " ") -> m.Text:
    """One text from several, in every language any of them has."""
    texts = [p if isinstance(p, m.Text) else plain(p) for p in parts]
    langs: list[str] = []
    for t in texts:
        for lang, _s in t.values:
            if lang and lang not in langs:
                langs.append(lang)
    if not langs:
        return plain(sep.join(t.get(None) for t in texts if t.get(None)))
    return m.Text(tuple((lang, sep.join(s for s in (t.get(lang) for t in texts) if s)) for lang in langs))


def _ref(hb: m.Handbook, kind: str, ident: str) -> Item:
    title = hb.title(kind, ident)
    return Item(title if title is not None else plain(ident), kind, ident)


def _scalar(value: Any) -> m.Text:
    if isinstance(value, m.Text):
        return value
    if isinstance(value, dt.date):
        return plain(value.isoformat())
    if isinstance(value, Status):  # its label in every language the catalogue has
        return m.Text((("zh_CN", translate(value.label, "zh_CN")), ("en", value.label)))
    return plain(str(value))


def _labelled(f: Field, value: m.Text) -> m.Text:
    """ "主管部门：总经理办公室" / "lead departments: GM Office" (a reference inside a one-line value)."""
    en, zh = label(f)
    return join_texts([m.Text((("zh_CN", f"{zh}："), ("en", f"{en}: "))), value], "")


def _one_line(obj: Any, kind: str, hb: m.Handbook) -> m.Text:
    """A nested object (an approval, a history entry, a clause owner …) as one line."""
    parts: list[m.Text | str] = []
    for f in KINDS[kind].fields:
        v = getattr(obj, f.name, None)
        if v in (None, "", ()):
            continue
        if f.type == "ref":
            parts.append(_labelled(f, _ref(hb, f.ref or "", v).text))
        elif f.type == "refs":
            parts.append(_labelled(f, join_texts([_ref(hb, f.ref or "", x).text for x in v], "、")))
        elif f.type in ("texts", "clauses"):
            parts.append(join_texts([_scalar(x) for x in v], "、"))
        elif f.type in ("object", "objects"):
            continue
        else:
            parts.append(_scalar(v))
    return join_texts(parts, " ")


def value_items(f: Field, value: Any, hb: m.Handbook) -> Value:
    """A field's value as shown items (``()`` for no value)."""
    if value is None or value == () or value == "":
        return ()
    t = f.type
    if t == "ref":
        return (_ref(hb, f.ref or "", value),)
    if t == "refs":
        return tuple(_ref(hb, f.ref or "", v) for v in value)
    if t in ("texts", "clauses"):
        return tuple(Item(_scalar(v)) for v in value)
    if t == "objects" and f.of:
        return tuple(Item(_one_line(v, f.of, hb)) for v in value)
    if t == "object" and f.of:
        if isinstance(value, tuple):  # a plain list stored in list_attr
            return tuple(Item(_scalar(v)) for v in value)
        return (Item(_one_line(value, f.of, hb)),)
    if t == "duties":
        return tuple(Item(d.text) for d in m.iter_duties(value))
    return (Item(_scalar(value)),)


# -- comparing ---------------------------------------------------------------------------------------
def label(f: Field) -> tuple[str, str]:
    """A field's short label (English, Chinese) from the schema: "responsibilities", "岗位职责"."""
    en = f.en.split(";")[0].split(", e.g.")[0].split(": ")[0]
    en = re.sub(r"\s*\([^)]*\)\s*$", "", en).strip()
    if not en or en.startswith("e.g."):
        en = f.key.replace("_", " ")
    return en, f.zh


def _duty_details(a: m.Duty, b: m.Duty) -> tuple[FieldChange, ...]:
    out = []
    for f in KINDS["duty"].fields:
        if f.key == "text":
            continue
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if va != vb:
            if f.type == "clauses":
                gone = tuple(Item(plain(c)) for c in va if c not in vb)
                came = tuple(Item(plain(c)) for c in vb if c not in va)
                out.append(FieldChange(f.key, *label(f), gone, came, items=True))
            else:
                out.append(FieldChange(f.key, *label(f), value_items(f, va, _NO_HB), value_items(f, vb, _NO_HB)))
    return tuple(out)


def compare_duties(f: Field, old: m.DutyList, new: m.DutyList) -> list[DutyChange]:
    """Duty-level changes of one duty list."""
    a = list(m.numbered_duties(old))
    b = list(m.numbered_duties(new))
    name = label(f)
    # the same text (in every language): unchanged, or changed in its measure / frequency / clauses;
    # of the rest, similar pairs are reworded duties, the others added or removed
    words_a = [text_key(d.text) for _n, d, _g in a]
    words_b = [text_key(d.text) for _n, d, _g in b]
    matched, reworded = pair_lists(words_a, words_b, words_a, words_b, SIMILAR)
    changes: list[tuple[tuple[int, int], DutyChange]] = []
    for i, j in matched.items():
        details = _duty_details(a[i][1], b[j][1])
        if details:
            changes.append(
                ((j, 0), DutyChange(f.key, *name, "changed", a[i][1], b[j][1], a[i][0], b[j][0], 1.0, details))
            )
    for i, (j, s) in reworded.items():
        changes.append(
            (
                (j, 0),
                DutyChange(
                    f.key,
                    *name,
                    "reworded",
                    a[i][1],
                    b[j][1],
                    a[i][0],
                    b[j][0],
                    round(s, 3),
                    _duty_details(a[i][1], b[j][1]),
                ),
            )
        )
    paired_new = set(matched.values()) | {j for j, _s in reworded.values()}
    for j, (num, d, _g) in enumerate(b):
        if j not in paired_new:
            changes.append(((j, 0), DutyChange(f.key, *name, "added", None, d, "", num)))
    for i, (num, d, _g) in enumerate(a):
        if i not in matched and i not in reworded:
            changes.append(((len(b) + i, 1), DutyChange(f.key, *name, "removed", d, None, num, "")))
    changes.sort(key=lambda x: x[0])
    return [c for _k, c in changes]


class _Nowhere:
    """Stands in for a handbook where values name no object (duty details)."""

    def title(self, kind: str, ident: str) -> None:
        return None


_NO_HB: Any = _Nowhere()


def compare_fields(
    kind: str, a: Any, b: Any, old_hb: m.Handbook, new_hb: m.Handbook, prefix: str = "", skip: Iterable[str] = ()
) -> tuple[list[FieldChange], list[DutyChange]]:
    """Every field of ``kind`` that differs between ``a`` and ``b`` (nested objects field by field)."""
    fields_out: list[FieldChange] = []
    duties_out: list[DutyChange] = []
    skipped = set(skip)
    for f in KINDS[kind].fields:
        if f.key in skipped or f.type in ("id", "extra") or f.key == "order":
            continue
        va, vb = getattr(a, f.name, None), getattr(b, f.name, None)
        if va == vb:
            continue
        key = prefix + f.key
        if f.type == "duties":
            duties_out.extend(compare_duties(f, va or (), vb or ()))
        elif (
            f.type == "object"
            and f.of
            and va is not None
            and vb is not None
            and not isinstance(va, tuple)
            and not isinstance(vb, tuple)
            and f.of not in ("approval",)
        ):
            sub_f, sub_d = compare_fields(f.of, va, vb, old_hb, new_hb, key + ".")
            fields_out.extend(sub_f)
            duties_out.extend(sub_d)
        elif f.type in ("texts", "refs", "objects", "clauses") or (f.type == "object" and f.list_attr):
            old_items = value_items(f, va, old_hb)
            new_items = value_items(f, vb, new_hb)
            old_keys = [text_key(x.text) + x.id for x in old_items]
            new_keys = [text_key(x.text) + x.id for x in new_items]
            gone = tuple(x for x, k in zip(old_items, old_keys, strict=False) if k not in new_keys)
            came = tuple(x for x, k in zip(new_items, new_keys, strict=False) if k not in old_keys)
            if gone or came:
                fields_out.append(FieldChange(key, *label(f), gone, came, items=True))
            elif old_keys != new_keys:  # the same items in another order
                fields_out.append(FieldChange(key, *label(f), old_items, new_items))
        else:
            fields_out.append(FieldChange(key, *label(f), value_items(f, va, old_hb), value_items(f, vb, new_hb)))
    return fields_out, duties_out


def _holders(hb: m.Handbook, rid: str) -> dict[str, Item]:
    out = {}
    for h in hb.holders.get(rid, ()):
        how = {"concurrent": "（兼任）", "acting": "（代理）"}.get(h.assignment.type, "")
        out[f"{h.person.key}/{h.assignment.type}"] = Item(join_texts([h.person.name, how], ""), "person", h.person.key)
    return out


def compare_staffing(old_hb: m.Handbook, new_hb: m.Handbook, old_id: str, new_id: str) -> StaffingChange | None:
    a, b = old_hb.roles[old_id], new_hb.roles[new_id]
    sa, sb = old_hb.role_staffing[old_id], new_hb.role_staffing[new_id]
    ha, hb_ = _holders(old_hb, old_id), _holders(new_hb, new_id)
    head = (str(a.headcount) if a.headcount else "", str(b.headcount) if b.headcount else "")
    joined = tuple(v for k, v in hb_.items() if k not in ha)
    left = tuple(v for k, v in ha.items() if k not in hb_)
    if head[0] == head[1] and sa.filled == sb.filled and not joined and not left:
        return None
    return StaffingChange(head, (sa.filled, sb.filled), joined, left)


def _steps(old_hb: m.Handbook, new_hb: m.Handbook, a: m.Process, b: m.Process) -> list[PartChange]:
    out: list[PartChange] = []
    old_steps = {s.id: s for s in a.steps}
    new_steps = {s.id: s for s in b.steps}
    for s in b.steps:
        if s.id not in old_steps:
            out.append(PartChange("step", s.id, "added", None, s.action))
            continue
        o = old_steps[s.id]
        if o != s:
            fc, _d = compare_fields("step", o, s, old_hb, new_hb, skip=("next",))
            if o.next != s.next:
                fmt = lambda st: tuple(Item(join_texts([t.to, t.label or ""], " ")) for t in st.next)  # noqa: E731
                fc.append(FieldChange("next", "next steps", "下一步", fmt(o), fmt(s)))
            out.append(PartChange("step", s.id, "changed", o.action, s.action, tuple(fc)))
    for s in a.steps:
        if s.id not in new_steps:
            out.append(PartChange("step", s.id, "removed", s.action, None))
    # RACI rows by activity; reworded activities by similarity
    rows_a = list(a.raci)
    rows_b = list(b.raci)
    same, similar = pair_lists(
        [r.activity for r in rows_a],
        [r.activity for r in rows_b],
        [text_key(r.activity) for r in rows_a],
        [text_key(r.activity) for r in rows_b],
        SIMILAR,
    )
    matched = {**same, **{i: j for i, (j, _s) in similar.items()}}
    for j, r in enumerate(rows_b):
        i = next((i for i, jj in matched.items() if jj == j), None)
        if i is None:
            out.append(PartChange("raci", r.activity.get(None), "added", None, r.activity))
            continue
        o = rows_a[i]
        if o != r:
            fc, _d = compare_fields("raci", o, r, old_hb, new_hb)
            out.append(PartChange("raci", r.activity.get(None), "changed", o.activity, r.activity, tuple(fc)))
    for i, r in enumerate(rows_a):
        if i not in matched:
            out.append(PartChange("raci", r.activity.get(None), "removed", r.activity, None))
    return out


#: fields that say where an object is: a change of them is a move
MOVES = {"role": ("department", "reports_to"), "department": ("parent",), "process": (), "person": ()}
TITLES = {"role": "title", "department": "name", "process": "name", "person": "name"}
#: the field a process's part is in
PARTS = {"step": "steps", "raci": "raci"}


def _context(kind: str, obj: Any, hb: m.Handbook) -> Value:
    if kind == "role":
        return (_ref(hb, "department", obj.department),)
    if kind == "department" and obj.parent:
        return (_ref(hb, "department", obj.parent),)
    if kind == "process" and obj.owner:
        return (_ref(hb, "role", obj.owner),)
    return ()


def _duty_words(obj: Any, kind: str) -> str:
    lists = ("responsibilities",) if kind == "role" else ("functions",)
    return "\n".join(text_key(d.text) for lst in lists for d in m.iter_duties(getattr(obj, lst, ())))


def _rekeyed(
    kind: str, old: Mapping[str, Any], new: Mapping[str, Any], gone: list[str], came: list[str]
) -> dict[str, str]:
    """Removed and added objects that are one object whose id changed: new id -> old id."""
    title = TITLES[kind]
    by_duties = kind in ("role", "department")
    same, similar = pair_lists(
        [text_key(getattr(old[o], title)) for o in gone],
        [text_key(getattr(new[n], title)) for n in came],
        [_duty_words(old[o], kind) if by_duties else "" for o in gone],
        [_duty_words(new[n], kind) if by_duties else "" for n in came],
        SAME_ROLE,
    )
    return {came[j]: gone[i] for i, j in [*same.items(), *((i, j) for i, (j, _s) in similar.items())]}


def _people(hb: m.Handbook) -> dict[str, m.Person]:
    """People by id, else by name: the key of a person without an id is their position in the
    data, which an import moves when it adds someone above them."""
    out: dict[str, m.Person] = {}
    for p in hb.people:
        key = p.id or p.name.get("zh_CN")
        n = 2
        while key in out:  # two people of the same name without ids
            key = f"{p.id or p.name.get('zh_CN')} ({n})"
            n += 1
        out[key] = p
    return out


def _rest(
    kind: str, a: Any, b: Any, found: Iterable[str], old_hb: m.Handbook, new_hb: m.Handbook, prefix: str = ""
) -> list[FieldChange]:
    """The fields of the stored data that differ and that no change ``found`` names: a sort key, free
    data, a list in another order (whole, before and after)."""
    seen = {k.split(".")[0] for k in found}
    return [
        FieldChange(
            prefix + f.key,
            *label(f),
            value_items(f, getattr(a, f.name, None), old_hb),
            value_items(f, getattr(b, f.name, None), new_hb),
        )
        for f in KINDS[kind].fields
        if f.type != "id" and f.key not in seen and getattr(a, f.name, None) != getattr(b, f.name, None)
    ]


def _compare_kind(kind: str, old_hb: m.Handbook, new_hb: m.Handbook, stored: bool = False) -> list[ObjectChange]:
    old: Mapping[str, Any] = _people(old_hb) if kind == "person" else old_hb.store(kind)
    new: Mapping[str, Any] = _people(new_hb) if kind == "person" else new_hb.store(kind)
    title = TITLES[kind]
    gone = [i for i in old if i not in new]
    came = [i for i in new if i not in old]
    rekeyed = _rekeyed(kind, old, new, gone, came)
    out: list[ObjectChange] = []
    for nid, obj in new.items():
        oid = nid if nid in old else rekeyed.get(nid)
        if oid is None:
            out.append(ObjectChange(kind, nid, "added", None, getattr(obj, title), context=_context(kind, obj, new_hb)))
            continue
        before = old[oid]
        skip = {title, *MOVES[kind], "steps", "raci"} | ({"headcount"} if kind == "role" else set())
        fields_, duties = compare_fields(kind, before, obj, old_hb, new_hb, skip=skip)
        moved = [
            FieldChange(
                k,
                *label(KINDS[kind].field(k)),
                value_items(KINDS[kind].field(k), getattr(before, k), old_hb),
                value_items(KINDS[kind].field(k), getattr(obj, k), new_hb),
            )
            for k in MOVES[kind]
            if getattr(before, k) != getattr(obj, k)
        ]
        parts = _steps(old_hb, new_hb, before, obj) if kind == "process" else []
        # in the stored data a role's holders are their people's, and its headcount one of its fields
        staffing = compare_staffing(old_hb, new_hb, oid, nid) if kind == "role" and not stored else None
        renamed = getattr(before, title) != getattr(obj, title)
        if stored:
            found = [c.key for c in (*moved, *fields_)] + [d.list for d in duties] + [PARTS[p.part] for p in parts]
            fields_ += _rest(kind, before, obj, [title, *found] if renamed else found, old_hb, new_hb)
        if renamed or moved or fields_ or duties or parts or staffing or oid != nid:
            out.append(
                ObjectChange(
                    kind,
                    nid,
                    "changed",
                    getattr(before, title),
                    getattr(obj, title),
                    oid if oid != nid else "",
                    _context(kind, obj, new_hb),
                    tuple(moved),
                    tuple(fields_),
                    tuple(duties),
                    tuple(parts),
                    staffing,
                )
            )
    for oid, obj in old.items():
        if oid not in new and oid not in rekeyed.values():
            out.append(
                ObjectChange(kind, oid, "removed", getattr(obj, title), None, context=_context(kind, obj, old_hb))
            )
    return out


def content_of(doc: m.DocumentControl) -> m.DocumentControl:
    """The document control without its records: the distribution as its holders (the shorthand
    ``[品质部, …]`` and records with copy numbers, dates and receipts, in any order, are the same
    distribution),
    no review log, no fingerprints in the history."""
    holders: list[m.Copy] = []
    seen: set[tuple] = set()
    for c in doc.distribution:
        if c.holder.values not in seen:
            seen.add(c.holder.values)
            holders.append(m.Copy(holder=c.holder))
    return replace(
        doc,
        distribution=tuple(sorted(holders, key=lambda c: c.holder.values)),  # who, not in which order
        reviews=(),
        history=tuple(replace(h, fingerprint=None) for h in doc.history),
    )


def compare(
    old: m.Handbook,
    new: m.Handbook,
    old_label: str = "",
    new_label: str = "",
    old_source: str = "",
    new_source: str = "",
    *,
    stored: bool = False,
) -> Changes:
    """What changed from ``old`` (the baseline) to ``new``.

    ``stored``: every difference of the data as stored (``handbook import``: what writing ``new``
    over ``old`` changes), with people as objects of their own (kind ``person``, by id, else by name),
    and the sort keys (``order``), free data (``extra``), and lists in another order (duties, steps)
    that the audit leaves out: they change no duty, post or process.
    """
    doc_a, doc_b = old.company.document, new.company.document
    if not stored:  # the audit compares content: records of issue, receipts and reviews are not content
        doc_a, doc_b = content_of(doc_a), content_of(doc_b)
    doc_fields, _ = compare_fields("document", doc_a, doc_b, old, new, "document.")
    company_fields, _ = compare_fields("company", old.company, new.company, old, new, skip=("document",))
    if stored:
        doc_fields += _rest(
            "document", doc_a, doc_b, [f.key.removeprefix("document.") for f in doc_fields], old, new, "document."
        )
        company_fields += _rest(
            "company", old.company, new.company, ["document", *(f.key for f in company_fields)], old, new
        )
    objects: list[ObjectChange] = []
    for kind in (*m.OBJECT_KINDS, "person") if stored else m.OBJECT_KINDS:
        objects.extend(_compare_kind(kind, old, new, stored))
    rev_old = old.company.document.revision
    rev_new = new.company.document.revision
    return Changes(
        old_label or (rev_old.get(None) if rev_old else old_source),
        new_label or (rev_new.get(None) if rev_new else new_source),
        old_source,
        new_source,
        old.company.document.effective,
        tuple(doc_fields),
        tuple(company_fields),
        tuple(objects),
    )
