"""The online submission pages' forms: each parses one page and keeps what was typed on an error."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import Center
from motcua.dossiers.models import Dossier
from motcua.identity.national_id import NationalIdError, validate_national_id

_PHONE = re.compile(r"^\+?[0-9]{9,12}$")


class CenterForm(forms.Form):
    center = forms.ModelChoiceField(
        label=_("Nơi tiếp nhận hồ sơ"), queryset=Center.objects.none(), to_field_name="code",
        widget=forms.RadioSelect, error_messages={"required": _("Vui lòng chọn nơi tiếp nhận hồ sơ."),
                                                  "invalid_choice": _("Vui lòng chọn một nơi tiếp nhận trong danh sách.")},
    )  # fmt: skip

    def __init__(self, *args: Any, centers: list[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["center"]
        field.queryset = Center.objects.filter(pk__in=[c.pk for c in centers]).order_by("ordering", "name")
        field.label_from_instance = lambda center: center.name


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=150, error_messages={"required": _("Vui lòng nhập họ và tên.")})
    national_id = forms.CharField(
        label=_("Số định danh cá nhân"), max_length=20, help_text=_("12 chữ số trên thẻ căn cước."),
        error_messages={"required": _("Vui lòng nhập số định danh cá nhân.")},
    )  # fmt: skip
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                            help_text=_("Để nhận tin nhắn về tình trạng hồ sơ."))  # fmt: skip
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng, ví dụ: ten@gmail.com.")})  # fmt: skip
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)
    return_method = forms.ChoiceField(
        label=_("Bạn muốn nhận kết quả bằng cách nào?"), widget=forms.RadioSelect,
        choices=[(Dossier.ReturnMethod.COUNTER, _("Nhận trực tiếp tại nơi tiếp nhận hồ sơ")),
                 (Dossier.ReturnMethod.POST, _("Nhận qua bưu chính (có thể mất phí gửi)")),
                 (Dossier.ReturnMethod.ONLINE, _("Nhận bản điện tử trên cổng này"))],
        error_messages={"required": _("Vui lòng chọn cách nhận kết quả.")},
    )  # fmt: skip

    def clean_national_id(self) -> str:
        try:
            return validate_national_id(self.cleaned_data["national_id"]).number
        except NationalIdError as error:
            raise forms.ValidationError(error.message) from error

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s.\-]", "", self.cleaned_data.get("phone", ""))
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(_("Số điện thoại chưa đúng, ví dụ: 0912 345 678."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("return_method") == Dossier.ReturnMethod.POST and not (data.get("address") or "").strip():
            self.add_error("address", _("Vui lòng nhập địa chỉ để nhận kết quả qua bưu chính."))
        return data

    def applicant(self) -> dict[str, str]:
        return {key: self.cleaned_data[key].strip() for key in ("name", "national_id", "phone", "email", "address")}


class UploadForm(forms.Form):
    """One file; the content check is the service's, this only says 'choose one'."""

    file = forms.FileField(
        label=_("Chọn tệp"), required=False, allow_empty_file=True,
        error_messages={"invalid": _("Không đọc được tệp đã chọn. Vui lòng chọn lại.")},
    )  # fmt: skip
