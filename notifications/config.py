"""The `messages:` section of the landlord configuration, validated at start-up.

A bad value stops start-up with an error naming the key path (`messages.window...`), and the
templates are rendered with worst-case values here, so a council that rewords a text into a
third segment finds out when the service starts, not from its phone bill (R28).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from notifications.limits import CodePolicy, NumberLimits, RateLimit
from notifications.planner import MessagePlanner, ReminderPolicy
from notifications.retry import RetryPolicy
from notifications.templates import (
    FieldLimits,
    LinkRules,
    MessageKind,
    MessageTemplates,
    Sender,
    TemplateError,
    check_template,
)
from notifications.window import DailyHours, SendingWindow, WindowHours
from repairs.calendar import BankHolidaySource


class ConfigError(ValueError):
    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class _Section:
    """Reads one mapping, remembering where it sits so every error names its key path."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(path, "must be a mapping of keys to values")
        self.data: Mapping[Any, Any] = data
        self.path = path

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}"

    def raw(self, key: str) -> object:
        if key not in self.data:
            raise ConfigError(self.key_path(key), "is missing")
        return self.data[key]

    def section(self, key: str) -> _Section:
        return _Section(self.raw(key), self.key_path(key))

    def integer(self, key: str, minimum: int = 1, maximum: int = 10**6) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(self.key_path(key), f"must be a whole number, got {value!r}")
        if not minimum <= value <= maximum:
            raise ConfigError(self.key_path(key), f"must be {minimum} to {maximum}, got {value}")
        return value

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(self.key_path(key), "must be a non-empty text")
        return value

    def clock_time(self, key: str) -> time:
        value = self.raw(key)
        if not isinstance(value, str):
            # YAML 1.1 reads an unquoted 18:00 as the number 1080.
            raise ConfigError(self.key_path(key), 'must be a quoted time such as "18:00"')
        try:
            hours, minutes = value.split(":")
            if len(hours) != 2 or len(minutes) != 2:
                raise ValueError(value)
            return time(int(hours), int(minutes))
        except ValueError:
            raise ConfigError(
                self.key_path(key), f'must be a time "HH:MM", got {value!r}'
            ) from None


@dataclass(frozen=True)
class MessagingPolicy:
    window: WindowHours
    reminder: ReminderPolicy
    retry: RetryPolicy
    limits: NumberLimits
    unreadable_reply_every: timedelta
    code: CodePolicy
    max_segments: int
    links: LinkRules
    field_limits: FieldLimits
    templates: Mapping[MessageKind, str]

    @classmethod
    def from_mapping(cls, data: object, path: str = "messages") -> MessagingPolicy:
        """Validate the `messages:` section; raises ConfigError naming the bad key."""
        root = _Section(data, path)
        code = _code_policy(root.section("verification_code"))
        window = _window(root.section("window"))
        policy = cls(
            window=window,
            reminder=_reminder(root.section("reminder"), window),
            retry=_retry(root.section("retry")),
            limits=_limits(root.section("limits")),
            unreadable_reply_every=timedelta(
                hours=root.section("limits").integer("unreadable_reply_every_hours", 1, 168)
            ),
            code=code,
            max_segments=root.integer("max_segments", 1, 10),
            links=_links(root.section("links")),
            field_limits=_field_limits(root.section("field_limits"), code.digits),
            templates=_templates(root.section("templates")),
        )
        policy._check_templates(root.key_path("templates"))
        return policy

    def message_templates(self, sender: Sender) -> MessageTemplates:
        """Templates bound to the council's short name and help phone (from `council:`)."""
        return MessageTemplates(
            self.templates,
            self.field_limits,
            self.links,
            sender,
            code_minutes=int(self.code.lifetime.total_seconds() // 60),
            max_segments=self.max_segments,
        )

    def sending_window(self, holidays: BankHolidaySource) -> SendingWindow:
        return SendingWindow(self.window, holidays)

    def planner(self, holidays: BankHolidaySource) -> MessagePlanner:
        return MessagePlanner(self.reminder, self.sending_window(holidays))

    def _check_templates(self, path: str) -> None:
        # R28: worst-case values must still fit; render_worst_case also makes the sender long.
        templates = self.message_templates(Sender("X", "0"))
        for kind in MessageKind:
            try:
                templates.render_worst_case(kind)
            except TemplateError as error:
                raise ConfigError(f"{path}.{kind.value}", str(error)) from None


def _window(section: _Section) -> WindowHours:
    def hours(key: str) -> DailyHours:
        part = section.section(key)
        start, end = part.clock_time("from"), part.clock_time("to")
        if not start < end:
            raise ConfigError(part.path, "'from' must be before 'to' on the same day")
        return DailyHours(start, end)

    return WindowHours(hours("monday_to_saturday"), hours("sundays_and_bank_holidays"))


def _reminder(section: _Section, window: WindowHours) -> ReminderPolicy:
    margin = timedelta(minutes=section.integer("window_end_margin_minutes", 0, 240))
    shortest = min(_length(window.monday_to_saturday), _length(window.sundays_and_bank_holidays))
    if margin >= shortest:
        raise ConfigError(
            section.key_path("window_end_margin_minutes"), "must be shorter than every window"
        )
    return ReminderPolicy(
        days_before=section.integer("days_before", 1, 7),
        at=section.clock_time("at"),
        minimum_lead=timedelta(minutes=section.integer("minimum_lead_minutes", 0, 24 * 60)),
        window_end_margin=margin,
    )


def _length(hours: DailyHours) -> timedelta:
    day = date(2000, 1, 1)
    return datetime.combine(day, hours.end) - datetime.combine(day, hours.start)


def _retry(section: _Section) -> RetryPolicy:
    first = timedelta(seconds=section.integer("first_delay_seconds", 1, 86400))
    cap = timedelta(seconds=section.integer("max_delay_seconds", 1, 86400))
    if cap < first:
        raise ConfigError(section.key_path("max_delay_seconds"), "must be at least first_delay")
    return RetryPolicy(section.integer("max_attempts", 1, 20), first, cap)


def _limits(section: _Section) -> NumberLimits:
    return NumberLimits(
        codes=RateLimit(section.integer("verification_codes_per_hour", 1, 100)),
        messages=RateLimit(section.integer("messages_per_hour", 1, 1000)),
    )


def _code_policy(section: _Section) -> CodePolicy:
    return CodePolicy(
        digits=section.integer("digits", 4, 10),
        lifetime=timedelta(minutes=section.integer("expires_after_minutes", 1, 60)),
        max_attempts=section.integer("max_attempts", 1, 20),
    )


def _links(section: _Section) -> LinkRules:
    try:
        return LinkRules(section.text("base_url"), section.integer("max_length", 10, 200))
    except TemplateError as error:
        raise ConfigError(section.path, str(error)) from None


def _field_limits(section: _Section, code_digits: int) -> FieldLimits:
    return FieldLimits(
        reference=section.integer("reference", 1, 40),
        slot=section.integer("slot", 1, 80),
        council=section.integer("council", 1, 40),
        phone=section.integer("phone", 1, 30),
        code_digits=code_digits,
    )


def _templates(section: _Section) -> dict[MessageKind, str]:
    known = {kind.value for kind in MessageKind}
    for key in section.data:
        if key not in known:
            raise ConfigError(section.key_path(str(key)), "is not a message kind")
    texts = {kind: section.text(kind.value) for kind in MessageKind}
    for kind, text in texts.items():
        try:
            check_template(kind, text)
        except TemplateError as error:
            raise ConfigError(section.key_path(kind.value), str(error)) from None
    return texts
