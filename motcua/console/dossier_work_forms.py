"""Forms of the dossier page's action panel: each carries the version the officer saw.

The forms only parse; the services decide. Every form has `expected_version`, so a form posted
from a page that someone else has since changed is refused by the service's optimistic lock
instead of acting on a dossier the officer never saw (ADR 0008 §6).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import LOCAL_TZ
from motcua.core.text import format_vnd
from motcua.dossiers.models import DossierResult

REQUIRED = {"required": _("Vui lòng nhập thông tin này.")}
REASON_REQUIRED = {"required": _("Vui lòng ghi rõ lý do.")}
RESULT_MAX_BYTES = 20 * 1024 * 1024


def _text(label: Any, *, required: bool = False, max_length: int = 255, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, strip=True,
                           error_messages=REQUIRED, **kwargs)  # fmt: skip


def _area(label: Any, *, required: bool = False, rows: int = 3, messages: dict | None = None) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=2000, strip=True,
                           widget=forms.Textarea(attrs={"rows": rows}), error_messages=messages or REQUIRED)  # fmt: skip


class VersionForm(forms.Form):
    """The version of the dossier the page showed (hidden on every action form)."""

    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean_expected_version(self) -> int:
        return int(self.cleaned_data["expected_version"])


class NoteForm(VersionForm):
    note = _area(_("Ghi chú"), rows=2)


class ReasonForm(VersionForm):
    reason = _area(_("Lý do"), required=True, messages=REASON_REQUIRED)


class AssignForm(VersionForm):
    assignee = forms.TypedChoiceField(label=_("Chuyên viên xử lý"), coerce=int, error_messages=REQUIRED)

    def __init__(self, *args: Any, officers: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— Chọn chuyên viên —"))] + [(u.pk, str(u)) for u in officers]


class SupplementForm(VersionForm):
    items = _area(_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"), required=True, rows=3)
    reason = _area(_("Lý do"), required=True, messages=REASON_REQUIRED)

    def clean_items(self) -> list[dict[str, str]]:
        lines = [line.strip(" -•\t") for line in self.cleaned_data["items"].splitlines()]
        return [{"document": line, "note": ""} for line in lines if line]


class PaymentRequestForm(VersionForm):
    """Up to three obligation lines (name, amount in đồng); at least one."""

    ROWS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.ROWS + 1):
            self.fields[f"name_{i}"] = _text(_("Khoản phải nộp"))
            self.fields[f"amount_{i}"] = _text(_("Số tiền (đồng)"), max_length=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line for i in range(1, self.ROWS + 1) if (line := self._line(data, i))]
        if not lines and not self.errors:
            raise ValidationError(_("Vui lòng nhập ít nhất một khoản phải nộp và số tiền."))
        data["fees"] = lines
        return data

    def _line(self, data: dict[str, Any], i: int) -> tuple[str, Decimal] | None:
        name, raw = data.get(f"name_{i}", ""), data.get(f"amount_{i}", "")
        if not name and not raw:
            return None
        amount = parse_amount(raw)
        if not name or amount is None:
            self.add_error(f"amount_{i}" if name else f"name_{i}",
                           _("Vui lòng nhập đủ tên khoản và số tiền (ví dụ 50.000)."))  # fmt: skip
            return None
        return name, amount


def parse_amount(raw: str) -> Decimal | None:
    """`50.000`, `50000`, `50 000 đ` → 50000; anything else (or ≤ 0) → None."""
    digits = raw.replace("đ", "").replace(".", "").replace(" ", "").replace(",", "").strip()
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        return None
    return amount if amount > 0 and amount == amount.to_integral_value() else None


class PaymentRecordForm(VersionForm):
    fee = forms.TypedChoiceField(label=_("Khoản thu"), coerce=int, error_messages=REQUIRED)
    method = forms.ChoiceField(label=_("Hình thức thu"), error_messages=REQUIRED)
    receipt_number = _text(_("Số biên lai"), max_length=40)

    def __init__(self, *args: Any, fees: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["fee"].choices = [(f.pk, f"{f.name} — {format_vnd(f.amount * f.quantity)}") for f in fees]  # type: ignore[attr-defined]
        self.fields["method"].choices = [("", _("— Chọn —"))] + [  # type: ignore[attr-defined]
            (code, _(label)) for code, label in settings.MOTCUA["FEE_METHODS"]
        ]


class ResultForm(VersionForm):
    kind = forms.ChoiceField(label=_("Loại kết quả"), choices=DossierResult.Kind.choices, error_messages=REQUIRED)
    document_number = _text(_("Số, ký hiệu văn bản"), max_length=80)
    file = forms.FileField(label=_("Tệp kết quả (PDF)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
            raise ValidationError(_("Tệp kết quả phải là tệp PDF."))
        if upload.size > RESULT_MAX_BYTES:
            raise ValidationError(_("Tệp kết quả không được lớn hơn 20 MB."))
        return upload


DUE_FORMAT = "%d/%m/%Y %H:%M"


class ApologyForm(VersionForm):
    new_due_at = _text(_("Hẹn trả mới (dd/mm/yyyy HH:MM)"), required=True, max_length=20)
    reason = _area(_("Lý do chậm"), required=True, messages=REASON_REQUIRED)

    def clean_new_due_at(self) -> datetime:
        raw = " ".join(self.cleaned_data["new_due_at"].split())
        try:
            return datetime.strptime(raw, DUE_FORMAT).replace(tzinfo=LOCAL_TZ)  # noqa: DTZ007 -- zone set right after
        except ValueError as error:
            raise ValidationError(
                _("Ngày giờ hẹn mới chưa đúng dạng dd/mm/yyyy HH:MM, ví dụ 25/03/2026 16:00.")
            ) from error


class ReturnCounterForm(VersionForm):
    collected_by_name = _text(_("Người nhận kết quả"), required=True)
    collected_by_national_id = _text(_("Số định danh người nhận"), max_length=20)
    authorisation = _text(_("Giấy ủy quyền (nếu nhận thay)"))


class ReturnPostForm(VersionForm):
    tracking_number = _text(_("Số hiệu bưu gửi"), required=True, max_length=40)


class PostalStatusForm(VersionForm):
    status = _text(_("Tình trạng bưu gửi"), required=True, max_length=120)
    delivered = forms.BooleanField(label=_("Đã phát thành công cho người nhận"), required=False)
