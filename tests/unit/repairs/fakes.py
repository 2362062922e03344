"""A bank-holiday source for unit tests: real 2025-2027 dates typed in, so no package is needed."""

from __future__ import annotations

from datetime import date

from repairs.calendar import Division

_COMMON = {
    date(2025, 1, 1), date(2025, 4, 18), date(2025, 5, 5), date(2025, 5, 26),
    date(2025, 12, 25), date(2025, 12, 26),
    date(2026, 1, 1), date(2026, 4, 3), date(2026, 5, 4), date(2026, 5, 25),
    date(2026, 12, 25), date(2026, 12, 28),
    date(2027, 1, 1), date(2027, 3, 26), date(2027, 5, 3), date(2027, 5, 31),
    date(2027, 12, 27), date(2027, 12, 28),
}  # fmt: skip
_EASTER_MONDAYS = {date(2025, 4, 21), date(2026, 4, 6), date(2027, 3, 29)}
_ENGLISH_AUGUST = {date(2025, 8, 25), date(2026, 8, 31), date(2027, 8, 30)}

HOLIDAYS: dict[Division, frozenset[date]] = {
    Division.ENGLAND_AND_WALES: frozenset(_COMMON | _EASTER_MONDAYS | _ENGLISH_AUGUST),
    Division.SCOTLAND: frozenset(
        _COMMON
        | {date(2025, 1, 2), date(2026, 1, 2), date(2027, 1, 4)}  # 2 January
        | {date(2025, 8, 4), date(2026, 8, 3), date(2027, 8, 2)}  # first Monday in August
        | {date(2025, 12, 1), date(2026, 11, 30), date(2027, 11, 30)}  # St Andrew's Day
    ),
    Division.NORTHERN_IRELAND: frozenset(
        _COMMON
        | _EASTER_MONDAYS
        | _ENGLISH_AUGUST
        | {date(2025, 3, 17), date(2026, 3, 17), date(2027, 3, 17)}  # St Patrick's Day
        | {date(2025, 7, 14), date(2026, 7, 13), date(2027, 7, 12)}  # Battle of the Boyne
    ),
}


class FakeBankHolidays:
    """A stateful BankHolidaySource whose coverage end tests can move."""

    def __init__(self, covered_until: date = date(2027, 12, 31)) -> None:
        self.covered = dict.fromkeys(Division, covered_until)
        self.calls = 0

    def bank_holidays(self, division: Division) -> frozenset[date]:
        self.calls += 1
        return frozenset(d for d in HOLIDAYS[division] if d <= self.covered[division])

    def covered_until(self, division: Division) -> date:
        return self.covered[division]
