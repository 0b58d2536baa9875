"""One "report table" per dashboard view: the screen, the Excel file and the PDF all draw it.

Because the three read the same rows and the same column kinds, the figures in an export are the
figures on the screen by construction (ADR 0010 §6). Values stay numbers here (a rate is a
fraction, a duration seconds); `cell_text` formats them the Vietnamese way for people (1.204;
93,5 %; 12 phút), and the Excel writer keeps them numbers with a display format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

TEXT, COUNT, RATE, MINUTES, DECIMAL = "text", "count", "rate", "minutes", "decimal"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass(frozen=True)
class Cell:
    """One cell as the screen draws it: the text, and, for a figure that can be opened, the
    query of its drill-down and what the link shows (for screen readers and the tooltip)."""

    text: str
    link: str = ""
    title: str = ""


# (row, column) → (the drill-down's query, e.g. "chi-so=resolved_late&nhom=agency&ma=3", and a
# description such as "Xem 12 hồ sơ trễ hạn của Sở Tư pháp"), or None for a cell without a link.
LinkBuilder = Callable[[dict[str, Any], Column], tuple[str, str] | None]


@dataclass
class ReportTable:
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    subtitle: str = ""  # the period and the scope, e.g. "Quý 3/2026 · Trung tâm PVHCC TP. Cần Thơ"
    totals: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    # Screens only: which cells open a list of what they count. The page puts the address and the
    # period in front of the query; the Excel and PDF files never read it.
    link: LinkBuilder | None = field(default=None, repr=False, compare=False)

    def values(self, row: dict[str, Any]) -> list[Any]:
        return [row.get(column.key) for column in self.columns]

    def texts(self, row: dict[str, Any]) -> list[str]:
        return [cell_text(row.get(column.key), column.kind) for column in self.columns]

    def cells(self, row: dict[str, Any]) -> list[Cell]:
        cells = []
        for column, text in zip(self.columns, self.texts(row), strict=True):
            target = self.link(row, column) if self.link else None
            cells.append(Cell(text, *target) if target else Cell(text))
        return cells

    @property
    def body(self) -> list[list[Cell]]:
        return [self.cells(row) for row in self.rows]

    @property
    def total_cells(self) -> list[Cell]:
        return self.cells(self.totals) if self.totals else []


def cell_text(value: Any, kind: str) -> str:
    """A value as people read it in Vietnamese; "–" for nothing (a rate with no denominator)."""
    if value is None or value == "":
        return "–"
    if kind == COUNT:
        return number_format(int(value), force_grouping=True)
    if kind == RATE:
        return f"{number_format(float(value) * 100, decimal_pos=1)} %"
    if kind == MINUTES:
        return _minutes(float(value))
    if kind == DECIMAL:
        return number_format(float(value), decimal_pos=2)
    return str(value)


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return _("dưới 1 phút")
    minutes = int(seconds / 60 + 0.5)  # half up, as people round
    if minutes < 60:
        return _("%(m)s phút") % {"m": minutes}
    return _("%(h)s giờ %(m)s phút") % {"h": minutes // 60, "m": minutes % 60}
