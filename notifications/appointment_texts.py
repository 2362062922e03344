"""Appointment texts: what `Messaging` queues when a visit is booked, moved or cancelled
(R23, R24). Mixed into `Messaging`; the planner decides, this stores the rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from notifications.messaging_setup import MessagingSetup, uk_mobile
from notifications.planner import Appointment, MessagePlanner, Plan
from notifications.store import MessageStore, NewMessage
from notifications.templates import MessageKind, MessageTemplates
from repairs.calendar import Division
from repairs.clock import Clock


class AppointmentTexts:
    _store: MessageStore
    _setup: MessagingSetup
    _clock: Clock
    planner: MessagePlanner
    templates: MessageTemplates

    def link(self, path: str) -> str:
        """A link for a text, on the site's public address (checked by the templates)."""
        return self._setup.policy.links.base_url + "/" + path.lstrip("/")

    def appointment_booked(
        self,
        repair_ref: str,
        to: str,
        *,
        slot_start: datetime,
        slot_end: datetime,
        slot_text: str,
        booked_at: datetime,
        division: Division | None = None,
    ) -> int:
        """R24: a confirmation now (in the window) and a reminder the day before at [18:00].
        Returns how many texts were queued (0 when this booking was already planned)."""
        visit = self._appointment(
            repair_ref,
            slot_start=slot_start,
            slot_end=slot_end,
            slot_text=slot_text,
            booked_at=booked_at,
            division=division,
        )
        return self._store_plan(self.planner.booked(visit, self._clock.now()), to, visit)

    def appointment_rescheduled(
        self,
        repair_ref: str,
        to: str,
        *,
        slot_start: datetime,
        slot_end: datetime,
        slot_text: str,
        booked_at: datetime,
        previous_booked_at: datetime,
        division: Division | None = None,
    ) -> int:
        """R23: pending texts of the booking made at `previous_booked_at` are superseded; a
        "moved" notice and a new reminder are planned for the new slot."""
        new = self._appointment(
            repair_ref,
            slot_start=slot_start,
            slot_end=slot_end,
            slot_text=slot_text,
            booked_at=booked_at,
            division=division,
        )
        # The planner names a booking's texts by reference and booking time only.
        old = self._appointment(
            repair_ref,
            slot_start=slot_start,
            slot_end=slot_end,
            slot_text=slot_text,
            booked_at=previous_booked_at,
            division=division,
        )
        return self._store_plan(self.planner.rescheduled(old, new, self._clock.now()), to, new)

    def appointment_cancelled(
        self,
        repair_ref: str,
        to: str,
        *,
        slot_start: datetime,
        slot_end: datetime,
        slot_text: str,
        booked_at: datetime,
        division: Division | None = None,
    ) -> int:
        """R23: the booking's pending texts are superseded and a cancellation is queued."""
        visit = self._appointment(
            repair_ref,
            slot_start=slot_start,
            slot_end=slot_end,
            slot_text=slot_text,
            booked_at=booked_at,
            division=division,
        )
        return self._store_plan(self.planner.cancelled(visit, self._clock.now()), to, visit)

    def _appointment(
        self,
        reference: str,
        *,
        slot_start: datetime,
        slot_end: datetime,
        slot_text: str,
        booked_at: datetime,
        division: Division | None,
    ) -> Appointment:
        return Appointment(
            reference=reference,
            slot_start=slot_start,
            slot_end=slot_end,
            slot_text=slot_text,
            booked_at=booked_at,
            division=division or self._setup.division,
            link=self.link(self._setup.change_path),
        )

    def _store_plan(self, plan: Plan, to: str, visit: Appointment) -> int:
        number = uk_mobile(to)
        lead = self._setup.policy.reminder.minimum_lead
        appointment_key = visit.dedupe_key(MessageKind.CONFIRMATION).rsplit(":", 1)[0]
        rows = [
            NewMessage(
                to=number,
                kind=planned.kind,
                body=self.templates.render(planned.kind, planned.values),
                due_at=planned.due_at,
                urgent=planned.urgent,
                dedupe_key=planned.dedupe_key,
                repair_ref=visit.reference,
                appointment_key=appointment_key,
                division=visit.division,
                expires_at=_expiry(planned.kind, visit, lead),
            )
            for planned in plan.messages
        ]
        return self._store.plan(rows, plan.supersede, self._clock.now())


def _expiry(kind: MessageKind, visit: Appointment, lead: timedelta) -> datetime:
    """R24: a reminder under [2 h] before the visit is no use, nor a notice once it started."""
    if kind is MessageKind.REMINDER:
        return visit.slot_start - lead
    if kind is MessageKind.CANCELLED:
        return visit.slot_end
    return visit.slot_start
