"""Each kind of object of the data files -> model objects.

:class:`ObjectReader` walks a file's top level and reads every company, department,
role, person and process — and the objects nested in them (approvals, history entries,
assignments, steps, RACI rows …) — with the fields :mod:`handbook.schema` declares, into
the frozen dataclasses of :mod:`handbook.model`. What is specific to a kind (how its
messages name it, a role that reports to itself, ids unique per process) is here;
typed reading is :mod:`handbook.readers`' job and the checks across objects are
:mod:`handbook.checks`'. No Sphinx imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from handbook import model as m
from handbook import records
from handbook import status as st
from handbook.problems import Code, Source
from handbook.schema import KINDS, Field
from handbook.validate.located_yaml import DataFile, YList, YMap, YNode, YScalar
from handbook.validate.values import LANG_RE, Reader, is_null

#: nested kinds read generically: the model class each one becomes
MODELS: dict[str, type] = {
    "document": m.DocumentControl,
    "approval": m.Approval,
    "copy": m.Copy,
    "revision": m.Revision,
    "review": m.Review,
    "qualifications": m.Qualifications,
    "relations": m.Relations,
    "assignment": m.Assignment,
    "next": m.Transition,
    "raci": m.RaciRow,
    "clause_owner": m.ClauseOwner,
    "acknowledgement": records.Acknowledgement,
}
#: model classes that remember where they were written
_LOCATED = {m.Assignment, m.RaciRow, m.Step, m.Copy, m.Revision, m.Review, m.ClauseOwner, records.Acknowledgement}


class ObjectReader(Reader):
    """Reads whole files into lists of model objects (references not yet checked)."""

    def __init__(self, statuses: Mapping[str, st.Status] | None = None) -> None:
        super().__init__()
        #: the known document statuses (built in, or as conf.py's handbook_document_statuses has them)
        self.statuses = dict(statuses) if statuses is not None else st.builtin()
        known = st.StatusField.of(self.statuses)
        self.field_overrides[("document", "status")] = replace(
            KINDS["document"].field("status"), choices=known.choices, aliases=known.aliases
        )
        self.companies: list[tuple[m.Company, Source]] = []
        self.departments: list[m.Department] = []
        self.roles: list[m.Role] = []
        self.people: list[m.Person] = []
        self.processes: list[m.Process] = []
        self.acknowledgements: list[records.Acknowledgement] = []
        self.id_sources: dict[tuple[str, str], Source] = {}

    # -- files and top-level objects ------------------------------------------------------
    def read_file(self, f: DataFile) -> None:
        if f.root is None or (isinstance(f.root, YScalar) and f.root.is_null):
            return  # an empty file, or one holding only `---` or `~`
        top = self.mapping(f.root, f"the top level of {f.path}", KINDS["file"].keys())
        if top is None:
            return
        if (node := top.get("company")) is not None:
            self.company(node)
        for key, read in (
            ("departments", self.department),
            ("roles", self.role),
            ("people", self.person),
            ("processes", self.process),
        ):
            for node in self.list_of(top.get(key), f"`{key}`"):
                read(node)
        if (node := top.get("acknowledgements")) is not None:
            self.acknowledgements.extend(self.nested(node, KINDS["file"].field("acknowledgements"), f.path))

    def company(self, node: YNode) -> None:
        cm = self.mapping(node, "`company`", KINDS["company"].keys())
        if cm is None:  # reported; it is still the one company (no "no `company`" on top)
            self.companies.append((m.Company(m.Text.plain("?"), source=node.source), node.source))
            return
        values = self.fields(cm, "company", "the company", skip=())
        if values["document"] is None:
            values["document"] = m.DocumentControl()
        else:
            values["document"] = self.document(values["document"], cm.get("document"))
        if is_null(cm.get("required_clauses")):
            values["required_clauses"] = None  # absent: the standard's default set
        if values["name"] is None:
            self.companies.append((m.Company(m.Text.plain("?"), source=cm.source), cm.source))
            return
        self.companies.append((m.Company(**values, source=cm.source), cm.source))

    def document(self, doc: m.DocumentControl, node: YNode | None) -> m.DocumentControl:
        """The status with its marking; where each field was written (for the checks); copy numbers."""
        if isinstance(node, YMap):
            for key, (_ksrc, value) in node.items.items():
                self.field_sources[("document", "document", key)] = value.source
        seen: dict[tuple[str, int], Source] = {}
        current = doc.revision.get(None) if doc.revision else ""
        for c in doc.distribution:
            for attr in ("copy", "count"):
                n = getattr(c, attr)
                if n is not None and n < 1:
                    self.err(
                        c.source,
                        Code.BAD_VALUE,
                        f"`{attr}` of the distribution entry of {c.holder} is {n}",
                        "copy numbers and counts start at 1",
                    )
            if c.copy is None or c.copy < 1:
                continue
            key = (c.revision.get(None) if c.revision else current, c.copy)  # copy 3 of B/0 and of B/1
            if key in seen:
                self.err(
                    c.source,
                    Code.DUPLICATE_ID,
                    f"copy number {c.copy} is given twice in `distribution` (first at {seen[key]})",
                    "each controlled copy has its own number",
                    (seen[key],),
                )
            seen.setdefault(key, c.source)
        status = self.statuses.get(doc.status) if isinstance(doc.status, str) else doc.status
        return replace(doc, status=status)

    def _top(self, node: YNode, kind: str) -> tuple[YMap, str | None, str] | None:
        """The mapping, id and the name messages use ("role `cs-manager`") of a top-level object."""
        k = KINDS[kind]
        ymap = self.mapping(node, k.what, k.keys(), kind)
        if ymap is None:
            return None
        idf = k.id_field
        assert idf is not None
        ident = self.ident(ymap, kind, k.what, required=idf.required, hint=idf.missing_hint)
        return ymap, ident, (f"{kind} `{ident}`" if ident else k.what)

    def _register(self, kind: str, ident: str | None, source: Source) -> bool:
        if ident is None:
            return False
        key = (kind, ident)
        if key in self.id_sources:
            first = self.id_sources[key]
            self.err(
                source,
                Code.DUPLICATE_ID,
                f"duplicate {kind} id `{ident}` (first defined at {first})",
                f"{kind} ids must be unique in the whole handbook",
                (first,),
            )
            return False
        self.id_sources[key] = source
        return True

    def _note_sources(self, kind: str, ident: str, ymap: YMap) -> None:
        """Where references and headcounts were written, for warnings about them."""
        for f in KINDS[kind].fields:
            node = ymap.get(f.key)
            if node is not None and (f.type in ("ref", "refs", "headcount") or f.key == "filled"):
                self.field_sources[(kind, ident, f.key)] = node.source

    def department(self, node: YNode) -> None:
        top = self._top(node, "department")
        if top is None:
            return
        dm, ident, what = top
        values = self.fields(dm, "department", what)
        if self._register("department", ident, dm.source) and values["name"] is not None:
            assert ident is not None
            self.departments.append(m.Department(id=ident, **values, source=dm.source))
            self._note_sources("department", ident, dm)

    def role(self, node: YNode) -> None:
        top = self._top(node, "role")
        if top is None:
            return
        rm, ident, what = top
        values = self.fields(rm, "role", what)
        resp = rm.get("responsibilities")
        if resp is not None and ((isinstance(resp, YList) and not resp.items) or is_null(resp)):
            self.err(
                resp.source,
                Code.BAD_VALUE,
                f"the `responsibilities` of {what} are empty",
                "a role needs at least one duty",
            )
        values["responsibilities"] = values["responsibilities"] or ()
        if values["reports_to"] is not None and values["reports_to"] == ident:
            self.err(rm.get("reports_to").source, Code.CYCLE, f"{what} reports to itself")  # type: ignore[union-attr]
            values["reports_to"] = None
        if values["qualifications"] is None:
            values["qualifications"] = m.Qualifications()
        if values["relations"] is None:
            values["relations"] = m.Relations()
        if self._register("role", ident, rm.source) and values["title"] is not None and values["department"]:
            assert ident is not None
            self.roles.append(m.Role(id=ident, **values, source=rm.source))
            self._note_sources("role", ident, rm)

    def person(self, node: YNode) -> None:
        top = self._top(node, "person")
        if top is None:
            return
        pm, ident, what = top
        name = pm.get("name")
        if ident is None and isinstance(name, YScalar) and name.raw.strip():  # no id: name them by name
            what = f"person `{name.raw.strip()}`"
        values = self.fields(pm, "person", what)
        if ident is not None and not self._register("person", ident, pm.source):
            return
        if values["name"] is not None:
            key = ident or f"person-{len(self.people) + 1}"
            self.people.append(m.Person(key=key, id=ident, **values, source=pm.source))

    def process(self, node: YNode) -> None:
        top = self._top(node, "process")
        if top is None:
            return
        pm, ident, what = top
        values = self.fields(pm, "process", what, scope=ident)
        # step ids are unique within their process
        steps: list[m.Step] = []
        seen: dict[str, Source] = {}
        for step in values["steps"]:
            if step.id in seen:
                self.err(
                    step.source,
                    Code.DUPLICATE_ID,
                    f"duplicate step id `{step.id}` in {what} (first at {seen[step.id]})",
                    "step ids must be unique within their process",
                    (seen[step.id],),
                )
                continue
            seen[step.id] = step.source
            steps.append(step)
        values["steps"] = tuple(steps)
        if self._register("process", ident, pm.source) and values["name"] is not None:
            assert ident is not None
            self.processes.append(m.Process(id=ident, **values, source=pm.source))

    # -- nested objects ------------------------------------------------------------------------
    def nested(self, node: YNode | None, f: Field, what: str, scope: str | None = None) -> Any:
        assert f.of is not None
        if f.type == "object":
            if is_null(node):
                return None
            if f.list_attr and not isinstance(node, YMap):  # e.g. qualifications as a plain list
                return MODELS[f.of](**{f.list_attr: self.texts(node, f"`{f.key}`")})
            return self.one(node, f.of, f"`{f.key}`", scope)
        out = []
        for item in self.list_of(node, f"`{f.key}`", allow_single=f.shorthand is not None):
            if f.shorthand is not None and (isinstance(item, YScalar) or _translated_text(item, f)):
                value = self.value(
                    YMap({f.shorthand: (item.source, item)}, item.source),
                    KINDS[f.of].field(f.shorthand),
                    f"{KINDS[f.of].what} of {what}",
                    scope,
                )
                cls = MODELS[f.of]
                obj = None if value is None else (cls(value, source=item.source) if cls in _LOCATED else cls(value))
            elif f.of == "step":
                obj = self.step(item, what, scope)
            else:
                obj = self.one(item, f.of, f"{KINDS[f.of].what} of {what}", scope)
            if obj is not None:
                out.append(obj)
        return tuple(out)

    def one(self, node: YNode, kind: str, what: str, scope: str | None = None) -> Any:
        """One nested mapping of ``kind`` read generically into its model class."""
        k = KINDS[kind]
        ymap = self.mapping(node, what, k.keys(), kind)
        if ymap is None:
            return None
        values = self.fields(ymap, kind, what, scope, skip=())
        if any(values[f.name] is None for f in k.fields if f.required):
            return None
        cls = MODELS[kind]
        if kind == "assignment" and values["type"] is None:
            values["type"] = "primary"
        return cls(**values, source=ymap.source) if cls in _LOCATED else cls(**values)

    def step(self, node: YNode, what: str, process: str | None) -> m.Step | None:
        k = KINDS["step"]
        sm = self.mapping(node, k.what, k.keys(), "step")
        if sm is None:
            return None
        idf = k.field("id")
        sid = self.ident(sm, "step", f"a step of {what}", hint=idf.missing_hint)
        values = self.fields(sm, "step", f"step `{sid}`" if sid else f"a step of {what}", process)
        if sid is None or values["action"] is None:
            return None
        return m.Step(id=sid, **values, source=sm.source)


def _translated_text(item: YNode, f: Field) -> bool:
    """A `{zh_CN: …, en: …}` item where a text shorthand stands for the object (a distribution name)."""
    assert f.of is not None and f.shorthand is not None
    kind = KINDS[f.of]
    return (
        isinstance(item, YMap)
        and kind.field(f.shorthand).type == "text"
        and bool(item.items)
        and all(LANG_RE.match(k) and k not in kind.keys() for k in item.items)
    )
