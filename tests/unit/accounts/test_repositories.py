"""The account repositories on SQLite and PostgreSQL: code expiry and attempts (R35), failure
counters (R38), session rows (R39, R40)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import sessionmaker

from adapters.db.accounts import (
    NewAccount,
    SessionRecord,
    SignInNameTaken,
    SqlAccounts,
    SqlSessionStore,
    SqlSignInFailures,
    SqlVerificationCodes,
)
from notifications.limits import CodeCheck, CodePolicy, VerificationCode

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
KEY = b"k" * 32


@pytest.fixture
def sessions(engine):
    return sessionmaker(engine, expire_on_commit=False)


def _account(sessions, name="a@example.com"):
    return SqlAccounts(sessions).create(
        NewAccount(
            name,
            "$argon2id$x",
            "TEN-100001",
            "Mr Connor Hall",
            "77 Orchard Way\nNB1 2AB",
            "+447700900123",
            NOW,
        ),
        NOW,
    )


def test_a_code_is_right_once_then_reads_as_used(sessions):
    codes = SqlVerificationCodes(sessions)
    code, digits = VerificationCode.issue(NOW, KEY, CodePolicy())
    code_id = codes.add("create", "+447700900123", code, None)
    assert codes.check(code_id, "create", digits, NOW, KEY) is CodeCheck.OK
    assert codes.check(code_id, "create", digits, NOW, KEY) is CodeCheck.EXPIRED


def test_a_code_expires_after_fifteen_minutes(sessions):
    codes = SqlVerificationCodes(sessions)
    code, digits = VerificationCode.issue(NOW, KEY, CodePolicy())
    code_id = codes.add("create", "+447700900123", code, None)
    later = NOW + timedelta(minutes=15)
    assert codes.check(code_id, "create", digits, later, KEY) is CodeCheck.EXPIRED


def test_a_code_allows_five_attempts_counted_in_the_database(sessions):
    codes = SqlVerificationCodes(sessions)
    code, digits = VerificationCode.issue(NOW, KEY, CodePolicy())
    code_id = codes.add("reset", "+447700900123", code, None)
    wrong = "000000" if digits != "000000" else "111111"
    for _ in range(5):
        assert codes.check(code_id, "reset", wrong, NOW, KEY) is CodeCheck.WRONG
    assert codes.check(code_id, "reset", digits, NOW, KEY) is CodeCheck.TOO_MANY_ATTEMPTS


def test_a_code_for_one_purpose_does_not_work_for_another(sessions):
    codes = SqlVerificationCodes(sessions)
    code, digits = VerificationCode.issue(NOW, KEY, CodePolicy())
    code_id = codes.add("create", "+447700900123", code, None)
    assert codes.check(code_id, "reset", digits, NOW, KEY) is CodeCheck.EXPIRED


def test_failures_count_up_and_a_stale_run_starts_again(sessions):
    failures = SqlSignInFailures(sessions)
    for expected in (1, 2, 3):
        assert failures.record_failure("h" * 64, NOW, timedelta(hours=24)) == expected
    assert failures.record_failure("h" * 64, NOW + timedelta(hours=25), timedelta(hours=24)) == 1
    failures.clear("h" * 64)
    assert failures.get("h" * 64) is None


def test_a_sign_in_name_can_belong_to_one_account_only(sessions):
    _account(sessions)
    with pytest.raises(SignInNameTaken):
        _account(sessions)


def test_deleting_an_account_deletes_its_sessions(sessions):
    account = _account(sessions)
    store = SqlSessionStore(sessions)
    store.save(
        SessionRecord(
            "t" * 64,
            account.id,
            {"_user_id": str(account.id)},
            NOW,
            NOW,
            timedelta(minutes=30),
            NOW + timedelta(hours=12),
        )
    )
    SqlAccounts(sessions).delete(account.id)
    assert store.load("t" * 64) is None


def test_housekeeping_removes_only_ended_sessions(sessions):
    store = SqlSessionStore(sessions)
    live = SessionRecord(
        "a" * 64, None, {}, NOW, NOW, timedelta(minutes=30), NOW + timedelta(hours=12)
    )
    idle = SessionRecord(
        "b" * 64,
        None,
        {},
        NOW,
        NOW - timedelta(minutes=31),
        timedelta(minutes=30),
        NOW + timedelta(hours=12),
    )
    old = SessionRecord("c" * 64, None, {}, NOW, NOW, timedelta(minutes=30), NOW)
    for record in (live, idle, old):
        store.save(record)
    assert store.delete_expired(NOW, timedelta(minutes=30)) == 2
    assert store.load("a" * 64) is not None


def test_active_accounts_are_those_signed_in_within_ninety_days(sessions):
    accounts = SqlAccounts(sessions)
    recent, old = _account(sessions, "a@example.com"), _account(sessions, "b@example.com")
    _account(sessions, "never@example.com")
    accounts.record_sign_in(recent.id, NOW - timedelta(days=10))
    accounts.record_sign_in(old.id, NOW - timedelta(days=91))
    assert accounts.count_active(NOW) == 1  # R45
