"""Can Tho demo organisation: three centers, the post-2025 departments and their predecessors.

The centers' electronic unit IDs are placeholders: Can Tho's real H-code was not found
(DOMAIN.md §2.3), so an installation sets its own in the admin.
"""

from __future__ import annotations

from datetime import date

CENTERS = [
    {
        "code": "cantho",
        "name": "Trung tâm Phục vụ hành chính công thành phố Cần Thơ",
        "short_name": "Trung tâm PVHCC TP. Cần Thơ",
        "level": "city",
        "address": "109 Nguyễn Trãi, phường Tân An, Ninh Kiều, thành phố Cần Thơ",
        "phone": "0292 3 800 800",
        "unit_id": "000.00.00.H13",
        "ordering": 0,
        "floors": [("tret", "Tầng trệt"), ("lau-1", "Lầu 1")],
    },
    {
        "code": "ninhkieu",
        "name": "Trung tâm Phục vụ hành chính công phường Ninh Kiều",
        "short_name": "Trung tâm PVHCC phường Ninh Kiều",
        "level": "commune",
        "address": "2 Hòa Bình, phường Ninh Kiều, thành phố Cần Thơ",
        "phone": "0292 3 820 000",
        "unit_id": "000.10.13.H13",
        "ordering": 1,
        "floors": [("tret", "Tầng trệt")],
    },
    {
        "code": "cairang",
        "name": "Trung tâm Phục vụ hành chính công phường Cái Răng",
        "short_name": "Trung tâm PVHCC phường Cái Răng",
        "level": "commune",
        "address": "Đường Võ Nguyên Giáp, phường Cái Răng, thành phố Cần Thơ",
        "phone": "0292 3 846 000",
        "unit_id": "000.20.13.H13",
        "ordering": 2,
        "floors": [("tret", "Tầng trệt")],
    },
]

MERGED_ON = date(2025, 3, 1)

# (code, name, short name, kind, valid_from, valid_to, successor code)
AGENCIES = [
    ("so-tu-phap", "Sở Tư pháp thành phố Cần Thơ", "Sở Tư pháp", "department", None, None, None),
    ("so-tai-chinh", "Sở Tài chính thành phố Cần Thơ", "Sở Tài chính", "department", None, None, None),
    ("so-nn-mt", "Sở Nông nghiệp và Môi trường thành phố Cần Thơ", "Sở Nông nghiệp và Môi trường", "department", MERGED_ON, None, None),
    ("so-khcn", "Sở Khoa học và Công nghệ thành phố Cần Thơ", "Sở Khoa học và Công nghệ", "department", None, None, None),
    ("so-xay-dung", "Sở Xây dựng thành phố Cần Thơ", "Sở Xây dựng", "department", None, None, None),
    ("so-cong-thuong", "Sở Công Thương thành phố Cần Thơ", "Sở Công Thương", "department", None, None, None),
    ("so-noi-vu", "Sở Nội vụ thành phố Cần Thơ", "Sở Nội vụ", "department", None, None, None),
    ("so-gd-dt", "Sở Giáo dục và Đào tạo thành phố Cần Thơ", "Sở Giáo dục và Đào tạo", "department", None, None, None),
    ("so-y-te", "Sở Y tế thành phố Cần Thơ", "Sở Y tế", "department", None, None, None),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ", "Sở VH-TT-DL", "department", None, None, None),
    ("cong-an", "Công an thành phố Cần Thơ", "Công an thành phố", "police", None, None, None),
    ("bhxh", "Bảo hiểm xã hội thành phố Cần Thơ", "BHXH thành phố", "other", None, None, None),
    ("ban-qlkcn", "Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ", "Ban Quản lý KCX-CN", "other", None, None, None),
    ("ubnd-xa", "Ủy ban nhân dân cấp xã (nơi tiếp nhận)", "UBND xã, phường", "commune", date(2025, 7, 1), None, None),
    # Merged in 2025: kept so that older records still name the agency of their time.
    ("so-khdt", "Sở Kế hoạch và Đầu tư thành phố Cần Thơ", "Sở Kế hoạch và Đầu tư", "department", None, date(2025, 2, 28), "so-tai-chinh"),
    ("so-ldtbxh", "Sở Lao động – Thương binh và Xã hội thành phố Cần Thơ", "Sở LĐ-TB&XH", "department", None, date(2025, 2, 28), "so-noi-vu"),
    ("so-gtvt", "Sở Giao thông vận tải thành phố Cần Thơ", "Sở Giao thông vận tải", "department", None, date(2025, 2, 28), "so-xay-dung"),
    ("so-tnmt", "Sở Tài nguyên và Môi trường thành phố Cần Thơ", "Sở Tài nguyên và Môi trường", "department", None, date(2025, 2, 28), "so-nn-mt"),
    ("so-nn-ptnt", "Sở Nông nghiệp và Phát triển nông thôn thành phố Cần Thơ", "Sở NN&PTNT", "department", None, date(2025, 2, 28), "so-nn-mt"),
    ("so-tttt", "Sở Thông tin và Truyền thông thành phố Cần Thơ", "Sở TT&TT", "department", None, date(2025, 2, 28), "so-khcn"),
]  # fmt: skip

# Other names an agency goes by in announcements and in files from other systems; the catalog
# import matches an agency by code, name, short name or any of these (folded, so case and
# diacritics do not matter). Stored `;`-separated in Agency.aliases.
AGENCY_ALIASES: dict[str, list[str]] = {
    "so-tu-phap": ["Sở TP", "Sở Tư pháp Cần Thơ", "Trung tâm Trợ giúp pháp lý nhà nước", "Justice dept"],
    "so-tai-chinh": ["Sở TC", "Phòng Đăng ký kinh doanh", "Business Registration Office"],
    "so-nn-mt": ["Sở NN&MT", "Sở NNMT", "Văn phòng Đăng ký đất đai", "Land Registration Office"],
    "so-khcn": ["Sở KH&CN", "Sở KHCN", "Sở KH&CN Cần Thơ"],
    "so-xay-dung": ["Sở XD", "Sở Xây dựng Cần Thơ"],
    "so-cong-thuong": ["Sở Công Thương Cần Thơ"],
    "so-noi-vu": ["Sở NV", "Sở Nội vụ Cần Thơ"],
    "so-gd-dt": ["Sở GD&ĐT", "Sở GDĐT"],
    "so-y-te": ["Sở YT", "Sở Y tế Cần Thơ"],
    "so-vhttdl": ["Sở VHTTDL", "Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"],
    "cong-an": ["Công an TP Cần Thơ", "Công an TP. Cần Thơ", "Phòng Hồ sơ nghiệp vụ", "Police", "Provincial Police"],
    "bhxh": ["BHXH", "BHXH Cần Thơ", "Bảo hiểm xã hội", "Social Insurance"],
    "ban-qlkcn": ["Ban Quản lý KCN", "Ban Quản lý các khu công nghiệp", "IZ Board"],
    "ubnd-xa": [
        "UBND xã",
        "UBND phường",
        "UBND cấp xã",
        "Ủy ban nhân dân xã, phường",
        "Commune PC",
        "Commune People's Committee",
    ],
}

# Demo officers: (username, full name, role, center code, agency code). Password for all: see README.
USERS = [
    ("admin", "Quản trị hệ thống", "administrator", None, None),
    ("lanhdao", "Nguyễn Văn Minh", "center_leader", "cantho", None),
    ("tiepnhan", "Trần Thị Hoa", "reception_officer", "cantho", None),
    ("tiepnhan.ninhkieu", "Lê Văn Phúc", "reception_officer", "ninhkieu", None),
    ("chuyenvien.tuphap", "Phạm Thị Lan", "agency_officer", None, "so-tu-phap"),
    ("lanhdao.tuphap", "Võ Minh Tuấn", "agency_leader", None, "so-tu-phap"),
    ("chuyenvien.khcn", "Đặng Quốc Bảo", "agency_officer", None, "so-khcn"),
    ("lanhdao.khcn", "Huỳnh Văn Khoa", "agency_leader", None, "so-khcn"),
]
DEMO_PASSWORD = "motcua-demo-2026"  # noqa: S105 -- published demo password, demo data only
