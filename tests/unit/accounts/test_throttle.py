"""R38: five free failures, then a doubling wait capped at 15 minutes; never a lock-out."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.throttle import SignInThrottle, name_digest

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (8, 8), (9, 15), (50, 15)],
)
def test_the_wait_doubles_after_five_failures_and_stops_growing_at_fifteen_minutes(failures, delay):
    assert SignInThrottle().delay_after(failures) == timedelta(minutes=delay)


def test_an_attempt_waits_until_the_delay_has_passed_since_the_last_failure():
    throttle = SignInThrottle()
    assert throttle.wait_until(6, NOW, NOW + timedelta(minutes=1)) == NOW + timedelta(minutes=2)
    assert throttle.wait_until(6, NOW, NOW + timedelta(minutes=2)) is None
    assert throttle.wait_until(4, NOW, NOW) is None


def test_a_run_of_failures_is_forgotten_after_a_day():
    assert SignInThrottle().wait_until(500, NOW, NOW + timedelta(hours=24, seconds=1)) is None


def test_the_longest_wait_is_fifteen_minutes_however_many_guesses():
    throttle = SignInThrottle()
    assert throttle.wait_until(10**6, NOW, NOW) == NOW + timedelta(minutes=15)


def test_counters_are_keyed_by_a_keyed_hash_of_the_name():
    one = name_digest("a@example.com", b"k" * 32)
    assert one == name_digest("a@example.com", b"k" * 32)
    assert one != name_digest("a@example.com", b"j" * 32)
    assert "example" not in one and len(one) == 64
