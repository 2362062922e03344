"""Limits both housing backends keep alike, so the fake refuses what the real adapter refuses."""

from __future__ import annotations

from datetime import date, timedelta

WINDOW_DAYS = 14  # R20: the longest availability window the backend accepts
MAX_WINDOWS = 8  # 16 weeks: no journey offers more, so a longer ask is a bug on our side
MAX_CHANGES = 500  # the wire's largest LIMIT


def windows(first_day: date, last_day: date) -> list[tuple[date, date]]:
    """R20: [first_day, last_day] as consecutive windows of at most 14 days, in order."""
    if last_day < first_day:
        raise ValueError(f"last_day {last_day} is before first_day {first_day}")
    parts = []
    start = first_day
    while start <= last_day:
        end = min(start + timedelta(days=WINDOW_DAYS - 1), last_day)
        parts.append((start, end))
        start = end + timedelta(days=1)
    if len(parts) > MAX_WINDOWS:
        raise ValueError(f"availability asked for {len(parts)} windows; at most {MAX_WINDOWS}")
    return parts


def check_changes_limit(cursor: int, limit: int) -> None:
    if cursor < 0 or not 1 <= limit <= MAX_CHANGES:
        raise ValueError(f"cursor must be 0 or more and limit 1 to {MAX_CHANGES}")
