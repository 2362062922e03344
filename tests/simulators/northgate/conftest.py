"""Fixtures for the Northgate simulator tests: a seeded database per test, a pinned clock,
and a recorded sleep so fault tests never wait."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from adapters.clock import FakeClock
from simulators.northgate import create_app
from simulators.northgate.catalogue import load_catalogue
from simulators.northgate.seed import seed_database
from simulators.northgate.store import connect, initialise

API_KEY = "test-northgate-key"
HEADERS = {"X-API-Key": API_KEY}
# A Monday; UK time is GMT in March before the clocks change.
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class RecordedSleep:
    """Stands in for time.sleep: records the wait and runs `during` instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.during: Callable[[], None] | None = None

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.during is not None:
            self.during()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed once per session; each test gets its own copy (seeding 500 homes each time is slow
    enough to matter across a hundred tests)."""
    path = tmp_path_factory.mktemp("northgate-template") / "northgate.sqlite"
    initialise(path)
    conn = connect(path)
    try:
        seed_database(conn, load_catalogue())
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def sleeps() -> RecordedSleep:
    return RecordedSleep()


def make_config(database: Path, clock: FakeClock, sleeps: RecordedSleep) -> dict[str, Any]:
    return {
        "NORTHGATE_SIM_DATABASE": str(database),
        "NORTHGATE_SIM_API_KEY": API_KEY,
        "NORTHGATE_SIM_FAULT_SEED": 7,
        "NORTHGATE_SIM_CLOCK": clock.now,
        "NORTHGATE_SIM_SLEEP": sleeps,
        "TESTING": True,
    }


@pytest.fixture
def database(tmp_path: Path, seeded_template: Path) -> Path:
    path = tmp_path / "northgate.sqlite"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def app(database: Path, clock: FakeClock, sleeps: RecordedSleep) -> Flask:
    return create_app(make_config(database, clock, sleeps))


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


def raise_job(client: FlaskClient, **overrides: str) -> dict[str, Any]:
    """Raise a job for the first demo tenancy (TEN-100001, always maintainable)."""
    body = {
        "TENANCY_REF": "TEN-100001",
        "PROP_REF": "00200001",
        "SOR_CODE": "PL0103",
        "PRIORITY": "U",
        "DESCRIPTION": "Kitchen sink will not drain",
        "ACCESS_NOTES": "Ring twice",
        "EXT_REF": "RP-TEST-1",
    }
    body.update(overrides)
    response = client.post("/api/v1/jobs", json=body, headers=HEADERS)
    assert response.status_code == 201, response.json
    job: dict[str, Any] = response.json  # type: ignore[assignment]
    return job


def read_feed(client: FlaskClient, since: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Every change after `since`, following LAST_SEQ page by page as a client would."""
    changes: list[dict[str, Any]] = []
    while True:
        body = client.get(f"/api/v1/jobs/changes?SINCE_SEQ={since}&LIMIT=500", headers=HEADERS).json
        assert body is not None
        changes += body["CHANGES"]
        since = body["LAST_SEQ"]
        if body["MORE"] == "N":
            return changes, since
