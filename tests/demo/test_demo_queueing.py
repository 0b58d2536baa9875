"""The demo center floor: priority classes, queues by agency, counters on two floors, counter officers."""

from __future__ import annotations

from collections import Counter as Tally

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from motcua.accounts.models import RoleAssignment, User
from motcua.catalog.models import Procedure
from motcua.core.models import Center
from motcua.demo.organisation import DEMO_PASSWORD
from motcua.demo.queueing import CANTHO, FLOOR_PLANS, counter_officers, load_demo_queueing
from motcua.queueing.admin import QueueForm
from motcua.queueing.models import Counter, CounterQueue, PriorityClass, Queue
from motcua.queueing.selectors import queue_for_procedure
from motcua.queueing.services import counter_sign_in


@pytest.fixture
def floor(demo_catalog):
    return load_demo_queueing()


def _center(code: str) -> Center:
    return Center.objects.get(code=code)


def test_summary_counts_what_was_loaded(floor):
    assert floor == "5 nhóm ưu tiên, 20 hàng đợi, 27 quầy"


def test_five_active_priority_classes_with_distinct_ranks(floor):
    classes = list(PriorityClass.objects.all())

    assert {c.name for c in classes} == {
        "Người cao tuổi", "Người khuyết tật", "Phụ nữ mang thai", "Người đang nuôi con nhỏ dưới 36 tháng tuổi",
        "Người có công với cách mạng",
    }  # fmt: skip
    assert all(c.is_active for c in classes)
    assert sorted(c.rank for c in classes) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("code", "queues", "counters"), [("cantho", 14, 20), ("ninhkieu", 3, 4), ("cairang", 3, 3)])
def test_each_center_has_its_queues_and_counters(floor, code, queues, counters):
    center = _center(code)

    assert Queue.objects.filter(center=center, is_active=True).count() == queues
    assert Counter.objects.filter(center=center).count() == counters
    assert not Queue.objects.filter(center=center, counter_links__isnull=True).exists()  # every queue is served


def test_city_counters_sit_on_both_floors(floor):
    by_floor = Tally(Counter.objects.filter(center__code="cantho").values_list("floor__code", flat=True))

    assert by_floor == {"tret": 10, "lau-1": 10}


def test_every_demo_queue_passes_the_admin_checks(floor):
    for queue in Queue.objects.all():
        data = {field: getattr(queue, field) for field in QueueForm.Meta.fields if field not in {"agencies", "sectors", "procedures"}}
        data["center"] = queue.center_id
        form = QueueForm(data=data, instance=queue)
        assert form.is_valid(), (queue.code, form.errors)
        assert queue.prefix.isalpha() and queue.prefix.isupper()


def test_prefixes_run_a_b_c_at_the_city_center(floor):
    prefixes = list(Queue.objects.filter(center__code="cantho").order_by("prefix").values_list("prefix", flat=True))

    assert prefixes == list("ABCDEFGHKLMNPQ")  # I and O are skipped: on a board they read as 1 and 0


def test_busy_agencies_have_counters_side_by_side(floor):
    cantho = Queue.objects.filter(center__code="cantho").annotate(counters_serving=Count("counter_links"))
    counters = {q.code: q.counters_serving for q in cantho}

    for code in ("tu-phap", "cong-an", "tai-chinh", "nn-mt"):
        assert counters[code] >= 3, code  # two or three of their own, plus a general counter
    assert dict(CounterQueue.objects.filter(counter__center__code="cantho", counter__number=10).values_list(
        "queue__code", "weight"
    )) == {"ho-tro": 3, "tu-phap": 1, "cong-an": 1, "nn-mt": 1}  # fmt: skip
    assert Counter.objects.get(center__code="cantho", number=10).name == "Thu phí, lệ phí và hỗ trợ chung"


def test_some_queues_have_a_daily_cap(floor):
    capped = dict(Queue.objects.filter(center__code="cantho", daily_cap__isnull=False).values_list("code", "daily_cap"))

    assert capped["cong-an"] == 200 and capped["nn-mt"] == 100
    assert Queue.objects.filter(center__code="cantho", daily_cap__isnull=True).count() >= 8


def test_counters_start_closed_with_nobody_seated(floor):
    assert set(Counter.objects.values_list("state", flat=True)) == {Counter.State.CLOSED}
    assert not Counter.objects.filter(officer__isnull=False).exists()


@pytest.mark.parametrize("code", ["cantho", "ninhkieu", "cairang"])
def test_every_procedure_received_at_a_center_maps_to_one_of_its_queues(floor, code):
    center = _center(code)
    received = Procedure.objects.filter(Q(centers=center) | Q(location_independent=True), is_active=True).distinct()

    unmapped = [p.code for p in received if queue_for_procedure(center=center, procedure=p) is None]

    assert received.count() >= 30
    assert unmapped == []


@pytest.mark.parametrize(
    ("procedure", "queue"),
    [
        ("2.000829", "tu-phap"),  # legal aid: the justice department
        ("2.000815", "tu-phap"),  # certification of copies: received by the justice counters
        ("2.000200", "cong-an"),  # ID card
        ("2.000720", "tai-chinh"),  # household business: business registration
        ("2.001610", "tai-chinh"),
        ("1.012756", "nn-mt"),  # land registration
        ("1.014137", "bhxh"),
    ],
)
def test_city_procedures_land_in_the_expected_queue(floor, procedure, queue):
    found = queue_for_procedure(center=_center("cantho"), procedure=Procedure.objects.get(code=procedure))

    assert found is not None and found.code == queue


def test_ward_center_sends_social_protection_to_the_general_queue(floor):
    procedure = Procedure.objects.get(code="1.001776")

    assert queue_for_procedure(center=_center("ninhkieu"), procedure=procedure).code == "tong-hop"
    assert queue_for_procedure(center=_center("cairang"), procedure=Procedure.objects.get(code="1.009974")).code == "dat-dai"


def test_counter_officers_are_reception_officers_of_their_center(floor):
    officers = counter_officers()

    assert len(officers) >= 15
    assert ("cantho", 10, "tret", "tiepnhan") in officers  # the existing account keeps working, at a counter
    for center, _number, _floor, username in officers:
        user = User.objects.get(username=username)
        assert user.is_active and user.is_staff and not user.is_superuser
        assert user.check_password(DEMO_PASSWORD)
        assert RoleAssignment.objects.filter(user=user, role="reception_officer", center__code=center).exists()
    assert len({username for *_, username in officers}) == len(officers)  # one usual counter each


def test_every_plan_counter_serves_queues_of_its_own_plan(floor):
    for plan in FLOOR_PLANS:
        codes = {q.code for q in plan.queues}
        for spec in plan.counters:
            assert set(spec.queues) <= codes, (plan.center, spec.number)
    assert len(CANTHO.counters) == 20


def _snapshot() -> dict[str, list]:
    return {
        "queues": list(Queue.objects.order_by("pk").values()),
        "queue_agencies": list(Queue.agencies.through.objects.order_by("pk").values()),
        "queue_sectors": list(Queue.sectors.through.objects.order_by("pk").values()),
        "counters": list(Counter.objects.order_by("pk").values()),
        "links": list(CounterQueue.objects.order_by("pk").values()),
        "priorities": list(PriorityClass.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "username", "password", "full_name")),
        "roles": list(RoleAssignment.objects.order_by("pk").values()),
    }


def test_loading_twice_changes_nothing(floor):
    before = _snapshot()

    again = load_demo_queueing()

    assert again == floor
    assert _snapshot() == before


def test_reloading_during_the_day_leaves_seated_officers_alone(floor):
    counter = Counter.objects.get(center__code="cantho", number=1)
    officer = User.objects.get(username="tiepnhan.tuphap")
    counter_sign_in(counter=counter, officer=officer)

    load_demo_queueing()

    counter.refresh_from_db()
    assert counter.officer == officer and counter.state == Counter.State.OPEN


def test_demo_load_command_twice_reports_the_same_floor(db, capsys):
    call_command("demo_load", "--no-history")
    first = capsys.readouterr().out
    call_command("demo_load", "--no-history")
    second = capsys.readouterr().out

    assert "Hàng đợi và quầy: 5 nhóm ưu tiên, 20 hàng đợi, 27 quầy." in first
    assert "Hàng đợi và quầy: 5 nhóm ưu tiên, 20 hàng đợi, 27 quầy." in second
    assert "54 không đổi" in second


def test_banner_lists_the_queue_screens_and_counter_officers(floor, capsys):
    call_command("demo_banner")
    out = capsys.readouterr().out

    for path in ("/board/cantho/", "/board/cantho/tret/", "/board/cantho/lau-1/", "/console/", "/kiosk/cantho/lay-so/"):
        assert f"http://127.0.0.1:8000{path}" in out
    assert "Quầy 1 (Tầng trệt)" in out and "tiepnhan.tuphap" in out and "Nguyễn Thị Thanh Thủy" in out
    assert "Quầy 11 (Lầu 1)" in out and "tiepnhan.dkkd" in out
