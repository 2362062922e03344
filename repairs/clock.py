"""Time comes from a Clock so that rules about dates can be tested without waiting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, always timezone-aware UTC."""
        ...


def require_utc(instant: datetime) -> datetime:
    """R11/R47: instants are stored in UTC; a naive datetime is a bug, not a guess."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(UTC)
