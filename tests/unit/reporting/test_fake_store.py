"""The in-memory store keeps the same promises as the SQL one."""

import pytest

from tests.unit.reporting.fakes import FakeRepairStore
from tests.unit.reporting.store_contract import RepairStoreContract

pytestmark = pytest.mark.unit


class TestFakeRepairStore(RepairStoreContract):
    @pytest.fixture
    def store(self):
        return FakeRepairStore()
