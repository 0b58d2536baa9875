"""Template helpers of the dashboards: a report table row as the texts the screen shows."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.reports.tables import ReportTable

register = template.Library()


@register.filter
def row_texts(table: ReportTable, row: dict[str, Any]) -> list[str]:
    return table.texts(row)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def percent(value: float | None) -> str:
    from motcua.reports.tables import RATE, cell_text

    return cell_text(value, RATE)


@register.filter
def minutes_text(seconds: float | None) -> str:
    from motcua.reports.tables import MINUTES, cell_text

    return cell_text(seconds, MINUTES)
