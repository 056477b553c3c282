"""Organisation charts: the departments as a tree (:func:`company_chart`) and a
department's roles with their reporting lines (:func:`department_chart`).

They follow the conventions of a printed organisation chart: top-down, square (elbow)
connectors without arrowheads, dotted-line relations as dashed lines drawn from the
dotted-line supervisor (so the role is never placed under it as a report), vacancies and
supervisors outside the department marked by text and shape as well as colour, and each
chart lists the marks it uses (:attr:`~handbook.charts.model.Chart.legend`). A chart shows
at most ``max_nodes`` boxes; what does not fit is summarised in a "+N more" box that links
to the page where it is shown in full (drill-down), never dropped silently. Each chart
carries its text version (:class:`~handbook.charts.model.OutlineItem`). Pure: no Sphinx.
"""

from __future__ import annotations

from collections.abc import Mapping

from handbook import model as m
from handbook.charts.label_text import pack, shorten_and_wrap
from handbook.charts.model import DEFAULT_LABELS, DEFAULT_MAX_NODES, Chart, ChartEdge, ChartNode, OutlineItem
from handbook.view import View

#: a role that is the dotted-line partner of more roles of a department than this is named in
#: their boxes ("虚线汇报：…") instead of being joined to each by a dashed line
MAX_DOTTED_LINES = 3


def _staffing_parts(st: m.Staffing, labels: Mapping[str, str], concurrent: int = 0) -> list[str]:
    parts = []
    if not (st.unbudgeted and st.headcount == m.ZERO and not st.open):
        parts.append(
            f"{labels['headcount']} {st.headcount}"
            + (f"+{labels['open']}" if st.open and not st.headcount.word else "")
        )
    parts.append(f"{labels['filled']} {_filled(st, labels)}")
    if st.vacant.high and not st.unbudgeted:
        parts.append(f"{labels['vacant']} {st.vacant}")
    if st.acting:
        parts.append(f"{labels['acting']} {st.acting}")
    if concurrent:
        parts.append(f"{labels['concurrent']} {concurrent}")
    return parts


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


def company_chart(
    view: View,
    labels: Mapping[str, str] = DEFAULT_LABELS,
    max_nodes: int = DEFAULT_MAX_NODES,
    root: str | None = None,
    depth: int | None = None,
    show_headcount: bool = True,
) -> Chart:
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
        lines = shorten_and_wrap(view.t(view.company().name))
        if show_headcount:
            lines += pack(_staffing_parts(view.company_staffing(), labels))
        nodes.append(
            ChartNode("n0", tuple(lines), ("company", ""), "head", marks=("head",), title=view.t(view.company().name))
        )
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
        return OutlineItem(
            view.department_name(d), ("department", d), tuple(notes), tuple(item(c) for c in view.subdepartments(d))
        )

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
    lines = shorten_and_wrap(view.department_name(d))
    if dept.head:
        lines += shorten_and_wrap(view.role_title(dept.head))
    if show_headcount:
        lines += pack(_staffing_parts(view.department_staffing(d), labels))
    return ChartNode(
        key, tuple(lines), ("department", d), "department", marks=("department",), title=view.department_name(d)
    )


def _place_department(
    view: View,
    parent: str | None,
    d: str,
    keys: dict[str, str],
    nodes: list[ChartNode],
    edges: list[ChartEdge],
    labels: Mapping[str, str],
    show_headcount: bool,
) -> None:
    key = f"n{len(nodes)}"
    keys[d] = key
    nodes.append(_department_node(view, d, key, labels, show_headcount))
    if parent is not None and parent in keys:
        edges.append(ChartEdge(keys[parent], key, arrow=False))


def _add_more_boxes(
    view: View,
    items: list[tuple[str | None, str]],
    keys: dict[str, str],
    nodes: list[ChartNode],
    edges: list[ChartEdge],
    labels: Mapping[str, str],
    label_key: str,
    count_descendants: bool = True,
) -> None:
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


def department_chart(
    view: View,
    dept_id: str,
    labels: Mapping[str, str] = DEFAULT_LABELS,
    max_nodes: int = DEFAULT_MAX_NODES,
    show_headcount: bool = True,
    include_subdepartments: bool = True,
) -> Chart:
    """A department's roles with their reporting lines, dotted lines dashed (drawn down from
    the dotted-line supervisor), vacancies marked, supervisors outside the department as
    rounded grey boxes naming their department, sub-departments as boxes that link to their
    own chart."""
    dept = view.department_brief(dept_id)
    role_ids = list(view.department_roles(dept_id))
    shared = set(view.shared_roles(dept_id))  # posts of other departments it shares
    role_ids += [r for r in view.shared_roles(dept_id) if r not in role_ids]
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
        lines = shorten_and_wrap(view.role_title(o)) + shorten_and_wrap(
            labels["outside"].format(dept=view.department_name(o_dept))
        )
        nodes.append(
            ChartNode(key, tuple(lines), ("role", o), "ghost", "round", marks=("outside",), title=view.role_title(o))
        )
    for r in shown:
        key = f"n{len(nodes)}"
        keys[r] = key
        st = view.role_staffing(r)
        concurrent = _concurrent(view, r)
        lines = shorten_and_wrap(view.role_title(r))
        parts = _staffing_parts(st, labels, concurrent)
        if not show_headcount:  # the states still need their words
            parts = [p for p in parts if p.startswith((labels["vacant"], labels["acting"], labels["concurrent"]))]
        lines += pack(parts)
        marks = []
        for t in view.role_brief(r).dotted_line_to:
            if t in crowded and t != view.role_brief(r).reports_to:
                lines += shorten_and_wrap(labels["dotted_to"].format(role=view.role_title(t)))
                marks.append("dotted_note")
        if r in shared:
            lines += shorten_and_wrap(
                labels.get("shared", DEFAULT_LABELS["shared"]).format(
                    dept=view.department_name(view.role_brief(r).department)
                )
            )
            marks.append("shared")
        if r == dept.head:
            marks.append("head")
        if st.vacant.high and not st.unbudgeted:
            marks.append("vacant")
        if st.acting:
            marks.append("acting")
        if concurrent:
            marks.append("concurrent")
        css = "head" if r == dept.head else ("vacant" if "vacant" in marks else ("shared" if r in shared else "role"))
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
        nodes.append(
            ChartNode(
                key,
                (labels["more_roles"].format(n=n),),
                ("department-roles", dept_id),
                "more",
                "round",
                marks=("more",),
            )
        )
        if sup is not None:
            edges.append(ChartEdge(keys[sup], key, arrow=False))
    room = max_nodes - len(nodes)
    for i, s in enumerate(subs):
        if i >= room - 1 and len(subs) - i > 1:
            key = f"n{len(nodes)}"
            nodes.append(
                ChartNode(
                    key,
                    (labels["more_departments"].format(n=len(subs) - i),),
                    ("department", dept_id),
                    "more",
                    "round",
                    marks=("more",),
                )
            )
            if dept.head in keys:
                edges.append(ChartEdge(keys[dept.head], key, arrow=False))
            break
        key = f"n{len(nodes)}"
        sub = view.department_brief(s)
        lines = [*shorten_and_wrap(view.department_name(s)), labels["roles"].format(n=view.department_total_roles(s))]
        if show_headcount:
            lines += pack(_staffing_parts(view.department_staffing(s), labels))
        nodes.append(
            ChartNode(
                key, tuple(lines), ("department", s), "department", marks=("department",), title=view.department_name(s)
            )
        )
        anchor = sub.head if sub.head else None
        sup = view.role_brief(anchor).reports_to if anchor else None
        if sup in keys:
            edges.append(ChartEdge(keys[sup], key, arrow=False))
        elif dept.head in keys:
            edges.append(ChartEdge(keys[dept.head], key, arrow=False))
    summary = labels.get("summary_roles", "{n} roles").format(n=len(role_ids))
    fallback = tuple((view.role_title(r),) for r in role_ids)
    name = labels.get("name_roles", DEFAULT_LABELS["name_roles"]).format(
        name=view.department_name(dept_id), n=len(role_ids)
    )
    return Chart(
        "org",
        "TB",
        tuple(nodes),
        tuple(edges),
        summary,
        len(hidden),
        fallback,
        _role_outline(view, dept_id, role_ids, subs, labels, show_headcount),
        name,
    )


def _role_outline(
    view: View,
    dept_id: str,
    role_ids: list[str],
    subs: tuple[str, ...],
    labels: Mapping[str, str],
    show_headcount: bool,
) -> tuple[OutlineItem, ...]:
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
        if role.department != dept_id:
            notes.append(
                labels.get("shared", DEFAULT_LABELS["shared"]).format(dept=view.department_name(role.department))
            )
        parts = _staffing_parts(st, labels, _concurrent(view, r))
        notes.append(" ".join(parts if show_headcount else parts[1:]))
        for t in role.dotted_line_to:
            notes.append(labels["dotted_to"].format(role=view.role_title(t)))
        kids = tuple(role_item(c, seen | {r}) for c in below.get(r, ()) if c not in seen)
        kids += tuple(sub_item(s) for s in sub_at.get(r, ()))
        return OutlineItem(view.role_title(r), ("role", r), tuple(n for n in notes if n), kids)

    def sub_item(s: str) -> OutlineItem:
        return OutlineItem(
            view.department_name(s),
            ("department", s),
            (labels["sub_department"], labels["roles"].format(n=view.department_total_roles(s))),
        )

    items = tuple(role_item(r, frozenset()) for r in below.get(None, ()))
    return items + tuple(sub_item(s) for s in sub_at.get(None, ()))
