"""Browser assertions shared by the journeys: axe-core accessibility and 360 px overflow.

axe-core comes from npm (``node_modules/axe-core/axe.min.js``, a dev dependency in package.json).
It is loaded with ``page.evaluate``, which the page's Content Security Policy does not apply to,
so the tests check the page exactly as a visitor gets it (no ``add_script_tag``, no CSP bypass).

axe runs without its CSSOM preload: that preload rebuilds stylesheets loaded with ``@import`` as ``<style>``
elements, which the page's CSP blocks and reports as a violation the page did not commit. Only the rule
css-orientation-lock needs it; in its place ``axe_violations`` fails on any ``@media (orientation: ...)`` rule
in the page's stylesheets, so the rule is checked by hand rather than skipped in silence.
"""

from __future__ import annotations

import functools
from pathlib import Path

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 AA: the A and AA success criteria of WCAG 2.0, 2.1 and 2.2 (axe has no wcag22a rules).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
    preload: {assets: ["media"]},  // not "cssom": see the module's docstring
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map((part) => Array.isArray(part) ? part.join(" >>> ") : part).join(" "),
      summary: node.failureSummary || "",
    })),
  }));
}"""

# Media rules on orientation in the page's stylesheets (through @import), which axe's css-orientation-lock would
# have checked with its CSSOM preload.
_ORIENTATION_RULES = """() => {
  const found = [];
  const walk = (sheet, where) => {
    let rules;
    try {
      rules = sheet.cssRules;
    } catch (error) {
      return;  // another origin's sheet: Samen serves all of its CSS itself
    }
    for (const rule of rules) {
      if (rule.styleSheet) walk(rule.styleSheet, rule.styleSheet.href || where);
      if (rule.cssRules && rule.media && /orientation/i.test(rule.media.mediaText)) {
        found.push(`@media ${rule.media.mediaText} in ${where}`);
      }
      if (rule.cssRules && !rule.media) walk({cssRules: rule.cssRules}, where);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet, sheet.href || "an inline style");
  return found;
}"""

_WIDEST_ELEMENTS = """() => {
  const limit = window.innerWidth;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) {
      name += "." + el.className.trim().split(/\\s+/).join(".");
    }
    return name;
  };
  // An element sticks out when its box passes the right edge, or when its content overflows it
  // visibly (a long word in a <pre>, a wide table in a block).
  return Array.from(document.body.querySelectorAll("*"))
    .map((el) => {
      const rect = el.getBoundingClientRect();
      const spills = getComputedStyle(el).overflowX === "visible" && el.scrollWidth > el.clientWidth + 1;
      return {el, right: Math.max(rect.right, spills ? rect.left + el.scrollWidth : 0)};
    })
    .filter((item) => item.right > limit + 0.5)
    .sort((a, b) => b.right - a.right)
    .slice(0, 8)
    .map((item) => `${describe(item.el)} (reaches ${Math.round(item.right)} px)`);
}"""


@functools.cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: run `npm ci` (axe-core is a dev dependency).")
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the current page with the WCAG 2.2 AA tags; return the violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations = page.evaluate(_RUN_AXE, list(WCAG_TAGS))
    orientation_rules = page.evaluate(_ORIENTATION_RULES)
    if orientation_rules:
        violations.append(
            {
                "id": "css-orientation-lock",
                "impact": "serious",
                "help": "Orientation media queries need a check by hand: axe runs without its CSSOM preload here",
                "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/css-orientation-lock",
                "nodes": [{"target": rule, "summary": ""} for rule in orientation_rules],
            }
        )
    return violations


def format_violations(violations: list[dict], *, where: str) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            for summary_line in node["summary"].splitlines():
                if summary_line.strip():
                    lines.append(f"        {summary_line.strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with a readable list (rule, impact, help, target selectors) when axe finds violations."""
    violations = axe_violations(page)
    if violations:
        size = page.viewport_size or {}
        where = f"{page.url} at {size.get('width')}x{size.get('height')}"
        raise AssertionError(format_violations(violations, where=where))


def assert_no_horizontal_overflow(page: Page) -> None:
    """The page must not scroll sideways (WCAG 1.4.10 reflow); checked at 360 px."""
    scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        widest = page.evaluate(_WIDEST_ELEMENTS)
        details = "\n".join(f"    {item}" for item in widest)
        raise AssertionError(
            f"{page.url} scrolls sideways at {inner_width} px: the document is {scroll_width} px wide.\n"
            f"  Elements past the right edge:\n{details}"
        )
