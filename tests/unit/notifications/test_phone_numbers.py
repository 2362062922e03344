"""R26: texts go only to UK mobiles, typed however tenants type them."""

from __future__ import annotations

import pytest

from notifications.phone_numbers import NotAUkMobile, mask, parse_uk_mobile

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "typed",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "0044 7700 900123",
        "(07700) 900 123",
        "+44 (0) 7700 900123",
        "07700-900-123",
        "07700.900.123",
        "  07700 900123  ",
        "0770 090 0123",
        "447700900123",
    ],
)
def test_common_ways_of_typing_a_mobile_all_give_e164(typed: str) -> None:
    assert parse_uk_mobile(typed) == "+447700900123"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07624 123456", "+447624123456"),  # Isle of Man mobiles share +44 7
        ("07797 123456", "+447797123456"),  # Jersey
    ],
)
def test_crown_dependency_mobiles_on_plus_44_7_are_mobiles(typed: str, expected: str) -> None:
    assert parse_uk_mobile(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason_mentions"),
    [
        ("020 7946 0018", "landline"),
        ("0300 123 4567", "landline"),
        ("0800 123 4567", "landline"),
        ("07700 9001", "too short"),
        ("0770090", "too short"),
        ("077009001234", "too long"),
        ("+1 202 555 0123", "UK mobile"),
        ("+353 87 123 4567", "UK mobile"),
        ("07700 9001A3", "numbers only"),
        ("tel:+447700900123", "numbers only"),
        ("0800 FLOWERS", "numbers only"),
        ("07012 345678", "not a mobile"),  # personal numbering
        ("07600 123456", "not a mobile"),  # pagers
        ("", "Enter a mobile"),
        ("+", "Enter a mobile"),
    ],
)
def test_anything_but_a_uk_mobile_is_refused_with_a_reason_a_tenant_can_act_on(
    typed: str, reason_mentions: str
) -> None:
    with pytest.raises(NotAUkMobile) as refused:
        parse_uk_mobile(typed)
    assert reason_mentions in refused.value.reason


def test_a_masked_number_keeps_only_the_first_and_last_three_digits() -> None:
    assert mask("+447700900123") == "+44 7*** ***123"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+12025550123", "+*** ***123"),
        ("nonsense", "<unreadable number>"),
        ("+44", "<unreadable number>"),
    ],
)
def test_masking_never_shows_a_whole_number(number: str, masked: str) -> None:
    assert mask(number) == masked
