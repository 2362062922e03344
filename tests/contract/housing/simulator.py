"""The Northgate simulator over real HTTP on 127.0.0.1, seeded small, with its /_sim controls.

Used by the housing contract tests, the fault tests and the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from adapters.clock import FakeClock
from adapters.housing import wire
from repairs.priorities import Trade
from repairs.refs import JobNumber
from repairs.statuses import BackendStatus
from simulators.northgate import create_app
from simulators.northgate.catalogue import load_catalogue
from simulators.northgate.seed import seed_database
from simulators.northgate.store import connect, initialise
from tests.support.live_server import serving

API_KEY = "contract-northgate-key"
# A Tuesday outside any clock change, after the seeded history (which ends 30/10/2026).
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
# Eight properties are the fixed demo tenancies (API.md): all the tests need, seeded in ~10 ms.
PROPERTIES = 8


@cache
def sor_for(trade: Trade) -> str:
    """The first code of a trade on the simulator's schedule of rates, so the tests follow the
    catalogue when it changes."""
    code = wire.encode(wire.TRADES, trade)
    return next(item.code for item in load_catalogue().values() if item.trade == code)


@dataclass(frozen=True)
class RunningSimulator:
    base_url: str
    clock: FakeClock

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/v1"

    def control(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(
            f"{self.base_url}/_sim{path}", json=body or {}, headers={"X-API-Key": API_KEY}
        )
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def set_faults(self, **settings: Any) -> None:
        self.control("/faults", settings)

    def reset_faults(self) -> None:
        self.control("/reset")

    def set_status(self, job: JobNumber, status: BackendStatus) -> None:
        self.control(f"/jobs/{job}/status", {"STATUS": wire.encode(wire.STATUSES, status)})

    def jobs_with_ext_ref(self, ext_ref: str) -> int:
        """Count jobs straight from the wire, not through the adapter under test."""
        response = httpx.get(
            f"{self.api_url}/jobs", params={"EXT_REF": ext_ref}, headers={"X-API-Key": API_KEY}
        )
        response.raise_for_status()
        total: int = response.json()["TOTAL"]
        return total


def seed(database: Path, properties: int = PROPERTIES) -> None:
    initialise(database)
    conn = connect(database)
    try:
        seed_database(conn, load_catalogue(), properties)
    finally:
        conn.close()


@contextmanager
def running_simulator(
    directory: Path,
    clock: FakeClock | None = None,
    *,
    properties: int = PROPERTIES,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[RunningSimulator]:
    """Seed a fresh database in `directory` and serve the simulator on a random local port.
    Without `sleep` the simulator really sleeps for latency and hang faults."""
    clock = clock or FakeClock(NOW)
    database = directory / "northgate.sqlite"
    seed(database, properties)
    config: dict[str, Any] = {
        "NORTHGATE_SIM_DATABASE": str(database),
        "NORTHGATE_SIM_API_KEY": API_KEY,
        "NORTHGATE_SIM_FAULT_SEED": 7,
        "NORTHGATE_SIM_CLOCK": clock.now,
    }
    if sleep is not None:
        config["NORTHGATE_SIM_SLEEP"] = sleep
    with serving(create_app(config)) as base_url:
        yield RunningSimulator(base_url, clock)
