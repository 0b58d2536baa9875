"""The core admin through Django's test client: scoping by role and the session text form."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog, CalendarDay, Center


@pytest.fixture
def centers(organisation):
    return {c.code: c for c in Center.objects.all()}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def url(name: str, *args) -> str:
    return reverse(f"admin:core_{name}", args=args)


def _field_data(form) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form.initial.get(name, field.initial))
        if value is False or value is None:
            continue
        data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def change_form_data(response) -> dict[str, str]:
    """What a browser would post back unchanged from an admin change form (inlines included)."""
    data = _field_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_data(formset.management_form))
        for form in formset.initial_forms:
            data.update(_field_data(form))
    return data


# --- centers ------------------------------------------------------------------------------


def test_admin_sees_every_center_with_reception_hours(as_user, admin_user):
    response = as_user(admin_user).get(url("center_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    for code in ("cantho", "ninhkieu", "cairang"):
        assert code in content
    assert "07:00-10:30, 13:00-16:30" in content
    assert "giờ tiếp nhận" in content.lower()


def test_leader_sees_and_edits_only_their_center(as_user, leader, centers):
    client = as_user(leader)
    content = client.get(url("center_changelist")).content.decode()
    assert centers["cantho"].name in content
    assert centers["ninhkieu"].name not in content
    assert client.get(url("center_change", centers["ninhkieu"].pk)).status_code == 302
    response = client.get(url("center_change", centers["cantho"].pk))
    assert response.status_code == 200 and response.context["has_change_permission"]
    assert "unit_id" not in response.context["adminform"].form.fields  # admin-only field
    assert client.get(url("center_add")).status_code == 403


def test_leader_changes_reception_hours_as_text(as_user, leader, centers):
    client = as_user(leader)
    response = client.get(url("center_change", centers["cantho"].pk))
    data = change_form_data(response) | {"reception_sessions": "07:30-11:00, 13:30-16:00"}
    response = client.post(url("center_change", centers["cantho"].pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    centers["cantho"].refresh_from_db()
    assert centers["cantho"].reception_sessions == [["07:30", "11:00"], ["13:30", "16:00"]]
    assert AuditLog.objects.filter(action="core.center.updated", actor=leader).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00-10:00", "“25:00-10:00” có giờ không hợp lệ."),
        ("07:00-11:00, 10:00-12:00", "Các buổi phải theo thứ tự thời gian và không chồng nhau."),
        ("sáng 7 giờ", "“sáng 7 giờ” không đúng dạng giờ, ví dụ 07:00-11:30."),
    ],
)
def test_session_text_errors_are_shown_in_vietnamese(as_user, admin_user, centers, text, message):
    client = as_user(admin_user)
    center = centers["cantho"]
    data = change_form_data(client.get(url("center_change", center.pk))) | {"working_sessions": text}
    response = client.post(url("center_change", center.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["working_sessions"] == [message]
    center.refresh_from_db()
    assert center.working_sessions == [["07:00", "11:30"], ["13:30", "17:00"]]


def test_reception_officer_views_own_center_read_only(as_user, reception_officer, centers):
    client = as_user(reception_officer)
    response = client.get(url("center_change", centers["cantho"].pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    data = {"name": "Đổi tên", "reception_sessions": "07:00-10:00", "working_sessions": "07:00-17:00"}
    assert client.post(url("center_change", centers["cantho"].pk), data).status_code == 403
    assert client.get(url("center_change", centers["ninhkieu"].pk)).status_code == 302


def test_agency_officer_sees_no_center(as_user, agency_officer, centers):
    response = as_user(agency_officer).get(url("center_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


# --- calendar rows ------------------------------------------------------------------------


@pytest.fixture
def ninhkieu_row(centers):
    return CalendarDay.objects.create(center=centers["ninhkieu"], date=date(2026, 3, 2), kind="day_off", name="Nghỉ")


def test_leader_lists_province_rows_and_own_center_rows(as_user, leader, centers, ninhkieu_row):
    CalendarDay.objects.create(center=centers["cantho"], date=date(2026, 3, 3), kind="day_off", name="Riêng")
    response = as_user(leader).get(url("calendarday_changelist"), {"nam": "2026"})
    rows = list(response.context["cl"].result_list)
    assert any(r.center is None for r in rows)
    assert {r.center.code for r in rows if r.center} == {"cantho"}
    assert all(r.date.year == 2026 for r in rows)
    assert "16/02/2026" in response.content.decode()


def test_leader_adds_a_day_off_for_their_center(as_user, leader, centers):
    client = as_user(leader)
    response = client.get(url("calendarday_add"))
    assert list(response.context["adminform"].form.fields["center"].queryset) == [centers["cantho"]]
    data = {"date": "09/03/2026", "center": centers["cantho"].pk, "kind": "day_off", "name": "Tổng vệ sinh"}
    response = client.post(url("calendarday_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = CalendarDay.objects.get(center=centers["cantho"], date=date(2026, 3, 9))
    assert row.source == CalendarDay.Source.MANUAL
    assert AuditLog.objects.filter(action="core.calendar_day.created", object_id=str(row.pk)).exists()


def test_leader_cannot_add_rows_for_another_center_or_the_province(as_user, leader, centers):
    client = as_user(leader)
    for center in (centers["ninhkieu"].pk, ""):
        data = {"date": "09/03/2026", "center": center, "kind": "day_off", "name": "Nghỉ"}
        response = client.post(url("calendarday_add"), data)
        assert response.status_code == 200
        assert "center" in response.context["adminform"].form.errors
    assert not CalendarDay.objects.filter(date=date(2026, 3, 9)).exists()


def test_leader_cannot_edit_another_centers_row(as_user, leader, ninhkieu_row):
    client = as_user(leader)
    data = {"date": "02/03/2026", "center": ninhkieu_row.center_id, "kind": "workday", "name": "Đổi"}
    response = client.post(url("calendarday_change", ninhkieu_row.pk), data)
    assert response.status_code == 302  # "does not exist" for them: outside their scope
    ninhkieu_row.refresh_from_db()
    assert (ninhkieu_row.kind, ninhkieu_row.name) == ("day_off", "Nghỉ")
    assert client.post(url("calendarday_delete", ninhkieu_row.pk), {"post": "yes"}).status_code == 302
    assert CalendarDay.objects.filter(pk=ninhkieu_row.pk).exists()


def test_province_rows_are_read_only_for_a_leader(as_user, leader, organisation):
    row = CalendarDay.objects.get(center__isnull=True, date=date(2026, 2, 17))
    client = as_user(leader)
    response = client.get(url("calendarday_change", row.pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    data = {"date": "17/02/2026", "kind": "workday", "name": "Đổi"}
    assert client.post(url("calendarday_change", row.pk), data).status_code == 403
    assert client.post(url("calendarday_delete", row.pk), {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.kind == "holiday"


def test_admin_edits_a_package_row_which_becomes_manual(as_user, admin_user, organisation):
    row = CalendarDay.objects.get(center__isnull=True, date=date(2026, 2, 16))
    data = {"date": "16/02/2026", "center": "", "kind": "holiday", "name": "Nghỉ Tết (theo thông báo)"}
    response = as_user(admin_user).post(url("calendarday_change", row.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert (row.name, row.source) == ("Nghỉ Tết (theo thông báo)", CalendarDay.Source.MANUAL)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date": "17/02/2026", "center": "", "kind": "day_off", "name": "Trùng"},
            "Ngày 17/02/2026 đã có trong lịch (Tết Nguyên Đán); hãy sửa dòng đó.",
        ),
        (
            {"date": "03/03/2026", "center": "", "kind": "workday", "name": "Làm bù"},
            "Ngày làm bù phải là thứ Bảy, Chủ nhật hoặc một ngày nghỉ chung của tỉnh.",
        ),
    ],
)
def test_calendar_form_explains_mistakes_in_vietnamese(as_user, admin_user, organisation, data, message):
    response = as_user(admin_user).post(url("calendarday_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [message]


def test_a_center_may_work_on_a_province_holiday(as_user, leader, centers):
    data = {"date": "16/02/2026", "center": centers["cantho"].pk, "kind": "workday", "name": "Trực Tết"}
    response = as_user(leader).post(url("calendarday_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_admin_reseeds_the_years_of_selected_rows(as_user, admin_user, organisation):
    CalendarDay.objects.filter(date=date(2026, 9, 2)).delete()
    row = CalendarDay.objects.get(center__isnull=True, date=date(2026, 2, 17))
    data = {"action": "reseed_years", "_selected_action": [row.pk]}
    response = as_user(admin_user).post(url("calendarday_changelist"), data, follow=True)
    assert "Năm 2026: thêm 1 ngày, cập nhật 0, xóa 0." in response.content.decode()
    assert CalendarDay.objects.filter(date=date(2026, 9, 2), center__isnull=True).exists()


# --- audit log ----------------------------------------------------------------------------


@pytest.fixture
def audit_rows(centers, admin_user):
    from motcua.core.services import audit_log_write

    audit_log_write(actor=admin_user, action="core.test.cantho", center=centers["cantho"])
    audit_log_write(actor=admin_user, action="core.test.ninhkieu", center=centers["ninhkieu"])


def test_audit_log_is_read_only_and_scoped(as_user, admin_user, leader, reception_officer, audit_rows):
    client = as_user(admin_user)
    assert client.get(url("auditlog_changelist")).context["cl"].result_count == 2
    row = AuditLog.objects.get(action="core.test.cantho")
    response = client.get(url("auditlog_change", row.pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert client.post(url("auditlog_delete", row.pk), {"post": "yes"}).status_code == 403

    actions = [r.action for r in as_user(leader).get(url("auditlog_changelist")).context["cl"].result_list]
    assert actions == ["core.test.cantho"]
    assert as_user(reception_officer).get(url("auditlog_changelist")).status_code == 403
