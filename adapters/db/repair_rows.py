"""Mapping between the Repair aggregate and its rows (used by `repairs_store`).

Each domain event becomes one `repair_events` row (codes only) and updates the read-copy
columns of `repairs`; loading rebuilds the aggregate's status and appointment history from
those rows, so what the timeline shows and what the aggregate enforces never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.db.tables.repairs import RepairEventRow, RepairRow
from repairs.events import (
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentRescheduled,
    JobRaised,
    RepairCompleted,
    RepairEvent,
    RepairReported,
    RepairStatusChanged,
)
from repairs.periods import Deadline, Period, PeriodUnit, TargetRule
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import (
    PORTAL,
    AppointmentChangeKind,
    AppointmentRecord,
    Repair,
    RepairDetails,
    StatusRecord,
)
from repairs.reporting import RaiseState, RepairSummary, ReportFacts
from repairs.slots import Slot, SlotKind, SlotTimes
from repairs.statuses import BackendStatus

# Timeline kinds for the aggregate's events; the store adds raise_deferred and raise_failed.
_APPOINTMENT_KINDS = {
    "appointment_booked": AppointmentChangeKind.BOOKED,
    "appointment_rescheduled": AppointmentChangeKind.RESCHEDULED,
    "appointment_cancelled": AppointmentChangeKind.CANCELLED,
}


def _period_text(period: Period) -> str:
    return f"{period.amount} {period.unit.value}"


def _period(text: str) -> Period:
    amount, unit = text.split(" ", 1)
    return Period(int(amount), PeriodUnit(unit))


def new_row(repair: Repair, facts: ReportFacts) -> RepairRow:
    d, target, attend = repair.details, repair.target, repair.attend_target
    return RepairRow(
        reference=str(d.ref), submission_id=str(d.submission_id), version=1,
        tenancy_ref=str(d.tenancy_ref), property_ref=str(d.property_ref),
        triage_path=facts.triage_path, sor_code=d.sor_code, trade=d.trade.value,
        priority=d.priority.value, description=d.description, access_notes=facts.access_notes,
        contact_mobile=facts.contact_mobile, channel=d.channel.value,
        actor_kind=facts.actor.kind.value, staff_id=facts.actor.staff_id,
        reported_at=d.reported_at,
        target_date=target.due_on, target_due_before=target.due_before,
        target_rule=target.rule.value, target_period=_period_text(target.period),
        target_reason=target.reason[:200],
        attend_target_date=attend.due_on if attend else None,
        attend_due_before=attend.due_before if attend else None,
        attend_period=_period_text(attend.period) if attend else None,
        attend_reason=attend.reason[:200] if attend else None,
        awaabs_law_case=repair.awaabs_law_case, right_to_repair=facts.right_to_repair,
        job_number=None, backend_status=repair.status.value, status_updated_at=d.reported_at,
    )  # fmt: skip


def event(repair_id: int, kind: str, at: datetime, **fields: Any) -> RepairEventRow:
    return RepairEventRow(repair_id=repair_id, kind=kind, at=at, **fields)


def apply_events(
    session: Session,
    row: RepairRow,
    events: Iterable[RepairEvent],
    slot_times: SlotTimes,
    assisted: bool,
) -> None:
    """Record each event on the timeline and bring the read-copy columns up to date."""
    changed = False
    for item in events:
        session.add(_event_row(row.id, item, assisted))
        _apply(row, item, slot_times)
        changed = True
    if changed:
        row.version += 1


def _event_row(repair_id: int, item: RepairEvent, assisted: bool) -> RepairEventRow:
    base: dict[str, Any] = {"repair_id": repair_id, "at": item.at, "assisted": assisted}
    match item:
        case RepairReported():
            return RepairEventRow(kind="reported", **base)
        case JobRaised():
            return RepairEventRow(kind="job_raised", job_number=str(item.job_number), **base)
        case AppointmentBooked():
            return RepairEventRow(kind="appointment_booked", **_slot(item.slot), **base)
        case AppointmentRescheduled():
            previous = {"previous_slot_day": item.old_slot.day,
                        "previous_slot_kind": item.old_slot.kind.value}  # fmt: skip
            return RepairEventRow(
                kind="appointment_rescheduled", **_slot(item.new_slot), **previous, **base
            )
        case AppointmentCancelled():
            return RepairEventRow(kind="appointment_cancelled", **_slot(item.slot), **base)
        case RepairStatusChanged():
            return RepairEventRow(
                kind="status_changed", status=item.new_status.value, source=item.source, **base
            )
        case RepairCompleted():
            return RepairEventRow(kind="completed", **base)
    raise TypeError(f"no timeline entry for {item!r}")


def _slot(slot: Slot) -> dict[str, Any]:
    return {"slot_day": slot.day, "slot_kind": slot.kind.value}


def _apply(row: RepairRow, item: RepairEvent, times: SlotTimes) -> None:
    match item:
        case JobRaised():
            row.job_number = str(item.job_number)
        case AppointmentBooked() | AppointmentRescheduled():
            slot = item.slot if isinstance(item, AppointmentBooked) else item.new_slot
            row.slot_day, row.slot_kind = slot.day, slot.kind.value
            row.starts_at, row.ends_at = slot.starts_at(times), slot.ends_at(times)
            row.tenant_confirmed_at = None
        case AppointmentCancelled():
            row.slot_day = row.slot_kind = row.starts_at = row.ends_at = None
            row.tenant_confirmed_at = None
        case RepairStatusChanged():
            row.backend_status, row.status_updated_at = item.new_status.value, item.at
        case RepairCompleted():
            row.completed_at = item.at


def details(row: RepairRow) -> RepairDetails:
    return RepairDetails(
        ref=RepairRef(row.reference),
        submission_id=SubmissionId(row.submission_id),
        tenancy_ref=TenancyRef(row.tenancy_ref),
        property_ref=PropertyRef(row.property_ref),
        sor_code=row.sor_code,
        description=row.description,
        priority=Priority(row.priority),
        trade=Trade(row.trade),
        channel=Channel(row.channel),
        reported_at=row.reported_at,
    )


def _deadline(rule: str, period: str, due_before: datetime, due_on: date, reason: str) -> Deadline:
    return Deadline(TargetRule(rule), _period(period), due_before, due_on, reason)


def load(session: Session, row: RepairRow) -> Repair:
    """The aggregate, with its history rebuilt from the timeline."""
    events = session.scalars(
        select(RepairEventRow)
        .where(RepairEventRow.repair_id == row.id)
        .order_by(RepairEventRow.at, RepairEventRow.id)
    ).all()
    statuses = [StatusRecord(BackendStatus.LOGGED, row.reported_at, PORTAL)]
    appointments = []
    for e in events:
        if e.kind == "status_changed" and e.status and e.source:
            statuses.append(StatusRecord(BackendStatus(e.status), e.at, e.source))
        elif e.kind in _APPOINTMENT_KINDS and e.slot_day and e.slot_kind:
            previous = None
            if e.previous_slot_day and e.previous_slot_kind:
                previous = Slot(e.previous_slot_day, SlotKind(e.previous_slot_kind))
            slot = Slot(e.slot_day, SlotKind(e.slot_kind))
            appointments.append(AppointmentRecord(_APPOINTMENT_KINDS[e.kind], slot, e.at, previous))
    attend = None
    if row.attend_target_date and row.attend_due_before and row.attend_period:
        # R1: an attend target only ever comes from the landlord's priority targets.
        attend = _deadline(TargetRule.PRIORITY, row.attend_period, row.attend_due_before,
                           row.attend_target_date, row.attend_reason or "")  # fmt: skip
    return Repair(
        details(row),
        _deadline(
            row.target_rule,
            row.target_period,
            row.target_due_before,
            row.target_date,
            row.target_reason,
        ),  # fmt: skip
        attend_target=attend,
        awaabs_law_case=row.awaabs_law_case,
        job_number=JobNumber(row.job_number) if row.job_number else None,
        status_history=tuple(statuses),
        appointment_history=tuple(appointments),
    )


def summary(row: RepairRow, raise_state: RaiseState, photos: tuple[str, ...]) -> RepairSummary:
    d = details(row)
    slot = Slot(row.slot_day, SlotKind(row.slot_kind)) if row.slot_day and row.slot_kind else None
    return RepairSummary(
        ref=d.ref, submission_id=d.submission_id, tenancy_ref=d.tenancy_ref,
        property_ref=d.property_ref, triage_path=row.triage_path, sor_code=d.sor_code,
        priority=d.priority, trade=d.trade, description=d.description,
        access_notes=row.access_notes, contact_mobile=row.contact_mobile, channel=d.channel,
        reported_at=d.reported_at, target_date=row.target_date,
        target_rule=TargetRule(row.target_rule), target_reason=row.target_reason,
        awaabs_law_case=row.awaabs_law_case,
        job_number=JobNumber(row.job_number) if row.job_number else None,
        status=BackendStatus(row.backend_status), status_updated_at=row.status_updated_at,
        slot=slot, completed_at=row.completed_at, raise_state=raise_state, photo_tokens=photos,
    )  # fmt: skip
