"""How many SMS segments a body takes, counted the way carriers count them.

GSM-7 fits 160 septets in one segment and 153 per part once split (the user data header takes
the rest); the extension characters need an escape septet so they count two, and an escape pair
is never split across parts. One character outside GSM-7 switches the whole body to UCS-2:
70 UTF-16 code units alone, 67 per part, and a surrogate pair is never split either.
"""

from __future__ import annotations

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm7(body: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body)


def encoding(body: str) -> str:
    return "GSM-7" if is_gsm7(body) else "UCS-2"


def count_segments(body: str) -> int:
    """Segments the body is sent in; an empty body still costs one."""
    if is_gsm7(body):
        units = [2 if ch in GSM7_EXTENSION else 1 for ch in body]
        return _pack(units, GSM7_SINGLE, GSM7_PART)
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in body]
    return _pack(units, UCS2_SINGLE, UCS2_PART)


def _pack(units: list[int], single: int, part: int) -> int:
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts
