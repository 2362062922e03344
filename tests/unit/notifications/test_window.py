"""R25: the sending window, in London wall-clock time, with each division's bank holidays."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from notifications.config import MessagingPolicy
from notifications.window import BankHolidaysNotCovered, SendingWindow
from repairs.calendar import Division

from .conftest import FakeBankHolidays, utc

pytestmark = pytest.mark.unit

ENGLAND = Division.ENGLAND_AND_WALES
SCOTLAND = Division.SCOTLAND


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Saturday 14 March 2026 (GMT): 19:59 is inside, 20:00 waits for Sunday 10:00.
        (utc(2026, 3, 14, 19, 59), utc(2026, 3, 14, 19, 59)),
        (utc(2026, 3, 14, 20, 0), utc(2026, 3, 15, 10, 0)),
        # Sunday: 10:00 opens, 09:59 waits, 17:59 inside, 18:00 waits for Monday 08:00.
        (utc(2026, 3, 15, 10, 0), utc(2026, 3, 15, 10, 0)),
        (utc(2026, 3, 15, 9, 59), utc(2026, 3, 15, 10, 0)),
        (utc(2026, 3, 15, 17, 59), utc(2026, 3, 15, 17, 59)),
        (utc(2026, 3, 15, 18, 0), utc(2026, 3, 16, 8, 0)),
        # A weekday night waits for 08:00 the next morning; 07:59 waits a minute.
        (utc(2026, 3, 10, 23, 30), utc(2026, 3, 11, 8, 0)),
        (utc(2026, 3, 11, 7, 59), utc(2026, 3, 11, 8, 0)),
        # British Summer Time: 08:00 in London is 07:00 UTC.
        (utc(2026, 6, 8, 6, 59), utc(2026, 6, 8, 7, 0)),
        (utc(2026, 6, 8, 18, 59), utc(2026, 6, 8, 18, 59)),
        (utc(2026, 6, 8, 19, 0), utc(2026, 6, 9, 7, 0)),
    ],
)
def test_next_allowed_at_the_window_edges(
    window: SendingWindow, instant: datetime, expected: datetime
) -> None:
    assert window.next_allowed(instant, ENGLAND) == expected
    assert window.is_open(expected, ENGLAND)


def test_the_window_end_is_exclusive(window: SendingWindow) -> None:
    assert window.is_open(utc(2026, 3, 14, 19, 59), ENGLAND)
    assert not window.is_open(utc(2026, 3, 14, 20, 0), ENGLAND)


def test_easter_monday_keeps_sunday_hours_in_england_but_not_in_scotland(
    window: SendingWindow,
) -> None:
    # R3/R25: 09:00 BST on Monday 6 April 2026 is a bank holiday morning only in England.
    nine_am = utc(2026, 4, 6, 8, 0)
    assert window.next_allowed(nine_am, ENGLAND) == utc(2026, 4, 6, 9, 0)
    assert window.next_allowed(nine_am, SCOTLAND) == nine_am
    assert window.next_allowed(utc(2026, 4, 6, 17, 0), ENGLAND) == utc(2026, 4, 7, 7, 0)


def test_the_second_of_january_is_a_bank_holiday_only_in_scotland(window: SendingWindow) -> None:
    nine_am = utc(2026, 1, 2, 9, 0)
    assert window.next_allowed(nine_am, SCOTLAND) == utc(2026, 1, 2, 10, 0)
    assert window.next_allowed(nine_am, ENGLAND) == nine_am


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Sunday 26 October 2025, clocks go back at 02:00 BST: 10:00 is GMT again.
        (utc(2025, 10, 26, 1, 30), utc(2025, 10, 26, 10, 0)),
        # Sunday 29 March 2026, clocks go forward at 01:00 GMT: 10:00 is BST, 09:00 UTC.
        (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 9, 0)),
        # The Saturday before the spring change: 20:00 GMT waits for 10:00 BST on Sunday.
        (utc(2026, 3, 28, 20, 0), utc(2026, 3, 29, 9, 0)),
    ],
)
def test_the_window_follows_london_time_across_clock_changes(
    window: SendingWindow, instant: datetime, expected: datetime
) -> None:
    assert window.next_allowed(instant, ENGLAND) == expected


def test_a_day_past_the_bank_holiday_data_is_refused_not_guessed(
    policy: MessagingPolicy,
) -> None:
    window = policy.sending_window(FakeBankHolidays(covered_until=date(2026, 1, 31)))
    assert window.is_open(utc(2026, 1, 31, 12), ENGLAND)
    with pytest.raises(BankHolidaysNotCovered, match="2026-02-02"):
        window.next_allowed(utc(2026, 2, 2, 12), ENGLAND)


def test_naive_datetimes_are_refused(window: SendingWindow) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        window.next_allowed(datetime(2026, 3, 10, 12), ENGLAND)
