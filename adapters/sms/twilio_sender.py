"""Texts through the official `twilio` library, against Twilio or the SMS simulator (R33).

The library builds every URL on `https://api.twilio.com`; `BaseUrlHttpClient` swaps that
prefix for the configured base (the simulator's address in the demo and tests) and keeps one
pooled `requests` session with timeouts. Nothing else about the client is changed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from notifications.phone_numbers import mask
from notifications.ports import (
    OutgoingSms,
    SendResult,
    SmsPermanentFailure,
    SmsTemporaryFailure,
)
from notifications.retry import ErrorAction, classify_error

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
# Connect quickly or not at all; a send that takes longer than this is retried (R33).
TIMEOUT_SECONDS = 10.0
POOL_SIZE = 32


class BaseUrlHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Sends the library's requests to `base_url` instead of api.twilio.com."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        super().__init__(pool_connections=True, timeout=timeout)
        self._base_url = base_url.rstrip("/")
        session: requests.Session = getattr(self, "session", None) or requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_SIZE, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self.session = session

    def request(  # noqa: PLR0917 (the library's own signature)
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if url.startswith(TWILIO_API):
            url = self._base_url + url[len(TWILIO_API) :]
        return super().request(method, url, params, data, headers, auth, timeout, allow_redirects)


class TwilioSmsSender:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        api_base_url: str = TWILIO_API,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._from = from_number
        self._client = Client(
            account_sid, auth_token, http_client=BaseUrlHttpClient(api_base_url, timeout)
        )

    def send(self, message: OutgoingSms) -> SendResult:
        kwargs: dict[str, Any] = {"to": message.to, "from_": self._from, "body": message.body}
        if message.status_callback:
            kwargs["status_callback"] = message.status_callback
        try:
            created = self._client.messages.create(**kwargs)
        except TwilioRestException as error:
            raise _failure(error) from None
        except requests.RequestException as error:
            # No answer at all (timeout, refused): Twilio may be down; retry later (R33).
            raise SmsTemporaryFailure(
                None, f"no answer from Twilio: {type(error).__name__}"
            ) from None
        log.info("text %s to %s accepted", message.idempotency_key, mask(message.to))
        return SendResult(str(created.sid), str(created.status))

    def find_accepted(self, to: str, body: str, since: datetime) -> list[SendResult]:
        """Texts to `to` with this body created at or after `since`, newest first.

        Used only for rows a dead worker may have sent (notifications.dispatch); any error
        here is a temporary failure, so the row waits rather than risk a second copy.
        """
        try:
            found = self._client.messages.list(to=to, limit=50, page_size=50)
        except TwilioRestException as error:
            raise _failure(error) from None
        except requests.RequestException as error:
            raise SmsTemporaryFailure(
                None, f"no answer from Twilio: {type(error).__name__}"
            ) from None
        return [
            SendResult(str(m.sid), str(m.status))
            for m in found
            if m.body == body
            and m.direction != "inbound"
            and (m.date_created is None or m.date_created >= since)
        ]


def _failure(error: TwilioRestException) -> SmsTemporaryFailure | SmsPermanentFailure:
    """R33: 429/20429, 30001, 30003, 30008 and 5xx retry; 21211, 21610, 21614, 30005, 30006 and
    anything else (our own mistakes, such as bad credentials) are not retried."""
    code = error.code if isinstance(error.code, int) else None
    text = (error.msg or f"HTTP {error.status}")[:200]
    if classify_error(code, error.status) is ErrorAction.RETRY:
        return SmsTemporaryFailure(code or error.status, text)
    if code is None:
        log.error("Twilio refused a text with HTTP %s: %s", error.status, text)
    return SmsPermanentFailure(code or error.status, text)
