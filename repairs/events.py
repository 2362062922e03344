"""What happened to a repair, in the past tense; the outbox and the SMS planner consume these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from repairs.priorities import Channel, Priority
from repairs.refs import JobNumber, RepairRef, SubmissionId, TenancyRef
from repairs.slots import Slot
from repairs.statuses import BackendStatus


@dataclass(frozen=True)
class RepairReported:
    repair_ref: RepairRef
    submission_id: SubmissionId
    tenancy_ref: TenancyRef
    priority: Priority
    channel: Channel
    at: datetime  # R11: the awareness instant


@dataclass(frozen=True)
class JobRaised:
    repair_ref: RepairRef
    job_number: JobNumber
    at: datetime


@dataclass(frozen=True)
class AppointmentBooked:
    repair_ref: RepairRef
    job_number: JobNumber
    slot: Slot
    at: datetime


@dataclass(frozen=True)
class AppointmentRescheduled:
    repair_ref: RepairRef
    job_number: JobNumber
    old_slot: Slot  # R23: reminders for this slot must be cancelled
    new_slot: Slot
    at: datetime


@dataclass(frozen=True)
class AppointmentCancelled:
    repair_ref: RepairRef
    job_number: JobNumber
    slot: Slot
    at: datetime


@dataclass(frozen=True)
class RepairStatusChanged:
    repair_ref: RepairRef
    old_status: BackendStatus
    new_status: BackendStatus
    at: datetime
    source: str


@dataclass(frozen=True)
class RepairCompleted:
    repair_ref: RepairRef
    at: datetime


RepairEvent = (
    RepairReported
    | JobRaised
    | AppointmentBooked
    | AppointmentRescheduled
    | AppointmentCancelled
    | RepairStatusChanged
    | RepairCompleted
)
