"""What changed between two handbooks, object by object (``handbook diff``, the build's
"Changes in this revision" page).

:func:`compare` takes two :class:`~handbook.model.Handbook` objects — the released
revision (the baseline) and the current one — and returns :class:`Changes`:

* departments, roles and processes **added**, **removed** or **changed**, matched by id
  (ids are stable page addresses); an object whose id changed too is matched by its
  title, or for roles by its duties, so a role renamed *and* re-keyed is one change;
* for a changed object: **renamed** (title / name), **moved** (a role's department or
  ``reports_to``, a department's ``parent``), every other field that differs (read from
  :mod:`handbook.schema`, so new fields are compared without code here), and
* **duty-level** changes of every duty list: added, removed, **reworded** (a removed and
  an added duty whose texts are similar, by :class:`difflib.SequenceMatcher`, are one
  duty with its old and new text) and changed (same text, other measure, frequency or
  clauses);
* process steps (by id) and RACI rows (by activity, reworded ones by similarity);
* **staffing**: a role's headcount, filled count and who joined or left it;
* **document control** and the company's own fields.

Values keep their :class:`~handbook.model.Text` (every language), so one comparison
serves every output: :func:`as_json`, :func:`format_text`, :func:`format_markdown` here,
and the build's page (``render/``). No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from handbook import model as m
from handbook.schema import KINDS, Field

#: a removed and an added duty at least this similar are one duty, reworded
SIMILAR = 0.5
#: a removed and an added role whose duties are this similar are one role whose id changed
SAME_ROLE = 0.8


# -- the result ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One shown value: a text in every language, and the object it names, if any."""

    text: m.Text
    kind: str = ""  # role | department | process | person, when the value names one
    id: str = ""


Value = tuple[Item, ...]


@dataclass(frozen=True)
class FieldChange:
    """A field that differs. ``items``: a list field, ``old`` = the items removed, ``new`` = added."""

    key: str  # "title", "qualifications.education", "document.revision"
    en: str  # the field's label in English and Chinese (from the schema)
    zh: str
    old: Value = ()
    new: Value = ()
    items: bool = False

    def label(self, language: str | None) -> str:
        return self.zh if _is_zh(language) and self.zh else self.en


@dataclass(frozen=True)
class DutyChange:
    """One duty added, removed, reworded (old and new text) or changed (its measure, frequency or clauses)."""

    list: str  # the duty list: responsibilities, authority, kpis, functions, goals
    en: str
    zh: str
    change: str  # added | removed | reworded | changed
    old: m.Duty | None = None
    new: m.Duty | None = None
    old_number: str = ""  # as the duty tables number it: "3", "2.1"
    new_number: str = ""
    similarity: float = 1.0
    details: tuple[FieldChange, ...] = ()  # kpi / frequency / clauses

    def label(self, language: str | None) -> str:
        return self.zh if _is_zh(language) and self.zh else self.en


@dataclass(frozen=True)
class PartChange:
    """A process step (by id) or RACI row (by activity) added, removed or changed."""

    part: str  # step | raci
    key: str  # the step id, or the activity
    change: str  # added | removed | changed
    old: m.Text | None = None  # the step's action / the row's activity
    new: m.Text | None = None
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class StaffingChange:
    headcount: tuple[str, str]  # old, new ("" = not set)
    filled: tuple[int, int]
    joined: Value = ()  # the people who now hold the post (with how: 兼任 / 代理)
    left: Value = ()


@dataclass(frozen=True)
class ObjectChange:
    kind: str  # department | role | process
    id: str
    change: str  # added | removed | changed
    old_title: m.Text | None = None
    new_title: m.Text | None = None
    old_id: str = ""  # set when the id changed too
    context: Value = ()  # where it is: a role's department, a department's parent, a process's owner
    moved: tuple[FieldChange, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    duties: tuple[DutyChange, ...] = ()
    parts: tuple[PartChange, ...] = ()
    staffing: StaffingChange | None = None

    @property
    def title(self) -> m.Text:
        return self.new_title or self.old_title or m.Text.plain(self.id)

    @property
    def renamed(self) -> bool:
        return self.change == "changed" and self.old_title is not None and self.old_title != self.new_title

    def aspects(self) -> tuple[str, ...]:
        """What kind of change this is, for summaries: renamed, new id, moved, duties, steps, staffing, fields."""
        if self.change != "changed":
            return (self.change,)
        out = []
        if self.renamed:
            out.append("renamed")
        if self.old_id:
            out.append("new id")
        if self.moved:
            out.append("moved")
        if self.duties:
            out.append("duties")
        if self.parts:
            out.append("steps")
        if self.staffing:
            out.append("staffing")
        if self.fields:
            out.append("fields")
        return tuple(out)


@dataclass(frozen=True)
class Changes:
    """Everything that changed from ``old`` (the baseline) to ``new``."""

    old_label: str  # the baseline's revision (e.g. "B/0"), else where it was read from
    new_label: str
    old_source: str = ""
    new_source: str = ""
    old_date: dt.date | None = None  # the baseline's effective date
    document: tuple[FieldChange, ...] = ()
    company: tuple[FieldChange, ...] = ()
    objects: tuple[ObjectChange, ...] = ()

    @cached_property
    def _index(self) -> Mapping[tuple[str, str], ObjectChange]:
        return {(o.kind, o.id): o for o in self.objects}

    def __bool__(self) -> bool:
        return bool(self.document or self.company or self.objects)

    def of(self, kind: str, ident: str) -> ObjectChange | None:
        """The change of one object (None: unchanged, or not in either handbook)."""
        return self._index.get((kind, ident))

    def counts(self) -> dict[str, dict[str, int]]:
        """{kind: {added, removed, changed}} for departments, roles and processes."""
        out = {k: {"added": 0, "removed": 0, "changed": 0} for k in ("department", "role", "process")}
        for o in self.objects:
            out[o.kind][o.change] += 1
        return out


# -- values as shown ---------------------------------------------------------------------------------
def _is_zh(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


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
    return plain(str(value))


def _labelled(f: Field, value: m.Text) -> m.Text:
    """"主管部门：总经理办公室" / "lead departments: GM Office" (a reference inside a one-line value)."""
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


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1 (characters, so Chinese compares well); below SIMILAR: 0."""
    if a == b:
        return 1.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < SIMILAR or sm.quick_ratio() < SIMILAR:
        return 0.0
    return sm.ratio()


def _key(text: m.Text) -> str:
    """The text a comparison of wording looks at: every language, in order."""
    return "\n".join(text.all_strings())


def _pair_similar(old: Sequence[tuple[int, str]], new: Sequence[tuple[int, str]],
                  threshold: float) -> list[tuple[int, int, float]]:
    """Greedy best pairs (old index, new index, similarity) at or above ``threshold``."""
    scored = []
    for i, a in old:
        for j, b in new:
            s = similarity(a, b)
            if s >= threshold:
                scored.append((s, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for s, i, j in scored:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, s))
    return pairs


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
    # 1. the same text (in every language): unchanged, or changed in its measure / frequency / clauses
    by_text: dict[str, list[int]] = {}
    for j, (_n, d, _g) in enumerate(b):
        by_text.setdefault(_key(d.text), []).append(j)
    matched: dict[int, int] = {}
    for i, (_n, d, _g) in enumerate(a):
        js = by_text.get(_key(d.text))
        if js:
            matched[i] = js.pop(0)
    # 2. what is left: reworded pairs by similarity, the rest added or removed
    rest_old = [(i, _key(a[i][1].text)) for i in range(len(a)) if i not in matched]
    taken = set(matched.values())
    rest_new = [(j, _key(b[j][1].text)) for j in range(len(b)) if j not in taken]
    reworded = {i: (j, s) for i, j, s in _pair_similar(rest_old, rest_new, SIMILAR)}
    changes: list[tuple[tuple[int, int], DutyChange]] = []
    for i, j in matched.items():
        details = _duty_details(a[i][1], b[j][1])
        if details:
            changes.append(((j, 0), DutyChange(f.key, *name, "changed", a[i][1], b[j][1], a[i][0], b[j][0],
                                               1.0, details)))
    for i, (j, s) in reworded.items():
        changes.append(((j, 0), DutyChange(f.key, *name, "reworded", a[i][1], b[j][1], a[i][0], b[j][0],
                                           round(s, 3), _duty_details(a[i][1], b[j][1]))))
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


def compare_fields(kind: str, a: Any, b: Any, old_hb: m.Handbook, new_hb: m.Handbook, prefix: str = "",
                   skip: Iterable[str] = ()) -> tuple[list[FieldChange], list[DutyChange]]:
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
        elif f.type == "object" and f.of and va is not None and vb is not None and not isinstance(va, tuple) \
                and not isinstance(vb, tuple) and f.of not in ("approval",):
            sub_f, sub_d = compare_fields(f.of, va, vb, old_hb, new_hb, key + ".")
            fields_out.extend(sub_f)
            duties_out.extend(sub_d)
        elif f.type in ("texts", "refs", "objects", "clauses") or (f.type == "object" and f.list_attr):
            old_items = value_items(f, va, old_hb)
            new_items = value_items(f, vb, new_hb)
            old_keys = [_key(x.text) + x.id for x in old_items]
            new_keys = [_key(x.text) + x.id for x in new_items]
            gone = tuple(x for x, k in zip(old_items, old_keys) if k not in new_keys)
            came = tuple(x for x, k in zip(new_items, new_keys) if k not in old_keys)
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
        out[f"{h.person.key}/{h.assignment.type}"] = Item(join_texts([h.person.name, how], ""), "person",
                                                          h.person.key)
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
    matched: dict[int, int] = {}
    free = list(range(len(rows_b)))
    for i, r in enumerate(rows_a):
        for j in free:
            if rows_b[j].activity == r.activity:
                matched[i] = j
                free.remove(j)
                break
    rest_a = [(i, _key(rows_a[i].activity)) for i in range(len(rows_a)) if i not in matched]
    rest_b = [(j, _key(rows_b[j].activity)) for j in free]
    for i, j, _s in _pair_similar(rest_a, rest_b, SIMILAR):
        matched[i] = j
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
MOVES = {"role": ("department", "reports_to"), "department": ("parent",), "process": ()}
TITLES = {"role": "title", "department": "name", "process": "name"}


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
    return "\n".join(_key(d.text) for lst in lists for d in m.iter_duties(getattr(obj, lst, ())))


def _rekeyed(kind: str, old: Mapping[str, Any], new: Mapping[str, Any], gone: list[str],
             came: list[str]) -> dict[str, str]:
    """Removed and added objects that are one object whose id changed: new id -> old id."""
    out: dict[str, str] = {}
    title = TITLES[kind]
    by_title: dict[str, list[str]] = {}
    for oid in gone:
        by_title.setdefault(_key(getattr(old[oid], title)), []).append(oid)
    for nid in came:
        olds = by_title.get(_key(getattr(new[nid], title)))
        if olds:
            out[nid] = olds.pop(0)
    if kind != "process":
        rest_old = [(i, _duty_words(old[o], kind)) for i, o in enumerate(gone) if o not in out.values()]
        rest_new = [(j, _duty_words(new[n], kind)) for j, n in enumerate(came) if n not in out]
        rest_old = [(i, w) for i, w in rest_old if w]
        rest_new = [(j, w) for j, w in rest_new if w]
        for i, j, _s in _pair_similar(rest_old, rest_new, SAME_ROLE):
            out[came[j]] = gone[i]
    return out


def _compare_kind(kind: str, old_hb: m.Handbook, new_hb: m.Handbook) -> list[ObjectChange]:
    old: Mapping[str, Any] = old_hb.store(kind)
    new: Mapping[str, Any] = new_hb.store(kind)
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
        moved = [FieldChange(k, *label(KINDS[kind].field(k)),
                             value_items(KINDS[kind].field(k), getattr(before, k), old_hb),
                             value_items(KINDS[kind].field(k), getattr(obj, k), new_hb))
                 for k in MOVES[kind] if getattr(before, k) != getattr(obj, k)]
        parts = _steps(old_hb, new_hb, before, obj) if kind == "process" else []
        staffing = compare_staffing(old_hb, new_hb, oid, nid) if kind == "role" else None
        renamed = getattr(before, title) != getattr(obj, title)
        if renamed or moved or fields_ or duties or parts or staffing or oid != nid:
            out.append(ObjectChange(kind, nid, "changed", getattr(before, title), getattr(obj, title),
                                    oid if oid != nid else "", _context(kind, obj, new_hb), tuple(moved),
                                    tuple(fields_), tuple(duties), tuple(parts), staffing))
    for oid, obj in old.items():
        if oid not in new and oid not in rekeyed.values():
            out.append(ObjectChange(kind, oid, "removed", getattr(obj, title), None,
                                    context=_context(kind, obj, old_hb)))
    return out


def compare(old: m.Handbook, new: m.Handbook, old_label: str = "", new_label: str = "", old_source: str = "",
            new_source: str = "") -> Changes:
    """What changed from ``old`` (the baseline) to ``new``."""
    doc_fields, _ = compare_fields("document", old.company.document, new.company.document, old, new, "document.")
    company_fields, _ = compare_fields("company", old.company, new.company, old, new, skip=("document",))
    objects: list[ObjectChange] = []
    for kind in ("department", "role", "process"):
        objects.extend(_compare_kind(kind, old, new))
    rev_old = old.company.document.revision
    rev_new = new.company.document.revision
    return Changes(old_label or (rev_old.get(None) if rev_old else old_source),
                   new_label or (rev_new.get(None) if rev_new else new_source),
                   old_source, new_source, old.company.document.effective,
                   tuple(doc_fields), tuple(company_fields), tuple(objects))


# -- output ------------------------------------------------------------------------------------------
WORDS = {  # the CLI's own words (the build's page uses the translated labels of render/)
    "added": ("added", "新增"), "removed": ("removed", "删除"), "changed": ("changed", "修改"),
    "reworded": ("reworded", "改写"), "renamed": ("renamed", "更名"), "new id": ("new id", "标识变更"),
    "moved": ("moved", "调整隶属"), "duties": ("duties", "职责"), "steps": ("steps", "流程步骤"),
    "staffing": ("staffing", "人员配置"), "fields": ("fields", "其他内容"),
    "department": ("departments", "部门"), "role": ("roles", "岗位"), "process": ("processes", "流程"),
    "document": ("document control", "文件控制"), "company": ("company", "公司"),
    "headcount": ("headcount", "编制"), "filled": ("filled", "在岗"), "joined": ("joined", "到岗"),
    "left": ("left", "离岗"), "step": ("step", "步骤"), "raci": ("RACI row", "RACI 行"),
    "no changes": ("no changes", "无变更"), "from": ("from", "由"), "to": ("to", "至"), "none": ("none", "无"),
    "item": ("item", "第"), "was": ("was", "原为"),
}


def word(key: str, language: str | None) -> str:
    en, zh = WORDS[key]
    return zh if _is_zh(language) else en


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
        out["old"] = [_item_json(x, language) for x in fc.old] if len(fc.old) > 1 else (
            _item_json(fc.old[0], language) if fc.old else None)
        out["new"] = [_item_json(x, language) for x in fc.new] if len(fc.new) > 1 else (
            _item_json(fc.new[0], language) if fc.new else None)
    return out


def _duty_json(dc: DutyChange, language: str | None) -> dict:
    out: dict[str, Any] = {"list": dc.list, "label": dc.label(language), "change": dc.change,
                           "old_number": dc.old_number or None, "new_number": dc.new_number or None,
                           "old": dc.old.text.get(language) if dc.old else None,
                           "new": dc.new.text.get(language) if dc.new else None}
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
        item: dict[str, Any] = {"kind": o.kind, "id": o.id, "change": o.change, "title": t(o.title),
                                "aspects": [a for a in o.aspects() if a not in ("added", "removed", "changed")]}
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
            item["parts"] = [{"part": p.part, "key": p.key, "change": p.change, "old": t(p.old), "new": t(p.new),
                              "fields": [_field_json(f, language) for f in p.fields]} for p in o.parts]
        if o.staffing:
            s = o.staffing
            item["staffing"] = {"headcount": {"old": s.headcount[0] or None, "new": s.headcount[1] or None},
                                "filled": {"old": s.filled[0], "new": s.filled[1]},
                                "joined": [_item_json(x, language) for x in s.joined],
                                "left": [_item_json(x, language) for x in s.left]}
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
    """" 3" / "第 3 条" after a duty list's label."""
    if not number:
        return ""
    return f"第 {number} 条" if _is_zh(language) else f" {number}"


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
        yield (f"{word('renamed', language)}: {o.old_title.get(language) if o.old_title else ''} → "
               f"{o.new_title.get(language) if o.new_title else ''}")
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
            line = f"{what} {p.key if p.part == 'step' else ''} {word('changed', language)}: " \
                   f"{p.old.get(language)} → {p.new.get(language)}".replace("  ", " ")
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


__all__ = ["Changes", "ObjectChange", "DutyChange", "FieldChange", "PartChange", "StaffingChange", "Item",
           "compare", "as_json", "dumps", "format_text", "format_markdown"]
