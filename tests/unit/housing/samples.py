"""Wire records as the Northgate API sends them (simulators/northgate/API.md)."""

from __future__ import annotations

from typing import Any

JOB: dict[str, Any] = {
    "JOB_NO": "40000612", "TENANCY_REF": "TEN-100001", "PROP_REF": "00200001",
    "SOR_CODE": "PL0103", "SOR_DESC": "CLEAR BLOCKAGE TO SINK", "TRADE": "PLUM",
    "PRIORITY": "U", "STATUS": "APP", "STATUS_DESC": "Appointment booked",
    "DESCRIPTION": "Kitchen sink will not drain", "ACCESS_NOTES": "Dog in garden",
    "EXT_REF": "", "RAISED_DATE": "10/03/2025", "RAISED_TIME": "09:15",
    "STATUS_DATE": "10/03/2025", "STATUS_TIME": "09:16", "APPT_DATE": "12/03/2025",
    "APPT_SLOT": "PM", "COMPLETED_DATE": "", "COMPLETED_TIME": "",
}  # fmt: skip
