"""Fixtures for the text-message rules: the landlord's real `messages:` section and a tiny
bank-holiday source, so these tests need no network, database or clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from notifications.config import MessagingPolicy
from notifications.planner import MessagePlanner
from notifications.templates import MessageTemplates, Sender
from notifications.window import SendingWindow
from repairs.calendar import Division

CONFIG = Path(__file__).resolve().parents[3] / "config" / "landlord.yaml"


class FakeBankHolidays:
    """Only the holidays these tests lean on: Easter Monday 2026 is a holiday in England and
    Wales but not in Scotland; 2 January 2026 is one in Scotland only."""

    def __init__(self, covered_until: date = date(2027, 12, 31)) -> None:
        self.until = covered_until
        common = {date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1), date(2026, 12, 25)}
        self.holidays = {
            Division.ENGLAND_AND_WALES: frozenset(common | {date(2026, 4, 6)}),
            Division.SCOTLAND: frozenset(common | {date(2026, 1, 2)}),
            Division.NORTHERN_IRELAND: frozenset(common | {date(2026, 4, 6)}),
        }

    def bank_holidays(self, division: Division) -> frozenset[date]:
        return self.holidays[division]

    def covered_until(self, division: Division) -> date:
        return self.until


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def load_messages_section() -> dict[str, Any]:
    section = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["messages"]
    assert isinstance(section, dict)
    return section


@pytest.fixture
def messages_config() -> dict[str, Any]:
    return load_messages_section()


@pytest.fixture(scope="session")
def policy() -> MessagingPolicy:
    return MessagingPolicy.from_mapping(load_messages_section())


@pytest.fixture
def holidays() -> FakeBankHolidays:
    return FakeBankHolidays()


@pytest.fixture
def window(policy: MessagingPolicy, holidays: FakeBankHolidays) -> SendingWindow:
    return policy.sending_window(holidays)


@pytest.fixture
def planner(policy: MessagingPolicy, holidays: FakeBankHolidays) -> MessagePlanner:
    return policy.planner(holidays)


@pytest.fixture(scope="session")
def templates(policy: MessagingPolicy) -> MessageTemplates:
    return policy.message_templates(Sender(council="Northbridge", phone="0300 123 4567"))
