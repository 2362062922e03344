"""Security codes by text (R34, R35) for creating an account, resetting a password and
changing the mobile number. The session remembers which code row a journey is waiting for;
the code itself exists only in the text and as a keyed hash in the database."""

from __future__ import annotations

import logging
from enum import StrEnum

from flask import session

from notifications.limits import CodeCheck, VerificationCode
from notifications.messaging import MessagingError, TooManyMessages
from notifications.phone_numbers import mask
from portal.accounts.context import accounts_context
from portal.formatting import govuk_time

log = logging.getLogger(__name__)
# Ofcom's drama range: never a real handset.
DECOY_NUMBER = "+447700900000"


class Purpose(StrEnum):
    CREATE = "create"
    RESET = "reset"
    MOBILE = "mobile"


class CodeNotSent(Exception):
    """`str(error)` is written for the tenant."""


def _key(purpose: Purpose) -> str:
    return f"code_{purpose.value}"


def send_code(purpose: Purpose, mobile: str, account_id: int | None = None) -> None:
    """Issue a code, store its hash, text it. Raises CodeNotSent with a message to show.

    The row is stored first, in its own transaction; the text goes after it, outside any
    transaction (never hold the database while waiting on the SMS provider).
    """
    context = accounts_context()
    now = context.clock.now()
    code, digits = VerificationCode.issue(now, context.code_key, context.code_policy)
    code_id = context.codes.add(purpose.value, mobile, code, account_id)
    try:
        context.messaging.send_verification_code(mobile, digits)
    except TooManyMessages as error:
        log.info("code for %s refused: too many texts to %s", purpose, mask(mobile))
        raise CodeNotSent(
            "You have asked for too many codes. Wait until "
            f"{govuk_time(error.retry_at)} and ask for a new one"
        ) from None
    except MessagingError as error:
        log.info("code for %s not sent to %s: %s", purpose, mask(mobile), type(error).__name__)
        raise CodeNotSent(str(error)) from None
    session[_key(purpose)] = {"id": code_id, "mobile": mobile}


def code_mobile(purpose: Purpose) -> str | None:
    """The number the journey's current code went to, if one was sent."""
    pending = session.get(_key(purpose))
    return pending.get("mobile") if isinstance(pending, dict) else None


def check_code(purpose: Purpose, entered: str) -> str | None:
    """None when the code is right (it is then spent), else the message to show (R35)."""
    pending = session.get(_key(purpose))
    if not isinstance(pending, dict) or not isinstance(pending.get("id"), int):
        return "Ask for a new code: we have not sent you one yet"
    context = accounts_context()
    result = context.codes.check(
        pending["id"], purpose.value, entered, context.clock.now(), context.code_key
    )
    if result is CodeCheck.OK:
        session.pop(_key(purpose), None)
        return None
    if result is CodeCheck.WRONG:
        return "The security code is not right. Check the text and try again"
    if result is CodeCheck.TOO_MANY_ATTEMPTS:
        return "You have entered the wrong code too many times. Ask for a new code"
    return "That security code has expired or has been used. Ask for a new code"


def forget_code(purpose: Purpose) -> None:
    session.pop(_key(purpose), None)


def issue_decoy(purpose: Purpose) -> None:
    """A code that is never texted, for a reset asked for an unknown name (or one we could
    not text): the code page then behaves exactly as for a real account, wrong codes and
    attempt limit included, so it reveals nothing about who has an account (R38)."""
    context = accounts_context()
    code, _digits = VerificationCode.issue(
        context.clock.now(), context.code_key, context.code_policy
    )
    code_id = context.codes.add(purpose.value, DECOY_NUMBER, code, None)
    session[_key(purpose)] = {"id": code_id, "mobile": DECOY_NUMBER}
