"""Right to Repair for secure council tenants in England (SI 1994/133; R5-R7)."""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from repairs.calendar import Division
from repairs.ports import Tenure

_LEAP_YEAR = 2024


@dataclass(frozen=True, order=True)
class MonthDay:
    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1 to 12")
        if not 1 <= self.day <= _stdlib_calendar.monthrange(_LEAP_YEAR, self.month)[1]:
            raise ValueError(f"{self.month:02d}-{self.day:02d} is not a day of the year")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """'11-01' is 1 November."""
        month, sep, day = text.partition("-")
        if not sep or not (month.isdigit() and day.isdigit()) or len(month) != 2 or len(day) != 2:
            raise ValueError(f"{text!r} is not a month and day written MM-DD")
        return cls(int(month), int(day))

    @classmethod
    def of(cls, day: date) -> MonthDay:
        return cls(day.month, day.day)


@dataclass(frozen=True)
class Season:
    """A range of the year, inclusive at both ends; it may run over the new year (Nov to Apr)."""

    first: MonthDay
    last: MonthDay
    working_days: int

    def contains(self, day: date) -> bool:
        today = MonthDay.of(day)
        if self.first <= self.last:
            return self.first <= today <= self.last
        return today >= self.first or today <= self.last


ALL_YEAR = (MonthDay(1, 1), MonthDay(12, 31))


@dataclass(frozen=True)
class RightToRepairDefect:
    code: str
    description: str
    seasons: tuple[Season, ...]

    def __post_init__(self) -> None:
        if not self.seasons:
            raise ValueError("a defect needs a period in working days")
        _check_seasons_cover_the_year(self.seasons)

    @classmethod
    def all_year(cls, code: str, description: str, working_days: int) -> RightToRepairDefect:
        return cls(code, description, (Season(*ALL_YEAR, working_days),))

    def working_days_on(self, reported_on: date) -> int:
        """R6: heating is 1 working day in winter and 3 in summer, judged on the report date."""
        return next(s.working_days for s in self.seasons if s.contains(reported_on))


def _check_seasons_cover_the_year(seasons: tuple[Season, ...]) -> None:
    day = date(_LEAP_YEAR, 1, 1)
    while day.year == _LEAP_YEAR:
        matches = sum(season.contains(day) for season in seasons)
        if matches != 1:
            problem = "is in no season" if matches == 0 else "is in more than one season"
            raise ValueError(f"{day.day} {_stdlib_calendar.month_name[day.month]} {problem}")
        day = date.fromordinal(day.toordinal() + 1)


@dataclass(frozen=True)
class Compensation:
    """R7: £10 plus £2 a day, capped at £50, once the second contractor's period is missed."""

    base_pence: int = 1000
    per_day_pence: int = 200
    cap_pence: int = 5000

    def due(self, second_period_due_on: date, completed_on: date) -> int:
        days_late = (completed_on - second_period_due_on).days
        if days_late <= 0:
            return 0
        return min(self.base_pence + self.per_day_pence * days_late, self.cap_pence)


class UnknownDefect(ValueError):
    pass


@dataclass(frozen=True)
class RightToRepairPolicy:
    # False for a landlord outside England: SI 1994/133 does not reach it.
    applies: bool
    defects: Mapping[str, RightToRepairDefect]
    cost_limit_pence: int = 25_000  # R5: repairs estimated at up to £250
    compensation: Compensation = field(default_factory=Compensation)

    def __post_init__(self) -> None:
        object.__setattr__(self, "defects", MappingProxyType(dict(self.defects)))

    def defect(self, code: str) -> RightToRepairDefect:
        try:
            return self.defects[code]
        except KeyError:
            raise UnknownDefect(f"Right to Repair defect {code!r} is not configured") from None

    def qualifies(
        self, tenure: Tenure, division: Division, estimated_cost_pence: int | None
    ) -> bool:
        """R5: secure council tenants in England only, and only small repairs."""
        if not self.applies or tenure is not Tenure.SECURE:
            return False
        if division is not Division.ENGLAND_AND_WALES:
            return False
        return estimated_cost_pence is None or estimated_cost_pence <= self.cost_limit_pence
