"""Feedback admin: the assessment schemes (province administrators edit them), and the ratings
and assessments (read-only, each center sees its own).

A scheme already used by an assessment keeps its definition: those assessments were graded by
it. A change of regulation is a new scheme (new code, new `valid_from`), never an edit.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.admin_mixins import ReadOnlyAdminMixin, ScopedModelAdmin
from motcua.core.services import audit_log_write

from .models import AssessmentScheme, DossierAssessment, TicketRating
from .schemes import validate_definition


class AssessmentSchemeForm(forms.ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ("code", "title", "legal_basis", "valid_from", "definition")

    def clean_definition(self) -> Any:
        definition = self.cleaned_data.get("definition")
        if self.instance.pk and definition != self.instance.definition and self.instance.assessments.exists():
            raise forms.ValidationError(_(
                "Bộ tiêu chí này đã được dùng để đánh giá %(n)s hồ sơ nên không sửa nội dung được (các đánh giá đó "
                "giữ cách chấm cũ). Hãy tạo bộ tiêu chí mới với mã mới và ngày áp dụng mới."
            ) % {"n": self.instance.assessments.count()})  # fmt: skip
        problems = validate_definition(definition)
        if problems:
            raise forms.ValidationError(problems)
        return definition


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ScopedModelAdmin):
    form = AssessmentSchemeForm
    list_display = ("code", "title", "valid_from", "assessment_count", "is_valid")
    search_fields = ("code", "title")
    readonly_fields = ("summary", "created_at")
    fieldsets = (
        (None, {"fields": ("code", "title", "legal_basis", "valid_from")}),
        (gettext_lazy("Nội dung"), {"fields": ("summary", "definition", "created_at")}),
    )

    @admin.display(description=gettext_lazy("số đánh giá"))
    def assessment_count(self, obj: AssessmentScheme) -> int:
        return obj.assessments.count()

    @admin.display(description=gettext_lazy("hợp lệ"), boolean=True)
    def is_valid(self, obj: AssessmentScheme) -> bool:
        return not validate_definition(obj.definition)

    @admin.display(description=gettext_lazy("tóm tắt"))
    def summary(self, obj: AssessmentScheme) -> SafeString | str:
        definition = obj.definition if obj.pk else None
        if not isinstance(definition, dict) or validate_definition(definition):
            return "—"
        indicators = format_html_join("", "<li>{}. {} <small>({})</small></li>",
                                      ((i["number"], i["label"], i["derive"]) for i in definition["indicators"]))  # fmt: skip
        grades = format_html_join("", "<li>{}{} – {}{}: {}</li>", (
            ("[" if g["min_inclusive"] else "(", g["min"], g["max"], "]" if g["max_inclusive"] else ")", g["label"])
            for g in definition["grades"]
        ))  # fmt: skip
        return format_html("<ol>{}</ol><ul>{}</ul>", indicators, grades)

    def save_model(self, request: HttpRequest, obj: AssessmentScheme, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_log_write(actor=request.user, action="feedback.scheme." + ("changed" if change else "created"), obj=obj,
                        data={"code": obj.code, "fields": sorted(form.changed_data)})  # fmt: skip

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        used = obj is not None and obj.assessments.exists()
        return not used and super().has_delete_permission(request, obj)


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@admin.register(TicketRating)
class TicketRatingAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    scope_center_field = "center"
    list_display = ("ticket", "answer", "center", "counter", "officer", "channel", "at")
    list_filter = ("answer", "channel")
    list_select_related = ("ticket", "center", "counter", "officer")
    date_hierarchy = "at"


@admin.register(DossierAssessment)
class DossierAssessmentAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    scope_center_field = "center"
    list_display = ("dossier", "total", "grade", "overall", "center", "agency", "channel", "at")
    list_filter = ("grade", "overall", "channel")
    list_select_related = ("dossier", "center", "agency")
    date_hierarchy = "at"
    exclude = ("scores", "sources", "answers")
    readonly_fields = ("scores_text", "answers_text")

    @admin.display(description=gettext_lazy("điểm từng tiêu chí"))
    def scores_text(self, obj: DossierAssessment) -> str:
        return _pretty({"scores": obj.scores, "sources": obj.sources})

    @admin.display(description=gettext_lazy("câu trả lời"))
    def answers_text(self, obj: DossierAssessment) -> str:
        return _pretty(obj.answers)
