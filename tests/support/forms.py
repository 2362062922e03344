"""Submit forms through the Flask test client the way a browser does: with the CSRF token
taken from the page, never with CSRF switched off."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


def submit(
    client: FlaskClient,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    form_page: str | None = None,
    follow_redirects: bool = False,
    **kwargs: Any,
) -> TestResponse:
    page = client.get(form_page or url)
    token = csrf_token_from(page.text)
    payload = dict(data or {})
    payload["csrf_token"] = token
    return client.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)
