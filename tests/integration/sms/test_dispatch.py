"""Sending from the queue: retries, permanent failures, limits, codes, crashes (R29, R33-R35)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.clock import FakeClock
from adapters.db.tables.messages import SmsContact, SmsMessage
from adapters.sms.fake import FakeSmsSender
from notifications.dispatch import Dispatcher
from notifications.messaging import Messaging, NumberCannotBeTexted, TooManyMessages
from notifications.store import NewMessage
from notifications.templates import MessageKind, MessageValues

pytestmark = pytest.mark.integration

TENANT = "+447700900123"
OTHER = "+447700900456"


def rows(engine: sa.Engine) -> list[SmsMessage]:
    with sa.orm.Session(engine) as session:
        return list(session.scalars(sa.select(SmsMessage).order_by(SmsMessage.id)))


def contact(engine: sa.Engine, number: str) -> SmsContact | None:
    with sa.orm.Session(engine) as session:
        return session.get(SmsContact, number)


def queue(messaging: Messaging, clock: FakeClock, count: int, to: str = TENANT) -> None:
    messages = [
        NewMessage(to, MessageKind.STAFF_TEST, f"Text number {i}", clock.now(), urgent=True)
        for i in range(count)
    ]
    messaging.store.plan(messages, [], clock.now())


def test_a_temporary_failure_is_retried_with_growing_waits_then_sent_once(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    queue(messaging, clock, 1)
    sender.fail_next(20429, times=3)
    waits = []
    for _ in range(3):
        assert dispatcher.run_pass().retried == 1
        (row,) = rows(engine)
        waits.append(row.next_attempt_at - clock.now())
        assert dispatcher.run_pass().claimed == 0  # not before its time
        clock.set(row.next_attempt_at)
    assert dispatcher.run_pass().sent == 1
    # R33: back-off grows (60 s, 120 s, 240 s steps with jitter of up to half).
    assert waits[0] >= timedelta(seconds=30) and waits[2] >= timedelta(seconds=120)
    assert waits[0] < waits[2]
    (row,) = rows(engine)
    assert row.state == "sent" and row.attempts == 4 and row.provider_sid == sender.sent[0].sid
    assert len(sender.sent) == 1


def test_retries_stop_after_the_last_attempt(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    queue(messaging, clock, 1)
    sender.fail_always(30001)
    for _ in range(5):
        dispatcher.run_pass()
        clock.advance(timedelta(hours=2))
    (row,) = rows(engine)
    assert row.state == "failed" and row.attempts == 5 and row.error_code == 30001
    assert sender.attempts == 5


def test_a_permanent_failure_flags_the_contact_and_stops_later_texts(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    queue(messaging, clock, 1)
    sender.fail_next(21211, permanent=True)
    assert dispatcher.run_pass().failed == 1
    assert sender.attempts == 1
    flagged = contact(engine, TENANT)
    assert flagged is not None and flagged.flagged and "21211" in (flagged.flag_reason or "")
    queue(messaging, clock, 1)
    assert dispatcher.run_pass().withdrawn == 1
    assert sender.attempts == 1
    assert rows(engine)[1].state == "cancelled"


def test_an_opted_out_number_gets_nothing(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    messaging.store.set_opted_out(TENANT, True, clock.now())
    queue(messaging, clock, 2)
    queue(messaging, clock, 1, to=OTHER)
    report = dispatcher.run_pass()
    assert (report.withdrawn, report.sent) == (2, 1)
    assert [s.to for s in sender.sent] == [OTHER]
    assert "STOP" in (rows(engine)[0].error_text or "")


def test_no_more_than_twenty_texts_an_hour_reach_one_number(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    queue(messaging, clock, 22)
    total = dispatcher.run_pass()
    assert (total.sent, total.deferred) == (20, 2)
    waiting = [r for r in rows(engine) if r.state == "planned"]
    assert {r.next_attempt_at for r in waiting} == {clock.now() + timedelta(hours=1)}
    clock.advance(timedelta(hours=1))
    assert dispatcher.run_pass().sent == 2
    assert len(sender.sent) == 22


def test_a_verification_code_goes_at_once_from_the_request(
    engine: sa.Engine, messaging: Messaging, sender: FakeSmsSender
) -> None:
    messaging.send_verification_code("+447700900123", "123456")
    assert sender.sent[0].body.startswith("123456 is your Northbridge Council repairs code")
    (row,) = rows(engine)
    assert row.state == "sent" and row.kind == "verification_code" and row.urgent


def test_a_sixth_code_in_an_hour_is_refused_with_a_time_to_try_again(
    messaging: Messaging, sender: FakeSmsSender, clock: FakeClock
) -> None:
    start = clock.now()
    for i in range(5):
        messaging.send_verification_code(TENANT, f"12345{i}")
        clock.advance(timedelta(minutes=1))
    with pytest.raises(TooManyMessages) as refused:
        messaging.send_verification_code(TENANT, "999999")
    assert refused.value.retry_at == start + timedelta(hours=1)
    assert "too many texts" in str(refused.value)
    assert len(sender.sent) == 5
    clock.set(start + timedelta(hours=1))
    messaging.send_verification_code(TENANT, "999999")


def test_a_code_is_queued_for_the_worker_when_twilio_is_down(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    sender.fail_next(500)
    messaging.send_verification_code(TENANT, "123456")
    (row,) = rows(engine)
    assert row.state == "planned" and row.attempts == 1
    clock.set(row.next_attempt_at)
    assert dispatcher.run_pass().sent == 1
    assert sender.sent[0].body.startswith("123456")


def test_a_code_too_late_to_use_is_not_sent(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    sender.fail_next(500)
    messaging.send_verification_code(TENANT, "123456")
    clock.advance(timedelta(minutes=16))  # R35: codes last 15 minutes
    assert dispatcher.run_pass().withdrawn == 1
    assert sender.sent == []


def test_a_code_to_an_opted_out_or_landline_number_is_refused_clearly(
    messaging: Messaging, clock: FakeClock
) -> None:
    messaging.store.set_opted_out(TENANT, True, clock.now())
    with pytest.raises(NumberCannotBeTexted, match="stop texting"):
        messaging.send_verification_code(TENANT, "123456")
    with pytest.raises(NumberCannotBeTexted, match="mobile"):
        messaging.send_verification_code("+441632960123", "123456")


def test_a_rows_left_by_a_dead_worker_are_not_sent_twice(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    sender: FakeSmsSender,
    clock: FakeClock,
) -> None:
    """A worker claims three rows, the provider accepts two, and the worker dies before it
    records anything. After the lease the rows come back in doubt: the two already accepted
    are recognised, only the third is sent."""
    queue(messaging, clock, 3)
    claimed = messaging.store.claim_due(clock.now(), "doomed", 10, timedelta(minutes=5))
    for message in claimed[:2]:
        sender.send(_outgoing(message))
    clock.advance(timedelta(minutes=4))
    assert dispatcher.run_pass().claimed == 0  # still leased to the dead worker
    clock.advance(timedelta(minutes=2))
    report = dispatcher.run_pass()
    assert (report.claimed, report.recovered, report.sent) == (3, 2, 3)
    assert sorted(s.body for s in sender.sent) == [
        "Text number 0",
        "Text number 1",
        "Text number 2",
    ]
    assert {r.provider_sid for r in rows(engine)} == {s.sid for s in sender.sent}
    assert all(r.state == "sent" for r in rows(engine))


def test_a_dead_workers_results_arriving_late_are_ignored(
    engine: sa.Engine, messaging: Messaging, dispatcher: Dispatcher, clock: FakeClock
) -> None:
    from notifications.store import Failed

    queue(messaging, clock, 1)
    (stale,) = messaging.store.claim_due(clock.now(), "slow", 10, timedelta(minutes=5))
    clock.advance(timedelta(minutes=6))
    dispatcher.run_pass()
    late = Failed(stale.id, 21211, "too late to matter", flag_contact=True)
    assert messaging.store.record_outcomes(stale.claim_token, [late], clock.now()) == 0
    assert rows(engine)[0].state == "sent"
    assert contact(engine, TENANT) is None or not contact(engine, TENANT).flagged


def test_bodies_are_removed_after_ninety_days_but_the_record_stays(
    engine: sa.Engine,
    messaging: Messaging,
    dispatcher: Dispatcher,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    messaging.notify(MessageKind.COMPLETED, TENANT, _completed("RR-1"), "RR-1")
    dispatcher.run_pass()
    clock.advance(timedelta(days=89))
    assert messaging.remove_old_bodies() == 0
    clock.advance(timedelta(days=1, seconds=1))
    with caplog.at_level("INFO", logger="notifications.messaging"):
        assert messaging.remove_old_bodies() == 1
    assert "removed 1 text message bodies" in caplog.text
    (entry,) = messaging.messages_for_repair("RR-1")
    assert entry.body is None and entry.state.value == "sent" and entry.sent_at is not None


def test_the_message_log_shows_what_happened_to_each_text(
    messaging: Messaging, dispatcher: Dispatcher, sender: FakeSmsSender, clock: FakeClock
) -> None:
    messaging.notify(MessageKind.COMPLETED, TENANT, _completed("RR-1"), "RR-1")
    messaging.notify(MessageKind.NO_ACCESS, OTHER, _no_access("RR-1"), "RR-1")
    messaging.notify(MessageKind.COMPLETED, TENANT, _completed("RR-2"), "RR-2")
    sender.fail_next(21614, permanent=True)
    dispatcher.run_pass()
    log = messaging.messages_for_repair("RR-1")
    assert [e.kind.value for e in log] == ["no_access", "completed"]
    failed = {e.kind.value: e for e in log}["completed"]
    assert failed.state.value == "failed" and failed.error_code == 21614
    assert failed.error_text and "mobile" in failed.error_text


def _completed(ref: str) -> MessageValues:
    return MessageValues(reference=ref, link="http://portal.test/feedback")


def _no_access(ref: str) -> MessageValues:
    return MessageValues(reference=ref, slot="Tuesday 1 December", link="http://portal.test/r")


def _outgoing(message):  # type: ignore[no-untyped-def]
    from notifications.ports import OutgoingSms

    return OutgoingSms(message.to, message.body, None, f"sms-{message.id}")


def test_now_is_a_tuesday(clock: FakeClock) -> None:
    assert clock.now() == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
