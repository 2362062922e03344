"""Northgate's wire vocabulary: NG errors, DD/MM/YYYY dates, UK local times, request bodies."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request

UK = ZoneInfo("Europe/London")
_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")


class NgError(Exception):
    """An answer in Northgate's error shape: {"ERROR_CODE": "NG-nnnn", "ERROR_TEXT": ...}."""

    def __init__(self, status: int, code: str, text: str) -> None:
        super().__init__(f"{code}: {text}")
        self.status = status
        self.code = code
        self.text = text

    def body(self) -> dict[str, str]:
        return {"ERROR_CODE": self.code, "ERROR_TEXT": self.text}


def parse_date(value: object, field: str) -> date:
    """Strict DD/MM/YYYY: the legacy system never guessed other orders, neither do we."""
    if not isinstance(value, str) or not value.strip():
        raise NgError(400, "NG-1001", f"{field} is required")
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise NgError(400, "NG-1002", f"{field} must be a date as DD/MM/YYYY")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as error:
        raise NgError(400, "NG-1002", f"{field} is not a real date") from error


def format_date(iso_day: str) -> str:
    """ISO date stored in the database to DD/MM/YYYY; empty stays empty (legacy quirk)."""
    if not iso_day:
        return ""
    return date.fromisoformat(iso_day).strftime("%d/%m/%Y")


def uk_date_time(iso_instant: str) -> tuple[str, str]:
    """A stored UTC instant as UK local (DD/MM/YYYY, HH:MM) with no zone, as Northgate shows it."""
    if not iso_instant:
        return "", ""
    local = datetime.fromisoformat(iso_instant).astimezone(UK)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def uk_today(now: datetime) -> date:
    return now.astimezone(UK).date()


def utc_iso(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="seconds")


def json_body(*, optional: bool = False) -> dict[str, Any]:
    """The request body as a JSON object, else 400 NG-1000."""
    if optional and not request.get_data(cache=True):
        return {}
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise NgError(400, "NG-1000", "Request body must be a JSON object")
    return body


def required_text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise NgError(400, "NG-1001", f"{field} is required and must be a string")
    return value


def optional_text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise NgError(400, "NG-1001", f"{field} must be a string")
    return value


def reference(value: str) -> str:
    """References are matched trimmed and in upper case, as the old screens did."""
    return value.strip().upper()


MAX_WHOLE_NUMBER = 2**53  # well inside SQLite's 64-bit integers, so no overflow reaches it


def whole_number_param(name: str, default: int, low: int, high: int = MAX_WHOLE_NUMBER) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,20}", raw):
        raise NgError(400, "NG-1003", f"{name} must be a whole number")
    number = int(raw)
    if not low <= number <= high:
        raise NgError(400, "NG-1003", f"{name} must be {low} to {high}")
    return number
