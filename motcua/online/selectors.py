"""What a citizen may read: their drafts, their files, their dossiers — and nobody else's.

Every getter filters by the citizen in the query itself, so another citizen's id matches no row
and the view answers 404 (never 403, which would confirm the id exists).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.notifications.models import OutboxMessage

from .models import Attachment, Draft

# How many earlier files the "reuse" list offers.
REUSE_LIMIT = 12


def drafts_for_citizen(user: Any) -> QuerySet[Draft]:
    return Draft.objects.filter(citizen=user, status=Draft.Status.DRAFT).select_related("procedure", "center")


def draft_for_citizen(user: Any, pk: int, *, status: str = Draft.Status.DRAFT) -> Draft:
    """Draft.DoesNotExist unless `pk` is this citizen's draft in `status`."""
    return Draft.objects.select_related("procedure", "center").get(pk=pk, citizen=user, status=status)


def attachment_for_citizen(user: Any, pk: int) -> Attachment:
    return Attachment.objects.get(pk=pk, citizen=user)


def reusable_attachments(user: Any, *, draft: Draft) -> list[Attachment]:
    """The citizen's earlier files not already in this draft, one per content, newest first."""
    rows = Attachment.objects.filter(citizen=user).exclude(draft=draft).order_by("-uploaded_at", "-id")
    seen: set[str] = set()
    chosen: list[Attachment] = []
    for row in rows[: REUSE_LIMIT * 4]:
        if row.sha256 not in seen:
            seen.add(row.sha256)
            chosen.append(row)
    return chosen[:REUSE_LIMIT]


def _mine_q(user: Any) -> Q:
    submitted = DossierEvent.objects.filter(action="dossier.submitted", actor=user).values("dossier_id")
    mine = Q(pk__in=submitted)
    national_id = getattr(getattr(user, "citizen", None), "national_id", "")
    if national_id:
        mine |= Q(applicant_national_id=national_id)
    return mine


def dossiers_for_citizen(user: Any) -> QuerySet[Dossier]:
    """The citizen's dossiers: those they submitted, and those filed in their ID number."""
    return (
        Dossier.objects.filter(_mine_q(user))
        .select_related("procedure", "receiving_center", "competent_agency", "current_agency")
        .order_by("-submitted_at", "-id")
    )


def dossier_for_citizen(user: Any, pk: int) -> Dossier:
    """Dossier.DoesNotExist unless the dossier is the citizen's."""
    return dossiers_for_citizen(user).select_related("procedure_version").get(pk=pk)


def scan_for_citizen(user: Any, dossier_pk: int, document_pk: int) -> DossierDocument:
    dossier = dossier_for_citizen(user, dossier_pk)
    return DossierDocument.objects.exclude(scan="").get(pk=document_pk, dossier=dossier)


def notifications_for(dossier: Dossier) -> QuerySet[OutboxMessage]:
    """Notices sent about the dossier (e-mail, SMS), newest first."""
    return dossier.outbox_messages.exclude(channel="printer").order_by("-created_at", "-id")
