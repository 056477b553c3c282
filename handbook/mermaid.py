"""Handbook -> charts -> Mermaid source text. Pure; all escaping lives here.

Charts are first built as a small :class:`Chart` (nodes, edges, links to handbook
objects) from a :class:`~handbook.view.View`, so the page records what it shows; the
Mermaid text is produced later by :func:`to_mermaid`, when the builder knows the URL of
each linked page. No text from the data ever reaches the Mermaid source unescaped: node
ids are generated (``n0``, ``n1`` …), labels are entity-encoded, URLs are built from
validated ids.

Charts stay within Mermaid's own limits (50,000 characters of source, 500 edges) at any
size: a chart shows at most ``max_nodes`` boxes; what does not fit is summarised in a
"+N more" box that links to the page where it is shown in full (drill-down), never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import model as m
from .view import View

MAX_SOURCE_CHARS = 50_000  # Mermaid's default maxTextSize
MAX_EDGES = 500  # Mermaid's default maxEdges
MAX_LABEL_CHARS = 48
DEFAULT_MAX_NODES = 60
#: a box costs at most ~250 characters of source (label capped at MAX_LABEL_CHARS, entity
#: codes, click line); 150 boxes stay well below MAX_SOURCE_CHARS and MAX_EDGES
MAX_CHART_NODES = 150  # the same bound as handbook.config.CHART_NODES (a test checks)

# Characters that mean something to Mermaid's parser or to HTML, written as entity codes.
_ENTITY_CHARS = set('"#&<>`%;\\{}[]()|*_~=:,')

Link = tuple[str, str]  # (object kind, id): ("role", "cs-manager")


@dataclass(frozen=True)
class ChartNode:
    key: str  # generated Mermaid id
    lines: tuple[str, ...]  # label lines (plain text, escaped on output)
    link: Link | None = None
    css: str = ""  # a class: head, vacant, ghost, more, department, step, start, end
    shape: str = "box"  # box | round | stadium | diamond


@dataclass(frozen=True)
class ChartEdge:
    source: str
    target: str
    label: str = ""
    dotted: bool = False


@dataclass(frozen=True)
class Chart:
    kind: str  # "org" | "flow"
    direction: str
    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]
    summary: str = ""  # a one-line text alternative ("12 departments, 40 roles")
    truncated: int = 0  # objects summarised in "+N more" boxes
    fallback: tuple[tuple[str, ...], ...] = field(default=())  # rows for builders without Mermaid


# -- escaping ---------------------------------------------------------------------------
def escape_label(text: str) -> str:
    """Make any text safe inside a double-quoted Mermaid label."""
    out: list[str] = []
    for ch in text:
        if ch in _ENTITY_CHARS:
            out.append("#quot;" if ch == '"' else f"#{ord(ch)};")
        elif ch == "\n":
            out.append("<br/>")
        elif ch == "\r":
            continue
        elif ord(ch) < 32 or ch in "\u2028\u2029":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = " ".join(text.split())  # collapse line breaks and runs of spaces
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe_url(url: str) -> str:
    return url.replace('"', "%22").replace("\n", "").replace("\\", "/")


_SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "stadium": ('(["', '"])'), "diamond": ('{"', '"}'),
           "circle": ('(("', '"))')}

CLASS_DEFS = {
    "head": "fill:#e8f0fe,stroke:#1a56db,stroke-width:2px",
    "vacant": "fill:#fff7e6,stroke:#c77700,stroke-dasharray:5 3",
    "ghost": "fill:#f5f5f5,stroke:#999,stroke-dasharray:3 3,color:#555",
    "more": "fill:#fafafa,stroke:#999,stroke-dasharray:2 2,color:#333",
    "department": "fill:#eef7ee,stroke:#2e7d32",
    "step": "fill:#ffffff,stroke:#555",
    "start": "fill:#e8f0fe,stroke:#1a56db",
    "end": "fill:#f0f0f0,stroke:#555",
}


def to_mermaid(chart: Chart, url: Callable[[Link], str | None]) -> str:
    """The Mermaid source of a chart; ``url`` maps a link to a URL relative to the page."""
    lines = [f"flowchart {chart.direction}"]
    used_classes: set[str] = set()
    for n in chart.nodes:
        label = "<br/>".join(escape_label(line) for line in n.lines if line)
        left, right = _SHAPES.get(n.shape, _SHAPES["box"])
        lines.append(f"  {n.key}{left}{label or ' '}{right}")
    for e in chart.edges:
        arrow = "-.->" if e.dotted else "-->"
        if e.label:
            lines.append(f'  {e.source} {arrow}|"{escape_label(shorten(e.label, 24))}"| {e.target}')
        else:
            lines.append(f"  {e.source} {arrow} {e.target}")
    for n in chart.nodes:
        if n.css:
            used_classes.add(n.css)
            lines.append(f"  class {n.key} hb-{n.css}")
        if n.link:
            target = url(n.link)
            if target:
                lines.append(f'  click {n.key} href "{_safe_url(target)}"')
    for cls in sorted(used_classes):
        if cls in CLASS_DEFS:
            lines.append(f"  classDef hb-{cls} {CLASS_DEFS[cls]}")
    return "\n".join(lines) + "\n"


# -- chart builders ---------------------------------------------------------------------
DEFAULT_LABELS = {
    "headcount": "编制",
    "filled": "在岗",
    "unnamed": "未具名",
    "vacant": "待招",
    "acting": "代理",
    "more_roles": "另有 {n} 个岗位",
    "more_departments": "另有 {n} 个部门",
    "more_steps": "另有 {n} 个步骤",
    "roles": "{n} 个岗位",
    "head": "负责人",
    "start": "开始",
    "end": "结束",
}


def _staffing_line(st: m.Staffing, labels: Mapping[str, str]) -> str:
    filled = f"{st.filled}"
    if st.unnamed:  # 在岗 28（未具名）: counted, not named
        unnamed = labels.get("unnamed", DEFAULT_LABELS["unnamed"])
        note = unnamed if st.unnamed == st.filled else f"{unnamed} {st.unnamed}"
        filled += f" ({note})" if unnamed.isascii() else f"（{note}）"
    if st.unbudgeted and st.headcount == m.ZERO:
        return f"{labels['filled']} {filled}"
    text = f"{labels['headcount']} {st.headcount} · {labels['filled']} {filled}"
    if st.vacant.high:
        text += f" · {labels['vacant']} {st.vacant}"
    return text


def company_chart(view: View, labels: Mapping[str, str] = DEFAULT_LABELS,
                  max_nodes: int = DEFAULT_MAX_NODES, root: str | None = None, depth: int | None = None,
                  show_headcount: bool = True) -> Chart:
    """Departments as a tree (optionally below ``root``), head role and headcount on each box."""
    roots = view.subdepartments(root) if root else view.top_departments()
    nodes: list[ChartNode] = []
    edges: list[ChartEdge] = []
    keys: dict[str, str] = {}
    truncated = 0
    # breadth first, so a cut keeps the upper levels whole
    if root:
        keys[root] = "n0"
        nodes.append(_department_node(view, root, "n0", labels, show_headcount))
        level: list[tuple[str | None, str]] = [(root, d) for d in roots]
    else:  # the company on top, so the departments form one tree
        keys[COMPANY_KEY] = "n0"
        lines = [shorten(view.t(view.company().name))]
        if show_headcount:
            lines.append(_staffing_line(view.company_staffing(), labels))
        nodes.append(ChartNode("n0", tuple(lines), ("company", ""), "head"))
        level = [(COMPANY_KEY, d) for d in roots]
    current_depth = 1
    while level:
        if depth is not None and current_depth > depth:
            truncated += sum(1 + len(view.descendants(d)) for _, d in level)
            _add_more_boxes(view, level, keys, nodes, edges, labels, "more_departments")
            break
        nxt = [(d, c) for _, d in level for c in view.subdepartments(d)]
        # place the whole level only if the next one can still be summarised (one box per parent)
        if len(nodes) + len(level) + _n_parents(nxt) <= max_nodes:
            for parent, d in level:
                _place_department(view, parent, d, keys, nodes, edges, labels, show_headcount)
            level = nxt
            current_depth += 1
            continue
        # cut inside this level: keep as many as fit with the "+N more" boxes they need
        room = 0
        for r in range(min(len(level), max(max_nodes - len(nodes), 0)), -1, -1):
            with_children = sum(1 for _, d in level[:r] if view.subdepartments(d))
            if len(nodes) + r + _n_parents(level[r:]) + with_children <= max_nodes:
                room = r
                break
        keep, rest = level[:room], level[room:]
        for parent, d in keep:
            _place_department(view, parent, d, keys, nodes, edges, labels, show_headcount)
        truncated += sum(1 + len(view.descendants(d)) for _, d in rest)
        _add_more_boxes(view, rest, keys, nodes, edges, labels, "more_departments", count_descendants=True)
        # the kept departments' children are summarised too
        below = [(d, c) for _, d in keep for c in view.subdepartments(d)]
        truncated += sum(1 + len(view.descendants(c)) for _, c in below)
        _add_more_boxes(view, below, keys, nodes, edges, labels, "more_departments", count_descendants=True)
        break
    # a wide tree reads better left to right (a tall page scrolls; a wide chart shrinks)
    widest = max((sum(1 for e in edges if e.source == n.key) for n in nodes), default=0)
    widest = max(widest, len(roots))
    direction = "LR" if widest > 6 else "TB"
    n_depts = len(view.all_departments()) if root is None else 1 + len(view.descendants(root))
    summary = labels.get("summary_departments", "{n} departments").format(n=n_depts)
    fallback = tuple((view.department_name(d),) for d in keys if d != COMPANY_KEY)
    return Chart("org", direction, tuple(nodes), tuple(edges), summary, truncated, fallback)


#: the company's box in ``keys`` (no department id is empty)
COMPANY_KEY = ""


def _n_parents(items: list[tuple[str | None, str]]) -> int:
    """How many "+N more" boxes summarising ``items`` takes (one per parent)."""
    return len({parent for parent, _d in items})


def _department_node(view: View, d: str, key: str, labels: Mapping[str, str], show_headcount: bool) -> ChartNode:
    dept = view.department_brief(d)
    lines = [shorten(view.department_name(d))]
    if dept.head:
        lines.append(shorten(view.role_title(dept.head), 32))
    if show_headcount:
        lines.append(_staffing_line(view.department_staffing(d), labels))
    return ChartNode(key, tuple(lines), ("department", d), "department")


def _place_department(view: View, parent: str | None, d: str, keys: dict[str, str], nodes: list[ChartNode],
                      edges: list[ChartEdge], labels: Mapping[str, str], show_headcount: bool) -> None:
    key = f"n{len(nodes)}"
    keys[d] = key
    nodes.append(_department_node(view, d, key, labels, show_headcount))
    if parent is not None and parent in keys:
        edges.append(ChartEdge(keys[parent], key))


def _add_more_boxes(view: View, items: list[tuple[str | None, str]], keys: dict[str, str], nodes: list[ChartNode],
                    edges: list[ChartEdge], labels: Mapping[str, str], label_key: str,
                    count_descendants: bool = True) -> None:
    """One "+N more" box per parent, linking to the parent's page (the drill-down)."""
    per_parent: dict[str | None, int] = {}
    for parent, d in items:
        n = 1 + (len(view.descendants(d)) if count_descendants else 0)
        per_parent[parent] = per_parent.get(parent, 0) + n
    for parent, n in per_parent.items():
        key = f"n{len(nodes)}"
        link = ("department", parent) if parent else ("index", "departments")
        nodes.append(ChartNode(key, (labels[label_key].format(n=n),), link, "more", "round"))
        if parent is not None and parent in keys:
            edges.append(ChartEdge(keys[parent], key, dotted=True))


def department_chart(view: View, dept_id: str, labels: Mapping[str, str] = DEFAULT_LABELS,
                     max_nodes: int = DEFAULT_MAX_NODES, show_headcount: bool = True,
                     include_subdepartments: bool = True) -> Chart:
    """A department's roles with their reporting lines (dotted lines dashed), vacancies
    marked, supervisors outside the department as grey boxes, sub-departments as boxes
    that link to their own chart."""
    dept = view.department_brief(dept_id)
    role_ids = list(view.department_roles(dept_id))
    in_dept = set(role_ids)
    nodes: list[ChartNode] = []
    edges: list[ChartEdge] = []
    keys: dict[str, str] = {}
    # order roles by reporting depth inside the department, so a cut keeps the top
    depth: dict[str, int] = {}

    def role_depth(r: str) -> int:
        seen = []
        cur = r
        d = 0
        while True:
            sup = view.role_brief(cur).reports_to
            if sup is None or sup not in in_dept or sup in seen:
                return d
            seen.append(cur)
            cur = sup
            d += 1

    for r in role_ids:
        depth[r] = role_depth(r)
    ordered = sorted(role_ids, key=lambda r: depth[r])
    subs = view.subdepartments(dept_id) if include_subdepartments else ()
    sub_reserve = min(len(subs), max((max_nodes - 1) // 4, 1)) if subs else 0

    def outside(shown_roles: list[str]) -> list[str]:
        """Roles outside the department drawn as grey boxes: supervisors and dotted-line targets."""
        out: list[str] = []
        for r in shown_roles:
            role = view.role_brief(r)
            for o in ((role.reports_to,) if role.reports_to else ()) + tuple(role.dotted_line_to):
                if o not in in_dept and o not in out:
                    out.append(o)
        return out

    def more_groups(shown_roles: list[str], ghosts: list[str], hidden_roles: list[str]) -> dict[str | None, int]:
        placed = set(shown_roles) | set(ghosts)
        groups: dict[str | None, int] = {}
        for r in hidden_roles:
            sup = view.role_brief(r).reports_to
            key = sup if sup in placed else None
            groups[key] = groups.get(key, 0) + 1
        return groups

    # the most roles that fit together with the grey boxes and "+N more" boxes they need
    k = min(len(ordered), max_nodes)
    while True:
        shown, hidden = ordered[:k], ordered[k:]
        ghosts = outside(shown)
        per_sup = more_groups(shown, ghosts, hidden)
        if k == 0 or k + len(ghosts) + len(per_sup) + sub_reserve <= max_nodes:
            break
        k -= 1
    for r in shown:
        key = f"n{len(nodes)}"
        keys[r] = key
        st = view.role_staffing(r)
        lines = [shorten(view.role_title(r))]
        if show_headcount:
            lines.append(_staffing_line(st, labels))
        css = "head" if r == dept.head else ("vacant" if st.vacant.high else "")
        nodes.append(ChartNode(key, tuple(lines), ("role", r), css))
    # supervisors and dotted-line partners outside the department (grey), so the chart shows where it hangs
    for o in ghosts:
        key = f"n{len(nodes)}"
        keys[o] = key
        o_dept = view.role_brief(o).department
        nodes.append(ChartNode(key, (shorten(view.role_title(o)), shorten(view.department_name(o_dept), 32)),
                               ("role", o), "ghost"))
    for r in shown:
        role = view.role_brief(r)
        if role.reports_to and role.reports_to in keys:
            edges.append(ChartEdge(keys[role.reports_to], keys[r]))
        for t in role.dotted_line_to:
            if t in keys:
                edges.append(ChartEdge(keys[r], keys[t], dotted=True))
    for sup, n in per_sup.items():
        key = f"n{len(nodes)}"
        nodes.append(ChartNode(key, (labels["more_roles"].format(n=n),), ("department-roles", dept_id),
                               "more", "round"))
        if sup is not None:
            edges.append(ChartEdge(keys[sup], key, dotted=True))
    room = max_nodes - len(nodes)
    for i, s in enumerate(subs):
        if i >= room - 1 and len(subs) - i > 1:
            key = f"n{len(nodes)}"
            nodes.append(ChartNode(key, (labels["more_departments"].format(n=len(subs) - i),),
                                   ("department", dept_id), "more", "round"))
            break
        key = f"n{len(nodes)}"
        sub = view.department_brief(s)
        lines = [shorten(view.department_name(s)), labels["roles"].format(n=view.department_total_roles(s))]
        if show_headcount:
            lines.append(_staffing_line(view.department_staffing(s), labels))
        nodes.append(ChartNode(key, tuple(lines), ("department", s), "department"))
        anchor = sub.head if sub.head else None
        sup = view.role_brief(anchor).reports_to if anchor else None
        if sup in keys:
            edges.append(ChartEdge(keys[sup], key))
        elif dept.head in keys:
            edges.append(ChartEdge(keys[dept.head], key))
    summary = labels.get("summary_roles", "{n} roles").format(n=len(role_ids))
    fallback = tuple((view.role_title(r),) for r in role_ids)
    return Chart("org", "TB", tuple(nodes), tuple(edges), summary, len(hidden), fallback)


def process_chart(view: View, proc_id: str, labels: Mapping[str, str] = DEFAULT_LABELS,
                  max_nodes: int = 150) -> Chart:
    """A process flow: each step with its role, branches labelled; boxes link to the role."""
    proc = view.process(proc_id)
    nodes: list[ChartNode] = []
    edges: list[ChartEdge] = []
    keys: dict[str, str] = {}
    steps = proc.steps[:max_nodes]
    hidden = len(proc.steps) - len(steps)
    for i, s in enumerate(steps, start=1):
        key = f"n{len(nodes)}"
        keys[s.id] = key
        lines = [f"{i}. {shorten(view.t(s.action), 40)}"]
        if s.role:
            lines.append(f"({shorten(view.role_title(s.role), 30)})")
        nodes.append(ChartNode(key, tuple(lines), ("role", s.role) if s.role else None, "step"))
    for s in steps:
        for t in s.next:
            if t.to in keys:
                edges.append(ChartEdge(keys[s.id], keys[t.to], view.t(t.label)))
    if hidden:
        key = f"n{len(nodes)}"
        nodes.append(ChartNode(key, (labels["more_steps"].format(n=hidden),), ("process-steps", proc_id),
                               "more", "round"))
    if steps:
        start = f"n{len(nodes)}"
        nodes.append(ChartNode(start, (labels["start"],), None, "start", "stadium"))
        edges.insert(0, ChartEdge(start, keys[steps[0].id]))
        end_key = ""
        for s in steps:
            if not s.next:
                if not end_key:
                    end_key = f"n{len(nodes)}"
                    nodes.append(ChartNode(end_key, (labels["end"],), None, "end", "stadium"))
                edges.append(ChartEdge(keys[s.id], end_key))
    fallback = tuple((str(i), view.t(s.action), view.role_title(s.role) if s.role else "")
                     for i, s in enumerate(proc.steps, start=1))
    summary = labels.get("summary_steps", "{n} steps").format(n=len(proc.steps))
    return Chart("flow", "TD", tuple(nodes), tuple(edges), summary, hidden, fallback)


def check_limits(source: str, chart: Chart) -> list[str]:
    """Reasons a chart's source would be refused by Mermaid (empty if it is fine)."""
    problems = []
    if len(source) > MAX_SOURCE_CHARS:
        problems.append(f"{len(source)} characters (Mermaid's limit is {MAX_SOURCE_CHARS})")
    if len(chart.edges) > MAX_EDGES:
        problems.append(f"{len(chart.edges)} edges (Mermaid's limit is {MAX_EDGES})")
    return problems
