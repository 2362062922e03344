"""The simulator served for real on 127.0.0.1 by a threaded server, talked to over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from adapters.clock import FakeClock
from simulators.northgate import create_app

from .conftest import HEADERS, RecordedSleep, make_config

pytestmark = pytest.mark.integration

NEW_JOB = {
    "TENANCY_REF": "TEN-100001",
    "PROP_REF": "00200001",
    "SOR_CODE": "EL0206",
    "PRIORITY": "R",
    "DESCRIPTION": "Socket in the living room is dead",
}


@pytest.fixture
def base_url(database: Path, clock: FakeClock) -> Iterator[str]:
    config = make_config(database, clock, RecordedSleep())
    del config["NORTHGATE_SIM_SLEEP"]  # real sleeps here: the client's timeout must fire
    server = make_server("127.0.0.1", 0, create_app(config), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers=HEADERS, timeout=10) as client:
        yield client


def create(http: httpx.Client, **changes: str) -> dict[str, Any]:
    response = http.post("/api/v1/jobs", json=NEW_JOB | changes)
    assert response.status_code == 201, response.text
    job: dict[str, Any] = response.json()
    return job


def test_the_served_app_verifies_a_tenant_and_refuses_a_missing_key(
    http: httpx.Client, base_url: str
) -> None:
    body = {"TENANCY_REF": "TEN-100001", "POSTCODE": "NB1 2AB", "DOB": "14/03/1971"}
    assert http.post("/api/v1/tenancies/verify", json=body).json()["MATCH"] == "Y"
    refused = httpx.get(f"{base_url}/api/v1/sor", timeout=5)
    assert (refused.status_code, refused.json()["ERROR_CODE"]) == (401, "NG-0401")


def test_concurrent_bookings_never_oversell_a_slot(http: httpx.Client) -> None:
    jobs = [create(http, EXT_REF=f"RP-RACE-{n}")["JOB_NO"] for n in range(8)]
    slots = http.get(
        f"/api/v1/jobs/{jobs[0]}/availability", params={"FROM": "02/03/2026", "TO": "13/03/2026"}
    ).json()["SLOTS"]
    target = max(slots, key=lambda slot: slot["REMAINING"])
    assert target["REMAINING"] >= 2
    body = {"APPT_DATE": target["APPT_DATE"], "APPT_SLOT": target["APPT_SLOT"]}

    def book(number: str) -> tuple[int, str]:
        response = http.post(f"/api/v1/jobs/{number}/appointment", json=body)
        return response.status_code, response.json()["RESULT"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(book, jobs))
    assert {status for status, _ in answers} == {200}
    assert [result for _, result in answers].count("OK") == target["REMAINING"]


def test_concurrent_creates_all_land_with_strictly_increasing_feed_numbers(
    http: httpx.Client,
) -> None:
    start = http.get("/api/v1/jobs/changes", params={"SINCE_SEQ": 1400, "LIMIT": 500}).json()
    assert start["MORE"] == "N"
    with ThreadPoolExecutor(max_workers=10) as pool:
        jobs = list(pool.map(lambda n: create(http, EXT_REF=f"RP-MANY-{n}"), range(20)))
    changes = http.get(
        "/api/v1/jobs/changes", params={"SINCE_SEQ": start["LAST_SEQ"], "LIMIT": 500}
    ).json()["CHANGES"]
    seqs = [change["SEQ"] for change in changes]
    assert seqs == list(range(start["LAST_SEQ"] + 1, start["LAST_SEQ"] + 21))
    assert {change["JOB_NO"] for change in changes} == {job["JOB_NO"] for job in jobs}


def test_an_answer_lost_after_commit_leaves_a_job_the_caller_can_find_by_ext_ref(
    http: httpx.Client,
) -> None:
    http.post("/_sim/faults", json={"hang_seconds": 2.0, "hang_after_commit": True})
    with pytest.raises(httpx.ReadTimeout):
        http.post("/api/v1/jobs", json=NEW_JOB | {"EXT_REF": "RP-LOST"}, timeout=0.3)
    found = http.get("/api/v1/jobs", params={"EXT_REF": "RP-LOST"}).json()
    assert found["TOTAL"] == 1
    assert found["JOBS"][0]["STATUS"] == "LOG"


def test_a_system_that_is_down_answers_503_over_http_until_reset(http: httpx.Client) -> None:
    http.post("/_sim/faults", json={"down": True})
    assert http.get("/api/v1/sor").status_code == 503
    http.post("/_sim/reset")
    assert http.get("/api/v1/sor").status_code == 200
