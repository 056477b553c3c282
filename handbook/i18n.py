"""The handbook's translated labels (所属部门 / Department …), with no Sphinx.

The source strings are English; the catalogue ``handbook`` lives in
``handbook/locale/<lang>/LC_MESSAGES/handbook.po`` (compiled to ``.mo``,
``python scripts/i18n.py compile``) and is read with the standard library's
:mod:`gettext`, so the pure packages (the PDF's cover, the change reports, the command
line) translate exactly as the site does.

The language is the build's (the site sets it from ``language`` in conf.py when the
configuration is read) or the one a command names, held in a context variable.
:func:`_` behaves as Sphinx's translator does: called while a language is active it
returns the translated ``str``; called before (a table at module level) it returns a
:class:`LazyLabel` translated when it is used.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import gettext
from collections.abc import Iterator
from pathlib import Path

CATALOG = "handbook"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("handbook_language", default=None)


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(CATALOG, str(LOCALE_DIR), languages=[language], fallback=True)


def translate(message: str, language: str | None = None) -> str:
    """``message`` in ``language`` (default: the active one; English when none is)."""
    language = language or _language.get()
    return _catalogue(language).gettext(message) if language else message


def activate(language: str | None) -> None:
    """Make ``language`` (``"zh_CN"``, ``"en"``; ``None``: English) the one labels are in."""
    _language.set(language or "en")


def deactivate() -> None:
    """No language active any more: labels made from here on are lazy, in English when used."""
    _language.set(None)


def active_language() -> str:
    return _language.get() or "en"


@contextlib.contextmanager
def language(code: str | None) -> Iterator[None]:
    """Labels in ``code`` inside the ``with`` block, as they were after it."""
    token = _language.set(code or "en")
    try:
        yield
    finally:
        _language.reset(token)


class LazyLabel(collections.UserString):
    """A label translated each time it is used (in the language active then)."""

    def __init__(self, message: str) -> None:
        self.message = message

    @property
    def data(self) -> str:  # type: ignore[override]
        return translate(self.message)

    def __repr__(self) -> str:
        return f"LazyLabel({self.message!r})"


def _(message: str) -> str:
    """The label in the active language; a :class:`LazyLabel` while none is active."""
    if _language.get() is None:
        return LazyLabel(message)  # type: ignore[return-value]
    return translate(message)


def chart_labels() -> dict[str, str]:
    """The labels placed inside charts, in the build language."""
    return {
        "performer_initiator": str(_("the initiator")),
        "performer_initiator-head": str(_("the initiator's department head")),
        "performer_department-heads": str(_("every department head")),
        "performer_process-owner": str(_("the process owner")),
        "headcount": str(_("Headcount")),
        "open": str(_("open")),
        "filled": str(_("Filled")),
        "unnamed": str(_("unnamed")),
        "vacant": str(_("Vacant")),
        "acting": str(_("Acting")),
        "more_roles": str(_("{n} more roles")),
        "more_departments": str(_("{n} more departments")),
        "more_steps": str(_("{n} more steps")),
        "roles": str(_("{n} roles")),
        "head": str(_("Head")),
        "start": str(_("Start")),
        "end": str(_("End")),
        "summary_departments": str(_("{n} departments")),
        "summary_roles": str(_("{n} roles")),
        "summary_steps": str(_("{n} steps")),
        "concurrent": str(_("Concurrent")),
        "outside": str(_("Outside: {dept}")),
        "shared": str(_("Shared post, counted in {dept}")),
        "dotted_to": str(_("Dotted line to {role}")),
        "reports_to": str(_("Reports to {role}")),
        "sub_department": str(_("Sub-department")),
        "next": str(_("Next: {steps}")),
        "next_step": str(_("step {n}")),
        "step_label": str(_("Step {n}: {text}")),
        "branch": str(_("{step} ({label})")),
        "separator": str(_("; ")),
        "name_departments": str(_("Organisation chart of {name}, {n} departments")),
        "name_roles": str(_("Organisation chart of {name}, {n} roles")),
        "name_steps": str(_("{name}: flowchart, {n} steps")),
        "name_map": str(_("Process interaction map, {n} processes")),
        "summary_processes": str(_("{n} processes, {m} links")),
        "gives_to": str(_("Output to {process}: {items}")),
        "name_branch": str(_("{name}: branch {branch}")),
        "see_branch": str(_("{n} below: see its own chart")),
        "name_part": str(_("{name} (steps {first}–{last})")),
        "name_part_one": str(_("{name} (step {first})")),
        "to_step": str(_("To step {n}")),
        "from_step": str(_("From step {n}")),
    }
