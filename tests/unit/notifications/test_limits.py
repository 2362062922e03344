"""R34 per-number limits; R35 verification codes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from notifications.config import MessagingPolicy
from notifications.limits import CodeCheck, CodePolicy, RateLimit, VerificationCode

from .conftest import utc

pytestmark = pytest.mark.unit

NOW = utc(2026, 3, 10, 12)
KEY = b"a-test-key-of-at-least-16-bytes"


def minutes_ago(*minutes: int) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_a_sixth_verification_code_within_the_hour_is_refused(policy: MessagingPolicy) -> None:
    limits = policy.limits
    four = minutes_ago(1, 10, 20, 30)
    five = minutes_ago(1, 10, 20, 30, 59)
    assert limits.may_send(NOW, recent_messages=five, recent_codes=four, is_code=True)
    assert not limits.may_send(NOW, recent_messages=five, recent_codes=five, is_code=True)


def test_codes_sent_more_than_an_hour_ago_no_longer_count(policy: MessagingPolicy) -> None:
    old = minutes_ago(60, 61, 90, 120, 500)
    assert policy.limits.may_send(NOW, recent_messages=old, recent_codes=old, is_code=True)


def test_no_more_than_twenty_texts_an_hour_to_one_number(policy: MessagingPolicy) -> None:
    nineteen = minutes_ago(*range(1, 20))
    assert policy.limits.may_send(NOW, recent_messages=nineteen)
    assert not policy.limits.may_send(NOW, recent_messages=[*nineteen, NOW])


def test_the_message_limit_applies_to_codes_too(policy: MessagingPolicy) -> None:
    twenty = minutes_ago(*range(1, 21))
    assert not policy.limits.may_send(NOW, recent_messages=twenty, recent_codes=(), is_code=True)


def test_a_limited_number_is_told_when_it_is_free_again() -> None:
    limit = RateLimit(2)
    recent = minutes_ago(50, 10)
    assert limit.next_free_at(recent, NOW) == NOW + timedelta(minutes=10)
    assert limit.next_free_at(minutes_ago(10), NOW) is None


def issue(now: datetime = NOW) -> tuple[VerificationCode, str]:
    return VerificationCode.issue(now, KEY, CodePolicy(6, timedelta(minutes=15), 5))


def test_a_code_is_six_digits_and_only_its_keyed_hash_is_kept() -> None:
    code, digits = issue()
    assert len(digits) == 6 and digits.isdigit()
    assert digits not in repr(code)
    assert code.code_hash != digits and len(code.code_hash) == 64
    assert code.expires_at == NOW + timedelta(minutes=15)


def test_codes_come_from_a_secure_random_source_and_differ() -> None:
    assert len({issue()[1] for _ in range(50)}) > 40


def test_the_right_code_within_fifteen_minutes_is_accepted_once() -> None:
    code, digits = issue()
    assert code.check(digits, NOW + timedelta(minutes=14, seconds=59), KEY) is CodeCheck.OK
    # R35: a used code cannot be replayed.
    assert code.check(digits, NOW + timedelta(minutes=15), KEY) is CodeCheck.EXPIRED


def test_a_code_typed_with_a_space_in_the_middle_still_matches() -> None:
    code, digits = issue()
    assert code.check(f" {digits[:3]} {digits[3:]} ", NOW, KEY) is CodeCheck.OK


def test_a_code_expires_after_fifteen_minutes() -> None:
    code, digits = issue()
    assert code.check(digits, NOW + timedelta(minutes=15), KEY) is CodeCheck.EXPIRED
    assert code.attempts == 0


def test_five_attempts_are_allowed_then_even_the_right_code_is_refused() -> None:
    code, digits = issue()
    wrong = "000000" if digits != "000000" else "111111"
    results = [code.check(wrong, NOW, KEY) for _ in range(5)]
    assert results == [CodeCheck.WRONG] * 5
    assert code.check(digits, NOW, KEY) is CodeCheck.TOO_MANY_ATTEMPTS
    assert code.attempts == 5


def test_the_fifth_attempt_may_still_be_the_right_one() -> None:
    code, digits = issue()
    wrong = "000000" if digits != "000000" else "111111"
    for _ in range(4):
        code.check(wrong, NOW, KEY)
    assert code.check(digits, NOW, KEY) is CodeCheck.OK


def test_a_code_checked_with_another_key_is_wrong() -> None:
    code, digits = issue()
    assert code.check(digits, NOW, b"another-key-of-16-bytes-or-more") is CodeCheck.WRONG


@pytest.mark.parametrize("entered", ["", "１２３４５６", "abcdef", "1234567"])
def test_odd_input_is_simply_wrong_and_uses_an_attempt(entered: str) -> None:
    code, _ = issue()
    assert code.check(entered, NOW, KEY) is CodeCheck.WRONG
    assert code.attempts == 1


def test_a_short_hashing_key_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        VerificationCode.issue(NOW, b"short")


def test_the_configured_code_rules_are_six_digits_fifteen_minutes_five_attempts(
    policy: MessagingPolicy,
) -> None:
    assert policy.code == CodePolicy(6, timedelta(minutes=15), 5)
