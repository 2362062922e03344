"""What the fake housing backend knows without being told: demo tenancies, trades, capacity.

The demo tenancies are the simulator's fixed demo logins (API.md, "Seed data and demo logins"),
so a journey rehearsed on the fake works the same against the simulator.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from repairs.calendar import Division
from repairs.ports import MAX_DESCRIPTION_LENGTH, BackendRejected, NewRepairOrder, Tenancy, Tenure
from repairs.priorities import Trade
from repairs.slots import SlotKind

# The schedule of rates' two-letter prefixes name the trade (PL0103 is plumbing), so the fake
# accepts any well-formed code with a known prefix instead of carrying a catalogue.
SOR_PREFIX_TRADES = {
    "PL": Trade.PLUMBING,
    "EL": Trade.ELECTRICAL,
    "CP": Trade.CARPENTRY,
    "HT": Trade.HEATING,
    "RF": Trade.ROOFING,
    "GZ": Trade.GLAZING,
    "DM": Trade.DAMP_AND_MOULD,
    "GN": Trade.GENERAL,
}
_MAX_NOTES = 255
_SOR_CODE = re.compile(r"([A-Z]{2})\d{4}")

# As on the backend: a hash of trade, day and slot picks the capacity, and one slot in five
# has none, so "full" turns up in every two-week window and is the same on every run.
_CAPACITY_BY_HASH = (0, 1, 2, 3, 2)


def trade_for_sor(code: str) -> Trade | None:
    match = _SOR_CODE.fullmatch(code.strip().upper())
    return SOR_PREFIX_TRADES.get(match[1]) if match else None


def capacity(trade: Trade, day: date, kind: SlotKind) -> int:
    digest = zlib.crc32(f"{trade.value}|{day.isoformat()}|{kind.value}".encode())
    return _CAPACITY_BY_HASH[digest % len(_CAPACITY_BY_HASH)]


def check_new_job(order: NewRepairOrder, tenancy: Tenancy | None) -> Trade:
    """The backend's checks on a new job, in its order (API.md, POST /api/v1/jobs)."""
    if len(order.description) > MAX_DESCRIPTION_LENGTH:  # R18
        raise BackendRejected(f"description over {MAX_DESCRIPTION_LENGTH} characters")
    if len(order.access_notes) > _MAX_NOTES:
        raise BackendRejected(f"access notes over {_MAX_NOTES} characters")
    trade = trade_for_sor(order.sor_code)
    if trade is None:
        raise BackendRejected(f"SOR code {order.sor_code} is not on the schedule of rates")
    if tenancy is None:
        raise BackendRejected(f"tenancy {order.tenancy_ref} does not exist")
    if not tenancy.active:
        raise BackendRejected("tenancy has ended: repairs cannot be raised")
    if tenancy.property.ref.value != order.property_ref.value:
        raise BackendRejected("the property is not this tenancy's")
    if not tenancy.property.maintainable:  # R17
        raise BackendRejected("the property is not maintained by the landlord")
    return trade


@dataclass(frozen=True)
class DemoTenancy:
    ref: str
    property_ref: str
    postcode: str
    date_of_birth: date
    tenant_name: str
    address_lines: tuple[str, ...]
    tenure: Tenure = Tenure.SECURE
    active: bool = True
    maintainable: bool = True
    division: Division = Division.ENGLAND_AND_WALES
    vulnerability_flags: tuple[str, ...] = ()

    def details(self) -> dict[str, Any]:
        """Everything but the reference, as FakeHousingBackend.add_tenancy takes it."""
        return {
            "postcode": self.postcode,
            "date_of_birth": self.date_of_birth,
            "tenant_name": self.tenant_name,
            "tenure": self.tenure,
            "active": self.active,
            "maintainable": self.maintainable,
            "division": self.division,
            "property_ref": self.property_ref,
            "address_lines": self.address_lines,
            "uprn": "9000" + self.property_ref,
            "vulnerability_flags": self.vulnerability_flags,
        }


DEMO_TENANCIES = (
    DemoTenancy(
        "TEN-100001", "00200001", "NB1 2AB", date(1971, 3, 14), "Mr Connor Hall",
        ("77 Orchard Way", "Northbridge"),
    ),
    DemoTenancy(
        "TEN-100002", "00200002", "NB2 4DE", date(1985, 11, 2), "Mr Andrew White",
        ("33 Ash Way", "Northbridge"), tenure=Tenure.INTRODUCTORY,
    ),
    DemoTenancy(
        "TEN-100003", "00200003", "NB3 6FG", date(1958, 7, 23), "Miss Joanne Taylor",
        ("Flat 1 Victoria Lodge", "Victoria Crescent", "Northbridge"),
        tenure=Tenure.LEASEHOLD, maintainable=False,
    ),
    DemoTenancy(
        "TEN-100004", "00200004", "NB4 8HJ", date(1990, 1, 30), "Miss Olivia Thompson",
        ("Flat 15 Maple Lodge", "Maple Avenue", "Northbridge"), active=False,
    ),
    DemoTenancy(
        "TEN-100005", "00200005", "TD9 3LN", date(1977, 6, 5), "Ms Olivia Patel",
        ("Flat 2 Ash Point", "Ash Grove", "Braidholm"), division=Division.SCOTLAND,
    ),
    DemoTenancy(
        "TEN-100006", "00200006", "BT8 7QR", date(1969, 9, 19), "Mr John Davies",
        ("132 Church Crescent", "Drumcarrig"), division=Division.NORTHERN_IRELAND,
    ),
    DemoTenancy(
        "TEN-100007", "00200007", "NB5 1ST", date(1944, 12, 8), "Mr Andrew Evans",
        ("Flat 18 Larch Point", "Larch Lane", "Eastwick Vale"),
        vulnerability_flags=("mobility", "hearing"),
    ),
    DemoTenancy(
        "TEN-100008", "00200008", "NB6 5UW", date(1982, 4, 27), "Mr Raj Begum",
        ("30 Hawthorn Road", "Eastwick Vale"),
    ),
)  # fmt: skip
