"""Booking, changing and cancelling through the backend first (R22, R23)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.clock import FakeClock
from repairs.booking import (
    Block,
    Blocked,
    BookAppointment,
    BookingService,
    CancelAppointment,
    NotOffered,
    Outcome,
    RepairNotFound,
    RescheduleAppointment,
)
from repairs.calendar import Division, WorkingDayCalendar
from repairs.events import AppointmentBooked, AppointmentCancelled, AppointmentRescheduled
from repairs.policy import RepairsPolicy
from repairs.ports import BackendRejected, BackendUnavailable
from repairs.priorities import Priority
from repairs.repair import Repair
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus
from tests.unit.booking.conftest import NOW
from tests.unit.booking.fakes import (
    JOB,
    MOBILE,
    OTHER_TENANCY,
    TENANCY,
    FakeAppointments,
    FakeRepairFiles,
    FakeTexts,
    make_repair,
)

pytestmark = pytest.mark.unit

SLOT = Slot(date(2026, 12, 1), SlotKind.AM)  # Tuesday
OTHER = Slot(date(2026, 12, 2), SlotKind.PM)
CHRISTMAS_WEEK = Slot(date(2026, 12, 29), SlotKind.AM)  # Tuesday after two bank holidays


@pytest.fixture
def repair(files: FakeRepairFiles, policy: RepairsPolicy, calendar: WorkingDayCalendar) -> Repair:
    return files.add(make_repair(policy, calendar))


def book(service: BookingService, repair: Repair, slot: Slot = SLOT, **kw: object) -> Outcome:
    return service.book(BookAppointment(repair.ref, TENANCY, slot, **kw)).outcome  # type: ignore[arg-type]


def booked_repair(files: FakeRepairFiles, repair: Repair, slot: Slot) -> Repair:
    stored = files.stored(repair.ref)
    stored.book(slot, NOW - timedelta(days=1))
    stored.record_status(BackendStatus.APPOINTMENT_MADE, NOW - timedelta(days=1))
    stored.pull_events()
    return stored


def test_a_booking_is_recorded_only_after_the_backend_acknowledges_it(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments, texts: FakeTexts,
) -> None:  # fmt: skip
    # R22
    assert book(service, repair) is Outcome.DONE
    assert appointments.booked[JOB] == SLOT
    stored = files.stored(repair.ref)
    assert stored.appointment == SLOT
    assert stored.status is BackendStatus.APPOINTMENT_MADE
    assert [type(e) for e in files.events if not hasattr(e, "new_status")] == [AppointmentBooked]
    [(kind, values)] = texts.sent
    assert kind == "booked"
    # R21, R47: 8am London in winter is 08:00 UTC; the text is in GOV.UK style
    assert values == {
        "repair_ref": "RR-7K3M9Q", "to": MOBILE,
        "slot_start": datetime(2026, 12, 1, 8, tzinfo=UTC),
        "slot_end": datetime(2026, 12, 1, 12, tzinfo=UTC),
        "slot_text": "Tuesday 1 December, 8am to 12pm", "booked_at": NOW,
        "division": Division.ENGLAND_AND_WALES,
    }  # fmt: skip


def test_a_slot_taken_meanwhile_records_nothing_and_sends_nothing(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments, texts: FakeTexts,
) -> None:  # fmt: skip
    appointments.full = {SLOT}
    assert book(service, repair) is Outcome.SLOT_TAKEN
    assert files.stored(repair.ref).appointment is None
    assert texts.sent == [] and files.holds == {}


def test_an_unreachable_backend_queues_a_follow_up_and_books_nothing(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments, texts: FakeTexts,
) -> None:  # fmt: skip
    # R22: the tenant is told they will be contacted, and a follow-up is queued
    appointments.fail_with = BackendUnavailable("timeout")
    assert book(service, repair) is Outcome.FOLLOW_UP
    assert files.follow_ups == [(repair.ref, NOW)]
    assert files.stored(repair.ref).appointment is None and texts.sent == []


def test_a_backend_refusal_is_reported_as_a_failure_not_a_booking(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments,
) -> None:  # fmt: skip
    appointments.fail_with = BackendRejected("NG-3001")
    assert book(service, repair) is Outcome.FAILED
    assert files.stored(repair.ref).appointment is None and files.follow_ups == []


def test_submitting_the_same_booking_twice_books_and_texts_once(
    service: BookingService, repair: Repair, appointments: FakeAppointments, texts: FakeTexts
) -> None:
    assert book(service, repair) is Outcome.DONE
    assert book(service, repair) is Outcome.ALREADY_DONE
    assert appointments.calls == ["book 2026-12-01 am"]
    assert len(texts.sent) == 1


def test_a_booking_already_being_made_is_not_sent_to_the_backend_again(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments,
) -> None:  # fmt: skip
    files.hold(repair.ref, "another request", NOW, NOW + timedelta(seconds=60))
    assert book(service, repair) is Outcome.BUSY
    assert appointments.calls == []


def test_a_hold_left_by_a_request_that_died_runs_out(
    service: BookingService, repair: Repair, files: FakeRepairFiles, clock: FakeClock
) -> None:
    files.hold(repair.ref, "a dead request", NOW - timedelta(minutes=5), NOW - timedelta(minutes=4))
    assert book(service, repair) is Outcome.DONE


def test_a_second_booking_of_a_booked_repair_is_refused(
    service: BookingService, repair: Repair, appointments: FakeAppointments
) -> None:
    book(service, repair)
    with pytest.raises(Blocked) as refused:
        book(service, repair, OTHER)
    assert refused.value.block is Block.ALREADY_BOOKED
    assert appointments.calls == ["book 2026-12-01 am"]


def test_someone_elses_repair_is_not_found(service: BookingService, repair: Repair) -> None:
    with pytest.raises(RepairNotFound):
        service.book(BookAppointment(repair.ref, OTHER_TENANCY, SLOT))


def test_a_tampered_slot_never_reaches_the_backend(
    service: BookingService, repair: Repair, appointments: FakeAppointments
) -> None:
    with pytest.raises(NotOffered):
        book(service, repair, Slot(date(2026, 11, 28), SlotKind.AM))  # a Saturday
    assert appointments.calls == []


def test_an_emergency_is_refused_before_the_backend_is_asked(
    service: BookingService, files: FakeRepairFiles, policy: RepairsPolicy,
    calendar: WorkingDayCalendar, appointments: FakeAppointments,
) -> None:  # fmt: skip
    # R14
    emergency = files.add(make_repair(policy, calendar, priority=Priority.EMERGENCY))
    with pytest.raises(Blocked):
        book(service, emergency)
    assert appointments.calls == []


def test_a_booking_made_with_help_is_recorded_as_assisted(
    service: BookingService, repair: Repair, files: FakeRepairFiles
) -> None:
    # R41: the tenant's history says it was done with help
    book(service, repair, assisted=True)
    assert files.assisted == [True]


def test_a_text_that_cannot_be_planned_does_not_undo_a_confirmed_booking(
    service: BookingService, repair: Repair, files: FakeRepairFiles, texts: FakeTexts
) -> None:
    texts.broken = True
    assert book(service, repair) is Outcome.DONE
    assert files.stored(repair.ref).appointment == SLOT


def test_no_text_is_planned_without_a_mobile_number(
    service: BookingService, files: FakeRepairFiles, policy: RepairsPolicy,
    calendar: WorkingDayCalendar, texts: FakeTexts,
) -> None:  # fmt: skip
    quiet = files.add(make_repair(policy, calendar), mobile=None)
    assert book(service, quiet) is Outcome.DONE
    assert texts.sent == []


def test_rescheduling_moves_the_same_job_and_supersedes_the_old_texts(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments, texts: FakeTexts, clock: FakeClock,
) -> None:  # fmt: skip
    # R23: the same job, and the text service is told of the move
    book(service, repair)
    clock.advance(timedelta(minutes=5))
    result = service.reschedule(RescheduleAppointment(repair.ref, TENANCY, OTHER))
    assert result.outcome is Outcome.DONE
    assert appointments.booked == {JOB: OTHER}
    assert files.stored(repair.ref).appointment == OTHER
    assert isinstance(files.events[-1], AppointmentRescheduled)
    assert [kind for kind, _ in texts.sent] == ["booked", "rescheduled"]
    assert texts.sent[-1][1]["slot_text"] == "Wednesday 2 December, 12pm to 4pm"
    # the old booking's pending reminder is named by when it was booked
    assert texts.sent[-1][1]["previous_booked_at"] == NOW
    assert texts.sent[-1][1]["booked_at"] == NOW + timedelta(minutes=5)


def test_cancelling_frees_the_slot_keeps_the_repair_open_and_texts_the_tenant(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments, texts: FakeTexts,
) -> None:  # fmt: skip
    book(service, repair)
    result = service.cancel(CancelAppointment(repair.ref, TENANCY))
    assert (result.outcome, result.slot) == (Outcome.DONE, SLOT)
    stored = files.stored(repair.ref)
    assert stored.appointment is None and stored.status is BackendStatus.ISSUED
    assert not stored.status.is_final  # the appointment is cancelled, not the repair
    assert isinstance(files.events[-2], AppointmentCancelled)
    assert texts.sent[-1][0] == "cancelled"
    assert texts.sent[-1][1]["booked_at"] == NOW  # names the booking whose reminder goes
    assert service.cancel(CancelAppointment(repair.ref, TENANCY)).outcome is Outcome.ALREADY_DONE
    assert appointments.calls.count("cancel") == 1


def test_a_change_while_the_backend_is_down_changes_nothing(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments,
) -> None:  # fmt: skip
    book(service, repair)
    appointments.fail_with = BackendUnavailable("down")
    result = service.reschedule(RescheduleAppointment(repair.ref, TENANCY, OTHER))
    assert result.outcome is Outcome.UNAVAILABLE
    assert files.stored(repair.ref).appointment == SLOT and files.follow_ups == []


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        (datetime(2026, 12, 24, 23, 59, tzinfo=UTC), True),  # Thursday: the last working day
        (datetime(2026, 12, 25, 0, 1, tzinfo=UTC), False),  # Christmas Day
        (datetime(2026, 12, 28, 9, 0, tzinfo=UTC), False),  # the substitute bank holiday
    ],
)
def test_changes_stop_at_the_end_of_the_working_day_before_the_slot_counting_bank_holidays(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    clock: FakeClock, now: datetime, allowed: bool,
) -> None:  # fmt: skip
    # R23: a Tuesday 29 December slot; the working day before it is Thursday 24 December
    booked_repair(files, repair, CHRISTMAS_WEEK)
    clock.set(now)
    on_file = service.find(repair.ref, TENANCY)
    assert (service.change_block(on_file) is None) is allowed
    if not allowed:
        assert service.change_block(on_file) is Block.TOO_LATE
        with pytest.raises(Blocked):
            service.cancel(CancelAppointment(repair.ref, TENANCY))
        with pytest.raises(Blocked):
            service.reschedule(
                RescheduleAppointment(repair.ref, TENANCY, Slot(date(2027, 1, 6), SlotKind.AM))
            )


def test_after_no_access_the_tenant_books_again_although_the_old_slot_has_passed(
    service: BookingService, repair: Repair, files: FakeRepairFiles,
    appointments: FakeAppointments, texts: FakeTexts, clock: FakeClock,
) -> None:  # fmt: skip
    # R46: "no access - please rebook" is the tenant's to act on; the old visit is over
    stored = booked_repair(files, repair, Slot(date(2026, 11, 25), SlotKind.AM))
    stored.record_status(BackendStatus.NO_ACCESS, datetime(2026, 11, 25, 12, tzinfo=UTC))
    clock.set(datetime(2026, 11, 26, 9, tzinfo=UTC))
    on_file = service.find(repair.ref, TENANCY)
    assert service.change_block(on_file) is Block.NOT_BOOKED  # not a change: a new booking
    assert book(service, repair, Slot(date(2026, 12, 3), SlotKind.PM)) is Outcome.DONE
    assert files.stored(repair.ref).appointment == Slot(date(2026, 12, 3), SlotKind.PM)
    assert files.stored(repair.ref).status is BackendStatus.APPOINTMENT_MADE
    assert texts.sent[-1][0] == "booked"
