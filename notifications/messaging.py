"""The text-message service the portal calls: codes now, appointment texts planned (R24-R35).

Web pages call `Messaging`; it renders wording, plans rows through the planner and stores them
in the send queue. The worker sends them (`notifications.dispatch`). Only verification codes
are sent from the web request itself, because the tenant is waiting for them.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Callable
from datetime import datetime

from notifications.appointment_texts import AppointmentTexts
from notifications.dispatch import attempt_send
from notifications.inbound import InboundHandling, InboundResult
from notifications.messaging_setup import (
    BODY_RETENTION,
    MessagingError,
    MessagingSetup,
    NumberCannotBeTexted,
    TooManyMessages,
    uk_mobile,
)
from notifications.phone_numbers import mask
from notifications.planner import MessagePlanner
from notifications.ports import SmsSender
from notifications.retry import RetryPolicy
from notifications.store import (
    Accepted,
    Contact,
    Failed,
    LogEntry,
    MessageStore,
    NewMessage,
    Outcome,
    RecentSends,
    StatusChange,
    StatusReport,
)
from notifications.templates import URGENT_KINDS, MessageKind, MessageTemplates, MessageValues
from notifications.window import SendingWindow
from repairs.calendar import Division
from repairs.clock import Clock

__all__ = [
    "BODY_RETENTION",
    "Messaging",
    "MessagingError",
    "MessagingSetup",
    "NumberCannotBeTexted",
    "TooManyMessages",
]

log = logging.getLogger(__name__)


class Messaging(AppointmentTexts):
    """Appointment texts (booked, rescheduled, cancelled) come from `AppointmentTexts`."""

    def __init__(
        self,
        store: MessageStore,
        sender: Callable[[], SmsSender],
        setup: MessagingSetup,
        clock: Clock,
    ) -> None:
        self._store = store
        # Looked up at each send, so a test may swap `services.sms_sender` after wiring.
        self._sender = sender
        self._setup = setup
        self._clock = clock
        self.templates: MessageTemplates = setup.policy.message_templates(setup.sender)
        self.window: SendingWindow = setup.policy.sending_window(setup.holidays)
        self.planner: MessagePlanner = setup.policy.planner(setup.holidays)
        self._rng = random.Random()
        self.inbound = InboundHandling(self, store, setup, clock)

    @property
    def store(self) -> MessageStore:
        return self._store

    @property
    def setup(self) -> MessagingSetup:
        return self._setup

    # ------------------------------------------------------------ urgent, from the web

    def send_verification_code(self, to_e164: str, code: str) -> None:
        """R34/R35: text a code now. Raises TooManyMessages or NumberCannotBeTexted.

        If the provider is down the text stays queued and the worker retries it (R33); the
        tenant can ask for another code meanwhile.
        """
        now = self._clock.now()
        to = uk_mobile(to_e164)
        body = self.templates.render(MessageKind.VERIFICATION_CODE, MessageValues(code=code))
        message = NewMessage(
            to=to,
            kind=MessageKind.VERIFICATION_CODE,
            body=body,
            due_at=now,
            urgent=True,
            expires_at=now + self._setup.policy.code.lifetime,
        )
        outcome = self._send_now(message, self._admission(now), self._setup.policy.retry)
        if isinstance(outcome, Failed):
            log.warning("verification code to %s failed: %s", mask(to), outcome.error_code)
            raise NumberCannotBeTexted(
                "We cannot send texts to this number. Check it is a UK mobile number."
            )
        if not isinstance(outcome, Accepted):
            log.warning("verification code to %s queued for retry", mask(to))

    def send_test(self, to_e164: str) -> str:
        """Send the staff test text now, once (no retry); returns the provider's message id.

        Raises MessagingError with the provider's reason when it is not accepted.
        """
        now = self._clock.now()
        to = uk_mobile(to_e164)
        body = self.templates.render(MessageKind.STAFF_TEST, MessageValues())
        message = NewMessage(to, MessageKind.STAFF_TEST, body, due_at=now, urgent=True)
        once = dataclasses.replace(self._setup.policy.retry, max_attempts=1)
        outcome = self._send_now(message, lambda contact, recent: None, once)
        if isinstance(outcome, Accepted):
            return outcome.sid
        if not isinstance(outcome, Failed):
            raise MessagingError(f"not sent: {outcome}")
        code = f" (error {outcome.error_code})" if outcome.error_code is not None else ""
        raise MessagingError(f"not sent: {outcome.error_text}{code}")

    def _send_now(
        self, message: NewMessage, check: Callable[[Contact, RecentSends], None], retry: RetryPolicy
    ) -> Outcome:
        now = self._clock.now()
        period = self._setup.policy.limits.messages.period
        claimed = self._store.admit_urgent(message, now, check, period)
        callback = self._setup.status_callback
        outcome = attempt_send(
            self._sender(), claimed, status_callback=callback, retry=retry, now=now, rng=self._rng
        )
        self._store.record_outcomes(claimed.claim_token, [outcome], self._clock.now())
        return outcome

    def _admission(self, now: datetime) -> Callable[[Contact, RecentSends], None]:
        limits = self._setup.policy.limits

        def check(contact: Contact, recent: RecentSends) -> None:
            if contact.opted_out:
                raise NumberCannotBeTexted(
                    "This number has asked us to stop texting it. Text START to it to allow "
                    "texts again, or use another number."
                )
            if contact.flagged:
                raise NumberCannotBeTexted(
                    "We cannot send texts to this number. Check it is a UK mobile number."
                )
            for limit, times in ((limits.codes, recent.codes), (limits.messages, recent.messages)):
                free_at = limit.next_free_at(times, now)
                if free_at is not None:
                    raise TooManyMessages(free_at)

        return check

    # ------------------------------------------------------------ other texts, sent by the worker

    def notify(
        self,
        kind: MessageKind,
        to: str,
        values: MessageValues,
        repair_ref: str | None = None,
        *,
        dedupe_key: str | None = None,
        division: Division | None = None,
    ) -> bool:
        """Queue one text of any other kind (book_later, book_repair, no_access, completed...).

        Urgent kinds go now; others wait for the sending window (R25). A `dedupe_key` makes a
        repeated call harmless. Returns False when that key was already queued.
        """
        now = self._clock.now()
        division = division or self._setup.division
        body = self.templates.render(kind, values)
        urgent = kind in URGENT_KINDS
        due = now if urgent else self.window.next_allowed(now, division)
        message = NewMessage(
            to=uk_mobile(to),
            kind=kind,
            body=body,
            due_at=due,
            urgent=urgent,
            dedupe_key=dedupe_key,
            repair_ref=repair_ref or values.reference,
            division=division,
        )
        return self._store.plan([message], [], now) == 1

    # ------------------------------------------------------------ webhooks and staff

    def handle_status(self, sid: str, status: str, error_code: int | None) -> StatusChange:
        """R32: record a status callback; the row's state only moves forward."""
        report = StatusReport(sid, status, error_code, self._clock.now())
        return self._store.record_status(report)

    def handle_inbound(
        self, sid: str, from_number: str, to_number: str, body: str
    ) -> InboundResult:
        """R29/R30: act on a tenant's reply (see notifications.inbound)."""
        return self.inbound.handle(sid, from_number, to_number, body)

    def messages_for_repair(self, repair_ref: str) -> list[LogEntry]:
        """Staff's message log for a repair: newest first, bodies only within retention."""
        return self._store.messages_for_repair(repair_ref)

    def tenant_confirmed_at(self, repair_ref: str) -> datetime | None:
        """When the tenant replied CONFIRM to the latest booking's texts, if they did."""
        return self._store.tenant_confirmed_at(repair_ref)

    def remove_old_bodies(self) -> int:
        """R48: blank bodies past retention; the deletion count is logged."""
        now = self._clock.now()
        removed = self._store.remove_bodies(now - self._setup.body_retention, now)
        log.info(
            "removed %d text message bodies older than %s days (R48)",
            removed,
            self._setup.body_retention.days,
        )
        return removed
