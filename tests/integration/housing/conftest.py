"""Fault tests: NorthgateBackend against the simulator's fault controls over real HTTP.

The simulator really sleeps here (latency and hangs are what is being tested), so the adapter
runs with a short 0.3 s timeout; its own back-off waits and circuit clock are injected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from adapters.clock import FakeClock
from adapters.housing.circuit import CircuitBreaker
from adapters.housing.northgate import NorthgateBackend
from tests.contract.housing.simulator import API_KEY, NOW, RunningSimulator, running_simulator

TIMEOUT = 0.3
Action = Callable[[httpx.Request, httpx.BaseTransport], httpx.Response]


@dataclass
class Fault:
    method: str
    path_end: str
    action: Action


class RecordingTransport(httpx.BaseTransport):
    """The real transport, recording every request and answer, with a script of one-shot faults
    for what the simulator cannot do to a single call (drop one answer, refuse one search)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []
        self.answers: list[int] = []
        self.faults: list[Fault] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        # Faults are a script: only the first waiting one can fire, so they fire in order.
        if self.faults:
            fault = self.faults[0]
            if request.method == fault.method and request.url.path.endswith(fault.path_end):
                self.faults.pop(0)
                return fault.action(request, self._inner)
        response = self._inner.handle_request(request)
        self.answers.append(response.status_code)
        return response

    def close(self) -> None:
        self._inner.close()

    def paths(self, method: str | None = None) -> list[str]:
        return [r.url.path for r in self.sent if method is None or r.method == method]


def lose_the_answer(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
    """The backend does the work, but its answer never arrives."""
    response = inner.handle_request(request)
    response.read()
    response.close()
    raise httpx.ReadTimeout("answer lost on the way back", request=request)


def answer_500(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
    """A 500 straight from the front of the backend: nothing was done."""
    body = {"ERROR_CODE": "NG-5000", "ERROR_TEXT": "Internal error"}
    return httpx.Response(500, json=body, request=request)


def refuse_connection(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


@dataclass
class RecordedSleep:
    calls: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@dataclass
class Rig:
    backend: NorthgateBackend
    transport: RecordingTransport
    clock: FakeClock
    sleeps: RecordedSleep
    simulator: RunningSimulator


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSimulator]:
    with running_simulator(tmp_path_factory.mktemp("northgate-faults"), FakeClock(NOW)) as sim:
        yield sim


@pytest.fixture
def rig(simulator: RunningSimulator) -> Iterator[Rig]:
    clock, sleeps, transport = FakeClock(NOW), RecordedSleep(), RecordingTransport()
    backend = NorthgateBackend(
        simulator.api_url,
        API_KEY,
        timeout_seconds=TIMEOUT,
        clock=clock,
        sleep=sleeps,
        circuit=CircuitBreaker(clock, failure_threshold=3, open_seconds=30),
        transport=transport,
    )
    yield Rig(backend, transport, clock, sleeps, simulator)
    backend.close()
    simulator.reset_faults()


def query(request: httpx.Request) -> dict[str, Any]:
    return dict(request.url.params)
