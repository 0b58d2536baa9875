"""Charts for the leaders' dashboards, drawn on the server as SVG (ADR 0010 §6).

Each function turns figures into the geometry a template draws (`console/charts/*.html`): no
JavaScript, no charting package, and every mark carries its number twice — printed beside it
and in a `<title>` that shows on hover. Under each chart the page keeps a table with the same
numbers, for screen readers and for the exports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.formats import number_format

WIDTH = 800
BAR_HEIGHT = 26
BAR_GAP = 10
LABEL_WIDTH = 260
PLOT_HEIGHT = 220


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as people read it: "93,5 %", "1.204"
    x: float
    y: float
    width: float
    height: float
    tone: str = ""  # "", "good", "warn", "bad": a CSS class

    @property
    def end(self) -> float:  # where the printed number starts (after the bar)
        return self.x + self.width + 8

    @property
    def middle(self) -> float:  # the baseline of a text centred on a horizontal bar
        return self.y + self.height / 2 + 5

    @property
    def centre(self) -> float:  # the centre of a column
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


def nice_max(value: float) -> float:
    """The round number at or above `value` an axis ends at (1, 2, 2.5, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(items: Sequence[tuple[str, float, str]], *, maximum: float | None = None,
              tones: Sequence[str] | None = None) -> dict[str, object]:  # fmt: skip
    """Horizontal bars, one per (label, value, text), longest scale = `maximum` (or the data's)."""
    top = maximum if maximum is not None else nice_max(max((v for _l, v, _t in items), default=0))
    span = WIDTH - LABEL_WIDTH - 90
    bars = [
        Bar(label=label, value=value, text=text, x=LABEL_WIDTH, y=i * (BAR_HEIGHT + BAR_GAP),
            width=max(0.0, span * min(value, top) / top) if top else 0.0, height=BAR_HEIGHT,
            tone=tones[i] if tones else "")
        for i, (label, value, text) in enumerate(items)
    ]  # fmt: skip
    return {"bars": bars, "width": WIDTH, "height": max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP), "label_width": LABEL_WIDTH}


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    text: str
    x: float
    y: float
    show_value: bool = True
    show_label: bool = True


def line_chart(points: Sequence[tuple[str, float | None, str]], *, maximum: float | None = None,
               unit: str = "") -> dict[str, object]:  # fmt: skip
    """A trend: one point per period (None = no data, the line breaks there)."""
    values = [v for _l, v, _t in points if v is not None]
    top = maximum if maximum is not None else nice_max(max(values, default=0))
    left, right, step = 56, 20, (WIDTH - 76) / max(1, len(points) - 1)
    drawn = [
        Point(label, value, text, left + i * step if len(points) > 1 else WIDTH / 2,
              PLOT_HEIGHT - (PLOT_HEIGHT * (value or 0) / top) + 10)
        for i, (label, value, text) in enumerate(points)
    ]  # fmt: skip
    drawn = _thin(drawn)
    return {
        "points": drawn, "segments": _segments(drawn), "width": WIDTH, "height": PLOT_HEIGHT + 50,
        "ticks": [Tick(PLOT_HEIGHT - PLOT_HEIGHT * k / 4 + 10, _tick_text(top * k / 4, unit)) for k in range(5)],
        "left": left, "right": WIDTH - right, "bottom": PLOT_HEIGHT + 10,
    }  # fmt: skip


def _thin(points: list[Point], most: int = 12) -> list[Point]:
    """A long trend (a month of days) keeps every point and its number on hover, but writes
    only about `most` date labels, and numbers only at the highest, lowest and last points:
    thirty labels side by side are unreadable."""
    if len(points) <= most:
        return points
    every, last = -(-len(points) // most), len(points) - 1
    valued = [i for i, p in enumerate(points) if p.value is not None]
    keep = {max(valued, key=lambda i: points[i].value or 0), min(valued, key=lambda i: points[i].value or 0),
            valued[-1]} if valued else set()  # fmt: skip
    return [
        replace(p, show_label=i % every == 0 or (i == last and i % every >= every // 2), show_value=i in keep)
        for i, p in enumerate(points)
    ]


def _segments(points: list[Point]) -> list[str]:
    """SVG `points` strings of the unbroken runs (a period without data breaks the line)."""
    runs: list[list[Point]] = [[]]
    for point in points:
        if point.value is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in runs if len(run) > 1]


def _tick_text(value: float, unit: str) -> str:
    number = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return f"{number}{unit}"


def column_chart(items: Sequence[tuple[str, float, str]]) -> dict[str, object]:
    """Vertical bars (a histogram or a day by hours): label under, number over each column."""
    top = nice_max(max((v for _l, v, _t in items), default=0))
    slot = (WIDTH - 40) / max(1, len(items))
    bars = [
        Bar(label=label, value=value, text=text, x=20 + i * slot + slot * 0.15,
            y=10 + PLOT_HEIGHT - PLOT_HEIGHT * value / top, width=slot * 0.7, height=PLOT_HEIGHT * value / top)
        for i, (label, value, text) in enumerate(items)
    ]  # fmt: skip
    return {"bars": bars, "width": WIDTH, "height": PLOT_HEIGHT + 50, "bottom": PLOT_HEIGHT + 10}


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    value: float
    text: str
    x: float
    y: float
    opacity: float
    w: float
    h: float

    @property
    def dark(self) -> bool:  # white numbers on dark cells
        return self.opacity > 0.55

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2 + 5


def _mean_text(value: float) -> str:
    """A mean of a few a day keeps one decimal (0,4 is not 0), in the page's language; larger none."""
    if value >= 10 or value == int(value):
        return f"{value:.0f}"
    return number_format(value, decimal_pos=1)


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]]) -> dict[str, object]:
    """Rows × columns (weekdays × hours): the darker the cell, the more; the number in each cell."""
    top = max((v for row in values for v in row), default=0) or 1
    cell_w, cell_h, left = (WIDTH - 90) / max(1, len(columns)), 30, 90
    cells = [
        Cell(rows[r], columns[c], value, _mean_text(value), left + c * cell_w, 24 + r * cell_h,
             0.08 + 0.92 * value / top, cell_w - 2, cell_h - 2)
        for r, row in enumerate(values) for c, value in enumerate(row)
    ]  # fmt: skip
    heads = [Tick(left + c * cell_w + cell_w / 2, name) for c, name in enumerate(columns)]
    sides = [Tick(24 + r * cell_h + cell_h / 2 + 5, name) for r, name in enumerate(rows)]
    return {"cells": cells, "heads": heads, "sides": sides, "cell_w": cell_w, "cell_h": cell_h,
            "width": WIDTH, "height": 30 + len(rows) * cell_h}  # fmt: skip
