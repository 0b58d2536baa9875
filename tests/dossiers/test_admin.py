"""The dossier admin is read-only, scoped, and audits every opening of a dossier."""

from __future__ import annotations

import pytest

from motcua.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_admin_lists_and_opens_a_dossier_read_only_and_audits(client, accepted, admin_user):
    client.force_login(admin_user)
    listing = client.get("/admin/dossiers/dossier/")
    assert listing.status_code == 200 and accepted.code in listing.content.decode()
    page = client.get(f"/admin/dossiers/dossier/{accepted.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed", object_id=str(accepted.pk)).exists()


def test_another_centers_officer_does_not_see_it(client, accepted, organisation):
    from motcua.accounts.models import User

    other = User.objects.get(username="tiepnhan.ninhkieu")
    other.is_staff = True
    other.save()
    client.force_login(other)
    listing = client.get("/admin/dossiers/dossier/")
    assert accepted.code not in listing.content.decode()
    assert client.get(f"/admin/dossiers/dossier/{accepted.pk}/change/").status_code in (302, 404)
