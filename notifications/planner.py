"""Which appointment texts to send, and when (R23, R24, R25).

The planner is pure: it returns `PlannedMessage`s for the worker to store as rows and the
dedupe keys of pending rows to mark superseded. The rules it decides:

- Confirmation (or "rescheduled"/"cancelled" notice): now, moved into the sending window. A
  notice is urgent, and goes now whatever the hour, when waiting for the window would leave
  less than the minimum lead [2 h] before the visit: a same-day notice is worth a late text.
- Reminder: [the day before, at 18:00] London time. If that is outside the window that day it
  is moved to the nearest allowed time *on that same day*: after closing it becomes the
  closing time less a margin [30 min] (Sunday 18:00 becomes 17:30), before opening it becomes
  the opening time. It never moves to the day of the visit: a "the day before" reminder that
  lands on the morning of an 8am visit is no reminder at all. No reminder when that time has
  passed (the confirmation has just told them), or when it is less than the minimum lead
  before the start (R24).
- Nothing is planned for a visit that has already started; no cancellation for one that is over.
- Dedupe keys name the booking (reference and booking instant) and the kind, so planning the
  same event twice gives the same rows, and booking the same slot again later gives new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from notifications.templates import MessageKind, MessageValues
from notifications.window import LONDON, SendingWindow, local_instant
from repairs.calendar import Division
from repairs.clock import require_utc

_BOOKING_KINDS = (MessageKind.CONFIRMATION, MessageKind.RESCHEDULED, MessageKind.REMINDER)


@dataclass(frozen=True)
class ReminderPolicy:
    days_before: int
    at: time
    minimum_lead: timedelta
    window_end_margin: timedelta


@dataclass(frozen=True)
class Appointment:
    """One booking of a repair visit. Instants are UTC; `slot_text` is already in words (R47)."""

    reference: str
    slot_start: datetime
    slot_end: datetime
    slot_text: str
    booked_at: datetime
    division: Division
    link: str | None = None

    def __post_init__(self) -> None:
        for name in ("slot_start", "slot_end", "booked_at"):
            object.__setattr__(self, name, require_utc(getattr(self, name)))
        if not self.slot_start < self.slot_end:
            raise ValueError("an appointment slot must start before it ends")

    def dedupe_key(self, kind: MessageKind) -> str:
        booked = self.booked_at.strftime("%Y%m%dT%H%M%S%fZ")
        return f"appointment:{self.reference}:{booked}:{kind.value}"

    def values(self) -> MessageValues:
        return MessageValues(reference=self.reference, slot=self.slot_text, link=self.link)


@dataclass(frozen=True)
class PlannedMessage:
    kind: MessageKind
    due_at: datetime
    dedupe_key: str
    values: MessageValues
    urgent: bool = False


@dataclass(frozen=True)
class Plan:
    """Rows to add, and dedupe keys of rows to supersede if they are still only planned (R23)."""

    messages: tuple[PlannedMessage, ...] = ()
    supersede: tuple[str, ...] = ()


class MessagePlanner:
    def __init__(self, policy: ReminderPolicy, window: SendingWindow) -> None:
        self._policy = policy
        self._window = window

    def booked(self, appointment: Appointment, now: datetime) -> Plan:
        """R24: a confirmation now (in the window) and a reminder the day before."""
        return Plan(self._announce(MessageKind.CONFIRMATION, appointment, now))

    def rescheduled(self, old: Appointment, new: Appointment, now: datetime) -> Plan:
        """R23: the old slot's pending texts go; a "rescheduled" notice and a new reminder."""
        return Plan(self._announce(MessageKind.RESCHEDULED, new, now), _superseded(old))

    def cancelled(self, appointment: Appointment, now: datetime) -> Plan:
        """R23: the slot's pending texts go, and the tenant is told it is cancelled."""
        now = require_utc(now)
        if now >= appointment.slot_end:
            return Plan((), _superseded(appointment))
        notice = self._notice(MessageKind.CANCELLED, appointment, now)
        return Plan((notice,), _superseded(appointment))

    def reminder_at(self, appointment: Appointment, now: datetime) -> datetime | None:
        """R24/R25: when to send the reminder, or None when there should be none."""
        now = require_utc(now)
        day = appointment.slot_start.astimezone(LONDON).date()
        day -= timedelta(days=self._policy.days_before)
        nominal = local_instant(day, self._policy.at)
        opens, closes = self._window.opens_and_closes(day, appointment.division)
        if nominal < opens:
            due = opens
        elif nominal >= closes:
            due = max(opens, closes - self._policy.window_end_margin)
        else:
            due = nominal
        if due <= now or due > appointment.slot_start - self._policy.minimum_lead:
            return None
        return due

    def reminder_still_wanted(
        self, appointment: Appointment, now: datetime, *, still_booked: bool
    ) -> bool:
        """R24: checked again at send time: not if the visit is off or under [2 h] away."""
        lead = appointment.slot_start - require_utc(now)
        return still_booked and lead >= self._policy.minimum_lead

    def _announce(
        self, kind: MessageKind, appointment: Appointment, now: datetime
    ) -> tuple[PlannedMessage, ...]:
        now = require_utc(now)
        if now >= appointment.slot_start:
            return ()
        messages = [self._notice(kind, appointment, now)]
        reminder_due = self.reminder_at(appointment, now)
        if reminder_due is not None:
            messages.append(_message(MessageKind.REMINDER, appointment, reminder_due))
        return tuple(messages)

    def _notice(self, kind: MessageKind, appointment: Appointment, now: datetime) -> PlannedMessage:
        deferred = self._window.next_allowed(now, appointment.division)
        if deferred != now and deferred > appointment.slot_start - self._policy.minimum_lead:
            return _message(kind, appointment, now, urgent=True)
        return _message(kind, appointment, deferred)


def _message(
    kind: MessageKind, appointment: Appointment, due_at: datetime, *, urgent: bool = False
) -> PlannedMessage:
    return PlannedMessage(kind, due_at, appointment.dedupe_key(kind), appointment.values(), urgent)


def _superseded(appointment: Appointment) -> tuple[str, ...]:
    return tuple(appointment.dedupe_key(kind) for kind in _BOOKING_KINDS)
