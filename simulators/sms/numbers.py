"""Phone number rules the simulated carrier applies, and the magic numbers that fail.

Magic destinations (the last four digits of ``To`` decide what the handset network reports):

| ends in | final status  | error | meaning                                  |
|---------|---------------|-------|------------------------------------------|
| 0003    | undelivered   | 30003 | unreachable destination handset          |
| 0005    | undelivered   | 30005 | unknown destination handset              |
| 0006    | undelivered   | 30006 | landline or unreachable carrier          |
| 0008    | failed        | 30008 | unknown error (never left the queue)     |
| other   | delivered     | -     |                                          |

Undelivered messages pass through ``sent`` first; failed ones go straight from ``queued``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_ALPHANUMERIC_SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")


@dataclass(frozen=True)
class Outcome:
    final_status: str
    error_code: int | None = None

    @property
    def passes_through_sent(self) -> bool:
        return self.final_status != "failed"


DELIVERED = Outcome("delivered")
MAGIC_OUTCOMES = {
    "0003": Outcome("undelivered", 30003),
    "0005": Outcome("undelivered", 30005),
    "0006": Outcome("undelivered", 30006),
    "0008": Outcome("failed", 30008),
}

ERROR_MESSAGES = {
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30008: "Unknown error",
}


def is_e164(number: str) -> bool:
    if not _E164.fullmatch(number):
        return False
    if number.startswith("+447"):
        return len(number) == 13
    if number.startswith("+44"):
        return len(number) in (12, 13)
    return True


def is_mobile(number: str) -> bool:
    """UK numbers are mobiles only in the 07 range, less personal numbers and pagers.

    +4470 is a personal-number range and +4476 is pagers (bar +447624, the Isle of Man mobile
    network); other countries' numbers are taken as mobiles since we only model UK ranges.
    """
    if not number.startswith("+44"):
        return True
    if not number.startswith("+447") or number.startswith("+4470"):
        return False
    return not number.startswith("+4476") or number.startswith("+447624")


def is_valid_sender(sender: str) -> bool:
    return is_e164(sender) or bool(_ALPHANUMERIC_SENDER.fullmatch(sender))


def outcome_for(to: str) -> Outcome:
    return MAGIC_OUTCOMES.get(to[-4:], DELIVERED)


def country_of(number: str) -> str:
    if number.startswith("+44"):
        return "GB"
    if number.startswith("+1"):
        return "US"
    return ""


def masked(number: str) -> str:
    """For logs, which never hold whole phone numbers."""
    return number[:5] + "…" + number[-2:] if len(number) > 7 else "…"
