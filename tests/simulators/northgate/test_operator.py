"""The operator page: job list, buttons that move jobs on (and feed them), fault form."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from .conftest import HEADERS, raise_job, read_feed

pytestmark = pytest.mark.integration


def press(client: FlaskClient, number: str, action: str) -> int:
    return client.post(f"/operator/jobs/{number}/{action}").status_code


def test_the_page_is_open_says_it_is_a_demo_and_lists_jobs_newest_first(
    client: FlaskClient,
) -> None:
    job = raise_job(client)
    html = client.get("/operator").get_data(as_text=True)
    assert html.count("<h1") == 1
    assert "Demo system." in html
    numbers = re.findall(r'<th scope="row">(\d{8})</th>', html)
    assert numbers[0] == job["JOB_NO"]
    assert numbers == sorted(numbers, reverse=True)


def test_the_page_filters_jobs_by_status(client: FlaskClient) -> None:
    html = client.get("/operator?STATUS=NAC").get_data(as_text=True)
    rows = re.findall(r"<td>(\w{3}) - ", html)
    assert rows and set(rows) == {"NAC"}


def test_every_input_on_the_page_has_a_label(client: FlaskClient) -> None:
    html = client.get("/operator").get_data(as_text=True)
    for input_id in re.findall(r'<(?:input|select) id="(\w+)"', html):
        assert f'<label for="{input_id}"' in html


def test_operator_buttons_walk_a_job_through_its_life_and_each_adds_a_feed_change(
    client: FlaskClient,
) -> None:
    number = raise_job(client)["JOB_NO"]
    _, start = read_feed(client)
    for action in ("issue", "attend", "further-work", "attend", "no-access", "complete"):
        assert press(client, number, action) == 303
    changes, _ = read_feed(client, start)
    assert [(c["EVENT"], c["STATUS"]) for c in changes] == [
        ("ISSUED", "ISS"),
        ("ATTENDED", "WIP"),
        ("FURTHER_WORK", "FWR"),
        ("ATTENDED", "WIP"),
        ("NO_ACCESS", "NAC"),
        ("COMPLETED", "COM"),
    ]
    job = client.get(f"/api/v1/jobs/{number}", headers=HEADERS).json
    assert (job["STATUS"], job["COMPLETED_DATE"]) == ("COM", "02/03/2026")


def test_a_button_that_does_not_fit_the_status_is_refused_and_feeds_nothing(
    client: FlaskClient,
) -> None:
    number = raise_job(client)["JOB_NO"]
    _, start = read_feed(client)
    response = client.post(f"/operator/jobs/{number}/complete")
    assert response.status_code == 409
    assert "There is a problem" in response.get_data(as_text=True)
    assert read_feed(client, start)[0] == []


def test_the_page_offers_only_the_buttons_that_fit_each_job(client: FlaskClient) -> None:
    number = raise_job(client)["JOB_NO"]
    html = client.get("/operator").get_data(as_text=True)
    row = html[html.index(f'<th scope="row">{number}</th>') :].split("</tr>")[0]
    assert re.findall(rf"/operator/jobs/{number}/([\w-]+)", row) == ["issue"]


def test_the_fault_form_sets_and_resets_faults(client: FlaskClient) -> None:
    form = {"latency_ms": "250", "error_rate": "0.2", "hang_seconds": "0", "seed": "9"}
    assert client.post("/operator/faults", data=form | {"down": "on"}).status_code == 303
    faults = client.get("/_sim/faults", headers=HEADERS).json
    assert (faults["latency_ms"], faults["error_rate"], faults["down"]) == (250, 0.2, True)
    client.post("/operator/faults/reset")
    assert client.get("/_sim/faults", headers=HEADERS).json["down"] is False


def test_the_fault_form_refuses_words_where_numbers_belong(client: FlaskClient) -> None:
    response = client.post("/operator/faults", data={"latency_ms": "slow"})
    assert response.status_code == 400
    assert "<title>Error: " in response.get_data(as_text=True)
