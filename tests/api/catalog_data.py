"""A small real catalog for search and API tests, written through `procedure_upsert`.

Names and codes are real (the seed list in /work/shared/data/procedures.csv); documents are
abridged. Kept independent of the demo catalog so rankings asserted here do not move when the
demo data is edited.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

DOCS = "documents"
# (code, name, agency, (sector code, sector name), documents, centers, extra fields)
PROCEDURES: list[tuple[str, str, str, tuple[str, str], list[str], list[str], dict[str, Any]]] = [
    ("2.000908", "Cấp bản sao từ sổ gốc", "ubnd-xa", ("chung-thuc", "Chứng thực"),
     ["Đơn đề nghị cấp bản sao", "Căn cước"], ["ninhkieu", "cairang"], {"time_unit": "same_day"}),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "ubnd-xa", ("chung-thuc", "Chứng thực"),
     ["Bản chính giấy tờ", "Bản sao cần chứng thực"], ["ninhkieu", "cairang"],
     {"time_unit": "same_day", "same_day_cutoff": time(15, 0), "fees": [
         {"name": "Phí chứng thực bản sao", "kind": "tiered", "unit": "trang", "per": "bản", "cap": 200000,
          "tiers": [{"from_quantity": 1, "to_quantity": 2, "unit_price": 2000},
                    {"from_quantity": 3, "to_quantity": None, "unit_price": 1000}]}]}),
    ("2.000884", "Chứng thực chữ ký trong giấy tờ, văn bản (kể cả điểm chỉ; người không ký/điểm chỉ được)",
     "ubnd-xa", ("chung-thuc", "Chứng thực"), ["Giấy tờ cần chứng thực chữ ký", "Căn cước"], ["ninhkieu"],
     {"time_unit": "same_day", "fees": [{"name": "Phí chứng thực chữ ký", "amount": 10000, "per": "trường hợp"}]}),
    ("2.001019", "Chứng thực di chúc", "ubnd-xa", ("chung-thuc", "Chứng thực"),
     ["Dự thảo di chúc", "Căn cước", "Giấy tờ về tài sản"], ["ninhkieu"], {"time_value": 2}),
    ("2.000942", "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", "ubnd-xa",
     ("chung-thuc", "Chứng thực"), ["Đơn đề nghị"], ["ninhkieu"], {"time_unit": "same_day"}),
    ("2.000635", "Cấp bản sao Trích lục hộ tịch (bản sao Giấy khai sinh…)", "so-tu-phap", ("ho-tich", "Hộ tịch"),
     ["Tờ khai cấp bản sao trích lục hộ tịch"], ["cantho"], {"time_unit": "same_day", "location_independent": True}),
    ("1.001193", "Thủ tục đăng ký khai sinh", "ubnd-xa", ("ho-tich", "Hộ tịch"),
     ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Căn cước của cha, mẹ"], ["ninhkieu", "cairang"],
     {"time_unit": "same_day", "online_level": "full"}),
    ("2.000986", "Liên thông TTHC về đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
     "ubnd-xa", ("ho-tich", "Hộ tịch"), ["Tờ khai liên thông điện tử", "Giấy chứng sinh điện tử"], ["ninhkieu"],
     {"time_value": 3, "online_level": "full"}),
    ("1.000894", "Thủ tục đăng ký kết hôn", "ubnd-xa", ("ho-tich", "Hộ tịch"),
     ["Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"], ["ninhkieu"], {"time_unit": "same_day"}),
    ("1.000656", "Thủ tục đăng ký khai tử", "ubnd-xa", ("ho-tich", "Hộ tịch"),
     ["Tờ khai đăng ký khai tử", "Giấy báo tử"], ["ninhkieu"], {"time_unit": "same_day"}),
    ("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "ubnd-xa", ("ho-tich", "Hộ tịch"),
     ["Tờ khai cấp giấy xác nhận tình trạng hôn nhân"], ["ninhkieu"], {"time_value": 3}),
    ("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
     "cong-an", ("ly-lich-tu-phap", "Lý lịch tư pháp"), ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"], ["cantho"],
     {"time_value": 10, "time_unit": "calendar_days", "legal_basis": "Luật Lý lịch tư pháp năm 2009",
      "effective_date": date(2025, 7, 1), "online_level": "partial",
      "steps": [{"name": "Tiếp nhận hồ sơ", "agency": None, "time_value": Decimal("0.5"), "time_unit": "working_days"},
                {"name": "Tra cứu, xác minh", "agency": "cong-an", "time_value": 9, "time_unit": "calendar_days"}]}),
    ("2.001610", "Đăng ký thành lập doanh nghiệp (công ty TNHH một thành viên / DNTN…)", "so-tai-chinh",
     ("doanh-nghiep", "Thành lập và hoạt động doanh nghiệp"), ["Giấy đề nghị đăng ký doanh nghiệp", "Điều lệ công ty"],
     ["cantho"], {"time_value": 3, "online_level": "full"}),
    ("2.000720", "Đăng ký thành lập hộ kinh doanh", "ubnd-xa", ("ho-kinh-doanh", "Hộ kinh doanh"),
     ["Giấy đề nghị đăng ký hộ kinh doanh"], ["ninhkieu"], {"time_value": 3}),
    ("1.009974", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "ubnd-xa", ("xay-dung", "Xây dựng"),
     ["Đơn đề nghị cấp giấy phép xây dựng", "Giấy chứng nhận quyền sử dụng đất", "Bản vẽ thiết kế"], ["ninhkieu"],
     {"time_value": 15, "time_unit": "calendar_days"}),
    ("2.000620", "Cấp Giấy phép bán lẻ rượu", "so-cong-thuong", ("luu-thong-hang-hoa", "Lưu thông hàng hóa"),
     ["Đơn đề nghị cấp giấy phép bán lẻ rượu"], ["cantho"], {"time_value": 10}),
    ("1.014199", "Cấp giấy phép lao động đối với người lao động nước ngoài làm việc tại Việt Nam", "so-noi-vu",
     ("viec-lam", "Việc làm"), ["Văn bản đề nghị", "Giấy chứng nhận sức khỏe", "Phiếu lý lịch tư pháp"], ["cantho"],
     {"time_value": 10}),
    ("1.014200", "Cấp lại giấy phép lao động", "so-noi-vu", ("viec-lam", "Việc làm"),
     ["Văn bản đề nghị", "Giấy phép lao động đã cấp"], ["cantho"], {"time_value": 3}),
    ("1.014201", "Gia hạn giấy phép lao động", "so-noi-vu", ("viec-lam", "Việc làm"),
     ["Văn bản đề nghị", "Giấy phép lao động còn hiệu lực"], ["cantho"], {"time_value": 10}),
    ("1.014196", "Cấp giấy xác nhận không thuộc diện cấp giấy phép lao động", "so-noi-vu", ("viec-lam", "Việc làm"),
     ["Văn bản đề nghị"], ["cantho"], {"time_value": 5}),
    ("3.000465", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (tại cấp tỉnh)", "so-gd-dt",
     ("van-bang", "Văn bằng, chứng chỉ"), ["Đơn đề nghị cấp bản sao", "Căn cước"], ["cantho"], {"time_unit": "same_day"}),
    ("2.000829", "Thủ tục yêu cầu trợ giúp pháp lý", "so-tu-phap", ("tro-giup-phap-ly", "Trợ giúp pháp lý"),
     ["Đơn đề nghị trợ giúp pháp lý", "Giấy khai sinh"], ["cantho"], {"time_unit": "none"}),
]  # fmt: skip

CREATED_AT = datetime(2025, 7, 1, 8, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


def procedure_spec(row: tuple) -> dict[str, Any]:
    code, name, agency, (sector_code, sector_name), documents, centers, extra = row
    spec: dict[str, Any] = {
        "code": code, "name": name, "agency": agency, "sector": {"code": sector_code, "name": sector_name},
        "centers": centers, "time_value": 0, "time_unit": "working_days",
        DOCS: [{"name": doc, "originals": 1} for doc in documents],
    }  # fmt: skip
    spec.update(extra)
    return spec


def load_search_catalog() -> None:
    """Upsert the procedures above (needs the demo organisation for agencies and centers)."""
    from motcua.catalog.services import procedure_upsert

    for row in PROCEDURES:
        procedure_upsert(spec=procedure_spec(row), now=CREATED_AT)
