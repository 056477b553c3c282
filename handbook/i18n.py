"""The handbook's translated labels (所属部门 / Department …).

Labels go through Sphinx's locale machinery: the message catalog ``handbook`` in
``handbook/locale/<lang>/LC_MESSAGES/handbook.po`` (compiled to ``.mo``), registered by
the extension with ``app.add_message_catalog``. The source strings are English.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.locale import get_translation

CATALOG = "handbook"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(CATALOG)


def chart_labels() -> dict[str, str]:
    """The labels placed inside charts, in the build language."""
    return {
        "headcount": str(_("Headcount")),
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
        "name_branch": str(_("{name}: branch {branch}")),
        "see_branch": str(_("{n} below: see its own chart")),
        "name_part": str(_("{name} (steps {first}–{last})")),
        "name_part_one": str(_("{name} (step {first})")),
        "to_step": str(_("To step {n}")),
        "from_step": str(_("From step {n}")),
    }
