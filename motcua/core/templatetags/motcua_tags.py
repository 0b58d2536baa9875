"""Template filters for Vietnamese money, dates and processing times.

Screens and printouts share these so that `50.000 đ`, `02/03/2026` and `10 ngày làm việc`
look the same everywhere; the wording goes through gettext so English works too.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from motcua.catalog.fees import fee_describe
from motcua.core.choices import TimeUnit
from motcua.core.models import Center
from motcua.core.text import format_date, format_vnd

register = template.Library()


def weekday_name(value: date) -> str:
    """Standalone weekday name, e.g. for a heading: `Thứ Hai` … `Chủ nhật`."""
    names = [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật")]
    return names[value.weekday()]


def weekday_in_sentence(value: date) -> str:
    """Weekday inside a sentence, where Vietnamese writes `thứ Hai`, `chủ nhật`."""
    names = [
        pgettext("giữa câu", "thứ Hai"), pgettext("giữa câu", "thứ Ba"), pgettext("giữa câu", "thứ Tư"),
        pgettext("giữa câu", "thứ Năm"), pgettext("giữa câu", "thứ Sáu"), pgettext("giữa câu", "thứ Bảy"),
        pgettext("giữa câu", "chủ nhật"),
    ]  # fmt: skip
    return names[value.weekday()]


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def vnd(amount: Decimal | int | str | None) -> str:
    """`50000` → `50.000 đ`."""
    return format_vnd(amount)


@register.filter
def vn_date(value: date | datetime | None) -> str:
    """`02/03/2026` (local date for datetimes)."""
    return format_date(value)


@register.filter
def vn_datetime(value: datetime | None) -> str:
    """`16:30 02/03/2026` in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return _local(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def vn_weekday(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return weekday_name(_local(value) if isinstance(value, datetime) else value)


@register.filter
def vn_day(value: datetime | None) -> str:
    """`thứ Hai, 02/03/2026`: a day inside a sentence."""
    if value is None:
        return ""
    local = _local(value)
    return f"{weekday_in_sentence(local)}, {local:%d/%m/%Y}"


@register.filter
def vn_appointment(value: datetime | None) -> str:
    """`16:30 thứ Hai, 02/03/2026`: how an appointment is said on slips and screens."""
    if value is None:
        return ""
    return f"{_local(value):%H:%M} {vn_day(value)}"


def number_in_words(value: Decimal | int | float) -> str:
    """`10.00` → `10`, `0.5` → `0,5` (the decimal comma in Vietnamese, a point in English)."""
    number = Decimal(str(value))
    plain: Decimal | int = int(number) if number == number.to_integral_value() else number.normalize()
    return formats.number_format(plain)


def _cutoff_text(cutoff: time | None) -> str:
    if cutoff is None:
        return _("Trong ngày")
    return _("Trong ngày (nhận sau %(cutoff)s trả ngày làm việc tiếp theo)") % {"cutoff": f"{cutoff:%H:%M}"}


@register.filter
def time_in_words(item: Any) -> str:
    """A procedure's (or a step's) processing time: `10 ngày làm việc`, `Trong ngày (…)`."""
    unit = getattr(item, "time_unit", TimeUnit.NONE)
    if unit == TimeUnit.SAME_DAY:
        return _cutoff_text(getattr(item, "same_day_cutoff", None))
    value = getattr(item, "time_value", None)
    if unit == TimeUnit.NONE or not value:
        return _("Không quy định thời hạn")
    templates = {
        TimeUnit.WORKING_DAYS: _("%(n)s ngày làm việc"),
        TimeUnit.CALENDAR_DAYS: _("%(n)s ngày"),
        TimeUnit.WORKING_HOURS: _("%(n)s giờ làm việc"),
    }
    return templates.get(unit, _("Không quy định thời hạn")) % {"n": number_in_words(value)}


@register.filter
def fee_text(fee: Any) -> str:
    return fee_describe(fee)


@register.filter
def fee_summary(procedure: Any) -> str:
    """One line for a result card: the first fee, `Miễn phí`, or the fee note."""
    fees = list(procedure.fees.all())
    if not fees:
        return procedure.fee_note or _("Miễn phí")
    first = fee_describe(fees[0])
    if len(fees) > 1:
        return _("%(first)s (và %(more)s khoản khác)") % {"first": first, "more": len(fees) - 1}
    return first


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    """An inline SVG icon from the sprite in `partials/icons.html`."""
    classes = f"icon {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>', classes, name
    )


@register.simple_tag
def province_name() -> str:
    """The province as written in the active language (a name is data, not a translation)."""
    if get_language() == "en":
        return settings.MOTCUA.get("PROVINCE_NAME_EN") or settings.MOTCUA["PROVINCE_NAME"]
    return settings.MOTCUA["PROVINCE_NAME"]


@register.simple_tag
def place_name() -> str:
    """`Cần Thơ` from `Thành phố Cần Thơ`: the place written before the date on documents."""
    name = settings.MOTCUA["PROVINCE_NAME"]
    for prefix in ("Thành phố ", "thành phố ", "Tỉnh ", "tỉnh "):
        name = name.removeprefix(prefix)
    return name


@register.simple_tag
def main_center() -> Center | None:
    """The province's own center, for the public header and footer (address, hotline)."""
    centers = Center.objects.filter(is_active=True)
    return centers.filter(level=Center.Level.CITY).first() or centers.first()


@register.simple_tag
def local_now() -> datetime:
    return timezone.localtime()


@register.simple_tag
def weekday_names() -> str:
    """Weekday names for the kiosk clock script, Sunday first as JavaScript counts them."""
    sunday_first = [date(2024, 1, 7)] + [date(2024, 1, day) for day in range(1, 7)]  # 7 Jan 2024 was a Sunday
    return ",".join(weekday_name(day) for day in sunday_first)


@register.simple_tag
def time_zone_name() -> str:
    return settings.TIME_ZONE
