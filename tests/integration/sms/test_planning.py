"""Planned texts in the send queue: confirmation, reminder, reschedule, cancel (R23-R25)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.clock import FakeClock
from adapters.db.tables.messages import SmsMessage
from adapters.sms.fake import FakeSmsSender
from notifications.dispatch import Dispatcher
from notifications.messaging import Messaging, NumberCannotBeTexted
from notifications.templates import MessageKind, MessageValues

pytestmark = pytest.mark.integration

TENANT = "+447700900123"
# The default clock is Tuesday 24 November 2026, 10:00 UTC (GMT: London time is the same).
THURSDAY_8AM = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
MONDAY_8AM = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def rows(engine: sa.Engine) -> list[SmsMessage]:
    with sa.orm.Session(engine) as session:
        return list(session.scalars(sa.select(SmsMessage).order_by(SmsMessage.id)))


def book(messaging: Messaging, clock: FakeClock, start: datetime, ref: str = "RR-1001") -> int:
    return messaging.appointment_booked(
        ref,
        "07700 900123",
        slot_start=start,
        slot_end=start + timedelta(hours=4),
        slot_text="Thursday 26 November, 8am to 12pm",
        booked_at=clock.now(),
    )


def test_a_booking_queues_a_confirmation_now_and_a_reminder_at_6pm_the_day_before(
    engine: sa.Engine, messaging: Messaging, clock: FakeClock
) -> None:
    assert book(messaging, clock, THURSDAY_8AM) == 2
    confirmation, reminder = rows(engine)
    assert confirmation.kind == "confirmation" and confirmation.due_at == clock.now()
    assert confirmation.to_number == TENANT and confirmation.state == "planned"
    assert "RR-1001" in (confirmation.body or "")
    # R24: Wednesday 25 November at 18:00 London time.
    assert reminder.kind == "reminder"
    assert reminder.due_at == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    # A reminder under two hours before the visit is no use.
    assert reminder.expires_at == THURSDAY_8AM - timedelta(hours=2)


def test_a_sunday_reminder_moves_into_the_sunday_window(
    engine: sa.Engine, messaging: Messaging, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))  # a Friday
    book(messaging, clock, MONDAY_8AM)
    reminder = rows(engine)[1]
    # R25: Sundays close at 18:00, so 18:00 becomes 17:30 the same day.
    assert reminder.due_at == datetime(2026, 11, 29, 17, 30, tzinfo=UTC)


def test_the_confirmation_goes_at_once_and_the_reminder_on_the_day_before(
    messaging: Messaging, dispatcher: Dispatcher, sender: FakeSmsSender, clock: FakeClock
) -> None:
    book(messaging, clock, THURSDAY_8AM)
    assert dispatcher.run_pass().sent == 1
    assert "is booked" in sender.sent[0].body
    clock.set(datetime(2026, 11, 25, 17, 59, tzinfo=UTC))
    assert dispatcher.run_pass().claimed == 0
    clock.set(datetime(2026, 11, 25, 18, 0, tzinfo=UTC))
    assert dispatcher.run_pass().sent == 1
    assert "reminder" in sender.sent[1].body
    assert dispatcher.run_pass().claimed == 0


def test_planning_the_same_booking_twice_queues_nothing_new(
    engine: sa.Engine, messaging: Messaging, clock: FakeClock
) -> None:
    booked_at = clock.now()
    for _ in range(2):
        messaging.appointment_booked(
            "RR-1001",
            TENANT,
            slot_start=THURSDAY_8AM,
            slot_end=THURSDAY_8AM + timedelta(hours=4),
            slot_text="Thursday 26 November, 8am to 12pm",
            booked_at=booked_at,
        )
    assert len(rows(engine)) == 2


def test_a_reschedule_supersedes_the_old_reminder_and_plans_a_new_one(
    engine: sa.Engine, messaging: Messaging, clock: FakeClock
) -> None:
    first_booked = clock.now()
    book(messaging, clock, THURSDAY_8AM)
    clock.advance(timedelta(hours=1))
    added = messaging.appointment_rescheduled(
        "RR-1001",
        TENANT,
        slot_start=MONDAY_8AM,
        slot_end=MONDAY_8AM + timedelta(hours=4),
        slot_text="Monday 30 November, 8am to 12pm",
        booked_at=clock.now(),
        previous_booked_at=first_booked,
    )
    assert added == 2
    states = {(r.kind, r.due_at): r.state for r in rows(engine)}
    assert states[("confirmation", first_booked)] == "superseded"
    assert states[("reminder", datetime(2026, 11, 25, 18, 0, tzinfo=UTC))] == "superseded"
    assert states[("rescheduled", clock.now())] == "planned"
    assert states[("reminder", datetime(2026, 11, 29, 17, 30, tzinfo=UTC))] == "planned"


def test_a_sent_text_is_not_superseded(
    engine: sa.Engine, messaging: Messaging, dispatcher: Dispatcher, clock: FakeClock
) -> None:
    booked_at = clock.now()
    book(messaging, clock, THURSDAY_8AM)
    dispatcher.run_pass()
    messaging.appointment_cancelled(
        "RR-1001",
        TENANT,
        slot_start=THURSDAY_8AM,
        slot_end=THURSDAY_8AM + timedelta(hours=4),
        slot_text="Thursday 26 November, 8am to 12pm",
        booked_at=booked_at,
    )
    by_kind = {r.kind: r.state for r in rows(engine)}
    assert by_kind == {"confirmation": "sent", "reminder": "superseded", "cancelled": "planned"}


def test_a_text_due_at_night_waits_for_the_window(
    engine: sa.Engine, messaging: Messaging, dispatcher: Dispatcher, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 24, 21, 30, tzinfo=UTC))
    messaging.notify(MessageKind.BOOK_LATER, TENANT, MessageValues(reference="RR-1001"))
    (row,) = rows(engine)
    assert row.due_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert dispatcher.run_pass().claimed == 0
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert dispatcher.run_pass().sent == 1


def test_a_retried_text_that_reaches_the_night_is_deferred_to_the_morning(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    clock.set(datetime(2026, 11, 24, 19, 59, tzinfo=UTC))
    messaging.notify(MessageKind.BOOK_LATER, TENANT, MessageValues(reference="RR-1001"))
    sender.fail_next(30001)
    assert dispatcher.run_pass().retried == 1
    clock.set(datetime(2026, 11, 24, 20, 30, tzinfo=UTC))
    assert dispatcher.run_pass().deferred == 1
    (row,) = rows(engine)
    assert row.state == "planned" and row.next_attempt_at == datetime(
        2026, 11, 25, 8, 0, tzinfo=UTC
    )
    assert row.attempts == 1


def test_a_number_that_is_not_a_uk_mobile_is_refused_when_planning(messaging: Messaging) -> None:
    with pytest.raises(NumberCannotBeTexted, match="mobile"):
        messaging.notify(MessageKind.BOOK_LATER, "01632 960123", MessageValues(reference="R1"))
