"""Fault modes: latency, 429s and 500s, and held, duplicated or reordered callbacks."""

from __future__ import annotations

import time

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.simulators.sms.support import send

pytestmark = pytest.mark.integration


def outcomes(client, count: int) -> list[int]:
    """The HTTP status of each of ``count`` sends: 201, or the error Twilio answered."""
    seen = []
    for n in range(count):
        try:
            send(client, body=f"text {n}")
            seen.append(201)
        except TwilioRestException as error:
            seen.append(error.status)
    return seen


def test_added_latency_slows_every_api_answer(simulator, twilio):
    simulator.set_faults(latency_ms=150)

    started = time.perf_counter()
    send(twilio)

    assert time.perf_counter() - started >= 0.15


def test_a_share_of_429s_answers_twilios_20429_and_stores_nothing(simulator, twilio):
    simulator.set_faults(rate_429=1.0)

    with pytest.raises(TwilioRestException) as raised:
        send(twilio)

    assert (raised.value.status, raised.value.code) == (429, 20429)
    assert simulator.control.get("/_sim/stats").json()["total"] == 0


def test_a_share_of_500s_answers_twilios_20500(simulator, twilio):
    simulator.set_faults(rate_500=1.0)

    with pytest.raises(TwilioRestException) as raised:
        twilio.messages("SM" + "0" * 32).fetch()

    assert (raised.value.status, raised.value.code) == (500, 20500)


def test_the_same_seed_gives_the_same_sequence_of_answers(simulator, twilio):
    simulator.set_faults(rate_429=0.3, rate_500=0.2, seed=11)
    first = outcomes(twilio, 40)
    simulator.set_faults(rate_429=0.3, rate_500=0.2, seed=11)
    again = outcomes(twilio, 40)
    simulator.set_faults(seed=12)
    other = outcomes(twilio, 40)

    assert first == again
    assert other != first
    assert {201, 429, 500} <= set(first)
    stats = simulator.control.get("/_sim/stats").json()
    assert stats["total"] == first.count(201) + again.count(201) + other.count(201)


def test_the_same_seed_replays_in_a_fresh_simulator(make_simulator):
    first, second = make_simulator(), make_simulator()
    for simulator in (first, second):
        simulator.set_faults(rate_429=0.5, seed=3)

    assert outcomes(first.client(), 30) == outcomes(second.client(), 30)


def test_the_shares_are_roughly_honoured(simulator, twilio):
    simulator.set_faults(rate_429=0.25, seed=5)

    seen = outcomes(twilio, 200)

    assert 30 <= seen.count(429) <= 70


def test_delayed_callbacks_are_held_by_the_carrier_until_a_flush(simulator, twilio, receiver):
    simulator.set_faults(callbacks_delayed=True)
    sid = send(twilio, status_callback=receiver.url("/status")).sid

    background_pass = simulator.state.deliverer.run_once(include_held=False, ignore_backoff=False)

    assert receiver.received == []
    assert background_pass.held == 3
    assert twilio.messages(sid).fetch().status == "delivered"
    simulator.flush()
    assert [r.form["MessageStatus"] for r in receiver.received] == ["queued", "sent", "delivered"]


def test_duplicated_callbacks_arrive_twice_with_the_same_idempotency_token(
    simulator, twilio, receiver
):
    simulator.set_faults(callbacks_duplicated=True)
    send(twilio, status_callback=receiver.url("/status"))

    simulator.flush()

    seen = [r.form["MessageStatus"] for r in receiver.received]
    assert seen == ["queued", "queued", "sent", "sent", "delivered", "delivered"]
    tokens = [r.headers["I-Twilio-Idempotency-Token"] for r in receiver.received]
    assert tokens[0] == tokens[1] and tokens[0] != tokens[2]


def test_out_of_order_callbacks_arrive_reversed(simulator, twilio, receiver):
    simulator.set_faults(callbacks_out_of_order=True)
    send(twilio, status_callback=receiver.url("/status"))

    simulator.flush()

    assert [r.form["MessageStatus"] for r in receiver.received] == ["delivered", "sent", "queued"]


def test_fault_settings_merge_and_read_back(simulator):
    simulator.set_faults(latency_ms=10)
    simulator.set_faults(rate_429=0.5)

    settings = simulator.control.get("/_sim/faults").json()

    assert settings == {
        "latency_ms": 10,
        "rate_429": 0.5,
        "rate_500": 0.0,
        "callbacks_delayed": False,
        "callbacks_duplicated": False,
        "callbacks_out_of_order": False,
        "seed": 7,
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"rate_429": 1.5},
        {"rate_429": 0.6, "rate_500": 0.6},
        {"latency_ms": -1},
        {"latency_ms": "soon"},
        {"callbacks_delayed": "maybe"},
        {"brownout": True},
        ["rate_429"],
    ],
)
def test_bad_fault_settings_are_refused_with_400(simulator, payload):
    answer = simulator.control.post("/_sim/faults", json=payload)

    assert answer.status_code == 400
    assert answer.json()["error"]
    assert simulator.control.get("/_sim/faults").json()["rate_429"] == 0.0


def test_a_reset_clears_faults_and_keeps_messages_unless_asked(simulator, twilio):
    send(twilio)
    simulator.set_faults(rate_500=1.0)

    kept = simulator.control.post("/_sim/reset", json={})
    assert kept.json()["faults"]["rate_500"] == 0.0
    assert simulator.control.get("/_sim/stats").json()["total"] == 1

    simulator.control.post("/_sim/reset", json={"clear": True})
    assert simulator.control.get("/_sim/stats").json()["total"] == 0


def test_the_faults_form_changes_the_settings(simulator):
    page = simulator.control.get("/faults")
    assert '<label for="rate_429">' in page.text

    answer = simulator.control.post(
        "/faults",
        data={
            "latency_ms": "5",
            "rate_429": "0.1",
            "rate_500": "0",
            "seed": "9",
            "callbacks_duplicated": "on",
        },
    )

    assert answer.status_code == 303
    settings = simulator.control.get("/_sim/faults").json()
    assert (settings["latency_ms"], settings["rate_429"], settings["seed"]) == (5, 0.1, 9)
    assert settings["callbacks_duplicated"] and not settings["callbacks_delayed"]


def test_the_faults_form_shows_an_error_for_bad_input(simulator):
    answer = simulator.control.post("/faults", data={"rate_429": "lots"})

    assert answer.status_code == 400
    assert "rate_429 must be a number" in answer.text
