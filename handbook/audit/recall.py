"""Recall: the copies of superseded revisions to withdraw, and the receipts still to sign
(ISO 9001 7.5.3.2 d: obsolete documented information is prevented from unintended use).

A distribution entry is a copy of the document's current revision unless its ``revision``
names an earlier one: such an entry records an old copy and, once it is back, its
``returned`` date (回收日期) and ``returned_by`` (回收人). The copies to withdraw are those
entries, plus every copy of the previous release's distribution no entry of the current data
accounts for (same revision and copy number, else same holder). Paper copies must come back;
an electronic copy is withdrawn by replacing it. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from handbook import model as m
from handbook.i18n import _
from handbook.problems import Code, Problem, Source


@dataclass(frozen=True)
class Withdrawal:
    """A copy of a superseded revision: where it is, and whether it came back."""

    revision: str
    holder: m.Text
    copy: int | None = None
    count: int = 1
    medium: str = "paper"
    returned: dt.date | None = None
    returned_by: m.Text | None = None
    recorded: bool = False  # the current data has an entry for it
    source: Source = field(default=Source("<none>"), compare=False)

    @property
    def paper(self) -> bool:
        return self.medium != "electronic"


def _rev(t: m.Text | None) -> str:
    return t.get(None) if t is not None else ""


def is_current(doc: m.DocumentControl, c: m.Copy) -> bool:
    return c.revision is None or c.revision == doc.revision


def current_copies(doc: m.DocumentControl) -> tuple[m.Copy, ...]:
    return tuple(c for c in doc.distribution if is_current(doc, c))


def _same(c: m.Copy, w: m.Copy) -> bool:
    if c.copy is not None and w.copy is not None:
        return c.copy == w.copy
    return c.holder == w.holder


def withdrawals(hb: m.Handbook, previous: m.Handbook | None = None) -> tuple[Withdrawal, ...]:
    """The copies of earlier revisions to withdraw: those the data records, then the previous
    release's copies it does not."""
    doc = hb.company.document
    old_entries = [c for c in doc.distribution if not is_current(doc, c)]
    out = [
        Withdrawal(
            _rev(c.revision),
            c.holder,
            c.copy,
            c.count or 1,
            c.medium or "paper",
            c.returned,
            c.returned_by,
            True,
            c.source,
        )
        for c in old_entries
    ]
    if previous is not None:
        pdoc = previous.company.document
        prev_rev = _rev(pdoc.revision)
        if prev_rev and prev_rev != _rev(doc.revision):
            for c in current_copies(pdoc):
                if not any(_rev(e.revision) == prev_rev and _same(c, e) for e in old_entries):
                    out.append(
                        Withdrawal(
                            prev_rev, c.holder, c.copy, c.count or 1, c.medium or "paper", source=hb.company.source
                        )
                    )
    return tuple(out)


def released(hb: m.Handbook) -> dt.date | None:
    """When the current revision was issued: its history entry's date, else ``effective``."""
    doc = hb.company.document
    entry = next((r for r in reversed(doc.history) if doc.revision is not None and r.revision == doc.revision), None)
    return doc.effective or (entry.date if entry else None)


def problems(
    hb: m.Handbook,
    previous: m.Handbook | None,
    today: dt.date | None,
    recall_days: int | None,
    receipt_days: int | None,
) -> Iterator[Problem]:
    """``copy-not-returned`` and ``receipt-unsigned``."""
    if today is None:
        return
    doc = hb.company.document
    since = released(hb)
    if recall_days is not None and since is not None and today > since + dt.timedelta(days=recall_days):
        for w in withdrawals(hb, previous):
            if w.paper and w.returned is None:
                number = f"copy {w.copy} " if w.copy is not None else "the copy "
                yield Problem(
                    w.source,
                    Code.COPY_NOT_RETURNED,
                    f"{number}of {w.revision} held by {w.holder} has not been returned, {(today - since).days} days "
                    f"after {_rev(doc.revision)} took effect on {since.isoformat()}",
                    "withdraw it and record the return: a `distribution` entry `{"
                    + (f"copy: {w.copy}, " if w.copy is not None else "")
                    + f"revision: {w.revision}, holder: {w.holder}, returned: <date>, returned_by: <name>}}`",
                )
    if receipt_days is not None:
        for c in current_copies(doc):
            if c.issued and not c.received and today > c.issued + dt.timedelta(days=receipt_days):
                number = f"copy {c.copy} " if c.copy is not None else "the copy "
                yield Problem(
                    c.source,
                    Code.RECEIPT_UNSIGNED,
                    f"{number}issued to {c.holder} on {c.issued.isoformat()} has no receipt (签收) after "
                    f"{(today - c.issued).days} days",
                    "have the holder sign for it and write `received: <date> <name>` (or the receipt's record)",
                )


def copy_state(doc: m.DocumentControl, c: m.Copy) -> str:
    """What the distribution record says of a copy: signed for, to sign, returned, to return."""
    if not is_current(doc, c):
        if c.returned:
            who = f" {c.returned_by}" if c.returned_by else ""
            return _("Returned {date}{who}").format(date=c.returned.isoformat(), who=who)
        if c.medium == "electronic":
            return _("Superseded (electronic)")
        return _("To be returned")
    return _("Received") if c.received else _("Receipt pending")


def withdrawal_state(w: Withdrawal) -> str:
    if w.returned:
        who = f" {w.returned_by}" if w.returned_by else ""
        return _("Returned {date}{who}").format(date=w.returned.isoformat(), who=who)
    return _("Superseded (electronic)") if not w.paper else _("To be returned")
