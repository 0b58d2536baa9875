"""A few real procedures (names from the national catalog) with the details screens show."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

CERTIFY_COPY = "2.000815"
CERTIFY_WILL = "2.001019"
BIRTH = "1.001193"
LAB_PERMIT = "1.014199"
NO_LIMIT = "1.014034"
COMMUNE_ONLY = "2.000635"

SPECS: list[dict[str, Any]] = [
    {
        "code": CERTIFY_COPY, "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "sector": {"code": "chung-thuc", "name": "Chứng thực"}, "agency": "ubnd-xa",
        "centers": ["cantho", "ninhkieu"], "online_level": "partial", "location_independent": True,
        "time_value": Decimal(0), "time_unit": "same_day", "same_day_cutoff": time(15, 0),
        "result": "Bản sao có chứng thực", "legal_basis": "Nghị định 23/2015/NĐ-CP",
        "effective_date": date(2025, 7, 1),
        "documents": [
            {"name": "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "show_only": True},
            {"name": "Bản sao cần chứng thực", "plain_copies": 1},
        ],
        "fees": [{
            "name": "Phí chứng thực bản sao từ bản chính", "kind": "tiered", "unit": "trang", "per": "bản",
            "cap": Decimal(200000),
            "tiers": [{"from_quantity": 1, "to_quantity": 2, "unit_price": Decimal(2000)},
                      {"from_quantity": 3, "to_quantity": None, "unit_price": Decimal(1000)}],
        }],
    },
    {
        "code": CERTIFY_WILL, "name": "Chứng thực di chúc",
        "sector": {"code": "chung-thuc", "name": "Chứng thực"}, "agency": "ubnd-xa", "centers": ["cantho"],
        "time_value": Decimal(2), "time_unit": "working_days",
        "documents": [
            {"name": "Dự thảo di chúc", "originals": 1},
            {"name": "Giấy tờ tùy thân của người lập di chúc", "show_only": True, "replaced_by": "population"},
            {"name": "Giấy tờ chứng minh quyền sở hữu tài sản", "originals": 1, "certified_copies": 2},
        ],
        "fees": [{"name": "Phí chứng thực di chúc", "kind": "flat", "amount": Decimal(50000)}],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "agency": "ubnd-xa", "time_value": Decimal("0.5"), "time_unit": "working_days"},
            {"name": "Chứng thực và trả kết quả", "agency": "ubnd-xa", "time_value": Decimal("1.5"), "time_unit": "working_days"},
        ],
    },
    {
        "code": BIRTH, "name": "Thủ tục đăng ký khai sinh",
        "sector": {"code": "ho-tich", "name": "Hộ tịch"}, "agency": "ubnd-xa", "centers": ["cantho"],
        "online_level": "full", "time_value": Decimal(0), "time_unit": "same_day",
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1}],
    },
    {
        "code": LAB_PERMIT, "name": "Cấp giấy phép lao động đối với người lao động nước ngoài làm việc tại Việt Nam",
        "sector": {"code": "viec-lam", "name": "Việc làm"}, "agency": "so-noi-vu", "centers": ["cantho"],
        "time_value": Decimal(10), "time_unit": "working_days", "fee_note": "Theo mức thu của Hội đồng nhân dân thành phố",
    },
    {
        "code": NO_LIMIT, "name": "Dừng thực hiện thủ tục đăng ký hộ kinh doanh",
        "sector": {"code": "ho-kinh-doanh", "name": "Hộ kinh doanh"}, "agency": "so-tai-chinh", "centers": ["cantho"],
        "time_value": Decimal(0), "time_unit": "none",
    },
    {
        "code": COMMUNE_ONLY, "name": "Cấp bản sao Trích lục hộ tịch",
        "sector": {"code": "ho-tich", "name": "Hộ tịch"}, "agency": "ubnd-xa", "centers": ["ninhkieu"],
        "time_value": Decimal("0.5"), "time_unit": "working_days",
        "fees": [{"name": "Phí cấp bản sao trích lục", "kind": "flat", "amount": Decimal(8000), "per": "bản"}],
    },
]  # fmt: skip


def load_samples() -> None:
    from motcua.catalog.services import procedure_upsert

    for spec in SPECS:
        procedure_upsert(spec=spec)
