"""The 12-digit personal identification number (số định danh cá nhân, on the căn cước card).

Structure (DOMAIN.md §5.1): `PPP G YY NNNNNN` — the province where the birth was registered,
a digit for sex and century, the last two digits of the birth year, six random digits. There is
no checksum, so validation can only catch typing mistakes in the structure.

The province is where the *birth was registered*, not where the person lives: after the 2025
merger a resident of Cần Thơ may hold a 092, 093 or 094 number, or any other. Nothing here may
be used to guess someone's residence (rule 17). The number is always text (leading zeros).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

# Circular 07/2016/TT-BCA (pre-merger codes; numbers already issued never change).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa – Vũng Tàu",
    "079": "Thành phố Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre",
    "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang",
    "092": "Cần Thơ", "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

LENGTH = 12
OLD_CMND_LENGTH = 9  # the old identity card (chứng minh nhân dân) had 9 digits
_WHITESPACE = re.compile(r"\s+")
_ASCII_DIGITS = re.compile(r"[0-9]+")


class NationalIdError(ValueError):
    """One kind of mistake in a typed number: `code` for programs, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = f"identity.national_id.{code}"
        self.message = message


@dataclass(frozen=True)
class NationalId:
    number: str  # 12 ASCII digits, as text
    province_code: str  # where the birth was registered — never where the person lives
    province_name: str
    male: bool
    century_start: int  # 1900 for digits 0/1, 2000 for 2/3, …

    @property
    def year_suffix(self) -> int:
        return int(self.number[4:6])

    @property
    def birth_year(self) -> int:
        return self.century_start + self.year_suffix


def clean_national_id(number: str | None) -> str:
    """The number without spaces; full-width digits from some phone keyboards become ASCII."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", number or ""))


def validate_national_id(number: str | None, *, birth_date: date | None = None) -> NationalId:
    """Check a typed number's structure (and its agreement with `birth_date` when given)."""
    digits = clean_national_id(number)
    _check_form(digits)
    parsed = _parse(digits)
    if birth_date is not None:
        _check_birth_date(parsed, birth_date)
    return parsed


def _check_form(digits: str) -> None:
    if not digits:
        raise NationalIdError("empty", _("Vui lòng nhập số định danh cá nhân (12 chữ số in trên thẻ căn cước)."))
    if not _ASCII_DIGITS.fullmatch(digits):
        raise NationalIdError("not_digits", _(
            "Số định danh cá nhân chỉ gồm chữ số, không có chữ cái, dấu chấm hay gạch ngang."
        ))  # fmt: skip
    if len(digits) == OLD_CMND_LENGTH:
        raise NationalIdError("length", _(
            "Đây là số chứng minh nhân dân cũ (9 chữ số). Vui lòng nhập số định danh cá nhân "
            "12 chữ số in trên thẻ căn cước hoặc căn cước công dân."
        ))  # fmt: skip
    if len(digits) != LENGTH:
        raise NationalIdError("length", _(
            "Số định danh cá nhân gồm đúng 12 chữ số; số đã nhập có %(count)d chữ số."
        ) % {"count": len(digits)})  # fmt: skip


def _parse(digits: str) -> NationalId:
    province = digits[:3]
    if province not in PROVINCE_CODES:
        raise NationalIdError("province", _(
            "Ba chữ số đầu (%(prefix)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh. "
            "Vui lòng kiểm tra lại số in trên thẻ."
        ) % {"prefix": province})  # fmt: skip
    g = int(digits[3])
    # Even digits are men, odd digits women; each pair is one century from 1900 (0/1) up.
    return NationalId(
        number=digits, province_code=province, province_name=PROVINCE_CODES[province],
        male=g % 2 == 0, century_start=1900 + (g // 2) * 100,
    )  # fmt: skip


def _check_birth_date(parsed: NationalId, birth_date: date) -> None:
    start = parsed.century_start
    if not start <= birth_date.year < start + 100:
        raise NationalIdError("century_mismatch", _(
            "Chữ số thứ tư của số định danh (%(digit)s) ứng với người sinh trong các năm %(start)d–%(end)d, "
            "không khớp với năm sinh %(year)d. Vui lòng kiểm tra lại số định danh hoặc ngày sinh."
        ) % {"digit": parsed.number[3], "start": start, "end": start + 99, "year": birth_date.year})  # fmt: skip
    if parsed.year_suffix != birth_date.year % 100:
        raise NationalIdError("century_mismatch", _(
            "Chữ số thứ năm và thứ sáu của số định danh (%(digits)s) phải là hai số cuối của năm sinh "
            "(%(year)d). Vui lòng kiểm tra lại số định danh hoặc ngày sinh."
        ) % {"digits": parsed.number[4:6], "year": birth_date.year})  # fmt: skip
