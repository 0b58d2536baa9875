"""Taking today's number from a phone and landing on its follow page, in Chromium."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from playwright.sync_api import expect

from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_takes_a_number_on_the_phone(page, live_server, center, screenshot):
    from motcua.identity.services.accounts import citizen_register

    citizen = citizen_register(full_name="Trần Thị Mai", national_id="092185001234", phone="0901234567",
                               password="Song-Hau-2026!", terms_version="2026-11")  # fmt: skip
    for code, name in (("a", "Tư pháp – Chứng thực, hộ tịch"), ("b", "Công an – Cư trú, căn cước")):
        make_counter(center, ord(code) - 96, [make_queue(center, code, name=name)])
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    with time_machine.travel(TUESDAY_8AM, tick=True):
        page.goto("/tai-khoan/")
        page.get_by_role("link", name=re.compile("Lấy số thứ tự trực tuyến")).click()
        page.get_by_role("link", name=re.compile("Trung tâm Phục vụ hành chính công thành phố Cần Thơ")).click()
        page.get_by_test_id("queue-b").click()
        screenshot(page, "portal-queue-online-390x844")
        page.get_by_role("button", name="Lấy số").click()
        expect(page).to_have_url(re.compile(r"/so/[\w-]+/$"))
        expect(page.locator("body")).to_contain_text("B001")
        screenshot(page, "portal-queue-online-ticket-390x844")
