"""Accessibility checks in the browser tests: axe-core run on the page as it stands.

    from ui.a11y import assert_accessible
    assert_accessible(page, "data page")          # fails on any critical or serious violation

axe-core comes from the UI's dev dependencies (frontend/node_modules/axe-core).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ui.browserkit import settle

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe's violations of the WCAG 2 A/AA rules (and best practices) on the page, of the given impacts.

    Waits for running animations and transitions to end first: a drawer or badge caught mid-fade has
    blended colours, which axe reports as low contrast."""
    settle(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated rather than added as a <script>: the studio's CSP (script-src 'self') refuses
        # inline script tags, while DevTools evaluation is not subject to it.
        page.evaluate(_axe_source() + "\n;true")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def describe_violations(violations: list[dict], limit: int = 5) -> str:
    """The violations in lines a person can act on: rule, impact, help, then the first few nodes."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)")
        for n in v["nodes"][:limit]:
            summary = " ".join((n["summary"] or "").split())
            lines.append(f"    {n['target']}: {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    """No critical or serious axe violations on the page as it is now."""
    found = axe_violations(page)
    assert not found, f"accessibility problems on the {where}:\n{describe_violations(found)}"
