"""Fee arithmetic. Money is Decimal VND, rounded once through core.text.round_vnd."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.text import format_vnd, round_vnd

from .models import Fee


def fee_amount(fee: Fee, quantity: int = 1) -> Decimal:
    """What `quantity` units cost (pages for a tiered copy fee; ignored for a flat fee)."""
    if fee.kind == Fee.Kind.FLAT:
        return round_vnd(fee.amount)
    total = Decimal(0)
    for tier in fee.tiers.all():
        upper = quantity if tier.to_quantity is None else min(quantity, tier.to_quantity)
        units = upper - tier.from_quantity + 1
        if units > 0:
            total += units * tier.unit_price
    if fee.cap is not None:
        total = min(total, fee.cap)
    return round_vnd(total)


def _tier_text(unit: str, tier: dict[str, Any]) -> str:
    start, end = tier["from_quantity"], tier["to_quantity"]
    if end is None:
        span = _("từ %(unit)s thứ %(start)s") % {"unit": unit, "start": start}
    elif end == start:
        span = f"{unit} {start}"
    else:
        span = f"{unit} {start}–{end}"
    return f"{format_vnd(tier['unit_price'])}/{unit} ({span})"


def fee_describe_data(fee: dict[str, Any]) -> str:
    """`fee_describe` for a fee as plain data (a version snapshot's `fees` item)."""
    if fee["kind"] == Fee.Kind.FLAT:
        if not Decimal(fee["amount"] or 0):
            return _("Miễn phí")
        return f"{format_vnd(fee['amount'])}/{fee['per']}" if fee["per"] else format_vnd(fee["amount"])
    unit = fee["unit"] or _("đơn vị")
    text = "; ".join(_tier_text(unit, tier) for tier in fee["tiers"])
    if fee["cap"] is not None:
        cap = format_vnd(fee["cap"]) + (f"/{fee['per']}" if fee["per"] else "")
        text += "; " + _("tối đa %(cap)s") % {"cap": cap}
    return text


def fee_describe(fee: Fee) -> str:
    """Vietnamese wording of a fee, e.g. `2.000 đ/trang (trang 1–2); … tối đa 200.000 đ/bản`."""
    tiers = [
        {"from_quantity": t.from_quantity, "to_quantity": t.to_quantity, "unit_price": t.unit_price}
        for t in fee.tiers.all()
    ]
    data = {"kind": fee.kind, "amount": fee.amount, "unit": fee.unit, "per": fee.per, "cap": fee.cap}
    return fee_describe_data(data | {"tiers": tiers})
