"""What a chart shows, before it is Mermaid text: boxes, lines, links, legend, text version.

Charts are first built as a small :class:`Chart` (nodes, edges, links to handbook
objects) from a :class:`~handbook.view.View` (:mod:`handbook.charts.org_charts`,
:mod:`handbook.charts.flow_charts`), so the page records what it shows; the Mermaid text
is produced later (:func:`handbook.charts.mermaid_text.to_mermaid`), when the builder
knows the URL of each linked page. Node ids are generated (``n0``, ``n1`` …), never taken
from the data.

Charts stay within Mermaid's own limits (50,000 characters of source, 500 edges) at any
size (:func:`check_limits` tells when one would not). A parent's many leaf children are
stacked in a compact block (:func:`leaf_blocks`), which is part of the chart's legend.
This module also holds the charts' default (Chinese) labels, which the chart builders and
the print split share. Pure: no Sphinx.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SOURCE_CHARS = 50_000  # Mermaid's default maxTextSize
MAX_EDGES = 500  # Mermaid's default maxEdges
DEFAULT_MAX_NODES = 60
#: a box costs at most ~250 characters of source (label capped at MAX_LABEL_CHARS, entity
#: codes, click line); 150 boxes stay well below MAX_SOURCE_CHARS and MAX_EDGES
MAX_CHART_NODES = 150  # the same bound as handbook.site.settings.CHART_NODES (a test checks)

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
    outline: tuple[OutlineItem, ...] = field(default=())
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
    children: tuple[OutlineItem, ...] = ()


#: legend entries, in the order a legend lists them
LEGEND_ORDER = (
    "head",
    "department",
    "vacant",
    "acting",
    "concurrent",
    "shared",
    "outside",
    "dotted",
    "dotted_note",
    "group",
    "more",
    "branch",
    "continued",
)


#: a parent with at least this many leaf children (boxes with nothing below them) gets them
#: stacked in a block, in columns of at most
#: :func:`handbook.charts.mermaid_text.column_height` boxes
STACK_MIN_LEAVES = 3


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


DEFAULT_LABELS = {
    "performer_initiator": "申请人",
    "performer_initiator-head": "申请人所在部门负责人",
    "performer_department-heads": "各部门负责人",
    "performer_process-owner": "流程负责人",
    "headcount": "编制",
    "open": "若干",
    "filled": "在岗",
    "unnamed": "未具名",
    "vacant": "待招",
    "acting": "代理",
    "concurrent": "兼任",
    "outside": "部门外：{dept}",
    "shared": "共用岗位，计入{dept}",
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
    "name_map": "流程关系图，{n} 个流程",
    "summary_processes": "{n} 个流程，{m} 条关系",
    "gives_to": "输出给{process}：{items}",
    "name_branch": "{name}：{branch}分图",
    "see_branch": "下设 {n} 个，见分图",
    "name_part": "{name}（第 {first}–{last} 步）",
    "name_part_one": "{name}（第 {first} 步）",
    "to_step": "转第 {n} 步",
    "from_step": "接第 {n} 步",
}


def check_limits(source: str, chart: Chart) -> list[str]:
    """Reasons a chart's source would be refused by Mermaid (empty if it is fine)."""
    problems = []
    if len(source) > MAX_SOURCE_CHARS:
        problems.append(f"{len(source)} characters (Mermaid's limit is {MAX_SOURCE_CHARS})")
    if len(chart.edges) > MAX_EDGES:
        problems.append(f"{len(chart.edges)} edges (Mermaid's limit is {MAX_EDGES})")
    return problems
