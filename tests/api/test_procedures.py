"""GET /api/v1/procedures, /procedures/{code} and /procedures/{code}/appointment."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from motcua.api import schemas
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_search
from motcua.catalog.services import procedure_upsert
from motcua.core.calendar import procedure_due_at
from motcua.core.models import Center

from .catalog_data import PROCEDURES, load_search_catalog, procedure_spec

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def catalog(organisation):
    load_search_catalog()


def get(client, url: str, status: int = 200, HTTP_ACCEPT_LANGUAGE: str = "vi", **params):  # noqa: N803
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_error(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


# --- list ----------------------------------------------------------------------------------


def test_search_returns_summaries_in_rank_order(client, catalog):
    body = get(client, "/api/v1/procedures", q="chung thuc ban sao", limit=3)
    assert body["count"] == procedure_search(query="chung thuc ban sao").count
    assert [item["code"] for item in body["items"]] == [
        p.code for p in procedure_search(query="chung thuc ban sao", limit=3).items
    ]
    first = body["items"][0]
    assert first == {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "agency": {"code": "ubnd-xa", "name": "Ủy ban nhân dân cấp xã (nơi tiếp nhận)"},
        "sector": {"code": "chung-thuc", "name": "Chứng thực"},
        "online_level": "none",
        "time": {"value": 0.0, "unit": "same_day", "text": "Trong ngày (nhận sau 15:00 trả ngày làm việc tiếp theo)"},
        "fee": "2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang thứ 3); tối đa 200.000 đ/bản",
    }


def test_search_without_diacritics_and_with_a_typo(client, catalog):
    accented = get(client, "/api/v1/procedures", q="đăng ký khai sinh")
    assert accented == get(client, "/api/v1/procedures", q="dang ky khai sinh")
    assert accented["items"][0]["code"] == "1.001193"
    assert get(client, "/api/v1/procedures", q="khai sinhh")["items"][0]["code"] == "1.001193"


def test_list_without_query_pages_through_everything_by_code(client, catalog):
    first = get(client, "/api/v1/procedures", limit=5)
    second = get(client, "/api/v1/procedures", limit=5, offset=5)
    assert first["count"] == second["count"] == len(PROCEDURES)
    codes = [item["code"] for item in first["items"] + second["items"]]
    assert codes == sorted(row[0] for row in PROCEDURES)[:10]
    assert len(get(client, "/api/v1/procedures")["items"]) == 20  # default limit
    assert get(client, "/api/v1/procedures", offset=500)["items"] == []


def test_filters(client, catalog):
    body = get(client, "/api/v1/procedures", agency="so-noi-vu")
    assert {item["agency"]["code"] for item in body["items"]} == {"so-noi-vu"}
    assert body["count"] == 4
    assert get(client, "/api/v1/procedures", sector="viec-lam", q="gia han")["items"][0]["code"] == "1.014201"
    at_cairang = [item["code"] for item in get(client, "/api/v1/procedures", center="cairang")["items"]]
    assert at_cairang == ["1.001193", "2.000635", "2.000815", "2.000908"]  # incl. a location-independent one
    assert get(client, "/api/v1/procedures", agency="khong-co")["count"] == 0


def test_list_runs_one_query_once_the_index_is_built(client, catalog, django_assert_num_queries):
    client.get("/api/v1/procedures")  # builds the index
    with django_assert_num_queries(2):  # per request, the index's freshness check; items come from the index
        get(client, "/api/v1/procedures", limit=100)
        get(client, "/api/v1/procedures", q="giay phep", limit=100, HTTP_ACCEPT_LANGUAGE="en")


def _more_fee_kinds() -> None:
    """Two fees (the list shows the first and how many more), and a fee note without fees."""
    procedure_upsert(spec=procedure_spec(next(row for row in PROCEDURES if row[0] == "1.009974")) | {"fees": [
        {"name": "Lệ phí cấp giấy phép", "amount": 75000, "per": "giấy phép"},
        {"name": "Phí thẩm định", "kind": "tiered", "unit": "m²", "per": "", "cap": None,
         "tiers": [{"from_quantity": 1, "to_quantity": 100, "unit_price": 500}]}]})  # fmt: skip
    procedure_upsert(spec=procedure_spec(PROCEDURES[0]) | {"fee_note": "Theo biểu phí của tỉnh"})


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_items_are_the_procedure_summaries(client, catalog, language):
    # The list serves cards made once per index and language; they must equal what the
    # detail endpoint's `procedure_summary` makes from the rows, field for field.
    _more_fee_kinds()
    body = get(client, "/api/v1/procedures", limit=100, HTTP_ACCEPT_LANGUAGE=language)
    procedures = Procedure.objects.select_related("agency", "sector").prefetch_related("fees__tiers")
    with translation.override(language):
        expected = {p.code: schemas.procedure_summary(p) for p in procedures}
    assert body["items"] == [expected[item["code"]] for item in body["items"]]
    assert len(body["items"]) == len(expected) == body["count"]
    fees = {item["code"]: item["fee"] for item in body["items"]}
    assert fees[PROCEDURES[0][0]] == "Theo biểu phí của tỉnh"
    assert fees["1.009974"].startswith("75.000 đ/giấy phép (")


def test_list_shows_a_changed_fee_at_once(client, catalog):
    assert get(client, "/api/v1/procedures", q="2.000884")["items"][0]["fee"] == "10.000 đ/trường hợp"
    spec = procedure_spec(next(row for row in PROCEDURES if row[0] == "2.000884"))
    procedure_upsert(spec=spec | {"fees": [{"name": "Phí chứng thực chữ ký", "amount": 20000, "per": "trường hợp"}]})
    assert get(client, "/api/v1/procedures", q="2.000884")["items"][0]["fee"] == "20.000 đ/trường hợp"


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"limit": "abc"}, {"offset": -1}, {"offset": "x"}, {"q": "a" * 201}],
)
def test_bad_paging_or_query_is_422_json(client, catalog, params):
    body = get(client, "/api/v1/procedures", 422, **params)
    assert_error(body, "invalid_parameter")
    assert body["error"]["message"].startswith("Tham số không hợp lệ")
    assert body["error"]["fields"][0]["name"] == next(iter(params))


# --- detail --------------------------------------------------------------------------------


def test_detail_has_documents_fees_and_time(client, catalog):
    body = get(client, "/api/v1/procedures/2.000815")
    assert body["documents"][0] == {
        "name": "Bản chính giấy tờ", "originals": 1, "certified_copies": 0, "plain_copies": 0,
        "show_only": False, "replaced_by": None, "note": "",
    }  # fmt: skip
    assert body["fees"] == [{
        "name": "Phí chứng thực bản sao", "kind": "tiered", "amount": 0, "unit": "trang", "per": "bản",
        "cap": 200000, "note": "",
        "tiers": [{"from_quantity": 1, "to_quantity": 2, "unit_price": 2000},
                  {"from_quantity": 3, "to_quantity": None, "unit_price": 1000}],
        "description": "2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang thứ 3); tối đa 200.000 đ/bản",
    }]  # fmt: skip
    assert body["time"]["cutoff"] == "15:00"
    assert {c["code"] for c in body["centers"]} == {"ninhkieu", "cairang"}
    assert body["version"] == 1
    assert body["location_independent"] is False


def test_detail_has_steps_legal_basis_and_dates(client, catalog):
    body = get(client, "/api/v1/procedures/2.000488")
    assert body["steps"] == [
        {"name": "Tiếp nhận hồ sơ", "agency": None, "time": {"value": 0.5, "unit": "working_days",
                                                             "text": "0,5 ngày làm việc"}},
        {"name": "Tra cứu, xác minh", "agency": {"code": "cong-an", "name": "Công an thành phố Cần Thơ"},
         "time": {"value": 9.0, "unit": "calendar_days", "text": "9 ngày"}},
    ]  # fmt: skip
    assert body["legal_basis"] == "Luật Lý lịch tư pháp năm 2009"
    assert body["effective_date"] == "2025-07-01"
    assert body["time"] == {"value": 10.0, "unit": "calendar_days", "cutoff": None, "text": "10 ngày"}
    assert body["online_level"] == "partial"


def test_detail_of_a_flat_fee_and_of_a_location_independent_procedure(client, catalog):
    assert get(client, "/api/v1/procedures/2.000884")["fees"][0]["description"] == "10.000 đ/trường hợp"
    assert get(client, "/api/v1/procedures/2.000635")["location_independent"] is True


def test_unknown_or_retired_procedure_is_404_json(client, catalog):
    assert_error(get(client, "/api/v1/procedures/9.999999", 404), "not_found")
    procedure_upsert(spec=procedure_spec(PROCEDURES[0]) | {"is_active": False})
    body = get(client, f"/api/v1/procedures/{PROCEDURES[0][0]}", 404)
    assert PROCEDURES[0][0] in body["error"]["message"]


# --- appointment ---------------------------------------------------------------------------


def test_same_day_procedure_after_the_cutoff_is_due_the_next_working_day(client, catalog):
    url = "/api/v1/procedures/2.000815/appointment"
    before = get(client, url, center="ninhkieu", accepted_at="2025-07-01T09:00:00")
    assert before == {"accepted_at": "2025-07-01T09:00:00+07:00", "due_at": "2025-07-01T17:00:00+07:00"}
    after = get(client, url, center="ninhkieu", accepted_at="2025-07-01T16:00:00")
    assert after["due_at"] == "2025-07-02T17:00:00+07:00"
    # An offset is respected: 09:00 UTC is 16:00 in Vietnam.
    assert get(client, url, center="ninhkieu", accepted_at="2025-07-01T09:00:00Z") == {
        "accepted_at": "2025-07-01T16:00:00+07:00", "due_at": "2025-07-02T17:00:00+07:00"
    }


def test_working_day_procedure_uses_the_centers_calendar(client, catalog):
    accepted = datetime(2025, 7, 4, 14, 0, tzinfo=VN)
    body = get(client, "/api/v1/procedures/1.014200/appointment", center="cantho", accepted_at=accepted.isoformat())
    procedure = Procedure.objects.get(code="1.014200")
    due = procedure_due_at(procedure=procedure, center=Center.objects.get(code="cantho"), accepted_at=accepted)
    assert body["due_at"] == due.isoformat()
    assert datetime.fromisoformat(body["due_at"]).weekday() < 5


def test_appointment_defaults_to_now_and_to_the_province_calendar(client, catalog):
    body = get(client, "/api/v1/procedures/1.014200/appointment")
    accepted = datetime.fromisoformat(body["accepted_at"])
    assert accepted.utcoffset().total_seconds() == 7 * 3600
    assert abs((accepted - timezone.now()).total_seconds()) < 120
    assert datetime.fromisoformat(body["due_at"]) > accepted


def test_no_time_limit_gives_no_due_date(client, catalog):
    body = get(client, "/api/v1/procedures/2.000829/appointment", center="cantho", accepted_at="2025-07-01T09:00")
    assert body["due_at"] is None


def test_appointment_errors(client, catalog):
    url = "/api/v1/procedures/2.000815/appointment"
    assert_error(get(client, url, 404, center="khong-co"), "not_found")
    assert_error(get(client, "/api/v1/procedures/9.9/appointment", 404), "not_found")
    for bad in ["hôm qua", "2025-13-01T09:00", "2025-02-30"]:
        assert_error(get(client, url, 422, accepted_at=bad), "invalid_parameter")
