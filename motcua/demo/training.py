"""A training center for the demo: open every day, all day, so the floor can be tried any time.

The Can Tho centers follow the real calendar and reception hours, so on a Sunday or at night
their kiosks rightly refuse numbers. Provinces keep a practice environment for training staff;
this is it: a center whose own calendar rows make every day a working day, with reception from
00:00 to 23:59, a few queues and counters, and the demo reception officer allowed to sit there.
"""

from __future__ import annotations

from datetime import date, timedelta

from motcua.core.calendar import calendar_for_center
from motcua.core.models import CalendarDay, Center, Floor

from .loading import ensure_officer
from .queueing import CounterSpec, FloorPlan, QueueSpec, load_floor_plan

CODE = "dao-tao"
ALL_DAY = [["00:00", "23:59"]]

TRAINING = FloorPlan(
    center=CODE,
    queues=[
        QueueSpec("tu-phap", "Tư pháp – Chứng thực, hộ tịch", "A", ("so-tu-phap",), ("Chứng thực", "Hộ tịch"),
                  service_minutes=6, cutoff_minutes=0),
        QueueSpec("tong-hop", "Đất đai, kinh doanh và lĩnh vực khác", "B", ("so-nn-mt", "so-tai-chinh", "ubnd-xa"),
                  service_minutes=10, cutoff_minutes=0),
    ],  # fmt: skip
    counters=[
        CounterSpec(1, "tret", "Tư pháp", {"tu-phap": 1}, "tiepnhan"),
        CounterSpec(2, "tret", "Đất đai, kinh doanh", {"tong-hop": 1}),
        CounterSpec(3, "tret", "Quầy hỗ trợ chung", {"tong-hop": 2, "tu-phap": 1}),
    ],
)


def _center() -> Center:
    center, _created = Center.objects.update_or_create(
        code=CODE,
        defaults={
            "name": "Trung tâm chạy thử – đào tạo cán bộ (dữ liệu mẫu)",
            "short_name": "Trung tâm chạy thử",
            "level": Center.Level.OTHER,
            "address": "Môi trường đào tạo, không tiếp nhận hồ sơ thật",
            # Its own series of dossier codes, so practice dossiers never take a real center's numbers.
            "unit_id": "000.99.00.H13",
            "reception_sessions": ALL_DAY,
            "working_sessions": ALL_DAY,
            "ordering": 9,
        },
    )
    Floor.objects.update_or_create(center=center, code="tret", defaults={"name": "Tầng trệt", "ordering": 0})
    return center


def _open_every_day(center: Center, today: date, days: int) -> int:
    """A center `workday` row for each day off in the window (a center row wins over the province's)."""
    calendar, added = calendar_for_center(center), 0
    for offset in range(-7, days):
        day = today + timedelta(days=offset)
        if calendar.is_working_day(day):
            continue
        _row, created = CalendarDay.objects.get_or_create(
            date=day,
            center=center,
            defaults={"kind": CalendarDay.Kind.WORKDAY, "name": "Chạy thử", "source": CalendarDay.Source.MANUAL},
        )
        added += created
    return added


def load_training_center(*, today: date, days: int = 400) -> Center:
    center = _center()
    ensure_officer("tiepnhan", "Trần Thị Hoa", "reception_officer", CODE, None)
    load_floor_plan(TRAINING)
    _open_every_day(center, today, days)
    return center
