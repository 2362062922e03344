"""A fresh SMS simulator per test, served on 127.0.0.1, plus a webhook receiver beside it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from twilio.rest import Client

from simulators.sms import create_app
from tests.simulators.sms.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    Receiver,
    SimulatorHttpClient,
    serving,
)


@dataclass
class Simulator:
    app: Any
    base_url: str
    control: httpx.Client

    @property
    def state(self) -> Any:
        return self.app.extensions["sms_sim"]

    def client(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> Client:
        http_client = SimulatorHttpClient(self.base_url)
        return Client(account_sid, auth_token, http_client=http_client)

    def flush(self) -> dict[str, Any]:
        response = self.control.post("/_sim/callbacks/flush")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        response = self.control.post("/_sim/faults", json=settings)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def reply(self, number: str, body: str) -> dict[str, Any]:
        response = self.control.post(f"/_sim/phones/{number}/reply", json={"body": body})
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with serving(receiver) as base_url:
        receiver.base_url = base_url
        yield receiver


@pytest.fixture
def make_simulator(tmp_path: Path, receiver: Receiver) -> Iterator[Callable[..., Simulator]]:
    with ExitStack() as stack:
        count = 0

        def build(**config: Any) -> Simulator:
            nonlocal count
            count += 1
            settings = {
                "SMS_SIM_DATABASE": str(tmp_path / f"sms-{count}.sqlite"),
                "SMS_SIM_ACCOUNT_SID": ACCOUNT_SID,
                "SMS_SIM_AUTH_TOKEN": AUTH_TOKEN,
                "SMS_SIM_INBOUND_URL": receiver.url("/webhooks/twilio/inbound"),
                "SMS_SIM_BACKGROUND_DELIVERY": False,
                "SMS_SIM_FAULT_SEED": 7,
                **config,
            }
            app = create_app(settings)
            stack.callback(app.extensions["sms_sim"].deliverer.stop)
            base_url = stack.enter_context(serving(app))
            control = stack.enter_context(
                httpx.Client(base_url=base_url, trust_env=False, timeout=10)
            )
            return Simulator(app, base_url, control)

        yield build


@pytest.fixture
def simulator(make_simulator: Callable[..., Simulator]) -> Simulator:
    return make_simulator()


@pytest.fixture
def twilio(simulator: Simulator) -> Client:
    return simulator.client()
