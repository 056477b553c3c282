"""Checks across objects: references, cycles, the company count, and the warnings.

Two stages. Before the handbook is derived, :func:`resolve_refs`, :func:`break_cycles`
and :func:`company_count` make sure every reference names a real object and no parent
chain loops (errors). After it, each function in :data:`CHECKS` looks at the finished
:class:`~handbook.model.Handbook` and yields warnings; adding a check is one function
here plus its :class:`~handbook.problems.Code`. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from handbook import model as m
from handbook.audit.clauses import catalog, leads_without_duty
from handbook.problems import Code, Problem, Source
from handbook.validate.typing_mistakes import fullwidth_id_hint, normalize_id
from handbook.validate.values import Ref, close_match

T = TypeVar("T")


# -- before deriving: references, cycles, one company ---------------------------------------
def company_count(
    companies: list[tuple[m.Company, Source]], sources: tuple[str, ...], complete: bool
) -> Iterator[Problem]:
    if len(companies) == 1:
        return
    if not companies:
        if complete:  # else a file that failed to load may hold it: don't pile on
            where = Source(sources[0] if sources else "<data>")
            yield Problem(
                where,
                Code.COMPANY_COUNT,
                "no `company` in the data",
                "add a `company:` block with at least `name:` to one file, e.g. company.yaml",
            )
        return
    first = companies[0][1]
    for _, src in companies[1:]:
        yield Problem(
            src,
            Code.COMPANY_COUNT,
            f"a second `company` (the first is at {first})",
            "keep exactly one `company` across all files",
            (first,),
        )


def resolve_refs(
    refs: list[Ref],
    departments: list[m.Department],
    roles: list[m.Role],
    processes: list[m.Process],
    declared: Mapping[tuple[str, str], Source],
    unread: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
) -> Iterator[Problem]:
    """Every reference names an object that exists (one declared but unreadable counts).

    ``unread``: the files that could not be read (path -> the (kind, id)s they appear to
    declare). A reference to one of those ids is not reported; any other unknown id is
    reported once, as possibly defined in such a file, never with a guess from the files
    that were read (the right object may well be in the unread one).
    """
    dept_names = {d.id: d.name for d in departments}
    role_names = {r.id: r.title for r in roles}
    process_names = {p.id: p.name for p in processes}
    steps = {p.id: {s.id for s in p.steps} for p in processes}
    salvaged = {key for ids in (unread or {}).values() for key in ids}
    pending: dict[tuple[str, str], list[Ref]] = {}  # unknown ids while some file is unread
    for ref in refs:
        if ref.kind in ("department", "role", "process"):
            names = {"department": dept_names, "role": role_names, "process": process_names}[ref.kind]
            if ref.target in names or (ref.kind, ref.target) in declared or (ref.kind, ref.target) in salvaged:
                continue
            if unread:
                pending.setdefault((ref.kind, ref.target), []).append(ref)
                continue
            yield Problem(
                ref.source,
                Code.DANGLING_REF,
                f"{ref.what}: no {ref.kind} has the id `{ref.target}`",
                ref_hint(ref.target, names, ref.kind),
            )
        elif ref.kind == "step":
            known = steps.get(ref.scope or "", set())
            if ref.target in known or ref.scope not in steps:
                continue
            guess = close_match(ref.target, known)
            yield Problem(
                ref.source,
                Code.DANGLING_REF,
                f"{ref.what}: process `{ref.scope}` has no step `{ref.target}`",
                f"did you mean `{guess}`?" if guess else "steps: " + ", ".join(f"`{s}`" for s in sorted(known)),
            )
    files = ", ".join(f"`{path}`" for path in (unread or {}))
    for (kind, target), found in pending.items():
        first = found[0]
        yield Problem(
            first.source,
            Code.DANGLING_REF,
            f"{first.what}: no {kind} has the id `{target}` in the files that could be read"
            + (f" ({len(found)} references)" if len(found) > 1 else ""),
            f"it may be defined in {files}, which could not be read: fix that first",
            tuple(r.source for r in found[1:]),
        )


def break_cycles(
    items: list[T], kind: str, attr: str, field_sources: Mapping[tuple[str, str, str], Source], problems: list[Problem]
) -> list[T]:
    """Report cycles in a parent-like reference and cut them so derived data is finite."""
    by_id = {x.id: x for x in items}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cut: set[str] = set()
    for start in by_id:
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in by_id and state.get(cur) != 2:
            if state.get(cur) == 1:
                cycle = path[path.index(cur) :]
                first = min(cycle, key=lambda i: (by_id[i].source.path, by_id[i].source.line))
                shown = " → ".join(cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first])
                src = field_sources.get((kind, first, attr), by_id[first].source)
                problems.append(
                    Problem(
                        src,
                        Code.CYCLE,
                        f"`{attr}` forms a cycle: {shown}",
                        f"one of these {kind}s must {'be top level' if kind == 'department' else 'report elsewhere'}",
                        tuple(by_id[i].source for i in cycle if i != first),
                    )
                )
                cut.add(first)
                break
            state[cur] = 1
            path.append(cur)
            cur = getattr(by_id[cur], attr)
        for p in path:
            state[p] = 2
    return [replace(x, **{attr: None}) if x.id in cut else x for x in items]  # type: ignore[call-overload]


def ref_hint(target: str, titles: Mapping[str, m.Text], kind: str) -> str:
    if normalize_id(target) in titles and normalize_id(target) != target:
        return fullwidth_id_hint(target)
    guess = close_match(target, titles)
    if guess:
        return f"did you mean `{guess}`?"
    for ident, title in titles.items():  # a title written where the id belongs
        if target in title.all_strings():
            return f"`{target}` is the name of {kind} `{ident}`; references use the id: `{ident}`"
    return f"references use the {kind}'s `id`, not its name"


# -- after deriving: warnings on the finished handbook ------------------------------------------
@dataclass(frozen=True)
class Context:
    """What a check may need beyond the handbook: where single fields were written, and the
    date the data is checked on (``None``: no check that depends on the date runs)."""

    field_sources: Mapping[tuple[str, str, str], Source]
    complete: bool = True  # False: some file could not be read; checks that need every object skip
    today: dt.date | None = None

    def at(self, kind: str, ident: str, key: str, default: Source) -> Source:
        return self.field_sources.get((kind, ident, key), default)


Check = Callable[[m.Handbook, Context], Iterator[Problem]]


def head_outside_department(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for d in hb.departments.values():
        if d.head and hb.roles[d.head].department != d.id:
            other = hb.roles[d.head].department
            yield Problem(
                ctx.at("department", d.id, "head", d.source),
                Code.HEAD_OUTSIDE_DEPARTMENT,
                f"the head of department `{d.id}` is role `{d.head}`, which belongs to department `{other}`",
                f"move the role to `{d.id}` or choose a head among its roles",
            )


def shared_with_own_department(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for r in hb.roles.values():
        if r.department in r.shared_with:
            yield Problem(
                ctx.at("role", r.id, "shared_with", r.source),
                Code.SHARED_WITH_OWN_DEPARTMENT,
                f"role `{r.id}` is shared with `{r.department}`, its own department",
                f"leave `{r.department}` out of `shared_with`: it lists the other departments the post serves",
            )


def empty_department(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    if not ctx.complete:  # its roles may be in the file that could not be read
        return
    for d in hb.departments.values():
        if not hb.department_total_roles.get(d.id):
            yield Problem(
                d.source,
                Code.EMPTY_DEPARTMENT,
                f"department `{d.id}` has no roles",
                f"add roles with `department: {d.id}`, or remove the department",
            )


def over_headcount(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for r in hb.roles.values():
        st = hb.role_staffing[r.id]
        if st.over:
            holders = hb.holders.get(r.id, ())
            names = ", ".join(str(h.person.name) for h in holders if h.assignment.type != "acting")
            yield Problem(
                ctx.at("role", r.id, "headcount", r.source),
                Code.OVER_HEADCOUNT,
                f"role `{r.id}` has {st.filled} people ({names}) but a headcount of {st.headcount} (超编)",
                "raise the headcount or reassign someone",
                tuple(h.assignment.source for h in holders),
            )


def filled_count(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for r in hb.roles.values():
        if r.filled is None:
            continue
        named = [h for h in hb.holders.get(r.id, ()) if h.assignment.type != "acting"]
        if len(named) > r.filled:
            yield Problem(
                ctx.at("role", r.id, "filled", r.source),
                Code.FILLED_COUNT,
                f"role `{r.id}` names {len(named)} holders but `filled` is {r.filled}",
                f"`filled` counts everyone in the post, named or not: write `filled: {len(named)}` or more",
                tuple(h.assignment.source for h in named),
            )


def no_qualifications(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for r in hb.roles.values():
        if not r.qualifications:
            yield Problem(
                r.source,
                Code.NO_QUALIFICATIONS,
                f"role `{r.id}` has no `qualifications` (任职资格)",
                "ISO 9001 clause 7.2 asks for the competence each role needs",
            )


def no_authority(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for r in hb.roles.values():
        if not r.authority:
            yield Problem(
                r.source,
                Code.NO_AUTHORITY,
                f"role `{r.id}` has no `authority` (工作权限)",
                "ISO 9001 clause 5.3 asks for each role's responsibilities and authorities: list what "
                "the role may decide, approve, release or stop under `authority:`",
            )


def vacant_performers(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    """Posts nobody holds (not even acting) that do a process step or are R or A in a RACI row."""
    work: dict[str, list[tuple[str, Source]]] = {}
    for p in hb.processes.values():
        for s in p.steps:
            if s.role:
                work.setdefault(s.role, []).append((f"step `{s.id}` of process `{p.id}`", s.source))
            elif s.performer == "process-owner" and p.owner:  # the one post the relation stands for
                work.setdefault(p.owner, []).append((f"step `{s.id}` of process `{p.id}` (as its owner)", s.source))
        for row in p.raci:
            for letter, roles in (("R", row.responsible), ("A", row.accountable)):
                for rid in roles:
                    work.setdefault(rid, []).append(
                        (f"{letter} in RACI row `{row.activity}` of process `{p.id}`", row.source)
                    )
    for rid, items in work.items():
        role = hb.roles.get(rid)
        if role is None or hb.holders.get(rid):
            continue
        st = hb.role_staffing[rid]
        if st.filled:  # filled by people counted but not named (`filled: 30`)
            continue
        what = "; ".join(dict.fromkeys(w for w, _ in items))
        planned = (
            f"0 of {st.headcount} filled, no acting holder" if not st.unbudgeted else "nobody holds it, not even acting"
        )
        yield Problem(
            role.source,
            Code.VACANT_PERFORMER,
            f"role `{rid}` is vacant ({planned}) but performs: {what}",
            "assign someone (an acting holder with `type: acting` will do) or give the work to a filled post",
            tuple(dict.fromkeys(src for _, src in items)),
        )


def clause_unassigned(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    cat = catalog()
    for row in hb.clause_matrix.rows:
        if row.required and not row.led:
            c = cat.clauses[row.clause]
            yield Problem(
                hb.company.source,
                Code.CLAUSE_UNASSIGNED,
                f"ISO 9001 clause {row.clause} ({c.zh} / {c.en}) has no lead department",
                f"name it in a department's duties or its head's (`clauses: [\"{row.clause}\"]`), or "
                f'assign it: `clause_owners: [{{clause: "{row.clause}", lead: <department id>}}]`',
            )


def clause_lead_without_duty(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    cat = catalog()
    for owner, did in leads_without_duty(hb.company, hb.clause_matrix):
        c = cat.clauses[owner.clause]
        yield Problem(
            owner.source,
            Code.CLAUSE_LEAD_WITHOUT_DUTY,
            f"{hb.departments[did].name} leads ISO 9001 clause {owner.clause} ({c.zh} / {c.en}) by `clause_owners`, "
            "but none of its duties names the clause",
            f'name the clause in the duty that carries it (`clauses: ["{owner.clause}"]` on a function of the '
            "department or a duty of its head), or make another department the lead",
        )


def raci_rows(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for p in hb.processes.values():
        for row in p.raci:
            if len(row.accountable) != 1:
                yield Problem(
                    row.source,
                    Code.RACI_ACCOUNTABLE,
                    f"RACI row `{row.activity}` of process `{p.id}` has {len(row.accountable)} accountable roles",
                    "exactly one role is accountable (A) for an activity",
                )
            if not row.responsible:
                yield Problem(
                    row.source,
                    Code.RACI_RESPONSIBLE,
                    f"RACI row `{row.activity}` of process `{p.id}` has no responsible role (R)",
                    "name at least one role that does the work",
                )


def unreachable_steps(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    for p in hb.processes.values():
        if not p.steps:
            continue
        by_id = {s.id: s for s in p.steps}
        reach = {p.steps[0].id}
        todo = [p.steps[0]]
        while todo:
            s = todo.pop()
            for t in s.next:
                if t.to not in reach and t.to in by_id:
                    reach.add(t.to)
                    todo.append(by_id[t.to])
        for s in p.steps:
            if s.id not in reach:
                yield Problem(
                    s.source,
                    Code.UNREACHABLE_STEP,
                    f"step `{s.id}` of process `{p.id}` cannot be reached from the first step `{p.steps[0].id}`",
                    "add it to the `next` of an earlier step, or remove it",
                )


# -- document control (ISO 9001 clause 7.5) -------------------------------------------------------
def _doc_at(hb: m.Handbook, ctx: Context, key: str) -> Source:
    return ctx.at("document", "document", key, hb.company.source)


def review_overdue(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    doc = hb.company.document
    if doc.review_overdue(ctx.today):
        due = doc.next_review
        assert due is not None and ctx.today is not None
        days = (ctx.today - due).days
        last = doc.last_review
        counted = last is not None and due != doc.review_due
        yield Problem(
            ctx.at("document", "document", "reviews", hb.company.source) if counted else _doc_at(hb, ctx, "review_due"),
            Code.REVIEW_OVERDUE,
            (f"the last review was on {last.date.isoformat()}; " if counted and last else "")
            + f"the review of the document was due on {due.isoformat()}, {days} day"
            f"{'s' if days != 1 else ''} before {ctx.today.isoformat()} (复审逾期)",
            "review the document: issue a new revision, or record that it is still valid "
            "by setting the next `review_due`",
        )


def revision_not_in_history(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    doc = hb.company.document
    if not doc.revision or not doc.history:
        return
    last = doc.history[-1].revision
    if str(last) != str(doc.revision):
        yield Problem(
            _doc_at(hb, ctx, "revision"),
            Code.REVISION_MISMATCH,
            f"the current revision is `{doc.revision}` but the last `history` entry is `{last}`",
            f"add a `history` entry for `{doc.revision}` at the end (oldest first), or correct `revision`",
            (doc.history[-1].source,),
        )


def history_order(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    history = hb.company.document.history
    for before, entry in itertools.pairwise(history):
        if entry.date < before.date:
            yield Problem(
                entry.source,
                Code.HISTORY_ORDER,
                f"`history` entry `{entry.revision}` ({entry.date.isoformat()}) is dated before the entry "
                f"above it, `{before.revision}` ({before.date.isoformat()})",
                "list the revisions oldest first, each with the date it was issued",
                (before.source,),
            )


def effective_before_approval(hb: m.Handbook, ctx: Context) -> Iterator[Problem]:
    doc = hb.company.document
    if not doc.effective:
        return
    late = [(key, a) for key, a in doc.approvals if a.date and a.date > doc.effective]
    if late:
        key, a = max(late, key=lambda x: x[1].date)  # type: ignore[arg-type, return-value]
        yield Problem(
            _doc_at(hb, ctx, "effective"),
            Code.EFFECTIVE_BEFORE_APPROVAL,
            f"the document takes effect on {doc.effective.isoformat()}, before `{key}` "
            f"({a.name}) on {a.date.isoformat()}",  # type: ignore[union-attr]
            "a document takes effect once it is approved: correct `effective` or the approval date",
            (_doc_at(hb, ctx, key),),
        )


#: the warnings, run in this order on every valid handbook
CHECKS: tuple[Check, ...] = (
    head_outside_department,
    shared_with_own_department,
    empty_department,
    over_headcount,
    filled_count,
    no_qualifications,
    no_authority,
    raci_rows,
    unreachable_steps,
    vacant_performers,
    clause_unassigned,
    clause_lead_without_duty,
    review_overdue,
    revision_not_in_history,
    history_order,
    effective_before_approval,
)


def run_checks(hb: m.Handbook, ctx: Context, checks: tuple[Check, ...] = CHECKS) -> list[Problem]:
    return [p for check in checks for p in check(hb, ctx)]
