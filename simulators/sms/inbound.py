"""A handset texting back: store the reply, apply opt-out keywords, post it to the inbound URL.

Keywords behave as Twilio's default opt-out handling: the whole message (case and surrounding
spaces ignored) must be the word. STOP words block later sends with 21610 until START, and
Twilio itself answers STOP, START and HELP; the webhook still receives the message. A TwiML
``<Message>`` in the webhook's answer is sent back to the handset, unless it has opted out.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from simulators.sms.numbers import country_of, is_e164, masked
from simulators.sms.segments import count_segments
from simulators.sms.store import Message, utc_now
from simulators.sms.webhooks import PostResult, post_signed

log = logging.getLogger("simulators.sms.inbound")

# R29: the opt-out and opt-in words Twilio honours on its own.
OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})

OPT_OUT_REPLY = (
    "You have successfully been unsubscribed. You will not receive any more messages "
    "from this number. Reply START to resubscribe."
)
OPT_IN_REPLY = (
    "You have successfully been re-subscribed to messages from this number. "
    "Reply HELP for help. Reply STOP to unsubscribe."
)
HELP_REPLY = "Reply STOP to unsubscribe. Msg&Data Rates May Apply."


@dataclass(frozen=True)
class ReplyResult:
    sid: str
    to: str
    webhook_status: int | None
    webhook_error: str | None
    keyword: str | None


def keyword_of(body: str) -> str | None:
    word = body.strip().upper()
    if word in OPT_OUT_WORDS:
        return "STOP"
    if word in OPT_IN_WORDS:
        return "START"
    if word in HELP_WORDS:
        return "HELP"
    return None


def receive_reply(sim: Any, handset: str, body: str, to: str | None = None) -> ReplyResult:
    """Everything a text from ``handset`` sets off, as one call; the webhook answer included."""
    to = to or _number_replied_to(sim, handset)
    message = _message(handset, to, body, "inbound", "received")
    keyword = keyword_of(body)
    with sim.store.transaction():
        sim.store.insert_message(message)
        _apply_keyword(sim, keyword, handset, to)
    result = post_signed(sim.inbound_url, inbound_params(sim, message), sim.auth_token, message.sid)
    if result.status is None:
        log.warning("inbound webhook unreachable for a reply from %s", masked(handset))
    for text in twiml_messages(result):
        send_twiml_reply(sim, handset, to, text)
    return ReplyResult(message.sid, to, result.status, result.error, keyword)


def _number_replied_to(sim: Any, handset: str) -> str:
    """The number that last texted this handset; alphanumeric senders cannot take replies."""
    sender: str | None = sim.store.latest_sender_to(handset)
    return sender if sender and is_e164(sender) else str(sim.service_number)


def _apply_keyword(sim: Any, keyword: str | None, handset: str, to: str) -> None:
    if keyword == "STOP":
        sim.store.insert_message(_message(to, handset, OPT_OUT_REPLY, "outbound-reply", "queued"))
        sim.store.set_opted_out(handset, True)
    elif keyword == "START":
        sim.store.set_opted_out(handset, False)
        sim.store.insert_message(_message(to, handset, OPT_IN_REPLY, "outbound-reply", "queued"))
    elif keyword == "HELP":
        sim.store.insert_message(_message(to, handset, HELP_REPLY, "outbound-reply", "queued"))


def send_twiml_reply(sim: Any, handset: str, sender: str, text: str) -> None:
    if sim.store.is_opted_out(handset):
        log.info("dropping a TwiML reply to opted-out %s", masked(handset))
        return
    sim.store.insert_message(_message(sender, handset, text, "outbound-reply", "queued"))


def _message(sender: str, to: str, body: str, direction: str, status: str) -> Message:
    now = utc_now().isoformat()
    return Message(
        sid="SM" + secrets.token_hex(16),
        direction=direction,
        to_number=to,
        from_number=sender,
        messaging_service_sid=None,
        body=body,
        num_segments=count_segments(body),
        status=status,
        error_code=None,
        status_callback=None,
        created_at=now,
        sent_at=None,
        updated_at=now,
        # Inbound texts are final on arrival; replies wait for the carrier like any send.
        advanced=1 if direction == "inbound" else 0,
    )


def inbound_params(sim: Any, message: Message) -> dict[str, str]:
    """The form Twilio posts for an incoming SMS; city, state and zip are empty for the UK."""
    return {
        "AccountSid": sim.account_sid,
        "ApiVersion": "2010-04-01",
        "Body": message.body,
        "From": message.from_number,
        "FromCity": "",
        "FromCountry": country_of(message.from_number),
        "FromState": "",
        "FromZip": "",
        "MessageSid": message.sid,
        "NumMedia": "0",
        "NumSegments": str(message.num_segments),
        "SmsMessageSid": message.sid,
        "SmsSid": message.sid,
        "SmsStatus": "received",
        "To": message.to_number,
        "ToCity": "",
        "ToCountry": country_of(message.to_number),
        "ToState": "",
        "ToZip": "",
    }


def twiml_messages(result: PostResult) -> list[str]:
    """Texts in ``<Response><Message>`` of a webhook's answer; anything else sends nothing."""
    if not result.ok or "xml" not in result.content_type or not result.body.strip():
        return []
    try:
        # The answer comes from the webhook the simulator's operator configured.
        root = ElementTree.fromstring(result.body)  # noqa: S314
    except ElementTree.ParseError:
        log.warning("inbound webhook answered with XML that does not parse")
        return []
    if root.tag != "Response":
        return []
    texts = []
    for element in root.iter("Message"):
        body_element = element.find("Body")
        text = (body_element.text if body_element is not None else element.text) or ""
        if text.strip():
            texts.append(text.strip())
    return texts
