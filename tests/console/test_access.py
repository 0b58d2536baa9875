"""Who may open the console: login, the officer's own centers, and the seated officer only."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from motcua.accounts.models import User
from motcua.queueing.models import Counter

from .conftest import DEMO_PASSWORD, issue, make_counter, make_queue

pytestmark = pytest.mark.django_db
LOGIN = "/console/dang-nhap/"


@pytest.fixture(autouse=True)
def _forget_login_failures():
    cache.clear()
    yield
    cache.clear()


def text(response) -> str:
    return response.content.decode()


def test_every_page_needs_a_login(client, desk):
    for url in ["/console/", "/console/chon-quay/", "/console/hom-nay/", f"/console/quay/{desk.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(f"{LOGIN}?next=")
    assert client.post(f"/console/quay/{desk.pk}/goi-tiep/").status_code == 302
    assert client.get(f"/console/quay/{desk.pk}/trang-thai.json").status_code == 302


def test_login_page_in_vietnamese_and_login_goes_to_the_console(client, reception_officer):
    assert "Đăng nhập quầy tiếp nhận" in text(client.get(LOGIN))
    response = client.post(LOGIN, {"username": "tiepnhan", "password": DEMO_PASSWORD})
    assert (response.status_code, response.url) == (302, "/console/")


def test_login_honours_the_throttle(client, reception_officer):
    for _ in range(5):
        response = client.post(LOGIN, {"username": "tiepnhan", "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    assert "Đăng nhập sai quá nhiều lần" in text(response)
    response = client.post(LOGIN, {"username": "tiepnhan", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_to_the_login(officer_client):
    response = officer_client.post("/console/dang-xuat/")
    assert (response.status_code, response.url) == (302, LOGIN)
    assert "_auth_user_id" not in officer_client.session


def test_seated_officer_goes_straight_to_their_counter(officer_client, desk):
    response = officer_client.get("/console/")
    assert (response.status_code, response.url) == (302, f"/console/quay/{desk.pk}/")


def test_unseated_officer_chooses_among_their_centers_counters(client, desk, organisation):
    officer = User.objects.get(username="tiepnhan.ninhkieu")
    from motcua.core.models import Center

    make_counter(Center.objects.get(code="ninhkieu"), 7, [make_queue(Center.objects.get(code="ninhkieu"), "nk")])
    client.force_login(officer)
    page = text(client.get("/console/"))
    assert "Chọn quầy làm việc" in page
    assert "Quầy 7" in page and "Vào làm việc tại quầy này" in page
    assert "Quầy 1" not in page  # Can Tho's counters are not theirs


def test_choose_page_says_who_is_seated(client, leader, desk):
    client.force_login(leader)
    page = text(client.get("/console/chon-quay/"))
    assert "Trần Thị Hoa đang làm việc" in page
    assert page.count("Vào làm việc tại quầy này") == 1  # only the free counter 2


def test_agency_officer_goes_to_the_dossier_work_list_not_a_counter(client, agency_officer):
    client.force_login(agency_officer)
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"] == "/console/ho-so/xu-ly/"
    response = client.get("/console/chon-quay/")
    assert response.status_code == 403
    assert "không có quyền làm việc tại quầy" in text(response)


def test_officer_of_another_center_cannot_open_or_use_a_counter(client, desk, queue_b, organisation):
    client.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    response = client.get(f"/console/quay/{desk.pk}/")
    assert response.status_code == 403
    assert "Quầy này thuộc trung tâm khác" in text(response)
    issue(queue_b)
    assert client.post(f"/console/quay/{desk.pk}/goi-tiep/", {"ticket": ""}).status_code == 404
    assert client.post(f"/console/quay/{desk.pk}/vao-quay/").status_code == 404
    status = client.get(f"/console/quay/{desk.pk}/trang-thai.json")
    assert status.status_code == 404 and status.json()["error"]["code"] == "console.counter.not_found"
    assert not Counter.objects.filter(officer__username="tiepnhan.ninhkieu").exists()


def test_unknown_counter_is_404(officer_client, desk):
    assert officer_client.get("/console/quay/99999/").status_code == 404


def test_someone_else_seated_sees_the_counter_but_cannot_act(client, leader, desk, queue_b, clock):
    ticket = issue(queue_b)
    client.force_login(leader)
    page = text(client.get(f"/console/quay/{desk.pk}/"))
    assert "Trần Thị Hoa đang làm việc tại quầy này." in page
    response = client.post(f"/console/quay/{desk.pk}/goi-tiep/", {"ticket": ""}, follow=True)
    assert "Chỉ cán bộ đang làm việc tại quầy số 1 (Trần Thị Hoa) mới được thao tác" in text(response)
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_actions_are_post_only_and_unknown_actions_404(officer_client, desk):
    assert officer_client.get(f"/console/quay/{desk.pk}/goi-tiep/").status_code == 405
    assert officer_client.post(f"/console/quay/{desk.pk}/bay-lung-tung/").status_code == 404


def test_actions_need_the_csrf_token(reception_officer, desk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reception_officer)
    assert client.post(f"/console/quay/{desk.pk}/tam-dung/").status_code == 403
    desk.refresh_from_db()
    assert desk.state == Counter.State.OPEN


def test_menu_offers_the_today_page_to_leaders_only(client, officer_client, leader, desk):
    assert "Số liệu hôm nay" not in text(officer_client.get(f"/console/quay/{desk.pk}/"))
    client.force_login(leader)
    assert "Số liệu hôm nay" in text(client.get(f"/console/quay/{desk.pk}/"))


def test_menu_links_reception_to_the_kiosks_demo_enrolment_in_demo_mode_only(
    client, officer_client, agency_officer, desk, settings
):
    page = officer_client.get(f"/console/quay/{desk.pk}/").content.decode()
    assert f'href="/kiosk/{desk.center.code}/xac-thuc/demo/"' in page
    client.force_login(agency_officer)
    assert "xac-thuc/demo" not in client.get("/console/ho-so/xu-ly/").content.decode()
    settings.MOTCUA = {**settings.MOTCUA, "FACE_DEMO_ENROLMENT": False}
    assert "xac-thuc/demo" not in officer_client.get(f"/console/quay/{desk.pk}/").content.decode()


def test_english_toggle_switches_the_console(officer_client, desk):
    page = text(officer_client.get(f"/console/quay/{desk.pk}/"))
    assert '<html lang="vi"' in page and 'name="language" value="en"' in page
    officer_client.post("/i18n/setlang/", {"language": "en", "next": f"/console/quay/{desk.pk}/"})
    assert '<html lang="en"' in text(officer_client.get(f"/console/quay/{desk.pk}/"))
