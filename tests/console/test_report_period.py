"""The dashboards' period chooser: presets, ranges, and mistakes falling back to this month."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from motcua.console.report_period import period_from

TODAY = date(2026, 11, 28)


def chosen(query: str):
    return period_from(QueryDict(query), today=TODAY)


@pytest.mark.parametrize(
    ("query", "start", "end", "label"),
    [
        ("", date(2026, 11, 1), date(2026, 11, 30), "Tháng 11/2026"),
        ("ky=thang&nam=2025&thang=2", date(2025, 2, 1), date(2025, 2, 28), "Tháng 2/2025"),
        ("ky=quy&nam=2026&quy=3", date(2026, 7, 1), date(2026, 9, 30), "Quý 3/2026"),
        ("ky=quy", date(2026, 10, 1), date(2026, 12, 31), "Quý 4/2026"),
        ("ky=6-thang&nam=2026", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("ky=9-thang&nam=2026", date(2026, 1, 1), date(2026, 9, 30), "9 tháng đầu năm 2026"),
        ("ky=nam&nam=2024", date(2024, 1, 1), date(2024, 12, 31), "Năm 2024"),
        ("ky=khoang&tu=05/10/2026&den=15/11/2026", date(2026, 10, 5), date(2026, 11, 15), "Từ 05/10/2026 đến 15/11/2026"),
    ],
)
def test_presets_and_ranges(query, start, end, label):
    result = chosen(query)
    assert (result.period.start, result.period.end, result.label, result.error) == (start, end, label, "")


def test_the_params_give_the_same_period_back():
    first = chosen("ky=quy&nam=2025&quy=2")
    again = chosen("&".join(f"{key}={value}" for key, value in first.params.items()))
    assert again.period == first.period


@pytest.mark.parametrize(
    "query",
    ["ky=tuan", "ky=thang&thang=13", "ky=quy&quy=0", "ky=nam&nam=abc", "ky=khoang&tu=31/02/2026&den=01/03/2026",
     "ky=khoang&tu=10/11/2026&den=01/11/2026", "ky=khoang&tu=01/01/2020&den=01/01/2026", "ky=khoang"],
)  # fmt: skip
def test_mistakes_fall_back_to_this_month_with_a_reason(query):
    result = chosen(query)
    assert result.label == "Tháng 11/2026" and "không hợp lệ" in result.error
