"""A circuit breaker, so a dead housing system fails in microseconds instead of a timeout each.

Closed: calls pass; `failure_threshold` consecutive failures open it. Open: every call fails at
once with CircuitOpen for `open_seconds`. Then half-open: exactly one trial call passes (others
still fail fast); its success closes the circuit, its failure opens it again for another
`open_seconds`. Time comes from an injected Clock so tests move it instead of waiting.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from enum import StrEnum

from repairs.clock import Clock
from repairs.ports import BackendUnavailable

log = logging.getLogger(__name__)


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(BackendUnavailable):
    """Refused without calling: the backend failed repeatedly and is being left alone."""


class CircuitBreaker:
    def __init__(
        self,
        clock: Clock,
        *,
        failure_threshold: int = 5,
        open_seconds: float = 30.0,
        name: str = "housing system",
    ) -> None:
        if failure_threshold < 1 or open_seconds <= 0:
            raise ValueError("failure_threshold must be at least 1 and open_seconds above 0")
        self._clock = clock
        self._threshold = failure_threshold
        self._open_for = timedelta(seconds=open_seconds)
        self._name = name
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: datetime | None = None
        self._trial_running = False

    @property
    def state(self) -> CircuitState:
        with self._lock:
            return self._state()

    def before_call(self) -> None:
        """Let a call through, or raise CircuitOpen. Every call let through must be followed by
        exactly one of record_success, record_failure or abandon."""
        with self._lock:
            state = self._state()
            if state is CircuitState.CLOSED:
                return
            if state is CircuitState.HALF_OPEN and not self._trial_running:
                self._trial_running = True
                log.info("%s circuit half-open: letting one trial call through", self._name)
                return
            assert self._opened_at is not None
            until = self._opened_at + self._open_for
        raise CircuitOpen(
            f"{self._name} circuit open until {until.isoformat(timespec='seconds')}: "
            "not calling after repeated failures"
        )

    def record_success(self) -> None:
        with self._lock:
            if self._opened_at is not None:
                log.info("%s circuit closed: the trial call succeeded", self._name)
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            reopen = self._trial_running
            self._trial_running = False
            if reopen or (self._opened_at is None and self._failures >= self._threshold):
                self._opened_at = self._clock.now()
                log.warning(
                    "%s circuit open for %ss after %d consecutive failures",
                    self._name,
                    self._open_for.total_seconds(),
                    self._failures,
                )

    def abandon(self) -> None:
        """A call let through ended without an answer either way (our own error): free the
        trial place without judging the backend."""
        with self._lock:
            self._trial_running = False

    def _state(self) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if self._clock.now() - self._opened_at >= self._open_for:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN
