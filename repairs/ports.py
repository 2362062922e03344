"""What the domain needs from the housing backend, in domain types only (DESIGN.md, Ports).

Implementations: NorthgateBackend (adapters/housing) and its in-memory fake. Every datetime
crossing these ports is timezone-aware UTC; wire formats never leak in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from repairs.calendar import Division
from repairs.priorities import Priority, Trade
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from repairs.slots import Slot
from repairs.statuses import BackendStatus

# R18: the backend refuses longer descriptions, so the form counts against the same number.
MAX_DESCRIPTION_LENGTH = 255


def require_aware_utc(name: str, instant: datetime) -> None:
    """Refuse naive or non-UTC datetimes at the port boundary instead of guessing a zone."""
    if instant.tzinfo is None or instant.utcoffset() != timedelta(0):
        raise ValueError(f"{name} must be a timezone-aware UTC datetime, got {instant!r}")


def check_description(description: str) -> None:
    """R18: required, and no longer than the backend accepts."""
    if not description.strip():
        raise ValueError("description is required")
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ValueError(
            f"description is {len(description)} characters; "
            f"the most the repairs system accepts is {MAX_DESCRIPTION_LENGTH}"
        )


class Tenure(StrEnum):
    SECURE = "secure"
    INTRODUCTORY = "introductory"
    LEASEHOLD = "leasehold"


@dataclass(frozen=True)
class Property:
    ref: PropertyRef
    address_lines: tuple[str, ...]
    postcode: str
    uprn: str
    maintainable: bool  # R17: repairs only where the landlord maintains the property
    division: Division  # R3


@dataclass(frozen=True)
class Tenancy:
    ref: TenancyRef
    tenant_name: str
    tenure: Tenure
    active: bool
    property: Property
    vulnerability_flags: tuple[str, ...] = ()


class Tenancies(Protocol):
    def match_tenant(
        self, tenancy_ref: TenancyRef, postcode: str, date_of_birth: date
    ) -> Tenancy | None:
        """R36: the tenancy when all three match, else None (never say which one was wrong)."""
        ...

    def tenancy(self, tenancy_ref: TenancyRef) -> Tenancy: ...


@dataclass(frozen=True)
class NewRepairOrder:
    submission_id: SubmissionId  # the idempotency key, EXT_REF on the Northgate wire
    tenancy_ref: TenancyRef
    property_ref: PropertyRef
    sor_code: str
    priority: Priority
    description: str
    access_notes: str = ""

    def __post_init__(self) -> None:
        check_description(self.description)
        if not self.sor_code.strip():
            raise ValueError("SOR code is required")


@dataclass(frozen=True)
class Appointment:
    job_number: JobNumber
    slot: Slot
    booked_at: datetime

    def __post_init__(self) -> None:
        require_aware_utc("booked_at", self.booked_at)


@dataclass(frozen=True)
class AvailableSlot:
    slot: Slot
    remaining: int


@dataclass(frozen=True)
class RepairOrder:
    job_number: JobNumber
    tenancy_ref: TenancyRef
    property_ref: PropertyRef
    sor_code: str
    priority: Priority
    trade: Trade
    description: str
    status: BackendStatus
    raised_at: datetime
    appointment: Appointment | None
    external_ref: str | None

    def __post_init__(self) -> None:
        require_aware_utc("raised_at", self.raised_at)


@dataclass(frozen=True)
class StatusChange:
    sequence: int
    job_number: JobNumber
    status: BackendStatus
    changed_at: datetime
    appointment: Appointment | None

    def __post_init__(self) -> None:
        require_aware_utc("changed_at", self.changed_at)


@dataclass(frozen=True)
class ChangeBatch:
    changes: tuple[StatusChange, ...]
    next_cursor: int  # pass back to changes_since; equals the cursor given when nothing is new


class RepairOrders(Protocol):
    def raise_repair(self, order: NewRepairOrder) -> RepairOrder:
        """Idempotent on submission_id: a retry returns the job the first call made."""
        ...

    def repair(self, job_number: JobNumber) -> RepairOrder: ...

    def repairs_for(self, tenancy_ref: TenancyRef) -> list[RepairOrder]: ...

    def changes_since(self, cursor: int, limit: int = 100) -> ChangeBatch: ...

    def cancel_repair(self, job_number: JobNumber, reason: str) -> None: ...


class Appointments(Protocol):
    def available_slots(
        self, job_number: JobNumber, first_day: date, last_day: date
    ) -> list[AvailableSlot]:
        """R20: the caller keeps windows within what the backend accepts (14 days)."""
        ...

    def book(self, job_number: JobNumber, slot: Slot) -> Appointment:
        """Books, or moves an existing appointment; raises SlotUnavailable when it is full."""
        ...

    def cancel(self, job_number: JobNumber) -> None: ...


class BackendError(Exception):
    """Anything the housing backend did wrong."""


class BackendUnavailable(BackendError):
    """Timeout, 5xx or circuit open: try again later; the tenant is told we will be in touch."""


class BackendRejected(BackendError):
    """The backend said no: a bug on our side or bad data; retrying will not help."""


class SlotUnavailable(BackendError):
    """The slot filled up between offering and booking: offer others."""
