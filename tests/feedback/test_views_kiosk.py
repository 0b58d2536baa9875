"""The kiosk's Đánh giá screens and the counter tablet: happy paths and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from motcua.feedback.models import DossierAssessment, TicketRating
from tests.feedback.conftest import ANSWERS, ASKED, serve
from tests.queueing.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
BASE = "/kiosk/cantho/danh-gia/"
APPLICANT_ID = "092190001234"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def soon():
    """A quarter of an hour after the served ticket was finished (08:10)."""
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=15), tick=False) as traveller:
        yield traveller


def test_home_tile_opens_the_rating_choices(client, center):
    home = client.get("/kiosk/cantho/").content.decode()
    assert f'href="{BASE}"' in home
    page = client.get(BASE).content.decode()
    assert "Lượt phục vụ hôm nay" in page and "Đánh giá hồ sơ đã nhận kết quả" in page


def test_ticket_pad_offers_the_centers_queue_letters(client, queue):
    page = client.get(BASE + "so/").content.decode()
    assert 'data-key="B"' in page and 'data-key="7"' in page


def test_a_served_ticket_is_rated_with_reasons_and_a_comment(client, served, soon):
    assert client.get(BASE + f"so/?so={served.code.lower()}").url == BASE + f"so/{served.code}/"
    faces = client.get(BASE + f"so/{served.code}/").content.decode()
    assert "Rất hài lòng" in faces and "Không hài lòng" in faces
    comment = client.post(BASE + f"so/{served.code}/", {"answer": "not_satisfied"}).content.decode()
    assert "Chờ lâu" in comment and TicketRating.objects.count() == 0
    thanks = client.post(BASE + f"so/{served.code}/", {"answer": "not_satisfied", "send": "1",
                                                      "ly_do": ["Chờ lâu", "Phải đi lại nhiều lần"], "gop_y": "them ghe"})  # fmt: skip
    assert thanks.status_code == 200 and "Cảm ơn quý khách đã đánh giá!" in thanks.content.decode()
    rating = TicketRating.objects.get()
    assert (rating.ticket_id, rating.answer, rating.channel) == (served.pk, "not_satisfied", "kiosk")
    assert rating.comment == "Chờ lâu; Phải đi lại nhiều lần; them ghe"


def test_skip_sends_the_answer_without_a_comment(client, served, soon):
    client.post(
        BASE + f"so/{served.code}/", {"answer": "satisfied", "send": "1", "skip": "1", "ly_do": "Giải quyết nhanh"}
    )
    assert TicketRating.objects.get().comment == ""


def test_the_number_alone_finds_the_ticket(client, served, soon):
    assert client.get(BASE + f"so/?so={served.display_number}").url == BASE + f"so/{served.code}/"


def test_an_unknown_number_is_said_plainly(client, served, soon):
    response = client.get(BASE + "so/?so=Z999")
    assert response.status_code == 404 and "Không tìm thấy số Z999" in response.content.decode()


def test_a_ticket_not_served_yet_is_refused(client, queue, soon):
    from motcua.queueing.services import ticket_issue

    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM + timedelta(minutes=12))
    response = client.get(BASE + f"so/{ticket.code}/")
    assert response.status_code == 409 and "chưa được phục vụ xong" in response.content.decode()
    assert 'href="/kiosk/cantho/"' in response.content.decode()


def test_a_ticket_rated_already_is_refused(client, served, soon):
    client.post(BASE + f"so/{served.code}/", {"answer": "satisfied", "send": "1"})
    again = client.post(BASE + f"so/{served.code}/", {"answer": "satisfied", "send": "1"})
    assert again.status_code == 409 and "đã được đánh giá" in again.content.decode()
    assert TicketRating.objects.count() == 1


def test_too_late_is_refused(client, served):
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=3), tick=False):
        response = client.get(BASE + f"so/{served.code}/")
    assert response.status_code == 409 and "quá thời gian đánh giá" in response.content.decode()


def test_a_bad_answer_shows_the_faces_again(client, served, soon):
    response = client.post(BASE + f"so/{served.code}/", {"answer": "tuyet", "send": "1"})
    assert response.status_code == 200 and 'data-testid="rating-answers"' in response.content.decode()
    assert not TicketRating.objects.exists()


# --- the counter tablet ------------------------------------------------------------------------


def test_tablet_is_idle_then_shows_the_ticket_finished_at_its_counter(client, counter, queue, reception_officer):
    url = f"{BASE}quay/{counter.number}/"
    with time_machine.travel(TUESDAY_8AM, tick=False):
        assert client.get(url + "trang-thai.json").json() == {"ticket": None}
    ticket = serve(queue, counter, reception_officer)
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=11), tick=False):
        state = client.get(url + "trang-thai.json").json()
        assert state == {"ticket": {"key": str(ticket.pk), "code": ticket.code}}
        page = client.get(url).content.decode()
        assert ticket.code in page and "Quý khách vui lòng đánh giá" in page
        rated = client.post(url, {"key": str(ticket.pk), "answer": "very_satisfied"})
        assert rated.status_code == 200 and rated.json()["ok"] is True
        assert client.get(url + "trang-thai.json").json() == {"ticket": None}
    rating = TicketRating.objects.get()
    assert (rating.channel, rating.counter_id, rating.answer) == ("tablet", counter.pk, "very_satisfied")


def test_tablet_rates_only_the_ticket_it_shows(client, served, counter, soon):
    response = client.post(f"{BASE}quay/{counter.number}/", {"key": str(served.pk + 99), "answer": "satisfied"})
    assert response.status_code == 409 and not TicketRating.objects.exists()


def test_tablet_refuses_a_bad_answer(client, served, counter, soon):
    response = client.post(f"{BASE}quay/{counter.number}/", {"key": str(served.pk), "answer": "?"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_answer"


def test_tablet_page_shows_no_personal_data(client, served, counter, soon):
    page = client.get(f"{BASE}quay/{counter.number}/").content.decode()
    assert served.code in page and served.officer.full_name not in page and served.officer.username not in page


def test_unknown_counter_is_404(client, center):
    assert client.get(f"{BASE}quay/99/").status_code == 404


# --- a returned dossier ------------------------------------------------------------------------


def _form_data(**extra):
    data = {f"chi_so_{n}": str(s) for n, s in ASKED.items()} | {f"cau_{c}": a for c, a in ANSWERS.items()}
    return data | {"gui_danh_gia": "1"} | extra


def _proof(page: str) -> str:
    import re

    return re.search(r'name="xac_minh" value="([^"]+)"', page).group(1)


def test_a_returned_dossier_is_assessed_at_the_kiosk(client, workhorse_returned, scheme, flow):
    code = workhorse_returned.code
    with time_machine.travel(flow.clock + timedelta(minutes=5), tick=False):
        assert client.get(BASE + f"ho-so/?ma={code.lower()}").url == BASE + f"ho-so/{code}/"
        form = client.post(BASE + f"ho-so/{code}/", {"so_dinh_danh": APPLICANT_ID}).content.decode()
        assert "Ngắn hơn thời gian quy định: <b>2 điểm</b>" in form
        assert form.count('type="radio"') == 6 * 3 + 2 * 3
        thanks = client.post(BASE + f"ho-so/{code}/", _form_data(xac_minh=_proof(form)))
    assert thanks.status_code == 200
    assessment = DossierAssessment.objects.get()
    assert assessment.channel == "kiosk" and assessment.rater is None
    assert f">{assessment.total}<" in thanks.content.decode()


def test_kiosk_assessment_needs_the_id_number(client, workhorse_returned, scheme, flow):
    code = workhorse_returned.code
    with time_machine.travel(flow.clock + timedelta(minutes=5), tick=False):
        wrong = client.post(BASE + f"ho-so/{code}/", {"so_dinh_danh": "000000000000"})
        forged = client.post(BASE + f"ho-so/{code}/", _form_data(xac_minh="forged"))
    assert "không khớp" in wrong.content.decode() and 'name="xac_minh"' not in wrong.content.decode()
    assert 'data-testid="dossier-verify-form"' in forged.content.decode()
    assert not DossierAssessment.objects.exists()


def test_kiosk_assessment_marks_unanswered_questions(client, workhorse_returned, scheme, flow):
    code = workhorse_returned.code
    with time_machine.travel(flow.clock + timedelta(minutes=5), tick=False):
        form = client.post(BASE + f"ho-so/{code}/", {"so_dinh_danh": APPLICANT_ID}).content.decode()
        data = _form_data(xac_minh=_proof(form))
        del data["chi_so_7"], data["cau_overall"]
        again = client.post(BASE + f"ho-so/{code}/", data)
    page = again.content.decode()
    assert again.status_code == 400 and "tiêu chí 7" in page and "câu 11" in page
    assert 'value="2" checked' in page  # what was chosen stays chosen
    assert not DossierAssessment.objects.exists()


def test_kiosk_refuses_a_dossier_not_returned_and_one_assessed(client, accepted, workhorse_returned, scheme, flow):
    with time_machine.travel(flow.clock + timedelta(minutes=5), tick=False):
        not_yet = client.get(BASE + f"ho-so/{accepted.code}/")
        from motcua.feedback.services import dossier_assessment_give

        dossier_assessment_give(dossier=workhorse_returned, scores=ASKED, answers=ANSWERS, channel="portal")
        done = client.get(BASE + f"ho-so/{workhorse_returned.code}/")
    assert not_yet.status_code == 409 and "chưa trả kết quả" in not_yet.content.decode()
    assert done.status_code == 409 and "đã được đánh giá" in done.content.decode()


def test_unknown_dossier_code_is_said_plainly(client, center):
    response = client.get(BASE + "ho-so/?ma=KHONG-CO")
    assert response.status_code == 404 and "Không tìm thấy hồ sơ" in response.content.decode()
