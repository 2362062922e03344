"""Sending due texts: claim, check, send, record (R25, R29, R32, R33, R34).

One pass claims a batch of due rows atomically, decides for each whether it may go now, hands
the ones that may to the provider (a few at a time, in threads, since each is one HTTP call),
and records every outcome in one transaction. No transaction is open during a provider call.

Exactly once, even when a worker dies (`kill -9`) between the provider accepting a text and
our recording its SID: the claim itself is the record written before the send. A row left in
`sending` past its lease is released with `in_doubt_since` = the dead worker's claim time.
Before sending an in-doubt row again we ask the provider for texts to the same number with
the same body created since then, and drop any whose SID another row of ours already holds
(or that an earlier in-doubt row of this batch took). What is left can only be this row's
earlier send: record its SID and do not send again. Identical bodies to one number are rare
(codes differ, appointment texts are deduplicated, the "could not read that" reply goes at
most daily), and even then each provider message is matched to at most one row, so this
never sends twice and never records a text that was not sent.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Lock
from typing import Protocol, runtime_checkable

from notifications.limits import NumberLimits
from notifications.phone_numbers import mask
from notifications.ports import (
    OutgoingSms,
    SendResult,
    SmsPermanentFailure,
    SmsSender,
    SmsTemporaryFailure,
)
from notifications.retry import ErrorAction, RandomSource, RetryPolicy, classify_error
from notifications.store import (
    Accepted,
    ClaimedMessage,
    Contact,
    Deferred,
    Failed,
    MessageStore,
    Outcome,
    RetryLater,
    Withdrawn,
)
from notifications.window import SendingWindow
from repairs.clock import Clock

log = logging.getLogger(__name__)

# Our clock and the provider's may differ a little; look back this much further.
CLOCK_SKEW = timedelta(minutes=2)
CHECK_AGAIN_AFTER = timedelta(minutes=1)


# Twilio's words for the error codes staff will meet in the message log.
_ERROR_TEXT = {
    429: "Too many requests",
    20429: "Too many requests",
    21211: "Invalid 'To' phone number",
    21610: "The number replied STOP (unsubscribed)",
    21614: "'To' number is not a mobile number",
    30001: "Queue overflow",
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30008: "Unknown error",
}


def describe_error(code: int | None) -> str:
    if code is None:
        return "No answer from the provider"
    return _ERROR_TEXT.get(code, f"Error {code}")


@runtime_checkable
class AcceptedLookup(Protocol):
    """A sender that can say which texts the provider accepted (for in-doubt rows)."""

    def find_accepted(self, to: str, body: str, since: datetime) -> list[SendResult]: ...


def attempt_send(
    sender: SmsSender,
    message: ClaimedMessage,
    *,
    status_callback: str | None,
    retry: RetryPolicy,
    now: datetime,
    rng: RandomSource,
) -> Outcome:
    """Hand one claimed text to the provider and say what to record (R33)."""
    outgoing = OutgoingSms(message.to, message.body, status_callback, f"sms-{message.id}")
    try:
        result = sender.send(outgoing)
    except SmsTemporaryFailure as error:
        attempts = message.attempts + 1
        again = retry.next_attempt_at(attempts, now, rng)
        if again is None:
            tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
            return Failed(message.id, error.code, _text(error, f"gave up after {tries}"))
        return RetryLater(message.id, again, error.code, _text(error, "temporary failure"))
    except SmsPermanentFailure as error:
        flag = classify_error(error.code) is ErrorAction.FLAG_CONTACT
        return Failed(message.id, error.code, _text(error, ""), flag, error.code == 21610)
    return Accepted(message.id, result.provider_id, now)


def _text(error: SmsTemporaryFailure | SmsPermanentFailure, note: str) -> str:
    text = error.message if not note else f"{error.message} ({note})"
    return text[:255]


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    recovered: int = 0
    retried: int = 0
    deferred: int = 0
    failed: int = 0
    withdrawn: int = 0

    def add(self, other: DispatchReport) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class DispatchSettings:
    worker: str
    status_callback: str | None
    batch_size: int = 50
    lease: timedelta = timedelta(minutes=5)
    concurrency: int = 4
    max_batches_per_pass: int = 100
    rng: RandomSource = field(default_factory=random.Random)


class Dispatcher:
    def __init__(
        self,
        store: MessageStore,
        sender: SmsSender,
        *,
        window: SendingWindow,
        limits: NumberLimits,
        retry: RetryPolicy,
        clock: Clock,
        settings: DispatchSettings,
    ) -> None:
        self._store = store
        self._sender = sender
        self._window = window
        self._limits = limits
        self._retry = retry
        self._clock = clock
        self._settings = settings
        self._pool = ThreadPoolExecutor(max_workers=settings.concurrency)
        self._rng_lock = Lock()

    def run_pass(self) -> DispatchReport:
        """Send what is due, batch after batch, until a batch comes back short."""
        report = DispatchReport()
        for _ in range(self._settings.max_batches_per_pass):
            batch = self.run_batch()
            report.add(batch)
            if batch.claimed < self._settings.batch_size:
                break
        return report

    def run_batch(self) -> DispatchReport:
        settings = self._settings
        now = self._clock.now()
        claimed = self._store.claim_due(now, settings.worker, settings.batch_size, settings.lease)
        report = DispatchReport(claimed=len(claimed))
        if not claimed:
            return report
        outcomes, to_send = self._screen(claimed, now)
        sent, report.recovered = self._send_all(to_send)
        outcomes.extend(sent)
        for token, group in _by_token(claimed, outcomes):
            self._store.record_outcomes(token, group, self._clock.now())
        _count(report, outcomes)
        return report

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _screen(
        self, claimed: Sequence[ClaimedMessage], now: datetime
    ) -> tuple[list[Outcome], list[ClaimedMessage]]:
        """Decide without the provider: withdrawn (R29/R33), too late, outside the window
        (R25) or over the number's hourly limit (R34)."""
        numbers = sorted({m.to for m in claimed})
        contacts = self._store.contacts(numbers)
        since = now - self._limits.messages.period
        recent = {n: list(r.messages) for n, r in self._store.recent_sends(numbers, since).items()}
        outcomes: list[Outcome] = []
        to_send: list[ClaimedMessage] = []
        for message in claimed:
            decided = self._decide(message, contacts.get(message.to), recent, now)
            if decided is None:
                to_send.append(message)
                recent.setdefault(message.to, []).append(now)
            else:
                outcomes.append(decided)
        return outcomes, to_send

    def _decide(
        self,
        message: ClaimedMessage,
        contact: Contact | None,
        recent: dict[str, list[datetime]],
        now: datetime,
    ) -> Outcome | None:
        if contact is not None and contact.opted_out:
            return Withdrawn(message.id, "not sent: the number replied STOP (R29)")
        if contact is not None and contact.flagged:
            return Withdrawn(message.id, f"not sent: number flagged ({contact.flag_reason})")
        if message.expires_at is not None and now >= message.expires_at:
            return Withdrawn(message.id, "not sent: too late to be useful")
        if not message.urgent and not self._window.is_open(now, message.division):
            until = self._window.next_allowed(now, message.division)
            return Deferred(message.id, until, "outside the sending window (R25)")
        free_at = self._limits.messages.next_free_at(recent.get(message.to, ()), now)
        if free_at is not None:
            return Deferred(message.id, free_at, "hourly limit for the number (R34)")
        return None

    def _send_all(self, messages: Sequence[ClaimedMessage]) -> tuple[list[Outcome], int]:
        if not messages:
            return [], 0
        decided = self._recover(m for m in messages if m.in_doubt_since is not None)
        pending = [m for m in messages if m.id not in decided]
        results = list(self._pool.map(self._send_one, pending))
        recovered = sum(isinstance(o, Accepted) for o in decided.values())
        return [*decided.values(), *results], recovered

    def _send_one(self, message: ClaimedMessage) -> Outcome:
        with self._rng_lock:
            rng = random.Random(self._settings.rng.random())
        now = self._clock.now()
        outcome = attempt_send(
            self._sender,
            message,
            status_callback=self._settings.status_callback,
            retry=self._retry,
            now=now,
            rng=rng,
        )
        if not isinstance(outcome, Accepted):
            log.info("text %s to %s not accepted: %s", message.id, mask(message.to), outcome)
        return outcome

    def _recover(self, in_doubt: Iterable[ClaimedMessage]) -> dict[int, Outcome]:
        """Rows whose earlier send the provider already accepted (see the module docstring).

        If the provider cannot be asked, the row waits: better late than twice.
        """
        rows = list(in_doubt)
        if not rows or not isinstance(self._sender, AcceptedLookup):
            return {}
        now = self._clock.now()
        decided: dict[int, Outcome] = {}
        found: dict[int, list[SendResult]] = {}
        for row in rows:
            since = (row.in_doubt_since or row.due_at) - CLOCK_SKEW
            try:
                found[row.id] = self._sender.find_accepted(row.to, row.body, since)
            except (SmsTemporaryFailure, SmsPermanentFailure) as error:
                reason = f"could not ask the provider about an earlier send: {error.code}"
                decided[row.id] = Deferred(row.id, now + CHECK_AGAIN_AFTER, reason)
        all_sids = [r.provider_id for results in found.values() for r in results]
        taken = set(self._store.known_sids(all_sids))
        for row in rows:
            free = [r for r in found.get(row.id, []) if r.provider_id not in taken]
            if free:
                taken.add(free[0].provider_id)
                decided[row.id] = Accepted(row.id, free[0].provider_id, now)
                log.warning("text %s was already accepted before a worker died", row.id)
        return decided


def _by_token(
    claimed: Sequence[ClaimedMessage], outcomes: Sequence[Outcome]
) -> list[tuple[str, list[Outcome]]]:
    token_of = {m.id: m.claim_token for m in claimed}
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(token_of[outcome.message_id], []).append(outcome)
    return list(groups.items())


def _count(report: DispatchReport, outcomes: Sequence[Outcome]) -> None:
    for outcome in outcomes:
        if isinstance(outcome, Accepted):
            report.sent += 1
        elif isinstance(outcome, RetryLater):
            report.retried += 1
        elif isinstance(outcome, Deferred):
            report.deferred += 1
        elif isinstance(outcome, Failed):
            report.failed += 1
        else:
            report.withdrawn += 1
