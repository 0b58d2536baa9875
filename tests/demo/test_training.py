"""The demo's training center takes numbers any day, any hour; the real centers keep their rules."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core.models import CalendarDay
from motcua.demo.training import CODE, load_training_center
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.models import Queue
from motcua.queueing.services import ticket_issue
from tests.queueing.conftest import local

SUNDAY_NIGHT = local(2026, 3, 8, 22, 30)
TET_2027_MORNING = local(2027, 2, 8, 9, 0)  # Tết Đinh Mùi holidays


@pytest.fixture
def training(demo_catalog):
    return load_training_center(today=date(2026, 3, 1), days=400)


def test_numbers_on_a_sunday_night_and_at_tet(training):
    queue = Queue.objects.get(center=training, code="tu-phap")
    assert ticket_issue(queue=queue, channel="kiosk", now=SUNDAY_NIGHT).code == "A001"
    assert ticket_issue(queue=queue, channel="kiosk", now=TET_2027_MORNING).code == "A001"


def test_the_real_centers_still_refuse_on_sunday(training):
    from motcua.demo.queueing import load_demo_queueing

    load_demo_queueing()
    with pytest.raises(TicketIssueRefused) as refused:
        ticket_issue(queue=Queue.objects.get(center__code="cantho", code="tu-phap"), channel="kiosk", now=SUNDAY_NIGHT)
    assert refused.value.code == "queueing.issue.day_off"


def test_loading_again_changes_nothing(training):
    rows = CalendarDay.objects.filter(center__code=CODE).count()
    assert rows > 100  # weekends and holidays of a year
    load_training_center(today=date(2026, 3, 1), days=400)
    assert CalendarDay.objects.filter(center__code=CODE).count() == rows
    assert training.counters.count() == 3


def test_the_banner_points_to_the_training_center(training):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_banner", stdout=out)
    assert f"http://127.0.0.1:8000/kiosk/{CODE}/lay-so/" in out.getvalue()
    assert "Kiosk Trung tâm chạy thử" not in out.getvalue()  # not listed among the real centers


def test_a_dossier_received_anywhere_in_the_province_can_be_practised_there_on_a_sunday(training):
    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import dossier_accept
    from tests.dossiers.conftest import make_intake

    dossier = dossier_accept(officer=User.objects.get(username="tiepnhan"),
                             intake=make_intake(Procedure.objects.get(code="1.014390")), center=training,
                             now=local(2026, 11, 29, 21, 0))  # fmt: skip
    assert dossier.code == "000.99.00.H13-261129-0001"
