"""The change feed: every status or appointment change, in strictly increasing SEQ order."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .conftest import HEADERS, raise_job, read_feed

pytestmark = pytest.mark.integration


def feed(client: FlaskClient, query: str) -> dict:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/jobs/changes?{query}", headers=HEADERS)
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[return-value]


def test_the_seeded_history_is_in_the_feed_in_strictly_increasing_order(
    client: FlaskClient,
) -> None:
    changes, last_seq = read_feed(client)
    seqs = [change["SEQ"] for change in changes]
    assert len(changes) > 500
    assert all(later > earlier for earlier, later in zip(seqs, seqs[1:], strict=False))
    assert last_seq == seqs[-1]
    assert {"CREATED", "ISSUED", "BOOKED", "COMPLETED", "NO_ACCESS", "FURTHER_WORK"} <= {
        change["EVENT"] for change in changes
    }


def test_create_book_move_unbook_and_cancel_each_add_one_change_in_order(
    client: FlaskClient,
) -> None:
    _, start = read_feed(client)
    job = raise_job(client)
    number = job["JOB_NO"]
    free = [
        slot
        for slot in client.get(
            f"/api/v1/jobs/{number}/availability?FROM=02/03/2026&TO=13/03/2026", headers=HEADERS
        ).json["SLOTS"]
        if slot["REMAINING"] > 0
    ]
    for slot in free[:2]:
        body = {"APPT_DATE": slot["APPT_DATE"], "APPT_SLOT": slot["APPT_SLOT"]}
        assert (
            client.post(f"/api/v1/jobs/{number}/appointment", json=body, headers=HEADERS).json[
                "RESULT"
            ]
            == "OK"
        )
    client.delete(f"/api/v1/jobs/{number}/appointment", headers=HEADERS)
    client.post(f"/api/v1/jobs/{number}/cancel", headers=HEADERS)

    changes, _ = read_feed(client, start)
    assert [(c["EVENT"], c["STATUS"]) for c in changes] == [
        ("CREATED", "LOG"),
        ("BOOKED", "APP"),
        ("BOOKED", "APP"),
        ("APPT_CANCELLED", "ISS"),
        ("CANCELLED", "CAN"),
    ]
    assert {c["JOB_NO"] for c in changes} == {number}
    assert (changes[2]["APPT_DATE"], changes[2]["APPT_SLOT"]) == (
        free[1]["APPT_DATE"],
        free[1]["APPT_SLOT"],
    )
    assert [c["SEQ"] for c in changes] == sorted({c["SEQ"] for c in changes})
    assert changes[0]["EXT_REF"] == "RP-TEST-1"
    assert (changes[0]["CHANGE_DATE"], changes[0]["CHANGE_TIME"]) == ("02/03/2026", "09:00")


def test_a_limited_page_says_there_is_more_and_last_seq_is_the_next_cursor(
    client: FlaskClient,
) -> None:
    page = feed(client, "SINCE_SEQ=10&LIMIT=3")
    assert [change["SEQ"] for change in page["CHANGES"]] == [11, 12, 13]
    assert (page["LAST_SEQ"], page["MORE"]) == (13, "Y")
    following = feed(client, f"SINCE_SEQ={page['LAST_SEQ']}&LIMIT=1")
    assert following["CHANGES"][0]["SEQ"] == 14


def test_an_empty_page_gives_back_the_same_cursor(client: FlaskClient) -> None:
    _, last_seq = read_feed(client)
    page = feed(client, f"SINCE_SEQ={last_seq}")
    assert page == {"CHANGES": [], "LAST_SEQ": last_seq, "MORE": "N"}


@pytest.mark.parametrize("query", ["SINCE_SEQ=-1", "SINCE_SEQ=x", "LIMIT=0", "LIMIT=501"])
def test_a_bad_cursor_or_limit_is_a_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/v1/jobs/changes?{query}", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, "NG-1003")


def test_the_status_back_door_sets_any_status_and_feeds_it(client: FlaskClient) -> None:
    job = raise_job(client)
    _, start = read_feed(client)
    response = client.post(
        f"/_sim/jobs/{job['JOB_NO']}/status", json={"STATUS": "COM"}, headers=HEADERS
    )
    assert response.json["STATUS"] == "COM"
    assert (response.json["COMPLETED_DATE"], response.json["COMPLETED_TIME"]) == (
        "02/03/2026",
        "09:00",
    )
    changes, _ = read_feed(client, start)
    assert [(c["EVENT"], c["STATUS"]) for c in changes] == [("STATUS_SET", "COM")]


def test_the_status_back_door_refuses_an_unknown_status(client: FlaskClient) -> None:
    job = raise_job(client)
    response = client.post(
        f"/_sim/jobs/{job['JOB_NO']}/status", json={"STATUS": "DONE"}, headers=HEADERS
    )
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, "NG-9001")
