"""What the text-message service is built from, and the errors it raises to the web pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications.config import MessagingPolicy
from notifications.phone_numbers import NotAUkMobile, parse_uk_mobile
from notifications.templates import Sender
from repairs.calendar import BankHolidaySource, Division

# R48: message bodies are kept [90 days]; the row (what was sent when, and its fate) stays.
BODY_RETENTION = timedelta(days=90)


class MessagingError(Exception):
    """A text the tenant asked for cannot be sent; `str(error)` is fit to show them."""


class TooManyMessages(MessagingError):
    """R34: the number has had its share of texts this hour; `retry_at` is when it frees up."""

    def __init__(self, retry_at: datetime) -> None:
        self.retry_at = retry_at
        super().__init__("We have sent too many texts to this number. Try again later.")


class NumberCannotBeTexted(MessagingError):
    """The number opted out (R29), is flagged after a permanent failure (R33) or is no UK
    mobile (R26)."""


@dataclass(frozen=True)
class MessagingSetup:
    """What `Messaging` needs beyond its collaborators; built once at start-up."""

    policy: MessagingPolicy
    sender: Sender
    holidays: BankHolidaySource
    status_callback: str | None
    # The page a tenant uses to change an appointment, under the links' base URL.
    change_path: str = "repairs"
    # Twilio answers STOP and START itself (and then refuses our texts with 21610), so our own
    # confirmations are only queued where the provider does not (templates: OPT_*).
    provider_answers_keywords: bool = True
    division: Division = Division.ENGLAND_AND_WALES
    body_retention: timedelta = BODY_RETENTION


def uk_mobile(to: str) -> str:
    """R26: only UK mobiles; the number is normally checked already when the tenant gave it."""
    try:
        return parse_uk_mobile(to)
    except NotAUkMobile as error:
        raise NumberCannotBeTexted(error.reason) from None
