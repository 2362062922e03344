"""The Messages API as the real twilio client sees it: create, fetch, list, auth."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.simulators.sms.support import ACCOUNT_SID, AUTH_TOKEN, HANDSET, SENDER, send

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


def test_a_send_answers_with_a_message_resource_the_client_parses(twilio):
    message = send(twilio, body="Your repair is booked")

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert message.account_sid == ACCOUNT_SID
    assert (message.to, message.from_, message.body) == (HANDSET, SENDER, "Your repair is booked")
    assert message.status == "queued"
    assert message.direction == "outbound-api"
    assert (message.num_segments, message.num_media) == ("1", "0")
    assert message.api_version == "2010-04-01"
    assert message.error_code is None and message.price is None
    assert message.date_created.tzinfo is not None
    assert abs(message.date_created - datetime.now(UTC)).total_seconds() < 60
    assert message.uri == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message.sid}.json"
    assert message.subresource_uris["media"].endswith(f"/Messages/{message.sid}/Media.json")


def test_the_raw_answer_is_201_with_twilios_field_names(simulator):
    response = simulator.control.post(
        MESSAGES, auth=(ACCOUNT_SID, AUTH_TOKEN), data={"To": HANDSET, "From": SENDER, "Body": "Hi"}
    )

    assert response.status_code == 201
    assert {"sid", "to", "from", "body", "status", "num_segments", "date_created", "price"} <= set(
        response.json()
    )


def test_a_fetched_message_shows_its_final_status_once_the_carrier_has_moved_it(simulator, twilio):
    sid = send(twilio).sid
    assert twilio.messages(sid).fetch().status == "queued"

    simulator.flush()
    fetched = twilio.messages(sid).fetch()

    assert fetched.status == "delivered"
    assert fetched.date_sent is not None
    assert fetched.price == "-0.04000"


def test_a_message_service_send_goes_out_from_the_service_number(simulator, twilio):
    message = send(twilio, messaging_service_sid="MG" + "a" * 32)

    assert message.messaging_service_sid == "MG" + "a" * 32
    assert message.from_ == simulator.state.service_number


def test_fetching_an_unknown_message_is_twilios_20404(twilio):
    with pytest.raises(TwilioRestException) as raised:
        twilio.messages("SM" + "0" * 32).fetch()

    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_a_list_filtered_by_recipient_returns_only_their_texts_newest_first(twilio):
    for body in ("one", "two", "three"):
        send(twilio, body=body)
    send(twilio, to="+447700900456", body="someone else")

    listed = twilio.messages.list(to=HANDSET)

    assert [message.body for message in listed] == ["three", "two", "one"]


def test_a_list_follows_next_page_uris_until_every_text_is_read(twilio):
    sids = [send(twilio, body=f"text {n}").sid for n in range(7)]

    page = twilio.messages.page(to=HANDSET, page_size=3)
    assert len(list(page)) == 3 and page.next_page_url is not None
    listed = twilio.messages.list(to=HANDSET, page_size=3)

    assert [message.sid for message in listed] == list(reversed(sids))


def test_a_list_refuses_a_page_size_it_cannot_honour(simulator):
    response = simulator.control.get(
        MESSAGES, params={"PageSize": "0"}, auth=(ACCOUNT_SID, AUTH_TOKEN)
    )

    assert response.status_code == 400
    assert response.json()["code"] == 20001


def test_a_wrong_auth_token_is_refused_with_401_through_the_client(simulator):
    client = simulator.client(auth_token="0" * 32)

    with pytest.raises(TwilioRestException) as raised:
        send(client)

    assert (raised.value.status, raised.value.code) == (401, 20003)


def test_a_send_without_credentials_gets_twilios_401_json(simulator):
    response = simulator.control.post(MESSAGES, data={"To": HANDSET, "From": SENDER, "Body": "x"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.json() == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }
    assert simulator.control.get("/_sim/stats").json()["total"] == 0


def test_another_accounts_path_is_not_found(simulator):
    other = "AC" + "1" * 32
    response = simulator.control.post(
        f"/2010-04-01/Accounts/{other}/Messages.json",
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        data={"To": HANDSET, "From": SENDER, "Body": "x"},
    )

    assert response.status_code == 404
    assert response.json()["code"] == 20404


def test_concurrent_sends_from_many_threads_are_all_stored(simulator, twilio):
    with ThreadPoolExecutor(max_workers=8) as pool:
        sids = list(pool.map(lambda n: send(twilio, body=f"text {n}").sid, range(80)))

    stats = simulator.control.get("/_sim/stats").json()
    assert len(set(sids)) == 80
    assert stats["by_status"] == {"queued": 80}
    assert stats["to"][HANDSET] == {"messages": 80, "distinct_bodies": 80}


def test_stats_count_repeated_bodies_to_one_number_as_duplicates(simulator, twilio):
    for body in ("same", "same", "other"):
        send(twilio, body=body)

    stats = simulator.control.get("/_sim/stats").json()

    assert stats["to"][HANDSET] == {"messages": 3, "distinct_bodies": 2}
    assert stats["duplicate_bodies"] == 1


def test_importing_the_simulator_connects_to_nothing_and_creates_no_files(tmp_path):
    subprocess.run(
        [sys.executable, "-c", "import simulators.sms, simulators.sms.api"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        check=True,
    )

    assert list(tmp_path.iterdir()) == []


def test_routing_errors_under_the_api_answer_in_twilios_json(simulator):
    response = simulator.control.delete(MESSAGES, auth=(ACCOUNT_SID, AUTH_TOKEN))

    assert response.status_code == 405
    assert response.json()["status"] == 405
