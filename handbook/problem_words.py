"""Problems in the user's language, in the terms of where the data came from.

The checks word their messages in English (:mod:`handbook.problems`); this module says them
in the language of the project (``language`` in conf.py) or of the environment (``LC_ALL``,
``LC_MESSAGES``, ``LANG``) through the same gettext catalogue as the labels
(:mod:`handbook.i18n`). Each message and hint the translation knows is declared once below
as an English template with ``{placeholders}``; the template is the catalogue's msgid, the
zh_CN entry its translation with the same placeholders. A message no template matches is
shown as it is.

A problem found in a spreadsheet cell (its source knows the column's header) is said in the
workbook's terms: the column HR sees (``「实施日期」``) instead of the YAML field (``effective``),
the cell syntax (``【对应条款】4.1``) instead of the YAML (``clauses: ["4.1"]``), and, in
Chinese, the place as HR finds it (``岗位.csv 第7行 「直接上级」列``). ``handbook check`` on YAML
keeps its ``file:line:col``. No Sphinx imports.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping

from handbook.i18n import translate
from handbook.problems import Problem, Source

#: the English messages a translation knows, as templates (also the catalogue's msgids)
MESSAGES = (
    "unknown column `{name}` in sheet {sheet}",
    "unknown sheet `{name}`",
    "a value in a column without a header",
    "column `{name}` appears twice (first at {where})",
    "{what}: no {kind} has the id or name `{target}`",
    "{what}: no {kind} has the id `{target}`",
    "{what}: `{target}` names {count} {kind}s: {where}",
    "this row repeats row {row} of sheet {sheet}: the same `{title}` ({code})",
    "this row repeats row {row} of sheet {sheet}: the same `{title}`",
    "{what} `{value}` is not a date",
    "{what} `{value}` is a month, not a date",
    "{what} `{value}` is not a headcount",
    "`{value}` is not a valid {kind} id",
    "the `responsibilities` of {what} are empty",
    "{what} has no `{field}`",
    "role `{id}` has no `authority` (工作权限)",
    "role `{id}` has no `qualifications` (任职资格)",
    "department `{id}` has no roles",
    "duplicate {kind} id `{id}` (first defined at {where})",
    "ISO 9001 clause {clause} ({zh} / {en}) has no lead department",
    "unknown 【{label}】 in {what}",
    "unknown key `{key}` in {what}",
    "{what} must not be negative",
    "{what} must be a whole number",
)

#: the English hints a translation knows
HINTS = (
    "did you mean `{guess}`?",
    "`{field}` is required",
    "did you mean 【{guess}】?",
    "give the column a header, or clear the cell",
    "keep one of them",
    "delete one of the two rows (a row pasted twice becomes two objects)",
    "write the id or the exact name of a {kind} of the {sheet} ({key}) sheet",
    "write the id of the one you mean, e.g. `{id}`",
    "write the day too, e.g. `{date}`",
    "write dates as YYYY-MM-DD: `{date}`",
    "write dates as YYYY-MM-DD, e.g. 2024-03-01",
    'write a number such as `3`, a range such as `"5-10"`, or `若干` for an open headcount',
    "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `{id}`",
    "a role needs at least one duty",
    "ISO 9001 clause 7.2 asks for the competence each role needs",
    "ISO 9001 clause 5.3 asks for each role's responsibilities and authorities: list what the role may "
    "decide, approve, release or stop under `authority:`",
    "add roles with `department: {id}`, or remove the department",
    "{kind} ids must be unique in the whole handbook",
    "name it in a department's duties or its head's (`clauses: [\"{clause}\"]`), or assign it: "
    '`clause_owners: [{{clause: "{clause}", lead: <department id>}}]`',
)

#: hints said in the workbook's terms when the problem is in a spreadsheet (English; translated too)
SHEET_HINTS = {
    "ISO 9001 clause 5.3 asks for each role's responsibilities and authorities: list what the role may "
    "decide, approve, release or stop under `authority:`": "ISO 9001 clause 5.3 asks for each role's "
    "responsibilities and authorities: list what the role may decide, approve, release or stop in the "
    "role's 工作权限 column, one per line",
    "name it in a department's duties or its head's (`clauses: [\"{clause}\"]`), or assign it: "
    '`clause_owners: [{{clause: "{clause}", lead: <department id>}}]`': "write `【对应条款】{clause}` after a "
    "duty of the lead department (部门职责) or of its head's post (岗位职责), or give the clause a lead "
    "department in the 质量职能分配 sheet",
    "add roles with `department: {id}`, or remove the department": "add posts in the 岗位 sheet with "
    "`{id}` (or the department's name) in their 所属部门 column, or delete the department's row",
    "{kind} ids must be unique in the whole handbook": "give each row its own 标识, or leave the 标识 "
    "column empty and it is derived from the name",
}

#: the frame of a problem, and the words placeholders hold
WORDS = ("error", "warning", "hint", "see", "department", "role", "process", "step", "person")


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{\w+\})", template.replace("{{", "{").replace("}}", "}"))
    out = []
    named: set[str] = set()
    for part in parts:
        m = re.fullmatch(r"\{(\w+)\}", part)
        if m is None:
            out.append(re.escape(part))
        elif m.group(1) in named:
            out.append(f"(?P={m.group(1)})")  # a placeholder used twice: the same text
        else:
            named.add(m.group(1))
            out.append(f"(?P<{m.group(1)}>.+?)")
    return re.compile("".join(out), re.S)


@functools.cache
def _patterns(templates: tuple[str, ...]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((t, _pattern(t)) for t in templates)


def message_language(project_language: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``zh_CN`` or ``en``: the project's ``language`` if it has one, else the environment's locale."""
    env = os.environ if environ is None else environ
    lang = project_language or env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    return "zh_CN" if lang.lower().replace("-", "_").startswith("zh") else "en"


def in_sheet(source: Source) -> bool:
    """Whether a problem's place is a spreadsheet cell (read by the import)."""
    return hasattr(source, "header")


@functools.cache
def _field_words() -> dict[str, str]:
    from handbook.schema import KINDS

    out: dict[str, str] = {}
    for kind in KINDS.values():
        for f in kind.fields:
            if f.zh:
                out.setdefault(f.key, f.zh)
    return out


def _column(key: str, source: Source) -> str:
    """The name HR sees for a field: its column's header (「直接上级」), or, for a field written in
    【】 inside a cell (an assignment's ``since``), its marker (【任职日期】); "" outside a sheet."""
    if not in_sheet(source):
        return ""
    word = _field_words().get(key, "")
    header = getattr(source, "header", "") or ""
    if header and word and header.endswith(word):
        return f"「{header}」"
    if word and key in _marked_keys():
        return f"【{word}】"
    if header:
        return f"「{header}」"
    return f"【{word}】" if word else ""


@functools.cache
def _marked_keys() -> frozenset[str]:
    """The fields a cell holds in 【】 after its main text (an assignment's 任职日期, a duty's 考核指标)."""
    from handbook.schema import KINDS

    out = {f.key for f in KINDS["duty"].fields if f.key != "text"}
    for kind in KINDS.values():
        for f in kind.fields:
            if f.type == "objects" and f.shorthand and f.of:
                out |= {x.key for x in KINDS[f.of].fields if x.key != f.shorthand}
    return frozenset(out)


def _in(language: str, name: str) -> str:
    """「列名」 in Chinese, `列名` in English (a 【marker】 stays as HR types it)."""
    return f"`{name[1:-1]}`" if language != "zh_CN" and name.startswith("「") else name


def _what(what: str, source: Source, language: str) -> str:
    """``reports_to`` of a role as the column HR sees (「直接上级」), or in Chinese."""
    m = re.fullmatch(r"`(\w+)`(?: of (\w+) `([^`]*)`)?", what)
    if m is None:
        if language == "zh_CN":  # role `gm` -> 岗位 `gm`; a role -> 岗位
            obj = re.fullmatch(r"(?:an? )?(department|role|process|step|person)( `[^`]*`)?", what)
            if obj is not None:
                return translate(obj.group(1), language) + (obj.group(2) or "")
        return what
    name = _in(language, _column(m.group(1), source))
    if language != "zh_CN":
        return name + what[m.end(1) + 1 :] if name else what
    field_text = name or f"`{m.group(1)}`"
    if m.group(2):
        return f"{translate(m.group(2), language)} `{m.group(3)}` 的{field_text}"
    return field_text


def _say(text: str, templates: tuple[str, ...], source: Source, language: str, sheet_words: bool) -> str:
    for template, pattern in _patterns(templates):
        found = pattern.fullmatch(text)
        if found is None:
            continue
        if sheet_words:
            template = SHEET_HINTS.get(template, template)
        values = dict(found.groupdict())
        if "what" in values:
            values["what"] = _what(values["what"], source, language)
        if "field" in values and in_sheet(source):
            values["field"] = _column(values["field"], source).strip("「」") or values["field"]
        if "kind" in values and language == "zh_CN":
            values["kind"] = translate(values["kind"], language)
        said = translate(template, language) if language != "en" else template
        try:
            return said.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with a placeholder of its own
            return text
    return text


def message(p: Problem, language: str) -> str:
    return _say(p.message, MESSAGES, p.source, language, False)


def hint(p: Problem, language: str) -> str:
    return _say(p.hint, HINTS, p.source, language, in_sheet(p.source)) if p.hint else ""


def format_problem(p: Problem, language: str = "en") -> str:
    """One problem as :meth:`Problem.format` writes it, in ``language`` and in the terms of its source."""
    if language == "en" and not in_sheet(p.source):
        return p.format()
    zh = language == "zh_CN"
    where = p.source.zh() if zh else str(p.source)
    text = f"{where}: {translate(p.severity, language)}[{p.code.value}]: {message(p, language)}"
    for rel in p.related:
        text += f"\n  {translate('see', language)} {rel.zh() if zh else rel}"
    said = hint(p, language)
    if said:
        text += f"\n  {translate('hint', language)}{'：' if zh else ': '}{said}"
    return text
