"""The SMS port and the life of one message (R32, R33).

`SmsSender` is implemented in `adapters/sms/` (Twilio, a fake, a log sender); nothing here knows
about HTTP or the twilio library.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True)
class OutgoingSms:
    """One text ready for the provider.

    `to` is E.164 (R26: a UK mobile, `+447...`); `idempotency_key` is our own message id so a
    retried call never sends the tenant two copies; `status_callback` is the public URL the
    provider posts delivery reports to (R31 signs it).
    """

    to: str
    body: str
    status_callback: str | None
    idempotency_key: str

    def __post_init__(self) -> None:
        if not self.to.startswith("+") or not self.to[1:].isdigit():
            raise ValueError("OutgoingSms.to must be an E.164 number such as +447700900123")
        if not self.body:
            raise ValueError("OutgoingSms.body must not be empty")
        if not self.idempotency_key:
            raise ValueError("OutgoingSms.idempotency_key must not be empty")

    def __repr__(self) -> str:
        # Logs never hold message bodies or whole numbers (DESIGN: style).
        return (
            f"OutgoingSms(to=<masked>, body=<{len(self.body)} chars>, key={self.idempotency_key!r})"
        )


@dataclass(frozen=True)
class SendResult:
    """What the provider said when it accepted the message: its id (Twilio's SID) and status."""

    provider_id: str
    status: str


class SmsError(Exception):
    """A provider error with its code (Twilio error code or HTTP status) kept for `retry`."""

    def __init__(self, code: int | None, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}" if code is not None else message)


class SmsTemporaryFailure(SmsError):
    """R33: worth trying again later (rate limited, queue full, network, provider 5xx)."""


class SmsPermanentFailure(SmsError):
    """R33: never retry; the contact is flagged (bad number, opted out, not a mobile)."""


class SmsSender(Protocol):
    def send(self, message: OutgoingSms) -> SendResult:
        """Hand one message to the provider.

        Raises SmsTemporaryFailure or SmsPermanentFailure; never returns a failed result.
        """
        ...


class MessageStatus(StrEnum):
    """R32: the provider's statuses plus our own states before a message is handed over."""

    PLANNED = "planned"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


# R32: rank along the one road a message travels; equal ranks never replace each other.
_RANK = {
    MessageStatus.PLANNED: 0,
    MessageStatus.QUEUED: 1,
    MessageStatus.SENDING: 2,
    MessageStatus.SENT: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.UNDELIVERED: 4,
    MessageStatus.FAILED: 4,
}
# Only a message still waiting on our side can be superseded or cancelled.
_WITHDRAWN = frozenset({MessageStatus.SUPERSEDED, MessageStatus.CANCELLED})

TERMINAL_STATUSES = frozenset(
    {MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.FAILED} | _WITHDRAWN
)


def moves_forward(old: MessageStatus, new: MessageStatus) -> bool:
    """R32: whether a status report may replace the stored status.

    Late or repeated callbacks (a `sent` arriving after `delivered`, `queued` twice) return
    False: record them, but keep the stored status.
    """
    if old in TERMINAL_STATUSES:
        return False
    if new in _WITHDRAWN:
        return old is MessageStatus.PLANNED
    return _RANK[new] > _RANK[old]


# Twilio reports a few more statuses than R32 names; map them onto ours.
_PROVIDER_ALIASES = {
    "accepted": MessageStatus.QUEUED,
    "read": MessageStatus.DELIVERED,
}
_PROVIDER_STATUSES = frozenset(
    {
        MessageStatus.QUEUED,
        MessageStatus.SENDING,
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERED,
        MessageStatus.FAILED,
    }
)


class UnknownStatus(ValueError):
    """A status callback named a status we do not know: record it, change nothing."""


def parse_provider_status(text: str) -> MessageStatus:
    """Read a provider's `MessageStatus` field; our own states cannot be set from outside."""
    key = text.strip().lower()
    if key in _PROVIDER_ALIASES:
        return _PROVIDER_ALIASES[key]
    try:
        status = MessageStatus(key)
    except ValueError:
        raise UnknownStatus(f"unknown message status {text!r}") from None
    if status not in _PROVIDER_STATUSES:
        raise UnknownStatus(f"{text!r} is not a status the provider reports")
    return status
