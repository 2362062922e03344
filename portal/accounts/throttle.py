"""Sign-in throttling (R38): per account in the database, per address with Flask-Limiter.

Per sign-in name: the first [5] failures cost nothing; after that each attempt must wait, the
wait doubling from 1 minute up to a 15-minute cap. Nothing ever locks an account: a tenant can
always try again after the cap, and the reset-by-text route ignores this counter entirely, so
an attacker guessing passwords cannot keep the real tenant out. Counters are keyed by the
name, known or not, so an unknown name and a wrong password behave identically.

Per address: Flask-Limiter counts failed attempts (not successful ones) for sign-in, the
tenancy check, and code entry; and every code sent, whatever the outcome.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, Response, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

FREE_FAILURES = 5  # R38
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(minutes=15)
# A run of failures is forgotten a day after the last one.
FORGET_AFTER = timedelta(hours=24)

# Per-address limits (R38). An office where many tenants share one address still fits:
# only failures count. Strings in Flask-Limiter's notation.
SIGN_IN_FAILURES_PER_ADDRESS = "5 per minute;50 per hour"
TENANCY_CHECK_FAILURES_PER_ADDRESS = "10 per hour"
CODE_FAILURES_PER_ADDRESS = "20 per hour"
CODES_SENT_PER_ADDRESS = "10 per hour"


@dataclass(frozen=True)
class SignInThrottle:
    free_failures: int = FREE_FAILURES
    first_delay: timedelta = FIRST_DELAY
    max_delay: timedelta = MAX_DELAY
    forget_after: timedelta = FORGET_AFTER

    def delay_after(self, failures: int) -> timedelta:
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 10)
        return min(self.first_delay * (2**doublings), self.max_delay)

    def wait_until(
        self, failures: int, last_failure_at: datetime, now: datetime
    ) -> datetime | None:
        """When the next attempt may be made, or None if it may be made now."""
        if now - last_failure_at > self.forget_after:
            return None
        allowed_at = last_failure_at + self.delay_after(failures)
        return allowed_at if allowed_at > now else None


def name_digest(sign_in_name: str, key: bytes) -> str:
    """The counter's key: a keyed hash, so the table does not list who tried to sign in."""
    return hmac.new(key, sign_in_name.encode("utf-8"), hashlib.sha256).hexdigest()


def mark_failure() -> None:
    """Tell Flask-Limiter that this request was a failed attempt (it deducts after the view)."""
    g.attempt_failed = True


def _failed(response: Response) -> bool:
    return bool(g.get("attempt_failed"))


# Endpoint -> (limit, count only failures?)
ADDRESS_LIMITS: dict[str, tuple[str, bool]] = {
    "accounts.sign_in": (SIGN_IN_FAILURES_PER_ADDRESS, True),
    "accounts.create_date_of_birth": (TENANCY_CHECK_FAILURES_PER_ADDRESS, True),
    "accounts.create_code": (CODE_FAILURES_PER_ADDRESS, True),
    "accounts.reset_code": (CODE_FAILURES_PER_ADDRESS, True),
    "accounts.mobile_code": (CODE_FAILURES_PER_ADDRESS, True),
    "accounts.create_send_code": (CODES_SENT_PER_ADDRESS, False),
    "accounts.reset_start": (CODES_SENT_PER_ADDRESS, False),
    "accounts.mobile_change": (CODES_SENT_PER_ADDRESS, False),
}


def init_limiter(app: Flask, storage_uri: str) -> Limiter:
    """One Limiter per app (tests build many apps; each keeps its own counters).

    memory:// keeps counts inside one process: production with several web processes needs a
    shared store (RATELIMIT_STORAGE_URI, e.g. redis://...), or each process counts alone.
    Behind a proxy, the address is the proxy's unless ProxyFix is configured.
    """
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=storage_uri,
        strategy="moving-window",
        headers_enabled=False,
        swallow_errors=True,  # a limiter store outage must not take sign-in down
    )
    for endpoint, (limit, failures_only) in ADDRESS_LIMITS.items():
        view = app.view_functions[endpoint]
        wrapped = limiter.limit(
            limit, methods=["POST"], deduct_when=_failed if failures_only else None
        )(view)
        app.view_functions[endpoint] = wrapped
    return limiter
