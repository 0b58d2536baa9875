"""What every dossier service shares: a fresh read, the optimistic lock and the history row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from motcua.core.calendar import to_local

from ..errors import DossierConflict, DossierError
from ..models import Dossier, DossierEvent
from ..transitions import REASON_REQUIRED, ensure_can_move

Status = Dossier.Status


def fresh(dossier: Dossier | int) -> Dossier:
    """The dossier as the database has it now (never trust the instance a screen rendered)."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    return Dossier.objects.select_related(
        "procedure_version", "receiving_center", "competent_agency", "current_agency"
    ).get(pk=pk)


def conflict(dossier: Dossier) -> DossierConflict:
    """'Someone changed it': who and when, from the latest history row."""
    latest = dossier.events.select_related("actor").order_by("-at", "-id").first()
    if latest is None:
        return DossierConflict("dossier.conflict", _("Hồ sơ vừa được người khác cập nhật, vui lòng tải lại."))
    who = str(latest.actor or "") or _("hệ thống")
    return DossierConflict(
        "dossier.conflict",
        _("Hồ sơ %(code)s đã được %(who)s cập nhật lúc %(at)s, vui lòng tải lại.")
        % {"code": dossier, "who": who, "at": f"{to_local(latest.at):%H:%M %d/%m/%Y}"},
    )


def check(dossier: Dossier, target: int, *, expected_version: int | None, reason: str = "") -> None:
    """The guards every transition shares: same version as seen, allowed move, reason given."""
    if expected_version is not None and dossier.version != expected_version:
        raise conflict(dossier)
    ensure_can_move(dossier, target)
    if target in REASON_REQUIRED and dossier.status != target and not reason.strip():
        raise DossierError("dossier.reason_required", _("Vui lòng ghi rõ lý do."))


def claim(dossier: Dossier, target: int, **fields: Any) -> Dossier:
    """Move `dossier` (as read by this request) to `target`, or raise DossierConflict.

    The conditional UPDATE is the lock: of two officers who saw the same version, the one whose
    UPDATE lands first wins; the other's matches no row and their whole transaction rolls back.
    """
    updated = Dossier.objects.filter(pk=dossier.pk, version=dossier.version, status=dossier.status).update(
        status=target, version=F("version") + 1, **fields
    )
    if updated != 1:
        raise conflict(fresh(dossier))
    dossier.status = target
    dossier.version += 1
    for name, value in fields.items():
        setattr(dossier, name, value)
    return dossier


def record(
    dossier: Dossier,
    action: str,
    *,
    from_status: int | None,
    actor: Any,
    at: datetime,
    actor_kind: str = DossierEvent.ActorKind.OFFICER,
    agency: Any = None,
    counter: Any = None,
    ip: str | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append the history row of a change (the dossier already carries its new status)."""
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_kind=actor_kind if getattr(actor, "pk", None) or actor_kind != DossierEvent.ActorKind.OFFICER
        else DossierEvent.ActorKind.SYSTEM,
        agency=agency,
        counter=counter,
        ip=ip,
        at=at,
        reason=reason.strip(),
        data=data or {},
    )
