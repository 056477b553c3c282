"""Accessibility checks with the axe-core engine, in a real browser, for any test that has a page.

``check(page)`` injects axe-core from the npm package in ``node_modules/axe-core`` (read from
disk: no network), runs it with the WCAG 2.1 A/AA rules plus best practice and returns the
violations; ``assert_accessible(page, where)`` fails with a readable report — rule id,
impact, what it means, and the offending elements (selector and HTML) — when there is any::

    from axe import assert_accessible
    page.goto(url); wait_until_settled(page); assert_accessible(page, "role page, 390 px")

Nothing is switched off: every rule with those tags runs on the whole page. A finding that
another piece of work owns is listed in :data:`KNOWN` by rule *and* element, with its owner;
it is reported (``Finding.known``) but does not fail the check while that work is open, and
an entry that no longer matches anything says so, so the list shrinks as the work lands.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG 2.0 and 2.1, levels A and AA, plus Deque's best practices
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3, None: 4}


@dataclass(frozen=True)
class Known:
    """A finding owned by other work: ``rule`` on elements whose selector or HTML matches ``element``."""

    rule: str
    element: str  # a regular expression searched in the node's selector and HTML
    owner: str

    def matches(self, rule: str, target: str, html: str) -> bool:
        return rule == self.rule and bool(re.search(self.element, target) or re.search(self.element, html))


#: findings that other open work owns (rule, element, owner); empty once that work has landed.
#: test_a11y.py fails when an entry no longer occurs, so each goes with the fix that lands.
KNOWN: tuple[Known, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str | None
    help: str
    url: str
    target: str  # CSS selector of the element
    html: str
    summary: str
    known: Known | None = None

    def line(self) -> str:
        owner = f" [known, owned by {self.known.owner}]" if self.known else ""
        return f"    {self.target}{owner}\n      {self.html[:200]}"


def _inject(page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))


def check(page, known: tuple[Known, ...] = KNOWN, within: str | None = None) -> list[Finding]:
    """Run axe-core on the page as it is now (or on the part ``within`` selects); every
    violation, one :class:`Finding` per element."""
    _inject(page)
    result = page.evaluate(
        """([tags, within]) => axe.run(within ? {include: [within]} : document,
                                       {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [list(TAGS), within],
    )
    findings = []
    for v in result["violations"]:
        for node in v["nodes"]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            html = node.get("html", "")
            owner = next((k for k in known if k.matches(v["id"], target, html)), None)
            findings.append(
                Finding(
                    v["id"],
                    v.get("impact"),
                    v["help"],
                    v["helpUrl"],
                    target,
                    html,
                    node.get("failureSummary", ""),
                    owner,
                )
            )
    findings.sort(key=lambda f: (IMPACT_ORDER.get(f.impact, 4), f.rule, f.target))
    return findings


def report(findings: list[Finding], where: str, most: int = 12) -> str:
    """Findings grouped by rule: ``impact rule-id: help (url)``, then the elements (the
    first ``most`` of each rule)."""
    lines = [f"axe-core found {len(findings)} problem(s) on {where}:"]
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    for rule, found in by_rule.items():
        first = found[0]
        lines.append(f"  {first.impact or '-'} {rule} ({len(found)}): {first.help} ({first.url})")
        lines += [f.line() for f in found[:most]]
        if len(found) > most:
            lines.append(f"    … and {len(found) - most} more")
    return "\n".join(lines)


def assert_accessible(page, where: str, known: tuple[Known, ...] = KNOWN) -> list[Finding]:
    """Fail with :func:`report` on any violation that is not known; returns the known ones."""
    findings = check(page, known)
    new = [f for f in findings if f.known is None]
    assert not new, report(new, where)
    return [f for f in findings if f.known is not None]


def wait_until_settled(page, timeout: int = 30_000) -> None:
    """Wait until the page is loaded and every chart is drawn (an SVG in each Mermaid block),
    so axe sees what a reader sees."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        """() => [...document.querySelectorAll('figure.handbook-chart .handbook-chart-frame')]
                  .every(p => p.querySelector('svg'))""",
        timeout=timeout,
    )
    page.wait_for_load_state("networkidle")
