"""The sealed authenticator secrets and the code window (R38, R41)."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.staff import totp
from portal.staff.secret_box import SealBroken, seal, unseal

pytestmark = pytest.mark.unit

KEY = "k" * 48
NOW = datetime(2026, 11, 24, 10, 0, 10, tzinfo=UTC)


def test_a_sealed_secret_opens_with_the_same_key_and_does_not_show_the_secret():
    secret = totp.new_secret()
    sealed = seal(secret, KEY)
    assert secret not in sealed
    assert unseal(sealed, KEY) == secret


def test_sealing_twice_gives_different_text():
    assert seal("JBSWY3DPEHPK3PXP", KEY) != seal("JBSWY3DPEHPK3PXP", KEY)


def test_a_seal_does_not_open_with_another_key():
    with pytest.raises(SealBroken):
        unseal(seal("JBSWY3DPEHPK3PXP", KEY), "another key that is long enough to be used")


@pytest.mark.parametrize("position", [3, 10, 40, -5])
def test_a_seal_altered_anywhere_is_refused(position):
    sealed = list(seal("JBSWY3DPEHPK3PXP" * 2, KEY))
    sealed[position] = "A" if sealed[position] != "A" else "B"
    with pytest.raises(SealBroken):
        unseal("".join(sealed), KEY)


@pytest.mark.parametrize("text", ["", "v1.", "v2.AAAA", "v1.!!!!", "nonsense"])
def test_rubbish_is_not_a_seal(text):
    with pytest.raises(SealBroken):
        unseal(text, KEY)


def test_a_new_secret_is_160_bits_of_base32():
    secret = totp.new_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert totp.new_secret() != secret


def test_the_code_of_now_and_one_step_either_side_match_with_their_own_step():
    secret = totp.new_secret()
    step = totp.matching_step(secret, totp.code_at(secret, NOW), NOW)
    assert step is not None
    for offset in (-1, 1):
        when = NOW + timedelta(seconds=30 * offset)
        assert totp.matching_step(secret, totp.code_at(secret, when), NOW) == step + offset


def test_codes_two_steps_away_do_not_match():
    secret = totp.new_secret()
    for offset in (-2, 2):
        code = totp.code_at(secret, NOW + timedelta(seconds=30 * offset))
        if code != totp.code_at(secret, NOW):  # one in a million they coincide
            assert totp.matching_step(secret, code, NOW) is None


@pytest.mark.parametrize("entered", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_match_nothing(entered):
    assert totp.matching_step(totp.new_secret(), entered, NOW) is None


def test_codes_typed_with_spaces_or_a_dash_still_match():
    secret = totp.new_secret()
    code = totp.code_at(secret, NOW)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", NOW) is not None
    assert totp.matching_step(secret, f"{code[:3]}-{code[3:]}", NOW) is not None


def test_the_provisioning_uri_names_the_member_and_the_council():
    uri = totp.provisioning_uri(
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ada@council.example", "Northbridge repairs staff"
    )
    assert uri.startswith("otpauth://totp/")
    assert (
        "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri
        and "issuer=Northbridge%20repairs%20staff" in uri
    )
