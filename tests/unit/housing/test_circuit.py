"""The circuit breaker, driven by an injected clock: open after N failures, half-open after M
seconds with exactly one trial."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.clock import FakeClock
from adapters.housing.circuit import CircuitBreaker, CircuitOpen, CircuitState
from tests.conftest import DEFAULT_NOW

pytestmark = pytest.mark.unit


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(DEFAULT_NOW)


@pytest.fixture
def circuit(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker(clock, failure_threshold=3, open_seconds=30)


def fail(circuit: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        circuit.before_call()
        circuit.record_failure()


def test_calls_pass_while_failures_stay_below_the_threshold(circuit: CircuitBreaker) -> None:
    fail(circuit, 2)
    circuit.before_call()
    assert circuit.state is CircuitState.CLOSED


def test_a_success_resets_the_count_of_consecutive_failures(circuit: CircuitBreaker) -> None:
    fail(circuit, 2)
    circuit.before_call()
    circuit.record_success()
    fail(circuit, 2)
    assert circuit.state is CircuitState.CLOSED


def test_the_nth_consecutive_failure_opens_the_circuit(circuit: CircuitBreaker) -> None:
    fail(circuit, 3)
    assert circuit.state is CircuitState.OPEN
    with pytest.raises(CircuitOpen, match="open until 2026-11-24T10:00:30"):
        circuit.before_call()


def test_the_circuit_stays_open_until_its_time_is_up(
    circuit: CircuitBreaker, clock: FakeClock
) -> None:
    fail(circuit, 3)
    clock.advance(timedelta(seconds=29, microseconds=999_999))
    with pytest.raises(CircuitOpen):
        circuit.before_call()
    clock.advance(timedelta(microseconds=1))
    assert circuit.state is CircuitState.HALF_OPEN


def test_half_open_lets_exactly_one_trial_through(
    circuit: CircuitBreaker, clock: FakeClock
) -> None:
    fail(circuit, 3)
    clock.advance(timedelta(seconds=30))
    circuit.before_call()  # the trial
    with pytest.raises(CircuitOpen):
        circuit.before_call()  # everyone else while it runs


def test_a_successful_trial_closes_the_circuit(circuit: CircuitBreaker, clock: FakeClock) -> None:
    fail(circuit, 3)
    clock.advance(timedelta(seconds=30))
    circuit.before_call()
    circuit.record_success()
    assert circuit.state is CircuitState.CLOSED
    fail(circuit, 2)  # and the count starts again from nothing
    assert circuit.state is CircuitState.CLOSED


def test_a_failed_trial_opens_the_circuit_for_another_period(
    circuit: CircuitBreaker, clock: FakeClock
) -> None:
    fail(circuit, 3)
    clock.advance(timedelta(seconds=30))
    fail(circuit, 1)
    assert circuit.state is CircuitState.OPEN
    clock.advance(timedelta(seconds=29))
    assert circuit.state is CircuitState.OPEN
    clock.advance(timedelta(seconds=1))
    assert circuit.state is CircuitState.HALF_OPEN


def test_an_abandoned_trial_lets_the_next_caller_try(
    circuit: CircuitBreaker, clock: FakeClock
) -> None:
    fail(circuit, 3)
    clock.advance(timedelta(seconds=30))
    circuit.before_call()
    circuit.abandon()
    circuit.before_call()  # no CircuitOpen: the trial place is free again


@pytest.mark.parametrize(("threshold", "seconds"), [(0, 30), (3, 0)])
def test_a_circuit_that_could_never_work_is_refused(
    clock: FakeClock, threshold: int, seconds: float
) -> None:
    with pytest.raises(ValueError, match="failure_threshold"):
        CircuitBreaker(clock, failure_threshold=threshold, open_seconds=seconds)
