"""GET /api/v1/centers, /centers/{code}/calendar/{year}, and the API's error shape everywhere."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from motcua.core.models import CalendarDay, Center

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) >= {"code", "message"}
    return body["error"]


def test_centers_are_listed_in_display_order_with_floors(client, organisation):
    body = client.get("/api/v1/centers").json()
    assert [c["code"] for c in body] == ["cantho", "ninhkieu", "cairang"]
    city = body[0]
    assert city["level"] == "city"
    assert city["address"].startswith("109 Nguyễn Trãi")
    assert city["unit_id"] == "000.00.00.H13"
    assert city["reception_sessions"] == [["07:00", "10:30"], ["13:00", "16:30"]]
    assert city["working_sessions"] == [["07:00", "11:30"], ["13:30", "17:00"]]
    assert city["floors"] == [{"code": "tret", "name": "Tầng trệt"}, {"code": "lau-1", "name": "Lầu 1"}]


def test_inactive_centers_are_not_listed(client, organisation):
    Center.objects.filter(code="cairang").update(is_active=False)
    assert [c["code"] for c in client.get("/api/v1/centers").json()] == ["cantho", "ninhkieu"]


def test_calendar_lists_holidays_and_make_up_days(client, organisation):
    cantho = Center.objects.get(code="cantho")
    CalendarDay.objects.create(date=date(2026, 5, 9), center=cantho, kind="workday", name="Làm bù ngày 30/4")
    CalendarDay.objects.create(date=date(2026, 9, 3), center=cantho, kind="day_off", name="Nghỉ thêm")
    body = client.get("/api/v1/centers/cantho/calendar/2026").json()
    assert body["center"] == "cantho" and body["year"] == 2026
    assert {"date": "2026-01-01", "name": "Tết Dương lịch", "kind": "holiday", "scope": "province"} in body["days_off"]
    assert {"date": "2026-09-03", "name": "Nghỉ thêm", "kind": "day_off", "scope": "center"} in body["days_off"]
    assert {"date": "2026-05-09", "name": "Làm bù ngày 30/4", "kind": "workday", "scope": "center"} in body["make_up_days"]
    assert [d["date"] for d in body["days_off"]] == sorted(d["date"] for d in body["days_off"])
    other = client.get("/api/v1/centers/ninhkieu/calendar/2026").json()
    assert "2026-09-03" not in {d["date"] for d in other["days_off"]}
    assert "2026-05-09" not in {d["date"] for d in other["make_up_days"]}


@pytest.mark.parametrize("year", ["1999", "2101", "abc"])
def test_calendar_year_out_of_range_is_422(client, organisation, year):
    assert error_of(client.get(f"/api/v1/centers/cantho/calendar/{year}"), 422)["code"] == "invalid_parameter"


def test_calendar_of_an_unknown_center_is_404(client, organisation):
    error = error_of(client.get("/api/v1/centers/khong-co/calendar/2026"), 404)
    assert error == {"code": "not_found", "message": "Không tìm thấy trung tâm có mã khong-co."}


def test_the_api_root_points_to_the_docs(client, db):
    assert client.get("/api/v1/").json()["docs"] == "http://testserver/api/v1/docs"


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/x/", "/api/v1/procedures/2.000815/extra/x", "/api/v1/centers/"])
def test_unknown_api_paths_are_404_json(client, db, path):
    assert error_of(client.get(path), 404)["code"] == "not_found"


def test_wrong_method_is_405_json(client, db):
    response = client.post("/api/v1/procedures", {})
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_unexpected_errors_are_logged_and_answered_without_a_traceback(client, organisation, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr("motcua.api.api.procedure_search_summaries", broken)
    with caplog.at_level(logging.ERROR, logger="motcua.api.errors"):
        response = client.get("/api/v1/procedures")
    error = error_of(response, 500)
    assert error["code"] == "internal_error"
    assert "exploded" not in response.content.decode() and "Traceback" not in response.content.decode()
    assert "index exploded" in caplog.text


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/procedures/{code}/appointment",
            "/api/v1/centers", "/api/v1/centers/{code}/calendar/{year}"} <= set(schema["paths"])  # fmt: skip
    assert client.get("/api/v1/docs").status_code == 200
