"""Authenticator codes (TOTP, RFC 6238) for staff sign-in, with pyotp.

Codes are checked against the injected clock, one step either side of now (valid_window=1,
for phones whose clocks drift), and the caller records the matching step so that a code is
accepted once only (no replay of a code seen over a shoulder).
"""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
from pyotp.utils import strings_equal

DIGITS = 6
VALID_WINDOW = 1
_CODE = re.compile(r"\d{6}")


def new_secret() -> str:
    """160 random bits, base32: what authenticator apps expect."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def clean_code(entered: str) -> str:
    """'123 456' and '123-456' as apps show them: keep the digits."""
    return re.sub(r"[\s-]", "", entered or "")


def matching_step(secret: str, entered: str, now: datetime) -> int | None:
    """The 30-second step whose code this is, within the window; None if it matches none."""
    code = clean_code(entered)
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = now_step + offset
        if strings_equal(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, when: datetime) -> str:
    """The code an authenticator app shows at `when`: for tests and the demo."""
    return pyotp.TOTP(secret).at(when)
