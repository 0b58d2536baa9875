"""Checking one row of a catalog file and turning it into a `procedure_upsert` spec."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from motcua.core.choices import TimeUnit
from motcua.core.text import fold

from ..models import OnlineLevel
from .reading import Row
from .values import MAX_TIME, Lookups, number, parse_documents, parse_fees, parse_steps, time_unit

TEXT_COLUMNS = {"name_en": None, "time_note": None, "fee_note": None, "result": None, "legal_basis": None,
                "verification": 255}  # fmt: skip
_YES = {"yes", "y", "co", "true", "1", "x"}
_NO = {"no", "n", "khong", "false", "0", ""}
_ONLINE = {"full": "full", "toan trinh": "full", "partial": "partial", "mot phan": "partial",
           "none": "none", "khong": "none", "": "none"}  # fmt: skip
_NO_TIME_NEEDED = {TimeUnit.SAME_DAY, TimeUnit.NONE}
_CUTOFF_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


# --- checking one row ---------------------------------------------------------------------------


def _boolean(row: Row, column: str) -> bool | None:
    value = fold(row.get(column))
    if value in _YES or value in _NO:
        return value in _YES
    row.error(column, _("Phải là yes/no (có/không)."))
    return None


def _parse_time(row: Row, spec: dict[str, Any]) -> None:
    unit = time_unit(row.get("time_unit"))
    if unit is None:
        row.error("time_unit", _("Đơn vị thời hạn không hợp lệ; dùng một trong: %(choices)s.")
                  % {"choices": ", ".join(TimeUnit.values)})  # fmt: skip
    else:
        spec["time_unit"] = unit
    text = row.get("time_value")
    if not text:
        if unit is not None and unit not in _NO_TIME_NEEDED:
            row.error("time_value", _("Cần ghi thời hạn giải quyết (một con số)."))
        spec["time_value"] = Decimal(0)
    elif (value := number(text, places=2, limit=MAX_TIME)) is None:
        row.error("time_value", _("“%(value)s” không phải là số hợp lệ (dùng dấu chấm cho phần thập phân).")
                  % {"value": text})  # fmt: skip
    else:
        spec["time_value"] = value


def _parse_cutoff(row: Row, spec: dict[str, Any]) -> None:
    text = row.get("same_day_cutoff")
    match = _CUTOFF_RE.match(text)
    if not text:
        spec["same_day_cutoff"] = None
    elif match and int(match[1]) < 24 and int(match[2]) < 60:
        spec["same_day_cutoff"] = time(int(match[1]), int(match[2]))
    else:
        row.error("same_day_cutoff", _("Giờ chốt phải có dạng HH:MM, ví dụ 15:00."))


def _parse_date(row: Row, column: str) -> date | None:
    text = row.get(column)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 -- a calendar date, no time zone
        except ValueError:
            continue
    row.error(column, _("Ngày “%(value)s” không hợp lệ; dùng dd/mm/yyyy.") % {"value": text})
    return None


def _parse_choice_fields(row: Row, spec: dict[str, Any], lookups: Lookups) -> None:
    for column in ("code_verified", "location_independent"):
        if column in row.values and (flag := _boolean(row, column)) is not None:
            spec[column] = flag
    if "online_level" in row.values:
        level = _ONLINE.get(fold(row.get("online_level")))
        if level is None:
            row.error("online_level", _("Mức trực tuyến phải là full, partial hoặc none."))
        spec["online_level"] = level or OnlineLevel.NONE
    if "centers" in row.values:
        codes = [code.strip() for code in row.get("centers").split(";") if code.strip()]
        for code in codes:
            if code not in lookups.centers:
                row.error("centers", _("Không có trung tâm mã “%(code)s”.") % {"code": code})
        spec["centers"] = codes


def _parse_identity(row: Row, spec: dict[str, Any], lookups: Lookups) -> None:
    spec["code"] = row.get("code")
    if not spec["code"]:
        row.error("code", _("Thiếu mã thủ tục."))
    elif len(spec["code"]) > 40:
        row.error("code", _("Mã thủ tục dài quá 40 ký tự."))
    spec["name"] = row.get("name")
    if not spec["name"]:
        row.error("name", _("Thiếu tên thủ tục."))
    agency = lookups.agency(row.get("agency"))
    if not row.get("agency"):
        row.error("agency", _("Thiếu cơ quan có thẩm quyền."))
    elif agency is None:
        row.error("agency", _("Không tìm thấy cơ quan “%(value)s” (theo mã, tên, tên ngắn hoặc tên gọi khác).")
                  % {"value": row.get("agency")})  # fmt: skip
    spec["agency"] = agency
    _parse_sector(row, spec)


def _parse_sector(row: Row, spec: dict[str, Any]) -> None:
    name = row.get("sector")
    code = row.get("sector_code") or slugify(fold(name))[:60].strip("-")
    if not name:
        row.error("sector", _("Thiếu lĩnh vực."))
    elif not code or slugify(code) != code or len(code) > 60:
        row.error("sector_code", _("Mã lĩnh vực chỉ gồm chữ thường không dấu, số và dấu gạch ngang."))
    spec["sector"] = {"code": code, "name": name}


def _parse_text_fields(row: Row, spec: dict[str, Any]) -> None:
    for column, limit in TEXT_COLUMNS.items():
        if column not in row.values:
            continue
        spec[column] = row.get(column)
        if limit and len(spec[column]) > limit:
            row.error(column, _("Dài quá %(limit)s ký tự.") % {"limit": limit})
    if "effective_date" in row.values:
        spec["effective_date"] = _parse_date(row, "effective_date") if row.get("effective_date") else None


def _check_row(row: Row, lookups: Lookups) -> dict[str, Any]:
    """The row as a `procedure_upsert` spec; problems are recorded on the row."""
    spec: dict[str, Any] = {}
    _parse_identity(row, spec, lookups)
    _parse_choice_fields(row, spec, lookups)
    _parse_time(row, spec)
    if "same_day_cutoff" in row.values:
        _parse_cutoff(row, spec)
    _parse_text_fields(row, spec)
    if "documents" in row.values:
        spec["documents"] = parse_documents(row)
    if "fees_json" in row.values or "fee_vnd" in row.values:
        spec["fees"] = parse_fees(row)
    if "steps_json" in row.values:
        spec["steps"] = parse_steps(row, lookups)
    return spec


def check_rows(rows: list[Row], lookups: Lookups) -> list[tuple[Row, dict[str, Any]]]:
    first_row: dict[str, int] = {}
    checked = []
    for row in rows:
        spec = _check_row(row, lookups)
        code = spec["code"]
        if code and code in first_row:
            row.error("code", _("Mã thủ tục “%(code)s” đã có ở dòng %(row)s.") % {"code": code, "row": first_row[code]})
        first_row.setdefault(code, row.number)
        checked.append((row, spec))
    return checked
