"""Working days: weekends, the property's own bank holidays and landlord closure days (R2-R4)."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class Division(StrEnum):
    """R3: each property belongs to exactly one bank-holiday division."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


class BankHolidaySource(Protocol):
    def bank_holidays(self, division: Division) -> frozenset[date]: ...

    def covered_until(self, division: Division) -> date:
        """The last date the data covers: a day after it may be a holiday we do not know of."""
        ...


class CoverageTooShort(Exception):
    """R4: bank-holiday data that ends too soon would silently count holidays as working days."""

    def __init__(self, division: Division, covered_until: date, needed_until: date) -> None:
        self.division = division
        self.covered_until = covered_until
        self.needed_until = needed_until
        super().__init__(
            f"bank-holiday data for {division.value} ends on {covered_until.isoformat()} "
            f"but must cover at least until {needed_until.isoformat()}; "
            "update the bundled bank-holiday data"
        )


def add_months(day: date, months: int) -> date:
    """Same day of the month, clamped to the month's end (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def check_coverage(source: BankHolidaySource, today: date, months: int = 12) -> None:
    """R4: fail loudly at start-up unless every division is covered for the next `months`."""
    needed_until = add_months(today, months)
    for division in Division:
        covered_until = source.covered_until(division)
        if covered_until < needed_until:
            raise CoverageTooShort(division, covered_until, needed_until)


class WorkingDayCalendar:
    """Counts working days for one landlord; the division always comes from the property (R3)."""

    def __init__(
        self, source: BankHolidaySource, closure_days: frozenset[date] = frozenset()
    ) -> None:
        self._source = source
        self._closure_days = frozenset(closure_days)
        self._holidays: dict[Division, frozenset[date]] = {}
        self._covered_until: dict[Division, date] = {}

    @property
    def closure_days(self) -> frozenset[date]:
        return self._closure_days

    def covered_until(self, division: Division) -> date:
        if division not in self._covered_until:
            self._covered_until[division] = self._source.covered_until(division)
        return self._covered_until[division]

    def is_bank_holiday(self, day: date, division: Division) -> bool:
        # R3: never "holidays common to all divisions": 2 January is a holiday in Scotland only.
        self._require_covered(day, division)
        if division not in self._holidays:
            self._holidays[division] = self._source.bank_holidays(division)
        return day in self._holidays[division]

    def is_working_day(self, day: date, division: Division) -> bool:
        """R2: not a Saturday or Sunday, not a bank holiday there, not a landlord closure day."""
        self._require_covered(day, division)
        if day.weekday() >= _SATURDAY or day in self._closure_days:
            return False
        return not self.is_bank_holiday(day, division)

    def next_working_day(self, day: date, division: Division) -> date:
        """The first working day strictly after `day`."""
        candidate = day + _ONE_DAY
        while not self.is_working_day(candidate, division):
            candidate += _ONE_DAY
        return candidate

    def previous_working_day(self, day: date, division: Division) -> date:
        """The last working day strictly before `day`."""
        candidate = day - _ONE_DAY
        while not self.is_working_day(candidate, division):
            candidate -= _ONE_DAY
        return candidate

    def add_working_days(self, reported_on: date, days: int, division: Division) -> date:
        """R2: counting starts on the next working day after the report.

        Reported Monday + 1 working day is Tuesday; reported Saturday + 1 is Monday (unless
        Monday is a holiday there). Adding 0 days returns `reported_on` unchanged.
        """
        if days < 0:
            raise ValueError(f"working days to add must not be negative, got {days}")
        day = reported_on
        for _ in range(days):
            day = self.next_working_day(day, division)
        return day

    def working_days_between(self, start: date, end: date, division: Division) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier.

        The inverse of add_working_days: working_days_between(d, add_working_days(d, n)) == n.
        """
        if end < start:
            return -self.working_days_between(end, start, division)
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self.is_working_day(day, division):
                count += 1
            day += _ONE_DAY
        return count

    def _require_covered(self, day: date, division: Division) -> None:
        # R4: past the data's end a holiday would silently count as a working day; refuse instead.
        covered_until = self.covered_until(division)
        if day > covered_until:
            raise CoverageTooShort(division, covered_until, day)
