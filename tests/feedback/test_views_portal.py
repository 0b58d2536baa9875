"""The portal's assessment pages ("Hồ sơ của tôi", the notice's public link) and the phone ticket page's rating."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from motcua.feedback.models import DossierAssessment, TicketRating
from tests.feedback.conftest import ANSWERS, ASKED
from tests.online.conftest import make_citizen
from tests.queueing.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
APPLICANT_ID = "092190001234"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def later(flow, workhorse_returned):
    with time_machine.travel(flow.clock + timedelta(minutes=5), tick=False) as traveller:
        yield traveller


@pytest.fixture
def owner(client, db):
    user = make_citizen("anh", APPLICANT_ID, name="Nguyễn Thị Ánh")  # the dossiers are filed in her number
    client.force_login(user)
    return user


def _form_data(**extra):
    data = {f"chi_so_{n}": str(s) for n, s in ASKED.items()} | {f"cau_{c}": a for c, a in ANSWERS.items()}
    return data | {"gui_danh_gia": "1"} | extra


def test_my_dossier_offers_the_assessment_once_returned(client, owner, workhorse_returned, scheme, later):
    page = client.get(f"/tai-khoan/ho-so/{workhorse_returned.pk}/").content.decode()
    assert f'href="/tai-khoan/ho-so/{workhorse_returned.pk}/danh-gia/"' in page


def test_my_dossier_has_no_assessment_before_it_is_returned(client, owner, accepted, scheme):
    assert "danh-gia/" not in client.get(f"/tai-khoan/ho-so/{accepted.pk}/").content.decode()


def test_the_owner_assesses_on_the_portal(client, owner, workhorse_returned, scheme, later):
    url = f"/tai-khoan/ho-so/{workhorse_returned.pk}/danh-gia/"
    form = client.get(url).content.decode()
    assert "Ngắn hơn thời gian quy định: <b>2 điểm</b>" in form and form.count("<fieldset") == 8
    sent = client.post(url, _form_data(gop_y="Cán bộ nhiệt tình"))
    assert sent.status_code == 302 and sent.url == url + "?cam-on=1"
    assessment = DossierAssessment.objects.get()
    assert (assessment.channel, assessment.rater_id, assessment.comment) == ("portal", owner.pk, "Cán bộ nhiệt tình")
    thanks = client.get(sent.url).content.decode()
    assert "Cảm ơn quý khách đã đánh giá!" in thanks and f">{assessment.total}<" in thanks
    again = client.get(url).content.decode()
    assert "Hồ sơ đã được đánh giá" in again and "<form" not in again.split('id="main"')[1].split("</main>")[0]


def test_missing_answers_are_marked_and_kept(client, owner, workhorse_returned, scheme, later):
    data = _form_data()
    del data["chi_so_4"], data["cau_ease"]
    response = client.post(f"/tai-khoan/ho-so/{workhorse_returned.pk}/danh-gia/", data)
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#chi_so_4"' in page and 'href="#cau_ease"' in page
    assert 'value="very_satisfied" checked' in page and not DossierAssessment.objects.exists()


def test_another_citizens_dossier_is_404(client, workhorse_returned, scheme, later):
    client.force_login(make_citizen("binh", "092090009999"))
    assert client.get(f"/tai-khoan/ho-so/{workhorse_returned.pk}/danh-gia/").status_code == 404


def test_a_dossier_not_returned_is_refused(client, owner, accepted, scheme):
    response = client.get(f"/tai-khoan/ho-so/{accepted.pk}/danh-gia/")
    assert response.status_code == 409 and "chưa trả kết quả" in response.content.decode()


def test_no_scheme_in_force_is_refused(client, owner, workhorse_returned, later):
    from motcua.feedback.models import AssessmentScheme

    AssessmentScheme.objects.all().delete()
    response = client.get(f"/tai-khoan/ho-so/{workhorse_returned.pk}/danh-gia/")
    assert response.status_code == 409 and "Chưa có bộ tiêu chí" in response.content.decode()


# --- the public link ---------------------------------------------------------------------------


def test_public_link_asks_the_id_number_then_takes_the_assessment(client, workhorse_returned, scheme, later):
    url = f"/danh-gia/{workhorse_returned.code}/"
    first = client.get(url).content.decode()
    assert 'name="so_dinh_danh"' in first and "chi_so_4" not in first
    assert client.post(url, {"so_dinh_danh": APPLICANT_ID}).url == url
    assert "chi_so_4" in client.get(url).content.decode()
    assert client.post(url, _form_data()).status_code == 302
    assert DossierAssessment.objects.get().channel == "link"


def test_public_link_wrong_number_and_throttling(client, workhorse_returned, scheme, later, settings):
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_LOOKUP_PER_HOUR": 2}
    url = f"/danh-gia/{workhorse_returned.code}/"
    wrong = client.post(url, {"so_dinh_danh": "000000000000"})
    assert wrong.status_code == 200 and "không khớp" in wrong.content.decode()
    client.post(url, {"so_dinh_danh": "000000000001"})
    blocked = client.post(url, {"so_dinh_danh": APPLICANT_ID})
    assert blocked.status_code == 429 and "sai quá nhiều lần" in blocked.content.decode()
    assert client.post(url, _form_data()).status_code == 200 and not DossierAssessment.objects.exists()


def test_public_link_unknown_code_and_lower_case(client, workhorse_returned, scheme, later):
    assert client.get("/danh-gia/KHONG-CO/").status_code == 404
    assert client.get(f"/danh-gia/{workhorse_returned.code.lower()}/").url == f"/danh-gia/{workhorse_returned.code}/"


# --- the phone ticket page ---------------------------------------------------------------------


def test_phone_page_rates_a_done_ticket(client, served):
    url = f"/so/{served.token}/danh-gia/"
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=20), tick=False):
        assert "data-rating-slot" in client.get(f"/so/{served.token}/").content.decode()
        box = client.get(url + "?phan=1")
        assert box.status_code == 200 and 'value="very_satisfied"' in box.content.decode()
        thanks = client.post(url, {"answer": "very_satisfied", "gop_y": "Nhanh"})
        assert "Cảm ơn quý khách đã đánh giá!" in thanks.content.decode()
        assert client.get(url + "?phan=1").status_code == 204  # rated: nothing more to show
        again = client.post(url, {"answer": "satisfied"})
    assert again.status_code == 409 and "đã được đánh giá" in again.content.decode()
    rating = TicketRating.objects.get()
    assert (rating.channel, rating.answer, rating.comment) == ("phone", "very_satisfied", "Nhanh")


def test_phone_page_refuses_before_service_and_after_the_window(client, queue, served):
    from motcua.queueing.services import ticket_issue

    waiting = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM + timedelta(minutes=11))
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=12), tick=False):
        assert client.get(f"/so/{waiting.token}/danh-gia/?phan=1").status_code == 204
        assert "chưa được phục vụ xong" in client.get(f"/so/{waiting.token}/danh-gia/").content.decode()
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=5), tick=False):
        late = client.post(f"/so/{served.token}/danh-gia/", {"answer": "satisfied"})
    assert late.status_code == 409 and "quá thời gian đánh giá" in late.content.decode()
    assert not TicketRating.objects.exists()


def test_phone_page_unknown_token_is_404(client, db):
    assert client.get("/so/khong-co/danh-gia/").status_code == 404
