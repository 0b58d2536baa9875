"""The queue admin through Django's test client: scoping by center, Vietnamese validation, read-only tickets."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from motcua.accounts.models import User
from motcua.core.models import AuditLog, Center, Floor
from motcua.queueing.models import Counter, CounterQueue, DailyNumber, Queue, Ticket
from motcua.queueing.services import ticket_issue

from .conftest import TUESDAY_8AM, make_counter, make_queue


def url(name: str, *args) -> str:
    return reverse(f"admin:queueing_{name}", args=args)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def ninhkieu(organisation):
    return Center.objects.get(code="ninhkieu")


@pytest.fixture
def own_queue(center):
    return make_queue(center, "tu-phap", name="Tư pháp – Chứng thực", prefix="A")


@pytest.fixture
def other_queue(ninhkieu):
    return make_queue(ninhkieu, "ho-tich", name="Hộ tịch phường Ninh Kiều", prefix="A")


def queue_form(center, **changes) -> dict[str, str]:
    data = {
        "center": str(center.pk), "code": "xay-dung", "name": "Xây dựng", "is_active": "on", "prefix": "E",
        "number_start": "1", "number_end": "999", "issue_cutoff_minutes": "15", "default_service_minutes": "8",
        "daily_cap": "",
    }  # fmt: skip
    return data | {key: str(value) for key, value in changes.items()}


def counter_form(center, *links, **changes) -> dict[str, str]:
    data = {
        "center": str(center.pk), "floor": str(Floor.objects.get(center=center, code="tret").pk), "number": "30",
        "name": "Quầy thử", "state": "closed", "officer": "",
        "queue_links-TOTAL_FORMS": str(len(links)), "queue_links-INITIAL_FORMS": "0",
        "queue_links-MIN_NUM_FORMS": "0", "queue_links-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, (queue, weight) in enumerate(links):
        data[f"queue_links-{index}-queue"] = str(queue.pk)
        data[f"queue_links-{index}-weight"] = str(weight)
    return data | {key: str(value) for key, value in changes.items()}


def errors_of(response) -> str:
    """Every error message on an admin form page, inline forms included, as one text."""
    texts = [str(e) for e in response.context["adminform"].form.errors.values()]
    for inline in response.context["inline_admin_formsets"]:
        texts += [str(e) for e in inline.formset.errors] + [str(e) for e in inline.formset.non_form_errors()]
    return " ".join(texts)


# --- queues --------------------------------------------------------------------------------------


def test_admin_lists_every_centers_queues_with_range_and_counters(as_user, admin_user, own_queue, other_queue):
    make_counter(own_queue.center, 3, [own_queue])
    make_counter(own_queue.center, 4, [own_queue])

    response = as_user(admin_user).get(url("queue_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tư pháp – Chứng thực" in content and "Hộ tịch phường Ninh Kiều" in content
    assert "A001–A999" in content
    assert "3, 4" in content


def test_leader_sees_and_edits_only_their_centers_queues(as_user, leader, own_queue, other_queue):
    client = as_user(leader)

    content = client.get(url("queue_changelist")).content.decode()

    assert own_queue.name in content
    assert other_queue.name not in content
    assert client.get(url("queue_change", other_queue.pk)).status_code == 302  # not found for them
    response = client.get(url("queue_change", own_queue.pk))
    assert response.status_code == 200 and response.context["has_change_permission"]
    centers = response.context["adminform"].form.fields["center"].queryset
    assert list(centers.values_list("code", flat=True)) == ["cantho"]


def test_leader_adds_a_queue_and_the_audit_log_records_it(as_user, leader, center):
    response = as_user(leader).post(url("queue_add"), queue_form(center, prefix="e"))

    assert response.status_code == 302
    queue = Queue.objects.get(center=center, code="xay-dung")
    assert queue.prefix == "E"  # letters are stored upper-case, as the board shows them
    assert AuditLog.objects.filter(action="queueing.queue.created", object_id=str(queue.pk), center=center).exists()


def test_leader_cannot_add_a_queue_to_another_center(as_user, leader, ninhkieu):
    response = as_user(leader).post(url("queue_add"), queue_form(ninhkieu))

    assert response.status_code == 200
    assert "center" in response.context["adminform"].form.errors
    assert not Queue.objects.filter(center=ninhkieu).exists()


def test_reception_officer_views_queues_read_only(as_user, reception_officer, own_queue, other_queue):
    client = as_user(reception_officer)

    content = client.get(url("queue_changelist")).content.decode()
    response = client.get(url("queue_change", own_queue.pk))

    assert own_queue.name in content and other_queue.name not in content
    assert response.status_code == 200 and not response.context["has_change_permission"]
    page = response.content.decode()
    assert "Trung tâm:" in page and "Center:" not in page
    assert client.post(url("queue_change", own_queue.pk), queue_form(own_queue.center)).status_code == 403
    assert client.get(url("queue_add")).status_code == 403


def test_agency_officer_has_no_queue_admin(as_user, agency_officer, own_queue):
    assert as_user(agency_officer).get(url("queue_changelist")).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"prefix": "A1"}, "prefix", "Tiền tố chỉ gồm chữ cái A–Z"),
        ({"prefix": "Đ"}, "prefix", "Tiền tố chỉ gồm chữ cái A–Z"),
        ({"number_start": "500", "number_end": "100"}, "number_end", "Số kết thúc phải lớn hơn hoặc bằng số bắt đầu (500)"),
        ({"daily_cap": "0"}, "daily_cap", "để trống nếu không giới hạn"),
        ({"prefix": "A"}, "prefix", "Tiền tố “A” đã dùng cho hàng đợi “Tư pháp – Chứng thực” của trung tâm này."),
    ],
)  # fmt: skip
def test_queue_errors_are_in_vietnamese(as_user, admin_user, own_queue, changes, field, message):
    response = as_user(admin_user).post(url("queue_add"), queue_form(own_queue.center, **changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])


def test_the_same_prefix_is_fine_at_another_center(as_user, admin_user, own_queue, ninhkieu):
    response = as_user(admin_user).post(url("queue_add"), queue_form(ninhkieu, prefix="A"))

    assert response.status_code == 302


# --- counters ------------------------------------------------------------------------------------


def test_counter_pages_render_for_admin_and_leader(as_user, admin_user, leader, own_queue, other_queue):
    own = make_counter(own_queue.center, 5, [own_queue])
    other = make_counter(other_queue.center, 1, [other_queue])
    own.floor = Floor.objects.get(center=own.center, code="lau-1")
    own.save()

    admin_list = as_user(admin_user).get(url("counter_changelist")).content.decode()
    leader_client = as_user(leader)
    leader_list = leader_client.get(url("counter_changelist")).content.decode()

    assert "Lầu 1" in admin_list and "Trung tâm PVHCC phường Ninh Kiều" in admin_list
    assert "Quầy 5" in leader_list and "Trung tâm PVHCC phường Ninh Kiều" not in leader_list
    assert leader_client.get(url("counter_change", own.pk)).status_code == 200
    assert leader_client.get(url("counter_change", other.pk)).status_code == 302
    assert leader_client.get(url("counter_add")).status_code == 200


def test_reception_officer_views_a_counter_with_floor_and_queues(as_user, reception_officer, own_queue):
    counter = make_counter(own_queue.center, 5, [own_queue])
    counter.floor = Floor.objects.get(center=counter.center, code="tret")
    counter.save()

    response = as_user(reception_officer).get(url("counter_change", counter.pk))

    page = response.content.decode()
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert "Tầng:" in page and "Tầng trệt" in page and "Floor" not in page


def test_leader_adds_a_counter_serving_two_queues_with_weights(as_user, leader, own_queue, center):
    second = make_queue(center, "ho-tro", prefix="Q")

    response = as_user(leader).post(url("counter_add"), counter_form(center, (own_queue, 1), (second, 3)))

    assert response.status_code == 302
    counter = Counter.objects.get(center=center, number=30)
    assert dict(CounterQueue.objects.filter(counter=counter).values_list("queue__code", "weight")) == {
        "tu-phap": 1, "ho-tro": 3,
    }  # fmt: skip
    assert counter.state == Counter.State.CLOSED and counter.officer is None
    assert AuditLog.objects.filter(action="queueing.counter.created", object_id=str(counter.pk)).exists()
    assert "Q (3), A" in as_user(leader).get(url("counter_changelist")).content.decode()


def test_counter_floor_must_belong_to_its_center(as_user, admin_user, own_queue, ninhkieu):
    foreign_floor = Floor.objects.get(center=ninhkieu, code="tret")
    data = counter_form(own_queue.center, (own_queue, 1), floor=foreign_floor.pk)

    response = as_user(admin_user).post(url("counter_add"), data)

    assert response.status_code == 200
    assert "không thuộc Trung tâm PVHCC TP. Cần Thơ" in errors_of(response)


def test_counter_cannot_serve_another_centers_queue(as_user, admin_user, own_queue, other_queue):
    response = as_user(admin_user).post(url("counter_add"), counter_form(own_queue.center, (other_queue, 1)))

    assert response.status_code == 200
    assert "thuộc trung tâm khác" in errors_of(response)
    assert not Counter.objects.filter(number=30).exists()


def test_officer_from_another_center_cannot_be_seated(as_user, admin_user, own_queue):
    outsider = User.objects.get(username="tiepnhan.ninhkieu")
    data = counter_form(own_queue.center, (own_queue, 1), officer=outsider.pk, state="open")

    response = as_user(admin_user).post(url("counter_add"), data)

    assert response.status_code == 200
    assert "không làm việc tại Trung tâm PVHCC TP. Cần Thơ" in errors_of(response)


def test_officer_already_at_a_counter_cannot_take_a_second(as_user, admin_user, own_queue, reception_officer):
    make_counter(own_queue.center, 1, [own_queue], officer=reception_officer)
    data = counter_form(own_queue.center, (own_queue, 1), officer=reception_officer.pk, state="open")

    response = as_user(admin_user).post(url("counter_add"), data)

    assert "đang làm việc ở quầy số 1" in errors_of(response)


def test_an_open_counter_needs_an_officer(as_user, admin_user, own_queue):
    response = as_user(admin_user).post(url("counter_add"), counter_form(own_queue.center, (own_queue, 1), state="open"))

    assert "phải có cán bộ làm việc" in errors_of(response)


def test_leader_sees_only_their_centers_queues_and_officers_as_choices(as_user, leader, own_queue, other_queue):
    response = as_user(leader).get(url("counter_add"))

    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert list(inline_form.fields["queue"].queryset) == [own_queue]
    officers = set(response.context["adminform"].form.fields["officer"].queryset.values_list("username", flat=True))
    assert "tiepnhan" in officers and "tiepnhan.ninhkieu" not in officers


def test_counter_with_a_citizen_at_the_desk_keeps_its_officer(as_user, admin_user, own_queue, reception_officer):
    counter = make_counter(own_queue.center, 1, [own_queue], officer=reception_officer)
    Counter.objects.filter(pk=counter.pk).update(state=Counter.State.OPEN)
    ticket = ticket_issue(queue=own_queue, channel="kiosk", now=TUESDAY_8AM)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.SERVING, counter=counter)
    data = counter_form(own_queue.center, number=1, state="closed", officer="")
    data |= {"queue_links-TOTAL_FORMS": "1", "queue_links-INITIAL_FORMS": "1"}
    data |= {"queue_links-0-id": str(counter.queue_links.get().pk), "queue_links-0-counter": str(counter.pk),
             "queue_links-0-queue": str(own_queue.pk), "queue_links-0-weight": "1"}  # fmt: skip

    response = as_user(admin_user).post(url("counter_change", counter.pk), data)

    assert response.status_code == 200
    assert "đang phục vụ số A001" in errors_of(response)
    counter.refresh_from_db()
    assert counter.officer == reception_officer


# --- priority classes ----------------------------------------------------------------------------


def test_only_a_province_administrator_edits_priority_classes(as_user, admin_user, leader, elderly):
    leader_client = as_user(leader)
    response = leader_client.get(url("priorityclass_change", elderly.pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert leader_client.get(url("priorityclass_add")).status_code == 403

    admin_client = as_user(admin_user)
    data = {"code": "cao-tuoi", "name": "Người cao tuổi (từ đủ 60 tuổi)", "rank": "2", "is_active": "on"}
    assert admin_client.post(url("priorityclass_change", elderly.pk), data).status_code == 302
    elderly.refresh_from_db()
    assert elderly.rank == 2
    assert AuditLog.objects.filter(action="queueing.priority_class.updated").exists()


# --- tickets -------------------------------------------------------------------------------------


@pytest.fixture
def tickets(own_queue, other_queue):
    return [ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM) for queue in (own_queue, other_queue)]


def test_ticket_list_shows_the_business_date_and_is_scoped(as_user, admin_user, reception_officer, tickets):
    admin_response = as_user(admin_user).get(url("ticket_changelist"))
    officer_response = as_user(reception_officer).get(url("ticket_changelist"))

    content = admin_response.content.decode()
    assert "10/03/2026" in content and "08:00" in content and "Hộ tịch phường Ninh Kiều" in content
    assert len(admin_response.context["cl"].result_list) == 2
    assert [t.queue.code for t in officer_response.context["cl"].result_list] == ["tu-phap"]
    assert "Hộ tịch phường Ninh Kiều" not in officer_response.content.decode()


def test_ticket_search_finds_a_code_typed_without_zeros(as_user, admin_user, own_queue, tickets):
    ticket_issue(queue=own_queue, channel="kiosk", now=TUESDAY_8AM)

    response = as_user(admin_user).get(url("ticket_changelist"), {"q": "a2"})

    assert [t.code for t in response.context["cl"].result_list] == ["A002"]


def test_ticket_page_shows_history_and_is_read_only(as_user, admin_user, tickets):
    ticket = tickets[0]
    client = as_user(admin_user)

    response = client.get(url("ticket_change", ticket.pk))

    assert response.status_code == 200
    assert not response.context["has_change_permission"] and not response.context["has_delete_permission"]
    content = response.content.decode()
    assert "Cấp số" in content and "08:00:00 10/03/2026" in content and "kênh: kiosk" in content
    assert 'name="_save"' not in content
    assert client.post(url("ticket_change", ticket.pk), {"status": "done"}).status_code == 403
    assert client.get(url("ticket_add")).status_code == 403
    assert client.post(url("ticket_delete", ticket.pk), {"post": "yes"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


def test_ticket_list_query_count_does_not_grow_with_rows(as_user, admin_user, own_queue, django_assert_max_num_queries):
    client = as_user(admin_user)
    ticket_issue(queue=own_queue, channel="kiosk", now=TUESDAY_8AM)
    with django_assert_max_num_queries(20) as few:
        client.get(url("ticket_changelist"))
    for _ in range(15):
        ticket_issue(queue=own_queue, channel="kiosk", now=TUESDAY_8AM)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("ticket_changelist"))


def test_daily_numbers_are_not_in_the_admin():
    assert DailyNumber not in admin.site._registry
    assert Ticket in admin.site._registry
    with pytest.raises(NoReverseMatch):
        url("dailynumber_changelist")


def test_opening_a_counter_in_the_admin_leaves_a_counter_history_row(as_user, leader, own_queue, reception_officer):
    from motcua.queueing.models import CounterEvent

    data = counter_form(own_queue.center, (own_queue, 1), officer=reception_officer.pk, state="open")

    response = as_user(leader).post(url("counter_add"), data)

    assert response.status_code == 302
    counter = Counter.objects.get(center=own_queue.center, number=30)
    row = CounterEvent.objects.get(counter=counter)
    assert (row.action, row.from_state, row.to_state, row.officer) == (
        "queueing.counter.set_by_admin",
        "",
        "open",
        leader,
    )
