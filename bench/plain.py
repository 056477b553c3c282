#!/usr/bin/env python3
"""Write a handbook's content as plain MyST pages: the floor any Sphinx generator can reach.

Usage::

    python bench/plain.py DATA_DIR OUT_DIR

The baseline of the performance benchmarks (``bench/run.py``): the same content as the
handbook's generated pages, written as ordinary Markdown pages for plain Sphinx with
MyST — one page per department and per role, the same tables (a role's header fields,
its duties with their measures and frequencies, its qualifications; a department's
fields, functions and roles), the same links between them, a minimal sidebar (the search
box only) and jieba for the Chinese search index. No charts and no handbook extension.
Comparing the two builds of the same data shows what the extension costs per page.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook import model as m  # noqa: E402
from handbook.validate import check_dir  # noqa: E402

CONF = """\
project = "Plain baseline"
language = "zh_CN"
extensions = ["myst_parser"]
html_theme = "basic"
html_sidebars = {"**": ["searchbox.html"]}
exclude_patterns = ["_build"]
"""


def cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, on one line."""
    return " ".join(text.replace("|", "\\|").split()) or " "


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def t(text: m.Text | None) -> str:
    return "" if text is None else text.get("zh_CN")


def duty_rows(duties: m.DutyList) -> tuple[list[str], list[list[str]]]:
    flat = list(m.iter_duties(duties))
    header = (
        ["序号", "职责"]
        + (["考核指标"] if any(d.kpi for d in flat) else [])
        + (["频率"] if any(d.frequency for d in flat) else [])
    )
    rows = []
    for i, d in enumerate(flat, start=1):
        row = [str(i), t(d.text)]
        if "考核指标" in header:
            row.append(t(d.kpi))
        if "频率" in header:
            row.append(t(d.frequency))
        rows.append(row)
    return header, rows


def role_page(hb: m.Handbook, rid: str) -> str:
    r = hb.roles[rid]
    st = hb.role_staffing[rid]
    link = lambda x: f"[{t(hb.roles[x].title)}]({x}.md)"  # noqa: E731
    fields = [
        ["岗位名称", t(r.title)],
        ["岗位编号", t(r.code)],
        ["所属部门", f"[{t(hb.departments[r.department].name)}](../departments/{r.department}.md)"],
        ["直接上级", link(r.reports_to) if r.reports_to else "—"],
        ["直接下级", "、".join(link(x) for x in hb.direct_reports.get(rid, ())) or "—"],
        ["编制", str(st.headcount)],
        ["在岗 / 待招", f"{st.filled} / {st.vacant}"],
        ["任职人员", "、".join(t(h.person.name) for h in hb.holders.get(rid, ()))],
    ]
    out = [f"# {t(r.title)}\n", table(["项目", "内容"], fields)]
    if r.purpose:
        out.append(f"## 岗位目的\n\n{t(r.purpose)}\n")
    out.append("## 岗位职责\n\n" + table(*duty_rows(r.responsibilities)))
    if r.authority:
        out.append("## 工作权限\n\n" + table(*duty_rows(r.authority)))
    q = r.qualifications
    qrows = [
        [k, v]
        for k, v in (
            ("学历", t(q.education)),
            ("经验", t(q.experience)),
            ("技能", "；".join(t(x) for x in q.skills)),
            ("要求", "；".join(t(x) for x in q.other)),
        )
        if v
    ]
    if qrows:
        out.append("## 任职资格\n\n" + table(["项目", "要求"], qrows))
    if r.kpis:
        out.append("## 考核指标\n\n" + table(*duty_rows(r.kpis)))
    return "\n".join(out)


def department_page(hb: m.Handbook, did: str) -> str:
    d = hb.departments[did]
    st = hb.department_total_staffing[did]
    roles = hb.department_roles.get(did, ())
    subs = hb.subdepartments.get(did, ())
    fields = [
        ["部门编号", t(d.code)],
        ["上级部门", f"[{t(hb.departments[d.parent].name)}]({d.parent}.md)" if d.parent else "—"],
        ["负责人", f"[{t(hb.roles[d.head].title)}](../roles/{d.head}.md)" if d.head else "—"],
        ["下级部门", "、".join(f"[{t(hb.departments[s].name)}]({s}.md)" for s in subs) or "—"],
        ["编制", f"{st.headcount}，在岗 {st.filled}，待招 {st.vacant}"],
    ]
    out = [f"# {t(d.name)}\n", table(["项目", "内容"], fields)]
    if d.purpose:
        out.append(f"## 基本职能\n\n{t(d.purpose)}\n")
    if d.functions:
        out.append("## 部门职责\n\n" + table(*duty_rows(d.functions)))
    if roles:
        rows = [
            [
                f"[{t(hb.roles[r].title)}](../roles/{r}.md)",
                t(hb.roles[r].code),
                str(hb.role_staffing[r].headcount),
                str(hb.role_staffing[r].filled),
                str(hb.role_staffing[r].vacant),
            ]
            for r in roles
        ]
        out.append("## 岗位\n\n" + table(["岗位", "编号", "编制", "在岗", "待招"], rows))
    docs = [f"../roles/{r}" for r in roles] + [s for s in subs]
    out.append("```{toctree}\n:hidden:\n\n" + "\n".join(docs) + "\n```\n")
    return "\n".join(out)


def write(data_dir: Path, out: Path) -> int:
    result = check_dir(str(data_dir))
    if result.handbook is None:
        raise SystemExit("the data has errors: run `handbook check` on it")
    hb = result.handbook
    if out.exists():
        shutil.rmtree(out)
    (out / "roles").mkdir(parents=True)
    (out / "departments").mkdir()
    (out / "conf.py").write_text(CONF, encoding="utf-8")
    (out / "index.md").write_text(
        f"# {t(hb.company.name)}\n\n```{{toctree}}\n:maxdepth: 1\n\n"
        + "\n".join(f"departments/{d}" for d in hb.top_departments)
        + "\n```\n",
        encoding="utf-8",
    )
    for did in hb.departments:
        (out / "departments" / f"{did}.md").write_text(department_page(hb, did), encoding="utf-8")
    for rid in hb.roles:
        (out / "roles" / f"{rid}.md").write_text(role_page(hb, rid), encoding="utf-8")
    return 1 + len(hb.departments) + len(hb.roles)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    n = write(args.data_dir, args.out)
    print(f"plain.py: wrote {n} pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
