"""Citizens rate the service in a real browser: the kiosk by touch, the counter tablet, the phone
page, the portal's assessment of a returned dossier — each screen audited for WCAG 2.2 AA."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.keypad import tap
from tests.dossiers import test_processing as proc
from tests.feedback.conftest import ensure_scheme, returned, serve
from tests.online.conftest import make_citizen
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
people, flow = proc.people, proc.flow

KIOSK = {"width": 1920, "height": 1080}
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
APPLICANT_ID = "092190001234"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    """A working morning for the server too (time_machine moves every thread's clock)."""
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=1, minutes=30), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(center, reception_officer):
    queue = make_queue(center, "b", name="Tư pháp – Hộ tịch")
    return queue, make_counter(center, 3, [queue], officer=reception_officer)


def _served(desk, reception_officer):
    """A ticket finished a few minutes ago (the live server reads the real clock)."""
    queue, counter = desk
    return serve(queue, counter, reception_officer, at=timezone.now() - timedelta(minutes=12))


def test_rate_a_served_ticket_at_the_kiosk_by_touch(page, desk, reception_officer, screenshot):
    from motcua.feedback.models import TicketRating

    ticket = _served(desk, reception_officer)
    page.set_viewport_size(KIOSK)
    page.goto("/kiosk/cantho/")
    page.get_by_role("link", name="Đánh giá").click()
    assert_accessible(page, where="kiosk rating home")
    screenshot(page, "rating-kiosk-home", full_page=False)
    page.get_by_test_id("rate-ticket").click()
    tap(page, ticket.code)
    expect(page.get_by_test_id("ticket-input")).to_have_value(ticket.code)
    assert_accessible(page, where="kiosk ticket pad")
    screenshot(page, "rating-kiosk-ticket-pad", full_page=False)
    page.get_by_test_id("ticket-find-submit").click()
    expect(page.get_by_test_id("rating-ticket")).to_have_text(ticket.code)
    assert_accessible(page, where="kiosk faces")
    screenshot(page, "rating-kiosk-faces", full_page=False)
    page.get_by_test_id("answer-satisfied").click()
    page.get_by_label("Cán bộ hướng dẫn tận tình").check()
    assert_accessible(page, where="kiosk comment")
    screenshot(page, "rating-kiosk-comment", full_page=False)
    page.get_by_test_id("rating-send").click()
    expect(page.get_by_test_id("rating-thanks")).to_be_visible()
    assert_accessible(page, where="kiosk thanks")
    screenshot(page, "rating-kiosk-thanks", full_page=False)
    rating = TicketRating.objects.get()
    assert (rating.answer, rating.channel, rating.comment) == ("satisfied", "kiosk", "Cán bộ hướng dẫn tận tình")
    page.goto(f"/kiosk/cantho/danh-gia/so/{ticket.code}/")
    expect(page.get_by_test_id("refusal-message")).to_contain_text("đã được đánh giá")
    assert_accessible(page, where="kiosk refusal")
    screenshot(page, "rating-kiosk-refused", full_page=False)


def test_counter_tablet_shows_the_finished_ticket_and_takes_a_rating(page, desk, reception_officer, screenshot):
    from motcua.feedback.models import TicketRating

    page.set_viewport_size(TABLET)
    page.goto("/kiosk/cantho/danh-gia/quay/3/")
    expect(page.get_by_test_id("tablet-idle")).to_be_visible()
    assert_accessible(page, where="tablet idle")
    screenshot(page, "rating-tablet-idle", full_page=False)
    ticket = _served(desk, reception_officer)
    expect(page.get_by_test_id("tablet-ticket")).to_have_text(ticket.code, timeout=10_000)
    assert_accessible(page, where="tablet ask")
    screenshot(page, "rating-tablet-ask", full_page=False)
    page.get_by_test_id("answer-very_satisfied").click()
    expect(page.get_by_test_id("tablet-thanks")).to_be_visible()
    expect(page.get_by_test_id("tablet-idle")).to_be_visible(timeout=10_000)
    rating = TicketRating.objects.get()
    assert (rating.channel, rating.answer, rating.counter_id) == ("tablet", "very_satisfied", desk[1].pk)


def test_phone_page_offers_the_three_buttons_once_done(page, desk, reception_officer, screenshot):
    from motcua.feedback.models import TicketRating

    ticket = _served(desk, reception_officer)
    page.set_viewport_size(PHONE)
    page.goto(f"/so/{ticket.token}/")
    expect(page.get_by_test_id("ticket-rating")).to_be_visible()
    assert_accessible(page, where="phone ticket rating")
    screenshot(page, "rating-phone", full_page=True)
    page.get_by_test_id("answer-not_satisfied").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn")
    assert TicketRating.objects.get().channel == "phone"


@pytest.mark.parametrize("size", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"])
def test_assess_a_returned_dossier_on_the_portal(page, live_server, flow, size, screenshot):
    from motcua.feedback.models import DossierAssessment

    ensure_scheme()
    dossier = returned(flow, proc.make_procedure("DG.0001"))
    citizen = make_citizen("anh", APPLICANT_ID, name="Nguyễn Thị Ánh")
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size(size)
    name = "desktop" if size["width"] > 800 else "phone"
    page.goto(f"/tai-khoan/ho-so/{dossier.pk}/")
    page.get_by_test_id("assessment-link").click()
    expect(page.get_by_test_id("derived-scores")).to_contain_text("Ngắn hơn thời gian quy định: 2 điểm")
    assert_accessible(page, where=f"assessment form ({name})")
    screenshot(page, f"rating-assessment-form-{name}")
    page.get_by_test_id("assessment-submit").click()
    expect(page.get_by_test_id("assessment-errors")).to_be_visible()
    assert_accessible(page, where=f"assessment errors ({name})")
    for number in range(4, 10):
        page.locator(f'#chi_so_{number} input[value="2"]').check()
    page.locator('#cau_ease input[value="satisfied"]').check()
    page.locator('#cau_overall input[value="very_satisfied"]').check()
    page.get_by_test_id("assessment-comment").fill("Cán bộ hướng dẫn tận tình.")
    page.get_by_test_id("assessment-submit").click()
    expect(page.get_by_test_id("assessment-total")).to_have_text("18")
    expect(page.get_by_test_id("assessment-grade")).to_have_text("Xuất sắc")
    assert_accessible(page, where=f"assessment thanks ({name})")
    screenshot(page, f"rating-assessment-thanks-{name}")
    assert DossierAssessment.objects.get().channel == "portal"


def test_assess_a_returned_dossier_at_the_kiosk(page, flow, screenshot):
    from motcua.feedback.models import DossierAssessment

    ensure_scheme()
    dossier = returned(flow, proc.make_procedure("DG.0002"))
    page.set_viewport_size(KIOSK)
    page.goto(f"/kiosk/cantho/danh-gia/ho-so/?ma={dossier.code}")
    tap(page, APPLICANT_ID)
    assert_accessible(page, where="kiosk dossier verify")
    page.get_by_test_id("dossier-verify-submit").click()
    expect(page.get_by_test_id("assessment-form")).to_be_visible()
    for number in range(4, 10):
        page.locator(f'#chi_so_{number} label:has(input[value="1"])').click()
    page.locator('#cau_ease label:has(input[value="satisfied"])').click()
    page.locator('#cau_overall label:has(input[value="satisfied"])').click()
    tap(page, "can bo tan tinh")  # the kiosk has no keyboard of its own: the comment is typed on screen
    expect(page.get_by_test_id("assessment-comment")).to_have_value("can bo tan tinh")
    assert_accessible(page, where="kiosk assessment form")
    screenshot(page, "rating-kiosk-assessment-form", full_page=False)
    page.get_by_test_id("assessment-comment").scroll_into_view_if_needed()
    screenshot(page, "rating-kiosk-assessment-comment", full_page=False)
    page.get_by_test_id("assessment-submit").click()
    expect(page.get_by_test_id("rating-thanks")).to_be_visible()
    screenshot(page, "rating-kiosk-assessment-thanks", full_page=False)
    assessment = DossierAssessment.objects.get()
    assert (assessment.channel, assessment.comment) == ("kiosk", "can bo tan tinh")
