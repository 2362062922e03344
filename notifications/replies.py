"""What a tenant's reply means (R29, R30).

Matching follows Twilio's own keyword rule, because Twilio blocks or unblocks the number on
these words before we see them and our records must agree: the keyword must be the whole
message, ignoring surrounding white space and letter case. "stop please" or "Stop." is not an
opt-out to Twilio, so it is not one here either: it is unreadable, and the tenant is told which
words work. R30: our own commands are CONFIRM and CHANGE, never an opt-out word, so a tenant
who means "cancel my appointment" cannot accidentally stop all texts through our wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from repairs.clock import require_utc

OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP"})
CONFIRM_WORDS = frozenset({"CONFIRM"})
CHANGE_WORDS = frozenset({"CHANGE"})


@dataclass(frozen=True)
class OptOut:
    """R29: stop texting this number; essential notices reach the tenant another way."""

    word: str


@dataclass(frozen=True)
class OptIn:
    word: str


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Confirm:
    """The tenant confirms someone will be in for the next appointment."""


@dataclass(frozen=True)
class Change:
    """The tenant wants to change the next appointment: reply with the link."""


@dataclass(frozen=True)
class Unreadable:
    pass


InboundReply = OptOut | OptIn | Help | Confirm | Change | Unreadable


def classify(body: str) -> InboundReply:
    """R29/R30: the meaning of an inbound text body."""
    # split/join folds every kind of white space, including the non-breaking spaces some
    # phones add, the way Twilio's trim does.
    word = " ".join(body.split()).upper()
    if word in OPT_OUT_WORDS:
        return OptOut(word)
    if word in OPT_IN_WORDS:
        return OptIn(word)
    if word in HELP_WORDS:
        return Help()
    if word in CONFIRM_WORDS:
        return Confirm()
    if word in CHANGE_WORDS:
        return Change()
    return Unreadable()


def should_send_unreadable_reply(
    last_sent_at: datetime | None, now: datetime, every: timedelta = timedelta(hours=24)
) -> bool:
    """The "could not read that" reply goes at most once a [day] per number.

    A rolling period, not a calendar day, so two replies are never minutes apart around
    midnight. `last_sent_at` is when this number last got that reply, or None if never.
    """
    if last_sent_at is None:
        return True
    return require_utc(now) - require_utc(last_sent_at) >= every
