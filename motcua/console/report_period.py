"""The period chooser of the dashboards: presets leaders report on, or any range of dates.

Query string: `ky` = `thang` (with `nam`, `thang`), `quy` (`nam`, `quy`), `6-thang`, `9-thang`,
`nam` (`nam`), or `khoang` (`tu`, `den` as dd/mm/yyyy). Anything unreadable falls back to this
month with a Vietnamese message saying why, so a mistyped address never ends in an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from motcua.reports.periods import Period

KINDS = ("thang", "quy", "6-thang", "9-thang", "nam", "khoang")
MAX_DAYS = 3 * 366  # a range longer than this is a mistake, not a report


@dataclass(frozen=True)
class ChosenPeriod:
    kind: str
    period: Period
    label: str  # "Quý 4/2026"
    params: dict[str, str]  # the query string that gives it back (links, exports, drill-down)
    error: str = ""


def _int(params: QueryDict, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(params.get(name, default))
    except (TypeError, ValueError):
        raise ValueError(name) from None
    if not low <= value <= high:
        raise ValueError(name)
    return value


def _day(text: str) -> date:
    return datetime.strptime(text.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 - a date, no time zone


def _preset(kind: str, params: QueryDict, today: date) -> ChosenPeriod:
    year = _int(params, "nam", today.year, 2000, 2100)
    if kind == "thang":
        month = _int(params, "thang", today.month, 1, 12)
        return ChosenPeriod(kind, Period.month(year, month), _("Tháng %(m)s/%(y)s") % {"m": month, "y": year},
                            {"ky": kind, "nam": str(year), "thang": str(month)})  # fmt: skip
    if kind == "quy":
        quarter = _int(params, "quy", (today.month - 1) // 3 + 1, 1, 4)
        return ChosenPeriod(kind, Period.quarter(year, quarter), _("Quý %(q)s/%(y)s") % {"q": quarter, "y": year},
                            {"ky": kind, "nam": str(year), "quy": str(quarter)})  # fmt: skip
    if kind in ("6-thang", "9-thang"):
        months = 6 if kind == "6-thang" else 9
        return ChosenPeriod(kind, Period.months_from_january(year, months),
                            _("%(n)s tháng đầu năm %(y)s") % {"n": months, "y": year}, {"ky": kind, "nam": str(year)})  # fmt: skip
    return ChosenPeriod(kind, Period.year(year), _("Năm %(y)s") % {"y": year}, {"ky": kind, "nam": str(year)})


def _range(params: QueryDict) -> ChosenPeriod:
    start, end = _day(params.get("tu", "")), _day(params.get("den", ""))
    if end < start or (end - start).days > MAX_DAYS:
        raise ValueError("range")
    label = _("Từ %(a)s đến %(b)s") % {"a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"}
    return ChosenPeriod("khoang", Period(start, end), label,
                        {"ky": "khoang", "tu": f"{start:%d/%m/%Y}", "den": f"{end:%d/%m/%Y}"})  # fmt: skip


def period_from(params: QueryDict, *, today: date) -> ChosenPeriod:
    kind = params.get("ky", "thang")
    try:
        if kind not in KINDS:
            raise ValueError("ky")
        return _range(params) if kind == "khoang" else _preset(kind, params, today)
    except ValueError:
        fallback = _preset("thang", QueryDict(), today)
        message = _("Khoảng thời gian không hợp lệ (ngày ghi dạng ngày/tháng/năm, tối đa 3 năm); đang xem tháng này.")
        return ChosenPeriod(fallback.kind, fallback.period, fallback.label, fallback.params, error=message)


def choices(today: date) -> dict[str, Any]:
    """What the chooser offers: recent years, months and quarters."""
    return {"years": list(range(today.year, today.year - 6, -1)), "months": list(range(1, 13)), "quarters": [1, 2, 3, 4]}
