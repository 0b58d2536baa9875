"""axe-core in the page under test: the WCAG 2.2 AA rules (A and AA of 2.0, 2.1 and 2.2).

axe-core comes from the npm registry (package.json, package-lock.json); `scripts/test` runs
`npm ci` when node_modules/axe-core/axe.min.js is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

Violation = dict[str, Any]


# axe-core leaves text over a gradient, beside a decorative pseudo-element or partly covered as
# "needs review" (incomplete). So that such text is judged too, its contrast is computed here
# against every colour that can be behind it: each stop of each gradient, blended over the colours
# beneath (the element's and its ancestors' backgrounds), the decorative pseudo-elements (lines,
# dots) and background pictures (the select's arrow) set aside. The worst one must pass.
CONTRAST_OF_INCOMPLETE = """(elements) => {
    const parse = (text) => {
        const m = text.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => {
        const a = top[3] + under[3] * (1 - top[3]);
        if (a === 0) return [0, 0, 0, 0];
        return [0, 1, 2].map(i => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a).concat([a]);
    };
    const lum = (c) => {
        const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    // A no-repeat layer of a set size (a stripe along the top) counts only where it meets the text.
    const reaches = (box, style, i, text) => {
        const pick = (list) => { const all = list.split(/,(?![^(]*\\))/); return all[i % all.length].trim(); };
        if (pick(style.backgroundRepeat) !== "no-repeat") return true;
        const size = pick(style.backgroundSize).split(" "), at = pick(style.backgroundPosition).split(" ");
        const length = (v, whole) => v.endsWith("px") ? parseFloat(v) : v.endsWith("%") ? whole * parseFloat(v) / 100 : null;
        const [w, h] = [length(size[0], box.width), length(size[1] || size[0], box.height)];
        const [x, y] = [length(at[0], box.width - (w || 0)), length(at[1] || "50%", box.height - (h || 0))];
        if ([w, h, x, y].includes(null)) return true;
        const left = box.left + x, top = box.top + y;
        return !(left + w <= text.left || left >= text.right || top + h <= text.top || top >= text.bottom);
    };
    const backgrounds = (el, text) => {
        if (!el || el.nodeType !== 1) return [[255, 255, 255, 1]];
        const style = getComputedStyle(el), box = el.getBoundingClientRect();
        const color = parse(style.backgroundColor) || [0, 0, 0, 0];
        const layers = (style.backgroundImage.match(/url\\([^)]*\\)|(repeating-)?(linear|radial|conic)-gradient\\((?:[^()]|\\([^()]*\\))*\\)/g) || [])
            .map((g, i) => g.startsWith("url(") || !reaches(box, style, i, text) ? null : (g.match(/rgba?\\([^)]+\\)/g) || []).map(parse))
            .filter(Boolean);
        let base = color[3] >= 1 && !layers.length ? [] : backgrounds(el.parentElement, text);
        if (color[3] > 0) base = color[3] >= 1 ? [color] : base.map(b => over(color, b));
        for (const stops of layers.reverse()) base = stops.flatMap(s => base.map(b => over(s, b)));
        return base;
    };
    return elements.map(el => {
        const style = getComputedStyle(el);
        const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
        const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        const fg = parse(style.color);
        const worst = backgrounds(el, el.getBoundingClientRect()).reduce((acc, bg) => {
            const r = ratio(over(fg, bg), bg);
            return r < acc.ratio ? {ratio: r, bg} : acc;
        }, {ratio: 21, bg: null});
        return {ratio: Math.round(worst.ratio * 100) / 100, needed, fg: style.color,
                bg: worst.bg ? `rgba(${worst.bg.map(v => Math.round(v * 100) / 100).join(", ")})` : ""};
    });
}"""


def audit(page, *, exclude: Iterable[str] = ()) -> list[Violation]:
    """Run axe-core on the page as it is now and return its violations (empty when it passes).

    `exclude`: CSS selectors of parts left out of the check (say why at the call site)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` at the repository root", pytrace=False)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    context: Any = {"exclude": [[selector] for selector in exclude]} if exclude else "document"
    handle = page.evaluate_handle(
        """async ([context, tags]) => {
            const target = context === "document" ? document : {include: [document], exclude: context.exclude};
            return await axe.run(target, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"], elementRef: true,
            });
        }""",
        [context, TAGS],
    )
    violations = handle.evaluate(
        """result => result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
        }))"""
    )
    unsure = handle.evaluate(
        """result => (result.incomplete.find(v => v.id === "color-contrast") || {nodes: []}).nodes
            .map(n => ({target: n.target, html: n.html}))"""
    )
    if unsure:
        elements = handle.evaluate_handle(
            """result => result.incomplete.find(v => v.id === "color-contrast").nodes.map(n => n.element)"""
        )
        measured = elements.evaluate(CONTRAST_OF_INCOMPLETE)
        failing = [
            {"target": node["target"], "html": node["html"],
             "summary": f"Contrast {m['ratio']}:1 (text {m['fg']} on {m['bg']}), needs {m['needed']}:1"}
            for node, m in zip(unsure, measured, strict=True) if m["ratio"] < m["needed"]
        ]  # fmt: skip
        if failing:
            violations.append({
                "id": "color-contrast (computed)", "impact": "serious",
                "help": "Text over a gradient or beside a pseudo-element must meet the contrast minimum in its worst spot",
                "helpUrl": "https://www.w3.org/WAI/WCAG22/Understanding/contrast-minimum.html", "nodes": failing,
            })  # fmt: skip
    handle.dispose()
    return violations


def describe(violations: list[Violation], *, where: str = "", nodes: int = 4) -> str:
    """The violations as a readable list: rule, impact, what to do, and where in the page."""
    lines = [f"{len(violations)} WCAG 2.2 AA violation(s){' on ' + where if where else ''}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({len(v['nodes'])} element(s)) {v['helpUrl']}")
        for node in v["nodes"][:nodes]:
            target = " ".join(str(t) for t in node["target"])
            html = node["html"] if len(node["html"]) <= 200 else node["html"][:200] + "…"
            lines.append(f"    at {target}\n       {html}")
            if node.get("summary"):
                lines.append("       " + node["summary"].replace("\n", "\n       "))
        if len(v["nodes"]) > nodes:
            lines.append(f"    … and {len(v['nodes']) - nodes} more")
    return "\n".join(lines)


def assert_accessible(page, *, where: str = "", exclude: Iterable[str] = ()) -> None:
    """Fail with every violation spelled out (rule, impact, help, selectors, HTML) if any."""
    violations = audit(page, exclude=exclude)
    if violations:
        pytest.fail(describe(violations, where=where or page.url), pytrace=False)
