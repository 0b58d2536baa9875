"""Result cards served straight from the index: a search page needs no query but the fingerprint.

A card is what a result list shows of a procedure (code, name, agency, sector, online level,
time and fee lines). The rows are read in bulk when the index is built; the texts depend on the
language, so they are made on first use per language and kept as long as the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.templatetags.motcua_tags import time_in_words

from ..fees import fee_describe_data
from ..models import Fee, FeeTier


@dataclass(frozen=True, slots=True)
class Card:
    """The rows behind one procedure's result card, as read at build time."""

    code: str
    name: str
    agency: tuple[str, str]  # (code, name)
    sector: tuple[str, str]
    online_level: str
    time_value: Decimal  # `time_in_words` reads these three
    time_unit: str
    same_day_cutoff: time | None
    fee_note: str
    fees: tuple[dict[str, Any], ...]  # `fee_describe_data` shape, in display order


def card_summary(card: Card, texts: dict[Hashable, str] | None = None) -> dict[str, Any]:
    """The same dict as `motcua.api.schemas.procedure_summary` gives for the procedure.

    `texts` (one per language) keeps time and fee lines that many cards share: making one
    costs a handful of gettext calls, and a page of 100 cards would otherwise pay them all.
    """
    texts = {} if texts is None else texts
    time_key = ("time", card.time_unit, card.time_value, card.same_day_cutoff)
    if time_key not in texts:
        texts[time_key] = str(time_in_words(card))
    if card.fees:  # fees vary from card to card: not worth keeping
        fee = _fee_line(card)
    else:  # `Miễn phí`, or one of the few fee notes
        fee = texts.get(("fee", card.fee_note)) or texts.setdefault(("fee", card.fee_note), _fee_line(card))
    return {
        "code": card.code, "name": card.name,
        "agency": {"code": card.agency[0], "name": card.agency[1]},
        "sector": {"code": card.sector[0], "name": card.sector[1]},
        "online_level": card.online_level,
        "time": {"value": float(card.time_value), "unit": card.time_unit, "text": texts[time_key]},
        "fee": fee,
    }  # fmt: skip


def _fee_line(card: Card) -> str:
    """`fee_summary` (the core template tag) on plain data: the first fee, `Miễn phí`, or the note."""
    if not card.fees:
        return card.fee_note or _("Miễn phí")
    first = fee_describe_data(card.fees[0])
    if len(card.fees) > 1:
        return _("%(first)s (và %(more)s khoản khác)") % {"first": first, "more": len(card.fees) - 1}
    return first


def fees_read() -> dict[int, tuple[dict[str, Any], ...]]:
    """Fees (with tiers) of every active procedure, by procedure id: two queries."""
    tiers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    tier_rows = FeeTier.objects.filter(fee__procedure__is_active=True).order_by("fee", "from_quantity", "pk")
    for fee_id, start, end, price in tier_rows.values_list("fee_id", "from_quantity", "to_quantity", "unit_price"):
        tiers[fee_id].append({"from_quantity": start, "to_quantity": end, "unit_price": price})
    fees: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fee_rows = Fee.objects.filter(procedure__is_active=True).order_by("procedure", "ordering", "pk")
    for pk, owner, kind, amount, unit, per, cap in fee_rows.values_list(
        "pk", "procedure_id", "kind", "amount", "unit", "per", "cap"
    ):
        fees[owner].append({"kind": kind, "amount": amount, "unit": unit, "per": per, "cap": cap, "tiers": tiers[pk]})
    return {owner: tuple(found) for owner, found in fees.items()}
