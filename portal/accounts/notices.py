"""Telling an account holder that someone else linked an account to their tenancy (R36).

A tenancy may have more than one account (joint tenants), but never without the holders
being told: if a holder cannot be texted, the new account is not created and the person is
asked to phone instead. The text is sent at once through the SmsSender port because the
person creating the account is waiting on the answer.

The wording is fixed here rather than in the landlord's `messages.templates`, which has no
kind for it yet; it is plain GSM-7 within 2 segments at its longest (R28), checked by a test.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from adapters.db.accounts import AccountRecord
from notifications.phone_numbers import mask
from notifications.ports import OutgoingSms, SmsPermanentFailure, SmsTemporaryFailure
from portal.accounts.context import accounts_context

log = logging.getLogger(__name__)

LINKED_NOTICE = (
    "{council} Council: someone has just created a repairs account for your tenancy. "
    "If this was not you or someone you live with, call us on {phone}."
)


class NoticeOutcome(StrEnum):
    SENT = "sent"
    CANNOT_TEXT = "cannot_text"  # no proved mobile, opted out or flagged: phone us instead
    TRY_LATER = "try_later"  # the SMS provider is not answering


def linked_notice(council_short_name: str, phone: str) -> str:
    return LINKED_NOTICE.format(council=council_short_name, phone=phone)


def tell_holders(holders: list[AccountRecord], attempt_key: str) -> NoticeOutcome:
    """Text every existing holder of the tenancy; stop at the first that cannot be told."""
    context = accounts_context()
    services = context.services
    body = linked_notice(services.council.short_name, services.council.phone.repairs)
    for holder in holders:
        if holder.mobile is None or holder.mobile_verified_at is None:
            return NoticeOutcome.CANNOT_TEXT
        contact = context.messaging.store.contact(holder.mobile)
        if contact.opted_out or contact.flagged:
            return NoticeOutcome.CANNOT_TEXT
        message = OutgoingSms(
            to=holder.mobile,
            body=body,
            status_callback=None,
            idempotency_key=f"account-linked-{holder.id}-{attempt_key}",
        )
        try:
            services.sms_sender.send(message)
        except SmsTemporaryFailure:
            log.warning("linked-account notice to %s must wait: provider busy", mask(holder.mobile))
            return NoticeOutcome.TRY_LATER
        except SmsPermanentFailure as error:
            log.warning("linked-account notice to %s failed: %s", mask(holder.mobile), error.code)
            return NoticeOutcome.CANNOT_TEXT
        log.info("linked-account notice sent to account %s", holder.id)
    return NoticeOutcome.SENT
