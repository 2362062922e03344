"""Helpers for the terminal tests: a terminal registered through the real one-time link."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from portal.terminal import device
from tests.support.forms import submit
from tests.web.staff.support import make_staff

TENANCY = {"tenancy_reference": "TEN-100001", "postcode": "NB1 2AB"}
DOB = {"day": "14", "month": "3", "year": "1971"}


def register_terminal(app: Any, client: Any, name: str = "Civic Centre 1") -> int:
    context = app.extensions["staff"]
    supervisor = context.staff.by_email("boss@council.example")
    if supervisor is None:
        make_staff(app, "boss@council.example", "supervisor")
        supervisor = context.staff.by_email("boss@council.example")
    token, hashed = device.new_token()
    now = context.clock.now()
    terminal = context.terminals.create(name, supervisor.id, hashed, now + timedelta(hours=1), now)
    response = submit(client, f"/terminal/register/{token}", {})
    assert response.status_code == 302, response.text[:500]
    return terminal.id


def start_visit(client: Any) -> None:
    assert client.post("/terminal/start").headers["Location"].endswith("/terminal/choose")


def pass_tenancy_check(client: Any, **changes: str) -> Any:
    from werkzeug.datastructures import MultiDict

    from tests.support.forms import csrf_token_from

    page = client.get("/terminal/tenancy-check")
    data = {**TENANCY, **changes}
    items = [*data.items(), *(("date_of_birth", DOB[k]) for k in ("day", "month", "year"))]
    items.append(("csrf_token", csrf_token_from(page.text)))
    return client.post("/terminal/tenancy-check", data=MultiDict(items))


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)
