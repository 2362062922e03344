"""A sender for councils without Twilio: writes a line per text to the log and sends nothing.

The line holds the masked number and the kind of text only (DESIGN: logs never hold message
bodies or whole phone numbers). Staff see the texts as sent in the message log.
"""

from __future__ import annotations

import logging
import secrets

from notifications.phone_numbers import mask
from notifications.ports import OutgoingSms, SendResult

log = logging.getLogger("adapters.sms.log")


class LogSmsSender:
    def __init__(self, logger: logging.Logger = log) -> None:
        self._log = logger

    def send(self, message: OutgoingSms) -> SendResult:
        sid = "LG" + secrets.token_hex(16)
        self._log.info(
            "text not sent (log only): %s to %s, %d characters, %s",
            message.idempotency_key,
            mask(message.to),
            len(message.body),
            sid,
        )
        return SendResult(sid, "sent")
