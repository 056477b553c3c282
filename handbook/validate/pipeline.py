"""Check a data folder and build the immutable :class:`~handbook.model.Handbook`.

The one entry point for the CLI and the extension (:func:`check_dir`). The work is
split by job: :mod:`handbook.loader` reads the YAML with positions,
:mod:`handbook.read` reads each kind of object (fields and types from
:mod:`handbook.schema`, typed readers in :mod:`handbook.readers`),
:mod:`handbook.checks` checks across objects, and :mod:`handbook.derive` derives the
relations. Every problem is collected (never raised), so one run reports all of them.
Raw YAML values never get past this package's readers. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from handbook import model as m
from handbook.problems import Code, Problem, sort_problems
from handbook.status import Status
from handbook.validate.cross_checks import Context, break_cycles, company_count, resolve_refs, run_checks
from handbook.validate.located_yaml import DataFile, gc_paused, load_dir
from handbook.validate.objects import ObjectReader
from handbook.validate.relations import derive

__all__ = ["Result", "build", "check_dir", "derive"]


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


def assemble(
    r: ObjectReader,
    sources: tuple[str, ...],
    complete: bool = True,
    unread: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
    today: dt.date | None = None,
) -> m.Handbook:
    """The handbook from what was read: references checked, cycles cut, relations derived.

    ``complete`` is False when a file could not be read (``unread``: its path -> the ids it
    appears to declare): checks that need every object then hold back rather than report
    what that file would have answered. ``today``: the date checks that need one use."""
    problems = r.problems
    problems.extend(company_count(r.companies, sources, complete))
    problems.extend(resolve_refs(r.refs, r.departments, r.roles, r.processes, r.id_sources, unread))
    dept_ids = {d.id for d in r.departments}
    role_ids = {x.id for x in r.roles if x.department in dept_ids}  # the roles kept below
    # drop dangling references so derived data only sees real objects
    departments = [
        replace(d, parent=d.parent if d.parent in dept_ids else None, head=d.head if d.head in role_ids else None)
        for d in r.departments
    ]
    roles = [
        replace(
            x,
            reports_to=x.reports_to if x.reports_to in role_ids else None,
            dotted_line_to=tuple(t for t in x.dotted_line_to if t in role_ids),
        )
        for x in r.roles
        if x.department in dept_ids
    ]
    process_ids = {p.id for p in r.processes}
    processes = [replace(p, related=tuple(x for x in p.related if x in process_ids and x != p.id)) for p in r.processes]
    departments = break_cycles(departments, "department", "parent", r.field_sources, problems)
    roles = break_cycles(roles, "role", "reports_to", r.field_sources, problems)
    company = r.companies[0][0] if r.companies else m.Company(m.Text.plain("?"))
    hb = derive(company, departments, roles, r.people, processes, sources)
    if r.acknowledgements:
        hb = replace(hb, acknowledgements=tuple(r.acknowledgements))
    problems.extend(run_checks(hb, Context(r.field_sources, complete, today)))
    return hb


def build(
    files: list[DataFile],
    load_problems: Sequence[Problem] = (),
    today: dt.date | None = None,
    statuses: Mapping[str, Status] | None = None,
) -> Result:
    """Check the loaded files and build the handbook (``None`` if there are errors).

    ``today``: the date the checks that depend on it use (the review date); ``None`` skips
    them. ``statuses``: the known document statuses (default: the built-in ones)."""
    reader = ObjectReader(statuses)
    reader.problems.extend(load_problems)
    for f in files:
        reader.read_file(f)
    complete = not any(p.code in (Code.IO_ERROR, Code.ENCODING, Code.YAML_SYNTAX) for p in load_problems)
    unread = {f.path: f.salvaged for f in files if f.failed}
    unread.update((p.source.path, ()) for p in load_problems if p.code is Code.IO_ERROR and p.source.path not in unread)
    hb = assemble(reader, tuple(f.path for f in files), complete, unread if not complete else None, today)
    problems = sort_problems(reader.problems)
    ok = not any(p.is_error for p in problems)
    return Result(hb if ok else None, problems, files)


def check_dir(folder: str, today: dt.date | None = None, statuses: Mapping[str, Status] | None = None) -> Result:
    """Load and check a data folder: the one entry point for the CLI and the extension
    (``today`` and ``statuses``: see :func:`build`)."""
    files, problems = load_dir(folder)
    with gc_paused():
        return build(files, problems, today, statuses)
