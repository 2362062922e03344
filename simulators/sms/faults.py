"""Fault settings: latency, 429 and 500 answers, and misbehaving status callbacks.

Settings live in the database so every worker process of the simulator sees the same ones.
Which request draws a 429 or a 500 comes from a random generator seeded with ``seed``; each
change of settings reseeds it, so the same settings replay the same sequence of answers.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from simulators.sms.store import Store


class FaultSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: int = 0
    rate_429: float = 0.0
    rate_500: float = 0.0
    callbacks_delayed: bool = False
    callbacks_duplicated: bool = False
    callbacks_out_of_order: bool = False
    seed: int = 0

    def merged(self, changes: dict[str, Any]) -> FaultSettings:
        """These settings with ``changes`` applied, or FaultSettingsError saying what is wrong."""
        known = {field.name: field.type for field in fields(self)}
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise FaultSettingsError(f"unknown fault settings: {', '.join(unknown)}")
        values = {name: _coerce(name, value) for name, value in changes.items()}
        merged = replace(self, **values)
        if merged.rate_429 + merged.rate_500 > 1:
            raise FaultSettingsError("rate_429 and rate_500 together must not exceed 1")
        return merged

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _coerce(name: str, value: Any) -> Any:
    if name.startswith("callbacks_"):
        if isinstance(value, bool):
            return value
        if value in ("true", "on", "1", 1):
            return True
        if value in ("false", "off", "0", 0, ""):
            return False
        raise FaultSettingsError(f"{name} must be true or false")
    if name.startswith("rate_"):
        number = _number(name, value, float)
        if not 0 <= number <= 1:
            raise FaultSettingsError(f"{name} must be a share between 0 and 1")
        return number
    number = _number(name, value, int)
    if name == "latency_ms" and not 0 <= number <= 60_000:
        raise FaultSettingsError("latency_ms must be between 0 and 60000")
    return number


def _number(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, bool) or value is None:
        raise FaultSettingsError(f"{name} must be a number")
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise FaultSettingsError(f"{name} must be a number") from None
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise FaultSettingsError(f"{name} must be a whole number")
    return number


class Faults:
    """Reads the shared settings and draws this process's deterministic answers."""

    def __init__(self, store: Store, default_seed: int) -> None:
        self._store = store
        self._default_seed = default_seed
        self._lock = threading.Lock()
        self._generation = -1
        self._random = random.Random(default_seed)

    def current(self) -> FaultSettings:
        raw, generation = self._store.load_faults()
        settings = FaultSettings(**json.loads(raw)) if raw else self.defaults()
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._random = random.Random(settings.seed)
        return settings

    def defaults(self) -> FaultSettings:
        return FaultSettings(seed=self._default_seed)

    def update(self, changes: dict[str, Any]) -> FaultSettings:
        settings = self.current().merged(changes)
        self._store.save_faults(json.dumps(settings.as_dict()))
        return self.current()

    def reset(self) -> FaultSettings:
        self._store.save_faults(json.dumps(self.defaults().as_dict()))
        return self.current()

    def draw_error(self, settings: FaultSettings) -> int | None:
        """429, 500 or None for one API request; every request draws, so sequences replay."""
        if not settings.rate_429 and not settings.rate_500:
            return None
        with self._lock:
            roll = self._random.random()
        if roll < settings.rate_429:
            return 429
        if roll < settings.rate_429 + settings.rate_500:
            return 500
        return None
