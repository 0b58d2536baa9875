"""Parsing of the query string for procedure search and detail pages.

Forms turn whatever arrives in the URL into clean values: an unknown agency code, `page=abc`
or `page=-1` simply fall back to "no filter" / the first page instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.selectors import agency_list_with_procedures, sector_list_with_procedures
from motcua.core.models import Center

PER_PAGE = 10
MAX_QUERY_LENGTH = 200


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=MAX_QUERY_LENGTH)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), required=False, to_field_name="code", empty_label=_("Tất cả cơ quan"),
        queryset=agency_list_with_procedures(),
    )  # fmt: skip
    sector = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, to_field_name="code", empty_label=_("Tất cả lĩnh vực"),
        queryset=sector_list_with_procedures(),
    )  # fmt: skip

    def __init__(self, data: Any, *, center: Center | None = None) -> None:
        super().__init__(data)
        if center is not None:
            # A kiosk only offers the agencies and sectors that its own center receives.
            agency_field: Any = self.fields["agency"]
            sector_field: Any = self.fields["sector"]
            agency_field.queryset = agency_list_with_procedures(center=center)
            sector_field.queryset = sector_list_with_procedures(center=center)

    def criteria(self) -> dict[str, str]:
        """Search arguments from the valid fields only; a bad field is simply left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        agency, sector = data.get("agency"), data.get("sector")
        return {
            "query": (data.get("q") or "").strip(),
            "agency": agency.code if agency else "",
            "sector": sector.code if sector else "",
        }


def page_number(raw: str | None) -> int:
    """`page=abc`, `page=-1`, `page=0` all mean the first page."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return max(number, 1)


@dataclass
class Pager:
    number: int
    count: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max((self.count + self.per_page - 1) // self.per_page, 1)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_item(self) -> int:
        return self.offset + 1 if self.count else 0

    @property
    def last_item(self) -> int:
        return min(self.offset + self.per_page, self.count)

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers around the current one, with None where a gap (…) goes."""
        shown = {1, self.pages} | set(range(self.number - size, self.number + size + 1))
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out
