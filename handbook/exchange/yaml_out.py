"""Model objects -> the plain data of the YAML format, and YAML files written from it.

The inverse of :mod:`handbook.read`: every field :mod:`handbook.schema` declares is
turned back into the value a YAML file would hold (a text as a string or a
``{language: string}`` mapping, a duty list as strings / ``{text, kpi, frequency}`` /
``{title, items}``, a headcount as ``3`` or ``"5-10"`` …), so a field added to the
schema flows through without edits here. Used by ``handbook import`` (what it writes is
the validated model, serialised), ``handbook export`` and the round-trip tests
(``data(original) == data(exported and imported again)``). No Sphinx imports.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from handbook import model as m
from handbook.schema import KINDS, Field
from handbook.validate.dates import Month

#: the first line of every data file the handbook writes: editors with the YAML language
#: server (VS Code's YAML extension) complete keys and flag typos from the published schema
SCHEMA_LINE = "# yaml-language-server: $schema=../_build/html/handbook.schema.json"


def schema_line(folder: str | os.PathLike[str]) -> str:
    """The schema line for files in ``folder``: the schema the build publishes into
    ``_build/html`` beside the nearest conf.py above it (``handbook new``'s layout: ``../``)."""
    base = Path(folder).resolve()
    for up in (base.parent, base.parent.parent, base.parent.parent.parent):
        if (up / "conf.py").is_file():
            rel = os.path.relpath(up / "_build" / "html" / "handbook.schema.json", base)
            return f"# yaml-language-server: $schema={Path(rel).as_posix()}"
    return SCHEMA_LINE


def text(t: m.Text) -> Any:
    """A text as the YAML format writes it: a string, or a mapping language -> string."""
    if len(t.values) == 1 and t.values[0][0] == "":
        return t.values[0][1]
    return {lang: s for lang, s in t.values}


def duty(d: m.Duty) -> Any:
    out = fields(d, "duty")
    # a translated duty stays {text: {…}}: a bare mapping in a duty list is read as a duty
    return out["text"] if set(out) == {"text"} and isinstance(out["text"], str) else out


def duty_list(items: m.DutyList) -> list:
    out: list = []
    for item in items:
        if isinstance(item, m.DutyGroup):
            out.append({"title": text(item.title), "items": [duty(d) for d in item.items]})
        else:
            out.append(duty(item))
    return out


def plain_extra(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: plain_extra(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain_extra(v) for v in value]
    return value


def value(v: Any, f: Field) -> Any:
    """One field's model value as YAML data (None, ``[]`` and ``{}`` mean: leave the key out)."""
    t = f.type
    if v is None:
        return None
    if t == "text":
        return text(v)
    if t == "texts":
        return [text(x) for x in v]
    if t == "choice":
        return getattr(v, "key", v)  # a document status is read into its Status (with its marking)
    if t in ("id", "ref", "int", "clause"):
        return v
    if t == "clauses":
        return list(v)
    if t == "refs":
        return list(v)
    if t == "duties":
        return duty_list(v)
    if t == "date":
        return v.isoformat() if isinstance(v, Month) else v  # a month alone stays as written: 2021-05
    if t == "headcount":
        return v.as_data()
    if t == "extra":
        return plain_extra(v)
    if t == "object":
        assert f.of is not None
        if f.list_attr and getattr(v, f.list_attr, ()):
            return [text(x) for x in getattr(v, f.list_attr)]
        return fields(v, f.of) or None
    if t == "objects":
        assert f.of is not None
        return [nested(x, f) for x in v]
    raise ValueError(f"unknown field type {t!r}")  # pragma: no cover - the schema is ours


def nested(obj: Any, f: Field) -> Any:
    assert f.of is not None
    out = fields(obj, f.of)
    if f.of == "assignment" and out.get("type") == "primary":
        del out["type"]  # the default
    return out


def fields(obj: Any, kind: str) -> dict[str, Any]:
    """Every declared field of a model object that has a value, in the declared order."""
    out: dict[str, Any] = {}
    for f in KINDS[kind].fields:
        if not hasattr(obj, f.name):  # pragma: no cover - a schema field without its model attribute
            continue
        v = value(getattr(obj, f.name), f)
        if v is None or v == [] or v == {}:
            continue
        out[f.key] = v
    return out


def company(c: m.Company) -> dict[str, Any]:
    return fields(c, "company")


def handbook(hb: m.Handbook) -> dict[str, Any]:
    """The whole handbook as one YAML-shaped mapping (the objects in display order)."""
    return {
        "company": company(hb.company),
        "departments": [fields(d, "department") for d in hb.departments.values()],
        "roles": [fields(r, "role") for r in hb.roles.values()],
        "people": [fields(p, "person") for p in hb.people],
        "processes": [fields(p, "process") for p in hb.processes.values()],
    } | (
        {"acknowledgements": [fields(a, "acknowledgement") for a in hb.acknowledgements]} if hb.acknowledgements else {}
    )


# -- YAML files -------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Block style, no aliases, multi-line texts as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, s: str) -> yaml.Node:
    if (
        "\n" in s
        and s == s.strip()
        and all(line == line.rstrip() for line in s.split("\n"))
        and yaml.reader.Reader.NON_PRINTABLE.search(s) is None
    ):
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="|")
    return dumper.represent_str(s)


_Dumper.add_representer(str, _str)


def to_yaml(data: Any, comment: str = "", line: str = SCHEMA_LINE) -> str:
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False, indent=2
    )
    head = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return f"{line}\n{head}{body}"


def file_plan(hb: m.Handbook, line: str = SCHEMA_LINE) -> dict[str, str]:
    """The data folder as file name -> YAML text: company, one file per department (with its
    roles), people, processes. Departments are numbered in tree order, so reading the files
    in path order gives the same order of siblings."""
    out: dict[str, str] = {"company.yaml": to_yaml({"company": company(hb.company)}, "公司信息与文件控制", line)}
    width = max(3, len(str(len(hb.departments))))
    for i, d in enumerate(hb.departments.values(), 1):
        roles = [fields(hb.roles[r], "role") for r in hb.department_roles.get(d.id, ())]
        data: dict[str, Any] = {"departments": [fields(d, "department")]}
        if roles:
            data["roles"] = roles
        out[f"{i:0{width}d}-{d.id}.yaml"] = to_yaml(data, d.name.get("zh_CN"), line)
    if hb.people:
        out["people.yaml"] = to_yaml({"people": [fields(p, "person") for p in hb.people]}, "人员", line)
    if hb.processes:
        out["processes.yaml"] = to_yaml(
            {"processes": [fields(p, "process") for p in hb.processes.values()]}, "工作流程", line
        )
    if hb.acknowledgements:
        out["acknowledgements.yaml"] = to_yaml(
            {"acknowledgements": [fields(a, "acknowledgement") for a in hb.acknowledgements]}, "阅读确认记录", line
        )
    return out


def write_files(plan: Mapping[str, str], folder: str | os.PathLike[str]) -> list[Path]:
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in plan.items():
        path = base / name
        path.write_text(body, encoding="utf-8")
        written.append(path)
    return written
