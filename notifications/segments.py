"""How many SMS parts a text costs (R28).

GSM-7 carries 160 septets in one part, 153 per part once split (the rest is the concatenation
header); the extension table characters take an escape septet too, so they count two. One
character outside GSM-7 switches the whole message to UCS-2: 70 code units in one part, 67 per
part split, where a character outside the Basic Multilingual Plane (most emoji) takes two.
Parts are filled the way handsets and Twilio do: a two-unit character is never cut in half
across parts, so a split can leave a part one unit short.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# 3GPP TS 23.038 default alphabet (the basic table), as Unicode characters.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as ESC + character, two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[]~|€")

GSM7_SINGLE = 160
GSM7_MULTI = 153
UCS2_SINGLE = 70
UCS2_MULTI = 67

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SegmentCount:
    """`units` is septets for GSM-7 and UTF-16 code units for UCS-2."""

    encoding: Encoding
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 basic or extension table."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def is_gsm7_basic(text: str) -> bool:
    """True when every character counts one septet (no extension characters)."""
    return all(char in GSM7_BASIC for char in text)


def _gsm7_width(char: str) -> int:
    return 2 if char in GSM7_EXTENSION else 1


def _ucs2_width(char: str) -> int:
    # Characters past U+FFFF are a surrogate pair in UTF-16.
    return 2 if ord(char) > 0xFFFF else 1


def _pack(widths: list[int], single: int, multi: int) -> int:
    total = sum(widths)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for width in widths:
        if used + width > multi:
            parts, used = parts + 1, 0
        used += width
    return parts


def count_segments(text: str) -> SegmentCount:
    """R28: the encoding, units and parts for `text`. An empty text is zero parts."""
    if is_gsm7(text):
        widths = [_gsm7_width(char) for char in text]
        return SegmentCount("GSM-7", sum(widths), _pack(widths, GSM7_SINGLE, GSM7_MULTI))
    widths = [_ucs2_width(char) for char in text]
    return SegmentCount("UCS-2", sum(widths), _pack(widths, UCS2_SINGLE, UCS2_MULTI))


def non_gsm7_characters(text: str) -> str:
    """The characters that would force UCS-2, in order of first appearance, for error messages."""
    seen: dict[str, None] = {}
    for char in text:
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION:
            seen.setdefault(char)
    return "".join(seen)
