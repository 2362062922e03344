"""Dispatch decisions without a database: what is sent, deferred, retried, withdrawn or
recovered (R25, R29, R33, R34), over a small in-memory queue."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from adapters.clock import FakeClock
from adapters.sms.fake import FakeSmsSender
from notifications.config import MessagingPolicy
from notifications.dispatch import Dispatcher, DispatchSettings, attempt_send, describe_error
from notifications.ports import SendResult, SmsTemporaryFailure
from notifications.retry import RetryPolicy
from notifications.store import (
    Accepted,
    ClaimedMessage,
    Contact,
    Deferred,
    Failed,
    Outcome,
    RecentSends,
    RetryLater,
    Withdrawn,
)
from notifications.templates import MessageKind
from repairs.calendar import Division
from tests.unit.notifications.conftest import FakeBankHolidays

pytestmark = pytest.mark.unit

TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TENANT = "+447700900123"
CONFIG = Path(__file__).resolve().parents[3] / "config" / "landlord.yaml"


class MemoryQueue:
    """Just enough of the MessageStore port for the dispatcher."""

    def __init__(self) -> None:
        self.waiting: list[ClaimedMessage] = []
        self.contact_book: dict[str, Contact] = {}
        self.sent_times: dict[str, list[datetime]] = {}
        self.known: set[str] = set()
        self.recorded: list[Outcome] = []

    def claim_due(
        self, now: datetime, worker: str, limit: int, lease: timedelta
    ) -> list[ClaimedMessage]:
        claimed, self.waiting = self.waiting[:limit], self.waiting[limit:]
        return claimed

    def contacts(self, numbers: Sequence[str]) -> Mapping[str, Contact]:
        return {n: c for n, c in self.contact_book.items() if n in numbers}

    def recent_sends(self, numbers: Sequence[str], since: datetime) -> Mapping[str, RecentSends]:
        return {
            n: RecentSends(tuple(t for t in self.sent_times.get(n, []) if t >= since))
            for n in numbers
        }

    def known_sids(self, sids: Sequence[str]) -> frozenset[str]:
        return frozenset(s for s in sids if s in self.known)

    def record_outcomes(self, claim_token: str, outcomes: Sequence[Outcome], now: datetime) -> int:
        self.recorded.extend(outcomes)
        return len(outcomes)


def message(
    id: int = 1,
    *,
    urgent: bool = False,
    in_doubt_since: datetime | None = None,
    expires_at: datetime | None = None,
    attempts: int = 0,
) -> ClaimedMessage:
    return ClaimedMessage(
        id=id,
        to=TENANT,
        kind=MessageKind.COMPLETED,
        body=f"Text {id}",
        urgent=urgent,
        attempts=attempts,
        due_at=TUESDAY_10AM,
        division=Division.ENGLAND_AND_WALES,
        claim_token="token",
        in_doubt_since=in_doubt_since,
        expires_at=expires_at,
    )


@pytest.fixture
def policy() -> MessagingPolicy:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return MessagingPolicy.from_mapping(data["messages"])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_10AM)


@pytest.fixture
def queue() -> MemoryQueue:
    return MemoryQueue()


@pytest.fixture
def sender(clock: FakeClock) -> FakeSmsSender:
    return FakeSmsSender(clock)


@pytest.fixture
def dispatcher(
    queue: MemoryQueue, sender: FakeSmsSender, clock: FakeClock, policy: MessagingPolicy
) -> Iterator[Dispatcher]:
    dispatcher = Dispatcher(
        queue,  # type: ignore[arg-type]
        sender,
        window=policy.sending_window(FakeBankHolidays()),
        limits=policy.limits,
        retry=policy.retry,
        clock=clock,
        settings=DispatchSettings("test", None, batch_size=10, rng=random.Random(1)),
    )
    yield dispatcher
    dispatcher.close()


def only(queue: MemoryQueue) -> Outcome:
    (outcome,) = queue.recorded
    return outcome


def test_a_due_text_in_the_window_is_sent(
    dispatcher: Dispatcher, queue: MemoryQueue, sender: FakeSmsSender
) -> None:
    queue.waiting.append(message())
    assert dispatcher.run_pass().sent == 1
    outcome = only(queue)
    assert isinstance(outcome, Accepted) and outcome.sid == sender.sent[0].sid


def test_a_non_urgent_text_at_night_waits_for_8am(
    dispatcher: Dispatcher, queue: MemoryQueue, clock: FakeClock, sender: FakeSmsSender
) -> None:
    clock.set(datetime(2026, 11, 24, 22, 0, tzinfo=UTC))
    queue.waiting.append(message())
    dispatcher.run_pass()
    outcome = only(queue)
    assert isinstance(outcome, Deferred)
    assert outcome.until == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert sender.attempts == 0


def test_an_urgent_text_goes_at_night(
    dispatcher: Dispatcher, queue: MemoryQueue, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    queue.waiting.append(message(urgent=True))
    assert dispatcher.run_pass().sent == 1


def test_the_twenty_first_text_in_an_hour_waits_until_the_oldest_ages_out(
    dispatcher: Dispatcher, queue: MemoryQueue, clock: FakeClock
) -> None:
    oldest = clock.now() - timedelta(minutes=50)
    queue.sent_times[TENANT] = [oldest + timedelta(minutes=i) for i in range(19)]
    queue.waiting.extend([message(1), message(2)])
    report = dispatcher.run_pass()
    assert (report.sent, report.deferred) == (1, 1)
    deferred = next(o for o in queue.recorded if isinstance(o, Deferred))
    assert deferred.until == oldest + timedelta(hours=1)


@pytest.mark.parametrize(
    ("contact", "reason"),
    [
        (Contact(TENANT, opted_out=True), "STOP"),
        (Contact(TENANT, flagged=True, flag_reason="21211: Invalid"), "flagged"),
    ],
)
def test_opted_out_and_flagged_numbers_are_withdrawn(
    dispatcher: Dispatcher, queue: MemoryQueue, sender: FakeSmsSender, contact: Contact, reason: str
) -> None:
    queue.contact_book[TENANT] = contact
    queue.waiting.append(message())
    dispatcher.run_pass()
    outcome = only(queue)
    assert isinstance(outcome, Withdrawn) and reason in outcome.reason
    assert sender.attempts == 0


def test_a_text_past_its_use_is_withdrawn(
    dispatcher: Dispatcher, queue: MemoryQueue, clock: FakeClock
) -> None:
    queue.waiting.append(message(expires_at=clock.now()))
    dispatcher.run_pass()
    assert isinstance(only(queue), Withdrawn)


def test_an_in_doubt_text_already_accepted_is_recorded_not_sent_again(
    dispatcher: Dispatcher, queue: MemoryQueue, sender: FakeSmsSender, clock: FakeClock
) -> None:
    from notifications.ports import OutgoingSms

    earlier = sender.send(OutgoingSms(TENANT, "Text 1", None, "sms-1"))
    clock.advance(timedelta(minutes=6))
    queue.waiting.append(message(1, in_doubt_since=TUESDAY_10AM))
    report = dispatcher.run_pass()
    assert (report.recovered, report.sent) == (1, 1)
    outcome = only(queue)
    assert isinstance(outcome, Accepted) and outcome.sid == earlier.provider_id
    assert sender.attempts == 1


def test_a_provider_text_already_owned_by_another_row_is_not_taken(
    dispatcher: Dispatcher, queue: MemoryQueue, sender: FakeSmsSender
) -> None:
    from notifications.ports import OutgoingSms

    earlier = sender.send(OutgoingSms(TENANT, "Text 1", None, "sms-9"))
    queue.known.add(earlier.provider_id)  # row 9 holds it: same words, another text
    queue.waiting.append(message(1, in_doubt_since=TUESDAY_10AM))
    report = dispatcher.run_pass()
    assert (report.recovered, report.sent) == (0, 1)
    assert sender.attempts == 2


def test_two_in_doubt_rows_with_the_same_words_share_no_provider_text(
    dispatcher: Dispatcher, queue: MemoryQueue, sender: FakeSmsSender
) -> None:
    from dataclasses import replace

    from notifications.ports import OutgoingSms

    sender.send(OutgoingSms(TENANT, "Same words", None, "sms-1"))
    first = replace(message(1, in_doubt_since=TUESDAY_10AM), body="Same words")
    second = replace(message(2, in_doubt_since=TUESDAY_10AM), body="Same words")
    queue.waiting.extend([first, second])
    report = dispatcher.run_pass()
    assert (report.recovered, report.sent) == (1, 2)
    assert len(sender.sent) == 2


class UnaskableSender(FakeSmsSender):
    def find_accepted(self, to: str, body: str, since: datetime) -> list[SendResult]:
        raise SmsTemporaryFailure(None, "no answer")


def test_an_in_doubt_text_waits_when_the_provider_cannot_be_asked(
    queue: MemoryQueue, clock: FakeClock, policy: MessagingPolicy
) -> None:
    sender = UnaskableSender(clock)
    dispatcher = Dispatcher(
        queue,  # type: ignore[arg-type]
        sender,
        window=policy.sending_window(FakeBankHolidays()),
        limits=policy.limits,
        retry=policy.retry,
        clock=clock,
        settings=DispatchSettings("test", None),
    )
    queue.waiting.append(message(in_doubt_since=TUESDAY_10AM))
    dispatcher.run_pass()
    dispatcher.close()
    assert isinstance(only(queue), Deferred)
    assert sender.attempts == 0  # better late than twice


RETRY = RetryPolicy(3, timedelta(seconds=60), timedelta(seconds=600))


@pytest.mark.parametrize("code", [429, 20429, 30001, 30003, 30008, 500])
def test_temporary_failures_are_retried_later(code: int, clock: FakeClock) -> None:
    sender = FakeSmsSender(clock)
    sender.fail_next(code)
    outcome = attempt_send(
        sender, message(), status_callback=None, retry=RETRY, now=clock.now(), rng=random.Random(0)
    )
    assert isinstance(outcome, RetryLater) and outcome.error_code == code
    assert clock.now() + timedelta(seconds=30) <= outcome.at <= clock.now() + timedelta(seconds=60)


def test_the_last_temporary_failure_gives_up(clock: FakeClock) -> None:
    sender = FakeSmsSender(clock)
    sender.fail_next(30003)
    outcome = attempt_send(
        sender,
        message(attempts=2),
        status_callback=None,
        retry=RETRY,
        now=clock.now(),
        rng=random.Random(0),
    )
    assert isinstance(outcome, Failed) and not outcome.flag_contact


@pytest.mark.parametrize(
    ("code", "opted_out"),
    [(21211, False), (21610, True), (21614, False), (30005, False), (30006, False)],
)
def test_permanent_failures_flag_the_contact(code: int, opted_out: bool, clock: FakeClock) -> None:
    sender = FakeSmsSender(clock)
    sender.fail_next(code, permanent=True)
    outcome = attempt_send(
        sender, message(), status_callback=None, retry=RETRY, now=clock.now(), rng=random.Random(0)
    )
    assert isinstance(outcome, Failed)
    assert outcome.flag_contact and outcome.opted_out is opted_out
    assert outcome.error_text == describe_error(code)


def test_our_own_mistakes_fail_without_blaming_the_number(clock: FakeClock) -> None:
    sender = FakeSmsSender(clock)
    sender.fail_next(20003, permanent=True)  # bad credentials
    outcome = attempt_send(
        sender, message(), status_callback=None, retry=RETRY, now=clock.now(), rng=random.Random(0)
    )
    assert isinstance(outcome, Failed) and not outcome.flag_contact
