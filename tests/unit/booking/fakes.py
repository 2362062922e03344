"""Fakes for the booking service: an Appointments backend with capacity, an in-memory store."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from repairs.booking import ApplyChange, RepairOnFile
from repairs.calendar import Division, WorkingDayCalendar
from repairs.policy import RepairsPolicy
from repairs.ports import (
    Appointment,
    AvailableSlot,
    BackendRejected,
    BackendUnavailable,
    SlotUnavailable,
    Tenure,
)
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import Repair, RepairDetails
from repairs.slots import Slot, SlotKind

TENANCY = TenancyRef("TEN-100001")
OTHER_TENANCY = TenancyRef("TEN-100002")
JOB = JobNumber("40000612")
MOBILE = "+447700900123"


class FakeAppointments:
    """Every weekday slot has one place unless a test fills or empties it."""

    def __init__(self) -> None:
        self.full: set[Slot] = set()
        self.open_days: set[date] | None = None  # None: every weekday has places
        self.booked: dict[JobNumber, Slot] = {}
        self.windows: list[tuple[date, date]] = []
        self.calls: list[str] = []
        self.fail_with: Exception | None = None

    def available_slots(self, job: JobNumber, first: date, last: date) -> list[AvailableSlot]:
        assert (last - first).days < 14, "R20: windows no larger than the backend accepts"
        self.windows.append((first, last))
        day, found = first, []
        while day <= last:
            if day.weekday() < 5:
                for kind in SlotKind:
                    slot = Slot(day, kind)
                    places = 0 if slot in self.full else 1
                    if self.open_days is not None and day not in self.open_days:
                        places = 0
                    found.append(AvailableSlot(slot, places))
            day += timedelta(days=1)
        return found

    def book(self, job: JobNumber, slot: Slot) -> Appointment:
        self.calls.append(f"book {slot.day} {slot.kind.value}")
        if self.fail_with is not None:
            raise self.fail_with
        if slot in self.full and self.booked.get(job) != slot:
            raise SlotUnavailable(str(slot))
        self.booked[job] = slot
        return Appointment(job, slot, datetime(2026, 11, 24, 10, 0, tzinfo=UTC))

    def cancel(self, job: JobNumber) -> None:
        self.calls.append("cancel")
        if self.fail_with is not None:
            raise self.fail_with
        if job not in self.booked:
            raise BackendRejected("NG-3002 no appointment")
        del self.booked[job]


@dataclass
class FakeRepairFiles:
    repairs: dict[RepairRef, RepairOnFile] = field(default_factory=dict)
    tenancies: dict[RepairRef, TenancyRef] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    assisted: list[bool] = field(default_factory=list)
    holds: dict[RepairRef, tuple[str, datetime]] = field(default_factory=dict)
    follow_ups: list[tuple[RepairRef, datetime]] = field(default_factory=list)

    def add(self, repair: Repair, tenancy: TenancyRef = TENANCY, mobile: str | None = MOBILE,
            division: Division = Division.ENGLAND_AND_WALES) -> Repair:  # fmt: skip
        repair.pull_events()
        self.repairs[repair.ref] = RepairOnFile(repair, division, mobile)
        self.tenancies[repair.ref] = tenancy
        return repair

    def find(self, ref: RepairRef, tenancy_ref: TenancyRef) -> RepairOnFile | None:
        if self.tenancies.get(ref) != tenancy_ref:
            return None
        # Like a database: each request gets its own copy of the stored state.
        return copy.deepcopy(self.repairs[ref])

    def change(self, ref: RepairRef, apply: ApplyChange, *, assisted: bool) -> bool:
        stored = self.repairs[ref]
        working = copy.deepcopy(stored.repair)
        changed = apply(working)
        self.events.extend(working.pull_events())
        self.assisted.append(assisted)
        self.repairs[ref] = RepairOnFile(working, stored.division, stored.mobile)
        return changed

    def hold(self, ref: RepairRef, holder: str, now: datetime, until: datetime) -> bool:
        current = self.holds.get(ref)
        if current is not None and current[0] != holder and current[1] > now:
            return False
        self.holds[ref] = (holder, until)
        return True

    def release(self, ref: RepairRef, holder: str) -> None:
        if self.holds.get(ref, ("",))[0] == holder:
            del self.holds[ref]

    def queue_follow_up(self, ref: RepairRef, at: datetime) -> None:
        self.follow_ups.append((ref, at))

    def stored(self, ref: RepairRef) -> Repair:
        return self.repairs[ref].repair


class FakeTexts:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.broken = False

    def _record(self, kind: str, values: dict[str, Any]) -> None:
        if self.broken:
            raise RuntimeError("messaging is down")
        self.sent.append((kind, values))

    def appointment_booked(self, repair_ref: str, to: str, **values: Any) -> None:
        self._record("booked", {"repair_ref": repair_ref, "to": to, **values})

    def appointment_rescheduled(self, repair_ref: str, to: str, **values: Any) -> None:
        self._record("rescheduled", {"repair_ref": repair_ref, "to": to, **values})

    def appointment_cancelled(self, repair_ref: str, to: str, **values: Any) -> None:
        self._record("cancelled", {"repair_ref": repair_ref, "to": to, **values})


def make_repair(
    policy: RepairsPolicy,
    calendar: WorkingDayCalendar,
    *,
    priority: Priority = Priority.ROUTINE,
    reported_at: datetime = datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    ref: str = "RR-7K3M9Q",
    job: JobNumber | None = JOB,
) -> Repair:
    details = RepairDetails(
        ref=RepairRef(ref),
        submission_id=SubmissionId.generate(),
        tenancy_ref=TENANCY,
        property_ref=PropertyRef("00200001"),
        sor_code="PL0103",
        description="Kitchen sink will not drain",
        priority=priority,
        trade=Trade.PLUMBING,
        channel=Channel.ONLINE,
        reported_at=reported_at,
    )
    target = policy.targets.target_for(
        calendar,
        reported_at=reported_at,
        priority=priority,
        tenure=Tenure.SECURE,
        division=Division.ENGLAND_AND_WALES,
    )
    repair = Repair.report(details, target)
    if job is not None:
        repair.record_job_raised(job, reported_at + timedelta(seconds=5))
    return repair


__all__ = ["BackendUnavailable", "FakeAppointments", "FakeRepairFiles", "FakeTexts"]
