"""The Repair aggregate: one tenant's reported repair and everything that happens to it (R44)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from repairs.calendar import Division, WorkingDayCalendar
from repairs.clock import require_utc
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
from repairs.local_time import local_date
from repairs.periods import Deadline
from repairs.ports import check_description
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.slots import Slot
from repairs.statuses import BackendStatus
from repairs.targets import Target

BACKEND = "backend"
PORTAL = "portal"


class RepairRuleBroken(ValueError):
    """A command that the repair's rules do not allow in its current state."""


class ChangeTooLate(RepairRuleBroken):
    """R23: too close to the appointment for the tenant to change it online."""


class AppointmentChangeKind(StrEnum):
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StatusRecord:
    status: BackendStatus
    at: datetime
    source: str  # BACKEND for the change feed, PORTAL for what we recorded ourselves


@dataclass(frozen=True)
class AppointmentRecord:
    kind: AppointmentChangeKind
    slot: Slot  # the slot booked, moved to, or cancelled
    at: datetime
    previous_slot: Slot | None = None


@dataclass(frozen=True)
class RepairDetails:
    """What was reported; fixed once the repair exists."""

    ref: RepairRef
    submission_id: SubmissionId
    tenancy_ref: TenancyRef
    property_ref: PropertyRef
    sor_code: str
    description: str
    priority: Priority
    trade: Trade
    channel: Channel  # R44
    reported_at: datetime  # R11: awareness, UTC, stored once and never changed

    def __post_init__(self) -> None:
        check_description(self.description)  # R18
        object.__setattr__(self, "reported_at", require_utc(self.reported_at))


class Repair:
    """Built by `report()` for a new repair, or by the constructor from stored state."""

    def __init__(
        self,
        details: RepairDetails,
        target: Deadline,
        *,
        attend_target: Deadline | None = None,
        awaabs_law_case: bool = False,
        job_number: JobNumber | None = None,
        status_history: tuple[StatusRecord, ...] = (),
        appointment_history: tuple[AppointmentRecord, ...] = (),
    ) -> None:
        self.details = details
        self.target = target
        self.attend_target = attend_target
        self.awaabs_law_case = awaabs_law_case  # R9: never booked as an ordinary routine job
        self._job_number = job_number
        self._statuses = list(status_history) or [
            StatusRecord(BackendStatus.LOGGED, details.reported_at, PORTAL)
        ]
        self._appointments = list(appointment_history)
        self._events: list[RepairEvent] = []

    @classmethod
    def report(cls, details: RepairDetails, target: Target) -> Repair:
        if target.reported_at != details.reported_at:
            # R11: every deadline counts from the one awareness instant.
            raise RepairRuleBroken("the target was not counted from this repair's report time")
        repair = cls(
            details,
            target.due,
            attend_target=target.attend,
            awaabs_law_case=target.awaabs_law_case,
        )
        d = details
        repair._events.append(
            RepairReported(
                d.ref, d.submission_id, d.tenancy_ref, d.priority, d.channel, d.reported_at
            )
        )
        return repair

    @property
    def ref(self) -> RepairRef:
        return self.details.ref

    @property
    def reported_at(self) -> datetime:
        return self.details.reported_at

    @property
    def job_number(self) -> JobNumber | None:
        return self._job_number

    @property
    def status(self) -> BackendStatus:
        return self._statuses[-1].status

    @property
    def status_history(self) -> tuple[StatusRecord, ...]:
        return tuple(self._statuses)

    @property
    def appointment_history(self) -> tuple[AppointmentRecord, ...]:
        return tuple(self._appointments)

    @property
    def appointment(self) -> Slot | None:
        """The slot currently booked, if any."""
        if not self._appointments or self.status.is_final:
            return None
        last = self._appointments[-1]
        return None if last.kind is AppointmentChangeKind.CANCELLED else last.slot

    @property
    def completed_at(self) -> datetime | None:
        """R44: when the backend said the job was completed."""
        done = [s.at for s in self._statuses if s.status is BackendStatus.COMPLETED]
        return done[0] if done else None

    def pull_events(self) -> list[RepairEvent]:
        """Events since the last pull, for the outbox; each is handed out once."""
        events, self._events = self._events, []
        return events

    def record_job_raised(self, job_number: JobNumber, at: datetime) -> bool:
        """The backend made the job; a retry reporting the same number changes nothing."""
        if self._job_number == job_number:
            return False
        if self._job_number is not None:
            raise RepairRuleBroken(
                f"{self.ref} already has job {self._job_number}; refusing a second job {job_number}"
            )
        self._job_number = job_number
        self._events.append(JobRaised(self.ref, job_number, require_utc(at)))
        return True

    def record_status(self, status: BackendStatus, at: datetime, source: str = BACKEND) -> bool:
        """Apply a status change; returns False for a duplicate, stale or regressing one.

        Feeds repeat themselves and arrive late: a change older than the last one from the
        same source, a move after the job closed, or a move back to "logged" is ignored.
        """
        at = require_utc(at)
        current = self._statuses[-1]
        same_source = [s for s in self._statuses if s.source == source]
        if status is current.status or current.status.is_final:
            return False
        if status is BackendStatus.LOGGED or (same_source and at < same_source[-1].at):
            return False
        self._statuses.append(StatusRecord(status, at, source))
        self._events.append(RepairStatusChanged(self.ref, current.status, status, at, source))
        if status is BackendStatus.COMPLETED:
            self._events.append(RepairCompleted(self.ref, at))
        return True

    def book(self, slot: Slot, at: datetime) -> None:
        """R22: call only once the backend has acknowledged the booking."""
        job_number = self._require_open_job()
        if self.appointment is not None:
            raise RepairRuleBroken(f"{self.ref} is already booked; reschedule it instead")
        at = require_utc(at)
        self._appointments.append(AppointmentRecord(AppointmentChangeKind.BOOKED, slot, at))
        self._events.append(AppointmentBooked(self.ref, job_number, slot, at))

    def reschedule(
        self,
        slot: Slot,
        at: datetime,
        calendar: WorkingDayCalendar,
        division: Division,
        *,
        cut_off_working_days: int = 1,
        allow_late: bool = False,
    ) -> None:
        """R23: move the appointment on the same job. `allow_late` is for staff, not tenants."""
        job_number, old = self._require_changeable(
            at, calendar, division, cut_off_working_days, allow_late
        )
        if slot == old:
            raise RepairRuleBroken(f"{self.ref} is already booked for that slot")
        at = require_utc(at)
        record = AppointmentRecord(AppointmentChangeKind.RESCHEDULED, slot, at, previous_slot=old)
        self._appointments.append(record)
        self._events.append(AppointmentRescheduled(self.ref, job_number, old, slot, at))

    def cancel_appointment(
        self,
        at: datetime,
        calendar: WorkingDayCalendar,
        division: Division,
        *,
        cut_off_working_days: int = 1,
        allow_late: bool = False,
    ) -> None:
        """R23: cancel the appointment (the repair stays open to rebook)."""
        job_number, old = self._require_changeable(
            at, calendar, division, cut_off_working_days, allow_late
        )
        at = require_utc(at)
        self._appointments.append(AppointmentRecord(AppointmentChangeKind.CANCELLED, old, at))
        self._events.append(AppointmentCancelled(self.ref, job_number, old, at))

    def can_change_appointment(
        self,
        now: datetime,
        calendar: WorkingDayCalendar,
        division: Division,
        cut_off_working_days: int = 1,
    ) -> bool:
        """R23: a tenant may change a slot until the end of the working day before it.

        With a cut-off of N working days, the last day for changes is the Nth working day
        before the slot's day; with 0, any day before the slot's day.
        """
        slot = self.appointment
        if slot is None:
            return False
        last_day = slot.day
        for _ in range(cut_off_working_days):
            last_day = calendar.previous_working_day(last_day, division)
        today = local_date(now)
        return today < slot.day if cut_off_working_days == 0 else today <= last_day

    def _require_open_job(self) -> JobNumber:
        if self._job_number is None:
            raise RepairRuleBroken(f"{self.ref} has no job in the repairs system yet")
        if self.status.is_final:
            raise RepairRuleBroken(f"{self.ref} is {self.status.value}")
        return self._job_number

    def _require_changeable(
        self,
        at: datetime,
        calendar: WorkingDayCalendar,
        division: Division,
        cut_off_working_days: int,
        allow_late: bool,
    ) -> tuple[JobNumber, Slot]:
        job_number = self._require_open_job()
        slot = self.appointment
        if slot is None:
            raise RepairRuleBroken(f"{self.ref} has no appointment to change")
        if not allow_late and not self.can_change_appointment(
            at, calendar, division, cut_off_working_days
        ):
            raise ChangeTooLate(
                f"{self.ref}: the appointment can no longer be changed online; phone us instead"
            )
        return job_number, slot
