"""Europe/London is where tenants live; UTC is how instants are stored (R11, R21, R47)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from repairs.clock import require_utc

LONDON = ZoneInfo("Europe/London")


def local_date(instant: datetime) -> date:
    """The date a tenant would name: 23:30 UTC on a summer evening is already tomorrow."""
    return require_utc(instant).astimezone(LONDON).date()


def local_instant(day: date, at: time) -> datetime:
    """The UTC instant of a London wall-clock time on a day, whatever the offset that day."""
    # zoneinfo picks the offset for that date, so 08:00 stays 08:00 across the clock changes.
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def start_of_next_local_day(day: date) -> datetime:
    """The first instant after a London day ends: 'due by the end of Friday' as a UTC bound."""
    return local_instant(day + timedelta(days=1), time(0, 0))
