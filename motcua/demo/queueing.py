"""The Can Tho demo floor: priority classes, queues, counters and the officers who work them.

The city center (109 Nguyễn Trãi) takes a number per agency, lettered A, B, C… (I, J and O are
skipped: on a board they read as 1 and 0). The busiest desks — justice (certification), police
(residence, ID cards), business registration and land — get two or three counters side by side;
counter 10 on the ground floor collects fees and helps with online submission and postal
returns, and also takes the overflow of the three busiest queues; counter 20 upstairs backs up
the smaller departments. Ward centers have three queues and three or four counters.

Counters start closed with nobody seated: an officer signs in at the console. Each counter
still names the demo officer who usually works it, so the banner can say who sits where.

Loading is idempotent (update by code); counters that already exist keep their state and
seated officer, so reloading during a demo day does not throw anyone off their counter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency, Sector
from motcua.core.models import Center, Floor
from motcua.queueing.models import Counter, CounterQueue, PriorityClass, Queue

from .loading import ensure_officer

# (code, name, rank): a lower rank is called first. The order follows how Vietnamese rules on
# receiving citizens list them; all are active.
PRIORITY_CLASSES = [
    ("nguoi-co-cong", "Người có công với cách mạng", 1),
    ("nguoi-khuyet-tat", "Người khuyết tật", 2),
    ("nguoi-cao-tuoi", "Người cao tuổi", 3),
    ("phu-nu-mang-thai", "Phụ nữ mang thai", 4),
    ("nuoi-con-nho", "Người đang nuôi con nhỏ dưới 36 tháng tuổi", 5),
]


@dataclass(frozen=True)
class QueueSpec:
    code: str
    name: str
    prefix: str
    agencies: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()  # sector names, as in the catalog
    daily_cap: int | None = None
    service_minutes: int = 8
    cutoff_minutes: int = 15


@dataclass(frozen=True)
class CounterSpec:
    number: int
    floor: str
    name: str
    queues: dict[str, int]  # queue code → weight
    officer: str | None = None  # the demo officer who usually works here (not seated)


@dataclass(frozen=True)
class FloorPlan:
    center: str
    queues: list[QueueSpec]
    counters: list[CounterSpec]
    officers: list[tuple[str, str]] = field(default_factory=list)  # (username, full name), reception role


_JUSTICE_SECTORS = ("Chứng thực", "Hộ tịch")

CANTHO = FloorPlan(
    center="cantho",
    queues=[
        QueueSpec("tu-phap", "Tư pháp – Chứng thực, hộ tịch, trợ giúp pháp lý", "A", ("so-tu-phap",),
                  _JUSTICE_SECTORS, service_minutes=6),
        QueueSpec("cong-an", "Công an – Cư trú, căn cước, lý lịch tư pháp", "B", ("cong-an",),
                  daily_cap=200, service_minutes=10),
        QueueSpec("tai-chinh", "Tài chính – Đăng ký kinh doanh, đầu tư", "C", ("so-tai-chinh",),
                  ("Hộ kinh doanh",), daily_cap=120, service_minutes=12),
        QueueSpec("nn-mt", "Nông nghiệp và Môi trường – Đất đai, tài nguyên", "D", ("so-nn-mt",),
                  daily_cap=100, service_minutes=15, cutoff_minutes=30),
        QueueSpec("xay-dung", "Xây dựng – Giấy phép xây dựng, giao thông", "E", ("so-xay-dung",), service_minutes=12),
        QueueSpec("cong-thuong", "Công Thương – An toàn thực phẩm, thương mại", "F", ("so-cong-thuong",),
                  service_minutes=10),
        QueueSpec("noi-vu", "Nội vụ – Lao động, việc làm, người có công", "G", ("so-noi-vu",), service_minutes=10),
        QueueSpec("y-te", "Y tế – Hành nghề khám bệnh, chữa bệnh", "H", ("so-y-te",), daily_cap=60,
                  service_minutes=12),
        QueueSpec("khcn", "Khoa học và Công nghệ", "K", ("so-khcn",), service_minutes=10),
        QueueSpec("bhxh", "Bảo hiểm xã hội – Thẻ bảo hiểm y tế, sổ BHXH", "L", ("bhxh",), service_minutes=8),
        QueueSpec("gd-dt", "Giáo dục và Đào tạo – Văn bằng, chứng chỉ", "M", ("so-gd-dt",), service_minutes=8),
        QueueSpec("vhttdl", "Văn hóa, Thể thao và Du lịch", "N", ("so-vhttdl",), service_minutes=10),
        QueueSpec("kcn", "Ban Quản lý các khu chế xuất và công nghiệp", "P", ("ban-qlkcn",), daily_cap=40,
                  service_minutes=15),
        QueueSpec("ho-tro", "Thu phí, hỗ trợ dịch vụ công trực tuyến và bưu chính", "Q", service_minutes=5),
    ],
    counters=[
        CounterSpec(1, "tret", "Tư pháp – Chứng thực", {"tu-phap": 1}, "tiepnhan.tuphap"),
        CounterSpec(2, "tret", "Tư pháp – Chứng thực", {"tu-phap": 1}, "tiepnhan.tuphap2"),
        CounterSpec(3, "tret", "Tư pháp – Hộ tịch", {"tu-phap": 1}),
        CounterSpec(4, "tret", "Công an – Căn cước", {"cong-an": 1}, "tiepnhan.congan"),
        CounterSpec(5, "tret", "Công an – Cư trú", {"cong-an": 1}, "tiepnhan.congan2"),
        CounterSpec(6, "tret", "Công an – Lý lịch, GPLX", {"cong-an": 1}),
        CounterSpec(7, "tret", "Đất đai – Môi trường", {"nn-mt": 1}, "tiepnhan.datdai"),
        CounterSpec(8, "tret", "Đất đai – Môi trường", {"nn-mt": 1}),
        CounterSpec(9, "tret", "Bảo hiểm xã hội", {"bhxh": 1}, "tiepnhan.bhxh"),
        CounterSpec(10, "tret", "Thu phí, lệ phí và hỗ trợ chung", {"ho-tro": 3, "tu-phap": 1, "cong-an": 1, "nn-mt": 1},
                    "tiepnhan"),
        CounterSpec(11, "lau-1", "Tài chính – Đăng ký DN", {"tai-chinh": 1}, "tiepnhan.dkkd"),
        CounterSpec(12, "lau-1", "Tài chính – Hộ kinh doanh", {"tai-chinh": 1}),
        CounterSpec(13, "lau-1", "Xây dựng", {"xay-dung": 1}, "tiepnhan.xaydung"),
        CounterSpec(14, "lau-1", "Công Thương", {"cong-thuong": 1}, "tiepnhan.congthuong"),
        CounterSpec(15, "lau-1", "Nội vụ", {"noi-vu": 1}, "tiepnhan.noivu"),
        CounterSpec(16, "lau-1", "Y tế", {"y-te": 1}, "tiepnhan.yte"),
        CounterSpec(17, "lau-1", "Khoa học và Công nghệ", {"khcn": 1}, "tiepnhan.khcn"),
        CounterSpec(18, "lau-1", "Giáo dục; Văn hóa, Du lịch", {"gd-dt": 1, "vhttdl": 1},
                    "tiepnhan.vanhoa"),
        CounterSpec(19, "lau-1", "Ban Quản lý KCX-CN", {"kcn": 1}, "tiepnhan.kcn"),
        CounterSpec(20, "lau-1", "Tổng hợp Lầu 1", {"tai-chinh": 2, "xay-dung": 1, "cong-thuong": 1, "noi-vu": 1}),
    ],
    officers=[
        ("tiepnhan.tuphap", "Nguyễn Thị Thanh Thủy"),
        ("tiepnhan.tuphap2", "Lâm Quốc Khánh"),
        ("tiepnhan.congan", "Trương Văn Hậu"),
        ("tiepnhan.congan2", "Huỳnh Thị Kim Ngân"),
        ("tiepnhan.datdai", "Phan Thanh Tùng"),
        ("tiepnhan.bhxh", "Dương Ngọc Trâm"),
        ("tiepnhan.dkkd", "Lý Hoàng Nam"),
        ("tiepnhan.xaydung", "Châu Minh Trí"),
        ("tiepnhan.congthuong", "Đỗ Thị Mỹ Linh"),
        ("tiepnhan.noivu", "Tạ Văn Lợi"),
        ("tiepnhan.yte", "Hồ Thị Bích Vân"),
        ("tiepnhan.khcn", "Mai Công Danh"),
        ("tiepnhan.vanhoa", "Kiều Thị Ngọc Hân"),
        ("tiepnhan.kcn", "Quách Tấn Phát"),
    ],
)  # fmt: skip


def _ward(center: str, officers: list[tuple[str, str]], counters: list[CounterSpec]) -> FloorPlan:
    """A ward center: justice, land-and-business, and a queue for everything else it receives."""
    queues = [
        QueueSpec("tu-phap", "Tư pháp – Hộ tịch, chứng thực", "A", sectors=_JUSTICE_SECTORS, service_minutes=6),
        QueueSpec("dat-dai", "Đất đai, xây dựng, kinh doanh", "B", ("so-nn-mt",),
                  ("Hoạt động xây dựng", "Hộ kinh doanh", "Lưu thông hàng hóa trong nước"), daily_cap=80,
                  service_minutes=12),
        # The ward's own procedures not matched above (social protection, education…), health
        # insurance and the science procedures any center receives.
        QueueSpec("tong-hop", "Văn hóa – xã hội, bảo hiểm y tế và lĩnh vực khác", "C", ("ubnd-xa", "bhxh", "so-khcn"),
                  service_minutes=8),
    ]  # fmt: skip
    return FloorPlan(center=center, queues=queues, counters=counters, officers=officers)


NINHKIEU = _ward(
    "ninhkieu",
    [("tiepnhan.ninhkieu2", "Võ Thị Hồng Nhung")],
    [
        CounterSpec(1, "tret", "Tư pháp – Hộ tịch", {"tu-phap": 1}, "tiepnhan.ninhkieu"),
        CounterSpec(2, "tret", "Tư pháp – Chứng thực", {"tu-phap": 1}),
        CounterSpec(3, "tret", "Đất đai, xây dựng, kinh doanh", {"dat-dai": 1}, "tiepnhan.ninhkieu2"),
        CounterSpec(4, "tret", "Văn hóa – xã hội, BHYT", {"tong-hop": 2, "tu-phap": 1}),
    ],
)
CAIRANG = _ward(
    "cairang",
    [("tiepnhan.cairang", "Trần Minh Luân"), ("tiepnhan.cairang2", "Nguyễn Thị Diễm My")],
    [
        CounterSpec(1, "tret", "Tư pháp – Hộ tịch, chứng thực", {"tu-phap": 1}, "tiepnhan.cairang"),
        CounterSpec(2, "tret", "Đất đai, xây dựng, kinh doanh", {"dat-dai": 1}, "tiepnhan.cairang2"),
        CounterSpec(3, "tret", "Văn hóa – xã hội, BHYT", {"tong-hop": 2, "tu-phap": 1}),
    ],
)
FLOOR_PLANS = [CANTHO, NINHKIEU, CAIRANG]


class DemoQueueingError(Exception):
    """The demo floor names an agency, sector or floor that the demo data does not have."""


def _lookup(model: type[Model], field_name: str, values: tuple[str, ...]) -> list[Any]:
    found = {getattr(row, field_name): row for row in model._default_manager.filter(**{f"{field_name}__in": values})}
    missing = sorted(set(values) - set(found))
    if missing:
        raise DemoQueueingError(f"{model.__name__} không có trong dữ liệu mẫu: {', '.join(missing)}")
    return [found[value] for value in values]


def load_priority_classes() -> None:
    for code, name, rank in PRIORITY_CLASSES:
        PriorityClass.objects.update_or_create(code=code, defaults={"name": name, "rank": rank, "is_active": True})


def _load_queue(center: Center, spec: QueueSpec) -> Queue:
    queue, _ = Queue.objects.update_or_create(
        center=center, code=spec.code,
        defaults={
            "name": spec.name, "prefix": spec.prefix, "number_start": 1, "number_end": 999, "wrap": False,
            "daily_cap": spec.daily_cap, "issue_cutoff_minutes": spec.cutoff_minutes,
            "default_service_minutes": spec.service_minutes, "is_active": True,
        },
    )  # fmt: skip
    queue.agencies.set(_lookup(Agency, "code", spec.agencies))
    queue.sectors.set(_lookup(Sector, "name", spec.sectors))
    return queue


def _load_counter(center: Center, spec: CounterSpec, queues: dict[str, Queue]) -> Counter:
    floor = Floor.objects.filter(center=center, code=spec.floor).first()
    if floor is None:
        raise DemoQueueingError(f"{center.code} không có tầng {spec.floor}")
    counter, _ = Counter.objects.update_or_create(
        center=center, number=spec.number,
        defaults={"floor": floor, "name": spec.name},
        create_defaults={"floor": floor, "name": spec.name, "state": Counter.State.CLOSED, "officer": None},
    )  # fmt: skip
    for code, weight in spec.queues.items():
        CounterQueue.objects.update_or_create(counter=counter, queue=queues[code], defaults={"weight": weight})
    CounterQueue.objects.filter(counter=counter).exclude(queue__code__in=spec.queues).delete()
    return counter


def load_floor_plan(plan: FloorPlan) -> None:
    center = Center.objects.get(code=plan.center)
    for username, full_name in plan.officers:
        ensure_officer(username, full_name, "reception_officer", plan.center, None)
    queues = {spec.code: _load_queue(center, spec) for spec in plan.queues}
    for spec in plan.counters:
        _load_counter(center, spec, queues)


@transaction.atomic
def load_demo_queueing() -> str:
    """Load priority classes and every center's floor plan; describe what is there afterwards."""
    load_priority_classes()
    for plan in FLOOR_PLANS:
        load_floor_plan(plan)
    centers = [plan.center for plan in FLOOR_PLANS]
    return _("%(priority)d nhóm ưu tiên, %(queues)d hàng đợi, %(counters)d quầy") % {
        "priority": PriorityClass.objects.count(),
        "queues": Queue.objects.filter(center__code__in=centers).count(),
        "counters": Counter.objects.filter(center__code__in=centers).count(),
    }


def counter_officers() -> list[tuple[str, int, str, str]]:
    """(center code, counter number, floor code, username) for each counter a demo officer works."""
    return [
        (plan.center, counter.number, counter.floor, counter.officer)
        for plan in FLOOR_PLANS
        for counter in plan.counters
        if counter.officer
    ]
