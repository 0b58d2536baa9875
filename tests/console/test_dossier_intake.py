"""Dossier intake at the counter: find the procedure, one form, three outcomes, the slip, the desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, DossierSlip
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_call_next

from .conftest import TUESDAY_8AM, issue

pytestmark = pytest.mark.django_db

JUDICIAL = "2.000488"  # Cấp Phiếu lý lịch tư pháp: Công an, Can Tho only, a flat fee
NINH_KIEU_ONLY = "1.001193"  # Đăng ký khai sinh: commune centers, not Can Tho


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Form tokens live in the cache: a token of an earlier test must not answer for this one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def at_desk(demo_catalog, desk, queue_b, reception_officer, clock):
    """Counter 1 has called B001; the reception officer sits there."""
    issue(queue_b)
    return ticket_call_next(counter=desk, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=30))


def intake_url(desk, **query):
    url = reverse("console:dossier_intake", kwargs={"pk": desk.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def form_data(code, ticket, *, token="a" * 32, **overrides):
    """What the intake form posts for `code`: every line handed in as required, fees paid in cash."""
    snapshot = Procedure.objects.get(code=code).versions.order_by("-number").first().snapshot
    data = {
        "token": token, "ticket": str(ticket.pk), "procedure": code, "applicant_kind": "person",
        "applicant_name": "Nguyễn Thị Ánh", "applicant_national_id": "092190001234", "applicant_phone": "0912345678",
        "applicant_email": "anh@example.com", "applicant_address": "12 Hòa Bình, Ninh Kiều", "return_method": "counter",
        "doc-TOTAL_FORMS": str(len(snapshot["documents"])), "doc-INITIAL_FORMS": "0",
        "fee-TOTAL_FORMS": str(len(snapshot["fees"])), "fee-INITIAL_FORMS": "0",
    }  # fmt: skip
    for i, doc in enumerate(snapshot["documents"]):
        data |= {f"doc-{i}-provided": "on", f"doc-{i}-originals": str(doc.get("originals") or 0),
                 f"doc-{i}-certified_copies": "0", f"doc-{i}-plain_copies": str(doc.get("plain_copies") or 0)}  # fmt: skip
    for i, fee in enumerate(snapshot["fees"]):
        data |= {f"fee-{i}-name": fee["name"], f"fee-{i}-amount": fee["amount"] or "0", f"fee-{i}-quantity": "1",
                 f"fee-{i}-paid": "on", f"fee-{i}-method": "cash", f"fee-{i}-receipt_number": f"BL-{i}"}  # fmt: skip
    return data | overrides


# ---- step 1 ---------------------------------------------------------------------------------


def test_search_lists_only_procedures_received_here(officer_client, desk, at_desk):
    page = officer_client.get(intake_url(desk, q="ly lich tu phap"))
    assert page.status_code == 200
    assert page.context["ticket"] == at_desk
    codes = [item["code"] for item in page.context["results"]]
    assert codes[0] == JUDICIAL
    everything = officer_client.get(intake_url(desk, q=""))
    assert NINH_KIEU_ONLY not in [item["code"] for item in everything.context["results"]]
    assert everything.context["count"] == Procedure.objects.filter(is_active=True).filter(
        centers__code="cantho").count() + Procedure.objects.filter(location_independent=True).exclude(
        centers__code="cantho").count()  # fmt: skip


def test_instant_results_are_the_list_alone(officer_client, desk, at_desk):
    fragment = officer_client.get(intake_url(desk, q="2.000488", khung="1"))
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert 'data-testid="procedure-2.000488"' in html
    assert "<html" not in html


def test_a_procedure_not_received_here_is_refused_with_a_reason(officer_client, desk, at_desk):
    page = officer_client.get(intake_url(desk, thu_tuc=NINH_KIEU_ONLY))
    assert "không được tiếp nhận tại" in page.context["problem"]
    assert "intake_search.html" in [t.name.split("/")[-1] for t in page.templates]


def test_the_form_is_prefilled_from_the_procedure(officer_client, desk, at_desk):
    page = officer_client.get(intake_url(desk, thu_tuc=JUDICIAL))
    assert page.status_code == 200
    snapshot = page.context["snapshot"]
    rows = page.context["rows"]
    assert [row.name for row in rows] == [doc["name"] for doc in snapshot["documents"]]
    first = rows[0].form
    assert first.initial["originals"] == (snapshot["documents"][0].get("originals") or 0)
    fee = page.context["fee_forms"][0]
    assert fee.initial["name"] == snapshot["fees"][0]["name"]
    assert fee.initial["amount"] == f"{int(snapshot['fees'][0]['amount']):,}".replace(",", ".")
    assert page.context["form"].initial["ticket"] == at_desk.pk
    assert len(page.context["form"].initial["token"]) == 32
    assert page.context["forms"].agencies is None  # the police decide: no commune to choose


def test_a_citizen_verified_at_the_kiosk_is_prefilled(officer_client, desk, at_desk):
    from motcua.identity.models import TicketIdentity

    TicketIdentity.objects.create(ticket=at_desk, national_id="092190001234", full_name="Nguyễn Thị Ánh",
                                  address="12 Hòa Bình, Ninh Kiều", method="face", verified_at=TUESDAY_8AM)  # fmt: skip
    initial = officer_client.get(intake_url(desk, thu_tuc=JUDICIAL)).context["form"].initial
    assert initial["applicant_name"] == "Nguyễn Thị Ánh" and initial["applicant_national_id"] == "092190001234"
    assert initial["applicant_address"] == "12 Hòa Bình, Ninh Kiều"


def test_a_commune_procedure_offers_the_communes(officer_client, desk, at_desk):
    page = officer_client.get(intake_url(desk, thu_tuc="2.000815"))
    agencies = page.context["forms"].agencies
    assert agencies is not None and [a.code for a in agencies] == ["ubnd-xa"]
    assert 'name="competent_agency"' in page.content.decode()


# ---- step 2: outcomes -------------------------------------------------------------------------


def test_accept_creates_one_dossier_and_shows_its_code(officer_client, desk, at_desk):
    response = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="accept"))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:dossier_intake_result", kwargs={"pk": dossier.pk})
    assert dossier.status == Dossier.Status.ACCEPTED and dossier.code.startswith("000.00.00.H13-260310-")
    assert dossier.ticket == at_desk and dossier.counter == desk
    assert dossier.fees.get().receipt_number == "BL-0"
    result = officer_client.get(response["Location"])
    assert dossier.code in result.content.decode()
    assert result.context["slip"].kind == DossierSlip.Kind.RECEIPT


def test_a_double_submit_lands_on_the_first_dossier(officer_client, desk, at_desk):
    data = form_data(JUDICIAL, at_desk, outcome="accept")
    first = officer_client.post(intake_url(desk), data)
    second = officer_client.post(intake_url(desk), data)
    assert Dossier.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_bad_input_keeps_everything_typed(officer_client, desk, at_desk):
    data = form_data(JUDICIAL, at_desk, outcome="accept", applicant_email="khong-phai-email",
                     applicant_national_id="0921-ABC", note="Ghi chú quan trọng", **{"fee-0-amount": "năm mươi"})  # fmt: skip
    page = officer_client.post(intake_url(desk), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Địa chỉ thư điện tử không hợp lệ" in html
    assert "Số định danh chỉ gồm chữ số" in html
    assert "Số tiền chỉ gồm chữ số" in html
    assert 'value="Nguyễn Thị Ánh"' in html and "Ghi chú quan trọng" in html and 'value="khong-phai-email"' in html
    assert not Dossier.objects.exists()
    # The same token still works once the mistakes are fixed.
    fixed = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="accept"))
    assert fixed.status_code == 302 and Dossier.objects.count() == 1


def test_a_service_refusal_is_shown_with_the_form_kept(officer_client, desk, at_desk):
    data = form_data(JUDICIAL, at_desk, outcome="accept", **{"fee-0-receipt_number": ""})
    page = officer_client.post(intake_url(desk), data)
    assert page.status_code == 400
    assert page.context["problem"] == "Vui lòng nhập số biên lai thu phí, lệ phí."
    assert page.context["form"]["applicant_name"].value() == "Nguyễn Thị Ánh"
    assert not Dossier.objects.exists()


def test_refusal_needs_a_reason_then_prints_a_refusal_slip(officer_client, desk, at_desk):
    page = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="refuse"))
    assert page.status_code == 400
    assert page.context["problem"] == "Vui lòng ghi rõ lý do từ chối tiếp nhận."
    assert page.context["outcome"] == "refuse"
    done = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="refuse",
                                                           refuse_reason="Không thuộc thẩm quyền"))  # fmt: skip
    dossier = Dossier.objects.get()
    assert done.status_code == 302 and dossier.status == Dossier.Status.REFUSED and dossier.code is None
    result = officer_client.get(done["Location"])
    assert result.context["slip"].kind == DossierSlip.Kind.REFUSAL
    assert "Không thuộc thẩm quyền" in result.content.decode()


def test_supplement_needs_the_missing_lines_and_a_reason(officer_client, desk, at_desk):
    no_lines = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="supplement",
                                                               supplement_reason="Thiếu tờ khai"))  # fmt: skip
    assert "Cần bổ sung" in no_lines.context["problem"]
    ticked = {"doc-0-missing": "on", "doc-0-missing_note": "Tờ khai chưa ký"}
    no_reason = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="supplement", **ticked))
    assert no_reason.context["problem"] == "Vui lòng ghi lý do yêu cầu bổ sung."
    assert no_reason.context["rows"][0].form["missing_note"].value() == "Tờ khai chưa ký"
    done = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="supplement",
                                                           supplement_reason="Hồ sơ chưa đầy đủ", **ticked))  # fmt: skip
    dossier = Dossier.objects.get()
    assert done.status_code == 302 and dossier.status == Dossier.Status.SUBMITTED and dossier.code is None
    items = dossier.supplements.get().items
    assert items[0]["document"] == dossier.documents.first().name and items[0]["note"] == "Tờ khai chưa ký"
    assert dossier.slips.get().kind == DossierSlip.Kind.SUPPLEMENT


def test_a_form_opened_for_another_citizen_is_not_saved(officer_client, desk, at_desk, queue_b, reception_officer):
    issue(queue_b, minute=5)
    newer = ticket_call_next(counter=desk, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=40))
    page = officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="accept"))
    assert page.status_code == 409
    assert newer.code in page.context["problem"]
    assert page.context["form"]["ticket"].value() == str(newer.pk)
    assert page.context["form"]["applicant_name"].value() == "Nguyễn Thị Ánh"
    assert not Dossier.objects.exists()


def test_a_tampered_checklist_is_refused(officer_client, desk, at_desk):
    data = form_data(JUDICIAL, at_desk, outcome="accept", **{"doc-TOTAL_FORMS": "1"})
    page = officer_client.post(intake_url(desk), data)
    assert page.status_code == 400 and "danh mục giấy tờ" in page.context["problem"]
    assert not Dossier.objects.exists()


# ---- who may use it ---------------------------------------------------------------------------


def test_nobody_at_the_desk_offers_a_walk_in(officer_client, desk, demo_catalog, clock):
    page = officer_client.get(intake_url(desk))
    assert page.context["ticket"] is None
    assert 'data-testid="intake-no-ticket"' in page.content.decode()
    response = officer_client.post(reverse("console:dossier_intake_walk_in", kwargs={"pk": desk.pk}),
                                   {"queue": desk.queue_links.get().queue_id})  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get(counter=desk)
    assert ticket.status == Ticket.Status.SERVING and ticket.channel == Ticket.Channel.COUNTER


def test_an_officer_not_seated_here_is_sent_to_the_counter(client, desk, leader, demo_catalog, clock):
    client.force_login(leader)
    response = client.get(intake_url(desk), follow=True)
    assert response.redirect_chain[-1][0] == reverse("console:counter", kwargs={"pk": desk.pk})
    assert "Hãy vào làm việc tại quầy số 1" in [str(m) for m in response.context["messages"]][0]


def test_another_centers_officer_gets_403_everywhere(client, desk, at_desk, officer_client):
    officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="accept"))
    dossier = Dossier.objects.get()
    client.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    assert client.get(intake_url(desk)).status_code == 403
    assert (
        client.post(intake_url(desk), form_data(JUDICIAL, at_desk, token="b" * 32, outcome="accept")).status_code == 403
    )
    result = client.get(reverse("console:dossier_intake_result", kwargs={"pk": dossier.pk}))
    assert result.status_code == 403 and "trung tâm khác" in result.content.decode()
    slip = dossier.slips.get()
    assert client.get(reverse("console:dossier_slip_pdf", kwargs={"pk": slip.pk})).status_code == 403
    assert Dossier.objects.count() == 1


def test_an_agency_officer_may_not_receive(client, desk, agency_officer, at_desk):
    client.force_login(agency_officer)
    assert client.get(intake_url(desk)).status_code == 403


# ---- the slip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["accept", "supplement", "refuse"])
def test_each_outcomes_slip_is_served_as_an_inline_pdf(officer_client, desk, at_desk, outcome):
    extra = {"doc-0-missing": "on", "supplement_reason": "Thiếu", "refuse_reason": "Sai thẩm quyền"}
    officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome=outcome, **extra))
    slip = DossierSlip.objects.get()
    response = officer_client.get(reverse("console:dossier_slip_pdf", kwargs={"pk": slip.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF")


# ---- the center's desk ------------------------------------------------------------------------


@pytest.fixture
def online(demo_catalog, center):
    """An online dossier submitted to Can Tho, waiting for acceptance."""
    from motcua.dossiers.services import dossier_submit
    from tests.dossiers.conftest import make_intake

    procedure = Procedure.objects.get(code=JUDICIAL)
    return dossier_submit(intake=make_intake(procedure, channel=Dossier.Channel.ONLINE, fees=()), center=center,
                          now=TUESDAY_8AM)  # fmt: skip


def desk_url(**query):
    return reverse("console:reception_desk") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_desk_lists_today_and_online_waiting(officer_client, desk, at_desk, online):
    officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="accept"))
    today = officer_client.get(desk_url())
    accepted = Dossier.objects.get(channel=Dossier.Channel.COUNTER)
    assert [row.dossier for row in today.context["rows"]] == [accepted]
    assert today.context["counts"] == {"today": 1, "online_waiting": 1, "supplement": 0, "to_return": 0}
    waiting = officer_client.get(desk_url(tab="online_waiting"))
    assert [row.dossier for row in waiting.context["rows"]] == [online]


def test_an_online_dossier_is_accepted_against_the_version_seen(officer_client, online, clock):
    url = reverse("console:reception_decide", kwargs={"pk": online.pk, "action": "tiep-nhan"})
    stale = officer_client.post(url, {"version": online.version + 1}, follow=True)
    assert "vui lòng tải lại" in [str(m) for m in stale.context["messages"]][0]
    online.refresh_from_db()
    assert online.status == Dossier.Status.SUBMITTED
    done = officer_client.post(url, {"version": online.version})
    online.refresh_from_db()
    assert online.status == Dossier.Status.PROCESSING and online.code  # accepted, and sent on at once
    assert done["Location"] == reverse("console:dossier_intake_result", kwargs={"pk": online.pk})


def test_an_online_refusal_needs_a_reason(officer_client, online, clock):
    url = reverse("console:reception_decide", kwargs={"pk": online.pk, "action": "tu-choi"})
    empty = officer_client.post(url, {"version": online.version, "reason": ""}, follow=True)
    assert "lý do" in [str(m) for m in empty.context["messages"]][0]
    officer_client.post(url, {"version": online.version, "reason": "Sai thủ tục"})
    online.refresh_from_db()
    assert online.status == Dossier.Status.REFUSED


def test_another_centers_officer_sees_nothing_and_may_not_decide(client, online, organisation, clock):
    client.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    page = client.get(desk_url(trung_tam="cantho"))
    assert page.status_code == 403
    own = client.get(desk_url(tab="online_waiting"))
    assert own.context["center"].code == "ninhkieu" and own.context["rows"] == []
    url = reverse("console:reception_decide", kwargs={"pk": online.pk, "action": "tiep-nhan"})
    assert client.post(url, {"version": online.version}).status_code == 403
    online.refresh_from_db()
    assert online.status == Dossier.Status.SUBMITTED


def test_a_supplement_guided_at_the_counter_is_on_todays_list(officer_client, desk, at_desk):
    ticked = {"doc-0-missing": "on", "doc-0-missing_note": "Thiếu"}
    officer_client.post(intake_url(desk), form_data(JUDICIAL, at_desk, outcome="supplement",
                                                    supplement_reason="Chưa đủ", **ticked))  # fmt: skip
    page = officer_client.get(desk_url(tab="today"))
    dossier = Dossier.objects.get()
    assert [row.dossier for row in page.context["rows"]] == [dossier]
    assert page.context["rows"][0].url == reverse("console:dossier_detail", kwargs={"pk": dossier.pk})
