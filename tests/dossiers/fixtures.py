"""Dossier fixtures for the whole suite (registered in tests/conftest.py): the workhorse procedure,
its agency's officer and leader, and a dossier accepted at a fixed moment."""

from __future__ import annotations

import pytest

from tests.dossiers.conftest import PROCEDURE_CODE, TUESDAY_8AM, make_intake


@pytest.fixture
def procedure(demo_catalog):
    from motcua.catalog.models import Procedure

    return Procedure.objects.get(code=PROCEDURE_CODE)


@pytest.fixture
def khcn_officer(organisation):
    from motcua.accounts.models import User

    return User.objects.get(username="chuyenvien.khcn")


@pytest.fixture
def khcn_leader(organisation):
    from motcua.accounts.models import User

    return User.objects.get(username="lanhdao.khcn")


@pytest.fixture
def accepted(procedure, center, reception_officer):
    """A dossier accepted at the Can Tho center on Tuesday 10/03/2026 08:00 (no counter)."""
    from motcua.dossiers.services import dossier_accept

    return dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
