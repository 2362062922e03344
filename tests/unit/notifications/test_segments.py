"""R28: how many parts a text costs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.segments import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SegmentCount,
    count_segments,
    is_gsm7,
    non_gsm7_characters,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SegmentCount("GSM-7", 0, 0)),
        ("a" * 160, SegmentCount("GSM-7", 160, 1)),
        ("a" * 161, SegmentCount("GSM-7", 161, 2)),
        ("a" * 306, SegmentCount("GSM-7", 306, 2)),
        ("a" * 307, SegmentCount("GSM-7", 307, 3)),
        ("€" * 80, SegmentCount("GSM-7", 160, 1)),
        ("a" * 159 + "€", SegmentCount("GSM-7", 161, 2)),
        ("a" * 70 + "😀", SegmentCount("UCS-2", 72, 2)),
        ("a" * 68 + "😀", SegmentCount("UCS-2", 70, 1)),
        ("ŵ" * 70, SegmentCount("UCS-2", 70, 1)),
        ("ŵ" * 71, SegmentCount("UCS-2", 71, 2)),
        ("ŵ" * 134, SegmentCount("UCS-2", 134, 2)),
        ("ŵ" * 135, SegmentCount("UCS-2", 135, 3)),
    ],
)
def test_segment_edges_follow_the_gsm7_and_ucs2_part_sizes(
    text: str, expected: SegmentCount
) -> None:
    # R28: 160 in one GSM-7 part, 153 per part split; 70/67 in UCS-2.
    assert count_segments(text) == expected


@pytest.mark.parametrize("char", sorted("^{}\\[]~|€"))
def test_each_extension_character_counts_two(char: str) -> None:
    # R28: ^ { } \ [ ] ~ | and the euro sign are an escape plus a character.
    assert count_segments(char).units == 2
    assert count_segments("a" * 158 + char) == SegmentCount("GSM-7", 160, 1)
    assert count_segments("a" * 159 + char).segments == 2


@pytest.mark.parametrize("char", ["\u2019", "\u201c", "\u2013", "😀", "ŵ", "`"])
def test_one_character_outside_gsm7_switches_the_whole_text_to_ucs2(char: str) -> None:
    # R28: curly quotes, en dashes, emoji, Welsh circumflexes, even a backtick.
    count = count_segments("Your repair is booked" + char)
    assert count.encoding == "UCS-2"
    assert non_gsm7_characters("ab" + char + char) == char


def test_one_emoji_counts_two_utf16_units() -> None:
    assert count_segments("😀") == SegmentCount("UCS-2", 2, 1)


def test_an_extension_character_is_never_cut_across_two_parts() -> None:
    # 152 septets then a two-septet character: it cannot straddle parts 1 and 2.
    text = "a" * 152 + "€" + "a" * 152
    assert count_segments(text) == SegmentCount("GSM-7", 306, 3)


def test_an_emoji_is_never_cut_across_two_ucs2_parts() -> None:
    text = "ŵ" * 66 + "😀" + "ŵ" * 66
    assert count_segments(text) == SegmentCount("UCS-2", 134, 3)


def test_the_gsm7_tables_do_not_overlap_and_hold_the_ascii_letters() -> None:
    assert not GSM7_BASIC & GSM7_EXTENSION
    assert len(GSM7_BASIC) == 128 - 1  # the escape code itself is not a character
    assert is_gsm7("The quick brown fox, 0-9 @ $ £ ?")


_alphabet = st.sampled_from(sorted(GSM7_BASIC | GSM7_EXTENSION)) | st.characters()
# Mostly near the part boundaries, where a wrong count would hide.
texts = st.text(_alphabet, max_size=40) | st.text(_alphabet, min_size=60, max_size=470)


@given(texts, st.integers(min_value=0, max_value=400), st.characters())
def test_adding_a_character_anywhere_never_reduces_the_segments(
    text: str, position: int, char: str
) -> None:
    position = min(position, len(text))
    longer = text[:position] + char + text[position:]
    assert count_segments(longer).segments >= count_segments(text).segments


@given(texts)
def test_the_count_is_consistent_with_the_encoding_and_units(text: str) -> None:
    count = count_segments(text)
    single, multi = (160, 153) if count.encoding == "GSM-7" else (70, 67)
    assert count.units >= len(text)
    if count.units <= single:
        assert count.segments == (1 if text else 0)
    else:
        # Never fewer parts than the units need, at most one more per two-unit character.
        assert count.segments >= -(-count.units // multi)
        assert count.segments * multi >= count.units
