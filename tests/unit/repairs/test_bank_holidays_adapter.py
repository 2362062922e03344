from __future__ import annotations

import socket
from datetime import date
from typing import Any

import pytest
import requests

from adapters.bank_holidays import GovukBankHolidays
from repairs.calendar import Division, WorkingDayCalendar, check_coverage
from tests.unit.repairs.fakes import HOLIDAYS

pytestmark = pytest.mark.unit


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach gov.uk fails the test instead of quietly succeeding."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the bank-holiday adapter tried to use the network")

    monkeypatch.setattr(requests, "get", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_bundled_copy_is_read_without_touching_the_network(no_network: None) -> None:
    # R4: a bundled copy, not a network call
    source = GovukBankHolidays()
    assert date(2026, 12, 25) in source.bank_holidays(Division.ENGLAND_AND_WALES)


def test_the_no_network_guard_really_catches_a_download(no_network: None) -> None:
    # proves the fixture above can fail: the package's default mode downloads
    from govuk_bank_holidays.bank_holidays import BankHolidays

    with pytest.raises(AssertionError, match="tried to use the network"):
        BankHolidays(use_cached_holidays=False)


def test_the_bundled_data_covers_to_the_end_of_2028(no_network: None) -> None:
    source = GovukBankHolidays()
    for division in Division:
        assert source.covered_until(division) == date(2028, 12, 31)


def test_the_bundled_data_passes_the_start_up_check_for_the_next_year(no_network: None) -> None:
    # R4
    check_coverage(GovukBankHolidays(), today=date(2026, 11, 25))


def test_each_division_has_its_own_holidays(no_network: None) -> None:
    # R3
    source = GovukBankHolidays()
    assert date(2026, 1, 2) in source.bank_holidays(Division.SCOTLAND)
    assert date(2026, 1, 2) not in source.bank_holidays(Division.ENGLAND_AND_WALES)
    assert date(2026, 3, 17) in source.bank_holidays(Division.NORTHERN_IRELAND)
    assert date(2026, 11, 30) in source.bank_holidays(Division.SCOTLAND)
    assert date(2026, 4, 6) not in source.bank_holidays(Division.SCOTLAND)


@pytest.mark.parametrize("division", list(Division))
def test_the_unit_test_fake_matches_the_bundled_gov_uk_data(
    no_network: None, division: Division
) -> None:
    # keeps the hand-typed dates the other unit tests rely on honest
    bundled = {d for d in GovukBankHolidays().bank_holidays(division) if 2025 <= d.year <= 2027}
    assert bundled == set(HOLIDAYS[division])


def test_the_adapter_drives_the_working_day_calendar(no_network: None) -> None:
    calendar = WorkingDayCalendar(GovukBankHolidays())
    assert calendar.add_working_days(date(2028, 12, 22), 1, Division.ENGLAND_AND_WALES) == date(
        2028, 12, 27
    )
