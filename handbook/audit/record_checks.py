"""The warnings about the records of document control: acknowledgements not returned, copies
of a superseded revision not back, receipts not signed. They need the date and, for what
changed, the previous release; the build and ``handbook check`` run them after the data's own
checks. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handbook import model as m
from handbook.audit import acknowledgements, recall
from handbook.problems import Problem


@dataclass(frozen=True)
class Days:
    """The settings: days until a warning (None: never, the default)."""

    acknowledgement: int | None = None
    recall: int | None = None
    receipt: int | None = None


def problems(hb: m.Handbook, previous: m.Handbook | None, today: dt.date | None, days: Days = Days()) -> list[Problem]:
    out = list(acknowledgements.unknown_people(hb))
    if previous is not None:
        changes = hb.changes if hb.changes is not None else None
        plan = acknowledgements.plan(previous, hb, changes)
        out.extend(acknowledgements.overdue(plan, today, days.acknowledgement))
    out.extend(recall.problems(hb, previous, today, days.recall, days.receipt))
    return out
