"""What a comparison of two handbooks finds, as data: every report of it reads these.

:func:`handbook.audit.compare.compare` returns :class:`Changes`: the document control and
company fields that differ (:class:`FieldChange`), and per department, role or process an
:class:`ObjectChange` (added, removed, or changed: renamed, moved, its fields, its duties
one by one as :class:`DutyChange`, a process's steps and RACI rows as
:class:`PartChange`, a role's :class:`StaffingChange`). Shown values are :class:`Item`
objects: a :class:`~handbook.model.Text` in every language and the object it names, so
one comparison serves every language and output — :mod:`handbook.audit.change_report`
(the command's text, Markdown and JSON) and the site's changes page
(``site/render/revisions.py``). No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from handbook import model as m


def is_zh(language: str | None) -> bool:
    """Whether ``language`` is Chinese (zh, zh_CN, zh-TW …): the schema's labels are English and Chinese."""
    return (language or "").lower().startswith("zh")


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
        return self.zh if is_zh(language) and self.zh else self.en


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
        return self.zh if is_zh(language) and self.zh else self.en


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
    kind: str  # department | role | process (| person, in a comparison of the stored data)
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
    # the baseline itself (a model.Handbook), when the build compared against one: who must re-read
    # what (audit.acknowledgements) and which copies to recall (audit.recall) read it
    previous: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def _index(self) -> Mapping[tuple[str, str], ObjectChange]:
        return {(o.kind, o.id): o for o in self.objects}

    def __bool__(self) -> bool:
        return bool(self.document or self.company or self.objects)

    def of(self, kind: str, ident: str) -> ObjectChange | None:
        """The change of one object (None: unchanged, or not in either handbook)."""
        return self._index.get((kind, ident))

    def counts(self) -> dict[str, dict[str, int]]:
        """{kind: {added, removed, changed}} for departments, roles and processes (and people, in a
        comparison of the stored data)."""
        out = {k: {"added": 0, "removed": 0, "changed": 0} for k in ("department", "role", "process")}
        for o in self.objects:
            out.setdefault(o.kind, {"added": 0, "removed": 0, "changed": 0})[o.change] += 1
        return out
