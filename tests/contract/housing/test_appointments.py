"""The Appointments port: the same slots and bookings from the fake and from Northgate (R20-R22)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairs.ports import AvailableSlot, BackendRejected, RepairOrder, SlotUnavailable
from repairs.priorities import Trade
from repairs.refs import JobNumber
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus
from tests.contract.housing.conftest import Housing
from tests.contract.housing.simulator import NOW, sor_for

pytestmark = pytest.mark.contract

TODAY = NOW.date()  # Tuesday 24 November 2026
FORTNIGHT_END = TODAY + timedelta(days=13)


def offers(housing: Housing, job: JobNumber, first: date = TODAY,
           last: date = FORTNIGHT_END) -> dict[Slot, int]:  # fmt: skip
    found: list[AvailableSlot] = housing.backend.available_slots(job, first, last)
    return {option.slot: option.remaining for option in found}


def free_slots(housing: Housing, job: JobNumber, at_least: int = 1) -> list[Slot]:
    return [slot for slot, left in offers(housing, job).items() if left >= at_least]


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


class TestAppointments:
    def test_every_weekday_slot_of_the_window_is_listed_in_order(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.HEATING))

        found = housing.backend.available_slots(job.job_number, TODAY, FORTNIGHT_END)

        days = sorted({option.slot.day for option in found})
        weekdays = [TODAY + timedelta(days=n) for n in range(14)]
        assert days == [day for day in weekdays if day.weekday() < 5]
        assert [option.slot.kind for option in found[:3]] == [
            SlotKind.AM, SlotKind.PM, SlotKind.ALL_DAY,
        ]  # fmt: skip
        assert [option.slot.day for option in found] == sorted(o.slot.day for o in found)
        assert all(0 <= option.remaining <= 3 for option in found)
        # Full slots are listed too, with nothing left: about one in five has no capacity.
        assert any(option.remaining == 0 for option in found)
        assert any(option.remaining > 0 for option in found)

    def test_days_already_past_are_not_offered(self, housing: Housing) -> None:
        job = housing.raise_job()
        days = {slot.day for slot in offers(housing, job.job_number, TODAY - timedelta(days=6))}
        assert min(days) == TODAY

    def test_a_window_longer_than_fourteen_days_is_answered_whole(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.CARPENTRY))
        last = TODAY + timedelta(days=33)  # R20: three requests on the wire

        days = {slot.day for slot in offers(housing, job.job_number, TODAY, last)}

        expected = {TODAY + timedelta(days=n) for n in range(34)}
        assert days == {day for day in expected if day.weekday() < 5}

    def test_a_window_that_ends_before_it_starts_is_a_bug_on_our_side(
        self, housing: Housing
    ) -> None:
        job = housing.raise_job()
        with pytest.raises(ValueError, match="before"):
            housing.backend.available_slots(job.job_number, TODAY, TODAY - timedelta(days=1))

    def test_booking_a_free_slot_takes_one_place(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.ELECTRICAL))
        slot = free_slots(housing, job.job_number)[0]
        before = offers(housing, job.job_number)[slot]

        appointment = housing.backend.book(job.job_number, slot)

        assert (appointment.job_number, appointment.slot) == (job.job_number, slot)
        assert abs(appointment.booked_at - NOW) < timedelta(minutes=1)
        assert offers(housing, job.job_number)[slot] == before - 1
        read = housing.backend.repair(job.job_number)
        assert read.status is BackendStatus.APPOINTMENT_MADE
        assert read.appointment is not None and read.appointment.slot == slot

    def test_booking_the_same_slot_again_changes_nothing(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.GLAZING))
        slot = free_slots(housing, job.job_number)[0]
        housing.backend.book(job.job_number, slot)
        left = offers(housing, job.job_number)[slot]

        again = housing.backend.book(job.job_number, slot)

        assert again.slot == slot
        assert offers(housing, job.job_number)[slot] == left

    def test_moving_an_appointment_gives_the_old_place_back(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.GENERAL))
        first, second = free_slots(housing, job.job_number)[:2]
        housing.backend.book(job.job_number, first)
        before = offers(housing, job.job_number)

        housing.backend.book(job.job_number, second)

        after = offers(housing, job.job_number)
        assert after[first] == before[first] + 1
        assert after[second] == before[second] - 1
        moved = housing.backend.repair(job.job_number).appointment
        assert moved is not None and moved.slot == second

    def test_a_full_slot_cannot_be_booked_and_nothing_changes(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.PLUMBING))
        full = next(slot for slot, left in offers(housing, job.job_number).items() if left == 0)

        with pytest.raises(SlotUnavailable):
            housing.backend.book(job.job_number, full)

        read: RepairOrder = housing.backend.repair(job.job_number)
        assert (read.status, read.appointment) == (BackendStatus.LOGGED, None)

    @pytest.mark.parametrize(
        "day",
        [next_weekday(TODAY, 5), next_weekday(TODAY, 6), TODAY - timedelta(days=1)],
        ids=["saturday", "sunday", "yesterday"],
    )
    def test_a_weekend_or_a_past_day_is_rejected(self, housing: Housing, day: date) -> None:
        job = housing.raise_job()
        with pytest.raises(BackendRejected):
            housing.backend.book(job.job_number, Slot(day, SlotKind.AM))

    def test_cancelling_an_appointment_gives_the_place_back(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.DAMP_AND_MOULD))
        slot = free_slots(housing, job.job_number)[0]
        housing.set_status(job.job_number, BackendStatus.ISSUED)
        housing.backend.book(job.job_number, slot)
        left = offers(housing, job.job_number)[slot]

        housing.backend.cancel(job.job_number)

        read = housing.backend.repair(job.job_number)
        assert (read.status, read.appointment) == (BackendStatus.ISSUED, None)
        assert offers(housing, job.job_number)[slot] == left + 1

    def test_cancelling_when_nothing_is_booked_is_rejected(self, housing: Housing) -> None:
        job = housing.raise_job()
        with pytest.raises(BackendRejected):
            housing.backend.cancel(job.job_number)

    @pytest.mark.parametrize("final", [BackendStatus.COMPLETED, BackendStatus.CANCELLED])
    def test_a_closed_job_is_offered_and_booked_nothing(
        self, housing: Housing, final: BackendStatus
    ) -> None:
        job = housing.raise_job()
        slot = free_slots(housing, job.job_number)[0]
        housing.set_status(job.job_number, final)

        with pytest.raises(BackendRejected):
            housing.backend.available_slots(job.job_number, TODAY, FORTNIGHT_END)
        with pytest.raises(BackendRejected):
            housing.backend.book(job.job_number, slot)

    def test_a_job_under_way_cannot_be_booked(self, housing: Housing) -> None:
        job = housing.raise_job()
        slot = free_slots(housing, job.job_number)[0]
        housing.set_status(job.job_number, BackendStatus.IN_PROGRESS)
        with pytest.raises(BackendRejected):
            housing.backend.book(job.job_number, slot)
