"""Northgate records (jobs, tenancies, properties, changes, slots) as domain objects.

Every function takes one decoded JSON object from the wire and returns a frozen domain value,
or raises BackendRejected when a field the contract promises is missing or malformed: a broken
contract will not mend itself on a retry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adapters.housing import wire
from repairs.ports import (
    Appointment,
    AvailableSlot,
    BackendRejected,
    Property,
    RepairOrder,
    StatusChange,
    Tenancy,
)
from repairs.refs import JobNumber, PropertyRef, TenancyRef
from repairs.slots import Slot

Record = Mapping[str, Any]


def field(record: Record, name: str) -> Any:
    try:
        return record[name]
    except KeyError:
        raise BackendRejected(f"the housing system's answer has no {name}") from None


def text(record: Record, name: str) -> str:
    value = field(record, name)
    if not isinstance(value, str):
        raise BackendRejected(f"{name} from the housing system is not text: {value!r}")
    return value


def number(record: Record, name: str) -> int:
    value = field(record, name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BackendRejected(f"{name} from the housing system is not a whole number")
    return value


def _ref(kind: type[Any], record: Record, name: str) -> Any:
    try:
        return kind(text(record, name).strip().upper())
    except ValueError as error:
        raise BackendRejected(f"{name} from the housing system: {error}") from None


def job_number(record: Record, name: str = "JOB_NO") -> JobNumber:
    ref: JobNumber = _ref(JobNumber, record, name)
    return ref


def tenancy_ref(record: Record, name: str = "TENANCY_REF") -> TenancyRef:
    ref: TenancyRef = _ref(TenancyRef, record, name)
    return ref


def property_ref(record: Record, name: str = "PROP_REF") -> PropertyRef:
    # Property refs keep their leading zeros ("00200001"): strings end to end.
    ref: PropertyRef = _ref(PropertyRef, record, name)
    return ref


def slot(record: Record) -> Slot | None:
    """APPT_DATE + APPT_SLOT, or None when both are "" (no appointment)."""
    day_text = wire.blank_to_none(field(record, "APPT_DATE"))
    kind_text = wire.blank_to_none(field(record, "APPT_SLOT"))
    if day_text is None and kind_text is None:
        return None
    if day_text is None or kind_text is None:
        raise BackendRejected("the housing system sent half an appointment (date or slot)")
    return Slot(
        wire.parse_date(day_text, "APPT_DATE"), wire.decode(wire.SLOT_KINDS, kind_text, "APPT_SLOT")
    )


def _appointment(record: Record, job: JobNumber, booked_at: datetime) -> Appointment | None:
    booked = slot(record)
    return None if booked is None else Appointment(job, booked, booked_at)


def repair_order(record: Record) -> RepairOrder:
    number_ = job_number(record)
    raised_at = wire.uk_to_utc(field(record, "RAISED_DATE"), field(record, "RAISED_TIME"))
    # The wire does not say when an appointment was booked. The last status change is the
    # booking itself while the job is APP, and never earlier than the job was raised.
    status_date = wire.blank_to_none(field(record, "STATUS_DATE"))
    changed_at = (
        wire.uk_to_utc(status_date, field(record, "STATUS_TIME"), "STATUS_TIME")
        if status_date
        else raised_at
    )
    return RepairOrder(
        job_number=number_,
        tenancy_ref=tenancy_ref(record),
        property_ref=property_ref(record),
        sor_code=text(record, "SOR_CODE").strip().upper(),
        priority=wire.decode(wire.PRIORITIES, field(record, "PRIORITY"), "PRIORITY"),
        trade=wire.decode(wire.TRADES, field(record, "TRADE"), "TRADE"),
        description=text(record, "DESCRIPTION"),
        status=wire.decode(wire.STATUSES, field(record, "STATUS"), "STATUS"),
        raised_at=raised_at,
        appointment=_appointment(record, number_, max(changed_at, raised_at)),
        external_ref=wire.blank_to_none(field(record, "EXT_REF")),
    )


def status_change(record: Record) -> StatusChange:
    number_ = job_number(record)
    changed_at = wire.uk_to_utc(field(record, "CHANGE_DATE"), field(record, "CHANGE_TIME"))
    return StatusChange(
        sequence=number(record, "SEQ"),
        job_number=number_,
        status=wire.decode(wire.STATUSES, field(record, "STATUS"), "STATUS"),
        changed_at=changed_at,
        appointment=_appointment(record, number_, changed_at),
    )


def property_(record: Record) -> Property:
    lines = tuple(
        line.strip()
        for line in (text(record, f"ADDR_LINE_{n}") for n in range(1, 5))
        if line.strip()
    )
    return Property(
        ref=property_ref(record),
        address_lines=lines,
        postcode=text(record, "POSTCODE").strip(),
        uprn=text(record, "UPRN").strip(),
        maintainable=wire.decode(wire.MAINTAINED, field(record, "MAINT_FLAG"), "MAINT_FLAG"),
        division=wire.decode(wire.REGIONS, field(record, "BH_REGION"), "BH_REGION"),
    )


def tenancy(record: Record, home: Property) -> Tenancy:
    if property_ref(record) != home.ref:
        raise BackendRejected("the tenancy and property the housing system sent do not belong")
    return Tenancy(
        ref=tenancy_ref(record),
        tenant_name=text(record, "TENANT_NAME").strip(),
        tenure=wire.decode(wire.TENURES, field(record, "TENURE"), "TENURE"),
        active=wire.decode(wire.TENANCY_ACTIVE, field(record, "TEN_STATUS"), "TEN_STATUS"),
        property=home,
        vulnerability_flags=wire.vulnerability_words(field(record, "VULN_FLAGS")),
    )


def available_slot(record: Record) -> AvailableSlot:
    offered = slot(record)
    if offered is None:
        raise BackendRejected("the housing system listed a slot with no date")
    return AvailableSlot(offered, max(number(record, "REMAINING"), 0))
