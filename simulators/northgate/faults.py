"""Fault injection: the ways the real system misbehaves, switchable and repeatable."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from .wire import NgError

MAX_LATENCY_MS = 600_000
MAX_HANG_SECONDS = 600.0


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: int = 0
    error_rate: float = 0.0
    down: bool = False
    hang_seconds: float = 0.0
    hang_after_commit: bool = False
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _bad(text: str) -> NgError:
    return NgError(400, "NG-9001", text)


def _checked(field: str, value: object) -> object:
    """Validate one setting; refuse unknown names so a typo never silently does nothing."""
    if field in ("down", "hang_after_commit"):
        if not isinstance(value, bool):
            raise _bad(f"{field} must be true or false")
        return value
    if field in ("latency_ms", "seed"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _bad(f"{field} must be a whole number")
        if field == "latency_ms" and not 0 <= value <= MAX_LATENCY_MS:
            raise _bad(f"latency_ms must be 0 to {MAX_LATENCY_MS}")
        return value
    if field in ("error_rate", "hang_seconds"):
        high = 1.0 if field == "error_rate" else MAX_HANG_SECONDS
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _bad(f"{field} must be a number from 0 to {high:g}")
        if not 0 <= value <= high:
            raise _bad(f"{field} must be a number from 0 to {high:g}")
        return float(value)
    raise _bad(f"unknown fault setting {field!r}")


class FaultInjector:
    """Per-app fault state. A seeded random.Random decides which calls fail, so a test that
    sets a seed sees the same failures on every run."""

    def __init__(self, default_seed: int, sleep: Callable[[float], None]) -> None:
        self._lock = threading.Lock()
        self._default_seed = default_seed
        self._sleep = sleep
        self._settings = FaultSettings(seed=default_seed)
        self._random = random.Random(default_seed)

    @property
    def settings(self) -> FaultSettings:
        with self._lock:
            return self._settings

    def update(self, changes: Mapping[str, Any]) -> FaultSettings:
        checked = {field: _checked(field, value) for field, value in changes.items()}
        with self._lock:
            self._settings = replace(self._settings, **checked)  # type: ignore[arg-type]
            if "seed" in checked:
                self._random = random.Random(self._settings.seed)
            return self._settings

    def reset(self) -> FaultSettings:
        with self._lock:
            self._settings = FaultSettings(seed=self._default_seed)
            self._random = random.Random(self._default_seed)
            return self._settings

    def before_api_call(self) -> None:
        """Apply faults to one /api call: raise the injected error, or sleep, or do nothing."""
        settings = self.settings
        if settings.down:
            raise NgError(503, "NG-5003", "Service unavailable: system down for maintenance")
        if settings.latency_ms:
            self._sleep(settings.latency_ms / 1000)
        if settings.hang_seconds and not settings.hang_after_commit:
            self._sleep(settings.hang_seconds)
        if settings.error_rate:
            injected = self._draw_error(settings.error_rate)
            if injected is not None:
                raise injected

    def after_job_commit(self) -> None:
        """The "answer lost" case: the job is saved, but the caller waits past its timeout."""
        settings = self.settings
        if settings.hang_after_commit and settings.hang_seconds:
            self._sleep(settings.hang_seconds)

    def _draw_error(self, rate: float) -> NgError | None:
        # Both draws under one lock, so concurrent calls cannot interleave a seeded sequence.
        with self._lock:
            if self._random.random() >= rate:
                return None
            server_error = self._random.random() < 0.5
        if server_error:
            return NgError(500, "NG-5000", "Internal error: transaction aborted (injected)")
        return NgError(503, "NG-5003", "Service unavailable: try again later (injected)")
