"""Values inside cells: numbers, time units, agencies, and the structured columns (documents as
text, fees_json, steps_json)."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.choices import TimeUnit
from motcua.core.models import Center
from motcua.core.text import fold

from ..models import Agency, NationalDatabase
from .reading import Row

FLAT_FEE_NAME = "Phí, lệ phí"  # the name given to a fee that comes from the `fee_vnd` column
FEE_KEYS = {"name", "kind", "amount", "unit", "per", "cap", "note", "tiers"}
TIER_KEYS = {"from_quantity", "to_quantity", "unit_price"}
STEP_KEYS = {"name", "agency", "time_value", "time_unit"}
# Backslash escapes inside the `documents` column, swapped for private-use characters while parsing.
ESCAPES = {"\\\\": "\ue000", "\\;": "\ue001", "\\[": "\ue002", "\\]": "\ue003"}
_FLAG_RE = re.compile(r"\s*\[([^\[\]]*)\]\s*$")
_COUNTS_RE = re.compile(r"\s*\(\s*(-?\d+)\s*/\s*(-?\d+)\s*/\s*(-?\d+)\s*\)\s*$")
_MONEY_RE = re.compile(r"^\d{1,3}([.,]\d{3})+$|^\d+$")
_MAX_MONEY = Decimal(10) ** 14
MAX_TIME = Decimal(10000)


def _agency_key(text: str) -> str:
    """Folded, without Markdown bold and extra spaces: how agency names are compared."""
    return " ".join(fold(text).replace("*", " ").split())


class Lookups:
    """Agencies by every name they go by, and the known center codes."""

    def __init__(self) -> None:
        self.agencies: dict[str, str] = {}
        # Codes first, then names, short names and aliases: an earlier match wins.
        agencies = list(Agency.objects.all())
        for attribute in ("code", "name", "short_name"):
            for agency in agencies:
                self.agencies.setdefault(_agency_key(getattr(agency, attribute)), agency.code)
        for agency in agencies:
            for alias in agency.aliases.split(";"):
                self.agencies.setdefault(_agency_key(alias), agency.code)
        self.agencies.pop("", None)
        self.centers = set(Center.objects.values_list("code", flat=True))

    def agency(self, text: str) -> str | None:
        """The agency code; when a cell lists several agencies (`A; B`), the first one decides."""
        code = self.agencies.get(_agency_key(text))
        if code is None and ";" in text:
            code = self.agencies.get(_agency_key(text.split(";", 1)[0]))
        return code


def number(text: str, *, places: int, limit: Decimal) -> Decimal | None:
    """A non-negative decimal with at most `places` decimals below `limit`, or None."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= limit or value != round(value, places):
        return None
    return value


def time_unit(text: str) -> str | None:
    value = text.strip().lower()
    if value == "unknown":
        return TimeUnit.NONE
    return value if value in TimeUnit.values else None


# --- documents ----------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    for escaped, placeholder in ESCAPES.items():
        text = text.replace(placeholder, escaped[1])
    return text.strip()


def _document_flag(row: Row, doc: dict[str, Any], flag: str) -> None:
    key, colon, value = flag.partition(":")
    key = fold(key).strip()
    if not colon and key in {"xuat trinh", "show"}:
        doc["show_only"] = True
    elif colon and key == "csdl" and value.strip() and value.strip() in NationalDatabase.values:
        doc["replaced_by"] = value.strip()
    elif colon and key == "ghi chu":
        doc["note"] = _unescape(value)
    else:
        message = _("Ký hiệu “[%(flag)s]” không hợp lệ; dùng [xuất trình], [csdl:…] hoặc [ghi chú: …].")
        row.error("documents", message % {"flag": _unescape(flag)})


def _parse_document(row: Row, item: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"originals": 0, "certified_copies": 0, "plain_copies": 0, "show_only": False,
                           "replaced_by": "", "note": ""}  # fmt: skip
    flags: list[str] = []
    while match := _FLAG_RE.search(item):
        flags.insert(0, match[1])
        item = item[: match.start()]
    if match := _COUNTS_RE.search(item):
        counts = [int(n) for n in match.groups()]
        item = item[: match.start()]
        if min(counts) < 0 or max(counts) > 99:
            row.error("documents", _("Số bản của “%(name)s” phải từ 0 đến 99.") % {"name": _unescape(item)})
        doc.update(zip(("originals", "certified_copies", "plain_copies"), counts, strict=True))
    doc["name"] = _unescape(item)
    if not doc["name"]:
        row.error("documents", _("Có một thành phần hồ sơ không có tên (thừa dấu ;?)."))
    for flag in flags:
        _document_flag(row, doc, flag)
    return doc


def parse_documents(row: Row) -> list[dict[str, Any]]:
    """`Tờ khai (1/0/0); Căn cước (0/0/0) [xuất trình] [csdl:population]`; counts default to 0."""
    text = row.get("documents")
    for escaped, placeholder in ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return [_parse_document(row, item) for item in text.split(";") if item.strip()]


# --- fees and steps -----------------------------------------------------------------------------


def _json_list(row: Row, column: str) -> list[Any] | None:
    try:
        value = json.loads(row.get(column))
    except ValueError as exc:
        row.error(column, _("JSON không hợp lệ: %(reason)s") % {"reason": exc})
        return None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        row.error(column, _("Phải là một danh sách JSON các đối tượng {…}."))
        return None
    return value


def _money(value: Any) -> Decimal | None:
    """A whole, non-negative amount of đồng from JSON (number or digit string)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    return number(str(value), places=0, limit=_MAX_MONEY)


def _quantity(value: Any, *, minimum: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= minimum else None


def _check_tiers(tiers: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(tiers, list) or not all(isinstance(t, dict) and set(t) <= TIER_KEYS for t in tiers):
        problems.append(_("“tiers” phải là danh sách các {from_quantity, to_quantity, unit_price}"))
        return []
    checked = []
    for tier in tiers:
        start = _quantity(tier.get("from_quantity"), minimum=1)
        end = tier.get("to_quantity")
        price = _money(tier.get("unit_price"))
        if start is None or price is None or (end is not None and _quantity(end, minimum=start) is None):
            message = _("bậc phí %(tier)s sai (số lượng là số nguyên từ 1, đơn giá là số tiền)")
            problems.append(message % {"tier": json.dumps(tier, ensure_ascii=False)})
            continue
        checked.append({"from_quantity": start, "to_quantity": end, "unit_price": price})
    return checked


def _check_fee(item: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    if unknown := set(item) - FEE_KEYS:
        problems.append(_("khóa không hợp lệ: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    fee: dict[str, Any] = {key: str(item.get(key) or "") for key in ("name", "unit", "per", "note")}
    fee["kind"] = item.get("kind", "flat")
    fee["amount"] = _money(item.get("amount", 0))
    fee["cap"] = None if item.get("cap") is None else _money(item["cap"])
    if not fee["name"] or len(fee["name"]) > 255 or len(fee["unit"]) > 40 or len(fee["per"]) > 60:
        problems.append(_("cần “name” (tối đa 255 ký tự); “unit” tối đa 40, “per” tối đa 60 ký tự"))
    if fee["kind"] not in {"flat", "tiered"}:
        problems.append(_("“kind” phải là flat hoặc tiered"))
    if fee["amount"] is None or (fee["cap"] is None and item.get("cap") is not None):
        problems.append(_("“amount” và “cap” phải là số tiền nguyên, không âm"))
    fee["tiers"] = _check_tiers(item.get("tiers", []), problems)
    if fee["kind"] == "tiered" and not fee["tiers"]:
        problems.append(_("phí theo bậc cần ít nhất một bậc"))
    return fee


def _flat_fee(row: Row) -> list[dict[str, Any]]:
    text = row.get("fee_vnd")
    if not text:
        return []
    if not _MONEY_RE.match(text):
        row.error("fee_vnd", _("Số tiền “%(value)s” không hợp lệ (chỉ gồm chữ số).") % {"value": text})
        return []
    amount = Decimal(text.replace(".", "").replace(",", ""))
    return [{"name": FLAT_FEE_NAME, "kind": "flat", "amount": amount, "unit": "", "per": "", "cap": None,
             "note": "", "tiers": []}]  # fmt: skip


def parse_fees(row: Row) -> list[dict[str, Any]]:
    """`fees_json` when given, else one flat fee from `fee_vnd`, else none."""
    if not row.get("fees_json"):
        return _flat_fee(row)
    fees: list[dict[str, Any]] = []
    problems: list[str] = []
    for item in _json_list(row, "fees_json") or []:
        fees.append(_check_fee(item, problems))
    for problem in problems:
        row.error("fees_json", problem)
    return fees


def _check_step(item: dict[str, Any], lookups: Lookups) -> dict[str, Any] | None:
    agency = item.get("agency")
    step: dict[str, Any] = {
        "name": str(item.get("name") or ""),
        "agency": lookups.agency(str(agency)) if agency else None,
        "time_value": number(str(item.get("time_value", 0)), places=2, limit=MAX_TIME),
        "time_unit": time_unit(str(item.get("time_unit", TimeUnit.WORKING_DAYS))),
    }
    if set(item) - STEP_KEYS or not step["name"] or len(step["name"]) > 255 or (agency and not step["agency"]):
        return None
    return None if step["time_value"] is None or step["time_unit"] is None else step


def parse_steps(row: Row, lookups: Lookups) -> list[dict[str, Any]]:
    if not row.get("steps_json"):
        return []
    steps = []
    for item in _json_list(row, "steps_json") or []:
        if (step := _check_step(item, lookups)) is None:
            message = _("Bước %(step)s sai: cần name, agency (mã cơ quan hoặc null), time_value, time_unit.")
            row.error("steps_json", message % {"step": json.dumps(item, ensure_ascii=False)})
        else:
            steps.append(step)
    return steps
