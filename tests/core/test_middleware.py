import pytest
from django.conf import settings


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_vietnamese(client, organisation):
    html = client.get("/kiosk/cantho/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in html and "Lấy số thứ tự" in html


def test_the_language_toggle_switches_to_english(client, organisation):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/kiosk/cantho/").content.decode()
    assert '<html lang="en"' in html and "Take a queue number" in html


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, organisation):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi"' in client.get("/kiosk/cantho/").content.decode()


def test_the_api_honours_accept_language(client, organisation):
    body = client.get("/api/v1/centers/nope/calendar/2026", HTTP_ACCEPT_LANGUAGE="en").json()
    vietnamese = client.get("/api/v1/centers/nope/calendar/2026", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert body["error"]["code"] == vietnamese["error"]["code"] == "not_found"
    assert body["error"]["message"] != vietnamese["error"]["message"]


def test_officers_can_switch_the_admin_to_english(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert 'name="language" value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"}, follow=True)
    assert '<html lang="en"' in response.content.decode() and 'value="vi"' in response.content.decode()
