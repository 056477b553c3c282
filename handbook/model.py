"""The immutable handbook model.

Everything here is frozen: the validator builds a :class:`Handbook` once per build and everything
downstream (Sphinx domain, directives, Mermaid, search, PDF) only reads it. No Sphinx imports.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from handbook.problems import Source
from handbook.status import Status

_NOWHERE = Source("<none>")


def _frozen_map(d: dict) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, slots=True)
class Text:
    """A human-readable text: one string, or one string per language.

    ``values``: ``(language, string)`` pairs (a plain string's language is ``""``);
    :meth:`get` picks the build language, falling back to the first."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, s: str) -> Text:
        return cls((("", s),))

    def get(self, language: str | None = None) -> str:
        if language:
            for lang, s in self.values:
                if lang == language:
                    return s
            base = language.replace("-", "_").split("_")[0].lower()
            for lang, s in self.values:
                if lang.replace("-", "_").split("_")[0].lower() == base:
                    return s
        return self.values[0][1]

    def all_strings(self) -> tuple[str, ...]:
        return tuple(s for _, s in self.values)

    def __str__(self) -> str:  # the first entry; use get(language) in output code
        return self.values[0][1]


@dataclass(frozen=True, slots=True)
class Duty:
    text: Text
    kpi: Text | None = None
    frequency: Text | None = None
    clauses: tuple[str, ...] = ()  # the ISO 9001 clauses it serves, e.g. ("7.5", "8.2.1")
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class DutyGroup:
    title: Text
    items: tuple[Duty, ...]
    source: Source = field(default=_NOWHERE, compare=False)


DutyList = tuple[Duty | DutyGroup, ...]


def iter_duties(duties: DutyList) -> Iterator[Duty]:
    """Every duty of a duty list, groups flattened."""
    for item in duties:
        if isinstance(item, DutyGroup):
            yield from item.items
        else:
            yield item


def numbered_duties(duties: DutyList) -> Iterator[tuple[str, Duty, DutyGroup | None]]:
    """Every duty with its number as the duty tables show it: ``"3"``, or ``"2.1"`` (group 2, item 1)."""
    n = g = 0
    for item in duties:
        if isinstance(item, DutyGroup):
            g += 1
            for i, d in enumerate(item.items, start=1):
                yield f"{g}.{i}", d, item
        else:
            n += 1
            yield str(n), item, None


@dataclass(frozen=True, slots=True)
class Range:
    """An integer range ``low..high`` (``low == high`` for an exact number), or an open
    headcount (若干, 不定, 按需): ``word`` holds it as written, and the numbers are 0, so sums
    leave it out (:attr:`Staffing.open` counts such posts)."""

    low: int
    high: int
    word: str = ""

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high)

    def __str__(self) -> str:
        if self.word:
            return self.word
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def as_data(self) -> int | str:
        """As the data writes it: ``3``, ``"5-10"`` or the word (``"若干"``)."""
        return self.word or (self.low if self.low == self.high else f"{self.low}-{self.high}")


ZERO = Range(0, 0)


@dataclass(frozen=True, slots=True)
class Approval:
    name: Text
    title: Text | None = None
    date: _dt.date | None = None
    record: Text | None = None  # the approval's record: a workflow id, a URL, an e-signature reference


@dataclass(frozen=True, slots=True)
class Copy:
    """A distribution entry (发放记录): who holds a copy, and for a controlled copy its number."""

    holder: Text
    copy: int | None = None
    count: int | None = None
    issued: _dt.date | None = None
    received: Text | None = None
    medium: str | None = None  # paper | electronic (None: paper)
    revision: Text | None = None  # the revision the copy is of (None: the document's)
    returned: _dt.date | None = None  # 回收日期
    returned_by: Text | None = None  # 回收人
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Revision:
    revision: Text
    date: _dt.date
    author: Text | None = None
    approved_by: Text | None = None
    summary: Text | None = None
    # the fingerprint of the released content ("sha256:<64 hex>"), written by `handbook release`
    fingerprint: Text | None = None
    editorial: tuple[Text, ...] = ()  # what of its changes nobody must re-read (see audit.acknowledgements)
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Review:
    """A periodic review of the document (复审记录): when, by whom, what it found, its record."""

    date: _dt.date
    reviewer: Text | None = None
    result: str = "no-change"  # no-change (内容仍适用) | revise (需修订)
    record: Text | None = None
    note: Text | None = None
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class DocumentControl:
    number: Text | None = None
    title: Text | None = None
    revision: Text | None = None
    status: Status | None = None  # with its marking (see status.py)
    effective: _dt.date | None = None
    review_due: _dt.date | None = None
    prepared_by: Approval | None = None
    reviewed_by: Approval | None = None
    approved_by: Approval | None = None
    distribution: tuple[Copy, ...] = ()
    history: tuple[Revision, ...] = ()
    reviews: tuple[Review, ...] = ()  # the review log (复审记录), oldest first as written
    review_interval: int | None = None  # months from one review to the next (default 12 with a review log)

    @property
    def approvals(self) -> tuple[tuple[str, Approval], ...]:
        """The approvals given, in order: ("prepared_by", …), ("reviewed_by", …), ("approved_by", …)."""
        return tuple(
            (k, a)
            for k, a in (
                ("prepared_by", self.prepared_by),
                ("reviewed_by", self.reviewed_by),
                ("approved_by", self.approved_by),
            )
            if a is not None
        )

    def copy_numbered(self, number: int) -> Copy | None:
        """The distribution entry of controlled copy ``number`` of the current revision."""
        return next((c for c in self.distribution if c.copy == number and c.revision in (None, self.revision)), None)

    def history_entry(self) -> Revision | None:
        """The history entry of the current revision (None: no revision, or no entry for it)."""
        if self.revision is None:
            return None
        return next((h for h in self.history if h.revision.all_strings() == self.revision.all_strings()), None)

    @property
    def last_review(self) -> Review | None:
        """The latest review of the review log (None: none recorded)."""
        return max(self.reviews, key=lambda r: r.date) if self.reviews else None

    @property
    def next_review(self) -> _dt.date | None:
        """When the next review (复审) is due: ``review_interval`` months (default 12) after the last
        review of the review log, or ``review_due`` when that is later (or there is no log)."""
        last = self.last_review
        if last is None:
            return self.review_due
        counted = add_months(last.date, self.review_interval or 12)
        return max(counted, self.review_due) if self.review_due is not None else counted

    def review_overdue(self, today: _dt.date | None) -> bool:
        """The next review (复审) was due before ``today``."""
        due = self.next_review
        return bool(today and due and due < today)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` plus whole months (the 31st becomes the month's last day)."""
    y, mo = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, mo + 1
    for d in (day.day, 30, 29, 28):
        try:
            return _dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class ClauseOwner:
    """The company's own assignment of an ISO 9001 clause: lead (主管) and supporting (协助) departments."""

    clause: str
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    not_applicable: Text | None = None  # the justification of a clause that does not apply
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Company:
    name: Text
    short_name: Text | None = None
    description: Text | None = None
    document: DocumentControl = DocumentControl()
    clause_owners: tuple[ClauseOwner, ...] = ()
    required_clauses: tuple[str, ...] | None = None  # None: the standard's default set
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen_map({}), compare=False)
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: Text
    code: Text | None = None
    parent: str | None = None
    category: Text | None = None
    head: str | None = None
    purpose: Text | None = None
    functions: DutyList = ()
    authority: DutyList = ()
    goals: DutyList = ()
    kpis: DutyList = ()
    order: int | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen_map({}), compare=False)
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Qualifications:
    education: Text | None = None
    experience: Text | None = None
    skills: tuple[Text, ...] = ()
    certificates: tuple[Text, ...] = ()
    training: tuple[Text, ...] = ()
    other: tuple[Text, ...] = ()  # a plain list of requirements

    def __bool__(self) -> bool:
        return any((self.education, self.experience, self.skills, self.certificates, self.training, self.other))


@dataclass(frozen=True, slots=True)
class Relations:
    internal: tuple[Text, ...] = ()
    external: tuple[Text, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.internal or self.external)


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    title: Text
    department: str  # the primary department: the page address, the numbering and the headcount
    responsibilities: DutyList
    shared_with: tuple[str, ...] = ()  # the other departments the post also serves
    code: Text | None = None
    reports_to: str | None = None
    dotted_line_to: tuple[str, ...] = ()
    headcount: Range | None = None
    filled: int | None = None  # people in the post, named or not (for posts whose holders are not listed)
    grade: Text | None = None
    purpose: Text | None = None
    authority: DutyList = ()
    qualifications: Qualifications = Qualifications()
    kpis: DutyList = ()
    relations: Relations = Relations()
    work_environment: Text | None = None
    order: int | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen_map({}), compare=False)
    source: Source = field(default=_NOWHERE, compare=False)


AssignmentType = Literal["primary", "concurrent", "acting"]
ASSIGNMENT_TYPES: tuple[str, ...] = ("primary", "concurrent", "acting")


@dataclass(frozen=True, slots=True)
class Assignment:
    role: str
    type: AssignmentType = "primary"
    since: _dt.date | None = None
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # the id if given, else a key derived from the position in the data
    name: Text
    assignments: tuple[Assignment, ...] = ()
    id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen_map({}), compare=False)
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Transition:
    to: str
    label: Text | None = None


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    action: Text
    role: str | None = None
    performer: str | None = None  # a relation (schema.PERFORMERS) when no one post does it
    next: tuple[Transition, ...] = ()
    record: Text | None = None
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class RaciRow:
    activity: Text
    responsible: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    source: Source = field(default=_NOWHERE, compare=False)

    def letters_for(self, role_id: str) -> str:
        """The RACI letters a role has in this row, e.g. ``"RA"``."""
        out = ""
        for letter, roles in (
            ("R", self.responsible),
            ("A", self.accountable),
            ("C", self.consulted),
            ("I", self.informed),
        ):
            if role_id in roles:
                out += letter
        return out


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    name: Text
    owner: str | None = None
    purpose: Text | None = None
    trigger: Text | None = None
    steps: tuple[Step, ...] = ()
    raci: tuple[RaciRow, ...] = ()
    inputs: tuple[Text, ...] = ()
    outputs: tuple[Text, ...] = ()
    kpis: tuple[Text, ...] = ()
    risks: tuple[Text, ...] = ()
    related: tuple[str, ...] = ()  # process ids
    records: tuple[Text, ...] = ()
    order: int | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen_map({}), compare=False)
    source: Source = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Holder:
    """A person holding a role, with how (primary, concurrent, acting)."""

    person: Person
    assignment: Assignment


@dataclass(frozen=True, slots=True)
class Staffing:
    """Headcount (编制), filled (在岗) and vacant (待招) for a role or a department."""

    headcount: Range
    filled: int
    vacant: Range
    acting: int = 0
    over: int = 0  # people beyond the headcount's upper bound (超编)
    unbudgeted: bool = False  # some role has no headcount; totals count it as zero
    unnamed: int = 0  # of `filled`, the people the data counts (a role's `filled`) but does not name
    open: int = 0  # posts with an open headcount (若干): not in the sums, shown beside them

    def __add__(self, other: Staffing) -> Staffing:
        return Staffing(
            self.headcount + other.headcount,
            self.filled + other.filled,
            self.vacant + other.vacant,
            self.acting + other.acting,
            self.over + other.over,
            self.unbudgeted or other.unbudgeted,
            self.unnamed + other.unnamed,
            self.open + other.open,
        )


EMPTY_STAFFING = Staffing(ZERO, 0, ZERO)


# -- the quality function allocation (质量职能分配表), derived by handbook.clauses -------------
@dataclass(frozen=True, slots=True)
class ClauseDuty:
    """A duty that names a clause: whose it is, in which list, and its number there."""

    kind: str  # "department" | "role"
    owner: str  # the department's or role's id
    list: str  # the duty list: "functions", "responsibilities", "authority" …
    number: str  # as the duty table numbers it: "3", "2.1"
    text: Text


@dataclass(frozen=True, slots=True)
class ClauseCell:
    """One department's part in one clause: lead (●) or support (○), and why."""

    department: str  # the column's department
    lead: bool
    duties: tuple[ClauseDuty, ...] = ()
    assigned: str = ""  # "lead" | "support" when company.clause_owners names the department


@dataclass(frozen=True, slots=True)
class ClauseRow:
    clause: str
    required: bool  # must have a lead department
    cells: tuple[ClauseCell, ...] = ()  # the departments taking part, in column order
    led: bool = False  # it, or one of its sub-clauses, has a lead department


@dataclass(frozen=True, slots=True)
class ClauseMatrix:
    """Clauses x departments. ``columns``: the top-level departments (a sub-department's part counts for
    its column); empty when the data names no clause. ``not_applicable``: clause -> justification."""

    columns: tuple[str, ...] = ()
    rows: tuple[ClauseRow, ...] = ()
    column_of: Mapping[str, str] = field(default_factory=lambda: _frozen_map({}))  # department -> column
    not_applicable: Mapping[str, Text] = field(default_factory=lambda: _frozen_map({}))

    def __bool__(self) -> bool:
        return bool(self.rows)


EMPTY_MATRIX = ClauseMatrix()


def performer_roles(hb: Handbook, process: Process, performer: str) -> tuple[str, ...]:
    """The posts a relative performer can stand for: the process owner; every department's
    head (for the initiator's department head too: the initiator may be in any department);
    nothing for the initiator (anyone)."""
    if performer == "process-owner":
        return (process.owner,) if process.owner else ()
    if performer in ("initiator-head", "department-heads"):
        return tuple(dict.fromkeys(d.head for d in hb.departments.values() if d.head))
    return ()


def staffing_for(headcount: Range | None, holders: tuple[Holder, ...], filled_count: int | None = None) -> Staffing:
    """A role's staffing: the named holders (acting ones do not fill the post), or the
    role's ``filled`` count when it is given (the named holders are part of it)."""
    named = sum(1 for h in holders if h.assignment.type != "acting")
    acting = len(holders) - named
    filled = named if filled_count is None else max(filled_count, named)
    unnamed = filled - named
    if headcount is None:
        return Staffing(ZERO, filled, ZERO, acting, 0, True, unnamed)
    if headcount.word:  # 若干: never short, never over
        return Staffing(headcount, filled, ZERO, acting, 0, False, unnamed, 1)
    vacant = Range(max(headcount.low - filled, 0), max(headcount.high - filled, 0))
    over = max(filled - headcount.high, 0)
    return Staffing(headcount, filled, vacant, acting, over, False, unnamed)


#: the kinds of object with a page and an id of their own, in the order indexes list them
OBJECT_KINDS: tuple[str, ...] = ("department", "role", "process")
#: each kind's store: the :class:`Handbook` attribute (and data file section) holding its objects
STORE_NAMES: Mapping[str, str] = MappingProxyType(
    {"department": "departments", "role": "roles", "process": "processes", "person": "people"}
)


@dataclass(frozen=True)
class Handbook:
    """A validated handbook: the objects plus the relations derived from them.

    Mappings keep the display order (departments in tree order, roles by department
    order). Build one with :func:`handbook.validate.build`.
    """

    company: Company
    departments: Mapping[str, Department]
    roles: Mapping[str, Role]
    people: tuple[Person, ...]
    processes: Mapping[str, Process]
    # derived
    top_departments: tuple[str, ...]
    subdepartments: Mapping[str, tuple[str, ...]]
    department_roles: Mapping[str, tuple[str, ...]]
    direct_reports: Mapping[str, tuple[str, ...]]
    dotted_reports: Mapping[str, tuple[str, ...]]
    holders: Mapping[str, tuple[Holder, ...]]
    role_staffing: Mapping[str, Staffing]
    department_staffing: Mapping[str, Staffing]  # own roles only
    department_total_staffing: Mapping[str, Staffing]  # including sub-departments
    company_staffing: Staffing
    department_total_roles: Mapping[str, int]  # roles in a department and its sub-departments
    role_processes: Mapping[str, tuple[str, ...]]  # role -> processes it takes part in
    people_by_key: Mapping[str, Person]
    sources: tuple[str, ...] = ()  # the data files read
    # department -> the posts of other departments it shares (Role.shared_with), in role order
    shared_roles: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen_map({}))
    clause_matrix: ClauseMatrix = EMPTY_MATRIX  # 质量职能分配表 (handbook.clauses)
    acknowledgements: tuple[Any, ...] = ()  # records.Acknowledgement: returned reading confirmations
    # what changed since a baseline (a handbook.audit.changes.Changes), attached by the build when
    # `handbook_baseline` is set; None without a baseline
    changes: Any = field(default=None, compare=False)

    def store(self, kind: str) -> Mapping[str, Any]:
        """The objects of one kind by id: ``"department"``, ``"role"``, ``"process"``, ``"person"``
        (people by id or name); an empty mapping for any other kind."""
        if kind == "person":
            return self.people_by_key
        return getattr(self, STORE_NAMES[kind]) if kind in STORE_NAMES else {}

    def title(self, kind: str, ident: str) -> Text | None:
        """The title of a role, or the name of a department, process or person (None: no such object)."""
        obj: Any = self.store(kind).get(ident)
        if obj is None:
            return None
        return obj.title if kind == "role" else obj.name

    # -- navigation helpers -------------------------------------------------
    def department_path(self, dept_id: str) -> tuple[str, ...]:
        """Ancestors of a department, top first, ending with the department."""
        path: list[str] = []
        cur: str | None = dept_id
        while cur is not None and cur not in path:
            path.append(cur)
            cur = self.departments[cur].parent
        return tuple(reversed(path))

    def descendants(self, dept_id: str) -> tuple[str, ...]:
        """All departments below one (not including it), in tree order."""
        out: list[str] = []
        stack = list(reversed(self.subdepartments.get(dept_id, ())))
        while stack:
            d = stack.pop()
            out.append(d)
            stack.extend(reversed(self.subdepartments.get(d, ())))
        return tuple(out)
