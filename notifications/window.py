"""Quiet hours (R25): when a non-urgent text may reach a tenant's phone.

Default hours are 08:00-20:00 Monday to Saturday and 10:00-18:00 on Sundays and the property's
bank holidays, Europe/London wall-clock time. The end is exclusive: 19:59 Saturday is inside,
20:00 is not. Urgent texts (verification codes, help replies, same-day notices) never wait;
callers decide urgency and simply do not ask the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from repairs.calendar import BankHolidaySource, Division
from repairs.clock import require_utc

LONDON = ZoneInfo("Europe/London")
_SUNDAY = 6


class BankHolidaysNotCovered(Exception):
    """R4: past the end of the bank-holiday data a holiday would look like an ordinary day."""

    def __init__(self, division: Division, day: date, covered_until: date) -> None:
        self.division = division
        self.day = day
        self.covered_until = covered_until
        super().__init__(
            f"bank-holiday data for {division.value} ends on {covered_until.isoformat()}; "
            f"cannot tell whether {day.isoformat()} is a bank holiday"
        )


@dataclass(frozen=True)
class DailyHours:
    """Local wall-clock hours, start inclusive, end exclusive, within one day."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"window start {self.start} must be before its end {self.end}")


@dataclass(frozen=True)
class WindowHours:
    monday_to_saturday: DailyHours
    sundays_and_bank_holidays: DailyHours


DEFAULT_HOURS = WindowHours(
    monday_to_saturday=DailyHours(time(8, 0), time(20, 0)),
    sundays_and_bank_holidays=DailyHours(time(10, 0), time(18, 0)),
)


def local_instant(day: date, at: time) -> datetime:
    """The UTC instant of a London wall-clock time on a day."""
    # zoneinfo picks that day's offset, so 08:00 stays 08:00 across the clock changes.
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


class SendingWindow:
    """R25: the sending window for one landlord, reading the property's own bank holidays (R3)."""

    def __init__(self, hours: WindowHours, holidays: BankHolidaySource) -> None:
        self._hours = hours
        self._source = holidays
        self._holidays: dict[Division, frozenset[date]] = {}

    def hours_on(self, day: date, division: Division) -> DailyHours:
        """The local hours that apply on a London calendar day."""
        if day.weekday() == _SUNDAY or self._is_bank_holiday(day, division):
            return self._hours.sundays_and_bank_holidays
        return self._hours.monday_to_saturday

    def opens_and_closes(self, day: date, division: Division) -> tuple[datetime, datetime]:
        """The UTC instants the window opens (inclusive) and closes (exclusive) on a local day."""
        hours = self.hours_on(day, division)
        return local_instant(day, hours.start), local_instant(day, hours.end)

    def is_open(self, instant: datetime, division: Division) -> bool:
        instant = require_utc(instant)
        opens, closes = self.opens_and_closes(instant.astimezone(LONDON).date(), division)
        return opens <= instant < closes

    def next_allowed(self, instant: datetime, division: Division) -> datetime:
        """R25: `instant` itself when the window is open, else the next time it opens."""
        instant = require_utc(instant)
        day = instant.astimezone(LONDON).date()
        opens, closes = self.opens_and_closes(day, division)
        if instant < opens:
            return opens
        if instant < closes:
            return instant
        return self.opens_and_closes(day + timedelta(days=1), division)[0]

    def _is_bank_holiday(self, day: date, division: Division) -> bool:
        covered_until = self._source.covered_until(division)
        if day > covered_until:
            raise BankHolidaysNotCovered(division, day, covered_until)
        if division not in self._holidays:
            self._holidays[division] = self._source.bank_holidays(division)
        return day in self._holidays[division]
