"""A tenant's reply by text: what we record and what we answer (R29, R30).

Answers are queued as urgent texts, not returned as TwiML, so they are logged, rate limited
and retried like any other text. A replayed webhook (same MessageSid) does nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from notifications.phone_numbers import NotAUkMobile, mask, parse_uk_mobile
from notifications.replies import (
    Change,
    Confirm,
    Help,
    InboundReply,
    OptIn,
    OptOut,
    classify,
    should_send_unreadable_reply,
)
from notifications.store import InboundText, MessageStore
from notifications.templates import MessageKind, MessageValues
from repairs.clock import Clock

if TYPE_CHECKING:
    from notifications.messaging import Messaging
    from notifications.messaging_setup import MessagingSetup

log = logging.getLogger(__name__)

# CONFIRM applies to an appointment text sent to the number within this time.
CONFIRM_LOOKBACK = timedelta(days=30)


@dataclass(frozen=True)
class InboundResult:
    """`action` names what the reply did: opted-out, opted-in, help, confirmed, change,
    unreadable, unreadable-quiet (already answered today), replay or not-a-mobile."""

    action: str
    replied: MessageKind | None = None
    repair_ref: str | None = None


class InboundHandling:
    def __init__(
        self, messaging: Messaging, store: MessageStore, setup: MessagingSetup, clock: Clock
    ) -> None:
        self._messaging = messaging
        self._store = store
        self._setup = setup
        self._clock = clock

    def handle(self, sid: str, from_number: str, to_number: str, body: str) -> InboundResult:
        now = self._clock.now()
        try:
            number = parse_uk_mobile(from_number)
        except NotAUkMobile:
            # Not a number we text (R26): keep nothing, answer nothing.
            log.info("inbound text from a number that is not a UK mobile ignored")
            return InboundResult("not-a-mobile")
        if not self._store.record_inbound(InboundText(sid, number, to_number, body, now)):
            return InboundResult("replay")
        reply = classify(body)
        result = self._act(reply, number, now)
        log.info("inbound text from %s: %s", mask(number), result.action)
        return result

    def _act(self, reply: InboundReply, number: str, now: datetime) -> InboundResult:
        if isinstance(reply, OptOut):
            # R29: opted out numbers get no more texts; staff reach them another way.
            self._store.set_opted_out(number, True, now)
            return self._answer("opted-out", MessageKind.OPT_OUT_CONFIRMATION, number, own=False)
        if isinstance(reply, OptIn):
            self._store.set_opted_out(number, False, now)
            return self._answer("opted-in", MessageKind.OPT_IN_CONFIRMATION, number, own=False)
        if isinstance(reply, Help):
            return self._answer("help", MessageKind.HELP, number)
        if isinstance(reply, Confirm):
            repair_ref = self._store.mark_confirmed(number, now, now - CONFIRM_LOOKBACK)
            if repair_ref is not None:
                return InboundResult("confirmed", repair_ref=repair_ref)
        if isinstance(reply, Change):
            return self._answer("change", MessageKind.CHANGE, number)
        return self._unreadable(number, now)

    def _unreadable(self, number: str, now: datetime) -> InboundResult:
        """R30: "we could not read that" at most once a [day] per number."""
        contact = self._store.contact(number)
        every = self._setup.policy.unreadable_reply_every
        if not should_send_unreadable_reply(contact.last_unreadable_reply_at, now, every):
            return InboundResult("unreadable-quiet")
        self._store.note_unreadable_reply(number, now)
        return self._answer("unreadable", MessageKind.UNREADABLE, number)

    def _answer(
        self, action: str, kind: MessageKind, number: str, *, own: bool = True
    ) -> InboundResult:
        if not own and self._setup.provider_answers_keywords:
            return InboundResult(action)
        # Every reply may name the change page; a template without {link} ignores it.
        values = MessageValues(link=self._messaging.link(self._setup.change_path))
        self._messaging.notify(kind, number, values)
        return InboundResult(action, replied=kind)
