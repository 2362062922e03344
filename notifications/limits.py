"""Per-number limits and verification codes (R34, R35).

Pure checks: the caller reads the recent send times for a number from its store and asks here.
A verification code is kept only as a keyed hash (HMAC-SHA256), so a leaked table of codes is
useless without the key, and the value type can be stored as it is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from repairs.clock import require_utc

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class RateLimit:
    """At most `count` events in any rolling `period`."""

    count: int
    period: timedelta = HOUR

    def allows(self, recent: Iterable[datetime], now: datetime) -> bool:
        return self.next_free_at(recent, now) is None

    def next_free_at(self, recent: Iterable[datetime], now: datetime) -> datetime | None:
        """None when one more is allowed now, else when the oldest counted event ages out."""
        now = require_utc(now)
        inside = sorted(t for t in map(require_utc, recent) if now - self.period < t <= now)
        if len(inside) < self.count:
            return None
        return inside[len(inside) - self.count] + self.period


@dataclass(frozen=True)
class NumberLimits:
    """R34: [5] verification codes an hour and [20] texts of any kind an hour to one number."""

    codes: RateLimit
    messages: RateLimit

    def may_send(
        self,
        now: datetime,
        *,
        recent_messages: Iterable[datetime],
        recent_codes: Iterable[datetime] = (),
        is_code: bool = False,
    ) -> bool:
        """`recent_messages` holds every text to the number, codes included."""
        if is_code and not self.codes.allows(recent_codes, now):
            return False
        return self.messages.allows(recent_messages, now)


@dataclass(frozen=True)
class CodePolicy:
    digits: int = 6
    lifetime: timedelta = timedelta(minutes=15)
    max_attempts: int = 5


class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY_ATTEMPTS = "too_many_attempts"


def _digest(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


@dataclass
class VerificationCode:
    """R35: one code sent to a number. Store every field; never the code itself.

    Mutable on purpose: `check` counts the attempt and marks the code used, and the caller
    saves the object back (attempts and used_at) in the same transaction.
    """

    code_hash: str
    issued_at: datetime
    expires_at: datetime
    max_attempts: int
    attempts: int = 0
    used_at: datetime | None = None

    @classmethod
    def issue(
        cls, now: datetime, key: bytes, policy: CodePolicy = CodePolicy()
    ) -> tuple[VerificationCode, str]:
        """A new code: the value to store and the digits to text (never logged or stored)."""
        if len(key) < 16:
            raise ValueError("the code hashing key must be at least 16 bytes")
        now = require_utc(now)
        digits = "".join(secrets.choice("0123456789") for _ in range(policy.digits))
        code = cls(_digest(key, digits), now, now + policy.lifetime, policy.max_attempts)
        return code, digits

    def check(self, code_entered: str, now: datetime, key: bytes) -> CodeCheck:
        """R35: compare in constant time; each call uses up an attempt until the code is spent.

        A used code reads as expired: it cannot be replayed.
        """
        now = require_utc(now)
        if self.used_at is not None or now >= self.expires_at:
            return CodeCheck.EXPIRED
        if self.attempts >= self.max_attempts:
            return CodeCheck.TOO_MANY_ATTEMPTS
        self.attempts += 1
        entered = "".join(code_entered.split())
        if entered.isascii() and hmac.compare_digest(_digest(key, entered), self.code_hash):
            self.used_at = now
            return CodeCheck.OK
        return CodeCheck.WRONG
