"""Check located YAML values and build the immutable :class:`~handbook.model.Handbook`.

Every problem is collected (never raised), so one run reports all of them, each with
its source position, a stable code, a message and, where we can guess, a hint. Raw
YAML values never get past this module. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, TypeVar

from . import model as m
from .loader import DataFile, YList, YMap, YNode, YScalar, gc_paused, load_dir
from .problems import Code, Problem, Source, sort_problems

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
HEADCOUNT_RE = re.compile(r"^\s*(\d{1,9})\s*(?:(?:-|~|～|–|—|至|到)\s*(\d{1,9}))?\s*人?\s*$")

TOP_KEYS = ("company", "departments", "roles", "people", "processes")
COMPANY_KEYS = ("name", "short_name", "description", "document", "extra")
DOCUMENT_KEYS = ("number", "title", "revision", "status", "effective", "review_due", "prepared_by",
                 "reviewed_by", "approved_by", "distribution", "history")
APPROVAL_KEYS = ("name", "title", "date")
HISTORY_KEYS = ("revision", "date", "author", "approved_by", "summary")
DEPARTMENT_KEYS = ("id", "name", "code", "parent", "category", "head", "purpose", "functions",
                   "authority", "goals", "kpis", "order", "extra")
ROLE_KEYS = ("id", "title", "department", "code", "reports_to", "dotted_line_to", "headcount", "grade",
             "purpose", "responsibilities", "authority", "qualifications", "kpis", "relations",
             "work_environment", "order", "extra")
QUALIFICATION_KEYS = ("education", "experience", "skills", "certificates", "training")
RELATION_KEYS = ("internal", "external")
PERSON_KEYS = ("id", "name", "assignments", "extra")
ASSIGNMENT_KEYS = ("role", "type", "since")
PROCESS_KEYS = ("id", "name", "owner", "purpose", "trigger", "steps", "raci", "order", "extra")
STEP_KEYS = ("id", "role", "action", "next", "record")
NEXT_KEYS = ("to", "label")
RACI_KEYS = ("activity", "R", "A", "C", "I")
DUTY_KEYS = ("text", "kpi", "frequency")
GROUP_KEYS = ("title", "items")

# hints for keys people write by mistake, beyond spelling
_KEY_HINTS = {
    ("department", "roles"): "list roles under the top-level `roles:` key, each with `department: <id>`",
    ("role", "people"): "list people under the top-level `people:` key with `assignments: [{role: <id>}]`",
    ("role", "holder"): "holders are people: list them under `people:` with `assignments: [{role: <id>}]`",
    ("role", "supervisor"): "the supervisor is `reports_to: <role id>`",
    ("department", "manager"): "a department's manager is `head: <role id>`",
}

T = TypeVar("T")


def _close(word: str, options: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass
class Result:
    """What :func:`build` returns: the handbook (``None`` on errors) and every problem."""

    handbook: m.Handbook | None
    problems: list[Problem]
    files: list[DataFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.handbook is not None


@dataclass
class _Ref:
    kind: str  # "department" | "role" | "step"
    target: str
    source: Source
    what: str  # e.g. "reports_to of role `x`"
    scope: str | None = None  # for steps: the process id


class _Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.refs: list[_Ref] = []
        self.companies: list[tuple[m.Company, Source]] = []
        self.departments: list[m.Department] = []
        self.roles: list[m.Role] = []
        self.people: list[m.Person] = []
        self.processes: list[m.Process] = []
        self.id_sources: dict[tuple[str, str], Source] = {}
        # sources of single fields, for precise warnings
        self.field_sources: dict[tuple[str, str, str], Source] = {}

    # -- reporting --------------------------------------------------------
    def err(self, source: Source, code: Code, message: str, hint: str = "",
            related: tuple[Source, ...] = ()) -> None:
        self.problems.append(Problem(source, code, message, hint, related))

    # -- generic readers ---------------------------------------------------
    def mapping(self, node: YNode | None, what: str, allowed: Sequence[str], kind: str = "") -> YMap | None:
        if node is None:
            return None
        if not isinstance(node, YMap):
            self.err(node.source, Code.WRONG_TYPE, f"{what} must be a mapping (`key: value` lines), not {_kind(node)}",
                     _shape_hint(node))
            return None
        for key, (ksrc, _) in node.items.items():
            if key in allowed:
                continue
            hint = _KEY_HINTS.get((kind, key), "")
            if not hint:
                guess = _close(key, allowed)
                if guess:
                    hint = f"did you mean `{guess}`?"
                elif "extra" in allowed:
                    hint = "put data the format does not know under `extra:`"
                else:
                    hint = "allowed here: " + ", ".join(f"`{k}`" for k in allowed)
            self.err(ksrc, Code.UNKNOWN_KEY, f"unknown key `{key}` in {what}", hint)
        return node

    def list_of(self, node: YNode | None, what: str, allow_single: bool = False) -> list[YNode]:
        if node is None:
            return []
        if isinstance(node, YList):
            return node.items
        if isinstance(node, YScalar) and node.is_null:
            return []
        if allow_single and isinstance(node, YScalar):
            return [node]
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a list (lines starting with `- `), not {_kind(node)}",
                 _shape_hint(node))
        return []

    def text(self, node: YNode | None, what: str) -> m.Text | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if isinstance(node, YScalar):
            s = node.raw.strip() if isinstance(node.value, str) or node.quoted else node.raw.strip()
            if not s:
                self.err(node.source, Code.BAD_VALUE, f"{what} is empty", "remove the key or write the text")
                return None
            return m.Text.plain(s)
        if isinstance(node, YMap):
            values: list[tuple[str, str]] = []
            for lang, (ksrc, v) in node.items.items():
                if not LANG_RE.match(lang):
                    self.err(ksrc, Code.BAD_VALUE, f"`{lang}` in {what} is not a language code",
                             "a translated text maps language codes to strings: `{zh_CN: 研发经理, en: R&D Manager}`")
                    continue
                if not isinstance(v, YScalar) or v.is_null or not v.raw.strip():
                    self.err(v.source, Code.WRONG_TYPE if not isinstance(v, YScalar) else Code.BAD_VALUE,
                             f"the `{lang}` text of {what} must be a non-empty string")
                    continue
                values.append((lang, v.raw.strip()))
            if not values:
                if node.items:
                    return None
                self.err(node.source, Code.BAD_VALUE, f"{what} is empty")
                return None
            return m.Text(tuple(values))
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a text, not {_kind(node)}",
                 "write a string, or a mapping language -> string")
        return None

    def texts(self, node: YNode | None, what: str) -> tuple[m.Text, ...]:
        out = []
        for item in self.list_of(node, what, allow_single=True):
            t = self.text(item, f"an item of {what}")
            if t is not None:
                out.append(t)
        return tuple(out)

    def required_text(self, ymap: YMap, key: str, what: str) -> m.Text | None:
        node = ymap.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null):
            self.err(ymap.source if node is None else node.source, Code.MISSING_FIELD,
                     f"{what} has no `{key}`", f"`{key}` is required")
            return None
        return self.text(node, f"`{key}` of {what}")

    def ident(self, ymap: YMap, kind: str, what: str, required: bool = True) -> str | None:
        node = ymap.get("id")
        if node is None or (isinstance(node, YScalar) and node.is_null):
            if required:
                self.err(ymap.source, Code.MISSING_FIELD, f"{what} has no `id`",
                         "give it a short lower-case id such as `cs-manager`; ids make page addresses")
            return None
        if not isinstance(node, YScalar):
            self.err(node.source, Code.WRONG_TYPE, f"the id of {what} must be a plain word, not {_kind(node)}")
            return None
        value = node.raw.strip()
        if not ID_RE.match(value):
            self.err(node.source, Code.BAD_ID, f"`{value}` is not a valid {kind} id",
                     _id_hint(value))
            return None
        return value

    def ref(self, node: YNode | None, kind: str, what: str, scope: str | None = None) -> str | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if not isinstance(node, YScalar):
            self.err(node.source, Code.WRONG_TYPE, f"{what} must be a {kind} id, not {_kind(node)}")
            return None
        value = node.raw.strip()
        self.refs.append(_Ref(kind, value, node.source, what, scope))
        return value

    def refs_list(self, node: YNode | None, kind: str, what: str, scope: str | None = None) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.list_of(node, what, allow_single=True):
            r = self.ref(item, kind, what, scope)
            if r is not None and r not in out:
                out.append(r)
        return tuple(out)

    def integer(self, node: YNode | None, what: str) -> int | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a whole number")
        return None

    def date(self, node: YNode | None, what: str) -> dt.date | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if isinstance(node, YScalar):
            v = node.value
            if isinstance(v, dt.datetime):
                return v.date()
            if isinstance(v, dt.date):
                return v
            try:
                return dt.date.fromisoformat(node.raw.strip())
            except ValueError:
                pass
            self.err(node.source, Code.BAD_VALUE, f"{what} `{node.raw}` is not a date",
                     "write dates as YYYY-MM-DD, e.g. 2024-03-01")
            return None
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a date, not {_kind(node)}",
                 "write dates as YYYY-MM-DD")
        return None

    def headcount(self, node: YNode | None, what: str) -> m.Range | None:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if isinstance(node, YScalar):
            v = node.value
            if isinstance(v, int) and not isinstance(v, bool):
                if v < 0:
                    self.err(node.source, Code.BAD_VALUE, f"{what} must not be negative")
                    return None
                return m.Range(v, v)
            match = HEADCOUNT_RE.match(node.raw)
            if match:
                low = int(match.group(1))
                high = int(match.group(2)) if match.group(2) else low
                if low <= high:
                    return m.Range(low, high)
                self.err(node.source, Code.BAD_VALUE, f"{what} `{node.raw}`: the range is reversed",
                         f"write `{high}-{low}`")
                return None
            self.err(node.source, Code.BAD_VALUE, f"{what} `{_short(node.raw)}` is not a headcount",
                     "write a number such as `3`, or a range such as `\"5-10\"`")
            return None
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a number or a range, not {_kind(node)}",
                 "write a number such as `3`, or a range such as `\"5-10\"`")
        return None

    def extra(self, ymap: YMap) -> Any:
        node = ymap.get("extra")
        if node is None:
            return MappingProxyType({})
        if not isinstance(node, YMap):
            self.err(node.source, Code.WRONG_TYPE, "`extra` must be a mapping")
            return MappingProxyType({})
        return MappingProxyType({k: _plain(v) for k, (_, v) in node.items.items()})

    # -- duty lists --------------------------------------------------------
    def duty_list(self, node: YNode | None, what: str) -> m.DutyList:
        out: list[m.Duty | m.DutyGroup] = []
        for item in self.list_of(node, what):
            if isinstance(item, YMap) and "items" in item.items or (isinstance(item, YMap) and "title" in item.items):
                grp = self.mapping(item, f"a group of {what}", GROUP_KEYS)
                assert grp is not None
                title = self.required_text(grp, "title", f"a group of {what}")
                items_node = grp.get("items")
                if items_node is None:
                    self.err(grp.source, Code.MISSING_FIELD, f"a group of {what} has no `items`",
                             "a group is `{title: ..., items: [...]}`")
                duties: list[m.Duty] = []
                for sub in self.list_of(items_node, f"the items of a group of {what}"):
                    if isinstance(sub, YMap) and ("items" in sub.items or "title" in sub.items):
                        self.err(sub.source, Code.WRONG_TYPE, f"groups in {what} cannot be nested",
                                 "one level of grouping only: move the items up")
                        continue
                    d = self.duty(sub, what)
                    if d is not None:
                        duties.append(d)
                if title is not None:
                    out.append(m.DutyGroup(title, tuple(duties), grp.source))
            else:
                d = self.duty(item, what)
                if d is not None:
                    out.append(d)
        return tuple(out)

    def duty(self, node: YNode, what: str) -> m.Duty | None:
        if isinstance(node, YMap):
            dm = self.mapping(node, f"an item of {what}", DUTY_KEYS)
            assert dm is not None
            text = self.required_text(dm, "text", f"an item of {what}")
            if text is None:
                return None
            return m.Duty(text, self.text(dm.get("kpi"), "`kpi`"), self.text(dm.get("frequency"), "`frequency`"),
                          dm.source)
        if isinstance(node, YList):
            self.err(node.source, Code.WRONG_TYPE, f"an item of {what} must be a text, a duty or a group, not a list")
            return None
        text = self.text(node, f"an item of {what}")
        return None if text is None else m.Duty(text, source=node.source)

    # -- objects -----------------------------------------------------------
    def read_file(self, f: DataFile) -> None:
        if f.root is None or (isinstance(f.root, YScalar) and f.root.is_null):
            return  # an empty file, or one holding only `---` or `~`
        top = self.mapping(f.root, f"the top level of {f.path}", TOP_KEYS)
        if top is None:
            return
        if (node := top.get("company")) is not None:
            self.read_company(node)
        for node in self.list_of(top.get("departments"), "`departments`"):
            self.read_department(node)
        for node in self.list_of(top.get("roles"), "`roles`"):
            self.read_role(node)
        for node in self.list_of(top.get("people"), "`people`"):
            self.read_person(node)
        for node in self.list_of(top.get("processes"), "`processes`"):
            self.read_process(node)

    def read_company(self, node: YNode) -> None:
        cm = self.mapping(node, "`company`", COMPANY_KEYS)
        if cm is None:
            return
        name = self.required_text(cm, "name", "the company")
        doc = m.DocumentControl()
        dnode = self.mapping(cm.get("document"), "`document`", DOCUMENT_KEYS)
        if dnode is not None:
            history = []
            for h in self.list_of(dnode.get("history"), "`history`"):
                hm = self.mapping(h, "a `history` entry", HISTORY_KEYS)
                if hm is None:
                    continue
                rev = self.required_text(hm, "revision", "a `history` entry")
                date_node = hm.get("date")
                if date_node is None:
                    self.err(hm.source, Code.MISSING_FIELD, "a `history` entry has no `date`")
                date = self.date(date_node, "`date`")
                if rev is not None and date is not None:
                    history.append(m.Revision(str(rev), date, self.text(hm.get("author"), "`author`"),
                                              self.text(hm.get("approved_by"), "`approved_by`"),
                                              self.text(hm.get("summary"), "`summary`")))
            doc = m.DocumentControl(
                number=self.text(dnode.get("number"), "`number`"),
                title=self.text(dnode.get("title"), "`title`"),
                revision=self.text(dnode.get("revision"), "`revision`"),
                status=self.text(dnode.get("status"), "`status`"),
                effective=self.date(dnode.get("effective"), "`effective`"),
                review_due=self.date(dnode.get("review_due"), "`review_due`"),
                prepared_by=self.approval(dnode.get("prepared_by"), "`prepared_by`"),
                reviewed_by=self.approval(dnode.get("reviewed_by"), "`reviewed_by`"),
                approved_by=self.approval(dnode.get("approved_by"), "`approved_by`"),
                distribution=self.texts(dnode.get("distribution"), "`distribution`"),
                history=tuple(history),
            )
        if name is not None:
            self.companies.append((m.Company(name, self.text(cm.get("short_name"), "`short_name`"),
                                             self.text(cm.get("description"), "`description`"), doc,
                                             self.extra(cm), cm.source), cm.source))
        else:
            self.companies.append((m.Company(m.Text.plain("?"), source=cm.source), cm.source))

    def approval(self, node: YNode | None, what: str) -> m.Approval | None:
        am = self.mapping(node, what, APPROVAL_KEYS)
        if am is None:
            return None
        name = self.required_text(am, "name", what)
        if name is None:
            return None
        return m.Approval(name, self.text(am.get("title"), "`title`"), self.date(am.get("date"), "`date`"))

    def _register(self, kind: str, ident: str | None, source: Source) -> bool:
        if ident is None:
            return False
        key = (kind, ident)
        if key in self.id_sources:
            first = self.id_sources[key]
            self.err(source, Code.DUPLICATE_ID, f"duplicate {kind} id `{ident}` (first defined at {first})",
                     f"{kind} ids must be unique in the whole handbook", (first,))
            return False
        self.id_sources[key] = source
        return True

    def read_department(self, node: YNode) -> None:
        dm = self.mapping(node, "a department", DEPARTMENT_KEYS, "department")
        if dm is None:
            return
        ident = self.ident(dm, "department", "a department")
        what = f"department `{ident}`" if ident else "a department"
        name = self.required_text(dm, "name", what)
        dept = m.Department(
            id=ident or "",
            name=name or m.Text.plain(ident or "?"),
            code=self.text(dm.get("code"), "`code`"),
            parent=self.ref(dm.get("parent"), "department", f"the parent of {what}"),
            category=self.text(dm.get("category"), "`category`"),
            head=self.ref(dm.get("head"), "role", f"the head of {what}"),
            purpose=self.text(dm.get("purpose"), "`purpose`"),
            functions=self.duty_list(dm.get("functions"), "`functions`"),
            authority=self.duty_list(dm.get("authority"), "`authority`"),
            goals=self.duty_list(dm.get("goals"), "`goals`"),
            kpis=self.duty_list(dm.get("kpis"), "`kpis`"),
            order=self.integer(dm.get("order"), "`order`"),
            extra=self.extra(dm),
            source=dm.source,
        )
        if self._register("department", ident, dm.source) and name is not None:
            self.departments.append(dept)
            if dm.get("head") is not None:
                self.field_sources[("department", dept.id, "head")] = dm.get("head").source  # type: ignore[union-attr]
            if dm.get("parent") is not None:
                self.field_sources[("department", dept.id, "parent")] = dm.get("parent").source  # type: ignore[union-attr]

    def read_role(self, node: YNode) -> None:
        rm = self.mapping(node, "a role", ROLE_KEYS, "role")
        if rm is None:
            return
        ident = self.ident(rm, "role", "a role")
        what = f"role `{ident}`" if ident else "a role"
        title = self.required_text(rm, "title", what)
        dep_node = rm.get("department")
        if dep_node is None:
            self.err(rm.source, Code.MISSING_FIELD, f"{what} has no `department`",
                     "every role belongs to a department: `department: <department id>`")
        department = self.ref(dep_node, "department", f"the department of {what}")
        resp_node = rm.get("responsibilities")
        responsibilities = self.duty_list(resp_node, "`responsibilities`")
        if resp_node is None:
            self.err(rm.source, Code.MISSING_FIELD, f"{what} has no `responsibilities`",
                     "list the role's duties (岗位职责) under `responsibilities:`")
        elif isinstance(resp_node, YList) and not resp_node.items or (
                isinstance(resp_node, YScalar) and resp_node.is_null):
            self.err(resp_node.source, Code.BAD_VALUE, f"the `responsibilities` of {what} are empty",
                     "a role needs at least one duty")
        reports_to = self.ref(rm.get("reports_to"), "role", f"`reports_to` of {what}")
        if reports_to is not None and reports_to == ident:
            self.err(rm.get("reports_to").source, Code.CYCLE, f"{what} reports to itself")  # type: ignore[union-attr]
            reports_to = None
        role = m.Role(
            id=ident or "",
            title=title or m.Text.plain(ident or "?"),
            department=department or "",
            responsibilities=responsibilities,
            code=self.text(rm.get("code"), "`code`"),
            reports_to=reports_to,
            dotted_line_to=self.refs_list(rm.get("dotted_line_to"), "role", f"`dotted_line_to` of {what}"),
            headcount=self.headcount(rm.get("headcount"), "`headcount`"),
            grade=self.text(rm.get("grade"), "`grade`"),
            purpose=self.text(rm.get("purpose"), "`purpose`"),
            authority=self.duty_list(rm.get("authority"), "`authority`"),
            qualifications=self.qualifications(rm.get("qualifications")),
            kpis=self.duty_list(rm.get("kpis"), "`kpis`"),
            relations=self.relations(rm.get("relations")),
            work_environment=self.text(rm.get("work_environment"), "`work_environment`"),
            order=self.integer(rm.get("order"), "`order`"),
            extra=self.extra(rm),
            source=rm.source,
        )
        if self._register("role", ident, rm.source) and title is not None and department:
            self.roles.append(role)
            if rm.get("reports_to") is not None:
                self.field_sources[("role", role.id, "reports_to")] = rm.get("reports_to").source  # type: ignore[union-attr]
            if rm.get("headcount") is not None:
                self.field_sources[("role", role.id, "headcount")] = rm.get("headcount").source  # type: ignore[union-attr]

    def qualifications(self, node: YNode | None) -> m.Qualifications:
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return m.Qualifications()
        if isinstance(node, YMap):
            qm = self.mapping(node, "`qualifications`", QUALIFICATION_KEYS)
            assert qm is not None
            return m.Qualifications(
                education=self.text(qm.get("education"), "`education`"),
                experience=self.text(qm.get("experience"), "`experience`"),
                skills=self.texts(qm.get("skills"), "`skills`"),
                certificates=self.texts(qm.get("certificates"), "`certificates`"),
                training=self.texts(qm.get("training"), "`training`"),
            )
        return m.Qualifications(other=self.texts(node, "`qualifications`"))

    def relations(self, node: YNode | None) -> m.Relations:
        rm = self.mapping(node, "`relations`", RELATION_KEYS)
        if rm is None:
            return m.Relations()
        return m.Relations(self.texts(rm.get("internal"), "`internal`"), self.texts(rm.get("external"), "`external`"))

    def read_person(self, node: YNode) -> None:
        pm = self.mapping(node, "a person", PERSON_KEYS)
        if pm is None:
            return
        ident = self.ident(pm, "person", "a person", required=False)
        name = self.required_text(pm, "name", f"person `{ident}`" if ident else "a person")
        assignments = []
        for a in self.list_of(pm.get("assignments"), "`assignments`"):
            if isinstance(a, YScalar) and not a.is_null:  # shorthand: just a role id
                role = self.ref(a, "role", "an assignment")
                if role:
                    assignments.append(m.Assignment(role, "primary", None, a.source))
                continue
            am = self.mapping(a, "an assignment", ASSIGNMENT_KEYS)
            if am is None:
                continue
            if am.get("role") is None:
                self.err(am.source, Code.MISSING_FIELD, "an assignment has no `role`", "write `role: <role id>`")
                continue
            role = self.ref(am.get("role"), "role", "an assignment")
            kind = "primary"
            tnode = am.get("type")
            if tnode is not None:
                raw = tnode.raw.strip() if isinstance(tnode, YScalar) else ""
                aliases = {"兼任": "concurrent", "代理": "acting", "主岗": "primary"}
                raw = aliases.get(raw, raw)
                if raw in m.ASSIGNMENT_TYPES:
                    kind = raw
                else:
                    guess = _close(raw, m.ASSIGNMENT_TYPES)
                    self.err(tnode.source, Code.BAD_VALUE, f"assignment type `{raw}` is not one of "
                             + ", ".join(m.ASSIGNMENT_TYPES),
                             f"did you mean `{guess}`?" if guess else "primary (主岗), concurrent (兼任) or acting (代理)")
            if role:
                assignments.append(m.Assignment(role, kind, self.date(am.get("since"), "`since`"), am.source))  # type: ignore[arg-type]
        if ident is not None and not self._register("person", ident, pm.source):
            return
        if name is not None:
            key = ident or f"person-{len(self.people) + 1}"
            self.people.append(m.Person(key, name, tuple(assignments), ident, self.extra(pm), pm.source))

    def read_process(self, node: YNode) -> None:
        pm = self.mapping(node, "a process", PROCESS_KEYS)
        if pm is None:
            return
        ident = self.ident(pm, "process", "a process")
        what = f"process `{ident}`" if ident else "a process"
        name = self.required_text(pm, "name", what)
        steps: list[m.Step] = []
        seen: dict[str, Source] = {}
        for s in self.list_of(pm.get("steps"), "`steps`"):
            sm = self.mapping(s, "a step", STEP_KEYS)
            if sm is None:
                continue
            sid = self.ident(sm, "step", f"a step of {what}")
            action = self.required_text(sm, "action", f"step `{sid}`" if sid else "a step")
            nexts = []
            for n in self.list_of(sm.get("next"), "`next`", allow_single=True):
                if isinstance(n, YMap):
                    nm = self.mapping(n, "a `next` entry", NEXT_KEYS)
                    assert nm is not None
                    if nm.get("to") is None:
                        self.err(nm.source, Code.MISSING_FIELD, "a `next` entry has no `to`",
                                 "write `{to: <step id>, label: <text>}`")
                        continue
                    to = self.ref(nm.get("to"), "step", f"`next` of step `{sid}`", ident)
                    if to:
                        nexts.append(m.Transition(to, self.text(nm.get("label"), "`label`")))
                else:
                    to = self.ref(n, "step", f"`next` of step `{sid}`", ident)
                    if to:
                        nexts.append(m.Transition(to))
            step = m.Step(sid or "", action or m.Text.plain("?"),
                          self.ref(sm.get("role"), "role", f"the role of step `{sid}` in {what}"),
                          tuple(nexts), self.text(sm.get("record"), "`record`"), sm.source)
            if sid is not None:
                if sid in seen:
                    self.err(sm.source, Code.DUPLICATE_ID, f"duplicate step id `{sid}` in {what} (first at {seen[sid]})",
                             "step ids must be unique within their process", (seen[sid],))
                else:
                    seen[sid] = sm.source
                    if action is not None:
                        steps.append(step)
        raci = []
        for r in self.list_of(pm.get("raci"), "`raci`"):
            rm = self.mapping(r, "a RACI row", RACI_KEYS)
            if rm is None:
                continue
            activity = self.required_text(rm, "activity", "a RACI row")
            row = m.RaciRow(activity or m.Text.plain("?"),
                            self.refs_list(rm.get("R"), "role", "`R` of a RACI row"),
                            self.refs_list(rm.get("A"), "role", "`A` of a RACI row"),
                            self.refs_list(rm.get("C"), "role", "`C` of a RACI row"),
                            self.refs_list(rm.get("I"), "role", "`I` of a RACI row"),
                            rm.source)
            if activity is not None:
                raci.append(row)
        proc = m.Process(ident or "", name or m.Text.plain("?"),
                         self.ref(pm.get("owner"), "role", f"the owner of {what}"),
                         self.text(pm.get("purpose"), "`purpose`"), self.text(pm.get("trigger"), "`trigger`"),
                         tuple(steps), tuple(raci), self.integer(pm.get("order"), "`order`"), self.extra(pm),
                         pm.source)
        if self._register("process", ident, pm.source) and name is not None:
            self.processes.append(proc)

    # -- cross-object checks -------------------------------------------------
    def resolve_refs(self) -> None:
        depts = {d.id: d for d in self.departments}
        roles = {r.id: r for r in self.roles}
        steps = {p.id: {s.id for s in p.steps} for p in self.processes}
        for ref in self.refs:
            if ref.kind == "department":
                if ref.target in depts or ("department", ref.target) in self.id_sources:
                    continue
                self.err(ref.source, Code.DANGLING_REF, f"{ref.what}: no department has the id `{ref.target}`",
                         _ref_hint(ref.target, {d.id: d.name for d in self.departments}, "department"))
            elif ref.kind == "role":
                if ref.target in roles or ("role", ref.target) in self.id_sources:
                    continue
                self.err(ref.source, Code.DANGLING_REF, f"{ref.what}: no role has the id `{ref.target}`",
                         _ref_hint(ref.target, {r.id: r.title for r in self.roles}, "role"))
            elif ref.kind == "step":
                known = steps.get(ref.scope or "", set())
                if ref.target in known or ref.scope not in steps:
                    continue
                guess = _close(ref.target, known)
                self.err(ref.source, Code.DANGLING_REF,
                         f"{ref.what}: process `{ref.scope}` has no step `{ref.target}`",
                         f"did you mean `{guess}`?" if guess else "steps: " + ", ".join(f"`{s}`" for s in sorted(known)))

    def break_cycles(self, items: list[T], kind: str, attr: str) -> list[T]:
        """Report cycles in a parent-like reference and cut them so derived data is finite."""
        by_id = {getattr(x, "id"): x for x in items}
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        cut: set[str] = set()
        for start in by_id:
            path: list[str] = []
            cur: str | None = start
            while cur is not None and cur in by_id and state.get(cur) != 2:
                if state.get(cur) == 1:
                    cycle = path[path.index(cur):]
                    first = min(cycle, key=lambda i: (by_id[i].source.path, by_id[i].source.line))
                    shown = " → ".join(cycle[cycle.index(first):] + cycle[:cycle.index(first)] + [first])
                    src = self.field_sources.get((kind, first, attr), by_id[first].source)
                    self.err(src, Code.CYCLE, f"`{attr}` forms a cycle: {shown}",
                             f"one of these {kind}s must {'be top level' if kind == 'department' else 'report elsewhere'}",
                             tuple(by_id[i].source for i in cycle if i != first))
                    cut.add(first)
                    break
                state[cur] = 1
                path.append(cur)
                cur = getattr(by_id[cur], attr)
            for p in path:
                state[p] = 2
        return [replace(x, **{attr: None}) if getattr(x, "id") in cut else x for x in items]  # type: ignore[call-overload]

    # -- assembling ------------------------------------------------------------
    def assemble(self, sources: tuple[str, ...], complete: bool = True) -> m.Handbook | None:
        if len(self.companies) != 1:
            if not self.companies and not complete:
                pass  # a file that failed to load may hold it: don't pile on
            elif not self.companies:
                where = Source(sources[0] if sources else "<data>")
                self.err(where, Code.COMPANY_COUNT, "no `company` in the data",
                         "add a `company:` block with at least `name:` to one file, e.g. company.yaml")
            else:
                first = self.companies[0][1]
                for _, src in self.companies[1:]:
                    self.err(src, Code.COMPANY_COUNT, f"a second `company` (the first is at {first})",
                             "keep exactly one `company` across all files", (first,))
        self.resolve_refs()
        dept_ids = {d.id for d in self.departments}
        role_ids = {r.id for r in self.roles if r.department in dept_ids}  # the roles kept below
        # drop dangling references so derived data only sees real objects
        departments = [replace(d, parent=d.parent if d.parent in dept_ids else None,
                               head=d.head if d.head in role_ids else None) for d in self.departments]
        roles = [replace(r, reports_to=r.reports_to if r.reports_to in role_ids else None,
                         dotted_line_to=tuple(x for x in r.dotted_line_to if x in role_ids))
                 for r in self.roles if r.department in dept_ids]
        departments = self.break_cycles(departments, "department", "parent")
        roles = self.break_cycles(roles, "role", "reports_to")
        company = self.companies[0][0] if self.companies else m.Company(m.Text.plain("?"))
        hb = derive(company, departments, roles, self.people, self.processes, sources)
        self.warnings(hb)
        return hb

    def warnings(self, hb: m.Handbook) -> None:
        for d in hb.departments.values():
            if d.head and hb.roles[d.head].department != d.id:
                other = hb.roles[d.head].department
                self.err(self.field_sources.get(("department", d.id, "head"), d.source), Code.HEAD_OUTSIDE_DEPARTMENT,
                         f"the head of department `{d.id}` is role `{d.head}`, which belongs to department `{other}`",
                         f"move the role to `{d.id}` or choose a head among its roles")
            if not hb.department_total_roles.get(d.id):
                self.err(d.source, Code.EMPTY_DEPARTMENT, f"department `{d.id}` has no roles",
                         f"add roles with `department: {d.id}`, or remove the department")
        for r in hb.roles.values():
            st = hb.role_staffing[r.id]
            if st.over:
                names = ", ".join(str(h.person.name) for h in hb.holders[r.id] if h.assignment.type != "acting")
                self.err(self.field_sources.get(("role", r.id, "headcount"), r.source), Code.OVER_HEADCOUNT,
                         f"role `{r.id}` has {st.filled} people ({names}) but a headcount of {st.headcount} (超编)",
                         "raise the headcount or reassign someone",
                         tuple(h.assignment.source for h in hb.holders[r.id]))
            if not r.qualifications:
                self.err(r.source, Code.NO_QUALIFICATIONS, f"role `{r.id}` has no `qualifications` (任职资格)",
                         "ISO 9001 clause 7.2 asks for the competence each role needs")
        for p in hb.processes.values():
            for row in p.raci:
                if len(row.accountable) != 1:
                    self.err(row.source, Code.RACI_ACCOUNTABLE,
                             f"RACI row `{row.activity}` of process `{p.id}` has {len(row.accountable)} accountable roles",
                             "exactly one role is accountable (A) for an activity")
                if not row.responsible:
                    self.err(row.source, Code.RACI_RESPONSIBLE,
                             f"RACI row `{row.activity}` of process `{p.id}` has no responsible role (R)",
                             "name at least one role that does the work")
            if p.steps:
                reach = {p.steps[0].id}
                todo = [p.steps[0]]
                while todo:
                    s = todo.pop()
                    for t in s.next:
                        if t.to not in reach and (nxt := p.step(t.to)) is not None:
                            reach.add(t.to)
                            todo.append(nxt)
                for s in p.steps:
                    if s.id not in reach:
                        self.err(s.source, Code.UNREACHABLE_STEP,
                                 f"step `{s.id}` of process `{p.id}` cannot be reached from the first step `{p.steps[0].id}`",
                                 "add it to the `next` of an earlier step, or remove it")


def _sorted_by_order(items: list[T]) -> list[T]:
    """Siblings with an `order` first, by it; the others after them, in file order."""
    return sorted(items, key=lambda x: (getattr(x, "order") is None, getattr(x, "order") or 0))


def derive(company: m.Company, departments: list[m.Department], roles: list[m.Role], people: list[m.Person],
           processes: list[m.Process], sources: tuple[str, ...] = ()) -> m.Handbook:
    """Build the handbook and its derived relations from already-checked objects."""
    children: dict[str | None, list[m.Department]] = defaultdict(list)
    for d in departments:
        children[d.parent].append(d)
    ordered_depts: list[m.Department] = []
    stack = list(reversed(_sorted_by_order(children[None])))
    while stack:
        d = stack.pop()
        ordered_depts.append(d)
        stack.extend(reversed(_sorted_by_order(children[d.id])))
    roles_by_dept: dict[str, list[m.Role]] = defaultdict(list)
    for r in roles:
        roles_by_dept[r.department].append(r)
    ordered_roles: list[m.Role] = []
    department_roles: dict[str, tuple[str, ...]] = {}
    for d in ordered_depts:
        rs = _sorted_by_order(roles_by_dept.get(d.id, []))
        ordered_roles.extend(rs)
        department_roles[d.id] = tuple(r.id for r in rs)
    role_ids = {r.id for r in ordered_roles}
    direct: dict[str, list[str]] = defaultdict(list)
    dotted: dict[str, list[str]] = defaultdict(list)
    for r in ordered_roles:
        if r.reports_to:
            direct[r.reports_to].append(r.id)
        for t in r.dotted_line_to:
            dotted[t].append(r.id)
    holders: dict[str, list[m.Holder]] = defaultdict(list)
    rank = {"primary": 0, "concurrent": 1, "acting": 2}
    for p in people:
        for a in p.assignments:
            if a.role in role_ids:
                holders[a.role].append(m.Holder(p, a))
    role_staffing = {r.id: m.staffing_for(r.headcount, tuple(sorted(holders[r.id], key=lambda h: rank[h.assignment.type])))
                     for r in ordered_roles}
    dept_staff: dict[str, m.Staffing] = {}
    for d in ordered_depts:
        total = m.EMPTY_STAFFING
        for rid in department_roles[d.id]:
            total = total + role_staffing[rid]
        dept_staff[d.id] = total
    subdepartments = {d.id: tuple(c.id for c in _sorted_by_order(children[d.id])) for d in ordered_depts}
    total_staff: dict[str, m.Staffing] = {}
    total_roles: dict[str, int] = {}
    for d in reversed(ordered_depts):  # children come after parents in tree order
        st = dept_staff[d.id]
        n = len(department_roles[d.id])
        for c in subdepartments[d.id]:
            st = st + total_staff[c]
            n += total_roles[c]
        total_staff[d.id] = st
        total_roles[d.id] = n
    company_staff = m.EMPTY_STAFFING
    top = tuple(d.id for d in _sorted_by_order(children[None]))
    for d in top:
        company_staff = company_staff + total_staff[d]
    ordered_procs = _sorted_by_order(list(processes))
    role_procs: dict[str, list[str]] = defaultdict(list)
    for p in ordered_procs:
        involved = [p.owner] + [s.role for s in p.steps]
        for row in p.raci:
            involved += [*row.responsible, *row.accountable, *row.consulted, *row.informed]
        for rid in involved:
            if rid and rid in role_ids and p.id not in role_procs[rid]:
                role_procs[rid].append(p.id)
    fz = MappingProxyType
    hb = m.Handbook(
        company=company,
        departments=fz({d.id: d for d in ordered_depts}),
        roles=fz({r.id: r for r in ordered_roles}),
        people=tuple(people),
        processes=fz({p.id: p for p in ordered_procs}),
        top_departments=top,
        subdepartments=fz(subdepartments),
        department_roles=fz(department_roles),
        direct_reports=fz({k: tuple(v) for k, v in direct.items()}),
        dotted_reports=fz({k: tuple(v) for k, v in dotted.items()}),
        holders=fz({k: tuple(sorted(v, key=lambda h: rank[h.assignment.type])) for k, v in holders.items()}),
        role_staffing=fz(role_staffing),
        department_staffing=fz(dept_staff),
        department_total_staffing=fz(total_staff),
        company_staffing=company_staff,
        department_total_roles=fz(total_roles),
        role_processes=fz({k: tuple(v) for k, v in role_procs.items()}),
        sources=sources,
    )
    return hb


def build(files: list[DataFile], load_problems: Sequence[Problem] = ()) -> Result:
    """Check the loaded files and build the handbook (``None`` if there are errors)."""
    b = _Builder()
    b.problems.extend(load_problems)
    for f in files:
        b.read_file(f)
    complete = not any(p.code in (Code.IO_ERROR, Code.ENCODING, Code.YAML_SYNTAX) for p in load_problems)
    hb = b.assemble(tuple(f.path for f in files), complete)
    problems = sort_problems(b.problems)
    ok = not any(p.is_error for p in problems)
    return Result(hb if ok else None, problems, files)


def check_dir(folder: str) -> Result:
    """Load and check a data folder: the one entry point for the CLI and the extension."""
    files, problems = load_dir(folder)
    with gc_paused():
        return build(files, problems)


# -- small helpers -----------------------------------------------------------------
def _kind(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YList):
        return "a list"
    if node.is_null:
        return "nothing (null)"
    v = node.value
    if isinstance(v, bool):
        return f"a true/false value (`{node.raw}`)"
    if isinstance(v, (int, float)):
        return f"a number (`{node.raw}`)"
    return f"a text (`{_short(node.raw)}`)"


def _short(s: str, n: int = 30) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def _shape_hint(node: YNode) -> str:
    if isinstance(node, YScalar):
        return "check the indentation: the lines that belong here must be indented below this key"
    return ""


def _id_hint(value: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-_")[:64]
    if slug and ID_RE.match(slug):
        return f"ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `{slug}`"
    return "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `cs-manager`; put the Chinese name in `name`/`title`"


def _ref_hint(target: str, titles: dict[str, m.Text], kind: str) -> str:
    guess = _close(target, titles)
    if guess:
        return f"did you mean `{guess}`?"
    for ident, title in titles.items():  # a title written where the id belongs
        if target in title.all_strings():
            return f"`{target}` is the name of {kind} `{ident}`; references use the id: `{ident}`"
    return f"references use the {kind}'s `id`, not its name"


def _plain(node: YNode, memo: dict[int, Any] | None = None) -> Any:
    """Free `extra:` data as plain values (shared YAML aliases stay shared, not expanded)."""
    if isinstance(node, YScalar):
        return node.value if not isinstance(node.value, (dt.date,)) else node.value.isoformat()
    memo = {} if memo is None else memo
    if id(node) not in memo:
        if isinstance(node, YList):
            memo[id(node)] = tuple(_plain(x, memo) for x in node.items)
        else:
            memo[id(node)] = MappingProxyType({k: _plain(v, memo) for k, (_, v) in node.items.items()})
    return memo[id(node)]
