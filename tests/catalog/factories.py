"""Catalog factories: agencies, sectors, procedures (through the real write path) and fees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from motcua.catalog.models import Agency, Fee, FeeTier, Procedure, Sector
from motcua.catalog.services import procedure_upsert
from motcua.core.models import Center

# Agencies named the way the shared seed file names them (its `agency` column is free text).
SEED_AGENCIES: dict[str, tuple[str, str, str]] = {
    "ubnd-xa": ("Ủy ban nhân dân cấp xã", "UBND xã, phường",
                "Commune PC; Commune People's Committee / Justice; Commune PC (Finance/economic office); "
                "Commune PC (K); Commune PC + Police + Social Insurance; Commune PC / Finance; "
                "Commune PC / school; same"),
    "so-tu-phap": ("Sở Tư pháp thành phố Cần Thơ", "Sở Tư pháp",
                   "Justice dept (State Legal Aid Center); Justice dept / commune PC"),
    "cong-an": ("Công an thành phố Cần Thơ", "Công an thành phố",
                "Police; Provincial Police (Phòng Hồ sơ nghiệp vụ) since 2025; Provincial Police (since 2025, K)"),
    "so-tai-chinh": ("Sở Tài chính thành phố Cần Thơ", "Sở Tài chính",
                     "Sở Tài chính (Business Registration Office)"),
    "so-khcn": ("Sở Khoa học và Công nghệ thành phố Cần Thơ", "Sở Khoa học và Công nghệ", "Sở KH&CN Cần Thơ"),
    "so-nn-mt": ("Sở Nông nghiệp và Môi trường thành phố Cần Thơ", "Sở Nông nghiệp và Môi trường",
                 "Sở NN&MT; Sở NN&MT / provincial PC; Land Registration Office (Sở NN&MT) / commune"),
    "bhxh": ("Bảo hiểm xã hội thành phố Cần Thơ", "BHXH thành phố", "Social Insurance / commune"),
    "so-cong-thuong": ("Sở Công Thương thành phố Cần Thơ", "Sở Công Thương", "Sở Công Thương / commune"),
    "so-gd-dt": ("Sở Giáo dục và Đào tạo thành phố Cần Thơ", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    "so-noi-vu": ("Sở Nội vụ thành phố Cần Thơ", "Sở Nội vụ", "Sở Nội vụ (or IZ Board for IZ employers)"),
    "so-vhttdl": ("Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ", "Sở VH-TT-DL", "Sở VHTTDL (K)"),
    "so-xay-dung": ("Sở Xây dựng thành phố Cần Thơ", "Sở Xây dựng",
                    "Sở Xây dựng / commune PC; Sở Xây dựng / commune"),
    "so-y-te": ("Sở Y tế thành phố Cần Thơ", "Sở Y tế", ""),
}  # fmt: skip


def seed_agencies() -> None:
    """The agencies (with aliases) that the seed file and the sample files name."""
    for code, (name, short_name, aliases) in SEED_AGENCIES.items():
        Agency.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "aliases": aliases}
        )


def seed_centers() -> None:
    for code, name in [("cantho", "Trung tâm PVHCC TP. Cần Thơ"), ("ninhkieu", "Trung tâm PVHCC Ninh Kiều")]:
        Center.objects.get_or_create(code=code, defaults={"name": name, "address": "Cần Thơ"})


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"co-quan-{n}")
    name = factory.Sequence(lambda n: f"Cơ quan số {n}")


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


COPY_FEE: dict[str, Any] = {
    "name": "Phí chứng thực bản sao", "kind": "tiered", "amount": Decimal(0), "unit": "trang", "per": "bản",
    "cap": Decimal(200000), "note": "",
    "tiers": [{"from_quantity": 1, "to_quantity": 2, "unit_price": Decimal(2000)},
              {"from_quantity": 3, "to_quantity": None, "unit_price": Decimal(1000)}],
}  # fmt: skip


def procedure_spec(**overrides: Any) -> dict[str, Any]:
    """A complete `procedure_upsert` spec; agency `so-tu-phap` is created if missing."""
    agency = overrides.pop("agency", None) or AgencyFactory(code="so-tu-phap", name="Sở Tư pháp").code
    spec: dict[str, Any] = {
        "code": "2.000815", "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "sector": {"code": "chung-thuc", "name": "Chứng thực"}, "agency": agency,
        "time_value": Decimal(0), "time_unit": "same_day", "same_day_cutoff": "15:00",
        "documents": [{"name": "Bản chính giấy tờ", "originals": 1},
                      {"name": "Căn cước", "show_only": True, "replaced_by": "population"}],
        "fees": [COPY_FEE], "steps": [],
    }  # fmt: skip
    return spec | overrides


def make_procedure(**overrides: Any) -> Procedure:
    """A procedure created through `procedure_upsert`, so it has version 1."""
    procedure, _version = procedure_upsert(spec=procedure_spec(**overrides), change_note="tạo để kiểm thử")
    return procedure


def make_fee(*, kind: str = Fee.Kind.TIERED, tiers: list[tuple[int, int | None, int]] | None = None,
             **values: Any) -> Fee:  # fmt: skip
    """A fee on a fresh procedure; by default the tiered copy fee (2.000 đ/page for 1–2, then 1.000, cap 200.000)."""
    procedure = make_procedure(code=values.pop("code", "TEST-FEE"), fees=[])
    defaults = {"name": "Phí chứng thực bản sao", "unit": "trang", "per": "bản", "cap": Decimal(200000)}
    fee = Fee.objects.create(procedure=procedure, kind=kind, **(defaults | values))
    for start, end, price in tiers if tiers is not None else [(1, 2, 2000), (3, None, 1000)]:
        FeeTier.objects.create(fee=fee, from_quantity=start, to_quantity=end, unit_price=Decimal(price))
    return fee
