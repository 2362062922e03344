"""Northgate's wire vocabulary in our words and back (simulators/northgate/API.md).

Codes, DD/MM/YYYY dates, UK wall-clock times, "" for absent values and NG error bodies are all
translated here, so nothing of the wire's shape reaches the domain. Records (jobs, tenancies,
changes) are built in `records.py` from these pieces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from repairs.calendar import Division
from repairs.ports import BackendRejected, BackendUnavailable, SlotUnavailable, Tenure
from repairs.priorities import Priority, Trade
from repairs.slots import SlotKind
from repairs.statuses import BackendStatus

UK = ZoneInfo("Europe/London")
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_TIME = re.compile(r"(\d{2}):(\d{2})")

PRIORITIES: Mapping[str, Priority] = {
    "E": Priority.EMERGENCY,
    "U": Priority.URGENT,
    "R": Priority.ROUTINE,
    "D": Priority.DAMP_AND_MOULD,  # R9: an Awaab's Law case, its own code on the wire too
}
TRADES: Mapping[str, Trade] = {
    "PLUM": Trade.PLUMBING,
    "ELEC": Trade.ELECTRICAL,
    "CARP": Trade.CARPENTRY,
    "HEAT": Trade.HEATING,
    "ROOF": Trade.ROOFING,
    "GLAZ": Trade.GLAZING,
    "DAMP": Trade.DAMP_AND_MOULD,
    "GEN": Trade.GENERAL,
}
STATUSES: Mapping[str, BackendStatus] = {
    "LOG": BackendStatus.LOGGED,
    "ISS": BackendStatus.ISSUED,
    "APP": BackendStatus.APPOINTMENT_MADE,
    "WIP": BackendStatus.IN_PROGRESS,
    "NAC": BackendStatus.NO_ACCESS,
    "FWR": BackendStatus.FURTHER_WORK,
    "COM": BackendStatus.COMPLETED,
    "CAN": BackendStatus.CANCELLED,
}
TENURES: Mapping[str, Tenure] = {
    "SEC": Tenure.SECURE,
    "INT": Tenure.INTRODUCTORY,
    "LSH": Tenure.LEASEHOLD,
}
TENANCY_ACTIVE: Mapping[str, bool] = {"CUR": True, "END": False}
REGIONS: Mapping[str, Division] = {  # R3
    "EAW": Division.ENGLAND_AND_WALES,
    "SCO": Division.SCOTLAND,
    "NIR": Division.NORTHERN_IRELAND,
}
MAINTAINED: Mapping[str, bool] = {"Y": True, "N": False}  # R17
SLOT_KINDS: Mapping[str, SlotKind] = {
    "AM": SlotKind.AM,
    "PM": SlotKind.PM,
    "AD": SlotKind.ALL_DAY,
}
# Our words for the vulnerability codes; an unknown code passes through as it came, so a new
# code on the backend is shown to staff rather than silently dropped.
VULNERABILITIES: Mapping[str, str] = {
    "VUL-MOB": "mobility",
    "VUL-HEA": "hearing",
    "VUL-SIG": "sight",
    "VUL-MH": "mental_health",
    "VUL-LNG": "interpreter",
    "VUL-AGE": "older_person",
    "VUL-CHL": "young_children",
    "VUL-RES": "respiratory",
}

_V = TypeVar("_V")


def decode(table: Mapping[str, _V], code: object, field: str) -> _V:
    """A wire code in our words; an unknown code is a contract break, not a guess."""
    if not isinstance(code, str) or code.strip().upper() not in table:
        raise BackendRejected(f"unexpected {field} {code!r} from the housing system")
    return table[code.strip().upper()]


def encode(table: Mapping[str, _V], value: _V) -> str:
    for code, ours in table.items():
        if ours == value:
            return code
    raise ValueError(f"{value!r} has no code on the Northgate wire")


def blank_to_none(value: object) -> str | None:
    """The wire writes absent values as "" (never null): both mean "none" to us."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BackendRejected(f"expected text from the housing system, got {value!r}")
    return value if value.strip() else None


def none_to_blank(value: str | None) -> str:
    return "" if value is None else value


def parse_date(text: object, field: str = "date") -> date:
    """Strict DD/MM/YYYY, the only order the wire uses."""
    match = _DATE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise BackendRejected(f"{field} {text!r} from the housing system is not DD/MM/YYYY")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise BackendRejected(f"{field} {text!r} from the housing system is no date") from None


def format_date(day: date) -> str:
    # Not strftime: it zero-pads years below 1000 differently across platforms.
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def uk_to_utc(day_text: object, time_text: object, field: str = "time") -> datetime:
    """A DD/MM/YYYY + HH:MM pair in UK wall-clock time as a UTC instant (R47).

    When the clocks go back in October, 01:00-01:59 happens twice and the wire cannot say
    which: we take the first (BST, fold=0), the earlier instant, so a report time (R11) and
    the target dates counted from it are never later than the truth. In the March gap a time
    that never happened (01:30) is read with the offset before the change (GMT), as zoneinfo
    does for fold=0.
    """
    day = parse_date(day_text, field)
    match = _TIME.fullmatch(time_text.strip()) if isinstance(time_text, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise BackendRejected(f"{field} {time_text!r} from the housing system is not HH:MM")
    wall = datetime.combine(day, time(int(match[1]), int(match[2])), tzinfo=UK)
    return wall.replace(fold=0).astimezone(UTC)


def utc_to_uk(instant: datetime) -> tuple[str, str]:
    """A UTC instant as the wire's (DD/MM/YYYY, HH:MM) in UK local time, seconds dropped."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    local = instant.astimezone(UK)
    return format_date(local.date()), f"{local.hour:02d}:{local.minute:02d}"


def vulnerability_words(codes: object) -> tuple[str, ...]:
    if not isinstance(codes, list):
        raise BackendRejected("VULN_FLAGS from the housing system is not a list")
    return tuple(VULNERABILITIES.get(str(code).strip().upper(), str(code)) for code in codes)


# ------------------------------------------------------------------------------ errors


def error_for(response: httpx.Response) -> Exception:
    """An NG error answer as our exception: 5xx may pass, 4xx will not (API.md, Error codes)."""
    code, text = _error_body(response)
    status = response.status_code
    summary = f"housing system answered {status} {code}: {text}"
    if status >= 500 or status in (408, 429):
        return BackendUnavailable(summary)
    return BackendRejected(summary)


def _error_body(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "(no NG code)", "the answer was not JSON"
    if not isinstance(body, dict):
        return "(no NG code)", "the answer was not a JSON object"
    code = str(body.get("ERROR_CODE") or "(no NG code)")
    # The text is the backend's own diagnostic; cut it short so an error can never carry a
    # whole record into a log line.
    text = str(body.get("ERROR_TEXT") or "")[:120]
    return code, text


def booking_refused(body: Mapping[str, Any]) -> Exception | None:
    """The 200 {"RESULT": "FAIL"} quirk: a full slot is not an HTTP error on this wire."""
    result = body.get("RESULT")
    if result == "OK":
        return None
    if result == "FAIL" and body.get("REASON") == "SLOT_FULL":
        return SlotUnavailable(f"slot full for job {body.get('JOB_NO', '?')}")
    return BackendRejected(
        f"housing system refused the booking: RESULT {result!r}, REASON {body.get('REASON')!r}"
    )
