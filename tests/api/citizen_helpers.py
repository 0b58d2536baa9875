"""Helpers of the citizen API tests: calls with a bearer token, files, and dossiers brought to a state."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.online.conftest import NOW, pdf_bytes, png_bytes, stream

BASE = "/api/v1/citizen"
PASSWORD = "Song-Hau-2026!"


def auth(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def get(client, path: str, token: str | None = None, **params):
    return client.get(BASE + path, params, **auth(token))


def send(client, method: str, path: str, token: str | None = None, data=None):
    call = getattr(client, method)
    if data is None:
        return call(BASE + path, **auth(token))
    return call(BASE + path, data, content_type="application/json", **auth(token))


def upload(client, path: str, token: str | None, content: bytes, name: str = "don.pdf"):
    return client.post(BASE + path, {"file": SimpleUploadedFile(name, content)}, **auth(token))


def error_of(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    payload = response.json()
    assert set(payload) == {"error"} and {"code", "message"} <= set(payload["error"])
    if code is not None:
        assert payload["error"]["code"] == code, payload
    return payload["error"]


def token_for(user) -> str:
    from motcua.identity.services.tokens import citizen_token_issue

    return citizen_token_issue(user=user, label="Android – Samsung A15")[1]


def submitted_draft(draft):
    """The workhorse's three lines answered (PDF, not my case, PNG) and sent: a status-1 dossier."""
    from motcua.online import services
    from motcua.online.plan import NOT_APPLICABLE

    services.draft_save_applicant(draft=draft, applicant=draft.answers["applicant"], return_method="online", now=NOW)
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    services.draft_answer(draft=draft, index=1, answer=NOT_APPLICABLE, now=NOW)
    services.draft_upload(draft=draft, index=2, stream=stream(png_bytes()), original_name="anh.png", now=NOW)
    return services.draft_submit(draft=draft, now=NOW)


def with_released_result(dossier) -> None:
    """An electronic result, released (status 9), written directly as tests/online does."""
    from motcua.dossiers.models import Dossier, DossierResult

    result = DossierResult(dossier=dossier, kind=DossierResult.Kind.ELECTRONIC, approved_at=NOW, document_number="12/QĐ")
    result.file.save("ket-qua.pdf", ContentFile(pdf_bytes("ket qua")), save=False)
    result.save()
    Dossier.objects.filter(pk=dossier.pk).update(status=9, code="000.17.22.H56-260310-0001")


def work_to_an_electronic_result(dossier) -> None:
    """Sở KH&CN examines and signs; the leader approves a PDF result and marks it ready (the services)."""
    from motcua.accounts.models import User
    from motcua.dossiers import services as s

    officer, leader = User.objects.get(username="chuyenvien.khcn"), User.objects.get(username="lanhdao.khcn")
    while dossier.steps.filter(started_at__isnull=True).exists():
        s.dossier_hand_over(officer=officer, dossier=dossier, expected_version=dossier.version)
        dossier.refresh_from_db()
    pdf = SimpleUploadedFile("giay-chung-nhan.pdf", pdf_bytes("giay chung nhan"), content_type="application/pdf")
    s.dossier_approve_result(officer=leader, dossier=dossier, kind="electronic", document_number="7/GCN",
                             file=pdf, expected_version=dossier.version)  # fmt: skip
    dossier.refresh_from_db()
    s.dossier_mark_result_ready(officer=leader, dossier=dossier, expected_version=dossier.version)
