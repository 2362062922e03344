"""Messaging over a real database (SQLite and PostgreSQL), with the fake sender or the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from adapters.clock import FakeClock
from adapters.db.engine import make_session_factory
from adapters.sms.fake import FakeSmsSender
from adapters.sms.wiring import build_dispatcher, build_messaging
from notifications.dispatch import Dispatcher
from notifications.messaging import Messaging
from notifications.ports import SmsSender
from tests.conftest import ROOT
from tests.contract.sms.simulator import SmsSimulator, served_simulator

PUBLIC = "http://portal.test"


@pytest.fixture(scope="session")
def landlord() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def make_messaging(
    engine: sa.Engine, clock: FakeClock, sender: SmsSender, landlord: dict[str, Any]
) -> Messaging:
    return build_messaging(
        landlord=landlord,
        council_short_name="Northbridge",
        council_phone="0300 123 4567",
        public_base_url=PUBLIC,
        sessions=make_session_factory(engine),
        sender=lambda: sender,
        clock=clock,
    )


@pytest.fixture
def sender(clock: FakeClock) -> FakeSmsSender:
    return FakeSmsSender(clock)


@pytest.fixture
def messaging(
    engine: sa.Engine, clock: FakeClock, sender: FakeSmsSender, landlord: dict[str, Any]
) -> Messaging:
    return make_messaging(engine, clock, sender, landlord)


@pytest.fixture
def dispatcher(
    messaging: Messaging, sender: FakeSmsSender, clock: FakeClock
) -> Iterator[Dispatcher]:
    dispatcher = build_dispatcher(messaging, sender, clock, batch_size=10, concurrency=2)
    yield dispatcher
    dispatcher.close()


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SmsSimulator]:
    with served_simulator(tmp_path) as sim:
        yield sim
