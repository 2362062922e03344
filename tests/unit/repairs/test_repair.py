from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from repairs.calendar import Division, WorkingDayCalendar
from repairs.events import (
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentRescheduled,
    JobRaised,
    RepairCompleted,
    RepairReported,
    RepairStatusChanged,
)
from repairs.local_time import local_instant
from repairs.policy import RepairsPolicy
from repairs.ports import MAX_DESCRIPTION_LENGTH, Tenure
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import (
    AppointmentChangeKind,
    ChangeTooLate,
    Repair,
    RepairDetails,
    RepairRuleBroken,
)
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus as S

pytestmark = pytest.mark.unit

EAW = Division.ENGLAND_AND_WALES
REPORTED = datetime(2026, 12, 14, 9, 30, tzinfo=UTC)  # Monday
JOB = JobNumber("40012345")
SLOT = Slot(date(2026, 12, 22), SlotKind.AM)  # Tuesday
LATER_SLOT = Slot(date(2026, 12, 23), SlotKind.PM)


def details(description: str = "Kitchen tap drips constantly") -> RepairDetails:
    return RepairDetails(
        ref=RepairRef("RR-7K3M9Q"),
        submission_id=SubmissionId("3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b"),
        tenancy_ref=TenancyRef("TEN-100001"),
        property_ref=PropertyRef("PR-000001"),
        sor_code="PLU012",
        description=description,
        priority=Priority.URGENT,
        trade=Trade.PLUMBING,
        channel=Channel.ONLINE,
        reported_at=REPORTED,
    )


@pytest.fixture
def repair(policy: RepairsPolicy, calendar: WorkingDayCalendar) -> Repair:
    target = policy.targets.target_for(
        calendar, reported_at=REPORTED, priority=Priority.URGENT, tenure=Tenure.SECURE, division=EAW
    )
    return Repair.report(details(), target)


@pytest.fixture
def booked(repair: Repair) -> Repair:
    repair.record_job_raised(JOB, REPORTED + timedelta(seconds=5))
    repair.book(SLOT, REPORTED + timedelta(minutes=2))
    repair.pull_events()
    return repair


def test_a_reported_repair_keeps_its_report_time_target_and_channel(repair: Repair) -> None:
    # R11, R44
    assert repair.reported_at == REPORTED
    assert repair.details.channel is Channel.ONLINE
    assert repair.target.due_on == date(2026, 12, 21)
    assert repair.status is S.LOGGED
    assert repair.completed_at is None
    [event] = repair.pull_events()
    assert isinstance(event, RepairReported)
    assert event.at == REPORTED


def test_the_report_time_cannot_be_changed(repair: Repair) -> None:
    # R11: stored once, never changed
    with pytest.raises(AttributeError):
        repair.reported_at = REPORTED + timedelta(days=1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        repair.details.reported_at = REPORTED  # type: ignore[misc]


def test_a_report_time_in_another_zone_is_stored_as_utc() -> None:
    # R11
    from repairs.local_time import LONDON

    summer = datetime(2026, 6, 8, 10, 0, tzinfo=LONDON)
    stored = RepairDetails(**{**details().__dict__, "reported_at": summer}).reported_at
    assert stored == datetime(2026, 6, 8, 9, 0, tzinfo=UTC)
    assert stored.tzinfo is UTC


def test_a_target_counted_from_another_time_is_refused(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R11: every deadline counts from the one awareness instant
    target = policy.targets.target_for(
        calendar,
        reported_at=REPORTED + timedelta(hours=1),
        priority=Priority.URGENT,
        tenure=Tenure.SECURE,
        division=EAW,
    )
    with pytest.raises(RepairRuleBroken, match="report time"):
        Repair.report(details(), target)


@pytest.mark.parametrize(
    ("description", "message"),
    [("   ", "description is required"), ("x" * (MAX_DESCRIPTION_LENGTH + 1), "256 characters")],
)
def test_the_description_is_required_and_no_longer_than_the_backend_accepts(
    description: str, message: str
) -> None:
    # R18
    with pytest.raises(ValueError, match=message):
        details(description)
    assert details("x" * MAX_DESCRIPTION_LENGTH).description


def test_raising_the_job_twice_with_the_same_number_changes_nothing(repair: Repair) -> None:
    repair.pull_events()
    assert repair.record_job_raised(JOB, REPORTED)
    assert not repair.record_job_raised(JOB, REPORTED + timedelta(minutes=1))
    assert [type(e) for e in repair.pull_events()] == [JobRaised]


def test_a_second_different_job_is_refused(repair: Repair) -> None:
    # a retry must never make a second job
    repair.record_job_raised(JOB, REPORTED)
    with pytest.raises(RepairRuleBroken, match="refusing a second job"):
        repair.record_job_raised(JobNumber("40099999"), REPORTED)


def test_status_changes_are_recorded_in_order_with_their_source(booked: Repair) -> None:
    at = REPORTED + timedelta(hours=1)
    assert booked.record_status(S.ISSUED, at)
    assert booked.record_status(S.APPOINTMENT_MADE, at + timedelta(hours=1))
    assert [(r.status, r.source) for r in booked.status_history] == [
        (S.LOGGED, "portal"),
        (S.ISSUED, "backend"),
        (S.APPOINTMENT_MADE, "backend"),
    ]
    events = booked.pull_events()
    assert events[0] == RepairStatusChanged(booked.ref, S.LOGGED, S.ISSUED, at, "backend")


def test_a_repeated_status_is_ignored(booked: Repair) -> None:
    at = REPORTED + timedelta(hours=1)
    assert booked.record_status(S.ISSUED, at)
    assert not booked.record_status(S.ISSUED, at + timedelta(minutes=5))
    assert len(booked.status_history) == 2


def test_a_late_arriving_older_status_is_ignored(booked: Repair) -> None:
    at = REPORTED + timedelta(hours=3)
    booked.record_status(S.IN_PROGRESS, at)
    assert not booked.record_status(S.ISSUED, at - timedelta(hours=1))
    assert booked.status is S.IN_PROGRESS


def test_nothing_moves_a_job_back_to_logged(booked: Repair) -> None:
    booked.record_status(S.ISSUED, REPORTED + timedelta(hours=1))
    assert not booked.record_status(S.LOGGED, REPORTED + timedelta(hours=2))


def test_a_completed_job_stays_completed(booked: Repair) -> None:
    done = REPORTED + timedelta(days=3)
    assert booked.record_status(S.COMPLETED, done)
    assert not booked.record_status(S.IN_PROGRESS, done + timedelta(hours=1))
    assert booked.completed_at == done  # R44
    assert isinstance(booked.pull_events()[-1], RepairCompleted)
    assert booked.appointment is None


def test_no_access_then_a_new_appointment_is_a_forward_move(booked: Repair) -> None:
    # R46: no access is its own status, and rebooking follows it
    booked.record_status(S.NO_ACCESS, REPORTED + timedelta(days=2))
    assert booked.record_status(S.APPOINTMENT_MADE, REPORTED + timedelta(days=3))


def test_a_status_from_the_portal_does_not_hide_later_backend_changes(repair: Repair) -> None:
    # the initial "logged" is our own record; backend clocks may differ slightly from ours
    assert repair.record_status(S.ISSUED, REPORTED - timedelta(seconds=30))


def test_booking_needs_a_job_in_the_repairs_system(repair: Repair) -> None:
    with pytest.raises(RepairRuleBroken, match="no job in the repairs system"):
        repair.book(SLOT, REPORTED)


def test_booking_records_the_appointment_and_an_event(repair: Repair) -> None:
    # R44: appointment history
    repair.record_job_raised(JOB, REPORTED)
    repair.pull_events()
    repair.book(SLOT, REPORTED + timedelta(minutes=2))
    assert repair.appointment == SLOT
    assert repair.pull_events() == [
        AppointmentBooked(repair.ref, JOB, SLOT, REPORTED + timedelta(minutes=2))
    ]


def test_booking_twice_is_refused(booked: Repair) -> None:
    with pytest.raises(RepairRuleBroken, match="reschedule it instead"):
        booked.book(LATER_SLOT, REPORTED)


def test_a_booking_is_refused_once_the_job_is_closed(booked: Repair) -> None:
    booked.record_status(S.CANCELLED, REPORTED + timedelta(days=1))
    with pytest.raises(RepairRuleBroken, match="is cancelled"):
        booked.book(LATER_SLOT, REPORTED + timedelta(days=1))


def at_london(day: date, hour: int, minute: int = 0) -> datetime:
    return local_instant(day, time(hour, minute))


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        (at_london(date(2026, 12, 18), 12), True),  # Friday
        (at_london(date(2026, 12, 21), 23, 59), True),  # Monday, the working day before
        (at_london(date(2026, 12, 22), 0, 1), False),  # the slot's own day
        (at_london(date(2026, 12, 23), 9), False),  # after it
    ],
)
def test_a_tenant_can_change_until_the_end_of_the_working_day_before(
    booked: Repair, calendar: WorkingDayCalendar, now: datetime, allowed: bool
) -> None:
    # R23: slot on Tuesday 22 December 2026
    assert booked.can_change_appointment(now, calendar, EAW) is allowed


def test_the_working_day_before_a_monday_slot_is_the_friday(
    repair: Repair, calendar: WorkingDayCalendar
) -> None:
    # R23: slot Monday 4 January 2027; the working day before is Thursday 31 December
    repair.record_job_raised(JOB, REPORTED)
    repair.book(Slot(date(2027, 1, 4), SlotKind.AM), REPORTED)
    assert repair.can_change_appointment(at_london(date(2026, 12, 31), 17), calendar, EAW)
    assert not repair.can_change_appointment(at_london(date(2027, 1, 1), 9), calendar, EAW)
    assert not repair.can_change_appointment(at_london(date(2027, 1, 2), 9), calendar, EAW)


def test_a_longer_configured_cut_off_is_respected(
    booked: Repair, calendar: WorkingDayCalendar
) -> None:
    # R23 [the working day before] is configuration
    friday = at_london(date(2026, 12, 18), 12)
    assert booked.can_change_appointment(friday, calendar, EAW, cut_off_working_days=2)
    assert not booked.can_change_appointment(friday, calendar, EAW, cut_off_working_days=3)


def test_rescheduling_keeps_the_job_and_names_the_old_slot(
    booked: Repair, calendar: WorkingDayCalendar
) -> None:
    # R23: same job; the old slot's reminders can be cancelled from the event
    at = at_london(date(2026, 12, 18), 12)
    booked.reschedule(LATER_SLOT, at, calendar, EAW)
    assert booked.appointment == LATER_SLOT
    assert booked.job_number == JOB
    assert booked.pull_events() == [AppointmentRescheduled(booked.ref, JOB, SLOT, LATER_SLOT, at)]
    last = booked.appointment_history[-1]
    assert (last.kind, last.previous_slot) == (AppointmentChangeKind.RESCHEDULED, SLOT)


def test_rescheduling_too_late_is_refused(booked: Repair, calendar: WorkingDayCalendar) -> None:
    # R23
    with pytest.raises(ChangeTooLate, match="phone us instead"):
        booked.reschedule(LATER_SLOT, at_london(date(2026, 12, 22), 7), calendar, EAW)
    assert booked.appointment == SLOT


def test_staff_may_change_a_slot_after_the_cut_off(
    booked: Repair, calendar: WorkingDayCalendar
) -> None:
    booked.reschedule(LATER_SLOT, at_london(date(2026, 12, 22), 7), calendar, EAW, allow_late=True)
    assert booked.appointment == LATER_SLOT


def test_rescheduling_to_the_same_slot_is_refused(
    booked: Repair, calendar: WorkingDayCalendar
) -> None:
    with pytest.raises(RepairRuleBroken, match="already booked for that slot"):
        booked.reschedule(SLOT, at_london(date(2026, 12, 18), 12), calendar, EAW)


def test_cancelling_frees_the_repair_to_be_booked_again(
    booked: Repair, calendar: WorkingDayCalendar
) -> None:
    # R23, R44
    at = at_london(date(2026, 12, 18), 12)
    booked.cancel_appointment(at, calendar, EAW)
    assert booked.appointment is None
    assert booked.pull_events() == [AppointmentCancelled(booked.ref, JOB, SLOT, at)]
    assert not booked.can_change_appointment(at, calendar, EAW)
    booked.book(LATER_SLOT, at)
    assert [r.kind for r in booked.appointment_history] == [
        AppointmentChangeKind.BOOKED,
        AppointmentChangeKind.CANCELLED,
        AppointmentChangeKind.BOOKED,
    ]


def test_cancelling_without_an_appointment_is_refused(
    repair: Repair, calendar: WorkingDayCalendar
) -> None:
    repair.record_job_raised(JOB, REPORTED)
    with pytest.raises(RepairRuleBroken, match="no appointment to change"):
        repair.cancel_appointment(REPORTED, calendar, EAW)


def test_a_repair_rebuilt_from_stored_state_behaves_the_same(booked: Repair) -> None:
    booked.record_status(S.ISSUED, REPORTED + timedelta(hours=1))
    rebuilt = Repair(
        booked.details,
        booked.target,
        job_number=booked.job_number,
        status_history=booked.status_history,
        appointment_history=booked.appointment_history,
    )
    assert rebuilt.status is S.ISSUED
    assert rebuilt.appointment == SLOT
    assert rebuilt.pull_events() == []
    assert not rebuilt.record_status(S.ISSUED, REPORTED + timedelta(hours=2))


def test_a_damp_and_mould_repair_is_marked_as_an_awaabs_law_case(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R9: never booked as an ordinary routine job; the flag travels with the repair
    target = policy.targets.target_for(
        calendar,
        reported_at=REPORTED,
        priority=Priority.DAMP_AND_MOULD,
        tenure=Tenure.SECURE,
        division=EAW,
    )
    damp = RepairDetails(**{**details().__dict__, "priority": Priority.DAMP_AND_MOULD})
    assert Repair.report(damp, target).awaabs_law_case
