"""Every housing contract test runs twice: over FakeHousingBackend, and over NorthgateBackend
talking HTTP to the simulator (one seeded simulator per test module)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.clock import FakeClock
from adapters.housing.fake import FakeHousingBackend
from adapters.housing.northgate import NorthgateBackend
from repairs.ports import NewRepairOrder, RepairOrder
from repairs.priorities import Priority, Trade
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from repairs.statuses import BackendStatus
from tests.contract.housing.simulator import (
    API_KEY,
    NOW,
    RunningSimulator,
    running_simulator,
    sor_for,
)


@dataclass(frozen=True)
class Housing:
    """The backend under test, and the one back door the tests need on either side."""

    backend: Any  # FakeHousingBackend or NorthgateBackend: both serve the three ports
    set_status: Callable[[JobNumber, BackendStatus], object]
    kind: str

    def raise_job(self, **changes: Any) -> RepairOrder:
        job: RepairOrder = self.backend.raise_repair(new_order(**changes))
        return job


def new_order(
    tenancy: str = "TEN-100001",
    property_ref: str = "00200001",
    sor_code: str | None = None,
    priority: Priority = Priority.URGENT,
    description: str = "Kitchen sink will not drain",
    submission_id: SubmissionId | None = None,
) -> NewRepairOrder:
    return NewRepairOrder(
        submission_id=submission_id or SubmissionId.generate(),
        tenancy_ref=TenancyRef(tenancy),
        property_ref=PropertyRef(property_ref),
        sor_code=sor_code or sor_for(Trade.PLUMBING),
        priority=priority,
        description=description,
        access_notes="Ring twice",
    )


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSimulator]:
    with running_simulator(tmp_path_factory.mktemp("northgate"), FakeClock(NOW)) as running:
        yield running


@pytest.fixture(params=["fake", "northgate"])
def housing(request: pytest.FixtureRequest) -> Iterator[Housing]:
    if request.param == "fake":
        fake = FakeHousingBackend(FakeClock(NOW)).seed_demo()
        yield Housing(fake, fake.set_status, "fake")
        return
    running: RunningSimulator = request.getfixturevalue("simulator")
    backend = NorthgateBackend(running.api_url, API_KEY, timeout_seconds=5.0, clock=running.clock)
    yield Housing(backend, running.set_status, "northgate")
    backend.close()
