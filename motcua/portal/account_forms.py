"""Forms of the citizen account pages: register, log in, forgotten password."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.forms import LoginLockoutMixin
from motcua.accounts.models import User
from motcua.identity.selectors import citizen_username_for_login, is_citizen, login_identifier_normalize
from motcua.identity.services import accounts

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _text(
    label: Any, *, autocomplete: str, required: bool = True, help_text: Any = "", **attrs: Any
) -> forms.CharField:
    widget = forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})
    return forms.CharField(label=label, required=required, help_text=help_text, widget=widget, max_length=254)


def _password(label: Any, autocomplete: str = "new-password", help_text: Any = "") -> forms.CharField:
    widget = forms.PasswordInput(attrs={"autocomplete": autocomplete})
    return forms.CharField(label=label, widget=widget, strip=False, help_text=help_text, max_length=128)


def birth_date_parse(raw: str, *, today: date | None = None) -> date:
    for fmt in DATE_FORMATS:
        try:
            born = datetime.strptime(raw.strip(), fmt).date()  # noqa: DTZ007 (a date, no time zone)
            break
        except ValueError:
            continue
    else:
        raise ValidationError(_("Vui lòng nhập ngày sinh theo dạng ngày/tháng/năm, ví dụ 05/09/1985."))
    if born.year < 1900 or born > (today or date.today()):  # noqa: DTZ011 (the visitor's date is fine here)
        raise ValidationError(_("Ngày sinh chưa đúng: năm sinh phải từ 1900 đến nay."))
    return born


class CitizenRegisterForm(forms.Form):
    """Everything on one short page; each field says what is wrong with it, all at once."""

    full_name = _text(gettext_lazy("Họ và tên"), autocomplete="name", help_text=gettext_lazy("Như trên thẻ căn cước."))
    national_id = _text(
        gettext_lazy("Số định danh cá nhân"), autocomplete="off", inputmode="numeric",
        help_text=gettext_lazy("12 chữ số in trên thẻ căn cước (căn cước công dân)."),
    )  # fmt: skip
    birth_date = _text(
        gettext_lazy("Ngày sinh"), autocomplete="bday", inputmode="numeric", placeholder="dd/mm/yyyy",
        help_text=gettext_lazy("Ngày/tháng/năm, ví dụ 05/09/1985."),
    )  # fmt: skip
    phone = _text(
        gettext_lazy("Số điện thoại"), autocomplete="tel", required=False, type="tel", inputmode="tel",
        help_text=gettext_lazy("Dùng để đăng nhập. Nhập số điện thoại, thư điện tử, hoặc cả hai."),
    )  # fmt: skip
    email = _text(
        gettext_lazy("Thư điện tử"), autocomplete="email", required=False, type="email",
        help_text=gettext_lazy("Cần có để tự đặt lại mật khẩu khi quên."),
    )  # fmt: skip
    password1 = _password(gettext_lazy("Mật khẩu"), help_text=gettext_lazy(
        "Ít nhất 8 ký tự, không toàn chữ số, không quá giống họ tên hay thư điện tử."
    ))  # fmt: skip
    password2 = _password(gettext_lazy("Nhập lại mật khẩu"))
    accept_terms = forms.BooleanField(
        label=gettext_lazy("Tôi đã đọc và đồng ý với Điều khoản sử dụng"),
        error_messages={"required": gettext_lazy("Vui lòng đọc và đồng ý với Điều khoản sử dụng để đăng ký.")},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = _("Vui lòng nhập họ và tên như trên thẻ căn cước.")
        self.fields["birth_date"].error_messages["required"] = _("Vui lòng nhập ngày sinh, ví dụ 05/09/1985.")
        self.fields["password1"].error_messages["required"] = _("Vui lòng đặt mật khẩu.")
        self.fields["password2"].error_messages["required"] = _("Vui lòng nhập lại mật khẩu.")

    def clean_full_name(self) -> str:
        return self._guard(accounts.full_name_check, self.cleaned_data["full_name"])

    def clean_birth_date(self) -> date:
        return birth_date_parse(self.cleaned_data["birth_date"])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return self._guard(accounts.phone_check, phone) if phone.strip() else ""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        return self._guard(accounts.email_check, email) if email.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_national_id(data)
        if "phone" in data and "email" in data and not data["phone"] and not data["email"]:
            self.add_error(
                "phone", _("Vui lòng nhập số điện thoại hoặc thư điện tử (ít nhất một) để đăng nhập về sau.")
            )
        self._clean_passwords(data)
        return data

    def _clean_national_id(self, data: dict[str, Any]) -> None:
        if "national_id" not in data:
            return
        try:
            data["national_id"] = accounts.national_id_check(data["national_id"], birth_date=data.get("birth_date"))
        except accounts.CitizenAccountError as error:
            self.add_error("national_id", error.message)

    def _clean_passwords(self, data: dict[str, Any]) -> None:
        first, second = data.get("password1"), data.get("password2")
        if not first or not second:
            return
        if first != second:
            self.add_error("password2", _("Hai mật khẩu không giống nhau. Vui lòng nhập lại."))
            return
        try:
            accounts.password_check(first, full_name=data.get("full_name", ""), email=data.get("email", ""),
                                    phone=data.get("phone", ""))  # fmt: skip
        except accounts.CitizenAccountError as error:
            self.add_error("password1", error.message)

    @staticmethod
    def _guard(check: Any, value: str) -> str:
        try:
            return check(value)
        except accounts.CitizenAccountError as error:
            raise ValidationError(error.message, code=error.code) from None

    def add_service_error(self, error: accounts.CitizenAccountError) -> None:
        """A refusal the service found after the form passed (e.g. a registration racing this one)."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


class AssistedRegisterForm(CitizenRegisterForm):
    """The same form at the counter: the citizen is present, reads the terms and agrees."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].label = _(
            "Công dân đã đọc (hoặc được đọc cho nghe) và đồng ý với Điều khoản sử dụng"
        )
        self.fields["password1"].help_text = _("Công dân tự nhập mật khẩu. ") + str(self.fields["password1"].help_text)


class CitizenLoginForm(LoginLockoutMixin, AuthenticationForm):
    """Phone or e-mail and password, checked by the throttling backend under the account's username.

    The throttle counts failures per account (so "0901 234 567" and "+84901234567" share one
    count) and, for a phone or e-mail with no account, per what was typed — so guessing at
    unknown numbers is locked out the same way.
    """

    username = _text(gettext_lazy("Số điện thoại hoặc thư điện tử"), autocomplete="username", autofocus=True)
    password = _password(gettext_lazy("Mật khẩu"), autocomplete="current-password")
    error_messages = {
        "invalid_login": gettext_lazy(
            "Số điện thoại, thư điện tử hoặc mật khẩu chưa đúng. Lưu ý mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": gettext_lazy("Tài khoản này đã bị khóa. Vui lòng liên hệ Trung tâm."),
    }

    def clean(self) -> dict[str, Any]:
        typed, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if typed is None or not password:
            return self.cleaned_data
        if not looks_like_phone_or_email(typed):
            raise ValidationError(_(
                "Vui lòng nhập số điện thoại (ví dụ 0901 234 567) hoặc thư điện tử đã dùng khi đăng ký. "
                "Cán bộ đăng nhập tại trang dành cho cán bộ."
            ), code="identifier")  # fmt: skip
        # "#" is refused by Django's username validator, so an unknown phone or e-mail never
        # signs anyone in (not even a staff member whose username looks like it) but its
        # failures are still counted and locked out like any other.
        username = citizen_username_for_login(typed) or "#" + login_identifier_normalize(typed)
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not is_citizen(user):
            raise ValidationError(staff_refused_message(), code="staff")


def looks_like_phone_or_email(typed: str) -> bool:
    try:
        (accounts.email_normalize if "@" in typed else accounts.phone_normalize)(typed)
    except accounts.CitizenAccountError:
        return False
    return True


def staff_refused_message() -> str:
    return _(
        "Đây là tài khoản cán bộ. Các trang “Tài khoản” dành cho công dân; cán bộ vui lòng làm việc "
        "trên trang dành cho cán bộ."
    )


class CitizenPasswordResetForm(PasswordResetForm):
    """Django's reset by e-mail, for citizen accounts only; a phone number gets told to come in."""

    email = forms.CharField(
        label=gettext_lazy("Thư điện tử đã đăng ký"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "type": "email", "autofocus": True}),
        error_messages={"required": gettext_lazy("Vui lòng nhập thư điện tử đã dùng khi đăng ký.")},
    )  # fmt: skip

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"].strip()
        if "@" not in typed:
            raise ValidationError(phone_reset_message(), code="phone")
        try:
            return accounts.email_normalize(typed)
        except accounts.CitizenAccountError as error:
            raise ValidationError(error.message, code=error.code) from None

    def get_users(self, email: str) -> Any:
        users = User.objects.filter(email__iexact=email, is_active=True, citizen__isnull=False)
        return (user for user in users if user.has_usable_password())


def phone_reset_message() -> str:
    return _(
        "Tài khoản chỉ đăng ký bằng số điện thoại chưa tự đặt lại mật khẩu được. Vui lòng đến Trung tâm, "
        "mang theo thẻ căn cước, cán bộ sẽ hỗ trợ."
    )


class CitizenSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password1"].help_text = _("Ít nhất 8 ký tự, không toàn chữ số.")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
