"""R23, R24, R25: which appointment texts are planned, and when."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.config import MessagingPolicy
from notifications.planner import Appointment, MessagePlanner, Plan, ReminderPolicy
from notifications.templates import MessageKind, MessageValues
from notifications.window import LONDON, local_instant
from repairs.calendar import Division

from .conftest import FakeBankHolidays, load_messages_section, utc

pytestmark = pytest.mark.unit

ENGLAND = Division.ENGLAND_AND_WALES
K = MessageKind


def appointment(
    start: datetime,
    booked_at: datetime,
    *,
    hours: int = 4,
    division: Division = ENGLAND,
    reference: str = "RR-7K3M9Q",
) -> Appointment:
    return Appointment(
        reference=reference,
        slot_start=start,
        slot_end=start + timedelta(hours=hours),
        slot_text="Thursday 12 March, 8am to 12pm",
        booked_at=booked_at,
        division=division,
    )


def by_kind(plan: Plan) -> dict[MessageKind, datetime]:
    return {message.kind: message.due_at for message in plan.messages}


def test_a_booking_plans_a_confirmation_now_and_a_reminder_at_six_the_evening_before(
    planner: MessagePlanner,
) -> None:
    # R24: Tuesday 10 March 2026 10:00 GMT, visit Thursday 8am.
    now = utc(2026, 3, 10, 10)
    plan = planner.booked(appointment(utc(2026, 3, 12, 8), now), now)
    assert by_kind(plan) == {K.CONFIRMATION: now, K.REMINDER: utc(2026, 3, 11, 18)}
    assert plan.supersede == ()
    assert not any(message.urgent for message in plan.messages)


def test_in_summer_six_in_the_evening_is_five_utc(planner: MessagePlanner) -> None:
    now = utc(2026, 6, 1, 9)
    plan = planner.booked(appointment(utc(2026, 6, 4, 7), now), now)
    assert by_kind(plan)[K.REMINDER] == utc(2026, 6, 3, 17)


def test_a_reminder_for_the_monday_after_the_october_clock_change_stays_the_day_before(
    planner: MessagePlanner,
) -> None:
    # Monday 27 October 2025 8am is 08:00 UTC (GMT). Sunday's window closes at 18:00, so the
    # reminder moves back to 17:30 on the Sunday (GMT), not to Monday morning.
    now = utc(2025, 10, 22, 10)
    plan = planner.booked(appointment(utc(2025, 10, 27, 8), now), now)
    assert by_kind(plan)[K.REMINDER] == utc(2025, 10, 26, 17, 30)


def test_a_reminder_for_the_monday_after_the_march_clock_change_uses_summer_time(
    planner: MessagePlanner,
) -> None:
    now = utc(2026, 3, 25, 10)
    plan = planner.booked(appointment(utc(2026, 3, 30, 7), now), now)
    assert by_kind(plan)[K.REMINDER] == utc(2026, 3, 29, 16, 30)  # 17:30 BST


def test_a_reminder_on_a_bank_holiday_keeps_to_the_holiday_window_of_that_division(
    planner: MessagePlanner,
) -> None:
    # Tuesday 7 April 2026; Easter Monday is a holiday in England, not in Scotland.
    now = utc(2026, 4, 1, 10)
    england = planner.booked(appointment(utc(2026, 4, 7, 7), now), now)
    scotland = planner.booked(appointment(utc(2026, 4, 7, 7), now, division=Division.SCOTLAND), now)
    assert by_kind(england)[K.REMINDER] == utc(2026, 4, 6, 16, 30)
    assert by_kind(scotland)[K.REMINDER] == utc(2026, 4, 6, 17, 0)


def test_no_reminder_when_the_evening_before_has_already_passed(planner: MessagePlanner) -> None:
    # Booked at 19:00 on Wednesday for Thursday 8am: the confirmation is the reminder.
    now = utc(2026, 3, 11, 19)
    plan = planner.booked(appointment(utc(2026, 3, 12, 8), now), now)
    assert by_kind(plan) == {K.CONFIRMATION: now}


def test_no_reminder_for_a_visit_less_than_two_hours_away(planner: MessagePlanner) -> None:
    now = utc(2026, 3, 12, 10, 30)
    plan = planner.booked(appointment(utc(2026, 3, 12, 12), now), now)
    assert by_kind(plan) == {K.CONFIRMATION: now}


def test_no_reminder_when_the_window_leaves_less_than_the_minimum_lead(
    policy: MessagingPolicy, holidays: FakeBankHolidays
) -> None:
    # With a 16 hour lead, Wednesday 17:30 is too close to an 8am Thursday visit.
    strict = ReminderPolicy(1, time(18, 0), timedelta(hours=16), timedelta(minutes=30))
    planner = MessagePlanner(strict, policy.sending_window(holidays))
    now = utc(2026, 3, 9, 10)
    plan = planner.booked(appointment(utc(2026, 3, 12, 8), now), now)
    assert K.REMINDER not in by_kind(plan)


def test_a_reminder_due_before_the_window_opens_moves_to_the_opening(
    policy: MessagingPolicy, holidays: FakeBankHolidays
) -> None:
    early = ReminderPolicy(1, time(7, 0), timedelta(hours=2), timedelta(minutes=30))
    planner = MessagePlanner(early, policy.sending_window(holidays))
    now = utc(2026, 3, 9, 10)
    plan = planner.booked(appointment(utc(2026, 3, 12, 8), now), now)
    assert by_kind(plan)[K.REMINDER] == utc(2026, 3, 11, 8)


def test_the_reminder_is_checked_again_at_send_time(planner: MessagePlanner) -> None:
    # R24: not if the appointment is no longer booked or is under two hours away.
    visit = appointment(utc(2026, 3, 12, 8), utc(2026, 3, 10, 10))
    evening = utc(2026, 3, 11, 18)
    assert planner.reminder_still_wanted(visit, evening, still_booked=True)
    assert not planner.reminder_still_wanted(visit, evening, still_booked=False)
    assert planner.reminder_still_wanted(visit, utc(2026, 3, 12, 6), still_booked=True)
    assert not planner.reminder_still_wanted(visit, utc(2026, 3, 12, 6, 1), still_booked=True)


def test_a_confirmation_booked_late_at_night_waits_for_the_morning(
    planner: MessagePlanner,
) -> None:
    now = utc(2026, 3, 10, 22)
    plan = planner.booked(appointment(utc(2026, 3, 13, 8), now), now)
    assert by_kind(plan)[K.CONFIRMATION] == utc(2026, 3, 11, 8)


def test_a_late_night_booking_for_early_next_morning_is_an_urgent_notice(
    planner: MessagePlanner,
) -> None:
    # Waiting for 08:00 would tell them as the visit begins: a same-day notice goes now.
    now = utc(2026, 3, 11, 22)
    plan = planner.booked(appointment(utc(2026, 3, 12, 8), now), now)
    (confirmation,) = plan.messages
    assert (confirmation.kind, confirmation.due_at, confirmation.urgent) == (
        K.CONFIRMATION,
        now,
        True,
    )


def test_a_late_night_booking_for_the_next_afternoon_waits_for_the_window(
    planner: MessagePlanner,
) -> None:
    now = utc(2026, 3, 11, 22)
    plan = planner.booked(appointment(utc(2026, 3, 12, 12), now), now)
    assert plan.messages[0].due_at == utc(2026, 3, 12, 8)
    assert not plan.messages[0].urgent


def test_nothing_is_planned_for_a_visit_that_has_started(planner: MessagePlanner) -> None:
    now = utc(2026, 3, 12, 9)
    assert planner.booked(appointment(utc(2026, 3, 12, 8), now), now) == Plan()


def test_rescheduling_supersedes_the_old_slot_and_plans_a_notice_and_a_new_reminder(
    planner: MessagePlanner,
) -> None:
    # R23: the old slot's reminder must never go out.
    old = appointment(utc(2026, 3, 12, 8), utc(2026, 3, 9, 10))
    now = utc(2026, 3, 10, 10)
    new = appointment(utc(2026, 3, 17, 12), now)
    plan = planner.rescheduled(old, new, now)
    assert by_kind(plan) == {K.RESCHEDULED: now, K.REMINDER: utc(2026, 3, 16, 18)}
    first_booking = planner.booked(old, utc(2026, 3, 9, 10))
    assert {m.dedupe_key for m in first_booking.messages} <= set(plan.supersede)
    assert not {m.dedupe_key for m in plan.messages} & set(plan.supersede)


def test_cancelling_supersedes_pending_texts_and_tells_the_tenant(
    planner: MessagePlanner,
) -> None:
    booked = appointment(utc(2026, 3, 12, 8), utc(2026, 3, 9, 10))
    plan = planner.cancelled(booked, utc(2026, 3, 10, 10))
    assert by_kind(plan) == {K.CANCELLED: utc(2026, 3, 10, 10)}
    assert planner.booked(booked, utc(2026, 3, 9, 10)).messages[1].dedupe_key in plan.supersede


def test_a_cancellation_the_night_before_an_early_visit_is_sent_at_once(
    planner: MessagePlanner,
) -> None:
    booked = appointment(utc(2026, 3, 12, 8), utc(2026, 3, 9, 10))
    (notice,) = planner.cancelled(booked, utc(2026, 3, 11, 23)).messages
    assert notice.urgent and notice.due_at == utc(2026, 3, 11, 23)


def test_no_cancellation_text_for_a_visit_that_is_over(planner: MessagePlanner) -> None:
    booked = appointment(utc(2026, 3, 12, 8), utc(2026, 3, 9, 10))
    plan = planner.cancelled(booked, utc(2026, 3, 12, 12))
    assert plan.messages == ()
    assert len(plan.supersede) == 3


def test_planning_the_same_booking_twice_gives_the_same_dedupe_keys(
    planner: MessagePlanner,
) -> None:
    booked = appointment(utc(2026, 3, 12, 8), utc(2026, 3, 9, 10))
    first = planner.booked(booked, utc(2026, 3, 9, 10))
    replayed = planner.booked(booked, utc(2026, 3, 9, 10, 5))
    assert [m.dedupe_key for m in first.messages] == [m.dedupe_key for m in replayed.messages]


def test_booking_the_same_slot_again_later_gives_new_dedupe_keys(planner: MessagePlanner) -> None:
    start = utc(2026, 3, 12, 8)
    first = planner.booked(appointment(start, utc(2026, 3, 9, 10)), utc(2026, 3, 9, 10))
    again = planner.booked(appointment(start, utc(2026, 3, 9, 11)), utc(2026, 3, 9, 11))
    assert not {m.dedupe_key for m in first.messages} & {m.dedupe_key for m in again.messages}


def test_planned_texts_carry_only_the_reference_and_the_slot(planner: MessagePlanner) -> None:
    # R27: the planner has nothing else to give a template.
    now = utc(2026, 3, 10, 10)
    plan = planner.booked(appointment(utc(2026, 3, 12, 8), now), now)
    assert {m.values for m in plan.messages} == {
        MessageValues(reference="RR-7K3M9Q", slot="Thursday 12 March, 8am to 12pm")
    }


def test_an_appointment_refuses_a_slot_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="start before it ends"):
        appointment(utc(2026, 3, 12, 8), utc(2026, 3, 9, 10), hours=0)


POLICY = MessagingPolicy.from_mapping(load_messages_section())
# Any booking instant in 2025-2027 and any visit up to three weeks on, at a slot start.
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 11, 30)).map(
    lambda naive: local_instant(naive.date(), naive.time().replace(second=0, microsecond=0))
)
slot_hours = st.sampled_from([time(8, 0), time(12, 0), time(7, 0), time(18, 30), time(21, 0)])


@settings(max_examples=300, deadline=None)
@given(
    now=instants,
    days_ahead=st.integers(min_value=0, max_value=21),
    slot=slot_hours,
    division=st.sampled_from(list(Division)),
)
def test_the_planner_never_plans_a_non_urgent_text_outside_the_window(
    now: datetime, days_ahead: int, slot: time, division: Division
) -> None:
    window = POLICY.sending_window(FakeBankHolidays())
    planner = POLICY.planner(FakeBankHolidays())
    local_day = now.astimezone(LONDON).date()
    start = local_instant(local_day + timedelta(days=days_ahead), slot)
    visit = appointment(start, now, division=division)
    for plan in (planner.booked(visit, now), planner.cancelled(visit, now)):
        for message in plan.messages:
            assert message.due_at >= now
            assert message.urgent or window.is_open(message.due_at, division), message
            if message.kind is K.REMINDER:
                assert message.due_at <= start - POLICY.reminder.minimum_lead
                assert not message.urgent
