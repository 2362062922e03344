"""The SMS simulator served on 127.0.0.1 for tests: its app, address and control calls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from simulators.sms import create_app
from tests.support.live_server import serving

ACCOUNT_SID = "AC" + "5e1a" * 8
AUTH_TOKEN = "7e57" * 8
FROM_NUMBER = "+447700900000"


@dataclass
class SmsSimulator:
    app: Any
    base_url: str
    control: httpx.Client
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN

    def flush(self) -> dict[str, Any]:
        """Deliver every pending status callback now."""
        return self._post("/_sim/callbacks/flush")

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        return self._post("/_sim/faults", settings)

    def reply(self, number: str, body: str) -> dict[str, Any]:
        """A handset texts back; the simulator posts it, signed, to its inbound URL."""
        return self._post(f"/_sim/phones/{number}/reply", {"body": body})

    def stats(self) -> dict[str, Any]:
        response = self.control.get("/_sim/stats")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def outbound_bodies(self, to: str) -> list[str]:
        """Every text the API accepted for `to` (not the simulator's own keyword replies)."""
        rows = (
            self.app.extensions["sms_sim"]
            .store.connection()
            .execute(
                "SELECT body FROM messages WHERE to_number = ? AND direction = 'outbound-api'"
                " ORDER BY seq",
                (to,),
            )
        )
        return [row[0] for row in rows.fetchall()]

    def _post(self, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.control.post(path, json=payload if payload is not None else None)
        assert response.status_code == 200, response.text
        return dict(response.json())


@contextmanager
def served_simulator(
    tmp_path: Path, inbound_url: str = "http://127.0.0.1:9/"
) -> Iterator[SmsSimulator]:
    app = create_app(
        {
            "SMS_SIM_DATABASE": str(tmp_path / "sms-sim.sqlite"),
            "SMS_SIM_ACCOUNT_SID": ACCOUNT_SID,
            "SMS_SIM_AUTH_TOKEN": AUTH_TOKEN,
            "SMS_SIM_INBOUND_URL": inbound_url,
            "SMS_SIM_BACKGROUND_DELIVERY": False,
            "SMS_SIM_FAULT_SEED": 11,
            "SMS_SIM_SERVICE_NUMBER": FROM_NUMBER,
        }
    )
    with serving(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as control:
        yield SmsSimulator(app, base_url, control)
