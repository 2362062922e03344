"""Fault modes: down, latency, hang, hang after commit, seeded error rate, reset."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from .conftest import HEADERS, RecordedSleep, raise_job

pytestmark = pytest.mark.integration

OFF = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "down": False,
    "hang_seconds": 0.0,
    "hang_after_commit": False,
    "seed": 7,
}


def set_faults(client: FlaskClient, **settings: object) -> dict[str, object]:
    response = client.post("/_sim/faults", json=settings, headers=HEADERS)
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[return-value]


def test_faults_start_off_with_the_configured_seed(client: FlaskClient) -> None:
    assert client.get("/_sim/faults", headers=HEADERS).json == OFF


def test_down_makes_every_api_call_a_503_but_the_back_door_still_answers(
    client: FlaskClient,
) -> None:
    set_faults(client, down=True)
    for response in (
        client.get("/api/v1/sor", headers=HEADERS),
        client.get("/api/v1/sor"),
        client.post("/api/v1/jobs", json={}, headers=HEADERS),
        client.get("/api/v1/no-such-thing", headers=HEADERS),
    ):
        assert (response.status_code, response.json["ERROR_CODE"]) == (503, "NG-5003")
        assert response.headers["Retry-After"] == "30"
    assert client.get("/_sim/faults", headers=HEADERS).json["down"] is True
    assert client.get("/operator").status_code == 200


def test_latency_sleeps_before_each_api_call(client: FlaskClient, sleeps: RecordedSleep) -> None:
    set_faults(client, latency_ms=1500)
    client.get("/api/v1/sor", headers=HEADERS)
    client.get("/_sim/faults", headers=HEADERS)
    assert sleeps.calls == [1.5]


def test_hang_sleeps_before_answering_any_api_call(
    client: FlaskClient, sleeps: RecordedSleep
) -> None:
    set_faults(client, hang_seconds=30)
    assert client.get("/api/v1/tenancies/TEN-100001", headers=HEADERS).status_code == 200
    assert sleeps.calls == [30.0]


def test_hang_after_commit_saves_the_job_before_the_answer_is_held_back(
    client: FlaskClient, sleeps: RecordedSleep, database: Path
) -> None:
    set_faults(client, hang_seconds=20, hang_after_commit=True)
    seen_during_hang: list[int] = []

    def look_from_another_connection() -> None:
        # While the caller waits, the job is already committed: another reader sees it.
        conn = sqlite3.connect(database)
        try:
            query = "SELECT COUNT(*) FROM jobs WHERE ext_ref = 'RP-LOST-ANSWER'"
            seen_during_hang.append(conn.execute(query).fetchone()[0])
        finally:
            conn.close()

    sleeps.during = look_from_another_connection
    raise_job(client, EXT_REF="RP-LOST-ANSWER")
    assert sleeps.calls == [20.0]
    assert seen_during_hang == [1]


def test_hang_after_commit_does_not_hang_other_calls(
    client: FlaskClient, sleeps: RecordedSleep
) -> None:
    set_faults(client, hang_seconds=20, hang_after_commit=True)
    client.get("/api/v1/sor", headers=HEADERS)
    client.post("/api/v1/jobs", json={"DESCRIPTION": "missing fields"}, headers=HEADERS)
    assert sleeps.calls == []


def _statuses(client: FlaskClient, calls: int) -> list[int]:
    return [client.get("/api/v1/sor/PL0101", headers=HEADERS).status_code for _ in range(calls)]


def test_an_error_rate_with_a_seed_fails_the_same_calls_on_every_run(
    client: FlaskClient,
) -> None:
    set_faults(client, error_rate=0.5, seed=42)
    first = _statuses(client, 40)
    set_faults(client, seed=42)
    second = _statuses(client, 40)
    assert first == second
    assert set(first) == {200, 500, 503}
    assert 8 <= first.count(200) <= 32


def test_an_error_rate_of_one_fails_every_call_without_doing_it(client: FlaskClient) -> None:
    set_faults(client, error_rate=1.0)
    response = client.post(
        "/api/v1/jobs",
        json={
            "TENANCY_REF": "TEN-100001",
            "PROP_REF": "00200001",
            "SOR_CODE": "PL0103",
            "PRIORITY": "U",
            "DESCRIPTION": "Never saved",
            "EXT_REF": "RP-INJECTED",
        },
        headers=HEADERS,
    )
    assert response.status_code in (500, 503)
    assert response.json["ERROR_CODE"] in ("NG-5000", "NG-5003")
    set_faults(client, error_rate=0.0)
    assert client.get("/api/v1/jobs?EXT_REF=RP-INJECTED", headers=HEADERS).json["TOTAL"] == 0


def test_reset_turns_every_fault_off(client: FlaskClient, sleeps: RecordedSleep) -> None:
    set_faults(client, down=True, latency_ms=5, error_rate=1.0, hang_seconds=1, seed=3)
    response = client.post("/_sim/reset", headers=HEADERS)
    assert response.json == OFF
    assert client.get("/api/v1/sor", headers=HEADERS).status_code == 200
    assert sleeps.calls == []


@pytest.mark.parametrize(
    "settings",
    [
        {"down": "yes"},
        {"error_rate": 1.5},
        {"error_rate": True},
        {"latency_ms": -1},
        {"latency_ms": 2.5},
        {"hang_seconds": "10"},
        {"seed": "x"},
        {"slow": 1},
    ],
)
def test_an_invalid_fault_setting_is_a_400_and_changes_nothing(
    client: FlaskClient, settings: dict[str, object]
) -> None:
    response = client.post("/_sim/faults", json=settings, headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, "NG-9001")
    assert client.get("/_sim/faults", headers=HEADERS).json == OFF


def test_the_control_api_needs_the_api_key(client: FlaskClient) -> None:
    assert client.post("/_sim/faults", json={"down": True}).status_code == 401
    assert client.post("/_sim/reset").status_code == 401
    assert client.get("/_sim/faults", headers=HEADERS).json["down"] is False
