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

Org charts follow the conventions of a printed organisation chart: top-down, square
(elbow) connectors without arrowheads, dotted-line relations as dashed lines drawn from
the dotted-line supervisor (so the role is never placed under it as a report), and a
parent's many leaf children stacked in a compact block (:func:`leaf_blocks`) instead of
one very wide row. States are told by text and shape as well as by colour (legible in
black and white), and each chart lists the marks it uses (:attr:`Chart.legend`). Labels
are wrapped here (:func:`wrap_text`), never cut, so the site and the PDF draw the same
lines; the layout is Mermaid's ELK (``layout: elk``, see :data:`MERMAID_LAYOUT`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import math
import re
from dataclasses import dataclass, field, replace

from handbook import model as m
from handbook.view import View

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
    marks: tuple[str, ...] = ()  # legend entries this box shows (LEGEND_ORDER)
    title: str = ""  # the object's name, for a branch chart's caption
    step: int = 0  # a flow step's number (1, 2, …); 0 for every other box


@dataclass(frozen=True)
class ChartEdge:
    source: str
    target: str
    label: str = ""
    dotted: bool = False
    arrow: bool = True  # org charts draw plain lines, flows arrows


@dataclass(frozen=True)
class Chart:
    kind: str  # "org" | "flow"
    direction: str
    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]
    summary: str = ""  # a one-line text alternative ("12 departments, 40 roles")
    truncated: int = 0  # objects summarised in "+N more" boxes
    fallback: tuple[tuple[str, ...], ...] = field(default=())  # rows for builders without Mermaid
    #: the text version: the whole tree (org) or every step with its branches (flow)
    outline: tuple["OutlineItem", ...] = field(default=())
    name: str = ""  # the accessible name: "客户服务中心组织架构图，7 个岗位"

    @property
    def legend(self) -> tuple[str, ...]:
        """The marks this chart uses, in :data:`LEGEND_ORDER`."""
        used = {mark for n in self.nodes for mark in n.marks}
        if any(e.dotted and not e.arrow for e in self.edges):
            used.add("dotted")
        if leaf_blocks(self):
            used.add("group")
        return tuple(k for k in LEGEND_ORDER if k in used)


@dataclass(frozen=True)
class OutlineItem:
    """One line of a chart's text version, with the lines below it."""

    text: str
    link: Link | None = None
    notes: tuple[str, ...] = ()  # 待招 1, 代理, 虚线汇报：…
    children: tuple["OutlineItem", ...] = ()


#: legend entries, in the order a legend lists them
LEGEND_ORDER = ("head", "department", "vacant", "acting", "concurrent", "outside", "dotted", "dotted_note", "group",
                "more", "branch", "continued")


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


def _units(ch: str) -> float:
    """A character's width in CJK characters (Latin letters and digits are about half)."""
    return 0.55 if ord(ch) < 0x2E80 else 1.0


#: punctuation that never starts a line (it stays with the character before it)
_NO_LINE_START = set("，。、；：？！）」』》〉】〕”’,.;:?!)]}%·")
#: a label line's width, in CJK characters: org boxes and flow steps
WRAP_ORG = 14
WRAP_FLOW = 16


def wrap_text(text: str, limit: float = WRAP_ORG) -> list[str]:
    """Break ``text`` into lines of at most ``limit`` CJK-character widths, never cutting
    it: a run of digits, Latin letters and ``-`` (numbers, codes, ranges such as 34-54) is
    never split, and closing punctuation never starts a line. The lines are evened out, so
    no last line holds a lone character under a full one (数控加工中心第10号机台操作 / 员)."""
    text = " ".join(text.split())
    lines = _greedy_lines(text, limit)
    if len(lines) > 1:
        narrow = sum(_units(c) for c in text) / len(lines)
        while narrow < limit:
            trial = _greedy_lines(text, narrow)
            if len(trial) == len(lines):
                return trial
            narrow += 0.5
    return lines


def _greedy_lines(text: str, limit: float) -> list[str]:
    lines: list[str] = []
    for token in re.findall(r"[0-9A-Za-z.%/\-]+|\s|.", text):
        width = sum(_units(c) for c in token)
        if lines and (sum(_units(c) for c in lines[-1]) + width <= limit or token in _NO_LINE_START):
            lines[-1] += token
        elif token == " ":
            continue
        else:
            lines.append(token)
    return [line.strip() for line in lines if line.strip()] or [""]


def _safe_url(url: str) -> str:
    return url.replace('"', "%22").replace("\n", "").replace("\\", "/")


_SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "stadium": ('(["', '"])'), "diamond": ('{"', '"}'),
           "circle": ('(("', '"))')}

#: colours are a second channel only: every state also has a text or a line style of its own
CLASS_DEFS = {
    "head": "fill:#e8f0fe,stroke:#1a3a6b,stroke-width:3px",
    "vacant": "fill:#fff7e6,stroke:#8a5300,stroke-width:1.5px,stroke-dasharray:6 4",
    "ghost": "fill:#f3f3f3,stroke:#555,stroke-width:1px,stroke-dasharray:1 3,color:#333",
    "more": "fill:#fafafa,stroke:#666,stroke-dasharray:2 2,color:#333",
    "department": "fill:#eef7ee,stroke:#2e6b30,stroke-width:1.5px",
    "role": "fill:#ffffff,stroke:#555,stroke-width:1px",
    "step": "fill:#ffffff,stroke:#555",
    "start": "fill:#e8f0fe,stroke:#1a56db",
    "end": "fill:#f0f0f0,stroke:#555",
    "connector": "fill:#ffffff,stroke:#333,stroke-width:1.5px",
}
#: the frame of a block of stacked leaf boxes, and its (invisible) title
BLOCK_TITLE = "\u200b"
BLOCK_STYLE = "fill:#f7f9fb,stroke:#c5ccd6,stroke-width:1px"
#: Mermaid settings both the site and the PDF use (see assets.py and pdf/charts.py): the ELK
#: layered layout with orthogonal (elbow) connectors; labels are wrapped by us (wrap_text)
MERMAID_LAYOUT = {
    "layout": "elk",
    # separate connectors (merged ones let a dashed line join a solid one); network simplex
    # centres a parent over its children; the boxes' order decides which line of a cycle is
    # a return (see model_order)
    "elk": {"mergeEdges": False, "nodePlacementStrategy": "NETWORK_SIMPLEX", "cycleBreakingStrategy": "DEPTH_FIRST"},
    "flowchart": {"curve": "linear", "wrappingWidth": 1000, "nodeSpacing": 24, "rankSpacing": 44, "padding": 12},
}
#: a role that is the dotted-line partner of more roles of a department than this is named in
#: their boxes ("虚线汇报：…") instead of being joined to each by a dashed line
MAX_DOTTED_LINES = 3
#: a parent with at least this many leaf children (boxes with nothing below them) gets them
#: stacked in a block, in columns of at most :func:`column_height` boxes
STACK_MIN_LEAVES = 3


def column_height(n: int) -> int:
    """Boxes per column of a block of ``n`` stacked leaves: a block about twice as tall as
    it is wide, its columns filled evenly (3: one column; 6: two of 3; 40: five of 8)."""
    rows = max(3, math.ceil(math.sqrt(2 * n)))
    columns = math.ceil(n / rows)
    return math.ceil(n / columns)


def leaf_blocks(chart: Chart) -> dict[str, list[str]]:
    """{parent key: its leaf children to stack}, for org charts. A leaf is a box with one
    solid line (from its parent) and no other line, so the block can be reached by a single
    connector and nothing has to cross it."""
    if chart.kind != "org":
        return {}
    degree: dict[str, int] = {}
    for e in chart.edges:
        degree[e.source] = degree.get(e.source, 0) + 1
        degree[e.target] = degree.get(e.target, 0) + 1
    # a box whose branch is drawn in a chart of its own keeps its own connector (as it has
    # in the whole chart on screen)
    branch = {n.key for n in chart.nodes if "branch" in n.marks}
    blocks: dict[str, list[str]] = {}
    for e in chart.edges:
        if not e.dotted and degree.get(e.target) == 1 and e.target not in branch:
            blocks.setdefault(e.source, []).append(e.target)
    return {p: kids for p, kids in blocks.items() if len(kids) >= STACK_MIN_LEAVES}


def _node_line(n: ChartNode, indent: str) -> str:
    label = "<br/>".join(escape_label(line) for line in n.lines if line)
    left, right = _SHAPES.get(n.shape, _SHAPES["box"])
    return f"{indent}{n.key}{left}{label or ' '}{right}"


def model_order(chart: Chart) -> list[ChartNode]:
    """The order the boxes are written in, which the layout reads as their order
    (``cycleBreakingStrategy: DEPTH_FIRST`` walks the lines from the boxes in this order and
    lays out a line back to a box already visited as a return; MODEL_ORDER would do the same
    for flows but reverses a line into a block of stacked boxes, drawing a manager under
    his reports): a flow's start first, then its steps in order, so a line back
    to an earlier step is a return and the steps stay top to bottom; an org chart's boxes
    so that every line goes from an earlier box to a later one (each supervisor, and each
    dotted-line supervisor, above the boxes it is drawn to)."""
    if chart.kind == "flow":
        return sorted(chart.nodes, key=lambda n: n.css != "start")
    position = {n.key: i for i, n in enumerate(chart.nodes)}
    before: dict[str, set[str]] = {n.key: set() for n in chart.nodes}
    for e in chart.edges:
        if e.source in before and e.target in before and e.source != e.target:
            before[e.target].add(e.source)
    order: list[ChartNode] = []
    placed: set[str] = set()
    waiting = list(chart.nodes)
    while waiting:
        ready = [n for n in waiting if before[n.key] <= placed] or waiting[:1]  # a cycle: the earliest
        n = min(ready, key=lambda x: position[x.key])
        order.append(n)
        placed.add(n.key)
        waiting.remove(n)
    return order


def to_mermaid(chart: Chart, url: Callable[[Link], str | None]) -> str:
    """The Mermaid source of a chart; ``url`` maps a link to a URL relative to the page."""
    lines = [f"flowchart {chart.direction}"]
    blocks = leaf_blocks(chart)
    stacked = {k for kids in blocks.values() for k in kids}
    by_key = {n.key: n for n in chart.nodes}
    for n in model_order(chart):
        if n.key not in stacked:
            lines.append(_node_line(n, "  "))
    block_of: dict[str, str] = {}
    for i, (parent, kids) in enumerate(blocks.items()):
        block = f"g{i}"
        block_of[parent] = block
        # the frame's title is a zero-width space: a space would leave a band of one empty
        # text line at the top of the block
        lines.append(f'  subgraph {block} ["{BLOCK_TITLE}"]')
        lines.append("    direction TB")
        per = column_height(len(kids))
        for start in range(0, len(kids), per):
            column = kids[start:start + per]
            lines.extend(_node_line(by_key[k], "    ") for k in column)
            lines.extend(f"    {a} ~~~ {b}" for a, b in zip(column, column[1:]))
        lines.append("  end")
    for e in chart.edges:
        if e.target in stacked:
            continue
        if e.arrow:
            arrow = "-.->" if e.dotted else "-->"
        else:
            arrow = "-.-" if e.dotted else "---"
        if e.label:  # one line: Mermaid cannot wrap an SVG-text edge label that holds a break
            lines.append(f'  {e.source} {arrow}|"{escape_label(" ".join(e.label.split()))}"| {e.target}')
        else:
            lines.append(f"  {e.source} {arrow} {e.target}")
    for parent, block in block_of.items():
        lines.append(f"  {parent} --- {block}")
    used_classes: set[str] = set()
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
    for block in block_of.values():
        lines.append(f"  style {block} {BLOCK_STYLE}")
    return "\n".join(lines) + "\n"


# -- chart builders ---------------------------------------------------------------------
DEFAULT_LABELS = {
    "headcount": "编制",
    "filled": "在岗",
    "unnamed": "未具名",
    "vacant": "待招",
    "acting": "代理",
    "concurrent": "兼任",
    "outside": "部门外：{dept}",
    "dotted_to": "虚线汇报：{role}",
    "reports_to": "上级：{role}",
    "sub_department": "下级部门",
    "next": "下一步：{steps}",
    "next_step": "第 {n} 步",
    "step_label": "{n}．{text}",
    "branch": "{step}（{label}）",
    "separator": "；",
    "more_roles": "另有 {n} 个岗位",
    "more_departments": "另有 {n} 个部门",
    "more_steps": "另有 {n} 个步骤",
    "roles": "{n} 个岗位",
    "head": "负责人",
    "start": "开始",
    "end": "结束",
    "name_departments": "{name}组织架构图，{n} 个部门",
    "name_roles": "{name}组织架构图，{n} 个岗位",
    "name_steps": "{name}：流程图，{n} 个步骤",
    "name_branch": "{name}：{branch}分图",
    "see_branch": "下设 {n} 个，见分图",
    "name_part": "{name}（第 {first}–{last} 步）",
    "name_part_one": "{name}（第 {first} 步）",
    "to_step": "转第 {n} 步",
    "from_step": "接第 {n} 步",
}


def _staffing_parts(st: m.Staffing, labels: Mapping[str, str], concurrent: int = 0) -> list[str]:
    parts = []
    if not (st.unbudgeted and st.headcount == m.ZERO):
        parts.append(f"{labels['headcount']} {st.headcount}")
    parts.append(f"{labels['filled']} {_filled(st, labels)}")
    if st.vacant.high and not st.unbudgeted:
        parts.append(f"{labels['vacant']} {st.vacant}")
    if st.acting:
        parts.append(f"{labels['acting']} {st.acting}")
    if concurrent:
        parts.append(f"{labels['concurrent']} {concurrent}")
    return parts


def _pack(parts: list[str], limit: float = WRAP_ORG) -> list[str]:
    """Parts joined by " · " into lines no wider than ``limit``; a part is never split."""
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]} · {part}" if lines else part
        if lines and sum(_units(c) for c in joined) <= limit:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def _staffing_line(st: m.Staffing, labels: Mapping[str, str]) -> str:
    return " · ".join(_staffing_parts(st, labels))


def _filled(st: m.Staffing, labels: Mapping[str, str]) -> str:
    """The filled count, with the holders counted but not named: 在岗 28（未具名）."""
    filled = f"{st.filled}"
    if st.unnamed:
        unnamed = labels.get("unnamed", DEFAULT_LABELS["unnamed"])
        note = unnamed if st.unnamed == st.filled else f"{unnamed} {st.unnamed}"
        filled += f" ({note})" if unnamed.isascii() else f"（{note}）"
    return filled


def _wrapped(text: str, limit: float = WRAP_ORG) -> list[str]:
    return wrap_text(shorten(text, MAX_LABEL_CHARS), limit)


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
        lines = _wrapped(view.t(view.company().name))
        if show_headcount:
            lines += _pack(_staffing_parts(view.company_staffing(), labels))
        nodes.append(ChartNode("n0", tuple(lines), ("company", ""), "head", marks=("head",),
                               title=view.t(view.company().name)))
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
    n_depts = len(view.all_departments()) if root is None else 1 + len(view.descendants(root))
    summary = labels.get("summary_departments", "{n} departments").format(n=n_depts)
    fallback = tuple((view.department_name(d),) for d in keys if d != COMPANY_KEY)

    def item(d: str) -> OutlineItem:
        dept = view.department_brief(d)
        notes = []
        if dept.head:
            notes.append(f"{labels['head']} {view.role_title(dept.head)}")
        if show_headcount:
            notes.append(" ".join(_staffing_parts(view.department_staffing(d), labels)))
        return OutlineItem(view.department_name(d), ("department", d), tuple(notes),
                           tuple(item(c) for c in view.subdepartments(d)))

    outline = (item(root),) if root else tuple(item(d) for d in roots)
    title = view.department_name(root) if root else view.t(view.company().name)
    name = labels.get("name_departments", DEFAULT_LABELS["name_departments"]).format(name=title, n=n_depts)
    return Chart("org", "TB", tuple(nodes), tuple(edges), summary, truncated, fallback, outline, name)


#: the company's box in ``keys`` (no department id is empty)
COMPANY_KEY = ""


def _n_parents(items: list[tuple[str | None, str]]) -> int:
    """How many "+N more" boxes summarising ``items`` takes (one per parent)."""
    return len({parent for parent, _d in items})


def _department_node(view: View, d: str, key: str, labels: Mapping[str, str], show_headcount: bool) -> ChartNode:
    dept = view.department_brief(d)
    lines = _wrapped(view.department_name(d))
    if dept.head:
        lines += _wrapped(view.role_title(dept.head))
    if show_headcount:
        lines += _pack(_staffing_parts(view.department_staffing(d), labels))
    return ChartNode(key, tuple(lines), ("department", d), "department", marks=("department",),
                     title=view.department_name(d))


def _place_department(view: View, parent: str | None, d: str, keys: dict[str, str], nodes: list[ChartNode],
                      edges: list[ChartEdge], labels: Mapping[str, str], show_headcount: bool) -> None:
    key = f"n{len(nodes)}"
    keys[d] = key
    nodes.append(_department_node(view, d, key, labels, show_headcount))
    if parent is not None and parent in keys:
        edges.append(ChartEdge(keys[parent], key, arrow=False))


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
        nodes.append(ChartNode(key, (labels[label_key].format(n=n),), link, "more", "round", marks=("more",)))
        if parent is not None and parent in keys:
            edges.append(ChartEdge(keys[parent], key, arrow=False))


def _concurrent(view: View, r: str) -> int:
    return sum(1 for h in view.holders(r) if h.assignment.type == "concurrent")


def department_chart(view: View, dept_id: str, labels: Mapping[str, str] = DEFAULT_LABELS,
                     max_nodes: int = DEFAULT_MAX_NODES, show_headcount: bool = True,
                     include_subdepartments: bool = True) -> Chart:
    """A department's roles with their reporting lines, dotted lines dashed (drawn down from
    the dotted-line supervisor), vacancies marked, supervisors outside the department as
    rounded grey boxes naming their department, sub-departments as boxes that link to their
    own chart."""
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
    # a dotted-line partner of many roles: its relations are named in the roles' boxes, as
    # that many dashed lines would cross the chart and keep the roles out of their block
    dotted_count: dict[str, int] = {}
    for r in role_ids:
        role = view.role_brief(r)
        for t in role.dotted_line_to:
            if t != role.reports_to:
                dotted_count[t] = dotted_count.get(t, 0) + 1
    crowded = {t for t, n in dotted_count.items() if n > MAX_DOTTED_LINES}

    def outside(shown_roles: list[str]) -> list[str]:
        """Roles outside the department drawn as grey boxes: supervisors and dotted-line targets."""
        out: list[str] = []
        for r in shown_roles:
            role = view.role_brief(r)
            drawn = tuple(t for t in role.dotted_line_to if t not in crowded)
            for o in ((role.reports_to,) if role.reports_to else ()) + drawn:
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
    # supervisors and dotted-line partners outside the department first, so they lead the layout
    for o in ghosts:
        key = f"n{len(nodes)}"
        keys[o] = key
        o_dept = view.role_brief(o).department
        lines = _wrapped(view.role_title(o)) + _wrapped(labels["outside"].format(dept=view.department_name(o_dept)))
        nodes.append(ChartNode(key, tuple(lines), ("role", o), "ghost", "round", marks=("outside",),
                               title=view.role_title(o)))
    for r in shown:
        key = f"n{len(nodes)}"
        keys[r] = key
        st = view.role_staffing(r)
        concurrent = _concurrent(view, r)
        lines = _wrapped(view.role_title(r))
        parts = _staffing_parts(st, labels, concurrent)
        if not show_headcount:  # the states still need their words
            parts = [p for p in parts if p.startswith((labels["vacant"], labels["acting"], labels["concurrent"]))]
        lines += _pack(parts)
        marks = []
        for t in view.role_brief(r).dotted_line_to:
            if t in crowded and t != view.role_brief(r).reports_to:
                lines += _wrapped(labels["dotted_to"].format(role=view.role_title(t)))
                marks.append("dotted_note")
        if r == dept.head:
            marks.append("head")
        if st.vacant.high and not st.unbudgeted:
            marks.append("vacant")
        if st.acting:
            marks.append("acting")
        if concurrent:
            marks.append("concurrent")
        css = "head" if r == dept.head else ("vacant" if "vacant" in marks else "role")
        nodes.append(ChartNode(key, tuple(lines), ("role", r), css, marks=tuple(marks), title=view.role_title(r)))
    for r in shown:
        role = view.role_brief(r)
        if role.reports_to and role.reports_to in keys:
            edges.append(ChartEdge(keys[role.reports_to], keys[r], arrow=False))
        for t in role.dotted_line_to:
            if t in keys and t != role.reports_to and t not in crowded:
                edges.append(ChartEdge(keys[t], keys[r], dotted=True, arrow=False))
    for sup, n in per_sup.items():
        key = f"n{len(nodes)}"
        nodes.append(ChartNode(key, (labels["more_roles"].format(n=n),), ("department-roles", dept_id),
                               "more", "round", marks=("more",)))
        if sup is not None:
            edges.append(ChartEdge(keys[sup], key, arrow=False))
    room = max_nodes - len(nodes)
    for i, s in enumerate(subs):
        if i >= room - 1 and len(subs) - i > 1:
            key = f"n{len(nodes)}"
            nodes.append(ChartNode(key, (labels["more_departments"].format(n=len(subs) - i),),
                                   ("department", dept_id), "more", "round", marks=("more",)))
            if dept.head in keys:
                edges.append(ChartEdge(keys[dept.head], key, arrow=False))
            break
        key = f"n{len(nodes)}"
        sub = view.department_brief(s)
        lines = _wrapped(view.department_name(s)) + [labels["roles"].format(n=view.department_total_roles(s))]
        if show_headcount:
            lines += _pack(_staffing_parts(view.department_staffing(s), labels))
        nodes.append(ChartNode(key, tuple(lines), ("department", s), "department", marks=("department",),
                               title=view.department_name(s)))
        anchor = sub.head if sub.head else None
        sup = view.role_brief(anchor).reports_to if anchor else None
        if sup in keys:
            edges.append(ChartEdge(keys[sup], key, arrow=False))
        elif dept.head in keys:
            edges.append(ChartEdge(keys[dept.head], key, arrow=False))
    summary = labels.get("summary_roles", "{n} roles").format(n=len(role_ids))
    fallback = tuple((view.role_title(r),) for r in role_ids)
    name = labels.get("name_roles", DEFAULT_LABELS["name_roles"]).format(name=view.department_name(dept_id),
                                                                        n=len(role_ids))
    return Chart("org", "TB", tuple(nodes), tuple(edges), summary, len(hidden), fallback,
                 _role_outline(view, dept_id, role_ids, subs, labels, show_headcount), name)


def _role_outline(view: View, dept_id: str, role_ids: list[str], subs: tuple[str, ...],
                  labels: Mapping[str, str], show_headcount: bool) -> tuple[OutlineItem, ...]:
    """Every role of the department nested under its supervisor (the text version)."""
    in_dept = set(role_ids)
    below: dict[str | None, list[str]] = {}
    for r in role_ids:
        sup = view.role_brief(r).reports_to
        below.setdefault(sup if sup in in_dept else None, []).append(r)
    sub_at: dict[str | None, list[str]] = {}
    head = view.department_brief(dept_id).head
    for s in subs:
        anchor = view.department_brief(s).head
        sup = view.role_brief(anchor).reports_to if anchor else None
        sub_at.setdefault(sup if sup in in_dept else (head if head in in_dept else None), []).append(s)

    def role_item(r: str, seen: frozenset[str]) -> OutlineItem:
        role = view.role_brief(r)
        st = view.role_staffing(r)
        notes = []
        if role.reports_to and role.reports_to not in in_dept:
            notes.append(labels["reports_to"].format(role=view.role_title(role.reports_to)))
        parts = _staffing_parts(st, labels, _concurrent(view, r))
        notes.append(" ".join(parts if show_headcount else parts[1:]))
        for t in role.dotted_line_to:
            notes.append(labels["dotted_to"].format(role=view.role_title(t)))
        kids = tuple(role_item(c, seen | {r}) for c in below.get(r, ()) if c not in seen)
        kids += tuple(sub_item(s) for s in sub_at.get(r, ()))
        return OutlineItem(view.role_title(r), ("role", r), tuple(n for n in notes if n), kids)

    def sub_item(s: str) -> OutlineItem:
        return OutlineItem(view.department_name(s), ("department", s),
                           (labels["sub_department"], labels["roles"].format(n=view.department_total_roles(s))))

    items = tuple(role_item(r, frozenset()) for r in below.get(None, ()))
    return items + tuple(sub_item(s) for s in sub_at.get(None, ()))


def process_chart(view: View, proc_id: str, labels: Mapping[str, str] = DEFAULT_LABELS,
                  max_nodes: int = 150) -> Chart:
    """A process flow: each step's whole text (wrapped, never cut) with its role, branches
    labelled; boxes link to the role."""
    proc = view.process(proc_id)
    nodes: list[ChartNode] = []
    edges: list[ChartEdge] = []
    keys: dict[str, str] = {}
    steps = proc.steps[:max_nodes]
    hidden = len(proc.steps) - len(steps)
    # the whole text, unless the source would pass Mermaid's size limit (the steps table
    # always carries the whole text)
    budget = (MAX_SOURCE_CHARS - 120 * (len(steps) + 4)) // max(len(steps), 1)
    for i, s in enumerate(steps, start=1):
        key = f"n{len(nodes)}"
        keys[s.id] = key
        action = view.t(s.action)
        if len(action) > budget // 2:
            action = shorten(action, budget // 2)
        # not "1. …": Mermaid's SVG labels (print) read that as a Markdown list and lose the breaks
        lines = wrap_text(labels.get("step_label", DEFAULT_LABELS["step_label"]).format(n=i, text=action), WRAP_FLOW)
        if s.role:
            lines += wrap_text(f"({view.role_title(s.role)})", WRAP_FLOW)
        nodes.append(ChartNode(key, tuple(lines), ("role", s.role) if s.role else None, "step", step=i))
    for s in steps:
        for t in s.next:
            if t.to in keys:
                edges.append(ChartEdge(keys[s.id], keys[t.to], view.t(t.label)))
    if hidden:
        key = f"n{len(nodes)}"
        nodes.append(ChartNode(key, (labels["more_steps"].format(n=hidden),), ("process-steps", proc_id),
                               "more", "round", marks=("more",)))
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
    number = {s.id: i for i, s in enumerate(proc.steps, start=1)}
    outline = []
    for s in proc.steps:
        notes = [view.role_title(s.role)] if s.role else []
        if s.next:
            targets = []
            for t in s.next:
                label = view.t(t.label)
                step = labels["next_step"].format(n=number.get(t.to, "?"))
                targets.append(labels["branch"].format(step=step, label=label) if label else step)
            notes.append(labels["next"].format(steps=labels["separator"].join(targets)))
        else:
            notes.append(labels["end"])
        outline.append(OutlineItem(view.t(s.action), ("role", s.role) if s.role else None, tuple(notes)))
    summary = labels.get("summary_steps", "{n} steps").format(n=len(proc.steps))
    name = labels.get("name_steps", DEFAULT_LABELS["name_steps"]).format(name=view.t(proc.name), n=len(proc.steps))
    return Chart("flow", "TD", tuple(nodes), tuple(edges), summary, hidden, fallback, tuple(outline), name)


def split_chart(chart: Chart, labels: Mapping[str, str] = DEFAULT_LABELS) -> tuple[Chart, list[Chart]]:
    """An org chart too large for a page, as an overview and one chart per branch.

    The overview keeps the top of the tree (the box with the most boxes below it, what is
    above it, and its direct children); each child with boxes below it becomes a branch
    chart of its own, and says so in the overview ("see its own chart"). Applied again to a
    branch that is still too large. Dotted lines between an overview box and a branch box
    are left to the text version. Returns ``(chart, [])`` when there is nothing to split."""
    children: dict[str, list[str]] = {}
    for e in chart.edges:
        if not e.dotted:
            children.setdefault(e.source, []).append(e.target)

    def below(key: str, seen: set[str] | None = None) -> set[str]:
        seen = set() if seen is None else seen
        for c in children.get(key, ()):
            if c not in seen:
                seen.add(c)
                below(c, seen)
        return seen

    if chart.kind == "flow":
        return _split_flow(chart, labels)
    if chart.kind != "org" or not chart.nodes:
        return chart, []
    top = max((n.key for n in chart.nodes), key=lambda k: len(below(k)))
    branches = [c for c in children.get(top, ()) if children.get(c)]
    if not branches:
        return chart, []
    by_key = {n.key: n for n in chart.nodes}
    moved: set[str] = set()
    parts: list[Chart] = []
    for c in branches:
        keys = {c} | below(c)
        moved |= keys - {c}
        node = by_key[c]
        parts.append(replace(chart, nodes=tuple(n for n in chart.nodes if n.key in keys),
                             edges=tuple(e for e in chart.edges if e.source in keys and e.target in keys),
                             summary="", truncated=0, fallback=(), outline=(),
                             name=labels.get("name_branch", DEFAULT_LABELS["name_branch"]).format(
                                 name=chart.name, branch=node.title or node.lines[0])))
    nodes = []
    for n in chart.nodes:
        if n.key in moved:
            continue
        if n.key in branches:
            n = replace(n, lines=n.lines + (labels.get("see_branch", DEFAULT_LABELS["see_branch"]).format(
                n=len(below(n.key))),), marks=n.marks + ("branch",))
        nodes.append(n)
    overview = replace(chart, nodes=tuple(nodes),
                       edges=tuple(e for e in chart.edges if e.source not in moved and e.target not in moved))
    return overview, parts


def _split_flow(chart: Chart, labels: Mapping[str, str]) -> tuple[Chart, list[Chart]]:
    """A flow too tall for a page, as two parts of about equal numbers of steps, joined
    the way a paper flowchart continues on the next page: a line that leaves its part ends
    in a connector "转第 n 步" (go to step n), and the line's target starts from a connector
    "接第 m 步" (continued from step m). Start and end go with the steps they touch; a
    part split again keeps its connectors with their steps."""
    steps = sorted((n for n in chart.nodes if n.step), key=lambda n: n.step)
    if len(steps) < 2:
        return chart, []
    half = math.ceil(len(steps) / 2)
    group = {n.key: 0 if i < half else 1 for i, n in enumerate(steps)}
    number = {n.key: n.step for n in steps}
    by_key = {n.key: n for n in chart.nodes}
    # the boxes that are not steps go with the steps they are joined to (the end may go with both)
    with_groups: dict[str, set[int]] = {}
    for e in chart.edges:
        for here, there in ((e.source, e.target), (e.target, e.source)):
            if here not in group and there in group:
                with_groups.setdefault(here, set()).add(group[there])
    free = 1 + max((int(k[1:]) for k in by_key if k[1:].isdigit()), default=0)
    parts_nodes: list[list[ChartNode]] = [[], []]
    parts_edges: list[list[ChartEdge]] = [[], []]
    for n in chart.nodes:
        if n.key in group:
            parts_nodes[group[n.key]].append(n)
        else:  # a box joined to no step (the "+N more steps" box) goes last
            for g in sorted(with_groups.get(n.key, {1})):
                parts_nodes[g].append(n)
    for e in chart.edges:
        gs, gt = group.get(e.source), group.get(e.target)
        if gs is None or gt is None or gs == gt:
            parts_edges[gt if gs is None else gs].append(e)
            continue
        out_key, in_key = f"n{free}", f"n{free + 1}"
        free += 2
        parts_nodes[gs].append(ChartNode(out_key, (labels["to_step"].format(n=number[e.target]),), None,
                                         "connector", "stadium", marks=("continued",)))
        parts_edges[gs].append(replace(e, target=out_key))
        parts_nodes[gt].append(ChartNode(in_key, (labels["from_step"].format(n=number[e.source]),), None,
                                         "connector", "stadium", marks=("continued",)))
        parts_edges[gt].append(replace(e, source=in_key, label=""))
    # a part split again is named after the whole flow, not after the part
    suffix = labels["name_part"].format(name="", first=steps[0].step, last=steps[-1].step)  # 2+ steps here
    base = chart.name[:-len(suffix)] if suffix and chart.name.endswith(suffix) else chart.name
    charts = []
    for g, ns in enumerate(parts_nodes):
        numbers = [n.step for n in ns if n.step]
        key = "name_part" if min(numbers) < max(numbers) else "name_part_one"
        name = labels[key].format(name=base, first=min(numbers), last=max(numbers))
        charts.append(replace(chart, nodes=tuple(ns), edges=tuple(parts_edges[g]), name=name,
                              **({} if g == 0 else {"summary": "", "truncated": 0, "fallback": (), "outline": ()})))
    return charts[0], charts[1:]


def check_limits(source: str, chart: Chart) -> list[str]:
    """Reasons a chart's source would be refused by Mermaid (empty if it is fine)."""
    problems = []
    if len(source) > MAX_SOURCE_CHARS:
        problems.append(f"{len(source)} characters (Mermaid's limit is {MAX_SOURCE_CHARS})")
    if len(chart.edges) > MAX_EDGES:
        problems.append(f"{len(chart.edges)} edges (Mermaid's limit is {MAX_EDGES})")
    return problems
