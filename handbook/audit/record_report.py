"""Who must re-read what, and which copies come back, as text, JSON-ready data and table rows
(``handbook acknowledgements``, ``handbook recall``). Labels in the translation catalogue.
No Sphinx imports.
"""

from __future__ import annotations

from typing import Any

from handbook import model as m
from handbook.audit.acknowledgements import Item, Plan, Reader, change_label, part_label
from handbook.audit.recall import Withdrawal, withdrawal_state
from handbook.i18n import _


def _t(text: m.Text | None, language: str | None) -> str:
    return text.get(language) if text is not None else ""


def item_line(it: Item, language: str | None) -> str:
    """``品质经理 · 岗位职责 3（改写）：…``"""
    where = f"{_t(it.title, language)} · {part_label(it.part)}"
    if it.number:
        where += f" {it.number}"
    how = change_label(it.change) + (f", {it.why}" if it.why else "")
    return f"{where}（{how}）：{_t(it.text, language)}"


def department_name(hb: m.Handbook, did: str, language: str | None) -> str:
    d = hb.departments.get(did)
    return _t(d.name, language) if d else did


def posts_text(hb: m.Handbook, r: Reader, language: str | None) -> str:
    return "、".join(_t(hb.roles[x].title, language) for x in r.posts if x in hb.roles)


def by_department(hb: m.Handbook, plan: Plan) -> list[tuple[str, list[Reader]]]:
    """The readers per department, departments in the handbook's order."""
    groups: dict[str, list[Reader]] = {}
    for r in plan.readers:
        groups.setdefault(r.department, []).append(r)
    order = list(hb.departments)
    return sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def ack_text(r: Reader) -> str:
    if r.acknowledged is None:
        return _("not acknowledged")
    a = r.acknowledged
    return _("acknowledged {date}").format(date=a.date.isoformat()) + (f" {a.record}" if a.record else "")


def format_text(hb: m.Handbook, plan: Plan, language: str | None, pending_only: bool = False) -> str:
    done = len(plan.readers) - len(plan.pending)
    head = _("Acknowledgements of {new} (changes since {old}, released {date})").format(
        new=plan.revision, old=plan.old_label or "—", date=plan.released.isoformat() if plan.released else "—"
    )
    out = [head, _("{n} people must read, {done} have acknowledged").format(n=len(plan.readers), done=done), ""]
    if not plan.readers:
        out.append(_("No change concerns anyone."))
    for did, readers in by_department(hb, plan):
        shown = [r for r in readers if not pending_only or r.acknowledged is None]
        if not shown:
            continue
        out.append(department_name(hb, did, language))
        for r in shown:
            out.append(f"  {_t(r.person.name, language)}（{posts_text(hb, r, language)}）  {ack_text(r)}")
            out.extend(f"    - {item_line(it, language)}" for it in r.items)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def as_data(hb: m.Handbook, plan: Plan, language: str | None) -> dict[str, Any]:
    return {
        "previous": plan.old_label,
        "revision": plan.revision,
        "released": plan.released.isoformat() if plan.released else None,
        "people": [
            {
                "person": r.person.id or _t(r.person.name, language),
                "name": _t(r.person.name, language),
                "department": r.department,
                "posts": list(r.posts),
                "acknowledged": r.acknowledged.date.isoformat() if r.acknowledged else None,
                "record": _t(r.acknowledged.record, language) if r.acknowledged else None,
                "items": [
                    {
                        "kind": it.kind,
                        "id": it.id,
                        "title": _t(it.title, language),
                        "part": it.part,
                        "number": it.number,
                        "change": it.change,
                        "text": _t(it.text, language),
                        "as": it.why,
                    }
                    for it in r.items
                ],
            }
            for r in plan.readers
        ],
    }


def rows(hb: m.Handbook, plan: Plan, language: str | None) -> tuple[list[str], list[list[str]]]:
    """A table for a workbook: one row per person and item, the columns to fill in last."""
    head = [_("Department"), _("Name"), _("Posts"), _("Changed item"), _("Acknowledged"), _("Record")]
    body = []
    for did, readers in by_department(hb, plan):
        for r in readers:
            for it in r.items:
                body.append(
                    [
                        department_name(hb, did, language),
                        _t(r.person.name, language),
                        posts_text(hb, r, language),
                        item_line(it, language),
                        r.acknowledged.date.isoformat() if r.acknowledged else "",
                        _t(r.acknowledged.record, language) if r.acknowledged else "",
                    ]
                )
    return head, body


def recall_text(items: tuple[Withdrawal, ...], revision: str, language: str | None) -> str:
    if not items:
        return _("No copy of an earlier revision is to be withdrawn.") + "\n"
    back = sum(1 for w in items if w.returned)
    out = [
        _("Copies of earlier revisions to withdraw (current revision {rev}): {n}, returned {back}").format(
            rev=revision, n=len(items), back=back
        )
    ]
    for w in items:
        number = _("copy {n}").format(n=w.copy) if w.copy is not None else "—"
        medium = _("paper") if w.paper else _("electronic")
        out.append(f"  {w.revision}  {number}  {_t(w.holder, language)}  ×{w.count}  {medium}  {withdrawal_state(w)}")
    return "\n".join(out) + "\n"
