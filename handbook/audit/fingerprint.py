"""The fingerprint of a handbook's content: what `handbook release` approves and `handbook verify` checks.

The content is the model as canonical JSON — keys sorted, no whitespace, dates as
``YYYY-MM-DD``, texts as ``{language: text}`` — and the fingerprint is its sha256
(``sha256:<64 hex>``; :func:`short` gives the 12 hex digits the cover prints).

What is content: the company (name, description, clause owners …), every department,
role, process and person, and of the document control its number, title, revision and
effective date. What is a record, and so never part of the content (recording it after the
approval changes nothing that was approved): the status and its marking, the approvals
(编制 / 审核 / 批准 are the record of the approval itself), the distribution with its
receipts, the revision history (which holds the fingerprints), the review log and the
next review date, acknowledgements. Free data (``extra``: not checked, not shown on any
page) is not content either. Positions in the files (``source``), the order of the
files and of people in them, and YAML shorthands (the readers normalise them) change
nothing either. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from handbook import model as m
from handbook.status import Status

#: the document control's fields that are content (every other one is a record)
DOCUMENT_CONTENT: tuple[str, ...] = ("number", "title", "revision", "effective")
#: per model class, the fields that are records, not content (besides ``source``)
RECORD_FIELDS: dict[type, frozenset[str]] = {
    m.Person: frozenset({"key"}),  # derived from the position in the file when there is no id
}
#: the company's fields that are records (a later part may add its records here)
COMPANY_RECORDS: frozenset[str] = frozenset({"document", "acknowledgements"})

PREFIX = "sha256:"


def _value(obj: Any) -> Any:
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, m.Text):
        return {lang: s for lang, s in obj.values}
    if isinstance(obj, m.Range):
        return obj.as_data()
    if isinstance(obj, Status):
        return obj.key
    if isinstance(obj, Mapping):
        return {str(k): _value(v) for k, v in obj.items()}
    if isinstance(obj, (tuple, list)):
        return [_value(x) for x in obj]
    if is_dataclass(obj):
        skip = RECORD_FIELDS.get(type(obj), frozenset())
        out = {}
        for f in fields(obj):
            if f.name in ("source", "extra") or f.name in skip:
                continue
            v = _value(getattr(obj, f.name))
            if v not in (None, [], {}, ""):  # absent and empty are the same content
                out[f.name] = v
        return out
    return str(obj)


def content(hb: m.Handbook) -> dict[str, Any]:
    """The handbook's content as plain JSON values (records left out)."""
    c = hb.company
    company = {
        f.name: _value(getattr(c, f.name))
        for f in fields(c)
        if f.name not in ("source", "extra")
        and f.name not in COMPANY_RECORDS
        and _value(getattr(c, f.name)) not in (None, [], {}, "")
    }
    doc = c.document
    document = {k: _value(getattr(doc, k)) for k in DOCUMENT_CONTENT if getattr(doc, k) is not None}
    people = sorted((_value(p) for p in hb.people), key=lambda p: json.dumps(p, sort_keys=True, ensure_ascii=False))
    return {
        "company": company,
        "document": document,
        "departments": {k: _value(v) for k, v in hb.departments.items()},
        "roles": {k: _value(v) for k, v in hb.roles.items()},
        "processes": {k: _value(v) for k, v in hb.processes.items()},
        "people": people,
    }


def canonical(hb: m.Handbook) -> bytes:
    """The content as canonical JSON (UTF-8, keys sorted, no whitespace)."""
    return json.dumps(content(hb), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(hb: m.Handbook) -> str:
    """``sha256:<64 hex>`` of the canonical content."""
    return PREFIX + hashlib.sha256(canonical(hb)).hexdigest()


def short(fp: str) -> str:
    """The 12 hex digits a page prints: ``sha256:0123abcd…`` -> ``0123abcd4567``."""
    return fp.removeprefix(PREFIX)[:12]


def parse(text: str) -> str | None:
    """A fingerprint as written (``sha256:<hex>``, or the hex alone), normalised; None: not one."""
    t = text.strip().lower()
    hexpart = t.removeprefix(PREFIX)
    if len(hexpart) == 64 and all(ch in "0123456789abcdef" for ch in hexpart):
        return PREFIX + hexpart
    return None


#: a PDF's keywords carry ``handbook-revision=<rev>`` and ``handbook-fingerprint=sha256:<hex>``
KEY_REVISION = "handbook-revision="
KEY_FINGERPRINT = "handbook-fingerprint="


def pdf_keywords(revision: str, fp: str) -> str:
    """The PDF's /Keywords: what ``handbook verify`` reads back."""
    return f"{KEY_REVISION}{revision}; {KEY_FINGERPRINT}{fp}"


def from_keywords(keywords: str) -> tuple[str, str] | None:
    """(revision, fingerprint) from a PDF's keywords (None: no fingerprint in them)."""
    revision = found = ""
    for part in keywords.split(";"):
        part = part.strip()
        if part.startswith(KEY_REVISION):
            revision = part.removeprefix(KEY_REVISION)
        elif part.startswith(KEY_FINGERPRINT):
            found = parse(part.removeprefix(KEY_FINGERPRINT)) or ""
    return (revision, found) if found else None
