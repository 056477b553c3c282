"""Document statuses and the marking each one puts on the site and the PDF.

``company.document.status`` names one status of a known set. Three are built in —
``draft`` (草稿), ``controlled`` (受控) and ``obsolete`` (作废) — and the setting
``handbook_document_statuses`` in ``conf.py`` changes their marking or adds others
(:func:`table`). The validator reads the status into its :class:`Status`, so every page
and the PDF take the marking from the model: the cover stamp, the footer note of every
PDF page, a diagonal watermark on every PDF page, and a banner on every HTML page.

The built-in texts are English labels, translated where they are shown (the zh_CN
catalog has them); texts given in ``conf.py`` are shown as written. No Sphinx imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


def _(message: str) -> str:
    """Marks a built-in text as a label to translate where it is shown (see scripts/i18n.py)."""
    return message


@dataclass(frozen=True, slots=True)
class Status:
    """A document status and its marking (every text: '' = none)."""

    key: str  # what the data may say: `status: controlled`
    label: str  # the status as the cover's field table shows it (受控)
    aliases: tuple[str, ...] = ()  # other spellings the data may use (受控, 现行有效)
    stamp: str = ""  # the stamp on the cover (受控文件)
    note: str = ""  # the footer note of every PDF page (受控文件 · 打印即为非受控)
    watermark: str = ""  # a diagonal watermark on every PDF page (草稿)
    banner: str = ""  # a banner on every HTML page and on the cover
    statement: str = ""  # the statement at the foot of the cover
    controlled: bool = False  # the released, controlled revision: numbered controlled copies may be issued

    @property
    def spelled(self) -> str:
        """How messages list it: ``controlled (受控)``."""
        return f"{self.key} ({self.aliases[0]})" if self.aliases else self.key


BUILTIN: tuple[Status, ...] = (
    Status(
        "draft",
        _("Draft"),
        ("草稿", "草案", "征求意见稿"),
        stamp=_("Draft"),
        note=_("Draft · not approved, not for use"),
        watermark=_("DRAFT"),
        banner=_("Draft: this document is not approved yet and must not be used as a reference."),
        statement=_("This is a draft for review. It is not approved and must not be used as a reference."),
    ),
    Status(
        "controlled",
        _("Controlled"),
        ("受控", "现行", "现行有效"),
        stamp=_("Controlled document"),
        note=_("Controlled document · Uncontrolled when printed"),
        statement=_("This is a controlled document."),
        controlled=True,
    ),
    Status(
        "obsolete",
        _("Obsolete"),
        ("作废", "已作废", "废止"),
        stamp=_("Obsolete"),
        note=_("Obsolete · superseded, for reference only"),
        watermark=_("OBSOLETE"),
        banner=_("Obsolete: this revision has been superseded and must not be used."),
        statement=_("This revision is obsolete: it has been superseded and is kept for reference only."),
    ),
)

#: the keys a status may set in ``handbook_document_statuses`` (besides its key)
SETTING_KEYS = tuple(f.name for f in fields(Status) if f.name != "key")


def builtin() -> dict[str, Status]:
    return {s.key: s for s in BUILTIN}


def table(setting: Mapping[str, Any] | None) -> tuple[dict[str, Status], list[str]]:
    """The known statuses: the built-in ones changed or extended by the setting.

    ``setting`` maps a status key to the marking texts it changes, e.g.
    ``{"controlled": {"note": "受控文件"}, "trial": {"label": "试行", "aliases": ["试行"],
    "stamp": "试行", "watermark": "试行"}}``. Returns the table and what is wrong with the
    setting (those entries are left out)."""
    out = builtin()
    problems: list[str] = []
    for key, spec in (setting or {}).items():
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{key!r} is not a status name")
            continue
        if not isinstance(spec, Mapping):
            problems.append(f"status {key!r}: give a mapping of {', '.join(SETTING_KEYS)}")
            continue
        unknown = [k for k in spec if k not in SETTING_KEYS]
        if unknown:
            problems.append(
                f"status {key!r}: unknown key(s) {', '.join(map(repr, unknown))}; known: {', '.join(SETTING_KEYS)}"
            )
            continue
        values: dict[str, Any] = {}
        bad = ""
        for k, v in spec.items():
            if k == "aliases":
                if isinstance(v, str):
                    v = (v,)
                if not all(isinstance(a, str) and a.strip() for a in v):
                    bad = "`aliases` must be a list of words"
                values[k] = tuple(a.strip() for a in v if isinstance(a, str))
            elif k == "controlled":
                if not isinstance(v, bool):
                    bad = "`controlled` must be True or False"
                values[k] = bool(v)
            elif not isinstance(v, str):
                bad = f"`{k}` must be a text"
            else:
                values[k] = v
        if bad:
            problems.append(f"status {key!r}: {bad}")
            continue
        key = key.strip()
        base = out.get(key) or Status(key, values.get("label", key))
        out[key] = replace(base, **values)
    seen: dict[str, str] = {}
    for s in out.values():  # a word may name one status only
        for word in (s.key, *s.aliases):
            if word in seen and seen[word] != s.key:
                problems.append(f"`{word}` names two statuses, {seen[word]!r} and {s.key!r}")
            seen.setdefault(word, s.key)
    return out, problems


@dataclass(frozen=True)
class StatusField:
    """The choices and aliases of the ``status`` field for a table of statuses."""

    choices: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def of(cls, statuses: Mapping[str, Status]) -> StatusField:
        return cls(tuple(statuses), tuple((a, s.key) for s in statuses.values() for a in s.aliases))


DEFAULT_FIELD = StatusField.of(builtin())
