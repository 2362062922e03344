"""Signed form posts to other people's webhooks, the way Twilio makes them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

USER_AGENT = "TwilioProxy/1.1"
# Environment proxies are ignored on purpose: webhooks go straight to the configured URL.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: base64(HMAC-SHA1(token, url + each sorted name and its value))."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class PostResult:
    status: int | None
    body: str = ""
    content_type: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def is_http_url(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def post_signed(
    url: str,
    params: dict[str, str],
    auth_token: str,
    idempotency_token: str,
    timeout: float = 5.0,
) -> PostResult:
    if not is_http_url(url):
        return PostResult(None, error="not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=urllib.parse.urlencode(params).encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Twilio-Signature": signature(auth_token, url, params),
            "I-Twilio-Idempotency-Token": idempotency_token,
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _result(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as failure:
        return _result(failure.code, failure.read(), failure.headers)
    except (OSError, ValueError) as failure:
        return PostResult(None, error=type(failure).__name__ + ": " + str(failure))


def _result(status: int, raw: bytes, headers: object) -> PostResult:
    content_type = getattr(headers, "get", lambda *_: "")("Content-Type", "") or ""
    return PostResult(status, raw[:65536].decode("utf-8", "replace"), content_type)
