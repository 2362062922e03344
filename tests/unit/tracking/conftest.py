from __future__ import annotations

import copy

import pytest

from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy
from tests.unit.repairs.conftest import _SHIPPED
from tests.unit.repairs.fakes import FakeBankHolidays


@pytest.fixture(scope="session")
def policy() -> RepairsPolicy:
    return RepairsPolicy.from_mapping(copy.deepcopy(_SHIPPED))


@pytest.fixture
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar(FakeBankHolidays())
