"""Process flow charts (:func:`process_chart`): each step's whole text, wrapped and never
cut, with its role; branches labelled; a start and an end; boxes link to the roles. The
chart carries its text version: every step with where it leads. Pure: no Sphinx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from handbook.charts.label_text import WRAP_FLOW, shorten, wrap_text
from handbook.charts.model import DEFAULT_LABELS, MAX_SOURCE_CHARS, Chart, ChartEdge, ChartNode, OutlineItem
from handbook.view import View


def performer_label(performer: str, labels: Mapping[str, str] = DEFAULT_LABELS) -> str:
    """A relative performer in words: 申请人所在部门负责人."""
    key = f"performer_{performer}"
    return labels.get(key, DEFAULT_LABELS[key])


def process_chart(view: View, proc_id: str, labels: Mapping[str, str] = DEFAULT_LABELS, max_nodes: int = 150) -> Chart:
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
        elif s.performer:
            lines += wrap_text(f"({performer_label(s.performer, labels)})", WRAP_FLOW)
        nodes.append(ChartNode(key, tuple(lines), ("role", s.role) if s.role else None, "step", step=i))
    for s in steps:
        for t in s.next:
            if t.to in keys:
                edges.append(ChartEdge(keys[s.id], keys[t.to], view.t(t.label)))
    if hidden:
        key = f"n{len(nodes)}"
        nodes.append(
            ChartNode(
                key,
                (labels["more_steps"].format(n=hidden),),
                ("process-steps", proc_id),
                "more",
                "round",
                marks=("more",),
            )
        )
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
    fallback = tuple(
        (str(i), view.t(s.action), view.role_title(s.role) if s.role else "") for i, s in enumerate(proc.steps, start=1)
    )
    number = {s.id: i for i, s in enumerate(proc.steps, start=1)}
    outline = []
    for s in proc.steps:
        notes = [view.role_title(s.role)] if s.role else [performer_label(s.performer, labels)] if s.performer else []
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


def _item_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def process_links(view: View) -> list[tuple[str, str, tuple[str, ...]]]:
    """Which process's output is which one's input: ``(from, to, the items)``, in process
    order. An output and an input match when one's words contain the other's (punctuation and
    spaces aside), so 《采购订单》 matches 采购订单 and 经批准的采购订单."""
    procs = {pid: view.process(pid) for pid in view.all_processes()}
    outputs = {pid: [(view.t(t), _item_key(view.t(t))) for t in p.outputs] for pid, p in procs.items()}
    links: list[tuple[str, str, tuple[str, ...]]] = []
    for pid in procs:
        for qid, q in procs.items():
            if qid == pid:
                continue
            items: list[str] = []
            for t in q.inputs:
                key = _item_key(view.t(t))
                for text, out_key in outputs[pid]:
                    if len(key) >= 2 and len(out_key) >= 2 and (key in out_key or out_key in key) and text not in items:
                        items.append(text)
            if items:
                links.append((pid, qid, tuple(items)))
    return links


def process_map(
    view: View,
    labels: Mapping[str, str] = DEFAULT_LABELS,
    links: Sequence[tuple[str, str, tuple[str, ...]]] | None = None,
) -> Chart:
    """How the processes interact (ISO 9001 4.4): a box per process, linked to its page; an
    arrow from the process whose output another takes as input, labelled with the items. The
    text version lists, for each process, what it gives to which. ``links``: the
    :func:`process_links` of the view, when the caller has them already."""
    pids = view.all_processes()
    keys = {pid: f"n{i}" for i, pid in enumerate(pids)}
    nodes = [
        ChartNode(
            keys[pid],
            tuple(wrap_text(view.process_name(pid), WRAP_FLOW)),
            ("process", pid),
            "step",
            title=view.process_name(pid),
        )
        for pid in pids
    ]
    edges: list[ChartEdge] = []
    outline: list[OutlineItem] = []
    sep = labels.get("separator", DEFAULT_LABELS["separator"])
    links = process_links(view) if links is None else links
    for src, dst, items in links:
        edges.append(ChartEdge(keys[src], keys[dst], shorten(sep.join(items), 24)))
    gives = {pid: [(dst, items) for src, dst, items in links if src == pid] for pid in pids}
    for pid in pids:
        notes = tuple(
            labels.get("gives_to", DEFAULT_LABELS["gives_to"]).format(
                process=view.process_name(dst), items=sep.join(items)
            )
            for dst, items in gives[pid]
        )
        outline.append(OutlineItem(view.process_name(pid), ("process", pid), notes))
    summary = labels.get("summary_processes", DEFAULT_LABELS["summary_processes"]).format(n=len(pids), m=len(edges))
    name = labels.get("name_map", DEFAULT_LABELS["name_map"]).format(n=len(pids))
    return Chart("flow", "LR", tuple(nodes), tuple(edges), summary, 0, (), tuple(outline), name)
