"""Helpers for driving the SMS simulator over real HTTP with the real twilio client."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from werkzeug.serving import make_server

TWILIO_API = "https://api.twilio.com"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
SENDER = "+447700900999"
HANDSET = "+447700900123"


def send(client: Any, to: str = HANDSET, body: str = "Hello", **extra: Any) -> Any:
    """Send through the real twilio client, From our test sender unless told otherwise."""
    if "messaging_service_sid" not in extra:
        extra.setdefault("from_", SENDER)
    return client.messages.create(to=to, body=body, **extra)


class SimulatorHttpClient(TwilioHttpClient):
    """The twilio library's own HTTP client, with api.twilio.com swapped for the simulator."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self.base_url = base_url.rstrip("/")
        if self.session is not None:
            # Straight to loopback, whatever proxy the environment names.
            self.session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll so shutting down takes milliseconds rather than half a second.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@dataclass(frozen=True)
class Received:
    path: str
    query: str
    headers: dict[str, str]
    form: dict[str, str]

    @property
    def signature(self) -> str:
        return self.headers.get("X-Twilio-Signature", "")


@dataclass
class Receiver:
    """A webhook endpoint that records what it is sent and answers as told."""

    statuses: list[int] = field(default_factory=list)
    answer_body: str = ""
    answer_type: str = "text/plain"
    received: list[Received] = field(default_factory=list)
    base_url: str = ""
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        headers["X-Twilio-Signature"] = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        with self._arrived:
            status = self.statuses.pop(0) if self.statuses else 200
            self.received.append(
                Received(
                    path=environ["PATH_INFO"],
                    query=environ.get("QUERY_STRING", ""),
                    headers=headers,
                    form=dict(parse_qsl(raw.decode(), keep_blank_values=True)),
                )
            )
            self._arrived.notify_all()
        start_response(f"{status} Answer", [("Content-Type", self.answer_type)])
        return [self.answer_body.encode()]

    def url(self, path: str) -> str:
        return self.base_url + path

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        """Block until ``count`` requests arrived; for background delivery, not for timing."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.received) >= count, timeout)
        assert arrived, f"expected {count} requests, got {len(self.received)}"
        return list(self.received)
