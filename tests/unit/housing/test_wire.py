"""Northgate's vocabulary in our words and back: codes, dates, UK times, errors (R21, R47)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.housing import records, wire
from repairs.calendar import Division
from repairs.ports import BackendRejected, BackendUnavailable, SlotUnavailable, Tenure
from repairs.priorities import Priority, Trade
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus
from tests.unit.housing.samples import JOB

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("table", "ours"),
    [
        (wire.PRIORITIES, Priority),
        (wire.TRADES, Trade),
        (wire.STATUSES, BackendStatus),
        (wire.TENURES, Tenure),
        (wire.REGIONS, Division),
        (wire.SLOT_KINDS, SlotKind),
    ],
)
def test_every_value_of_ours_has_exactly_one_wire_code(table: Any, ours: Any) -> None:
    assert sorted(table.values()) == sorted(ours)
    for value in ours:
        assert wire.decode(table, wire.encode(table, value), "code") == value


def test_the_codes_are_the_ones_the_wire_contract_names() -> None:
    assert wire.encode(wire.PRIORITIES, Priority.DAMP_AND_MOULD) == "D"
    assert wire.encode(wire.SLOT_KINDS, SlotKind.ALL_DAY) == "AD"
    assert wire.decode(wire.STATUSES, "nac", "STATUS") is BackendStatus.NO_ACCESS
    assert wire.decode(wire.STATUSES, "FWR", "STATUS") is BackendStatus.FURTHER_WORK
    assert wire.decode(wire.REGIONS, "SCO", "BH_REGION") is Division.SCOTLAND


@pytest.mark.parametrize("code", ["X", "", None, 3, "APPX"])
def test_an_unknown_code_is_a_broken_contract_not_a_guess(code: object) -> None:
    with pytest.raises(BackendRejected, match="unexpected STATUS"):
        wire.decode(wire.STATUSES, code, "STATUS")


def test_empty_strings_are_none_and_none_goes_out_as_an_empty_string() -> None:
    assert wire.blank_to_none("") is None
    assert wire.blank_to_none("  ") is None
    assert wire.blank_to_none("RP-1") == "RP-1"
    assert wire.none_to_blank(None) == ""


def test_dates_are_strictly_day_month_year() -> None:
    assert wire.parse_date("09/03/2025") == date(2025, 3, 9)
    assert wire.format_date(date(2025, 3, 9)) == "09/03/2025"
    for bad in ("2025-03-09", "9/3/2025", "31/02/2025", "", None):
        with pytest.raises(BackendRejected):
            wire.parse_date(bad)


def test_a_winter_time_is_gmt_and_a_summer_time_is_bst() -> None:
    assert wire.uk_to_utc("10/01/2026", "09:15") == datetime(2026, 1, 10, 9, 15, tzinfo=UTC)
    assert wire.uk_to_utc("10/07/2026", "09:15") == datetime(2026, 7, 10, 8, 15, tzinfo=UTC)


def test_the_repeated_october_hour_is_read_as_its_first_earlier_occurrence() -> None:
    # 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    assert wire.uk_to_utc("25/10/2026", "01:30") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_march_time_that_never_happened_is_read_with_the_winter_offset() -> None:
    # 29 March 2026: clocks jump from 01:00 to 02:00, so 01:30 never happened.
    assert wire.uk_to_utc("29/03/2026", "01:30") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["24:00", "9:15", "09:60", "", None])
def test_a_bad_time_is_rejected(bad: object) -> None:
    with pytest.raises(BackendRejected, match="HH:MM"):
        wire.uk_to_utc("10/01/2026", bad)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)))
def test_every_instant_survives_the_trip_to_uk_time_but_the_repeated_hour(naive: datetime) -> None:
    instant = naive.replace(second=0, microsecond=0, tzinfo=UTC)
    back = wire.uk_to_utc(*wire.utc_to_uk(instant))
    repeated = instant.astimezone(wire.UK).fold == 1
    assert back == (instant - timedelta(hours=1) if repeated else instant)


def _response(status: int, body: Any = None, content: bytes | None = None) -> httpx.Response:
    if content is not None:
        return httpx.Response(status, content=content)
    return httpx.Response(status, json=body)


@pytest.mark.parametrize("status", [400, 401, 404, 405, 409, 422])
def test_a_4xx_answer_is_rejected_with_its_ng_code(status: int) -> None:
    error = wire.error_for(_response(status, {"ERROR_CODE": "NG-2003", "ERROR_TEXT": "No"}))
    assert isinstance(error, BackendRejected)
    assert "NG-2003" in str(error) and str(status) in str(error)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408])
def test_a_5xx_answer_is_unavailable(status: int) -> None:
    assert isinstance(
        wire.error_for(_response(status, {"ERROR_CODE": "NG-5003"})), BackendUnavailable
    )


def test_an_error_answer_that_is_not_json_still_becomes_our_error() -> None:
    error = wire.error_for(_response(502, content=b"<html>Bad gateway</html>"))
    assert isinstance(error, BackendUnavailable)
    assert "not JSON" in str(error)


def test_an_error_text_is_cut_short() -> None:
    error = wire.error_for(_response(422, {"ERROR_CODE": "NG-1", "ERROR_TEXT": "x" * 1000}))
    assert len(str(error)) < 200


def test_the_slot_full_quirk_is_slot_unavailable() -> None:
    assert wire.booking_refused({"RESULT": "OK"}) is None
    full = wire.booking_refused({"RESULT": "FAIL", "REASON": "SLOT_FULL", "JOB_NO": "40000001"})
    assert isinstance(full, SlotUnavailable)
    assert isinstance(wire.booking_refused({"RESULT": "FAIL", "REASON": "OTHER"}), BackendRejected)
    assert isinstance(wire.booking_refused({}), BackendRejected)


def test_a_job_record_becomes_a_repair_order() -> None:
    job = records.repair_order(JOB)
    assert job.job_number.value == "40000612"
    assert job.property_ref.value == "00200001"
    assert job.raised_at == datetime(2025, 3, 10, 9, 15, tzinfo=UTC)
    assert job.external_ref is None
    assert job.appointment is not None
    assert job.appointment.slot == Slot(date(2025, 3, 12), SlotKind.PM)
    assert job.appointment.booked_at == datetime(2025, 3, 10, 9, 16, tzinfo=UTC)


def test_a_job_without_an_appointment_has_none() -> None:
    job = records.repair_order({**JOB, "STATUS": "LOG", "APPT_DATE": "", "APPT_SLOT": ""})
    assert job.appointment is None


@pytest.mark.parametrize(
    "change",
    [
        {"APPT_SLOT": ""},  # half an appointment
        {"STATUS": "ZZZ"},
        {"RAISED_DATE": "2025-03-10"},
        {"JOB_NO": "not a number!"},
    ],
)
def test_a_malformed_job_record_is_rejected(change: dict[str, str]) -> None:
    with pytest.raises(BackendRejected):
        records.repair_order({**JOB, **change})


def test_a_job_record_missing_a_field_says_which() -> None:
    broken = {key: value for key, value in JOB.items() if key != "TRADE"}
    with pytest.raises(BackendRejected, match="TRADE"):
        records.repair_order(broken)


def test_a_slot_count_that_is_not_a_number_is_rejected() -> None:
    with pytest.raises(BackendRejected, match="REMAINING"):
        records.available_slot({"APPT_DATE": "12/03/2025", "APPT_SLOT": "AM", "REMAINING": "2"})
