"""An in-memory SMS sender that behaves like Twilio for the cases that matter (R26, R29, R33).

It records every accepted text, refuses invalid numbers (21211), landlines (21614) and opted
out numbers (21610) as Twilio does, and can be told to fail: `fail_next(20429)` once,
`fail_next(30001, times=3)`, `fail_always(21211, permanent=True)`.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from notifications.dispatch import describe_error
from notifications.ports import (
    OutgoingSms,
    SendResult,
    SmsPermanentFailure,
    SmsTemporaryFailure,
)
from repairs.clock import Clock

_UK = re.compile(r"\+44[1-9][0-9]{8,9}")


@dataclass(frozen=True)
class SentSms:
    sid: str
    to: str
    body: str
    status_callback: str | None
    idempotency_key: str
    at: datetime


@dataclass(frozen=True)
class _Failure:
    code: int
    permanent: bool


class _UtcNow:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeSmsSender:
    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or _UtcNow()
        self._lock = threading.Lock()
        self._sent: list[SentSms] = []
        self._next: deque[_Failure] = deque()
        self._always: _Failure | None = None
        self._opted_out: set[str] = set()
        self.attempts = 0

    # ------------------------------------------------------------ the port

    def send(self, message: OutgoingSms) -> SendResult:
        with self._lock:
            self.attempts += 1
            failure = self._next.popleft() if self._next else self._always
            if failure is not None:
                _raise(failure.code, failure.permanent, describe_error(failure.code))
            _check_number(message.to, self._opted_out)
            sms = SentSms(
                sid="SM" + secrets.token_hex(16),
                to=message.to,
                body=message.body,
                status_callback=message.status_callback,
                idempotency_key=message.idempotency_key,
                at=self._clock.now(),
            )
            self._sent.append(sms)
        return SendResult(sms.sid, "queued")

    def find_accepted(self, to: str, body: str, since: datetime) -> list[SendResult]:
        """Texts to `to` with this body accepted at or after `since`, newest first."""
        with self._lock:
            found = [s for s in self._sent if s.to == to and s.body == body and s.at >= since]
        return [SendResult(s.sid, "queued") for s in reversed(found)]

    # ------------------------------------------------------------ controls for tests

    def fail_next(self, code: int, *, permanent: bool = False, times: int = 1) -> None:
        with self._lock:
            self._next.extend(_Failure(code, permanent) for _ in range(times))

    def fail_always(self, code: int, *, permanent: bool = False) -> None:
        with self._lock:
            self._always = _Failure(code, permanent)

    def recover(self) -> None:
        """Stop failing (queued one-off failures are dropped too)."""
        with self._lock:
            self._always = None
            self._next.clear()

    def opt_out(self, number: str) -> None:
        """The handset replied STOP: later texts fail with 21610 until `opt_in`."""
        with self._lock:
            self._opted_out.add(number)

    def opt_in(self, number: str) -> None:
        with self._lock:
            self._opted_out.discard(number)

    @property
    def sent(self) -> list[SentSms]:
        with self._lock:
            return list(self._sent)

    def sent_to(self, number: str) -> list[SentSms]:
        return [s for s in self.sent if s.to == number]

    def clear(self) -> None:
        with self._lock:
            self._sent.clear()
            self.attempts = 0


def _check_number(to: str, opted_out: set[str]) -> None:
    if not _UK.fullmatch(to):
        if to.startswith("+44") or len(to) < 8:
            _raise(21211, True, f"The 'To' number {to} is not a valid phone number.")
        return  # another country: taken as a mobile, as the simulator does
    if not to.startswith("+447") or to.startswith(("+4470", "+4476")):
        _raise(21614, True, f"'To' number {to} is not a valid mobile number")
    if len(to) != 13:
        _raise(21211, True, f"The 'To' number {to} is not a valid phone number.")
    if to in opted_out:
        _raise(21610, True, "Attempt to send to unsubscribed recipient")


def _raise(code: int, permanent: bool, text: str) -> None:
    if permanent:
        raise SmsPermanentFailure(code, text)
    raise SmsTemporaryFailure(code, text)
