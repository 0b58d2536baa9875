"""Forms of dossier intake at the counter: the applicant, the checklist, the fees and the outcome.

The checklist and the fees are formsets whose lines come from the procedure's current version
(ADR 0004), so what the officer ticks is always the list the dossier will freeze; a posted
formset of another length (a version saved meanwhile, a tampered page) is refused, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.catalog.fees import fee_amount
from motcua.catalog.models import Agency, NationalDatabase, Procedure, ProcedureVersion
from motcua.core.models import Center
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, FeeLine, Intake, ProvidedDocument
from motcua.dossiers.services.intake import current_version, ensure_receivable

OUTCOMES = ("accept", "supplement", "refuse")
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def _text(label: Any, max_length: int, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, widget=forms.TextInput(attrs=attrs))


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=99, required=False,
        widget=forms.NumberInput(attrs={"class": "di-num", "inputmode": "numeric"}),
    )  # fmt: skip


def _digits_only(value: str) -> str:
    value = value.strip()
    if value and not value.isdigit():
        raise forms.ValidationError(_("Số định danh chỉ gồm chữ số (CCCD 12 số, mã số thuế 10 hoặc 13 số)."))
    return value


class IntakeForm(forms.Form):
    """What the officer types about the dossier as a whole; the outcome is the button pressed."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=32)
    ticket = forms.IntegerField(widget=forms.HiddenInput, required=False)
    procedure = forms.CharField(widget=forms.HiddenInput, max_length=40)
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"), choices=Dossier.ApplicantKind.choices, initial=Dossier.ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )  # fmt: skip
    applicant_name = forms.CharField(
        label=_("Họ tên / tên tổ chức"), max_length=255,
        error_messages={"required": _("Vui lòng nhập họ tên người nộp hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )  # fmt: skip
    applicant_national_id = _text(_("Số định danh / mã số thuế"), 20, inputmode="numeric", autocomplete="off")
    applicant_phone = _text(_("Điện thoại"), 20, inputmode="tel", autocomplete="off")
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), required=False, max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    applicant_address = _text(_("Địa chỉ"), 255, autocomplete="off")
    submitter_name = _text(_("Họ tên người nộp thay"), 255, autocomplete="off")
    submitter_national_id = _text(_("Số định danh người nộp thay"), 20, inputmode="numeric", autocomplete="off")
    submitter_phone = _text(_("Điện thoại người nộp thay"), 20, inputmode="tel", autocomplete="off")
    authorisation_note = _text(_("Giấy ủy quyền"), 255, placeholder=_("Số, ngày của giấy ủy quyền"))
    competent_agency = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết"), queryset=Agency.objects.none(), required=False, empty_label=None
    )
    return_method = forms.ChoiceField(
        label=_("Nhận kết quả"), choices=Dossier.ReturnMethod.choices, initial=Dossier.ReturnMethod.COUNTER
    )
    is_digitised = forms.BooleanField(label=_("Đã số hóa hồ sơ khi tiếp nhận"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    supplement_reason = forms.CharField(
        label=_("Lý do yêu cầu bổ sung"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    refuse_reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            agency_field = self.fields["competent_agency"]
            assert isinstance(agency_field, forms.ModelChoiceField)
            agency_field.queryset = agencies

    def clean_applicant_national_id(self) -> str:
        return _digits_only(self.cleaned_data["applicant_national_id"])

    def clean_submitter_national_id(self) -> str:
        return _digits_only(self.cleaned_data["submitter_national_id"])

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not TOKEN_PATTERN.match(token):
            raise forms.ValidationError(_("Biểu mẫu không hợp lệ, vui lòng tải lại trang."))
        return token

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"], kind=data["applicant_kind"], national_id=data["applicant_national_id"],
            phone=data["applicant_phone"], email=data["applicant_email"], address=data["applicant_address"],
            submitter_name=data["submitter_name"], submitter_national_id=data["submitter_national_id"],
            submitter_phone=data["submitter_phone"], authorisation_note=data["authorisation_note"],
        )  # fmt: skip


class DocumentLineForm(forms.Form):
    """One checklist line: handed in or not, how many of each kind, or missing (supplement)."""

    provided = forms.BooleanField(label=_("Đã nộp"), required=False)
    originals = _count(_("Bản chính"))
    certified_copies = _count(_("Bản sao chứng thực"))
    plain_copies = _count(_("Bản sao"))
    db_reference = _text(_("Mã tra cứu CSDL"), 80, placeholder=_("Mã tra cứu"), autocomplete="off")
    missing = forms.BooleanField(label=_("Cần bổ sung"), required=False)
    missing_note = _text(_("Nội dung cần bổ sung"), 255, placeholder=_("Cần bổ sung gì"), autocomplete="off")


def _vnd(value: str) -> Decimal:
    """`50.000`, `50000`, `50 000 đ` → 50000 (whole đồng: VND has no subunit in use)."""
    cleaned = re.sub(r"[\s.,đĐ]", "", value or "")
    if not cleaned:
        return Decimal(0)
    if not cleaned.isdigit():
        raise forms.ValidationError(_("Số tiền chỉ gồm chữ số, ví dụ 50.000."))
    return Decimal(cleaned)


class FeeLineForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    amount = forms.CharField(
        label=_("Số tiền"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"class": "di-money", "inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    quantity = forms.IntegerField(
        label=_("Số lượng"), min_value=1, max_value=9999, initial=1,
        widget=forms.NumberInput(attrs={"class": "di-num", "inputmode": "numeric"}),
    )  # fmt: skip
    paid = forms.BooleanField(label=_("Đã thu"), required=False)
    method = forms.ChoiceField(label=_("Hình thức thu"), required=False)
    receipt_number = _text(_("Số biên lai"), 40, autocomplete="off")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        methods = [(code, _(label)) for code, label in settings.MOTCUA["FEE_METHODS"]]
        method = self.fields["method"]
        assert isinstance(method, forms.ChoiceField)
        method.choices = [("", _("— Chọn —")), *methods]

    def clean_amount(self) -> Decimal:
        return _vnd(self.cleaned_data["amount"])

    def line(self) -> FeeLine:
        data = self.cleaned_data
        return FeeLine(name=data["name"], amount=data["amount"], quantity=data["quantity"], paid=data["paid"],
                       method=data["method"], receipt_number=data["receipt_number"])  # fmt: skip


DocumentFormSet = forms.formset_factory(DocumentLineForm, extra=0)
FeeFormSet = forms.formset_factory(FeeLineForm, extra=0)


# ---- the procedure side ---------------------------------------------------------------------


def procedure_for_center(code: str, center: Center) -> tuple[Procedure, ProcedureVersion]:
    """The active procedure `code` with its current version, if `center` may receive it.

    Raises Procedure.DoesNotExist, or DossierError with the reason in Vietnamese.
    """
    procedure = Procedure.objects.select_related("agency", "sector").get(code=code, is_active=True)
    version = current_version(procedure)
    ensure_receivable(version, center)
    return procedure, version


def commune_agencies(version: ProcedureVersion, today: date) -> QuerySet[Agency] | None:
    """Communes the officer may route to, for a procedure decided at commune level (rule 19)."""
    agency = Agency.objects.filter(code=version.snapshot.get("agency")).first()
    if agency is None or agency.kind != Agency.Kind.COMMUNE:
        return None
    in_force = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    return Agency.objects.filter(in_force, kind=Agency.Kind.COMMUNE).order_by("name")


def document_initial(version: ProcedureVersion) -> list[dict[str, Any]]:
    """Each line pre-filled with the counts the procedure asks for, ticked as handed in."""
    return [
        {"provided": not doc.get("replaced_by"), "originals": doc.get("originals") or 0,
         "certified_copies": doc.get("certified_copies") or 0, "plain_copies": doc.get("plain_copies") or 0}
        for doc in version.snapshot.get("documents", [])
    ]  # fmt: skip


def fee_initial(procedure: Procedure) -> list[dict[str, Any]]:
    """The procedure's fees at one unit each (the officer corrects pages or copies)."""
    return [
        {"name": fee.name, "amount": f"{int(fee_amount(fee)):,}".replace(",", "."), "quantity": 1}
        for fee in procedure.fees.prefetch_related("tiers")
    ]


@dataclass
class DocumentRow:
    """A checklist line for the template: the version's words beside the officer's inputs."""

    form: DocumentLineForm
    name: str
    required: dict[str, int]
    show_only: bool
    replaced_by: str
    note: str


def document_rows(version: ProcedureVersion, formset: Any) -> list[DocumentRow]:
    labels = dict(NationalDatabase.choices)
    return [
        DocumentRow(
            form=form, name=doc["name"], show_only=bool(doc.get("show_only")),
            required={k: doc.get(k) or 0 for k in ("originals", "certified_copies", "plain_copies")},
            replaced_by=str(labels.get(doc["replaced_by"], doc["replaced_by"])) if doc.get("replaced_by") else "",
            note=doc.get("note") or "",
        )
        for form, doc in zip(formset.forms, version.snapshot.get("documents", []), strict=False)
    ]  # fmt: skip


@dataclass
class IntakeForms:
    """The three parts of the page, bound or not, and what the procedure says about them."""

    procedure: Procedure
    version: ProcedureVersion
    form: IntakeForm
    documents: Any
    fees: Any
    agencies: QuerySet[Agency] | None = None
    problems: list[str] = field(default_factory=list)

    def is_valid(self) -> bool:
        valid = self.form.is_valid() & self.documents.is_valid() & self.fees.is_valid()
        expected = len(self.version.snapshot.get("documents", []))
        if len(self.documents.forms) != expected or self.form.data.get("procedure") not in (None, self.procedure.code):
            self.problems.append(str(_("Thủ tục vừa được cập nhật danh mục giấy tờ, vui lòng kiểm tra lại biểu mẫu.")))
            return False
        return valid

    def rows(self) -> list[DocumentRow]:
        return document_rows(self.version, self.documents)

    def intake(self) -> Intake:
        data = self.form.cleaned_data
        return Intake(
            procedure=self.procedure, applicant=self.form.applicant(), documents=tuple(self._provided()),
            fees=tuple(form.line() for form in self.fees.forms), competent_agency=data["competent_agency"],
            return_method=data["return_method"], is_digitised=data["is_digitised"], note=data["note"],
        )  # fmt: skip

    def _provided(self) -> list[ProvidedDocument]:
        lines = []
        for index, form in enumerate(self.documents.forms):
            data = form.cleaned_data
            lines.append(ProvidedDocument(
                index=index, provided=data["provided"], originals=data["originals"] or 0,
                certified_copies=data["certified_copies"] or 0, plain_copies=data["plain_copies"] or 0,
                db_reference=data["db_reference"],
            ))  # fmt: skip
        return lines

    def supplement_items(self) -> list[dict[str, Any]]:
        """The lines ticked as missing, itemised as the guidance slip prints them."""
        return [
            {"document": row.name, "note": row.form.cleaned_data["missing_note"].strip(), **row.required}
            for row in self.rows()
            if row.form.cleaned_data.get("missing")
        ]


def intake_forms(
    procedure: Procedure,
    version: ProcedureVersion,
    *,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    today: date,
) -> IntakeForms:
    """The page's forms: bound to a POST, or blank with the procedure's checklist and fees."""
    agencies = commune_agencies(version, today)
    if data is not None:
        return IntakeForms(
            procedure, version, IntakeForm(data, agencies=agencies), DocumentFormSet(data, prefix="doc"),
            FeeFormSet(data, prefix="fee"), agencies,
        )  # fmt: skip
    start = {"procedure": procedure.code, **(initial or {})}
    if agencies is not None:
        start.setdefault("competent_agency", agencies.filter(code=version.snapshot.get("agency")).first())
    return IntakeForms(
        procedure, version, IntakeForm(initial=start, agencies=agencies),
        DocumentFormSet(initial=document_initial(version), prefix="doc"),
        FeeFormSet(initial=fee_initial(procedure), prefix="fee"), agencies,
    )  # fmt: skip
