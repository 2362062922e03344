"""Settings of the simulator: environment variables with defaults, overridable per app."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "instance/northgate.sqlite"
DEFAULT_API_KEY = "demo-northgate-key"


def _system_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """Everything the simulator reads from its surroundings, in one place.

    The clock and the sleep function are injectable so tests pin time and never wait.
    """

    database: Path
    api_key: str
    fault_seed: int
    clock: Callable[[], datetime] = field(default=_system_now)
    sleep: Callable[[float], None] = field(default=time.sleep)

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None) -> Settings:
        values: dict[str, Any] = {
            "NORTHGATE_SIM_DATABASE": os.environ.get("NORTHGATE_SIM_DATABASE", DEFAULT_DATABASE),
            "NORTHGATE_SIM_API_KEY": os.environ.get("NORTHGATE_SIM_API_KEY", DEFAULT_API_KEY),
            "NORTHGATE_SIM_FAULT_SEED": os.environ.get("NORTHGATE_SIM_FAULT_SEED") or 0,
        }
        values.update(overrides or {})
        try:
            seed = int(values["NORTHGATE_SIM_FAULT_SEED"])
        except (TypeError, ValueError) as error:
            raise ValueError("NORTHGATE_SIM_FAULT_SEED must be a whole number") from error
        api_key = str(values["NORTHGATE_SIM_API_KEY"])
        if not api_key:
            raise ValueError("NORTHGATE_SIM_API_KEY must not be empty")
        return cls(
            database=Path(values["NORTHGATE_SIM_DATABASE"]),
            api_key=api_key,
            fault_seed=seed,
            clock=values.get("NORTHGATE_SIM_CLOCK", _system_now),
            sleep=values.get("NORTHGATE_SIM_SLEEP", time.sleep),
        )

    def now(self) -> datetime:
        instant = self.clock()
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("the simulator clock must return timezone-aware instants")
        return instant.astimezone(UTC)
