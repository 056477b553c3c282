"""A JSON Schema (draft 2020-12) of one YAML data file, generated from :mod:`handbook.schema`.

The same declaration the validator reads (:mod:`handbook.readers`, :mod:`handbook.read`)
becomes one ``$defs`` entry per kind, so an editor with the YAML language server (VS
Code's YAML extension) completes keys, shows each key's meaning and flags typos and
wrong types as you type. What a field type accepts mirrors the typed readers:

* a text is a scalar (YAML scalars are taken as written, so ``code: 007`` is a text) or a
  mapping language code -> scalar; it must not be empty;
* a ``list of …`` that reads naturally as one item (texts, references, assignments,
  ``next``) also accepts a single item;
* a field that is not required may be written without a value (``key:``), as the
  validator reads it as absent.

The schema checks the structure of one file; what needs the whole folder (references
to other objects, duplicate ids, cycles, exactly one company) stays the validator's.
``tests/unit/exchange/test_json_schema.py`` checks the two agree on a corpus of valid and invalid files.
No Sphinx imports.
"""

from __future__ import annotations

import json
from typing import Any

from handbook import __version__
from handbook.schema import KINDS, Field, Kind
from handbook.validate.dates import START_DATES
from handbook.validate.values import HEADCOUNT_RE, ID_RE, LANG_RE, OPEN_HEADCOUNTS

SCHEMA_ID = "https://handbook.invalid/handbook.schema.json"  # a name, not a place: editors use the $schema path

_SCALAR = {"type": ["string", "number", "boolean"], "pattern": r"\S"}  # pattern applies to strings only
_TEXT_MAP = {
    "type": "object",
    "propertyNames": {"pattern": LANG_RE.pattern},
    "additionalProperties": _SCALAR,
    "minProperties": 1,
}
# an id may be written unquoted: `id: 007` or `id: true` are read as written
_ID = {"anyOf": [{"type": "string", "pattern": ID_RE.pattern}, {"type": "integer", "minimum": 0}, {"type": "boolean"}]}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_HEADCOUNT = {
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": HEADCOUNT_RE.pattern},
        {"type": "string", "enum": list(OPEN_HEADCOUNTS)},
    ]
}
_NULL = {"type": "null"}


def _described(f: Field, body: dict[str, Any]) -> dict[str, Any]:
    desc = f"{f.zh}: {f.en}" if f.zh else f.en
    return {"description": desc, **body}


_REF = {"$ref": "#/$defs/reference"}


def _list_of(item: dict[str, Any], single: dict[str, Any] | None = None, null_items: bool = True) -> dict[str, Any]:
    """A list of ``item``; ``single``: the scalar also accepted alone (`R: qa-manager`)."""
    arr = {"type": "array", "items": {"anyOf": [item, _NULL]} if null_items else item}
    return {"anyOf": [arr, single]} if single else arr


def _clause() -> dict[str, Any]:
    """A clause number of the shipped list, as text or as the number YAML reads `7.5` as."""
    from handbook.audit.clauses import catalog

    numbers = list(catalog().clauses)
    as_numbers = sorted({float(n) if "." in n else int(n) for n in numbers if n.count(".") <= 1})
    return {
        "description": 'an ISO 9001:2015 clause number (sections 4-10), e.g. "8.2.1"',
        "anyOf": [{"type": "string", "enum": numbers}, {"type": "number", "enum": as_numbers}],
    }


def field_schema(f: Field) -> dict[str, Any]:
    """What one field accepts, as the typed readers read it."""
    t = f.type
    if t == "text":
        return {"anyOf": [_SCALAR, _TEXT_MAP]}
    if t == "texts":
        return _list_of({"$ref": "#/$defs/text"}, _SCALAR)
    if t in ("id", "ref"):
        return {"$ref": "#/$defs/id"} if t == "id" else {"$ref": "#/$defs/reference"}
    if t == "refs":
        return _list_of(_REF, _REF)
    if t == "duties":
        out = {"type": "array", "items": {"$ref": "#/$defs/duty_item"}}
        if f.required:
            out["minItems"] = 1
        return out
    if t == "int":
        return {"type": "integer"} if f.minimum is None else {"type": "integer", "minimum": f.minimum}
    if t == "date":
        return {"$ref": "#/$defs/start_date" if f.key in START_DATES else "#/$defs/date"}
    if t == "headcount":
        return {"$ref": "#/$defs/headcount"}
    if t == "clause":
        return {"$ref": "#/$defs/clause"}
    if t == "clauses":
        return _list_of({"$ref": "#/$defs/clause"}, {"$ref": "#/$defs/clause"})
    if t == "choice":
        return {"enum": [*f.choices, *(a for a, _ in f.aliases)]}
    if t == "extra":
        return {"type": "object"}
    if t == "object":
        ref = {"$ref": f"#/$defs/{f.of}"}
        return {"anyOf": [ref, _list_of({"$ref": "#/$defs/text"}, _SCALAR)]} if f.list_attr else ref
    if t == "objects":
        item: dict[str, Any] = {"$ref": f"#/$defs/{f.of}"}
        if f.shorthand:  # a plain value stands for {shorthand: value} (a translated text too, for a text)
            from handbook.schema import KINDS

            short = {"$ref": "#/$defs/text"} if KINDS[f.of].field(f.shorthand).type == "text" else _REF
            return _list_of({"anyOf": [item, short]}, _REF)
        return _list_of(item, null_items=False)
    raise ValueError(f"unknown field type {t!r}")  # pragma: no cover - the schema is ours


def kind_schema(k: Kind) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for f in k.fields:
        body = field_schema(f)
        # `key:` without a value reads as absent (free data must be a mapping; a file's
        # `company:` is read as the company itself)
        if not f.required and f.type != "extra" and not (k.name == "file" and f.type == "object"):
            body = {"anyOf": [body, _NULL]}
        props[f.key] = _described(f, body)
    out: dict[str, Any] = {
        "type": "object",
        "title": k.zh or k.name,
        "description": k.en,
        "properties": props,
        "additionalProperties": False,
    }
    required = [f.key for f in k.fields if f.required]
    if required:
        out["required"] = required
    return out


def generate() -> dict[str, Any]:
    """The JSON Schema of one data file."""
    defs: dict[str, Any] = {
        "text": {
            "description": "a text, or a mapping language -> text ({zh_CN: 研发经理, en: R&D Manager})",
            "anyOf": [_SCALAR, _TEXT_MAP],
        },
        "id": {"description": "an id: lower-case ASCII letters, digits, - and _ (at most 64)", **_ID},
        "reference": {"description": "the id of another object", "type": ["string", "number", "boolean"]},
        "date": {"description": "a date, YYYY-MM-DD", **_DATE},
        "start_date": {
            "description": "a date, YYYY-MM-DD, or a month alone, YYYY-MM",
            "type": "string",
            "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
        },
        "headcount": {"description": 'a number ≥ 0, a range such as "5-10", or an open headcount (若干)', **_HEADCOUNT},
        "clause": _clause(),
        # a mapping with `title` or `items` is a group; anything else is a duty (a text or {text, kpi, frequency})
        "duty_item": {
            "if": {"type": "object", "anyOf": [{"required": ["title"]}, {"required": ["items"]}]},
            "then": {"$ref": "#/$defs/group"},
            "else": {"anyOf": [{"$ref": "#/$defs/duty_or_text"}, _NULL]},
        },
        # a translated duty is written {text: {zh_CN: …, en: …}}: a bare mapping is read as a duty
        "duty_or_text": {"anyOf": [_SCALAR, {"$ref": "#/$defs/duty"}]},
    }
    for k in KINDS.values():
        if k.name == "file":
            continue
        defs[k.name] = kind_schema(k)
    # a group's items are texts or duties, not further groups
    items = defs["group"]["properties"]["items"]
    items["items"] = {
        "anyOf": [{"$ref": "#/$defs/duty_or_text"}, _NULL],
        "not": {"type": "object", "anyOf": [{"required": ["title"]}, {"required": ["items"]}]},
    }
    top = kind_schema(KINDS["file"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "handbook data file",
        "description": f"One YAML file of a handbook's data (handbook {__version__}); generated from "
        "handbook/schema.py by `handbook schema`.",
        "anyOf": [{**top, "title": top["title"]}, _NULL],
        "$defs": defs,
    }


def dumps() -> str:
    return json.dumps(generate(), ensure_ascii=False, indent=2) + "\n"
