"""Charts too large for a printed page, split into smaller charts (:func:`split_chart`).

An org chart becomes an overview and one chart per branch; a flow becomes two parts
joined by connectors the way a paper flowchart continues on the next page. The PDF
builder splits a chart again while a part is still too large. Pure: no Sphinx.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from handbook.charts.model import DEFAULT_LABELS, Chart, ChartEdge, ChartNode


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
        parts.append(
            replace(
                chart,
                nodes=tuple(n for n in chart.nodes if n.key in keys),
                edges=tuple(e for e in chart.edges if e.source in keys and e.target in keys),
                summary="",
                truncated=0,
                fallback=(),
                outline=(),
                name=labels.get("name_branch", DEFAULT_LABELS["name_branch"]).format(
                    name=chart.name, branch=node.title or node.lines[0]
                ),
            )
        )
    nodes = []
    for n in chart.nodes:
        if n.key in moved:
            continue
        if n.key in branches:
            n = replace(
                n,
                lines=(*n.lines, labels.get("see_branch", DEFAULT_LABELS["see_branch"]).format(n=len(below(n.key)))),
                marks=(*n.marks, "branch"),
            )
        nodes.append(n)
    overview = replace(
        chart,
        nodes=tuple(nodes),
        edges=tuple(e for e in chart.edges if e.source not in moved and e.target not in moved),
    )
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
        parts_nodes[gs].append(
            ChartNode(
                out_key,
                (labels["to_step"].format(n=number[e.target]),),
                None,
                "connector",
                "stadium",
                marks=("continued",),
            )
        )
        parts_edges[gs].append(replace(e, target=out_key))
        parts_nodes[gt].append(
            ChartNode(
                in_key,
                (labels["from_step"].format(n=number[e.source]),),
                None,
                "connector",
                "stadium",
                marks=("continued",),
            )
        )
        parts_edges[gt].append(replace(e, source=in_key, label=""))
    # a part split again is named after the whole flow, not after the part
    suffix = labels["name_part"].format(name="", first=steps[0].step, last=steps[-1].step)  # 2+ steps here
    base = chart.name[: -len(suffix)] if suffix and chart.name.endswith(suffix) else chart.name
    charts = []
    for g, ns in enumerate(parts_nodes):
        numbers = [n.step for n in ns if n.step]
        key = "name_part" if min(numbers) < max(numbers) else "name_part_one"
        name = labels[key].format(name=base, first=min(numbers), last=max(numbers))
        charts.append(
            replace(
                chart,
                nodes=tuple(ns),
                edges=tuple(parts_edges[g]),
                name=name,
                **({} if g == 0 else {"summary": "", "truncated": 0, "fallback": (), "outline": ()}),
            )
        )
    return charts[0], charts[1:]
