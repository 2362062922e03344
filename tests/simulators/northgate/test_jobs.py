"""Raising, reading, searching, listing and cancelling jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from adapters.clock import FakeClock

from .conftest import HEADERS, raise_job, read_feed

pytestmark = pytest.mark.integration


def post_job(client: FlaskClient, **changes: object) -> tuple[int, dict[str, str]]:
    body = {
        "TENANCY_REF": "TEN-100001",
        "PROP_REF": "00200001",
        "SOR_CODE": "PL0103",
        "PRIORITY": "U",
        "DESCRIPTION": "Sink blocked",
    }
    body.update(changes)
    response = client.post("/api/v1/jobs", json=body, headers=HEADERS)
    return response.status_code, response.json  # type: ignore[return-value]


def test_a_new_job_starts_logged_with_uk_local_date_and_time(client: FlaskClient) -> None:
    job = raise_job(client)
    assert job["STATUS"] == "LOG"
    assert (job["TRADE"], job["SOR_DESC"]) == ("PLUM", "CLEAR BLOCKAGE TO SINK")
    assert (job["RAISED_DATE"], job["RAISED_TIME"]) == ("02/03/2026", "09:00")
    assert job["APPT_DATE"] == "" and job["COMPLETED_DATE"] == ""
    assert len(job["JOB_NO"]) == 8 and job["JOB_NO"].isdigit()


def test_times_are_shown_in_british_summer_time_when_it_applies(
    client: FlaskClient, clock: FakeClock
) -> None:
    clock.advance(timedelta(days=120))  # 30 June 2026, 09:00 UTC is 10:00 in London
    job = raise_job(client)
    assert (job["RAISED_DATE"], job["RAISED_TIME"]) == ("30/06/2026", "10:00")


def test_a_created_job_reads_back_the_same(client: FlaskClient) -> None:
    job = raise_job(client)
    response = client.get(f"/api/v1/jobs/{job['JOB_NO']}", headers=HEADERS)
    assert response.status_code == 200
    assert response.json == job


def test_a_job_does_not_move_on_by_itself_as_time_passes(
    client: FlaskClient, clock: FakeClock
) -> None:
    job = raise_job(client)
    clock.advance(timedelta(days=3))
    assert client.get(f"/api/v1/jobs/{job['JOB_NO']}", headers=HEADERS).json["STATUS"] == "LOG"


def test_a_description_of_exactly_255_characters_is_accepted(client: FlaskClient) -> None:
    status, job = post_job(client, DESCRIPTION="x" * 255)
    assert status == 201 and len(job["DESCRIPTION"]) == 255


def test_a_description_of_256_characters_is_refused_with_a_422(client: FlaskClient) -> None:
    # R18: the description is no longer than the backend accepts.
    assert post_job(client, DESCRIPTION="x" * 256) == (
        422,
        {"ERROR_CODE": "NG-2001", "ERROR_TEXT": "DESCRIPTION exceeds 255 characters"},
    )


def test_a_property_the_landlord_does_not_maintain_is_refused(client: FlaskClient) -> None:
    # R17: repairs only for properties the backend marks as maintainable.
    status, body = post_job(client, TENANCY_REF="TEN-100003", PROP_REF="00200003")
    assert (status, body["ERROR_CODE"]) == (422, "NG-2003")


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"SOR_CODE": "ZZ0000"}, 422, "NG-2002"),
        ({"PRIORITY": "X"}, 422, "NG-2004"),
        ({"TENANCY_REF": "TEN-999999"}, 422, "NG-2005"),
        ({"PROP_REF": "00200002"}, 422, "NG-2006"),
        ({"TENANCY_REF": "TEN-100004", "PROP_REF": "00200004"}, 422, "NG-2007"),
        ({"EXT_REF": "R" * 51}, 422, "NG-2008"),
        ({"ACCESS_NOTES": "n" * 256}, 422, "NG-2008"),
        ({"DESCRIPTION": "   "}, 400, "NG-1001"),
        ({"SOR_CODE": 103}, 400, "NG-1001"),
    ],
)
def test_an_invalid_job_is_refused_with_the_documented_code(
    client: FlaskClient, changes: dict[str, object], status: int, code: str
) -> None:
    answer_status, body = post_job(client, **changes)
    assert (answer_status, body["ERROR_CODE"]) == (status, code)


def test_a_refused_job_leaves_no_job_and_no_feed_entry(client: FlaskClient) -> None:
    _, last_seq = read_feed(client)
    post_job(client, TENANCY_REF="TEN-100003", PROP_REF="00200003")
    assert read_feed(client, last_seq)[0] == []
    listed = client.get("/api/v1/tenancies/TEN-100003/jobs", headers=HEADERS).json
    assert listed["TOTAL"] == 0


def test_the_same_ext_ref_twice_makes_two_jobs_and_the_search_returns_both(
    client: FlaskClient,
) -> None:
    first = raise_job(client, EXT_REF="RP-DUPLICATE")
    second = raise_job(client, EXT_REF="RP-DUPLICATE")
    raise_job(client, EXT_REF="RP-OTHER")
    body = client.get("/api/v1/jobs?EXT_REF=RP-DUPLICATE", headers=HEADERS).json
    assert body["TOTAL"] == 2
    assert [job["JOB_NO"] for job in body["JOBS"]] == [first["JOB_NO"], second["JOB_NO"]]


def test_an_ext_ref_search_with_no_jobs_is_empty_and_without_ext_ref_is_a_400(
    client: FlaskClient,
) -> None:
    assert client.get("/api/v1/jobs?EXT_REF=NONE", headers=HEADERS).json == {
        "TOTAL": 0,
        "JOBS": [],
    }
    missing = client.get("/api/v1/jobs", headers=HEADERS)
    assert (missing.status_code, missing.json["ERROR_CODE"]) == (400, "NG-1003")


def test_a_tenancy_job_list_pages_twenty_at_a_time_newest_first(client: FlaskClient) -> None:
    first = client.get("/api/v1/tenancies/TEN-100008/jobs", headers=HEADERS).json
    second = client.get("/api/v1/tenancies/TEN-100008/jobs?PAGE=2", headers=HEADERS).json
    beyond = client.get("/api/v1/tenancies/TEN-100008/jobs?PAGE=3", headers=HEADERS).json
    assert (first["TOTAL"], first["PAGES"], first["PAGE_SIZE"]) == (25, 2, 20)
    assert (len(first["JOBS"]), len(second["JOBS"]), beyond["JOBS"]) == (20, 5, [])
    numbers = [job["JOB_NO"] for job in first["JOBS"] + second["JOBS"]]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == 25


def test_a_new_job_appears_first_in_the_tenancy_list(client: FlaskClient) -> None:
    job = raise_job(client)
    body = client.get("/api/v1/tenancies/TEN-100001/jobs?PAGE=1", headers=HEADERS).json
    assert body["JOBS"][0]["JOB_NO"] == job["JOB_NO"]
    assert body["TOTAL"] == 2  # the seeded completed job and this one


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5"])
def test_a_bad_page_number_is_a_400(client: FlaskClient, page: str) -> None:
    response = client.get(f"/api/v1/tenancies/TEN-100008/jobs?PAGE={page}", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, "NG-1003")


def test_the_job_list_of_an_unknown_tenancy_is_a_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/tenancies/TEN-999999/jobs", headers=HEADERS)
    assert response.status_code == 404


def test_cancelling_a_job_makes_it_cancelled_and_a_second_cancel_is_a_409(
    client: FlaskClient,
) -> None:
    job = raise_job(client)
    cancelled = client.post(
        f"/api/v1/jobs/{job['JOB_NO']}/cancel", json={"REASON": "Fixed it"}, headers=HEADERS
    )
    assert (cancelled.status_code, cancelled.json["STATUS"]) == (200, "CAN")
    again = client.post(f"/api/v1/jobs/{job['JOB_NO']}/cancel", headers=HEADERS)
    assert (again.status_code, again.json["ERROR_CODE"]) == (409, "NG-3001")


@pytest.mark.parametrize("number", ["40999999", "12", "abc", "00000001"])
def test_an_unknown_or_malformed_job_number_is_a_404(client: FlaskClient, number: str) -> None:
    response = client.get(f"/api/v1/jobs/{number}", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (404, "NG-1102")


def test_an_unknown_endpoint_and_a_wrong_method_answer_in_ng_shape(client: FlaskClient) -> None:
    missing = client.get("/api/v1/repairs", headers=HEADERS)
    wrong = client.put("/api/v1/jobs", headers=HEADERS)
    assert (missing.status_code, missing.json["ERROR_CODE"]) == (404, "NG-1404")
    assert (wrong.status_code, wrong.json["ERROR_CODE"]) == (405, "NG-1405")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/jobs/changes?SINCE_SEQ=99999999999999999999999",
        "/api/v1/jobs/changes?LIMIT=%C2%B2",
        "/api/v1/tenancies/TEN-100008/jobs?PAGE=999999999999999999",
        "/api/v1/jobs/%EF%BC%94%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%91",
    ],
)
def test_absurd_numbers_in_the_address_are_refused_rather_than_crashing(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path, headers=HEADERS)
    assert response.status_code in (400, 404)
    assert response.json["ERROR_CODE"] in ("NG-1003", "NG-1102")
