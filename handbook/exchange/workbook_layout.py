"""The workbook layout, derived from :mod:`handbook.schema`, and how cells hold values.

One sheet per kind of top-level object (公司 / 部门 / 岗位 / 人员 / 流程), one row per
object, one column per field. Nothing here is a second list of fields: the columns come
from the schema's :class:`~handbook.schema.Field`\\ s, so a field added there becomes a
column of the template, the import and the export:

* a field holding one value (text, id, reference, date, number, headcount, choice) is one
  column, named by the field's ``zh`` (Chinese) or ``key`` (English);
* a nested object (``document``, ``qualifications``, an approval …) is flattened into
  columns named by the path: ``文件控制·编制·姓名`` / ``document.prepared_by.name``;
* a list of texts, references or short objects (``assignments``, ``next``) and a duty
  list are one multi-line cell, one item per line;
* a list of larger objects (``history``, ``steps``, ``raci``) is a sheet of its own, with
  a column naming the object it belongs to (``流程`` for steps and RACI rows).

Cells (:func:`encode_text`, :func:`decode_text`, :func:`duty_lines`, :func:`item_line`):

* a translated text is written ``[zh_CN] 研发经理 [en] R&D Manager``;
* in a duty list a line such as ``一、以管促供`` (or ``# any title``) starts a group, the
  lines after it are its duties, and a line ``#`` alone ends the group;
* a duty's other fields follow its text as ``【考核指标】…【频率】…`` (the field's Chinese
  name or key in 【】); the same form gives an assignment's ``【任职方式】兼任`` or a
  step's branch label ``【分支条件】…``;
* a backslash keeps a character literal: ``\\【``, ``\\#``, ``\\[``, ``\\一``; ``\\n`` is a line
  break inside one item and ``\\\\`` a backslash.

No Sphinx imports; no file formats (those are :mod:`handbook.spreadsheet`'s).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from handbook import model as m
from handbook.schema import KINDS, Field, Kind
from handbook.validate.values import LANG_RE

# -- the layout -------------------------------------------------------------------------

#: the sheets' Chinese names where they differ from the schema's word for the kind
SHORT_ZH = {"processes": "流程"}
#: the sheet of explanations the template carries; it is never read as data
HELP_SHEET = ("说明", "help")


@dataclass(frozen=True)
class Column:
    path: tuple[Field, ...]  # from the sheet's kind down to the field this column holds
    reverse: str = ""  # "holders": the people holding a role (the reverse of person.assignments)
    parent: str = ""  # the kind of the object this row belongs to (steps -> process)

    @property
    def field(self) -> Field:
        return self.path[-1]

    @property
    def en(self) -> str:
        if self.reverse:
            return HOLDERS_EN
        if self.parent:
            return self.parent
        return ".".join(f.key for f in self.path)

    @property
    def zh(self) -> str:
        if self.reverse:
            return HOLDERS_ZH
        if self.parent:
            return SHORT_ZH.get(_TOP_KEY[self.parent], KINDS["file"].field(_TOP_KEY[self.parent]).zh)
        return "·".join(f.zh or f.key for f in self.path)

    @property
    def cell(self) -> str:
        """How the cell holds the value: one, lines (one item per line), duties, objects, extra."""
        if self.reverse or self.parent:
            return "lines" if self.reverse else "one"
        t = self.field.type
        if t in ("texts", "refs", "clauses"):
            return "lines"
        if t == "duties":
            return "duties"
        if t == "objects":
            return "objects"
        if t == "object":  # the plain-list form of an object (qualifications as a list of texts)
            return "lines"
        if t == "extra":
            return "extra"
        return "one"

    @property
    def required(self) -> bool:
        # an empty id is derived from the title
        return all(f.required for f in self.path) and not self.reverse and self.field.type != "id"

    def names(self) -> tuple[str, ...]:
        """Every header this column is recognised by."""
        return (self.zh, self.en)


@dataclass(frozen=True)
class Sheet:
    key: str  # the English name: "roles", "steps"
    zh: str  # the Chinese name: "岗位", "流程步骤"
    kind: str  # the kind of object a row holds
    columns: tuple[Column, ...]
    owner: str = ""  # for a sheet of nested objects: the kind they belong to ("process")
    field_key: str = ""  # … and the field of that kind they fill ("steps")
    help: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.key) + ((KINDS["file"].field(self.key).zh,) if self.key in _TOP_KINDS else ())


_TOP_KEY = {f.of: f.key for f in KINDS["file"].fields if f.of}  # "role" -> "roles"
_TOP_KINDS = {f.key: f.of for f in KINDS["file"].fields if f.of}  # "roles" -> "role"

#: the reverse column: a role's holders, for workbooks that list them on the role's row (编制表)
HOLDERS_ZH = KINDS["person"].field("assignments").zh + KINDS["person"].zh  # 任职人员
HOLDERS_EN = "holders"


def _columns(kind: Kind, prefix: tuple[Field, ...], out: list[Column], children: list[tuple[Field, tuple]]) -> None:
    for f in kind.fields:
        path = (*prefix, f)
        if f.type == "object":
            assert f.of is not None
            if f.list_attr:
                out.append(Column(path))
            _columns(KINDS[f.of], path, out, children)
        elif f.type == "objects" and not f.shorthand:
            children.append((f, path))
        else:
            out.append(Column(path))


def _layout() -> tuple[Sheet, ...]:
    sheets: list[Sheet] = []
    nested: list[Sheet] = []
    for top in KINDS["file"].fields:
        assert top.of is not None
        kind = KINDS[top.of]
        cols: list[Column] = []
        children: list[tuple[Field, tuple]] = []
        _columns(kind, (), cols, children)
        if top.of == "role":
            at = next(i for i, c in enumerate(cols) if c.field.key == "headcount") + 1
            cols.insert(at, Column((KINDS["person"].field("assignments"),), reverse="holders"))
        sheets.append(Sheet(top.key, SHORT_ZH.get(top.key, top.zh), top.of, tuple(cols), help=kind.en))
        for f, path in children:
            assert f.of is not None
            ccols: list[Column] = []
            sub: list[tuple[Field, tuple]] = []
            _columns(KINDS[f.of], (), ccols, sub)
            assert not sub, "a nested sheet inside a nested sheet is not supported"
            if kind.id_field is not None:  # rows name the object they belong to
                ccols.insert(0, Column((kind.id_field,), parent=top.of))
            nested.append(
                Sheet(
                    f.key,
                    f.zh,
                    f.of,
                    tuple(ccols),
                    owner=top.of,
                    field_key=".".join(x.key for x in path),
                    help=KINDS[f.of].en,
                )
            )
    return tuple(sheets + nested)


#: every sheet of the workbook, in the order of the template
SHEETS: tuple[Sheet, ...] = _layout()


#: the template's example row of each sheet (column -> cell), written below the header to show
#: what HR types; an import skips a row that is still exactly this example
EXAMPLES: dict[str, dict[str, str]] = {
    "company": {
        "name": "示例科技有限公司",
        "short_name": "示例科技",
        "document.number": "QM-01",
        "document.revision": "A/0",
        "document.effective": "2026-01-01",
    },
    "departments": {
        "name": "研发部",
        "code": "D-02",
        "parent": "总经办",
        "head": "研发经理",
        "functions": "一、产品研发\n负责新产品开发【考核指标】按期完成率 ≥ 95%【频率】每季度\n"
        "负责技术文件管理【对应条款】7.5",
    },
    "roles": {
        "title": "研发经理",
        "department": "研发部",
        "code": "RD-01",
        "reports_to": "总经理",
        "headcount": "1",
        "holders": "张三",
        "responsibilities": "主持产品研发工作【考核指标】项目按期完成率 ≥ 95%【频率】每季度\n审核设计文件",
        "authority": "审批研发费用\n否决不合格的设计",
        "qualifications.education": "本科",
        "qualifications.experience": "5 年以上研发管理经验",
    },
    "people": {"name": "张三", "assignments": "研发经理【任职日期】2021-05\n质量经理【任职方式】兼任"},
    "processes": {
        "name": "采购流程",
        "owner": "采购经理",
        "purpose": "保证物资及时供应",
        "inputs": "采购申请",
        "outputs": "合格物资",
    },
    "history": {"revision": "A/0", "date": "2026-01-01", "author": "张三", "summary": "首次发布"},
    "acknowledgements": {"person": "张三", "revision": "A/0", "date": "2026-01-10", "record": "HR-QR-2026-001"},
    "reviews": {"date": "2027-01-05", "reviewer": "张三", "result": "无变化", "record": "QM-R-2027-01"},
    "clause_owners": {"clause": "7.5", "lead": "总经办"},
    "steps": {"process": "采购流程", "id": "apply", "action": "提出采购申请", "role": "采购经理"},
    "raci": {"process": "采购流程", "activity": "审批采购申请", "R": "采购经理", "A": "总经理"},
}


def sheet(key: str) -> Sheet:
    return next(s for s in SHEETS if s.key == key)


#: characters nobody sees that a copy and paste (or an editor's byte-order mark) leaves in a cell
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def invisible_removed(s: str) -> str:
    """A header, id or reference without the zero-width characters and BOMs pasted into it."""
    return INVISIBLE.sub("", s)


@functools.lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """A header or sheet name as compared: no spaces, case, required marks or full-width dots."""
    s = re.sub(r"\s+", "", invisible_removed(str(name))).strip("*＊").casefold()
    return s.replace("・", "·").replace("．", ".").replace("-", "_")


def header_names(sh: Sheet) -> dict[str, Column]:
    """Every accepted header of a sheet -> its column: the full names, and each unique tail
    of a nested column's path (``学历`` for ``任职资格·学历``)."""
    out: dict[str, Column] = {}
    tails: dict[str, list[Column]] = {}
    for c in sh.columns:
        for n in c.names():
            out[normalise(n)] = c
        for sep, parts in (("·", c.zh.split("·")), (".", c.en.split("."))):
            for i in range(1, len(parts)):
                tails.setdefault(normalise(sep.join(parts[i:])), []).append(c)
    for name, cols in tails.items():
        if name not in out and len(cols) == 1:
            out[name] = cols[0]
    return out


def title_field(kind: str) -> Field:
    """The field that names an object of a kind (a role's title, a step's action)."""
    k = KINDS[kind]
    return next(f for f in k.fields if f.required and f.type == "text")


# -- cells: texts ---------------------------------------------------------------------------
_LANG_MARK = re.compile(r"(?:(?<=\s)|^)\[(" + LANG_RE.pattern.strip("^$") + r")\]\s*")
GROUP_RE = re.compile(r"^[一二三四五六七八九十百零〇]+、")
_NUMERALS = "一二三四五六七八九十百零〇"
_ESCAPABLE = "\\【[#" + _NUMERALS


def unescape(s: str) -> str:
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and (s[i + 1] in _ESCAPABLE or s[i + 1] == "n"):
            out.append("\n" if s[i + 1] == "n" else s[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_unescaped(s: str, pattern: re.Pattern) -> list[tuple[str | None, str]]:
    """Split at the matches of ``pattern`` not preceded by a backslash: [(marker, text)]."""
    parts: list[tuple[str | None, str]] = []
    last, marker = 0, None
    for mt in pattern.finditer(s):
        bs = 0
        j = mt.start() - 1
        while j >= 0 and s[j] == "\\":
            bs += 1
            j -= 1
        if bs % 2:
            continue
        parts.append((marker, s[last : mt.start()]))
        marker, last = mt.group(1), mt.end()
    parts.append((marker, s[last:]))
    return parts


def decode_text(s: str) -> str | dict[str, str]:
    """A cell's (or a line's) text: a string, or language -> string for ``[zh_CN] … [en] …``."""
    s = s.strip()
    if not _LANG_MARK.match(s):
        return unescape(s)
    out: dict[str, str] = {}
    for lang, part in _split_unescaped(s, _LANG_MARK):
        if lang is None:
            continue
        out[lang] = unescape(part.strip())
    return out


def encode_text(t: m.Text, line: bool = False) -> str:
    """A text as a cell (``line``: as one line of a multi-line cell) writes it."""

    def esc(s: str, lead: bool = True) -> str:
        s = s.replace("\\", "\\\\")
        if line:
            s = s.replace("\n", "\\n").replace("【", "\\【")
            if lead and (s.startswith("#") or GROUP_RE.match(s)):
                s = "\\" + s
        return s

    if len(t.values) == 1 and t.values[0][0] == "":
        s = esc(t.values[0][1])
        return "\\" + s if s.startswith("[") else s
    return " ".join(f"[{lang}] {esc(s, lead=False).replace('[', chr(92) + '[')}" for lang, s in t.values)


# -- cells: lines of items with fields ----------------------------------------------------------
@functools.cache
def markers(kind: str, main: str) -> dict[str, str]:
    """The 【…】 markers of a kind's other fields: normalised marker -> key (zh and key)."""
    out = {}
    for f in KINDS[kind].fields:
        if f.key != main:
            out[normalise(f.zh or f.key)] = f.key
            out[normalise(f.key)] = f.key
    return out


_MARK = re.compile(r"【([^】]*)】")


def split_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``text【考核指标】≥ 98%【频率】每月`` -> ("text", [("考核指标", "≥ 98%"), ("频率", "每月")])."""
    parts = _split_unescaped(line, _MARK)
    head = parts[0][1].strip()
    return head, [(marker or "", text.strip()) for marker, text in parts[1:]]


def item_line(main: str, others: list[tuple[str, str]]) -> str:
    return main + "".join(f"【{label}】{value}" for label, value in others)


@dataclass
class Line:
    """One line of a duty-list cell: a group title, the end of a group, or a duty."""

    what: str  # "group" | "end" | "item"
    text: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    number: int = 0  # the line in the cell, from 1


def cell_lines(cell: str) -> Iterator[tuple[int, str]]:
    for i, raw in enumerate(str(cell).splitlines(), 1):
        if raw.strip():
            yield i, raw.strip()


def duty_lines(cell: str) -> list[Line]:
    out = []
    numbered: set[int] = set()  # the lines that start a group by a 一、 numeral (not by `#`)
    for n, line in cell_lines(cell):
        if line == "#":
            out.append(Line("end", "", number=n))
        elif line.startswith("#"):
            out.append(Line("group", line[1:].strip(), number=n))
        elif GROUP_RE.match(line):
            numbered.add(len(out))
            out.append(Line("group", line, number=n))
        else:
            head, fields_ = split_line(line)
            out.append(Line("item", head, fields_, n))
    # 一、负责… 二、负责… pasted from Word: a `一、` line with no duties under it is a duty, not a group
    for i, ln in enumerate(out):
        if i in numbered and (i + 1 == len(out) or out[i + 1].what != "item"):
            head, fields_ = split_line(ln.text)
            out[i] = Line("item", head, fields_, ln.number)
    return out


def encode_duties(items: m.DutyList) -> str:
    lines: list[str] = []
    in_group = False
    for item in items:
        if isinstance(item, m.DutyGroup):
            title = encode_text(item.title, line=True)
            plain = len(item.title.values) == 1 and item.title.values[0][0] == ""
            lines.append(
                item.title.values[0][1]
                if plain
                and GROUP_RE.match(item.title.values[0][1])
                and "\n" not in item.title.values[0][1]
                and "\\" not in item.title.values[0][1]
                and "【" not in item.title.values[0][1]
                else "# " + title
            )
            lines.extend(encode_duty(d) for d in item.items)
            in_group = True
        else:
            if in_group:
                lines.append("#")
                in_group = False
            lines.append(encode_duty(item))
    return "\n".join(lines)


def encode_duty(d: m.Duty) -> str:
    others = []
    for f in KINDS["duty"].fields:
        v = getattr(d, f.name)
        if f.key == "text" or v is None or v == ():
            continue
        others.append((f.zh or f.key, "、".join(v) if f.type == "clauses" else encode_text(v, line=True)))
    return item_line(encode_text(d.text, line=True), others)


_CELL_DOC = {
    "lines": "one per line",
    "duties": "one duty per line; `一、…` or `# …` starts a group, `#` alone ends it; `【考核指标】…【频率】…` after a duty",
    "objects": "one per line: {main}, then `【…】value` for {others}",
    "extra": '`{"key": "value"}` (YAML or JSON)',
}


def markdown_table() -> str:
    """The manual's table of the workbook (docs/spreadsheets.md): every sheet and column, from
    the schema (computed afresh, so a field added to the schema shows at once)."""
    from handbook.schema import type_text

    lines = ["| sheet | column | English header | holds | cell |", "| --- | --- | --- | --- | --- |"]
    for sh in _layout():
        for i, c in enumerate(sh.columns):
            f = c.field
            if c.reverse:
                holds, cell = (
                    "the people holding the role (by id or name); the reverse of 人员 · 任职",
                    "one per line: a person, then `【任职方式】兼任` / `【任职日期】…`",
                )
            elif c.parent:
                holds, cell = f"the {c.parent} the row belongs to (id or name)", "one value"
            else:
                holds = f"{f.en} — {type_text(f)}" + (", **required**" if c.required else "")
                if f.type == "id":
                    holds += "; left empty, it is derived from the title"
                how = c.cell
                if how == "objects":
                    assert f.of is not None
                    others = ", ".join(f"`【{x.zh or x.key}】`" for x in KINDS[f.of].fields if x.key != f.shorthand)
                    cell = _CELL_DOC["objects"].format(main=f"`{f.shorthand}`", others=others)
                else:
                    cell = _CELL_DOC.get(how, "one value")
            name = f"{sh.zh} (`{sh.key}`)" if i == 0 else ""
            lines.append(f"| {name} | {c.zh} | `{c.en}` | {holds.replace('|', '/')} | {cell} |")
    return "\n".join(lines) + "\n"
