"""Booking and tracking over a migrated database (SQLite and PostgreSQL) with the fake
housing backend: repairs are stored by reporting's own SQL store, as in production."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session, sessionmaker

from adapters.bank_holidays import GovukBankHolidays
from adapters.clock import FakeClock
from adapters.db.engine import make_session_factory
from adapters.db.repairs_store import SqlRepairStore
from adapters.db.tracking_store import SqlNoticeQueue, SqlTrackingStore
from adapters.housing.fake import FakeHousingBackend
from repairs.calendar import Division, WorkingDayCalendar
from repairs.policy import RepairsPolicy
from repairs.ports import NewRepairOrder, Tenure
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import Repair, RepairDetails
from repairs.reporting import Actor, ReportFacts

ROOT = Path(__file__).resolve().parents[3]
TENANCY = TenancyRef("TEN-100001")
MOBILE = "+447700900123"


@pytest.fixture(scope="session")
def policy() -> RepairsPolicy:
    landlord = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text(encoding="utf-8"))
    return RepairsPolicy.from_mapping(landlord["repairs"])


@pytest.fixture(scope="session")
def calendar(policy: RepairsPolicy) -> WorkingDayCalendar:
    return policy.calendar(GovukBankHolidays())


@pytest.fixture
def sessions(engine: sa.Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def housing(clock: FakeClock) -> FakeHousingBackend:
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def store(sessions: sessionmaker[Session], policy: RepairsPolicy) -> SqlTrackingStore:
    return SqlTrackingStore(sessions, policy.slot_times)


@pytest.fixture
def notices(sessions: sessionmaker[Session]) -> SqlNoticeQueue:
    return SqlNoticeQueue(sessions)


class Reporter:
    """Stores repairs the way reporting does, and raises their jobs in the fake backend."""

    def __init__(self, sessions: Any, policy: RepairsPolicy, calendar: WorkingDayCalendar,
                 housing: FakeHousingBackend, clock: FakeClock) -> None:  # fmt: skip
        self.repairs = SqlRepairStore(sessions, policy.slot_times)
        self.policy, self.calendar, self.housing, self.clock = policy, calendar, housing, clock
        self.tracking = SqlTrackingStore(sessions, policy.slot_times)

    def report(self, *, raise_job: bool = True, priority: Priority = Priority.ROUTINE) -> RepairRef:
        at = self.clock.now() - timedelta(hours=1)
        details = RepairDetails(
            ref=RepairRef.generate(), submission_id=SubmissionId.generate(), tenancy_ref=TENANCY,
            property_ref=PropertyRef("00200001"), sor_code="PL0103",
            description="Kitchen sink will not drain", priority=priority, trade=Trade.PLUMBING,
            channel=Channel.ONLINE, reported_at=at,
        )  # fmt: skip
        target = self.policy.targets.target_for(
            self.calendar, reported_at=at, priority=priority, tenure=Tenure.SECURE,
            division=Division.ENGLAND_AND_WALES,
        )  # fmt: skip
        facts = ReportFacts("kitchen/sink/blocked", "", MOBILE, Actor.tenant(), False)
        self.repairs.add(Repair.report(details, target), facts, "test")
        if raise_job:
            order = NewRepairOrder(details.submission_id, TENANCY, details.property_ref,
                                   "PL0103", priority, details.description)  # fmt: skip
            job = self.housing.raise_repair(order).job_number
            self.tracking.change(details.ref, lambda r: r.record_job_raised(job, at),
                                 assisted=False)  # fmt: skip
        return details.ref

    def job(self, ref: RepairRef) -> Any:
        on_file = self.tracking.find(ref, TENANCY)
        assert on_file is not None
        return on_file.repair.job_number


@pytest.fixture
def reporter(sessions: Any, policy: RepairsPolicy, calendar: WorkingDayCalendar,
             housing: FakeHousingBackend, clock: FakeClock) -> Reporter:  # fmt: skip
    return Reporter(sessions, policy, calendar, housing, clock)
