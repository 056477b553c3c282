"""``handbook export``: the handbook as a workbook, CSV files, or handbook.json.

* The workbook (and the CSV files) have the layout of :data:`handbook.sheets.SHEETS`, the
  one ``handbook import`` reads and ``handbook template`` writes, so HR can edit the
  organisation in Excel and import it again: exporting and importing gives data equal to
  the original (``tests/unit/exchange/test_spreadsheet.py`` checks it on the example and the hostile
  test data).
* ``handbook.json`` holds every object with its fields as in the YAML format plus what
  the build derives: page URLs, parents and sub-departments, a department's roles, a
  role's direct and dotted-line reports, holders and staffing (headcount, filled,
  vacant), the processes a role takes part in; and a ``schema_version``. The HTML build
  publishes it beside the site (:mod:`handbook.publish`).

No Sphinx imports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from handbook import __version__
from handbook import model as m
from handbook.exchange import yaml_out as dump
from handbook.exchange.sheet_files import OutSheet
from handbook.exchange.workbook_layout import (
    EXAMPLES,
    GROUP_RE,
    HELP_SHEET,
    SHEETS,
    Column,
    Sheet,
    decode_text,
    encode_duties,
    encode_text,
    item_line,
)
from handbook.pages import OBJECT_PAGES, PAGES
from handbook.schema import KINDS, Field
from handbook.validate.dates import Month

#: bump when handbook.json changes incompatibly (a key removed or its meaning changed)
SCHEMA_VERSION = 1


# -- workbook rows ----------------------------------------------------------------------------
def _objects(hb: m.Handbook, sh: Sheet) -> list[tuple[Any, Any]]:
    """(object, the object it belongs to) for each row of a sheet."""
    if sh.key == "company":
        return [(hb.company, None)]
    if sh.key == "departments":
        return [(d, None) for d in hb.departments.values()]
    if sh.key == "roles":
        return [(r, None) for r in hb.roles.values()]
    if sh.key == "people":
        return [(p, None) for p in hb.people]
    if sh.key == "processes":
        return [(p, None) for p in hb.processes.values()]
    if sh.key == "acknowledgements":
        return [(a, None) for a in hb.acknowledgements]
    owners = {"company": [hb.company], "process": list(hb.processes.values())}[sh.owner]
    out = []
    for owner in owners:
        value: Any = owner
        kind = sh.owner
        for key in sh.field_key.split("."):  # e.g. document.history: the fields' model attributes
            f = KINDS[kind].field(key)
            value = getattr(value, f.name)
            kind = f.of or kind
        out.extend((x, owner) for x in value)
    return out


def _object_line(obj: Any, f: Field, language: str, names: dict[str, dict[str, str]] | None = None) -> str:
    """A short object (an assignment, a `next` entry) as one line: main【label】value…"""
    assert f.of is not None and f.shorthand is not None
    kind = KINDS[f.of]
    others = []
    for sub in kind.fields:
        if sub.key == f.shorthand:
            continue
        v = getattr(obj, sub.name)
        if v is None or (f.of == "assignment" and sub.key == "type" and v == "primary"):
            continue
        if sub.type == "choice":
            alias = {val: a for a, val in sub.aliases}
            text = alias.get(v, v) if language.startswith("zh") else v
        elif sub.type == "date":
            text = v.isoformat()
        elif sub.type == "text":
            text = encode_text(v, line=True)
        else:
            text = str(v)
        others.append((sub.zh or sub.key if language.startswith("zh") else sub.key, text))
    main_field = kind.field(f.shorthand)
    main = getattr(obj, main_field.name)
    if main_field.type == "ref":
        main = _named(names, main_field.ref, str(main))
    return item_line(encode_text(main, line=True) if isinstance(main, m.Text) else str(main), others)


#: the kinds whose references a workbook writes as names (a step is named by its id)
NAMED_KINDS = ("department", "role", "process")
_SAFE_NAME = re.compile(r"[^\s\\\[#【】、,，;；]([^\\\n【】、,，;；]*[^\s\\【】、,，;；])?")


def ref_names(hb: m.Handbook, language: str = "zh_CN") -> dict[str, dict[str, str]]:
    """kind -> id -> the name a workbook writes for a reference to it (所属部门 = 物资管理部, not
    wu-zi-guan-li-bu), for every object whose name the import maps back to exactly that object:
    a name no other object of its kind has (in any language), that is no other object's id and
    that a cell reads as written. Other references keep their id."""
    out: dict[str, dict[str, str]] = {}
    for kind in NAMED_KINDS:
        store = hb.store(kind)
        counts: dict[str, int] = {}
        for ident in store:
            for t in set(hb.title(kind, ident).all_strings()):  # type: ignore[union-attr]
                counts[t] = counts.get(t, 0) + 1
        names: dict[str, str] = {}
        for ident in store:
            t = hb.title(kind, ident).get(language)  # type: ignore[union-attr]
            if (
                counts.get(t) == 1
                and (t == ident or t not in store)
                and _SAFE_NAME.fullmatch(t)
                and not GROUP_RE.match(t)
                and decode_text(t) == t
            ):
                names[ident] = t
        out[kind] = names
    return out


def _named(names: dict[str, dict[str, str]] | None, kind: str | None, ident: str) -> str:
    return (names or {}).get(kind or "", {}).get(ident, ident)


def cell_value(
    col: Column, obj: Any, owner: Any, language: str = "zh_CN", names: dict[str, dict[str, str]] | None = None
) -> Any:
    """What one cell of an object's row holds (references as ``names`` gives them, else ids)."""
    if col.parent:
        return _named(names, col.parent, owner.id)
    if col.reverse:
        return None
    value: Any = obj
    for f in col.path:
        if value is None:
            return None
        value = getattr(value, f.name)
    f = col.field
    if value is None:
        return None
    t = f.type
    if t == "object":  # the plain-list form
        assert f.list_attr is not None
        return "\n".join(encode_text(x, line=True) for x in getattr(value, f.list_attr)) or None
    if t == "text":
        return encode_text(value)
    if t == "texts":
        return "\n".join(encode_text(x, line=True) for x in value) or None
    if t == "refs":
        return "\n".join(_named(names, f.ref, x) for x in value) or None
    if t == "clauses":
        return "\n".join(value) or None
    if t == "duties":
        return encode_duties(value) or None
    if t == "headcount":
        return value.as_data()
    if t == "objects":
        return "\n".join(_object_line(x, f, language, names) for x in value) or None
    if t == "extra":
        return json.dumps(dump.plain_extra(value), ensure_ascii=False) if value else None
    if t == "choice":  # a document status is read into its Status: write its key, or its Chinese word
        key = getattr(value, "key", value)
        first = {}
        for alias, val in f.aliases:
            first.setdefault(val, alias)
        return first.get(key, key) if language.startswith("zh") else key
    if isinstance(value, Month):  # a month alone: text, or Excel would make it a day
        return value.isoformat()
    if t == "ref":
        return _named(names, f.ref, value)
    return value  # id, int, date


def _note(col: Column, language: str) -> str:
    f = col.field
    from handbook.schema import type_text

    zh = language.startswith("zh")
    lines = [
        f"{col.zh} / {col.en}",
        f.zh + ("：" if zh else ": ") + f.en if f.zh else f.en,
        ("类型：" if zh else "type: ")
        + (
            type_text(f, "zh" if zh else "en")
            if not col.reverse and not col.parent
            else ("人员 标识或姓名" if col.reverse else "流程 标识或名称")
        ),
    ]
    if col.required:
        lines.append("必填" if zh else "required")
    how = CELL_HELP.get(col.cell if not col.reverse else "holders")
    if col.cell == "objects" and not col.reverse and f.of and f.shorthand:  # this column's own fields
        main = KINDS[f.of].field(f.shorthand)
        marks = "".join(f"【{x.zh or x.key}】…" for x in KINDS[f.of].fields if x.key != f.shorthand)
        how = (
            f"每行一项：{main.zh or main.key}，其后可写 {marks}",
            f"one per line: {main.en}, then {marks}",
        )
    if how:
        lines.append(how[0] if zh else how[1])
    return "\n".join(lines)


CELL_HELP = {
    "lines": ("每行一项", "one item per line"),
    "duties": (
        "每行一条职责；其下有职责的“一、…”或“# 标题”开始一个分组；【考核指标】…【频率】… 跟在职责后；"
        "从 Word 粘贴的编号（1、 （一） ① …）会去掉，由手册自动编号",
        "one duty per line; a line 一、… with duties under it, or # title, starts a group; 【考核指标】…【频率】… "
        "follow a duty; numbering pasted from Word (1、 （一） ① …) is taken off, the handbook numbers duties itself",
    ),
    "objects": (
        "每行一项；其他字段写作【字段】值，如 研发经理【任职方式】兼任【任职日期】2021-01-04",
        "one per line; other fields as 【field】value",
    ),
    "extra": ('{"键": "值"} 形式的自定义数据', 'free data as {"key": "value"}'),
    "holders": (
        "每行一人（标识或姓名）；可加【任职方式】兼任/代理、【任职日期】",
        "one person per line (id or name); 【任职方式】兼任/代理 and 【任职日期】 may follow",
    ),
}


def out_sheets(hb: m.Handbook | None, language: str = "zh_CN", holders: bool = False) -> list[OutSheet]:
    """The sheets of a workbook: the objects of ``hb`` (none: the empty template)."""
    zh = language.startswith("zh")
    out = []
    for sh in SHEETS:
        cols = [c for c in sh.columns if holders or not c.reverse]
        rows = []
        if hb is None:  # the template: one example row, which the import skips while it is unchanged
            example = EXAMPLES.get(sh.key, {})
            rows = [[example.get(c.en) for c in cols]] if example else []
        else:
            names = ref_names(hb, language)
            rows = [[cell_value(c, obj, owner, language, names) for c in cols] for obj, owner in _objects(hb, sh)]
        out.append(
            OutSheet(
                sh.zh if zh else sh.key,
                [c.zh if zh else c.en for c in cols],
                [_note(c, language) for c in cols],
                rows,
                [c.cell != "one" for c in cols],
                sh.help,
            )
        )
    return out


def help_rows(language: str = "zh_CN") -> list[list[str]]:
    """The template's explanation sheet: every column of every sheet (from the schema)."""
    zh = language.startswith("zh")
    rows = [["工作表", "列", "column", "必填", "说明"] if zh else ["sheet", "列", "column", "required", "meaning"]]
    for sh in SHEETS:
        for c in sh.columns:
            note = _note(c, language).split("\n", 1)[1].replace("\n", "；" if zh else "; ")
            rows.append([f"{sh.zh} / {sh.key}", c.zh, c.en, ("是" if zh else "yes") if c.required else "", note])
    rows.append([])
    for line in GENERAL_HELP_ZH if zh else GENERAL_HELP_EN:
        rows.append(["", "", "", "", line])
    return rows


GENERAL_HELP_ZH = (
    "每个对象一行。标识（id）可以留空：导入时由名称生成（拼音），再次导入时保持不变。",
    "引用（隶属、直接上级、所属部门、执行岗位、任职人员等）可写标识，也可写唯一的名称；名称重复时导入会列出候选并报错。",
    "多语言文本写作 [zh_CN] 研发经理 [en] R&D Manager。",
    "反斜杠使字符按原样读取：\\【 \\# \\[ \\一；\\n 为同一项内的换行，\\\\ 为反斜杠。",
    "其他工作表（除本“说明”外）会被报告为错误；不需要的列请删除。",
)
GENERAL_HELP_EN = (
    "One object per row. Ids may be left empty: the import derives them from titles (pinyin) and keeps them on re-import.",
    "References (parent, reports to, department, step role, holders …) may be an id or a unique title; an ambiguous "
    "title is an error listing the candidates.",
    "A translated text is written [zh_CN] 研发经理 [en] R&D Manager.",
    "A backslash keeps a character literal: \\【 \\# \\[ \\一; \\n is a line break inside one item, \\\\ a backslash.",
    "Other sheets (except this help sheet) are reported as errors; delete the columns you do not need.",
)


def write_workbook(hb: m.Handbook | None, path, language: str = "zh_CN") -> None:
    from handbook.exchange.sheet_files import write_xlsx

    zh = language.startswith("zh")
    write_xlsx(
        out_sheets(hb, language, holders=hb is None), path, help_rows(language), HELP_SHEET[0] if zh else HELP_SHEET[1]
    )


def csv_files(hb: m.Handbook, language: str = "zh_CN") -> dict[str, OutSheet]:
    """File name -> table: one CSV file per sheet (English file names: roles.csv)."""
    return {f"{sh.key}.csv": o for sh, o in zip(SHEETS, out_sheets(hb, language), strict=False)}


# -- handbook.json ----------------------------------------------------------------------------
def _range(r: m.Range) -> int | str:
    return r.as_data()


def staffing(s: m.Staffing) -> dict[str, Any]:
    out: dict[str, Any] = {
        "headcount": _range(s.headcount),
        "filled": s.filled,
        "vacant": _range(s.vacant),
        "acting": s.acting,
        "over": s.over,
    }
    if s.unbudgeted:
        out["unbudgeted"] = True
    if s.unnamed:
        out["unnamed"] = s.unnamed  # of `filled`, the people counted but not named
    return out


def default_url(docname: str) -> str:
    return docname + ".html"


def json_data(hb: m.Handbook, show_people: bool = True, url: Callable[[str], str] = default_url) -> dict[str, Any]:
    """handbook.json: every object, its fields as in the YAML format and its derived relations."""

    def page(kind: str, ident: str) -> str:
        return url(OBJECT_PAGES[kind].docname_of(ident))

    company = dump.company(hb.company)
    company.update(
        url=url(PAGES["company"].docname),
        staffing=staffing(hb.company_staffing),
        top_departments=list(hb.top_departments),
    )
    departments = []
    for d in hb.departments.values():
        data = dump.fields(d, "department")
        data.update(
            url=page("department", d.id),
            path=list(hb.department_path(d.id)[:-1]),
            sub_departments=list(hb.subdepartments.get(d.id, ())),
            roles=list(hb.department_roles.get(d.id, ())),
            staffing=staffing(hb.department_staffing[d.id]),
            total_staffing=staffing(hb.department_total_staffing[d.id]),
            total_roles=hb.department_total_roles[d.id],
        )
        departments.append(data)
    roles = []
    for r in hb.roles.values():
        data = dump.fields(r, "role")
        data.update(
            url=page("role", r.id),
            reports=list(hb.direct_reports.get(r.id, ())),
            dotted_reports=list(hb.dotted_reports.get(r.id, ())),
            staffing=staffing(hb.role_staffing[r.id]),
            processes=list(hb.role_processes.get(r.id, ())),
        )
        if show_people:
            data["holders"] = [
                {
                    "person": h.person.key,
                    "name": dump.text(h.person.name),
                    "type": h.assignment.type,
                    **({"since": h.assignment.since.isoformat()} if h.assignment.since else {}),
                }
                for h in hb.holders.get(r.id, ())
            ]
        roles.append(data)
    processes = []
    for p in hb.processes.values():
        data = dump.fields(p, "process")
        data.update(url=page("process", p.id))
        processes.append(data)
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"handbook {__version__}",
        "company": company,
        "departments": departments,
        "roles": roles,
    }
    if show_people:
        out["people"] = [
            {
                "key": p.key,
                **dump.fields(p, "person"),
                "url": url(PAGES["people"].docname) + f"#person-{p.key}",
            }  # render.blocks.person_anchor
            for p in hb.people
        ]
    out["processes"] = processes
    return out


def dumps_json(hb: m.Handbook, show_people: bool = True, url: Callable[[str], str] = default_url) -> str:
    """handbook.json as text: one line per object (a department, a role, ...), so a diff of two
    revisions shows which objects changed. Written this way by the C encoder (json's
    ``indent`` makes it use the pure-Python one: seconds at thousands of roles)."""
    encode = json.JSONEncoder(ensure_ascii=False, default=_default).encode
    parts = []
    for key, value in json_data(hb, show_people, url).items():
        if isinstance(value, list) and value:
            items = ",\n".join("    " + encode(item) for item in value)
            parts.append(f"  {encode(key)}: [\n{items}\n  ]")
        else:
            parts.append(f"  {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _default(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dt.date):
        return v.isoformat()
    raise TypeError(f"cannot write {type(v).__name__} as JSON")  # pragma: no cover
