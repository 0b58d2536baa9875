"""Vietnamese text helpers: folding for search, money and date formatting."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

_TOKEN_RE = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")


def fold(text: str) -> str:
    """Lower-case and strip diacritics the way people type without accents.

    `đ` has no decomposition in Unicode, so it is mapped by hand; everything else loses its
    combining marks after NFD (`Cấp bản sao` → `cap ban sao`).
    """
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded words; dotted codes such as `2.000815` stay one token."""
    if not (text.isascii() and text.islower()):
        # Folding goes character by character; lower-case ASCII (text stored folded, such as
        # `Procedure.search_extra`) folds to itself, which keeps search index builds fast.
        text = fold(text)
    return _TOKEN_RE.findall(text)


def round_vnd(amount: Decimal | int | str) -> Decimal:
    """The one rounding rule for money: whole đồng, half up."""
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def format_vnd(amount: Decimal | int | str | None) -> str:
    """`50000` → `50.000 đ` (Vietnamese thousands separator is the dot)."""
    if amount is None:
        return ""
    whole = int(round_vnd(amount))
    return f"{whole:,}".replace(",", ".") + " đ"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
