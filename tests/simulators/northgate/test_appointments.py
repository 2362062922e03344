"""Availability windows, deterministic capacity, the SLOT_FULL quirk and rebooking."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from simulators.northgate.appointments import capacity

from .conftest import HEADERS, raise_job

pytestmark = pytest.mark.integration

FORTNIGHT = "FROM=02/03/2026&TO=15/03/2026"


def slots(client: FlaskClient, number: str, window: str = FORTNIGHT) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/jobs/{number}/availability?{window}", headers=HEADERS)
    assert response.status_code == 200, response.json
    found: list[dict[str, Any]] = response.json["SLOTS"]
    return found


def book(client: FlaskClient, number: str, slot: dict[str, Any]) -> dict[str, Any]:
    body = {"APPT_DATE": slot["APPT_DATE"], "APPT_SLOT": slot["APPT_SLOT"]}
    response = client.post(f"/api/v1/jobs/{number}/appointment", json=body, headers=HEADERS)
    assert response.status_code == 200, response.json
    answer: dict[str, Any] = response.json
    return answer


def as_date(day: str) -> date:
    return date.fromisoformat("-".join(reversed(day.split("/"))))


def remaining(client: FlaskClient, number: str, wanted: dict[str, Any]) -> int:
    for slot in slots(client, number):
        if (slot["APPT_DATE"], slot["APPT_SLOT"]) == (wanted["APPT_DATE"], wanted["APPT_SLOT"]):
            return int(slot["REMAINING"])
    raise AssertionError(f"slot {wanted} not offered")


def test_a_fortnight_lists_three_slots_on_each_of_ten_weekdays(client: FlaskClient) -> None:
    offered = slots(client, raise_job(client)["JOB_NO"])
    assert len(offered) == 30
    assert {slot["APPT_SLOT"] for slot in offered} == {"AM", "PM", "AD"}
    assert "07/03/2026" not in {slot["APPT_DATE"] for slot in offered}  # a Saturday


def test_capacity_is_the_same_on_every_run_and_differs_by_trade(client: FlaskClient) -> None:
    plumbing = slots(client, raise_job(client)["JOB_NO"])
    glazing = slots(client, raise_job(client, SOR_CODE="GZ0604", PRIORITY="R")["JOB_NO"])
    assert [s["CAPACITY"] for s in plumbing] == [
        capacity("PLUM", as_date(s["APPT_DATE"]), s["APPT_SLOT"]) for s in plumbing
    ]
    assert [s["CAPACITY"] for s in plumbing] != [s["CAPACITY"] for s in glazing]
    assert 0 in {s["CAPACITY"] for s in plumbing}


def test_a_window_of_fifteen_days_is_refused_with_a_400(client: FlaskClient) -> None:
    # R20: ask in windows no larger than the backend accepts (14 days).
    number = raise_job(client)["JOB_NO"]
    response = client.get(
        f"/api/v1/jobs/{number}/availability?FROM=02/03/2026&TO=16/03/2026", headers=HEADERS
    )
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, "NG-4001")


@pytest.mark.parametrize(
    ("window", "code"),
    [
        ("FROM=10/03/2026&TO=09/03/2026", "NG-4002"),
        ("FROM=2026-03-02&TO=13/03/2026", "NG-1002"),
        ("TO=13/03/2026", "NG-1001"),
    ],
)
def test_a_backwards_or_malformed_window_is_a_400(
    client: FlaskClient, window: str, code: str
) -> None:
    number = raise_job(client)["JOB_NO"]
    response = client.get(f"/api/v1/jobs/{number}/availability?{window}", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, code)


def test_days_before_today_are_not_offered(client: FlaskClient) -> None:
    number = raise_job(client)["JOB_NO"]
    offered = slots(client, number, "FROM=23/02/2026&TO=04/03/2026")
    assert sorted({slot["APPT_DATE"] for slot in offered}) == [
        "02/03/2026",
        "03/03/2026",
        "04/03/2026",
    ]


def test_a_full_slot_answers_200_with_result_fail_and_changes_nothing(
    client: FlaskClient,
) -> None:
    job = raise_job(client)
    full = next(slot for slot in slots(client, job["JOB_NO"]) if slot["REMAINING"] == 0)
    assert book(client, job["JOB_NO"], full) == {
        "RESULT": "FAIL",
        "REASON": "SLOT_FULL",
        "JOB_NO": job["JOB_NO"],
    }
    after = client.get(f"/api/v1/jobs/{job['JOB_NO']}", headers=HEADERS).json
    assert (after["STATUS"], after["APPT_DATE"]) == ("LOG", "")


def test_booking_moves_the_job_to_app_and_takes_one_place(client: FlaskClient) -> None:
    job = raise_job(client)
    slot = next(s for s in slots(client, job["JOB_NO"]) if s["REMAINING"] >= 2)
    answer = book(client, job["JOB_NO"], slot)
    assert answer == {
        "RESULT": "OK",
        "JOB_NO": job["JOB_NO"],
        "APPT_DATE": slot["APPT_DATE"],
        "APPT_SLOT": slot["APPT_SLOT"],
        "STATUS": "APP",
    }
    assert remaining(client, job["JOB_NO"], slot) == slot["REMAINING"] - 1
    again = book(client, job["JOB_NO"], slot)
    assert again["RESULT"] == "OK"
    assert remaining(client, job["JOB_NO"], slot) == slot["REMAINING"] - 1


def test_rebooking_releases_the_old_place_for_someone_else(client: FlaskClient) -> None:
    first, second = raise_job(client), raise_job(client)
    offered = slots(client, first["JOB_NO"])
    last_place = next(s for s in offered if s["REMAINING"] == 1)
    elsewhere = next(s for s in offered if s["REMAINING"] > 0 and s is not last_place)
    assert book(client, first["JOB_NO"], last_place)["RESULT"] == "OK"
    assert book(client, second["JOB_NO"], last_place)["REASON"] == "SLOT_FULL"

    assert book(client, first["JOB_NO"], elsewhere)["RESULT"] == "OK"

    assert remaining(client, second["JOB_NO"], last_place) == 1
    assert book(client, second["JOB_NO"], last_place)["RESULT"] == "OK"


def test_cancelling_the_appointment_releases_the_place_and_returns_the_job_to_issued(
    client: FlaskClient,
) -> None:
    job = raise_job(client)
    slot = next(s for s in slots(client, job["JOB_NO"]) if s["REMAINING"] == 1)
    book(client, job["JOB_NO"], slot)
    response = client.delete(f"/api/v1/jobs/{job['JOB_NO']}/appointment", headers=HEADERS)
    assert (response.json["STATUS"], response.json["APPT_DATE"]) == ("ISS", "")
    assert remaining(client, job["JOB_NO"], slot) == 1
    again = client.delete(f"/api/v1/jobs/{job['JOB_NO']}/appointment", headers=HEADERS)
    assert (again.status_code, again.json["ERROR_CODE"]) == (409, "NG-3002")


def test_cancelling_a_booked_job_releases_its_place(client: FlaskClient) -> None:
    job = raise_job(client)
    slot = next(s for s in slots(client, job["JOB_NO"]) if s["REMAINING"] == 1)
    book(client, job["JOB_NO"], slot)
    client.post(f"/api/v1/jobs/{job['JOB_NO']}/cancel", headers=HEADERS)
    other = raise_job(client)
    assert remaining(client, other["JOB_NO"], slot) == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"APPT_DATE": "07/03/2026", "APPT_SLOT": "AM"}, 422, "NG-4004"),
        ({"APPT_DATE": "27/02/2026", "APPT_SLOT": "AM"}, 422, "NG-4004"),
        ({"APPT_DATE": "03/03/2026", "APPT_SLOT": "EV"}, 422, "NG-4003"),
        ({"APPT_DATE": "3/3/2026", "APPT_SLOT": "AM"}, 400, "NG-1002"),
        ({"APPT_SLOT": "AM"}, 400, "NG-1001"),
    ],
)
def test_a_weekend_past_or_malformed_booking_is_refused(
    client: FlaskClient, body: dict[str, str], status: int, code: str
) -> None:
    number = raise_job(client)["JOB_NO"]
    response = client.post(f"/api/v1/jobs/{number}/appointment", json=body, headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (status, code)


@pytest.mark.parametrize("status", ["COM", "CAN", "WIP"])
def test_a_closed_or_in_progress_job_cannot_be_booked(client: FlaskClient, status: str) -> None:
    number = raise_job(client)["JOB_NO"]
    client.post(f"/_sim/jobs/{number}/status", json={"STATUS": status}, headers=HEADERS)
    body = {"APPT_DATE": "03/03/2026", "APPT_SLOT": "AM"}
    response = client.post(f"/api/v1/jobs/{number}/appointment", json=body, headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (409, "NG-3001")


def test_a_window_at_the_end_of_the_calendar_does_not_crash(client: FlaskClient) -> None:
    number = raise_job(client)["JOB_NO"]
    offered = slots(client, number, "FROM=25/12/9999&TO=31/12/9999")
    assert offered[-1]["APPT_DATE"] == "31/12/9999"
