"""Forms for centers and calendar rows, used by the admin (and any later settings screen)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CalendarDay, Center
from .selectors import calendar_day_find
from .sessions import sessions_from_text, sessions_to_text


class SessionsField(forms.CharField):
    """Sessions typed as `07:00-10:30, 13:00-16:30`, cleaned to the JSON list a Center stores.

    People edit hours as text; a JSON editor would invite `[["7h", ...]]` and unclear errors.
    """

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return sessions_to_text(value)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return sessions_from_text(text) if text else text

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.prepare_value(initial) != self.prepare_value(data)


class CenterForm(forms.ModelForm):
    reception_sessions = SessionsField(
        label=gettext_lazy("Giờ tiếp nhận"),
        help_text=gettext_lazy("Các buổi nhận hồ sơ, cấp số thứ tự. Ví dụ: 07:00-10:30, 13:00-16:30"),
    )
    working_sessions = SessionsField(
        label=gettext_lazy("Giờ làm việc (tính hạn)"),
        help_text=gettext_lazy("Các buổi dùng để tính hạn giải quyết. Ví dụ: 07:00-11:30, 13:30-17:00"),
    )

    class Meta:
        model = Center
        fields = [
            "code", "name", "short_name", "level", "address", "phone", "unit_id",
            "reception_sessions", "working_sessions", "is_active", "ordering",
        ]  # fmt: skip


# Django's `vi` locale defines no input formats, so it would read 09/03/2026 as 3 September
# (the US default). Vietnamese write day/month/year; ISO is kept for the admin's date picker.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class CalendarDayForm(forms.ModelForm):
    date = forms.DateField(
        label=gettext_lazy("Ngày"),
        input_formats=DATE_INPUT_FORMATS,
        widget=AdminDateWidget(format="%d/%m/%Y"),
        help_text=gettext_lazy("dd/mm/yyyy"),
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "center", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        day, center, kind = data.get("date"), data.get("center"), data.get("kind")
        if day is None or kind is None:
            return data
        center_id = center.pk if center else None
        existing = calendar_day_find(day=day, center_id=center_id)
        if existing is not None and existing.pk != self.instance.pk:
            self._duplicate_found = True
            raise ValidationError(
                _("Ngày %(date)s đã có trong lịch (%(name)s); hãy sửa dòng đó.")
                % {"date": f"{day:%d/%m/%Y}", "name": existing.name}
            )
        if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5 and not self._province_day_off(day, center_id):
            raise ValidationError(_("Ngày làm bù phải là thứ Bảy, Chủ nhật hoặc một ngày nghỉ chung của tỉnh."))
        return data

    def _post_clean(self) -> None:
        # clean() already explained a duplicate date in Vietnamese; the model's conditional
        # unique constraint would add a second, generic "Constraint … is violated" message.
        if not getattr(self, "_duplicate_found", False):
            super()._post_clean()  # type: ignore[misc]  # not in django-stubs

    @staticmethod
    def _province_day_off(day: Any, center_id: int | None) -> bool:
        """A center may work on a province day off (its own make-up day); the province may not."""
        if center_id is None:
            return False
        province_row = calendar_day_find(day=day, center_id=None)
        return province_row is not None and not province_row.is_working
