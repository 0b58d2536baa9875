"""/api/v1/citizen/…: one citizen's token never reaches another's drafts, files, dossiers or
result — every try is the same 404 as an id that does not exist, and nothing changes. Also the
supplement sent from the app and today's queue number."""

# ruff: noqa: F811
from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache

from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.online import services
from motcua.online.models import Attachment, Draft
from motcua.queueing.models import Ticket
from tests.api.citizen_helpers import (
    error_of,
    get,
    send,
    submitted_draft,
    token_for,
    upload,
    with_released_result,
)
from tests.dossiers.conftest import TUESDAY_8AM
from tests.online.conftest import NOW, make_citizen, pdf_bytes, png_bytes, stream

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen_a(demo_catalog):
    return make_citizen("binh", "092090001234")


@pytest.fixture
def citizen_b(demo_catalog):
    return make_citizen("an", "092190005678", name="Lê Thị An")


@pytest.fixture
def a_world(citizen_a, center):
    """A's open draft with a file, and A's dossier (scans, a released electronic result)."""
    from motcua.catalog.models import Procedure

    workhorse = Procedure.objects.get(code="1.014390")
    sent = services.draft_start(citizen=citizen_a, procedure=workhorse, center=center, now=NOW)
    dossier = submitted_draft(sent)
    with_released_result(dossier)
    draft = services.draft_start(citizen=citizen_a, procedure=workhorse, center=center, now=NOW)
    attachment = services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="a.pdf", now=NOW)
    document = dossier.documents.exclude(scan="").first()
    return {"draft": draft, "attachment": attachment, "dossier": Dossier.objects.get(pk=dossier.pk), "document": document}


def _state() -> tuple:
    drafts = tuple(Draft.objects.order_by("pk").values_list("pk", "status", "answers", "updated_at"))
    dossiers = tuple(Dossier.objects.order_by("pk").values_list("pk", "status", "version"))
    return (drafts, dossiers, Attachment.objects.count(), DossierDocument.objects.count(),
            AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed").count())  # fmt: skip


def test_citizen_b_reaches_nothing_of_citizen_a(client, a_world, citizen_a, citizen_b):
    token_a, token_b = token_for(citizen_a), token_for(citizen_b)
    draft, dossier = a_world["draft"].pk, a_world["dossier"].pk
    attachment, document = a_world["attachment"].pk, a_world["document"].pk
    own = send(client, "post", "/drafts", token_b, {"procedure": "1.014390", "center": "cantho"}).json()["id"]
    before = _state()
    applicant = {"name": "Lê Thị An", "national_id": "092190005678", "return_method": "counter"}
    tries = [
        get(client, f"/drafts/{draft}", token_b),
        send(client, "put", f"/drafts/{draft}/applicant", token_b, applicant),
        upload(client, f"/drafts/{draft}/documents/1", token_b, pdf_bytes()),
        send(client, "post", f"/drafts/{draft}/documents/2", token_b, {"answer": "not_applicable"}),
        send(client, "post", f"/drafts/{draft}/documents/1", token_b, {"reuse": attachment}),
        send(client, "post", f"/drafts/{draft}/submit", token_b),
        send(client, "post", f"/drafts/{own}/documents/1", token_b, {"reuse": attachment}),  # my draft, A's file
        get(client, f"/attachments/{attachment}/file", token_b),
        get(client, f"/dossiers/{dossier}", token_b),
        get(client, f"/dossiers/{dossier}/result", token_b),
        get(client, f"/dossiers/{dossier}/documents/{document}", token_b),
        upload(client, f"/dossiers/{dossier}/supplement/1", token_b, pdf_bytes()),
    ]  # fmt: skip
    for response in tries:
        error_of(response, 404, "not_found")
    assert _state() == before
    assert get(client, "/dossiers", token_b).json() == {"count": 0, "items": []}
    assert [row["id"] for row in get(client, "/drafts", token_b).json()] == [own]
    assert get(client, "/attachments", token_b).json()["count"] == 0
    # The owner does reach them all (so the 404s above are about ownership, not broken URLs).
    for path in (f"/drafts/{draft}", f"/attachments/{attachment}/file", f"/dossiers/{dossier}",
                 f"/dossiers/{dossier}/result", f"/dossiers/{dossier}/documents/{document}"):  # fmt: skip
        assert get(client, path, token_a).status_code == 200, path


def test_a_document_of_another_dossier_is_not_reachable_through_mine(client, a_world, citizen_a, citizen_b, center):
    from motcua.catalog.models import Procedure

    theirs = services.draft_start(citizen=citizen_b, procedure=Procedure.objects.get(code="1.014390"), center=center,
                                  now=NOW)  # fmt: skip
    their_dossier = submitted_draft(theirs)
    their_document = their_dossier.documents.exclude(scan="").first()
    mine = a_world["dossier"].pk
    error_of(get(client, f"/dossiers/{mine}/documents/{their_document.pk}", token_for(citizen_a)), 404, "not_found")


def test_unknown_ids_look_the_same_as_other_peoples(client, citizen_b):
    token = token_for(citizen_b)
    for path in ("/drafts/999999", "/dossiers/999999", "/dossiers/999999/result", "/attachments/999999/file",
                 "/dossiers/1/documents/1", f"/drafts/{2**63 - 1}"):  # fmt: skip
        error_of(get(client, path, token), 404, "not_found")
    error_of(get(client, f"/drafts/{2**63}", token), 422)


def test_a_result_not_yet_released_is_not_downloadable(client, a_world, citizen_a):
    Dossier.objects.filter(pk=a_world["dossier"].pk).update(status=4)
    token = token_for(citizen_a)
    error_of(get(client, f"/dossiers/{a_world['dossier'].pk}/result", token), 404, "not_found")
    assert get(client, f"/dossiers/{a_world['dossier'].pk}", token).json()["result"] is None


def test_a_dossier_filed_at_the_counter_in_my_id_number_is_mine(client, procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_accept
    from tests.dossiers.conftest import make_intake

    owner = make_citizen("anh", "092190001234", name="Nguyễn Thị Ánh")  # make_intake's applicant
    dossier = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
    listed = get(client, "/dossiers", token_for(owner)).json()
    assert [item["code"] for item in listed["items"]] == [dossier.code]


# --- a supplement from the app ---------------------------------------------------------------------


@pytest.fixture
def waiting_for_supplement(a_world, reception_officer, khcn_officer, citizen_a, center):
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import dossier_accept, dossier_request_supplement

    draft = services.draft_start(citizen=citizen_a, procedure=Procedure.objects.get(code="1.014390"), center=center,
                                 now=NOW)  # fmt: skip
    submitted = submitted_draft(draft)
    dossier = dossier_accept(officer=reception_officer, dossier=submitted, expected_version=submitted.version, now=NOW)
    dossier = Dossier.objects.get(pk=dossier.pk)
    dossier_request_supplement(officer=khcn_officer, dossier=dossier, expected_version=dossier.version,
                               items=[{"document": "Bản sao quyết định thành lập"}],
                               reason="Thiếu quyết định thành lập", now=NOW)  # fmt: skip
    return Dossier.objects.get(pk=dossier.pk)


def test_the_citizen_sends_a_supplement_from_the_app(client, waiting_for_supplement, citizen_a, citizen_b):
    dossier, token = waiting_for_supplement, token_for(citizen_a)
    detail = get(client, f"/dossiers/{dossier.pk}", token).json()
    assert detail["supplement"]["reason"] == "Thiếu quyết định thành lập"
    assert detail["supplement"]["items"] == [{"item": 1, "name": "Bản sao quyết định thành lập"}]
    url = f"/dossiers/{dossier.pk}/supplement/1"
    wrong = upload(client, url, token, b"plain text", "qd.pdf")
    assert "không phải PDF" in error_of(wrong, 422, "invalid_file")["message"]
    error_of(upload(client, f"/dossiers/{dossier.pk}/supplement/2", token, png_bytes(), "qd.png"), 422,
             "supplement.no_item")  # fmt: skip
    error_of(upload(client, url, token_for(citizen_b), png_bytes(), "qd.png"), 404, "not_found")
    sent = upload(client, url, token, png_bytes(), "qd.png")
    assert sent.status_code == 201, sent.content
    assert sent.json()["dossier_status"] == 5 and sent.json()["document"]["supplement"] is True
    event = Dossier.objects.get(pk=dossier.pk).events.get(action="dossier.supplement_uploaded")
    assert (event.actor, event.actor_kind) == (citizen_a, "citizen")
    after = get(client, f"/dossiers/{dossier.pk}", token).json()["supplement"]["sent"]
    assert len(after) == 1 and after[0]["file_url"]
    # A dossier without an open request says so.
    error_of(upload(client, f"/dossiers/{dossier.pk - 1}/supplement/1", token, png_bytes()), 409, "supplement.none")


# --- today's queue number ----------------------------------------------------------------------------


@pytest.fixture
def queue(center):
    from tests.queueing.conftest import make_counter, make_queue

    queue = make_queue(center, "b", name="Tư pháp – Chứng thực, hộ tịch")
    make_counter(center, 1, [queue])
    return queue


def test_a_number_for_today_from_the_app(client, citizen_a, queue):
    token = token_for(citizen_a)
    with time_machine.travel(TUESDAY_8AM, tick=False):
        centers = get(client, "/centers", token).json()
        cantho = next(c for c in centers if c["code"] == "cantho")
        assert cantho["queues"][0]["code"] == "b" and cantho["queues"][0]["waiting"] == 0
        response = send(client, "post", "/tickets", token, {"center": "cantho", "queue": "b"})
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    body = response.json()
    assert (body["code"], body["token"], ticket.channel) == ("B001", ticket.token, Ticket.Channel.WEB)
    assert body["tracking_url"].endswith(f"/so/{ticket.token}/")
    assert body["status_api"] == f"/api/v1/queue/tickets/by-token/{ticket.token}"
    assert client.get(body["status_api"]).json()["code"] == "B001"
    assert AuditLog.objects.get(action="queueing.ticket.issued_online").actor == citizen_a


def test_queue_refusals_are_409_with_the_service_code(client, citizen_a, queue, settings):
    from tests.queueing.conftest import local

    token = token_for(citizen_a)
    with time_machine.travel(local(2026, 3, 8, 9, 0), tick=False):  # a Sunday
        refused = error_of(send(client, "post", "/tickets", token, {"center": "cantho", "queue": "b"}), 409)
    assert refused["code"].startswith("queueing.issue.") and "không phải ngày làm việc" in refused["message"]
    settings.MOTCUA = {**settings.MOTCUA, "WEB_TICKETS_PER_DAY": 1}
    with time_machine.travel(TUESDAY_8AM, tick=False):
        assert send(client, "post", "/tickets", token, {"center": "cantho", "queue": "b"}).status_code == 201
        error_of(send(client, "post", "/tickets", token, {"center": "cantho", "queue": "b"}), 409,
                 "queueing.issue.web_daily_limit")  # fmt: skip
        error_of(send(client, "post", "/tickets", token, {"center": "cantho", "queue": "x"}), 404, "not_found")
    error_of(send(client, "post", "/tickets", None, {"center": "cantho", "queue": "b"}), 401, "unauthorized")
    assert Ticket.objects.count() == 1
