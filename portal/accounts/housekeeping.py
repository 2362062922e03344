"""Worker job: remove ended sessions, spent codes and old failure counters (R39, R40)."""

from __future__ import annotations

import logging

from flask import Flask

from notifications.scheduler import IntervalJob
from portal.accounts.context import AccountsContext
from portal.accounts.sessions import PERSONAL_IDLE

log = logging.getLogger(__name__)
EVERY_SECONDS = 600


def tidy(context: AccountsContext) -> dict[str, int]:
    now = context.clock.now()
    removed = {
        # Rows idle past a shorter (terminal) limit are also refused when next read.
        "sessions": context.sessions.delete_expired(now, PERSONAL_IDLE),
        "codes": context.codes.delete_expired(now),
        "failure_counters": context.failures.delete_older_than(now - context.throttle.forget_after),
    }
    if any(removed.values()):
        log.info("account housekeeping removed %s", removed)
    return removed


def account_jobs(app: Flask) -> list[IntervalJob]:
    context: AccountsContext = app.extensions["accounts"]
    return [IntervalJob("account-housekeeping", EVERY_SECONDS, lambda: tidy(context))]
