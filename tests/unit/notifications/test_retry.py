"""R33: retry what may work later, with capped jittered back-off; flag what never will."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from notifications.config import MessagingPolicy
from notifications.retry import ErrorAction, RetryPolicy, classify_error

from .conftest import utc

pytestmark = pytest.mark.unit

NOW = utc(2026, 3, 10, 12)
POLICY = RetryPolicy(
    max_attempts=5, first_delay=timedelta(seconds=60), max_delay=timedelta(hours=1)
)


@pytest.mark.parametrize(
    ("code", "http_status"),
    [(429, None), (20429, 429), (None, 429), (30001, None), (30003, None), (30008, None),
     (None, 500), (None, 503), (20500, 500), (None, None)],
)  # fmt: skip
def test_rate_limits_full_queues_unreachable_handsets_and_outages_are_retried(
    code: int | None, http_status: int | None
) -> None:
    assert classify_error(code, http_status) is ErrorAction.RETRY


@pytest.mark.parametrize("code", [21211, 21610, 21614, 30005, 30006])
def test_numbers_that_will_never_work_are_not_retried_and_the_contact_is_flagged(
    code: int,
) -> None:
    assert classify_error(code, 400) is ErrorAction.FLAG_CONTACT
    assert classify_error(code) is ErrorAction.FLAG_CONTACT


@pytest.mark.parametrize(("code", "http_status"), [(20003, 401), (21606, 400), (None, 400)])
def test_our_own_mistakes_are_given_up_without_blaming_the_tenants_number(
    code: int | None, http_status: int
) -> None:
    assert classify_error(code, http_status) is ErrorAction.GIVE_UP


def test_back_off_is_deterministic_with_a_seeded_random() -> None:
    first = [POLICY.next_attempt_at(n, NOW, random.Random(7)) for n in range(1, 5)]
    again = [POLICY.next_attempt_at(n, NOW, random.Random(7)) for n in range(1, 5)]
    assert first == again


def test_back_off_doubles_within_half_to_all_of_each_step() -> None:
    rng = random.Random(42)
    for attempts, step in [(1, 60), (2, 120), (3, 240), (4, 480), (7, 3600)]:
        delay = POLICY.delay(attempts, rng)
        assert timedelta(seconds=step / 2) <= delay <= timedelta(seconds=step)


def test_back_off_is_capped_however_many_attempts() -> None:
    class Highest:
        def random(self) -> float:
            return 1.0

    assert POLICY.delay(10_000, Highest()) == timedelta(hours=1)


def test_jitter_spreads_retries_that_failed_at_the_same_moment() -> None:
    rng = random.Random(1)
    delays = {POLICY.delay(3, rng) for _ in range(20)}
    assert len(delays) == 20


def test_no_attempt_is_planned_once_the_maximum_is_used_up() -> None:
    assert POLICY.next_attempt_at(4, NOW, random.Random(0)) is not None
    assert POLICY.next_attempt_at(5, NOW, random.Random(0)) is None


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        POLICY.delay(0, random.Random(0))


def test_the_configured_retry_policy_has_a_cap_and_a_maximum(policy: MessagingPolicy) -> None:
    assert policy.retry.max_attempts == 5
    assert policy.retry.max_delay == timedelta(hours=1)
