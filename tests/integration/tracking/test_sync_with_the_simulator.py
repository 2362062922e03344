"""The change-feed sync through the real Northgate adapter, against the simulator on loopback:
its minute-resolution UK-local times, its booking changes and its operator's status moves
reach our read copy, and the seeded history of other people's jobs is passed over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.clock import FakeClock
from adapters.db.tracking_store import SqlTrackingStore
from adapters.housing.northgate import NorthgateBackend
from repairs.booking import first_offered_day
from repairs.local_time import local_date
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus as S
from repairs.tracking import ChangeFeedSync
from simulators.northgate import create_app
from simulators.northgate.catalogue import load_catalogue
from simulators.northgate.seed import seed_database
from simulators.northgate.store import connect, initialise
from tests.integration.tracking.conftest import TENANCY, Reporter
from tests.support.live_server import serving

pytestmark = pytest.mark.integration

KEY = "sync-test-key"


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[str]:
    database = tmp_path / "northgate.sqlite"
    initialise(database)
    conn = connect(database)
    try:
        seed_database(conn, load_catalogue(), 10)
    finally:
        conn.close()
    app = create_app({"NORTHGATE_SIM_DATABASE": str(database), "NORTHGATE_SIM_API_KEY": KEY})
    with serving(app) as base:
        yield base


def test_the_sync_follows_a_job_through_the_simulator(
    simulator: str, sessions: Any, policy: Any, calendar: Any
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    backend = NorthgateBackend(simulator + "/api/v1", KEY, clock=clock)
    reporter = Reporter(sessions, policy, calendar, backend, clock)  # type: ignore[arg-type]
    ref = reporter.report()
    job = reporter.job(ref)
    store = SqlTrackingStore(sessions, policy.slot_times)
    sync = ChangeFeedSync(orders=backend, store=store, clock=clock, holder="worker-1")
    first = sync.run_once()
    assert first.changes > 1  # the seeded history came too, and was passed over
    day = first_offered_day(local_date(clock.now()))
    slots = [s.slot for s in backend.available_slots(job, day, day + timedelta(days=13))
             if s.remaining > 0]  # fmt: skip
    backend.book(job, slots[0])
    for status in ("WIP", "COM"):
        httpx.post(f"{simulator}/_sim/jobs/{job}/status", json={"STATUS": status},
                   headers={"X-API-Key": KEY}).raise_for_status()  # fmt: skip
    clock.advance(timedelta(minutes=1))
    assert sync.run_once().changes == 3
    page = store.page(ref, TENANCY)
    assert page is not None
    assert page.line.status is S.COMPLETED and page.line.completed_at is not None
    kinds = [record.kind for record in page.timeline]
    assert kinds.count("appointment_booked") == 1 and kinds.count("completed") == 1
    booked = next(r for r in page.timeline if r.kind == "appointment_booked")
    assert isinstance(booked.slot, Slot) and booked.slot == slots[0]
    assert slots[0].kind in SlotKind
    before = store.cursor()
    assert sync.run_once().changes == 0 and store.cursor() == before  # nothing new
