"""Periods and deadlines shared by every target rule (R1, R2, R8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from repairs.calendar import Division, WorkingDayCalendar
from repairs.clock import require_utc
from repairs.local_time import local_date, start_of_next_local_day


class PeriodUnit(StrEnum):
    CLOCK_HOURS = "clock_hours"  # R1: emergencies count round the clock
    WORKING_DAYS = "working_days"  # R2


@dataclass(frozen=True)
class Period:
    amount: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"a period must be a whole number of at least 1, got {self.amount!r}")

    @classmethod
    def hours(cls, amount: int) -> Period:
        return cls(amount, PeriodUnit.CLOCK_HOURS)

    @classmethod
    def working_days(cls, amount: int) -> Period:
        return cls(amount, PeriodUnit.WORKING_DAYS)

    def describe(self) -> str:
        noun = "hour" if self.unit is PeriodUnit.CLOCK_HOURS else "working day"
        return f"{self.amount} {noun}{'' if self.amount == 1 else 's'}"


class TargetRule(StrEnum):
    """Which rule set a deadline, so a page can say why a date was chosen (R8)."""

    EMERGENCY_HAZARD = "emergency_hazard"  # R10
    AWAABS_LAW = "awaabs_law"  # R9
    RIGHT_TO_REPAIR = "right_to_repair"  # R5, R6
    PRIORITY = "priority"  # R1

    @property
    def precedence(self) -> int:
        # On a tie the statutory rule is named: it is the one with legal consequences.
        return list(TargetRule).index(self)


@dataclass(frozen=True)
class Deadline:
    rule: TargetRule
    period: Period
    due_before: datetime  # UTC, exclusive: the work is late from this instant
    due_on: date  # the London date shown to people
    reason: str

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.due_before, self.rule.precedence)

    def is_missed(self, at: datetime) -> bool:
        return require_utc(at) >= self.due_before


def deadline_after(
    start: datetime,
    period: Period,
    calendar: WorkingDayCalendar,
    division: Division,
    *,
    rule: TargetRule,
    reason: str,
) -> Deadline:
    """The deadline `period` after the instant `start` (a report, say)."""
    start = require_utc(start)
    if period.unit is PeriodUnit.CLOCK_HOURS:
        due_before = start + timedelta(hours=period.amount)
        # The London date of the last instant still in time, so "by 10am Friday" shows Friday.
        due_on = local_date(due_before - timedelta(microseconds=1))
        return Deadline(rule, period, due_before, due_on, reason)
    return deadline_after_day(
        local_date(start), period, calendar, division, rule=rule, reason=reason
    )


def deadline_after_day(
    day: date,
    period: Period,
    calendar: WorkingDayCalendar,
    division: Division,
    *,
    rule: TargetRule,
    reason: str,
) -> Deadline:
    """A working-day deadline counted from a London date (R2: from the next working day)."""
    if period.unit is not PeriodUnit.WORKING_DAYS:
        raise ValueError("a deadline from a date needs a period in working days")
    due_on = calendar.add_working_days(day, period.amount, division)
    return Deadline(rule, period, start_of_next_local_day(due_on), due_on, reason)
