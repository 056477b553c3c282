"""A :class:`~handbook.charts.model.Chart` as Mermaid source text.

:func:`to_mermaid` writes the boxes in :func:`model_order`, stacks a parent's many leaf
children in a block (:func:`~handbook.charts.model.leaf_blocks`, in columns of
:func:`column_height` boxes), and adds the click-through links, given a function that maps
each link to a URL relative to the page. Labels are escaped
(:func:`~handbook.charts.label_text.escape_label`) and URLs are built from validated ids.
States are told by text and shape as well as by colour (:data:`CLASS_DEFS`), so a chart is
legible in black and white. The layout is Mermaid's ELK (``layout: elk``, see
:data:`MERMAID_LAYOUT`), which both the site and the PDF use. Pure: no Sphinx.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from handbook.charts.label_text import escape_label
from handbook.charts.model import Chart, ChartNode, Link, leaf_blocks


def _safe_url(url: str) -> str:
    return url.replace('"', "%22").replace("\n", "").replace("\\", "/")


_SHAPES = {
    "box": ('["', '"]'),
    "round": ('("', '")'),
    "stadium": ('(["', '"])'),
    "diamond": ('{"', '"}'),
    "circle": ('(("', '"))'),
}

#: colours are a second channel only: every state also has a text or a line style of its own
CLASS_DEFS = {
    "head": "fill:#e8f0fe,stroke:#1a3a6b,stroke-width:3px",
    "vacant": "fill:#fff7e6,stroke:#8a5300,stroke-width:1.5px,stroke-dasharray:6 4",
    "ghost": "fill:#f3f3f3,stroke:#555,stroke-width:1px,stroke-dasharray:1 3,color:#333",
    "more": "fill:#fafafa,stroke:#666,stroke-dasharray:2 2,color:#333",
    "department": "fill:#eef7ee,stroke:#2e6b30,stroke-width:1.5px",
    "role": "fill:#ffffff,stroke:#555,stroke-width:1px",
    "shared": "fill:#ffffff,stroke:#555,stroke-width:1px,stroke-dasharray:8 2 2 2",
    "step": "fill:#ffffff,stroke:#555",
    "start": "fill:#e8f0fe,stroke:#1a56db",
    "end": "fill:#f0f0f0,stroke:#555",
    "connector": "fill:#ffffff,stroke:#333,stroke-width:1.5px",
}
#: the frame of a block of stacked leaf boxes, and its (invisible) title
BLOCK_TITLE = "\u200b"
BLOCK_STYLE = "fill:#f7f9fb,stroke:#c5ccd6,stroke-width:1px"
#: Mermaid settings both the site and the PDF use (see site/assets.py and charts/svg.py): the ELK
#: layered layout with orthogonal (elbow) connectors; labels are wrapped by us (wrap_text)
MERMAID_LAYOUT = {
    "layout": "elk",
    # separate connectors (merged ones let a dashed line join a solid one); network simplex
    # centres a parent over its children; the boxes' order decides which line of a cycle is
    # a return (see model_order)
    "elk": {"mergeEdges": False, "nodePlacementStrategy": "NETWORK_SIMPLEX", "cycleBreakingStrategy": "DEPTH_FIRST"},
    "flowchart": {"curve": "linear", "wrappingWidth": 1000, "nodeSpacing": 24, "rankSpacing": 44, "padding": 12},
}


def column_height(n: int) -> int:
    """Boxes per column of a block of ``n`` stacked leaves: a block about twice as tall as
    it is wide, its columns filled evenly (3: one column; 6: two of 3; 40: five of 8)."""
    rows = max(3, math.ceil(math.sqrt(2 * n)))
    columns = math.ceil(n / rows)
    return math.ceil(n / columns)


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
            column = kids[start : start + per]
            lines.extend(_node_line(by_key[k], "    ") for k in column)
            lines.extend(f"    {a} ~~~ {b}" for a, b in itertools.pairwise(column))
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
