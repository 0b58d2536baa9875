"""Forms for the catalog admin: the procedure form (with a change note) and the import form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Procedure

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # a province catalog is a few thousand rows, well under this


class ProcedureAdminForm(forms.ModelForm):
    """The procedure's own fields plus the note that goes on the version the save creates."""

    change_note = forms.CharField(
        label=_("Nội dung thay đổi"),
        required=False,
        max_length=255,
        help_text=_("Ghi vào lịch sử phiên bản; để trống thì hệ thống tự ghi các mục đã sửa."),
    )

    class Meta:
        model = Procedure
        fields = [
            "code", "code_verified", "name", "name_en", "agency", "sector", "centers", "location_independent",
            "online_level", "time_value", "time_unit", "same_day_cutoff", "time_note", "fee_note", "result",
            "legal_basis", "effective_date", "verification", "is_active",
        ]  # fmt: skip


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục (.csv hoặc .xlsx)"))
    skip_bad_rows = forms.BooleanField(
        label=_("Bỏ qua dòng lỗi"), required=False, help_text=_("Nhập các dòng đúng, bỏ qua các dòng có lỗi.")
    )
    dry_run = forms.BooleanField(
        label=_("Chỉ xem trước"), required=False, help_text=_("Kiểm tra và báo cáo kết quả, không ghi gì.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        return upload
