"""Citizen accounts (ADR 0009 §3): an `accounts.User` with an `identity.CitizenProfile`.

A citizen account has no roles and `is_staff=False`, so the console and the admin refuse it
like any user without a role. Citizens sign in with their phone number or e-mail; the
`username` Django needs is generated and never shown. One account per ID number, per phone
and per e-mail, so a phone or an e-mail always names exactly one person.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.services import audit_log_write

from ..models import CitizenProfile, ConsentRecord
from ..national_id import NationalIdError, validate_national_id

USERNAME_PREFIX = "cd-"  # công dân; staff usernames never start this way (see citizen_username_new)
_USERNAME_ALPHABET = string.ascii_lowercase + string.digits
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"0\d{9,10}")  # mobiles have 10 digits, landlines (0292 …) 11


class CitizenAccountError(ValueError):
    """A refused registration: `code` for programs, `message` for people, `field` for the form."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def terms_version() -> str:
    """The version of the portal's terms shown today (a consent records which text was agreed)."""
    return str(settings.MOTCUA.get("PORTAL_TERMS_VERSION", "2026-11"))


# --- normalising what people type ------------------------------------------------------------


def phone_normalize(raw: str | None) -> str:
    """Read "0901 234 567", "0901.234.567" and "+84 901 234 567" as one number: 0901234567."""
    phone = _PHONE_SEPARATORS.sub("", raw or "")
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    if not _PHONE.fullmatch(phone):
        raise CitizenAccountError("identity.account.phone_invalid", _(
            "Số điện thoại gồm 10 chữ số và bắt đầu bằng số 0, ví dụ 0901 234 567."
        ), "phone")  # fmt: skip
    return phone


def email_normalize(raw: str | None) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CitizenAccountError("identity.account.email_invalid", _(
            "Địa chỉ thư điện tử chưa đúng, ví dụ đúng: ten.cua.ban@gmail.com."
        ), "email") from None  # fmt: skip
    return email


# --- guards, one per field (the registration form calls them too, to show every error at once) ---


def national_id_check(number: str, *, birth_date: date | None = None) -> str:
    try:
        parsed = validate_national_id(number, birth_date=birth_date)
    except NationalIdError as error:
        raise CitizenAccountError(error.code, error.message, "national_id") from None
    if CitizenProfile.objects.filter(national_id=parsed.number).exists():
        raise CitizenAccountError("identity.account.national_id_taken", _(
            "Số định danh này đã có tài khoản. Vui lòng đăng nhập, hoặc chọn “Quên mật khẩu” nếu không nhớ "
            "mật khẩu. Nếu bạn chưa từng đăng ký, vui lòng liên hệ Trung tâm."
        ), "national_id")  # fmt: skip
    return parsed.number


def phone_check(raw: str) -> str:
    phone = phone_normalize(raw)
    if CitizenProfile.objects.filter(phone=phone).exists():
        raise CitizenAccountError("identity.account.phone_taken", _(
            "Số điện thoại này đã được dùng cho một tài khoản khác. Mỗi số điện thoại chỉ dùng cho một tài khoản."
        ), "phone")  # fmt: skip
    return phone


def email_check(raw: str) -> str:
    email = email_normalize(raw)
    if CitizenProfile.objects.filter(email__iexact=email).exists():
        raise CitizenAccountError("identity.account.email_taken", _(
            "Thư điện tử này đã được dùng cho một tài khoản khác. Mỗi thư điện tử chỉ dùng cho một tài khoản."
        ), "email")  # fmt: skip
    return email


def contact_check(phone: str, email: str) -> tuple[str, str]:
    """At least one way to sign in; each one given must be valid and free."""
    if not phone.strip() and not email.strip():
        raise CitizenAccountError("identity.account.contact_missing", _(
            "Vui lòng nhập số điện thoại hoặc thư điện tử (ít nhất một) để đăng nhập về sau."
        ), "phone")  # fmt: skip
    return (phone_check(phone) if phone.strip() else "", email_check(email) if email.strip() else "")


def password_check(password: str, *, full_name: str = "", email: str = "", phone: str = "") -> None:
    """Django's validators, against the person's own name, e-mail and phone."""
    try:
        validate_password(password, user=User(full_name=full_name, email=email, username=phone))
    except ValidationError as error:
        raise CitizenAccountError("identity.account.password_weak", " ".join(error.messages), "password") from None


def full_name_check(full_name: str) -> str:
    name = " ".join(full_name.split())
    if not name:
        raise CitizenAccountError("identity.account.name_missing", _(
            "Vui lòng nhập họ và tên như trên thẻ căn cước."
        ), "full_name")  # fmt: skip
    return name[:150]


def registrar_check(registered_by: Any) -> None:
    from ..selectors import may_assist_registration

    if registered_by is not None and not may_assist_registration(registered_by):
        raise CitizenAccountError("identity.account.registrar_forbidden", _(
            "Chỉ cán bộ tiếp nhận của Trung tâm mới được hỗ trợ công dân đăng ký tài khoản."
        ))  # fmt: skip


# --- the write -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clean:
    full_name: str
    national_id: str
    phone: str
    email: str


def _clean(*, full_name: str, national_id: str, phone: str, email: str, password: str,
           birth_date: date | None, terms_version: str, registered_by: Any) -> _Clean:  # fmt: skip
    registrar_check(registered_by)
    if not terms_version:
        raise CitizenAccountError("identity.account.terms_missing", _(
            "Vui lòng đọc và đồng ý với Điều khoản sử dụng để đăng ký."
        ), "accept_terms")  # fmt: skip
    name = full_name_check(full_name)
    number = national_id_check(national_id, birth_date=birth_date)
    phone, email = contact_check(phone, email)
    password_check(password, full_name=name, email=email, phone=phone)
    return _Clean(name, number, phone, email)


def citizen_username_new() -> str:
    """A username nobody types: "cd-" and 10 random letters or digits, unused so far."""
    while True:
        username = USERNAME_PREFIX + "".join(secrets.choice(_USERNAME_ALPHABET) for _ in range(10))
        if not User.objects.filter(username__iexact=username).exists():
            return username


@transaction.atomic
def citizen_register(
    *, full_name: str, national_id: str, phone: str = "", email: str = "", password: str,
    birth_date: date | None = None, terms_version: str, registered_by: Any = None,
    now: datetime | None = None, ip: str | None = None,
) -> User:  # fmt: skip
    """Create a citizen account, its profile, the terms consent and the audit row.

    `registered_by` is the reception officer who registered the citizen in person (assisted
    registration); the citizen was present and agreed to the terms themselves.
    """
    clean = _clean(full_name=full_name, national_id=national_id, phone=phone, email=email, password=password,
                   birth_date=birth_date, terms_version=terms_version, registered_by=registered_by)  # fmt: skip
    now = now or timezone.now()
    user = User(username=citizen_username_new(), full_name=clean.full_name, email=clean.email,
                phone=clean.phone, is_staff=False, date_joined=now)  # fmt: skip
    user.set_password(password)
    user.save()
    profile = _profile_create(user, clean, birth_date, terms_version, registered_by, now)
    ConsentRecord.objects.create(kind=ConsentRecord.Kind.TERMS, text_version=terms_version, user=user, given_at=now)
    audit_log_write(
        actor=registered_by or user, action="identity.citizen.registered", obj=profile, ip=ip, now=now,
        data={"assisted": registered_by is not None},
    )  # fmt: skip
    return user


def _profile_create(user: User, clean: _Clean, birth_date: date | None, terms: str, registrar: Any,
                    now: datetime) -> CitizenProfile:  # fmt: skip
    try:
        # A savepoint, so that a second registration of the same number racing this one turns
        # into the "already registered" message instead of a broken transaction.
        with transaction.atomic():
            return CitizenProfile.objects.create(
                user=user, national_id=clean.national_id, full_name=clean.full_name, birth_date=birth_date,
                phone=clean.phone, email=clean.email, terms_version=terms, terms_accepted_at=now,
                registered_by=registrar, created_at=now,
            )  # fmt: skip
    except IntegrityError:
        raise CitizenAccountError("identity.account.national_id_taken", _(
            "Số định danh này đã có tài khoản. Vui lòng đăng nhập."
        ), "national_id") from None  # fmt: skip
