from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy
from tests.unit.repairs.fakes import FakeBankHolidays

CONFIG = Path(__file__).resolve().parents[3] / "config" / "landlord.yaml"


def _load_repairs_section() -> dict[str, Any]:
    section: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repairs"]
    return section


_SHIPPED = _load_repairs_section()


@pytest.fixture
def policy_data() -> dict[str, Any]:
    """A fresh copy of the shipped `repairs:` section for a test to break."""
    return copy.deepcopy(_SHIPPED)


@pytest.fixture(scope="session")
def policy() -> RepairsPolicy:
    return RepairsPolicy.from_mapping(copy.deepcopy(_SHIPPED))


@pytest.fixture
def calendar() -> WorkingDayCalendar:
    """No closure days, so the tables show bank holidays alone."""
    return WorkingDayCalendar(FakeBankHolidays())
