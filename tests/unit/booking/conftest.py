from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from adapters.clock import FakeClock
from repairs.booking import BookingService
from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy
from tests.unit.booking.fakes import FakeAppointments, FakeRepairFiles, FakeTexts
from tests.unit.repairs.conftest import _SHIPPED
from tests.unit.repairs.fakes import FakeBankHolidays

# Tuesday 24 November 2026, 10am in London (GMT).
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def policy() -> RepairsPolicy:
    return RepairsPolicy.from_mapping(copy.deepcopy(_SHIPPED))


@pytest.fixture
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar(FakeBankHolidays())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def appointments() -> FakeAppointments:
    return FakeAppointments()


@pytest.fixture
def files() -> FakeRepairFiles:
    return FakeRepairFiles()


@pytest.fixture
def texts() -> FakeTexts:
    return FakeTexts()


@pytest.fixture
def service(
    appointments: FakeAppointments,
    files: FakeRepairFiles,
    texts: FakeTexts,
    clock: FakeClock,
    calendar: WorkingDayCalendar,
    policy: RepairsPolicy,
) -> BookingService:
    return BookingService(
        appointments=appointments,
        files=files,
        texts=texts,
        clock=clock,
        calendar=calendar,
        times=policy.slot_times,
        cut_off_working_days=policy.change_cut_off_working_days,
    )
