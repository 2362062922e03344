"""Bank holidays from the copy bundled with govuk-bank-holidays, never from the network (R4)."""

from __future__ import annotations

from datetime import date

from govuk_bank_holidays.bank_holidays import BankHolidays

from repairs.calendar import BankHolidaySource, Division


class GovukBankHolidays(BankHolidaySource):
    """R3/R4: per-division holidays from the package's bundled GOV.UK data.

    `use_cached_holidays=True` reads the JSON file shipped inside the package, so start-up
    never waits on (or depends on) gov.uk; a newer package release brings newer data.
    """

    def __init__(self) -> None:
        data = BankHolidays(use_cached_holidays=True)
        self._holidays = {
            division: frozenset(h["date"] for h in data.get_holidays(division=division.value))
            for division in Division
        }
        # GOV.UK publishes whole years, so the data covers to the end of its last year.
        self._covered_until = {
            division: date(max(day.year for day in days), 12, 31)
            for division, days in self._holidays.items()
        }

    def bank_holidays(self, division: Division) -> frozenset[date]:
        return self._holidays[division]

    def covered_until(self, division: Division) -> date:
        return self._covered_until[division]
