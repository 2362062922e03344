"""Clocks: the system one for production, a settable one for tests and the demo."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from repairs.clock import require_utc


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to: tests drive time instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self._now = require_utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now = self._now + delta
            return self._now

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._now = require_utc(instant)
