"""Appointment slots: named local-time windows whose instants survive clock changes (R21, R47)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from types import MappingProxyType

from repairs.clock import require_utc
from repairs.local_time import LONDON, local_instant

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class SlotKind(StrEnum):
    AM = "am"
    PM = "pm"
    ALL_DAY = "all_day"


@dataclass(frozen=True)
class SlotWindow:
    """R21: one slot's name and Europe/London wall-clock times, from configuration."""

    name: str
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("slot times are London wall-clock times and carry no zone")
        if self.end <= self.start:
            raise ValueError(f"slot {self.name!r} must end after it starts ({self.start})")


class SlotTimes:
    """Every SlotKind's window; built once from configuration (see RepairsPolicy)."""

    def __init__(self, windows: Mapping[SlotKind, SlotWindow]) -> None:
        missing = [kind.value for kind in SlotKind if kind not in windows]
        if missing:
            raise ValueError(f"slot times missing for: {', '.join(missing)}")
        self._windows = MappingProxyType(dict(windows))

    @classmethod
    def default(cls) -> SlotTimes:
        """R21 defaults: AM 08:00-12:00, PM 12:00-16:00, all day 08:00-16:00."""
        return cls(
            {
                SlotKind.AM: SlotWindow("Morning", time(8), time(12)),
                SlotKind.PM: SlotWindow("Afternoon", time(12), time(16)),
                SlotKind.ALL_DAY: SlotWindow("All day", time(8), time(16)),
            }
        )

    def __getitem__(self, kind: SlotKind) -> SlotWindow:
        return self._windows[kind]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlotTimes) and dict(self._windows) == dict(other._windows)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._windows.items())))


@dataclass(frozen=True, order=True)
class Slot:
    day: date
    kind: SlotKind

    def starts_at(self, times: SlotTimes) -> datetime:
        """UTC instant: 8am on 30 March is 07:00 UTC, 8am on 28 March 08:00 UTC (R21)."""
        return local_instant(self.day, times[self.kind].start)

    def ends_at(self, times: SlotTimes) -> datetime:
        return local_instant(self.day, times[self.kind].end)


def format_time(at: time) -> str:
    """GOV.UK style: 8am, 8:30am, 12pm, 12am; no leading zeros, no ':00'."""
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    minutes = f":{at.minute:02d}" if at.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_date(day: date, *, with_year: bool = True) -> str:
    """R47: "Friday 5 December 2025"."""
    text = f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def format_slot(slot: Slot, times: SlotTimes, *, today: date | None = None) -> str:
    """R47: "Tuesday 9 December, 8am to 12pm".

    The year is left out only when the slot is in `today`'s year; without `today` the year is
    always shown, which is never ambiguous.
    """
    window = times[slot.kind]
    with_year = today is None or slot.day.year != today.year
    day_text = format_date(slot.day, with_year=with_year)
    return f"{day_text}, {format_time(window.start)} to {format_time(window.end)}"


def format_date_time(instant: datetime) -> str:
    """R47: a stored UTC instant shown in London time, "Friday 5 December 2025, 8:30am"."""
    local = require_utc(instant).astimezone(LONDON)
    return f"{format_date(local.date())}, {format_time(local.time())}"
