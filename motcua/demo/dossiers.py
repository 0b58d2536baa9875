"""Demo dossiers at the Can Tho center: one of each situation a reception officer, a specialist
and a leader meet, made through the real services with past `now` values.

Each dossier is received some working days before today and moved along the way an officer
would have moved it, so codes, due times, step outcomes, the timeline and the deadline flags
are exactly what the services compute. Runs once: a center that already has dossiers is left
alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.fees import fee_amount
from motcua.catalog.models import Procedure
from motcua.core.calendar import LOCAL_TZ, WorkingCalendar, calendar_for_center
from motcua.core.models import Center
from motcua.dossiers import services as s
from motcua.dossiers.deadlines import dossier_flag_deadlines
from motcua.dossiers.models import Dossier

# (name, ID number, phone) of fictitious applicants; 092 is Can Tho's ID prefix.
APPLICANTS = [
    ("Nguyễn Thị Ánh", "092190001234", "0912345678"), ("Trần Văn Bình", "092085004321", "0987654321"),
    ("Lê Thị Cẩm", "092301007788", "0909123456"), ("Công ty TNHH Mekong Tech", "1801234567", "02923888999"),
    ("Phạm Quốc Dũng", "092088003344", "0939111222"), ("Võ Thị Én", "092196005566", "0918777666"),
    ("Huỳnh Minh Phát", "092079009900", "0977333444"), ("Đỗ Thị Giang", "092199002211", "0966555888"),
    ("Trường Đại học Tây Đô", "1800275390", "02923740666"), ("Bùi Văn Hậu", "092092006677", "0945222333"),
]  # fmt: skip
PDF_RESULT = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # fmt: skip


@dataclass
class _Day:
    """Moments counted in working days back from today, at a clock time (local)."""

    calendar: WorkingCalendar
    today: date

    def ago(self, days: int, clock: str = "08:30") -> datetime:
        """`days` working days before the base day, at `clock`."""
        day = self.today
        for _ in range(days):
            day -= timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
        return datetime.combine(day, time.fromisoformat(clock), tzinfo=LOCAL_TZ)


def _intake(code: str, n: int) -> s.Intake:
    procedure = Procedure.objects.get(code=code)
    snapshot = procedure.versions.order_by("-number").first().snapshot  # type: ignore[union-attr]
    name, national_id, phone = APPLICANTS[n % len(APPLICANTS)]
    kind = "organisation" if national_id.startswith("18") else "person"
    documents = tuple(
        s.ProvidedDocument(index=i, originals=d["originals"], certified_copies=d["certified_copies"],
                           plain_copies=d["plain_copies"])
        for i, d in enumerate(snapshot["documents"])
    )  # fmt: skip
    fees = tuple(
        s.FeeLine(name=f.name, amount=fee_amount(f), paid=True, method="cash", receipt_number=f"BL{2026000 + n:07d}")
        for f in procedure.fees.all() if fee_amount(f) > 0
    )  # fmt: skip
    return s.Intake(procedure=procedure, applicant=s.Applicant(name=name, kind=kind, national_id=national_id,
                    phone=phone, address="Ninh Kiều, thành phố Cần Thơ"), documents=documents, fees=fees)  # fmt: skip


class _Story:
    """One dossier's life, told through the services."""

    def __init__(self, center: Center, people: dict[str, User], day: _Day) -> None:
        self.center, self.people, self.day = center, people, day

    def accept(self, code: str, n: int, days_ago: int, clock: str = "08:30") -> Dossier:
        return s.dossier_accept(officer=self.people["tiepnhan"], intake=_intake(code, n), center=self.center,
                                now=self.day.ago(days_ago, clock))  # fmt: skip

    def act(self, service: Callable[..., Any], dossier: Dossier, who: str, days_ago: int, clock: str, **kw: Any) -> Dossier:
        dossier.refresh_from_db()
        service(officer=self.people[who], dossier=dossier, expected_version=dossier.version,
                now=self.day.ago(days_ago, clock), **kw)  # fmt: skip
        dossier.refresh_from_db()
        return dossier

    def forward(self, dossier: Dossier, days_ago: int) -> Dossier:
        return self.act(s.dossier_forward, dossier, "tiepnhan", days_ago, "10:00")

    def hand_over(self, dossier: Dossier, who: str, days_ago: int, clock: str = "15:00") -> Dossier:
        return self.act(s.dossier_hand_over, dossier, who, days_ago, clock, note="Đã thẩm định, chuyển bước tiếp theo.")

    def finish(self, dossier: Dossier, leader: str, days_ago: int) -> Dossier:
        """Hand over whatever steps remain, then approve the result and mark it ready."""
        while dossier.steps.filter(started_at__isnull=True).exists():
            dossier = self.hand_over(dossier, "chuyenvien.khcn", days_ago + 1, "10:00")
        self.act(s.dossier_approve_result, dossier, leader, days_ago, "09:00", kind="both",
                 document_number=f"{dossier.pk:03d}/GCN-SKHCN",
                 file=SimpleUploadedFile("ket-qua.pdf", PDF_RESULT, content_type="application/pdf"))  # fmt: skip
        return self.act(s.dossier_mark_result_ready, dossier, leader, days_ago, "09:30")


def _stories(story: _Story) -> list[str]:
    told = []
    d = story.forward(story.accept("1.014390", 0, 14), 14)
    d = story.hand_over(d, "chuyenvien.khcn", 13)
    d = story.hand_over(d, "chuyenvien.khcn", 8)
    d = story.finish(d, "lanhdao.khcn", 6)
    story.act(s.dossier_return_at_counter, d, "tiepnhan", 5, "14:00", collected_by_name=d.applicant_name,
              collected_by_national_id=d.applicant_national_id)  # fmt: skip
    told.append("đã trả kết quả")
    d = story.forward(story.accept("1.014391", 1, 9), 9)
    story.finish(d, "lanhdao.khcn", 2)
    told.append("chờ trả kết quả")
    d = story.forward(story.accept("1.014390", 2, 3), 3)
    d = story.act(s.dossier_assign, d, "lanhdao.khcn", 3, "14:00", assignee=story.people["chuyenvien.khcn"])
    story.hand_over(d, "chuyenvien.khcn", 1)
    told.append("đang thẩm định")
    d = story.forward(story.accept("1.014445", 3, 4), 4)
    story.act(s.dossier_request_supplement, d, "chuyenvien.khcn", 1, "10:00", reason="Thiếu hồ sơ năng lực",
              items=[{"document": "Báo cáo năng lực khoa học và công nghệ", "note": "bản chính, có chữ ký"}])  # fmt: skip
    told.append("chờ bổ sung")
    d = story.forward(story.accept("1.014390", 4, 11), 11)
    story.act(s.dossier_issue_apology, d, "lanhdao.khcn", 3, "16:00", reason="Cần xác minh thêm tại cơ sở.",
              new_due_at=story.day.calendar.add_working_time(story.day.ago(0, "16:00"), timedelta(hours=24)))  # fmt: skip
    told.append("trễ hạn có thư xin lỗi")
    story.forward(story.accept("1.014391", 5, 12), 12)
    told.append("quá hạn")
    story.forward(story.accept("1.014391", 9, 9, "14:00"), 9)
    told.append("sắp đến hạn")
    story.accept("1.014390", 6, 0, "16:20")
    told.append("mới tiếp nhận")
    return told


def _walk_ins(story: _Story) -> list[str]:
    officer = story.people["tiepnhan"]
    s.dossier_submit(intake=_intake("1.014436", 7), center=story.center, now=story.day.ago(1, "20:15"))
    s.dossier_refuse(officer=officer, reason="Hồ sơ không thuộc thẩm quyền giải quyết của thành phố.",
                     intake=_intake("1.014390", 8), center=story.center, now=story.day.ago(2, "09:10"))  # fmt: skip
    return ["nộp trực tuyến chờ tiếp nhận", "từ chối tiếp nhận"]


def _last_full_working_day(calendar: WorkingCalendar, now: datetime) -> date:
    """The latest working day already over at `now`: every story moment is then in the past."""
    day = now.astimezone(LOCAL_TZ).date()
    while not (calendar.is_working_day(day) and calendar.end_of_working_day(day) <= now):
        day -= timedelta(days=1)
    return day


@transaction.atomic
def load_demo_dossiers(*, now: datetime | None = None) -> str:
    """A dozen dossiers in every situation at the Can Tho center (once)."""
    now = now or timezone.now()
    center = Center.objects.get(code="cantho")
    if Dossier.objects.filter(receiving_center=center).exists():
        return "đã có sẵn"
    people = {u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien.khcn", "lanhdao.khcn"])}
    calendar = calendar_for_center(center)
    story = _Story(center, people, _Day(calendar, _last_full_working_day(calendar, now)))
    told = _stories(story) + _walk_ins(story)
    flags = dossier_flag_deadlines(now=now)
    return f"{len(told)} hồ sơ ({', '.join(told)}); {flags}"

