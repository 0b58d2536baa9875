"""The demo dossiers: every situation the screens show, made by the real services, loaded once."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db

# A Saturday: the stories end on Friday 27/11/2026, the last working day already over.
SATURDAY = datetime(2026, 11, 28, 21, 0, tzinfo=LOCAL_TZ)


def test_every_status_an_officer_meets_is_there(demo_catalog):
    from motcua.demo.dossiers import load_demo_dossiers

    load_demo_dossiers(now=SATURDAY)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == {1, 2, 3, 4, 5, 9, 10}
    late = Dossier.objects.get(apologies__isnull=False)
    assert late.due_at > late.original_due_at
    assert Dossier.objects.filter(overdue_at__isnull=False).exists()
    assert Dossier.objects.filter(at_risk_at__isnull=False).exists()
    returned = Dossier.objects.get(status=Dossier.Status.RETURNED)
    assert returned.handover.collected_by_name == returned.applicant_name
    assert returned.code.startswith("000.00.00.H13-2611")
    assert DossierEvent.objects.filter(action="dossier.handed_over").count() >= 4


def test_loading_twice_adds_nothing(demo_catalog):
    from motcua.demo.dossiers import load_demo_dossiers

    load_demo_dossiers(now=SATURDAY)
    count = Dossier.objects.count()
    assert load_demo_dossiers(now=SATURDAY) == "đã có sẵn"
    assert Dossier.objects.count() == count


def test_the_demo_citizen_sees_her_returned_dossier(client, demo_catalog):
    from motcua.demo.citizens import CITIZEN, load_demo_citizen
    from motcua.demo.dossiers import load_demo_dossiers

    load_demo_dossiers(now=SATURDAY)
    citizen = load_demo_citizen()
    assert load_demo_citizen() == citizen  # once
    client.force_login(citizen)
    page = client.get("/tai-khoan/ho-so/").content.decode()
    returned = Dossier.objects.get(status=Dossier.Status.RETURNED)
    assert returned.applicant_national_id == CITIZEN["national_id"] and returned.code in page
