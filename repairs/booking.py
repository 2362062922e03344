"""Choosing, booking, changing and cancelling a repair appointment (R20-R23).

The backend is asked first and only what it acknowledged is recorded (R22). Storage, texts
and the backend sit behind Protocols, so this module stays standard library only. No backend
call is made while the store holds a transaction: `RepairFiles.change` is the only write and
it runs after the backend has answered.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from repairs.calendar import Division, WorkingDayCalendar
from repairs.clock import Clock
from repairs.local_time import local_date
from repairs.ports import (
    Appointments,
    AvailableSlot,
    BackendError,
    BackendUnavailable,
    SlotUnavailable,
)
from repairs.priorities import Priority
from repairs.refs import JobNumber, RepairRef, TenancyRef
from repairs.repair import PORTAL, Repair
from repairs.slots import Slot, SlotKind, SlotTimes, format_slot
from repairs.statuses import BackendStatus

log = logging.getLogger(__name__)

BACKEND_WINDOW_DAYS = 14  # R20: the most the backend accepts in one availability call
MIN_DAYS_OF_CHOICE = 5  # R20: routine work offers at least this many working days
MAX_WINDOWS = 6  # stop asking after 12 weeks and offer what there is
HOLD_FOR = timedelta(seconds=60)  # a request that died frees the repair after this
_WEEK = timedelta(days=7)


class RepairNotFound(LookupError):
    """No such repair for this tenancy: the page is a 404, never someone else's data."""


class NotOffered(ValueError):
    """A slot or week the rules never offer: a tampered form (400), not a race."""


class Block(StrEnum):
    """Why a repair cannot be booked, changed or cancelled online just now."""

    EMERGENCY = "emergency"  # R14: phone us now
    AWAABS_LAW = "awaabs_law"  # R9: never booked as an ordinary routine job
    NO_JOB_YET = "no_job_yet"  # the job is not raised in the backend yet
    CLOSED = "closed"
    WORK_STARTED = "work_started"  # the operative is on it; the backend refuses bookings
    ALREADY_BOOKED = "already_booked"  # change it instead
    NOT_BOOKED = "not_booked"  # nothing to change
    TOO_LATE = "too_late"  # R23: after the cut-off, phone us


class Outcome(StrEnum):
    DONE = "done"  # the backend acknowledged and we recorded it
    ALREADY_DONE = "already_done"  # a repeat of a request that succeeded: nothing more
    SLOT_TAKEN = "slot_taken"  # filled meanwhile: choose another
    FOLLOW_UP = "follow_up"  # R22: backend unreachable; we will contact the tenant
    UNAVAILABLE = "unavailable"  # backend unreachable for a change: nothing changed
    BUSY = "busy"  # another request for this repair is being made right now
    FAILED = "failed"  # the backend refused: a fault for staff to look at; phone us


@dataclass(frozen=True)
class RepairOnFile:
    """A repair with what booking needs beside it: the property's division (R3, R23) and the
    mobile number texts about it go to (None: no texts)."""

    repair: Repair
    division: Division
    mobile: str | None


class RepairFiles(Protocol):
    def find(self, ref: RepairRef, tenancy_ref: TenancyRef) -> RepairOnFile | None:
        """The repair if it belongs to this tenancy, else None."""
        ...

    def change(self, ref: RepairRef, apply: ApplyChange, *, assisted: bool) -> bool:
        """In one transaction: load the repair afresh, `apply`, store the events it raised
        (marked as done with help when `assisted`, R41). Returns what `apply` returned."""
        ...

    def hold(self, ref: RepairRef, holder: str, now: datetime, until: datetime) -> bool:
        """Take the repair's booking hold unless someone else holds it past `now`."""
        ...

    def release(self, ref: RepairRef, holder: str) -> None: ...

    def queue_follow_up(self, ref: RepairRef, at: datetime) -> None:
        """R22: an outbox row asking the worker to contact the tenant about booking."""
        ...


class ApplyChange(Protocol):
    def __call__(self, repair: Repair) -> bool: ...


class AppointmentTexts(Protocol):
    """The text-message service (notifications.messaging.Messaging): it plans confirmations
    and reminders, and supersedes the pending texts of a moved or cancelled booking (R23)."""

    def appointment_booked(
        self,
        repair_ref: str,
        to: str,
        *,
        slot_start: datetime,
        slot_end: datetime,
        slot_text: str,
        booked_at: datetime,
        division: Division | None = None,
    ) -> object: ...

    def appointment_rescheduled(
        self,
        repair_ref: str,
        to: str,
        *,
        slot_start: datetime,
        slot_end: datetime,
        slot_text: str,
        booked_at: datetime,
        previous_booked_at: datetime,
        division: Division | None = None,
    ) -> object: ...

    def appointment_cancelled(self, repair_ref: str, to: str, *, slot_start: datetime,
                              slot_end: datetime, slot_text: str, booked_at: datetime,
                              division: Division | None = None) -> object: ...  # fmt: skip


# ---------------------------------------------------------------- what can be booked


def needs_rebooking(repair: Repair) -> bool:
    """No access: the visit is over, so booking again is a new booking, not a change (R23)."""
    return repair.status is BackendStatus.NO_ACCESS and repair.job_number is not None


def booking_block(repair: Repair) -> Block | None:
    """Why this repair cannot be booked online now, or None when it can."""
    priority = repair.details.priority
    if priority is Priority.EMERGENCY:
        return Block.EMERGENCY
    if repair.awaabs_law_case or priority is Priority.DAMP_AND_MOULD:
        return Block.AWAABS_LAW
    if repair.status.is_final:
        return Block.CLOSED
    if repair.job_number is None:
        return Block.NO_JOB_YET
    if repair.status in (BackendStatus.IN_PROGRESS, BackendStatus.FURTHER_WORK):
        return Block.WORK_STARTED
    if repair.appointment is not None and not needs_rebooking(repair):
        return Block.ALREADY_BOOKED
    return None


# ---------------------------------------------------------------- which slots


@dataclass(frozen=True)
class SlotRange:
    """Where a repair's slots may fall: weekdays from tomorrow, and for urgent work only
    slots that end before the target (R20). Weeks run Monday to Sunday from `monday`."""

    first_day: date
    last_day: date
    monday: date
    ends_before: datetime | None  # R20: urgent slots must end before the target instant
    urgent: bool

    def window(self, index: int) -> tuple[date, date] | None:
        """The index'th availability window (two weeks, clipped), or None past the end."""
        start = max(self.first_day, self.monday + index * 2 * _WEEK)
        end = min(self.last_day, self.monday + (index + 1) * 2 * _WEEK - timedelta(days=1))
        return (start, end) if start <= end else None

    def week(self, number: int) -> tuple[date, date]:
        start = max(self.first_day, self.monday + number * _WEEK)
        return start, min(self.last_day, self.monday + number * _WEEK + timedelta(days=6))

    @property
    def weeks(self) -> int:
        if self.last_day < self.first_day:
            return 0  # the target is too close for any slot: phone us
        return (self.last_day - self.monday).days // 7 + 1

    def allows(self, slot: Slot, times: SlotTimes) -> bool:
        if not self.first_day <= slot.day <= self.last_day or slot.day.weekday() >= 5:
            return False
        return self.ends_before is None or slot.ends_at(times) <= self.ends_before


def first_offered_day(today: date) -> date:
    """Tomorrow, or the next weekday: the backend offers weekdays only."""
    first = today + timedelta(days=1)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return first


def week_of(day: date, today: date) -> int:
    """Which week page shows `day` (weeks run Monday to Sunday from the first day offered)."""
    first = first_offered_day(today)
    return max(0, (day - (first - timedelta(days=first.weekday()))).days // 7)


def slot_range(repair: Repair, today: date) -> SlotRange:
    first = first_offered_day(today)
    monday = first - timedelta(days=first.weekday())
    if repair.details.priority is Priority.URGENT:
        return SlotRange(first, repair.target.due_on, monday, repair.target.due_before, True)
    last = monday + MAX_WINDOWS * 2 * _WEEK - timedelta(days=1)
    return SlotRange(first, last, monday, None, False)


@dataclass(frozen=True)
class OfferedDay:
    day: date
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class SlotPage:
    """One week of slots to choose from, and where the other weeks are."""

    week: int
    weeks: int
    starts: date
    ends: date
    days: tuple[OfferedDay, ...]
    until: date | None  # R20: urgent work is offered slots up to its target day only

    @property
    def has_previous(self) -> bool:
        return self.week > 0

    @property
    def has_next(self) -> bool:
        return self.week + 1 < self.weeks

    def offers(self, slot: Slot) -> bool:
        return any(slot in day.slots for day in self.days)


class SlotFinder:
    """R20: asks the backend in windows it accepts; urgent work up to the target, routine
    work until at least five working days of choice (or twelve weeks) are on offer."""

    def __init__(self, appointments: Appointments, calendar: WorkingDayCalendar,
                 times: SlotTimes) -> None:  # fmt: skip
        self._appointments = appointments
        self._calendar = calendar
        self._times = times

    def page(self, on_file: RepairOnFile, today: date, week: int) -> SlotPage:
        repair = on_file.repair
        assert repair.job_number is not None  # booking_block() said so first
        bounds = slot_range(repair, today)
        found: list[Slot] = []
        if bounds.urgent:
            weeks = bounds.weeks
            window = bounds.window(week // 2) if week < weeks else None
            if window is not None:
                found = self._ask(repair, bounds, *window)
        else:
            weeks = self._ask_until_enough(repair, on_file.division, bounds, found)
        if week >= max(weeks, 1):
            raise NotOffered(f"week {week} is not offered (there are {weeks})")
        starts, ends = bounds.week(week)
        mine = repair.appointment
        days: dict[date, list[Slot]] = {}
        for slot in sorted(found, key=_slot_order):
            if starts <= slot.day <= ends and slot != mine:
                days.setdefault(slot.day, []).append(slot)
        offered = tuple(OfferedDay(day, tuple(slots)) for day, slots in sorted(days.items()))
        until = bounds.last_day if bounds.urgent else None
        return SlotPage(week, weeks, starts, ends, offered, until)

    def _ask_until_enough(
        self, repair: Repair, division: Division, bounds: SlotRange, found: list[Slot]
    ) -> int:
        """Fill `found` window by window; the weeks asked are the weeks offered."""
        index = 0
        while (window := bounds.window(index)) is not None:
            found.extend(self._ask(repair, bounds, *window))
            index += 1
            choice = {s.day for s in found if self._calendar.is_working_day(s.day, division)}
            if len(choice) >= MIN_DAYS_OF_CHOICE:
                break
        return index * 2

    def _ask(self, repair: Repair, bounds: SlotRange, first: date, last: date) -> list[Slot]:
        assert repair.job_number is not None
        available = self._appointments.available_slots(repair.job_number, first, last)
        return [a.slot for a in available if _bookable(a) and bounds.allows(a.slot, self._times)]


def _slot_order(slot: Slot) -> tuple[date, int]:
    return slot.day, list(SlotKind).index(slot.kind)  # morning, afternoon, all day


def _bookable(available: AvailableSlot) -> bool:
    return available.remaining > 0


def slot_key(slot: Slot) -> str:
    """The value a slot has in a form: '2026-12-01-am'."""
    return f"{slot.day.isoformat()}-{slot.kind.value}"


def parse_slot_key(text: str) -> Slot:
    """Read a form's slot value; anything else is a tampered form (NotOffered)."""
    try:
        day = date.fromisoformat(text[:10])
        if text[10:11] != "-":
            raise ValueError(text)
        return Slot(day, SlotKind(text[11:]))
    except (ValueError, TypeError):
        raise NotOffered(f"{text!r} is not a slot") from None


# ---------------------------------------------------------------- booking, changing, cancelling


class Blocked(Exception):
    def __init__(self, block: Block) -> None:
        super().__init__(block.value)
        self.block = block


@dataclass(frozen=True)
class BookAppointment:
    repair_ref: RepairRef
    tenancy_ref: TenancyRef
    slot: Slot
    assisted: bool = False  # R41: a staff member acting for the tenant


@dataclass(frozen=True)
class RescheduleAppointment:
    repair_ref: RepairRef
    tenancy_ref: TenancyRef
    slot: Slot
    assisted: bool = False


@dataclass(frozen=True)
class CancelAppointment:
    repair_ref: RepairRef
    tenancy_ref: TenancyRef
    assisted: bool = False


@dataclass(frozen=True)
class BookingResult:
    outcome: Outcome
    slot: Slot | None  # the slot booked, moved to or cancelled


class BookingService:
    def __init__(
        self,
        *,
        appointments: Appointments,
        files: RepairFiles,
        texts: AppointmentTexts | None,
        clock: Clock,
        calendar: WorkingDayCalendar,
        times: SlotTimes,
        cut_off_working_days: int = 1,
    ) -> None:
        self._appointments = appointments
        self._files = files
        self._texts = texts
        self._clock = clock
        self._calendar = calendar
        self._times = times
        self._cut_off = cut_off_working_days
        self.finder = SlotFinder(appointments, calendar, times)

    def find(self, ref: RepairRef, tenancy_ref: TenancyRef) -> RepairOnFile:
        on_file = self._files.find(ref, tenancy_ref)
        if on_file is None:
            raise RepairNotFound(str(ref))
        return on_file

    def slots(self, on_file: RepairOnFile, week: int) -> SlotPage:
        return self.finder.page(on_file, local_date(self._clock.now()), week)

    def check_slot(self, on_file: RepairOnFile, slot: Slot) -> None:
        """Tampering check without asking the backend: a slot the rules could never offer."""
        bounds = slot_range(on_file.repair, local_date(self._clock.now()))
        if not bounds.allows(slot, self._times) or slot == on_file.repair.appointment:
            raise NotOffered(f"{slot} is not offered for {on_file.repair.ref}")

    def change_block(self, on_file: RepairOnFile) -> Block | None:
        """Why the booked appointment cannot be changed or cancelled online (R23), or None."""
        repair = on_file.repair
        block = booking_block(repair)
        if block not in (None, Block.ALREADY_BOOKED):
            return block
        if repair.appointment is None or needs_rebooking(repair):
            return Block.NOT_BOOKED
        if not repair.can_change_appointment(
            self._clock.now(), self._calendar, on_file.division, self._cut_off
        ):
            return Block.TOO_LATE
        return None

    def text(self, slot: Slot) -> str:
        return format_slot(slot, self._times, today=local_date(self._clock.now()))

    def book(self, command: BookAppointment) -> BookingResult:
        on_file = self.find(command.repair_ref, command.tenancy_ref)
        repair, slot = on_file.repair, command.slot
        if repair.appointment == slot and not needs_rebooking(repair):
            return BookingResult(Outcome.ALREADY_DONE, slot)  # a double submit
        if (block := booking_block(repair)) is not None:
            raise Blocked(block)
        self.check_slot(on_file, slot)
        at = self._clock.now()
        outcome = self._act(on_file, lambda job: self._appointments.book(job, slot),
                            _recorder_for_booking(slot, at, self._calendar, on_file.division),
                            command.assisted, follow_up=True)  # fmt: skip
        if outcome is Outcome.DONE:
            self._send("appointment_booked", on_file, slot, at)
        return BookingResult(outcome, slot)

    def reschedule(self, command: RescheduleAppointment) -> BookingResult:
        on_file = self.find(command.repair_ref, command.tenancy_ref)
        slot = command.slot
        if on_file.repair.appointment == slot:
            return BookingResult(Outcome.ALREADY_DONE, slot)
        if (block := self.change_block(on_file)) is not None:
            raise Blocked(block)
        self.check_slot(on_file, slot)
        at = self._clock.now()
        previous = _last_booked_at(on_file.repair)
        outcome = self._act(on_file, lambda job: self._appointments.book(job, slot),
                            _recorder_for_booking(slot, at, self._calendar, on_file.division),
                            command.assisted, follow_up=False)  # fmt: skip
        if outcome is Outcome.DONE:
            self._send("appointment_rescheduled", on_file, slot, at, previous_booked_at=previous)
        return BookingResult(outcome, slot)

    def cancel(self, command: CancelAppointment) -> BookingResult:
        on_file = self.find(command.repair_ref, command.tenancy_ref)
        old = on_file.repair.appointment
        if old is None and on_file.repair.appointment_history:
            return BookingResult(Outcome.ALREADY_DONE, on_file.repair.appointment_history[-1].slot)
        if (block := self.change_block(on_file)) is not None or old is None:
            raise Blocked(block or Block.NOT_BOOKED)
        at = self._clock.now()
        booked_at = _last_booked_at(on_file.repair)
        outcome = self._act(on_file, self._appointments.cancel,
                            _recorder_for_cancelling(at, self._calendar, on_file.division),
                            command.assisted, follow_up=False)  # fmt: skip
        if outcome is Outcome.DONE:
            self._send("appointment_cancelled", on_file, old, booked_at)
        return BookingResult(outcome, old)

    def _act(self, on_file: RepairOnFile, call: BackendCall, record: ApplyChange,
             assisted: bool, *, follow_up: bool) -> Outcome:  # fmt: skip
        """Hold the repair, ask the backend, record only what it acknowledged (R22)."""
        repair = on_file.repair
        assert repair.job_number is not None
        with self._hold(repair.ref) as held:
            if not held:
                return Outcome.BUSY
            try:
                call(repair.job_number)
            except SlotUnavailable:
                return Outcome.SLOT_TAKEN
            except BackendUnavailable:
                if not follow_up:
                    return Outcome.UNAVAILABLE
                self._files.queue_follow_up(repair.ref, self._clock.now())
                return Outcome.FOLLOW_UP
            except BackendError as error:
                log.warning("backend refused a change to %s: %s", repair.ref, error)
                return Outcome.FAILED
            changed = self._files.change(repair.ref, record, assisted=assisted)
        return Outcome.DONE if changed else Outcome.ALREADY_DONE

    @contextmanager
    def _hold(self, ref: RepairRef) -> Iterator[bool]:
        # Two submits at once (a double click, two tabs) must not both reach the backend.
        holder = uuid.uuid4().hex
        now = self._clock.now()
        held = self._files.hold(ref, holder, now, now + HOLD_FOR)
        try:
            yield held
        finally:
            if held:
                self._files.release(ref, holder)

    def _send(self, kind: str, on_file: RepairOnFile, slot: Slot, booked_at: datetime,
              **extra: datetime) -> None:  # fmt: skip
        if self._texts is None or not on_file.mobile:
            return
        send = getattr(self._texts, kind)
        try:
            send(
                repair_ref=str(on_file.repair.ref),
                to=on_file.mobile,
                slot_start=slot.starts_at(self._times),
                slot_end=slot.ends_at(self._times),
                slot_text=self.text(slot),
                booked_at=booked_at,
                division=on_file.division,
                **extra,
            )
        except Exception:
            # The backend has the booking and we recorded it: a text that could not be
            # planned must not turn a confirmed booking into an error page.
            log.exception("could not plan the %s text for %s", kind, on_file.repair.ref)


class BackendCall(Protocol):
    def __call__(self, job_number: JobNumber, /) -> object: ...


def _recorder_for_booking(
    slot: Slot, at: datetime, calendar: WorkingDayCalendar, division: Division
) -> ApplyChange:
    def apply(repair: Repair) -> bool:
        if repair.appointment == slot and not needs_rebooking(repair):
            return False  # recorded by a request that was quicker
        if repair.appointment is None:
            repair.book(slot, at)
        else:
            # The backend has moved the appointment (a change, or a rebooking after no
            # access, when the old visit is over): the cut-off was checked before asking.
            repair.reschedule(slot, at, calendar, division, allow_late=True)
        repair.record_status(BackendStatus.APPOINTMENT_MADE, at, PORTAL)
        return True

    return apply


def _recorder_for_cancelling(
    at: datetime, calendar: WorkingDayCalendar, division: Division
) -> ApplyChange:
    def apply(repair: Repair) -> bool:
        if repair.appointment is None:
            return False
        repair.cancel_appointment(at, calendar, division, allow_late=True)
        # The backend moves a cancelled appointment's job back to "issued".
        repair.record_status(BackendStatus.ISSUED, at, PORTAL)
        return True

    return apply


def _last_booked_at(repair: Repair) -> datetime:
    """When the current booking was made: texts name a booking by it."""
    return repair.appointment_history[-1].at
