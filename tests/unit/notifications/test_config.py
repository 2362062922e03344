"""The `messages:` section: validated at start-up, errors name the key path."""

from __future__ import annotations

import copy
from datetime import time, timedelta
from typing import Any

import pytest

from notifications.config import ConfigError, MessagingPolicy
from notifications.window import DailyHours

pytestmark = pytest.mark.unit


def test_the_landlord_config_gives_the_default_rules(policy: MessagingPolicy) -> None:
    # R24, R25, R34, R35 defaults.
    assert policy.window.monday_to_saturday == DailyHours(time(8), time(20))
    assert policy.window.sundays_and_bank_holidays == DailyHours(time(10), time(18))
    assert policy.reminder.at == time(18)
    assert policy.reminder.days_before == 1
    assert policy.reminder.minimum_lead == timedelta(hours=2)
    assert policy.limits.codes.count == 5
    assert policy.limits.messages.count == 20
    assert policy.unreadable_reply_every == timedelta(hours=24)


def changed(data: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("reminder.at", 1080, 'quoted time such as "18:00"'),
        ("reminder.at", "6pm", 'time "HH:MM"'),
        ("reminder.at", "25:00", 'time "HH:MM"'),
        ("reminder.minimum_lead_minutes", "two hours", "whole number"),
        ("reminder.minimum_lead_minutes", True, "whole number"),
        ("reminder.days_before", 0, "must be 1 to 7"),
        ("window.monday_to_saturday.to", "07:00", "'from' must be before 'to'"),
        ("window.sundays_and_bank_holidays", DELETE, "is missing"),
        ("retry.max_delay_seconds", 10, "at least first_delay"),
        ("limits.messages_per_hour", 0, "must be 1 to 1000"),
        ("verification_code.digits", 3, "must be 4 to 10"),
        ("links.base_url", "repairs.example", "base_url must be http"),
        ("links.max_length", 30, "room for a path"),
        ("templates.reminder", "{council} {reference} {phone}", "must include {slot}"),
        ("templates.staff_test", "{council} {address}", "unknown placeholder {address}"),
        ("templates.staff_test", DELETE, "is missing"),
        ("templates.staff_test", "", "non-empty text"),
        ("templates.typo_kind", "{council}", "is not a message kind"),
        ("field_limits.slot", 200, "must be 1 to 80"),
        ("templates", ["a list"], "must be a mapping"),
    ],
)
def test_a_bad_value_is_refused_with_its_key_path(
    messages_config: dict[str, Any], path: str, value: object, problem: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        MessagingPolicy.from_mapping(changed(messages_config, path, value))
    assert refused.value.path.startswith("messages.")
    assert path.split(".", maxsplit=1)[0] in refused.value.path
    assert problem in refused.value.problem


def test_a_template_that_is_too_long_at_worst_case_stops_start_up(
    messages_config: dict[str, Any],
) -> None:
    # R28: found at start-up, naming the template, not from the phone bill.
    long = "{council} Council: " + "a" * 240 + " {reference} {slot} {phone}"
    data = changed(messages_config, "templates.reminder", long)
    with pytest.raises(ConfigError, match=r"messages\.templates\.reminder: .*3 GSM-7 segments"):
        MessagingPolicy.from_mapping(data)


def test_a_longer_allowed_slot_text_that_would_overflow_is_caught(
    messages_config: dict[str, Any],
) -> None:
    data = changed(messages_config, "field_limits.slot", 80)
    data = changed(data, "field_limits.council", 40)
    data = changed(data, "field_limits.reference", 40)
    with pytest.raises(ConfigError, match=r"messages\.templates\.\w+: .* segments"):
        MessagingPolicy.from_mapping(data)


def test_the_reminder_margin_must_leave_part_of_every_window(
    messages_config: dict[str, Any],
) -> None:
    data = changed(messages_config, "window.sundays_and_bank_holidays.to", "10:30")
    with pytest.raises(ConfigError, match=r"reminder\.window_end_margin_minutes: .*every window"):
        MessagingPolicy.from_mapping(data)


def test_the_section_itself_must_be_a_mapping() -> None:
    with pytest.raises(ConfigError, match="^messages: must be a mapping"):
        MessagingPolicy.from_mapping(None)
