"""R28: num_segments counted as carriers count them, GSM-7 at 160/153 and UCS-2 at 70/67."""

from __future__ import annotations

import pytest

from simulators.sms.segments import count_segments
from tests.simulators.sms.support import send

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, "1"),
        ("a" * 161, "2"),
        ("a" * 306, "2"),
        ("a" * 307, "3"),
        ("€" * 80, "1"),  # extension characters count two: 160 septets
        ("a" * 159 + "^", "2"),
        ("a" * 70 + "’", "2"),  # one curly quote makes the whole text UCS-2
        ("ŵ" * 70, "1"),
        ("ŵ" * 71, "2"),
        ("ŵ" * 134, "2"),
        ("ŵ" * 135, "3"),
    ],
)
def test_the_api_reports_honest_segment_counts(twilio, body, segments):
    assert send(twilio, body=body).num_segments == segments


def test_gsm7_basic_characters_count_one_each():
    body = "@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà"
    assert count_segments(body * 2) == 1  # 2 × 64 characters, all single septets
    assert count_segments("{}[]~|\\^" * 10) == 1  # eight extension characters, 160 septets
    assert count_segments("{}[]~|\\^" * 10 + "a") == 2


def test_an_escape_pair_is_never_split_across_parts():
    # 152 single septets then a euro: the pair cannot fit in part one, so it moves on.
    assert count_segments("a" * 152 + "€" + "a" * 151) == 2
    assert count_segments("a" * 152 + "€" + "a" * 152) == 3


def test_an_emoji_takes_two_ucs2_units_and_is_never_split():
    assert count_segments("😀" * 35) == 1
    assert count_segments("😀" * 36) == 2
    assert count_segments("a" * 66 + "😀" + "a" * 66) == 3
