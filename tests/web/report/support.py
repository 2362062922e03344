"""Walking the report journey through the real forms (CSRF included)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.support.forms import csrf_token_from, submit

SIGN_IN_NAME = "tenant@example.com"
PASSWORD = "kettle orchard window"
SINK = {"location": "kitchen", "problem": "sink_and_taps", "detail": "sink_blocked"}


def sign_in(client: Any) -> Any:
    return submit(client, "/sign-in", {"sign_in_name": SIGN_IN_NAME, "password": PASSWORD})


def start(client: Any) -> Any:
    return submit(client, "/report/start", {}, form_page="/report/")


def answer(client: Any, url: str, value: str, **kwargs: Any) -> Any:
    return submit(client, url, {"answer": value}, **kwargs)


def triage(client: Any, location: str, problem: str, detail: str | None = None) -> Any:
    answer(client, "/report/emergency", "no")
    answer(client, "/report/where", location)
    response = answer(client, "/report/problem", problem)
    if detail is not None:
        response = answer(client, "/report/detail", detail)
    return response


def to_check_answers(client: Any, answers: dict[str, str] = SINK, **extra: str) -> Any:
    """Start and answer every question; returns the response to the last one (a redirect)."""
    start(client)
    triage(client, answers["location"], answers["problem"], answers.get("detail"))
    submit(
        client,
        "/report/description",
        {"description": extra.get("description", "Sink will not drain")},
    )
    submit(client, "/report/photos", {"action": "continue"})
    submit(client, "/report/access", {"access_notes": extra.get("access_notes", "Dog in garden")})
    return submit(client, "/report/contact", {"mobile": extra.get("mobile", "07700 900123")})


def send(client: Any) -> Any:
    return submit(client, "/report/submit", {}, form_page="/report/check")


def post_with_token(client: Any, url: str, data: dict[str, Any], form_page: str, **kw: Any) -> Any:
    token = csrf_token_from(client.get(form_page).text)
    return client.post(url, data={**data, "csrf_token": token}, **kw)


def image_bytes(
    kind: str = "JPEG", size: tuple[int, int] = (40, 30), exif: bytes | None = None
) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 40, 40))
    if exif is not None:
        image.save(out, kind, exif=exif)
    else:
        image.save(out, kind)
    return out.getvalue()
