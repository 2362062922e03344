"""What to do after a failed send (R33).

Retry what may succeed later (rate limits, full queues, an unreachable handset, provider 5xx,
network errors) with capped exponential back-off and jitter, so many failed messages do not all
come back at the same instant. Never retry what will fail again for this number (invalid,
opted out, not a mobile, landline, blocked); flag the contact for staff instead. Anything else
is our own mistake (credentials, a bad sender number): give up and alert, do not blame the
tenant's number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from repairs.clock import require_utc

RETRY_CODES = frozenset({429, 20429, 30001, 30003, 30008})
# 21211 invalid number, 21610 opted out (STOP), 21614 not a mobile, 30005 unknown or
# inactive handset, 30006 landline or unreachable carrier.
FLAG_CONTACT_CODES = frozenset({21211, 21610, 21614, 30005, 30006})


class ErrorAction(StrEnum):
    RETRY = "retry"
    FLAG_CONTACT = "flag-contact"
    GIVE_UP = "give-up"


def classify_error(code: int | None, http_status: int | None = None) -> ErrorAction:
    """R33: `code` is Twilio's error code (or None), `http_status` the API's HTTP status.

    Both None means no answer at all (timeout, connection refused): a network error.
    """
    if code in FLAG_CONTACT_CODES:
        return ErrorAction.FLAG_CONTACT
    if code in RETRY_CODES or http_status == 429:
        return ErrorAction.RETRY
    if http_status is not None and http_status >= 500:
        return ErrorAction.RETRY
    if code is None and http_status is None:
        return ErrorAction.RETRY
    return ErrorAction.GIVE_UP


class RandomSource(Protocol):
    """`random.Random` fits; tests pass a seeded one so back-off is repeatable."""

    def random(self) -> float: ...


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    first_delay: timedelta
    max_delay: timedelta

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not timedelta(0) < self.first_delay <= self.max_delay:
            raise ValueError("first_delay must be positive and no more than max_delay")

    def delay(self, attempts: int, rng: RandomSource) -> timedelta:
        """The wait after `attempts` failed tries: between half and all of the capped step.

        The step doubles each time (first_delay, 2x, 4x...) up to max_delay; "equal jitter"
        keeps at least half of it, so a retry is never immediate.
        """
        if attempts < 1:
            raise ValueError("attempts counts failed tries and starts at 1")
        # Bound the exponent: 2**attempts for a large count would be a huge number for nothing.
        doublings = min(attempts - 1, 32)
        step = min(self.max_delay, self.first_delay * (2**doublings))
        half: timedelta = step / 2
        return half + half * rng.random()

    def next_attempt_at(self, attempts: int, now: datetime, rng: RandomSource) -> datetime | None:
        """R33: when to try again after `attempts` failed tries, or None once they are used up."""
        if attempts >= self.max_attempts:
            return None
        return require_utc(now) + self.delay(attempts, rng)
