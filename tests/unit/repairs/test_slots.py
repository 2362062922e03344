from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repairs.local_time import LONDON
from repairs.slots import (
    Slot,
    SlotKind,
    SlotTimes,
    SlotWindow,
    format_date,
    format_date_time,
    format_slot,
    format_time,
)

pytestmark = pytest.mark.unit

TIMES = SlotTimes.default()


def test_default_slot_times_are_the_configured_defaults() -> None:
    # R21: AM 08:00-12:00, PM 12:00-16:00, all day 08:00-16:00
    assert (TIMES[SlotKind.AM].start, TIMES[SlotKind.AM].end) == (time(8), time(12))
    assert (TIMES[SlotKind.PM].start, TIMES[SlotKind.PM].end) == (time(12), time(16))
    assert (TIMES[SlotKind.ALL_DAY].start, TIMES[SlotKind.ALL_DAY].end) == (time(8), time(16))


def test_a_morning_slot_in_winter_starts_at_eight_utc() -> None:
    # R21: stored in UTC
    assert Slot(date(2026, 12, 8), SlotKind.AM).starts_at(TIMES) == datetime(
        2026, 12, 8, 8, tzinfo=UTC
    )


def test_a_morning_slot_in_summer_starts_at_seven_utc() -> None:
    assert Slot(date(2026, 7, 7), SlotKind.AM).starts_at(TIMES) == datetime(
        2026, 7, 7, 7, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (date(2026, 3, 28), date(2026, 3, 30)),  # clocks go forward Sunday 29 March 2026
        (date(2026, 10, 24), date(2026, 10, 26)),  # clocks go back Sunday 25 October 2026
    ],
)
def test_slot_local_times_do_not_move_across_a_clock_change(before: date, after: date) -> None:
    # R21: instants survive clock changes; 8am stays 8am in London
    for day in (before, after, before + timedelta(days=1)):
        start = Slot(day, SlotKind.AM).starts_at(TIMES).astimezone(LONDON)
        assert start.time() == time(8)
    assert Slot(before, SlotKind.PM).ends_at(TIMES) - Slot(before, SlotKind.PM).starts_at(
        TIMES
    ) == timedelta(hours=4)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


# The days around each clock change (last Sundays of March and October), plus any day at all.
_CLOCK_CHANGE_DAYS = [
    _last_sunday(year, month) + timedelta(days=offset)
    for year in range(2025, 2029)
    for month in (3, 10)
    for offset in (-1, 0, 1)
]


def test_the_clock_change_days_are_the_last_sundays() -> None:
    assert _last_sunday(2026, 3) == date(2026, 3, 29)
    assert _last_sunday(2026, 10) == date(2026, 10, 25)


@settings(max_examples=200, deadline=None)
@given(
    day=st.one_of(
        st.sampled_from(_CLOCK_CHANGE_DAYS),
        st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    ),
    kind=st.sampled_from(list(SlotKind)),
)
def test_slot_instants_always_show_the_configured_local_times(day: date, kind: SlotKind) -> None:
    # R21: whatever the date, including the last Sundays of March and October
    slot = Slot(day, kind)
    start, end = slot.starts_at(TIMES), slot.ends_at(TIMES)
    assert start.tzinfo is UTC and end.tzinfo is UTC
    assert start.astimezone(LONDON).time() == TIMES[kind].start
    assert end.astimezone(LONDON).time() == TIMES[kind].end
    assert start.astimezone(LONDON).date() == day


@pytest.mark.parametrize(
    ("at", "text"),
    [
        (time(8), "8am"),
        (time(8, 30), "8:30am"),
        (time(12), "12pm"),
        (time(16), "4pm"),
        (time(0), "12am"),
        (time(12, 5), "12:05pm"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_times_are_written_the_govuk_way(at: time, text: str) -> None:
    # R47: no leading zeros, "12pm", "8:30am"
    assert format_time(at) == text


def test_dates_are_written_the_govuk_way() -> None:
    # R47
    assert format_date(date(2025, 12, 5)) == "Friday 5 December 2025"
    assert format_date(date(2026, 3, 1), with_year=False) == "Sunday 1 March"


def test_a_slot_this_year_is_written_without_the_year() -> None:
    # R47
    slot = Slot(date(2025, 12, 9), SlotKind.AM)
    assert format_slot(slot, TIMES, today=date(2025, 11, 30)) == "Tuesday 9 December, 8am to 12pm"


def test_a_slot_next_year_is_written_with_the_year() -> None:
    slot = Slot(date(2027, 1, 5), SlotKind.PM)
    assert (
        format_slot(slot, TIMES, today=date(2026, 12, 20)) == "Tuesday 5 January 2027, 12pm to 4pm"
    )


def test_a_slot_without_today_always_carries_the_year() -> None:
    slot = Slot(date(2025, 3, 4), SlotKind.AM)
    assert format_slot(slot, TIMES) == "Tuesday 4 March 2025, 8am to 12pm"


def test_configured_slot_times_with_minutes_are_written_with_minutes() -> None:
    times = SlotTimes(
        {
            SlotKind.AM: SlotWindow("Morning", time(8, 30), time(12, 30)),
            SlotKind.PM: SlotWindow("Afternoon", time(12, 30), time(16, 30)),
            SlotKind.ALL_DAY: SlotWindow("All day", time(8, 30), time(16, 30)),
        }
    )
    slot = Slot(date(2026, 9, 30), SlotKind.PM)
    assert format_slot(slot, times, today=date(2026, 9, 1)) == (
        "Wednesday 30 September, 12:30pm to 4:30pm"
    )


def test_an_instant_is_shown_in_london_time() -> None:
    # R47: 07:30 UTC in June is 8:30am in London
    assert format_date_time(datetime(2026, 6, 5, 7, 30, tzinfo=UTC)) == "Friday 5 June 2026, 8:30am"


def test_a_naive_instant_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_date_time(datetime(2026, 6, 5, 7, 30))


def test_a_slot_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        SlotWindow("Morning", time(12), time(8))


def test_slot_times_must_cover_every_kind() -> None:
    with pytest.raises(ValueError, match="missing for: all_day"):
        SlotTimes(
            {
                SlotKind.AM: SlotWindow("Morning", time(8), time(12)),
                SlotKind.PM: SlotWindow("Afternoon", time(12), time(16)),
            }
        )
