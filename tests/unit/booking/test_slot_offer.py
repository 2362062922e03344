"""Which slots a tenant is offered (R20, R21, R47) and how tampered choices are caught."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from repairs.booking import (
    MIN_DAYS_OF_CHOICE,
    Block,
    BookingService,
    NotOffered,
    booking_block,
    parse_slot_key,
    slot_key,
)
from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy
from repairs.priorities import Priority
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus
from tests.unit.booking.fakes import TENANCY, FakeAppointments, FakeRepairFiles, make_repair

pytestmark = pytest.mark.unit


def offered_days(page: object) -> list[date]:
    return [day.day for day in page.days]  # type: ignore[attr-defined]


@pytest.fixture
def urgent(files: FakeRepairFiles, policy: RepairsPolicy, calendar: WorkingDayCalendar):  # type: ignore[no-untyped-def]
    # Reported Monday 23 November: 5 working days makes the target Monday 30 November.
    return files.add(make_repair(policy, calendar, priority=Priority.URGENT))


@pytest.fixture
def routine(files: FakeRepairFiles, policy: RepairsPolicy, calendar: WorkingDayCalendar):  # type: ignore[no-untyped-def]
    return files.add(make_repair(policy, calendar, priority=Priority.ROUTINE))


def test_urgent_work_is_offered_only_slots_before_its_target(
    service: BookingService, urgent: object
) -> None:
    # R20: today is Tuesday 24 November; slots start tomorrow and stop at the target day
    on_file = service.find(urgent.ref, TENANCY)  # type: ignore[attr-defined]
    assert urgent.target.due_on == date(2026, 11, 30)  # type: ignore[attr-defined]
    first = service.slots(on_file, 0)
    assert offered_days(first) == [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27)]
    assert first.until == date(2026, 11, 30)
    assert first.has_next and first.weeks == 2
    second = service.slots(on_file, 1)
    assert offered_days(second) == [date(2026, 11, 30)]
    assert not second.has_next
    with pytest.raises(NotOffered):
        service.slots(on_file, 2)


def test_an_urgent_slot_after_the_target_is_refused_as_tampering(
    service: BookingService, urgent: object
) -> None:
    on_file = service.find(urgent.ref, TENANCY)  # type: ignore[attr-defined]
    service.check_slot(on_file, Slot(date(2026, 11, 30), SlotKind.PM))
    with pytest.raises(NotOffered):
        service.check_slot(on_file, Slot(date(2026, 12, 1), SlotKind.AM))


def test_urgent_work_whose_target_has_passed_is_offered_nothing(
    service: BookingService, files: FakeRepairFiles, policy: RepairsPolicy,
    calendar: WorkingDayCalendar,
) -> None:  # fmt: skip
    late = files.add(make_repair(policy, calendar, priority=Priority.URGENT,
                                 reported_at=datetime(2026, 11, 2, 9, tzinfo=UTC)))  # fmt: skip
    page = service.slots(service.find(late.ref, TENANCY), 0)
    assert page.days == () and page.weeks == 0 and not page.has_next


def test_routine_work_with_plenty_of_slots_needs_one_backend_call(
    service: BookingService, routine: object, appointments: FakeAppointments
) -> None:
    page = service.slots(service.find(routine.ref, TENANCY), 0)  # type: ignore[attr-defined]
    assert appointments.windows == [(date(2026, 11, 25), date(2026, 12, 6))]
    assert offered_days(page)[0] == date(2026, 11, 25)
    assert page.weeks == 2 and page.until is None
    kinds = [slot.kind for slot in page.days[0].slots]
    assert kinds == [SlotKind.AM, SlotKind.PM, SlotKind.ALL_DAY]


def test_routine_work_asks_further_windows_until_five_working_days_are_on_offer(
    service: BookingService, routine: object, appointments: FakeAppointments
) -> None:
    # R20: at least five working days of choice, asked in windows of at most 14 days
    appointments.open_days = {date(2026, 12, 10), date(2026, 12, 17),
                              date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 7)}  # fmt: skip
    on_file = service.find(routine.ref, TENANCY)  # type: ignore[attr-defined]
    page = service.slots(on_file, 0)
    assert len(appointments.windows) == 4
    assert all((last - first).days < 14 for first, last in appointments.windows)
    assert page.weeks == 8 and page.days == ()
    assert offered_days(service.slots(on_file, 6)) == [date(2027, 1, 5), date(2027, 1, 6),
                                                       date(2027, 1, 7)]  # fmt: skip


def test_bank_holidays_are_offered_but_do_not_count_as_working_days_of_choice(
    service: BookingService, routine: object, appointments: FakeAppointments
) -> None:
    # R20 counts working days; Christmas Day and the 28 December substitute day are not
    appointments.open_days = {date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27),
                              date(2026, 12, 25), date(2026, 12, 28),
                              date(2027, 1, 5), date(2027, 1, 6)}  # fmt: skip
    on_file = service.find(routine.ref, TENANCY)  # type: ignore[attr-defined]
    assert service.slots(on_file, 0).weeks == 8  # not 6, where the holidays would have counted
    assert offered_days(service.slots(on_file, 4)) == [date(2026, 12, 25)]


def test_when_the_backend_has_too_few_slots_twelve_weeks_are_offered(
    service: BookingService, routine: object, appointments: FakeAppointments
) -> None:
    appointments.open_days = {date(2026, 12, 10)}
    page = service.slots(service.find(routine.ref, TENANCY), 0)  # type: ignore[attr-defined]
    assert page.weeks == 12 and MIN_DAYS_OF_CHOICE == 5


def test_full_slots_and_the_current_appointment_are_not_offered(
    service: BookingService, routine: object, appointments: FakeAppointments
) -> None:
    appointments.full = {Slot(date(2026, 11, 25), SlotKind.AM)}
    page = service.slots(service.find(routine.ref, TENANCY), 0)  # type: ignore[attr-defined]
    assert [s.kind for s in page.days[0].slots] == [SlotKind.PM, SlotKind.ALL_DAY]
    assert not page.offers(Slot(date(2026, 11, 25), SlotKind.AM))


@pytest.mark.parametrize(
    "slot",
    [
        Slot(date(2026, 11, 24), SlotKind.PM),  # today: slots start tomorrow
        Slot(date(2026, 11, 28), SlotKind.AM),  # a Saturday
        Slot(date(2027, 6, 1), SlotKind.AM),  # beyond the twelve weeks offered
    ],
)
def test_a_slot_the_rules_never_offer_is_tampering(
    service: BookingService, routine: object, slot: Slot
) -> None:
    with pytest.raises(NotOffered):
        service.check_slot(service.find(routine.ref, TENANCY), slot)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("priority", "block"),
    [(Priority.EMERGENCY, Block.EMERGENCY), (Priority.DAMP_AND_MOULD, Block.AWAABS_LAW)],
)
def test_emergencies_and_awaabs_law_cases_are_never_booked_online(
    policy: RepairsPolicy, calendar: WorkingDayCalendar, priority: Priority, block: Block
) -> None:
    # R9, R14
    assert booking_block(make_repair(policy, calendar, priority=priority)) is block


def test_a_repair_is_bookable_only_with_a_job_and_while_open(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    assert booking_block(make_repair(policy, calendar, job=None)) is Block.NO_JOB_YET
    repair = make_repair(policy, calendar)
    assert booking_block(repair) is None
    repair.record_status(BackendStatus.IN_PROGRESS, datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert booking_block(repair) is Block.WORK_STARTED
    repair.record_status(BackendStatus.CANCELLED, datetime(2026, 11, 23, 13, tzinfo=UTC))
    assert booking_block(repair) is Block.CLOSED


def test_slot_keys_round_trip_and_anything_else_is_tampering() -> None:
    slot = Slot(date(2026, 12, 1), SlotKind.ALL_DAY)
    assert slot_key(slot) == "2026-12-01-all_day"
    assert parse_slot_key(slot_key(slot)) == slot
    for bad in ("", "2026-12-01", "2026-12-01-noon", "2026-13-01-am", "2026-12-01am", "x" * 40):
        with pytest.raises(NotOffered):
            parse_slot_key(bad)
