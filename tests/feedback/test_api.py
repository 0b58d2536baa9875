"""The feedback API: ratings from kiosks and counter displays of the ticket's center, the pending
rating of a counter, the public scheme, and the citizen app's dossier assessment. Every error is
JSON with a code, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from motcua.core.models import Center
from motcua.devices.services import device_create
from motcua.feedback.models import DossierAssessment, TicketRating
from tests.api.citizen_helpers import error_of, token_for
from tests.online.conftest import make_citizen

from .conftest import ANSWERS, ASKED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scheme")]

RATINGS = "/api/v1/feedback/ticket-ratings"
MINUTE = timedelta(minutes=1)


def device(center, kind="kiosk") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Device {device_create(center=center, kind=kind, name='Thiết bị')[1]}"}


def post(client, path, body, **headers):
    return client.post(path, body, content_type="application/json", **headers)


@pytest.fixture
def after_service(served):
    with time_machine.travel(served.finished_at + 5 * MINUTE, tick=False):
        yield served


@pytest.fixture
def ninhkieu(organisation):
    return Center.objects.get(code="ninhkieu")


# --- POST /feedback/ticket-ratings --------------------------------------------------------------


def test_a_kiosk_rates_todays_ticket_by_its_code(client, center, after_service, counter):
    response = post(client, RATINGS, {"ticket": "b001", "answer": "very_satisfied", "comment": " Rất nhanh. "},
                    **device(center))  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ticket"] == {"id": after_service.pk, "code": "B001", "counter": counter.number,
                              "finished_at": body["ticket"]["finished_at"]}  # fmt: skip
    assert (body["answer"], body["comment"], body["channel"]) == ("very_satisfied", "Rất nhanh.", "kiosk")
    rating = TicketRating.objects.get()
    assert rating.device.kind == "kiosk" and rating.ticket == after_service


def test_a_counter_display_rates_by_id_as_the_tablet(client, center, after_service):
    response = post(client, RATINGS, {"ticket": after_service.pk, "answer": "satisfied"},
                    **device(center, "counter_display"))  # fmt: skip
    assert response.status_code == 201 and response.json()["channel"] == "tablet"


def test_refusals_are_409_with_the_services_code(client, center, after_service):
    auth = device(center)
    assert post(client, RATINGS, {"ticket": "B001", "answer": "satisfied"}, **auth).status_code == 201
    error = error_of(post(client, RATINGS, {"ticket": "B001", "answer": "satisfied"}, **auth), 409, "already_rated")
    assert error["message"] == "Lượt phục vụ của số B001 đã được đánh giá."


def test_too_late_and_not_served_are_409(client, center, served, queue):
    from motcua.queueing.services import ticket_issue

    auth = device(center)
    waiting = ticket_issue(queue=queue, channel="kiosk", now=served.finished_at)
    with time_machine.travel(served.finished_at + 3 * 60 * MINUTE, tick=False):
        error_of(post(client, RATINGS, {"ticket": served.pk, "answer": "satisfied"}, **auth), 409, "too_late")
        error_of(post(client, RATINGS, {"ticket": waiting.pk, "answer": "satisfied"}, **auth), 409, "not_served")


def test_a_device_of_another_center_or_of_another_kind_is_refused(client, center, ninhkieu, after_service):
    body = {"ticket": after_service.pk, "answer": "satisfied"}
    error_of(post(client, RATINGS, body, **device(ninhkieu)), 403, "forbidden")
    error_of(post(client, RATINGS, body, **device(center, "board")), 403, "forbidden")
    # By code, a device only ever looks at its own center: the other center has no such ticket.
    error_of(post(client, RATINGS, {"ticket": "B001", "answer": "satisfied"}, **device(ninhkieu)), 404, "not_found")
    assert not TicketRating.objects.exists()


def test_no_or_a_bad_device_token_is_401(client, after_service):
    body = {"ticket": after_service.pk, "answer": "satisfied"}
    error_of(post(client, RATINGS, body), 401, "unauthorized")
    error_of(post(client, RATINGS, body, HTTP_AUTHORIZATION="Device nope"), 401, "invalid_device_token")


@pytest.mark.parametrize(
    "body",
    [
        {"ticket": 1, "answer": "rat_hai_long"},
        {"ticket": 1, "answer": None},
        {"ticket": 1},
        {"ticket": "B-001", "answer": "satisfied"},
        {"ticket": "B001\x00", "answer": "satisfied"},
        {"ticket": 0, "answer": "satisfied"},
        {"ticket": 2**64, "answer": "satisfied"},
        {"ticket": [1], "answer": "satisfied"},
        {"ticket": 1, "answer": "satisfied", "comment": "x" * 2001},
    ],
)
def test_a_bad_body_is_422(client, center, after_service, body):
    error_of(post(client, RATINGS, body, **device(center)), 422, "invalid_parameter")


def test_garbage_json_and_unknown_tickets_never_crash(client, center, after_service):
    auth = device(center)
    response = client.post(RATINGS, "{not json", content_type="application/json", **auth)
    assert response.status_code in (400, 422) and "error" in response.json()
    error_of(post(client, RATINGS, {"ticket": 999999, "answer": "satisfied"}, **auth), 404, "not_found")
    error_of(post(client, RATINGS, {"ticket": "Z999", "answer": "satisfied"}, **auth), 404, "not_found")


# --- GET /feedback/counters/{id}/pending-rating -------------------------------------------------


def test_the_counter_display_learns_which_ticket_to_rate_then_nothing(client, center, counter, after_service):
    auth = device(center, "counter_display")
    url = f"/api/v1/feedback/counters/{counter.pk}/pending-rating"
    response = client.get(url, **auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ticket"]["code"] == "B001" and body["ticket"]["counter"] == 1
    assert body["rate_until"].startswith("2026-03-10T03:10:00")  # 08:10 local + 120 min, in UTC
    post(client, RATINGS, {"ticket": after_service.pk, "answer": "satisfied"}, **auth)
    assert client.get(url, **auth).status_code == 204


def test_pending_rating_is_for_devices_of_the_counters_center(client, center, ninhkieu, counter, after_service):
    url = f"/api/v1/feedback/counters/{counter.pk}/pending-rating"
    error_of(client.get(url, **device(ninhkieu, "counter_display")), 403, "forbidden")
    error_of(client.get(url), 401, "unauthorized")
    error_of(client.get("/api/v1/feedback/counters/999999/pending-rating", **device(center)), 404, "not_found")
    error_of(client.get("/api/v1/feedback/counters/0/pending-rating", **device(center)), 422, "invalid_parameter")


# --- GET /feedback/schemes/current --------------------------------------------------------------


def test_the_scheme_in_force_is_public(client):
    response = client.get("/api/v1/feedback/schemes/current")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "nd61-2018" and len(body["definition"]["indicators"]) == 9
    assert "Xuất sắc" in response.content.decode()  # readable Vietnamese, not \\u escapes


def test_no_scheme_in_force_is_404(client):
    from motcua.feedback.models import AssessmentScheme

    AssessmentScheme.objects.all().delete()
    error_of(client.get("/api/v1/feedback/schemes/current"), 404, "not_found")


# --- the citizen app's assessment (mounted by the citizen API; here under a test API) -----------

CITIZEN = "/api/v1/citizen/dossiers"


@pytest.fixture
def anh(db):
    """The applicant of the dossiers `make_intake` files (her ID number is on them)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(make_citizen('anh', '092190001234', 'Nguyễn Thị Ánh'))}"}


def test_the_app_shows_the_form_then_sends_the_assessment(client, anh, workhorse_returned):
    url = f"{CITIZEN}/{workhorse_returned.pk}/assessment"
    form = client.get(url, **anh).json()
    assert form["can_assess"] is True and form["scheme"]["code"] == "nd61-2018"
    assert form["derived"] == {str(n): {"score": 2, "source": "derived"} for n in (1, 2, 3)}
    response = post(client, url, {"scores": {str(n): s for n, s in ASKED.items()}, "answers": ANSWERS,
                                  "comment": "Cảm ơn."}, **anh)  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["grade"], body["grade_label"], body["channel"]) == (14, "tot", "Tốt", "app")
    assessment = DossierAssessment.objects.get()
    assert assessment.rater.username == "anh"
    again = client.get(url, **anh).json()
    assert again["can_assess"] is False and again["assessment"]["id"] == assessment.pk
    error_of(post(client, url, {"scores": ASKED, "answers": ANSWERS}, **anh), 409, "already_assessed")


def test_the_app_is_told_why_not_and_never_sees_anothers_dossier(client, anh, flow, workhorse_returned):
    from tests.dossiers.test_processing import make_procedure

    ready = flow.result_ready(make_procedure("DG.0100"))
    url = f"{CITIZEN}/{ready.pk}/assessment"
    assert client.get(url, **anh).json()["can_assess"] is False
    error_of(post(client, url, {"scores": ASKED, "answers": ANSWERS}, **anh), 409, "not_returned")
    stranger = {"HTTP_AUTHORIZATION": f"Bearer {token_for(make_citizen('binh', '092090001234'))}"}
    mine = f"{CITIZEN}/{workhorse_returned.pk}/assessment"
    error_of(client.get(mine, **stranger), 404, "not_found")
    error_of(post(client, mine, {"scores": ASKED, "answers": ANSWERS}, **stranger), 404, "not_found")
    error_of(post(client, mine, {"scores": ASKED, "answers": ANSWERS}), 401, "unauthorized")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"scores": ASKED, "answers": {"ease": "ok", "overall": "satisfied"}}, 422, "invalid_parameter"),
        ({"scores": {"4": "hai"}, "answers": ANSWERS}, 422, "invalid_parameter"),
        ({"scores": {"bốn": 2}, "answers": ANSWERS}, 422, "invalid_parameter"),
        ({"scores": ASKED}, 422, "invalid_parameter"),
        ({"scores": {**ASKED, 9: 5}, "answers": ANSWERS}, 409, "invalid_score"),
        ({"scores": {**ASKED, 99: 1}, "answers": ANSWERS}, 409, "invalid_score"),
        ({"scores": ASKED, "answers": {"overall": "satisfied"}}, 409, "missing_answer"),
        ({"scores": ASKED, "answers": {**ANSWERS, "toc_do": "satisfied"}}, 409, "invalid_answer"),
    ],
)
def test_bad_assessments_are_refused_in_json(client, anh, workhorse_returned, body, status, code):
    url = f"{CITIZEN}/{workhorse_returned.pk}/assessment"
    error_of(post(client, url, body, **anh), status, code)
    assert not DossierAssessment.objects.exists()
