"""UK mobile numbers (R26): texts go only to numbers that parse as +447..., never to landlines."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberType

_UK_COUNTRY_CODE = 44
_MOBILE_NATIONAL_DIGITS = 10
# Ofcom keeps 07700 900000 to 900999 for drama and examples. phonenumbers calls them invalid
# because no network owns them; we accept them so demos and training can use numbers that
# cannot reach a real person.
_OFCOM_DRAMA_MOBILES = range(7700900000, 7700901000)
_ELEVEN_DIGITS = "A mobile number has 11 digits, like 07700 900123"
_LANDLINE_TYPES = frozenset(
    {
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
        PhoneNumberType.VOIP,
    }
)


class NotAUkMobile(ValueError):
    """`reason` is written for the tenant, ready for a form error message."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def parse_uk_mobile(text: str) -> str:
    """R26: the E.164 form (`+447700900123`) of a UK mobile number typed any usual way.

    Accepts spaces, dashes, dots, brackets, `+44`, `+44 (0)`, `0044` and a leading `07`.
    Raises NotAUkMobile with a reason a tenant can act on.
    """
    cleaned = text.strip()
    if not cleaned:
        raise NotAUkMobile("Enter a mobile phone number")
    # phonenumbers reads letters as keypad digits (0800 FLOWERS); a tenant typing letters made
    # a mistake, so say so instead of guessing.
    if any(char.isalpha() for char in cleaned):
        raise NotAUkMobile("Enter a mobile phone number using numbers only, like 07700 900123")
    try:
        number = phonenumbers.parse(cleaned, "GB")
    except phonenumbers.NumberParseException:
        raise NotAUkMobile("Enter a mobile phone number, like 07700 900123") from None
    if number.country_code != _UK_COUNTRY_CODE:
        raise NotAUkMobile("Enter a UK mobile number, starting 07 or +44 7")
    return _require_mobile(number)


def _require_mobile(number: phonenumbers.PhoneNumber) -> str:
    national = str(number.national_number)
    if not national.startswith("7") and _is_landline(number):
        raise NotAUkMobile("That looks like a landline. Enter a mobile number starting 07")
    if len(national) < _MOBILE_NATIONAL_DIGITS:
        raise NotAUkMobile(f"That number is too short. {_ELEVEN_DIGITS}")
    if len(national) > _MOBILE_NATIONAL_DIGITS:
        raise NotAUkMobile(f"That number is too long. {_ELEVEN_DIGITS}")
    is_drama = number.national_number in _OFCOM_DRAMA_MOBILES
    if not is_drama and phonenumbers.number_type(number) != PhoneNumberType.MOBILE:
        # 070 personal numbers and 076 pagers look like mobiles but cannot take texts.
        raise NotAUkMobile("That is not a mobile number. Enter a mobile number starting 07")
    return f"+{_UK_COUNTRY_CODE}{national}"


def _is_landline(number: phonenumbers.PhoneNumber) -> bool:
    return phonenumbers.number_type(number) in _LANDLINE_TYPES


def mask(e164: str) -> str:
    """For logs, which never hold whole numbers: `+447700900123` -> `+44 7*** ***123`."""
    digits = e164.removeprefix("+")
    if not digits.isdigit() or len(digits) < 6:
        return "<unreadable number>"
    if digits.startswith(str(_UK_COUNTRY_CODE)) and len(digits) == 12:
        return f"+44 {digits[2]}*** ***{digits[-3:]}"
    return f"+*** ***{digits[-3:]}"
