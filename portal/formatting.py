"""GOV.UK style dates and times in Europe/London for templates (R47)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

LONDON = ZoneInfo("Europe/London")


def govuk_date(value: date | datetime, with_year: bool = True, with_day: bool = True) -> str:
    """'Tuesday 24 November 2026': no leading zero, day name first (GOV.UK style guide)."""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    text = f"{value.day} {value:%B}"
    if with_year:
        text += f" {value.year}"
    return f"{value:%A} {text}" if with_day else text


def govuk_time(value: datetime) -> str:
    """'8am', '12pm', '5:30pm', '12am': the GOV.UK style for times."""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.minute:
        return f"{hour}:{local.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def govuk_datetime(value: datetime) -> str:
    return f"{govuk_date(value)} at {govuk_time(value)}"


def init_formatting(app: Flask) -> None:
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_time)
    app.add_template_filter(govuk_datetime)
