"""Uploads and results go through Django's storage API only, so an object store can hold them.

With the default storage swapped for Django's in-memory one (standing in for S3), the citizen's
uploads, the dossier's scans and the electronic result are written and served back, and nothing
lands under MEDIA_ROOT.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierResult
from motcua.online import services
from motcua.online.plan import NOT_APPLICABLE
from tests.online.conftest import NOW, pdf_bytes, png_bytes, stream


@pytest.fixture
def object_store(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return default_storage


def test_an_online_dossier_lives_in_the_configured_storage(client, citizen, draft, object_store, settings):
    assert type(storages["default"]).__name__ == "InMemoryStorage"
    services.draft_save_applicant(draft=draft, applicant=draft.answers["applicant"], return_method="online", now=NOW)
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    services.draft_answer(draft=draft, index=1, answer=NOT_APPLICABLE, now=NOW)
    services.draft_upload(draft=draft, index=2, stream=stream(png_bytes()), original_name="anh.png", now=NOW)
    dossier = services.draft_submit(draft=draft, now=NOW)
    result = DossierResult(dossier=dossier, kind=DossierResult.Kind.ELECTRONIC, approved_at=NOW, document_number="7/QĐ")
    result.file.save("ket-qua.pdf", ContentFile(pdf_bytes("ket qua")), save=False)
    result.save()
    Dossier.objects.filter(pk=dossier.pk).update(status=9, code="000.17.22.H56-260310-0002")

    client.force_login(citizen)
    scan = dossier.documents.exclude(scan="").order_by("ordering").first()
    got = client.get(reverse("portal:my_dossier_file", args=[dossier.pk, scan.pk]))
    assert b"".join(got.streaming_content).startswith(b"%PDF-")
    got = client.get(reverse("portal:my_dossier_result", args=[dossier.pk]))
    assert b"".join(got.streaming_content).startswith(b"%PDF-")
    assert object_store.exists(scan.scan.name) and object_store.exists(result.file.name)
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
