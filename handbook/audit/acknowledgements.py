"""Who must re-read what: from the previous release to this revision, per person, the changed
items that concern them (ISO 9001 5.3: responsibilities communicated and understood).

A person is concerned by

* a change of the duties, authority, qualifications or indicators of a post they hold — as
  holder, concurrently (兼任) or acting (代理) — and by a post of theirs that is new;
* a change of the functions (or authority, goals, indicators) of the department of one of
  their posts;
* a changed, added or removed step of a process their post performs (a step the process
  owner does counts for the owner's post), and a RACI row naming their post.

What the revision's history entry marks ``editorial`` (``all``, an object's id, ``role:id``,
or ``id.list``: ``qa-manager.kpis``, ``quality.functions``, ``complaint.steps``) concerns
nobody. Returned acknowledgements (``acknowledgements:``, :class:`handbook.records.Acknowledgement`)
say who has read; :func:`overdue` warns about those who have not, some days after the
release. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from handbook import model as m
from handbook.audit import recall
from handbook.audit.changes import Changes, ObjectChange
from handbook.audit.compare import compare
from handbook.i18n import _
from handbook.problems import Code, Problem
from handbook.records import Acknowledgement

#: the lists of a post and of a department whose changes its people must read
ROLE_LISTS = ("responsibilities", "authority", "kpis")
DEPARTMENT_LISTS = ("functions", "authority", "goals", "kpis")
HOW = {"primary": "", "concurrent": "兼任", "acting": "代理"}


@dataclass(frozen=True)
class Item:
    """One changed item a person must read."""

    kind: str  # role | department | process
    id: str
    title: m.Text  # the post's, department's or process's
    part: str  # responsibilities / authority / kpis / qualifications / functions … / steps / raci / post
    change: str  # added | removed | reworded | changed
    text: m.Text  # the item as it now reads (as it read, when removed)
    number: str = ""  # the duty's number, the step's id
    why: str = ""  # how it concerns the person: 兼任 / 代理 / R / A …

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.kind, self.id, self.part, self.number, self.text.get(None))


@dataclass(frozen=True)
class Reader:
    """One person and what they must read; ``acknowledged``: their returned confirmation."""

    person: m.Person
    department: str  # the department of their first post (the sign-off sheet they are on)
    posts: tuple[str, ...]
    items: tuple[Item, ...]
    acknowledged: Acknowledgement | None = None


@dataclass(frozen=True)
class Plan:
    old_label: str
    revision: str  # the revision to acknowledge
    released: dt.date | None  # its release date (history entry, else `effective`)
    readers: tuple[Reader, ...]

    @property
    def pending(self) -> tuple[Reader, ...]:
        return tuple(r for r in self.readers if r.acknowledged is None)


def _revision_entry(hb: m.Handbook) -> m.Revision | None:
    doc = hb.company.document
    if doc.revision is None:
        return None
    return next((r for r in reversed(doc.history) if r.revision == doc.revision), None)


def editorial_marks(old: m.Handbook, new: m.Handbook) -> set[str]:
    """The ``editorial`` marks of every history entry the previous release does not have."""
    released = {r.revision.get(None) for r in old.company.document.history}
    if old.company.document.revision is not None:
        released.add(old.company.document.revision.get(None))
    marks: set[str] = set()
    for r in new.company.document.history:
        if r.revision.get(None) not in released:
            marks.update(t.get(None).strip() for t in r.editorial)
    return marks


def _editorial(marks: set[str], kind: str, ident: str, part: str) -> bool:
    if "all" in marks or "全部" in marks:
        return True
    return bool({ident, f"{kind}:{ident}", f"{ident}.{part}", f"{kind}:{ident}.{part}"} & marks)


def _role_items(o: ObjectChange, new: m.Handbook, marks: set[str]) -> list[Item]:
    if o.change == "added":
        role = new.roles[o.id]
        if _editorial(marks, "role", o.id, "post"):
            return []
        return [Item("role", o.id, role.title, "post", "added", role.title)]
    if o.change != "changed":
        return []
    out = []
    for d in o.duties:
        if d.list in ROLE_LISTS and not _editorial(marks, "role", o.id, d.list):
            duty = d.new or d.old
            assert duty is not None
            out.append(Item("role", o.id, o.title, d.list, d.change, duty.text, d.new_number or d.old_number))
    for f in o.fields:
        if f.key.startswith("qualifications") and not _editorial(marks, "role", o.id, "qualifications"):
            shown = f.new or f.old
            text = m.Text.plain("；".join(x.text.get(None) for x in shown)) if shown else m.Text.plain("—")
            out.append(Item("role", o.id, o.title, "qualifications", "changed", text, f.zh or f.en))
    return out


def _department_items(o: ObjectChange, marks: set[str]) -> list[Item]:
    if o.change != "changed":
        return []
    out = []
    for d in o.duties:
        if d.list in DEPARTMENT_LISTS and not _editorial(marks, "department", o.id, d.list):
            duty = d.new or d.old
            assert duty is not None
            out.append(Item("department", o.id, o.title, d.list, d.change, duty.text, d.new_number or d.old_number))
    return out


def _step_roles(hb: m.Handbook, process: m.Process | None, step_id: str) -> tuple[str, ...]:
    if process is None:
        return ()
    step = next((s for s in process.steps if s.id == step_id), None)
    if step is None:
        return ()
    if step.role:
        return (step.role,)
    if step.performer == "process-owner" and process.owner:
        return (process.owner,)
    return ()


def _raci_roles(process: m.Process | None, activity: str) -> dict[str, str]:
    """role -> its letters in the row of ``activity``."""
    out: dict[str, str] = {}
    for row in process.raci if process else ():
        if row.activity.get(None) == activity or activity in row.activity.all_strings():
            for letter, roles in (("R", row.responsible), ("A", row.accountable), ("C", row.consulted)):
                for r in roles:
                    out[r] = out.get(r, "") + letter
            for r in row.informed:
                out[r] = out.get(r, "") + "I"
    return out


def _process_items(o: ObjectChange, old: m.Handbook, new: m.Handbook, marks: set[str]) -> dict[str, list[Item]]:
    """role -> the changed steps and RACI rows of a process that role is in."""
    out: dict[str, list[Item]] = {}
    if o.change != "changed":
        return out
    before, after = old.processes.get(o.old_id or o.id), new.processes.get(o.id)
    for p in o.parts:
        part = "steps" if p.part == "step" else "raci"
        if _editorial(marks, "process", o.id, part) or _editorial(marks, "process", o.id, p.key):
            continue
        text = p.new or p.old
        assert text is not None
        if p.part == "step":
            roles = dict.fromkeys((*_step_roles(new, after, p.key), *_step_roles(old, before, p.key)), "")
        else:
            roles = _raci_roles(before, (p.old or p.new).get(None))  # type: ignore[union-attr]
            roles.update(_raci_roles(after, (p.new or p.old).get(None)))  # type: ignore[union-attr]
        for rid, letters in roles.items():
            if rid in new.roles:
                number = p.key if p.part == "step" else ""
                out.setdefault(rid, []).append(Item("process", o.id, o.title, part, p.change, text, number, letters))
    return out


def plan(old: m.Handbook, new: m.Handbook, changes: Changes | None = None, old_label: str = "") -> Plan:
    """Who must read what of the changes from ``old`` (the previous release) to ``new``."""
    changes = changes if changes is not None else compare(old, new)
    marks = editorial_marks(old, new)
    by_role: dict[str, list[Item]] = {}
    by_department: dict[str, list[Item]] = {}
    joined: dict[str, list[Item]] = {}  # person key -> the posts they took up: the whole description
    for o in changes.objects:
        if o.kind == "role":
            by_role.setdefault(o.id, []).extend(_role_items(o, new, marks))
            for who in o.staffing.joined if o.staffing else ():
                if who.id and not _editorial(marks, "role", o.id, "post"):
                    joined.setdefault(who.id, []).append(Item("role", o.id, o.title, "post", "assigned", o.title))
        elif o.kind == "department":
            by_department.setdefault(o.id, []).extend(_department_items(o, marks))
        elif o.kind == "process":
            for rid, items in _process_items(o, old, new, marks).items():
                by_role.setdefault(rid, []).extend(items)
    readers = []
    for person in new.people:
        items: dict[tuple, Item] = {it.key(): it for it in joined.get(person.key, ())}
        posts = []
        for a in person.assignments:
            role = new.roles.get(a.role)
            if role is None:
                continue
            posts.append(a.role)
            how = HOW.get(a.type, "")
            for it in by_role.get(a.role, ()):
                why = " ".join(x for x in (how, it.why) if x)
                items.setdefault(it.key(), Item(**{**it.__dict__, "why": why}))
            for it in by_department.get(role.department, ()):
                items.setdefault(it.key(), it)
        if items:
            first = new.roles[posts[0]].department
            readers.append(Reader(person, first, tuple(posts), tuple(items.values()), _acknowledgement(new, person)))
    doc = new.company.document
    entry = _revision_entry(new)
    return Plan(
        old_label or (old.company.document.revision.get(None) if old.company.document.revision else ""),
        doc.revision.get(None) if doc.revision else "",
        recall.released(new) or (entry.date if entry else None),
        tuple(readers),
    )


def names_person(ack: Acknowledgement, person: m.Person) -> bool:
    who = ack.person.get(None).strip()
    return who == person.id or who in person.name.all_strings()


def _acknowledgement(hb: m.Handbook, person: m.Person) -> Acknowledgement | None:
    rev = hb.company.document.revision
    for ack in hb.acknowledgements:
        if rev is not None and ack.revision.get(None) == rev.get(None) and names_person(ack, person):
            return ack
    return None


def overdue(p: Plan, today: dt.date | None, days: int | None) -> Iterator[Problem]:
    """``acknowledgement-overdue`` for each person who has not returned theirs ``days`` after the release."""
    if today is None or days is None or p.released is None:
        return
    due = p.released + dt.timedelta(days=days)
    if today <= due:
        return
    for r in p.pending:
        yield Problem(
            r.person.source,
            Code.ACKNOWLEDGEMENT_OVERDUE,
            f"{r.person.name} has not acknowledged the {len(r.items)} change{'s' if len(r.items) != 1 else ''} "
            f"of {p.revision} that concern them; due {due.isoformat()} ({days} days after the release "
            f"on {p.released.isoformat()})",
            f"have them sign the sheet (`handbook acknowledgements`) and add "
            f"`{{person: {r.person.id or r.person.name}, revision: {p.revision}, date: …}}` to `acknowledgements:`",
        )


def unknown_people(hb: m.Handbook) -> Iterator[Problem]:
    """``acknowledgement-unknown``: a returned acknowledgement names no person of the data."""
    for ack in hb.acknowledgements:
        if not any(names_person(ack, p) for p in hb.people):
            yield Problem(
                ack.source,
                Code.ACKNOWLEDGEMENT_UNKNOWN,
                f"the acknowledgement of {ack.revision} names `{ack.person}`, who is not among the people",
                "write the person's id or name as `people:` has it",
            )


def part_label(part: str) -> str:
    return {
        "responsibilities": _("Responsibilities"),
        "authority": _("Authority"),
        "kpis": _("Performance indicators"),
        "qualifications": _("Qualifications"),
        "functions": _("Functions"),
        "goals": _("Goals"),
        "steps": _("Steps"),
        "raci": _("RACI row"),
        "post": _("Job description"),
    }.get(part, part)


def change_label(change: str) -> str:
    labels = {"added": _("added"), "removed": _("removed"), "reworded": _("reworded"), "changed": _("changed")}
    return labels.get(change) or (_("taken up") if change == "assigned" else change)
