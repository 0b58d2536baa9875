"""The report tables each dashboard page can export, by tab (ADR 0010 §6).

A page registers one *builder*: given the reporting scope, the chosen period and the page's
query string, it returns the page's report tables. The page draws them, and an export — on the
spot or in the background (`report_exports`) — calls the same builder again with the same query
string, so a file always holds the figures the screen showed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from motcua.reports._scope import ReportScope
from motcua.reports.tables import ReportTable

from .report_period import ChosenPeriod

TableBuilder = Callable[[ReportScope, ChosenPeriod, QueryDict], list[ReportTable]]


@dataclass(frozen=True)
class Exportable:
    tab: str
    file_name: str  # the start of the file's name, e.g. "bao-cao-ho-so"
    build: TableBuilder


BUILDERS: dict[str, Exportable] = {}


def exportable(tab: str, file_name: str) -> Callable[[TableBuilder], TableBuilder]:
    """Register the table builder of the page `tab` (a decorator)."""

    def register(build: TableBuilder) -> TableBuilder:
        BUILDERS[tab] = Exportable(tab, file_name, build)
        return build

    return register


def builder_for(tab: str) -> Exportable | None:
    from . import dashboards, report_drill, report_registers  # noqa: F401 — they register themselves

    return BUILDERS.get(tab)


def tables_for(tab: str, scope: ReportScope, chosen: ChosenPeriod, params: QueryDict | dict[str, Any]) -> list[ReportTable]:
    """The tables of page `tab` for this scope, period and query string."""
    entry = builder_for(tab)
    if entry is None:
        raise KeyError(tab)
    if not isinstance(params, QueryDict):
        query = QueryDict(mutable=True)
        query.update({key: str(value) for key, value in params.items()})
        params = query
    return entry.build(scope, chosen, params)
