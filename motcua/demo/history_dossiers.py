"""The generated history's dossiers: each one's life told in order and cut at `now`.

A `_Story` moves one dossier the way the services would (accept, forward, hand over, ask for
a supplement, apologise, approve, release, return, withdraw), writing the same fields and the
same `DossierEvent` rows; the first move that would happen after `now` ends the story, so
recent dossiers are still open and some of them overdue. See `history` for the invariants.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from motcua.accounts.models import RoleAssignment
from motcua.catalog.fees import fee_amount
from motcua.catalog.models import Agency, Procedure, ProcedureVersion
from motcua.core.calendar import WorkingCalendar, parse_clock, to_local
from motcua.core.models import Center
from motcua.dossiers.codes import code_format, split_format
from motcua.dossiers.models import (
    ApologyLetter,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFee,
    DossierResult,
    DossierReturn,
    DossierStep,
    SupplementRequest,
)
from motcua.dossiers.services._timing import outcome
from motcua.feedback import schemes
from motcua.feedback.models import AssessmentScheme, DossierAssessment

from .dossiers import APPLICANTS
from .history_shape import busy, day_start, pick_moment
from .history_writer import insert

Status = Dossier.Status
BATCH = 2000
DAILY_DOSSIERS = {"cantho": 18, "ninhkieu": 7, "cairang": 5}
ACCEPTANCES = [(7, 10), (8, 18), (9, 16), (10, 6), (13, 6), (14, 10), (15, 8), (16, 3)]
OUTCOME_SCORE = {"early": 2, "on_time": 1, "late": 0}  # as feedback.services derives indicator 1


class _Cut(Exception):
    """The next move would happen after `now`: the dossier stays where it is."""


@dataclass
class _Version:
    version: ProcedureVersion
    agency: Agency
    steps: list[tuple[str, Agency, Decimal, str]]
    fees: list[tuple[str, Decimal]]
    weight: int


@dataclass
class Desk:
    """What one center receives, who receives it and who decides."""

    center: Center
    calendar: WorkingCalendar
    versions: list[_Version]
    receivers: list[int]
    agency_staff: dict[int, list[int]]  # agency id → officer ids
    scheme: AssessmentScheme | None

    @classmethod
    def of(cls, center: Center, calendar: WorkingCalendar) -> Desk:
        agencies = {a.code: a for a in Agency.objects.all()}
        versions = []
        for procedure in Procedure.objects.filter(is_active=True).prefetch_related("fees").order_by("code"):
            version = procedure.versions.order_by("-number").first()
            snap = version.snapshot if version else {}
            if version is None or not (snap.get("location_independent") or center.code in snap.get("centers", [])):
                continue
            agency = agencies[snap["agency"]]
            steps = [(s["name"], agencies.get(s.get("agency") or "", agency), Decimal(str(s["time_value"] or 0)),
                      s["time_unit"]) for s in snap.get("steps") or []]  # fmt: skip
            steps = steps or [("Giải quyết hồ sơ", agency, Decimal(str(snap.get("time_value") or 0)), snap["time_unit"])]
            fees = [(f.name, fee_amount(f)) for f in procedure.fees.all() if fee_amount(f) > 0]
            weight = 1 + sum(map(ord, procedure.code)) % 6
            versions.append(_Version(version, agency, steps, fees, weight))
        receivers = list(RoleAssignment.objects.filter(role="reception_officer", center=center)
                         .order_by("user_id").values_list("user_id", flat=True))  # fmt: skip
        staff: dict[int, list[int]] = {}
        for agency_id, user_id in RoleAssignment.objects.filter(agency__isnull=False).order_by("user_id").values_list(
            "agency_id", "user_id"
        ):
            staff.setdefault(agency_id, []).append(user_id)
        scheme = AssessmentScheme.objects.order_by("-valid_from", "-id").first()
        return cls(center, calendar, versions, receivers, staff, scheme)


class _Rows:
    """Everything one batch of days inserts, in dependency order."""

    def __init__(self) -> None:
        self.dossiers: list[Dossier] = []
        self.steps: list[DossierStep] = []
        self.documents: list[DossierDocument] = []
        self.fees: list[DossierFee] = []
        self.supplements: list[SupplementRequest] = []
        self.apologies: list[ApologyLetter] = []
        self.results: list[DossierResult] = []
        self.returns: list[DossierReturn] = []
        self.assessments: list[DossierAssessment] = []
        self.events: list[DossierEvent] = []
        self.links: list[tuple[DossierEvent, SupplementRequest]] = []

    def save(self) -> None:
        insert(Dossier, self.dossiers)
        insert(DossierStep, self.steps)
        insert(DossierDocument, self.documents)
        insert(DossierFee, self.fees)
        insert(SupplementRequest, self.supplements)
        insert(ApologyLetter, self.apologies)
        insert(DossierResult, self.results)
        insert(DossierReturn, self.returns)
        for event, request in self.links:
            event.data["supplement"] = request.pk
        insert(DossierEvent, self.events)
        insert(DossierAssessment, self.assessments)


class _Story:
    def __init__(self, desk: Desk, spec: _Version, rows: _Rows, rng: random.Random, now: datetime) -> None:
        self.desk, self.spec, self.rows, self.rng, self.now = desk, spec, rows, rng, now
        self.cal = desk.calendar
        self.dossier: Dossier
        self.steps: list[DossierStep] = []

    # --- shared moves --------------------------------------------------------------------

    def event(self, action: str, before: int | None, at: datetime, *, actor: int | None = None, kind: str = "officer",
              **fields: Any) -> DossierEvent:  # fmt: skip
        if at > self.now:
            raise _Cut
        row = DossierEvent(dossier=self.dossier, action=f"dossier.{action}", from_status=before,
                           to_status=self.dossier.status, actor_id=actor,
                           actor_kind=kind if actor or kind != "officer" else "system", at=at, **fields)  # fmt: skip
        row.data = row.data or {}
        self.rows.events.append(row)
        return row

    def move(self, target: int, action: str, at: datetime, **kw: Any) -> DossierEvent:
        if at > self.now:
            raise _Cut
        before, self.dossier.status = self.dossier.status, target
        self.dossier.version += 1
        return self.event(action, before, at, **kw)

    def agency_officer(self, agency: Agency | None) -> int | None:
        staff = self.desk.agency_staff.get(agency.pk if agency else 0)
        return self.rng.choice(staff) if staff else None

    def later(self, start: datetime, hours: float) -> datetime:
        return self.cal.add_working_time(start, timedelta(hours=hours))

    def between(self, start: datetime, end: datetime, share: float) -> datetime:
        return self.cal.add_working_time(start, self.cal.working_time_between(start, end) * share)

    # --- the life of an accepted dossier -------------------------------------------------

    def open(self, accepted: datetime, channel: str, code: str | None) -> Dossier:
        rng, spec = self.rng, self.spec
        name, national_id, phone = rng.choice(APPLICANTS)
        submitted = accepted - timedelta(hours=rng.uniform(0.5, 40)) if channel == "online" else accepted
        self.dossier = Dossier(
            code=code, procedure_id=spec.version.procedure_id, procedure_version=spec.version,
            applicant_kind="organisation" if national_id.startswith("18") else "person", applicant_name=name,
            applicant_national_id=national_id, applicant_phone=phone, applicant_address="Thành phố Cần Thơ",
            receiving_center=self.desk.center, competent_agency=spec.agency, channel=channel, status=Status.SUBMITTED,
            is_digitised=channel == "online" or rng.random() < 0.45, submitted_at=submitted, version=1,
            return_method=Dossier.ReturnMethod.COUNTER,
        )  # fmt: skip
        self.rows.dossiers.append(self.dossier)
        officer = rng.choice(self.desk.receivers) if self.desk.receivers else None
        self.dossier.received_by_id = officer
        online = channel == "online"
        self.event("submitted", None, submitted, actor=None if online else officer, kind="citizen" if online else "officer",
                   data={"procedure_version": spec.version.number})  # fmt: skip
        self._documents()
        self._fees(submitted if online else accepted, officer)
        return self.dossier

    def _documents(self) -> None:
        for index, doc in enumerate(self.spec.version.snapshot.get("documents", [])):
            online = self.dossier.channel == "online"
            self.rows.documents.append(DossierDocument(
                dossier=self.dossier, ordering=index, name=doc["name"],
                required_originals=doc.get("originals") or 0, required_certified_copies=doc.get("certified_copies") or 0,
                required_plain_copies=doc.get("plain_copies") or 0, provided=True, originals=doc.get("originals") or 0,
                certified_copies=doc.get("certified_copies") or 0, plain_copies=doc.get("plain_copies") or 0,
                show_only=bool(doc.get("show_only")), replaced_by=doc.get("replaced_by") or "",
                not_scanned_reason="online" if online else "show_only" if doc.get("show_only") else "",
            ))  # fmt: skip

    def _fees(self, paid_at: datetime, officer: int | None) -> None:
        online = self.dossier.channel == "online"
        for n, (name, amount) in enumerate(self.spec.fees):
            method = "online" if online and self.rng.random() < 0.6 else self.rng.choice(["cash", "cash", "transfer"])
            self.rows.fees.append(DossierFee(
                dossier=self.dossier, name=name, amount=amount, paid=True, method=method, paid_at=paid_at,
                receipt_number=f"BL{paid_at:%y%m%d}{self.rng.randrange(10**5):05d}{n}",
                recorded_by_id=None if method == "online" else officer,
            ))  # fmt: skip

    def accept(self, at: datetime, counter: int | None) -> None:
        d, snap = self.dossier, self.spec.version.snapshot
        cutoff = snap.get("same_day_cutoff")
        due = self.cal.due_at(at, value=Decimal(str(snap.get("time_value") or 0)), unit=snap["time_unit"],
                              cutoff=parse_clock(cutoff) if cutoff else None)  # fmt: skip
        self.move(Status.ACCEPTED, "accepted", at, actor=d.received_by_id, counter_id=counter,
                  data={"code": d.code, "procedure_version": self.spec.version.number,
                        "submitted_version": self.spec.version.number})  # fmt: skip
        d.accepted_at, d.due_at, d.original_due_at, d.counter_id = at, due, due, counter
        d.forward_due_at = self._forward_due(at)
        self.steps = [DossierStep(dossier=d, ordering=i + 1, name=name, agency=agency, time_value=value, time_unit=unit)
                      for i, (name, agency, value, unit) in enumerate(self.spec.steps)]  # fmt: skip
        self.rows.steps += self.steps

    def _forward_due(self, at: datetime) -> datetime | None:
        d = self.dossier
        if d.is_digitised or d.channel == "online":
            return None
        local = to_local(at)
        if local.time() <= parse_clock(settings.MOTCUA["FORWARD_CUTOFF"]):
            return self.cal.end_of_working_day(local.date())
        return self.cal.next_session_start(day_start(self.cal.next_working_day(local.date())))

    def forward(self) -> datetime:
        d = self.dossier
        assert d.accepted_at is not None
        at = d.accepted_at if d.channel == "online" else self.later(d.accepted_at, self.rng.uniform(0.1, 3))
        first = self.steps[0]
        late = d.forward_due_at is not None and at > d.forward_due_at
        self.move(Status.PROCESSING, "forwarded", at, actor=d.received_by_id, agency=first.agency,
                  data={"agency": first.agency.code, "late": late, "step": 1})  # fmt: skip
        d.forwarded_at, d.current_agency = at, first.agency
        self._start(first, at)
        return at

    def _start(self, step: DossierStep, at: datetime) -> None:
        step.started_at = at
        step.due_at = self.cal.due_at(at, value=step.time_value, unit=step.time_unit)

    def _finish(self, step: DossierStep, at: datetime, officer: int | None) -> str:
        step.handed_over_at, step.handed_by_id = at, officer
        step.outcome = outcome(step.due_at, at)
        step.received_by_id = step.received_by_id or officer
        return step.outcome

    def target(self, forwarded: datetime) -> tuple[datetime, str]:
        """When the result will be ready, and the outcome aimed at (most early, a few late)."""
        d, rng = self.dossier, self.rng
        due = d.original_due_at
        if due is None:
            return self.later(forwarded, rng.uniform(2, 40)), "on_time"
        aim = rng.choices(["early", "on_time", "late"], [72, 20, 8])[0]
        due_day = self.cal.next_session_start(day_start(to_local(due).date()))
        if aim == "early" and due_day > forwarded:
            return self.between(forwarded, due_day, rng.uniform(0.3, 0.95)), aim
        if aim == "late":
            return self.later(due, rng.uniform(1, 40)), aim
        return self.between(max(forwarded, due_day), due, rng.uniform(0.1, 0.98)), "on_time"

    def process(self, forwarded: datetime, ready: datetime, aim: str) -> datetime:
        """Steps handed over, perhaps a supplement and an apology, the result approved: the
        moment the result is ready (moved by a supplement's pause)."""
        d, rng = self.dossier, self.rng
        approve = self.between(forwarded, ready, 0.97)
        total = sum(s.time_value for s in self.steps) or Decimal(len(self.steps))
        share = Decimal(0)
        for step, following in zip(self.steps, self.steps[1:], strict=False):
            share += (step.time_value or Decimal(1)) / total
            at = self.between(forwarded, approve, float(share))
            officer = self.agency_officer(step.agency)
            moves = following.agency_id != d.current_agency_id
            self.move(Status.PROCESSING, "handed_over", at, actor=officer, agency=following.agency,
                      data={"note": "", "step": step.ordering, "next_step": following.ordering,
                            "from_agency": step.agency.code, "to_agency": following.agency.code,
                            "inter_agency": moves, "outcome": outcome(step.due_at, at)})  # fmt: skip
            self._finish(step, at, officer)
            d.current_agency = following.agency
            self._start(following, at)
        if rng.random() < 0.06:
            approve, ready = self.supplement(approve, ready)
        if aim == "late" and d.due_at and rng.random() < 0.6:
            self.apologise(ready)
        if rng.random() < 0.015:
            self.withdraw(self.between(self.steps[-1].started_at or forwarded, approve, 0.5))
        self.approve(approve)
        return ready

    def supplement(self, approve: datetime, ready: datetime) -> tuple[datetime, datetime]:
        d, step = self.dossier, self.steps[-1]
        assert step.started_at is not None
        asked = self.between(step.started_at, approve, self.rng.uniform(0.1, 0.5))
        officer = self.agency_officer(d.current_agency)
        items = [{"document": "Bản sao giấy tờ chứng minh nhân thân", "note": "bản sao có chứng thực"}]
        snap = self.spec.version.snapshot
        deadline = None
        if snap.get("supplement_time_value") not in (None, ""):
            deadline = self.cal.due_at(asked, value=Decimal(str(snap["supplement_time_value"])),
                                       unit=snap.get("supplement_time_unit") or "working_days")  # fmt: skip
        request = SupplementRequest(dossier=d, stage="processing", requested_by_kind="agency", agency=d.current_agency,
                                    items=items, reason="Thiếu giấy tờ chứng minh nhân thân.", requested_at=asked,
                                    requested_by_id=officer, deadline_at=deadline)  # fmt: skip
        event = self.move(Status.SUPPLEMENT_REQUESTED, "supplement_requested", asked, actor=officer,
                          agency=d.current_agency, reason=request.reason,
                          data={"items": items, "supplement": None, "requested_by": "agency",
                                "deadline_at": deadline.isoformat() if deadline else None})  # fmt: skip
        d.paused_since = asked
        self.rows.supplements.append(request)
        self.rows.links.append((event, request))
        back = self.later(asked, self.rng.uniform(6, 30))
        pause = self.cal.working_time_between(asked, back)
        event = self.move(Status.PROCESSING, "supplement_received", back, actor=d.received_by_id,
                          data={"paused_seconds": int(pause.total_seconds()), "supplement": None, "note": ""})  # fmt: skip
        self.rows.links.append((event, request))
        request.received_at, request.paused = back, pause
        d.due_at, d.original_due_at = self._shift(d.due_at, pause), self._shift(d.original_due_at, pause)
        d.paused_total, d.paused_since = pause, None
        step.due_at = self._shift(step.due_at, pause)
        return self._shift(approve, pause) or approve, self._shift(ready, pause) or ready

    def _shift(self, value: datetime | None, pause: timedelta) -> datetime | None:
        return self.cal.add_working_time(value, pause) if value is not None and pause > timedelta(0) else value

    def apologise(self, ready: datetime) -> None:
        d = self.dossier
        assert d.due_at is not None and d.forwarded_at is not None
        at = max(d.forwarded_at, d.due_at - timedelta(hours=2))
        new_due = self.later(ready, self.rng.uniform(0, 6))
        leader = self.agency_officer(d.current_agency)
        reason = "Cần xác minh thêm thông tin với cơ quan liên quan."
        self.event("apology_issued", d.status, at, actor=leader, agency=d.current_agency, reason=reason,
                   data={"number": 1, "previous_due_at": d.due_at.isoformat(), "new_due_at": new_due.isoformat(),
                         "late_notice": False})  # fmt: skip
        self.dossier.version += 1
        assert d.current_agency is not None
        self.rows.apologies.append(ApologyLetter(dossier=d, number=1, agency=d.current_agency, reason=reason,
                                                 previous_due_at=d.due_at, new_due_at=new_due, issued_at=at,
                                                 issued_by_id=leader))  # fmt: skip
        d.due_at = new_due

    def withdraw(self, at: datetime) -> None:
        self.move(Status.WITHDRAWN, "withdrawn", at, actor=self.dossier.received_by_id,
                  reason="Công dân có đơn xin rút hồ sơ.")  # fmt: skip
        self.dossier.closed_at = at
        raise _Cut

    def approve(self, at: datetime) -> None:
        d, step = self.dossier, self.steps[-1]
        leader = self.agency_officer(d.current_agency)
        kind = self.rng.choices(["electronic", "paper", "both"], [55, 25, 20])[0]
        number = f"{self.rng.randrange(1, 9999)}/QĐ"
        self.event("result_approved", d.status, at, actor=leader, agency=d.current_agency,
                   data={"kind": kind, "document_number": number, "has_file": kind != "paper", "step": step.ordering,
                         "outcome": outcome(step.due_at, at)})  # fmt: skip
        d.version += 1
        self._finish(step, at, leader)
        self.rows.results.append(DossierResult(dossier=d, kind=kind, document_number=number, approved_by_id=leader,
                                               approved_at=at))  # fmt: skip

    def release(self, ready: datetime) -> None:
        d = self.dossier
        agency = d.current_agency
        self.move(Status.RESULT_READY, "result_ready", ready, actor=self.agency_officer(agency), agency=agency,
                  data={"outcome": outcome(d.original_due_at, ready)})  # fmt: skip
        d.result_ready_at, d.current_agency = ready, None
        hours = self.rng.uniform(0.2, 2) if d.channel == "online" else self.rng.uniform(1, 48)
        at = self.later(ready, hours)
        self.move(Status.RETURNED, "returned", at, actor=d.received_by_id, counter_id=d.counter_id,
                  data={"method": "counter", "authorised": False})  # fmt: skip
        d.returned_at = d.closed_at = at
        self.rows.returns.append(DossierReturn(dossier=d, method="counter", collected_by_name=d.applicant_name,
                                               collected_by_national_id=d.applicant_national_id,
                                               counter_id=d.counter_id, officer_id=d.received_by_id, returned_at=at))  # fmt: skip
        self.assess(at)

    def assess(self, returned: datetime) -> None:
        scheme, d = self.desk.scheme, self.dossier
        at = returned + timedelta(minutes=self.rng.uniform(2, 600))
        if scheme is None or self.rng.random() >= 0.3 or at > self.now:
            return
        definition = scheme.definition
        derived = {"time_total": self._time_total(), "time_steps": self._time_steps(),
                   "supplements": 2 if d.paused_total == timedelta(0) else 1}  # fmt: skip
        scores = {n: derived.get(kind, self.rng.choices([2, 1, 0], [70, 26, 4])[0])
                  for n, kind in schemes.indicators_by_derive(definition).items()}  # fmt: skip
        values = schemes.answer_values(definition)
        answers = {code: self.rng.choices(values, [55, 38, 7][: len(values)])[0]
                   for code in schemes.question_codes(definition)}  # fmt: skip
        total = sum(scores.values())
        self.rows.assessments.append(DossierAssessment(
            dossier=d, scheme=scheme, scores={str(n): s for n, s in sorted(scores.items())},
            sources={str(n): "derived" if kind in derived else "asked"
                     for n, kind in sorted(schemes.indicators_by_derive(definition).items())},
            total=total, grade=schemes.grade_for(definition, total)[0], answers=answers,
            overall=answers[schemes.overall_code(definition)], channel="portal" if d.channel == "online" else "kiosk",
            center=d.receiving_center, agency=d.competent_agency, procedure_id=d.procedure_id, at=at,
        ))  # fmt: skip

    def _time_total(self) -> int:
        assert self.dossier.result_ready_at is not None
        return OUTCOME_SCORE[outcome(self.dossier.original_due_at, self.dossier.result_ready_at)]

    def _time_steps(self) -> int:
        outcomes = [s.outcome for s in self.steps if s.outcome]
        if not outcomes:
            return self._time_total()
        if all(o == "early" for o in outcomes):
            return 2
        return 0 if "late" in outcomes else 1

    def refuse(self, at: datetime) -> None:
        self.move(Status.REFUSED, "refused", at, actor=self.dossier.received_by_id, counter_id=self.dossier.counter_id,
                  reason="Hồ sơ không thuộc thẩm quyền giải quyết.")  # fmt: skip
        self.dossier.closed_at = at

    def live(self, accepted: datetime, counter: int | None) -> None:
        """The whole life after the dossier is opened, cut at `now`."""
        try:
            self.accept(accepted, counter)
            forwarded = self.forward()
            ready, aim = self.target(forwarded)
            ready = self.process(forwarded, ready, aim)
            self.release(ready)
        except _Cut:
            pass


def _series(desk: Desk, agency: Agency, day: date) -> tuple[str, str]:
    head, spec = split_format(code_format())
    names = {name for _l, name, _s, _c in string.Formatter().parse(head) if name}
    values = {"unit": desk.center.unit_id, "agency": agency.unit_id, "aa": settings.MOTCUA.get("DOSSIER_CODE_AA", ""),
              "date": day}  # fmt: skip
    return head.format(**{k: v for k, v in values.items() if k in names}), spec


def _taken(desk: Desk, days: Sequence[date]) -> dict[tuple[str, date], int]:
    rows = DailySequence.objects.filter(business_date__in=days)
    return {(r.series, r.business_date): r.last_number for r in rows}


def _day(desk: Desk, day: date, now: datetime, rng: random.Random, rows: _Rows, numbers: dict) -> None:
    count = round(DAILY_DOSSIERS.get(desk.center.code, 10) * busy(day, rng))
    weights = [v.weight for v in desk.versions]
    counters: list[int | None] = [*desk.center.counters.order_by("number").values_list("pk", flat=True)] or [None]
    visits = sorted(((pick_moment(desk.calendar, day, rng, ACCEPTANCES), rng.choices(desk.versions, weights)[0])
                     for _ in range(count)), key=lambda visit: visit[0])  # fmt: skip
    for at, spec in visits:
        story = _Story(desk, spec, rows, rng, now)
        channel = rng.choices(["online", "counter", "post"], [60, 37, 3])[0]
        if rng.random() < 0.02:
            story.open(at, "counter", None)
            story.dossier.counter_id = rng.choice(counters)
            story.refuse(at)
            continue
        series, spec_format = _series(desk, spec.agency, day)
        numbers[series, day] = numbers.get((series, day), 0) + 1
        story.open(at, channel, series + format(numbers[series, day], spec_format))
        story.live(at, rng.choice(counters) if channel == "counter" else None)


def write_days(desk: Desk, days: Sequence[date], now: datetime, rng: random.Random, summary: Any) -> None:
    """Build and insert the dossiers of `days` with all their rows, and advance the code series."""
    if not desk.versions:
        return
    taken = _taken(desk, days)
    numbers = dict(taken)
    rows = _Rows()
    for day in days:
        _day(desk, day, now, rng, rows, numbers)
    rows.save()
    _advance(numbers, taken)
    summary.dossiers += len(rows.dossiers)
    summary.dossier_events += len(rows.events)
    summary.assessments += len(rows.assessments)
    for d in rows.dossiers:
        summary.by_status[d.status] = summary.by_status.get(d.status, 0) + 1


def _advance(numbers: dict[tuple[str, date], int], taken: dict[tuple[str, date], int]) -> None:
    new = [DailySequence(series=s, business_date=d, last_number=n) for (s, d), n in numbers.items() if (s, d) not in taken]
    insert(DailySequence, new)
    for (series, day), last in numbers.items():
        if (series, day) in taken and last != taken[series, day]:
            DailySequence.objects.filter(Q(series=series) & Q(business_date=day)).update(last_number=last)
