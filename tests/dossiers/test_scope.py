"""Scope (ADR 0008 §8): every persona against dossiers of two centers and two agencies.

A  received at Cần Thơ,     competent KH&CN, now at KH&CN       (status 4)
B  received at Ninh Kiều,   competent Tư pháp, now at Tư pháp   (status 4)
C  received at Cần Thơ,     competent KH&CN, now at Tư pháp     (status 4, inter-agency step)
D  received at Ninh Kiều,   competent KH&CN, still at the desk  (status 2)
"""

from __future__ import annotations

import pytest

from motcua.core.models import AuditLog, Center
from motcua.dossiers.errors import DossierPermissionDenied
from motcua.dossiers.models import ApologyLetter, Dossier
from motcua.dossiers.selectors import (
    dossier_get_for_user,
    dossier_list_for_user,
    dossier_reception_list,
    dossier_work_list,
)

from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db

S = Dossier.Status
NOW = local(2026, 3, 18, 10, 0)

# persona → (dossiers listed and readable, the "unassigned" work list, desks it may open)
EXPECTED = {
    "tiepnhan": ("AC", "", {"cantho"}),
    "tiepnhan.ninhkieu": ("BD", "", {"ninhkieu"}),
    "lanhdao": ("AC", "", {"cantho"}),
    "chuyenvien.tuphap": ("BC", "BC", set()),
    "lanhdao.tuphap": ("BC", "BC", set()),
    "chuyenvien.khcn": ("ACD", "A", set()),
    "admin": ("ABCD", "ABC", {"cantho", "ninhkieu", "cairang"}),
    "khach": ("", "", set()),
}


@pytest.fixture
def world(procedure, organisation):
    from motcua.accounts.models import User
    from motcua.catalog.models import Agency
    from motcua.dossiers.services import dossier_accept

    User.objects.create_user(username="khach", full_name="Người không có vai trò", password="x")
    khcn, tuphap = Agency.objects.get(code="so-khcn"), Agency.objects.get(code="so-tu-phap")
    places = {
        "cantho": User.objects.get(username="tiepnhan"),
        "ninhkieu": User.objects.get(username="tiepnhan.ninhkieu"),
    }
    plan = {"A": ("cantho", khcn, khcn, S.PROCESSING), "B": ("ninhkieu", tuphap, tuphap, S.PROCESSING),
            "C": ("cantho", khcn, tuphap, S.PROCESSING), "D": ("ninhkieu", khcn, None, S.ACCEPTED)}  # fmt: skip
    dossiers = {}
    for name, (place, competent, current, status) in plan.items():
        center = Center.objects.get(code=place)
        dossier = dossier_accept(officer=places[place], intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
        Dossier.objects.filter(pk=dossier.pk).update(status=status, competent_agency=competent, current_agency=current)
        dossiers[name] = Dossier.objects.get(pk=dossier.pk)
    return dossiers


def persona(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


def names(world, queryset):
    by_pk = {d.pk: name for name, d in world.items()}
    return "".join(sorted(by_pk[d.pk] for d in queryset))


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_every_persona_sees_exactly_its_scope(world, username):
    visible, unassigned, desks = EXPECTED[username]
    user = persona(username)
    assert names(world, dossier_list_for_user(user=user)) == visible
    assert names(world, dossier_work_list(user=user, name="unassigned", now=NOW)) == unassigned
    for name, dossier in world.items():
        if name in visible:
            assert dossier_get_for_user(user=user, code=dossier.code, ip="10.0.0.9").pk == dossier.pk
        else:
            with pytest.raises(DossierPermissionDenied):
                dossier_get_for_user(user=user, code=dossier.code)
    viewed = AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed", actor=user)
    assert viewed.count() == len(visible)
    for center in Center.objects.all():
        if center.code in desks:
            assert names(world, dossier_reception_list(user, center, "to_return", now=NOW)) == ""
        else:
            with pytest.raises(DossierPermissionDenied):
                dossier_reception_list(user, center, "today", now=NOW)


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_work_lists_never_leave_the_scope(world, username):
    visible = EXPECTED[username][0]
    user = persona(username)
    Dossier.objects.filter(pk__in=[d.pk for d in world.values()]).update(assigned_to=user, at_risk_at=NOW)
    for name in ("unassigned", "mine", "due_soon", "overdue", "supplement", "returned"):
        assert set(names(world, dossier_work_list(user=user, name=name, now=NOW))) <= set(visible), name


@pytest.mark.parametrize(
    ("username", "dossier", "allowed"),
    [
        ("lanhdao.tuphap", "A", False),  # another agency's leader
        ("lanhdao.tuphap", "C", True),  # leader of the agency holding the step
        ("lanhdao.tuphap", "B", True),
        ("chuyenvien.khcn", "A", False),  # an officer, not a leader
        ("chuyenvien.tuphap", "B", False),
        ("lanhdao", "A", False),  # the center's leader is not the agency's
        ("tiepnhan", "A", False),
        ("khach", "A", False),
        ("admin", "A", True),
    ],
)
def test_apology_only_by_a_leader_of_the_dossiers_agencies(world, username, dossier, allowed):
    from motcua.dossiers.services import dossier_issue_apology

    target = world[dossier]

    def apologise():
        return dossier_issue_apology(officer=persona(username), dossier=target, reason="Chờ xác minh",
                                     new_due_at=local(2026, 3, 31, 8, 0), expected_version=target.version,
                                     now=local(2026, 3, 16, 9, 0))  # fmt: skip

    if allowed:
        assert apologise().number == 1
    else:
        with pytest.raises(DossierPermissionDenied):
            apologise()
        assert not ApologyLetter.objects.exists()
        assert Dossier.objects.get(pk=target.pk).due_at == target.due_at
