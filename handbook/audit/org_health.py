"""The organisation's health as HR reads it: span of control, layers, key posts without a
backup, people holding many posts, duties two departments claim, departments without a
head, vacancy by department.

:func:`examine` derives the figures from a finished :class:`~handbook.model.Handbook`
(no thresholds: the figures are what they are); :class:`Limits` says which of them are
findings, and :func:`findings` turns those into problems for ``handbook check`` and the
build. The org-health page shows the figures and marks the findings. No Sphinx imports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from difflib import SequenceMatcher

from handbook import model as m
from handbook.problems import Code, Problem


@dataclass(frozen=True)
class Limits:
    """Where a figure becomes a finding (``handbook_org_health`` in conf.py overrides any of them)."""

    span_max: int = 10  # direct reports (posts) above which a manager's span is too wide
    span_min: int = 2  # a manager with fewer direct reports than this (but at least one) is too narrow
    layers_max: int = 6  # reporting layers from the top post down
    posts_max: int = 2  # posts one person may hold before it is a finding
    vacancy_max: float = 0.3  # a department's open share of its (minimum) headcount
    similarity: float = 0.8  # two departments' functions this alike (0–1) are one duty claimed twice

    @classmethod
    def from_setting(cls, value: Mapping[str, object] | None) -> Limits:
        """Limits from the conf.py mapping; unknown keys and wrong types raise ValueError."""
        if not value:
            return cls()
        known = {f.name: f for f in fields(cls)}
        args: dict[str, object] = {}
        for key, v in value.items():
            if key not in known:
                raise ValueError(f"unknown key `{key}` (known: {', '.join(known)})")
            want = float if known[key].type == "float" else int
            if isinstance(v, bool) or not isinstance(v, (int, float)) or (want is int and not isinstance(v, int)):
                raise ValueError(f"`{key}` must be a {'number' if want is float else 'whole number'}, not {v!r}")
            args[key] = want(v)
        return cls(**args)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Span:
    role: str
    reports: tuple[str, ...]  # the posts reporting to it directly
    people: int  # the people holding those posts (acting holders not counted)


@dataclass(frozen=True)
class SharedDuty:
    """One duty written by two departments in nearly the same words."""

    first: str  # department id
    first_number: str  # its number in that department's functions
    second: str
    second_number: str
    text: m.Text
    other_text: m.Text
    similarity: float


@dataclass(frozen=True)
class Vacancy:
    department: str
    staffing: m.Staffing
    rate: float  # open posts / minimum headcount of the department's own roles


@dataclass(frozen=True)
class OrgHealth:
    spans: tuple[Span, ...]  # every post with direct reports, widest first
    layers: tuple[tuple[str, ...], ...]  # the posts on each reporting layer, top first
    deepest: tuple[str, ...]  # one reporting chain of the greatest depth, top first
    no_backup: tuple[str, ...]  # leading posts held by exactly one person, nobody acting or sharing
    many_posts: tuple[tuple[str, tuple[str, ...]], ...]  # (person key, the posts held) for 2+ posts
    shared_duties: tuple[SharedDuty, ...]
    headless: tuple[str, ...]  # departments without a head
    vacancy: tuple[Vacancy, ...]  # departments with open posts, highest rate first


def _layers(hb: m.Handbook) -> dict[str, int]:
    """Each post's reporting layer: 1 for a post that reports to nobody."""
    depth: dict[str, int] = {}
    for rid in hb.roles:
        chain: list[str] = []
        cur: str | None = rid
        while cur is not None and cur not in depth and cur not in chain:
            chain.append(cur)
            cur = hb.roles[cur].reports_to
        base = depth.get(cur, 0) if cur is not None else 0
        for n, r in enumerate(reversed(chain), start=1):
            depth[r] = base + n
    return depth


def _key_text(text: str) -> str:
    """A duty's words without numbering, punctuation and spaces (what "the same duty" compares)."""
    text = re.sub(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[)）.、．]|[①-⑳])\s*", "", text)
    return re.sub(r"[\W_]+", "", text).lower()


def _shared_duties(hb: m.Handbook, threshold: float) -> list[SharedDuty]:
    """Pairs of near-identical functions in two departments neither of which is above the other
    (a department may well sum up its sub-departments' functions). Candidates come from an
    index of character pairs (so the cost grows with the pairs that share words, not with
    all pairs); common pairs are left out of the index; difflib decides."""
    entries: list[tuple[str, str, m.Duty, str]] = []
    for did, d in hb.departments.items():
        for number, duty, _group in m.numbered_duties(d.functions):
            key = _key_text(str(duty.text))
            if len(key) >= 4:
                entries.append((did, number, duty, key))
    grams = [{k[i : i + 2] for i in range(len(k) - 1)} for *_, k in entries]
    index: dict[str, list[int]] = {}
    for i, gs in enumerate(grams):
        for g in gs:
            index.setdefault(g, []).append(i)
    common = max(20, len(entries) // 20)

    def related(x: str, y: str) -> bool:  # a department restating what its sub-department does
        return x in hb.department_path(y) or y in hb.department_path(x)

    found: list[SharedDuty] = []
    for i, gs in enumerate(grams):
        shared: Counter[int] = Counter()
        for g in gs:
            postings = index[g]
            if len(postings) <= common:
                shared.update(j for j in postings if j > i)
        for j, n in shared.items():
            a, b = entries[i], entries[j]
            if a[0] == b[0] or n < threshold * min(len(gs), len(grams[j])) * 0.8 or related(a[0], b[0]):
                continue
            ratio = SequenceMatcher(None, a[3], b[3], autojunk=False).ratio()
            if ratio >= threshold:
                found.append(SharedDuty(a[0], a[1], b[0], b[1], a[2].text, b[2].text, round(ratio, 2)))
    found.sort(key=lambda s: (-s.similarity, s.first, s.first_number))
    return found


def examine(hb: m.Handbook, similarity: float = Limits.similarity) -> OrgHealth:
    """The figures of the organisation (``similarity``: how alike two duties must be to count as one)."""
    spans = []
    for rid, reports in hb.direct_reports.items():
        if reports and rid in hb.roles:
            people = sum(1 for r in reports for h in hb.holders.get(r, ()) if h.assignment.type != "acting") + sum(
                hb.roles[r].filled or 0 for r in reports if not hb.holders.get(r)
            )
            spans.append(Span(rid, tuple(reports), people))
    spans.sort(key=lambda s: (-len(s.reports), list(hb.roles).index(s.role)))
    depth = _layers(hb)
    top = max(depth.values(), default=0)
    layers = tuple(tuple(r for r in hb.roles if depth[r] == n) for n in range(1, top + 1))
    deepest: list[str] = []
    if top:
        cur: str | None = layers[-1][0]
        while cur is not None:
            deepest.append(cur)
            cur = hb.roles[cur].reports_to
    leading = {d.head for d in hb.departments.values() if d.head} | {s.role for s in spans}
    no_backup = []
    for rid in hb.roles:
        holders = hb.holders.get(rid, ())
        if rid in leading and len(holders) == 1 and holders[0].assignment.type != "acting":
            no_backup.append(rid)
    many = tuple(
        (p.key, tuple(a.role for a in p.assignments)) for p in hb.people if len({a.role for a in p.assignments}) >= 2
    )
    vacancy = []
    for did in hb.departments:
        st = hb.department_staffing[did]
        if st.vacant.high and st.headcount.high:
            base = st.headcount.low or st.headcount.high
            vacancy.append(Vacancy(did, st, round(st.vacant.low / base if st.headcount.low else 0.0, 2)))
    vacancy.sort(key=lambda v: (-v.rate, -v.staffing.vacant.high))
    return OrgHealth(
        spans=tuple(spans),
        layers=layers,
        deepest=tuple(reversed(deepest)),
        no_backup=tuple(no_backup),
        many_posts=many,
        shared_duties=tuple(_shared_duties(hb, similarity)),
        headless=tuple(d.id for d in hb.departments.values() if not d.head),
        vacancy=tuple(vacancy),
    )


def findings(hb: m.Handbook, limits: Limits, health: OrgHealth | None = None) -> Iterator[Problem]:
    """The figures beyond the limits, as warnings located at the object they concern."""
    h = health if health is not None else examine(hb, limits.similarity)
    for s in h.spans:
        role = hb.roles[s.role]
        n = len(s.reports)
        if n > limits.span_max:
            yield Problem(
                role.source,
                Code.SPAN_OF_CONTROL,
                f"role `{s.role}` has {n} posts reporting to it directly (管理幅度过宽; limit {limits.span_max})",
                "add a level in between (a deputy or team leads), or raise `span_max` in `handbook_org_health`",
            )
        elif n < limits.span_min:
            yield Problem(
                role.source,
                Code.SPAN_OF_CONTROL,
                f"role `{s.role}` has only {n} post reporting to it (管理幅度过窄; at least {limits.span_min})",
                "merge the level with the one above or below, or lower `span_min` in `handbook_org_health`",
            )
    if len(h.layers) > limits.layers_max:
        bottom = hb.roles[h.deepest[-1]]
        yield Problem(
            bottom.source,
            Code.ORG_LAYERS,
            f"{len(h.layers)} reporting layers from `{h.deepest[0]}` down to `{h.deepest[-1]}` "
            f"(管理层级过多; limit {limits.layers_max})",
            "flatten the reporting line, or raise `layers_max` in `handbook_org_health`",
        )
    people = {p.key: p for p in hb.people}
    for key, posts in h.many_posts:
        if len(posts) > limits.posts_max:
            p = people[key]
            yield Problem(
                p.source,
                Code.MANY_POSTS,
                f"{p.name} holds {len(posts)} posts ({', '.join(posts)}; 兼岗过多; limit {limits.posts_max})",
                "give some of the posts to others, or raise `posts_max` in `handbook_org_health`",
            )
    for s in h.shared_duties:
        yield Problem(
            hb.departments[s.second].source,
            Code.DUTY_CLAIMED_TWICE,
            f"function {s.second_number} of department `{s.second}` is function {s.first_number} of "
            f"`{s.first}` in nearly the same words ({round(s.similarity * 100)} % alike; 职责重叠)",
            "give the duty to one department and let the other support it, or tell them apart in the wording",
            (hb.departments[s.first].source,),
        )
    for v in h.vacancy:
        if v.rate > limits.vacancy_max:
            yield Problem(
                hb.departments[v.department].source,
                Code.VACANCY_RATE,
                f"department `{v.department}` has {v.staffing.vacant} of {v.staffing.headcount} posts open "
                f"({round(v.rate * 100)} %; 缺编率; limit {round(limits.vacancy_max * 100)} %)",
                "fill the posts or review the headcount, or raise `vacancy_max` in `handbook_org_health`",
            )
