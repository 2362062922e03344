"""FakeHousingBackend: the three housing ports in memory, behaving as NorthgateBackend does.

It passes the same contract tests (tests/contract/housing/) as the real adapter against the
simulator. Cheap to build, thread-safe, and steerable:

    housing = FakeHousingBackend(clock=clock).seed_demo()   # TEN-100001 / NB1 2AB / 14-03-1971
    housing.add_tenancy("TEN-900001", postcode="NB9 9ZZ", date_of_birth=date(1980, 1, 2))
    housing.set_status(job_number, BackendStatus.COMPLETED)  # appends to the change feed
    housing.fill_slot(Slot(day, SlotKind.AM))                # booking it: SlotUnavailable
    housing.go_down(); housing.come_back()                   # every call: BackendUnavailable
    housing.jobs()                                           # every job raised, oldest first
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from adapters.clock import SystemClock
from adapters.housing import fake_data
from adapters.housing.limits import check_changes_limit, windows
from repairs.calendar import Division
from repairs.clock import Clock
from repairs.local_time import local_date
from repairs.ports import (
    Appointment,
    AvailableSlot,
    BackendRejected,
    BackendUnavailable,
    ChangeBatch,
    NewRepairOrder,
    Property,
    RepairOrder,
    SlotUnavailable,
    StatusChange,
    Tenancy,
    Tenure,
)
from repairs.priorities import Trade
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus

S = BackendStatus
_CLOSED = frozenset({S.COMPLETED, S.CANCELLED})
_BOOKABLE = frozenset({S.LOGGED, S.ISSUED, S.APPOINTMENT_MADE, S.NO_ACCESS, S.FURTHER_WORK})
_FIRST_JOB = 40_000_001
_SATURDAY = 5


@dataclass
class _Job:
    number: JobNumber
    order: NewRepairOrder
    trade: Trade
    status: BackendStatus
    raised_at: datetime
    appointment: Appointment | None = None
    cancel_reason: str = ""

    def view(self) -> RepairOrder:
        return RepairOrder(
            job_number=self.number,
            tenancy_ref=self.order.tenancy_ref,
            property_ref=self.order.property_ref,
            sor_code=self.order.sor_code.strip().upper(),
            priority=self.order.priority,
            trade=self.trade,
            description=self.order.description,
            status=self.status,
            raised_at=self.raised_at,
            appointment=self.appointment,
            external_ref=self.order.submission_id.value,
        )


@dataclass(frozen=True)
class _Holder:
    tenancy: Tenancy
    date_of_birth: date


def _squash(postcode: str) -> str:
    return "".join(postcode.split()).upper()


class FakeHousingBackend:
    """In-memory Tenancies, RepairOrders and Appointments, with test controls."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._holders: dict[TenancyRef, _Holder] = {}
        self._jobs: dict[JobNumber, _Job] = {}
        self._by_submission: dict[SubmissionId, JobNumber] = {}
        self._feed: list[StatusChange] = []
        self._filled: set[Slot] = set()
        self._down = False

    # ------------------------------------------------------------------ test controls

    def seed_demo(self) -> FakeHousingBackend:
        """Add the simulator's eight demo tenancies (TEN-100001 is NB1 2AB, 14 March 1971:
        secure, current, maintainable, England and Wales). No jobs. Returns self."""
        for demo in fake_data.DEMO_TENANCIES:
            self.add_tenancy(demo.ref, **demo.details())
        return self

    def add_tenancy(
        self,
        tenancy_ref: TenancyRef | str,
        *,
        postcode: str,
        date_of_birth: date,
        tenant_name: str = "Sam Tenant",
        tenure: Tenure = Tenure.SECURE,
        active: bool = True,
        maintainable: bool = True,
        division: Division = Division.ENGLAND_AND_WALES,
        property_ref: PropertyRef | str | None = None,
        address_lines: tuple[str, ...] = ("1 Test Street", "Northbridge"),
        uprn: str | None = None,
        vulnerability_flags: tuple[str, ...] = (),
    ) -> Tenancy:
        """Add (or replace) a tenancy and its property; returns it as the ports show it."""
        ref = tenancy_ref if isinstance(tenancy_ref, TenancyRef) else TenancyRef(tenancy_ref)
        with self._lock:
            prop_ref = self._property_ref(property_ref)
            home = Property(prop_ref, tuple(address_lines), postcode.strip(),
                            uprn or "9000" + prop_ref.value, maintainable, division)  # fmt: skip
            tenancy = Tenancy(ref, tenant_name, tenure, active, home, tuple(vulnerability_flags))
            self._holders[ref] = _Holder(tenancy, date_of_birth)
            return tenancy

    def set_status(self, job_number: JobNumber | str, status: BackendStatus | str) -> RepairOrder:
        """Move a job to any status, as the backend's staff would; appends to the change feed.
        Cancelled releases the appointment."""
        with self._lock:
            job = self._job(JobNumber(str(job_number)))
            job.status = BackendStatus(status)
            if job.status is S.CANCELLED:
                job.appointment = None
            self._record(job)
            return job.view()

    def fill_slot(self, slot: Slot) -> None:
        """Take every remaining place in the slot, for every trade: booking it fails."""
        with self._lock:
            self._filled.add(slot)

    def go_down(self) -> None:
        """From now on every port call raises BackendUnavailable (controls still work)."""
        with self._lock:
            self._down = True

    def come_back(self) -> None:
        with self._lock:
            self._down = False

    @property
    def is_down(self) -> bool:
        with self._lock:
            return self._down

    def jobs(self) -> list[RepairOrder]:
        """Every job raised, oldest first: for assertions such as "exactly one job"."""
        with self._lock:
            return [job.view() for job in self._jobs.values()]

    # ------------------------------------------------------------------ Tenancies

    def match_tenant(
        self, tenancy_ref: TenancyRef, postcode: str, date_of_birth: date
    ) -> Tenancy | None:
        with self._lock:
            self._check_up()
            holder = self._holders.get(tenancy_ref)
            if holder is None or not postcode.strip():
                return None
            home = holder.tenancy.property.postcode
            if holder.date_of_birth != date_of_birth or _squash(home) != _squash(postcode):
                return None
            return holder.tenancy  # R36; an ended tenancy still matches, inactive

    def tenancy(self, tenancy_ref: TenancyRef) -> Tenancy:
        with self._lock:
            self._check_up()
            return self._holder(tenancy_ref).tenancy

    # ------------------------------------------------------------------ RepairOrders

    def raise_repair(self, order: NewRepairOrder) -> RepairOrder:
        with self._lock:
            self._check_up()
            existing = self._by_submission.get(order.submission_id)
            if existing is not None:
                return self._jobs[existing].view()
            holder = self._holders.get(order.tenancy_ref)
            trade = fake_data.check_new_job(order, holder.tenancy if holder else None)
            number = JobNumber(f"{_FIRST_JOB + len(self._jobs):08d}")
            job = _Job(number, order, trade, S.LOGGED, self._clock.now())
            self._jobs[number] = job
            self._by_submission[order.submission_id] = number
            self._record(job)
            return job.view()

    def repair(self, job_number: JobNumber) -> RepairOrder:
        with self._lock:
            self._check_up()
            return self._job(job_number).view()

    def repairs_for(self, tenancy_ref: TenancyRef) -> list[RepairOrder]:
        with self._lock:
            self._check_up()
            self._holder(tenancy_ref)
            mine = [
                job.view() for job in self._jobs.values() if job.order.tenancy_ref == tenancy_ref
            ]
            return mine[::-1]  # newest first, as the backend lists them

    def changes_since(self, cursor: int, limit: int = 100) -> ChangeBatch:
        check_changes_limit(cursor, limit)
        with self._lock:
            self._check_up()
            # Sequence n is self._feed[n - 1]: numbers start at 1 and are never reused.
            changes = tuple(self._feed[cursor : cursor + limit])
            return ChangeBatch(changes, changes[-1].sequence if changes else cursor)

    def cancel_repair(self, job_number: JobNumber, reason: str) -> None:
        with self._lock:
            self._check_up()
            job = self._job(job_number)
            if job.status in _CLOSED:
                raise BackendRejected(f"job {job_number} is {job.status} and cannot be cancelled")
            job.status, job.appointment, job.cancel_reason = S.CANCELLED, None, reason[:255]
            self._record(job)

    # ------------------------------------------------------------------ Appointments

    def available_slots(
        self, job_number: JobNumber, first_day: date, last_day: date
    ) -> list[AvailableSlot]:
        """Every weekday slot from first_day (or today) to last_day, in order; full ones are
        listed with remaining 0, as the backend lists them."""
        windows(first_day, last_day)  # the same limits as the real adapter
        with self._lock:
            self._check_up()
            job = self._job(job_number)
            if job.status in _CLOSED:
                raise BackendRejected(f"job {job_number} is {job.status}: no appointments")
            day, slots = max(first_day, self._today()), []
            while day <= last_day:
                if day.weekday() < _SATURDAY:
                    slots += [self._offer(job.trade, Slot(day, kind)) for kind in SlotKind]
                day += timedelta(days=1)
            return slots

    def book(self, job_number: JobNumber, slot: Slot) -> Appointment:
        with self._lock:
            self._check_up()
            job = self._job(job_number)
            if job.status not in _BOOKABLE:
                raise BackendRejected(f"job {job_number} is {job.status}: cannot book")
            if slot.day.weekday() >= _SATURDAY or slot.day < self._today():
                raise BackendRejected("appointments are on weekdays from today onwards")
            if job.appointment is not None and job.appointment.slot == slot:
                return job.appointment  # booking the same slot again changes nothing
            if self._offer(job.trade, slot).remaining < 1:
                raise SlotUnavailable(f"slot full for job {job_number}")
            job.appointment = Appointment(job_number, slot, self._clock.now())
            job.status = S.APPOINTMENT_MADE
            self._record(job)
            return job.appointment

    def cancel(self, job_number: JobNumber) -> None:
        with self._lock:
            self._check_up()
            job = self._job(job_number)
            if job.appointment is None:
                raise BackendRejected(f"job {job_number} has no appointment to cancel")
            if job.status in _CLOSED:
                raise BackendRejected(f"job {job_number} is {job.status}: appointment fixed")
            job.appointment = None
            if job.status is S.APPOINTMENT_MADE:
                job.status = S.ISSUED
            self._record(job)

    # ------------------------------------------------------------------ internals

    def _check_up(self) -> None:
        if self._down:
            raise BackendUnavailable("the housing system is down (fake)")

    def _today(self) -> date:
        return local_date(self._clock.now())

    def _holder(self, ref: TenancyRef) -> _Holder:
        holder = self._holders.get(ref)
        if holder is None:
            raise BackendRejected(f"tenancy {ref} not found")
        return holder

    def _job(self, number: JobNumber) -> _Job:
        job = self._jobs.get(number)
        if job is None:
            raise BackendRejected(f"job {number} not found")
        return job

    def _property_ref(self, wanted: PropertyRef | str | None) -> PropertyRef:
        if wanted is not None:
            return wanted if isinstance(wanted, PropertyRef) else PropertyRef(wanted)
        taken = {holder.tenancy.property.ref for holder in self._holders.values()}
        serial = 300_001 + len(self._holders)
        while PropertyRef(f"{serial:08d}") in taken:
            serial += 1
        return PropertyRef(f"{serial:08d}")

    def _offer(self, trade: Trade, slot: Slot) -> AvailableSlot:
        places = 0 if slot in self._filled else fake_data.capacity(trade, slot.day, slot.kind)
        taken = sum(
            1
            for job in self._jobs.values()
            if job.trade == trade and job.appointment is not None and job.appointment.slot == slot
        )
        return AvailableSlot(slot, max(places - taken, 0))

    def _record(self, job: _Job) -> None:
        self._feed.append(
            StatusChange(
                len(self._feed) + 1, job.number, job.status, self._clock.now(), job.appointment
            )  # fmt: skip
        )
