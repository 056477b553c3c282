"""Typed readers: one located YAML value -> one checked Python value, or a problem.

:class:`Reader` turns the loader's located values (:mod:`handbook.loader`) into model
values — texts, ids, references, dates, headcounts, duty lists — and reports every
problem (never raises) with its position, code, message and hint. :meth:`Reader.fields`
reads all the fields of a mapping as :mod:`handbook.schema` declares them, so the
allowed keys and each value's type come from that one declaration. Which kinds of
objects exist and how they become model objects is :mod:`handbook.read`'s job; the
checks across objects are :mod:`handbook.checks`'. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from handbook import model as m
from handbook.audit.clauses import catalog
from handbook.problems import Code, Problem, Source
from handbook.schema import KINDS, Field
from handbook.validate import typing_mistakes as mistakes
from handbook.validate.dates import START_DATES, Month, is_month, parse_date
from handbook.validate.located_yaml import YList, YMap, YNode, YScalar
from handbook.validate.numbering import text_without_numbering

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
#: the words of an open headcount (pools of operators, drivers): kept as written, never a number
OPEN_HEADCOUNTS = ("若干", "不定", "按需", "不限", "若干人", "open", "as needed", "as required", "variable")
HEADCOUNT_RE = re.compile(r"^\s*(\d{1,9})\s*(?:(?:-|~|～|–|—|至|到)\s*(\d{1,9}))?\s*人?\s*$")

# hints for keys people write by mistake, beyond spelling
KEY_HINTS = {
    ("department", "roles"): "list roles under the top-level `roles:` key, each with `department: <id>`",
    ("role", "people"): "list people under the top-level `people:` key with `assignments: [{role: <id>}]`",
    ("role", "holder"): "holders are people: list them under `people:` with `assignments: [{role: <id>}]`",
    ("role", "supervisor"): "the supervisor is `reports_to: <role id>`",
    ("department", "manager"): "a department's manager is `head: <role id>`",
}


def close_match(word: str, options: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return found[0] if found else None


def is_null(node: YNode | None) -> bool:
    return node is None or (isinstance(node, YScalar) and node.is_null)


@dataclass
class Ref:
    """A reference to check once every object is known."""

    kind: str  # "department" | "role" | "step"
    target: str
    source: Source
    what: str  # e.g. "`reports_to` of role `x`"
    scope: str | None = None  # for steps: the process id


class Reader:
    """Reads located values, collecting problems and the references to check later."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.refs: list[Ref] = []
        # where single fields were written, for precise warnings: (kind, id, key) -> source
        self.field_sources: dict[tuple[str, str, str], Source] = {}
        #: fields whose declaration depends on the build: (kind, key) -> Field (the document statuses)
        self.field_overrides: dict[tuple[str, str], Field] = {}

    def err(self, source: Source, code: Code, message: str, hint: str = "", related: tuple[Source, ...] = ()) -> None:
        self.problems.append(Problem(source, code, message, hint, related))

    # -- shapes -------------------------------------------------------------------
    def mapping(self, node: YNode | None, what: str, allowed: Sequence[str], kind: str = "") -> YMap | None:
        if node is None:
            return None
        if not isinstance(node, YMap):
            self.err(
                node.source,
                Code.WRONG_TYPE,
                f"{what} must be a mapping (`key: value` lines), not {describe(node)}",
                shape_hint(node),
            )
            return None
        for key, (ksrc, _) in node.items.items():
            if key in allowed:
                continue
            hint = KEY_HINTS.get((kind, key), "")
            if not hint:
                guess = close_match(key, allowed)
                if guess:
                    hint = f"did you mean `{guess}`?"
                elif "extra" in allowed:
                    hint = "put data the format does not know under `extra:`"
                else:
                    hint = "allowed here: " + ", ".join(f"`{k}`" for k in allowed)
            self.err(ksrc, Code.UNKNOWN_KEY, f"unknown key `{key}` in {what}", hint)
        return node

    def list_of(self, node: YNode | None, what: str, allow_single: bool = False, ids: bool = False) -> list[YNode]:
        if node is None:
            return []
        if isinstance(node, YList):
            if node.flow and len(node.items) == 1 and not ids:
                self.one_item_check(node.items[0], what)
            return node.items
        if isinstance(node, YScalar) and node.is_null:
            return []
        if allow_single and isinstance(node, YScalar):
            if not ids:
                self.one_item_check(node, what)
            return [node]
        self.err(
            node.source,
            Code.WRONG_TYPE,
            f"{what} must be a list (lines starting with `- `), not {describe(node)}",
            "start each item with `- ` (e.g. `- id: …`)" if isinstance(node, YMap) else shape_hint(node),
        )
        return []

    def one_item_check(self, node: YNode, what: str) -> None:
        """``[总经理办公室，技术部]`` is one item: the full-width comma does not separate."""
        if not isinstance(node, YScalar) or node.quoted or not isinstance(node.value, str):
            return
        parts = mistakes.fullwidth_comma_items(node.raw)
        if parts:
            self.err(
                node.source,
                Code.FULLWIDTH_PUNCTUATION,
                f"{what} has one item, `{short(node.raw)}`: the full-width comma `，` does not separate items",
                "for "
                + str(len(parts))
                + " items use the half-width comma: `["
                + ", ".join(parts)
                + "]`"
                + f'; to keep one item, quote it: `["{short(node.raw)}"]`',
            )

    # -- scalars --------------------------------------------------------------------
    def text(self, node: YNode | None, what: str) -> m.Text | None:
        if is_null(node):
            return None
        assert node is not None
        if isinstance(node, YScalar):
            s = node.raw.strip()
            if not s:
                self.err(node.source, Code.BAD_VALUE, f"{what} is empty", "remove the key or write the text")
                return None
            return m.Text.plain(s)
        if isinstance(node, YMap):
            values: list[tuple[str, str]] = []
            for lang, (ksrc, v) in node.items.items():
                if not LANG_RE.match(lang):
                    self.err(
                        ksrc,
                        Code.BAD_VALUE,
                        f"`{lang}` in {what} is not a language code",
                        "a translated text maps language codes to strings: `{zh_CN: 研发经理, en: R&D Manager}`",
                    )
                    continue
                if not isinstance(v, YScalar) or v.is_null or not v.raw.strip():
                    self.err(
                        v.source,
                        Code.WRONG_TYPE if not isinstance(v, YScalar) else Code.BAD_VALUE,
                        f"the `{lang}` text of {what} must be a non-empty string",
                    )
                    continue
                values.append((lang, v.raw.strip()))
            if not values:
                if node.items:
                    return None
                self.err(node.source, Code.BAD_VALUE, f"{what} is empty")
                return None
            return m.Text(tuple(values))
        self.err(
            node.source,
            Code.WRONG_TYPE,
            f"{what} must be a text, not {describe(node)}",
            "write a string, or a mapping language -> string",
        )
        return None

    def texts(self, node: YNode | None, what: str) -> tuple[m.Text, ...]:
        out = []
        for item in self.list_of(node, what, allow_single=True):
            t = self.text(item, f"an item of {what}")
            if t is not None:
                out.append(text_without_numbering(t))  # the handbook numbers its lists itself
        return tuple(out)

    def ident(self, ymap: YMap, kind: str, what: str, required: bool = True, hint: str | None = None) -> str | None:
        node = ymap.get("id")
        if is_null(node):
            if required:
                self.err(
                    ymap.source,
                    Code.MISSING_FIELD,
                    f"{what} has no `id`",
                    hint or "give it a short lower-case id such as `cs-manager`; ids make page addresses",
                )
            return None
        assert node is not None
        if not isinstance(node, YScalar):
            self.err(node.source, Code.WRONG_TYPE, f"the id of {what} must be a plain word, not {describe(node)}")
            return None
        value = node.raw.strip()
        if not ID_RE.match(value):
            self.err(
                node.source,
                Code.BAD_ID,
                f"`{value}` is not a valid {kind} id",
                mistakes.fullwidth_id_hint(value) or id_hint(value),
            )
            return None
        return value

    def ref(self, node: YNode | None, kind: str, what: str, scope: str | None = None) -> str | None:
        if is_null(node):
            return None
        assert node is not None
        if not isinstance(node, YScalar):
            self.err(node.source, Code.WRONG_TYPE, f"{what} must be a {kind} id, not {describe(node)}")
            return None
        value = node.raw.strip()
        self.refs.append(Ref(kind, value, node.source, what, scope))
        return value

    def refs_list(self, node: YNode | None, kind: str, what: str, scope: str | None = None) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.list_of(node, what, allow_single=True, ids=True):
            joined = mistakes.fullwidth_comma_ids(item.raw) if isinstance(item, YScalar) and not item.quoted else []
            if joined:  # `[general-manager，assistant]`: say so, and check each id
                self.err(
                    item.source,
                    Code.BAD_VALUE,
                    f"{what}: `{item.raw.strip()}` is one id: the full-width comma does not separate items",
                    "separate ids with the half-width comma: `[" + ", ".join(joined) + "]`",
                )
                for part in joined:
                    self.refs.append(Ref(kind, part, item.source, what, scope))
                continue
            r = self.ref(item, kind, what, scope)
            if r is not None and r not in out:
                out.append(r)
        return tuple(out)

    def integer(self, node: YNode | None, what: str, minimum: int | None = None) -> int | None:
        if is_null(node):
            return None
        assert node is not None
        if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            if minimum is not None and node.value < minimum:
                self.err(
                    node.source,
                    Code.BAD_VALUE,
                    f"{what} must not be negative" if minimum == 0 else f"{what} must be at least {minimum}",
                )
                return None
            return node.value
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a whole number")
        return None

    def date(self, node: YNode | None, what: str, month_ok: bool = False) -> dt.date | None:
        """A date as people type it (:func:`handbook.validate.dates.parse_date`); ``month_ok``:
        a month alone (``2021-05``) is kept as a :class:`~handbook.validate.dates.Month`."""
        if is_null(node):
            return None
        assert node is not None
        if isinstance(node, YScalar):
            v = node.value
            if isinstance(v, dt.datetime):
                return v.date()
            if isinstance(v, dt.date) and (month_ok or not isinstance(v, Month)):
                return v
            found = parse_date(node.raw, month_ok)
            if found is not None:
                return found
            if is_month(node.raw):
                self.err(
                    node.source,
                    Code.BAD_VALUE,
                    f"{what} `{node.raw}` is a month, not a date",
                    f"write the day too, e.g. `{parse_date(node.raw, True).isoformat()}-01`",  # type: ignore[union-attr]
                )
                return None
            fixed = mistakes.suggest_date(node.raw)
            self.err(
                node.source,
                Code.BAD_VALUE,
                f"{what} `{node.raw}` is not a date",
                f"write dates as YYYY-MM-DD: `{fixed}`" if fixed else "write dates as YYYY-MM-DD, e.g. 2024-03-01",
            )
            return None
        self.err(
            node.source, Code.WRONG_TYPE, f"{what} must be a date, not {describe(node)}", "write dates as YYYY-MM-DD"
        )
        return None

    def headcount(self, node: YNode | None, what: str) -> m.Range | None:
        if is_null(node):
            return None
        assert node is not None
        hint = 'write a number such as `3`, a range such as `"5-10"`, or `若干` for an open headcount'
        if isinstance(node, YScalar):
            v = node.value
            if isinstance(v, int) and not isinstance(v, bool):
                if v < 0:
                    self.err(node.source, Code.BAD_VALUE, f"{what} must not be negative")
                    return None
                return m.Range(v, v)
            match = HEADCOUNT_RE.match(node.raw)
            if match:
                low = int(match.group(1))
                high = int(match.group(2)) if match.group(2) else low
                if low <= high:
                    return m.Range(low, high)
                self.err(
                    node.source, Code.BAD_VALUE, f"{what} `{node.raw}`: the range is reversed", f"write `{high}-{low}`"
                )
                return None
            word = node.raw.strip()
            if word.lower() in OPEN_HEADCOUNTS:
                return m.Range(0, 0, word)
            self.err(node.source, Code.BAD_VALUE, f"{what} `{short(node.raw)}` is not a headcount", hint)
            return None
        self.err(node.source, Code.WRONG_TYPE, f"{what} must be a number or a range, not {describe(node)}", hint)
        return None

    def choice(self, node: YNode | None, f: Field, what: str) -> str | None:
        if is_null(node):
            return None
        assert node is not None
        raw = node.raw.strip() if isinstance(node, YScalar) else ""
        raw = dict(f.aliases).get(raw, raw)
        if raw in f.choices:
            return raw
        guess = close_match(raw, f.choices)
        spelled: dict[str, str] = {}
        for a, v in f.aliases:  # the first spelling of each
            spelled.setdefault(v, a)
        options = ", ".join(f"{c} ({spelled[c]})" if c in spelled else c for c in f.choices)
        self.err(
            node.source,
            Code.BAD_VALUE,
            f"{what} `{raw}` is not one of " + ", ".join(f.choices),
            f"did you mean `{guess}`?" if guess else f"one of: {options}",
        )
        return None

    def clause(self, node: YNode | None, what: str) -> str | None:
        """An ISO 9001 clause number of the shipped list (``7.5`` is read as written, not as a number)."""
        if is_null(node):
            return None
        assert node is not None
        if not isinstance(node, YScalar):
            self.err(
                node.source,
                Code.WRONG_TYPE,
                f"{what} must be a clause number such as `8.2.1`, not {describe(node)}",
                'write the clause as a text: `"8.2.1"`',
            )
            return None
        cat = catalog()
        raw = node.raw.strip()
        if raw in cat.clauses:
            return raw
        guess = cat.suggestion(raw)
        hint = (
            f"did you mean `{guess}` ({cat.clauses[guess].zh})?"
            if guess
            else "clauses are numbered as in ISO 9001:2015 / GB/T 19001-2016, sections 4 to 10, e.g. `7.5.3`; "
            "`handbook clauses` lists them"
        )
        self.err(node.source, Code.UNKNOWN_CLAUSE, f"{what}: `{short(raw)}` is not a clause of {cat.standard_en}", hint)
        return None

    def clause_list(self, node: YNode | None, what: str) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.list_of(node, what, allow_single=True):
            c = self.clause(item, f"an item of {what}")
            if c is not None and c not in out:
                out.append(c)
        return tuple(out)

    def extra(self, node: YNode | None) -> Any:
        if node is None:
            return MappingProxyType({})
        if not isinstance(node, YMap):
            self.err(node.source, Code.WRONG_TYPE, "`extra` must be a mapping")
            return MappingProxyType({})
        return MappingProxyType({k: plain(v) for k, (_, v) in node.items.items()})

    # -- duty lists --------------------------------------------------------------------
    def duty_list(self, node: YNode | None, what: str) -> m.DutyList:
        out: list[m.Duty | m.DutyGroup] = []
        for item in self.list_of(node, what):
            if isinstance(item, YMap) and ("items" in item.items or "title" in item.items):
                group = self.duty_group(item, what)
                if group is not None:
                    out.append(group)
            else:
                d = self.duty(item, what)
                if d is not None:
                    out.append(d)
        return tuple(out)

    def duty_group(self, item: YMap, what: str) -> m.DutyGroup | None:
        grp = self.mapping(item, f"a group of {what}", KINDS["group"].keys())
        assert grp is not None
        title = self.fields(grp, "group", f"a group of {what}", skip=("items",))["title"]
        duties: list[m.Duty] = []
        items_node = grp.get("items")
        if items_node is None:
            self.missing(grp, KINDS["group"].field("items"), f"a group of {what}")
        elif is_null(items_node) or (isinstance(items_node, YList) and not items_node.items):
            self.err(
                items_node.source,
                Code.BAD_VALUE,
                f"a group of {what} has no items",
                "list the group's duties under `items:`, or remove the group",
            )
        for sub in self.list_of(items_node, f"the items of a group of {what}"):
            if isinstance(sub, YMap) and ("items" in sub.items or "title" in sub.items):
                self.err(
                    sub.source,
                    Code.WRONG_TYPE,
                    f"groups in {what} cannot be nested",
                    "one level of grouping only: move the items up",
                )
                continue
            d = self.duty(sub, what)
            if d is not None:
                duties.append(d)
        return None if title is None else m.DutyGroup(title, tuple(duties), grp.source)

    def duty(self, node: YNode, what: str) -> m.Duty | None:
        if isinstance(node, YMap):
            item = f"an item of {what}"
            dm = self.mapping(node, item, KINDS["duty"].keys())
            assert dm is not None
            values = self.fields(dm, "duty", item)
            if values["text"] is None:
                return None
            values["text"] = text_without_numbering(values["text"])  # 1、根据… pasted from Word
            return m.Duty(**values, source=dm.source)
        if isinstance(node, YList):
            self.err(node.source, Code.WRONG_TYPE, f"an item of {what} must be a text, a duty or a group, not a list")
            return None
        text = self.text(node, f"an item of {what}")
        return None if text is None else m.Duty(text_without_numbering(text), source=node.source)

    # -- fields as the schema declares them -------------------------------------------------
    def missing(self, ymap: YMap, f: Field, what: str) -> None:
        """Report a required field that is absent (or written without a value)."""
        node = ymap.get(f.key)
        hint = f"`{f.key}` is required" if f.missing_hint is None else f.missing_hint
        self.err(ymap.source if node is None else node.source, Code.MISSING_FIELD, f"{what} has no `{f.key}`", hint)

    def value(self, ymap: YMap, f: Field, what: str, scope: str | None = None) -> Any:
        """One field's value by its declared type (object fields: :meth:`nested`)."""
        node = ymap.get(f.key)
        label = f"`{f.key}`"
        t = f.type
        if t == "text":
            return self.text(node, label)
        if t == "texts":
            return self.texts(node, label)
        if t == "ref":
            return self.ref(node, f.ref or "", f"`{f.key}` of {what}", scope)
        if t == "refs":
            return self.refs_list(node, f.ref or "", f"`{f.key}` of {what}", scope)
        if t == "duties":
            return self.duty_list(node, label)
        if t == "int":
            return self.integer(node, f"`{f.key}` of {what}" if f.minimum is not None else label, f.minimum)
        if t == "date":
            return self.date(node, label, month_ok=f.key in START_DATES)
        if t == "headcount":
            return self.headcount(node, label)
        if t == "choice":
            return self.choice(node, f, label)
        if t == "clause":
            return self.clause(node, label)
        if t == "clauses":
            return self.clause_list(node, label)
        if t == "extra":
            return self.extra(node)
        if t in ("object", "objects"):
            return self.nested(node, f, what, scope)
        raise ValueError(f"unknown field type {t!r}")  # pragma: no cover - the schema is ours

    def fields(
        self, ymap: YMap, kind: str, what: str, scope: str | None = None, skip: Sequence[str] = ("id",)
    ) -> dict[str, Any]:
        """Every field of a mapping of ``kind`` (except ``skip``), by model attribute name.

        A required field that is absent is reported and read as ``None`` (a required list
        written empty is the caller's to judge: an empty duty list is a bad value)."""
        out: dict[str, Any] = {}
        for f in KINDS[kind].fields:
            if f.key in skip:
                continue
            f = self.field_overrides.get((kind, f.key), f)
            node = ymap.get(f.key)
            if f.required and (node is None or (is_null(node) and f.type not in ("duties", "objects", "refs"))):
                self.missing(ymap, f, what)
                out[f.name] = None
            elif f.required and f.type == "text":
                out[f.name] = self.text(node, f"`{f.key}` of {what}")
            else:
                out[f.name] = self.value(ymap, f, what, scope)
        return out

    def nested(self, node: YNode | None, f: Field, what: str, scope: str | None = None) -> Any:
        """An object field: a mapping (or list of them) of another kind; see :mod:`handbook.read`."""
        raise NotImplementedError  # pragma: no cover - provided by handbook.read.ObjectReader


# -- small helpers -----------------------------------------------------------------
def describe(node: YNode) -> str:
    """What a value is, as messages say it: "a list", "a number (`3`)"."""
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YList):
        return "a list"
    if node.is_null:
        return "nothing (null)"
    v = node.value
    if isinstance(v, bool):
        return f"a true/false value (`{node.raw}`)"
    if isinstance(v, (int, float)):
        return f"a number (`{node.raw}`)"
    return f"a text (`{short(node.raw)}`)"


def short(s: str, n: int = 30) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def shape_hint(node: YNode) -> str:
    if isinstance(node, YScalar):
        return (
            mistakes.scalar_hint(node.raw) if isinstance(node.value, str) else ""
        ) or "check the indentation: the lines that belong here must be indented below this key"
    return ""


def id_hint(value: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-_")[:64]
    if slug and ID_RE.match(slug):
        return f"ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `{slug}`"
    return (
        "ids use lower-case ASCII letters, digits, `-` and `_` (at most 64), e.g. `cs-manager`; "
        "put the Chinese name in `name`/`title`"
    )


def plain(node: YNode, memo: dict[int, Any] | None = None) -> Any:
    """Free `extra:` data as plain values (shared YAML aliases stay shared, not expanded)."""
    if isinstance(node, YScalar):
        return node.value if not isinstance(node.value, (dt.date,)) else node.value.isoformat()
    memo = {} if memo is None else memo
    if id(node) not in memo:
        if isinstance(node, YList):
            memo[id(node)] = tuple(plain(x, memo) for x in node.items)
        else:
            memo[id(node)] = MappingProxyType({k: plain(v, memo) for k, (_, v) in node.items.items()})
    return memo[id(node)]
