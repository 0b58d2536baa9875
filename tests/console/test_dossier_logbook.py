"""The log book export on the dossier desk: a real .xlsx for the center and period, refusals kept."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from motcua.core.models import AuditLog

pytestmark = pytest.mark.django_db
URL = "/console/ho-so/so-theo-doi.xlsx"


def test_exports_the_period_as_excel(client, accepted, reception_officer):
    client.force_login(reception_officer)
    response = client.get(URL, {"trung_tam": "cantho", "tu_ngay": "01/03/2026", "den_ngay": "31/03/2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="so-theo-doi-ho-so-cantho-20260301-20260331.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert accepted.code in [cell.value for row in sheet.iter_rows() for cell in row]
    assert AuditLog.objects.filter(action="dossiers.logbook.exported").count() == 1


def test_a_reversed_period_comes_back_to_the_desk_with_the_dates(client, accepted, reception_officer):
    client.force_login(reception_officer)
    response = client.get(URL, {"trung_tam": "cantho", "tu_ngay": "31/03/2026", "den_ngay": "01/03/2026"}, follow=True)
    page = response.content.decode()
    assert "Khoảng thời gian không hợp lệ" in page
    assert 'value="31/03/2026"' in page and 'value="01/03/2026"' in page


def test_another_centers_officer_is_refused(client, accepted, organisation):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    response = client.get(URL, {"trung_tam": "cantho", "tu_ngay": "01/03/2026", "den_ngay": "31/03/2026"})
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action="dossiers.logbook.exported").exists()


def test_the_desk_offers_this_month_by_default(client, reception_officer, center):
    client.force_login(reception_officer)
    page = client.get("/console/ho-so/trung-tam/", {"trung_tam": "cantho"}).content.decode()
    assert 'data-testid="logbook-form"' in page
