"""Fee arithmetic. Money is Decimal VND, rounded once through core.text.round_vnd."""

from __future__ import annotations

from decimal import Decimal

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


def fee_describe(fee: Fee) -> str:
    """Vietnamese wording of a fee, e.g. `2.000 đ/trang (trang 1–2); … tối đa 200.000 đ/bản`."""
    if fee.kind == Fee.Kind.FLAT:
        text = format_vnd(fee.amount) if fee.amount else "Miễn phí"
        return f"{text}/{fee.per}" if fee.per and fee.amount else text
    parts = []
    for tier in fee.tiers.all():
        span = f"từ {fee.unit} thứ {tier.from_quantity}" if tier.to_quantity is None else (
            f"{fee.unit} {tier.from_quantity}–{tier.to_quantity}"
        )
        parts.append(f"{format_vnd(tier.unit_price)}/{fee.unit or 'đơn vị'} ({span})")
    text = "; ".join(parts)
    if fee.cap is not None:
        text += f"; tối đa {format_vnd(fee.cap)}" + (f"/{fee.per}" if fee.per else "")
    return text
