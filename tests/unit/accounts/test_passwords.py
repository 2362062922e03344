"""R37: length, the common/breached list, no composition rules, Argon2id."""

import pytest

from adapters.passwords import (
    MIN_LENGTH,
    PasswordHasher,
    cheap_hasher_for_tests,
    common_passwords,
    is_common,
    password_problem,
)

pytestmark = pytest.mark.unit


def test_the_bundled_list_holds_at_least_ten_thousand_passwords():
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password", ["a" * (MIN_LENGTH - 1), "", "correct hor"])
def test_passwords_shorter_than_twelve_characters_are_refused(password):
    assert "12 characters or more" in password_problem(password)


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "PASSWORD1234",
        "qwertyuiop123",
        "123456789012",
        "Sunshine2026!",
        "!!!football!!!",
        "iloveyou1234",
        "passwordpassword",
        "abcabcabcabc",
        "zzzzzzzzzzzz",
        "1qaz2wsx3edc",
    ],
)
def test_common_and_breached_passwords_are_refused_whatever_the_padding(password):
    assert is_common(password)
    assert "too easy to guess" in password_problem(password)


@pytest.mark.parametrize(
    "password",
    [
        "kettle orchard window",
        "lowercaseonlybutlong",
        "Tr4mline-Sp0on-Cactus",
        "🐈 cat on the mat 🐈",
        "x" * 11 + "y",
    ],
)
def test_long_uncommon_passwords_need_no_digits_capitals_or_symbols(password):
    assert password_problem(password) is None


def test_a_password_built_on_the_tenants_own_details_is_refused():
    problem = password_problem("TEN-100001 rocks!", personal=["TEN-100001", "a@example.com"])
    assert "must not contain" in problem
    assert password_problem("kettle orchard window", personal=["TEN-100001"]) is None


def test_a_very_long_password_is_refused_before_hashing():
    assert "256 characters or fewer" in password_problem("a b" * 100)


def test_hashes_are_argon2id_and_verify_only_the_right_password():
    hasher = cheap_hasher_for_tests()
    stored = hasher.hash("kettle orchard window")
    assert stored.startswith("$argon2id$")
    assert hasher.verify(stored, "kettle orchard window")
    assert not hasher.verify(stored, "kettle orchard windoW")
    assert not hasher.verify("not a hash", "kettle orchard window")


def test_an_unknown_account_is_checked_against_a_decoy_and_never_matches():
    hasher = cheap_hasher_for_tests()
    assert not hasher.verify(None, "decoy password that matches nothing")


def test_the_production_cost_is_the_rfc_9106_low_memory_profile_and_old_hashes_are_upgraded():
    cheap = cheap_hasher_for_tests().hash("kettle orchard window")
    production = PasswordHasher()
    assert "m=65536,t=3,p=4" in production.hash("kettle orchard window")
    assert production.needs_rehash(cheap)
